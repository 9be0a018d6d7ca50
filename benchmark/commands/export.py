"""`evbench export`: write the gold as a submission file (which must score 1.0 against the gold),
or as a Hugging Face dataset folder (Parquet per configuration plus a README.md card)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub) -> None:
    from benchmark.cli import add_corpus_option

    p = sub.add_parser("export", help="export the gold as a submission file or a Hugging Face dataset folder")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--submission", action="store_true", help="write the gold in submission format (.json or .jsonl by extension)")
    what.add_argument(
        "--hf",
        metavar="DIR",
        help="write the gold as a Hugging Face dataset folder: DIR/{documents,mentions}/test-*.parquet and DIR/README.md "
        "(load with datasets.load_dataset(DIR, 'documents'); needs the 'hf' extra)",
    )
    p.add_argument("-o", "--out", metavar="FILE", help="output file for --submission (default: stdout, JSON)")
    add_corpus_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.hf:
        return _run_hf(args)
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import annotation_to_submission, load_gold, write_submission

    if not args.submission:
        print("evbench export: choose what to export (fix: add --submission or --hf DIR)", file=sys.stderr)
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


def _run_hf(args: argparse.Namespace) -> int:
    from benchmark.input.problems import InputError, Problem

    if args.out:
        raise InputError([Problem("--out", "", "--out applies to --submission only", "give the output folder as --hf DIR")])
    out = Path(args.hf)
    if out.exists() and not out.is_dir():
        raise InputError([Problem(str(out), "", "exists and is not a directory", "pass a new or existing folder to --hf")])
    try:
        from benchmark.hf import export
    except ImportError as exc:
        raise InputError([Problem("--hf", "", f"the Hugging Face libraries are missing ({exc})", "pip install 'evbench[hf]' (datasets and pyarrow)")]) from None
    written = export(out, args.gold)
    for path in written.values():
        print(f"wrote {path}", file=sys.stderr)
    return 0
