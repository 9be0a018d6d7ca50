"""Matching modes and the one alignment routine: named scenarios with hand-computed results."""

from __future__ import annotations

import itertools

import pytest

from conftest import arg, ev, sp
from scorers.alignment import align, align_triggers, span_key
from scorers.matching import ArabicMatch, ExactMatch, OverlapMatch, TextMatch, dice, make_matcher


# --- matchers ----------------------------------------------------------------------------------


def test_exact_requires_equal_offsets():
    assert ExactMatch().similarity(sp(3, 8), sp(3, 8)) == 1.0
    assert ExactMatch().similarity(sp(3, 8), sp(3, 9)) is None


def test_dice_by_hand():
    # [0,4) and [2,6): overlap 2, 2*2/(4+4) = 0.5; disjoint = 0; identical = 1
    assert dice(sp(0, 4), sp(2, 6)) == 0.5
    assert dice(sp(0, 4), sp(4, 8)) == 0.0
    assert dice(sp(1, 5), sp(1, 5)) == 1.0


def test_overlap_threshold_boundaries():
    matcher = OverlapMatch(0.5)
    # exactly at the threshold: [0,4) vs [2,6) Dice = 0.5 -> match
    assert matcher.similarity(sp(0, 4), sp(2, 6)) == 0.5
    # just above: [0,5) vs [1,6): overlap 4, 8/10 = 0.8 >= 0.5 -> match
    assert matcher.similarity(sp(0, 5), sp(1, 6)) == 0.8
    # just below: [0,5) vs [3,8): overlap 2, 4/10 = 0.4 < 0.5 -> no match
    assert matcher.similarity(sp(0, 5), sp(3, 8)) is None
    # 0.6 threshold: 2*3/(5+5) = 0.6 matches, 2*3/(5+6) = 0.545 does not
    assert OverlapMatch(0.6).similarity(sp(0, 5), sp(2, 7)) == 0.6
    assert OverlapMatch(0.6).similarity(sp(0, 5), sp(2, 8)) is None


def test_overlap_threshold_must_be_in_unit_interval():
    with pytest.raises(ValueError):
        OverlapMatch(0.0)
    with pytest.raises(ValueError):
        OverlapMatch(1.5)


def test_arabic_needs_overlap_and_equal_normalised_text():
    matcher = ArabicMatch()
    # "ووصل" at [10,14) vs "وصل" at [11,14): overlap 3, texts equal after stripping و
    assert matcher.similarity(sp(10, 14, "ووصل"), sp(11, 14, "وصل")) == pytest.approx(6 / 7)
    # same texts far apart: no overlap -> no match
    assert matcher.similarity(sp(10, 14, "ووصل"), sp(40, 43, "وصل")) is None
    # overlapping but a different word
    assert matcher.similarity(sp(10, 16, "زيارة"), sp(10, 16, "زيارات")) is None


def test_text_mode_ignores_offsets():
    matcher = TextMatch()
    assert matcher.similarity(sp(None, None, "الزيارة"), sp(500, 505, "زيارة")) == 0.5  # clitic variant
    assert matcher.similarity(sp(None, None, "زيارة"), sp(500, 505, "زيارة")) == 1.0  # identical
    assert matcher.similarity(sp(None, None, "لقاء"), sp(500, 505, "زيارة")) is None
    assert not matcher.uses_offsets


def test_every_mode_has_a_descriptive_rule():
    for mode in ("exact", "overlap", "arabic", "text"):
        matcher = make_matcher(mode)
        assert matcher.name == mode and matcher.describe().startswith(mode)
        assert matcher.__doc__.split(".")[0]  # one-sentence rule
    assert "OFFSET-FREE" in make_matcher("text").describe()
    with pytest.raises(ValueError):
        make_matcher("fuzzy")


# --- alignment ---------------------------------------------------------------------------------


def overlap_sim(p, r):
    return OverlapMatch(0.1).similarity(p, r)


def test_duplicate_prediction_is_one_match():
    ref = [sp(0, 5)]
    found = align([sp(0, 5), sp(0, 5)], ref, ExactMatch().similarity, span_key)
    assert len(found.pairs) == 1 and len(found.unmatched_pred) == 1 and not found.unmatched_ref


def test_more_matches_beat_higher_similarity():
    # p1 = [0,12) overlaps r1 = [0,10) a lot (Dice 20/22) and r2 = [10,20) a little (4/22);
    # p2 = [2,4) overlaps only r1 (4/12). Greedy p1-r1 leaves p2 unmatched; the optimum pairs
    # p1-r2 and p2-r1: 2 matches beat 1 better one.
    r1, r2 = sp(0, 10), sp(10, 20)
    p1, p2 = sp(0, 12), sp(2, 4)
    assert overlap_sim(p1, r1) > overlap_sim(p1, r2) and overlap_sim(p2, r2) is None
    found = align([p1, p2], [r1, r2], overlap_sim, span_key)
    assert set(found.pairs) == {(p1, r2), (p2, r1)}


def test_tie_is_broken_the_same_way_for_any_input_order():
    # Two predictions equally good for one reference: [8,15) and [10,17) both have Dice 10/12 with [10,15).
    ref = sp(10, 15)
    a, b = sp(8, 15), sp(10, 17)
    assert overlap_sim(a, ref) == overlap_sim(b, ref)
    results = {align(list(preds), [ref], overlap_sim, span_key) for preds in itertools.permutations([a, b])}
    assert len(results) == 1
    (result,) = results
    assert len(result.pairs) == 1 and len(result.unmatched_pred) == 1


def test_empty_sides():
    assert align([], [sp(0, 1)], ExactMatch().similarity, span_key).unmatched_ref == (sp(0, 1),)
    assert align([sp(0, 1)], [], ExactMatch().similarity, span_key).unmatched_pred == (sp(0, 1),)
    assert align([], [], ExactMatch().similarity, span_key).pairs == ()


def test_align_triggers_never_crosses_documents():
    pred = [ev("p", "Contact.Meet", 0, 5, doc_id="a")]
    ref = [ev("r", "Contact.Meet", 0, 5, doc_id="b")]
    found = align_triggers(pred, ref, ExactMatch(), typed=True)
    assert not found.pairs and len(found.unmatched_pred) == 1 and len(found.unmatched_ref) == 1


def test_align_triggers_typed_and_untyped():
    pred = [ev("p", "Contact.Meet", 0, 5)]
    ref = [ev("r", "Conflict.Attack", 0, 5)]
    assert len(align_triggers(pred, ref, ExactMatch(), typed=False).pairs) == 1
    assert len(align_triggers(pred, ref, ExactMatch(), typed=True).pairs) == 0


def test_align_triggers_prefers_the_event_with_the_same_arguments():
    # Two reference "زيارة" events with identical triggers in text mode; the prediction shares
    # the arguments of r2, so it is paired with r2 whatever the order.
    r1 = ev("r1", "Movement.Transport-Person", 0, 5, "زيارة", args=(arg("Person", 10, 15, "لافروف"),))
    r2 = ev("r2", "Movement.Transport-Person", 50, 55, "زيارة", args=(arg("Person", 60, 65, "شويغو"),))
    p = ev("p", "Movement.Transport-Person", None, None, "زيارة", args=(arg("Person", None, None, "شويغو"),))
    for refs in ([r1, r2], [r2, r1]):
        (pair,) = align_triggers([p], refs, TextMatch(), typed=True).pairs
        assert pair[1].id == "r2"
