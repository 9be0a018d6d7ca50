"""Scenario tests that kill the mutants the rest of the suite let live (mutmut 3.8.1 over the scorers that decide scores).

Mutated: ``scorers/alignment.py``, ``assignment.py``, ``events.py``, ``matching.py`` and ``prf.py``;
tests run: the fast selection in ``[tool.mutmut]`` of pyproject.toml (test_matching, test_assignment,
test_event_metrics, test_prf, test_relaxed and this module). Each test below names the behaviour
it pins; every expected value is worked out by hand in the comments, and each kill was checked by
applying the mutant by hand and seeing the test fail. Mutants that no input can tell from the
original are listed, with the reason, in ``EQUIVALENT_MUTANTS``; ``NOT_YET_RUN`` (mutants not run) and
``OPEN_SURVIVORS`` (neither killed nor equivalent) are empty.

Results, from ``python3 -m mutmut results --all true`` (and the meta files under mutants/) after
``nice -n 19 python3 -m mutmut run --max-children 1 "scorers.assignment.*" "scorers.events.*"
"scorers.matching.*" "scorers.prf.*"``, then the same with ``"scorers.alignment.*"``, then (a second
time box) ``--max-children 2`` over ``x_span_key__*``, ``x__contested__*``, ``x__scored_pairs__*`` and ``x_align__*``, then (a
third) ``--max-children 1`` over ``x__solve__*``, ``x__best_matching__*``, ``x_argument_scorer__*`` and
``x_span_candidates__*``, the last 151. Killed counts
mutmut's kills and the survivors the tests of this module kill; timeouts (endless loops) are
detected mutants too.

=============  =======  ======  ==========  ========  =======
file           mutants  killed  equivalent  timeouts  not run
=============  =======  ======  ==========  ========  =======
alignment.py       634     567          62         5        0
assignment.py      107      99           5         3        0
events.py          383     367          16         0        0
matching.py        341     337           4         0        0
prf.py              40      40           0         0        0
total             1505    1410          87         8        0
=============  =======  ======  ==========  ========  =======
"""

from __future__ import annotations

from collections import Counter

import pytest

from scorers.alignment import (
    Alignment,
    ArgumentRule,
    align,
    align_triggers,
    argument_scorer,
    canonical,
    event_key,
    lexicographic_weights,
    span_candidates,
    span_key,
)
from scorers.assignment import best_pairs_if_disjoint, maximum_assignment
from scorers.events import (
    GROUPINGS,
    Item,
    argument_metric,
    argument_plus_metric,
    cells_of,
    confusion,
    confusion_counts,
    count_cells,
    item_key,
    macro_average,
    macro_average_of,
    outcomes_of,
    prf_by_cell,
    trigger_metric,
)
from scorers.matching import DocumentContext, ExactMatch, JudgeMatch, OverlapMatch, RelaxedMatch, make_matcher
from scorers.model import DocumentAnnotation, Entity, Span
from scorers.prf import PRF

from conftest import arg, ev

A, B = "Type.A", "Type.B"

# --- trigger metrics: one scenario, four metrics ---------------------------------------------
# reference r1 (A, 0-4, actual), r2 (B, 10-14, actual);
# prediction p1 (A, 0-4, other), p2 (A, 10-14, generic).
R1 = ev("r1", A, 0, 4, realis="actual")
R2 = ev("r2", B, 10, 14, realis="actual")
P1 = ev("p1", A, 0, 4, realis="other")
P2 = ev("p2", A, 10, 14, realis="generic")
TRIGGER_PRED = DocumentAnnotation("d1", (P1, P2))
TRIGGER_REF = DocumentAnnotation("d1", (R1, R2))


def ids(alignment: Alignment[Item, Item]) -> tuple[tuple, tuple, tuple]:
    """An alignment of event items as ids, in the order the metric gave them."""
    return (
        tuple((p.event.id, r.event.id) for p, r in alignment.pairs),
        tuple(p.event.id for p in alignment.unmatched_pred),
        tuple(r.event.id for r in alignment.unmatched_ref),
    )


@pytest.mark.parametrize(("typed", "realis", "expected"), [
    # tri_i: both triggers match by offsets, whatever the type.
    (False, False, ((("p1", "r1"), ("p2", "r2")), (), ())),
    # tri_c: p2 (A) may not take r2 (B).
    (True, False, ((("p1", "r1"),), ("p2",), ("r2",))),
    # realis: other != actual, generic != actual: nothing matches.
    (False, True, ((), ("p1", "p2"), ("r1", "r2"))),
    # type_realis: stricter still.
    (True, True, ((), ("p1", "p2"), ("r1", "r2"))),
])
def test_trigger_metric_counts_type_and_realis_only_when_asked(typed, realis, expected):
    found = trigger_metric(typed=typed, realis=realis)(TRIGGER_PRED, TRIGGER_REF, ExactMatch())
    assert ids(found) == expected
    assert all(type(i) is Item and i.argument is None for pair in found.pairs for i in pair)


def test_trigger_metric_realis_pairs_equal_realis():
    # p3 (B, 10-14, actual) against r2: same realis, same type: a pair under realis and type_realis.
    p3 = ev("p3", B, 10, 14, realis="actual")
    pred = DocumentAnnotation("d1", (P1, p3))
    assert ids(trigger_metric(typed=False, realis=True)(pred, TRIGGER_REF, ExactMatch())) == ((("p3", "r2"),), ("p1",), ("r1",))
    assert ids(trigger_metric(typed=True, realis=True)(pred, TRIGGER_REF, ExactMatch())) == ((("p3", "r2"),), ("p1",), ("r1",))


# --- argument metrics ------------------------------------------------------------------------
# Reference r (A, trigger 0-4): Person 20-25 (entity E1, also mentioned at 40-45), Place 30-35.
# Prediction p (A, trigger 50-54): Agent 30-35, Person 40-45; q (B, trigger 60-64): Place 30-35.
ENTITIES = (Entity("E1", "PER", (Span(20, 25, "a"), Span(40, 45, "a"))),)


def argument_docs(pad: int) -> tuple[DocumentAnnotation, DocumentAnnotation]:
    """``pad`` extra arguments that match nothing on each side (3 makes 6 x 5 = 30 pairs > SMALL: the candidate path)."""
    r = ev("r", A, 0, 4, args=(arg("Person", 20, 25, entity="E1"), arg("Place", 30, 35),
                                *(arg(f"Pad{k}", 200 + 10 * k, 205 + 10 * k) for k in range(pad))))
    p = ev("p", A, 50, 54, args=(arg("Agent", 30, 35), arg("Person", 40, 45),
                                 *(arg(f"Pad{k}", 100 + 10 * k, 105 + 10 * k) for k in range(pad))))
    q = ev("q", B, 60, 64, args=(arg("Place", 30, 35),))
    return DocumentAnnotation("d1", (p, q)), DocumentAnnotation("d1", (r,), ENTITIES)


def arg_ids(alignment: Alignment[Item, Item]) -> tuple[tuple, tuple, tuple]:
    def name(i: Item) -> str:
        return f"{i.event.id}.{i.argument.role}"

    return (tuple((name(p), name(r)) for p, r in alignment.pairs), tuple(map(name, alignment.unmatched_pred)), tuple(map(name, alignment.unmatched_ref)))


@pytest.mark.parametrize("pad", [0, 3])
@pytest.mark.parametrize(("classified", "entity_aware", "expected"), [
    # arg_i: p.Agent 30-35 takes r.Place (roles not compared); q.Place is of type B; p.Person 40-45 is not r.Person's span.
    (False, False, ((("p.Agent", "r.Place"),), ("p.Person", "q.Place"), ("r.Person",))),
    # arg_c: Agent != Place, so nothing matches.
    (True, False, ((), ("p.Agent", "p.Person", "q.Place"), ("r.Person", "r.Place"))),
    # arg_i_entity: and p.Person 40-45 is a mention of r.Person's entity E1.
    (False, True, ((("p.Agent", "r.Place"), ("p.Person", "r.Person")), ("q.Place",), ())),
    # arg_c_entity: only the Person pair, through the entity.
    (True, True, ((("p.Person", "r.Person"),), ("p.Agent", "q.Place"), ("r.Place",))),
])
def test_argument_metric_roles_types_and_entity_mentions(classified, entity_aware, expected, pad):
    pred, ref = argument_docs(pad)
    found = arg_ids(argument_metric(classified=classified, entity_aware=entity_aware)(pred, ref, ExactMatch()))
    pads_p = tuple(f"p.Pad{k}" for k in range(pad))
    pads_r = tuple(f"r.Pad{k}" for k in range(pad))
    # Unmatched items are in canonical order: event (p before q), then role (Agent < Pad* < Person < Place).
    unmatched_p = tuple(sorted(expected[1] + pads_p, key=lambda n: (n.split(".")[0], n.split(".")[1])))
    unmatched_r = tuple(sorted(expected[2] + pads_r, key=lambda n: n.split(".")[1]))
    assert found == (expected[0], unmatched_p, unmatched_r)


# arg+ scenario. Reference r1 (A, 0-4): Person 20-25 (E1, also at 50-55), Place 30-35; r2 (A, 10-14): Person 40-45.
# Prediction p1 (A, 0-4): Person 50-55, Origin 30-35; p2 (B, 10-14): Person 40-45 (wrong type: its event is unaligned);
# p3 (A, 70-74): Person 20-25 (no trigger partner).
PLUS_ENTITIES = (Entity("E1", "PER", (Span(20, 25, "a"), Span(50, 55, "a"))),)
PLUS_REF = DocumentAnnotation("d1", (
    ev("r1", A, 0, 4, args=(arg("Person", 20, 25, entity="E1"), arg("Place", 30, 35))),
    ev("r2", A, 10, 14, args=(arg("Person", 40, 45),)),
), PLUS_ENTITIES)
PLUS_PRED = DocumentAnnotation("d1", (
    ev("p1", A, 0, 4, args=(arg("Person", 50, 55), arg("Origin", 30, 35))),
    ev("p2", B, 10, 14, args=(arg("Person", 40, 45),)),
    ev("p3", A, 70, 74, args=(arg("Person", 20, 25),)),
))


@pytest.mark.parametrize(("classified", "entity_aware", "expected"), [
    # tri_c aligns p1-r1 only. arg_i+: p1.Origin takes r1.Place; p1.Person 50-55 is not r1.Person's span.
    # Unmatched: the arguments of unaligned events first (p2, p3 / r2), then those left inside aligned pairs.
    (False, False, ((("p1.Origin", "r1.Place"),), ("p2.Person", "p3.Person", "p1.Person"), ("r2.Person", "r1.Person"))),
    # arg_c+: Origin != Place.
    (True, False, ((), ("p2.Person", "p3.Person", "p1.Origin", "p1.Person"), ("r2.Person", "r1.Person", "r1.Place"))),
    # arg_i+_entity: p1.Person 50-55 is a mention of E1, so it takes r1.Person too.
    (False, True, ((("p1.Origin", "r1.Place"), ("p1.Person", "r1.Person")), ("p2.Person", "p3.Person"), ("r2.Person",))),
    # arg_c+_entity: only the Person pair.
    (True, True, ((("p1.Person", "r1.Person"),), ("p2.Person", "p3.Person", "p1.Origin"), ("r2.Person", "r1.Place"))),
])
def test_argument_plus_metric_counts_only_inside_trigger_pairs(classified, entity_aware, expected):
    found = argument_plus_metric(classified=classified, entity_aware=entity_aware)(PLUS_PRED, PLUS_REF, ExactMatch())
    assert arg_ids(found) == expected


def test_argument_plus_metric_orders_leftover_references_by_their_event_pair():
    # Two aligned pairs whose leftovers must come out pair by pair: r1's before r2's.
    ref = DocumentAnnotation("d1", (ev("r1", A, 0, 4, args=(arg("X", 20, 25),)), ev("r2", A, 10, 14, args=(arg("Y", 30, 35),))))
    pred = DocumentAnnotation("d1", (ev("p1", A, 0, 4), ev("p2", A, 10, 14)))
    found = argument_plus_metric(classified=True, entity_aware=False)(pred, ref, ExactMatch())
    assert arg_ids(found) == ((), (), ("r1.X", "r2.Y"))


def test_argument_plus_metric_never_matches_arguments_across_event_pairs():
    # p1-r1 and p2-r2 are aligned; p1's argument has r2's argument's span, but r2 is not p1's partner.
    ref = DocumentAnnotation("d1", (ev("r1", A, 0, 4), ev("r2", A, 10, 14, args=(arg("X", 30, 35),))))
    pred = DocumentAnnotation("d1", (ev("p1", A, 0, 4, args=(arg("X", 30, 35),)), ev("p2", A, 10, 14)))
    found = argument_plus_metric(classified=True, entity_aware=False)(pred, ref, ExactMatch())
    assert arg_ids(found) == ((), ("p1.X",), ("r2.X",))


@pytest.mark.parametrize(("classified", "entity_aware", "p1_arg"), [
    (False, False, arg("Origin", 20, 25)),  # right span, wrong role: an arg_i+ match only
    (True, True, arg("Person", 50, 55)),  # right role, another mention of E1: an arg_c+_entity match only
    (False, True, arg("Origin", 50, 55)),  # both: an arg_i+_entity match only
])
def test_argument_plus_metric_breaks_trigger_ties_by_its_own_argument_rule(classified, entity_aware, p1_arg):
    # Two predictions on r's trigger: p1 has the argument under this metric's rule but the wrong realis, p2 no argument
    # and the right realis. Argument matches come before realis, so p1 takes r (1 tp), and p2 is a false positive
    # event with no arguments. Under any other rule (or without E1's mentions) p1 would have 0 matches and p2 would win.
    ref = DocumentAnnotation("d1", (ev("r", A, 0, 4, realis="actual", args=(arg("Person", 20, 25, entity="E1"),)),), PLUS_ENTITIES)
    pred = DocumentAnnotation("d1", (ev("p1", A, 0, 4, realis="other", args=(p1_arg,)), ev("p2", A, 0, 4, realis="actual")))
    found = argument_plus_metric(classified=classified, entity_aware=entity_aware)(pred, ref, ExactMatch())
    assert arg_ids(found) == (((f"p1.{p1_arg.role}", "r.Person"),), (), ())


def test_argument_plus_metric_candidates_include_entity_mentions():
    # 5 x 4 = 20 argument pairs inside p-r (> SMALL = 16): the candidate filter is used, and it must offer
    # r.Person's other mention 50-55 to p.Person.
    pads_r = tuple(arg(f"Pad{k}", 200 + 10 * k, 205 + 10 * k) for k in range(3))
    pads_p = tuple(arg(f"Pad{k}", 100 + 10 * k, 105 + 10 * k) for k in range(4))
    ref = DocumentAnnotation("d1", (ev("r", A, 0, 4, args=(arg("Person", 20, 25, entity="E1"), *pads_r)),), PLUS_ENTITIES)
    pred = DocumentAnnotation("d1", (ev("p", A, 0, 4, args=(arg("Person", 50, 55), *pads_p)),))
    found = argument_plus_metric(classified=True, entity_aware=True)(pred, ref, ExactMatch())
    assert arg_ids(found) == ((("p.Person", "r.Person"),), ("p.Pad0", "p.Pad1", "p.Pad2", "p.Pad3"), ("r.Pad0", "r.Pad1", "r.Pad2"))


def test_item_key_of_a_trigger_item_has_no_argument_part():
    # Trigger items (no argument) are ordered by their event alone (error pairing and near misses sort them).
    assert item_key(Item(R1)) == (event_key(R1), ())


def test_entity_aware_candidates_accept_an_entity_without_mentions():
    # r.Person names entity E9, which the reference lists no mentions of; 5 x 4 = 20 pairs (> SMALL): the candidate
    # path. r.Person's candidate spans are its own span only, and p.Person 20-25 takes it.
    pads_r = tuple(arg(f"Pad{k}", 200 + 10 * k, 205 + 10 * k) for k in range(3))
    pads_p = tuple(arg(f"Pad{k}", 100 + 10 * k, 105 + 10 * k) for k in range(4))
    ref = DocumentAnnotation("d1", (ev("r", A, 0, 4, args=(arg("Person", 20, 25, entity="E9"), *pads_r)),))
    pred = DocumentAnnotation("d1", (ev("p", A, 0, 4, args=(arg("Person", 20, 25), *pads_p)),))
    for metric in (argument_metric(classified=True, entity_aware=True), argument_plus_metric(classified=True, entity_aware=True)):
        found = metric(pred, ref, ExactMatch())
        assert arg_ids(found) == ((("p.Person", "r.Person"),), ("p.Pad0", "p.Pad1", "p.Pad2", "p.Pad3"), ("r.Pad0", "r.Pad1", "r.Pad2"))


# --- outcome records, counts per cell, confusion, macro average --------------------------------


def trigger_outcomes() -> list:
    tri_i = outcomes_of("tri_i", "d1", trigger_metric(typed=False, realis=False)(TRIGGER_PRED, TRIGGER_REF, ExactMatch()))
    tri_c = outcomes_of("tri_c", "d1", trigger_metric(typed=True, realis=False)(TRIGGER_PRED, TRIGGER_REF, ExactMatch()))
    return tri_i + tri_c


def test_count_cells_counts_every_record_in_its_total_and_its_groups():
    # tri_i: (p1, r1), (p2, r2) both tp; tri_c: (p1, r1) tp, p2 fp (A, generic), r2 fn (B, actual).
    expected = Counter({
        (("tri_i", None, None), "tp"): 2,
        (("tri_i", "type", A), "tp"): 1, (("tri_i", "type", B), "tp"): 1,
        (("tri_i", "doc", "d1"), "tp"): 2,
        (("tri_i", "realis", "actual"), "tp"): 2,
        (("tri_c", None, None), "tp"): 1, (("tri_c", None, None), "fp"): 1, (("tri_c", None, None), "fn"): 1,
        (("tri_c", "type", A), "tp"): 1, (("tri_c", "type", A), "fp"): 1, (("tri_c", "type", B), "fn"): 1,
        (("tri_c", "doc", "d1"), "tp"): 1, (("tri_c", "doc", "d1"), "fp"): 1, (("tri_c", "doc", "d1"), "fn"): 1,
        (("tri_c", "realis", "actual"), "tp"): 1, (("tri_c", "realis", "generic"), "fp"): 1, (("tri_c", "realis", "actual"), "fn"): 1,
    })
    outcomes = trigger_outcomes()
    assert count_cells(outcomes) == expected
    assert count_cells(iter(outcomes)) == expected  # a one-pass iterable counts the same
    assert count_cells(tuple(outcomes), GROUPINGS) == expected


def test_prf_by_cell_turns_counts_into_one_prf_per_cell():
    cells = prf_by_cell(count_cells(trigger_outcomes()))
    assert cells == {
        ("tri_i", None, None): PRF(tp=2), ("tri_i", "type", A): PRF(tp=1), ("tri_i", "type", B): PRF(tp=1),
        ("tri_i", "doc", "d1"): PRF(tp=2), ("tri_i", "realis", "actual"): PRF(tp=2),
        ("tri_c", None, None): PRF(tp=1, fp=1, fn=1), ("tri_c", "type", A): PRF(tp=1, fp=1), ("tri_c", "type", B): PRF(fn=1),
        ("tri_c", "doc", "d1"): PRF(tp=1, fp=1, fn=1), ("tri_c", "realis", "actual"): PRF(tp=1, fn=1), ("tri_c", "realis", "generic"): PRF(fp=1),
    }
    assert prf_by_cell({(("m", None, None), "fp"): 3}) == {("m", None, None): PRF(fp=3)}


def test_cells_of_names_the_total_then_each_grouping():
    tp = trigger_outcomes()[0]  # tri_i (p1, r1)
    assert cells_of(tp, GROUPINGS) == [("tri_i", None, None), ("tri_i", "type", A), ("tri_i", "doc", "d1"), ("tri_i", "realis", "actual")]


def test_confusion_reads_the_metric_asked_for_and_tri_i_by_default():
    outcomes = trigger_outcomes()
    assert confusion(outcomes) == {A: {A: 1}, B: {A: 1}}
    assert confusion(outcomes, "tri_c") == {"(spurious)": {A: 1}, A: {A: 1}, B: {"(missed)": 1}}
    assert confusion_counts(outcomes + outcomes) == Counter({(A, A): 2, (B, A): 2})


def test_macro_average_is_the_mean_over_types_of_tri_c_by_default():
    # tri_c per type: A tp1 fp1 (P 1/2, R 1, F1 2/3); B fn1 (0, 0, 0). Means: P 1/4, R 1/2, F1 1/3.
    found = macro_average(trigger_outcomes())
    assert found.to_dict() == {"metric": "tri_c", "precision": 0.25, "recall": 0.5, "f1": pytest.approx(1 / 3), "types": [A, B]}
    assert list(found.to_dict()) == ["metric", "precision", "recall", "f1", "types"]
    assert macro_average_of({B: PRF(tp=1), A: PRF(fp=1)}, "arg_c").metric == "arg_c"
    assert macro_average(trigger_outcomes(), "tri_i").to_dict() == {"metric": "tri_i", "precision": 1.0, "recall": 1.0, "f1": 1.0, "types": [A, B]}


# --- counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("counts", [{"tp": -1}, {"fp": -1}, {"fn": -1}])
def test_prf_refuses_each_negative_count_by_name(counts):
    with pytest.raises(ValueError, match=r"counts must be non-negative: PRF\(tp=-?\d, fp=-?\d, fn=-?\d\)"):
        PRF(**counts)


# --- alignment -------------------------------------------------------------------------------


def test_canonical_order_puts_an_argument_without_entity_before_one_with():
    # Same role and span; the entity decides last, and no entity sorts as "", before "E1".
    with_entity, without = arg("Person", 20, 25, entity="E1"), arg("Person", 20, 25)
    doc = canonical(DocumentAnnotation("d1", (ev("e", A, 0, 4, args=(with_entity, without)),)))
    assert doc.events[0].arguments == (without, with_entity)


def test_canonical_order_sorts_entity_mentions_by_offsets():
    # A text-only mention (no offsets) sorts first, as if at -1.
    late, early, text_only = Span(50, 55, "b"), Span(20, 25, "a"), Span(None, None, "c")
    doc = canonical(DocumentAnnotation("d1", (), (Entity("E2", "PER", (early,)), Entity("E1", "PER", (late, text_only, early)))))
    assert doc.entities == (Entity("E1", "PER", (text_only, early, late)), Entity("E2", "PER", (early,)))


def test_alignment_sum_joins_each_part_in_order():
    left = Alignment((("p1", "r1"),), ("p2",), ("r2",))
    right = Alignment((("p3", "r3"),), ("p4",), ("r4",))
    assert left + right == Alignment((("p1", "r1"), ("p3", "r3")), ("p2", "p4"), ("r2", "r4"))


# --- matching --------------------------------------------------------------------------------


def test_overlap_threshold_one_is_allowed_and_bad_ones_are_named():
    assert OverlapMatch(1.0).similarity(Span(0, 4, "x"), Span(0, 4, "x")) == 1.0
    with pytest.raises(ValueError, match=r"overlap threshold must be in \(0, 1\], got 1.5"):
        OverlapMatch(1.5)


SENTENCES = DocumentContext(sentences={"d1": (0, 10, 20), "": (0, 5)})


@pytest.mark.parametrize(("doc_id", "span", "expected"), [
    ("d1", Span(0, 3, "x"), 0),
    ("d1", Span(12, 14, "x"), 1),
    ("d1", Span(20, 22, "x"), 2),
    (None, Span(6, 7, "x"), 1),  # an unbound matcher reads the sentences filed under ""
    ("d1", Span(5, None, "x"), None),  # half an offset is no offset
    ("d1", Span(None, 5, "x"), None),
])
def test_relaxed_sentence_index(doc_id, span, expected):
    matcher = RelaxedMatch(SENTENCES, doc_id=doc_id)
    assert matcher._sentence(span) == expected


def test_relaxed_similarity_is_the_argument_similarity():
    matcher = RelaxedMatch().for_document("d1")
    assert matcher.similarity(Span(0, 3, "abc"), Span(0, 3, "abc")) == 1.0
    assert matcher.similarity(Span(None, None, "abc"), Span(None, None, "abc")) == 0.9
    assert matcher.similarity(Span(None, None, "abc"), Span(None, None, "xyz")) is None


# Document d1: a long first word, then "w1 w2 w3 w4 w5 REF n1 n2 n3 n4 n5".
LONG = "L" * 100
TEXT = f"{LONG} w1 w2 w3 w4 w5 REF n1 n2 n3 n4 n5"
REF_AT = TEXT.index("REF")
REF = Span(REF_AT, REF_AT + 3, "REF")
# E2 comes first and has no mention at REF: only a search by equal offsets lands on E1.
MENTIONS = {"E2": (Span(101, 103, "w1"),), "E1": (REF, Span(0, 3, "LLL"))}
ALIASES = DocumentContext(texts={"d1": TEXT, "": "u1 u2 REF"}, aliases={"E1": ("Name One", "One")}, entity_types={"E1": "PER", "E2": "ORG"},
                          entities={"d1": MENTIONS})


def test_relaxed_argument_context_finds_the_entity_its_names_and_the_words_around():
    context = RelaxedMatch(ALIASES).for_document("d1").argument_context(REF, None)
    # REF's offsets are a mention of E1: E1's aliases from the context; E2's mention text is another entity's name;
    # the 4 words before, nearest first, and the 4 after.
    assert context.aliases == ("Name One", "One")
    assert context.others == ("w1",)
    assert context.before == ("w5", "w4", "w3", "w2")
    assert context.after == ("n1", "n2", "n3", "n4")
    assert context.entity_type == "PER"


def test_relaxed_argument_context_keeps_a_given_entity_and_caches_it():
    matcher = RelaxedMatch(ALIASES).for_document("d1")
    context = matcher.argument_context(REF, "E2")  # told E2: not looked up by offsets
    assert (context.aliases, context.others, context.entity_type) == (("w1",), ("REF", "LLL"), "ORG")  # no context aliases: E2's mention texts
    assert matcher.argument_context(REF, "E2") is context
    assert matcher.argument_context(REF, "E1") is not context
    assert matcher.argument_context(REF, "E1").aliases == ("Name One", "One")


def test_relaxed_argument_context_windows():
    # Only 80 characters before a reference are read: of the 100-letter word ending at 100 (then a space at 100, w1 at 101),
    # the window 21..101 keeps 79 letters (words are lower-cased).
    word_at = TEXT.index("w1")
    ref = Span(word_at, word_at + 2, "w1")
    matcher = RelaxedMatch(DocumentContext(texts={"d1": TEXT})).for_document("d1")
    assert matcher.argument_context(ref, None).before == ("l" * 79,)
    # At the start of the text the window starts at 0.
    short = RelaxedMatch(DocumentContext(texts={"d1": "ab cd REF"})).for_document("d1")
    assert short.argument_context(Span(6, 9, "REF"), None).before == ("cd", "ab")
    # Unbound, the text filed under "" is read; text-only references have no window.
    unbound = RelaxedMatch(ALIASES)
    assert unbound.argument_context(Span(6, 9, "REF"), None).before == ("u2", "u1")
    assert matcher.argument_context(Span(None, None, "w1"), None).before == ()
    assert matcher.argument_context(Span(None, None, "w1"), None).after == ()


def test_relaxed_for_document_keeps_or_replaces_the_entities():
    # REF's offsets are a mention of E1 (PER) in one binding, of E2 (ORG) in the other: the entity type found by offsets
    # tells which entities a matcher holds. Rebinding to the same document without entities keeps E1; with others, E2.
    context = DocumentContext(entity_types={"E1": "PER", "E2": "ORG"})
    first = RelaxedMatch(context).for_document("d1", {"E1": (REF,)})
    assert first.for_document("d1").argument_context(REF, None).entity_type == "PER"
    assert first.for_document("d1", {"E2": (REF,)}).argument_context(REF, None).entity_type == "ORG"


def test_relaxed_argument_contexts_are_not_shared_between_documents():
    # One span 3..6 in two documents: its words after are the document's own ("bb" in d1, "dd" in d2).
    matcher = RelaxedMatch(DocumentContext(texts={"d1": "aa REF bb", "d2": "cc REF dd"}))
    ref = Span(3, 6, "REF")
    assert matcher.for_document("d1").argument_context(ref, None).after == ("bb",)
    assert matcher.for_document("d2").argument_context(ref, None).after == ("dd",)


def test_judge_adds_verdicts_only_where_relaxed_matching_says_no():
    ref = Span(0, 3, "abc")
    verdicts = {("trigger", "d1", ref, "zzz"): True, ("argument", "d1", ref, "zzz"): True,
                ("trigger", "d1", ref, "abc"): True, ("argument", "d1", ref, "abc"): True,
                ("trigger", "", ref, "yyy"): True, ("argument", "", ref, "yyy"): True}
    judge = JudgeMatch(verdicts=verdicts).for_document("d1")
    assert judge.trigger_similarity(Span(5, 8, "zzz"), ref) == 0.3
    assert judge.argument_similarity(Span(5, 8, "zzz"), ref) == 0.3
    assert judge.trigger_similarity(Span(0, 3, "abc"), ref) == 1.0  # relaxed says yes: the verdict is not read
    assert judge.argument_similarity(Span(0, 3, "abc"), ref) == 1.0
    assert judge.trigger_similarity(Span(5, 8, "yyy"), ref) is None  # another document's verdict
    assert judge.argument_similarity(Span(5, 8, "yyy"), ref) is None
    unbound = JudgeMatch(verdicts=verdicts)
    assert unbound.trigger_similarity(Span(5, 8, "yyy"), ref) == 0.3
    assert unbound.argument_similarity(Span(5, 8, "yyy"), ref) == 0.3


def test_judge_argument_similarity_passes_the_entity_on():
    context = DocumentContext(aliases={"E1": ("سيرغي لافروف", "لافروف")}, entity_types={"E1": "PER"})
    judge = JudgeMatch(context).for_document("d1")
    ref = Span(None, None, "وزير الخارجية")
    assert judge.argument_similarity(Span(None, None, "لافروف"), ref, "E1") == 0.7  # another name of the entity
    assert judge.argument_similarity(Span(None, None, "لافروف"), ref) is None


def test_make_matcher_judge_reads_the_context_and_the_verdicts():
    # "لافروف" is another name of E1 in the context (0.7); "zzz" matches nothing but the judge said yes (0.3).
    ref = Span(None, None, "وزير الخارجية")
    judge = make_matcher("judge", context=LAVROV, verdicts={("argument", "d1", ref, "zzz"): True}).for_document("d1")
    assert judge.argument_similarity(Span(None, None, "لافروف"), ref, "E1") == 0.7
    assert judge.argument_similarity(Span(None, None, "zzz"), ref) == 0.3


def test_make_matcher_names_the_modes_it_knows():
    with pytest.raises(ValueError, match=r"^unknown match mode 'fuzzy'; use one of exact, overlap, arabic, text, relaxed, judge$"):
        make_matcher("fuzzy")


def test_matcher_descriptions():
    assert RelaxedMatch().describe() == "relaxed (OFFSET-FREE: same entity, time or trigger head word after normalisation; see scorers.relaxed)"
    assert JudgeMatch().describe() == ("judge (OFFSET-FREE: relaxed, then an LLM judge's verdict on the pairs relaxed rejects; "
                                       "see the result's judge block)")


# --- alignment: when the similarities decide, the tie-break is never asked --------------------


def asked_about(preds: list[str], refs: list[str], similarity: dict[tuple[str, str], float],
                prefer: dict[tuple[str, str], int] | None = None) -> tuple[Alignment[str, str], list[tuple[str, str]]]:
    """``align`` of string ids under a table of similarities and a recording tie-break (``prefer``: its one tier, 0 if absent)."""
    asked: list[tuple[str, str]] = []

    def tie_break(p: str, r: str) -> tuple[int, ...]:
        asked.append((p, r))
        return ((prefer or {}).get((p, r), 0),)

    found = align(preds, refs, lambda p, r: similarity.get((p, r)), key=lambda x: (x,), tie_break=tie_break)
    return found, asked


def test_alignment_decided_by_the_rows_asks_no_tie_break():
    # p may take r1 (1.0) or r2 (0.5): p's best pair is strict, so the row side decides p-r1 at once.
    # The column side alone would not decide (r1 and r2 both want p), so only trying the rows avoids the tie-break.
    found, asked = asked_about(["p"], ["r1", "r2"], {("p", "r1"): 1.0, ("p", "r2"): 0.5})
    assert found == Alignment((("p", "r1"),), (), ("r2",))
    assert asked == []


def test_alignment_a_tie_beaten_later_in_its_row_is_no_tie():
    # p's pairs in order: r1 0.5, r2 0.5 (a tie for p's best), r3 1.0 (strictly better: the tie is gone).
    # p-r3 is p's only best pair, so the rows decide and the tie-break is never asked.
    found, asked = asked_about(["p"], ["r1", "r2", "r3"], {("p", "r1"): 0.5, ("p", "r2"): 0.5, ("p", "r3"): 1.0})
    assert found == Alignment((("p", "r3"),), (), ("r1", "r2"))
    assert asked == []


def test_alignment_similarities_equal_on_the_grid_are_left_to_the_tie_break():
    # 0.5125 = 41/80. p-r1 is 2e-8 below it, p-r2 2e-8 above: on the grid of 2**-20 both are 537395 (0.5125 * 2**20 =
    # 537395.2), a tie, so the tie-break decides, and it prefers r1. (A grid of 1/40 would put them on either side of
    # 20.5, a grid of 3**-20 would tell them apart: either would give p r2 without asking.)
    similarity = {("p", "r1"): 0.5125 - 2e-8, ("p", "r2"): 0.5125 + 2e-8}
    found, asked = asked_about(["p"], ["r1", "r2"], similarity, prefer={("p", "r1"): 1})
    assert found == Alignment((("p", "r1"),), (), ("r2",))
    assert sorted(asked) == [("p", "r1"), ("p", "r2")]


def ids_of(alignment: Alignment) -> tuple[tuple, tuple, tuple]:
    return (tuple((p.id, r.id) for p, r in alignment.pairs), tuple(p.id for p in alignment.unmatched_pred), tuple(r.id for r in alignment.unmatched_ref))


def test_lexicographic_weights_by_hand():
    # Tiers (similarity, t1) of three pairs, at most n = 2 pairs in a matching.
    # t1 = 3, 1, 2: shifted by its low 1 to 2, 0, 1, scaled by 1 (nothing below it); its spread 2 lets a matching reach
    # at most 2 * 2 = 4 more, so the tier above is scaled by base = 5. Similarities on the grid of 2**-20: 2**20, 2**19, 2**19, shifted by 2**19:
    # 2**19, 0, 0, times 5. One pair outweighs every total below it: cardinality = 5 * (2 * 2**19 + 1) = 5242885.
    tiers = {(0, 0): (1.0, 3), (0, 1): (0.5, 1), (1, 1): (0.5, 2)}
    assert lexicographic_weights(tiers, 2) == {(0, 0): 5242885 + 5 * 2**19 + 2, (0, 1): 5242885, (1, 1): 5242885 + 1}


@pytest.mark.parametrize(("tiers", "expected"), [
    # t1 spread 2**39: base 2**39 + 1. On a grid of 2**-b the similarities 1.0, 0.5 are 2**b, 2**(b-1), spread 2**(b-1):
    # cardinality (2**39 + 1)(2**(b-1) + 1) must be <= 2**53 / (2 n n) = 2**52: b = 14 gives 2**52 + 2**39 + 2**13 + 1,
    # too much; b = 13 gives 2**51 + ..., the finest grid that fits.
    ({(0, 0): (1.0, 2**39), (0, 1): (0.5, 0)},
     {(0, 0): (2**39 + 1) * (2**12 + 1) + 2**12 * (2**39 + 1) + 2**39, (0, 1): (2**39 + 1) * (2**12 + 1)}),
    # t1 spread 2**32 - 1: base 2**32. The grid of 2**-20 fits exactly: 1.0 and 2**-20 are 2**20 and 1, cardinality
    # 2**32 * 2**20 = 2**52, and 2 * 2**52 = 2**53 is still exact.
    ({(0, 0): (1.0, 2**32 - 1), (0, 1): (2**-20, 0)},
     {(0, 0): 2**52 + (2**20 - 1) * 2**32 + 2**32 - 1, (0, 1): 2**52}),
    # t1 spread 2**60: no grid fits, the coarsest (2**0) is used: 1.0 -> 1, 0.25 -> 0; cardinality (2**60 + 1) * 2.
    ({(0, 0): (1.0, 2**60), (0, 1): (0.25, 0)},
     {(0, 0): (2**60 + 1) * 2 + (2**60 + 1) + 2**60, (0, 1): (2**60 + 1) * 2}),
])
def test_lexicographic_weights_use_the_finest_grid_that_stays_exact(tiers, expected):
    assert lexicographic_weights(tiers, 1) == expected


def test_event_tie_break_reads_arguments_with_their_entity():
    # Relaxed matching; r's Person is "وزير الخارجية" (entity E1, whose other name is "لافروف"). p1 and p2 have r's
    # trigger text (0.8 each, a tie). p1's Person "لافروف" is another mention of E1 (0.7) only when the entity is passed
    # to the matcher: 1 argument match, which outranks p2's right realis. Without the entity p1 has 0 and p2 would win.
    context = DocumentContext(aliases={"E1": ("سيرغي لافروف", "لافروف")}, entity_types={"E1": "PER"})
    r = ev("r", A, None, None, "زيارة", realis="actual", args=(arg("Person", None, None, "وزير الخارجية", entity="E1"),))
    p1 = ev("p1", A, None, None, "زيارة", realis="other", args=(arg("Person", None, None, "لافروف"),))
    p2 = ev("p2", A, None, None, "زيارة", realis="actual")
    found = align_triggers((p1, p2), (r,), RelaxedMatch(context), typed=True)
    assert ids_of(found) == ((("p1", "r"),), ("p2",), ())


# The same tuples aligned again reuse their trigger graph; a contested one keeps a solution per argument rule.
# r (A, 0-4, actual) has Person 20-25 of entity E1 (also mentioned at 50-55). p1 (other realis) has Origin 20-25,
# p2 (actual) no argument: both take r's trigger, so the argument matches, then realis, decide.
TIE_REF = (ev("r", A, 0, 4, realis="actual", args=(arg("Person", 20, 25, entity="E1"),)),)
TIE_PRED = (ev("p1", A, 0, 4, realis="other", args=(arg("Origin", 20, 25),)), ev("p2", A, 0, 4, realis="actual"))


def test_reused_trigger_graph_solves_each_argument_rule_anew():
    # arg_i+ (roles not compared): p1's Origin matches r's Person, p1 takes r. arg_c+: no match, realis gives r to p2.
    assert ids_of(align_triggers(TIE_PRED, TIE_REF, ExactMatch(), typed=True, arguments=ArgumentRule(False, False))) == ((("p1", "r"),), ("p2",), ())
    assert ids_of(align_triggers(TIE_PRED, TIE_REF, ExactMatch(), typed=True, arguments=ArgumentRule(True, False))) == ((("p2", "r"),), ("p1",), ())


def test_reused_trigger_graph_solves_entity_aware_rules_with_the_entities_given():
    # arg_i+_entity with p1's argument at 50-55: a mention of E1 only when the mentions are given.
    pred = (ev("p1", A, 0, 4, realis="other", args=(arg("Origin", 50, 55),)), TIE_PRED[1])
    rule = ArgumentRule(False, True)
    with_mentions = align_triggers(pred, TIE_REF, ExactMatch(), typed=True, arguments=rule, entities={"E1": (Span(20, 25, "a"), Span(50, 55, "a"))})
    without = align_triggers(pred, TIE_REF, ExactMatch(), typed=True, arguments=rule, entities={"E1": (Span(20, 25, "a"),)})
    assert (ids_of(with_mentions), ids_of(without)) == (((("p1", "r"),), ("p2",), ()), ((("p2", "r"),), ("p1",), ()))
    # Lists (never memoised) are solved with the entities given too.
    assert ids_of(align_triggers(list(pred), list(TIE_REF), ExactMatch(), typed=True, arguments=rule, entities={"E1": (Span(20, 25, "a"), Span(50, 55, "a"))})) == (
        (("p1", "r"),), ("p2",), ())


def test_align_triggers_never_reuses_the_graph_of_a_list():
    # A list may change between calls: the prediction added to it must be aligned (here it is the only match).
    preds = [ev("p1", A, 10, 14)]
    assert ids_of(align_triggers(preds, TIE_REF, ExactMatch(), typed=True)) == ((), ("p1",), ("r",))
    preds.append(ev("p2", A, 0, 4))
    assert ids_of(align_triggers(preds, TIE_REF, ExactMatch(), typed=True)) == ((("p2", "r"),), ("p1",), ())
    # A list aligned under realis: p3 (other) may not take r (actual).
    assert ids_of(align_triggers([ev("p3", A, 0, 4, realis="other")], list(TIE_REF), ExactMatch(), typed=True, realis=True)) == ((), ("p3",), ("r",))


def test_span_candidates_of_a_matcher_without_a_rule_are_every_pair():
    # A matcher that names no candidate rule (no `candidates` attribute) is asked about every pair: None.
    assert span_candidates(object(), lambda p: p, lambda r: (r,)) is None  # type: ignore[arg-type]


def test_overlap_candidates_skip_a_reference_with_half_an_offset():
    # Reference 0 has a start but no end (no offsets): never a candidate; reference 1 (0-4) overlaps prediction 0 (0-4).
    candidates = span_candidates(OverlapMatch(0.5), lambda p: p, lambda r: (r,))
    assert candidates is not None
    assert candidates([Span(0, 4, "y")], [Span(5, None, "x"), Span(0, 4, "y")]) == [(0, 1)]


OVERLAP_CANDIDATES = span_candidates(OverlapMatch(0.5), lambda p: p, lambda r: (r,))


@pytest.mark.parametrize("preds, refs, expected", [
    ([Span(2, 7, "y")], [Span(0, 5, "x")], [(0, 0)]),  # a partial overlap is a candidate (not only equal offsets)
    ([Span(9, 12, "y")], [Span(0, 10, "x")], [(0, 0)]),  # the longest reference, overlapping by its last character
    ([Span(None, None, "t"), Span(0, 3, "y")], [Span(0, 3, "x")], [(1, 0)]),  # a text-only prediction is skipped, not the end
    ([Span(None, 5, "h"), Span(0, 3, "y")], [Span(0, 3, "x")], [(1, 0)]),  # half an offset is no offset
    ([Span(0, 3, "y")], [Span(None, None, "x")], []),  # no reference with offsets: no candidate, no error
])
def test_overlap_candidates_by_hand(preds, refs, expected):
    assert OVERLAP_CANDIDATES is not None
    assert OVERLAP_CANDIDATES(preds, refs) == expected


def test_entity_aware_argument_scorer_passes_the_entity_with_every_mention():
    # The matcher is told which entity a mention belongs to (relaxed matching reads that entity's names and type).
    asked = []

    class Recording:
        def argument_similarity(self, pred: Span, ref: Span, entity: str | None = None) -> float | None:
            asked.append((ref.text, entity))
            return None

    mentions = {"E1": (Span(30, 36, "لافروف"),)}
    score = argument_scorer(Recording(), ArgumentRule(classified=True, entity_aware=True), mentions)
    reference = arg("Person", 10, 22, "سيرغي لافروف", entity="E1")
    assert score(arg("Person", 0, 3, "abc"), reference) is None
    assert asked == [("سيرغي لافروف", "E1"), ("لافروف", "E1")]


def test_align_triggers_binds_the_matcher_to_each_document():
    # Relaxed head-word rule: "زيارات" (second sentence) and "زيارة" (first) are one head word, but located in two
    # sentences of d1 they are two events. Sentences are known for d1 only, so a matcher not bound to d1 would take them as one.
    context = DocumentContext(sentences={"d1": (0, 18)})
    ref = (ev("r", A, 11, 16, "زيارة"),)
    pred = (ev("p", A, 21, 27, "زيارات"),)
    assert ids_of(align_triggers(pred, ref, RelaxedMatch(context), typed=True)) == ((), ("p",), ("r",))


def test_align_triggers_joins_the_documents_in_order():
    # d1 and d2 each have one pair and one reference left: all of them, d1's first.
    ref = (ev("r1", A, 0, 4, doc_id="d1"), ev("r2", A, 10, 14, doc_id="d1"), ev("r3", A, 0, 4, doc_id="d2"), ev("r4", A, 10, 14, doc_id="d2"))
    pred = (ev("p1", A, 0, 4, doc_id="d1"), ev("p3", A, 0, 4, doc_id="d2"))
    assert ids_of(align_triggers(pred, ref, ExactMatch(), typed=True)) == ((("p1", "r1"), ("p3", "r3")), (), ("r2", "r4"))


# --- assignment: optimal pairs read off the weights -------------------------------------------


def test_pairs_read_off_by_rows_when_only_the_rows_work():
    # a weighs 1 with x and with y: the row pass gives a its first column, x. The column pass would fail
    # (x and y both want a), so the row pass must be tried.
    assert best_pairs_if_disjoint(["a"], ["x", "y"], {("a", "x"): 1.0, ("a", "y"): 1.0}) == [("a", "x")]


def test_pairs_read_off_keep_every_equal_maximum():
    # Every pair weighs 1: a's maxima are x and y, b's too. a takes x, b the other of its equal maxima, y.
    weights = {("a", "x"): 1.0, ("a", "y"): 1.0, ("b", "x"): 1.0, ("b", "y"): 1.0}
    assert best_pairs_if_disjoint(["a", "b"], ["x", "y"], weights) == [("a", "x"), ("b", "y")]


def test_pairs_read_off_skip_a_row_without_pairs():
    # Row a has no pair (skipped); b takes x. (Column y has no pair either, so the column pass could not stand in.)
    assert best_pairs_if_disjoint(["a", "b"], ["y", "x"], {("b", "x"): 1.0}) == [("b", "x")]


def test_pairs_read_off_break_ties_by_column_order_not_by_name():
    # a weighs 1 with x and with y; the columns are given as [y, x], so a takes y, the first in that order.
    assert best_pairs_if_disjoint(["a"], ["y", "x"], {("a", "x"): 1.0, ("a", "y"): 1.0}) == [("a", "y")]


LAVROV = DocumentContext(aliases={"E1": ("سيرغي لافروف", "لافروف")}, entity_types={"E1": "PER"})


@pytest.mark.parametrize(("pred", "ref", "entity", "expected"), [
    (Span(0, 6, "x"), Span(0, 6, "y"), None, 1.0),  # same offsets
    (Span(None, None, "لافروف"), Span(0, 6, "لافروف"), None, 0.9),  # identical text
    (Span(None, None, "لبيونغ يانغ"), Span(None, None, "بيونغ يانغ"), None, 0.8),  # "equal" (a proclitic)
    (Span(None, None, "لافروف"), Span(None, None, "سيرغي لافروف"), "E1", 0.7),  # "other mention" of E1
    (Span(None, None, "الجمعة"), Span(None, None, "اليوم الجمعة"), None, 0.7),  # "time": the deictic dropped
    (Span(None, None, "مدينة وونسان"), Span(None, None, "وونسان"), None, 0.5),  # "longer": a generic head
    (Span(None, None, "كورسك"), Span(None, None, "منطقة كورسك"), None, 0.5),  # "shorter"
])
def test_relaxed_argument_similarity_by_rule(pred, ref, entity, expected):
    assert RelaxedMatch(LAVROV).for_document("d1").argument_similarity(pred, ref, entity) == expected


def test_relaxed_trigger_similarity_in_one_sentence_adds_a_bonus_and_the_overlap():
    # Both triggers located in sentence 0 (starts 0, 18), not at the same offsets: equivalent texts 0.8, + 0.1 for the
    # sentence, + 0.05 * dice: pred 5..11 (6 chars) and ref 6..11 (5) share 5, dice 2*5/11.
    matcher = RelaxedMatch(DocumentContext(sentences={"d1": (0, 18)})).for_document("d1")
    assert matcher.trigger_similarity(Span(5, 11, "زيارة"), Span(6, 11, "زيارة")) == pytest.approx(0.9 + 0.05 * 10 / 11)


def test_relaxed_argument_context_reads_80_characters_after():
    # The reference ends at 3; the window 3..83 is a space and 79 of the 100 letters after it (words are lower-cased).
    matcher = RelaxedMatch(DocumentContext(texts={"d1": "REF " + "L" * 100})).for_document("d1")
    assert matcher.argument_context(Span(0, 3, "REF"), None).after == ("l" * 79,)


def test_pairs_read_off_by_columns_come_back_in_row_order():
    # Rows given as [b, a]. By rows: b takes x (3), then a's best, x (2), is taken: fail. By columns: x takes b (3),
    # y takes a (1): disjoint. Returned in the rows' order, b before a (not sorted by name).
    weights = {("b", "x"): 3.0, ("a", "x"): 2.0, ("a", "y"): 1.0}
    assert best_pairs_if_disjoint(["b", "a"], ["x", "y"], weights) == [("b", "x"), ("a", "y")]


def test_maximum_assignment_gives_a_tie_to_the_first_free_column():
    # r1 weighs 1 with c0 and with c1, r0 has no pair: the pairs read off give r1 the first column, c0 (scipy's solver,
    # on the matrix [[0, 0], [1, 1]], would give it c1 and pair r0 with c0 at weight 0).
    weights = {("r1", "c0"): 1.0, ("r1", "c1"): 1.0}
    assert [pair for pair in maximum_assignment(["r0", "r1"], ["c0", "c1"], weights) if pair in weights] == [("r1", "c0")]


def test_span_key_orders_by_start_then_end_with_text_only_spans_first():
    # span_key is the canonical order every alignment's ties fall back on: by start, then end,
    # then text; a text-only span (no offsets) before every located one, even one at 0.
    spans = [Span(2, 4, "b"), Span(0, 6, "a"), Span(0, 3, "c"), Span(None, None, "t")]
    # start 0 < 2, and at start 0, end 3 < 6; "t" has start -1. Ordering by end alone would put
    # (2, 4) before (0, 6); a text-only start of +1 would put "t" between 0 and 2.
    assert sorted(spans, key=span_key) == [Span(None, None, "t"), Span(0, 3, "c"), Span(0, 6, "a"), Span(2, 4, "b")]


_CANDIDATES_ONLY = "the candidate filter only saves similarity calls: without it (None, or span_candidates of no matcher = every pair) the same pairs are scored"
_STRICT_ZIP = "zip(strict=...) only raises on a length mismatch, and both sides are built from the same records"
_SAME_LENGTH_TIERS = "zip(strict=...) of the tiers: every pair of a component has the same tiers (its similarity and the same tie-breaks)"
_ONE_PER_PAIR = "zip(strict=...) of the pairs, their grid values, running totals and tier columns: each has one entry per pair"
_MEMO_ONLY = ("the memo of trigger graphs only saves work: a graph found under the key is used only if it holds these very tuples "
              "(and the graph keeps them alive, so their ids are not reused); otherwise it is rebuilt")
_SOLUTIONS_ONLY = "the solutions a trigger graph keeps per argument rule only save work: one not kept is solved again, to the same alignment"
_ONE_PER_DOCUMENT = "zip(strict=...) of the graph's parts and its remembering matchers: one of each per document, built together"
_SUPERSET = ("the overlap candidates offered more pairs than needed: the matcher is still asked about each "
             "and refuses those that do not overlap")
_DUPLICATE_CANDIDATES = ("a reference named twice among the candidates (its own span and a mention at the same offsets) is scored twice "
                         "into the same edge: the same scored pairs, only a repeated similarity call")

#: Mutants (mutmut 3.8 names) that survive because no input can tell them from the original, with the reason.
EQUIVALENT_MUTANTS: dict[str, str] = {
    "scorers.alignment.x__contested__mutmut_4": "always contested: the general path solves each component, and an uncontested pair is a component of one, taken as is",
    "scorers.alignment.x__contested__mutmut_5": "always contested: the general path solves each component, and an uncontested pair is a component of one, taken as is",
    "scorers.alignment.x__scored_pairs__mutmut_4": _CANDIDATES_ONLY + " (asked at 16 pairs too)",
    "scorers.alignment.x_align__mutmut_21": _CANDIDATES_ONLY,
    "scorers.alignment.x_span_key__mutmut_5": "-2 instead of -1 for a text-only start: offsets are never negative, so text-only spans still sort first",
    "scorers.alignment.x_span_key__mutmut_7": "end read when None: a span has both offsets or neither, so a None end meets only another text-only span's None (equal) once start -1 has decided against located spans",
    "scorers.alignment.x_span_key__mutmut_9": "+1 instead of -1 for a text-only end: only text-only spans have no end, all with start -1, and they all get the same value",
    "scorers.alignment.x_span_key__mutmut_10": "-2 instead of -1 for a text-only end: only text-only spans have no end, and they all get the same value",
    "scorers.events.x_argument_metric__mutmut_20": _CANDIDATES_ONLY,
    "scorers.events.x_argument_metric__mutmut_21": _CANDIDATES_ONLY,
    "scorers.events.x_argument_metric__mutmut_35": _CANDIDATES_ONLY,
    "scorers.events.x_argument_metric__mutmut_40": _CANDIDATES_ONLY,
    "scorers.events.x_argument_plus_metric__mutmut_28": _CANDIDATES_ONLY,
    "scorers.events.x_argument_plus_metric__mutmut_29": _CANDIDATES_ONLY,
    "scorers.events.x_argument_plus_metric__mutmut_55": _CANDIDATES_ONLY,
    "scorers.events.x_argument_plus_metric__mutmut_60": _CANDIDATES_ONLY,
    "scorers.events.x_argument_spans__mutmut_2": _CANDIDATES_ONLY + " (here: more candidate spans than the rule accepts)",
    "scorers.events.x_count_cells__mutmut_2": "always copying the outcomes into a list: same records, same counts",
    "scorers.events.x_count_cells__mutmut_12": _STRICT_ZIP,
    "scorers.events.x_count_cells__mutmut_15": _STRICT_ZIP,
    "scorers.events.x_count_cells__mutmut_16": _STRICT_ZIP,
    "scorers.events.x_count_cells__mutmut_28": "zip(strict=...) of the groupings and the names made from them, equal lengths",
    "scorers.events.x_count_cells__mutmut_31": "zip(strict=...) of the groupings and the names made from them, equal lengths",
    "scorers.events.x_count_cells__mutmut_32": "zip(strict=...) of the groupings and the names made from them, equal lengths",
    "scorers.matching.xǁRelaxedMatchǁ_argument_context__mutmut_13": "aliases.get(None, ()) is () (entity ids are strings), the value of the else branch",
    "scorers.matching.xǁRelaxedMatchǁ_argument_context__mutmut_15": "a missing entity's aliases None instead of (): both are falsy and are replaced by the entity's mention texts next",
    "scorers.matching.xǁRelaxedMatchǁ_argument_context__mutmut_17": "same as _15 (dict.get's default is None)",
    "scorers.matching.xǁRelaxedMatchǁ_argument_context__mutmut_60": "entity_types.get(None) when there is no entity: None (entity ids are strings), the value of the else branch",
    "scorers.assignment.x_connected_components__mutmut_17": "columns tagged (2, c) instead of (1, c): any tag other than the rows' 0 keeps rows and columns apart",
    "scorers.assignment.x_maximum_assignment__mutmut_1": ("`or` -> `and`: with rows or columns empty (and so no weights) the pairs read off are [] "
                                                          "too, before the solver is reached"),
    "scorers.assignment.x_maximum_assignment__mutmut_26": "zip(strict=...) of scipy's row and column indices, always of equal length",
    "scorers.assignment.x_maximum_assignment__mutmut_29": "zip(strict=...) of scipy's row and column indices, always of equal length",
    "scorers.assignment.x_maximum_assignment__mutmut_30": "zip(strict=...) of scipy's row and column indices, always of equal length",
    "scorers.alignment.x_lexicographic_weights__mutmut_3": ("the all-alike shortcut never taken: the general path then gives every pair 1 too (each tier's "
                                                             "spread is 0: base 1, cardinality 1); only an empty `tiers` differs, and a component is never empty"),
    "scorers.alignment.x_lexicographic_weights__mutmut_10": "every pair alike weighs 2 instead of 1: a uniform weight, so the solver maximises the number of pairs either way",
    "scorers.alignment.x_lexicographic_weights__mutmut_13": _SAME_LENGTH_TIERS,
    "scorers.alignment.x_lexicographic_weights__mutmut_15": _SAME_LENGTH_TIERS,
    "scorers.alignment.x_lexicographic_weights__mutmut_16": _SAME_LENGTH_TIERS,
    "scorers.alignment.x_lexicographic_weights__mutmut_35": _ONE_PER_PAIR,
    "scorers.alignment.x_lexicographic_weights__mutmut_38": _ONE_PER_PAIR,
    "scorers.alignment.x_lexicographic_weights__mutmut_39": _ONE_PER_PAIR,
    "scorers.alignment.x_lexicographic_weights__mutmut_81": _ONE_PER_PAIR,
    "scorers.alignment.x_lexicographic_weights__mutmut_85": _ONE_PER_PAIR,
    "scorers.alignment.x_lexicographic_weights__mutmut_86": _ONE_PER_PAIR,
    "scorers.alignment.x_event_key__mutmut_3": "no realis sorts as 'XXXX' instead of '': realis values are lower-case words (actual, generic, other), after both",
    "scorers.alignment.x_trigger_similarity__mutmut_1": "the default of `realis`: its one caller (_TriggerGraph) always passes it",
    "scorers.alignment.x_align_triggers__mutmut_4": _MEMO_ONLY,
    "scorers.alignment.x_align_triggers__mutmut_5": _MEMO_ONLY,
    "scorers.alignment.x_align_triggers__mutmut_6": _MEMO_ONLY,
    "scorers.alignment.x_align_triggers__mutmut_7": _MEMO_ONLY,
    "scorers.alignment.x_align_triggers__mutmut_8": _MEMO_ONLY,
    "scorers.alignment.x_align_triggers__mutmut_11": _MEMO_ONLY,
    "scorers.alignment.x_align_triggers__mutmut_12": _MEMO_ONLY,
    "scorers.alignment.x_align_triggers__mutmut_24": _MEMO_ONLY + " (9 graphs kept instead of 8)",
    "scorers.alignment.x_align_triggers__mutmut_25": _MEMO_ONLY + " (9 graphs kept instead of 8)",
    "scorers.alignment.x_align_triggers__mutmut_29": _MEMO_ONLY + " (None kept: found is None, rebuilt)",
    "scorers.alignment.xǁ_TriggerGraphǁ__init____mutmut_9": _CANDIDATES_ONLY,
    "scorers.alignment.xǁ_TriggerGraphǁ__init____mutmut_10": _CANDIDATES_ONLY + " (span_candidates(None) is None: every pair)",
    "scorers.alignment.xǁ_TriggerGraphǁ__init____mutmut_29": _CANDIDATES_ONLY,
    "scorers.alignment.xǁ_TriggerGraphǁ__init____mutmut_45": "remembered None instead of []: both falsy, so solve builds the list on first use either way",
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_1": _SOLUTIONS_ONLY + " (never kept: each rule solved anew)",
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_3": _SOLUTIONS_ONLY + " (kept only for an uncontested graph and a rule that is not entity-aware)",
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_6": _SOLUTIONS_ONLY + " (an uncontested graph keeps one per rule instead of one for all: the same alignment)",
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_7": _SOLUTIONS_ONLY + " (never looked up)",
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_8": _SOLUTIONS_ONLY + " (never looked up)",
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_9": _SOLUTIONS_ONLY + (" (looked up even when not kept: that is a contested graph under an entity-aware "
                                                                          "rule, whose key is never stored)"),
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_10": _SOLUTIONS_ONLY + " (looked up under None: found only for an uncontested graph, stored under None)",
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_26": ("typed=None is falsy: a typed graph then gets a same-type tier first, but its pairs all have "
                                                           "equal types, and a tier equal for every pair weighs nothing"),
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_35": _ONE_PER_DOCUMENT,
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_38": _ONE_PER_DOCUMENT,
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_39": _ONE_PER_DOCUMENT,
    "scorers.alignment.xǁ_TriggerGraphǁsolve__mutmut_40": _SOLUTIONS_ONLY + " (None kept: found is None, solved again)",
    "scorers.alignment.x_span_candidates__mutmut_2": _CANDIDATES_ONLY + " (getattr(None, 'candidates', 'all') is 'all': every pair)",
    "scorers.alignment.x_span_candidates__mutmut_8": _CANDIDATES_ONLY + " (a misspelt attribute: 'all' for every matcher, every pair)",
    "scorers.alignment.x_span_candidates__mutmut_9": _CANDIDATES_ONLY + " (a misspelt attribute: 'all' for every matcher, every pair)",
    "scorers.alignment.x_span_candidates__mutmut_17": _CANDIDATES_ONLY + " (exact matching offered the overlap candidates instead: every pair of equal non-empty offsets is among them)",
    "scorers.alignment.x_span_candidates__mutmut_18": _CANDIDATES_ONLY + " (exact matching offered the overlap candidates instead: every pair of equal non-empty offsets is among them)",
    "scorers.alignment.x_span_candidates__mutmut_31": _DUPLICATE_CANDIDATES,
    "scorers.alignment.x_span_candidates__mutmut_32": _DUPLICATE_CANDIDATES,
    "scorers.alignment.x_span_candidates__mutmut_33": _DUPLICATE_CANDIDATES,
    "scorers.alignment.x_span_candidates__mutmut_34": _DUPLICATE_CANDIDATES,
    "scorers.alignment.x_span_candidates__mutmut_49": _SUPERSET + " (end + start >= end - start: a longer reach to the left)",
    "scorers.alignment.x_span_candidates__mutmut_50": ("the default of the longest reference span is read only when no reference has offsets: "
                                                       "then there is no candidate whatever the reach"),
    "scorers.alignment.x_span_candidates__mutmut_63": _SUPERSET + " (the search starts two characters further left)",
    "scorers.alignment.x_span_candidates__mutmut_73": _SUPERSET + (" (a reference that ends where the prediction starts touches it without overlap: "
                                                                   "Dice 0 is below every threshold, and arabic needs an overlap)"),
    "scorers.alignment.x_argument_scorer__mutmut_34": "`>=` for `>`: an entity mention that scores as well as the best so far replaces it with the same value",
    "scorers.alignment.x_argument_matches__mutmut_1": ("`or` -> `and` in the early return for an event without arguments: with one side empty "
                                                       "the matching loop has no predicted argument, or none with a partner, and also returns 0 "
                                                       "(score is never called with an empty reference side)"),
}

#: Survivors neither killed nor shown equivalent (work left open): none.
OPEN_SURVIVORS: tuple[str, ...] = ()

#: Mutants mutmut had not run when a time box ended: none (the third time box ran the last 151).
NOT_YET_RUN: tuple[str, ...] = ()
