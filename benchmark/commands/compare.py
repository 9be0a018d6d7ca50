"""`evbench compare A B`: is system B better than system A on the same reference, beyond chance?

Both submissions are scored against the same reference with the same settings; per metric the
command reports the F1 difference ``B - A``, its paired-bootstrap interval (the same resampled
units for both systems) and p-value, and the approximate-randomisation p-value. The statistics
are in `scorers/significance.py` (with references); this module loads, pairs the units and
reports. A difference is called significant when the randomisation p-value is below ``--alpha``
(Riezler & Maxwell 2005 found approximate randomisation less prone to false positives than the
bootstrap test); the table says so in a column and in a sentence under it.

Units: those of `evbench score --ci` (`scorers/bootstrap.py`). With ``--unit event`` the units
are the reference events plus each system's unaligned predicted events (a unit where the other
system has no counts). Within-document coreference (``coref_within.*``) is compared over
resampled documents, whatever ``--unit`` says; ``coref_cross.*`` cannot be resampled and is
left out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

FORMATS = ("plain", "github", "latex", "json")
TABLE_COREF = ("coref_within.conll",)
CITATION = ("paired bootstrap: Koehn 2004, Berg-Kirkpatrick et al. 2012; approximate randomisation: Noreen 1989,"
            " Riezler & Maxwell 2005; see Dror et al. 2018")


def add_parser(sub) -> None:
    from benchmark.arg_types import fraction
    from benchmark.cli import add_corpus_option
    from benchmark.commands.score import add_matching_options
    from benchmark.commands.validate import _positive_int
    from benchmark.interval_options import add_resampling_options, count, level

    p = sub.add_parser("compare", help="compare two systems on the same reference: F1 differences, paired bootstrap and randomisation tests")
    p.add_argument("a", metavar="A", help="first submission (the baseline side: differences are B - A)")
    p.add_argument("b", metavar="B", help="second submission")
    p.add_argument("--reference", metavar="REF", default=None, help="reference in submission format (default: the corpus gold)")
    add_matching_options(p, arg_match_help="argument metrics shown in the table (JSON has both)")
    p.add_argument("--format", choices=FORMATS, default="plain", help="plain / github / latex table, or json")
    p.add_argument("--out", metavar="FILE", default=None, help="also write the JSON result here")
    p.add_argument("--ci", type=level, default=0.95, metavar="LEVEL", help="level of the difference's bootstrap interval (default 0.95)")
    add_resampling_options(p)
    p.add_argument("--trials", type=count, default=1000, metavar="N", help="approximate-randomisation trials (default 1000)")
    p.add_argument("--alpha", type=fraction("a significance level", "0.05"), default=0.05, help="significance level of the verdict column (default 0.05)")
    p.add_argument("--max-bytes", type=_positive_int, default=None,
                   help="largest submission or --reference file accepted (default 64 MiB or $EVBENCH_MAX_BYTES)")
    add_corpus_option(p)
    p.set_defaults(run=run)


def _entry(d, alpha: float) -> dict:
    return {"a": d.a, "b": d.b, "difference": d.delta, "ci": None if d.ci is None else [d.ci[0], d.ci[1]],
            "p_bootstrap": d.p_bootstrap, "p_randomization": d.p_randomization, "significant": d.significant(alpha)}


def comparison_dict(run_a, run_b, corpus, args: argparse.Namespace, labels: tuple[str, str]) -> dict:
    """The full, deterministic comparison (same seed, same inputs: byte-identical JSON)."""
    from benchmark import __version__
    from benchmark.intervals import coref_matrix, units_of
    from scorers.bootstrap import count_table
    from scorers.coref_resampling import f1_statistic
    from scorers.event_coref import MEASURES
    from scorers.registry import METRIC_NAMES
    from scorers.significance import compare, compare_counts

    keys_a, units_a = units_of(run_a, corpus, args.unit, pred_tag="A")
    keys_b, units_b = units_of(run_b, corpus, args.unit, pred_tag="B")
    universe = sorted(set(units_a) | set(units_b))
    cells = [(name, None, None) for name in METRIC_NAMES]
    table_a = count_table(run_a.outcomes, keys_a, universe, cells=cells)
    table_b = count_table(run_b.outcomes, keys_b, universe, cells=cells)
    options = {"resamples": args.resamples, "trials": args.trials, "seed": args.seed, "level": args.ci}
    comparisons = {d.name[0]: _entry(d, args.alpha) for d in compare(table_a, table_b, **options)}
    coref_a, coref_b = coref_matrix(run_a), coref_matrix(run_b)
    for d in compare_counts(coref_a.counts, coref_b.counts, f1_statistic(coref_a.columns), [f"coref_within.{m}" for m in MEASURES], **options):
        comparisons[d.name] = _entry(d, args.alpha)
    return {
        "evbench_version": __version__,
        "settings": {**run_a.settings.to_dict(), "ci": args.ci, "resamples": args.resamples, "seed": args.seed, "unit": args.unit,
                     "trials": args.trials, "alpha": args.alpha},
        "reference": run_a.reference,
        "systems": {"A": {"system": run_a.system, "file": labels[0]}, "B": {"system": run_b.system, "file": labels[1]}},
        "units": len(universe),
        "method": {"difference": "F1(B) - F1(A)", "interval": "paired bootstrap percentile interval",
                   "p_bootstrap": "paired bootstrap, two-sided, shifted to the null", "p_randomization": "approximate randomisation, two-sided",
                   "significant": f"p_randomization < {args.alpha}", "references": CITATION},
        "comparisons": comparisons,
        "notes": [*([f"metrics: {note}"] if (note := _small_sample_note(len(universe), args.unit, args.trials)) else []),
                  "coref_within.* compared over resampled documents (coreference does not decompose below documents)"
                  + (f"; {note}" if (note := _small_sample_note(len(coref_a.documents), "doc", args.trials)) else ""),
                  "coref_cross.* not compared (one corpus-wide partition cannot be resampled)"],
    }


def _small_sample_note(units: int, unit: str, trials: int) -> str:
    """Said when there are so few units that the randomisation test is exact (and coarse)."""
    from scorers.significance import is_exact

    if not is_exact(units, trials):
        return ""
    return (f"with {units} {unit} units the randomisation test enumerates all {2 ** units} swap patterns (exact)"
            f" and its smallest possible p-value is {2 / 2 ** units:.3g}")


def _p(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _points(value: float) -> str:
    return f"{100 * value:.1f}"


def render(result: dict, fmt: str, arg_match: str) -> str:
    from benchmark.tables import caption, table
    from scorers.registry import displayed

    s, systems, alpha = result["settings"], result["systems"], result["settings"]["alpha"]
    names = [spec.name for spec in displayed(arg_match)] + [n for n in TABLE_COREF if n in result["comparisons"]]
    rows = []
    for name in names:
        c = result["comparisons"][name]
        ci = "" if c["ci"] is None else f"[{100 * c['ci'][0]:+.1f}, {100 * c['ci'][1]:+.1f}]"
        verdict = {True: "yes", False: "no", None: "n/a"}[c["significant"]]
        rows.append([name, _points(c["a"]), _points(c["b"]), f"{100 * c['difference']:+.1f}", ci, _p(c["p_bootstrap"]), _p(c["p_randomization"]), verdict])
    level = f"{100 * s['ci']:g}%"
    headers = ["metric", "A F1", "B F1", "B - A", f"{level} CI", "p (bootstrap)", "p (randomisation)", f"significant at {alpha:g}?"]
    ref = result["reference"]
    head = (f"A: {systems['A']['system']} ({systems['A']['file']}) | B: {systems['B']['system']} ({systems['B']['file']})"
            f" | reference: {ref['source']} (sha256 {ref['checksum'][:12]}) | matching: {s['match_rule']}")
    method = (f"F1 in percent; B - A with its paired-bootstrap {level} interval ({s['resamples']} resamples of {result['units']} {s['unit']} units,"
              f" seed {s['seed']}); p-values two-sided; randomisation: {s['trials']} trials. {CITATION}.")
    shown = [(n, result["comparisons"][n]) for n in names]
    significant = [n for n, c in shown if c["significant"]]
    if not significant:
        verdict_line = (f"No difference is significant at {alpha:g}: on this reference the data cannot tell A and B apart on any metric shown.")
    else:
        better = [n for n in significant if result["comparisons"][n]["difference"] > 0]
        worse = [n for n in significant if result["comparisons"][n]["difference"] < 0]
        parts = []
        if better:
            parts.append(f"B is significantly better than A (p < {alpha:g}) on {', '.join(better)}")
        if worse:
            parts.append(f"B is significantly worse than A (p < {alpha:g}) on {', '.join(worse)}")
        rest = [n for n, _ in shown if n not in significant]
        verdict_line = "; ".join(parts) + "."
        if rest:
            verdict_line += f" The differences on {', '.join(rest)} are not significant: the data do not show that the systems differ there."
    notes = "; ".join(result["notes"])
    return "\n\n".join([caption(head, fmt), caption(method, fmt), table(rows, headers, fmt), caption(verdict_line, fmt), caption(notes, fmt)])


def run(args: argparse.Namespace) -> int:
    from benchmark.commands.score import emit_result
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import submission_size_limit
    from benchmark.scoring import ScoreSettings, score_submission

    corpus = load_corpus(args.gold)
    settings = ScoreSettings(match=args.match, overlap_threshold=args.overlap_threshold, arg_match=args.arg_match)
    reference = Path(args.reference) if args.reference else None
    with submission_size_limit(args.max_bytes):
        run_a = score_submission(Path(args.a), reference, corpus, settings)
        run_b = score_submission(Path(args.b), reference, corpus, settings)
    result = comparison_dict(run_a, run_b, corpus, args, (args.a, args.b))
    emit_result(result, args.out, args.format, lambda: render(result, args.format, args.arg_match))
    return 0
