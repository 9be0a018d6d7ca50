"""Error categories (scorers/errors.py): named scenarios with hand-computed counts, edge cases, the
explanation identity as a property, and the CLI (`--errors`, JSON `errors` / `errors_by`, `--explain`).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import test_score_cli as cli
from hypothesis import given, settings
from hypothesis import strategies as st

from scorers.errors import BESIDE, CATEGORIES, PAIRED, document_errors, error_counts, errors_table
from scorers.matching import OFFLINE_MATCH_MODES, make_matcher
from scorers.model import Argument, DocumentAnnotation, Entity, EventMention, Span
from scorers.registry import score_document

from conftest import DOC, arg, ev, make_corpus, write_json

ATTACK, MEET = "Conflict.Attack", "Contact.Meet"


def counts(pred: list[EventMention], ref: list[EventMention], *, mode: str = "exact", arg_match: str = "span",
           entities: tuple[Entity, ...] = ()) -> dict[str, dict[str, int]]:
    pred_doc, ref_doc = DocumentAnnotation(DOC, tuple(pred)), DocumentAnnotation(DOC, tuple(ref), entities)
    matcher = make_matcher(mode)
    return errors_table(error_counts(score_document(pred_doc, ref_doc, matcher), pred_doc, ref_doc, matcher), arg_match)


def nonzero(table: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {family: {c: n for c, n in found.items() if n} for family, found in table.items() if any(found.values())}


def attack(id: str = "r1", start: int = 0, end: int = 5, type: str = ATTACK, **kw) -> EventMention:
    return ev(id, type, start, end, **kw)


TWO_ARGS = (arg("Attacker", 10, 15, entity="e1"), arg("Target", 20, 25))


# --- triggers ----------------------------------------------------------------------------------


def test_missed_trigger():
    assert nonzero(counts([], [attack()])) == {"trigger": {"missed": 1}}


def test_spurious_trigger():
    assert nonzero(counts([attack("p1")], [])) == {"trigger": {"spurious": 1}}


def test_boundary_trigger_is_one_error_for_one_fp_and_one_fn():
    assert nonzero(counts([attack("p1", 0, 3)], [attack()])) == {"trigger": {"boundary": 1}}


def test_type_error():
    assert nonzero(counts([attack("p1", type=MEET)], [attack()])) == {"trigger": {"type": 1}}


def test_boundary_and_type_error():
    assert nonzero(counts([attack("p1", 2, 7, type=MEET)], [attack()])) == {"trigger": {"boundary+type": 1}}


def test_duplicate_prediction():
    assert nonzero(counts([attack("p1"), attack("p2")], [attack()])) == {"trigger": {"duplicate": 1}}


def test_wrong_and_missing_realis_are_counted_beside_the_errors():
    # Two correct triggers (tri_c tp), one with the other realis, one without realis: 2 realis, no tri_c error.
    pred = [attack("p1", realis="other"), attack("p2", 10, 15, realis=None)]
    assert nonzero(counts(pred, [attack(), attack("r2", 10, 15)])) == {"trigger": {"realis": 2}}


def test_two_gold_events_on_one_trigger_and_one_wrong_prediction():
    # Gold: Attack and Meet on [0, 5); prediction: Attack twice. One tp; the second Attack pairs with
    # the missed Meet as a type error (one fp + one fn), before it could count as a duplicate.
    assert nonzero(counts([attack("p1"), attack("p2")], [attack(), attack("r2", type=MEET)])) == {"trigger": {"type": 1}}


def test_overlap_mode_boundary_only_below_the_threshold():
    # Dice([0,5), [0,4)) = 8/9 >= 0.5: a match under overlap, a boundary error under exact.
    assert nonzero(counts([attack("p1", 0, 4)], [attack()], mode="overlap")) == {}
    assert nonzero(counts([attack("p1", 0, 4)], [attack()], mode="exact")) == {"trigger": {"boundary": 1}}


# --- arguments ---------------------------------------------------------------------------------


def test_arguments_of_a_missed_event_are_event_missed():
    assert nonzero(counts([], [attack(args=TWO_ARGS)])) == {"trigger": {"missed": 1}, "argument": {"event_missed": 2}}


def test_arguments_of_a_spurious_event_are_event_spurious():
    assert nonzero(counts([attack("p1", args=TWO_ARGS)], [])) == {"trigger": {"spurious": 1}, "argument": {"event_spurious": 2}}


def test_arguments_of_a_mistyped_event_are_lost_with_it():
    found = nonzero(counts([attack("p1", type=MEET, args=TWO_ARGS)], [attack(args=TWO_ARGS)]))
    assert found == {"trigger": {"type": 1}, "argument": {"event_missed": 2, "event_spurious": 2}}


def test_missed_argument_inside_a_found_event():
    assert nonzero(counts([attack("p1", args=TWO_ARGS[:1])], [attack(args=TWO_ARGS)])) == {"argument": {"missed": 1}}


def test_spurious_argument_inside_a_found_event():
    pred = attack("p1", args=(*TWO_ARGS, arg("Place", 30, 35)))
    assert nonzero(counts([pred], [attack(args=TWO_ARGS)])) == {"argument": {"spurious": 1}}


def test_argument_boundary():
    pred = attack("p1", args=(TWO_ARGS[0], arg("Target", 20, 23)))
    assert nonzero(counts([pred], [attack(args=TWO_ARGS)])) == {"argument": {"boundary": 1}}


def test_argument_role():
    pred = attack("p1", args=(TWO_ARGS[0], arg("Attacker", 20, 25)))
    assert nonzero(counts([pred], [attack(args=TWO_ARGS)])) == {"argument": {"role": 1}}


def test_argument_of_another_event_is_wrong_event():
    ref = [attack(args=TWO_ARGS[:1]), attack("r2", 40, 45, type=MEET, args=(arg("Participant", 50, 55),))]
    pred = [attack("p1", args=(TWO_ARGS[0], arg("Attacker", 50, 55))), attack("p2", 40, 45, type=MEET, args=(arg("Participant", 50, 55),))]
    assert nonzero(counts(pred, ref)) == {"argument": {"wrong_event": 1}}


def test_other_mention_of_the_right_entity():
    entities = (Entity("e1", "PER", (Span(10, 15, "a"), Span(60, 65, "a"))),)
    pred = attack("p1", args=(arg("Attacker", 60, 65), TWO_ARGS[1]))
    assert nonzero(counts([pred], [attack(args=TWO_ARGS)], entities=entities)) == {"argument": {"other_mention": 1}}
    # Right under entity-aware matching: no argument error at all.
    assert nonzero(counts([pred], [attack(args=TWO_ARGS)], entities=entities, arg_match="entity")) == {}


# --- coreference -------------------------------------------------------------------------------


def clustered(id: str, start: int, cluster: str | None) -> EventMention:
    return EventMention(DOC, id, ATTACK, Span(start, start + 3, "t"), "actual", (), cluster)


def test_split_cluster():
    ref = [clustered("r1", 0, "x"), clustered("r2", 10, "x"), clustered("r3", 20, "x")]
    pred = [clustered("p1", 0, "1"), clustered("p2", 10, "1"), clustered("p3", 20, "2")]
    assert nonzero(counts(pred, ref)) == {"coref": {"split": 1}}


def test_merged_clusters():
    ref = [clustered("r1", 0, "x"), clustered("r2", 10, "y")]
    assert nonzero(counts([clustered("p1", 0, "1"), clustered("p2", 10, "1")], ref)) == {"coref": {"merged": 1}}


def test_extra_mention_in_a_predicted_cluster():
    pred = [clustered("p1", 0, "1"), clustered("p2", 30, "1")]
    assert nonzero(counts(pred, [clustered("r1", 0, "x")])) == {"trigger": {"spurious": 1}, "coref": {"extra": 1}}


def test_missing_mention_of_a_reference_cluster():
    ref = [clustered("r1", 0, "x"), clustered("r2", 10, "x")]
    assert nonzero(counts([clustered("p1", 0, "1")], ref)) == {"trigger": {"missed": 1}, "coref": {"missing": 1}}


def test_twinless_singletons_are_not_coreference_errors():
    assert nonzero(counts([clustered("p1", 0, None)], [clustered("r1", 30, None)])) == {"trigger": {"missed": 1, "spurious": 1}}


# --- edge cases --------------------------------------------------------------------------------


def test_empty_gold_and_empty_prediction():
    zeros = counts([], [])
    assert zeros == {family: dict.fromkeys(categories, 0) for family, categories in CATEGORIES.items()}
    assert list(zeros["trigger"]) == list(CATEGORIES["trigger"])  # every category present, zeros too


def test_empty_prediction_misses_everything():
    ref = [attack(args=TWO_ARGS), attack("r2", 30, 35, type=MEET)]
    assert nonzero(counts([], ref)) == {"trigger": {"missed": 2}, "argument": {"event_missed": 2}}


def test_counts_add_over_documents():
    ref1, ref2 = DocumentAnnotation("a", (attack(doc_id="a"),)), DocumentAnnotation("b", (attack(doc_id="b", args=TWO_ARGS),))
    pred1, pred2 = DocumentAnnotation("a"), DocumentAnnotation("b", (attack("p", doc_id="b", type=MEET),))
    matcher = make_matcher("exact")
    total = error_counts(score_document(pred1, ref1, matcher), pred1, ref1, matcher) + error_counts(score_document(pred2, ref2, matcher), pred2, ref2, matcher)
    assert errors_table(total, "span")["trigger"]["missed"] == 1 and errors_table(total, "span")["trigger"]["type"] == 1
    assert errors_table(total, "span", "doc", "b")["argument"]["event_missed"] == 2
    assert errors_table(total, "span", "type", ATTACK)["trigger"] == {**dict.fromkeys(CATEGORIES["trigger"], 0), "missed": 1, "type": 1}


# --- the identity: every fp and fn explained by exactly one category ---------------------------

ROLES = {ATTACK: ("Attacker", "Target"), MEET: ("Participant", "Place")}
WORDS = ("زيارة", "الزيارة", "لقاء", "ووصل", "لافروف")


@st.composite
def spans(draw) -> Span:
    start = draw(st.integers(0, 20))
    return Span(start, start + draw(st.integers(1, 4)), draw(st.sampled_from(WORDS)))


@st.composite
def documents(draw, side: str) -> DocumentAnnotation:
    found = []
    for i in range(draw(st.integers(0, 5))):
        type_ = draw(st.sampled_from(sorted(ROLES)))
        arguments = draw(st.lists(st.builds(Argument, st.sampled_from(ROLES[type_]), spans(), st.sampled_from([None, "e1", "e2"])), max_size=3))
        found.append(EventMention(DOC, f"{side}{i}", type_, draw(spans()), draw(st.sampled_from(("actual", "other", None))), tuple(arguments),
                                  draw(st.sampled_from((None, "c1", "c2")))))
    entities = (Entity("e1", "PER", (draw(spans()), draw(spans()))), Entity("e2", "GPE", (draw(spans()),)))
    return DocumentAnnotation(DOC, tuple(found), entities if side == "r" else ())


@pytest.mark.parametrize("mode", OFFLINE_MATCH_MODES)
@settings(database=None, max_examples=60, deadline=None)
@given(documents("p"), documents("r"))
def test_every_error_is_explained_by_exactly_one_category(mode, pred, ref):
    matcher = make_matcher(mode)
    outcomes = score_document(pred, ref, matcher)
    found = document_errors(outcomes, pred, ref, matcher)
    for key, metric in (("trigger", "tri_c"), ("span", "arg_c+"), ("entity", "arg_c+_entity")):
        records = Counter((o.kind, o.pred if o.kind == "fp" else o.ref) for o in outcomes if o.metric == metric and o.kind != "tp")
        explained: Counter = Counter()
        for e in found[key]:
            if e.category in BESIDE:
                continue
            sides = [("fp", e.pred)] * (e.pred is not None) + [("fn", e.ref)] * (e.ref is not None)
            assert len(sides) == (2 if e.category in PAIRED else 1), e
            explained.update(sides)
        assert explained == records, (key, found[key])
    table = errors_table(error_counts(outcomes, pred, ref, matcher), "span")
    tri_c = Counter(o.kind for o in outcomes if o.metric == "tri_c")
    t = table["trigger"]
    assert tri_c["fp"] == t["spurious"] + t["duplicate"] + t["boundary"] + t["type"] + t["boundary+type"]
    assert tri_c["fn"] == t["missed"] + t["boundary"] + t["type"] + t["boundary+type"]
    arg_c = Counter(o.kind for o in outcomes if o.metric == "arg_c+")
    a = table["argument"]
    assert arg_c["fp"] == a["spurious"] + a["wrong_event"] + a["event_spurious"] + a["boundary"] + a["role"] + a["other_mention"]
    assert arg_c["fn"] == a["missed"] + a["event_missed"] + a["boundary"] + a["role"] + a["other_mention"]


# --- CLI ---------------------------------------------------------------------------------------



@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The synthetic corpus of tests/test_score_cli.py (d1: arrival and meeting; d2: announcement)."""
    root = make_corpus(tmp_path, {"d1": cli.D1, "d2": cli.D2}, chrome={"d2": cli.CHROME_D2})
    for doc in cli.gold_documents():
        write_json(root / "annotations" / f"{doc['doc_id']}.json", doc)
    return root


def mistyped_submission(tmp_path):
    """The meeting (1 trigger, 3 arguments) missed; the announcement typed as a meeting (role Participant)."""
    docs = cli.gold_documents()
    docs[0]["events"] = docs[0]["events"][:1]
    docs[1]["events"][0]["type"] = cli.MEET
    docs[1]["events"][0]["arguments"][0]["role"] = "Participant"
    return write_json(tmp_path / "pred.json", cli.submission(docs))


def test_errors_in_the_json_by_hand(tmp_path, corpus, capsys):
    result = cli.score_json(capsys, mistyped_submission(tmp_path), "--gold", corpus, "--by", "doc")
    assert list(result["errors"]) == ["trigger", "argument", "coref"]
    assert nonzero(result["errors"]) == {"trigger": {"missed": 1, "type": 1}, "argument": {"event_missed": 4, "event_spurious": 1}}
    assert set(result["errors_by"]) == {"type", "doc"}
    assert result["errors_by"]["doc"]["d1"]["argument"]["event_missed"] == 3
    assert result["errors_by"]["doc"]["d2"]["trigger"]["type"] == 1
    assert set(result["errors_by"]["type"]["Contact.Broadcast"]) == {"trigger", "argument"}


def test_errors_of_a_perfect_submission_are_zero_under_every_mode(tmp_path, corpus, capsys):
    pred = write_json(tmp_path / "pred.json", cli.submission(cli.gold_documents()))
    result = cli.score_json(capsys, pred, "--gold", corpus, "--match", "exact,overlap,arabic,text,relaxed")
    for mode, found in result["results"].items():
        assert found["errors"] == {family: dict.fromkeys(categories, 0) for family, categories in CATEGORIES.items()}, mode


def test_errors_flag_prints_the_table_and_breakdowns(tmp_path, corpus, capsys):
    code, out, _ = cli.run_score(capsys, mistyped_submission(tmp_path), "--gold", corpus, "--errors", "--by", "type", "--by", "doc")
    assert code == 0
    assert "error categories: trigger categories explain every tri_c error (fp 1, fn 2)" in out
    rows = {tuple(line.split()[:3]) for line in out.splitlines()}
    assert ("trigger", "type", "1") in rows and ("argument", "event_missed", "4") in rows and ("coref", "split", "0") in rows
    assert "trigger errors by type" in out and "argument errors by doc" in out and "coref errors by doc" in out
    assert "coref errors by type" not in out
    code, plain, _ = cli.run_score(capsys, mistyped_submission(tmp_path), "--gold", corpus)
    assert "error categories" not in plain


def test_explain_rows_carry_their_category(tmp_path, corpus, capsys):
    result = cli.score_json(capsys, mistyped_submission(tmp_path), "--gold", corpus, "--explain")
    by_row = {(e["metric"], e["kind"], e["doc_id"], e["text"]): e["category"] for e in result["explain"]}
    assert by_row["tri_c", "fn", "d1", "والتقى"] == "missed"
    assert by_row["tri_c", "fp", "d2", "وأعلنت"] == by_row["tri_c", "fn", "d2", "وأعلنت"] == "type"
    assert by_row["arg_c", "fn", "d1", "تشوي سون هوي"] == "event_missed"
    assert by_row["arg_c", "fp", "d2", "الوزارة"] == "event_spurious"
    assert json.dumps(result["explain"])  # every category is plain JSON
