"""Determinism on the real data: the same inputs in any order give byte-identical results.

`evbench score --format json --out FILE --explain` is run on the bundled lexicon baseline and on
the second annotation (as predictions against the bundled gold), in every matching mode, and
again on the same submission with documents, events, arguments, entities, mentions and object
keys reordered: explicitly reversed (as JSON, and as JSONL), and in hypothesis-drawn
permutations. stdout and the `--out` file must be the same bytes every time. The reference side
is reordered too (the second annotation, whose entity lists drive the entity-aware metrics, as
`--reference`): then everything but the reference's own identity (its path and checksum) is
byte-identical.

Scorer-level order invariance on synthetic data is in `test_event_metrics.py`, and a one-shot
shuffle on a synthetic corpus in `test_score_cli.py`.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.input.corpus import default_gold_dir
from scorers.matching import OFFLINE_MATCH_MODES

import strategies as S

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "submissions" / "lexicon.json"
SECOND = default_gold_dir() / "agreement" / "second-annotation.json"
PREDICTIONS = {"lexicon": LEXICON, "second": SECOND}
SLOW_EXAMPLES = int(os.environ.get("EVBENCH_DETERMINISM_EXAMPLES", "60"))


def load(name: str) -> dict:
    return json.loads(PREDICTIONS[name].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("determinism")


def score(path: Path, mode: str, out: Path, *extra: str) -> str:
    """The JSON result of one run; stdout and the --out file must agree byte for byte."""
    out.unlink(missing_ok=True)
    code, stdout, err = S.run_cli("score", str(path), "--match", mode, "--format", "json", "--explain", "--out", str(out), *extra)
    assert code == 0, err
    assert out.read_bytes() == stdout.encode("utf-8")
    return stdout


@cache
def baseline(name: str, mode: str, out_dir: str) -> str:
    """The result for the file as shipped (computed once per prediction and mode)."""
    return score(PREDICTIONS[name], mode, Path(out_dir) / f"baseline-{name}-{mode}.json")


def write(workdir: Path, data: dict, name: str, suffix: str = ".json") -> Path:
    """The submission at `<system name><suffix>`, so a JSONL file (no system field) keeps the name."""
    folder = workdir / name
    folder.mkdir(exist_ok=True)
    path = folder / f"{data['system']}{suffix}"
    path.write_bytes(S.encode(data, suffix))
    return path


@pytest.mark.parametrize("mode", OFFLINE_MATCH_MODES)
@pytest.mark.parametrize("name", sorted(PREDICTIONS))
def test_reversed_submission_gives_byte_identical_results(name, mode, workdir):
    expected = baseline(name, mode, str(workdir))
    result = json.loads(expected)
    assert result["metrics"]["tri_i"]["tp"] > 0 and result["explain"], "a trivial result would prove nothing"
    reordered = S.reversed_order(load(name))
    assert reordered != load(name)
    assert score(write(workdir, reordered, "reversed"), mode, workdir / "reversed.json") == expected


@pytest.mark.parametrize("name", sorted(PREDICTIONS))
def test_reversed_jsonl_gives_byte_identical_results(name, workdir):
    path = write(workdir, S.reversed_order(load(name)), "jsonl", ".jsonl")
    assert score(path, "exact", workdir / "jsonl.json") == baseline(name, "exact", str(workdir))


@pytest.mark.parametrize("mode", ["exact", pytest.param("text", marks=pytest.mark.slow)])
def test_reordered_reference_changes_nothing_but_its_identity(mode, workdir):
    """Entity lists (reference side) shuffled: entity-aware metrics and all else are unchanged."""
    reference = load("second")
    assert any(doc.get("entities") for doc in reference["documents"])
    results = []
    for label, data in (("as-shipped", reference), ("reversed", S.reversed_order(reference))):
        ref_path = write(workdir, data, f"reference-{label}")
        text = score(LEXICON, mode, workdir / "ref.json", "--reference", str(ref_path))
        result = json.loads(text)
        assert result["reference"]["source"] == ref_path.name
        result.pop("reference")
        results.append(json.dumps(result, ensure_ascii=False, indent=1))
    assert results[0] == results[1]
    assert json.loads(results[0])["metrics"]["arg_c_entity"]["tp"] > 0


def check_permuted(workdir: Path, name: str, mode: str, data: dict) -> None:
    assert score(write(workdir, data, "permuted"), mode, workdir / "permuted.json") == baseline(name, mode, str(workdir))


def permutation_settings(examples: int):
    return settings(database=None, deadline=None, max_examples=examples, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@permutation_settings(4)
@given(st.sampled_from(sorted(PREDICTIONS)), st.sampled_from(OFFLINE_MATCH_MODES), st.data())
def test_permuted_submission_gives_byte_identical_results(workdir, name, mode, data):
    check_permuted(workdir, name, mode, data.draw(S.permuted(load(name)), label="permuted"))


@pytest.mark.slow
@permutation_settings(SLOW_EXAMPLES)
@given(st.sampled_from(sorted(PREDICTIONS)), st.sampled_from(OFFLINE_MATCH_MODES), st.data())
def test_permuted_submission_gives_byte_identical_results_slow(workdir, name, mode, data):
    check_permuted(workdir, name, mode, data.draw(S.permuted(load(name)), label="permuted"))
