"""Event extraction metrics: what each one counts, and the outcome records that carry the counts.

Design: every metric aligns predicted items to reference items of one document (one-to-one,
``scorers.alignment.align``) and turns the alignment into *outcome records*: one
``Outcome(metric, kind, doc_id, anchor, pred, ref)`` per true positive (a matched pair), false
positive (an unmatched prediction) and false negative (an unmatched reference). Counts are
tallies of records, so

* per-document counts add up to the corpus counts (micro-averaging = summing, then dividing);
* every record keeps its anchor, the document and the trigger start offset of the event the
  item belongs to (the reference event for tp / fn, the predicted event for fp), so a
  bootstrap can regroup counts by sentence, document or event without re-running the scorer;
* breakdowns (by type, document, realis), the macro average and the confusion matrix are
  regroupings of the same records, never a second scorer.

Items are event mentions (trigger metrics) or (event mention, argument) pairs (argument
metrics), counted as multisets, not sets: two gold events on one trigger word (``وقدمت`` =
sending troops and supplying arms) are two reference items, as in the KBP event nugget
scorer; TextEE's set-based counting would collapse them and forgive duplicate predictions.

Metric definitions (items match when their spans match under the chosen ``SpanMatcher``):

* ``tri_i`` trigger identification: trigger spans match (ACE 2005; Li et al. 2013, "Joint
  Event Extraction via Structured Prediction with Global Features", ACL).
* ``tri_c`` trigger classification: and the event types are equal (same sources).
* ``realis``: trigger spans match and realis values are equal; ``type_realis``: and the types
  are equal too (TAC KBP event nuggets, Mitamura et al. 2015). A prediction without realis
  has the wrong realis.
* ``arg_i`` argument identification: the argument span matches a reference argument span of
  an event of the same type in the same document, whatever its trigger (ACE convention as in
  TextEE, Huang et al. 2024). ``arg_c``: and the roles are equal.
* ``arg_i+`` / ``arg_c+`` (TextEE's stricter variants): and the predicted event is aligned
  under ``tri_c`` with the reference event the argument belongs to; arguments are aligned
  one-to-one within each aligned event pair, and arguments of unaligned events are all
  false positives / negatives. Of the tri_c alignments (most pairs, best trigger matches),
  each ``+`` metric uses one that matches the most of its own arguments (then the most
  realis values), so adding a prediction never takes a true positive away (under exact
  matching): a second prediction on the same trigger with the right realis but no arguments
  does not take the reference event from the one that has its arguments right.
* entity-aware argument matching: a predicted argument also matches a reference argument
  when its span matches any mention of the reference argument's entity (reference entity
  list), so a correct but differently chosen coreferent mention is not penalised.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scorers.alignment import Alignment, ArgumentRule, align, align_triggers, argument_key, argument_scorer, event_key, span_candidates
from scorers.matching import SpanMatcher
from scorers.model import Argument, DocumentAnnotation, EventMention, Span
from scorers.prf import PRF, divide

Kind = Literal["tp", "fp", "fn"]
MISSED, SPURIOUS, NO_REALIS = "(missed)", "(spurious)", "(none)"


@dataclass(frozen=True, slots=True)
class Item:
    """What one metric counts: an event mention, or one argument of an event mention."""

    event: EventMention
    argument: Argument | None = None

    @property
    def span(self) -> Span:
        return self.argument.span if self.argument is not None else self.event.trigger

    @property
    def anchor(self) -> int | None:
        """Trigger start offset of the item's event (None only for text-only triggers)."""
        return self.event.trigger.start


def item_key(item: Item) -> tuple[Any, ...]:
    """Canonical order of items, used for deterministic tie-breaks in the alignment."""
    return (event_key(item.event), () if item.argument is None else argument_key(item.argument))


@dataclass(frozen=True, slots=True)
class Outcome:
    """One true positive, false positive or false negative of one metric, with its anchor."""

    metric: str
    kind: Kind
    doc_id: str
    anchor: int | None
    pred: Item | None
    ref: Item | None

    @property
    def item(self) -> Item:
        """The item the outcome is about: the reference item, except for false positives."""
        return self.ref if self.ref is not None else self.pred  # type: ignore[return-value]


def outcomes_of(metric: str, doc_id: str, alignment: Alignment[Item, Item]) -> list[Outcome]:
    """Alignment -> records: pairs are tp, unmatched predictions fp, unmatched references fn."""
    records = [Outcome(metric, "tp", doc_id, r.anchor, p, r) for p, r in alignment.pairs]
    records += [Outcome(metric, "fp", doc_id, p.anchor, p, None) for p in alignment.unmatched_pred]
    records += [Outcome(metric, "fn", doc_id, r.anchor, None, r) for r in alignment.unmatched_ref]
    return records


# --- metrics: (prediction, reference, matcher) -> alignment of items ----------------------------

MetricFunction = Callable[[DocumentAnnotation, DocumentAnnotation, SpanMatcher], Alignment[Item, Item]]


def trigger_metric(*, typed: bool, realis: bool) -> MetricFunction:
    """tri_i (untyped), tri_c (typed), realis, type_realis: events aligned by trigger."""

    def metric(pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher) -> Alignment[Item, Item]:
        found = align_triggers(pred.events, ref.events, matcher, typed=typed, realis=realis)
        return Alignment(
            tuple((Item(p), Item(r)) for p, r in found.pairs),
            tuple(map(Item, found.unmatched_pred)),
            tuple(map(Item, found.unmatched_ref)),
        )

    return metric


def argument_items(events: Iterable[EventMention]) -> list[Item]:
    return [Item(e, a) for e in events for a in e.arguments]


def argument_spans(entity_mentions: Mapping[str, tuple[Span, ...]], *, entity_aware: bool) -> Callable[[Item], tuple[Span, ...]]:
    """Every span a predicted argument may match to take reference item ``r`` (see :func:`scorers.alignment.argument_scorer`)."""

    def spans(r: Item) -> tuple[Span, ...]:
        assert r.argument is not None
        if entity_aware and r.argument.entity is not None:
            return (r.argument.span, *entity_mentions.get(r.argument.entity, ()))
        return (r.argument.span,)

    return spans


def _argument_span(p: Item) -> Span:
    return p.argument.span  # type: ignore[union-attr]


def argument_metric(*, classified: bool, entity_aware: bool) -> MetricFunction:
    """arg_i / arg_c (ACE convention): argument items of same-type events, whatever the trigger."""

    def metric(pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher) -> Alignment[Item, Item]:
        mentions = ref.entity_mentions()
        score = argument_scorer(matcher, ArgumentRule(classified, entity_aware), mentions)

        def similarity(p: Item, r: Item) -> float | None:
            return score(p.argument, r.argument) if p.event.type == r.event.type else None  # type: ignore[arg-type]

        candidates = span_candidates(matcher, _argument_span, argument_spans(mentions, entity_aware=entity_aware))
        return align(argument_items(pred.events), argument_items(ref.events), similarity, item_key, candidates)

    return metric


def argument_plus_metric(*, classified: bool, entity_aware: bool) -> MetricFunction:
    """arg_i+ / arg_c+ (TextEE): arguments aligned one-to-one within tri_c-aligned event pairs (the tri_c alignment matching the most of them)."""

    def metric(pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher) -> Alignment[Item, Item]:
        mentions = ref.entity_mentions()
        rule = ArgumentRule(classified, entity_aware)
        events = align_triggers(pred.events, ref.events, matcher, typed=True, arguments=rule, entities=mentions)
        score = argument_scorer(matcher, rule, mentions)
        candidates = span_candidates(matcher, _argument_span, argument_spans(mentions, entity_aware=entity_aware))
        partner = {id(p): r for p, r in events.pairs}

        def within_pair(p: Item, r: Item) -> float | None:
            return score(p.argument, r.argument) if partner.get(id(p.event)) is r.event else None  # type: ignore[arg-type]

        # One alignment for all pairs at once: no argument can match across pairs, so each pair's
        # arguments form their own components (solved as if aligned pair by pair).
        inside = align(argument_items(p for p, _ in events.pairs), argument_items(r for _, r in events.pairs), within_pair, item_key, candidates)
        rank = {id(r): k for k, (_, r) in enumerate(events.pairs)}
        return Alignment(
            inside.pairs,
            tuple(argument_items(events.unmatched_pred)) + inside.unmatched_pred,
            tuple(argument_items(events.unmatched_ref)) + tuple(sorted(inside.unmatched_ref, key=lambda r: rank[id(r.event)])),
        )

    return metric


# --- aggregation: regroupings of outcome records ------------------------------------------------


def tally(outcomes: Iterable[Outcome]) -> dict[str, PRF]:
    """Counts per metric (metrics in first-seen order)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for o in outcomes:
        counts[o.metric][o.kind] += 1
    return {m: PRF(tp=c["tp"], fp=c["fp"], fn=c["fn"]) for m, c in counts.items()}


def group_by_type(o: Outcome) -> str:
    """Reference event type for tp / fn, predicted event type for fp."""
    return o.item.event.type


def group_by_realis(o: Outcome) -> str:
    """Reference realis for tp / fn, predicted realis for fp (``(none)`` when not predicted)."""
    return o.item.event.realis or NO_REALIS


def group_by_doc(o: Outcome) -> str:
    return o.doc_id


#: The breakdowns of a result. A grouping must be a function of the record's document and its item's
#: event only (:func:`count_cells` asks it once per event).
GROUPINGS: dict[str, Callable[[Outcome], str]] = {"type": group_by_type, "doc": group_by_doc, "realis": group_by_realis}


def tally_by(outcomes: Iterable[Outcome], group: Callable[[Outcome], str]) -> dict[str, dict[str, PRF]]:
    """Counts per group (sorted) and metric; the groups' counts sum to :func:`tally`."""
    grouped: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        grouped[group(o)].append(o)
    return {g: tally(grouped[g]) for g in sorted(grouped)}


#: Cell of a count table: (metric, breakdown, group); breakdown and group are None for the corpus total.
Cell = tuple[str, "str | None", "str | None"]


def cells_of(outcome: Outcome, groupings: Mapping[str, Callable[[Outcome], str]]) -> list[Cell]:
    """The cells an outcome record counts in: its metric's total, and its group in each grouping."""
    return [(outcome.metric, None, None), *((outcome.metric, by, group(outcome)) for by, group in groupings.items())]


def count_cells(outcomes: Iterable[Outcome], groupings: Mapping[str, Callable[[Outcome], str]] = GROUPINGS) -> Counter[tuple[Cell, str]]:
    """How many records of each kind every cell holds: ``{(cell, kind): n}``.

    The counts of :func:`tally` and :func:`tally_by` in one additive table: the counts of two
    sets of documents add up (``Counter`` addition), so a corpus is summarised document by
    document, in any number of processes, and read with :func:`prf_by_cell`.

    Every grouping is a function of the record's document and of the event its item belongs to
    (type, realis, document), so the records are first counted per (metric, kind, event), in
    one pass that calls no grouping, and each grouping is then asked once per distinct event
    instead of once per record (a document has ~30 records per event).
    """
    outcomes = outcomes if isinstance(outcomes, (list, tuple)) else list(outcomes)
    keys = [(o.metric, o.kind, id((o.ref or o.pred).event)) for o in outcomes]  # type: ignore[union-attr]
    sample = dict(zip((event for _, _, event in keys), outcomes, strict=True))  # a record of each event (any will do)
    groups = tuple(groupings.items())
    named = {event: tuple(group(o) for _, group in groups) for event, o in sample.items()}
    # Events with the same groups (type, realis, ...) count alike: add them up before naming cells.
    by_groups: Counter[tuple[str, str, tuple[str, ...]]] = Counter()
    for (metric, kind, event), n in Counter(keys).items():
        by_groups[metric, kind, named[event]] += n
    counts: Counter[tuple[Cell, str]] = Counter()
    for (metric, kind, group_names), n in by_groups.items():
        counts[(metric, None, None), kind] += n
        for (by, _), group_name in zip(groups, group_names, strict=True):
            counts[(metric, by, group_name), kind] += n
    return counts


def prf_by_cell(counts: Mapping[tuple[Cell, Kind], int]) -> dict[Cell, PRF]:
    """The counts of :func:`count_cells` as one ``PRF`` per cell."""
    kinds: dict[Cell, dict[str, int]] = defaultdict(dict)
    for (cell, kind), n in counts.items():
        kinds[cell][kind] = n
    return {cell: PRF(tp=k.get("tp", 0), fp=k.get("fp", 0), fn=k.get("fn", 0)) for cell, k in kinds.items()}


@dataclass(frozen=True)
class MacroAverage:
    """Unweighted mean over event types of one metric's per-type scores."""

    metric: str
    precision: float
    recall: float
    f1: float
    types: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "precision": self.precision, "recall": self.recall, "f1": self.f1, "types": list(self.types)}


def macro_average(outcomes: Iterable[Outcome], metric: str = "tri_c") -> MacroAverage:
    """Mean of per-type P / R / F1 over every type in the reference or the prediction.

    The types are those with any outcome of the metric (scikit-learn's ``average="macro"``
    over labels present in y_true or y_pred); with no types at all the mean is 0.0.
    """
    per_type = {t: c[metric] for t, c in tally_by((o for o in outcomes if o.metric == metric), group_by_type).items()}
    return macro_average_of(per_type, metric)


def macro_average_of(per_type: Mapping[str, PRF], metric: str) -> MacroAverage:
    """:func:`macro_average` from the metric's counts per type (every type with an outcome of it)."""
    per_type = {t: per_type[t] for t in sorted(per_type)}
    n = len(per_type)
    return MacroAverage(
        metric,
        divide(sum(c.precision for c in per_type.values()), n),
        divide(sum(c.recall for c in per_type.values()), n),
        divide(sum(c.f1 for c in per_type.values()), n),
        tuple(per_type),
    )


def confusion(outcomes: Iterable[Outcome], metric: str = "tri_i") -> dict[str, dict[str, int]]:
    """Reference type x predicted type over the trigger-identification pairs.

    A missed reference event counts in column ``(missed)``, a spurious prediction in row
    ``(spurious)``. Rows and columns are sorted.
    """
    return confusion_matrix(confusion_counts(outcomes, metric))


def confusion_counts(outcomes: Iterable[Outcome], metric: str = "tri_i") -> Counter[tuple[str, str]]:
    """``{(reference type, predicted type): n}`` of :func:`confusion`, additive over documents."""
    cells: Counter[tuple[str, str]] = Counter()
    for o in outcomes:
        if o.metric == metric:
            cells[(o.ref.event.type if o.ref else SPURIOUS, o.pred.event.type if o.pred else MISSED)] += 1
    return cells


def confusion_matrix(cells: Mapping[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    """:func:`confusion_counts` as rows and columns, both sorted."""
    matrix: dict[str, dict[str, int]] = {}
    for (ref_type, pred_type), n in sorted(cells.items()):
        matrix.setdefault(ref_type, {})[pred_type] = n
    return matrix
