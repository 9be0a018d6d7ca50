"""evbench as an lm-evaluation-harness task (`benchmark.integrations`) and `evbench import-lm-eval`.

The first part needs no lm-eval: units, answer reading, the micro aggregation and the importer,
with hand-computed numbers. The second runs the real ``lm_eval --model local-chat-completions``
CLI against tests/chat_server.py on 127.0.0.1 (three runs in parallel: gold answers, broken
JSON, a partial answer), then imports its logged samples and scores them with evbench.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.cli import main
from benchmark.commands.lm_eval_path import TASK_DIR
from benchmark.extractors.llm import LLMExtractor, build_passage_prompt, build_user_prompt
from benchmark.input.submission import load_gold, load_submission
from benchmark.integrations import lm_eval_task
from benchmark.integrations.lm_eval_task import (
    aggregation,
    bundled_corpus,
    metric_names,
    process_results,
    read_unit,
    score_submission_dict,
    submission_from_units,
    units,
)

from lm_eval_replay import answer, lm_eval_argv, lm_eval_env, replay_server, unit_events

ROOT = Path(__file__).resolve().parent.parent
CORPUS = bundled_corpus()
GOLD = load_gold(CORPUS)
UNITS = units(CORPUS)
WINDOWS = units(CORPUS, sentences=3)
SCORED = [m for m in metric_names() if m != "unparseable"]


def gold_events(unit: dict) -> list[dict]:
    """The gold events whose trigger starts in `unit`, with offsets relative to the unit's text (as a model would see them)."""
    return unit_events(GOLD, unit)


def record(unit: dict, text: str) -> dict:
    """What process_results gives every scored metric for `unit` answered with `text`."""
    return process_results(unit, [text])["tri_c_exact"]


def aggregate(records: list[dict]) -> dict[str, float]:
    return {name: aggregation(*name.rsplit("_", 1))(records) for name in SCORED}


# ----------------------------------------------------------------------------- units and prompts


def test_units_are_the_llm_extractors_requests():
    extractor = LLMExtractor(CORPUS, base_url="http://127.0.0.1:9/v1", model="m")
    expected = [(d, i, start, text) for d in sorted(CORPUS.documents) for i, (start, text) in enumerate(extractor.chunks(CORPUS.documents[d]))]
    assert [(u["doc_id"], u["unit"], u["start"], u["text"]) for u in UNITS] == expected
    assert len(UNITS) == 13  # 1 + 5 + 1 + 1 + 5 scored segments in the bundled corpus
    for unit in UNITS:
        body = extractor.request_body(unit["text"])
        assert [{"role": "system", "content": unit["system_prompt"]}, {"role": "user", "content": unit["prompt"]}] == body["messages"]
        assert CORPUS.documents[unit["doc_id"]].text[unit["start"] : unit["start"] + len(unit["text"])] == unit["text"]


def test_every_scored_gold_event_is_in_exactly_one_unit():
    assert sum(len(gold_events(u)) for u in UNITS) == 207 == sum(len(d.events) for d in GOLD.documents.values())


# ----------------------------------------------------------------------------- reading answers


UNIT = UNITS[2]  # 001, unit 1: starts at 2488, not at 0, so the offset shift shows


def test_an_answer_becomes_events_with_document_offsets():
    word = next(w for w in re.findall(r"\w+", UNIT["text"]) if len(w) > 4 and UNIT["text"].count(w) == 1)
    local = UNIT["text"].index(word)
    events, unparseable = read_unit(UNIT, "```json\n" + answer([{"type": "contact.meet", "trigger": word}]) + "\n```", CORPUS.ontology)
    assert not unparseable
    assert events == [{"id": "e1", "type": "Contact.Meet", "trigger": {"start": UNIT["start"] + local, "end": UNIT["start"] + local + len(word), "text": word}}]


@pytest.mark.parametrize(("text", "unparseable"), [
    ("{broken", True), ("", True), ("   ", True), ("I found no events.", True), ('{"answer": 3}', True),
    ('{"events": []}', False), ("[]", False),
    # a truncated answer mended by json-repair has an event list: readable, its unusable event dropped
    ('{"events": [{"type": ', False),
])
def test_unparseable_answers_give_no_events(text, unparseable):
    assert read_unit(UNIT, text, CORPUS.ontology) == ([], unparseable)


def test_a_missing_answer_is_unparseable():
    assert read_unit(UNIT, None, CORPUS.ontology) == ([], True)
    assert process_results(UNIT, [])["unparseable"] == 1.0


def test_a_span_not_in_the_unit_is_dropped_as_the_llm_extractor_does():
    events, unparseable = read_unit(UNIT, answer([{"type": "Contact.Meet", "trigger": "كلمةغيرموجودة"}]), CORPUS.ontology)
    assert (events, unparseable) == ([], False)


def test_process_results_gives_one_record_for_every_scored_metric():
    result = process_results(UNIT, ["{broken"])
    assert list(result) == metric_names()
    assert result["unparseable"] == 1.0
    assert all(result[m] == {"doc_id": UNIT["doc_id"], "unit": 1, "start": 2488, "events": []} for m in SCORED)


def test_submission_orders_units_and_numbers_events():
    ev = {"type": "Contact.Meet", "trigger": {"start": 5, "end": 9, "text": "x"}, "arguments": []}
    records = [
        {"doc_id": "b", "unit": 1, "start": 50, "events": [{**ev, "id": "e1", "realis": "other"}]},
        {"doc_id": "a", "unit": 0, "start": 0, "events": []},
        {"doc_id": "b", "unit": 0, "start": 0, "events": [{**ev, "id": "e1"}, {**ev, "id": "e2", "realis": "actual"}]},
    ]
    submission = submission_from_units(records, "sys")
    assert submission["system"] == "sys"
    assert [d["doc_id"] for d in submission["documents"]] == ["a", "b"]
    assert [(e["id"], e.get("realis")) for e in submission["documents"][1]["events"]] == [("e1", None), ("e2", "actual"), ("e3", "other")]
    assert records[0]["events"][0]["id"] == "e1"  # the records are not changed


# ----------------------------------------------------------------------------- aggregation


def test_gold_answers_score_one_everywhere():
    assert set(aggregate([record(u, answer(gold_events(u))) for u in UNITS]).values()) == {1.0}


def test_aggregation_is_micro_not_a_mean_over_documents():
    """Document 000 answered with its 25 gold events, the other four (182 events) with nothing:
    tri_c P = 25/25, R = 25/207, F1 = 2*25 / (25 + 207) = 50/232; a mean of the five documents'
    F1 would be (1 + 0 + 0 + 0 + 0) / 5 = 0.2."""
    records = [record(u, answer(gold_events(u)) if u["doc_id"].startswith("000") else '{"events": []}') for u in UNITS]
    scores = aggregate(records)
    assert scores["tri_c_exact"] == pytest.approx(50 / 232)
    assert scores["tri_c_relaxed"] == pytest.approx(50 / 232)
    # arg_c+: the 57 arguments of 000 found, 426 in all: 2*57 / (57 + 426)
    assert scores["arg_c_plus_exact"] == pytest.approx(114 / 483)


def test_a_run_over_some_documents_is_scored_on_those_only():
    """`lm_eval --limit`: the reference is cut to the documents the run saw (evbench score --only-submitted)."""
    records = [record(u, answer(gold_events(u))) for u in UNITS if u["doc_id"].startswith("000")]
    assert set(aggregate(records).values()) == {1.0}


def test_the_aggregation_equals_evbench_score_on_the_submission(tmp_path, capsys):
    rng = random.Random(7)
    records = []
    for unit in UNITS:
        events = [e for e in gold_events(unit) if rng.random() < 0.6]
        for event in events:
            event["arguments"] = [a for a in event["arguments"] if rng.random() < 0.5]
            event.pop("cluster", None) if rng.random() < 0.3 else None
        records.append(record(unit, answer(events)))
    path = tmp_path / "sub.json"
    path.write_text(json.dumps(submission_from_units(records), ensure_ascii=False), encoding="utf-8")
    assert main(["score", str(path), "--match", "exact,relaxed", "--format", "json"]) == 0
    results = {mode: r["metrics"] for mode, r in json.loads(capsys.readouterr().out)["results"].items()}
    for name, value in aggregate(records).items():
        metric, mode = name.rsplit("_", 1)
        assert value == results[mode][lm_eval_task.SCORED_METRICS[metric]]["f1"]
    assert 0 < aggregate(records)["tri_c_exact"] < 1


@settings(database=None, max_examples=8, deadline=None)
@given(st.lists(st.booleans(), min_size=len(UNITS), max_size=len(UNITS)), st.randoms(use_true_random=False))
def test_the_aggregation_does_not_depend_on_the_order_of_units(answered, rng):
    records = [record(u, answer(gold_events(u)) if keep else "{broken") for u, keep in zip(UNITS, answered, strict=True)]
    shuffled = records[:]
    rng.shuffle(shuffled)
    for name in ("tri_c_exact", "coref_within_conll_relaxed"):
        agg = aggregation(*name.rsplit("_", 1))
        assert agg(records) == agg(shuffled)
        assert (agg(records) == 1.0) == all(answered)


def test_score_submission_dict_cuts_the_reference_only_when_documents_are_missing():
    empty = {"documents": [{"doc_id": d, "events": []} for d in sorted(CORPUS.documents)]}
    assert score_submission_dict(empty, "exact")["metrics"]["tri_c"]["fn"] == 207
    one = {"documents": [{"doc_id": "002_49f08416f51993a4", "events": []}]}
    assert score_submission_dict(one, "exact")["metrics"]["tri_c"]["fn"] == 23


# ----------------------------------------------------------------------------- the task folder and the CLI


def test_lm_eval_path_prints_the_task_folder(capsys):
    assert main(["lm-eval-path"]) == 0
    assert Path(capsys.readouterr().out.strip()) == TASK_DIR
    assert (TASK_DIR / "evbench_ar.yaml").is_file()


def test_the_yaml_names_every_metric_and_existing_functions():
    text = (TASK_DIR / "evbench_ar.yaml").read_text(encoding="utf-8")
    assert re.findall(r"(?m)^  - metric: (\S+)$", text) == metric_names()
    functions = (TASK_DIR / "evbench_task.py").read_text(encoding="utf-8")
    for name in re.findall(r"!function evbench_task\.(\w+)", text):
        assert re.search(rf"(?m)^{name} = aggregation\(|import .*\b{name}\b", functions), name


def test_the_core_cli_never_imports_lm_eval(tmp_path):
    code = f"""
        import sys
        from benchmark.cli import main
        main(["lm-eval-path"])
        main(["import-lm-eval", {str(tmp_path / 'none.jsonl')!r}, "-o", {str(tmp_path / 'o.json')!r}])
        main(["score", "submissions/lexicon.json", "--format", "json", "--out", {str(tmp_path / 'r.json')!r}])
        bad = sorted(m for m in sys.modules if m.split(".")[0] in ("lm_eval", "datasets", "evaluate", "transformers"))
        print("imported:", bad, file=sys.stderr)
        assert not bad
    """
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


def _samples(tmp_path: Path, lines: list) -> Path:
    path = tmp_path / "samples_evbench_ar_x.jsonl"
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n" for line in lines), encoding="utf-8")
    return path


def test_import_reads_the_answers_again(tmp_path, capsys):
    lines = [{"doc_id": i, "doc": u, "resps": [["ignored"]], "filtered_resps": [answer(gold_events(u)) if i else "{broken"]} for i, u in enumerate(UNITS)]
    out = tmp_path / "sub.json"
    assert main(["import-lm-eval", str(_samples(tmp_path, lines)), "-o", str(out), "--system", "m"]) == 0
    captured = capsys.readouterr()
    assert f"{out}: valid (182 event mentions)" in captured.out  # document 000 (25 events) answered "{broken"
    assert "note: 1 of 13 answers had no readable event list (no events): 000_4d407a0bed6a0682 unit 0" in captured.err
    submission = json.loads(out.read_text(encoding="utf-8"))
    assert submission["system"] == "m" and len(submission["documents"]) == 5


def test_import_falls_back_to_the_raw_response(tmp_path, capsys):
    lines = [{"doc": UNITS[0], "resps": [[answer(gold_events(UNITS[0]))]]}]
    out = tmp_path / "sub.json"
    assert main(["import-lm-eval", str(_samples(tmp_path, lines)), "-o", str(out)]) == 0
    assert "note: the samples cover 1 of the corpus's 5 documents; not in them: 001_eb2877507f33df22, " in capsys.readouterr().err
    submission = json.loads(out.read_text(encoding="utf-8"))
    assert submission["system"] == "samples_evbench_ar_x"
    assert len(submission["documents"][0]["events"]) == 25


def test_import_refuses_bad_samples_with_the_line_and_the_fix(tmp_path, capsys):
    other = dict(UNITS[1], text=UNITS[1]["text"][1:])
    lines = [
        "{not json",
        [1, 2],
        {"doc": {"question": "?"}, "filtered_resps": ["x"]},
        {"doc": dict(UNITS[0], doc_id="999_nope"), "filtered_resps": ["x"]},
        {"doc": other, "filtered_resps": ["x"]},
        {"doc": UNITS[2]},
        {"doc": UNITS[3], "filtered_resps": ["{}"]},
        {"doc": UNITS[3], "filtered_resps": ["{}"]},
    ]
    path = _samples(tmp_path, lines)
    assert main(["import-lm-eval", str(path), "-o", str(tmp_path / "o.json")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": error: ")[0] for line in err] == [f"{path}:line {n}" + (" $.doc" if n in (3, 4, 5) else "") for n in range(1, 9) if n != 7]
    assert "not JSON" in err[0] and "not a sample object" in err[1] and "no evbench unit under 'doc'" in err[2]
    assert "unknown document '999_nope'" in err[3] and "the run used another corpus or release" in err[4]
    assert "no model answer" in err[5] and "001_eb2877507f33df22 unit 2 again (first at" in err[6] and "(fix: import the samples of one run" in err[6]
    assert all("(fix: " in line for line in err)
    assert not (tmp_path / "o.json").exists()


@pytest.mark.parametrize(("content", "message"), [(b"", "file is empty"), (None, "file not found")])
def test_import_refuses_an_empty_or_missing_file(tmp_path, capsys, content, message):
    path = tmp_path / "s.jsonl"
    if content is not None:
        path.write_bytes(content)
    assert main(["import-lm-eval", str(path), "-o", str(tmp_path / "o.json")]) == 2
    assert f"{path}: error: {message}" in capsys.readouterr().err


# ----------------------------------------------------------------------------- the real lm_eval CLI


PARTIAL_BROKEN = {3, 9}  # units answered with broken JSON in the partial run


def partial_answer(index: int, unit: dict) -> str:
    """A deterministic imperfect model: units 3 and 9 broken, every third event missing, some
    arguments dropped, triggers of odd events as bare words (located by the converter), a type
    changed, clusters kept on half of the events, some answers in a Markdown fence."""
    if index in PARTIAL_BROKEN:
        return "{broken answer" if index == 3 else "Sorry, I cannot annotate this text."
    events = []
    for n, event in enumerate(gold_events(unit)):
        if n % 3 == 2:
            continue
        if n % 2:
            event["trigger"] = event["trigger"]["text"]
            event["arguments"] = [{"role": a["role"], "text": a["text"]} for a in event["arguments"][:1]]
        if n % 4 == 1:
            event.pop("cluster")
        if n % 7 == 3:
            event["type"] = "Contact.Broadcast" if event["type"] != "Contact.Broadcast" else "Contact.Meet"
        events.append(event)
    text = answer(events)
    return f"Here are the events:\n```json\n{text}\n```" if index % 2 else text


#: Runs lm-eval's own command-line entry point (what the `lm_eval` script calls) once per argv given
#: (as JSON) and prints each run's exit status; a crash in a run is status 1 with its traceback. For
#: speed (three `lm_eval` processes took 40 s on two cores) lm-eval is imported once, and its task
#: index leaves out the ~10,000 built-in task files (`include_defaults=False`, 5 s of CPU per run):
#: --include_path still finds the evbench task exactly as it does for users.
RUNNER = """
import functools, json, sys, traceback
from lm_eval.__main__ import cli_evaluate
from lm_eval.tasks.manager import TaskManager
TaskManager.__init__ = functools.partialmethod(TaskManager.__init__, include_defaults=False)
codes = []
for argv in json.loads(sys.argv[1]):
    sys.argv = ["lm_eval", *argv]
    try:
        cli_evaluate()
        codes.append(0)
    except SystemExit as exc:
        codes.append(exc.code if isinstance(exc.code, int) else 1)
    except Exception:
        traceback.print_exc()
        codes.append(1)
print("exit statuses:", json.dumps(codes))
"""


@pytest.fixture(scope="module")
def lm_eval_runs(tmp_path_factory):
    """`lm_eval --model local-chat-completions ... --log_samples` once per plan (gold, broken JSON, partial, the lexicon
    replay, gold on sentence windows), each against its own server."""
    pytest.importorskip("lm_eval", reason="lm-eval is in the test extra (pip install -e '.[test]'); CI runs these tests")
    base = tmp_path_factory.mktemp("lm_eval")
    lexicon = load_submission(ROOT / "submissions" / "lexicon.json", CORPUS)
    plans = {
        "gold": {u["prompt"]: answer(gold_events(u)) for u in UNITS},
        "broken": {u["prompt"]: "{broken answer" for u in UNITS},
        "partial": {u["prompt"]: partial_answer(i, u) for i, u in enumerate(UNITS)},
        "lexicon": {u["prompt"]: answer(unit_events(lexicon, u)) for u in UNITS},  # the README's example
        "sentences": {u["prompt"]: answer(gold_events(u)) for u in WINDOWS},
    }
    tasks = {name: "evbench_ar_sentences" if name == "sentences" else "evbench_ar" for name in plans}
    servers = {name: replay_server(answers, limit=100) for name, answers in plans.items()}
    for server in servers.values():
        server.__enter__()
    try:
        argvs = [lm_eval_argv(server.url, name, base / name, tasks[name]) for name, server in servers.items()]
        done = subprocess.run([sys.executable, "-c", RUNNER, json.dumps(argvs)], cwd=base, env=lm_eval_env(base / "hf"), capture_output=True, text=True,
                              timeout=600)
    finally:
        for server in servers.values():
            server.__exit__(None, None, None)
    log = done.stdout + done.stderr
    found = re.search(r"exit statuses: (\[.*\])", done.stdout)
    assert done.returncode == 0 and found, log[-5000:]
    runs = {}
    for name, code in zip(servers, json.loads(found.group(1)), strict=True):
        results = sorted((base / name).rglob("results_*.json"))
        samples = sorted((base / name).rglob(f"samples_{tasks[name]}_2*.jsonl"))
        runs[name] = {"code": code, "log": log, "requests": servers[name].requests,
                      "results": json.loads(results[0].read_text())["results"][tasks[name]] if results else None,
                      "samples": samples[0] if samples else None}
    return runs


def _metrics(run: dict) -> dict[str, float]:
    assert run["code"] == 0, run["log"][-3000:]
    return {name: run["results"][f"{name},none"] for name in metric_names()}


def test_lm_eval_with_gold_answers_scores_one(lm_eval_runs):
    run = lm_eval_runs["gold"]
    assert _metrics(run) == {**{m: 1.0 for m in SCORED}, "unparseable": 0.0}
    assert run["results"]["sample_len"] == 13
    # each request is the llm extractor's request: its system prompt and user message, nothing more
    extractor = LLMExtractor(CORPUS, base_url="http://127.0.0.1:9/v1", model="m")
    asked = sorted(json.dumps(r["body"]["messages"], ensure_ascii=False) for r in run["requests"])
    assert asked == sorted(json.dumps(extractor.request_body(u["text"])["messages"], ensure_ascii=False) for u in UNITS)
    assert all(r["body"]["temperature"] == 0 and r["body"]["max_tokens"] == 4096 for r in run["requests"])
    assert all(r["body"]["messages"][1]["content"] == build_user_prompt(u["text"]) for r, u in [(run["requests"][0], UNITS[0])])


def test_lm_eval_with_broken_json_counts_unparseable_and_does_not_crash(lm_eval_runs):
    assert _metrics(lm_eval_runs["broken"]) == {**{m: 0.0 for m in SCORED}, "unparseable": 1.0}


def test_lm_eval_partial_answer_equals_evbench_score_on_the_imported_submission(lm_eval_runs, tmp_path, capsys):
    run = lm_eval_runs["partial"]
    metrics = _metrics(run)
    assert metrics["unparseable"] == pytest.approx(len(PARTIAL_BROKEN) / 13)
    assert 0.3 < metrics["tri_c_exact"] < 0.9 and metrics["arg_c_plus_exact"] < metrics["arg_c_plus_relaxed"] + 1e-12
    out = tmp_path / "imported.json"
    assert main(["import-lm-eval", str(run["samples"]), "-o", str(out)]) == 0
    assert "note: 2 of 13 answers had no readable event list" in capsys.readouterr().err
    assert main(["score", str(out), "--match", "exact,relaxed", "--format", "json"]) == 0
    scored = {mode: r["metrics"] for mode, r in json.loads(capsys.readouterr().out)["results"].items()}
    for name in SCORED:
        metric, mode = name.rsplit("_", 1)
        assert metrics[name] == scored[mode][lm_eval_task.SCORED_METRICS[metric]]["f1"], name


def test_lm_eval_replaying_the_lexicon_gives_its_evbench_scores_and_the_readme_json(lm_eval_runs, capsys):
    """A stand-in model answering with the lexicon baseline's events: lm-eval reports exactly what
    `evbench score submissions/lexicon.json` reports, and the README shows this run's result JSON."""
    metrics = _metrics(lm_eval_runs["lexicon"])
    assert main(["score", str(ROOT / "submissions" / "lexicon.json"), "--match", "exact,relaxed", "--format", "json"]) == 0
    scored = {mode: r["metrics"] for mode, r in json.loads(capsys.readouterr().out)["results"].items()}
    for name in SCORED:
        metric, mode = name.rsplit("_", 1)
        assert metrics[name] == scored[mode][lm_eval_task.SCORED_METRICS[metric]]["f1"], name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- lm-eval result: python tests/lm_eval_replay.py submissions/lexicon.json -->\n```json\n(.*?)```", readme, re.S)
    assert block, "the README's lm-eval result block is missing"
    shown = json.loads(block.group(1))["evbench_ar"]
    assert {k: v for k, v in shown.items() if k not in ("name", "alias")} == {k: v for k, v in lm_eval_runs["lexicon"]["results"].items() if k in shown and k not in ("name", "alias")}
    assert set(shown) == set(lm_eval_runs["lexicon"]["results"])


# ----------------------------------------------------------------------------- evbench_ar_sentences


def test_sentence_windows_tile_the_segments_and_carry_them_as_context():
    assert len(WINDOWS) == 44 and len(units(CORPUS, sentences=1)) == 118
    for unit in UNITS:
        windows = [w for w in WINDOWS if w["doc_id"] == unit["doc_id"] and w["context_start"] == unit["start"]]
        assert all(w["context"] == unit["text"] for w in windows)
        assert "".join(w["text"] for w in windows).strip() == unit["text"].strip()
        assert all(w["prompt"] == build_passage_prompt(unit["text"], w["text"]) and w["system_prompt"] == unit["system_prompt"] for w in windows)
    assert [w["unit"] for w in WINDOWS if w["doc_id"].startswith("001")] == list(range(sum(w["doc_id"].startswith("001") for w in WINDOWS)))
    assert sum(len(gold_events(w)) for w in WINDOWS) == 207


def test_a_window_finds_spans_in_itself_first_and_drops_events_of_other_windows():
    window = next(w for w in WINDOWS if w["doc_id"].startswith("000") and "لافروف" in w["text"] and "لافروف" in w["context"][: w["start"] - w["context_start"]])
    inside = window["start"] + window["text"].index("لافروف")
    first = window["context_start"] + window["context"].index("لافروف")
    assert first < window["start"] <= inside
    outside_word = next(x for x in re.findall(r"\w{5,}", window["context"][: window["start"] - window["context_start"]])
                        if x not in window["text"] and window["context"].count(x) == 1)
    events, unparseable = read_unit(window, answer([
        {"type": "Contact.Meet", "trigger": "لافروف", "arguments": [{"role": "Participant", "text": outside_word}]},
        {"type": "Contact.Meet", "trigger": outside_word},
    ]), CORPUS.ontology)
    assert not unparseable
    assert [(e["trigger"]["start"], e["trigger"]["text"]) for e in events] == [(inside, "لافروف")]
    argument = events[0]["arguments"][0]
    assert CORPUS.documents[window["doc_id"]].text[argument["start"]:argument["end"]] == outside_word
    assert argument["start"] < window["start"]  # an argument may lie in the context


def test_gold_answers_on_sentence_windows_score_one():
    assert set(aggregate([record(w, answer(gold_events(w))) for w in WINDOWS]).values()) == {1.0}


def test_the_sentence_task_includes_the_main_one():
    text = (TASK_DIR / "evbench_ar_sentences.yaml").read_text(encoding="utf-8")
    assert "include: evbench_ar.yaml" in text and "task: evbench_ar_sentences" in text
    assert "!function evbench_task.sentence_dataset" in text


def test_import_refuses_a_window_outside_its_context(tmp_path, capsys):
    bad = dict(WINDOWS[3], context_start=WINDOWS[3]["context_start"] + 1)
    path = _samples(tmp_path, [{"doc": bad, "filtered_resps": ["{}"]}])
    assert main(["import-lm-eval", str(path), "-o", str(tmp_path / "o.json")]) == 2
    assert "doc.context is not the text of" in capsys.readouterr().err


def test_lm_eval_sentence_task_with_gold_answers_scores_one_and_imports(lm_eval_runs, tmp_path, capsys):
    run = lm_eval_runs["sentences"]
    assert _metrics(run) == {**{m: 1.0 for m in SCORED}, "unparseable": 0.0}
    assert run["results"]["sample_len"] == 44
    out = tmp_path / "imported.json"
    assert main(["import-lm-eval", str(run["samples"]), "-o", str(out)]) == 0
    assert f"{out}: valid (207 event mentions)" in capsys.readouterr().out
