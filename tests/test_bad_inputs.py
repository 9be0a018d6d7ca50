"""The bad-input corpus: every file in tests/bad_inputs/cases.json must be refused cleanly.

Refused cleanly means: exit status 2, one line per problem on stderr, each line naming the file
in the form `FILE:LOCATION: severity: MESSAGE (fix: FIX)`, the expected message on the line
with the expected location, and never a traceback. Inputs too large to commit (a 100 MB sparse
file, 100000 nested arrays) are made at test time in tmp_path.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from benchmark import cli
from benchmark.cli import main

HERE = Path(__file__).parent / "bad_inputs"
CASES = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))["cases"]
LINE = re.compile(r"^(?P<file>.+?)(?::(?P<where>[^:]+))?: (?P<severity>error|warning): (?P<message>.+) \(fix: (?P<fix>.+)\)$")


def run_validate(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["validate", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_refused(code: int, out: str, err: str, path: str, message: str, where: str) -> None:
    """Exit 2; every stderr line names the file; `message` is on a line located at `where`."""
    assert code == 2, err
    assert "Traceback" not in out + err
    assert "valid (" not in out, out
    lines = err.splitlines()
    assert lines, "no problem reported"
    for line in lines:
        assert line.startswith(f"{path}:") or line.startswith(f"{path} "), f"line does not name the file: {line!r}"
        assert LINE.match(line), f"not one well-formed problem line: {line!r}"
    head = f"{path}:{where}: error: " if where else f"{path}: error: "
    assert any(line.startswith(head) and message in line for line in lines), f"expected {head!r} ... {message!r} in:\n{err}"


def test_the_corpus_is_large_enough_and_consistent():
    names = [case["file"] for case in CASES]
    assert len(names) >= 40
    assert len(set(names)) == len(names), "a file is listed twice"
    listed = set(names)
    on_disk = {p.name for p in HERE.iterdir() if p.name != "cases.json"}
    assert on_disk <= listed, f"files without a case: {sorted(on_disk - listed)}"
    for case in CASES:
        assert {"file", "covers", "message", "where"} <= set(case), case
        assert (HERE / case["file"]).exists() != case.get("absent", False), case["file"]


def test_no_committed_bad_input_is_large():
    for path in HERE.rglob("*"):
        assert path.stat().st_size < 64 * 1024, f"{path} is too large to commit; generate it at test time"


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_validate_refuses(case, capsys, monkeypatch):
    monkeypatch.chdir(HERE)  # the file is named as given on the command line: keep it short
    code, out, err = run_validate(capsys, case["file"])
    assert_refused(code, out, err, case["file"], case["message"], case["where"])


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_score_refuses(case, capsys, monkeypatch, tmp_path):
    if "score" not in cli.COMMANDS:
        pytest.skip("the `score` command is not in benchmark.cli.COMMANDS yet")
    monkeypatch.chdir(HERE)
    out_file = tmp_path / "scores.json"
    try:
        code = main(["score", case["file"], "--out", str(out_file)])
    except SystemExit as exc:  # an argparse usage error would exit here
        code = exc.code
    out = capsys.readouterr()
    assert code == 2, out.err
    assert "Traceback" not in out.out + out.err
    assert case["file"] in out.err
    assert not out_file.exists(), "a bad input must not leave a result file behind"


def test_all_problems_of_a_file_are_reported_at_once(capsys, monkeypatch):
    monkeypatch.chdir(HERE)
    code, _, err = run_validate(capsys, "typo_trigers.json", "no_documents.json")
    assert code == 2
    assert "'trigers' was unexpected" in err and "'trigger' is a required property" in err
    assert "missing the 'documents' field" in err and "('events' was unexpected)" in err


# --- generated at test time: too large to commit


def test_oversized_file_is_rejected_by_size_without_reading(tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: 100 MB on paper, nothing on disk
        handle.truncate(100 * 1000 * 1000)

    for method in ("open", "read_bytes", "read_text"):
        original = getattr(Path, method)

        def guarded(self, *args, _original=original, **kwargs):
            assert self != big, "an oversized file must be refused before it is read"
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Path, method, guarded)
    monkeypatch.delenv("EVBENCH_MAX_BYTES", raising=False)
    started = time.perf_counter()
    code, out, err = run_validate(capsys, str(big))
    assert time.perf_counter() - started < 2
    assert_refused(code, out, err, str(big), "file is 100,000,000 bytes, over the limit of 67,108,864 bytes", "")


@pytest.mark.parametrize("how", ["env", "option"])
def test_size_limit_can_be_lowered(how, tmp_path, capsys, monkeypatch):
    path = tmp_path / "small.jsonl"
    path.write_text('{"doc_id": "000_4d407a0bed6a0682", "events": []}\n', encoding="utf-8")
    if how == "env":
        monkeypatch.setenv("EVBENCH_MAX_BYTES", "10")
        code, out, err = run_validate(capsys, str(path))
    else:
        code, out, err = run_validate(capsys, "--max-bytes", "10", str(path))
    assert_refused(code, out, err, str(path), "over the limit of 10 bytes", "")


def test_raising_the_limit_admits_the_file(tmp_path, capsys, monkeypatch):
    path = tmp_path / "ok.jsonl"
    path.write_text('{"doc_id": "000_4d407a0bed6a0682", "events": []}\n', encoding="utf-8")
    monkeypatch.setenv("EVBENCH_MAX_BYTES", "10")
    code, _, err = run_validate(capsys, "--max-bytes", "1000", str(path))
    assert code == 0, err


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_100000_nested_arrays_give_no_recursion_traceback(suffix, tmp_path, capsys):
    path = tmp_path / f"nested{suffix}"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    code, out, err = run_validate(capsys, str(path))
    assert_refused(code, out, err, str(path), "JSON nested too deeply", "line 1 column 101")
    assert "RecursionError" not in err


def test_many_broken_jsonl_lines_are_summarised(tmp_path, capsys):
    path = tmp_path / "pretty.jsonl"  # pretty-printed JSON under a .jsonl name: every line is broken
    path.write_text(json.dumps({"documents": [{"doc_id": "x", "events": [{"id": str(i)} for i in range(10)]}]}, indent=2), encoding="utf-8")
    code, out, err = run_validate(capsys, str(path))
    assert_refused(code, out, err, str(path), "more unreadable lines not shown", "")
    assert len(err.splitlines()) == 21
