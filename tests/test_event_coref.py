"""Event coreference (``scorers.event_coref``): named scenarios with hand-computed values, properties, CLI.

Every scenario states its partitions and works the numbers out in comments (R, P, F1 in that
order, as the coreference literature prints them). Mentions are built with `m(id, start,
cluster)`: a 4-character trigger at `start` in document d1, so equal starts align in exact mode.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.cli import main
from benchmark.coref_results import coref_metrics, coref_notes
from scorers.event_coref import MEASURES, SCOPES, partitions, score_event_coref
from scorers.matching import OFFLINE_MATCH_MODES, make_matcher
from scorers.model import Annotation, Argument, DocumentAnnotation, EventMention, Span
from scorers.registry import ALL_METRIC_NAMES, EVENT_COREF_METRICS, METRIC_NAMES, get_metric

from conftest import ann, make_corpus, span_json, write_json

VISIT, MEET = "Movement.Transport-Person", "Contact.Meet"


def m(id: str, start: int, cluster: str | None = None, *, doc: str = "d1", type: str = VISIT, length: int = 4) -> EventMention:
    return EventMention(doc, id, type, Span(start, start + length, f"w{start}"), "actual", (), cluster)


def scored(pred: list[EventMention], ref: list[EventMention], mode: str = "exact", *, docs=("d1",), typed: bool = False):
    return score_event_coref(ann(*pred, docs=docs), ann(*ref, docs=docs), make_matcher(mode), typed=typed)


def values(result, scope: str) -> dict:
    """{measure: (R, P, F1)}, and the CoNLL float, of one scope."""
    out = {}
    for measure in MEASURES:
        v = result.scope(scope)[measure]
        out[measure] = v if measure == "conll" else (v.recall, v.precision, v.f1)
    return out


def approx(expected: dict) -> dict:
    return {k: pytest.approx(v, abs=1e-12) for k, v in expected.items()}


PERFECT = {**{name: (1.0, 1.0, 1.0) for name in MEASURES if name != "conll"}, "conll": 1.0}
NOTHING = {**{name: (0.0, 0.0, 0.0) for name in MEASURES if name != "conll"}, "conll": 0.0}


# --- named scenarios ------------------------------------------------------------------------------


def test_all_singletons_scored_against_all_singletons():
    # Key {r1} {r2} {r3}, response the same. MUC has no key links: 0/0 -> 0 (reference rule,
    # TC-N-1). B3, CEAF-m, CEAF-e, LEA (self links) are 1. BLANC: the key has only
    # non-coreference links, so BLANC is the non-coreference score: 3/3 -> 1. CoNLL = 2/3.
    ref = [m("r1", 0, "A"), m("r2", 10, "B"), m("r3", 20, "C")]
    pred = [m("p1", 0, "x"), m("p2", 10, "y"), m("p3", 20, "z")]
    expected = {**PERFECT, "muc": (0.0, 0.0, 0.0), "conll": 2 / 3}
    result = scored(pred, ref)
    for scope in SCOPES:
        assert values(result, scope) == approx(expected), scope


def test_one_big_cluster_against_all_singletons():
    # Key {r1 r2 r3 r4} (one event); response {r1} {r2} {r3} {r4} (four).
    # MUC: 3 key links, none kept; 0 response links -> R 0/3, P 0/0: 0.
    # B3: R = 4 x (1/4) / 4 = 1/4, P = 4 x 1 / 4 = 1, F = 2/5.
    # CEAF-e: best phi4 = 2*1/(4+1) = 2/5; R = (2/5)/1, P = (2/5)/4 = 1/10, F = 0.16.
    # CEAF-m: 1 shared mention; R = P = F = 1/4.
    # BLANC: the key has coreference links only (6), none found: 0.
    # LEA: R: 0 of the 6 links; P: no response singleton is a singleton in the key: 0.
    # CoNLL = (0 + 2/5 + 0.16) / 3.
    ref = [m(f"r{i}", 10 * i, "A") for i in range(4)]
    pred = [m(f"p{i}", 10 * i, f"s{i}") for i in range(4)]
    expected = {"muc": (0, 0, 0), "b3": (1 / 4, 1, 2 / 5), "ceaf_e": (2 / 5, 1 / 10, 0.16), "ceaf_m": (1 / 4, 1 / 4, 1 / 4),
                "blanc": (0, 0, 0), "lea": (0, 0, 0), "conll": (2 / 5 + 0.16) / 3}
    assert values(scored(pred, ref), "within") == approx(expected)
    # The other way round (one predicted cluster over four key singletons) swaps R and P.
    swapped = {k: v if k == "conll" else (v[1], v[0], v[2]) for k, v in expected.items()}
    assert values(scored([replace(e, cluster="A") for e in pred], [replace(e, cluster=f"s{i}") for i, e in enumerate(ref)]), "within") == approx(swapped)
    # And one big cluster predicted for one big cluster is perfect.
    assert values(scored([replace(e, cluster="one") for e in pred], ref), "cross") == approx(PERFECT)


def test_empty_prediction_scores_zero_everywhere():
    # Key {r1 r2} {r3}; response empty. Every recall has a key denominator and a 0 numerator;
    # every precision is 0/0 -> 0 (scorers.coref zero-division rule).
    ref = [m("r1", 0, "A"), m("r2", 10, "A"), m("r3", 20, "B")]
    result = scored([], ref)
    for scope in SCOPES:
        assert values(result, scope) == approx(NOTHING)
    assert result.within["b3"].recall_den == 3 and result.within["b3"].precision_den == 0


def test_empty_reference_scores_zero_everywhere():
    # Response {p1 p2}; key empty: precision x/y with x = 0, recall 0/0 -> 0.
    result = scored([m("p1", 0, "x"), m("p2", 10, "x")], [])
    for scope in SCOPES:
        assert values(result, scope) == approx(NOTHING)
    assert result.cross["muc"].precision_den == 1
    # Nothing on either side: still 0, never 1 (no zero-division surprise).
    assert values(scored([], []), "cross") == approx(NOTHING)


def test_cluster_ids_reused_across_documents_link_only_in_the_cross_scope():
    # Reference: d1 a1 a2 "visit", a3 "talks"; d2 b1 "visit" (the same visit).
    ref = [m("a1", 0, "visit"), m("a2", 10, "visit"), m("a3", 20, "talks"), m("b1", 0, "visit", doc="d2")]
    # A system that reuses its id "v" in both documents says the same; one that names its
    # clusters per document ("v1", "v2") does not link d1 and d2.
    reused = [m("p1", 0, "v"), m("p2", 10, "v"), m("p3", 20, "t"), m("q1", 0, "v", doc="d2")]
    per_doc = [replace(e, cluster={"v": f"v{e.doc_id[-1]}"}.get(e.cluster, e.cluster)) for e in reused]
    docs = ("d1", "d2")

    # within: each document alone; the two systems build the same per-document partitions
    # (d1 {a1 a2} {a3}; d2 {b1}) and both are perfect.
    assert values(scored(reused, ref, docs=docs), "within") == approx(PERFECT)
    assert values(scored(per_doc, ref, docs=docs), "within") == approx(PERFECT)
    within = partitions(ann(*reused, docs=docs), ann(*ref, docs=docs), make_matcher("exact"), "within")
    assert within["d2"].key == (frozenset({("ref", "d2", "b1")}),)

    # cross: key {a1 a2 b1} {a3}. The reused ids give the same partition: perfect.
    assert values(scored(reused, ref, docs=docs), "cross") == approx(PERFECT)
    # Per-document ids give {a1 a2} {a3} {b1}:
    # MUC: key links 2 + 0, response links 1, kept 1 -> R 1/2, P 1/1, F 2/3.
    # B3: R = (2*2/3 + 1/3 + 1) / 4 = 2/3, P = (2 + 1 + 1) / 4 = 1, F = 4/5.
    # CEAF-e: {a1 a2 b1}~{a1 a2} phi4 4/5, {a3}~{a3} 1: 9/5; R = (9/5)/2, P = (9/5)/3, F = 0.72.
    # CEAF-m: 2 + 1 shared mentions; R = P = F = 3/4.
    # BLANC: key coref links 3, noncoref 3; response coref 1, noncoref 5. Correct coref 1;
    # correct noncoref: (a1,a3) (a2,a3) (a3,b1) = 3. R = (1/3 + 3/3)/2 = 2/3,
    # P = (1/1 + 3/5)/2 = 4/5, F = mean(F coref 1/2, F noncoref 3/4) = 5/8.
    # LEA: R = (3 x 1/3 + 1 x 1) / 4 = 1/2; P = (2 x 1 + 1 + 0) / 4 = 3/4, F = 3/5.
    expected = {"muc": (1 / 2, 1, 2 / 3), "b3": (2 / 3, 1, 4 / 5), "ceaf_e": (9 / 10, 3 / 5, 0.72), "ceaf_m": (3 / 4, 3 / 4, 3 / 4),
                "blanc": (2 / 3, 4 / 5, 5 / 8), "lea": (1 / 2, 3 / 4, 3 / 5), "conll": (2 / 3 + 4 / 5 + 0.72) / 3}
    assert values(scored(per_doc, ref, docs=docs), "cross") == approx(expected)


def test_the_same_id_string_in_prediction_and_reference_means_nothing():
    # Key {r1 r2} {r3} with ids "A", "B". Ids are never compared across the two sides.
    ref = [m("r1", 0, "A"), m("r2", 10, "A"), m("r3", 20, "B")]

    def clusters(*ids: str) -> list[EventMention]:
        return [m(f"p{i}", 10 * i, c) for i, c in enumerate(ids)]

    # The right structure under the "wrong" names is perfect ...
    assert values(scored(clusters("B", "B", "A"), ref), "within") == approx(PERFECT)
    # ... and the wrong structure {r1 r3} {r2} earns nothing from reusing the key's names.
    wrong = scored(clusters("A", "B", "A"), ref)
    assert wrong == scored(clusters("p", "q", "p"), ref)
    # MUC: one link each side, none shared: 0. B3: R = (1/2 + 1/2 + 1)/3 = 2/3, P = 2/3.
    # CEAF-e: {r1 r2}~{r2} 2/3 + {r3}~{r1 r3} 2/3 = 4/3 over 2 entities each side: 2/3.
    # CoNLL = (0 + 2/3 + 2/3) / 3 = 4/9.
    assert values(wrong, "within")["muc"] == (0.0, 0.0, 0.0)
    assert values(wrong, "within")["b3"] == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert values(wrong, "within")["ceaf_e"] == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert wrong.within["conll"] == pytest.approx(4 / 9)


def test_prediction_missing_one_mention_leaves_a_twinless_key_mention():
    # Key {r1 r2 r3}; response {r1 r2}: r3 is twinless and stays in the key.
    # MUC: R 1/2, P 1/1, F 2/3. B3: R = (4/3)/3 = 4/9, P = 2/2 = 1, F = 8/13.
    # CEAF-e: phi4 = 4/5 over 1 entity each side. CEAF-m: R 2/3, P 1, F 4/5.
    # BLANC: key has coreference links only (3), 1 found: R 1/3, P 1/1, F 1/2.
    # LEA: R = 3 x (1/3) / 3 = 1/3, P = 2 x 1 / 2 = 1, F 1/2.
    ref = [m("r1", 0, "A"), m("r2", 10, "A"), m("r3", 20, "A")]
    pred = [m("p1", 0, "x"), m("p2", 10, "x")]
    expected = {"muc": (1 / 2, 1, 2 / 3), "b3": (4 / 9, 1, 8 / 13), "ceaf_e": (4 / 5, 4 / 5, 4 / 5), "ceaf_m": (2 / 3, 1, 4 / 5),
                "blanc": (1 / 3, 1, 1 / 2), "lea": (1 / 3, 1, 1 / 2), "conll": (2 / 3 + 8 / 13 + 4 / 5) / 3}
    result = scored(pred, ref)
    assert values(result, "within") == approx(expected)
    assert result.within["b3"].recall_den == 3  # r3 counted, not removed


def test_misaligned_trigger_is_twinless_on_both_sides():
    # Key {r1 r2}. The system finds r1 and puts "ab" [10,13) for r2's "abcd" [10,14) into the same
    # cluster. Exact mode: no alignment, so response {r1 p2}: p2 twinless, r2 twinless.
    # MUC: no kept link: 0. B3: R = P = (1/2)/2 = 1/4. CEAF-e: phi4 = 2/4 = 1/2; CEAF-m: 1/2.
    # BLANC (coreference links only): the one link is missed: 0. LEA: 0. CoNLL = (0 + 1/4 + 1/2)/3.
    ref = [m("r1", 0, "A"), m("r2", 10, "A")]
    pred = [m("p1", 0, "x"), m("p2", 10, "x", length=3)]
    expected = {"muc": (0, 0, 0), "b3": (1 / 4, 1 / 4, 1 / 4), "ceaf_e": (1 / 2, 1 / 2, 1 / 2), "ceaf_m": (1 / 2, 1 / 2, 1 / 2),
                "blanc": (0, 0, 0), "lea": (0, 0, 0), "conll": 1 / 4}
    assert values(scored(pred, ref, "exact"), "within") == approx(expected)
    key = partitions(ann(*pred), ann(*ref), make_matcher("exact"), "within")["d1"]
    assert key.response == (frozenset({("pred", "d1", "p2"), ("ref", "d1", "r1")}),)
    # Overlap mode: Dice 2*3/(3+4) = 6/7 >= 0.5, the mentions align and coreference is perfect.
    assert values(scored(pred, ref, "overlap"), "within") == approx(PERFECT)


def test_alignment_is_by_span_only_type_is_ignored():
    # A mistyped mention is still the same mention for coreference (tri_c counts the type error).
    ref = [m("r1", 0, "A"), m("r2", 10, "A")]
    pred = [m("p1", 0, "x", type=MEET), m("p2", 10, "x")]
    assert values(scored(pred, ref), "within") == approx(PERFECT)
    # typed=True (the KBP scorer's rule) makes p1 and r1 twinless: MUC 0, as in the scenario above.
    assert scored(pred, ref, typed=True).within["muc"].f1 == 0.0


def test_double_tagged_trigger_aligns_each_prediction_with_its_own_type():
    # One trigger, two reference events (وقدمت: troops and arms), in different clusters. A system
    # predicting both, without arguments, is paired type to type (the alignment's tie-break), so
    # its partition is the key's.
    ref = [m("r1", 0, "troops", type=VISIT), m("r2", 0, "arms", type=MEET), m("r3", 10, "arms", type=MEET)]
    pred = [m("p1", 0, "x", type=MEET), m("p2", 0, "y", type=VISIT), m("p3", 10, "x", type=MEET)]
    assert values(scored(pred, ref), "within") == approx(PERFECT)


def test_a_duplicate_without_arguments_does_not_take_the_mention_and_its_cluster():
    # Key: r1 (Person = [20,26)) and r2, one cluster A. The system predicts r1's event twice:
    # p1 with the argument (realis wrong) in cluster x with p3 (= r2), and p2 without arguments
    # (realis right) alone in cluster y. The alignment pairs p1 with r1 (one argument match beats
    # realis), so response x = {r1, r2}, y = {p2} (twinless):
    #   MUC R = (2 - 1) / 1 = 1, P = (2 - 1) / 1 (y has no links) = 1, F1 1.
    #   B3 R = (2/2 + 2/2) / 2 = 1; P = (2/2 + 2/2 + 0) / 3 = 2/3 (p2 is in no key cluster); F1 0.8.
    # Before the fix p2 took r1 (realis was compared before arguments), so x = {p1, r2}, y = {r1}:
    #   MUC R = (2 - 2) / 1 = 0, P = 0 -> F1 0; B3 R = (1/2 + 1/2) / 2 = 0.5, P = (0 + 1/2 + 1) / 3 = 0.5.
    person = Argument("Person", Span(20, 26, "لافروف"))
    ref = [replace(m("r1", 0, "A"), arguments=(person,)), m("r2", 10, "A")]
    pred = [replace(m("p1", 0, "x"), realis="other", arguments=(person,)), m("p2", 0, "y"), m("p3", 10, "x")]
    for order in (pred, pred[::-1]):
        found = values(scored(order, ref), "within")
        assert found["muc"] == pytest.approx((1.0, 1.0, 1.0))
        assert found["b3"] == pytest.approx((1.0, 2 / 3, 0.8))
    assert values(scored(pred, ref), "cross") == values(scored(pred, ref), "within")


def test_submission_without_clusters_is_all_singletons_and_says_so():
    ref = [m("r1", 0, "A"), m("r2", 10, "A"), m("r3", 20, "B")]
    bare = [m("p1", 0), m("p2", 10), m("p3", 20)]
    singletons = [m("p1", 0, "s1"), m("p2", 10, "s2"), m("p3", 20, "s3")]
    result = scored(bare, ref)
    assert result == replace(scored(singletons, ref), pred_without_cluster=3)
    # Key {r1 r2} {r3}, response singletons: MUC R 0/1, P 0/0: 0; B3 R = (1/2+1/2+1)/3 = 2/3, P 1.
    assert values(result, "within")["muc"] == (0.0, 0.0, 0.0)
    assert values(result, "within")["b3"] == pytest.approx((2 / 3, 1.0, 0.8))
    assert coref_notes(result) == ["the submission has no `cluster` field: each of its 3 event mentions is scored as its own event (a singleton)"]
    # One mention without a cluster among clustered ones is a singleton of its own.
    partial = scored([m("p1", 0, "x"), m("p2", 10, "x"), m("p3", 20)], ref)
    assert values(partial, "within") == approx(PERFECT)
    assert coref_notes(partial) == ["1 of 3 submission event mentions have no `cluster`: each is scored as its own event (a singleton)"]
    assert coref_notes(scored(singletons, ref)) == []


def test_reference_without_clusters_is_noted():
    result = scored([m("p1", 0, "x")], [m("r1", 0), m("r2", 10)])
    assert coref_notes(result) == ["the reference has no `cluster` field: each of its 2 event mentions is scored as its own event "
                                   "(a singleton); MUC is 0 (a key of singletons has no links)"]


def test_documents_are_the_references():
    # A predicted document the reference lacks is not scored; a reference document the
    # prediction lacks is scored against nothing.
    ref = ann(m("r1", 0, "A"), m("r2", 10, "A"), docs=("d1", "d2"))
    pred = ann(m("p1", 0, "x"), m("p2", 10, "x"), m("q1", 0, "y", doc="d9"), m("q2", 10, "y", doc="d9"))
    result = score_event_coref(pred, ref, make_matcher("exact"))
    assert values(result, "cross") == approx(PERFECT) and result.pred_mentions == 2


def test_json_entries_and_registry():
    ref = [m("r1", 0, "A"), m("r2", 10, "A"), m("r3", 20, "B")]
    out = coref_metrics(scored([m("p1", 0, "x"), m("p2", 10, "x"), m("p3", 20, "x")], ref))
    assert list(out) == [spec.name for spec in EVENT_COREF_METRICS]
    assert list(out) == [f"coref_{scope}.{measure}" for scope in SCOPES for measure in MEASURES]
    assert list(out["coref_within.muc"]) == ["precision", "recall", "f1"]
    conll = out["coref_within.conll"]
    assert list(conll) == ["f1", "muc_f1", "b3_f1", "ceaf_e_f1"]
    assert conll["f1"] == pytest.approx((conll["muc_f1"] + conll["b3_f1"] + conll["ceaf_e_f1"]) / 3)
    assert all(0.0 <= v <= 1.0 for entry in out.values() for v in entry.values())
    for spec in EVENT_COREF_METRICS:
        assert get_metric(spec.name) is spec and spec.family == "coref" and spec.higher_is_better and spec.description
    assert ALL_METRIC_NAMES == METRIC_NAMES + tuple(out)


def test_real_gold_against_itself_is_perfect_within_and_across_documents():
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import load_gold

    gold = load_gold(load_corpus())
    result = score_event_coref(gold, gold, make_matcher("exact"))
    for scope in SCOPES:
        assert values(result, scope) == PERFECT, scope
    # Real clusters in every document, so MUC is defined within documents too.
    assert all(len(p.key) < sum(map(len, p.key)) for p in partitions(gold, gold, make_matcher("exact"), "within").values())


# --- properties over every coreference metric --------------------------------------------------------

WORDS = ("زيارة", "الزيارة", "لقاء", "وصل")
CLUSTERS = (None, "c1", "c2", "c3")


@st.composite
def annotations(draw, unique_spans: bool = False) -> Annotation:
    documents = {}
    for doc_id in ("a", "b"):
        n = draw(st.integers(0, 5))
        starts = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n, unique=unique_spans))
        found = tuple(
            EventMention(doc_id, f"{doc_id}{i}", draw(st.sampled_from((VISIT, MEET))),
                         Span(s, s + draw(st.integers(1, 3)), draw(st.sampled_from(WORDS))),
                         draw(st.sampled_from(("actual", "other"))), (), draw(st.sampled_from(CLUSTERS)))
            for i, s in enumerate(starts)
        )
        documents[doc_id] = DocumentAnnotation(doc_id, found)
    return Annotation(documents)


def shuffled(annotation: Annotation, rnd) -> Annotation:
    docs = rnd.sample(sorted(annotation.documents), len(annotation.documents))
    return Annotation({d: DocumentAnnotation(d, tuple(rnd.sample(annotation.documents[d].events, len(annotation.documents[d].events)))) for d in docs})


FAST = settings(database=None, max_examples=40, deadline=None)
modes = pytest.mark.parametrize("mode", OFFLINE_MATCH_MODES)


@modes
@FAST
@given(annotations(), annotations(), st.randoms(use_true_random=False))
def test_input_order_never_changes_any_number(mode, pred, ref, rnd):
    matcher = make_matcher(mode)
    assert score_event_coref(shuffled(pred, rnd), shuffled(ref, rnd), matcher) == score_event_coref(pred, ref, matcher)


def _self_score(spec, ref: Annotation) -> float:
    """What the reference scorer's definitions give a partition scored against itself."""
    units = partitions(ref, ref, make_matcher("exact"), spec.scope).values()
    mentions = sum(len(c) for u in units for c in u.key)
    links = any(sum(map(len, u.key)) >= 2 for u in units)  # BLANC needs a link of some kind
    coref_links = any(len(c) >= 2 for u in units for c in u.key)  # MUC needs a coreference link
    if spec.measure == "muc":
        return float(coref_links)
    if spec.measure == "blanc":
        return float(links)
    if spec.measure == "conll":
        return (float(coref_links) + 2.0) / 3 if mentions else 0.0
    return float(mentions > 0)


@pytest.mark.parametrize("mode", ["exact", "overlap", "arabic"])
@FAST
@given(annotations(unique_spans=True))
def test_reference_against_itself_scores_what_the_reference_scorer_defines(mode, ref):
    result = coref_metrics(score_event_coref(ref, ref, make_matcher(mode)))
    for spec in EVENT_COREF_METRICS:
        assert result[spec.name]["f1"] == pytest.approx(_self_score(spec, ref)), spec.name


@FAST
@given(annotations(unique_spans=True), annotations(unique_spans=True), st.sampled_from(("a", "b")))
def test_adding_a_wrong_prediction_never_raises_precision_or_changes_recall(pred, ref, doc_id):
    # Exact mode with distinct spans on each side, so no alignment has ties. With ties (several
    # indistinguishable mentions, e.g. the same word in text mode) which of them is paired with
    # which is decided by the solver and can change when an unrelated row is added; see the
    # "Ties" paragraph of scorers.event_coref.
    matcher = make_matcher("exact")
    wrong = EventMention(doc_id, "wrong", VISIT, Span(100, 103, "zzz"), "actual", (), "c1")
    doc = pred.documents[doc_id]
    worse = Annotation({**pred.documents, doc_id: replace(doc, events=doc.events + (replace(wrong, cluster=None),))})
    before, after = coref_metrics(score_event_coref(pred, ref, matcher)), coref_metrics(score_event_coref(worse, ref, matcher))
    for spec in EVENT_COREF_METRICS:
        b, a = before[spec.name], after[spec.name]
        if spec.measure == "conll":
            assert a["f1"] <= b["f1"] + 1e-12, spec.name
        else:
            assert a["precision"] <= b["precision"] + 1e-12, spec.name
            assert a["recall"] == pytest.approx(b["recall"]), spec.name


@FAST
@given(annotations(), annotations())
def test_within_scope_is_the_sum_of_documents_scored_alone(pred, ref):
    matcher = make_matcher("exact")
    within = score_event_coref(pred, ref, matcher).within
    alone = [score_event_coref(Annotation({d: pred.documents[d]}), Annotation({d: ref.documents[d]}), matcher).within for d in ref.documents]
    for measure in MEASURES:
        if measure != "conll":
            assert within[measure].to_dict() == pytest.approx(sum(a[measure] for a in alone).to_dict()), measure


@FAST
@given(annotations(), annotations())
def test_cross_equals_within_when_no_cluster_spans_two_documents_except_blanc(pred, ref):
    # Per-document cluster ids: the cross partitions are disjoint unions of the per-document
    # ones, which every metric but BLANC scores additively. BLANC adds the non-coreference
    # links between documents.
    def local(annotation: Annotation) -> Annotation:
        return Annotation({d: replace(doc, events=tuple(replace(e, cluster=e.cluster and f"{d}:{e.cluster}") for e in doc.events))
                           for d, doc in annotation.documents.items()})

    result = score_event_coref(local(pred), local(ref), make_matcher("exact"))
    for measure in MEASURES:
        if measure == "conll":
            assert result.cross[measure] == pytest.approx(result.within[measure])
        elif measure != "blanc":
            w, c = result.within[measure], result.cross[measure]
            assert (c.recall, c.precision, c.f1) == pytest.approx((w.recall, w.precision, w.f1)), measure


# --- through the command line -----------------------------------------------------------------------

TEXT = "ووصل لافروف إلى وونسان. والتقى وزير الخارجية سيرغي لافروف نظيرته تشوي سون هوي في وونسان. وبعد اللقاء غادر."


def test_score_command_reports_the_coref_block_and_the_missing_clusters(tmp_path, capsys):
    root = make_corpus(tmp_path, {"d1": TEXT})
    gold = {"doc_id": "d1", "entities": [], "events": [
        {"id": "e1", "type": MEET, "realis": "actual", "trigger": span_json(TEXT, "والتقى"), "arguments": [], "cluster": "talks"},
        {"id": "e2", "type": MEET, "realis": "actual", "trigger": span_json(TEXT, "اللقاء"), "arguments": [], "cluster": "talks"},
        {"id": "e3", "type": VISIT, "realis": "actual", "trigger": span_json(TEXT, "ووصل"), "arguments": [], "cluster": "arrival"},
    ]}
    write_json(root / "annotations" / "d1.json", gold)
    events = [{k: v for k, v in e.items() if k != "cluster"} for e in gold["events"]]
    pred = write_json(tmp_path / "pred.json", {"system": "no-clusters", "documents": [{"doc_id": "d1", "events": events}]})

    assert main(["score", str(pred), "--gold", str(root), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # Key {e1 e2} {e3}, response singletons: MUC 0; B3 R = (1/2 + 1/2 + 1)/3 = 2/3, P = 1.
    assert result["metrics"]["coref_within.muc"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert result["metrics"]["coref_cross.b3"] == pytest.approx({"precision": 1.0, "recall": 2 / 3, "f1": 0.8})
    assert result["coref_notes"] == ["the submission has no `cluster` field: each of its 3 event mentions is scored as its own event (a singleton)"]

    assert main(["score", str(pred), "--gold", str(root)]) == 0
    out = capsys.readouterr().out
    block = out[out.index("event coreference:"):]
    lines = block.splitlines()
    assert lines[2].split() == ["metric", "within", "P", "within", "R", "within", "F1", "cross", "P", "cross", "R", "cross", "F1", "definition"]
    assert [line.split()[0] for line in lines[4:11]] == list(MEASURES)
    assert lines[12] == "note: the submission has no `cluster` field: each of its 3 event mentions is scored as its own event (a singleton)"
