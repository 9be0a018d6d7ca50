"""The metric registry: one list that drives scoring, table rows, JSON key order and CI gates.

Like lm-evaluation-harness's registry, each metric declares ``higher_is_better`` (what a
regression gate needs) and like scikit-learn's ``test_common`` the generic property tests
iterate over this list, so a new metric added here is scored, reported and tested at once.

Two kinds of metric live here. ``METRICS`` count outcome records (tp / fp / fn per item, see
``scorers.events``) and ``score`` computes them. ``EVENT_COREF_METRICS`` compare partitions
(``scorers.event_coref``), so they have no outcome records and are computed by
``score_event_coref``. ``ALL_METRICS`` (and ``get_metric``) covers both: every key of a result's
``metrics``, with its ``higher_is_better``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from scorers.alignment import canonical
from scorers.event_coref import MEASURE_DESCRIPTIONS, MEASURES, SCOPE_DESCRIPTIONS, SCOPES, Scope
from scorers.events import MetricFunction, Outcome, argument_metric, argument_plus_metric, outcomes_of, trigger_metric
from scorers.matching import SpanMatcher
from scorers.model import Annotation, DocumentAnnotation

Family = Literal["trigger", "realis", "argument", "coref"]
ArgMatch = Literal["span", "entity"]
ARG_MATCH_MODES: tuple[ArgMatch, ...] = ("span", "entity")


@dataclass(frozen=True)
class MetricSpec:
    """One metric: its name (the JSON key), what it counts, and how it is computed."""

    name: str
    description: str
    family: Family
    function: MetricFunction
    higher_is_better: bool = True
    #: For argument metrics, the argument matching mode; None for the others.
    arg_match: ArgMatch | None = None


def _argument_specs(arg_match: ArgMatch) -> list[MetricSpec]:
    entity = arg_match == "entity"
    suffix = "_entity" if entity else ""
    how = "span matches any mention of the reference argument's entity" if entity else "span matches"
    return [
        MetricSpec(f"arg_i{suffix}", f"argument identification: event type + argument {how}", "argument",
                   argument_metric(classified=False, entity_aware=entity), arg_match=arg_match),
        MetricSpec(f"arg_c{suffix}", f"argument classification: arg_i{suffix} + role", "argument",
                   argument_metric(classified=True, entity_aware=entity), arg_match=arg_match),
        MetricSpec(f"arg_i+{suffix}", f"arg_i{suffix} within a tri_c-aligned event pair", "argument",
                   argument_plus_metric(classified=False, entity_aware=entity), arg_match=arg_match),
        MetricSpec(f"arg_c+{suffix}", f"arg_c{suffix} within a tri_c-aligned event pair", "argument",
                   argument_plus_metric(classified=True, entity_aware=entity), arg_match=arg_match),
    ]


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("tri_i", "trigger identification: trigger span matches", "trigger", trigger_metric(typed=False, realis=False)),
    MetricSpec("tri_c", "trigger classification: span + event type", "trigger", trigger_metric(typed=True, realis=False)),
    MetricSpec("realis", "span + realis (KBP)", "realis", trigger_metric(typed=False, realis=True)),
    MetricSpec("type_realis", "span + event type + realis (KBP)", "realis", trigger_metric(typed=True, realis=True)),
    *_argument_specs("span"),
    *_argument_specs("entity"),
)
METRIC_NAMES = tuple(m.name for m in METRICS)


@dataclass(frozen=True)
class CorefMetricSpec:
    """One event coreference metric in one scope; its name is the JSON key ``coref_<scope>.<measure>``."""

    name: str
    description: str
    scope: Scope
    #: The measure of ``scorers.event_coref.MEASURES`` ("muc", ..., "conll").
    measure: str
    family: Family = "coref"
    higher_is_better: bool = True
    arg_match: ArgMatch | None = None


EVENT_COREF_METRICS: tuple[CorefMetricSpec, ...] = tuple(
    CorefMetricSpec(f"coref_{scope}.{measure}", f"{MEASURE_DESCRIPTIONS[measure]}; {SCOPE_DESCRIPTIONS[scope]}", scope, measure)
    for scope in SCOPES
    for measure in MEASURES
)
ALL_METRICS: tuple[MetricSpec | CorefMetricSpec, ...] = (*METRICS, *EVENT_COREF_METRICS)
ALL_METRIC_NAMES = tuple(m.name for m in ALL_METRICS)
BY_NAME = {m.name: m for m in ALL_METRICS}


def get_metric(name: str) -> MetricSpec | CorefMetricSpec:
    return BY_NAME[name]


def displayed(arg_match: ArgMatch) -> tuple[MetricSpec, ...]:
    """The metrics a table shows: all trigger / realis metrics, argument metrics of one mode."""
    return tuple(m for m in METRICS if m.arg_match in (None, arg_match))


def score_document(pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher, metrics: Iterable[MetricSpec] = METRICS) -> list[Outcome]:
    """Outcome records of every metric on one document (both sides put in canonical order first)."""
    pred, ref = canonical(pred), canonical(ref)
    matcher = matcher.for_document(ref.doc_id, ref.entity_mentions())
    return [o for m in metrics for o in outcomes_of(m.name, ref.doc_id, m.function(pred, ref, matcher))]


def score(pred: Annotation, ref: Annotation, matcher: SpanMatcher, metrics: Sequence[MetricSpec] = METRICS) -> list[Outcome]:
    """Outcome records of every metric over the reference's documents, in canonical order.

    The reference decides which documents are scored: a reference document the prediction
    lacks is scored against no predictions; a predicted document the reference lacks is not
    annotated and is not scored (callers report it). Predictions are expected to carry the
    document's ``doc_id``.
    """
    outcomes: list[Outcome] = []
    for doc_id in sorted(ref.documents):
        pred_doc = pred.documents.get(doc_id, DocumentAnnotation(doc_id))
        outcomes += score_document(pred_doc, ref.documents[doc_id], matcher, metrics)
    return outcomes
