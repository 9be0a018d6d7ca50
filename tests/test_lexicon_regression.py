"""Scorer regression: the lexicon baseline's submission and scores must not change by accident.

The stored files are written by `tests/testdata/regenerate.py` (read its docstring). A failure
here means the lexicon baseline, the scorer or the gold changed; if that was intended, rerun the
script and review the diff.
"""

from __future__ import annotations

import json

import pytest

from benchmark.input.corpus import load_corpus

from conftest import REGENERATE, comparable_result, load_regenerate_module

regen = load_regenerate_module()


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()



def test_lexicon_reproduces_the_stored_submission_byte_for_byte(corpus):
    stored = regen.SUBMISSION.read_text(encoding="utf-8")
    fresh = regen.lexicon_submission_text(corpus)
    assert fresh == stored, f"the lexicon baseline's output changed; if intended, run `{REGENERATE}` and review the diff"


def test_stored_submission_scores_as_expected(corpus):
    expected = json.loads(regen.RESULTS.read_text(encoding="utf-8"))
    actual = regen.lexicon_results(corpus, regen.SUBMISSION)
    if actual["reference"]["checksum"] != expected["reference"]["checksum"]:
        pytest.fail(f"the gold annotations changed since the expected results were stored; run `{REGENERATE}` and review the diff")
    changed = [
        f"{name}: {expected['metrics'].get(name)} -> {actual['metrics'].get(name)}"
        for name in sorted(set(expected["metrics"]) | set(actual["metrics"]))
        if expected["metrics"].get(name) != actual["metrics"].get(name)
    ]
    assert not changed, "scores changed with the same gold and submission (scorer change?):\n" + "\n".join(changed)
    assert comparable_result(actual) == comparable_result(expected), f"result details changed (breakdowns, settings, confusion); run `{REGENERATE}` if intended"


def test_stored_results_are_portable(corpus):
    """The stored result names the gold by release, as every result does: no path of this machine."""
    expected = json.loads(regen.RESULTS.read_text(encoding="utf-8"))
    assert expected["reference"]["source"] == corpus.gold_release == "evbench-gold 1.1"
    assert str(corpus.root) not in regen.RESULTS.read_text(encoding="utf-8")
    assert expected["system"] == "lexicon"
