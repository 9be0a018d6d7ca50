"""Inter-annotator agreement beyond P/R/F1: Cohen's kappa on event types over matched triggers.

F1 between two annotations (one taken as reference) measures agreement on *which* mentions
exist; kappa measures agreement on the *type* of the mentions both annotators found, corrected
for chance (Cohen 1960; as reported for ACE and Rich ERE dual annotation). Computed over the
trigger pairs aligned under ``tri_i`` (span only), so a type disagreement is a pair, not a
miss. The statistic itself is scikit-learn's ``cohen_kappa_score``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scorers.events import Outcome
from scorers.prf import divide


@dataclass(frozen=True)
class TypeKappa:
    """Kappa with the number of matched pairs and the raw agreement it corrects."""

    kappa: float | None
    pairs: int
    observed_agreement: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"kappa": self.kappa, "pairs": self.pairs, "observed_agreement": self.observed_agreement}


def type_pairs(outcomes: Iterable[Outcome]) -> list[tuple[str, str]]:
    """(reference type, predicted type) for every trigger pair matched by span (tri_i tp)."""
    # A tp always has both sides; the None checks only tell the type checker so.
    pairs = [(o.ref.event.type, o.pred.event.type) for o in outcomes if o.metric == "tri_i" and o.kind == "tp" and o.ref is not None and o.pred is not None]
    return sorted(pairs)


def type_kappa(outcomes: Iterable[Outcome]) -> TypeKappa:
    """Cohen's kappa on event types; None when undefined (no pairs, or one type only on both sides)."""
    pairs = type_pairs(outcomes)
    if not pairs:
        return TypeKappa(None, 0, None)
    observed = sum(a == b for a, b in pairs) / len(pairs)
    reference, predicted = zip(*pairs, strict=True)
    return TypeKappa(kappa(reference, predicted), len(pairs), observed)


def kappa(first: Iterable[object], second: Iterable[object]) -> float | None:
    """Cohen's kappa of two paired label sequences; None when undefined (no pairs, or one label only on both sides)."""
    a, b = list(first), list(second)
    if len(a) != len(b):
        raise ValueError(f"kappa needs paired labels, got {len(a)} and {len(b)}")
    if not a or len(set(a) | set(b)) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score  # imported here: heavy, and only kappa needs it

    return float(cohen_kappa_score(a, b))


@dataclass(frozen=True)
class VerdictAgreement:
    """How well a matching mode's accept / reject decisions agree with human verdicts (correct = positive).

    ``tp``: both accept; ``fp``: the mode accepts what people reject; ``fn``: the mode rejects what
    people accept; ``tn``: both reject. Ratios with an empty denominator are 0.0 (``scorers.prf``).
    """

    tp: int
    fp: int
    fn: int
    tn: int
    kappa: float | None

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def accuracy(self) -> float:
        return divide(self.tp + self.tn, self.n)

    @property
    def precision(self) -> float:
        return divide(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return divide(self.tp, self.tp + self.fn)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "accuracy": self.accuracy, "precision": self.precision, "recall": self.recall, "kappa": self.kappa,
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}


def verdict_agreement(pairs: Iterable[tuple[bool, bool]]) -> VerdictAgreement:
    """Agreement of (human verdict, mode decision) pairs: the confusion counts and Cohen's kappa."""
    pairs = list(pairs)
    count = Counter(pairs)
    humans, decisions = [h for h, _ in pairs], [d for _, d in pairs]
    return VerdictAgreement(count[True, True], count[False, True], count[True, False], count[False, False], kappa(humans, decisions))
