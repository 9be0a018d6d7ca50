"""`evbench convert`: loose model output (JSON or JSONL) to a valid submission, saying what changed.

The conversion itself is `benchmark.loose_output` (shared with the `llm` extractor); this module
reads, writes, prints the changes per document on stderr and validates the result with the same
checks as `evbench validate`, so what it writes is known to load.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def add_parser(sub) -> None:
    from benchmark.cli import add_corpus_option

    p = sub.add_parser(
        "convert",
        help="turn loose model output (JSON/JSONL, fenced, bare-string triggers, no ids, {role: text}) into a valid submission",
        description="Accepted input: a submission {\"documents\": [...]}, a {doc_id: events or raw answer text} object, or JSONL "
        "with one {\"doc_id\", \"events\"} or {\"doc_id\", \"output\": \"<raw model text>\"} per line. A doc_id may be its "
        "number prefix (000). Every change is listed per document on stderr.",
    )
    p.add_argument("raw", metavar="RAW", help="model output file (.json, .jsonl, or text holding fenced JSON)")
    p.add_argument("-o", "--out", metavar="SUBMISSION", required=True, help="write the submission here (.jsonl for JSONL, else JSON)")
    p.add_argument("--system", metavar="NAME", default=None, help="system name in the submission (default: the input's, else RAW's file name)")
    add_corpus_option(p)
    p.set_defaults(run=run)


def write_checked(out: Path, submission: dict, corpus, *, done: str = "") -> int:
    """Write a made submission, then check it as `evbench validate` does; exit status 0, or 2 if it is invalid.

    Every command that makes a submission (convert, import-lm-eval) ends here, so what it wrote
    is known to load in every other evbench tool. `done` starts the "wrote ..." line.
    """
    from benchmark.input.submission import check_submission

    _write(out, submission)
    n = sum(len(d["events"]) for d in submission["documents"])
    print(f"{done}wrote {n} event mentions in {len(submission['documents'])} documents to {out}", file=sys.stderr)
    annotation, problems = check_submission(out, corpus)
    for problem in problems:
        print(" ".join(problem.format().splitlines()), file=sys.stderr)
    if annotation is None:
        return 2
    warnings = sum(p.severity == "warning" for p in problems)
    print(f"{out}: valid ({len(annotation.events())} event mentions{f', {warnings} warnings' if warnings else ''})")
    return 0


def _write(path: Path, submission: dict) -> None:
    from benchmark.input.problems import InputError, Problem
    from benchmark.input.reading import is_jsonl

    if is_jsonl(path):
        text = "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in submission["documents"])
    else:
        text = json.dumps(submission, ensure_ascii=False, indent=1) + "\n"
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError([Problem(str(path), "", f"cannot write: {exc.strerror or exc}", "choose a writable path")]) from None


def run(args: argparse.Namespace) -> int:
    from benchmark.input.corpus import load_corpus
    from benchmark.loose_output import convert_raw, read_raw

    corpus = load_corpus(args.gold)
    raw = read_raw(Path(args.raw))
    system = args.system if args.system is not None else (raw.system if raw.system is not None else Path(args.raw).stem)
    result = convert_raw(raw, corpus, system=system)

    by_doc: dict[str, list[str]] = {}
    for change in result.changes:
        by_doc.setdefault(change.doc_id, []).append(change.format())
    if "" in by_doc:
        print(f"{args.raw}:", *(f"  {line}" for line in by_doc[""]), sep="\n", file=sys.stderr)
    for doc in result.submission["documents"]:
        changes = by_doc.get(doc["doc_id"], [])
        print(f"{doc['doc_id']}: {len(doc['events'])} events, {'no changes' if not changes else 'changed:'}", *(f"  {line}" for line in changes),
              sep="\n", file=sys.stderr)
    if result.missing:
        print(f"note: no entry for {len(result.missing)} corpus documents (scored as having no events): {', '.join(result.missing)}", file=sys.stderr)

    return write_checked(Path(args.out), result.submission, corpus)
