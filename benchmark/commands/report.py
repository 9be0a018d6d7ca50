"""`evbench report`: a self-contained HTML error-analysis report of a submission against the gold.

Data gathering (`benchmark.report_data`) is separate from rendering (`benchmark.html_report`);
the numbers come from the same scorer run as `evbench score` and are never recomputed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub) -> None:
    from benchmark.cli import add_corpus_option
    from benchmark.commands.score import add_matching_options

    p = sub.add_parser("report", help="write an HTML error-analysis report (documents with highlighted triggers, summary, clusters)")
    p.add_argument("pred", metavar="PRED", help="submission file (.json or .jsonl)")
    p.add_argument("--reference", metavar="REF", default=None, help="reference in submission format (default: the corpus gold)")
    add_matching_options(p, arg_match_help="argument matching shown in the table and the argument details")
    p.add_argument("-o", "--out", metavar="FILE", required=True, help="the HTML file to write (nothing is written on invalid input)")
    add_corpus_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from benchmark.html_report import render
    from benchmark.input.corpus import load_corpus
    from benchmark.input.problems import InputError, Problem
    from benchmark.report_data import build_report
    from benchmark.scoring import ScoreSettings, score_submission

    corpus = load_corpus(args.gold)
    settings = ScoreSettings(match=args.match, overlap_threshold=args.overlap_threshold, arg_match=args.arg_match)
    reference = Path(args.reference) if args.reference else None
    scored = score_submission(Path(args.pred), reference, corpus, settings)
    page = render(build_report(scored, corpus))
    out = Path(args.out)
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(str(out), "", f"cannot write the report: {exc.strerror or exc}", "choose a writable -o path")]) from None
    print(f"wrote {out} ({len(page.encode('utf-8')) // 1024} KiB)", file=sys.stderr)
    return 0
