"""Smoke test of the performance benchmark (tests/perf/bench.py): it runs on a tiny corpus and prints
one table of the documented shape. No speed is checked here: targets belong to the benchmark."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


# --peer: TextEE's scorer timed next to evbench. The suite never needs the real TextEE: a fake
# checkout has a scorer.py with the real module's function names and signatures (TextEE/scorer.py:
# compute_scores, compute_ED_scores, compute_EAE_scores, compute_E2E_scores), returning fixed numbers.
PERF = Path(__file__).parent / "perf"
ADAPTER = PERF / "peer_textee.py"
FAKE_SCORER = '''
import json
import os

import ipdb  # the real scorer.py starts with this import too

FIXED = {"pred_num": 3, "gold_num": 4, "match_num": 2, "precision": 66.0, "recall": 50.0, "f1": 57.0}


def _check(preds, golds):
    assert len(preds) == len(golds)
    for pred, gold in zip(preds, golds):
        assert pred["doc_id"] == gold["doc_id"] and pred["wnd_id"] == gold["wnd_id"]
        for event in pred["events"] + gold["events"]:
            assert len(event["trigger"]) == 3 and all(len(a) == 3 for a in event["arguments"])
    if os.environ.get("FAKE_TEXTEE_DUMP"):
        with open(os.environ["FAKE_TEXTEE_DUMP"], "w") as handle:
            json.dump({"preds": preds, "golds": golds}, handle)


def compute_scores(preds, golds, task):
    return compute_E2E_scores(preds, golds)


def compute_ED_scores(preds, golds, metrics={"trigger_id", "trigger_cls"}):
    return {m: dict(FIXED) for m in metrics}


def compute_EAE_scores(preds, golds, metrics={"argument_id", "argument_cls", "argument_attached_id", "argument_attached_cls"}):
    return {m: dict(FIXED) for m in metrics}


def compute_E2E_scores(preds, golds, metrics={"trigger_id", "trigger_cls", "argument_id", "argument_cls", "argument_attached_id", "argument_attached_cls"}):
    _check(preds, golds)
    return {m: dict(FIXED) for m in metrics}
'''


def _bench_module():
    spec = importlib.util.spec_from_file_location("evbench_perf_bench", PERF / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_textee(tmp_path: Path) -> Path:
    checkout = tmp_path / "fake-textee"
    (checkout / "TextEE").mkdir(parents=True)
    (checkout / "TextEE" / "scorer.py").write_text(FAKE_SCORER, encoding="utf-8")
    return checkout


def _tiny(tmp_path: Path, n_docs: int = 4) -> dict[str, Path]:
    sys.path.insert(0, str(PERF))
    import synthetic

    return synthetic.generate(tmp_path / "tiny", n_docs, seed=0)


@pytest.mark.parametrize("value, message", [
    ("nope=/tmp", "unknown peer 'nope' (known: textee)"),
    ("textee", "expected NAME=PATH"),
    ("textee=/no/such/checkout", "is not a directory"),
])
def test_peer_option_rejects_unknown_names_and_bad_values(value, message, capsys):
    with pytest.raises(SystemExit) as stop:
        _bench_module().main(["--sizes", "1", "--peer", value])
    assert stop.value.code == 2  # argparse's usage error, before any work
    assert message in capsys.readouterr().err


def test_peer_option_returns_the_name_and_the_resolved_checkout(tmp_path):
    bench = _bench_module()
    checkout = _fake_textee(tmp_path)
    assert bench.peer_option(f"textee={checkout}") == ("textee", checkout.resolve())
    assert set(bench.PEERS) == {"textee"}


def test_adapter_converts_evbench_files_and_reports_the_scorer_numbers(tmp_path):
    paths = _tiny(tmp_path)
    out, dump = tmp_path / "peer.json", tmp_path / "dump.json"
    env = {**os.environ, "FAKE_TEXTEE_DUMP": str(dump)}
    done = subprocess.run([sys.executable, str(ADAPTER), "--textee", str(_fake_textee(tmp_path)), str(paths["prediction"]), str(paths["reference"]),
                           "--out", str(out)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    assert result["documents"] == 4
    assert set(result["scores"]) == {"trigger_id", "trigger_cls", "argument_id", "argument_cls"}
    assert result["scores"]["trigger_cls"]["f1"] == 57.0  # the fake's fixed number, passed through untouched
    assert all(result[k] >= 0 for k in ("read_s", "convert_s", "score_s"))
    # What the scorer received: one instance per reference document, in the reference's order, with
    # (start, end, type) triggers and (start, end, role) arguments taken from the evbench files.
    reference = json.loads(paths["reference"].read_text(encoding="utf-8"))
    seen = json.loads(dump.read_text())
    assert [g["doc_id"] for g in seen["golds"]] == [d["doc_id"] for d in reference["documents"]]
    first = reference["documents"][0]["events"][0]
    assert seen["golds"][0]["events"][0]["trigger"] == [first["trigger"]["start"], first["trigger"]["end"], first["type"]]
    assert seen["golds"][0]["events"][0]["arguments"] == [[a["start"], a["end"], a["role"]] for a in first["arguments"]]


def test_adapter_gives_a_document_missing_from_the_prediction_no_events(tmp_path):
    sys.path.insert(0, str(PERF))
    import peer_textee

    reference = {"documents": [{"doc_id": "a", "events": [{"type": "Life.Die", "trigger": {"start": 0, "end": 3}, "arguments": []}]},
                               {"doc_id": "b", "events": []}]}
    prediction = {"documents": [{"doc_id": "b", "events": []}, {"doc_id": "extra", "events": []}]}
    preds, golds = peer_textee.convert(prediction, reference)
    assert [p["doc_id"] for p in preds] == ["a", "b"] and preds[0]["events"] == []
    assert golds[0]["events"] == [{"trigger": (0, 3, "Life.Die"), "arguments": []}]


def test_bench_with_a_peer_adds_its_columns_target_and_f1(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(BENCH), "--sizes", "10", "--resamples", "10", "--repeat", "1", "--cold-runs", "0",
                           "--resample-check-max", "0", "--workdir", str(tmp_path / "work"), "--json", str(out),
                           "--peer", f"textee={_fake_textee(tmp_path)}"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert len(lines) == 6  # the table (header, separator, one size) and the F1 sanity check (same)
    assert lines[0].count("|") == 12 and "evbench / TextEE (time, RSS)" in lines[0]  # 8 columns + 3 of the peer
    data = json.loads(out.read_text())
    peer = data["rows"][0]["peer_textee"]
    assert peer["wall_s"] > 0 and peer["max_rss_mb"] > 0 and peer["output"]["scores"]["argument_cls"]["f1"] == 57.0
    assert data["peer_f1"]["rows"][0][1].endswith(" / 57.00")
    assert any(t["target"].startswith("faster than TextEE's scorer at 10k") for t in data["targets"])
    assert "the definitions agree on paper" in done.stdout


def test_bench_without_a_peer_has_no_peer_target():
    bench = _bench_module()
    row = {"docs": 10, "floor_s": 1.0, "score_jobs1": {"wall_s": 1.0, "max_rss_mb": 50.0}, "partial": True}
    assert not any("TextEE" in name for name, _, _ in bench.targets([row], None, 2))


@pytest.mark.skipif(not os.environ.get("EVBENCH_TEXTEE"), reason="set EVBENCH_TEXTEE to a local TextEE checkout (github.com/ej0cl6/TextEE) to run")
def test_real_textee_scores_a_perfect_prediction_100(tmp_path):
    paths = _tiny(tmp_path, n_docs=3)
    out = tmp_path / "peer.json"
    done = subprocess.run([sys.executable, str(ADAPTER), "--textee", os.environ["EVBENCH_TEXTEE"], str(paths["reference"]), str(paths["reference"]),
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    scores = json.loads(out.read_text())["scores"]
    assert {m: s["f1"] for m, s in scores.items()} == {m: 100.0 for m in ("trigger_id", "trigger_cls", "argument_id", "argument_cls")}


def test_readme_quotes_the_kept_benchmark_run():
    """The README's performance table, command and cold-start line are those of tests/perf/results.json (no hand-copied number)."""
    from tabulate import tabulate

    run = json.loads((BENCH.parent / "results.json").read_text(encoding="utf-8"))
    readme = (BENCH.parent.parent.parent / "README.md").read_text(encoding="utf-8")
    table = tabulate(run["table"]["rows"], headers=run["table"]["headers"], tablefmt="github", disable_numparse=True)
    assert table in readme
    command = run["command"].split(" --workdir")[0]
    assert f"```bash\n{command}\n```" in readme
    cold = run["cold_start"]
    assert f"`evbench score` on the bundled gold\n{cold['evbench score (bundled gold)']['median_s']:.3f} s" in readme
    assert f"`python -c \"import json\"` {cold['python -c ' + chr(39) + 'import json' + chr(39)]['median_s']:.3f} s" in readme
    for target in run["targets"]:  # every measured target value is quoted in the targets table
        number = target["value"].split()[0].rstrip("x")
        assert number in readme, target
