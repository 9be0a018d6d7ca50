"""`evbench run`: run an extractor over the corpus, check its output, write it and score it.

A document whose extraction failed (a request that failed after its retries, an answer that did
not parse) is not a bad input: the run goes on and the document counts as failed. If more than
``--max-failed-share`` of the documents failed, the run writes what it has (``--out``) but does
not score it and exits 1. The default share is 0: on a five-document corpus one document is a
fifth of the score, so a number with a silently missing document is not a benchmark number, and
a rerun is cheap, since every answer that worked is cached and only the failures are asked again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SECRET_OPTIONS = frozenset({"api_key", "key", "token"})
DEFAULT_MAX_FAILED_SHARE = 0.0
#: Flags that are extractor options: (option, flag). Checked against the extractor before use.
FLAG_OPTIONS = (("base_url", "--base-url"), ("model", "--model"), ("cache_dir", "--cache-dir"),
                ("use_cache", "--no-cache"), ("refresh", "--refresh"))


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    key = key.strip().replace("-", "_")
    if key in SECRET_OPTIONS:
        # Never on the command line: shell history and the process list would keep it.
        raise argparse.ArgumentTypeError(f"{key} is not accepted on the command line; set EVBENCH_LLM_API_KEY in the environment")
    return key, value


def add_parser(sub) -> None:
    from benchmark.arg_types import share
    from benchmark.cli import add_corpus_option
    from benchmark.commands.score import FORMATS, threshold
    from benchmark.extractors.llm_options import epilog
    from scorers.matching import DEFAULT_OVERLAP_THRESHOLD, MATCH_MODES

    p = sub.add_parser("run", help="run an extractor over the corpus, write its submission and score it",
                       epilog=epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--extractor", "-e", required=True, metavar="NAME",
                   help="built-in extractor (lexicon, llm, supervised, majority) or package.module:callable (a class is instantiated with the --option values)")
    p.add_argument("--cv", action="store_true",
                   help="leave-one-document-out: each document is predicted by a fresh extractor fitted on the other documents only "
                        "(the extractor needs fit(train_documents); always on for one that has it, e.g. supervised, majority)")
    p.add_argument("--option", "-O", action="append", type=_key_value, default=[], metavar="KEY=VALUE",
                   help="keyword argument for the extractor's constructor (repeatable), e.g. -O model=qwen2.5:7b -O timeout=60; "
                        "the llm extractor's options are listed below")
    p.add_argument("--base-url", default=None, help="llm: chat-completions base URL (default $EVBENCH_LLM_BASE_URL)")
    p.add_argument("--model", default=None, help="llm: model name (default $EVBENCH_LLM_MODEL)")
    p.add_argument("--cache-dir", default=None, metavar="DIR", help="llm: response cache (default ~/.cache/evbench/llm)")
    cache = p.add_mutually_exclusive_group()
    cache.add_argument("--no-cache", action="store_true", help="llm: neither read nor write the response cache")
    cache.add_argument("--refresh", action="store_true", help="llm: ask the server again and overwrite the cached answers")
    p.add_argument("--max-failed-share", type=share("a share of documents", "0.2"), default=DEFAULT_MAX_FAILED_SHARE, metavar="S",
                   help="exit 1 without scoring when more than this share of the documents failed "
                        f"(timeouts, server errors, unparseable answers; default {DEFAULT_MAX_FAILED_SHARE:g}: none may fail)")
    p.add_argument("--out", "-o", metavar="PRED", default=None, help="write the submission here (.json or .jsonl)")
    p.add_argument("--no-score", action="store_true", help="only run and write the submission")
    p.add_argument("--results", metavar="FILE", default=None, help="also write the JSON result here (as `evbench score --out`)")
    p.add_argument("--reference", metavar="REF", default=None, help="reference in submission format (default: the corpus gold)")
    p.add_argument("--match", choices=MATCH_MODES, default="exact", help="span matching mode, as in `evbench score`")
    p.add_argument("--overlap-threshold", type=threshold, default=DEFAULT_OVERLAP_THRESHOLD, metavar="T", help="Dice threshold for --match overlap")
    p.add_argument("--arg-match", choices=("span", "entity"), default="span", help="argument matching shown in tables")
    p.add_argument("--format", choices=FORMATS, default="plain", help="plain / github / latex tables, or json")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    add_corpus_option(p)
    p.set_defaults(run=run)


def _write(path: Path, write) -> None:
    from benchmark.input.problems import InputError, Problem

    try:
        write(path)
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot write: {exc.strerror}", "choose a writable path")]) from None


def _flag_options(args: argparse.Namespace, factory) -> dict:
    """The extractor options given as flags, refused by name when the extractor has no such option."""
    import inspect

    from benchmark.input.problems import InputError, Problem

    given = {"base_url": args.base_url, "model": args.model, "cache_dir": args.cache_dir,
             "use_cache": False if args.no_cache else None, "refresh": True if args.refresh else None}
    given = {k: v for k, v in given.items() if v is not None}
    try:
        params = inspect.signature(factory).parameters if inspect.isclass(factory) else {}
    except (TypeError, ValueError):
        params = {}
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    refused = [flag for name, flag in FLAG_OPTIONS if name in given and name not in params and not takes_any]
    if refused:
        raise InputError([Problem(flag, "", f"does not apply to extractor {args.extractor}", "drop it; it is an option of the llm extractor")
                          for flag in refused])
    return given


def run(args: argparse.Namespace) -> int:
    import json
    import tempfile

    from benchmark.extractors.base import instantiate, is_trainable, resolve, system_name
    from benchmark.extractors.harness import cross_validate, extract_corpus
    from benchmark.input.corpus import load_corpus
    from benchmark.input.problems import InputError, Problem
    from benchmark.input.submission import write_submission

    corpus = load_corpus(args.gold)
    factory = resolve(args.extractor)
    options = dict(args.option) | _flag_options(args, factory)
    progress = None if args.quiet else sys.stderr
    if is_trainable(factory):
        from benchmark.input.submission import load_gold

        extractor = None
        system = system_name(factory, args.extractor)
        outcome = cross_validate(factory, corpus, load_gold(corpus), options=options, spec=args.extractor, system=system, progress=progress)
        print(f"{system}: leave-one-document-out, {outcome.documents} folds (each document predicted by a model trained on the others)", file=sys.stderr)
    elif args.cv:
        raise InputError([Problem("--cv", "", f"extractor {args.extractor} cannot be trained: it has no fit(train_documents) method",
                                  "drop --cv, or give the extractor a fit method (see benchmark/extractors/base.py, Trainable)")])
    else:
        extractor = instantiate(factory, corpus, options)
        system = system_name(extractor, args.extractor)
        outcome = extract_corpus(extractor, corpus, spec=args.extractor, system=system, progress=progress)
    annotation = outcome.annotation
    for problem in outcome.warnings + outcome.failure_problems(args.extractor):
        print(problem.format(), file=sys.stderr)
    stats = getattr(extractor, "stats", None)
    if stats:
        print(f"{system}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sorted(stats.items())), file=sys.stderr)
    n = len(annotation.events())
    if args.out:
        _write(Path(args.out), lambda p: write_submission(annotation, p, system=system))
        print(f"wrote {n} event mentions in {len(annotation.documents)} documents to {args.out}", file=sys.stderr)
    if outcome.failed:
        failed = f"{len(outcome.failed)} of {outcome.documents} documents failed ({outcome.failed_share:.0%})"
        if outcome.failed_share > args.max_failed_share:
            print(f"evbench run: error: {failed}, more than --max-failed-share {args.max_failed_share:g}; not scored "
                  "(fix: rerun, as answers that worked are cached and only the failures are asked again; "
                  "or allow failures with --max-failed-share)", file=sys.stderr)
            return 1
        print(f"evbench run: warning: {failed}; they are scored with the events obtained (--max-failed-share "
              f"{args.max_failed_share:g})", file=sys.stderr)
    if args.no_score:
        if not args.out:
            print(f"{system}: {n} event mentions (not written: add --out PRED.json)", file=sys.stderr)
        return 0

    from benchmark.coverage import covered_result, report_coverage
    from benchmark.scoring import ScoreSettings, score_submission
    from benchmark.tables import render

    settings = ScoreSettings(match=args.match, overlap_threshold=args.overlap_threshold, arg_match=args.arg_match)
    reference = Path(args.reference) if args.reference else None
    with tempfile.TemporaryDirectory(prefix="evbench-run-") as tmp:
        pred = Path(args.out) if args.out else Path(tmp) / f"{system}.json"
        if not args.out:
            write_submission(annotation, pred, system=system)
        scored = score_submission(pred, reference, corpus, settings)
    result = covered_result(scored)
    report_coverage(result["missing_documents"], len(scored.gold.documents), command="evbench run")
    as_json = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if args.results:
        _write(Path(args.results), lambda p: p.write_text(as_json, encoding="utf-8"))
    if args.format == "json":
        print(as_json, end="")
    else:
        print(render(result, args.format, []))
    return 0
