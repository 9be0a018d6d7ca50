"""The CI regression gate: did any selected metric fall too far below a baseline or an absolute floor?

Pure logic over plain dicts ``{metric name: score in 0..1}``; reading the baseline file and
printing the verdict live in `benchmark/gating.py`. Direction comes from the metric registry's
``higher_is_better`` (as in lm-evaluation-harness), so a lower-is-better metric regresses when
it *rises*.

Rules (``limit`` is the worst value that still passes):

* drop check, against a baseline value ``base`` with ``max_drop`` (same 0..1 scale as the
  scores: 0.01 is one F1 point): ``limit = base - max_drop`` (``base + max_drop`` when lower is
  better); the metric fails when it is worse than ``limit``. A drop of exactly ``max_drop``
  passes. A ``max_drop`` outside 0..1 is a GateError (100 "points" would pass anything); the
  command line takes ``0.01`` or ``1pt`` and refuses a bare ``1``.
* floor check, ``--fail-under name=value``: ``limit = value``; fails when worse than it (for
  a lower-is-better metric the value is a ceiling).

"Worse than" allows :data:`TOLERANCE` of float noise, so a score equal to its limit up to
rounding passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any, Literal

TOLERANCE = 1e-9
DEFAULT_GATE_METRICS = ("tri_c", "arg_c", "coref_within.conll")


class GateError(ValueError):
    """A gate that cannot be evaluated as asked (unknown or missing metric names): bad input."""

    def __init__(self, messages: Sequence[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Check:
    """One comparison: a metric's value against a baseline-derived or absolute limit."""

    metric: str
    kind: Literal["drop", "floor"]
    value: float
    reference: float
    limit: float
    higher_is_better: bool

    @property
    def change(self) -> float:
        """value - reference (the baseline value, or the floor)."""
        return self.value - self.reference

    @property
    def passed(self) -> bool:
        if self.higher_is_better:
            return self.value >= self.limit - TOLERANCE
        return self.value <= self.limit + TOLERANCE

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "check": self.kind, "value": self.value,
                ("baseline" if self.kind == "drop" else "floor"): self.reference,
                "limit": self.limit, "higher_is_better": self.higher_is_better, "passed": self.passed}


@dataclass(frozen=True)
class Verdict:
    """Every check made; the gate passes when all of them pass (and trivially with none)."""

    checks: tuple[Check, ...]
    max_drop: float | None = None

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "max_drop": self.max_drop, "checks": [c.to_dict() for c in self.checks],
                "failed": [c.metric for c in self.failures]}


def _unknown(name: str, option: str, known: Iterable[str]) -> str:
    close = get_close_matches(name, sorted(known), n=1)
    return f"unknown metric {name!r} in {option}" + (f" (did you mean {close[0]!r}?)" if close else "")


def gate_metrics(
    requested: Iterable[str] | None,
    current: Mapping[str, float],
    baseline: Mapping[str, float],
    known: Iterable[str],
    defaults: Sequence[str] = DEFAULT_GATE_METRICS,
) -> list[str]:
    """The metrics to compare with the baseline.

    Without a request: the defaults present in both results. A requested name must be a known
    metric (GateError otherwise) and present in both results (GateError too: a gate that
    silently skips a metric would pass anything).
    """
    if requested is None:
        return [m for m in defaults if m in current and m in baseline]
    names = list(dict.fromkeys(requested))
    known = set(known) | set(current)
    problems = [_unknown(m, "--gate-metrics", known) for m in names if m not in known]
    problems += [f"metric {m!r} is not in the {side}" for m in names if m in known
                 for side, values in (("current result", current), ("baseline", baseline)) if m not in values]
    if problems:
        raise GateError(problems)
    return names


def evaluate(
    current: Mapping[str, float],
    *,
    baseline: Mapping[str, float] | None = None,
    metrics: Sequence[str] = (),
    max_drop: float = 0.0,
    floors: Mapping[str, float] | None = None,
    higher_is_better: Mapping[str, bool] | None = None,
    known: Iterable[str] = (),
) -> Verdict:
    """Drop checks of ``metrics`` against ``baseline`` and floor checks of ``floors``.

    ``known`` names the metrics a floor may use besides those in ``current``; a floor on an
    unknown metric, or on one missing from ``current``, is a GateError. ``higher_is_better``
    defaults to True for a metric it does not list.
    """
    if not 0 <= max_drop <= 1:
        raise GateError([f"--max-drop must be on the 0..1 scale of the scores (0.01 = one F1 point), got {max_drop}"])
    direction = higher_is_better or {}
    floors = floors or {}
    known_names = set(known) | set(current)
    problems = [_unknown(m, "--fail-under", known_names) for m in floors if m not in known_names]
    problems += [f"metric {m!r} in --fail-under is not in the current result" for m in floors if m in known_names and m not in current]
    if baseline is not None:
        problems += [f"metric {m!r} is missing from the {side}" for m in metrics
                     for side, values in (("current result", current), ("baseline", baseline)) if m not in values]
    if problems:
        raise GateError(problems)
    checks = []
    if baseline is not None:
        for m in metrics:
            up = direction.get(m, True)
            limit = baseline[m] - max_drop if up else baseline[m] + max_drop
            checks.append(Check(m, "drop", current[m], baseline[m], limit, up))
    for m, floor in floors.items():
        checks.append(Check(m, "floor", current[m], floor, floor, direction.get(m, True)))
    return Verdict(tuple(checks), max_drop if baseline is not None else None)
