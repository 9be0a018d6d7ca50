"""Is system B better than system A on the same reference? Paired bootstrap and approximate randomisation.

Both tests work on two count matrices over the *same* units (`scorers.bootstrap`):
``a[u]`` and ``b[u]`` are the additive counts (tp / fp / fn of every cell, or a document's
coreference counts) the two systems earn on unit ``u``. The statistic is the difference
``delta = F1(B) - F1(A)`` of every column of a statistic (F1 of each cell, or each coreference
measure), recomputed from summed counts, never by re-running the scorer.

* Paired bootstrap (Koehn 2004, EMNLP; Efron & Tibshirani 1993, ch. 16;
  Berg-Kirkpatrick et al. 2012, "An Empirical Investigation of Statistical Significance in
  NLP", EMNLP): each resample draws units with replacement, *the same units for both
  systems*, and recomputes ``delta``. The interval is the percentile interval of the resampled
  deltas. The two-sided p-value shifts the resampled deltas to the null (mean difference 0):
  ``p = (1 + #{|delta* - delta| >= |delta|}) / (1 + R)``.
* Approximate randomisation (Noreen 1989, "Computer-Intensive Methods for Testing Hypotheses";
  Riezler & Maxwell 2005, "On Some Pitfalls in Automatic Evaluation and Significance Testing
  for MT", ACL workshop; recommended in Dror et al. 2018, "The Hitchhiker's Guide to Testing
  Statistical Significance in Natural Language Processing", ACL): each trial swaps the two
  systems' counts on every unit independently with probability 1/2 and recomputes ``delta``;
  ``p = (1 + #{|delta*| >= |delta|}) / (1 + T)`` (two-sided). When there are so few units that
  all ``2^n`` swap patterns fit in ``T`` trials (e.g. 5 documents: 32 patterns), every pattern
  is enumerated once instead (the exact permutation test): ``p = #{|delta*| >= |delta|} / 2^n``,
  never below ``2 / 2^n``, so a Monte Carlo p-value cannot claim more than the data can show.

Vectorised: with ``D = B - A`` per unit, a trial with swap indicators ``s`` (0/1 per unit) gives
``A' = A + s @ D`` and ``B' = B - s @ D``; a chunk of trials is one matrix product. Identical
systems have ``delta = 0`` in every resample and trial, hence difference 0 and p = 1.

A resample or trial in which either system has no items for a cell has no F1 difference and
is left out (it counts neither in the numerator nor in ``R`` / ``T``). Differences are compared
with a tolerance of :data:`TIE_TOLERANCE` so float rounding cannot turn a tie into a miss.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from scorers.bootstrap import CountTable, chunk_rows, percentile_interval, prf_statistic, resample_indices, weights_of

TIE_TOLERANCE = 1e-12
Statistic = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Difference:
    """F1 of A and B on one column, ``delta = b - a``, its paired-bootstrap interval and both p-values."""

    name: Hashable
    a: float
    b: float
    delta: float
    ci: tuple[float, float] | None
    p_bootstrap: float | None
    p_randomization: float | None

    def significant(self, alpha: float) -> bool | None:
        """Randomisation p-value below ``alpha`` (None when the test had nothing to compare)."""
        return None if self.p_randomization is None else self.p_randomization < alpha


def _flat(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if a.shape != b.shape:
        raise ValueError(f"paired tests need both systems' counts over the same units and columns: {a.shape} != {b.shape}")
    n = a.shape[0]
    return a.reshape(n, -1).astype(np.float64), b.reshape(n, -1).astype(np.float64)


def observed(a: np.ndarray, b: np.ndarray, statistic: Statistic) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point values of A, of B, and their difference (an undefined value is 0.0, the scorer's rule)."""
    ca, cb = _flat(a, b)
    fa, fb = np.nan_to_num(statistic(ca.sum(axis=0)[None])[0]), np.nan_to_num(statistic(cb.sum(axis=0)[None])[0])
    return fa, fb, fb - fa


def bootstrap_deltas(a: np.ndarray, b: np.ndarray, statistic: Statistic, resamples: int, seed: int) -> np.ndarray:
    """Resampled ``stat(B) - stat(A)`` (resamples x columns), the same resampled units for both systems."""
    ca, cb = _flat(a, b)
    n = ca.shape[0]
    parts = []
    for idx in resample_indices(n, resamples, seed):
        w = weights_of(idx, n)
        parts.append(statistic(w @ cb) - statistic(w @ ca))
    return np.concatenate(parts, axis=0)


def is_exact(n_units: int, trials: int) -> bool:
    """Whether all 2^n swap patterns fit in ``trials`` (then they are enumerated, not sampled)."""
    return n_units < 63 and 2**n_units <= trials


def swap_indicators(n_units: int, trials: int, seed: int) -> Iterator[np.ndarray]:
    """Chunks (rows x n_units) of 0/1 swap indicators, each unit swapped with probability 1/2.

    With :func:`is_exact`, every one of the 2^n patterns once instead (``seed`` unused).
    """
    if trials < 1:
        raise ValueError(f"trials must be positive, got {trials}")
    step = chunk_rows(n_units)
    if is_exact(n_units, trials):
        patterns = 2**n_units
        for done in range(0, patterns, step):
            codes = np.arange(done, min(done + step, patterns))
            yield ((codes[:, None] >> np.arange(n_units)) & 1).astype(np.float64)
        return
    rng = np.random.default_rng(seed)
    for done in range(0, trials, step):
        yield (rng.random((min(step, trials - done), n_units)) < 0.5).astype(np.float64)


def randomization_deltas(a: np.ndarray, b: np.ndarray, statistic: Statistic, trials: int, seed: int) -> np.ndarray:
    """``stat(B') - stat(A')`` per trial (trials x columns), after swapping the systems' counts on random units."""
    ca, cb = _flat(a, b)
    ta, tb, d = ca.sum(axis=0), cb.sum(axis=0), cb - ca
    parts = []
    for s in swap_indicators(ca.shape[0], trials, seed):
        moved = s @ d
        parts.append(statistic(tb - moved) - statistic(ta + moved))
    return np.concatenate(parts, axis=0)


def _p_values(extreme: np.ndarray, valid: np.ndarray, *, exact: bool = False) -> list[float | None]:
    """Monte Carlo p-values ``(1 + hits) / (1 + valid)``; exact ones ``hits / valid`` (the identity is among them)."""
    hits, total = (extreme & valid).sum(axis=0), valid.sum(axis=0)
    if exact:
        return [None if t == 0 else float(h / t) for h, t in zip(hits, total, strict=True)]
    return [None if t == 0 else float((1 + h) / (1 + t)) for h, t in zip(hits, total, strict=True)]


def compare_counts(
    a: np.ndarray, b: np.ndarray, statistic: Statistic, names: Sequence[Hashable], *,
    resamples: int, trials: int, seed: int, level: float = 0.95,
) -> list[Difference]:
    """Paired-bootstrap interval and p-value, and randomisation p-value, of ``stat(B) - stat(A)`` per column."""
    fa, fb, delta = observed(a, b, statistic)
    boot = bootstrap_deltas(a, b, statistic, resamples, seed)
    valid = ~np.isnan(boot)
    p_boot = _p_values(np.abs(np.where(valid, boot, 0.0) - delta) >= np.abs(delta) - TIE_TOLERANCE, valid)
    rand = randomization_deltas(a, b, statistic, trials, seed)
    valid_r = ~np.isnan(rand)
    p_rand = _p_values(np.abs(np.where(valid_r, rand, 0.0)) >= np.abs(delta) - TIE_TOLERANCE, valid_r,
                       exact=is_exact(a.shape[0], trials))
    intervals = percentile_interval(boot, level)
    return [
        Difference(name, float(fa[j]), float(fb[j]), float(delta[j]), intervals[j], p_boot[j], p_rand[j])
        for j, name in enumerate(names)
    ]


def compare(a: CountTable, b: CountTable, *, resamples: int, trials: int, seed: int, level: float = 0.95) -> list[Difference]:
    """:func:`compare_counts` of the F1 of every cell of two count tables over the same units and cells."""
    if a.units != b.units or a.cells != b.cells:
        raise ValueError("paired tests need both systems' counts over the same units and cells")
    return compare_counts(a.counts, b.counts, prf_statistic(len(a.cells)), a.cells,
                          resamples=resamples, trials=trials, seed=seed, level=level)
