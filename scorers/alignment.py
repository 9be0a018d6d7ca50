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
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from scorers import arabic
from scorers.assignment import connected_components, maximum_assignment
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


Candidates = Callable[[list, list], Iterable[tuple[int, int]]]
#: Below this many pairs, asking about every pair is cheaper than finding the candidates.
SMALL = 16


def align(
    preds: Iterable[P], refs: Iterable[R], similarity: Similarity, key: Callable[[P | R], tuple], candidates: Candidates | None = None
) -> Alignment[P, R]:
    """Match predictions to references one-to-one, maximising (number of pairs, total similarity).

    ``similarity(p, r)`` is ``None`` for a pair that may not be matched and a score in (0, 1]
    otherwise. A matched pair weighs ``bonus + similarity`` with ``bonus`` larger than any
    possible similarity total, so one more pair always beats a better-scoring smaller matching.
    ``key`` orders both sides canonically (e.g. by start, end, type, id) before solving.

    ``candidates(preds, refs)`` (both sorted) may name the index pairs worth asking
    ``similarity`` about (e.g. :func:`span_candidates`: spans that overlap); every other pair
    must be one ``similarity`` would refuse. The default asks about every pair.
    The optimum of the whole assignment is the union of the optima of the connected
    components of the graph of matchable pairs, so each component is solved on its own: a
    pair with no rival is taken as is, and the assignment solver (`scorers.assignment`, scipy's
    algorithm) runs only on components with a choice.
    """
    preds, refs = sorted(preds, key=key), sorted(refs, key=key)
    if candidates is not None and len(preds) * len(refs) > SMALL:
        pairs = candidates(preds, refs)
    else:
        pairs = ((i, j) for i in range(len(preds)) for j in range(len(refs)))
    edges: dict[tuple[int, int], float] = {}
    for i, j in pairs:
        score = similarity(preds[i], refs[j])
        if score is not None:
            edges[i, j] = score
    if not edges:
        return Alignment((), tuple(preds), tuple(refs))
    chosen = sorted(_best_matching(edges))
    used_p, used_r = {i for i, _ in chosen}, {j for _, j in chosen}
    return Alignment(
        tuple((preds[i], refs[j]) for i, j in chosen),
        tuple(p for i, p in enumerate(preds) if i not in used_p),
        tuple(r for j, r in enumerate(refs) if j not in used_r),
    )


def _best_matching(edges: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """A maximum-cardinality, then maximum-similarity, matching of the scored pairs."""
    rows = [i for i, _ in edges]
    cols = [j for _, j in edges]
    if len(set(rows)) == len(rows) and len(set(cols)) == len(cols):
        return list(edges)  # no pair has a rival (the usual case): every component is one pair
    chosen: list[tuple[int, int]] = []
    for component in connected_components(edges):
        if len(component) == 1:
            chosen.append(component[0])
            continue
        rows = sorted({i for i, _ in component})
        cols = sorted({j for _, j in component})
        bonus = min(len(rows), len(cols)) + 1.0
        weights = {pair: bonus + edges[pair] for pair in component}
        chosen += [pair for pair in maximum_assignment(rows, cols, weights) if pair in weights]  # ties: the first free column, or scipy's choice
    return chosen


def span_candidates(matcher: SpanMatcher, pred_span: Callable[[P], Span], ref_spans: Callable[[R], Iterable[Span]]) -> Candidates | None:
    """The pairs ``matcher`` could match: equal offsets (exact), overlapping offsets (overlap, arabic).

    ``ref_spans(r)`` lists every span a prediction may match to take ``r`` (its own span, and
    for entity-aware argument matching the mentions of its entity). None (every pair) for
    matchers that do not compare offsets.
    """
    rule = getattr(matcher, "candidates", "all")
    if rule == "all":
        return None

    def candidates(preds: list, refs: list) -> list[tuple[int, int]]:
        pairs: list[tuple[int, int]] = []
        if rule == "offsets":
            where: dict[tuple[int, int], list[int]] = defaultdict(list)
            for j, r in enumerate(refs):
                for s in ref_spans(r):
                    where[s.start, s.end].append(j)
            for i, p in enumerate(preds):
                span = pred_span(p)
                found = where.get((span.start, span.end))
                if found:
                    pairs += [(i, j) for j in (found if len(found) == 1 else dict.fromkeys(found))]
            return pairs
        spans = sorted((s.start, s.end, j) for j, r in enumerate(refs) for s in ref_spans(r) if s.has_offsets)
        starts = [start for start, _, _ in spans]
        longest = max((end - start for start, end, _ in spans), default=0)
        for i, p in enumerate(preds):
            span = pred_span(p)
            if not span.has_offsets:
                continue
            lo, hi = bisect_left(starts, span.start - longest + 1), bisect_left(starts, span.end)
            pairs += [(i, j) for j in dict.fromkeys(j for _, end, j in spans[lo:hi] if end > span.start)]
        return pairs

    return candidates


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

    def bag(event: EventMention) -> list:
        return [(a.role, (a.span.start, a.span.end) if uses_offsets else arabic.normalize(a.span.text)) for a in event.arguments]

    pred_args, ref_args = bag(pred), bag(ref)
    total = len(pred_args) + len(ref_args)
    # Equal lists are equal multisets (the common case, counted without building Counters).
    common = len(pred_args) if pred_args == ref_args else sum((Counter(pred_args) & Counter(ref_args)).values())
    arguments = 2 * common / total if total else 1.0
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
        score = matcher.trigger_similarity(pred.trigger, ref.trigger)
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
    if isinstance(preds, tuple) and isinstance(refs, tuple):  # immutable: the result can be reused
        memo_key = (id(preds), id(refs), matcher, typed, realis)
        found = _RECENT.get(memo_key)
        if found is not None and found[0] is preds and found[1] is refs:
            return found[2]
        result = _align_triggers(preds, refs, matcher, typed=typed, realis=realis)
        if len(_RECENT) >= 8:
            _RECENT.pop(next(iter(_RECENT)))
        _RECENT[memo_key] = (preds, refs, result)
        return result
    return _align_triggers(preds, refs, matcher, typed=typed, realis=realis)


#: The last few trigger alignments of immutable event tuples: the tri_c alignment of a document
#: is asked for by tri_c and by every ``+`` argument metric in a row.
_RECENT: dict[tuple, tuple] = {}


def _align_triggers(
    preds: Iterable[EventMention], refs: Iterable[EventMention], matcher: SpanMatcher, *, typed: bool, realis: bool
) -> Alignment[EventMention, EventMention]:
    by_doc: dict[str, tuple[list[EventMention], list[EventMention]]] = defaultdict(lambda: ([], []))
    for event in preds:
        by_doc[event.doc_id][0].append(event)
    for event in refs:
        by_doc[event.doc_id][1].append(event)
    candidates = span_candidates(matcher, _trigger, _triggers)
    return concatenate(
        align(*by_doc[doc_id], trigger_similarity(matcher.for_document(doc_id), typed=typed, realis=realis), event_key, candidates)
        for doc_id in sorted(by_doc)
    )


def _trigger(event: EventMention) -> Span:
    return event.trigger


def _triggers(event: EventMention) -> tuple[Span, ...]:
    return (event.trigger,)


def concatenate(alignments: Iterable[Alignment[P, R]]) -> Alignment[P, R]:
    """Several alignments as one, in the given order (in linear time, unlike repeated ``+``)."""
    pairs: list = []
    unmatched_pred: list = []
    unmatched_ref: list = []
    for found in alignments:
        pairs += found.pairs
        unmatched_pred += found.unmatched_pred
        unmatched_ref += found.unmatched_ref
    return Alignment(tuple(pairs), tuple(unmatched_pred), tuple(unmatched_ref))
