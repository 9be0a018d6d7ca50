"""`--engine dask`: the same per-document map on a Dask LocalCluster gives the local engine's bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("distributed")  # a guard only: CI installs the dask extra (.[test] includes it)

from benchmark.cli import main
from benchmark.coverage import add_coverage, score_file
from benchmark.engines.dask_engine import DaskEngine
from benchmark.input.corpus import load_corpus
from benchmark.scoring import ScoreSettings, result_dict

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "submissions" / "lexicon.json"
SECOND = ROOT / "gold" / "agreement" / "second-annotation.json"


@pytest.fixture(scope="module")
def engine():
    with DaskEngine(workers=1) as started:
        assert started.workers_connected == 1
        yield started


def _result(pred: Path, engine, **options) -> str:
    run, missing, _ = score_file(pred, None, load_corpus(), ScoreSettings(match=options.pop("match", "exact")), engine=engine, **options)
    return json.dumps(add_coverage(result_dict(run), missing), ensure_ascii=False)


@pytest.mark.parametrize("pred", [LEXICON, SECOND], ids=lambda p: p.stem)
@pytest.mark.parametrize(("match", "options"), [
    ("exact", {"stream": True, "by_doc": False}),  # the stream: chunks of joined documents, coreference reduced on the client
    ("overlap", {"stream": True, "by_doc": True}),
    ("relaxed", {"by_doc": True}),  # the whole-file path: the reference's context goes to the workers once
    ("exact", {"unit": "sentence"}),  # per-unit counts for the bootstrap, added in document order
])
def test_dask_gives_the_local_engines_bytes(engine, pred, match, options):
    assert _result(pred, engine, match=match, **options) == _result(pred, None, match=match, **options)


def test_cli_engine_dask_equals_the_default(tmp_path, capsys):
    assert main(["score", str(LEXICON), "--engine", "dask", "--workers", "1", "--out", str(tmp_path / "dask.json")]) == 0
    assert main(["score", str(LEXICON), "--out", str(tmp_path / "local.json")]) == 0
    capsys.readouterr()
    assert (tmp_path / "dask.json").read_bytes() == (tmp_path / "local.json").read_bytes()


def test_unreachable_scheduler_is_one_clear_message(capsys):
    assert main(["score", str(LEXICON), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach tcp://127.0.0.1:9" in err and "Traceback" not in err


def test_jobs_and_dask_together_are_refused(capsys):
    assert main(["score", str(LEXICON), "--engine", "dask", "--jobs", "2"]) == 2
    assert "--workers N with --engine dask" in capsys.readouterr().err
