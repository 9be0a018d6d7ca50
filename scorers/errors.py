"""Error categories: every false positive and false negative of tri_c and arg_c+ named once.

The categories are read off the outcome records of one document (``scorers.registry.score_document``),
that is off the very alignment the metrics use, and counted; counts are additive over documents.
An error *explains* the records it names: a paired error (``boundary``, ``type``,
``boundary+type``, ``role``, ``other_mention``) explains one false positive and one false
negative, every other category one record. Every tri_c fp / fn (and every arg_c+ fp / fn, or
arg_c+_entity with entity-aware argument matching) is explained by exactly one category.

References: Das et al. 2022, "Automatic Error Analysis for Document-level Information
Extraction" (ACL): errors as span / role / missing / spurious / duplicate transformations;
Kummerfeld & Klein 2013, "Error-Driven Analysis of Challenges in Coreference Resolution"
(EMNLP): split and merged entities, extra and missing mentions; nervaluate (Batista): exact,
partial (boundary), type and missed / spurious classes.

Triggers (over tri_c; pairs are chosen one-to-one by ``scorers.alignment.align``, stage by stage):

* ``type``: a false positive and a false negative whose triggers match under the matching mode, with other event types;
* ``boundary``: a false positive and a false negative of the same type whose triggers overlap without matching;
* ``boundary+type``: a false positive and a false negative whose triggers overlap without matching, with other types;
* ``duplicate``: a false positive that would match (trigger and type) a reference event already matched;
* ``spurious`` / ``missed``: every other false positive / false negative;
* ``realis``: a tri_c true positive whose realis is wrong or absent (not a tri_c error: counted beside them).

Arguments (over arg_c+; "event pairs" are the tri_c-aligned event pairs the metric uses):

* ``event_missed``: a false negative whose reference event is aligned to no predicted event;
* ``event_spurious``: a false positive whose predicted event is aligned to no reference event
  (the mirror of ``event_missed``: arguments lost with a spurious or mistyped event);
* within an event pair, one-to-one in this order: ``role`` (spans match, other roles);
  ``other_mention`` (same role, the predicted span matches another mention of the reference
  argument's entity: right under entity-aware matching, so 0 there); ``boundary`` (same role,
  spans overlap without matching);
* ``wrong_event``: a remaining false positive whose span matches an argument of another
  reference event of the document;
* ``spurious`` / ``missed``: every other false positive / false negative within event pairs.

Coreference (within the document, over the tri_i pairs event coreference uses; a mention
without ``cluster`` is a singleton):

* ``split``: for each reference cluster, the number of predicted clusters its aligned mentions
  fall into, minus one;
* ``merged``: for each predicted cluster, the number of reference clusters its aligned mentions
  come from, minus one;
* ``missing``: reference mentions of a cluster of two or more that no prediction is aligned to;
* ``extra``: predicted mentions of a cluster of two or more aligned to no reference mention
  (a twinless singleton is an event error only, not a coreference one).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from scorers import arabic
from scorers.alignment import ArgumentRule, Candidates, align, align_triggers, argument_scorer, canonical
from scorers.events import Item, Outcome, item_key
from scorers.matching import SpanMatcher, dice, overlap_length
from scorers.model import DocumentAnnotation, EventMention, Span

TRIGGER_CATEGORIES = ("missed", "spurious", "boundary", "type", "boundary+type", "duplicate", "realis")
ARGUMENT_CATEGORIES = ("missed", "spurious", "boundary", "role", "wrong_event", "other_mention", "event_missed", "event_spurious")
COREF_CATEGORIES = ("split", "merged", "extra", "missing")
CATEGORIES = {"trigger": TRIGGER_CATEGORIES, "argument": ARGUMENT_CATEGORIES, "coref": COREF_CATEGORIES}
#: Categories that explain one false positive and one false negative.
PAIRED = frozenset({"boundary", "type", "boundary+type", "role", "other_mention"})
#: Categories that are not errors of the explained metric (realis errors are tri_c true positives).
BESIDE = frozenset({"realis"})
#: The argument metric each argument matching mode explains.
ARGUMENT_METRICS = {"span": "arg_c+", "entity": "arg_c+_entity"}
#: Breakdowns of the error counts; coreference errors are broken down by document only.
ERROR_GROUPINGS = ("type", "doc")


@dataclass(frozen=True, slots=True)
class Error:
    """One categorised error: the records it explains (``pred`` for a false positive, ``ref`` for a false negative)."""

    family: str
    category: str
    doc_id: str
    pred: Item | None = None
    ref: Item | None = None

    @property
    def type(self) -> str:
        """The event type it is counted under: the reference's, or the prediction's when there is none."""
        return (self.ref or self.pred).event.type  # type: ignore[union-attr]


def overlapping(a: Span, b: Span) -> bool:
    """Spans share a character (offsets), or, text-only, a normalised word."""
    if a.has_offsets and b.has_offsets:
        return overlap_length(a, b) > 0
    return bool(set(arabic.tokens(a.text)) & set(arabic.tokens(b.text)))


def _closeness(a: Span, b: Span) -> float | None:
    if not overlapping(a, b):
        return None
    return dice(a, b) if a.has_offsets and b.has_offsets else 0.5


Stage = tuple[str, Callable[[Item, Item], "float | None"]]


def _paired(family: str, doc_id: str, fps: list[Item], fns: list[Item], stages: Sequence[Stage],
            candidates: Candidates | None = None) -> tuple[list[Error], list[Item], list[Item]]:
    """Pair false positives with false negatives, stage by stage (each an optimal one-to-one alignment); return what is left.

    ``candidates`` (see :func:`scorers.alignment.align`) may name the pairs every stage could accept.
    """
    errors: list[Error] = []
    for category, similarity in stages:
        if not fps or not fns:
            break
        found = align(fps, fns, similarity, item_key, candidates)
        errors += [Error(family, category, doc_id, p, r) for p, r in found.pairs]
        fps, fns = list(found.unmatched_pred), list(found.unmatched_ref)
    return errors, fps, fns


def _split(outcomes: Iterable[Outcome], metric: str) -> tuple[list[tuple[Item, Item]], list[Item], list[Item]]:
    tps, fps, fns = [], [], []
    for o in outcomes:
        if o.metric == metric:
            if o.kind == "tp":
                tps.append((o.pred, o.ref))
            elif o.kind == "fp":
                fps.append(o.pred)
            else:
                fns.append(o.ref)
    return tps, fps, fns  # type: ignore[return-value]


def trigger_errors(outcomes: Iterable[Outcome], matcher: SpanMatcher, doc_id: str) -> list[Error]:
    """The trigger categories of one document's tri_c records (``matcher`` bound to the document)."""
    tps, fps, fns = _split(outcomes, "tri_c")

    def same_span(p: Item, r: Item) -> float | None:
        return matcher.trigger_similarity(p.span, r.span) if p.event.type != r.event.type else None

    def boundary(typed: bool) -> Callable[[Item, Item], float | None]:
        def similarity(p: Item, r: Item) -> float | None:
            if (p.event.type == r.event.type) != typed or matcher.trigger_similarity(p.span, r.span) is not None:
                return None
            return _closeness(p.span, r.span)
        return similarity

    errors, fps, fns = _paired("trigger", doc_id, fps, fns, (("type", same_span), ("boundary", boundary(True)), ("boundary+type", boundary(False))))
    matched = [r for _, r in tps]
    for p in fps:
        duplicate = any(r.event.type == p.event.type and matcher.trigger_similarity(p.span, r.span) is not None for r in matched)
        errors.append(Error("trigger", "duplicate" if duplicate else "spurious", doc_id, p, None))
    errors += [Error("trigger", "missed", doc_id, None, r) for r in fns]
    errors += [Error("trigger", "realis", doc_id, p, r) for p, r in tps if p.event.realis is None or p.event.realis != r.event.realis]
    return errors


def argument_errors(outcomes: Iterable[Outcome], pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher, *,
                    entity_aware: bool) -> list[Error]:
    """The argument categories of one document's arg_c+ (or arg_c+_entity) records.

    ``pred`` and ``ref`` are canonical (``scorers.alignment.canonical``) and ``matcher`` bound to
    the document, as in ``scorers.registry.score_document``; the event pairs are the metric's own.
    """
    metric = ARGUMENT_METRICS["entity" if entity_aware else "span"]
    mentions = ref.entity_mentions()
    events = align_triggers(pred.events, ref.events, matcher, typed=True, arguments=ArgumentRule(True, entity_aware), entities=mentions)
    partner: dict[EventMention, EventMention] = dict(events.pairs)
    paired_refs = set(partner.values())
    _, fps, fns = _split(outcomes, metric)
    doc_id = ref.doc_id
    errors = [Error("argument", "event_spurious", doc_id, p, None) for p in fps if p.event not in partner]
    errors += [Error("argument", "event_missed", doc_id, None, r) for r in fns if r.event not in paired_refs]
    fps = [p for p in fps if p.event in partner]
    fns = [r for r in fns if r.event in paired_refs]
    any_role = argument_scorer(matcher, ArgumentRule(False, entity_aware), mentions)

    def within(test: Callable[[Item, Item], float | None]) -> Callable[[Item, Item], float | None]:
        return lambda p, r: test(p, r) if partner.get(p.event) == r.event else None

    def same_pair(preds: list[Item], refs: list[Item]) -> list[tuple[int, int]]:
        """The pairs `within` can accept, and a few more (found by event id): every other pair is refused."""
        by_id: dict[str, list[int]] = defaultdict(list)
        for j, r in enumerate(refs):
            by_id[r.event.id].append(j)
        pairs = []
        for i, p in enumerate(preds):
            event = partner.get(p.event)
            if event is not None:
                pairs += [(i, j) for j in by_id.get(event.id, ())]
        return pairs

    def role(p: Item, r: Item) -> float | None:
        return any_role(p.argument, r.argument) if p.argument.role != r.argument.role else None  # type: ignore[union-attr, arg-type]

    def other_mention(p: Item, r: Item) -> float | None:
        if p.argument.role != r.argument.role or r.argument.entity is None:  # type: ignore[union-attr]
            return None
        scores = [matcher.argument_similarity(p.span, m, r.argument.entity) for m in mentions.get(r.argument.entity, ())]  # type: ignore[union-attr]
        return max((s for s in scores if s is not None), default=None)

    def boundary(p: Item, r: Item) -> float | None:
        if p.argument.role != r.argument.role or matcher.argument_similarity(p.span, r.span, r.argument.entity) is not None:  # type: ignore[union-attr]
            return None
        return _closeness(p.span, r.span)

    stages = (("role", within(role)), ("other_mention", within(other_mention)), ("boundary", within(boundary)))
    found, fps, fns = _paired("argument", doc_id, fps, fns, stages, same_pair)
    errors += found
    for p in fps:
        others = (a for e in ref.events if e != partner[p.event] for a in e.arguments)
        wrong = any(matcher.argument_similarity(p.span, a.span, a.entity) is not None for a in others)
        errors.append(Error("argument", "wrong_event" if wrong else "spurious", doc_id, p, None))
    errors += [Error("argument", "missed", doc_id, None, r) for r in fns]
    return errors


def _clusters(events: Iterable[EventMention]) -> dict[EventMention, Hashable]:
    return {e: ("singleton", e.id) if e.cluster is None else ("cluster", e.cluster) for e in events}


def coref_errors(outcomes: Iterable[Outcome], doc_id: str) -> Counter[str]:
    """``{category: n}`` of the coreference categories of one document's tri_i records."""
    pairs, fps, fns = _split(outcomes, "tri_i")
    pred_cluster = _clusters([p.event for p, _ in pairs] + [p.event for p in fps])
    ref_cluster = _clusters([r.event for _, r in pairs] + [r.event for r in fns])
    pred_size, ref_size = Counter(pred_cluster.values()), Counter(ref_cluster.values())
    pieces: dict[Hashable, set[Hashable]] = defaultdict(set)
    sources: dict[Hashable, set[Hashable]] = defaultdict(set)
    for p, r in pairs:
        pieces[ref_cluster[r.event]].add(pred_cluster[p.event])
        sources[pred_cluster[p.event]].add(ref_cluster[r.event])
    return Counter({
        "split": sum(len(found) - 1 for found in pieces.values()),
        "merged": sum(len(found) - 1 for found in sources.values()),
        "extra": sum(pred_size[pred_cluster[p.event]] > 1 for p in fps),
        "missing": sum(ref_size[ref_cluster[r.event]] > 1 for r in fns),
    })


def document_errors(outcomes: Sequence[Outcome], pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher) -> dict[str, list[Error]]:
    """Every categorised trigger error and argument error of one document, for each argument matching mode.

    Keys: ``"trigger"``, and ``"argument"`` under each mode of ``ARGUMENT_METRICS`` (``"span"``,
    ``"entity"``). ``outcomes`` are the document's records from ``scorers.registry.score_document``
    with the same ``matcher``.
    """
    pred, ref = canonical(pred), canonical(ref)
    matcher = matcher.for_document(ref.doc_id, ref.entity_mentions())
    found = {"trigger": trigger_errors(outcomes, matcher, ref.doc_id)}
    for mode in ARGUMENT_METRICS:
        found[mode] = argument_errors(outcomes, pred, ref, matcher, entity_aware=mode == "entity")
    return found


#: A cell of the error counts: (family, category, breakdown, group); breakdown and group None for the total.
#: Families: "trigger", "argument" (span argument matching), "argument_entity", "coref".
ErrorCell = tuple[str, str, "str | None", "str | None"]


def error_counts(outcomes: Sequence[Outcome], pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher, *,
                 by_doc: bool = True) -> Counter[ErrorCell]:
    """``{(family, category, breakdown, group): n}`` of one document, additive over documents (``Counter`` addition).

    Trigger and argument errors are counted in total, by event type (:attr:`Error.type`) and
    (``by_doc``) by document; coreference errors in total and (``by_doc``) by document.
    """
    counts: Counter[ErrorCell] = Counter()
    for key, errors in document_errors(outcomes, pred, ref, matcher).items():
        family = {"trigger": "trigger", "span": "argument", "entity": "argument_entity"}[key]
        for e in errors:
            counts[family, e.category, None, None] += 1
            counts[family, e.category, "type", e.type] += 1
            if by_doc:
                counts[family, e.category, "doc", e.doc_id] += 1
    for category, n in coref_errors(outcomes, ref.doc_id).items():
        if n:
            counts["coref", category, None, None] += n
            if by_doc:
                counts["coref", category, "doc", ref.doc_id] += n
    return counts


def family_of(family: str, arg_match: str) -> str:
    """The counted family behind a reported one: ``argument`` reads ``argument_entity`` under entity matching."""
    return "argument_entity" if family == "argument" and arg_match == "entity" else family


def errors_table(counts: Counter[ErrorCell], arg_match: str, by: str | None = None, group: str | None = None) -> dict[str, dict[str, int]]:
    """``{"trigger": {category: n}, "argument": {...}, "coref": {...}}`` of one cell, every category present (zeros too)."""
    return {family: {c: counts.get((family_of(family, arg_match), c, by, group), 0) for c in categories}
            for family, categories in CATEGORIES.items()}
