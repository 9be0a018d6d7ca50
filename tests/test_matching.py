"""Matching modes and the one alignment routine: named scenarios with hand-computed results."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorers.alignment import (
    EXACT,
    SIMILARITY_BITS,
    ArgumentRule,
    agreement,
    align,
    align_triggers,
    argument_matches,
    argument_scorer,
    lexicographic_weights,
    span_key,
)
from scorers.matching import ArabicMatch, ExactMatch, OverlapMatch, TextMatch, dice, make_matcher

from conftest import arg, ev, sp

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


# --- the tie-break between event pairs: trigger, then type, then arguments, then realis --------------
# Each scenario puts the event that should win *after* its rival in canonical order (trigger,
# type, realis, id), where an undecided tie would go to the rival, and checks both input orders.

VISIT, MEET = "Movement.Transport-Person", "Contact.Meet"
PERSON, PLACE, OTHER = arg("Person", 20, 26, "لافروف"), arg("Destination", 30, 36, "وونسان"), arg("Person", 40, 46, "شويغو")


def partners(preds, refs, mode: str = "exact", *, typed: bool = True, **rule) -> dict[str, str]:
    """Predicted id -> reference id of the trigger alignment, the same for both input orders."""
    found = [{p.id: r.id for p, r in align_triggers(tuple(ps), tuple(rs), make_matcher(mode), typed=typed, **rule).pairs}
             for ps, rs in ((preds, refs), (preds[::-1], refs[::-1]))]
    assert found[0] == found[1]
    return found[0]


def test_tie_break_arguments_before_realis():
    # The case: "b" has the reference's realis but no arguments, "a" the wrong realis
    # and both arguments: a takes the reference event (and b sorts first).
    ref = ev("r", VISIT, 0, 4, args=(PERSON, PLACE))
    a = ev("a", VISIT, 0, 4, realis="other", args=(PERSON, PLACE))
    b = ev("b", VISIT, 0, 4, realis="actual")
    assert partners([a, b], [ref]) == {"a": "r"}
    assert partners([a, b], [ref], typed=False) == {"a": "r"}  # tri_i (and so coreference) alike


def test_tie_break_realis_decides_only_among_equal_arguments():
    ref = ev("r", VISIT, 0, 4, realis="other", args=(PERSON,))
    wrong = ev("a", VISIT, 0, 4, realis="actual", args=(PERSON,))
    right = ev("b", VISIT, 0, 4, realis="other", args=(PERSON,))
    assert partners([wrong, right], [ref]) == {"b": "r"}


def test_tie_break_counts_a_partial_argument_overlap():
    # "a" has 1 of the 2 arguments right (the other at wrong offsets); "b" none right, realis
    # right. One argument match beats the realis: partial overlap is not read as none.
    ref = ev("r", VISIT, 0, 4, args=(PERSON, PLACE))
    a = ev("a", VISIT, 0, 4, realis="other", args=(PERSON, arg("Destination", 31, 36, "ونسان")))
    b = ev("b", VISIT, 0, 4, realis="actual", args=(arg("Person", 21, 26, "افروف"), arg("Destination", 31, 36, "ونسان")))
    assert partners([a, b], [ref]) == {"a": "r"}


def test_tie_break_counts_matches_not_a_share_of_them():
    # "a": 2 of its 5 arguments match (overlap 2*2/(5+3) = 0.5 of the two lists); "b": its only
    # argument matches (2*1/(1+3) = 0.5), realis right. Argument true positives count, not
    # shares: 2 beats 1.
    ref = ev("r", VISIT, 0, 4, args=(PERSON, PLACE, arg("Destination", 50, 56, "موسكو")))
    wrong = tuple(arg("Person", s, s + 3, "x") for s in (60, 70, 80))
    a = ev("a", VISIT, 0, 4, realis="other", args=(PERSON, PLACE, *wrong))
    b = ev("b", VISIT, 0, 4, realis="actual", args=(PERSON,))
    assert partners([a, b], [ref]) == {"a": "r"}


def test_tie_break_compares_argument_offsets_not_text():
    # Both have a Person "لافروف"; only a's is the reference's occurrence (offsets 20-26). Under
    # exact matching b's other occurrence is no match, so a wins despite b's realis.
    ref = ev("r", VISIT, 0, 4, args=(PERSON,))
    a = ev("a", VISIT, 0, 4, realis="other", args=(PERSON,))
    b = ev("b", VISIT, 0, 4, realis="actual", args=(arg("Person", 90, 96, "لافروف"),))
    assert partners([a, b], [ref]) == {"a": "r"}


def test_tie_break_counts_arguments_under_the_rule_of_the_metric():
    # "a" has both spans under a wrong role, "b" none, realis right. Roles and spans (arg_c+,
    # the default): 0 and 0, realis decides -> b. Spans only (arg_i+): 2 and 0 -> a.
    ref = ev("r", VISIT, 0, 4, args=(PERSON, PLACE))
    a = ev("a", VISIT, 0, 4, realis="other", args=(arg("Agent", 20, 26, "لافروف"), arg("Agent", 30, 36, "وونسان")))
    b = ev("b", VISIT, 0, 4, realis="actual")
    assert partners([a, b], [ref]) == {"b": "r"}
    assert partners([a, b], [ref], arguments=ArgumentRule(classified=False)) == {"a": "r"}


def test_tie_break_counts_other_mentions_of_the_entity_under_the_entity_rule():
    # The reference Person is entity "lavrov" (mentions 20-26 and 40-52); "a" names the other
    # mention. Span rule: no match, realis decides -> b; entity rule: a match -> a.
    ref = ev("r", VISIT, 0, 4, args=(arg("Person", 20, 26, "لافروف", entity="lavrov"),))
    a = ev("a", VISIT, 0, 4, realis="other", args=(arg("Person", 40, 52, "سيرغي لافروف"),))
    b = ev("b", VISIT, 0, 4, realis="actual")
    mentions = {"lavrov": (sp(20, 26, "لافروف"), sp(40, 52, "سيرغي لافروف"))}
    assert partners([a, b], [ref]) == {"b": "r"}
    assert partners([a, b], [ref], arguments=ArgumentRule(entity_aware=True), entities=mentions) == {"a": "r"}
    # The same event tuples with other entity lists: each answer follows the list it is given.
    preds, refs, rule = (a, b), (ref,), ArgumentRule(entity_aware=True)
    for entities, winner in ((mentions, "a"), ({}, "b"), (mentions, "a")):
        (pair,) = align_triggers(preds, refs, ExactMatch(), typed=True, arguments=rule, entities=entities).pairs
        assert pair[0].id == winner


def test_tie_break_type_before_arguments_and_realis_when_untyped():
    # Two reference events on one trigger (وقدمت-style). The prediction is a visit with the
    # meeting's arguments and realis: the untyped alignment (tri_i, coreference) still pairs it
    # with the visit (which sorts second).
    meet = ev("r1", MEET, 0, 4, realis="other", args=(PERSON, PLACE))
    visit = ev("r2", VISIT, 0, 4, realis="actual")
    p = ev("p", VISIT, 0, 4, realis="other", args=(PERSON, PLACE))
    assert partners([p], [meet, visit], typed=False) == {"p": "r2"}


def test_tie_break_trigger_similarity_before_everything_else():
    # Overlap mode, reference trigger [10,16). "a" [9,16) (Dice 12/13) has the arguments and the
    # realis; "b" [10,16) (Dice 1) neither, and sorts second: the better trigger wins.
    ref = ev("r", VISIT, 10, 16, args=(PERSON, PLACE))
    a = ev("a", VISIT, 9, 16, args=(PERSON, PLACE))
    b = ev("b", VISIT, 10, 16, realis="other")
    assert partners([a, b], [ref], "overlap") == {"b": "r"}
    assert partners([a, b], [ref], "overlap", typed=False) == {"b": "r"}


def test_one_argument_match_outweighs_any_number_of_realis_agreements():
    # Two references and two predictions on one trigger. Pairing p1-r1, p2-r2: 1 argument
    # match, 0 realis agreements; the other way round: 0 and 2. Totals compare tier by tier,
    # so the argument match wins (an average of the tiers would make it a tie).
    r1 = ev("r1", VISIT, 0, 4, realis="actual", args=(PERSON,))
    r2 = ev("r2", VISIT, 0, 4, realis="other")
    p1 = ev("p1", VISIT, 0, 4, realis="other", args=(PERSON,))
    p2 = ev("p2", VISIT, 0, 4, realis="actual")
    assert partners([p1, p2], [r1, r2]) == {"p1": "r1", "p2": "r2"}


def test_agreement_tiers():
    # (same type, unless typed; argument true positives; same realis).
    ref = ev("r", VISIT, 0, 4, args=(PERSON, PLACE))
    p = ev("p", MEET, 0, 4, realis="other", args=(PERSON, OTHER))
    assert agreement(ExactMatch(), typed=False)(p, ref) == (0, 1, 0)
    assert agreement(ExactMatch(), typed=True)(ref, ref) == (2, 1)


def test_argument_matches_are_one_to_one_and_maximal():
    # A duplicated argument matches one reference argument once.
    ref = ev("r", VISIT, 0, 4, args=(PERSON,))
    exact = argument_scorer(ExactMatch())
    assert argument_matches(ev("p", VISIT, 0, 4, args=(PERSON, PERSON)), ref, exact) == 1
    assert argument_matches(ref, ev("p", VISIT, 0, 4, args=(PERSON, PERSON)), exact) == 1
    # Overlap (Dice >= 0.5): x [22,28) matches r1 [20,26) and r2 [24,30) (8/12 each); y [20,25)
    # only r1 (10/11; 2/11 with r2). Taking x-r1 first leaves y nothing; the largest matching
    # pairs x-r2 and y-r1: 2.
    r1, r2 = arg("Person", 20, 26), arg("Person", 24, 30)
    x, y = arg("Person", 22, 28), arg("Person", 20, 25)
    assert argument_matches(ev("p", VISIT, 0, 4, args=(x, y)), ev("r", VISIT, 0, 4, args=(r1, r2)), argument_scorer(OverlapMatch(0.5))) == 2
    assert argument_matches(ev("p", VISIT, 0, 4), ref, exact) == 0


# --- lexicographic weights and the solver's guarantees -------------------------------------------


def test_more_pairs_beat_any_similarity_and_tie_break():
    # a-x scores 5 (above 1) with a huge tie-break; taking it leaves b unmatched. Two pairs win.
    scores = {("a", "x"): 5.0, ("a", "y"): 0.1, ("b", "x"): 0.1}
    found = align(["a", "b"], ["x", "y"], lambda p, r: scores.get((p, r)), lambda v: (v,),
                  tie_break=lambda p, r: (10**9,) if (p, r) == ("a", "x") else (0,))
    assert set(found.pairs) == {("a", "y"), ("b", "x")}


def test_total_similarity_before_total_tie_breaks():
    # a-x 1.0, a-y 0.9, b-x 0.95, b-y 0.8: both rows (and both columns) prefer the same partner,
    # so the similarities alone do not name a matching at a glance. {a-y, b-x} totals 1.85,
    # {a-x, b-y} 1.8 with the better tie-breaks: the similarity total decides.
    scores = {("a", "x"): 1.0, ("a", "y"): 0.9, ("b", "x"): 0.95, ("b", "y"): 0.8}
    found = align(["a", "b"], ["x", "y"], lambda p, r: scores[p, r], lambda v: (v,),
                  tie_break=lambda p, r: (5,) if (p, r) in {("a", "x"), ("b", "y")} else (0,))
    assert set(found.pairs) == {("a", "y"), ("b", "x")}


def test_tie_break_is_asked_only_about_pairs_with_a_choice():
    asked = []

    def tie_break(p, r):
        asked.append((p, r))
        return (0,)

    # No rival anywhere: nothing asked.
    align(["a", "b"], ["a", "b"], lambda p, r: 1.0 if p == r else None, lambda v: (v,), tie_break=tie_break)
    assert asked == []
    # The similarities decide (a-x 1.0 beats a-y 0.5, b-y is b's only pair): nothing asked.
    scores = {("a", "x"): 1.0, ("a", "y"): 0.5, ("b", "y"): 1.0}
    align(["a", "b"], ["x", "y"], lambda p, r: scores.get((p, r)), lambda v: (v,), tie_break=tie_break)
    assert asked == []
    # A real tie (a-x and a-y equal): its component's pairs are asked, the lone pair c-z is not.
    align(["a", "c"], ["x", "y", "z"], lambda p, r: 1.0 if (p, r) in {("a", "x"), ("a", "y"), ("c", "z")} else None, lambda v: (v,),
          tie_break=tie_break)
    assert sorted(asked) == [("a", "x"), ("a", "y")]


def _matchings(pairs):
    for k in range(len(pairs) + 1):
        for chosen in itertools.combinations(pairs, k):
            if len({i for i, _ in chosen}) == k == len({j for _, j in chosen}):
                yield chosen


@settings(database=None, max_examples=200, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 2), st.integers(0, 2)),
                       st.tuples(st.sampled_from((0.25, 0.5, 12 / 13, 1.0, 2.5)), st.integers(0, 3), st.integers(0, 1)), min_size=1))
def test_weights_order_matchings_lexicographically(tiers):
    # For every two matchings of a component: heavier total weight <=> more pairs, else more
    # similarity, else more of tier 1, else more of tier 2 (exact integer comparison).
    weights = lexicographic_weights(tiers, n=3)
    assert all(isinstance(w, int) and w > 0 for w in weights.values())

    def key(matching):
        return (len(matching), sum(round(tiers[p][0] * 2**SIMILARITY_BITS) for p in matching),
                sum(tiers[p][1] for p in matching), sum(tiers[p][2] for p in matching))

    found = [(key(m), sum(weights[p] for p in m)) for m in _matchings(sorted(tiers))]
    for (key_a, weight_a), (key_b, weight_b) in itertools.combinations(found, 2):
        assert (key_a > key_b) == (weight_a > weight_b) and (key_a == key_b) == (weight_a == weight_b)


def test_weights_of_a_huge_component_stay_exact_in_float64():
    # 300 x 300 pairs, all similarities different, arguments up to 20, realis: the similarity
    # grid is coarsened so that totals (with room for the solver) stay below 2**53, and one
    # pair still outweighs the spread of all the lower tiers together.
    n = 300
    tiers = {(i, j): (0.5 + (i * n + j) / (2 * n * n), (i + j) % 21, (i * j) % 2) for i in range(n) for j in range(n)}
    weights = lexicographic_weights(tiers, n)
    low, high = min(weights.values()), max(weights.values())
    assert 2 * n * n * low <= EXACT and high < 2 * low
    assert n * (high - low) < low
