"""Scoring as a per-document map and an additive reduce: `--jobs N` changes no byte, and the summed
per-document counts are exactly the counts of the outcome records (one definition of every number)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmark import scoring
from benchmark.cli import main
from benchmark.input.corpus import load_corpus
from benchmark.intervals import run_table, units_of
from benchmark.scoring import ScoreSettings, result_dict, score_submission
from scorers.bootstrap import UNITS, count_table
from scorers.events import GROUPINGS, confusion, macro_average, tally, tally_by

sys.path.insert(0, str(Path(__file__).parent / "perf"))
import synthetic  # noqa: E402


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> dict[str, Path]:
    return synthetic.generate(tmp_path_factory.mktemp("synthetic"), 24, seed=3)


@pytest.mark.parametrize("extra", [
    [],
    ["--ci", "0.95", "--resamples", "40"],
    ["--match", "overlap", "--arg-match", "entity", "--ci", "0.9", "--resamples", "30", "--unit", "event", "--explain"],
], ids=["plain", "ci", "overlap-event-units"])
def test_jobs_give_byte_identical_json(synth, extra, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(scoring, "CHUNK_DOCUMENTS", 5)  # several chunks, so both workers have work
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.json"
        code = main(["score", str(synth["prediction"]), "--reference", str(synth["reference"]), "--gold", str(synth["corpus"]),
                     "--format", "json", "--jobs", jobs, "--out", str(out), *extra])
        assert code == 0, capsys.readouterr().err
        outputs.append(out.read_bytes())
    capsys.readouterr()
    assert outputs[0] == outputs[1]


def test_bad_jobs_value_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["score", "x.json", "--jobs", "-1"])
    assert exc.value.code == 2
    assert "--jobs" in capsys.readouterr().err


@pytest.mark.parametrize("unit", UNITS)
def test_summed_document_counts_are_the_counts_of_the_records(synth, unit):
    corpus = load_corpus(synth["corpus"])
    run = score_submission(synth["prediction"], synth["reference"], corpus, ScoreSettings(match="overlap"), unit=unit)
    result = result_dict(run)
    names = [m for m in result["metrics"] if not m.startswith("coref_")]
    assert {m: result["metrics"][m] for m in names} == {m: tally(run.outcomes)[m].to_dict() for m in names}
    for by, group in GROUPINGS.items():
        expected = tally_by(run.outcomes, group)
        assert list(result["breakdowns"][by]) == list(expected)
        for g, counts in expected.items():
            assert {m: c.to_dict() for m, c in counts.items()} == {m: result["breakdowns"][by][g][m] for m in counts}
    assert result["macro"] == macro_average(run.outcomes, "tri_c").to_dict()
    assert result["confusion"] == confusion(run.outcomes)
    sparse = run_table(run, corpus, unit)
    dense = count_table(run.outcomes, *units_of(run, corpus, unit), GROUPINGS)
    assert sparse.units == dense.units and sparse.cells == dense.cells
    assert (sparse.counts.toarray() == dense.matrix).all()


@pytest.mark.parametrize("unit", UNITS)
def test_intervals_from_the_summary_equal_intervals_from_the_records(synth, unit):
    from benchmark.intervals import IntervalSettings, add_intervals

    corpus = load_corpus(synth["corpus"])
    settings = IntervalSettings(level=0.9, resamples=60, seed=4, unit=unit)
    summed = score_submission(synth["prediction"], synth["reference"], corpus, ScoreSettings(), unit=unit)
    recorded = score_submission(synth["prediction"], synth["reference"], corpus, ScoreSettings())  # no unit: from run.outcomes
    assert recorded.summary.unit is None
    assert add_intervals(result_dict(summed), summed, corpus, settings) == add_intervals(result_dict(recorded), recorded, corpus, settings)
