"""The bundled gold is found from any working directory, in the source tree and in a wheel install.

The wheel test builds evbench from a copy of the source (so nothing is written into the work
tree), installs it into a fresh venv that takes its dependencies from the system, and runs the
installed `evbench` from another directory: it must find the gold inside the installed package.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_PARTS = ("pyproject.toml", "README.md", "LICENSE", "benchmark", "scorers", "gold")
# Packages in the source tree that pyproject.toml does not ship yet; the lead owns pyproject.toml.
def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "EVBENCH_MAX_BYTES"}}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(cmd: list[str], cwd: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env={**clean_env(), **env}, capture_output=True, text=True, timeout=timeout)


def test_bundled_gold_is_found_from_any_working_directory(tmp_path):
    # PYTHONPATH: this checkout's code, even where an editable install points at another one.
    result = run([sys.executable, "-m", "benchmark", "validate", "--gold"], cwd=tmp_path, PYTHONPATH=str(ROOT))
    assert result.returncode == 0, result.stderr
    assert "valid (" in result.stdout
    assert str(ROOT / "gold" / "annotations") in result.stdout
    assert list(tmp_path.iterdir()) == [], "validate must not write into the working directory"


def _backend_is_installed() -> bool:
    """setuptools can build a wheel without fetching anything (needs `wheel`, or setuptools >= 70.1)."""
    return importlib.util.find_spec("wheel") is not None or importlib.util.find_spec("setuptools.command.bdist_wheel") is not None


def _unreachable(output: str) -> bool:
    needles = ("No matching distribution found", "Could not find a version", "Failed to establish a new connection", "Network is unreachable", "Temporary failure in name resolution")
    return any(n in output for n in needles)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the source tree (the build writes build/ and *.egg-info)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for part in SOURCE_PARTS:
        path = ROOT / part
        if path.is_dir():
            shutil.copytree(path, src / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        elif path.is_file():
            shutil.copy2(path, src / part)
    out = base / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "--quiet", "-w", out, src]
    if _backend_is_installed():
        cmd.insert(5, "--no-build-isolation")
    result = run(cmd, cwd=base, timeout=300)
    if result.returncode != 0:
        output = result.stdout + result.stderr
        if "--no-build-isolation" not in cmd and _unreachable(output):
            pytest.skip("cannot build a wheel offline: the `wheel` package is not installed and pip could not fetch the build backend (setuptools>=68, wheel)")
        pytest.fail(f"building the wheel failed:\n{output[-3000:]}")
    (built,) = out.glob("evbench-*.whl")
    return built


def test_wheel_ships_the_gold(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for part in ("gold/manifest.json", "gold/ontology.json", "gold/schema/submission.schema.json", "gold/schema/gold-document.schema.json"):
        assert part in names
    for doc in (ROOT / "gold" / "documents").glob("*.txt"):
        assert f"gold/documents/{doc.name}" in names
    for annotation in (ROOT / "gold" / "annotations").glob("*.json"):
        assert f"gold/annotations/{annotation.name}" in names


def test_wheel_ships_the_lm_eval_task_folder(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    task_dir = ROOT / "benchmark" / "integrations" / "lm_eval"
    files = sorted(task_dir.glob("*.yaml")) + sorted(task_dir.glob("*.py"))
    assert files
    for path in files:
        assert f"benchmark/integrations/lm_eval/{path.name}" in names


def test_wheel_ships_every_package_of_the_source_tree(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for top in ("benchmark", "scorers", "gold"):
        for init in (ROOT / top).rglob("__init__.py"):
            package = init.parent.relative_to(ROOT).as_posix()
            assert f"{package}/__init__.py" in names, f"{package} is not in the wheel: add it to [tool.setuptools] packages"
            for module in init.parent.glob("*.py"):
                assert f"{package}/{module.name}" in names


def test_installed_wheel_finds_its_bundled_gold(wheel, tmp_path):
    venv = tmp_path / "venv"
    result = run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    python = venv / "bin" / "python"
    # The dependencies come from the running environment: --system-site-packages only reaches the
    # base interpreter's, so a test run from inside a virtualenv lists its site-packages too.
    (site_packages,) = venv.glob("lib/python*/site-packages")
    (site_packages / "parent-environment.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    # --ignore-installed: the system may hold an editable evbench; leave it alone.
    result = run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--ignore-installed", "--quiet", wheel], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    where = run([python, "-c", "import benchmark, gold; print(benchmark.__file__); print(gold.__file__)"], cwd=elsewhere)
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert Path(line).resolve().is_relative_to(venv.resolve()), f"imported from outside the venv: {line}"

    result = run([venv / "bin" / "evbench", "validate", "--gold"], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "valid (" in result.stdout
    assert str(venv) in result.stdout, f"the gold should come from the installed package: {result.stdout}"

    result = run([venv / "bin" / "evbench", "--version"], cwd=elsewhere)
    assert result.returncode == 0 and result.stdout.startswith("evbench ")
    assert list(elsewhere.iterdir()) == []
