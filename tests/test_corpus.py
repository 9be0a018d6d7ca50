"""Loading a corpus: the bundled one, copies of it, and directories that are not laid out right.

Every document is checked against its sha256 in the manifest; a single changed byte must stop
the run with a problem naming the file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.input.corpus import Document, Segment, default_gold_dir, load_corpus
from benchmark.input.problems import InputError

GOLD = default_gold_dir()


@pytest.fixture(scope="module")
def bundled():
    return load_corpus()


def copy_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(GOLD, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


def test_bundled_corpus_is_the_gold_package():
    assert (GOLD / "__init__.py").is_file()
    assert (GOLD / "manifest.json").is_file() and (GOLD / "ontology.json").is_file()


def test_bundled_corpus_loads_every_manifest_document(bundled):
    manifest = json.loads((GOLD / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(bundled.documents) == sorted(d["doc_id"] for d in manifest["documents"])
    for entry in manifest["documents"]:
        doc = bundled.documents[entry["doc_id"]]
        assert len(doc.text) == entry["length"]
        assert doc.published == entry["published"]


def test_segments_tile_each_document(bundled):
    for doc in bundled.documents.values():
        assert doc.segments[0].start == 0 and doc.segments[-1].end == len(doc.text), doc.doc_id
        for before, after in zip(doc.segments, doc.segments[1:], strict=False):
            assert before.end == after.start, doc.doc_id
        assert all(s.kind in {"article", "related-article", "chrome"} for s in doc.segments)


def test_ontology_is_loaded(bundled):
    ontology = bundled.ontology
    assert ontology.realis == ("actual", "generic", "other")
    assert "Contact.Meet" in ontology.types
    assert ontology.roles_for("Contact.Meet") == ("Participant", "Place", "Time")
    assert "Victim" in ontology.all_roles
    assert "PER" in ontology.entity_types


def test_document_text_is_read_without_newline_translation(tmp_path):
    root = copy_corpus(tmp_path)
    corpus = load_corpus(root)
    for doc_id, doc in corpus.documents.items():
        assert doc.text.encode("utf-8") == (root / "documents" / f"{doc_id}.txt").read_bytes()


def test_chrome_lookup():
    doc = Document("d", "abcdef", None, (), None, (Segment("article", 0, 3), Segment("chrome", 3, 5), Segment("related-article", 5, 6, "X")))
    assert doc.segment_at(0).kind == "article" and doc.segment_at(3).kind == "chrome" and doc.segment_at(6) is None
    assert doc.in_chrome(3, 4) and doc.in_chrome(4, 6) and not doc.in_chrome(2, 4) and not doc.in_chrome(5, 6)
    assert doc.chrome_ranges == ((3, 5),)
    assert [s.scored for s in doc.segments] == [True, False, True]


def test_one_changed_byte_stops_loading_and_names_the_file(tmp_path):
    root = copy_corpus(tmp_path)
    victim = sorted((root / "documents").glob("*.txt"))[2]
    raw = bytearray(victim.read_bytes())
    raw[10] = ord(" ") if raw[10] != ord(" ") else ord("x")
    victim.write_bytes(bytes(raw))
    with pytest.raises(InputError) as caught:
        load_corpus(root)
    (problem,) = caught.value.problems
    assert problem.file == str(victim)
    assert "does not match the sha256 in manifest.json" in problem.message
    assert load_corpus(root, verify=False).documents[victim.stem].text.encode("utf-8") == bytes(raw)


def test_changed_byte_on_the_command_line(tmp_path, capsys):
    root = copy_corpus(tmp_path)
    victim = root / "documents" / sorted(p.name for p in (root / "documents").glob("*.txt"))[0]
    victim.write_bytes(victim.read_bytes() + b"\n")
    assert main(["validate", "--gold", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{victim}: error: document text does not match the sha256 in manifest.json")
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_checksum_names_the_document_bytes(tmp_path, bundled):
    root = copy_corpus(tmp_path)
    assert load_corpus(root).checksum() == bundled.checksum()
    victim = next((root / "documents").glob("*.txt"))
    victim.write_bytes(victim.read_bytes() + b" ")
    assert load_corpus(root, verify=False).checksum() != bundled.checksum()


def test_missing_corpus_directory(tmp_path):
    with pytest.raises(InputError) as caught:
        load_corpus(tmp_path / "nowhere")
    assert caught.value.problems[0].message == "corpus directory not found"


def test_missing_manifest(tmp_path):
    root = copy_corpus(tmp_path)
    (root / "manifest.json").unlink()
    with pytest.raises(InputError) as caught:
        load_corpus(root)
    assert caught.value.problems[0].file == str(root / "manifest.json")
    assert caught.value.problems[0].message == "file not found"


def test_missing_document(tmp_path):
    root = copy_corpus(tmp_path)
    victim = next((root / "documents").glob("*.txt"))
    victim.unlink()
    with pytest.raises(InputError) as caught:
        load_corpus(root)
    assert [(p.file, p.message) for p in caught.value.problems] == [(str(victim), "document listed in the manifest is missing")]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("manifest.json", "{", "malformed JSON"),
        ("manifest.json", '{"name": "x"}', "not laid out like gold/manifest.json: missing field 'documents'"),
        ("manifest.json", '{"documents": [{"doc_id": "000_4d407a0bed6a0682"}]}', "not laid out like gold/manifest.json: missing field 'sha256'"),
        ("manifest.json", '{"documents": 3}', "not laid out like gold/manifest.json"),
        ("ontology.json", '{"event_types": []}', "not laid out like gold/ontology.json: missing field 'realis'"),
    ],
)
def test_malformed_corpus_files_are_problems_not_tracebacks(name, content, message, tmp_path, capsys):
    root = copy_corpus(tmp_path)
    (root / name).write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(root)
    assert caught.value.problems[0].file == str(root / name)
    assert message in caught.value.problems[0].message
    assert main(["validate", "--gold", str(root)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_unsafe_doc_id_in_manifest_is_refused(tmp_path):
    """A manifest doc_id names a file under documents/: path traversal is refused, not followed."""
    import json as _json

    from conftest import make_corpus

    root = make_corpus(tmp_path, {"d1": "زار لافروف وونسان."})
    manifest = _json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"][0]["doc_id"] = "../../etc/passwd"
    (root / "manifest.json").write_text(_json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(root)
    assert "unsafe document id" in str(caught.value)
    assert "$.documents[0].doc_id" in str(caught.value)
