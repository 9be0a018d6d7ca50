"""`evbench export`: write the gold as a submission file (which must score 1.0 against the gold)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub) -> None:
    from benchmark.cli import add_corpus_option

    p = sub.add_parser("export", help="export the gold as a submission file")
    p.add_argument("--submission", action="store_true", help="write the gold in submission format (.json or .jsonl by extension)")
    p.add_argument("-o", "--out", metavar="FILE", help="output file (default: stdout, JSON)")
    add_corpus_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from benchmark.corpus import load_corpus
    from benchmark.submission import annotation_to_submission, load_gold, write_submission

    if not args.submission:
        print("evbench export: choose what to export (fix: add --submission)", file=sys.stderr)
        return 2
    corpus = load_corpus(args.gold)
    gold = load_gold(corpus)
    if args.out:
        write_submission(gold, Path(args.out), system="gold")
        print(f"wrote {len(gold.events())} event mentions to {args.out}", file=sys.stderr)
    else:
        import json

        print(json.dumps(annotation_to_submission(gold, system="gold"), ensure_ascii=False, indent=1))
    return 0
