"""The streaming path (`benchmark.streaming`) gives the whole-file path's result, byte for byte.

Also its parts: the join by doc_id (`benchmark.input.join`), the coreference accumulator
(`scorers.event_coref.CorefAccumulator`), the lazy corpus, and the cases where it hands over to
the whole-file path (modes that read the whole reference, any bad input).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.cli import main
from benchmark.coverage import add_coverage, score_file
from benchmark.input.corpus import LazyDocuments, load_corpus
from benchmark.input.join import Unmatched, join_by_doc_id
from benchmark.input.problems import InputError
from benchmark.input.submission import load_gold, load_submission
from benchmark.scoring import ScoreSettings, result_dict
from benchmark.streaming import score_stream
from scorers.event_coref import CorefAccumulator, score_event_coref
from scorers.matching import make_matcher
from scorers.model import DocumentAnnotation

import strategies as S

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = [ROOT / "submissions" / "lexicon.json", ROOT / "gold" / "agreement" / "second-annotation.json"]
STREAMED_MODES = ("exact", "overlap", "arabic", "text")


def _json(run_and_more) -> str:
    run, missing, _ = run_and_more
    return json.dumps(add_coverage(result_dict(run), missing), ensure_ascii=False)


def _both(pred: Path, corpus, mode: str, *, by_doc: bool, reference: Path | None = None) -> tuple[str | None, str]:
    settings = ScoreSettings(match=mode)
    streamed = score_stream(pred, reference, corpus, settings, by_doc=by_doc)
    whole = score_file(pred, reference, corpus, settings, by_doc=by_doc)
    return (None if streamed is None else _json(streamed)), _json(whole)


@pytest.mark.parametrize("pred", SUBMISSIONS, ids=lambda p: p.stem)
@pytest.mark.parametrize("mode", STREAMED_MODES)
@pytest.mark.parametrize("by_doc", [False, True])
def test_bundled_submissions_stream_to_the_same_bytes(pred, mode, by_doc):
    corpus = load_corpus()
    streamed, whole = _both(pred, corpus, mode, by_doc=by_doc)
    assert streamed is not None and streamed == whole


@pytest.mark.parametrize("unit", ["doc", "sentence"])
@pytest.mark.parametrize("by_doc", [False, True])
def test_intervals_stream_to_the_same_bytes(unit, by_doc):
    """--ci keeps each document's unit counts while streaming: the intervals equal the whole-file path's."""
    from benchmark.interval_options import IntervalSettings
    from benchmark.intervals import add_intervals

    corpus, settings = load_corpus(), ScoreSettings()
    intervals = IntervalSettings(resamples=200, seed=3, unit=unit)
    results = []
    for streamed in (True, False):
        scored = (score_stream(SUBMISSIONS[0], None, corpus, settings, by_doc=by_doc, unit=unit) if streamed
                  else score_file(SUBMISSIONS[0], None, corpus, settings, by_doc=by_doc, unit=unit))
        assert scored is not None and scored[0].streamed is streamed
        results.append(json.dumps(add_intervals(add_coverage(result_dict(scored[0]), scored[1]), scored[0], corpus, intervals), ensure_ascii=False))
    assert results[0] == results[1]
    assert '"ci": [' in results[0]


def test_per_document_breakdowns_only_when_asked_for():
    corpus = load_corpus()
    run, _, _ = score_stream(SUBMISSIONS[0], None, corpus, ScoreSettings())
    assert set(result_dict(run)["breakdowns"]) == {"type", "realis"}
    run, _, _ = score_stream(SUBMISSIONS[0], None, corpus, ScoreSettings(), by_doc=True)
    assert sorted(result_dict(run)["breakdowns"]["doc"]) == sorted(corpus.documents)


def test_reversed_jsonl_and_reference_file_stream_to_the_same_bytes(tmp_path):
    corpus = load_corpus()
    data = json.loads(SUBMISSIONS[0].read_text(encoding="utf-8"))
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in reversed(data["documents"])), encoding="utf-8")
    streamed, whole = _both(pred, corpus, "exact", by_doc=True, reference=SUBMISSIONS[1])
    assert streamed is not None and streamed == whole
    # The reference in its own order gives the same numbers as the submission reversed against it.
    again, _ = _both(SUBMISSIONS[0], corpus, "exact", by_doc=True, reference=SUBMISSIONS[1])
    assert json.loads(again)["metrics"] == json.loads(streamed)["metrics"]


def test_a_partial_submission_names_the_missing_documents_and_extra_ones_are_ignored(tmp_path):
    corpus = load_corpus()
    data = json.loads(SUBMISSIONS[0].read_text(encoding="utf-8"))
    first, rest = data["documents"][:1], data["documents"][1:]
    ref = tmp_path / "ref.json"
    ref.write_text(json.dumps({"documents": rest}, ensure_ascii=False), encoding="utf-8")
    streamed, whole = _both(SUBMISSIONS[0], corpus, "exact", by_doc=True, reference=ref)  # the submission has one document more
    assert streamed == whole and json.loads(streamed)["ignored_documents"] == [first[0]["doc_id"]]
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps({"documents": first}, ensure_ascii=False), encoding="utf-8")
    streamed, whole = _both(pred, corpus, "exact", by_doc=False)
    assert streamed == whole
    assert json.loads(streamed)["missing_documents"] == sorted(d["doc_id"] for d in rest)


@pytest.mark.parametrize("mode", ["relaxed", "judge"])
def test_modes_that_read_the_whole_reference_hand_over(mode):
    assert score_stream(SUBMISSIONS[0], None, load_corpus(), ScoreSettings(match=mode)) is None


@pytest.mark.parametrize("content", [
    b'{"documents": [{"doc_id": "nope", "events": []}]}',  # not in the corpus
    b'{"documents": [], "extra": 1}',  # a top-level key the schema refuses
    b'[{"doc_id": "x"}]',  # top level not an object
    b'{"documents": [{"doc_id": "a", "doc_id": "b", "events": []}]}',  # a duplicate key
    b'{"documents": [{"doc_id": "a", "events": [{"id": "\\ud800"}]}]}',  # a lone surrogate escape
    b'{"documents": [' + b"1" * 5000 + b"]}",  # a number the incremental parser cannot hold
    b'{"documents": [{"doc_id": "a"',  # truncated
])
def test_bad_input_hands_over_to_the_whole_file_path(tmp_path, content):
    pred = tmp_path / "pred.json"
    pred.write_bytes(content)
    corpus = load_corpus()
    assert score_stream(pred, None, corpus, ScoreSettings()) is None
    with pytest.raises(InputError):
        load_submission(pred, corpus)


def test_the_cli_reports_bad_input_with_the_whole_file_paths_message(tmp_path, capsys):
    pred = tmp_path / "pred.json"
    pred.write_bytes(b'{"documents": [{"doc_id": "a", "doc_id": "b", "events": []}]}')
    assert main(["score", str(pred)]) == 2
    err = capsys.readouterr().err
    assert "key 'doc_id' occurs more than once" in err and "Traceback" not in err


def _docs(*ids: str) -> list[DocumentAnnotation]:
    return [DocumentAnnotation(d) for d in ids]


@pytest.mark.parametrize(("ref", "pred", "pairs", "missing", "extra"), [
    ("abc", "abc", [("a", "a"), ("b", "b"), ("c", "c")], [], []),
    ("abc", "cba", [("b", "b"), ("c", "c"), ("a", "a")], [], []),
    ("abc", "ac", [("a", "a"), ("c", "c"), (None, "b")], ["b"], []),
    ("ac", "abc", [("a", "a"), ("c", "c")], [], ["b"]),
    ("", "ab", [], [], ["a", "b"]),
    ("ab", "", [(None, "a"), (None, "b")], ["a", "b"], []),
])
def test_join_pairs_every_reference_document_once(ref, pred, pairs, missing, extra):
    unmatched = Unmatched()
    found = [(p.doc_id if p else None, r.doc_id) for p, r in join_by_doc_id(iter(_docs(*ref)), iter(_docs(*pred)), unmatched)]
    assert found == pairs
    assert unmatched.missing == missing and [d.doc_id for d in unmatched.extra] == extra


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations("abcdefgh"), st.permutations("abcdefgh"), st.sets(st.sampled_from("abcdefgh")), st.sets(st.sampled_from("abcdefgh")))
def test_join_is_a_join_for_any_orders(ref_order, pred_order, ref_drop, pred_drop):
    refs = [d for d in ref_order if d not in ref_drop]
    preds = [d for d in pred_order if d not in pred_drop]
    unmatched = Unmatched()
    pairs = list(join_by_doc_id(iter(_docs(*refs)), iter(_docs(*preds)), unmatched))
    assert sorted(r.doc_id for _, r in pairs) == sorted(refs)
    assert all(p is None or p.doc_id == r.doc_id for p, r in pairs)
    assert {r.doc_id for p, r in pairs if p is not None} == set(refs) & set(preds)
    assert unmatched.missing == sorted(set(refs) - set(preds))
    assert [d.doc_id for d in unmatched.extra] == sorted(set(preds) - set(refs))


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(S.submissions(max_docs=4), st.sampled_from(STREAMED_MODES))
def test_coref_accumulated_document_by_document_equals_the_whole(data, mode):
    """Property: adding documents one by one gives score_event_coref's numbers (any submission, any mode)."""
    from benchmark.input.validation import build_annotation

    corpus = load_corpus()
    pred, problems = build_annotation([("", d) for d in data["documents"]], corpus, "generated")
    assert pred is not None, problems
    gold = load_gold(corpus)
    matcher = make_matcher(mode)
    accumulator = CorefAccumulator()
    for doc_id in sorted(gold.documents):
        accumulator.add_document(pred.documents.get(doc_id, DocumentAnnotation(doc_id)), gold.documents[doc_id], matcher)
    assert accumulator.scores() == score_event_coref(pred, gold, matcher)


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(S.valid_files(), st.sampled_from(STREAMED_MODES))
def test_any_valid_file_streams_to_the_whole_file_result(tmp_path_factory, file, mode):
    """Property: whenever the stream scores a valid file, its result is the whole-file path's, byte for byte."""
    path = tmp_path_factory.mktemp("stream") / f"pred{file.suffix}"
    path.write_bytes(file.content)
    streamed, whole = _both(path, load_corpus(), mode, by_doc=True)
    assert streamed is None or streamed == whole
    if (file.suffix == ".json" or mode == "text") and not re.search(rb"\\u[dD][89a-fA-F]", file.content):
        assert streamed is not None  # offsets are given or not needed, and no escape the parser mishandles


def test_lazy_corpus_reads_texts_on_demand_and_keeps_a_few(tmp_path, monkeypatch):
    eager, lazy = load_corpus(), load_corpus(lazy=True)
    assert isinstance(lazy.documents, LazyDocuments) and sorted(lazy.documents) == sorted(eager.documents)
    monkeypatch.setattr(LazyDocuments, "KEEP", 2)
    for doc_id in sorted(eager.documents):
        assert lazy.documents[doc_id] == eager.documents[doc_id]
    assert len(lazy.documents._recent) == 2
    assert lazy.checksum() == eager.checksum()


def test_lazy_corpus_reports_a_changed_text_when_it_is_read(tmp_path):
    import shutil

    root = tmp_path / "gold"
    shutil.copytree(load_corpus().root, root, ignore=shutil.ignore_patterns("__pycache__"))
    victim = sorted((root / "documents").glob("*.txt"))[0]
    victim.write_bytes(victim.read_bytes() + b" ")
    corpus = load_corpus(root, lazy=True)  # texts are not read yet
    with pytest.raises(InputError) as caught:
        corpus.documents[victim.stem]
    assert "does not match the sha256" in str(caught.value)
    with pytest.raises(InputError) as eager:
        load_corpus(root)
    assert [p.message for p in caught.value.problems] == [p.message for p in eager.value.problems]
