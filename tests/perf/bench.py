"""Performance benchmark of `evbench score` at scale: python tests/perf/bench.py [--sizes 1000,10000,100000] [--jobs 2].

For each size (number of documents) it generates a synthetic corpus with a reference and a noisy
prediction (`synthetic.py`; cached in --workdir), then measures in one run:

* floor: parsing the prediction and the reference with the fastest JSON parser installed
  (msgspec or orjson, whichever is faster here; named in the table), in a fresh process;
* score: `evbench score` end to end in a subprocess (cold start, reading, every validation,
  scoring, coreference, the JSON result), with --jobs 1 and with --jobs N (the output must be
  byte-identical);
* bootstrap: the same with `--ci 0.95 --resamples R` (R = 1000), and the extra time over score;
* memory: peak resident memory (the largest process, from wait4) and the peak of the summed
  proportional set size of the process tree (sampled from /proc), against the largest input
  file; with --resamples 100 too, to show whether memory grows with the resamples;
* peers (--peer textee=PATH, a local checkout never copied into the project): the peer's scorer on
  the same prediction and reference, in a subprocess measured like `evbench score` (an adapter,
  e.g. peer_textee.py, reads and converts the files and calls the peer's scoring functions), so the
  table shows evbench / peer ratios measured side by side in one run.

Then cold start: `evbench score` on the bundled gold against `python -c "import json"`, with evbench's bytecode
written first (as an install does)
(hyperfine if installed, else repeated runs and the median).

It prints one table (tabulate, github format) and the targets met or missed, and writes
everything as JSON (--json). Speed targets are checked here, never in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import synthetic  # noqa: E402

FLOOR_CODE = r"""
import gc, json, sys, time
gc.disable()  # as `evbench score` runs: a fair floor measures the parser, not the cyclic collector
paths = sys.argv[1:]
best = {}
for name in ("msgspec", "orjson"):
    try:
        module = __import__(name)
    except ImportError:
        continue
    loads = module.json.decode if name == "msgspec" else module.loads
    times = []
    for _ in range(int(%(repeat)d)):
        started = time.perf_counter()
        for p in paths:
            with open(p, "rb") as handle:
                value = loads(handle.read())
            del value
        times.append(time.perf_counter() - started)
    best[name] = min(times)
print(json.dumps(best))
"""


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(cmd: list[str], env: dict, stdout=subprocess.DEVNULL) -> dict:
    """Run `cmd`; wall time, CPU time, peak RSS of the largest process, peak summed PSS of the tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree, total = [proc.pid], 0
            while tree:
                pid = tree.pop()
                total += _pss_kb(pid)
                tree += _children(pid)
            peak[0] = max(peak[0], total)
            done.wait(0.05 if total < 1 << 20 else 0.5)  # reading smaps of a large process costs CPU itself

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{stderr.decode(errors='replace')[-3000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_mb": usage.ru_maxrss / 1024, "peak_pss_mb": peak[0] / 1024}


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["EVBENCH_MAX_BYTES"] = str(64 * 1024**3)  # the large sizes are far over the 64 MiB default
    return env


def evbench(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmark", *args]


def best_of(repeat: int, cmd: list[str], env: dict, collect: Path | None = None) -> dict:
    """The fastest of `repeat` runs, with the largest memory of any; `collect`: a JSON file each run writes, kept as "output"."""
    runs = []
    for _ in range(repeat):
        run = run_measured(cmd, env)
        if collect is not None:
            run["output"] = json.loads(collect.read_text(encoding="utf-8"))
        runs.append(run)
    best = min(runs, key=lambda r: r["wall_s"])
    return {**best, "max_rss_mb": max(r["max_rss_mb"] for r in runs), "peak_pss_mb": max(r["peak_pss_mb"] for r in runs)}


# Peers: name -> (the name shown, the adapter run as ADAPTER --NAME PATH PREDICTION REFERENCE --out OUT).
PEERS = {"textee": ("TextEE", HERE / "peer_textee.py")}


def peer_option(value: str) -> tuple[str, Path]:
    """--peer NAME=PATH: a known peer and an existing local checkout."""
    name, sep, path = value.partition("=")
    if not sep or not path:
        raise argparse.ArgumentTypeError(f"expected NAME=PATH, got {value!r}")
    if name not in PEERS:
        raise argparse.ArgumentTypeError(f"unknown peer {name!r} (known: {', '.join(sorted(PEERS))})")
    if not Path(path).is_dir():
        raise argparse.ArgumentTypeError(f"{path} is not a directory (a local checkout of {PEERS[name][0]})")
    return name, Path(path).resolve()


def peer_commit(path: Path) -> str | None:
    """The commit of a git checkout, to name the peer's version; None for a directory without its own .git (an exported archive)."""
    if not (path / ".git").exists():
        return None
    done = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or None if done.returncode == 0 else None


def measure_peers(row: dict, root: Path, repeat: int, peers: list[tuple[str, Path]], env: dict) -> None:
    """Each peer on the size's prediction and reference, after evbench's runs, and both systems' F1 for the sanity check."""
    if not peers:
        return
    metrics = json.loads((root / "result-jobs1.json").read_text(encoding="utf-8"))["metrics"]
    row["evbench_f1"] = {m: metrics[m]["f1"] for m in ("tri_i", "tri_c", "arg_i", "arg_c")}
    for name, path in peers:
        out = root / f"peer-{name}.json"
        cmd = [sys.executable, str(PEERS[name][1]), f"--{name}", str(path), str(root / "prediction.json"), str(root / "reference.json"), "--out", str(out)]
        row[f"peer_{name}"] = best_of(repeat, cmd, env, collect=out)


def measure_size(n_docs: int, args: argparse.Namespace, env: dict) -> dict:
    root = Path(args.workdir) / f"n{n_docs}"
    started = time.perf_counter()
    paths = synthetic.generate(root, n_docs, args.seed)
    generated = time.perf_counter() - started
    pred, ref, corpus = paths["prediction"], paths["reference"], paths["corpus"]
    sizes = {"prediction_mb": pred.stat().st_size / 1e6, "reference_mb": ref.stat().st_size / 1e6}
    repeat = args.repeat or (3 if n_docs <= 1000 else 1)
    row: dict = {"docs": n_docs, **sizes, "generate_s": generated, "repeat": repeat, "load_average_before": os.getloadavg()}

    floor = json.loads(subprocess.run([sys.executable, "-c", FLOOR_CODE % {"repeat": repeat}, str(pred), str(ref)],
                                      check=True, capture_output=True, text=True, env=env).stdout)
    row["floor_parser"], row["floor_s"] = min(floor.items(), key=lambda kv: kv[1])
    row["floor_all"] = floor

    base = ["score", str(pred), "--reference", str(ref), "--gold", str(corpus), "--format", "json"]
    if n_docs > args.full_max:  # too long for every measurement: one scoring pass (--jobs 1: forked workers
        # would copy the loaded annotations page by page, and at this size two copies do not fit in memory)
        row["partial"] = True
        row["score_jobs1"] = best_of(1, evbench(*base, "--jobs", "1", "--out", str(root / "result-jobs1.json")), env)
        measure_peers(row, root, 1, args.peer, env)
        row["load_average_after"] = os.getloadavg()
        return row
    outputs = {}
    for jobs in sorted({1, args.jobs}):
        out = root / f"result-jobs{jobs}.json"
        row[f"score_jobs{jobs}"] = best_of(repeat, evbench(*base, "--jobs", str(jobs), "--out", str(out)), env)
        outputs[jobs] = out.read_bytes()
    row["jobs_identical"] = len(set(outputs.values())) == 1
    for workers in args.dask_workers:
        out = root / f"result-dask{workers}.json"
        row[f"dask_{workers}"] = best_of(1, evbench(*base, "--engine", "dask", "--workers", str(workers), "--out", str(out)), env)
        row[f"dask_{workers}"]["identical"] = out.read_bytes() == outputs[1]
    ci = ["--ci", "0.95", "--resamples", str(args.resamples)]
    row["ci_jobs1"] = best_of(repeat, evbench(*base, *ci, "--out", str(root / "result-ci.json")), env)
    if n_docs <= args.resample_check_max:
        small = ["--ci", "0.95", "--resamples", str(max(1, args.resamples // 10))]
        row["ci_small_jobs1"] = best_of(1, evbench(*base, *small, "--out", str(root / "result-ci-small.json")), env)
    measure_peers(row, root, repeat, args.peer, env)
    row["load_average_after"] = os.getloadavg()  # other work on the machine slows every number down
    return row


def compile_bytecode() -> None:
    """Write evbench's bytecode, as ``pip install`` does (and a first run does, unless PYTHONDONTWRITEBYTECODE is set).

    Without it, a machine that sets PYTHONDONTWRITEBYTECODE (as some containers do) compiles
    every module at every start, and the cold start measures the compiler, not evbench.
    """
    import compileall

    for package in ("benchmark", "scorers"):
        compileall.compile_dir(str(REPO / package), quiet=1)


def cold_start(env: dict, runs: int) -> dict:
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="evbench-cold-"))
    gold = work / "gold-submission.json"
    subprocess.run(evbench("export", "--submission", "-o", str(gold)), check=True, env=env, capture_output=True)
    commands = {"python -c 'import json'": [sys.executable, "-c", "import json"],
                "evbench score (bundled gold)": evbench("score", str(gold))}
    result: dict = {"runs": runs}
    if shutil.which("hyperfine"):
        export = work / "hyperfine.json"
        quoted = [" ".join(f"'{c}'" if " " in c else c for c in cmd) for cmd in commands.values()]
        subprocess.run(["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", str(export), *quoted],
                       check=True, env=env, capture_output=True)
        found = json.loads(export.read_text())["results"]
        result["tool"] = "hyperfine"
        for name, entry in zip(commands, found, strict=True):
            result[name] = {"median_s": entry["median"], "mean_s": entry["mean"], "stddev_s": entry["stddev"]}
    else:
        result["tool"] = "repeated runs (median)"
        for name, cmd in commands.items():
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - started)
            result[name] = {"median_s": statistics.median(times)}
    shutil.rmtree(work, ignore_errors=True)
    return result


def peers_in(rows: list[dict]) -> list[str]:
    """The peers measured in these rows, in PEERS order."""
    return [name for name in PEERS if any(f"peer_{name}" in r for r in rows)]


def peer_cells(r: dict, name: str) -> list[str]:
    """Peer seconds (the scoring call alone), peak RSS, and evbench / peer for time and memory, from one run."""
    peer = r.get(f"peer_{name}")
    if not peer:
        return ["-", "-", "-"]
    one = r["score_jobs1"]
    return [f"{peer['wall_s']:.2f} ({peer['output']['score_s']:.2f})", f"{peer['max_rss_mb']:.0f}",
            f"{one['wall_s'] / peer['wall_s']:.2f}x, {one['max_rss_mb'] / peer['max_rss_mb']:.2f}x"]


def table(rows: list[dict], jobs: int, resamples: int) -> tuple[list[str], list[list]]:
    dask = sorted({int(k.split("_")[1]) for r in rows for k in r if k.startswith("dask_")})
    peers = peers_in(rows)
    headers = ["docs", "pred + ref MB", "floor s (parser)", "score s (x floor)", f"score --jobs {jobs} s (speed-up)",
               *([f"--engine dask, {' / '.join(map(str, dask))} workers s"] if dask else []),
               f"+ bootstrap {resamples} s (x score)", "peak RSS MB (x largest input)", f"peak RSS --ci MB ({resamples // 10} / {resamples} resamples)"]
    for name in peers:
        label = PEERS[name][0]
        headers += [f"{label} s (scoring call)", f"{label} peak RSS MB", f"evbench / {label} (time, RSS)"]
    body = []
    for r in rows:
        tail = [cell for name in peers for cell in peer_cells(r, name)]
        largest = max(r["prediction_mb"], r["reference_mb"])
        head = [f"{r['docs']:,}", f"{r['prediction_mb']:.0f} + {r['reference_mb']:.0f}", f"{r['floor_s']:.2f} ({r['floor_parser']})"]
        one = r["score_jobs1"]
        if r.get("partial"):  # --full-max: one scoring pass only
            body.append([*head, f"{one['wall_s']:.2f} ({one['wall_s'] / r['floor_s']:.1f}x)", "-", *(["-"] if dask else []), "-",
                         f"{one['max_rss_mb']:.0f} ({one['max_rss_mb'] / largest:.1f}x)", "-", *tail])
            continue
        many, ci = r[f"score_jobs{jobs}"], r["ci_jobs1"]
        boot = ci["wall_s"] - one["wall_s"]
        small = r.get("ci_small_jobs1")
        body.append([
            *head,
            f"{one['wall_s']:.2f} ({one['wall_s'] / r['floor_s']:.1f}x)",
            f"{many['wall_s']:.2f} ({one['wall_s'] / many['wall_s']:.2f}x)" + ("" if r["jobs_identical"] else " OUTPUT DIFFERS"),
            *([" / ".join(f"{r[f'dask_{w}']['wall_s']:.2f}" + ("" if r[f"dask_{w}"]["identical"] else " OUTPUT DIFFERS") if f"dask_{w}" in r else "-"
                          for w in dask)] if dask else []),
            f"{boot:.2f} ({boot / one['wall_s']:.2f}x)",
            f"{one['max_rss_mb']:.0f} ({one['max_rss_mb'] / largest:.1f}x)",
            (f"{small['max_rss_mb']:.0f} / " if small else "- / ") + f"{ci['max_rss_mb']:.0f}",
            *tail,
        ])
    return headers, body


# TextEE's end-to-end metrics next to evbench's closest ones (evbench's F1 are fractions, TextEE's percentages).
PEER_F1 = {"textee": (("tri_c", "trigger_cls"), ("arg_c", "argument_cls"))}
PEER_F1_NOTE = (
    "F1 of one run, a sanity check that both scored the same files, not expected to be equal: the definitions agree on paper "
    "(tri_c: offsets + type; arg_c: event type + argument span + role in the same document, as TextEE's argument_cls), but TextEE "
    "counts sets of tuples (a repeated prediction or reference counts once) while evbench matches one to one (a duplicate "
    "prediction is a false positive, each reference mention must be found)."
)


def peer_f1_table(rows: list[dict]) -> tuple[list[str], list[list]]:
    """evbench's tri_c / arg_c F1 next to each peer's trigger / argument classification F1, in percent."""
    peers = [name for name in peers_in(rows) if name in PEER_F1]
    headers = ["docs"]
    for name in peers:
        headers += [f"{ours} F1: evbench / {PEERS[name][0]} {theirs}" for ours, theirs in PEER_F1[name]]
    body = []
    for r in rows:
        cells = [f"{r['docs']:,}"]
        for name in peers:
            scores = r.get(f"peer_{name}", {}).get("output", {}).get("scores", {})
            cells += [f"{100 * r['evbench_f1'][ours]:.2f} / {scores[theirs]['f1']:.2f}" if theirs in scores else "-"
                      for ours, theirs in PEER_F1[name]]
        body.append(cells)
    return headers, body


def targets(rows: list[dict], cold: dict | None, jobs: int) -> list[tuple[str, bool, str]]:
    """The targets of the scale issue: time within 8x the parse floor and linear, memory flat in the documents."""
    out = []
    for r in rows:
        one = r["score_jobs1"]["wall_s"]
        out.append((f"{r['docs']:,} docs: score <= 8x parse floor", one <= 8 * r["floor_s"], f"{one / r['floor_s']:.1f}x"))
    for a, b in zip(rows, rows[1:], strict=False):
        ratio_docs = b["docs"] / a["docs"]
        ratio_time = b["score_jobs1"]["wall_s"] / a["score_jobs1"]["wall_s"]
        out.append((f"{a['docs']:,} -> {b['docs']:,} docs: time linear ({ratio_docs:.0f}x docs -> <= {1.1 * ratio_docs:.0f}x time)",
                    ratio_time <= 1.1 * ratio_docs, f"{ratio_time:.1f}x"))
        grow = b["score_jobs1"]["max_rss_mb"] / a["score_jobs1"]["max_rss_mb"]
        if ratio_docs <= 8:
            out.append((f"{a['docs']:,} -> {b['docs']:,} docs: peak memory flat (<= 2x)", grow <= 2, f"{grow:.2f}x"))
    for r in rows:
        rss = r["score_jobs1"]["max_rss_mb"]
        if r["docs"] == 10_000:  # the KBP scorer's order of memory at that size
            out.append((f"{r['docs']:,} docs: peak memory under 200 MB", rss < 200, f"{rss:.0f} MB"))
        if r["docs"] >= 100_000:
            out.append((f"{r['docs']:,} docs: peak memory under 1 GB", rss < 1024, f"{rss:.0f} MB"))
    rows = [r for r in rows if not r.get("partial")]
    for r in rows:
        one, ci = r["score_jobs1"]["wall_s"], r["ci_jobs1"]["wall_s"]
        out.append((f"{r['docs']:,} docs: bootstrap <= 2x one scoring pass", ci - one <= 2 * one, f"{(ci - one) / one:.2f}x"))
        rss, ci_rss = r["score_jobs1"]["max_rss_mb"], r["ci_jobs1"]["max_rss_mb"]
        out.append((f"{r['docs']:,} docs: --ci peak memory <= 1.5x the plain run", ci_rss <= 1.5 * rss, f"{ci_rss / rss:.2f}x"))
        small = r.get("ci_small_jobs1")
        if small:
            grows = r["ci_jobs1"]["max_rss_mb"] > 1.1 * small["max_rss_mb"] + 20
            out.append((f"{r['docs']:,} docs: memory does not grow with resamples", not grows,
                        f"{small['max_rss_mb']:.0f} -> {r['ci_jobs1']['max_rss_mb']:.0f} MB"))
    for name in peers_in(rows):  # the comparison is at 10k documents: that size if measured, else the largest
        measured = [r for r in rows if f"peer_{name}" in r]
        r = next((r for r in measured if r["docs"] == 10_000), measured[-1])
        ours, theirs = r["score_jobs1"]["wall_s"], r[f"peer_{name}"]["wall_s"]
        where = "" if r["docs"] == 10_000 else f" (measured at {r['docs']:,} docs: no 10k run)"
        out.append((f"faster than {PEERS[name][0]}'s scorer at 10k{where}", ours < theirs, f"{ours:.2f} s vs {theirs:.2f} s ({ours / theirs:.2f}x)"))
    if cold:
        ev = cold["evbench score (bundled gold)"]["median_s"]
        out.append(("cold start: evbench score (gold) <= 0.25 s", ev <= 0.25, f"{ev:.3f} s"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of documents")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the multi-core run (default 2)")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument("--repeat", type=int, default=0, help="runs per measurement, best kept (default 3 up to 1,000 docs, else 1)")
    parser.add_argument("--resample-check-max", type=int, default=10000, help="also run --resamples R/10 up to this many docs")
    parser.add_argument("--full-max", type=int, default=10**9,
                        help="above this many docs measure only the floor and score --jobs N (the 100k run takes long)")
    parser.add_argument("--dask-workers", type=lambda v: [int(w) for w in v.split(",") if w.strip()], default=[],
                        help="also score with --engine dask on a local cluster of each of these worker counts, e.g. 1,2 (needs .[dask])")
    parser.add_argument("--cold-runs", type=int, default=20, help="runs of each cold-start command (0 skips it)")
    parser.add_argument("--peer", type=peer_option, action="append", default=[], metavar="NAME=PATH",
                        help=f"also time a peer's scorer on the same files, from a local checkout (repeatable; known: {', '.join(sorted(PEERS))})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "evbench-perf"), help="where corpora are generated and kept")
    parser.add_argument("--json", default=None, help="write the results here (default WORKDIR/bench.json)")
    args = parser.parse_args(argv)
    from tabulate import tabulate

    env = _env()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    for n in sizes:
        print(f"[bench] {n:,} documents ...", file=sys.stderr, flush=True)
        rows.append(measure_size(n, args, env))
    cold = cold_start(env, args.cold_runs) if args.cold_runs > 0 else None
    headers, body = table(rows, args.jobs, args.resamples)
    machine = f"{platform.node() or 'host'}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    command = "python tests/perf/bench.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; machine: {machine}\ncommand: {command}\n")
    print(tabulate(body, headers=headers, tablefmt="github", disable_numparse=True))
    for name, path in args.peer:
        commit = peer_commit(path)
        print(f"\npeer {PEERS[name][0]}: {path}" + (f", commit {commit}" if commit else "") + "; its seconds: the whole subprocess "
              "(reading, converting, scoring, as evbench's), in parentheses the scoring call alone; ratios: evbench score (--jobs 1) / peer")
    peer_headers, peer_body = peer_f1_table(rows)
    if len(peer_headers) > 1:
        print(f"\n{PEER_F1_NOTE}\n")
        print(tabulate(peer_body, headers=peer_headers, tablefmt="github", disable_numparse=True))
    if cold:
        ev, py = cold["evbench score (bundled gold)"]["median_s"], cold["python -c 'import json'"]["median_s"]
        print(f"\ncold start ({cold['tool']}, {cold['runs']} runs, median): evbench score on the bundled gold {ev:.3f} s; "
              f"python -c 'import json' {py:.3f} s")
    checks = targets(rows, cold, args.jobs)
    print("\ntargets:")
    for name, ok, value in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {name}: {value}")
    out = Path(args.json) if args.json else Path(args.workdir) / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"date": datetime.now(timezone.utc).isoformat(), "machine": machine, "command": command,
                               "jobs": args.jobs, "resamples": args.resamples, "rows": rows, "cold_start": cold,
                               "table": {"headers": headers, "rows": body},
                               "peers": {name: {"path": str(path), "commit": peer_commit(path)} for name, path in args.peer},
                               "peer_f1": {"headers": peer_headers, "rows": peer_body, "note": PEER_F1_NOTE},
                               "targets": [{"target": n, "met": ok, "value": v} for n, ok, v in checks]}, indent=1) + "\n")
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
