"""Gaming and abuse: submissions built to exploit the scorer, and inputs built to exhaust it.

* Predicting every word of every scored segment as every event type (realis actual) finds
  most gold triggers, but alignment is one-to-one: no metric counts more true positives than
  there are reference items, so precision collapses to at most (reference items / predictions)
  and recall never exceeds the true count. Duplicating the flood changes no true positive;
  flooding chrome changes nothing at all (it is ignored and counted).
* Limits: JSONL is read line by line (memory bounded by the longest line, not the file), and
  `evbench score --max-bytes` limits submission files as `evbench validate --max-bytes` does.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest

from benchmark.input.corpus import Corpus, load_corpus
from benchmark.input.problems import InputError
from benchmark.input.reading import iter_jsonl
from benchmark.input.submission import annotation_to_submission, check_submission, load_gold
from benchmark.scoring import ScoreRun, ScoreSettings, result_dict, score_annotations
from scorers.matching import OFFLINE_MATCH_MODES
from scorers.model import Annotation, DocumentAnnotation, EventMention, Span
from scorers.registry import METRICS

import strategies as S
from conftest import make_corpus, span_json, write_json

WORD = re.compile(r"\S+")


def every_word_as_every_type(corpus: Corpus, doc_ids, types=None, *, copies: int = 1, chrome: bool = False) -> Annotation:
    """Each whole word of each scored segment (and of chrome, if asked) as each type, `copies` times."""
    types = sorted(corpus.ontology.types) if types is None else types
    documents = {}
    for doc_id in doc_ids:
        doc = corpus.documents[doc_id]
        events = []
        for segment in doc.segments:
            if not (segment.scored or chrome):
                continue
            for match in WORD.finditer(doc.text, segment.start, segment.end):
                span = Span(match.start(), match.end(), match.group())
                events += [EventMention(doc_id, f"w{span.start}-{t}-{k}", t, span, "actual") for t in types for k in range(copies)]
        documents[doc_id] = DocumentAnnotation(doc_id, tuple(events))
    return Annotation(documents, system="every-word")


def items(annotation: Annotation, family: str) -> int:
    events = annotation.events()
    return sum(len(e.arguments) for e in events) if family == "argument" else len(events)


def score(prediction: Annotation, reference: Annotation, corpus: Corpus, mode: str) -> tuple[ScoreRun, dict]:
    run = score_annotations(prediction, reference, corpus, ScoreSettings(match=mode), system="every-word",
                            reference={"source": "test"}, pred_label="prediction", ref_label="reference")
    return run, result_dict(run)


def assert_no_credit_beyond_the_reference(run: ScoreRun, result: dict) -> None:
    """One-to-one: tp <= reference items for every metric; so precision <= reference items / predictions."""
    scored = Annotation({d: doc for d, doc in run.prediction.documents.items() if d in run.gold.documents})
    for spec in METRICS:
        counts, refs, preds = result["metrics"][spec.name], items(run.gold, spec.family), items(scored, spec.family)
        assert counts["tp"] + counts["fn"] == refs, spec.name
        assert counts["tp"] + counts["fp"] == preds, spec.name
        assert counts["tp"] <= refs and counts["recall"] <= 1.0, spec.name
        if preds:
            assert counts["precision"] <= refs / preds, spec.name


# --- on the bundled gold -------------------------------------------------------------------------

SUBSET = "003_2b11dcb59984afc5"  # one whole article (no chrome), about 370 words


@pytest.fixture(scope="module")
def bundled() -> tuple[Corpus, Annotation]:
    return S.corpus(), S.gold()


def check_bundled(corpus: Corpus, gold: Annotation, doc_ids, types, mode: str) -> dict:
    reference = Annotation({d: gold.documents[d] for d in doc_ids if d in gold.documents})
    flood = every_word_as_every_type(corpus, doc_ids, types)
    run, result = score(flood, reference, corpus, mode)
    assert_no_credit_beyond_the_reference(run, result)
    tri_c, gold_events = result["metrics"]["tri_c"], len(reference.events())
    assert tri_c["tp"] > 0, "the flood should find some gold triggers, or the test proves nothing"
    assert tri_c["precision"] <= gold_events / len(flood.events()) < 0.05
    assert tri_c["f1"] < 0.1
    assert result["metrics"]["arg_c"]["tp"] == 0
    return result


def test_every_word_as_every_type_on_the_whole_gold_exact(bundled):
    """~3000 words x 19 types (about 52k predictions) against all the gold, exact offsets."""
    corpus, gold = bundled
    result = check_bundled(corpus, gold, sorted(corpus.documents), sorted(corpus.ontology.types), "exact")
    assert result["metrics"]["tri_i"]["precision"] < 0.01


@pytest.mark.parametrize("mode", ["overlap", "arabic"])
def test_every_word_as_every_type_on_one_gold_document(mode, bundled):
    corpus, gold = bundled
    check_bundled(corpus, gold, [SUBSET], sorted(corpus.ontology.types), mode)


def test_every_word_as_every_gold_type_in_text_mode(bundled):
    """The offset-free protocol lets a word match the same word anywhere: still one-to-one."""
    corpus, gold = bundled
    types = sorted({e.type for e in gold.documents[SUBSET].events})  # the other types cannot match; text mode is slow
    check_bundled(corpus, gold, [SUBSET], types, "text")


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["overlap", "arabic", "text"])
def test_every_word_as_every_type_on_the_whole_gold(mode, bundled):
    """~3000 words x 19 types (about 52k predictions) against all the gold, in the other modes."""
    corpus, gold = bundled
    result = check_bundled(corpus, gold, sorted(corpus.documents), sorted(corpus.ontology.types), mode)
    assert result["metrics"]["tri_i"]["recall"] > 0.9  # the flood finds nearly every trigger ...
    assert result["metrics"]["tri_i"]["precision"] < 0.01  # ... and pays for it


# --- on a synthetic corpus, with hand-computed counts --------------------------------------------

ARTICLE = "ووصل لافروف إلى وونسان. وقدمت روسيا القوات. زيارة رسمية هامة."
CHROME = "شارك المقال"
TEXT = ARTICLE + " " + CHROME
VISIT, ARTIFACT, OWNERSHIP = "Movement.Transport-Person", "Movement.Transport-Artifact", "Transaction.Transfer-Ownership"
WORDS = len(ARTICLE.split())  # 10 words in the scored segment


def gold_event(id_: str, type_: str, word: str, realis: str, arguments=()) -> dict:
    return {"id": id_, "type": type_, "realis": realis, "trigger": span_json(TEXT, word), "arguments": list(arguments), "cluster": id_}


@pytest.fixture
def synthetic(tmp_path) -> Path:
    """Four gold events: a one-word visit, two events on one word (وقدمت), a two-word visit."""
    root = make_corpus(tmp_path, {"d1": TEXT}, chrome={"d1": (len(ARTICLE) + 1, len(TEXT))})
    gold = {
        "doc_id": "d1",
        "entities": [{"id": "lavrov", "type": "PER", "mentions": [span_json(TEXT, "لافروف")]},
                     {"id": "wonsan", "type": "GPE", "mentions": [span_json(TEXT, "وونسان")]}],
        "events": [
            gold_event("e1", VISIT, "ووصل", "actual", [{"role": "Person", **span_json(TEXT, "لافروف"), "entity": "lavrov"},
                                                       {"role": "Destination", **span_json(TEXT, "وونسان"), "entity": "wonsan"}]),
            gold_event("e2", ARTIFACT, "وقدمت", "actual"),
            gold_event("e3", OWNERSHIP, "وقدمت", "other"),
            gold_event("e4", VISIT, "زيارة رسمية", "actual"),
        ],
    }
    write_json(root / "annotations" / "d1.json", gold)
    return root


# Hand-computed true positives. exact / arabic / text: the one-word triggers match (e1, e2, e3;
# the two-word e4 matches no single word, and its texts differ in token count); overlap: each
# word of e4 has Dice 2*5/(5+11) = 0.625 >= 0.5 with it, so e4 matches too. realis: every
# prediction says actual, so e3 (other) is never matched. relaxed: the word زيارة is the head word
# of e4's two-word trigger, so e4 matches too (as under overlap).
TRIGGER_TP = {"exact": 3, "overlap": 4, "arabic": 3, "text": 3, "relaxed": 4}
REALIS_TP = {"exact": 2, "overlap": 3, "arabic": 2, "text": 2, "relaxed": 3}


@pytest.mark.parametrize("mode", OFFLINE_MATCH_MODES)
@pytest.mark.parametrize("copies", [1, 3])
def test_every_word_as_every_type_by_hand(mode, copies, synthetic):
    corpus = load_corpus(synthetic)
    gold = load_gold(corpus)
    flood = every_word_as_every_type(corpus, ["d1"], copies=copies)
    predictions = WORDS * len(corpus.ontology.types) * copies
    assert len(flood.events()) == predictions
    run, result = score(flood, gold, corpus, mode)
    assert_no_credit_beyond_the_reference(run, result)
    metrics = result["metrics"]
    for name in ("tri_i", "tri_c"):
        assert (metrics[name]["tp"], metrics[name]["fp"], metrics[name]["fn"]) == (TRIGGER_TP[mode], predictions - TRIGGER_TP[mode], 4 - TRIGGER_TP[mode])
    for name in ("realis", "type_realis"):
        assert (metrics[name]["tp"], metrics[name]["fn"]) == (REALIS_TP[mode], 4 - REALIS_TP[mode])
    for spec in METRICS:
        if spec.family == "argument":
            assert (metrics[spec.name]["tp"], metrics[spec.name]["fp"], metrics[spec.name]["fn"]) == (0, 0, 2), spec.name
    assert metrics["tri_c"]["precision"] == pytest.approx(TRIGGER_TP[mode] / predictions)


def test_flooding_chrome_changes_nothing_through_the_cli(synthetic, tmp_path):
    """The flood as a file, chrome words included: the chrome predictions are ignored and counted."""
    corpus = load_corpus(synthetic)
    flood = every_word_as_every_type(corpus, ["d1"], chrome=True)
    path = tmp_path / "flood.json"
    path.write_text(json.dumps(annotation_to_submission(flood), ensure_ascii=False), encoding="utf-8")
    code, out, err = S.run_cli("score", str(path), "--gold", str(synthetic), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    chrome_words, types = len(CHROME.split()), len(corpus.ontology.types)
    assert result["ignored_in_chrome"] == chrome_words * types
    assert (result["metrics"]["tri_c"]["tp"], result["metrics"]["tri_c"]["fp"]) == (3, WORDS * types - 3)


# --- limits: size and memory ---------------------------------------------------------------------

MB = 1024 * 1024
D0 = "000_4d407a0bed6a0682"


def padded_line(doc_id: str, size: int) -> bytes:
    """A valid document line without events, `size` bytes long with its newline (a long system name)."""
    line = json.dumps({"doc_id": doc_id, "system": "", "events": []}).encode() + b"\n"
    return line.replace(b'"system": ""', b'"system": "' + b"x" * (size - len(line)) + b'"')


def peak_memory(function) -> tuple[object, int]:
    """(result, peak bytes allocated by Python while it ran)."""
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_iter_jsonl_reads_lazily(tmp_path):
    """A line is yielded before the next one is read: a broken line 2 does not stop line 1."""
    path = tmp_path / "lazy.jsonl"
    path.write_bytes(padded_line(D0, 100) + b"{broken\n")
    lines = iter_jsonl(path, 10 * MB)
    assert next(lines) == (1, json.loads(padded_line(D0, 100)))
    with pytest.raises(InputError) as raised:
        next(lines)
    assert "line 2 column 2" in str(raised.value)


def test_jsonl_reading_keeps_memory_bounded(tmp_path):
    """30 MB of document lines are parsed with a peak far below the file size."""
    path = tmp_path / "big.jsonl"
    line = padded_line(D0, 4096)
    with path.open("wb") as handle:
        for _ in range(30 * MB // len(line)):
            handle.write(line)
    size = path.stat().st_size
    assert size >= 29 * MB
    count, peak = peak_memory(lambda: sum(1 for _ in iter_jsonl(path, 64 * MB)))
    assert count == size // len(line)
    assert peak < 1 * MB, f"peak {peak:,} bytes reading a {size:,}-byte file"


def test_a_large_valid_jsonl_submission_loads_in_bounded_memory(tmp_path):
    """One line per document, then 30 MB of blank padding lines: valid, and never held in memory."""
    path = tmp_path / "padded.jsonl"
    blank = b" " * 4095 + b"\n"
    with path.open("wb") as handle:
        for doc_id in S.doc_ids():
            handle.write(padded_line(doc_id, 4096))
        for _ in range(30 * MB // len(blank)):
            handle.write(blank)
    small = tmp_path / "small.jsonl"
    small.write_bytes(padded_line(D0, 4096))
    assert check_submission(small, S.corpus())[0] is not None  # one-time costs (corpus, schema validator) first
    (annotation, problems), peak = peak_memory(lambda: check_submission(path, S.corpus(), max_bytes=64 * MB))
    assert annotation is not None, problems
    assert sorted(annotation.documents) == S.doc_ids()
    assert peak < 1 * MB, f"peak {peak:,} bytes loading a {path.stat().st_size:,}-byte file"


def test_score_max_bytes_limits_the_submission(tmp_path):
    pred = tmp_path / "pred.jsonl"
    pred.write_bytes(padded_line(D0, 200))
    code, out, err = S.run_cli("score", str(pred), "--max-bytes", "100", "--out", str(tmp_path / "r.json"))
    assert code == 2 and out == "" and not (tmp_path / "r.json").exists()
    assert err == f"{pred}: error: file is 200 bytes, over the limit of 100 bytes (fix: split the submission, or raise the limit with --max-bytes or EVBENCH_MAX_BYTES)\n"


def test_score_max_bytes_limits_the_reference_file_too(tmp_path):
    pred, ref = tmp_path / "pred.jsonl", tmp_path / "ref.jsonl"
    pred.write_bytes(padded_line(D0, 100))
    ref.write_bytes(padded_line(D0, 5000))
    code, _, err = S.run_cli("score", str(pred), "--reference", str(ref), "--max-bytes", "1000")
    assert code == 2 and err.startswith(f"{ref}: error: file is 5,000 bytes, over the limit of 1,000 bytes")
    code, out, err = S.run_cli("score", str(pred), "--reference", str(ref), "--max-bytes", "10000", "--format", "json")
    assert code == 0, err


def test_score_max_bytes_overrides_the_environment(tmp_path, monkeypatch):
    pred, ref = tmp_path / "pred.jsonl", tmp_path / "ref.jsonl"
    pred.write_bytes(padded_line(D0, 200))
    ref.write_bytes(padded_line(D0, 200))
    monkeypatch.setenv("EVBENCH_MAX_BYTES", "100")
    code, _, err = S.run_cli("score", str(pred), "--reference", str(ref))
    assert code == 2 and "over the limit of 100 bytes" in err
    code, _, err = S.run_cli("score", str(pred), "--reference", str(ref), "--max-bytes", "1000")
    assert code == 0, err


def test_in_process_score_leaves_the_garbage_collector_on(tmp_path):
    """`benchmark.cli.main` is also an API (tests, notebooks): it must not leave the GC switched off."""
    import gc

    from benchmark.cli import main

    pred = tmp_path / "pred.jsonl"
    pred.write_bytes(padded_line(D0, 100))
    assert gc.isenabled()
    try:
        main(["score", str(pred), "--format", "json", "--out", str(tmp_path / "r.json")])
        assert gc.isenabled(), "evbench score left the cyclic garbage collector disabled"
    finally:
        gc.enable()


@pytest.mark.parametrize("value", ["0", "-5", "1e6", "many"])
def test_score_max_bytes_must_be_a_positive_number(value):
    code, _, err = S.run_cli("score", "x.json", "--max-bytes", value)
    assert code == 2 and "expected a positive number of bytes" in err
