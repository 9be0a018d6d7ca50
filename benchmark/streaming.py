"""Scoring a submission file as a stream: each document reduced to additive counts as soon as it is read.

The whole-file path (``benchmark.scoring.score_submission``) holds both annotations, every
outcome record being reachable for reports. Scoring alone needs none of that: every number
of the result is a sum over documents (``benchmark.scoring.Summary``), except cross-document
coreference, whose partition is kept as integers (``scorers.event_coref.CorefAccumulator``).
Here the reference and the submission are read document by document
(``benchmark.input.stream``), paired by ``doc_id`` (``benchmark.input.join``), scored, and
dropped, so memory stays flat in the number of documents.

Only what the stream cannot do falls back to the whole-file path, with the same result:
matching modes that read the whole reference (``relaxed``, ``judge``), and any input with a
problem, so every error is reported by the one canonical path.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from benchmark.corpus import Corpus
from benchmark.input.join import Unmatched, join_by_doc_id
from benchmark.input.stream import GiveUp, gold_stream, submission_stream
from benchmark.scoring import ScoreRun, ScoreSettings, Summary, reference_identity, summarize_document
from benchmark.submission import submission_max_bytes
from scorers.event_coref import CorefAccumulator
from scorers.matching import CONTEXT_MODES, make_matcher
from scorers.model import Annotation, DocumentAnnotation, EventMention


def can_stream(settings: ScoreSettings) -> bool:
    """Whether a mode scores a document from that document alone (the stream's condition)."""
    return settings.match not in CONTEXT_MODES and settings.match != "judge"


def _located(doc: DocumentAnnotation) -> bool:
    return all(e.trigger.has_offsets and all(a.span.has_offsets for a in e.arguments) for e in doc.events)


def _in_chrome(event: EventMention, corpus: Corpus) -> bool:
    span = event.trigger
    return span.has_offsets and corpus.documents[event.doc_id].in_chrome(span.start, span.end)  # type: ignore[arg-type]


def _without_chrome(doc: DocumentAnnotation, corpus: Corpus) -> tuple[DocumentAnnotation, int]:
    kept = tuple(e for e in doc.events if not _in_chrome(e, corpus))
    return (replace(doc, events=kept) if len(kept) != len(doc.events) else doc), len(doc.events) - len(kept)


def score_stream(pred_path: Path, reference_path: Path | None, corpus: Corpus, settings: ScoreSettings, *,
                 by_doc: bool = False, max_bytes: int | None = None) -> tuple[ScoreRun, list[str], int] | None:
    """The run, the reference documents the submission lacks, and the reference's size; None to fall back.

    None means: read the files whole (``benchmark.scoring.score_submission``), which gives the same
    result or the canonical problems. ``by_doc`` keeps the per-document breakdowns (a table the
    size of the corpus).
    """
    if not can_stream(settings):
        return None
    matcher = make_matcher(settings.match, settings.overlap_threshold)
    try:
        limit = max_bytes or submission_max_bytes()
        prediction = submission_stream(pred_path, corpus, limit)
        reference = gold_stream(corpus) if reference_path is None else submission_stream(reference_path, corpus, limit)
        groupings = tuple(g for g in Summary().groupings if by_doc or g != "doc")
        total, coref, ignored, documents = Summary(groupings=groupings), CorefAccumulator(), 0, 0
        unmatched = Unmatched()
        for pred, ref in join_by_doc_id(reference.documents, prediction.documents, unmatched):
            pred = pred or DocumentAnnotation(ref.doc_id)
            if matcher.uses_offsets and not (_located(pred) and _located(ref)):
                raise GiveUp("text-only spans an offset mode cannot score")
            pred, dropped = _without_chrome(pred, corpus)
            ref, _ = _without_chrome(ref, corpus)
            ignored += dropped
            documents += 1
            total.add(summarize_document(pred, ref, matcher, corpus, None, by_doc=by_doc))
            coref.add_document(pred, ref, matcher)
    except GiveUp:
        return None
    from benchmark.coref_results import coref_metrics, coref_notes

    scores = coref.scores()
    total.coref = (coref_metrics(scores), coref_notes(scores))
    empty = Annotation({})
    run = ScoreRun(
        system=prediction.system or pred_path.stem,
        settings=settings,
        reference=reference_identity(reference_path, corpus),
        prediction=empty,
        gold=empty,
        summary=total,
        ignored_in_chrome=ignored,
        ignored_documents=tuple(d.doc_id for d in unmatched.extra if d.events),
        matcher=matcher,
        streamed=True,
    )
    return run, unmatched.missing, documents

