"""`evbench validate`: check submissions (or the bundled gold) and report every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes, got {text!r}")
    return int(text)


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="check submission files or the gold; exit 0 if valid, 2 if not")
    p.add_argument("files", nargs="*", metavar="FILE", help="submission files (.json or .jsonl)")
    p.add_argument(
        "--gold",
        nargs="?",
        const=True,
        default=None,
        metavar="DIR",
        help="also check the gold annotations (of the bundled corpus, or of corpus DIR) with the gold-only rules",
    )
    p.add_argument("--corpus", metavar="DIR", default=None, help="corpus to validate submissions against (default: the bundled one)")
    p.add_argument("--max-bytes", type=_positive_int, default=None, help="largest input accepted (default 64 MiB or $EVBENCH_MAX_BYTES)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import check_gold, check_submission

    corpus_dir = args.gold if isinstance(args.gold, str) else args.corpus
    corpus = load_corpus(corpus_dir)
    results = []
    if args.gold is not None:
        annotation, problems = check_gold(corpus)
        n = len(annotation.events()) if annotation else 0
        results.append((str(corpus.annotations_dir), annotation is not None, problems, n))
    for name in args.files:
        annotation, problems = check_submission(Path(name), corpus, max_bytes=args.max_bytes)
        n = len(annotation.events()) if annotation else 0
        results.append((name, annotation is not None, problems, n))
    if not results:
        print("evbench validate: nothing to check (fix: pass FILE... or --gold)", file=sys.stderr)
        return 2
    ok = True
    for name, valid, problems, n in results:
        for problem in problems:
            print(" ".join(problem.format().splitlines()), file=sys.stderr)  # one line per problem, always
        ok = ok and valid
        if valid and not args.quiet:
            warnings = sum(p.severity == "warning" for p in problems)
            print(f"{name}: valid ({n} event mentions{f', {warnings} warnings' if warnings else ''})")
    return 0 if ok else 2
