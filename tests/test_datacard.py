"""The data card's numbers are the commands' output, not typed by hand."""

from __future__ import annotations

from benchmark.commands.agreement import BEFORE_FILE, BEFORE_MARKERS, MARKERS, agreement_result, render_agreement
from benchmark.commands.stats import render_stats
from benchmark.corpus import load_corpus
from benchmark.datacard import card_block, update_card
from benchmark.statistics import compute_statistics
from benchmark.submission import load_gold


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
    from benchmark.submission import load_gold
    from benchmark.verdicts import default_verdicts, load_verdicts

    corpus = load_corpus()
    card = (corpus.root / "README.md").read_text(encoding="utf-8")
    result = judge_agreement(load_verdicts(default_verdicts(corpus), corpus), DEFAULT_MODES, corpus, load_gold(corpus))
    assert card_block(card, MARKERS) == render(result, "github").strip(), "run `evbench judge-agreement --update-card`"
