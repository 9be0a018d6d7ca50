"""System comparison: paired bootstrap and approximate randomisation (`scorers.significance`, `evbench compare`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scorers.bootstrap import CountTable, f1_of
from scorers.significance import compare, randomization_deltas, swap_indicators

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "submissions" / "lexicon.json"
SECOND = ROOT / "gold" / "agreement" / "second-annotation.json"
FAST = ("--resamples", "200", "--trials", "200")
CELLS = (("m", None, None),)


def table(rows: list[tuple[int, int, int]]) -> CountTable:
    """One cell; unit u earns rows[u] = (tp, fp, fn)."""
    return CountTable(tuple(range(len(rows))), CELLS, np.array(rows, dtype=np.int64).reshape(len(rows), 1, 3))


def test_identical_systems_have_difference_0_and_p_1():
    a = table([(1, 0, 0), (0, 1, 1), (2, 0, 1), (0, 0, 1)] * 5)
    (d,) = compare(a, a, resamples=200, trials=200, seed=0)
    assert d.delta == 0 and d.ci == (0.0, 0.0)
    assert d.p_bootstrap == 1.0 and d.p_randomization == 1.0
    assert d.significant(0.05) is False


def test_a_much_better_system_is_significant():
    # 40 one-item units: A finds 10 of them, B finds 38.
    a = table([(1, 0, 0)] * 10 + [(0, 0, 1)] * 30)
    b = table([(1, 0, 0)] * 38 + [(0, 0, 1)] * 2)
    (d,) = compare(a, b, resamples=200, trials=200, seed=0)
    assert d.a == pytest.approx(2 * 10 / (2 * 10 + 30)) and d.b == pytest.approx(2 * 38 / (2 * 38 + 2))
    assert d.delta == pytest.approx(d.b - d.a)
    assert d.ci[0] > 0 and d.p_bootstrap < 0.05 and d.p_randomization < 0.05 and d.significant(0.05)


def test_a_tiny_gap_is_not_significant():
    # Out of 40 one-item units, B alone finds 3 and A alone finds 2: B is one item ahead.
    a = table([(1, 0, 0)] * 18 + [(0, 0, 1)] * 3 + [(1, 0, 0)] * 2 + [(0, 0, 1)] * 17)
    b = table([(1, 0, 0)] * 18 + [(1, 0, 0)] * 3 + [(0, 0, 1)] * 2 + [(0, 0, 1)] * 17)
    (d,) = compare(a, b, resamples=200, trials=200, seed=0)
    assert d.delta > 0 and d.ci[0] < 0 < d.ci[1]
    assert d.p_randomization > 0.05 and not d.significant(0.05)


def test_swapping_the_systems_negates_the_difference_and_keeps_the_p_value():
    a = table([(1, 0, 0)] * 12 + [(0, 1, 1)] * 8 + [(0, 0, 1)] * 10)
    b = table([(1, 0, 0)] * 18 + [(0, 0, 1)] * 12)
    (ab,) = compare(a, b, resamples=200, trials=200, seed=4)
    (ba,) = compare(b, a, resamples=200, trials=200, seed=4)
    assert ab.delta == -ba.delta
    assert ab.p_randomization == ba.p_randomization and ab.p_bootstrap == ba.p_bootstrap


def test_vectorised_randomisation_equals_a_slow_loop_with_the_same_swaps():
    a = table([(1, 0, 0), (0, 1, 0), (0, 0, 1), (2, 1, 0), (1, 1, 1)])
    b = table([(1, 0, 0), (1, 0, 0), (1, 0, 0), (0, 0, 2), (0, 2, 0)])
    fast = randomization_deltas(a.counts, b.counts, lambda s: f1_of(s.reshape(-1, 1, 3)), 50, seed=9)
    slow = []
    for chunk in swap_indicators(5, 50, seed=9):
        for swaps in chunk:
            ca = sum((b.counts[u, 0] if s else a.counts[u, 0]) for u, s in enumerate(swaps))
            cb = sum((a.counts[u, 0] if s else b.counts[u, 0]) for u, s in enumerate(swaps))
            slow.append(f1_of(cb.astype(float)) - f1_of(ca.astype(float)))
    assert fast[:, 0].tolist() == pytest.approx(slow, abs=1e-15)


# --- evbench compare -------------------------------------------------------------------------


def test_compare_lexicon_with_the_second_annotation(capsys):
    code, out, err = run_cli(capsys, "compare", LEXICON, SECOND, *FAST)
    assert code == 0, err
    assert "significant at 0.05?" in out and "B is significantly better than A" in out
    assert "Noreen 1989" in out and "Dror et al. 2018" in out


def test_compare_identical_files_says_not_significant(capsys):
    code, out, _ = run_cli(capsys, "compare", LEXICON, LEXICON, *FAST, "--format", "json")
    assert code == 0
    result = json.loads(out)
    for name, c in result["comparisons"].items():
        assert c["difference"] == 0 and c["p_randomization"] == 1.0 and c["p_bootstrap"] == 1.0 and c["significant"] is False, name
    code, out, _ = run_cli(capsys, "compare", LEXICON, LEXICON, *FAST)
    assert "No difference is significant at 0.05" in out


@pytest.mark.parametrize("unit", ["sentence", "doc", "event"])
def test_compare_json_is_byte_identical_for_a_fixed_seed(capsys, unit):
    first = run_cli(capsys, "compare", LEXICON, SECOND, *FAST, "--unit", unit, "--seed", "3", "--format", "json")
    second = run_cli(capsys, "compare", LEXICON, SECOND, *FAST, "--unit", unit, "--seed", "3", "--format", "json")
    assert first[0] == 0 and first[1] == second[1]
    result = json.loads(first[1])
    assert result["settings"]["unit"] == unit and result["units"] > 0
    tri_c = result["comparisons"]["tri_c"]
    assert tri_c["ci"][0] <= tri_c["difference"] <= tri_c["ci"][1]
    assert "coref_within.conll" in result["comparisons"] and "coref_cross.conll" not in result["comparisons"]


def test_compare_bad_input_exits_2(capsys, tmp_path):
    missing = tmp_path / "missing.json"
    code, _, err = run_cli(capsys, "compare", LEXICON, missing, *FAST)
    assert code == 2 and "file not found" in err
    code, _, _ = run_cli(capsys, "compare", LEXICON, SECOND, "--trials", "0")
    assert code == 2


def test_few_units_are_enumerated_exactly_and_p_never_goes_below_2_over_2_to_the_n():
    patterns = np.concatenate(list(swap_indicators(5, 1000, seed=0)))
    assert patterns.shape == (32, 5) and len({tuple(row) for row in patterns.tolist()}) == 32
    # B beats A on each of 5 units: only "swap nothing" and "swap everything" are as extreme.
    a, b = table([(0, 0, 1)] * 5), table([(1, 0, 0)] * 5)
    (d,) = compare(a, b, resamples=200, trials=1000, seed=0)
    assert d.p_randomization == 2 / 32 and not d.significant(0.05)


def test_p_values_refuse_columns_that_do_not_line_up():
    """Hits and valid trials per column must pair one to one (zip(strict=True)), never be cut to the shorter."""
    from scorers.significance import _p_values

    valid = np.ones((4, 2), dtype=bool)
    extreme = np.array([[True, False], [False, False], [True, True], [False, False]])
    assert _p_values(extreme, valid) == [pytest.approx(3 / 5), pytest.approx(2 / 5)]
    assert _p_values(extreme, valid, exact=True) == [0.5, 0.25]
    with pytest.raises(ValueError, match="zip"):
        _p_values(extreme, np.ones((4, 1), dtype=bool))  # broadcasts to 2 hit columns but 1 total
