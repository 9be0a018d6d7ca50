"""Event coreference in the result dict: flat ``coref_<scope>.<measure>`` metrics and their notes.

The numbers come from ``scorers.event_coref`` (the rules are in its docstring); this module only
shapes them for the result dict that every reporter reads. The keys follow the registry order
(``scorers.registry.EVENT_COREF_METRICS``). Each metric has ``precision``, ``recall`` and
``f1``. CoNLL is an average of F1 only, so it has ``f1`` plus the three F1 it averages
(``muc_f1``, ``b3_f1``, ``ceaf_e_f1``).
"""

from __future__ import annotations

from scorers.event_coref import EventCorefScores, score_event_coref
from scorers.matching import SpanMatcher
from scorers.model import Annotation
from scorers.registry import EVENT_COREF_METRICS

#: How mentions are identified for coreference, shown with the table.
ALIGNMENT_RULE = "mentions aligned by trigger span only (the tri_i pairs; type ignored)"


def coref_metrics(scores: EventCorefScores) -> dict[str, dict[str, float]]:
    """``{"coref_within.muc": {"precision", "recall", "f1"}, ..., "coref_cross.conll": {"f1", ...}}``."""
    out: dict[str, dict[str, float]] = {}
    for spec in EVENT_COREF_METRICS:
        values = scores.scope(spec.scope)
        if spec.measure == "conll":
            components = scores.conll_components(spec.scope)
            out[spec.name] = {"f1": float(values["conll"]), **{f"{name}_f1": f1 for name, f1 in components.items()}}  # type: ignore[arg-type]
        else:
            counts = values[spec.measure]
            out[spec.name] = {"precision": counts.precision, "recall": counts.recall, "f1": counts.f1}  # type: ignore[union-attr]
    return out


def _missing(side: str, total: int, missing: int, consequence: str) -> list[str]:
    if not total or not missing:
        return []
    if missing == total:
        return [f"the {side} has no `cluster` field: each of its {total} event mentions is scored as its own event (a singleton){consequence}"]
    return [f"{missing} of {total} {side} event mentions have no `cluster`: each is scored as its own event (a singleton)"]


def coref_notes(scores: EventCorefScores) -> list[str]:
    """What qualifies the coreference numbers: mentions without a cluster, on either side."""
    return (_missing("submission", scores.pred_mentions, scores.pred_without_cluster, "")
            + _missing("reference", scores.ref_mentions, scores.ref_without_cluster,
                       "; MUC is 0 (a key of singletons has no links)"))


def coref_section(prediction: Annotation, gold: Annotation, matcher: SpanMatcher) -> tuple[dict[str, dict[str, float]], list[str]]:
    """The coreference metrics and notes of two (chrome-free) annotations."""
    scores = score_event_coref(prediction, gold, matcher)
    return coref_metrics(scores), coref_notes(scores)
