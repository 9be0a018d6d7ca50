"""`evbench leaderboard`: several systems' results (from `evbench score --out`) side by side.

One row per results file, one column per main metric (F1 in percent), with its confidence
interval when the result carries one (``metrics[name]["ci"] = [lo, hi]``). Rows are sorted by
tri_c F1, best first. Results scored with different settings or against a different reference
are not comparable; the command says so on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

INTERVAL_SETTINGS = ("ci", "resamples", "seed", "unit")
MAIN_METRICS = ("tri_i", "tri_c", "arg_i", "arg_c", "realis", "coref_within.conll")


def add_parser(sub) -> None:
    p = sub.add_parser("leaderboard", help="compare systems' results (JSON from `evbench score --out`) side by side")
    p.add_argument("results", nargs="+", metavar="RESULTS", help="result JSON files")
    p.add_argument("--format", choices=("plain", "github", "latex"), default="plain")
    p.add_argument("--metrics", default=",".join(MAIN_METRICS),
                   help=f"comma-separated metrics to show when present (default: {','.join(MAIN_METRICS)})")
    p.add_argument("--sort", default="tri_c", metavar="METRIC", help="sort by this metric's F1, best first (default tri_c)")
    p.set_defaults(run=run)


def metric_entry(result: dict, name: str) -> dict | None:
    """`metrics[name]`, also found as `metrics[a][b]` for a dotted name; None when absent."""
    metrics = result.get("metrics", {})
    if name in metrics:
        entry = metrics[name]
    else:
        head, _, tail = name.partition(".")
        entry = metrics.get(head, {}).get(tail) if tail and isinstance(metrics.get(head), dict) else None
    if entry is None:
        return None
    if isinstance(entry, (int, float)):
        return {"f1": float(entry)}
    if isinstance(entry, dict) and isinstance(entry.get("f1"), (int, float)):
        return entry
    return None


def _cell(entry: dict | None, fmt: str) -> str:
    if entry is None:
        return ""
    text = f"{100 * entry['f1']:.1f}"
    ci = entry.get("ci")
    if isinstance(ci, (list, tuple)) and len(ci) == 2 and all(isinstance(x, (int, float)) for x in ci):
        dash = "--" if fmt == "latex" else "–"
        text += f" [{100 * ci[0]:.1f}{dash}{100 * ci[1]:.1f}]"
    return text


def load_results(paths: list[str]) -> list[tuple[str, dict]]:
    from benchmark.input.problems import InputError, Problem
    from benchmark.input.reading import max_bytes_from_env, read_json

    loaded, problems = [], []
    for name in paths:
        try:
            result = read_json(Path(name), max_bytes_from_env())
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(result, dict) or not isinstance(result.get("metrics"), dict):
            problems.append(Problem(name, "$.metrics", "not an evbench result (no 'metrics' object)", "pass files written by `evbench score --out` or `evbench run --results`"))
            continue
        loaded.append((name, result))
    if problems:
        raise InputError(problems)
    return loaded


def comparability_notes(results: list[tuple[str, dict]]) -> list[str]:
    notes = []
    def scoring(r: dict) -> dict:
        # Interval settings (--ci, --resamples, --seed, --unit) change no point estimate.
        return {k: v for k, v in (r.get("settings") or {}).items() if k not in INTERVAL_SETTINGS}

    for label, key in (("settings", scoring), ("reference", lambda r: (r.get("reference") or {}).get("checksum"))):
        values = {repr(key(r)) for _, r in results}
        if len(values) > 1:
            notes.append(f"evbench leaderboard: warning: the results differ in {label}; their numbers are not comparable")
    return notes


def leaderboard_rows(results: list[tuple[str, dict]], metrics: list[str], sort: str, fmt: str) -> tuple[list[str], list[list[str]]]:
    shown = [m for m in metrics if any(metric_entry(r, m) is not None for _, r in results)]
    names = [r.get("system") or Path(path).stem for path, r in results]
    labels = [n if names.count(n) == 1 else f"{n} ({Path(path).name})" for n, (path, _) in zip(names, results, strict=True)]

    def key(item: tuple[str, tuple[str, dict]]) -> tuple:
        entry = metric_entry(item[1][1], sort)
        return (entry is None, -(entry["f1"] if entry else 0.0), item[0])

    rows = []
    for label, (_, result) in sorted(zip(labels, results, strict=True), key=key):
        match = (result.get("settings") or {}).get("match", "")
        rows.append([label, *(_cell(metric_entry(result, m), fmt) for m in shown), match])
    return ["system", *shown, "match"], rows


def run(args: argparse.Namespace) -> int:
    from benchmark.tables import caption, table

    results = load_results(args.results)
    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()]
    headers, rows = leaderboard_rows(results, metrics, args.sort, args.format)
    for note in comparability_notes(results):
        print(note, file=sys.stderr)
    has_ci = any("[" in c for row in rows for c in row[1:])
    print(caption("F1 (%)" + (" [confidence interval]" if has_ci else "") + ", sorted by " + args.sort, args.format))
    print(table(rows, headers, args.format))
    return 0
