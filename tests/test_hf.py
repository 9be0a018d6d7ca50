"""Hugging Face datasets integration: `benchmark.load`, `evbench export --hf`, Dataset submissions.

Every test runs offline with the Hugging Face caches in a temporary directory (`hf_env`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("datasets")
pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def hf_env(tmp_path, monkeypatch):
    """HF_HOME in tmp and offline flags, both as variables and in `datasets`' already-read config."""
    home = tmp_path / "hf_home"
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets
    import huggingface_hub.constants

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", home / "datasets")
    monkeypatch.setattr(datasets.config, "HF_MODULES_CACHE", home / "modules")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True, raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    quiet = datasets.utils.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    yield home
    if not quiet:
        datasets.enable_progress_bars()


@pytest.fixture(scope="module")
def corpus():
    from benchmark.input.corpus import load_corpus

    return load_corpus()


@pytest.fixture(scope="module")
def gold(corpus):
    from benchmark.input.submission import load_gold

    return load_gold(corpus)


@pytest.fixture
def views(hf_env):
    import benchmark

    return benchmark.load()


def _run_python(code: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


# ----------------------------------------------------------------------------- start-up cost


def test_cli_import_does_not_import_datasets():
    result = _run_python(
        """
        import sys
        import benchmark, benchmark.cli
        benchmark.cli.build_parser()
        assert 'datasets' not in sys.modules, 'benchmark.cli imported datasets'
        assert 'pyarrow' not in sys.modules, 'benchmark.cli imported pyarrow'
        print('ok')
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_benchmark_load_is_lazy():
    result = _run_python(
        """
        import sys
        import benchmark
        assert 'datasets' not in sys.modules
        load = benchmark.load
        assert 'datasets' in sys.modules
        from benchmark.hf import load as hf_load
        assert load is hf_load
        try:
            benchmark.no_such_name
        except AttributeError as exc:
            print(exc)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "no attribute 'no_such_name'" in result.stdout


# ----------------------------------------------------------------------------- the two views


def test_load_gives_both_views_with_one_row_per_document_and_mention(views, corpus, gold):
    assert set(views) == {"documents", "mentions"}
    assert views["documents"].num_rows == len(corpus.documents)
    assert views["mentions"].num_rows == len(gold.events())
    assert views["documents"]["doc_id"] == sorted(corpus.documents)
    assert [r["event_id"] for r in views["mentions"]] == [e.id for e in gold.events()]
    assert all(ds.split == "test" for ds in views.values())


def test_document_features_are_as_declared(views):
    from datasets import List, Value

    from benchmark.hf import DOCUMENT_FEATURES

    features = views["documents"].features
    assert features == DOCUMENT_FEATURES
    assert features["doc_id"] == Value("string")
    assert features["text"] == Value("string")
    assert features["outlets"] == List(Value("string"))
    events = features["events"]
    assert isinstance(events, List)
    event = events.feature
    assert list(event) == ["id", "type", "realis", "trigger", "arguments", "cluster"]
    assert event["trigger"] == {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}
    assert event["arguments"] == List(
        {"role": Value("string"), "start": Value("int32"), "end": Value("int32"), "text": Value("string"), "entity": Value("string")}
    )
    assert event["cluster"] == Value("string")
    assert features["segments"].feature == {"kind": Value("string"), "start": Value("int32"), "end": Value("int32"), "outlet": Value("string")}
    assert features["entities"].feature["mentions"] == List({"start": Value("int32"), "end": Value("int32"), "text": Value("string")})


def test_mention_features_are_as_declared(views):
    from datasets import Value

    from benchmark.hf import MENTION_FEATURES

    features = views["mentions"].features
    assert features == MENTION_FEATURES
    assert list(features) == [
        "doc_id", "event_id", "trigger_text", "trigger_start", "trigger_end", "type", "realis", "arguments", "cluster", "segment_kind",
    ]
    assert features["trigger_start"] == features["trigger_end"] == Value("int32")
    assert features["type"] == features["realis"] == features["cluster"] == Value("string")


def test_offsets_slice_the_document_text(views, corpus):
    for doc in views["documents"]:
        text = corpus.documents[doc["doc_id"]].text
        assert doc["text"] == text
        for event in doc["events"]:
            trigger = event["trigger"]
            assert text[trigger["start"] : trigger["end"]] == trigger["text"]
            for arg in event["arguments"]:
                assert text[arg["start"] : arg["end"]] == arg["text"]
    for row in views["mentions"]:
        text = corpus.documents[row["doc_id"]].text
        assert text[row["trigger_start"] : row["trigger_end"]] == row["trigger_text"]
        assert row["segment_kind"] in {"article", "related-article"}  # gold triggers are never in chrome


# ----------------------------------------------------------------------------- dataset -> annotation


def test_documents_layout_gives_back_the_gold(views, corpus, gold):
    from benchmark.hf import annotation_from_dataset

    assert annotation_from_dataset(views["documents"], corpus).documents == gold.documents


def test_mentions_layout_gives_the_same_annotation_as_documents_layout(views, corpus):
    from benchmark.hf import annotation_from_dataset

    from_mentions = annotation_from_dataset(views["mentions"], corpus)
    # the mentions layout carries no entities: compare with the documents layout without them
    from_documents = annotation_from_dataset(views["documents"].remove_columns("entities"), corpus)
    assert from_mentions.documents == from_documents.documents
    assert from_mentions.events() == annotation_from_dataset(views["documents"], corpus).events()


def test_hand_built_prediction_datasets_in_both_layouts(hf_env, corpus):
    """A user's own rows, types inferred by datasets, nulls for what the system did not predict."""
    from datasets import Dataset

    from benchmark.hf import annotation_from_dataset

    doc_id = "000_4d407a0bed6a0682"
    docs = Dataset.from_list(
        [
            {"doc_id": doc_id, "events": [
                {"id": "p1", "type": "Movement.Transport-Person", "trigger": {"start": 39, "end": 44, "text": "زيارة"}, "realis": None, "arguments": []},
                {"id": "p2", "type": "Movement.Transport-Person", "trigger": {"start": None, "end": None, "text": "زيارة"}, "realis": "actual",
                 "arguments": [{"role": "Person", "start": 26, "end": 38, "text": None}]},
            ]}
        ]
    )
    mentions = Dataset.from_list(
        [
            {"doc_id": doc_id, "event_id": "p1", "type": "Movement.Transport-Person", "trigger_start": 39, "trigger_end": 44, "trigger_text": "زيارة", "realis": None, "arguments": []},
            {"doc_id": doc_id, "event_id": "p2", "type": "Movement.Transport-Person", "trigger_start": None, "trigger_end": None, "trigger_text": "زيارة", "realis": "actual",
             "arguments": [{"role": "Person", "start": 26, "end": 38, "text": None}]},
        ]
    )
    a = annotation_from_dataset(docs, corpus, system="mine")
    b = annotation_from_dataset(mentions, corpus, system="mine")
    assert a == b
    p1, p2 = a.documents[doc_id].events
    assert (p1.trigger.start, p1.trigger.end, p1.realis, p1.cluster) == (39, 44, None, None)
    assert not p2.trigger.has_offsets and p2.trigger.text == "زيارة"
    assert p2.arguments[0].span.text == "سيرغي لافروف"  # text filled in from the offsets


def test_bad_documents_row_raises_input_error_naming_the_row(views, corpus):
    from datasets import Dataset

    from benchmark.hf import annotation_from_dataset
    from benchmark.input.problems import InputError

    rows = views["documents"].remove_columns(["text", "segments"]).to_list()
    rows[3]["events"][0]["trigger"]["text"] = "خطأ"
    rows[1]["events"][2]["type"] = "Conflict.Atack"
    with pytest.raises(InputError) as info:
        annotation_from_dataset(Dataset.from_list(rows), corpus)
    wheres = [p.where for p in info.value.problems]
    assert wheres == ["dataset row 1 $.events[2].type", "dataset row 3 $.events[0].trigger"]
    assert "Conflict.Attack" in info.value.problems[0].fix
    assert "dataset row 3 $.events[0].trigger: error: text 'خطأ' does not equal" in str(info.value)


def test_bad_mentions_rows_raise_input_error_naming_each_row(views, corpus):
    from datasets import Dataset

    from benchmark.hf import annotation_from_dataset
    from benchmark.input.problems import InputError

    rows = views["mentions"].to_list()
    rows[3]["trigger_end"] = rows[3]["trigger_start"]
    rows[5]["event_id"] = rows[4]["event_id"]
    rows[100]["doc_id"] = "999_missing"
    with pytest.raises(InputError) as info:
        annotation_from_dataset(Dataset.from_list(rows), corpus)
    problems = {p.where: p.message for p in info.value.problems}
    assert set(problems) == {"dataset row 3 $.trigger", "dataset row 5 $.event_id", "dataset row 100 $.doc_id"}
    assert "also at dataset row 4" in problems["dataset row 5 $.event_id"]
    assert "unknown document '999_missing'" in problems["dataset row 100 $.doc_id"]


def test_schema_errors_in_a_row_are_located(hf_env, corpus):
    from datasets import Dataset

    from benchmark.hf import annotation_from_dataset
    from benchmark.input.problems import InputError

    ds = Dataset.from_list([{"doc_id": "000_4d407a0bed6a0682", "events": [{"id": "e1", "type": "Contact.Meet", "trigger": {"start": 5, "end": 2, "text": None}}]},
                            {"doc_id": "001_eb2877507f33df22", "events": [{"id": None, "type": "Contact.Meet", "trigger": {"start": None, "end": None, "text": "لقاء"}}]}])
    with pytest.raises(InputError) as info:
        annotation_from_dataset(ds, corpus)
    assert [p.where for p in info.value.problems] == ["dataset row 0 $.events[0].trigger", "dataset row 1 $.events[0]"]
    assert "'id' is a required property" in info.value.problems[1].message


def test_unknown_column_and_unknown_layout_are_input_errors(views, corpus):
    from datasets import Dataset

    from benchmark.hf import annotation_from_dataset
    from benchmark.input.problems import InputError

    with pytest.raises(InputError, match="unknown column in a mentions-layout dataset"):
        annotation_from_dataset(views["mentions"].rename_column("trigger_start", "trigger_begin"), corpus)
    with pytest.raises(InputError, match="cannot tell the layout"):
        annotation_from_dataset(Dataset.from_list([{"doc_id": "x", "label": 1}]), corpus)
    with pytest.raises(InputError, match="pass one split"):
        annotation_from_dataset(views, corpus)
    with pytest.raises(InputError, match="expected a datasets.Dataset"):
        annotation_from_dataset([{"doc_id": "x"}], corpus)


# ----------------------------------------------------------------------------- export --hf


@pytest.fixture
def exported(hf_env, tmp_path):
    from benchmark.cli import main

    out = tmp_path / "evbench-hf"
    assert main(["export", "--hf", str(out)]) == 0
    return out


def _front_matter(card: Path) -> dict:
    import yaml

    text = card.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_export_writes_the_standard_layout(exported):
    files = sorted(str(p.relative_to(exported)) for p in exported.rglob("*") if p.is_file())
    assert files == ["README.md", "documents/test-00000-of-00001.parquet", "mentions/test-00000-of-00001.parquet"]


def test_export_card_metadata(exported, views, gold, corpus):
    from benchmark.statistics import compute_statistics

    meta = _front_matter(exported / "README.md")
    assert meta["language"] == ["ar"]
    assert meta["license"] and meta["pretty_name"] and meta["task_categories"]
    assert meta["configs"] == [
        {"config_name": "documents", "data_files": [{"split": "test", "path": "documents/test-*.parquet"}], "default": True},
        {"config_name": "mentions", "data_files": [{"split": "test", "path": "mentions/test-*.parquet"}]},
    ]
    info = {c["config_name"]: c for c in meta["dataset_info"]}
    assert info["documents"]["splits"][0]["num_examples"] == len(corpus.documents)
    assert info["mentions"]["splits"][0]["num_examples"] == len(gold.events())
    from datasets import Features

    assert Features._from_yaml_list(info["documents"]["features"]) == views["documents"].features
    assert Features._from_yaml_list(info["mentions"]["features"]) == views["mentions"].features
    body = (exported / "README.md").read_text(encoding="utf-8")
    stats = compute_statistics(corpus, gold)
    assert f"| documents | {len(corpus.documents)} |" in body
    assert f"| event mentions | {stats.events} |" in body
    assert f"| clusters (real-world events, singletons included) | {stats.clusters} |" in body
    for etype, n in stats.by_type.items():
        assert f"| `{etype}` | {n} |" in body
    assert "@misc{evbench" in body and "## Citation" in body


def test_load_dataset_from_the_export_folder_offline(exported, views, hf_env):
    from datasets import load_dataset

    documents = load_dataset(str(exported), "documents", cache_dir=str(hf_env / "datasets"))
    mentions = load_dataset(str(exported), "mentions", split="test", cache_dir=str(hf_env / "datasets"))
    assert list(documents) == ["test"]
    assert documents["test"].features == views["documents"].features
    assert mentions.features == views["mentions"].features
    assert documents["test"].to_list() == views["documents"].to_list()
    assert mentions.to_list() == views["mentions"].to_list()


def test_load_dataset_in_a_fresh_offline_process_without_network(exported, tmp_path):
    """The folder loads with only the offline variables set, and with every socket refused."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE"))}
    env.update(HF_HOME=str(tmp_path / "fresh_home"), HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1")
    result = _run_python(
        f"""
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network used")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from datasets import load_dataset
        d = load_dataset({str(exported)!r}, "documents", split="test")
        m = load_dataset({str(exported)!r}, "mentions", split="test")
        print(d.num_rows, m.num_rows, d.features["events"].feature["trigger"]["start"].dtype)
        """,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import load_gold

    corpus = load_corpus()
    assert result.stdout.split() == [str(len(corpus.documents)), str(len(load_gold(corpus).events())), "int32"]


def test_exported_dataset_is_a_valid_submission(exported, hf_env, corpus, gold):
    from datasets import load_dataset

    from benchmark.hf import annotation_from_dataset

    for config in ("documents", "mentions"):
        ds = load_dataset(str(exported), config, split="test", cache_dir=str(hf_env / "datasets"))
        assert annotation_from_dataset(ds, corpus).events() == gold.events()


def test_export_keeps_submission_mode_and_rejects_bad_combinations(hf_env, tmp_path, capsys, gold):
    from benchmark.cli import main

    out = tmp_path / "gold.json"
    assert main(["export", "--submission", "-o", str(out)]) == 0
    assert sum(len(d["events"]) for d in json.loads(out.read_text(encoding="utf-8"))["documents"]) == len(gold.events())
    assert main(["export", "--hf", str(tmp_path / "x"), "-o", str(out)]) == 2
    assert "--out applies to --submission only" in capsys.readouterr().err
    (tmp_path / "afile").write_text("x")
    assert main(["export", "--hf", str(tmp_path / "afile")]) == 2
    assert main(["export"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["export", "--submission", "--hf", str(tmp_path / "y")])
    assert info.value.code == 2


# ----------------------------------------------------------------------------- benchmark.api.score


def _all_perfect(result: dict) -> None:
    assert result["metrics"], "no metrics in the result"
    for name, values in result["metrics"].items():
        # Event coreference entries (coref_*) have no tp/fp/fn, and CoNLL has F1 only.
        assert values["f1"] == 1.0 and all(values[k] == 1.0 for k in ("precision", "recall") if k in values), name
        if "tp" in values:
            assert values["fp"] == values["fn"] == 0 and values["tp"] > 0, name


@pytest.mark.parametrize("config", ["documents", "mentions"])
def test_round_trip_gold_dataset_scores_one_on_every_metric(views, config):
    from benchmark.api import score

    result = score(views[config])
    _all_perfect(result)
    assert result["macro"]["f1"] == 1.0


def test_round_trip_through_the_exported_folder_scores_one(exported, hf_env):
    from datasets import load_dataset

    from benchmark.api import score

    for config in ("documents", "mentions"):
        _all_perfect(score(load_dataset(str(exported), config, split="test", cache_dir=str(hf_env / "datasets"))))


def test_score_of_a_path_equals_the_cli_json(hf_env, tmp_path, capsys):
    from benchmark.api import score
    from benchmark.cli import main

    path = tmp_path / "gold.jsonl"
    assert main(["export", "--submission", "-o", str(path)]) == 0
    capsys.readouterr()
    assert main(["score", str(path), "--format", "json", "--match", "overlap", "--by", "doc"]) == 0
    assert score(path, match="overlap") == json.loads(capsys.readouterr().out)


def test_every_input_kind_gives_the_same_result(views, corpus, gold, tmp_path):
    from benchmark.api import score
    from benchmark.hf import annotation_from_dataset
    from benchmark.input.submission import annotation_to_submission, write_submission

    # a prediction that is not perfect: drop every third mention
    mentions = views["mentions"].select([i for i in range(views["mentions"].num_rows) if i % 3])
    annotation = annotation_from_dataset(mentions, corpus, system="partial")
    path = tmp_path / "partial.json"
    write_submission(annotation, path, system="partial")
    results = [
        score(path),
        score(annotation),
        score(annotation_to_submission(annotation, system="partial")),
        score(mentions, system="partial"),
    ]
    without_reference = [{k: v for k, v in r.items() if k != "reference"} for r in results]
    assert all(r == without_reference[0] for r in without_reference)
    assert all(r["reference"] == results[0]["reference"] for r in results)
    tri = results[0]["metrics"]["tri_i"]
    assert tri["fn"] == len(gold.events()) - mentions.num_rows and tri["fp"] == 0


def test_reference_may_be_a_dataset_too(views, gold):
    from benchmark.api import score

    result = score(views["mentions"], views["documents"])
    _all_perfect(result)
    assert result["reference"]["source"] == "<reference dataset>"
    assert len(result["reference"]["checksum"]) == 64


def test_score_rejects_bad_input_with_located_problems(views, corpus):
    from datasets import Dataset

    from benchmark.api import score
    from benchmark.input.problems import InputError

    rows = views["mentions"].to_list()
    rows[2]["type"] = "Contact.Meeting"
    with pytest.raises(InputError) as info:
        score(Dataset.from_list(rows))
    assert [p.format().split(": error")[0] for p in info.value.problems] == ["<predictions dataset>:dataset row 2 $.type"]
    with pytest.raises(InputError, match="cannot score a int"):
        score(3)
    with pytest.raises(InputError, match="missing the 'documents' field"):
        score({"system": "x"})
    with pytest.raises(TypeError, match="unknown option"):
        score(views["mentions"], overlap=0.3)
