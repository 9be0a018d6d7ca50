"""Fuzzing the loader and every metric with generated submissions over the bundled corpus.

Properties (strategies in `tests/strategies.py`):

* valid submissions (JSON and JSONL) load without an error, JSON and JSONL give the same
  annotation, and they score in every matching mode, as the prediction against the gold and as
  the reference for the gold, with every precision / recall / F1 in [0, 1] and counts that add
  up (tp + fn = reference items, tp + fp = predicted items: the alignment is one-to-one);
* near-valid submissions (one mutation each) are refused: `check_submission` returns no
  annotation, and `evbench score` exits 2 with one well-formed line per problem, no traceback,
  nothing on stdout and no `--out` file;
* arbitrary JSON and arbitrary bytes never make the loader raise, and the CLI exits 0 or 2.

The default run tries a few hundred examples; `pytest -m slow tests/test_fuzz.py` runs
10,000 per property (`EVBENCH_FUZZ_EXAMPLES` changes that number).
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.input.problems import InputError
from benchmark.input.submission import check_submission
from benchmark.scoring import ScoreRun, ScoreSettings, result_dict, score_annotations
from scorers.matching import OFFLINE_MATCH_MODES, make_matcher
from scorers.model import Annotation
from scorers.registry import METRICS

import strategies as S

SLOW_EXAMPLES = int(os.environ.get("EVBENCH_FUZZ_EXAMPLES", "10000"))
PROBLEM = re.compile(r"^(?::(?P<where>.+?))?: (?P<severity>error|warning): (?P<message>.+) \(fix: (?P<fix>.+)\)$")
"""A problem line after its file name: `[:LOCATION]: severity: MESSAGE (fix: FIX)`."""


def fuzz(examples: int):
    return settings(database=None, deadline=None, max_examples=examples, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


FAST, SLOW = fuzz(40), fuzz(SLOW_EXAMPLES)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write(workdir: Path, file: S.SubmissionFile, stem: str = "submission") -> Path:
    path = workdir / f"{stem}{file.suffix}"
    path.write_bytes(file.content)
    return path


def assert_problem_lines(err: str, path: Path) -> None:
    """Exit-2 output: at least one line, every line one well-formed problem naming the file."""
    lines = err.splitlines()
    assert lines, "refused without saying why"
    assert "Traceback" not in err
    for line in lines:
        assert line.startswith(f"{path}:"), f"line does not name the file: {line!r}"
        assert PROBLEM.match(line[len(str(path)):]), f"not one well-formed problem line: {line!r}"
    assert any(PROBLEM.match(line[len(str(path)):])["severity"] == "error" for line in lines)  # type: ignore[index]


# --- what a result must look like --------------------------------------------------------------


SCORE_KEYS = ("precision", "recall", "f1")


def _numbers(value: object, path: str = "$"):
    """Every (path, key, number) of a result, however deeply nested."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, (int, float)) and not isinstance(inner, bool):
                yield path, key, inner
            else:
                yield from _numbers(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _numbers(inner, f"{path}[{i}]")


def assert_scores_in_range(result: dict) -> None:
    """Every score (precision, recall, F1 and *_f1, at any depth) is a number in [0, 1]; counts are >= 0."""
    for spec in METRICS:
        assert set(SCORE_KEYS) <= set(result["metrics"][spec.name]), spec.name
    for path, key, value in _numbers({k: result[k] for k in ("metrics", "macro", "breakdowns")}):
        if key in SCORE_KEYS or key.endswith("_f1"):
            assert isinstance(value, float) and not math.isnan(value) and 0.0 <= value <= 1.0, (path, key, value)
        elif key in ("tp", "fp", "fn"):
            assert isinstance(value, int) and value >= 0, (path, key, value)


def item_count(annotation: Annotation, family: str, doc_ids) -> int:
    """Items a metric counts in the given documents: event mentions, or their arguments."""
    events = [e for d in doc_ids if d in annotation.documents for e in annotation.documents[d].events]
    return sum(len(e.arguments) for e in events) if family == "argument" else len(events)


def assert_counts_add_up(run: ScoreRun, result: dict) -> None:
    """Every reference item is a tp or a fn, every scored prediction a tp or a fp: one-to-one."""
    scored = sorted(run.gold.documents)
    for spec in METRICS:
        counts = result["metrics"][spec.name]
        assert counts["tp"] + counts["fn"] == item_count(run.gold, spec.family, scored), spec.name
        assert counts["tp"] + counts["fp"] == item_count(run.prediction, spec.family, scored), spec.name


def score(prediction: Annotation, reference: Annotation, mode: str) -> tuple[ScoreRun, dict]:
    run = score_annotations(prediction, reference, S.corpus(), ScoreSettings(match=mode), system="fuzz",
                            reference={"source": "fuzz"}, pred_label="prediction", ref_label="reference")
    return run, result_dict(run)


# --- valid submissions ---------------------------------------------------------------------------


def check_valid(workdir: Path, file: S.SubmissionFile, mode: str) -> None:
    path = write(workdir, file)
    annotation, problems = check_submission(path, S.corpus())
    assert annotation is not None, [p.format() for p in problems]
    assert all(p.severity == "warning" for p in problems), [p.format() for p in problems]  # triggers in chrome
    assert len(annotation.events()) == sum(len(d["events"]) for d in file.data["documents"])  # type: ignore[index]
    other = ".jsonl" if file.suffix == ".json" else ".json"
    if file.data["documents"] or other == ".json":  # type: ignore[index]
        twin, _ = check_submission(write(workdir, S.SubmissionFile(other, S.encode(file.data, other), file.data), "twin"), S.corpus())
        assert twin is not None and twin.documents == annotation.documents
    for prediction, reference in ((annotation, S.gold()), (S.gold(), annotation)):
        run, result = score(prediction, reference, mode)
        assert_scores_in_range(result)
        assert_counts_add_up(run, result)
        json.dumps(result, ensure_ascii=False).encode("utf-8")  # writable as UTF-8 (--out, stdout)


@FAST
@given(S.valid_files(), st.sampled_from(OFFLINE_MATCH_MODES))
def test_valid_submissions_load_and_score(workdir, file, mode):
    check_valid(workdir, file, mode)


@pytest.mark.slow
@SLOW
@given(S.valid_files(), st.sampled_from(OFFLINE_MATCH_MODES))
def test_valid_submissions_load_and_score_slow(workdir, file, mode):
    check_valid(workdir, file, mode)


def check_valid_cli(workdir: Path, file: S.SubmissionFile, mode: str) -> None:
    path, out_file = write(workdir, file), workdir / "result.json"
    out_file.unlink(missing_ok=True)
    code, out, err = S.run_cli("score", str(path), "--match", mode, "--format", "json", "--out", str(out_file))
    assert code == 0, err
    assert "Traceback" not in err
    assert out_file.read_text(encoding="utf-8") == out
    assert_scores_in_range(json.loads(out))


@fuzz(6)
@given(S.valid_files(), st.sampled_from(OFFLINE_MATCH_MODES))
def test_valid_submissions_score_through_the_cli(workdir, file, mode):
    check_valid_cli(workdir, file, mode)


@pytest.mark.slow
@fuzz(max(SLOW_EXAMPLES // 10, 1))
@given(S.valid_files(), st.sampled_from(OFFLINE_MATCH_MODES))
def test_valid_submissions_score_through_the_cli_slow(workdir, file, mode):
    check_valid_cli(workdir, file, mode)


def check_text_only(workdir: Path, data: dict, suffix: str) -> None:
    """Text-only spans: located where their text occurs once (benchmark.input.locating); the rest scored in the
    offset-free modes and refused by the offset modes with one located problem each, never a crash."""
    file = S.SubmissionFile(suffix, S.encode(data, suffix), data)
    annotation, problems = check_submission(write(workdir, file), S.corpus())
    assert annotation is not None, [p.format() for p in problems]
    unlocated = [p for p in problems if "so it has no offsets" in p.message]
    for mode in OFFLINE_MATCH_MODES:
        try:
            run, result = score(annotation, S.gold(), mode)
        except InputError as exc:
            assert unlocated and make_matcher(mode).uses_offsets, exc
            assert [p.message for p in exc.problems] == [p.message for p in unlocated]
            assert all("--match text" in p.fix for p in exc.problems)
            continue
        assert not unlocated or not make_matcher(mode).uses_offsets
        assert_scores_in_range(result)
        assert_counts_add_up(run, result)


@fuzz(15)
@given(S.submissions(min_docs=1).flatmap(S.without_offsets), st.sampled_from(S.SUFFIXES))
def test_text_only_spans_score_in_offset_free_modes_only(workdir, data, suffix):
    check_text_only(workdir, data, suffix)


@pytest.mark.slow
@fuzz(max(SLOW_EXAMPLES // 10, 1))
@given(S.submissions(min_docs=1).flatmap(S.without_offsets), st.sampled_from(S.SUFFIXES))
def test_text_only_spans_score_in_text_mode_only_slow(workdir, data, suffix):
    check_text_only(workdir, data, suffix)


# --- near-valid submissions: one mutation, always refused --------------------------------------


def check_refused(workdir: Path, file: S.SubmissionFile, mode: str) -> None:
    path, out_file = write(workdir, file), workdir / "result.json"
    out_file.unlink(missing_ok=True)
    annotation, problems = check_submission(path, S.corpus())
    assert annotation is None, f"{file.mutation} ({file.detail}) was accepted"
    assert any(p.severity == "error" for p in problems)
    code, out, err = S.run_cli("score", str(path), "--match", mode, "--out", str(out_file))
    assert code == 2, f"{file.mutation} ({file.detail}): exit {code}\n{err}"
    assert out == "" and not out_file.exists()
    assert_problem_lines(err, path)


@pytest.mark.parametrize("mutation", S.MUTATIONS)
@fuzz(10)
@given(data=st.data())
def test_each_mutation_is_refused(workdir, mutation, data):
    file = data.draw(S.near_valid_files(mutation=mutation), label="file")
    check_refused(workdir, file, data.draw(st.sampled_from(OFFLINE_MATCH_MODES), label="mode"))


@pytest.mark.slow
@SLOW
@given(S.near_valid_files(), st.sampled_from(OFFLINE_MATCH_MODES))
def test_near_valid_submissions_are_refused_slow(workdir, file, mode):
    check_refused(workdir, file, mode)


# --- anything at all: InputError (exit 2) or a score (exit 0), nothing else ----------------------


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | st.sampled_from(S.doc_ids()),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(sorted({k for keys in S.ALLOWED_KEYS.values() for k in keys})) | st.text(max_size=4), inner, max_size=5),
    max_leaves=20,
)
junk_files = st.one_of(
    st.builds(lambda v, suffix: S.SubmissionFile(suffix, S.encode(v, ".json", ensure_ascii=True), v), json_values, st.sampled_from(S.SUFFIXES)),
    st.builds(lambda v: S.SubmissionFile(".jsonl", b"".join(S.encode(x, ".json", ensure_ascii=True) for x in v), v), st.lists(json_values, min_size=1, max_size=3)),
    st.builds(lambda b, suffix: S.SubmissionFile(suffix, b, None), st.binary(max_size=200), st.sampled_from(S.SUFFIXES)),
)


def check_anything(workdir: Path, file: S.SubmissionFile, mode: str) -> None:
    path = write(workdir, file)
    annotation, problems = check_submission(path, S.corpus())
    assert (annotation is None) == any(p.severity == "error" for p in problems)
    code, out, err = S.run_cli("score", str(path), "--match", mode, "--format", "json")
    assert code in (0, 2) and "Traceback" not in err, err
    if code == 2:
        assert_problem_lines(err, path)
    else:
        assert_scores_in_range(json.loads(out))


@fuzz(100)
@given(junk_files, st.sampled_from(OFFLINE_MATCH_MODES))
def test_arbitrary_input_is_scored_or_refused(workdir, file, mode):
    check_anything(workdir, file, mode)


@pytest.mark.slow
@SLOW
@given(junk_files, st.sampled_from(OFFLINE_MATCH_MODES))
def test_arbitrary_input_is_scored_or_refused_slow(workdir, file, mode):
    check_anything(workdir, file, mode)


# --- named cases the fuzzer found ----------------------------------------------------------------


@pytest.mark.parametrize("suffix", S.SUFFIXES)
@pytest.mark.parametrize("where", ["system", "id", "key"])
def test_lone_surrogate_is_refused_not_a_crash_when_writing(where, suffix, workdir):
    """`\\ud800` is legal JSON but no UTF-8 can hold it: it used to pass validation and crash `--out`."""
    doc = {"doc_id": S.doc_ids()[0], "events": [{"id": "e1", "type": "Contact.Meet", "trigger": {"start": 0, "end": 1}}]}
    data = {"system": "ok", "documents": [doc]}
    if where == "system":
        doc["system"] = "x\ud800"
    elif where == "id":
        doc["events"][0]["id"] = "\udc00"
    else:
        doc["\udbff"] = 1
    file = S.SubmissionFile(suffix, S.encode(data, suffix, ensure_ascii=True), data)
    check_refused(workdir, file, "exact")
    _, _, err = S.run_cli("validate", str(write(workdir, file)))
    assert "lone surrogate U+D" in err


def test_surrogate_pairs_are_not_lone_surrogates(workdir):
    data = {"system": "\U0001f600 \\ud800", "documents": []}  # an escaped pair, and a backslash that is no escape
    file = S.SubmissionFile(".json", S.encode(data, ".json", ensure_ascii=True), data)
    annotation, problems = check_submission(write(workdir, file), S.corpus())
    assert annotation is not None and annotation.system == data["system"], problems
