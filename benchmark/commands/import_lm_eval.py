"""`evbench import-lm-eval`: lm-eval's logged samples of an evbench task become an evbench submission.

The reading is `benchmark.integrations.lm_eval_samples` (the task's own answer reader); this
module writes the submission and checks it as `evbench validate` does, so every evbench tool
(score, report, compare, gate) works on an lm-eval run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub) -> None:
    from benchmark.cli import add_corpus_option

    p = sub.add_parser(
        "import-lm-eval",
        help="turn lm_eval --log_samples output of an evbench task (samples_evbench_ar_*.jsonl) into a submission",
        description="Each sample's answer is read with the same code as the task's process_results, so "
        "`evbench score` on the submission gives the numbers lm-eval reported.",
    )
    p.add_argument("samples", metavar="SAMPLES", nargs="+", type=Path, help="samples_<task>_<date>.jsonl written by lm_eval --log_samples")
    p.add_argument("-o", "--out", metavar="SUBMISSION", required=True, help="write the submission here (.jsonl for JSONL, else JSON)")
    p.add_argument("--system", metavar="NAME", default=None, help="system name in the submission (default: the first SAMPLES file's name)")
    add_corpus_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from benchmark.commands.convert import write_checked
    from benchmark.coverage import id_list
    from benchmark.input.corpus import load_corpus
    from benchmark.integrations.lm_eval_samples import import_samples

    corpus = load_corpus(args.gold)
    imported = import_samples(args.samples, corpus, system=args.system or args.samples[0].stem)
    documents = imported.submission["documents"]
    if imported.unparseable:
        print(f"note: {len(imported.unparseable)} of {imported.samples} answers had no readable event list (no events): "
              f"{id_list(list(imported.unparseable))}", file=sys.stderr)
    missing = sorted(set(corpus.documents) - {d["doc_id"] for d in documents})
    if missing:
        print(f"note: the samples cover {len(documents)} of the corpus's {len(corpus.documents)} documents; not in them: {id_list(missing)}"
              " (score with --only-submitted to leave those out, as the lm-eval task did)", file=sys.stderr)
    return write_checked(Path(args.out), imported.submission, corpus, done=f"read {imported.samples} answers; ")
