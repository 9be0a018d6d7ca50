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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark.engines import Engine, LocalEngine
from benchmark.input.corpus import Corpus
from benchmark.input.join import Unmatched, join_by_doc_id
from benchmark.input.stream import GiveUp, gold_stream, submission_stream
from benchmark.input.submission import submission_max_bytes
from benchmark.scoring import ChunkTask, ScoreRun, ScoreSettings, Summary, groupings_for, reference_identity
from scorers.event_coref import CorefAccumulator
from scorers.matching import CONTEXT_MODES, make_matcher
from scorers.model import Annotation, DocumentAnnotation, EventMention

if TYPE_CHECKING:
    from scorers.bootstrap import Unit


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


@dataclass
class _Counts:
    ignored_in_chrome: int = 0
    documents: int = 0


def _scored_pairs(pairs: Iterable[tuple[DocumentAnnotation | None, DocumentAnnotation]], corpus: Corpus, offsets: bool, counts: _Counts,
                  ) -> Iterator[tuple[DocumentAnnotation, DocumentAnnotation]]:
    """The joined pairs as the whole-file path scores them: located (offset modes), chrome dropped."""
    for pred, ref in pairs:
        pred = pred or DocumentAnnotation(ref.doc_id)
        if offsets and not (_located(pred) and _located(ref)):
            raise GiveUp("text-only spans an offset mode cannot score")
        pred, dropped = _without_chrome(pred, corpus)
        ref, _ = _without_chrome(ref, corpus)
        counts.ignored_in_chrome += dropped
        counts.documents += 1
        yield pred, ref


def _chunks(pairs: Iterator[tuple[DocumentAnnotation, DocumentAnnotation]], by_doc: bool, size: int, unit: Unit | None,
            corpus: Corpus) -> Iterator[ChunkTask]:
    while chunk := tuple(islice(pairs, size)):
        sentences = None
        if unit == "sentence":
            from benchmark.intervals import sentence_ranges

            sentences = sentence_ranges(corpus, [ref.doc_id for _, ref in chunk])
        yield ChunkTask(chunk, unit=unit, by_doc=by_doc, sentences=sentences, coref=True)


def score_stream(pred_path: Path, reference_path: Path | None, corpus: Corpus, settings: ScoreSettings, *,
                 by_doc: bool = False, max_bytes: int | None = None, engine: Engine | None = None, unit: Unit | None = None,
                 ) -> tuple[ScoreRun, list[str], int] | None:
    """The run, the reference documents the submission lacks, and the reference's size; None to fall back.

    None means: read the files whole (``benchmark.scoring.score_submission``), which gives the same
    result or the canonical problems. ``by_doc`` keeps the per-document breakdowns (a table the
    size of the corpus). ``engine`` (``benchmark.engines``) runs the per-chunk map; the reading,
    the join and the reduce stay here. ``unit`` (for intervals): each document's unit counts
    are kept too (small, additive: ``Summary.units``), so ``--ci`` streams as well.
    """
    if not can_stream(settings):
        return None
    matcher = make_matcher(settings.match, settings.overlap_threshold)
    engine = engine or LocalEngine()
    try:
        limit = max_bytes or submission_max_bytes()
        prediction = submission_stream(pred_path, corpus, limit)
        reference = gold_stream(corpus) if reference_path is None else submission_stream(reference_path, corpus, limit)
        total, coref, counts, unmatched = Summary(unit=unit, groupings=groupings_for(by_doc)), CorefAccumulator(), _Counts(), Unmatched()
        pairs = _scored_pairs(join_by_doc_id(reference.documents, prediction.documents, unmatched), corpus, matcher.uses_offsets, counts)
        for part, corefs in engine.map_chunks(_chunks(pairs, by_doc, engine.chunk_documents, unit, corpus), matcher):
            total.add(part)
            for doc in corefs:
                coref.add(doc)
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
        ignored_in_chrome=counts.ignored_in_chrome,
        ignored_documents=tuple(d.doc_id for d in unmatched.extra if d.events),
        matcher=matcher,
        streamed=True,
    )
    return run, unmatched.missing, counts.documents
