"""Smoke test of the performance benchmark (tests/perf/bench.py): it runs on a tiny corpus and prints
one table of the documented shape. No speed is checked here: targets belong to the benchmark."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent / "perf" / "bench.py"


def test_bench_runs_and_prints_one_table(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(BENCH), "--sizes", "20", "--resamples", "20", "--repeat", "1", "--cold-runs", "0",
                           "--resample-check-max", "20", "--dask-workers", "1", "--workdir", str(tmp_path / "work"), "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert len(lines) == 3  # header, separator, one size
    assert all(line.count("|") == 10 for line in lines)  # 9 columns, one of them --engine dask
    data = json.loads(out.read_text())
    row = data["rows"][0]
    assert row["docs"] == 20 and row["jobs_identical"]
    assert row["floor_parser"] in {"msgspec", "orjson"}
    assert {"score_jobs1", "score_jobs2", "ci_jobs1", "ci_small_jobs1", "dask_1"} <= set(row)
    assert row["dask_1"]["identical"]  # the dask engine's output is byte-identical to the local one
    assert data["table"]["headers"][0] == "docs" and len(data["table"]["rows"]) == 1
    assert any(t["target"].endswith("score <= 8x parse floor") for t in data["targets"])
    assert any(t["target"].endswith("--ci peak memory <= 1.5x the plain run") for t in data["targets"])
