"""The CI regression gate: pure rules (`scorers.gate`) and exit codes 0 / 1 / 2 of `evbench score --baseline`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import main
from scorers.gate import GateError, evaluate, gate_metrics
from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "submissions" / "lexicon.json"
KNOWN = ("tri_c", "arg_c", "coref_within.conll", "lower")


# --- rules -----------------------------------------------------------------------------------


def test_drop_within_the_allowance_passes_and_beyond_it_fails():
    base = {"tri_c": 0.50, "arg_c": 0.30}
    ok = evaluate({"tri_c": 0.495, "arg_c": 0.30}, baseline=base, metrics=["tri_c", "arg_c"], max_drop=0.01)
    assert ok.passed and [c.limit for c in ok.checks] == pytest.approx([0.49, 0.29])
    bad = evaluate({"tri_c": 0.48, "arg_c": 0.35}, baseline=base, metrics=["tri_c", "arg_c"], max_drop=0.01)
    assert not bad.passed and [c.metric for c in bad.failures] == ["tri_c"]
    assert bad.to_dict()["failed"] == ["tri_c"]


def test_a_drop_of_exactly_max_drop_passes_despite_float_rounding():
    verdict = evaluate({"tri_c": 0.49}, baseline={"tri_c": 0.5}, metrics=["tri_c"], max_drop=0.01)
    assert verdict.passed


def test_default_max_drop_is_zero():
    assert not evaluate({"tri_c": 0.4999}, baseline={"tri_c": 0.5}, metrics=["tri_c"]).passed
    assert evaluate({"tri_c": 0.5}, baseline={"tri_c": 0.5}, metrics=["tri_c"]).passed


def test_lower_is_better_regresses_when_it_rises():
    direction = {"lower": False}
    up = evaluate({"lower": 0.30}, baseline={"lower": 0.20}, metrics=["lower"], max_drop=0.05, higher_is_better=direction)
    down = evaluate({"lower": 0.10}, baseline={"lower": 0.20}, metrics=["lower"], max_drop=0.05, higher_is_better=direction)
    assert not up.passed and down.passed and up.checks[0].limit == pytest.approx(0.25)


def test_floors():
    verdict = evaluate({"tri_c": 0.45, "arg_c": 0.15}, floors={"tri_c": 0.40, "arg_c": 0.20})
    assert [c.passed for c in verdict.checks] == [True, False] and verdict.max_drop is None


def test_default_gate_metrics_are_those_present_in_both():
    assert gate_metrics(None, {"tri_c": 1, "arg_c": 1, "coref_within.conll": 1}, {"tri_c": 1, "arg_c": 1}, KNOWN) == ["tri_c", "arg_c"]


def test_unknown_or_missing_metrics_are_bad_input():
    with pytest.raises(GateError, match="unknown metric 'tri_x'.*did you mean 'tri_c'"):
        gate_metrics(["tri_x"], {"tri_c": 1}, {"tri_c": 1}, KNOWN)
    with pytest.raises(GateError, match="not in the baseline"):
        gate_metrics(["arg_c"], {"tri_c": 1, "arg_c": 1}, {"tri_c": 1}, KNOWN)
    with pytest.raises(GateError, match="unknown metric 'nope' in --fail-under"):
        evaluate({"tri_c": 1.0}, floors={"nope": 0.1}, known=KNOWN)


# --- evbench score --baseline ----------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gate") / "baseline.json"
    assert main(["score", str(LEXICON), "--out", str(path), "--format", "json"]) == 0
    return path


@pytest.fixture(scope="module")
def regressed(tmp_path_factory) -> Path:
    """The lexicon submission with every third event of each document removed."""
    data = json.loads(LEXICON.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        doc["events"] = [e for i, e in enumerate(doc["events"]) if i % 3]
    path = tmp_path_factory.mktemp("gate") / "regressed.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_unchanged_submission_passes_exit_0(capsys, baseline, tmp_path):
    out = tmp_path / "result.json"
    code, stdout, stderr = run_cli(capsys, "score", LEXICON, "--baseline", baseline, "--max-drop", "0.01", "--out", out)
    assert code == 0, stderr
    assert "regression gate: passed" in stdout and "gate passed (3 checks)" in stderr
    gate = json.loads(out.read_text(encoding="utf-8"))["gate"]
    assert gate["passed"] is True and [c["metric"] for c in gate["checks"]] == ["tri_c", "arg_c", "coref_within.conll"]


def test_regressed_submission_fails_exit_1_with_a_table_and_the_verdict_in_json(capsys, baseline, regressed, tmp_path):
    out = tmp_path / "result.json"
    code, stdout, stderr = run_cli(capsys, "score", regressed, "--baseline", baseline, "--max-drop", "0.01", "--out", out)
    assert code == 1
    assert "regression gate: FAILED" in stdout and "FAIL" in stdout.split("regression gate:")[1]
    assert "regression gate FAILED: tri_c" in stderr
    gate = json.loads(out.read_text(encoding="utf-8"))["gate"]
    assert gate["passed"] is False and "tri_c" in gate["failed"] and gate["max_drop"] == 0.01


def test_json_format_keeps_stdout_pure_json(capsys, baseline, regressed):
    code, stdout, stderr = run_cli(capsys, "score", regressed, "--baseline", baseline, "--gate-metrics", "tri_c", "--format", "json")
    assert code == 1 and json.loads(stdout)["gate"]["failed"] == ["tri_c"] and "regression gate" in stderr


def test_generous_max_drop_and_gate_metrics(capsys, baseline, regressed):
    code, _, _ = run_cli(capsys, "score", regressed, "--baseline", baseline, "--max-drop", "0.5", "--gate-metrics", "tri_c,arg_c")
    assert code == 0


def test_fail_under_floors(capsys):
    assert run_cli(capsys, "score", LEXICON, "--fail-under", "tri_c=0.40", "arg_c=0.20")[0] == 0
    code, stdout, _ = run_cli(capsys, "score", LEXICON, "--fail-under", "tri_c=0.40", "arg_c=0.60")
    assert code == 1 and "floor 60.00" in stdout


@pytest.mark.parametrize("args, message", [
    (("--baseline", ROOT / "gold" / "manifest.json"), "not an evbench result"),
    (("--baseline", ROOT / "no-such-results.json"), "file not found"),
    (("--gate-metrics", "tri_c,bogus"), "unknown metric 'bogus' in --gate-metrics"),
    (("--fail-under", "tri_x=0.4"), "unknown metric 'tri_x' in --fail-under"),
])
def test_bad_gate_input_exits_2(capsys, baseline, args, message):
    extra = () if "--baseline" in args else ("--baseline", baseline)
    code, stdout, stderr = run_cli(capsys, "score", LEXICON, *extra, *args)
    assert code == 2 and message in stderr and "fix:" in stderr


@pytest.mark.parametrize("args", [("--max-drop", "0.01"), ("--fail-under", "tri_c=40"), ("--fail-under", "tri_c"), ("--gate-metrics", "tri_c")])
def test_malformed_gate_options_exit_2(capsys, args):
    assert run_cli(capsys, "score", LEXICON, *args)[0] == 2
