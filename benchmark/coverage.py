"""Which of the reference's documents a submission covers, and ``evbench score --only-submitted``.

A submission is scored against every reference document: one it leaves out counts as a
document with no events (each reference event in it a false negative). That is the right
score for a system that skipped documents, and a silently wrong one for a submission cut to a
few documents by mistake or on purpose; so the documents left out are said on stderr and kept
in the result (``missing_documents``). ``--only-submitted`` scores only the reference
documents the submission contains, and the result's settings say so (``only_submitted``).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark.input.problems import InputError, Problem

if TYPE_CHECKING:
    from benchmark.engines import Engine
    from benchmark.input.corpus import Corpus
    from benchmark.scoring import ScoreRun, ScoreSettings
    from scorers.model import Annotation
    from scorers.units import Unit

#: Document ids named in a message before "and N more" (the result JSON lists them all).
SHOWN_IDS = 10


def missing_documents(prediction: Annotation, gold: Annotation) -> list[str]:
    """The reference's documents that the submission does not contain, sorted."""
    return sorted(d for d in gold.documents if d not in prediction.documents)


def add_coverage(result: dict, missing: list[str], *, only_submitted: bool = False) -> dict:
    """Record the documents left out in a result dict (and ``settings.only_submitted`` when set)."""
    result["missing_documents"] = list(missing)
    if only_submitted:
        result["settings"]["only_submitted"] = True
    return result


def covered_result(run: ScoreRun) -> dict:
    """``benchmark.scoring.result_dict`` of a run scored on every reference document, with ``missing_documents``."""
    from benchmark.scoring import result_dict

    return add_coverage(result_dict(run), missing_documents(run.prediction, run.gold))


def id_list(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f", and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


def coverage_message(missing: list[str], reference_documents: int, *, only_submitted: bool = False) -> str | None:
    """The stderr line about documents left out (None when the submission covers the reference)."""
    if not missing:
        return None
    if only_submitted:
        kept = reference_documents - len(missing)
        return (f"note: --only-submitted: scoring the {kept} of the reference's {reference_documents} documents the submission"
                f" contains; left out: {id_list(missing)}")
    return (f"warning: the submission has no events for {len(missing)} of the reference's {reference_documents} documents"
            f" ({id_list(missing)}); they are scored as empty (to score only the documents it contains: --only-submitted)")


def report_coverage(missing: list[str], reference_documents: int, *, only_submitted: bool = False, command: str = "evbench score") -> None:
    """Print :func:`coverage_message` on stderr, if there is one."""
    message = coverage_message(missing, reference_documents, only_submitted=only_submitted)
    if message:
        print(f"{command}: {message}", file=sys.stderr)


def only_submitted_reference(gold: Annotation, prediction: Annotation, file: str) -> Annotation:
    """The reference cut to the documents the submission contains; none in common is bad input."""
    kept = {d: doc for d, doc in gold.documents.items() if d in prediction.documents}
    if not kept:
        raise InputError([Problem(file, "$.documents", f"--only-submitted: the submission contains none of the reference's {len(gold.documents)} documents",
                                  "check its doc_id values against the reference, or drop --only-submitted")])
    return replace(gold, documents=kept)


def score_file(
    pred: Path, reference: Path | None, corpus: Corpus, settings: ScoreSettings, *, only_submitted: bool = False,
    unit: Unit | None = None, jobs: int = 1, by_doc: bool = True, stream: bool = False, engine: Engine | None = None,
) -> tuple[ScoreRun, list[str], int]:
    """Score a submission file: the run, the reference documents it lacks, and how many the reference has.

    Without ``only_submitted`` this is ``benchmark.scoring.score_submission``; with it the
    reference is first cut to the submission's documents. ``stream``: score document by
    document (``benchmark.streaming``; ``jobs > 1``: in that many processes) when nothing asked for
    needs the whole files (``--only-submitted``); the result is the same. ``by_doc``: per-document breakdowns.
    ``engine`` (``benchmark.engines``): where the per-document map runs.
    """
    from benchmark.scoring import score_submission

    if stream and not only_submitted:
        from benchmark.input.submission import submission_max_bytes
        from benchmark.streaming import score_stream

        stream_engine = engine
        if engine is None and jobs > 1:
            from benchmark.engines.processes import ProcessEngine

            stream_engine = ProcessEngine(jobs)
        streamed = score_stream(pred, reference, corpus, settings, by_doc=by_doc, max_bytes=submission_max_bytes(), engine=stream_engine, unit=unit)
        if streamed is not None:
            return streamed
    if not isinstance(corpus.documents, dict):  # a lazy corpus: the whole-file path reads every text often
        from benchmark.input.corpus import load_corpus

        corpus = load_corpus(corpus.root)
    run = score_submission(pred, reference, corpus, settings, unit=unit, jobs=jobs, only_submitted=only_submitted, by_doc=by_doc, engine=engine)
    missing = sorted({*missing_documents(run.prediction, run.gold), *run.left_out})
    return run, missing, len(run.gold.documents) + len(run.left_out)
