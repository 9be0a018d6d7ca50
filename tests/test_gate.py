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


# --- --max-drop units: 0.01 or 1pt, never a bare 1 -------------------------------------------


@pytest.mark.parametrize("value, expected", [("0.01", 0.01), ("1pt", 0.01), ("1 pt", 0.01), ("0.5pt", 0.005), ("2points", 0.02),
                                             ("0", 0.0), ("0.5", 0.5), ("100pt", 1.0)])
def test_max_drop_accepts_a_fraction_or_points(value, expected):
    from benchmark.gating import max_drop

    assert max_drop(value) == pytest.approx(expected)


@pytest.mark.parametrize("value, message", [
    ("1", "--max-drop 1 would allow a drop of 100 points: a bare number is on the 0..1 scale; for 1 point write 0.01 or 1pt"),
    ("1.0", "would allow a drop of 100 points"),
    ("5", "for 5 points write 0.05 or 5pt"),
    ("-0.01", "must be 0 or more"),
    ("101pt", "more than 100 points"),
    ("one", "takes 0.01 (0..1 scale) or 1pt (points)"),
])
def test_max_drop_refuses_a_bare_value_of_one_or_more(value, message):
    import argparse
    import re

    from benchmark.gating import max_drop

    with pytest.raises(argparse.ArgumentTypeError, match=re.escape(message)):
        max_drop(value)


def test_evaluate_refuses_a_max_drop_off_the_score_scale():
    with pytest.raises(GateError, match="0..1 scale"):
        evaluate({"tri_c": 0.1}, baseline={"tri_c": 0.9}, metrics=["tri_c"], max_drop=87)


@pytest.fixture(scope="module")
def emptied(tmp_path_factory) -> Path:
    """The lexicon submission with no events at all: every F1 falls to 0 (tri_c by about 90 points)."""
    data = json.loads(LEXICON.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        doc["events"] = []
    path = tmp_path_factory.mktemp("gate") / "emptied.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_max_drop_1_meant_as_one_point_no_longer_passes_a_collapse(capsys, baseline, emptied):
    code, stdout, stderr = run_cli(capsys, "score", emptied, "--baseline", baseline, "--max-drop", "1")
    assert code == 2 and stdout == ""
    assert "--max-drop 1 would allow a drop of 100 points" in stderr and "write 0.01 or 1pt" in stderr and "(fix: " in stderr
    code, stdout, _ = run_cli(capsys, "score", emptied, "--baseline", baseline, "--max-drop", "1pt")
    assert code == 1 and "regression gate: FAILED" in stdout


def test_points_are_shown_in_the_gate_table_and_kept_on_the_0_1_scale_in_json(capsys, baseline, tmp_path):
    out = tmp_path / "result.json"
    code, stdout, _ = run_cli(capsys, "score", LEXICON, "--baseline", baseline, "--max-drop", "1pt", "--fail-under", "tri_c=0.40", "--out", out)
    assert code == 0
    block = stdout.split("regression gate:")[1]
    header = next(line for line in block.splitlines() if line.startswith("metric"))
    assert "allowed drop" in header
    rows = {line.split()[0]: line for line in block.splitlines() if line.startswith(("tri_c", "arg_c", "coref_within"))}
    assert "1.00 pt" in rows["arg_c"] and "1.00 pt" in rows["coref_within.conll"]
    floor_row = next(line for line in block.splitlines() if line.startswith("tri_c") and "floor" in line)
    assert " pt " not in floor_row  # a floor allows no drop: the cell is empty
    assert json.loads(out.read_text(encoding="utf-8"))["gate"]["max_drop"] == 0.01


# --- reading baselines: scalar and nested coreference entries, warnings ------------------------


def test_metric_values_reads_scores_dicts_scalars_and_nested_entries():
    from benchmark.gating import metric_values

    result = {"metrics": {
        "tri_c": {"precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "fp": 1, "fn": 1},
        "coref_within.conll": 0.63,  # scalar
        "coref_cross": {"conll": {"f1": 0.51}, "muc": {"precision": 0.4, "recall": 0.4, "f1": 0.4}, "note": "x"},  # nested
        "flag": True,  # not a score
    }}
    assert metric_values(result) == {"tri_c": 0.5, "coref_within.conll": 0.63, "coref_cross.conll": 0.51, "coref_cross.muc": 0.4}


def _rewritten_baseline(baseline: Path, tmp_path: Path, change) -> Path:
    data = json.loads(baseline.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "edited-baseline.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("shape", ["scalar", "nested"])
def test_gate_reads_scalar_and_nested_coreference_entries_of_a_baseline(capsys, baseline, tmp_path, shape):
    def reshape(data):
        metrics = data["metrics"]
        conll = metrics.pop("coref_within.conll")["f1"]
        if shape == "scalar":
            metrics["coref_within.conll"] = conll
        else:
            metrics["coref_within"] = {"conll": {"f1": conll + 0.05}}  # 5 points above this run: a regression

    edited = _rewritten_baseline(baseline, tmp_path, reshape)
    out = tmp_path / "result.json"
    code, _, stderr = run_cli(capsys, "score", LEXICON, "--baseline", edited, "--gate-metrics", "coref_within.conll", "--max-drop", "1pt", "--out", out)
    check = json.loads(out.read_text(encoding="utf-8"))["gate"]["checks"][0]
    assert check["metric"] == "coref_within.conll"
    if shape == "scalar":
        assert code == 0 and check["passed"] and check["baseline"] == check["value"]
    else:
        assert code == 1 and "regression gate FAILED: coref_within.conll" in stderr
        assert check["baseline"] == pytest.approx(check["value"] + 0.05)


def test_gate_warns_when_the_baseline_was_scored_against_another_reference(capsys, baseline, tmp_path):
    edited = _rewritten_baseline(baseline, tmp_path, lambda data: data["reference"].update(checksum="0" * 64))
    out = tmp_path / "result.json"
    code, _, stderr = run_cli(capsys, "score", LEXICON, "--baseline", edited, "--out", out)
    assert code == 0  # a warning, not a failure
    assert "evbench score: warning: the baseline was scored against a different reference (sha256 differs)" in stderr
    assert any("different reference" in w for w in json.loads(out.read_text(encoding="utf-8"))["gate"]["warnings"])
    code, _, stderr = run_cli(capsys, "score", LEXICON, "--baseline", baseline)
    assert code == 0 and "warning" not in stderr


def test_gate_warns_when_only_one_side_was_scored_with_only_submitted(capsys, baseline, tmp_path):
    edited = _rewritten_baseline(baseline, tmp_path, lambda data: data["settings"].update(only_submitted=True))
    code, _, stderr = run_cli(capsys, "score", LEXICON, "--baseline", edited)
    assert code == 0
    assert ("warning: the baseline was scored with --only-submitted (only the submission's documents),"
            " this run on all the reference's documents") in stderr


def test_a_baseline_of_another_gold_release_is_warned_about():
    from benchmark.gating import comparability_warnings

    ours = {"settings": {}, "reference": {"version": "1.1", "checksum": "b"}}
    older = {"settings": {}, "reference": {"version": "1.0", "checksum": "a"}}
    assert comparability_warnings(ours, older) == [
        "the baseline was scored against gold release 1.0, this run against release 1.1; regenerate the baseline on this release"]
    same_release_other_bytes = {"settings": {}, "reference": {"version": "1.1", "checksum": "a"}}
    assert comparability_warnings(ours, same_release_other_bytes) == [
        "the baseline was scored against a different reference (sha256 differs); regenerate the baseline if the gold changed"]
    assert comparability_warnings(ours, {"settings": {}, "reference": {"version": "1.1", "checksum": "b"}}) == []
