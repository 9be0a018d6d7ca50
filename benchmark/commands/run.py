"""`evbench run`: run an extractor over the corpus, check its output, write it and score it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


SECRET_OPTIONS = frozenset({"api_key", "key", "token"})


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
    from benchmark.cli import add_corpus_option
    from benchmark.commands.score import FORMATS, threshold
    from scorers.matching import DEFAULT_OVERLAP_THRESHOLD, MATCH_MODES

    p = sub.add_parser("run", help="run an extractor over the corpus, write its submission and score it")
    p.add_argument("--extractor", "-e", required=True, metavar="NAME",
                   help="built-in extractor (lexicon, llm) or package.module:callable (a class is instantiated with the --option values)")
    p.add_argument("--option", "-O", action="append", type=_key_value, default=[], metavar="KEY=VALUE",
                   help="keyword argument for the extractor's constructor (repeatable), e.g. -O model=qwen2.5:7b -O timeout=60")
    p.add_argument("--base-url", default=None, help="llm: chat-completions base URL (default $EVBENCH_LLM_BASE_URL)")
    p.add_argument("--model", default=None, help="llm: model name (default $EVBENCH_LLM_MODEL)")
    p.add_argument("--cache-dir", default=None, metavar="DIR", help="llm: response cache (default ~/.cache/evbench/llm)")
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
    from benchmark.problems import InputError, Problem

    try:
        write(path)
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot write: {exc.strerror}", "choose a writable path")]) from None


def run(args: argparse.Namespace) -> int:
    import json
    import tempfile

    from benchmark.corpus import load_corpus
    from benchmark.extractors.base import instantiate, resolve, system_name
    from benchmark.extractors.harness import run_extractor
    from benchmark.submission import write_submission

    corpus = load_corpus(args.gold)
    options = dict(args.option)
    for name in ("base_url", "model", "cache_dir"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    extractor = instantiate(resolve(args.extractor), corpus, options)
    system = system_name(extractor, args.extractor)
    annotation, warnings = run_extractor(extractor, corpus, spec=args.extractor, system=system,
                                         progress=None if args.quiet else sys.stderr)
    for problem in warnings:
        print(problem.format(), file=sys.stderr)
    stats = getattr(extractor, "stats", None)
    if stats:
        print(f"{system}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sorted(stats.items())), file=sys.stderr)
    n = len(annotation.events())
    if args.out:
        _write(Path(args.out), lambda p: write_submission(annotation, p, system=system))
        print(f"wrote {n} event mentions in {len(annotation.documents)} documents to {args.out}", file=sys.stderr)
    if args.no_score:
        if not args.out:
            print(f"{system}: {n} event mentions (not written: add --out PRED.json)", file=sys.stderr)
        return 0

    from benchmark.scoring import ScoreSettings, result_dict, score_submission
    from benchmark.tables import render

    settings = ScoreSettings(match=args.match, overlap_threshold=args.overlap_threshold, arg_match=args.arg_match)
    reference = Path(args.reference) if args.reference else None
    with tempfile.TemporaryDirectory(prefix="evbench-run-") as tmp:
        pred = Path(args.out) if args.out else Path(tmp) / f"{system}.json"
        if not args.out:
            write_submission(annotation, pred, system=system)
        result = result_dict(score_submission(pred, reference, corpus, settings))
    as_json = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if args.results:
        _write(Path(args.results), lambda p: p.write_text(as_json, encoding="utf-8"))
    if args.format == "json":
        print(as_json, end="")
    else:
        print(render(result, args.format, []))
    return 0
