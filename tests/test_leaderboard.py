"""`evbench leaderboard`: systems side by side, sorted, with confidence intervals when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.commands.leaderboard import leaderboard_rows, metric_entry

from conftest import write_json

TESTDATA = Path(__file__).parent / "testdata"
SETTINGS = {"match": "exact", "arg_match": "span"}
REFERENCE = {"source": "gold", "checksum": "abc", "corpus_checksum": "def"}


def prf(f1: float, ci: list[float] | None = None) -> dict:
    entry = {"precision": f1, "recall": f1, "f1": f1, "tp": 1, "fp": 0, "fn": 0}
    if ci is not None:
        entry["ci"] = ci
    return entry


def result(system: str, tri_c: float, *, ci: bool = False, coref: float | None = None, settings: dict = SETTINGS) -> dict:
    """A minimal result: tri_c as given (with a +-0.05 interval when `ci`), the rest derived from it."""
    metrics = {"tri_i": prf(tri_c + 0.05), "tri_c": prf(tri_c, [tri_c - 0.05, tri_c + 0.05] if ci else None),
               "realis": prf(tri_c / 2), "arg_i": prf(tri_c / 4), "arg_c": prf(tri_c / 5)}
    if coref is not None:
        metrics["coref_within.conll"] = {"f1": coref}
    return {"system": system, "settings": settings, "reference": REFERENCE, "metrics": metrics}


@pytest.fixture
def files(tmp_path):
    return [
        write_json(tmp_path / "a.json", result("lexicon", 0.40)),
        write_json(tmp_path / "b.json", result("llm", 0.55, ci=True)),
        write_json(tmp_path / "c.json", result("random", 0.05)),
    ]


def test_sorted_by_tri_c_best_first(files, capsys):
    assert main(["leaderboard", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert out.index("llm") < out.index("lexicon") < out.index("random")
    assert "55.0 [50.0–60.0]" in out  # tri_c with its interval
    assert "40.0" in out and "[" not in out.split("lexicon")[1].splitlines()[0]  # no interval where the result has none


def test_columns_are_the_main_metrics_present(files, tmp_path):
    headers, rows = leaderboard_rows([(str(f), json.loads(f.read_text())) for f in files], ["tri_i", "tri_c", "arg_i", "arg_c", "realis", "coref_within.conll"], "tri_c", "plain")
    assert headers == ["system", "tri_i", "tri_c", "arg_i", "arg_c", "realis", "match"]  # no coref in any result
    with_coref = write_json(tmp_path / "d.json", result("coref-sys", 0.3, coref=0.42))
    headers, rows = leaderboard_rows([(str(f), json.loads(f.read_text())) for f in [*files, with_coref]], ["tri_c", "coref_within.conll"], "tri_c", "plain")
    assert headers == ["system", "tri_c", "coref_within.conll", "match"]
    assert rows[-1][:3] == ["random", "5.0", ""]
    assert ["coref-sys", "30.0", "42.0", "exact"] in rows


def test_metric_entry_accepts_numbers_nested_names_and_dicts():
    assert metric_entry({"metrics": {"coref_within.conll": 0.5}}, "coref_within.conll") == {"f1": 0.5}
    assert metric_entry({"metrics": {"coref_within": {"conll": {"f1": 0.4}}}}, "coref_within.conll") == {"f1": 0.4}
    assert metric_entry({"metrics": {}}, "tri_c") is None


@pytest.mark.parametrize("fmt, marker", [("github", "|:"), ("latex", "\\toprule"), ("plain", "---")])
def test_formats(files, capsys, fmt, marker):
    assert main(["leaderboard", "--format", fmt, *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert marker in out
    if fmt == "latex":
        assert "55.0 [50.0--60.0]" in out


def test_incomparable_results_are_flagged(tmp_path, capsys):
    a = write_json(tmp_path / "a.json", result("x", 0.4))
    b = write_json(tmp_path / "b.json", result("y", 0.5, settings={"match": "overlap", "arg_match": "span"}))
    assert main(["leaderboard", str(a), str(b)]) == 0
    assert "differ in settings" in capsys.readouterr().err


def test_same_system_twice_is_told_apart_by_file(tmp_path, capsys):
    a = write_json(tmp_path / "run1.json", result("lexicon", 0.4))
    b = write_json(tmp_path / "run2.json", result("lexicon", 0.4))
    assert main(["leaderboard", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "lexicon (run1.json)" in out and "lexicon (run2.json)" in out


def test_bad_files_exit_2(tmp_path, capsys):
    not_result = write_json(tmp_path / "sub.json", {"documents": []})
    assert main(["leaderboard", str(not_result), str(tmp_path / "missing.json")]) == 2
    err = capsys.readouterr().err
    assert "not an evbench result" in err and "file not found" in err


def test_real_result_file(capsys):
    assert main(["leaderboard", str(TESTDATA / "lexicon.results.json")]) == 0
    out = capsys.readouterr().out
    assert "lexicon" in out and "tri_c" in out
