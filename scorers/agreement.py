"""Inter-annotator agreement beyond P/R/F1: Cohen's kappa on event types over matched triggers.

F1 between two annotations (one taken as reference) measures agreement on *which* mentions
exist; kappa measures agreement on the *type* of the mentions both annotators found, corrected
for chance (Cohen 1960; as reported for ACE and Rich ERE dual annotation). Computed over the
trigger pairs aligned under ``tri_i`` (span only), so a type disagreement is a pair, not a
miss. The statistic itself is scikit-learn's ``cohen_kappa_score``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scorers.events import Outcome


@dataclass(frozen=True)
class TypeKappa:
    """Kappa with the number of matched pairs and the raw agreement it corrects."""

    kappa: float | None
    pairs: int
    observed_agreement: float | None

    def to_dict(self) -> dict:
        return {"kappa": self.kappa, "pairs": self.pairs, "observed_agreement": self.observed_agreement}


def type_pairs(outcomes: Iterable[Outcome]) -> list[tuple[str, str]]:
    """(reference type, predicted type) for every trigger pair matched by span (tri_i tp)."""
    pairs = [(o.ref.event.type, o.pred.event.type) for o in outcomes if o.metric == "tri_i" and o.kind == "tp"]
    return sorted(pairs)


def type_kappa(outcomes: Iterable[Outcome]) -> TypeKappa:
    """Cohen's kappa on event types; None when undefined (no pairs, or one type only on both sides)."""
    pairs = type_pairs(outcomes)
    if not pairs:
        return TypeKappa(None, 0, None)
    observed = sum(a == b for a, b in pairs) / len(pairs)
    if len({t for pair in pairs for t in pair}) < 2:
        return TypeKappa(None, len(pairs), observed)
    from sklearn.metrics import cohen_kappa_score  # imported here: heavy, and only this metric needs it

    reference, predicted = zip(*pairs)
    return TypeKappa(float(cohen_kappa_score(reference, predicted)), len(pairs), observed)
