"""`evbench score`: score a submission against the gold (or any reference) and report it."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from benchmark.arg_types import choice, choices_list, integer
from benchmark.commands.validate import _positive_int
from scorers.matching import DEFAULT_OVERLAP_THRESHOLD, MATCH_MODES

FORMATS = ("plain", "github", "latex", "json")


def threshold(value: str) -> float:
    """argparse type for --overlap-threshold: a number in (0, 1]."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {value}")
    return number


def jobs(value: str) -> int:
    """argparse type for --jobs: a number of processes, 0 for one per CPU."""
    return integer(0, "must be 0 (one per CPU) or more")(value) or (os.cpu_count() or 1)


MATCH_HELP = ("span matching: exact offsets, Dice overlap, overlap + Arabic normalisation, offset-free text, "
              "offset-free relaxed (same entity / date / head word), or judge (relaxed, then an LLM judge for the rest)")


def add_matching_options(p: argparse.ArgumentParser, *, arg_match_help: str, several: bool = False) -> None:
    """--match, --overlap-threshold and --arg-match, shared by every command that scores.

    ``several``: --match takes a comma-separated list (``exact,relaxed``), scored side by side.
    """
    if several:
        p.add_argument("--match", type=choices_list("match mode", MATCH_MODES), default=("exact",), metavar="MODE[,MODE...]",
                       help=MATCH_HELP + "; several modes, comma-separated, are scored side by side")
    else:
        p.add_argument("--match", type=choice("match mode", MATCH_MODES), default="exact", metavar="MODE", help=MATCH_HELP)
    p.add_argument("--overlap-threshold", type=threshold, default=DEFAULT_OVERLAP_THRESHOLD, metavar="T",
                   help="Dice threshold for --match overlap (default 0.5)")
    p.add_argument("--arg-match", choices=("span", "entity"), default="span", help=arg_match_help)


def add_parser(sub) -> None:
    from benchmark.cli import add_corpus_option
    from benchmark.gating import add_gate_options
    from benchmark.interval_options import add_interval_options

    p = sub.add_parser("score", help="score a submission (event triggers, arguments, realis, event coreference) against the gold")
    p.add_argument("pred", metavar="PRED", help="submission file (.json or .jsonl)")
    p.add_argument("--reference", metavar="REF", default=None, help="reference in submission format (default: the corpus gold)")
    p.add_argument("--only-submitted", action="store_true",
                   help="score only the reference documents the submission contains (default: all of them, those it lacks scored as"
                        " empty, with a warning); recorded in the result's settings")
    add_matching_options(p, arg_match_help="argument matching shown in tables: own span, or any mention of the gold entity (JSON has both)",
                         several=True)
    p.add_argument("--format", choices=FORMATS, default="plain", help="plain / github / latex tables, or json")
    p.add_argument("--out", metavar="FILE", default=None, help="also write the JSON result here (nothing is written on invalid input)")
    p.add_argument("--by", action="append", choices=("type", "doc", "realis"), default=[], help="add a breakdown table (repeatable)")
    p.add_argument("--explain", action="store_true", help="list every false positive and false negative with context and near miss")
    p.add_argument("--errors", action="store_true",
                   help="print the error categories (missed, spurious, boundary, type, role, wrong event, ...; JSON: always under `errors`)")
    p.add_argument("--max-bytes", type=_positive_int, default=None,
                   help="largest submission or --reference file accepted (default 64 MiB or $EVBENCH_MAX_BYTES)")
    p.add_argument("--jobs", "-j", type=jobs, default=1, metavar="N",
                   help="score documents in N processes (0: one per CPU); the output is the same for any N (default 1)")
    p.add_argument("--engine", choices=("local", "dask"), default=None,
                   help="where documents are scored: this process (local, the default) or a Dask cluster (dask: a local cluster of"
                        " --workers processes, or --scheduler); the output is the same (needs: pip install -e \".[dask]\")")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None, help="a running Dask scheduler, e.g. tcp://host:8786 (implies --engine dask)")
    p.add_argument("--workers", type=_positive_int, default=2, metavar="N", help="worker processes of the local Dask cluster (default 2)")
    add_corpus_option(p)
    add_interval_options(p)
    add_gate_options(p)
    p.set_defaults(run=run)


def emit_result(result: dict, out: str | None, fmt: str, render_tables) -> None:
    """Write the JSON result to `out` (if given) and print it, or the rendered tables, to stdout."""
    as_json = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if out:
        _write(Path(out), as_json)
    if fmt == "json":
        print(as_json, end="")
    else:
        print(render_tables())


def _write(path: Path, text: str) -> None:
    from benchmark.input.problems import InputError, Problem

    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot write the result: {exc.strerror}", "choose a writable --out path")]) from None


@contextmanager
def paused_gc():
    """The cyclic garbage collector off within the block, restored after (``main`` is an API too).

    Scoring builds millions of small acyclic records; the collector would find nothing to free
    and, run again and again as they pile up, doubles the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run(args: argparse.Namespace) -> int:
    with paused_gc(), _engine(args) as engine:
        args.engine_object = engine
        return _run(args)


def _engine(args: argparse.Namespace):
    """A started engine for ``--engine dask`` / ``--scheduler`` (closed after the run), else None."""
    from contextlib import nullcontext

    if args.engine == "dask" or args.scheduler:
        if args.jobs != 1:
            from benchmark.input.problems import InputError, Problem

            raise InputError([Problem("evbench score", "--jobs", "--jobs and --engine dask both say where documents are scored",
                                      "use --workers N with --engine dask, or --jobs N without it")])
        from benchmark.engines.dask_engine import DaskEngine

        return DaskEngine(args.scheduler, args.workers)
    return nullcontext(None)


def _run(args: argparse.Namespace) -> int:
    from benchmark.coverage import add_coverage, report_coverage, score_file
    from benchmark.gating import gate_requested, report, run_gate
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import submission_size_limit
    from benchmark.interval_options import interval_settings
    from benchmark.scoring import ScoreSettings, result_dict
    from benchmark.streaming import can_stream
    from benchmark.tables import render

    intervals, gated = interval_settings(args), gate_requested(args)
    reference = Path(args.reference) if args.reference else None
    if len(args.match) > 1:
        return _run_modes(args, load_corpus(args.gold), reference, gated=gated)
    settings = ScoreSettings(match=args.match[0], overlap_threshold=args.overlap_threshold, arg_match=args.arg_match)
    # Scored as a stream (memory flat in the corpus size) unless something asked for needs the records.
    stream = not args.explain and not args.only_submitted and can_stream(settings)
    corpus = load_corpus(args.gold, lazy=stream)
    with submission_size_limit(args.max_bytes):
        scored, missing, documents = score_file(Path(args.pred), reference, corpus, settings, only_submitted=args.only_submitted,
                                                unit=intervals.unit if intervals is not None else None, jobs=args.jobs,
                                                by_doc="doc" in args.by, stream=stream, engine=args.engine_object)
    report_coverage(missing, documents, only_submitted=args.only_submitted)
    result = add_coverage(result_dict(scored), missing, only_submitted=args.only_submitted)
    explanations = None
    if args.explain:
        from benchmark.explain import explain

        explanations = result["explain"] = explain(scored, corpus)
    if intervals is not None:
        from benchmark.intervals import add_intervals  # numpy: only when asked for

        add_intervals(result, scored, corpus, intervals)
    verdict = None
    if gated:
        verdict, result["gate"] = run_gate(result, args)
    emit_result(result, args.out, args.format, lambda: render(result, args.format, args.by, explanations, args.errors))
    if verdict is not None:
        block, log = report(verdict, result["gate"], args.format)
        # The gate table follows the score tables (on stderr with --format json: stdout stays pure JSON).
        print(f"\n{block}", file=sys.stderr if args.format == "json" else sys.stdout)
        for line in log:
            print(line, file=sys.stderr)
        return 0 if verdict.passed else 1
    return 0


def _run_modes(args: argparse.Namespace, corpus, reference: Path | None, *, gated: bool) -> int:
    """``--match A,B``: the submission scored under each mode, main metrics side by side (JSON: one block per mode)."""
    from benchmark import __version__
    from benchmark.coverage import add_coverage, report_coverage, score_file
    from benchmark.input.problems import InputError, Problem
    from benchmark.input.submission import submission_size_limit
    from benchmark.scoring import ScoreSettings, result_dict
    from benchmark.tables import modes_table

    single_only = [flag for flag, on in (("--ci", args.ci is not None), ("--explain", args.explain), ("--by", bool(args.by)),
                                         ("--baseline / --fail-under", gated)) if on]
    if single_only:
        raise InputError([Problem("evbench score", "--match", f"{', '.join(single_only)} need one matching mode, got {','.join(args.match)}",
                                  "score each mode on its own for those, or drop them to compare modes side by side")])
    results: dict[str, dict] = {}
    with submission_size_limit(args.max_bytes):
        for mode in args.match:
            settings = ScoreSettings(match=mode, overlap_threshold=args.overlap_threshold, arg_match=args.arg_match)
            scored, missing, documents = score_file(Path(args.pred), reference, corpus, settings, only_submitted=args.only_submitted, jobs=args.jobs,
                                                    by_doc=False, engine=args.engine_object)
            results[mode] = add_coverage(result_dict(scored), missing, only_submitted=args.only_submitted)
    report_coverage(missing, documents, only_submitted=args.only_submitted)
    first = results[args.match[0]]
    combined = {"evbench_version": __version__, "system": first["system"], "reference": first["reference"],
                "modes": list(args.match), "results": results}
    emit_result(combined, args.out, args.format, lambda: modes_table(results, args.format))
    return 0

