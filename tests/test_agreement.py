"""Cohen's kappa on event types over span-matched triggers, with hand-computed values."""

from __future__ import annotations

import pytest

from scorers.agreement import type_kappa, type_pairs
from scorers.events import Item, Outcome
from scorers.model import EventMention, Span


def pair(ref_type: str, pred_type: str, at: int) -> Outcome:
    ref = EventMention("d", f"r{at}", ref_type, Span(at, at + 3, "abc"))
    pred = EventMention("d", f"p{at}", pred_type, Span(at, at + 3, "abc"))
    return Outcome("tri_i", "tp", "d", at, Item(pred), Item(ref))


def test_kappa_hand_computed():
    # pairs (ref, pred): (A,A) (A,A) (A,B) (B,B): observed 3/4;
    # ref marginals A 3/4, B 1/4; pred marginals A 2/4, B 2/4; expected 3/8 + 1/8 = 1/2;
    # kappa = (0.75 - 0.5) / (1 - 0.5) = 0.5
    outcomes = [pair("A", "A", 0), pair("A", "A", 10), pair("A", "B", 20), pair("B", "B", 30)]
    result = type_kappa(outcomes)
    assert result.pairs == 4
    assert result.observed_agreement == pytest.approx(0.75)
    assert result.kappa == pytest.approx(0.5)


def test_perfect_agreement_is_one_and_order_does_not_matter():
    outcomes = [pair("A", "A", 0), pair("B", "B", 10), pair("C", "C", 20)]
    assert type_kappa(outcomes).kappa == pytest.approx(1.0)
    assert type_kappa(list(reversed(outcomes))) == type_kappa(outcomes)


def test_undefined_without_pairs_or_with_one_type():
    assert type_kappa([]).kappa is None
    assert type_kappa([pair("A", "A", 0), pair("A", "A", 5)]).kappa is None


def test_only_tri_i_true_positives_count():
    fp = Outcome("tri_i", "fp", "d", 0, Item(EventMention("d", "p", "A", Span(0, 1, "a"))), None)
    base = pair("A", "B", 3)
    other_metric = Outcome("tri_c", "tp", base.doc_id, base.anchor, base.pred, base.ref)
    assert type_pairs([fp, other_metric, pair("A", "B", 7)]) == [("A", "B")]


@pytest.mark.parametrize("name", ["second-annotation.json", "first-annotation-before-adjudication.json"])
def test_agreement_files_validate(name):
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import check_submission

    corpus = load_corpus()
    annotation, problems = check_submission(corpus.root / "agreement" / name, corpus)
    assert annotation is not None, [p.format() for p in problems]
    assert len(annotation.documents) == len(corpus.documents)
