"""lm-eval's logged samples (``--log_samples``) of an evbench task, read back into an evbench submission.

Each line of ``samples_<task>_<date>.jsonl`` holds the task's document (``doc``: ``doc_id``,
``unit``, ``start``, ``text``, and for a sentence window ``context`` and ``context_start``) and the model's answer (``filtered_resps[0]``, else
``resps[0][0]``). The answer is read again by `benchmark.integrations.lm_eval_task.read_unit`,
the function the task's ``process_results`` used, rather than trusting the metric values logged
beside it, so the submission holds exactly the events the task scored, and every evbench tool
(score, report, compare, gate) gives the task's numbers. Standard library only: lm-eval is not
needed to import its samples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from benchmark.input.corpus import Corpus
from benchmark.input.problems import InputError, Problem
from benchmark.input.reading import check_file, max_bytes_from_env
from benchmark.integrations.lm_eval_task import read_unit, submission_from_units

FIX_FILE = "pass the samples_<task>_<date>.jsonl file that lm_eval --log_samples wrote for an evbench task (evbench_ar, evbench_ar_sentences)"


@dataclass(frozen=True)
class Imported:
    """A submission built from logged samples, and what was read to build it."""

    submission: dict
    samples: int
    unparseable: tuple[str, ...]
    """``<doc_id> unit <n>`` of each answer that gave no readable event list."""


def _answer(sample: dict) -> object:
    """The model's answer of a sample: the filtered response lm-eval scored, else the raw one."""
    for key, depth in (("filtered_resps", 1), ("resps", 2)):
        value = sample.get(key)
        for _ in range(depth):
            value = value[0] if isinstance(value, list) and value else None
        if isinstance(value, str):
            return value
    return None


def _unit_problem(doc: object, corpus: Corpus) -> tuple[str, str] | None:
    """(problem, fix) when `doc` is not a unit of this corpus, else None."""
    if not isinstance(doc, dict) or not all(k in doc for k in ("doc_id", "unit", "start", "text")):
        return "no evbench unit under 'doc' (doc_id, unit, start, text)", FIX_FILE
    doc_id, start, text = doc["doc_id"], doc["start"], doc["text"]
    if not isinstance(doc_id, str) or doc_id not in corpus.documents:
        return f"unknown document {doc_id!r}", "import against the corpus the run used (--gold DIR)"
    if not (isinstance(start, int) and isinstance(text, str) and isinstance(doc["unit"], int)):
        return "doc.start and doc.unit must be integers and doc.text a string", FIX_FILE
    pieces = [("text", start, text)]
    if "context" in doc:  # a sentence window (evbench_ar_sentences) and the segment around it
        context, context_start = doc["context"], doc.get("context_start")
        if not (isinstance(context, str) and isinstance(context_start, int)):
            return "doc.context must be a string and doc.context_start an integer", FIX_FILE
        if not context_start <= start <= start + len(text) <= context_start + len(context):
            return "doc.text is not inside doc.context", FIX_FILE
        pieces.append(("context", context_start, context))
    for name, at, piece in pieces:
        if corpus.documents[doc_id].text[at : at + len(piece)] != piece:
            return (f"doc.{name} is not the text of {doc_id} at [{at}, {at + len(piece)}): the run used another corpus or release",
                    "import against the corpus the run used (--gold DIR)")
    return None


def import_samples(paths: list[Path], corpus: Corpus, *, system: str) -> Imported:
    """Read every sample of `paths` (InputError listing every bad line) and build the submission."""
    problems: list[Problem] = []
    records: list[dict] = []
    seen: dict[tuple[str, int], str] = {}
    unparseable: list[str] = []
    for path in paths:
        file = str(path)
        if path.is_file() and path.stat().st_size == 0:
            raise InputError([Problem(file, "", "file is empty", FIX_FILE)])
        check_file(path, max_bytes_from_env())
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError([Problem(file, "", f"cannot read the file: {getattr(exc, 'strerror', None) or exc}", FIX_FILE)]) from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                sample = json.loads(line)
            except (ValueError, RecursionError) as exc:
                problems.append(Problem(file, where, f"not JSON: {exc}", FIX_FILE))
                continue
            if not isinstance(sample, dict):
                problems.append(Problem(file, where, "not a sample object", FIX_FILE))
                continue
            doc = sample.get("doc")
            found = _unit_problem(doc, corpus)
            if found is not None:
                problems.append(Problem(file, where + " $.doc", *found))
                continue
            answer = _answer(sample)
            if answer is None:
                problems.append(Problem(file, where, "no model answer (filtered_resps / resps)", FIX_FILE))
                continue
            key = (doc["doc_id"], doc["unit"])
            if key in seen:
                problems.append(Problem(file, where, f"{doc['doc_id']} unit {doc['unit']} again (first at {seen[key]})",
                                        "import the samples of one run (one task, no --repeats)"))
                continue
            seen[key] = f"{file}:{where}"
            events, bad = read_unit(doc, answer, corpus.ontology)
            if bad:
                unparseable.append(f"{doc['doc_id']} unit {doc['unit']}")
            records.append({"doc_id": doc["doc_id"], "unit": doc["unit"], "start": doc["start"], "events": events})
    if problems:
        raise InputError(problems)
    if not records:
        raise InputError([Problem(", ".join(map(str, paths)), "", "no samples", FIX_FILE)])
    return Imported(submission_from_units(records, system), len(records), tuple(unparseable))
