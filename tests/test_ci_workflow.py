"""The shipped GitHub Actions workflow: the README's copy is the file, and its evbench steps work.

The README's "Use in CI" section shows the workflow that `.github/workflows/evbench.yml` is.
The copy is the fenced yaml block between `<!-- workflow:start -->` and `<!-- workflow:end -->`
when the README has those markers, else the first yaml block after the README names the file.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
WORKFLOW_PATH = ".github/workflows/evbench.yml"
WORKFLOW = ROOT / WORKFLOW_PATH
MARKERS = ("<!-- workflow:start -->", "<!-- workflow:end -->")
YAML_BLOCK = re.compile(r"^```ya?ml\n(.*?)^```[ \t]*$", re.S | re.M)


def readme_workflow() -> str:
    """The README's copy of the workflow (skips, saying why, when the README has none)."""
    text = README.read_text(encoding="utf-8")
    start, end = MARKERS
    if start in text and end in text:
        where, region = "between the workflow markers", text.split(start, 1)[1].split(end, 1)[0]
    elif WORKFLOW_PATH in text:
        where, region = f"after the README names {WORKFLOW_PATH}", text.split(WORKFLOW_PATH, 1)[1]
    else:
        pytest.skip(f"README.md has no copy of the workflow: no {MARKERS[0]} / {MARKERS[1]} markers and no mention of {WORKFLOW_PATH}")
    block = YAML_BLOCK.search(region)
    if block is None:
        pytest.skip(f"README.md has no fenced yaml block {where}; add the workflow there between {MARKERS[0]} / {MARKERS[1]}")
    return block.group(1)


def test_the_workflow_the_readme_points_to_exists():
    assert WORKFLOW_PATH in README.read_text(encoding="utf-8")
    assert WORKFLOW.is_file(), f"README.md points to {WORKFLOW_PATH}, which does not exist"


def test_the_readme_copy_of_the_workflow_equals_the_file():
    assert readme_workflow() == WORKFLOW.read_text(encoding="utf-8"), (
        f"README.md's workflow and {WORKFLOW_PATH} differ: change both together")


def workflow_commands() -> list[str]:
    """The shell commands of the workflow's `run:` steps, in order."""
    return [m.group(1).strip() for m in re.finditer(r"^\s*(?:-\s+)?run:\s*(.+)$", WORKFLOW.read_text(encoding="utf-8"), re.M)]


def test_the_workflow_installs_evbench_and_gates_with_a_fraction_max_drop():
    commands = workflow_commands()
    assert commands[0] == "python -m pip install -e ."
    assert all(c.startswith("evbench ") for c in commands[1:]), commands
    gate = next(c for c in commands if "--baseline" in c)
    value = shlex.split(gate)[shlex.split(gate).index("--max-drop") + 1]
    from benchmark.gating import max_drop

    assert max_drop(value) < 0.05, "the documented gate should allow a small drop, not a collapse"


def test_the_workflow_steps_run_and_the_gate_passes(tmp_path, monkeypatch, capsys):
    """Every evbench step of the workflow, in order, in a checkout-like directory: each exits 0."""
    (tmp_path / "submissions").symlink_to(ROOT / "submissions", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    for command in workflow_commands()[1:]:
        argv = shlex.split(command)
        code, _, stderr = run_cli(capsys, *argv[1:])
        assert code == 0, f"{command}: exit {code}\n{stderr}"
    gate = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["gate"]
    assert gate["passed"] and gate["warnings"] == []
    assert str(ROOT) not in (tmp_path / "results.json").read_text(encoding="utf-8")  # the uploaded artifact names no local path
