"""The regression gate of `evbench score`: options, reading the baseline, the verdict table.

The decision itself is `scorers.gate` (pure, over plain dicts); this module turns files and
command-line options into those dicts and the verdict into a table, a one-line summary and the
``"gate"`` object of the JSON result. Exit codes: 0 the gate passed, 1 a metric regressed,
2 bad input (a baseline that is not an evbench result, an unknown metric name, a malformed
option).
"""

from __future__ import annotations

import argparse
import re

from benchmark.input.problems import InputError, Problem
from scorers.gate import DEFAULT_GATE_METRICS, GateError, Verdict, evaluate, gate_metrics
from scorers.registry import ALL_METRIC_NAMES, ALL_METRICS

#: Settings that change the numbers: a baseline scored differently is not comparable.
COMPARED_SETTINGS = ("match", "overlap_threshold", "arg_match", "protocol")


def _score(value: str, option: str) -> float:
    from benchmark.arg_types import unit_interval

    return unit_interval(value, f"{option} takes a score on the 0..1 scale (0.01 = one F1 point)")


#: ``--max-drop`` in points: ``1pt``, ``0.5 pt``, ``2 points``.
POINTS = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(?:pts?|points?)", re.IGNORECASE)


def max_drop(value: str) -> float:
    """argparse type for --max-drop: a score difference on the 0..1 scale (``0.01``) or in points (``1pt``).

    A bare number of 1 or more is refused: ``--max-drop 1`` meant as one point would allow a
    drop of 100 points, so every regression would pass.
    """
    text = value.strip()
    points = POINTS.fullmatch(text)
    if points:
        number = float(points.group(1))
        if number > 100:
            raise argparse.ArgumentTypeError(f"--max-drop {value} is more than 100 points (the whole scale)")
        return number / 100
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--max-drop takes 0.01 (0..1 scale) or 1pt (points), got {value!r}") from None
    if number >= 1:
        meant = f"{number / 100:g} or {text}pt" if number < 100 else f"{text}pt" if number == 100 else None
        hint = f"for {number:g} point{'s' if number != 1 else ''} write {meant}" if meant else "the scale ends at 100 points (100pt)"
        raise argparse.ArgumentTypeError(f"--max-drop {value} would allow a drop of {100 * number:g} points: a bare number is on the 0..1 scale; {hint}")
    if not number >= 0:  # negative, or NaN
        raise argparse.ArgumentTypeError(f"--max-drop must be 0 or more, got {value}")
    return number


def floor(value: str) -> tuple[str, float]:
    """argparse type for one --fail-under item: ``metric=value`` with value in [0, 1]."""
    name, sep, number = value.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected METRIC=VALUE (e.g. tri_c=0.40), got {value!r}")
    return name.strip(), _score(number.strip(), "--fail-under")


def add_gate_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("regression gate (exit 1 when it fails)")
    g.add_argument("--baseline", metavar="RESULTS", default=None,
                   help="a result JSON (from `evbench score --out`) to compare with")
    g.add_argument("--max-drop", type=max_drop, default=None, metavar="D",
                   help="largest allowed fall below the baseline: 0.01 on the 0..1 scale, or 1pt in points (default 0); "
                        "a bare number of 1 or more is refused")
    g.add_argument("--gate-metrics", default=None, metavar="M1,M2",
                   help=f"metrics compared with the baseline (default: {','.join(DEFAULT_GATE_METRICS)}, those present in both)")
    g.add_argument("--fail-under", type=floor, nargs="+", action="extend", default=None, metavar="METRIC=VALUE",
                   help="absolute floors on the 0..1 scale, e.g. --fail-under tri_c=0.40 arg_c=0.20")


def gate_requested(args: argparse.Namespace) -> bool:
    """Whether any gate option was given; options that need --baseline without it are bad input."""
    if args.baseline is None and (args.max_drop is not None or args.gate_metrics is not None):
        option = "--max-drop" if args.max_drop is not None else "--gate-metrics"
        raise InputError([Problem(option, "", f"{option} compares with a baseline, but no --baseline was given",
                                  "add --baseline RESULTS.json (a result written by `evbench score --out`)")])
    return args.baseline is not None or bool(args.fail_under)


def metric_values(result: dict) -> dict[str, float]:
    """``{name: F1}`` of every metric of a result dict (flat ``coref_within.conll`` keys, or nested ones)."""
    values: dict[str, float] = {}
    for name, entry in (result.get("metrics") or {}).items():
        if isinstance(entry, (int, float)) and not isinstance(entry, bool):
            values[name] = float(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("f1"), (int, float)):
            values[name] = float(entry["f1"])
        elif isinstance(entry, dict):
            for sub, inner in entry.items():
                if isinstance(inner, dict) and isinstance(inner.get("f1"), (int, float)):
                    values[f"{name}.{sub}"] = float(inner["f1"])
    return values


def load_baseline(path: str) -> dict:
    """A result JSON with at least one metric score; anything else is an InputError (exit 2)."""
    from benchmark.commands.leaderboard import load_results

    (_, result), = load_results([path])
    if not metric_values(result):
        raise InputError([Problem(path, "$.metrics", "not an evbench result (no metric has an 'f1' score)",
                                  "pass a file written by `evbench score --out`")])
    return result


def comparability_warnings(result: dict, baseline: dict) -> list[str]:
    ours, theirs = result.get("settings") or {}, baseline.get("settings") or {}
    warnings = [f"the baseline was scored with {key}={theirs.get(key)!r}, this run with {key}={ours.get(key)!r}"
                for key in COMPARED_SETTINGS if key in ours and theirs.get(key) != ours.get(key)]
    # Recorded only when given (``evbench score --only-submitted``): absent means all the reference's documents.
    if bool(ours.get("only_submitted")) != bool(theirs.get("only_submitted")):
        every, only = "on all the reference's documents", "with --only-submitted (only the submission's documents)"
        warnings.append(f"the baseline was scored {only if theirs.get('only_submitted') else every}, this run {only if ours.get('only_submitted') else every}")
    ref, base_ref = result.get("reference") or {}, baseline.get("reference") or {}
    if base_ref.get("version") and ref.get("version") and base_ref["version"] != ref["version"]:
        warnings.append(f"the baseline was scored against gold release {base_ref['version']}, this run against release {ref['version']}; "
                        "regenerate the baseline on this release")
    elif base_ref.get("checksum") and ref.get("checksum") and base_ref["checksum"] != ref["checksum"]:
        warnings.append("the baseline was scored against a different reference (sha256 differs); regenerate the baseline if the gold changed")
    return warnings


def run_gate(result: dict, args: argparse.Namespace) -> tuple[Verdict, dict]:
    """Evaluate the gate for ``result``; return the verdict and its JSON object (``result["gate"]``)."""
    current = metric_values(result)
    baseline = load_baseline(args.baseline) if args.baseline else None
    base_values = metric_values(baseline) if baseline is not None else None
    requested = None if args.gate_metrics is None else [m.strip() for m in args.gate_metrics.split(",") if m.strip()]
    try:
        names = gate_metrics(requested, current, base_values, ALL_METRIC_NAMES) if base_values is not None else []
        verdict = evaluate(current, baseline=base_values, metrics=names, max_drop=args.max_drop or 0.0,
                           floors=dict(args.fail_under or ()), higher_is_better={m.name: m.higher_is_better for m in ALL_METRICS},
                           known=ALL_METRIC_NAMES)
    except GateError as exc:
        raise InputError([Problem("evbench score", "", message, "use metric names from the keys of $.metrics in `evbench score --format json`"
                                  " (e.g. tri_c, arg_c, coref_within.conll)") for message in exc.messages]) from None
    warnings = comparability_warnings(result, baseline) if baseline is not None else []
    return verdict, {**verdict.to_dict(), "baseline": args.baseline, "warnings": warnings}


def _points(value: float) -> str:
    return f"{100 * value:.2f}"


def gate_table(verdict: Verdict, fmt: str) -> str:
    """One row per check: what it compared, the drop allowed (in points), the worst value allowed, and whether it passed."""
    from benchmark.tables import table

    rows = []
    for c in verdict.checks:
        against = f"baseline {_points(c.reference)}" if c.kind == "drop" else f"floor {_points(c.reference)}"
        allowed = f"{_points(verdict.max_drop or 0.0)} pt" if c.kind == "drop" else ""
        rows.append([c.metric, against, _points(c.value), f"{100 * c.change:+.2f}", allowed, _points(c.limit), "pass" if c.passed else "FAIL"])
    return table(rows, ["metric", "against", "F1", "change", "allowed drop", "worst allowed", "result"], fmt)


def summary(verdict: Verdict) -> str:
    """One line for the log: passed, or which metrics regressed and by how much."""
    if verdict.passed:
        return f"evbench score: gate passed ({len(verdict.checks)} checks)"
    parts = []
    for c in verdict.failures:
        if c.kind == "drop":
            parts.append(f"{c.metric} {_points(c.value)} is {100 * abs(c.change):.2f} points {'below' if c.higher_is_better else 'above'}"
                         f" the baseline {_points(c.reference)} (max drop {100 * (verdict.max_drop or 0):.2f} points)")
        else:
            parts.append(f"{c.metric} {_points(c.value)} is {'under' if c.higher_is_better else 'over'} the floor {_points(c.reference)}")
    return "evbench score: regression gate FAILED: " + "; ".join(parts)


def gate_caption(verdict: Verdict) -> str:
    state = "passed" if verdict.passed else f"FAILED ({len(verdict.failures)} of {len(verdict.checks)} checks)"
    rule = f", max drop {100 * verdict.max_drop:.2f} points" if verdict.max_drop is not None else ""
    return f"regression gate: {state}{rule}; scores in percent"


def report(verdict: Verdict, gate: dict, fmt: str) -> tuple[str, list[str]]:
    """(stdout block: caption + table, stderr lines: warnings + summary)."""
    from benchmark.tables import caption

    fmt = "plain" if fmt == "json" else fmt
    block = f"{caption(gate_caption(verdict), fmt)}\n\n{gate_table(verdict, fmt)}" if verdict.checks else caption("regression gate: nothing to check", fmt)
    return block, [f"evbench score: warning: {w}" for w in gate["warnings"]] + [summary(verdict)]
