"""Pairing the reference's documents with the submission's by ``doc_id``, holding as few as the orders allow."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from scorers.model import DocumentAnnotation


@dataclass
class Unmatched:
    """What the join saw of the submission beyond the pairs: filled in when the join is exhausted."""

    #: Submission documents the reference does not have (never scored), sorted.
    extra: list[DocumentAnnotation] = field(default_factory=list)
    #: Reference documents the submission does not contain, sorted.
    missing: list[str] = field(default_factory=list)


def join_by_doc_id(reference: Iterator[DocumentAnnotation], submission: Iterator[DocumentAnnotation], unmatched: Unmatched,
                   ) -> Iterator[tuple[DocumentAnnotation | None, DocumentAnnotation]]:
    """(submitted document or None, reference document) for every reference document.

    A symmetric hash join: the two streams are read in turn, and a document waits in its
    side's buffer until its partner arrives. Two files in the same document order (sorted, or
    both in corpus order) therefore pass with a buffer of about one document each; documents
    one side lacks wait until the end; files in unrelated orders degrade to holding one of
    them, never to a wrong pair. Pairs come in the order they complete, so whatever consumes
    them must not depend on the order (the summary is a sum).
    """
    waiting_ref: dict[str, DocumentAnnotation] = {}
    waiting_pred: dict[str, DocumentAnnotation] = {}
    ref_open = pred_open = True
    while ref_open or pred_open:
        if ref_open:
            ref = next(reference, None)
            if ref is None:
                ref_open = False
            elif ref.doc_id in waiting_pred:
                yield waiting_pred.pop(ref.doc_id), ref
            else:
                waiting_ref[ref.doc_id] = ref
        if pred_open:
            pred = next(submission, None)
            if pred is None:
                pred_open = False
            elif pred.doc_id in waiting_ref:
                yield pred, waiting_ref.pop(pred.doc_id)
            else:
                waiting_pred[pred.doc_id] = pred
    unmatched.missing = sorted(waiting_ref)
    unmatched.extra = [waiting_pred[d] for d in sorted(waiting_pred)]
    for doc_id in unmatched.missing:
        yield None, waiting_ref.pop(doc_id)
