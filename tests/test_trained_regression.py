"""The trained baselines (`supervised`, `majority`, leave-one-document-out) reproduce their stored files.

The stored files are written by `tests/testdata/regenerate.py` (read its docstring). A fresh run
must give the committed submission byte for byte (so training is deterministic and the committed
leaderboard rows are what the command produces), and that submission must score as stored.
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


@pytest.mark.parametrize("name", regen.TRAINED)
def test_fresh_leave_one_document_out_run_equals_the_stored_submission(corpus, name):
    stored = regen.submission_path(name).read_text(encoding="utf-8")
    fresh = regen.trained_submission_text(corpus, name)
    assert fresh == stored, f"the {name} baseline's output changed; if intended, run `{REGENERATE}` and review the diff"


@pytest.mark.parametrize("name", regen.TRAINED)
def test_stored_submission_scores_as_expected(corpus, name):
    expected = json.loads(regen.results_path(name).read_text(encoding="utf-8"))
    actual = regen.lexicon_results(corpus, regen.submission_path(name))
    assert actual["reference"]["checksum"] == expected["reference"]["checksum"], f"the gold changed; run `{REGENERATE}`"
    assert comparable_result(actual) == comparable_result(expected)
    assert expected["system"] == name
    assert expected["reference"]["source"] == "evbench-gold 1.1"
