"""PRF counts: hand-computed values, summing, and the one zero-division rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorers.prf import PRF, divide


def test_divide_zero_denominator_is_zero():
    assert divide(0, 0) == 0.0
    assert divide(3, 0) == 0.0
    assert divide(1, 4) == 0.25


def test_hand_computed_scores():
    # tp=3 fp=1 fn=2: P = 3/4, R = 3/5, F1 = 2*3 / (2*3 + 1 + 2) = 6/9
    prf = PRF(tp=3, fp=1, fn=2)
    assert prf.precision == 0.75
    assert prf.recall == 0.6
    assert prf.f1 == pytest.approx(6 / 9)
    assert prf.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))


def test_empty_counts_score_zero_not_nan():
    # 0/0 everywhere: the sklearn zero_division=0 convention.
    assert PRF().to_dict() == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0}


def test_only_false_positives():
    # tp=0 fp=2 fn=0: P = 0/2 = 0, R = 0/0 -> 0, F1 = 0/2 = 0
    assert (PRF(fp=2).precision, PRF(fp=2).recall, PRF(fp=2).f1) == (0.0, 0.0, 0.0)


def test_counts_are_keyword_only_and_non_negative():
    with pytest.raises(TypeError):
        PRF(1, 2, 3)  # type: ignore[misc]
    with pytest.raises(ValueError):
        PRF(tp=-1)


def test_addition_and_sum():
    a, b = PRF(tp=1, fp=2, fn=3), PRF(tp=4, fp=0, fn=1)
    assert a + b == PRF(tp=5, fp=2, fn=4)
    assert sum([a, b]) == a + b
    total = a
    total += b  # frozen dataclass: += rebinds to a + b
    assert total == a + b


@pytest.mark.parametrize("start", [5, -1, 1, False, True, 0.0, "0"])
def test_sum_starts_only_from_zero(start):
    # sum(counts, 5) used to lose the 5 silently; any start but the int 0 is a TypeError.
    with pytest.raises(TypeError):
        sum([PRF(tp=1), PRF(fn=2)], start)
    assert sum([PRF(tp=1), PRF(fn=2)], 0) == PRF(tp=1, fn=2)
    assert sum([PRF(tp=1)], PRF(fp=3)) == PRF(tp=1, fp=3)


def test_to_dict_key_order():
    assert list(PRF(tp=1).to_dict()) == ["precision", "recall", "f1", "tp", "fp", "fn"]


counts = st.builds(PRF, tp=st.integers(0, 50), fp=st.integers(0, 50), fn=st.integers(0, 50))


@settings(database=None, max_examples=200)
@given(counts, counts)
def test_scores_in_unit_interval_and_micro_sum(a: PRF, b: PRF):
    for prf in (a, b, a + b):
        assert 0.0 <= prf.precision <= 1.0 and 0.0 <= prf.recall <= 1.0 and 0.0 <= prf.f1 <= 1.0
        p, r = prf.precision, prf.recall
        assert prf.f1 == pytest.approx(2 * p * r / (p + r) if p + r else 0.0)
    assert (a + b).tp == a.tp + b.tp
