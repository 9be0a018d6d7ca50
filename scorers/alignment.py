"""The one alignment routine every metric uses: optimal one-to-one matching of predictions to references.

Why optimal and one-to-one: greedy first-match alignment (as in nervaluate) makes a score
depend on input order, and set-based scoring lets a duplicated prediction count twice or
not at all. Here each reference is matched at most once, so a duplicate prediction is a false
positive, never a second true positive; the matching maximises the number of matched pairs
first and the total similarity second (Kuhn-Munkres via ``scipy.optimize.linear_sum_assignment``);
and both sides are sorted by a canonical key before the matrix is built, so ties are broken
the same way whatever order the input came in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

import numpy as np
from scipy.optimize import linear_sum_assignment

from scorers import arabic
from scorers.matching import SpanMatcher
from scorers.model import Argument, DocumentAnnotation, EventMention, Span

P = TypeVar("P")
R = TypeVar("R")
Similarity = Callable[[P, R], float | None]


@dataclass(frozen=True)
class Alignment(Generic[P, R]):
    """Matched (prediction, reference) pairs and what is left on each side, in canonical order."""

    pairs: tuple[tuple[P, R], ...] = ()
    unmatched_pred: tuple[P, ...] = ()
    unmatched_ref: tuple[R, ...] = ()

    def __add__(self, other: Alignment[P, R]) -> Alignment[P, R]:
        return Alignment(self.pairs + other.pairs, self.unmatched_pred + other.unmatched_pred, self.unmatched_ref + other.unmatched_ref)


def align(preds: Iterable[P], refs: Iterable[R], similarity: Similarity, key: Callable[[P | R], tuple]) -> Alignment[P, R]:
    """Match predictions to references one-to-one, maximising (number of pairs, total similarity).

    ``similarity(p, r)`` is ``None`` for a pair that may not be matched and a score in (0, 1]
    otherwise. A matched pair weighs ``bonus + similarity`` with ``bonus`` larger than any
    possible similarity total, so one more pair always beats a better-scoring smaller matching.
    ``key`` orders both sides canonically (e.g. by start, end, type, id) before solving.
    """
    preds, refs = sorted(preds, key=key), sorted(refs, key=key)
    weights = np.zeros((len(preds), len(refs)))
    bonus = min(len(preds), len(refs)) + 1.0
    for i, p in enumerate(preds):
        for j, r in enumerate(refs):
            score = similarity(p, r)
            if score is not None:
                weights[i, j] = bonus + score
    if not weights.any():
        return Alignment((), tuple(preds), tuple(refs))
    rows, cols = linear_sum_assignment(weights, maximize=True)
    chosen = [(i, j) for i, j in zip(rows.tolist(), cols.tolist()) if weights[i, j] > 0]
    used_p, used_r = {i for i, _ in chosen}, {j for _, j in chosen}
    return Alignment(
        tuple((preds[i], refs[j]) for i, j in chosen),
        tuple(p for i, p in enumerate(preds) if i not in used_p),
        tuple(r for j, r in enumerate(refs) if j not in used_r),
    )


def span_key(span: Span) -> tuple:
    """Canonical order of spans: by offsets (text-only spans first), then text."""
    return (span.start if span.start is not None else -1, span.end if span.end is not None else -1, span.text)


def event_key(event: EventMention) -> tuple:
    """Canonical order of event mentions: document, trigger offsets, type, realis, id."""
    return (event.doc_id, span_key(event.trigger), event.type, event.realis or "", event.id)


def argument_key(argument: Argument) -> tuple:
    return (argument.role, span_key(argument.span), argument.entity or "")


def canonical(doc: DocumentAnnotation) -> DocumentAnnotation:
    """The same document with events, arguments, entities and mentions in canonical order.

    Scoring canonical documents makes every record (which embeds its event) independent of
    the order the input listed things in, not just every count.
    """
    events = sorted((replace(e, arguments=tuple(sorted(e.arguments, key=argument_key))) for e in doc.events), key=event_key)
    entities = sorted((replace(n, mentions=tuple(sorted(n.mentions, key=span_key))) for n in doc.entities), key=lambda n: n.id)
    return DocumentAnnotation(doc.doc_id, tuple(events), tuple(entities))


#: Weight of type / realis / argument agreement when choosing between equally good trigger matches.
TIE_BREAK_WEIGHT = 1e-3


def agreement(pred: EventMention, ref: EventMention, uses_offsets: bool) -> float:
    """How much two events agree beyond their triggers, in [0, 1]: type, realis, and argument (role, span) overlap.

    Argument spans are compared by offsets, or by normalised text in the offset-free protocol.
    """

    def bag(event: EventMention) -> Counter:
        return Counter((a.role, (a.span.start, a.span.end) if uses_offsets else arabic.normalize(a.span.text)) for a in event.arguments)

    pred_args, ref_args = bag(pred), bag(ref)
    total = sum(pred_args.values()) + sum(ref_args.values())
    arguments = 2 * sum((pred_args & ref_args).values()) / total if total else 1.0
    return (float(pred.type == ref.type) + float(pred.realis == ref.realis) + arguments) / 3


def trigger_similarity(matcher: SpanMatcher, *, typed: bool, realis: bool = False) -> Similarity:
    """Pairs of events whose triggers match under ``matcher`` (and whose type / realis are equal if asked).

    The score is the trigger similarity plus a small tie-break for type, realis and argument
    agreement (rescaled into (0, 1]), so of two gold ``زيارة`` events with equal triggers (as
    in text mode) a prediction is paired with the one whose arguments it shares, and of two
    gold events on one trigger word (``وقدمت``: sending troops, supplying arms) an untyped
    alignment pairs a prediction with the one of its own type. The tie-break never changes
    how many pairs match.
    """

    def similarity(pred: EventMention, ref: EventMention) -> float | None:
        if typed and pred.type != ref.type:
            return None
        if realis and (pred.realis is None or pred.realis != ref.realis):
            return None
        score = matcher.similarity(pred.trigger, ref.trigger)
        if score is None:
            return None
        return (score + TIE_BREAK_WEIGHT * agreement(pred, ref, matcher.uses_offsets)) / (1 + TIE_BREAK_WEIGHT)

    return similarity


def align_triggers(
    preds: Iterable[EventMention], refs: Iterable[EventMention], matcher: SpanMatcher, *, typed: bool, realis: bool = False
) -> Alignment[EventMention, EventMention]:
    """Align predicted to reference event mentions by trigger, document by document.

    ``typed=True`` is the trigger-classification alignment (tri_c) that the argument ``+``
    metrics build on; ``typed=False`` is trigger identification (tri_i), which event
    coreference scoring builds on (``scorers.event_coref``).
    Events of different documents never match. A prediction without realis never matches
    when ``realis=True``.
    """
    by_doc: dict[str, tuple[list[EventMention], list[EventMention]]] = defaultdict(lambda: ([], []))
    for event in preds:
        by_doc[event.doc_id][0].append(event)
    for event in refs:
        by_doc[event.doc_id][1].append(event)
    similarity = trigger_similarity(matcher, typed=typed, realis=realis)
    result: Alignment[EventMention, EventMention] = Alignment()
    for doc_id in sorted(by_doc):
        doc_preds, doc_refs = by_doc[doc_id]
        result = result + align(doc_preds, doc_refs, similarity, event_key)
    return result
