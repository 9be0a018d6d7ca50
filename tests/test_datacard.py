"""The data card's numbers are the commands' output, not typed by hand."""

from __future__ import annotations

import json

import pytest

from benchmark.commands.agreement import BEFORE_FILE, BEFORE_MARKERS, MARKERS, agreement_result, render_agreement
from benchmark.commands.stats import render_stats
from benchmark.datacard import STATS_MARKERS, card_block, update_card
from benchmark.input.corpus import load_corpus
from benchmark.input.submission import load_gold
from benchmark.statistics import compute_statistics

from conftest import make_corpus, run_cli, write_json


def test_stats_block_is_current():
    corpus = load_corpus()
    card = (corpus.root / "README.md").read_text(encoding="utf-8")
    expected = render_stats(compute_statistics(corpus, load_gold(corpus)), "github").strip()
    assert card_block(card) == expected, "run `evbench stats --update-card`"


def test_agreement_blocks_are_current():
    corpus = load_corpus()
    card = (corpus.root / "README.md").read_text(encoding="utf-8")
    second = corpus.root / "agreement" / "second-annotation.json"
    after = render_agreement(agreement_result(second, None, corpus), "github").strip()
    before = render_agreement(agreement_result(second, corpus.root / "agreement" / BEFORE_FILE, corpus), "github").strip()
    assert card_block(card, MARKERS) == after, "run `evbench agreement --update-card`"
    assert card_block(card, BEFORE_MARKERS) == before, "run `evbench agreement --update-card`"


def test_update_card_replaces_only_its_block(tmp_path):
    card = tmp_path / "README.md"
    card.write_text("intro\n<!-- stats:start -->\nold\n<!-- stats:end -->\noutro\n", encoding="utf-8")
    assert update_card(card, "new table")
    assert card.read_text(encoding="utf-8") == "intro\n<!-- stats:start -->\nnew table\n<!-- stats:end -->\noutro\n"
    assert not update_card(card, "new table")


def test_judgments_block_is_current():
    from benchmark.commands.judge_agreement import DEFAULT_MODES, MARKERS, judge_agreement, render
    from benchmark.input.submission import load_gold
    from benchmark.verdicts import default_verdicts, load_verdicts

    corpus = load_corpus()
    card = (corpus.root / "README.md").read_text(encoding="utf-8")
    result = judge_agreement(load_verdicts(default_verdicts(corpus), corpus), DEFAULT_MODES, corpus, load_gold(corpus))
    assert card_block(card, MARKERS) == render(result, "github").strip(), "run `evbench judge-agreement --update-card`"


# --- the commands themselves, in process ----------------------------------------------------

TEXT = "ووصل لافروف إلى موسكو. والتقى لافروف نظيره."
MEET = "Contact.Meet"


def _event(id: str, type: str, word: str, cluster: str) -> dict:
    start = TEXT.index(word)
    return {"id": id, "type": type, "realis": "actual", "trigger": {"start": start, "end": start + len(word), "text": word},
            "arguments": [], "cluster": cluster}


@pytest.fixture
def small_corpus(tmp_path):
    """One document with two gold events; a second annotation that agrees on one of them."""
    root = make_corpus(tmp_path, {"d1": TEXT})
    gold = [_event("e1", "Movement.Transport-Person", "ووصل", "arrival"), _event("e2", MEET, "والتقى", "talks")]
    write_json(root / "annotations" / "d1.json", {"doc_id": "d1", "entities": [], "events": gold})
    (root / "agreement").mkdir()
    write_json(root / "agreement" / "second-annotation.json", {"system": "second", "documents": [{"doc_id": "d1", "events": gold[:1]}]})
    (root / "README.md").write_text("card\n" + "\n".join([*STATS_MARKERS, *MARKERS]) + "\n", encoding="utf-8")
    return root


def test_stats_command_in_process(small_corpus, capsys):
    code, plain, err = run_cli(capsys, "stats", "--gold", small_corpus)
    assert code == 0 and err == ""
    corpus = load_corpus(small_corpus)
    stats = compute_statistics(corpus, load_gold(corpus))
    assert plain == render_stats(stats, "plain")
    code, out, _ = run_cli(capsys, "stats", "--gold", small_corpus, "--format", "json")
    assert code == 0 and json.loads(out) == json.loads(json.dumps(stats.to_dict())) and stats.events == 2
    assert run_cli(capsys, "stats", "--gold", small_corpus, "--update-card") == (0, f"{small_corpus / 'README.md'}: updated\n", "")
    assert card_block((small_corpus / "README.md").read_text(encoding="utf-8")) == render_stats(stats, "github").strip()
    assert run_cli(capsys, "stats", "--gold", small_corpus, "--update-card")[1].endswith(": already current\n")


def test_stats_command_on_the_bundled_gold_matches_the_card(capsys):
    code, github, _ = run_cli(capsys, "stats", "--format", "github")
    corpus = load_corpus()
    assert code == 0 and github.strip() == card_block((corpus.root / "README.md").read_text(encoding="utf-8"))


def test_agreement_command_in_process(small_corpus, capsys):
    code, out, err = run_cli(capsys, "agreement", "--gold", small_corpus, "--format", "json")
    assert code == 0 and err == ""
    result = json.loads(out)
    assert result["second"] == "second-annotation.json"  # the file's name: no path of this machine in a shared result
    assert result["mentions"] == {"first": 2, "second": 1}
    assert result["f1"]["exact"]["tri_c"] == pytest.approx(2 / 3)  # tp 1, fn 1: 2 / (2 + 1)
    code, plain, _ = run_cli(capsys, "agreement", "--gold", small_corpus)
    assert code == 0 and plain == render_agreement(result, "plain")
    assert "trigger + type" in plain and "66.7" in plain
    code, out, _ = run_cli(capsys, "agreement", "--gold", small_corpus, "--update-card")
    assert (code, out) == (0, f"{small_corpus / 'README.md'}: updated\n")
    assert card_block((small_corpus / "README.md").read_text(encoding="utf-8"), MARKERS) == render_agreement(result, "github").strip()


def test_agreement_command_with_a_missing_file_exits_2(small_corpus, capsys):
    code, out, err = run_cli(capsys, "agreement", small_corpus / "nope.json", "--gold", small_corpus)
    assert code == 2 and out == "" and "file not found" in err and "Traceback" not in err
