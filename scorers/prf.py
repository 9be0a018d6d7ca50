"""Precision, recall and F1 from raw counts: counted first, divided once, in one place.

Follows spaCy's ``PRFScore`` (keyword-only counts that add across documents) and
scikit-learn's ``_prf_divide`` (one function owns the zero-division policy).
Micro-averaging is summing counts before dividing, so per-document ``PRF`` values add up to
the corpus value exactly.
"""

from __future__ import annotations

from dataclasses import dataclass


def divide(numerator: int | float, denominator: int | float) -> float:
    """``numerator / denominator``, with an undefined ratio read as 0.0.

    This is the one zero-division rule of evbench, scikit-learn's ``zero_division=0``:
    precision with no predictions, recall with no references and F1 with neither are 0.0,
    never NaN and never a silent 1.0. So an empty reference scored against an empty
    prediction is 0.0 on every metric (nothing was found because nothing was there to find),
    and an epsilon never hides an undefined value.
    """
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True, kw_only=True, slots=True)
class PRF:
    """True positives, false positives and false negatives of one metric; summable.

    ``f1`` is ``2 tp / (2 tp + fp + fn)``, the harmonic mean of precision and recall written
    as one ratio of counts (equal to ``2PR / (P + R)`` whenever that is defined).
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __post_init__(self) -> None:
        if min(self.tp, self.fp, self.fn) < 0:
            raise ValueError(f"counts must be non-negative: {self}")

    def __add__(self, other: object) -> PRF:
        if not isinstance(other, PRF):
            return NotImplemented
        return PRF(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)

    def __radd__(self, other: object) -> PRF:
        # Lets the built-in sum() start from its default 0; any other start (sum(counts, 5),
        # sum(counts, False)) is a TypeError, never silently dropped.
        if type(other) is int and other == 0:
            return self
        return NotImplemented

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def reference(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return divide(self.tp, self.predicted)

    @property
    def recall(self) -> float:
        return divide(self.tp, self.reference)

    @property
    def f1(self) -> float:
        return divide(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict[str, float | int]:
        """Scores in 0..1 and the counts they come from, in a fixed key order."""
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1, "tp": self.tp, "fp": self.fp, "fn": self.fn}
