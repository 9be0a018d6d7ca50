"""Bootstrap confidence intervals: sentence units, unit assignment, the vectorised resampling, `score --ci`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import scorers.bootstrap as bootstrap_module
from benchmark.input.corpus import load_corpus
from benchmark.intervals import IntervalSettings, add_intervals, coref_matrix
from benchmark.scoring import ScoreSettings, result_dict, score_submission
from scorers.bootstrap import (
    UNITS,
    bootstrap_f1,
    count_table,
    f1_of,
    nan_mean,
    percentile_interval,
    resample_indices,
    unit_keys,
)
from scorers.coref_resampling import f1_statistic
from scorers.event_coref import MEASURES
from scorers.events import GROUPINGS, tally
from scorers.matching import make_matcher
from scorers.prf import PRF
from scorers.registry import score
from scorers.sentences import split_sentences

from conftest import ann, ev, run_cli

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "submissions" / "lexicon.json"
FAST = ("--resamples", "200")


# --- sentences -------------------------------------------------------------------------------


def texts(text: str, ranges: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in ranges]


def test_sentences_end_at_arabic_and_latin_punctuation_and_newlines():
    text = "وصل لافروف. هل يلتقي كيم؟ نعم!\nبيان"
    assert texts(text, split_sentences(text, [(0, len(text))])) == ["وصل لافروف.", " هل يلتقي كيم؟", " نعم!", "\nبيان"]


def test_sentence_ends_without_a_space_but_not_inside_numbers_or_dates():
    text = 'بالزهور.وتعقد المحادثات "الآن".وقد وصل في 12.07.2025 بنسبة 2.5 بالمئة.'
    assert texts(text, split_sentences(text, [(0, len(text))])) == [
        "بالزهور.", 'وتعقد المحادثات "الآن".', "وقد وصل في 12.07.2025 بنسبة 2.5 بالمئة."]


def test_sentences_stay_inside_segments_and_skip_whitespace_only_stretches():
    text = "أ. ب.  \n\n ج د. هـ"
    ranges = split_sentences(text, [(0, 6), (9, len(text))])
    assert texts(text, ranges) == ["أ.", " ب.", " ج د.", " هـ"]
    # Every non-space offset of a segment lies in exactly one sentence.
    for offset in [*range(0, 6), *range(9, len(text))]:
        inside = [r for r in ranges if r[0] <= offset < r[1]]
        assert len(inside) == (0 if text[offset].isspace() and not any(s <= offset < e for s, e in ranges) else 1)


def test_bundled_corpus_sentences_cover_every_gold_trigger():
    corpus = load_corpus()
    gold = score_submission(LEXICON, None, corpus, ScoreSettings()).gold
    for doc_id, doc in gold.documents.items():
        document = corpus.documents[doc_id]
        ranges = split_sentences(document.text, [(s.start, s.end) for s in document.segments if s.scored])
        for event in doc.events:
            assert sum(s <= event.trigger.start < e for s, e in ranges) == 1, (doc_id, event.id)


# --- units -----------------------------------------------------------------------------------

VISIT, MEET = "Movement.Transport-Person", "Contact.Meet"


def tiny_outcomes():
    """d1: two reference events in two sentences; the prediction finds one, mistypes nothing, adds a spurious one."""
    ref = ann(ev("r1", VISIT, 0, 4), ev("r2", MEET, 20, 25))
    pred = ann(ev("p1", VISIT, 0, 4), ev("p2", MEET, 12, 16))
    return score(pred, ref, make_matcher("exact")), {"d1": [(0, 10), (10, 19), (19, 30)]}


def test_sentence_units_follow_anchors_and_keep_empty_sentences():
    outcomes, sentences = tiny_outcomes()
    keys, universe = unit_keys(outcomes, "sentence", documents=["d1"], sentences=sentences)
    assert universe == [("d1", 0), ("d1", 10), ("d1", 19)]
    by_kind = {(o.metric, o.kind): k for o, k in zip(outcomes, keys, strict=True)}
    assert by_kind[("tri_i", "tp")] == ("d1", 0)
    assert by_kind[("tri_i", "fp")] == ("d1", 10)
    assert by_kind[("tri_i", "fn")] == ("d1", 19)


def test_unlocated_anchor_gets_its_documents_extra_unit():
    outcomes, sentences = tiny_outcomes()
    keys, universe = unit_keys(outcomes, "sentence", documents=["d1"], sentences={"d1": [(0, 10)]})
    assert ("d1", -1) in universe and ("d1", -1) in keys


def test_event_units_join_aligned_predictions_to_their_reference_event():
    outcomes, _ = tiny_outcomes()
    keys, universe = unit_keys(outcomes, "event", documents=["d1"], pred_tag="A")
    assert universe == [("d1", "A", "p2"), ("d1", "ref", "r1"), ("d1", "ref", "r2")]
    for o, k in zip(outcomes, keys, strict=True):
        if o.pred is not None and o.pred.event.id == "p1":
            assert k == ("d1", "ref", "r1")


def test_doc_units_include_documents_without_records():
    outcomes, _ = tiny_outcomes()
    keys, universe = unit_keys(outcomes, "doc", documents=["d2", "d1"])
    assert universe == [("d1",), ("d2",)] and set(keys) == {("d1",)}


@pytest.mark.parametrize("unit", UNITS)
def test_count_table_sums_to_the_corpus_counts(unit):
    outcomes, sentences = tiny_outcomes()
    keys, universe = unit_keys(outcomes, unit, documents=["d1"], sentences=sentences)
    table = count_table(outcomes, keys, universe, GROUPINGS)
    totals = table.totals()
    for metric, counts in tally(outcomes).items():
        assert list(totals[table.column((metric, None, None))]) == [counts.tp, counts.fp, counts.fn]


# --- resampling ------------------------------------------------------------------------------


def slow_bootstrap_f1(counts: np.ndarray, resamples: int, seed: int) -> list[list[float | None]]:
    """Reference implementation: loop over the same resample indices, add PRF objects, divide."""
    out = []
    for chunk in resample_indices(counts.shape[0], resamples, seed):
        for row in chunk:
            row_values = []
            for cell in range(counts.shape[1]):
                total = sum((PRF(tp=int(counts[u, cell, 0]), fp=int(counts[u, cell, 1]), fn=int(counts[u, cell, 2])) for u in row), PRF())
                row_values.append(total.f1 if total.tp + total.fp + total.fn else None)
            out.append(row_values)
    return out


def test_vectorised_bootstrap_equals_the_slow_reference_on_a_tiny_example():
    outcomes, sentences = tiny_outcomes()
    keys, universe = unit_keys(outcomes, "sentence", documents=["d1"], sentences=sentences)
    table = count_table(outcomes, keys, universe, GROUPINGS)
    fast = bootstrap_f1(table, 200, seed=7)
    slow = slow_bootstrap_f1(table.counts, 200, seed=7)
    assert fast.shape == (200, len(table.cells))
    for fast_row, slow_row in zip(fast.tolist(), slow, strict=True):
        assert [None if np.isnan(v) else v for v in fast_row] == slow_row


def test_chunking_does_not_change_the_resamples(monkeypatch):
    counts = np.random.default_rng(1).integers(0, 3, size=(30, 4, 3))
    table = bootstrap_module.CountTable(tuple(range(30)), tuple((f"m{i}", None, None) for i in range(4)), counts)
    whole = bootstrap_f1(table, 200, seed=3)
    monkeypatch.setattr(bootstrap_module, "CHUNK_ELEMENTS", 7 * 30)  # 7 resamples per chunk
    assert np.array_equal(bootstrap_f1(table, 200, seed=3), whole, equal_nan=True)


def test_f1_of_counts_and_the_empty_rule():
    assert f1_of(np.array([2.0, 1.0, 1.0])) == pytest.approx(2 / 3)
    assert np.isnan(f1_of(np.array([0.0, 0.0, 0.0])))


def test_percentile_interval_and_nan_handling():
    samples = np.array([[0.1, np.nan], [0.2, np.nan], [0.3, np.nan], [0.4, np.nan], [0.5, np.nan]])
    lo_hi, missing = percentile_interval(samples, 0.5)
    assert lo_hi == pytest.approx((0.2, 0.4)) and missing is None
    assert nan_mean(np.array([[1.0, np.nan], [np.nan, np.nan]]), [0, 1]).tolist()[0] == 1.0
    assert np.isnan(nan_mean(np.array([[np.nan, np.nan]]), [0, 1])[0])
    with pytest.raises(ValueError):
        percentile_interval(samples, 1.0)


# --- the bundled lexicon baseline -------------------------------------------------------------


@pytest.fixture(scope="module")
def lexicon():
    corpus = load_corpus()
    return corpus, score_submission(LEXICON, None, corpus, ScoreSettings())


@pytest.mark.parametrize("unit", UNITS)
def test_intervals_contain_the_point_estimates(lexicon, unit):
    corpus, run = lexicon
    result = add_intervals(result_dict(run), run, corpus, IntervalSettings(resamples=200, unit=unit))
    assert result["settings"]["unit"] == unit and result["intervals"]["units"] > 0
    for name in ("tri_i", "tri_c", "realis", "type_realis", "arg_i", "arg_c", "coref_within.conll"):
        entry = result["metrics"][name]
        lo, hi = entry["ci"]
        assert 0 <= lo <= entry["f1"] <= hi <= 1, (name, unit, entry)
    lo, hi = result["macro"]["ci"]
    assert lo <= result["macro"]["f1"] <= hi
    assert result["metrics"]["coref_cross.conll"]["ci"] is None and "coref_cross" in result["intervals"]["coref"]


def test_coref_statistic_reproduces_the_within_document_scores(lexicon):
    _, run = lexicon
    matrix = coref_matrix(run)
    values = f1_statistic(matrix.columns)(matrix.counts.sum(axis=0)[None])[0]
    result = result_dict(run)
    for measure, value in zip(MEASURES, values, strict=True):
        assert value == pytest.approx(result["metrics"][f"coref_within.{measure}"]["f1"], abs=1e-12)


def test_ci_is_opt_in_and_the_default_json_is_unchanged(capsys):
    code, out, _ = run_cli(capsys, "score", LEXICON, "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert "ci" not in result["metrics"]["tri_c"] and "ci" not in result["settings"] and "intervals" not in result


def test_fixed_seed_gives_byte_identical_json(capsys):
    first = run_cli(capsys, "score", LEXICON, "--ci", "0.95", *FAST, "--seed", "5", "--format", "json")
    second = run_cli(capsys, "score", LEXICON, "--ci", "0.95", *FAST, "--seed", "5", "--format", "json")
    other = run_cli(capsys, "score", LEXICON, "--ci", "0.95", *FAST, "--seed", "6", "--format", "json")
    assert first[0] == 0 and first[1] == second[1]
    assert other[1] != first[1]
    result = json.loads(first[1])
    assert {k: result["settings"][k] for k in ("ci", "resamples", "seed", "unit")} == {"ci": 0.95, "resamples": 200, "seed": 5, "unit": "sentence"}
    assert result["breakdowns"]["type"]["Contact.Meet"]["tri_c"]["ci"] is not None


def test_tables_show_intervals(capsys):
    code, out, _ = run_cli(capsys, "score", LEXICON, "--ci", "0.9", *FAST, "--unit", "doc", "--by", "type")
    assert code == 0
    _, as_json, _ = run_cli(capsys, "score", LEXICON, "--ci", "0.9", *FAST, "--unit", "doc", "--format", "json")
    tri_c = json.loads(as_json)["metrics"]["tri_c"]
    low, high = (100 * x for x in tri_c["ci"])
    row = next(line for line in out.splitlines() if line.startswith("tri_c "))
    assert f"{100 * tri_c['f1']:.1f} [{low:.1f}, {high:.1f}]" in row
    assert "90% bootstrap percentile intervals, 200 resamples of 5 doc units, seed 0" in out


@pytest.mark.parametrize("args", [("--resamples", "50"), ("--unit", "doc"), ("--ci", "1.5"), ("--ci", "0.95", "--resamples", "0")])
def test_bad_interval_options_exit_2(capsys, args):
    code, _, err = run_cli(capsys, "score", LEXICON, *args)
    assert code == 2 and "fix:" in err


def test_unit_counts_refuses_keys_that_do_not_match_the_records():
    """One unit key per record: a shorter key list is an error, not records silently dropped."""
    from scorers.bootstrap import unit_counts

    outcomes = score(ann(ev("p1", "Contact.Meet", 0, 3)), ann(ev("g1", "Contact.Meet", 0, 3)), make_matcher("exact"))
    keys, universe = unit_keys(outcomes, "doc", documents=["d1"])
    assert sum(unit_counts(outcomes, keys, universe).values.tolist()) == len(outcomes)
    with pytest.raises(ValueError, match="zip"):
        unit_counts(outcomes, keys[:-1], universe)


# --- CountParts: per-document unit counts held as flat arrays ------------------------------------


def _part(units, cells, entries):
    """A UnitCounts by hand: ``entries`` are (row, cell index, kind index, count), in row order."""
    from scorers.bootstrap import UnitCounts

    rows, cols, values = zip(*((r, 3 * c + k, n) for r, c, k, n in entries), strict=True) if entries else ((), (), ())
    return UnitCounts(tuple(units), tuple(cells), np.asarray(rows, dtype=np.int32), np.asarray(cols, dtype=np.int32),
                      np.asarray(values, dtype=np.int32))


TOTAL, TYPE_A, TYPE_B = ("tri_c", None, None), ("tri_c", "type", "A"), ("tri_c", "type", "B")


def test_count_parts_number_cells_across_parts_and_sort_them_in_the_table():
    from scorers.bootstrap import CountParts

    held = CountParts()
    # Document d1: one unit, 2 tp in the total and in type B. Document d2: two units; the second has 1 fn of type A.
    held.append(_part([("d1", 0)], [TYPE_B, TOTAL], [(0, 0, 0, 2), (0, 1, 0, 2)]))
    held.append(_part([("d2", 0), ("d2", 5)], [TOTAL, TYPE_A], [(1, 0, 2, 1), (1, 1, 2, 1)]))
    table = held.table()
    assert table.units == (("d1", 0), ("d2", 0), ("d2", 5))
    assert table.cells == (TOTAL, TYPE_A, TYPE_B)  # totals first, then the groups
    expected = np.zeros((3, 3, 3), dtype=np.int64)
    expected[0, 0, 0] = expected[0, 2, 0] = 2
    expected[2, 0, 2] = expected[2, 1, 2] = 1
    assert (table.counts == expected).all()
    sparse = held.table(sparse=True)
    assert sparse.counts.dtype == np.float64 and (sparse.counts.toarray() == expected.reshape(3, 9)).all()
    only = held.table([TYPE_A, ("arg_c", None, None)])  # cells asked for: others dropped, unknown ones empty
    assert only.cells == (TYPE_A, ("arg_c", None, None))
    assert only.counts[:, :, 2].tolist() == [[0, 0], [0, 0], [1, 0]] and only.counts.sum() == 1
    assert (held.table([TYPE_A], sparse=True).counts.toarray() == only.counts[:, :1].reshape(3, 3)).all()


def test_count_parts_extend_renumbers_the_other_parts_cells_and_widens_when_needed():
    from scorers.bootstrap import CountParts

    first, second = CountParts(), CountParts()
    first.append(_part([("d1",)], [TOTAL], [(0, 0, 0, 1)]))
    second.append(_part([("d2",)], [TYPE_A, TOTAL], [(0, 0, 1, 300), (0, 1, 1, 300)]))  # 300 fp: wider than a byte
    assert first.values.typecode == "B" and second.values.typecode == "i"
    first.extend(second)
    assert first.values.typecode == "i" and first.cells == {TOTAL: 0, TYPE_A: 1}
    table = first.table()
    assert table.counts[:, 0].tolist() == [[1, 0, 0], [0, 300, 0]] and table.counts[:, 1].tolist() == [[0, 0, 0], [0, 300, 0]]


def test_count_parts_widen_columns_past_two_bytes_and_keep_empty_units():
    from scorers.bootstrap import CountParts

    cells = [("m", "doc", f"d{i:05d}") for i in range(30_000)]  # 90,000 columns: more than 2**16
    held = CountParts()
    held.append(_part([("a",), ("b",)], cells, [(1, 29_999, 0, 1)]))  # unit a has no entry
    assert held.columns.typecode == "i"
    table = held.table(sparse=True)
    assert table.counts.shape == (2, 90_000) and table.counts.toarray()[1].nonzero()[0].tolist() == [3 * 29_999]
    assert CountParts().table().counts.shape == (0, 0, 3)


def test_count_parts_equal_one_count_table_of_the_records(lexicon):
    from scorers.bootstrap import CountParts, count_table, unit_counts, unit_keys

    _, run = lexicon
    outcomes, documents = run.outcomes, sorted(run.gold.documents)
    held = CountParts()
    for doc_id in documents:
        records = [o for o in outcomes if o.doc_id == doc_id]
        held.append(unit_counts(records, *unit_keys(records, "doc", documents=[doc_id]), GROUPINGS))
    whole = count_table(outcomes, *unit_keys(outcomes, "doc", documents=documents), GROUPINGS)
    table = held.table()
    assert table.units == whole.units and table.cells == whole.cells and (table.counts == whole.counts).all()
