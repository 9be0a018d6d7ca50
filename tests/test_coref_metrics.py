"""Tests for scorers.coref against published expected values and hand-computed cases.

Sources of the published numbers (quoted as written there, so fractions stay fractions):

* CONFIG: conll/reference-coreference-scorers, test/CorefMetricTestConfig.pm
  (commit b40fae4493b80d08b024a85073294032edf12054), cases A1..A13, B1, C1, D1..L1.
* FORK: bill-baumgartner/reference-coreference-scorers, test/CorefMetricTestConfig.pm
  (a fork of the reference repository carrying the later cases M1..M6 and N1..N6).
* README: conll/reference-coreference-scorers, test/TestCases.README
  (commit 7e1b64d80245473a38adf483e32b3daaa2b226e4): the key/response partitions of every
  case, the LEA expectations ("Expected: LEA [...]") and a few values not in the config.

Values published with 5 decimals are compared at abs 1e-5 (rounding error <= 5e-6).
"""

from __future__ import annotations

import itertools
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorers.coref import (
    COREF_METRICS,
    BlancCounts,
    CorefCounts,
    b_cubed,
    blanc,
    ceaf_e,
    ceaf_m,
    conll_f1,
    lea,
    muc,
    score_all,
    score_pieces,
    sum_scores,
)

TOL = 1e-5


def parse(text: str) -> list[list[str]]:
    """'{a} {bc}' -> [['a'], ['b', 'c']]: one character per mention, as in TestCases.README."""
    return [list(body) for body in re.findall(r"\{([^}]*)\}", text)]


def f(r: float, p: float) -> float:
    """Harmonic mean, used where a source gives only recall and precision."""
    return 2 * r * p / (r + p) if r + p else 0.0


def assert_rpf(counts: CorefCounts, expected: tuple[float, float, float], tol: float = TOL) -> None:
    got = (counts.recall, counts.precision, counts.f1)
    assert got == pytest.approx(expected, abs=tol), f"got R/P/F {got}, expected {expected}"


# --------------------------------------------------------------------------
# Partitions of the reference test cases (README).
# --------------------------------------------------------------------------

KEY_A = "{a} {bc} {def}"
KEY_D = "{12345} {67} {89ABC}"  # B-cubed paper example key (README "examples from the B-CUBED paper")
KEY_M = "{abcdef}"
KEY_N = "{a} {b} {c} {d} {e} {f}"

CASES: dict[str, tuple[list[list[str]], list[list[str]]]] = {
    "A1": (parse(KEY_A), parse("{a} {bc} {def}")),
    "A2": (parse(KEY_A), parse("{a} {de}")),
    "A3": (parse(KEY_A), parse("{a} {bcx} {defy} {z}")),
    "A4": (parse(KEY_A), parse("{a} {bcx} {dy} {z}")),
    # A5/A6: capital B is a different (overlapping) mention from b.
    "A5": (parse(KEY_A), parse("{a} {bcxB} {dy} {z}")),
    "A6": (parse(KEY_A), parse("{a} {bcx} {dy} {Bz}")),
    # A7: B is a *duplicate* of b inside the same cluster; duplicates in one cluster collapse.
    "A7": (parse(KEY_A), [["a"], ["b", "c", "x", "b"], ["d", "y"], ["z"]]),
    # A8/A9: the duplicate of b sits in another cluster.  The reference scorer drops the later
    # copy ("De-dup" in the README); we raise ValueError instead (tested below), so the case is
    # scored on the README's de-duplicated response {a} {bcx} {dy} {z}.
    "A8": (parse(KEY_A), parse("{a} {bcx} {dy} {z}")),
    "A9": (parse(KEY_A), parse("{a} {bcx} {dy} {z}")),
    "A10": (parse(KEY_A), parse("{a} {b} {c} {d} {e} {f}")),
    "A11": (parse(KEY_A), parse("{abcdef}")),
    "A12": (parse(KEY_A), parse("{a} {x} {y} {c} {d} {e} {z}")),
    "A13": (parse(KEY_A), parse("{axycdez}")),
    "B1": (parse("{ab} {cde}"), parse("{bcx} {de}")),
    "C1": (parse("{ab} {cde} {fg}"), parse("{bcx} {de} {fg}")),
    "D1": (parse(KEY_D), parse("{12345} {6789ABC}")),
    "E1": (parse(KEY_D), parse("{1234589ABC} {67}")),
    # F1..L1: README "examples from the MUC paper" (Vilain et al. 1995).
    "F1": (parse("{ABCD}"), parse("{AB} {CD}")),
    "G1": (parse("{AB} {CD}"), parse("{ABCD}")),
    "H1": (parse("{ABCD}"), parse("{ABCD}")),
    "I1": (parse("{ABCD}"), parse("{AB} {CD}")),
    "J1": (parse("{ABC}"), parse("{AC}")),
    "K1": (parse("{BCDEGHJ}"), parse("{ABC} {DEF} {GHI}")),
    "L1": (parse("{ABC} {DEFG}"), parse("{AB} {CD} {FGH}")),
    "M1": (parse(KEY_M), parse("{abcdef}")),
    "M2": (parse(KEY_M), parse("{a} {b} {c} {d} {e} {f}")),
    "M3": (parse(KEY_M), parse("{ab} {cde} {f}")),
    "M4": (parse(KEY_M), parse("{abcxyz}")),
    "M5": (parse(KEY_M), parse("{a} {b} {c} {x} {y} {z}")),
    "M6": (parse(KEY_M), parse("{ab} {cxy} {z}")),
    "N1": (parse(KEY_N), parse("{a} {b} {c} {d} {e} {f}")),
    "N2": (parse(KEY_N), parse("{abcdef}")),
    "N3": (parse(KEY_N), parse("{ab} {cde} {f}")),
    "N4": (parse(KEY_N), parse("{a} {b} {c} {x} {y} {z}")),
    "N5": (parse(KEY_N), parse("{abcxyz}")),
    "N6": (parse(KEY_N), parse("{ab} {cxy} {z}")),
}

ONES = (1, 1, 1)
ZEROS = (0, 0, 0)

# (case, metric) -> (recall, precision, F1), transcribed from CONFIG / FORK.
# Metric names map: muc -> muc, bcub -> b3, ceafm -> ceaf_m, ceafe -> ceaf_e, blanc -> blanc.
PUBLISHED: dict[tuple[str, str], tuple[float, float, float]] = {
    # ---- CONFIG (conll/reference-coreference-scorers test/CorefMetricTestConfig.pm) ----
    ("A1", "muc"): ONES,
    ("A1", "b3"): (6 / 6, 6 / 6, 1),
    ("A1", "ceaf_m"): ONES,
    ("A1", "ceaf_e"): ONES,
    ("A1", "blanc"): ONES,
    ("A2", "muc"): (1 / 3, 1 / 1, 0.5),
    ("A2", "b3"): ((7 / 3) / 6, 3 / 3, 14 / 25),
    ("A2", "ceaf_m"): (0.5, 1, 0.66667),
    ("A2", "ceaf_e"): (0.6, 0.9, 0.72),
    ("A2", "blanc"): (0.21591, 1, 0.35385),
    ("A3", "muc"): (3 / 3, 3 / 5, 0.75),
    ("A3", "b3"): (6 / 6, (4 + 7 / 12) / 9, 110 / 163),
    ("A3", "ceaf_m"): (1, 0.66667, 0.8),
    ("A3", "ceaf_e"): (0.88571, 0.66429, 0.75918),
    ("A3", "blanc"): (1, 0.42593, 0.59717),
    ("A4", "muc"): (1 / 3, 1 / 3, 1 / 3),
    ("A4", "b3"): ((3 + 1 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, 2 * (5 / 9) * (17 / 42) / ((5 / 9) + (17 / 42))),
    ("A4", "ceaf_m"): (0.66667, 0.57143, 0.61538),
    ("A4", "ceaf_e"): (0.73333, 0.55, 0.62857),
    ("A4", "blanc"): (0.35227, 0.27206, 0.30357),
    ("A5", "muc"): (1 / 3, 1 / 4, 2 / 7),
    ("A5", "b3"): ((3 + 1 / 3) / 6, 2.5 / 8, 2 * (5 / 9) * (5 / 16) / ((5 / 9) + (5 / 16))),
    ("A5", "ceaf_m"): (0.66667, 0.5, 0.57143),
    ("A5", "ceaf_e"): (0.68889, 0.51667, 0.59048),
    ("A5", "blanc"): (0.35227, 0.19048, 0.24716),
    ("A6", "muc"): (1 / 3, 1 / 4, 2 / 7),
    ("A6", "b3"): ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 8, 2 * (5 / 9) * (17 / 48) / ((5 / 9) + (17 / 48))),
    ("A6", "ceaf_m"): (0.66667, 0.5, 0.57143),
    ("A6", "ceaf_e"): (0.73333, 0.55, 0.62857),
    ("A6", "blanc"): (0.35227, 0.20870, 0.25817),
    **{
        (case, metric): value
        for case in ("A7", "A8", "A9")  # identical expectations in CONFIG for A7, A8, A9
        for metric, value in {
            "muc": (1 / 3, 1 / 3, 1 / 3),
            "b3": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, 2 * (5 / 9) * (17 / 42) / ((5 / 9) + (17 / 42))),
            "ceaf_m": (0.66667, 0.57143, 0.61538),
            "ceaf_e": (0.73333, 0.55, 0.62857),
            "blanc": (0.35227, 0.27206, 0.30357),
        }.items()
    },
    ("A10", "muc"): ZEROS,
    ("A10", "b3"): (3 / 6, 6 / 6, 2 / 3),
    ("A10", "blanc"): (0.5, 0.36667, 0.42308),
    ("A11", "muc"): (3 / 3, 3 / 5, 6 / 8),
    ("A11", "b3"): (6 / 6, (1 / 6 + 2 * 2 / 6 + 3 * 3 / 6) / 6, 14 / 25),
    ("A11", "blanc"): (0.5, 0.13333, 0.21053),
    ("A12", "muc"): ZEROS,
    ("A12", "b3"): ((1 + 1 / 2 + 2 / 3) / 6, 4 / 7, 2 * (13 / 36) * (4 / 7) / ((13 / 36) + (4 / 7))),
    ("A12", "blanc"): (0.22727, 0.11905, 0.15625),
    ("A13", "muc"): (1 / 3, 1 / 6, 2 / 9),
    ("A13", "b3"): (
        (1 + 1 / 2 + 2 * 2 / 3) / 6,
        (1 / 7 + 1 / 7 + 2 * 2 / 7) / 7,
        2 * (17 / 36) * (6 / 49) / ((17 / 36) + (6 / 49)),
    ),
    ("A13", "blanc"): (0.125, 0.02381, 0.04),
    ("B1", "blanc"): (1 / 2 * (1 / 4 + 1 / 3),) * 3,
    ("C1", "blanc"): (1 / 2 * (2 / 5 + 10 / 16),) * 3,
    ("D1", "muc"): (9 / 9, 9 / 10, 2 * (9 / 9) * (9 / 10) / (9 / 9 + 9 / 10)),
    ("D1", "b3"): (12 / 12, 16 / 21, 2 * (12 / 12) * (16 / 21) / (12 / 12 + 16 / 21)),
    ("E1", "muc"): (9 / 9, 9 / 10, 2 * (9 / 9) * (9 / 10) / (9 / 9 + 9 / 10)),
    ("E1", "b3"): (1, 7 / 12, 2 * 1 * (7 / 12) / (1 + 7 / 12)),
    ("F1", "muc"): (2 / 3, 2 / 2, 2 * (2 / 3) * (2 / 2) / (2 / 3 + 2 / 2)),
    ("G1", "muc"): (2 / 2, 2 / 3, 2 * (2 / 2) * (2 / 3) / (2 / 2 + 2 / 3)),
    ("H1", "muc"): ONES,
    ("I1", "muc"): (2 / 3, 2 / 2, 2 * (2 / 3) * (2 / 2) / (2 / 3 + 2 / 2)),
    ("J1", "muc"): (1 / 2, 1 / 1, 2 * (1 / 2) * (1 / 1) / (1 / 2 + 1 / 1)),
    ("K1", "muc"): (3 / 6, 3 / 6, 3 / 6),
    ("L1", "muc"): (2 / 5, 2 / 4, 2 * (2 / 5) * (2 / 4) / (2 / 5 + 2 / 4)),
    # ---- FORK (bill-baumgartner/reference-coreference-scorers test/CorefMetricTestConfig.pm) ----
    ("M1", "muc"): ONES,
    ("M1", "b3"): ONES,
    ("M1", "ceaf_m"): ONES,
    ("M1", "ceaf_e"): ONES,
    ("M1", "blanc"): ONES,
    ("M2", "muc"): ZEROS,
    ("M2", "blanc"): ZEROS,
    ("M3", "blanc"): (0.26667, 1, 0.42105),
    ("M4", "blanc"): (0.2, 0.2, 0.2),
    ("M5", "muc"): ZEROS,
    ("M5", "blanc"): ZEROS,
    ("M6", "blanc"): (0.06667, 0.25, 0.10526),
    ("N1", "muc"): ZEROS,  # all-singleton key: MUC has no links, 0/0 -> 0
    ("N1", "blanc"): ONES,
    ("N2", "muc"): ZEROS,
    ("N2", "blanc"): ZEROS,
    ("N3", "blanc"): (0.73333, 1, 0.84615),
    ("N4", "muc"): ZEROS,
    ("N4", "blanc"): (0.2, 0.2, 0.2),
    ("N5", "blanc"): ZEROS,
    ("N6", "blanc"): (0.13333, 0.18182, 0.15385),
    # ---- README only (TestCases.README, "Expected: BCUB=1 / CEAFm=1 / CEAFe=1" for N1) ----
    ("N1", "b3"): ONES,
    ("N1", "ceaf_m"): ONES,
    ("N1", "ceaf_e"): ONES,
}

# LEA: README "Expected: LEA [recall=..., prec=...]" lines (same expressions in
# ns-moosavi/coval unittests.py); F1 is their harmonic mean.  A8/A9 use the "De-dup" lines.
PUBLISHED_LEA: dict[str, tuple[float, float]] = {
    "A1": (6 / 6, 6 / 6),
    "A2": ((1 + 3 * (1 / 3)) / 6, (1 + 2) / 3),
    "A3": ((1 + 2 + 3) / 6, (1 + 3 * (1 / 3) + 4 * (3 / 6)) / 9),
    "A4": ((1 + 2 + 0) / 6, (1 + 3 * (1 / 3) + 2 * 0 + 0) / 7),
    "A5": ((1 + 2 + 3 * 0) / 6, (1 + 4 * (1 / 6) + 2 * 0 + 1 * 0) / 8),
    "A6": ((1 + 2 + 3 * 0) / 6, (1 + 3 / 3 + 2 * 0 + 2 * 0) / 8),
    "A7": ((1 + 2 + 3 * 0) / 6, (1 + 3 / 3 + 2 * 0 + 1 * 0) / 7),
    "A8": ((1 + 2 + 3 * 0) / 6, (1 + 3 * (1 / 3) + 2 * 0 + 1 * 0) / 7),
    "A9": ((1 + 2) / 6, (1 + 3 / 3 + 0 + 0) / 7),  # README writes "1+2/6=0.5"
    "A10": ((1 + 2 * 0 + 3 * 0) / 6, (1 + 1 * 0 + 1 * 0 + 1 * 0 + 1 * 0 + 1 * 0) / 6),
    "A11": ((0 + 2 + 3) / 6, 6 * (4 / 15) / 6),
    "A12": ((1 + 2 * 0 + 3 * 0) / 6, 1 / 7),
    "A13": ((1 * 0 + 2 * 0 + 3 / 3) / 6, 7 * (1 / 21) / 7),
    "B1": ((2 * 0 + 3 / 3) / 5, (3 * 0 + 2) / 5),
    "C1": ((2 * 0 + 3 / 3 + 2) / 7, (3 * 0 + 2 + 2) / 7),
    "D1": ((5 + 2 + 5) / 12, (5 + 7 * (11 / 21)) / 12),
    "E1": ((5 + 2 + 5) / 12, (10 * (20 / 45) + 2) / 12),
    "F1": (4 * (2 / 6) / 4, (2 + 2) / 4),
    "G1": (1, (4 * 2 / 6) / 4),
    "H1": (1, 1),
    "I1": (4 * (2 / 6) / 4, (2 + 2) / 4),
    "J1": ((3 * 1 / 3) / 3, 1),
    "K1": ((7 * (1 + 1 + 1) / 21) / 7, (3 / 3 + 3 / 3 + 3 / 3) / 9),
    "L1": ((3 * 1 / 3 + 4 * 1 / 6) / 7, (2 + 2 * 0 + 3 / 3) / 7),
    "M1": (1, 1),
    "M2": (0, 0),
    "M3": (6 * (4 / 15) / 6, (2 + 3 + 0) / 6),
    "M4": (6 * (3 / 15) / 6, 6 * (3 / 15) / 6),
    "M5": (0, 0),
    "M6": (6 * (1 / 15) / 6, (2 + 3 * 0 + 1 * 0) / 6),
    "N1": (1, 1),
    "N2": (0, 0),
    "N3": (1 / 6, 1 / 6),
    "N4": ((1 + 1 + 1) / 6, (1 + 1 + 1) / 6),
    "N5": (0, 0),
    "N6": (0, 0),
}


@pytest.mark.parametrize(("case", "metric"), sorted(PUBLISHED), ids=lambda v: str(v))
def test_reference_scorer_published_values(case: str, metric: str) -> None:
    key, response = CASES[case]
    assert_rpf(COREF_METRICS[metric](key, response), PUBLISHED[case, metric])


@pytest.mark.parametrize("case", sorted(PUBLISHED_LEA))
def test_lea_published_values(case: str) -> None:
    key, response = CASES[case]
    recall, precision = PUBLISHED_LEA[case]
    assert_rpf(lea(key, response), (recall, precision, f(recall, precision)))


def test_every_published_case_is_checked() -> None:
    # 36 reference test cases (A1..A13, B1, C1, D1..L1, M1..M6, N1..N6) are all used.
    cases_with_values = {case for case, _ in PUBLISHED} | set(PUBLISHED_LEA)
    assert cases_with_values == set(CASES)
    assert len(CASES) == 36


def test_readme_blanc_link_counts_a3() -> None:
    # README TC-A-3: recall_c=4/4, prec_c=4/9, recall_n=11/11, prec_n=11/27.
    counts = blanc(*CASES["A3"])
    assert isinstance(counts, BlancCounts)
    assert (counts.recall_num, counts.recall_den, counts.precision_num, counts.precision_den) == (4, 4, 4, 9)
    assert (
        counts.noncoref_recall_num,
        counts.noncoref_recall_den,
        counts.noncoref_precision_num,
        counts.noncoref_precision_den,
    ) == (11, 11, 11, 27)


def test_readme_blanc_link_sets_b1() -> None:
    # README TC-B-1 lists the link sets: |C_k|=4, |C_r|=4, |C_k^C_r|=1; |N_k|=6, |N_r|=6, |N_k^N_r|=2.
    counts = blanc(*CASES["B1"])
    assert (counts.recall_num, counts.recall_den, counts.precision_den) == (1, 4, 4)
    assert (counts.noncoref_recall_num, counts.noncoref_recall_den, counts.noncoref_precision_den) == (2, 6, 6)
    assert counts.f1 == pytest.approx(7 / 24)  # README: BLANC = 1/2 (F_c + F_n) = 7/24


def test_duplicate_across_clusters_is_refused_a8_a9() -> None:
    # README TC-A-8: B duplicates b in another cluster; TC-A-9: {Bx10z}, "B" repeated ten times.
    with pytest.raises(ValueError, match="more than one response cluster"):
        muc(parse(KEY_A), [["a"], ["b", "c", "x"], ["d", "y"], ["b", "z"]])
    with pytest.raises(ValueError, match="'b'"):
        score_all(parse(KEY_A), [["a"], ["b", "c", "x"], ["d", "y"], ["b"] * 10 + ["z"]])


# --------------------------------------------------------------------------
# Paper worked examples (hand-computed; arithmetic in the comments).
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "phi3", "phi4"),
    [
        # Luo (2005), Section 2 / Figure 1: key {1..5} {6,7} {8,9,A,B,C} (12 mentions, 3 entities).
        # (a) {1..5} {6,7,8,9,A,B,C}
        #   phi3: {1..5}-{1..5}=5, {8..C}-{6..C}=5 -> 10; R = P = 10/12.
        #   phi4: 2*5/10 = 1 and 2*5/12 = 5/6 -> 11/6; R = (11/6)/3 = 11/18, P = (11/6)/2 = 11/12.
        ("{12345} {6789ABC}", (10 / 12, 10 / 12), (11 / 18, 11 / 12)),
        # (b) {1..5,8..C} {6,7}
        #   phi3: 5 (either 5-mention key entity) + 2 ({6,7}) = 7; R = P = 7/12.
        #   phi4: 2*5/15 = 2/3 and 2*2/4 = 1 -> 5/3; R = (5/3)/3 = 5/9, P = (5/3)/2 = 5/6.
        ("{1234589ABC} {67}", (7 / 12, 7 / 12), (5 / 9, 5 / 6)),
        # (c) one entity {1..C}
        #   phi3: 5; R = P = 5/12.   phi4: 2*5/17 = 10/17; R = (10/17)/3 = 10/51, P = 10/17.
        ("{123456789ABC}", (5 / 12, 5 / 12), (10 / 51, 10 / 17)),
        # (d) twelve singletons
        #   phi3: 1 per key entity -> 3; R = P = 3/12.
        #   phi4: 2/6 + 2/3 + 2/6 = 4/3; R = (4/3)/3 = 4/9, P = (4/3)/12 = 1/9.
        ("{1} {2} {3} {4} {5} {6} {7} {8} {9} {A} {B} {C}", (3 / 12, 3 / 12), (4 / 9, 1 / 9)),
    ],
)
def test_luo_2005_ceaf_example(response: str, phi3: tuple[float, float], phi4: tuple[float, float]) -> None:
    key = parse(KEY_D)
    assert_rpf(ceaf_m(key, parse(response)), (*phi3, f(*phi3)), tol=1e-12)
    assert_rpf(ceaf_e(key, parse(response)), (*phi4, f(*phi4)), tol=1e-12)


def test_lea_moosavi_strube_2016_example() -> None:
    # Moosavi & Strube (2016), Section 4 example: key {a,b,c} {d,e,f,g}, response {a,b} {c,d} {f,g,h,i}.
    # Hand-computed (the brief recalls R ~ 0.24, which this arithmetic reproduces):
    #   recall    = (3 * 1/3 + 4 * 1/6) / (3 + 4) = (1 + 2/3) / 7 = 5/21 ~ 0.238
    #               ({a,b,c} keeps a-b of 3 links; {d,e,f,g} keeps f-g of 6 links)
    #   precision = (2 * 1/1 + 2 * 0/1 + 4 * 1/6) / (2 + 2 + 4) = (8/3) / 8 = 1/3
    #               ({a,b} correct; c-d wrong; {f,g,h,i} has 1 correct link f-g of 6)
    #   F1 = 2 * 5/21 * 1/3 / (5/21 + 1/3) = (10/63) / (12/21) = 5/18 ~ 0.278
    counts = lea([list("abc"), list("defg")], [list("ab"), list("cd"), list("fghi")])
    assert (counts.recall_num, counts.recall_den) == (pytest.approx(5 / 3), 7)
    assert (counts.precision_num, counts.precision_den) == (pytest.approx(8 / 3), 8)
    assert_rpf(counts, (5 / 21, 1 / 3, 5 / 18), tol=1e-12)


def test_conll_average_of_a2() -> None:
    # CONFIG A2: MUC F 0.5, B3 F 14/25 = 0.56, CEAF-e F 0.72 -> (0.5 + 0.56 + 0.72) / 3 = 0.59333...
    scores = score_all(*CASES["A2"])
    assert scores["conll"] == pytest.approx((0.5 + 14 / 25 + 0.72) / 3)
    assert conll_f1(scores) == scores["conll"]
    assert conll_f1({"muc": 0.5, "b3": 0.56, "ceaf_e": 0.72}) == pytest.approx(1.78 / 3)
    with pytest.raises(KeyError, match="ceaf_e"):
        conll_f1({"muc": scores["muc"], "b3": scores["b3"]})


# --------------------------------------------------------------------------
# Edge cases (hand-computed counts).
# --------------------------------------------------------------------------


def counts_of(counts: CorefCounts) -> tuple[float, ...]:
    return (counts.recall_num, counts.recall_den, counts.precision_num, counts.precision_den)


def noncoref_counts_of(counts: BlancCounts) -> tuple[float, ...]:
    return (
        counts.noncoref_recall_num,
        counts.noncoref_recall_den,
        counts.noncoref_precision_num,
        counts.noncoref_precision_den,
    )


def test_all_singletons_scored_against_themselves() -> None:
    key = response = [["a"], ["b"], ["c"]]
    s = score_all(key, response)
    assert counts_of(s["muc"]) == (0, 0, 0, 0)  # no links anywhere: 0/0 -> 0 (reference TC-N-1)
    assert s["muc"].f1 == 0.0
    assert counts_of(s["b3"]) == (3, 3, 3, 3)  # each mention: 1*1/1
    assert counts_of(s["ceaf_m"]) == (3, 3, 3, 3)  # three pairs sharing 1 mention
    assert counts_of(s["ceaf_e"]) == (3, 3, 3, 3)  # phi4 = 2*1/(1+1) = 1 per entity
    assert counts_of(s["blanc"]) == (0, 0, 0, 0)  # no coreference links
    assert noncoref_counts_of(s["blanc"]) == (3, 3, 3, 3)  # C(3,2) = 3 non-coref links, all kept
    assert s["blanc"].f1 == 1.0  # key has only non-coref links -> BLANC = F_n = 1
    assert counts_of(s["lea"]) == (3, 3, 3, 3)  # three resolved self-links, weight 1 each
    assert s["conll"] == pytest.approx((0 + 1 + 1) / 3)


def test_one_big_cluster_scored_against_itself() -> None:
    key = response = [list("abcd")]
    s = score_all(key, response)
    assert counts_of(s["muc"]) == (3, 3, 3, 3)  # 4 - 1 links
    assert counts_of(s["b3"]) == (4, 4, 4, 4)
    assert counts_of(s["ceaf_m"]) == (4, 4, 4, 4)
    assert counts_of(s["ceaf_e"]) == (1, 1, 1, 1)
    assert counts_of(s["blanc"]) == (6, 6, 6, 6)  # C(4,2) coreference links
    assert noncoref_counts_of(s["blanc"]) == (0, 0, 0, 0)
    assert s["blanc"].f1 == 1.0  # key has only coref links -> BLANC = F_c (reference TC-M-1)
    assert counts_of(s["lea"]) == (4, 4, 4, 4)  # 4 * 6/6
    assert s["conll"] == 1.0


def test_one_big_key_cluster_against_all_singletons() -> None:
    key, response = [list("abcd")], [["a"], ["b"], ["c"], ["d"]]
    assert counts_of(muc(key, response)) == (0, 3, 0, 0)
    # B3: R = 4 * (1*1/4) / 4 = 1/4, P = 4 * (1/1) / 4 = 1, F = 2*(1/4)/(5/4) = 0.4
    assert_rpf(b_cubed(key, response), (0.25, 1, 0.4), tol=1e-12)
    # CEAF-m: best alignment shares 1 mention: R = P = 1/4
    assert_rpf(ceaf_m(key, response), (0.25, 0.25, 0.25), tol=1e-12)
    # CEAF-e: phi4 = 2*1/(4+1) = 2/5; R = (2/5)/1, P = (2/5)/4 = 1/10, F = 2*0.4*0.1/0.5 = 0.16
    assert_rpf(ceaf_e(key, response), (0.4, 0.1, 0.16), tol=1e-12)
    # BLANC: key has no non-coref links -> coref only: R = 0/6, P = 0/0 -> 0
    assert_rpf(blanc(key, response), ZEROS)
    # LEA: R = 4 * 0/6 / 4 = 0; P: each response singleton's key entity is not a singleton -> 0
    assert_rpf(lea(key, response), ZEROS)


def test_empty_response() -> None:
    key = [["a"], ["b", "c"]]
    s = score_all(key, [])
    assert counts_of(s["muc"]) == (0, 1, 0, 0)
    assert counts_of(s["b3"]) == (0, 3, 0, 0)
    assert counts_of(s["ceaf_m"]) == (0, 3, 0, 0)
    assert counts_of(s["ceaf_e"]) == (0, 2, 0, 0)
    assert counts_of(s["blanc"]) == (0, 1, 0, 0)  # key coref link b-c
    assert noncoref_counts_of(s["blanc"]) == (0, 2, 0, 0)  # key non-coref a-b, a-c
    assert counts_of(s["lea"]) == (0, 3, 0, 0)
    for name in COREF_METRICS:
        assert_rpf(s[name], ZEROS)
    assert s["conll"] == 0.0


def test_empty_key() -> None:
    response = [["a"], ["b", "c"]]
    s = score_all([], response)
    assert counts_of(s["muc"]) == (0, 0, 0, 1)
    assert counts_of(s["b3"]) == (0, 0, 0, 3)
    assert counts_of(s["ceaf_e"]) == (0, 0, 0, 2)
    assert counts_of(s["lea"]) == (0, 0, 0, 3)
    # No key links of either type -> BLANC is 0 by the reference convention.
    assert counts_of(s["blanc"]) == (0, 0, 0, 1)
    for name in COREF_METRICS:
        assert_rpf(s[name], ZEROS)


def test_both_empty_scores_zero_like_the_reference_scorer() -> None:
    # ShowRPF: den ? num/den : 0, so empty-vs-empty is 0, not 1.
    s = score_all([], [])
    for name in COREF_METRICS:
        assert counts_of(s[name]) == (0, 0, 0, 0)
        assert_rpf(s[name], ZEROS)
    assert s["conll"] == 0.0


def test_empty_clusters_are_ignored_and_any_iterables_accepted() -> None:
    key, response = CASES["A4"]
    messy_key = [set(c) for c in key] + [[], ()]
    messy_response = (iter(c) for c in [*response, []])
    expected = {name: counts.to_dict() for name, counts in score_all(key, response).items() if name != "conll"}
    got = score_all(messy_key, messy_response)
    assert {name: got[name].to_dict() for name in expected} == expected


def test_duplicate_mention_in_key_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="more than one key cluster"):
        b_cubed([["a", "b"], ["b"]], [["a"]])


def test_duplicate_within_one_cluster_counts_once() -> None:
    assert counts_of(muc([["a", "a", "b"]], [["a", "b", "b"]])) == (1, 1, 1, 1)


def test_string_cluster_is_rejected() -> None:
    with pytest.raises(TypeError):
        muc(["abc"], [["a"]])


# --------------------------------------------------------------------------
# Counts objects: additivity across documents.
# --------------------------------------------------------------------------


def test_blanc_counts_add_then_combine() -> None:
    # Doc 1 = CONFIG A2: coref (1, 4, 1, 1), non-coref (2, 11, 2, 2).
    # Doc 2 = FORK N1:   coref (0, 0, 0, 0), non-coref (15, 15, 15, 15).
    # Sum: R_c = 1/4, P_c = 1/1, F_c = 2*0.25/1.25 = 0.4;
    #      R_n = 17/26, P_n = 17/17 = 1, F_n = 2*(17/26)/(43/26) = 34/43.
    # BLANC R = (1/4 + 17/26)/2, P = (1 + 1)/2 = 1, F = (0.4 + 34/43)/2.
    total = blanc(*CASES["A2"]) + blanc(*CASES["N1"])
    assert isinstance(total, BlancCounts)
    assert counts_of(total) == (1, 4, 1, 1)
    assert noncoref_counts_of(total) == (17, 26, 17, 17)
    assert_rpf(total, ((1 / 4 + 17 / 26) / 2, 1, (0.4 + 34 / 43) / 2), tol=1e-12)
    # Not the mean of the per-document BLANC scores (0.35385 and 1):
    assert total.f1 != pytest.approx((blanc(*CASES["A2"]).f1 + 1) / 2)
    d = total.to_dict()
    assert d["coref_f1"] == pytest.approx(0.4) and d["noncoref_f1"] == pytest.approx(34 / 43)


def test_counts_of_different_kinds_do_not_add() -> None:
    with pytest.raises(TypeError):
        muc(*CASES["A2"]) + blanc(*CASES["A2"])


def test_builtin_sum_and_sum_scores_micro_average() -> None:
    docs = [score_all(*CASES[c]) for c in ("A2", "A3", "D1")]
    total = sum_scores(docs)
    # MUC links: A2 (1, 3, 1, 1), A3 (3, 3, 3, 5), D1 (9, 9, 9, 10) -> (13, 15, 13, 16).
    assert counts_of(total["muc"]) == (13, 15, 13, 16)
    assert total["muc"] == sum(d["muc"] for d in docs)
    assert total["conll"] == pytest.approx(conll_f1(total))
    assert total["conll"] == pytest.approx((f(13 / 15, 13 / 16) + total["b3"].f1 + total["ceaf_e"].f1) / 3)


def test_to_dict_is_plain_floats() -> None:
    d = muc(*CASES["A2"]).to_dict()
    assert d == {
        "recall_num": 1.0,
        "recall_den": 3.0,
        "precision_num": 1.0,
        "precision_den": 1.0,
        "recall": pytest.approx(1 / 3),
        "precision": 1.0,
        "f1": pytest.approx(0.5),
    }


# --------------------------------------------------------------------------
# Property-based tests.
# --------------------------------------------------------------------------


@st.composite
def partitions(draw: st.DrawFn, universe: int = 12, max_clusters: int = 5) -> list[list[int]]:
    """A random partition of a random subset of range(universe)."""
    labels = draw(st.dictionaries(st.integers(0, universe - 1), st.integers(0, max_clusters - 1)))
    clusters: dict[int, list[int]] = {}
    for mention, label in labels.items():
        clusters.setdefault(label, []).append(mention)
    return list(clusters.values())


def shuffled(partition: list[list[int]], rnd: random.Random) -> list[list[int]]:
    out = [rnd.sample(cluster, len(cluster)) for cluster in partition]
    rnd.shuffle(out)
    return out


def all_counts(key, response) -> dict[str, dict[str, float]]:
    return {name: counts.to_dict() for name, counts in score_all(key, response).items() if name != "conll"}


@settings(database=None, max_examples=200)
@given(key=partitions(), response=partitions(), rnd=st.randoms(use_true_random=False))
def test_order_invariance(key, response, rnd) -> None:
    assert all_counts(key, response) == all_counts(shuffled(key, rnd), shuffled(response, rnd))


@settings(database=None, max_examples=200)
@given(key=partitions())
def test_key_against_itself_is_perfect(key) -> None:
    s = score_all(key, key)
    n_mentions = sum(len(c) for c in key)
    if n_mentions == 0:
        return  # both empty: all 0 (test_both_empty_scores_zero_like_the_reference_scorer)
    for name in ("b3", "ceaf_m", "ceaf_e", "lea"):
        assert (s[name].recall, s[name].precision, s[name].f1) == (1.0, 1.0, 1.0), name
    # MUC has nothing to score without links (reference TC-N-1: all-singleton key -> 0).
    expected_muc = 1.0 if any(len(c) > 1 for c in key) else 0.0
    assert s["muc"].f1 == expected_muc
    # BLANC needs at least one link (two mentions) in the key.
    assert s["blanc"].f1 == (1.0 if n_mentions > 1 else 0.0)


@settings(database=None, max_examples=200)
@given(key=partitions(), response=partitions())
def test_swapping_key_and_response_swaps_recall_and_precision(key, response) -> None:
    forward, backward = score_all(key, response), score_all(response, key)
    for name in ("muc", "b3", "ceaf_m", "ceaf_e", "lea"):
        assert counts_of(forward[name]) == pytest.approx(
            (
                backward[name].precision_num,
                backward[name].precision_den,
                backward[name].recall_num,
                backward[name].recall_den,
            )
        ), name
    for name, counts in forward.items():
        if name != "conll":
            assert 0.0 <= counts.recall <= 1.0 and 0.0 <= counts.precision <= 1.0 and 0.0 <= counts.f1 <= 1.0


@settings(database=None, max_examples=200)
@given(
    key1=partitions(), response1=partitions(), key2=partitions(), response2=partitions()
)
def test_counts_are_additive_across_documents(key1, response1, key2, response2) -> None:
    # Scoring two documents as one (mentions tagged with their document) gives the summed
    # counts for every metric except BLANC, whose cross-document pairs would add links.
    def tag(partition, doc):
        return [[(doc, m) for m in cluster] for cluster in partition]

    merged_key = tag(key1, 1) + tag(key2, 2)
    merged_response = tag(response1, 1) + tag(response2, 2)
    for name in ("muc", "b3", "ceaf_m", "ceaf_e", "lea"):
        metric = COREF_METRICS[name]
        summed = metric(key1, response1) + metric(key2, response2)
        assert counts_of(summed) == pytest.approx(counts_of(metric(merged_key, merged_response))), name
    # BLANC: the sum is field-wise, and its score is computed from the summed link counts.
    b1, b2 = blanc(key1, response1), blanc(key2, response2)
    total = b1 + b2
    assert counts_of(total) == tuple(x + y for x, y in zip(counts_of(b1), counts_of(b2), strict=True))
    assert noncoref_counts_of(total) == tuple(x + y for x, y in zip(noncoref_counts_of(b1), noncoref_counts_of(b2), strict=True))
    assert total.recall_den == 0 or total.coref_recall == total.recall_num / total.recall_den


def reference_style_blanc_links(key, response) -> tuple[int, ...]:
    """Link sets built literally as BLANC_Internal in lib/CorScorer.pm v8.01 does.

    Coreference links: every 2-combination inside a chain; non-coreference links: the
    cartesian product of every pair of chains.  Returns the six link counts.
    """

    def links(partition):
        coref = {frozenset(p) for c in partition for p in itertools.combinations(c, 2)}
        noncoref = {
            frozenset((x, y)) for a, b in itertools.combinations(partition, 2) for x in a for y in b
        }
        return coref, noncoref

    key_c, key_n = links(key)
    resp_c, resp_n = links(response)
    return (len(key_c & resp_c), len(key_c), len(resp_c), len(key_n & resp_n), len(key_n), len(resp_n))


@settings(database=None, max_examples=200)
@given(key=partitions(), response=partitions())
def test_blanc_counts_match_literal_link_sets(key, response) -> None:
    b = blanc(key, response)
    got = (b.recall_num, b.recall_den, b.precision_den, b.noncoref_recall_num, b.noncoref_recall_den, b.noncoref_precision_den)
    assert got == reference_style_blanc_links(key, response)


@settings(database=None, max_examples=200)
@given(key=partitions(), response=partitions())
def test_muc_matches_reference_loop(key, response) -> None:
    # MUCScorer in lib/CorScorer.pm: for each response chain and each mention i, count one
    # correct link if some later mention j of that chain is in the same key chain as i.
    key_of = {m: k for k, cluster in enumerate(key) for m in cluster}
    correct = 0
    for chain in response:
        for i, m in enumerate(chain):
            if any(m in key_of and n in key_of and key_of[m] == key_of[n] for n in chain[i + 1 :]):
                correct += 1
    key_links = sum(len(c) - 1 for c in key)
    response_links = sum(len(c) - 1 for c in response)
    assert counts_of(muc(key, response)) == (correct, key_links, correct, response_links)


def _components(key: list[frozenset], response: list[frozenset]) -> list[tuple[list[frozenset], list[frozenset]]]:
    """The connected components of the key/response overlap graph (clusters joined by shared mentions)."""
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    owner: dict = {}
    for side, clusters in (("k", key), ("r", response)):
        for i, cluster in enumerate(clusters):
            for mention in cluster:
                if mention in owner:
                    parent[find((side, i))] = find(owner[mention])
                owner[mention] = (side, i)
    pieces: dict = {}
    for side, clusters in ((0, key), (1, response)):
        for i, cluster in enumerate(clusters):
            pieces.setdefault(find(("kr"[side], i)), ([], []))[side].append(cluster)
    return list(pieces.values())


def _random_partition(draw, mentions: list[int]) -> list[frozenset]:
    labels = {m: draw(st.integers(0, max(1, len(mentions) // 2))) for m in mentions}
    groups: dict = {}
    for m, label in labels.items():
        groups.setdefault(label, set()).add(m)
    return [frozenset(g) for g in groups.values()]


@settings(max_examples=200, deadline=None, database=None)
@given(st.data())
def test_scoring_piece_by_piece_equals_scoring_the_whole_bit_for_bit(data):
    """Property: score_pieces over the components (in any order) == score_all of the union, every metric exactly."""
    mentions = list(range(data.draw(st.integers(0, 25))))
    key = _random_partition(data.draw, [m for m in mentions if data.draw(st.booleans()) or m % 3])
    response = _random_partition(data.draw, [m for m in mentions if data.draw(st.booleans()) or m % 2])
    pieces = data.draw(st.permutations(_components(key, response)))
    assert score_pieces(pieces) == score_all(key, response)


def test_score_pieces_blanc_counts_links_across_pieces_by_hand():
    """Two pieces {a,b} | {a,b} and {c} | {c}: 3 mentions, 3 pairs; the coreference link a-b is right in both,
    and the two links to c are right non-coreference links that no single piece sees."""
    scores = score_pieces([([frozenset("ab")], [frozenset("ab")]), ([frozenset("c")], [frozenset("c")])])
    blanc = scores["blanc"]
    assert (blanc.recall_num, blanc.recall_den) == (1.0, 1.0)
    assert (blanc.noncoref_recall_num, blanc.noncoref_recall_den, blanc.noncoref_precision_den) == (2.0, 2.0, 2.0)
    assert scores == score_all([frozenset("ab"), frozenset("c")], [frozenset("ab"), frozenset("c")])


def test_score_pieces_counts_repeated_shapes_once_each_by_hand():
    """Pieces of one shape under other names are scored once and counted twice. Three pieces:
    {a,b} | {a},{b} twice (as {a,b} and {c,d}) and {e} | {e}. MUC: key links 1 + 1 + 0 = 2, none kept
    (recall 0/2); response links 0. B-cubed recall: each of a..d keeps 1/2 of its cluster, e all:
    (4 * 1/2 + 1) / 5 = 3/5. A distinct name per piece changes nothing."""
    pieces = [([frozenset("ab")], [frozenset("a"), frozenset("b")]),
              ([frozenset("cd")], [frozenset("c"), frozenset("d")]),
              ([frozenset("e")], [frozenset("e")])]
    scores = score_pieces(pieces)
    assert (scores["muc"].recall_num, scores["muc"].recall_den, scores["muc"].precision_den) == (0.0, 2.0, 0.0)
    assert (scores["b3"].recall_num, scores["b3"].recall_den) == (3.0, 5.0)
    assert scores == score_all([frozenset("ab"), frozenset("cd"), frozenset("e")],
                               [frozenset("a"), frozenset("b"), frozenset("c"), frozenset("d"), frozenset("e")])
    renamed = [([frozenset("xy")], [frozenset("x"), frozenset("y")]), ([frozenset("zw")], [frozenset("z"), frozenset("w")]), pieces[2]]
    assert score_pieces(renamed) == scores


def test_score_pieces_of_nothing_is_score_all_of_nothing():
    assert score_pieces([]) == score_all([], [])
