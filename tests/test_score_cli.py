"""`evbench score` end to end through `benchmark.cli.main`, on a synthetic corpus and on the real gold."""

from __future__ import annotations

import copy
import hashlib
import json
import random
from pathlib import Path

import pytest

from benchmark.cli import main
from scorers.registry import ALL_METRIC_NAMES, EVENT_COREF_METRICS, METRIC_NAMES

from conftest import make_corpus, span_json, write_json

D1 = "ووصل لافروف إلى وونسان. والتقى وزير الخارجية سيرغي لافروف نظيرته تشوي سون هوي في وونسان."
D2 = "وأعلنت الوزارة بيانا حول الزيارة. شارك المقال واشترك الآن"
CHROME_D2 = (D2.index("شارك"), len(D2))
VISIT, MEET, BROADCAST = "Movement.Transport-Person", "Contact.Meet", "Contact.Broadcast"


def argument(role: str, text: str, word: str, entity: str, occurrence: int = 0) -> dict:
    return {"role": role, **span_json(text, word, occurrence), "entity": entity}


def gold_documents() -> list[dict]:
    """d1: an arrival (2 arguments) and a meeting (3 arguments); d2: an announcement (1 argument)."""
    d1 = {
        "doc_id": "d1",
        "entities": [
            {"id": "lavrov", "type": "PER", "mentions": [span_json(D1, "لافروف"), span_json(D1, "سيرغي لافروف")]},
            {"id": "wonsan", "type": "GPE", "mentions": [span_json(D1, "وونسان"), span_json(D1, "وونسان", 1)]},
            {"id": "choe", "type": "PER", "mentions": [span_json(D1, "تشوي سون هوي")]},
        ],
        "events": [
            {"id": "e1", "type": VISIT, "realis": "actual", "trigger": span_json(D1, "ووصل"), "cluster": "arrival",
             "arguments": [argument("Person", D1, "لافروف", "lavrov"), argument("Destination", D1, "وونسان", "wonsan")]},
            {"id": "e2", "type": MEET, "realis": "actual", "trigger": span_json(D1, "والتقى"), "cluster": "talks",
             "arguments": [argument("Participant", D1, "سيرغي لافروف", "lavrov"), argument("Participant", D1, "تشوي سون هوي", "choe"),
                           argument("Place", D1, "وونسان", "wonsan", 1)]},
        ],
    }
    d2 = {
        "doc_id": "d2",
        "entities": [{"id": "ministry", "type": "ORG", "mentions": [span_json(D2, "الوزارة")]}],
        "events": [{"id": "e1", "type": BROADCAST, "realis": "actual", "trigger": span_json(D2, "وأعلنت"), "cluster": "statement",
                    "arguments": [argument("Entity", D2, "الوزارة", "ministry")]}],
    }
    return [d1, d2]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = make_corpus(tmp_path, {"d1": D1, "d2": D2}, chrome={"d2": CHROME_D2})
    for doc in gold_documents():
        write_json(root / "annotations" / f"{doc['doc_id']}.json", doc)
    return root


def submission(documents: list[dict], system: str = "test-system") -> dict:
    """Gold documents as a submission: same events, entities dropped, gold-only fields kept where allowed."""
    docs = []
    for doc in copy.deepcopy(documents):
        for event in doc["events"]:
            for arg in event["arguments"]:
                arg.pop("entity", None)
        docs.append({"doc_id": doc["doc_id"], "events": doc["events"]})
    return {"system": system, "documents": docs}


def run_score(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["score", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def score_json(capsys, *args: str) -> dict:
    code, out, err = run_score(capsys, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_perfect_submission_json_keys_and_values(tmp_path, corpus, capsys):
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()))
    result = score_json(capsys, pred, "--gold", corpus)
    assert list(result) == ["evbench_version", "settings", "system", "reference", "metrics", "macro", "breakdowns", "confusion",
                            "errors", "errors_by", "coref_notes", "ignored_in_chrome", "ignored_documents", "missing_documents"]
    assert result["missing_documents"] == []
    assert list(result["metrics"]) == list(ALL_METRIC_NAMES)  # registry order, event coreference last
    assert result["metrics"]["tri_c"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 3, "fp": 0, "fn": 0}
    assert result["metrics"]["arg_c"]["tp"] == 6
    assert result["settings"] == {"match": "exact", "match_rule": "exact (offsets equal)", "overlap_threshold": 0.5,
                                  "arg_match": "span", "protocol": "offsets"}
    assert result["system"] == "test-system"
    files = sorted((corpus / "annotations").glob("*.json"))
    expected = hashlib.sha256("".join(f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}\n" for p in files).encode()).hexdigest()
    assert result["reference"]["checksum"] == expected
    assert set(result["breakdowns"]) == {"type", "realis"}  # per-document breakdowns only when asked for
    assert set(result["errors_by"]) == {"type"}
    by_doc = score_json(capsys, pred, "--gold", corpus, "--by", "doc")
    assert set(by_doc["breakdowns"]) == {"type", "doc", "realis"} and set(by_doc["errors_by"]) == {"type", "doc"}
    assert list(by_doc["breakdowns"]["doc"]) == ["d1", "d2"]
    assert {k: v for k, v in by_doc.items() if k not in ("breakdowns", "errors_by")} == {k: v for k, v in result.items() if k not in ("breakdowns", "errors_by")}
    assert result["confusion"] == {BROADCAST: {BROADCAST: 1}, MEET: {MEET: 1}, VISIT: {VISIT: 1}}


def test_errors_by_hand(tmp_path, corpus, capsys):
    # The system misses the meeting (1 trigger + 3 arguments) and types the announcement as a
    # meeting (whose argument role then becomes Participant).
    docs = gold_documents()
    docs[0]["events"] = docs[0]["events"][:1]
    docs[1]["events"][0]["type"] = MEET
    docs[1]["events"][0]["arguments"][0]["role"] = "Participant"
    result = score_json(capsys, write_json(tmp_path / "pred.json", submission(docs)), "--gold", corpus)
    # tri_i: 2 tp (arrival, announcement span), 1 fn (meeting). P = 2/2, R = 2/3, F1 = 4/5.
    assert result["metrics"]["tri_i"] == {"precision": 1.0, "recall": pytest.approx(2 / 3), "f1": pytest.approx(0.8), "tp": 2, "fp": 0, "fn": 1}
    # tri_c: 1 tp, 1 fp (meeting), 2 fn (meeting, announcement). F1 = 2/(2+1+2) = 0.4.
    assert result["metrics"]["tri_c"]["f1"] == pytest.approx(0.4)
    # arg_i: arrival's 2 tp; the announcement's argument is under the wrong type: 1 fp, 1 fn; meeting's 3 fn.
    assert (result["metrics"]["arg_i"]["tp"], result["metrics"]["arg_i"]["fp"], result["metrics"]["arg_i"]["fn"]) == (2, 1, 4)
    # macro over types {Broadcast, Meet, Visit}: F1 0, 0, 1 -> 1/3.
    assert result["macro"]["f1"] == pytest.approx(1 / 3)
    assert result["confusion"] == {BROADCAST: {MEET: 1}, MEET: {"(missed)": 1}, VISIT: {VISIT: 1}}


def test_out_file_equals_json_output(tmp_path, corpus, capsys):
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()))
    out = tmp_path / "results.json"
    code, plain, _ = run_score(capsys, pred, "--gold", corpus, "--out", out)
    assert code == 0 and plain.startswith("system: test-system")
    code, as_json, _ = run_score(capsys, pred, "--gold", corpus, "--format", "json")
    assert out.read_text(encoding="utf-8") == as_json


def test_invalid_prediction_exits_2_and_writes_nothing(tmp_path, corpus, capsys):
    docs = gold_documents()
    docs[0]["events"][0]["type"] = "Movement.Teleport"
    pred = write_json(tmp_path / "pred.json", submission(docs))
    out = tmp_path / "results.json"
    code, stdout, stderr = run_score(capsys, pred, "--gold", corpus, "--out", out)
    assert code == 2
    assert "unknown event type 'Movement.Teleport'" in stderr and "fix:" in stderr
    assert not out.exists() and stdout == ""


def test_text_only_span_needs_text_mode(tmp_path, corpus, capsys):
    docs = gold_documents()
    docs[0]["events"][0]["trigger"] = {"text": "وصل"}  # only inside the word ووصل: cannot be located
    pred = write_json(tmp_path / "pred.json", submission(docs))
    code, _, stderr = run_score(capsys, pred, "--gold", corpus, "--out", tmp_path / "r.json")
    assert code == 2 and "--match text" in stderr and "occurs nowhere in the document as a whole word" in stderr
    assert not (tmp_path / "r.json").exists()
    result = score_json(capsys, pred, "--gold", corpus, "--match", "text")
    assert result["metrics"]["tri_c"]["tp"] == 3  # "وصل" ~ "ووصل"
    assert result["settings"]["protocol"] == "text"


def test_github_and_latex_render(tmp_path, corpus, capsys):
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()))
    code, github, _ = run_score(capsys, pred, "--gold", corpus, "--format", "github", "--match", "overlap", "--overlap-threshold", "0.7")
    assert code == 0
    assert "| metric" in github and "|:--" in github and "| tri_c       | 100.0 |" in github
    assert "matching: overlap (Dice >= 0.7)" in github and "arg-match: span" in github
    code, latex, _ = run_score(capsys, pred, "--gold", corpus, "--format", "latex", "--arg-match", "entity")
    assert code == 0
    assert "\\toprule" in latex and "\\bottomrule" in latex
    assert latex.startswith("% system: test-system") and "arg-match: entity" in latex
    assert "arg\\_i\\_entity" in latex


def test_breakdowns_and_explain_in_plain_output(tmp_path, corpus, capsys):
    docs = gold_documents()
    docs[0]["events"][1]["type"] = VISIT
    docs[0]["events"][1]["arguments"] = []
    pred = write_json(tmp_path / "pred.json", submission(docs))
    code, out, _ = run_score(capsys, pred, "--gold", corpus, "--by", "type", "--by", "doc", "--explain")
    assert code == 0
    assert "by type" in out and "by doc" in out and "type confusion" in out
    assert "FP" in out and "FN" in out
    assert "\u2068" in out and "\u2069" in out  # Arabic cells are bidi-isolated
    assert "[والتقى]" in out  # the error in its context


def test_explain_json_near_miss(tmp_path, corpus, capsys):
    docs = gold_documents()
    docs[0]["events"][1]["type"] = VISIT
    docs[0]["events"][1]["arguments"] = []
    result = score_json(capsys, write_json(tmp_path / "pred.json", submission(docs)), "--gold", corpus, "--explain")
    fp = [e for e in result["explain"] if e["metric"] == "tri_c" and e["kind"] == "fp"]
    assert len(fp) == 1
    assert fp[0]["near_miss"]["type"] == MEET and fp[0]["near_miss"]["differs"] == ["type"]
    assert fp[0]["context"] == "ووصل لافروف إلى وونسان. [والتقى] وزير الخارجية سيرغي لافروف"  # 4 words either side
    missed_args = [e for e in result["explain"] if e["metric"] == "arg_c" and e["kind"] == "fn"]
    assert len(missed_args) == 3


def test_chrome_predictions_are_dropped_and_counted(tmp_path, corpus, capsys):
    docs = gold_documents()
    docs[1]["events"].append({"id": "x", "type": MEET, "trigger": span_json(D2, "شارك"), "arguments": []})
    result = score_json(capsys, write_json(tmp_path / "pred.json", submission(docs)), "--gold", corpus)
    assert result["ignored_in_chrome"] == 1
    assert result["metrics"]["tri_i"]["fp"] == 0


def test_unannotated_documents_are_reported(tmp_path, corpus, capsys):
    (corpus / "annotations" / "d2.json").unlink()  # d2 not annotated yet
    result = score_json(capsys, write_json(tmp_path / "pred.json", submission(gold_documents())), "--gold", corpus)
    assert result["ignored_documents"] == ["d2"]
    assert result["metrics"]["tri_c"]["tp"] == 2 and result["metrics"]["tri_c"]["fp"] == 0


def test_reference_file_and_its_checksum(tmp_path, corpus, capsys):
    ref = write_json(tmp_path / "ref.json", submission(gold_documents(), system="other"))
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()))
    result = score_json(capsys, pred, "--gold", corpus, "--reference", ref)
    assert result["reference"]["source"] == "ref.json"  # its name, not where it was on this machine
    assert result["reference"]["checksum"] == hashlib.sha256(ref.read_bytes()).hexdigest()
    assert all(result["metrics"][m]["f1"] == 1.0 for m in METRIC_NAMES if not m.endswith("_entity"))


def test_shuffled_submission_gives_byte_identical_json(tmp_path, corpus, capsys):
    docs = gold_documents()
    docs[0]["events"][1]["type"] = VISIT  # some errors, so the records are not trivial
    docs[0]["events"][1]["arguments"] = []
    pred = submission(docs)
    rnd = random.Random(7)
    shuffled = copy.deepcopy(pred)
    rnd.shuffle(shuffled["documents"])
    for doc in shuffled["documents"]:
        rnd.shuffle(doc["events"])
        for event in doc["events"]:
            rnd.shuffle(event["arguments"])
    a = run_score(capsys, write_json(tmp_path / "a.json", pred), "--gold", corpus, "--format", "json", "--explain")
    b = run_score(capsys, write_json(tmp_path / "b.json", shuffled), "--gold", corpus, "--format", "json", "--explain")
    assert a[0] == b[0] == 0 and a[1] == b[1]


def test_gold_export_of_a_synthetic_corpus_scores_one(tmp_path, corpus, capsys):
    exported = tmp_path / "gold.json"
    assert main(["export", "--submission", "-o", str(exported), "--gold", str(corpus)]) == 0
    capsys.readouterr()
    result = score_json(capsys, exported, "--gold", corpus)
    assert all(result["metrics"][m]["f1"] == 1.0 for m in METRIC_NAMES)
    assert result["macro"]["f1"] == 1.0
    # This gold's clusters are all singletons, so MUC (no key links) is 0 by the reference
    # scorer's definition and CoNLL = (0 + 1 + 1) / 3; every other coreference metric is 1.
    for spec in EVENT_COREF_METRICS:
        expected = {"muc": 0.0, "conll": pytest.approx(2 / 3)}.get(spec.measure, 1.0)
        assert result["metrics"][spec.name]["f1"] == expected, spec.name


def test_bad_overlap_threshold_is_a_usage_error(tmp_path, corpus, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["score", "x.json", "--overlap-threshold", "1.5"])
    assert exit_info.value.code == 2


def test_missing_prediction_file_exits_2(tmp_path, corpus, capsys):
    code, _, stderr = run_score(capsys, tmp_path / "nope.json", "--gold", corpus)
    assert code == 2 and "file not found" in stderr


def test_real_gold_export_scores_one_on_every_metric(tmp_path, capsys):
    """Whatever gold exists at run time: its own export is perfect on every metric."""
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import check_gold

    gold, problems = check_gold(load_corpus())
    if gold is None:
        pytest.skip(f"the bundled gold does not validate yet ({len(problems)} problems)")
    exported = tmp_path / "gold.json"
    assert main(["export", "--submission", "-o", str(exported)]) == 0
    capsys.readouterr()
    result = score_json(capsys, exported)
    for name in METRIC_NAMES:
        counts = result["metrics"][name]
        assert counts["fp"] == counts["fn"] == 0, name
        assert counts["f1"] == (1.0 if counts["tp"] else 0.0), name
    # Event coreference: 1.0 for every score of every metric, within and across documents. (The
    # reference scorer would give MUC 0 for a key of singletons only; the gold has real clusters.)
    for spec in EVENT_COREF_METRICS:
        assert all(value == 1.0 for value in result["metrics"][spec.name].values()), (spec.name, result["metrics"][spec.name])
    assert result["coref_notes"] == []


# --- partial submissions ---------------------------------------------------------------------


def test_a_partial_submission_is_scored_on_every_document_with_a_warning(tmp_path, corpus, capsys):
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()[:1]))  # d1 only
    code, out, err = run_score(capsys, pred, "--gold", corpus, "--format", "json")
    assert code == 0
    assert ("evbench score: warning: the submission has no events for 1 of the reference's 2 documents (d2);"
            " they are scored as empty") in err
    result = json.loads(out)
    assert result["missing_documents"] == ["d2"] and "only_submitted" not in result["settings"]
    # d2's announcement is a false negative: tri_c tp 2 (d1), fn 1 (d2).
    assert (result["metrics"]["tri_c"]["tp"], result["metrics"]["tri_c"]["fn"]) == (2, 1)
    code, plain, _ = run_score(capsys, pred, "--gold", corpus)
    assert code == 0 and "1 reference documents not in the submission, scored as empty (d2)" in plain


def test_only_submitted_scores_only_the_submitted_documents_and_says_so(tmp_path, corpus, capsys):
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()[:1]))
    code, out, err = run_score(capsys, pred, "--gold", corpus, "--format", "json", "--only-submitted", "--by", "doc")
    assert code == 0 and "warning" not in err
    assert "--only-submitted: scoring the 1 of the reference's 2 documents the submission contains; left out: d2" in err
    result = json.loads(out)
    assert result["settings"]["only_submitted"] is True and result["missing_documents"] == ["d2"]
    assert all(result["metrics"][m]["f1"] == 1.0 for m in METRIC_NAMES if not m.endswith("_entity"))
    assert list(result["breakdowns"]["doc"]) == ["d1"]
    code, plain, _ = run_score(capsys, pred, "--gold", corpus, "--only-submitted")
    assert code == 0 and "not scored (--only-submitted) (d2)" in plain


def test_a_complete_submission_gets_no_coverage_message(tmp_path, corpus, capsys):
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()))
    for extra in ((), ("--only-submitted",)):
        code, out, err = run_score(capsys, pred, "--gold", corpus, "--format", "json", *extra)
        assert code == 0 and err == "" and json.loads(out)["missing_documents"] == []


def test_a_document_listed_with_no_events_is_not_missing(tmp_path, corpus, capsys):
    docs = gold_documents()
    docs[1]["events"] = []  # the system found nothing in d2, and says so
    code, out, err = run_score(capsys, write_json(tmp_path / "pred.json", submission(docs)), "--gold", corpus, "--format", "json")
    assert code == 0 and "warning" not in err and json.loads(out)["missing_documents"] == []


def test_only_submitted_with_several_modes(tmp_path, corpus, capsys):
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()[:1]))
    code, out, err = run_score(capsys, pred, "--gold", corpus, "--format", "json", "--match", "exact,text", "--only-submitted")
    assert code == 0 and err.count("--only-submitted: scoring the 1") == 1
    for mode in ("exact", "text"):
        block = json.loads(out)["results"][mode]
        assert block["settings"]["only_submitted"] is True and block["metrics"]["tri_c"]["f1"] == 1.0


def test_only_submitted_with_no_document_in_common_exits_2(tmp_path, corpus, capsys):
    (corpus / "annotations" / "d2.json").unlink()  # the reference has d1 only
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()[1:]))  # the submission has d2 only
    code, out, err = run_score(capsys, pred, "--gold", corpus, "--only-submitted")
    assert code == 2 and out == ""
    assert err.startswith(f"{pred}:$.documents: error: --only-submitted: the submission contains none of the reference's 1 documents")
    assert "(fix: " in err and "Traceback" not in err


# --- consistency and identity ----------------------------------------------------------------


def test_coreference_table_columns_are_precision_recall_f1_like_the_event_table(tmp_path, corpus, capsys):
    code, out, _ = run_score(capsys, write_json(tmp_path / "pred.json", submission(gold_documents())), "--gold", corpus)
    assert code == 0
    event_header = next(line for line in out.splitlines() if line.startswith("metric ") and " tp " in line)
    coref_header = next(line for line in out.splitlines() if line.startswith("metric ") and "within" in line)
    assert event_header.split()[1:4] == ["P", "R", "F1"]
    assert coref_header.split()[1:7] == ["within", "P", "within", "R", "within", "F1"]
    assert coref_header.split()[7:13] == ["cross", "P", "cross", "R", "cross", "F1"]


def test_explain_rows_of_missed_arguments_name_their_event(tmp_path, corpus, capsys):
    docs = gold_documents()
    docs[0]["events"][1]["arguments"] = []  # the meeting e2 keeps its trigger, loses its 3 arguments
    pred = write_json(tmp_path / "pred.json", submission(docs))
    code, out, _ = run_score(capsys, pred, "--gold", corpus, "--explain", "--format", "github")
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("| metric") and "near miss" in line)
    columns = [c.strip() for c in header.strip("|").split("|")]
    assert columns[:5] == ["metric", "error", "doc", "event", "span"]
    missed = [[c.strip() for c in line.strip("|").split("|")] for line in out.splitlines()
              if line.startswith("| arg_c") and "| FN " in line]
    assert len(missed) == 3
    trigger = span_json(D1, "والتقى")
    assert all(row[3].strip("\u2068\u2069") == f"e2 والتقى [{trigger['start']},{trigger['end']})" for row in missed), missed
    entry = next(e for e in score_json(capsys, pred, "--gold", corpus, "--explain")["explain"] if e["metric"] == "arg_c")
    assert entry["event"] == "e2" and entry["event_trigger"] == trigger


def test_reference_source_names_the_gold_release_not_a_path(tmp_path, corpus, capsys):
    pred = write_json(tmp_path / "pred.json", submission(gold_documents()))
    code, out, _ = run_score(capsys, pred, "--gold", corpus, "--format", "json")
    assert code == 0 and json.loads(out)["reference"]["source"] == "synthetic-gold test"  # manifest name and version
    assert str(tmp_path) not in out


def test_bundled_gold_result_names_no_install_path(tmp_path, capsys):
    from benchmark.input.corpus import default_gold_dir

    lexicon = Path(__file__).resolve().parents[1] / "submissions" / "lexicon.json"
    out_file = tmp_path / "results.json"
    code, out, _ = run_score(capsys, lexicon, "--out", out_file, "--explain", "--ci", "0.9", "--resamples", "20")
    assert code == 0
    assert out.splitlines()[0].startswith("system: lexicon | reference: evbench-gold 1.1 (sha256 ")
    result = json.loads(out_file.read_text(encoding="utf-8"))
    manifest = json.loads((default_gold_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert result["reference"]["source"] == f"evbench-gold {manifest['version']}" == "evbench-gold 1.1"
    assert result["reference"]["version"] == manifest["version"] == "1.1"
    text = out_file.read_text(encoding="utf-8")
    assert str(default_gold_dir()) not in text and str(Path(__file__).resolve().parents[1]) not in text


def test_overlap_threshold_one_is_accepted_and_means_identical_spans(tmp_path, corpus, capsys):
    docs = gold_documents()
    start = docs[0]["events"][0]["trigger"]["start"]
    docs[0]["events"][0]["trigger"] = {"start": start + 1, "end": start + 4, "text": D1[start + 1:start + 4]}  # "وصل" in "ووصل": Dice 6/7
    pred = write_json(tmp_path / "pred.json", submission(docs))
    strict = score_json(capsys, pred, "--gold", corpus, "--match", "overlap", "--overlap-threshold", "1.0")
    assert strict["settings"]["overlap_threshold"] == 1.0
    assert (strict["metrics"]["tri_i"]["tp"], strict["metrics"]["tri_i"]["fp"], strict["metrics"]["tri_i"]["fn"]) == (2, 1, 1)
    loose = score_json(capsys, pred, "--gold", corpus, "--match", "overlap", "--overlap-threshold", "0.8")
    assert (loose["metrics"]["tri_i"]["tp"], loose["metrics"]["tri_i"]["fp"], loose["metrics"]["tri_i"]["fn"]) == (3, 0, 0)
