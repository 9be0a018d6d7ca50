"""Agreement of matching modes with human verdicts: hand-computed counts, kappa, the command and its bad input."""

from __future__ import annotations

import json

import pytest

from scorers.agreement import kappa, verdict_agreement

from conftest import run_cli


def test_verdict_agreement_by_hand():
    # human, mode: 3 both accept, 1 mode accepts a wrong one, 2 mode rejects right ones, 4 both reject.
    pairs = [(True, True)] * 3 + [(False, True)] + [(True, False)] * 2 + [(False, False)] * 4
    a = verdict_agreement(pairs)
    assert (a.tp, a.fp, a.fn, a.tn, a.n) == (3, 1, 2, 4, 10)
    assert a.accuracy == pytest.approx(0.7)
    assert a.precision == pytest.approx(3 / 4)
    assert a.recall == pytest.approx(3 / 5)
    # kappa: p_o = 0.7; p_e = P(h=T)P(m=T) + P(h=F)P(m=F) = 0.5*0.4 + 0.5*0.6 = 0.5; (0.7-0.5)/(1-0.5) = 0.4
    assert a.kappa == pytest.approx(0.4)


def test_verdict_agreement_edge_cases():
    empty = verdict_agreement([])
    assert (empty.n, empty.accuracy, empty.precision, empty.recall, empty.kappa) == (0, 0.0, 0.0, 0.0, None)
    # one label on both sides: kappa undefined, accuracy 1
    same = verdict_agreement([(True, True)] * 3)
    assert same.accuracy == 1.0 and same.kappa is None
    assert kappa(["a", "b"], ["a", "b"]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        kappa([1], [1, 2])


def test_the_order_of_pairs_never_changes_the_agreement():
    pairs = [(True, True), (False, True), (True, False), (False, False), (True, True)]
    assert verdict_agreement(pairs).to_dict() == verdict_agreement(list(reversed(pairs))).to_dict()


PAIR = {"id": "x1", "doc_id": "000_4d407a0bed6a0682", "sentence": "", "event_type": "Movement.Transport-Person",
        "gold_trigger": "زيارة", "kind": "argument", "gold": "سيرغي لافروف", "gold_role": "Person"}


def _write(tmp_path, rows):
    path = tmp_path / "verdicts.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_judge_agreement_command_by_hand(tmp_path, capsys):
    rows = [
        {**PAIR, "id": "a", "predicted": "وزير الخارجية الروسي سيرغي لافروف", "predicted_role": "Person", "verdict": "correct"},
        {**PAIR, "id": "b", "predicted": "سيرغي شويغو", "predicted_role": "Person", "verdict": "incorrect"},
        {**PAIR, "id": "c", "predicted": "سيرغي لافروف", "predicted_role": "Destination", "verdict": "incorrect"},
        {**PAIR, "id": "d", "kind": "trigger", "gold": "زيارة", "gold_role": None, "predicted": "الزيارة", "predicted_role": None,
         "verdict": "correct"},
    ]
    code, out, err = run_cli(capsys, "judge-agreement", "--verdicts", _write(tmp_path, rows), "--match", "exact,relaxed", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    # relaxed: a accepted (title), b rejected (another Sergei), c rejected (wrong role), d accepted -> 4/4
    assert result["modes"]["relaxed"]["all"]["accuracy"] == 1.0
    assert (result["modes"]["relaxed"]["argument"]["tp"], result["modes"]["relaxed"]["argument"]["tn"]) == (1, 2)
    # exact: the generated strings are not the gold's offsets -> nothing accepted; 2 of 4 right (the two rejections)
    assert result["modes"]["exact"]["all"]["accuracy"] == 0.5


def test_judge_agreement_bad_file_is_located(tmp_path, capsys):
    rows = [{**PAIR, "predicted": "x", "predicted_role": "Person", "verdict": "maybe"}]
    code, _, err = run_cli(capsys, "judge-agreement", "--verdicts", _write(tmp_path, rows))
    assert code == 2
    assert "line 1 $.verdict" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, "judge-agreement", "--verdicts", tmp_path / "missing.jsonl")
    assert code == 2 and "no such verdict file" in err


def test_the_bundled_verdict_set_is_complete_and_relaxed_meets_its_target(capsys):
    """The human-verdict set (gold/judgments/): >= 400 argument and >= 100 trigger pairs, two annotators each,
    and relaxed matching agrees with it on at least 90 % of pairs (the issue's target; REGen's pipeline: 87.7 %)."""
    from benchmark.input.corpus import load_corpus
    from benchmark.verdicts import default_verdicts, load_verdicts

    corpus = load_corpus()
    pairs = load_verdicts(default_verdicts(corpus), corpus)
    assert sum(p.kind == "argument" for p in pairs) >= 400 and sum(p.kind == "trigger" for p in pairs) >= 100
    rows = [json.loads(line) for line in default_verdicts(corpus).read_text(encoding="utf-8").splitlines()]
    assert all(set(r["annotators"]) == {"A", "B"} for r in rows)
    assert all(r["adjudicated"] == (r["annotators"]["A"] != r["annotators"]["B"]) for r in rows)
    assert all(r["verdict"] == r["annotators"]["A"] for r in rows if not r["adjudicated"])
    code, out, _ = run_cli(capsys, "judge-agreement", "--match", "relaxed", "--format", "json")
    assert code == 0
    assert json.loads(out)["modes"]["relaxed"]["all"]["accuracy"] >= 0.90
