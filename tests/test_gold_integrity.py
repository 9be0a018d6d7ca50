"""The bundled gold is intact: a second, independent reading of gold/ (plain json, no evbench code).

Checked for every annotation file present at run time, so it holds while annotators are still
adding files; `test_every_document_annotated` passes once every document has its gold file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "gold"
SEEDS = ROOT.parent / "shared" / "seeds"
MANIFEST = json.loads((GOLD / "manifest.json").read_text(encoding="utf-8"))
ONTOLOGY = json.loads((GOLD / "ontology.json").read_text(encoding="utf-8"))
ENTRIES = {d["doc_id"]: d for d in MANIFEST["documents"]}
ROLES = {t["name"]: set(t["roles"]) for t in ONTOLOGY["event_types"]}
ANNOTATION_FILES = sorted((GOLD / "annotations").glob("*.json"))


def load(path: Path) -> tuple[dict, str, list[tuple[int, int]]]:
    """The annotation, its document text and its chrome ranges."""
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = ENTRIES[data["doc_id"]]
    text = (GOLD / "documents" / f"{data['doc_id']}.txt").read_bytes().decode("utf-8")
    chrome = [(s["start"], s["end"]) for s in entry["segments"] if s["kind"] == "chrome"]
    return data, text, chrome


def spans(data: dict):
    """(where, span dict) for every span: triggers, arguments and entity mentions."""
    for i, entity in enumerate(data["entities"]):
        for j, mention in enumerate(entity["mentions"]):
            yield f"entities[{i}].mentions[{j}]", mention
    for i, event in enumerate(data["events"]):
        yield f"events[{i}].trigger ({event['id']})", event["trigger"]
        for j, argument in enumerate(event["arguments"]):
            yield f"events[{i}].arguments[{j}] ({event['id']})", argument


annotated = pytest.mark.parametrize("path", ANNOTATION_FILES, ids=[p.stem for p in ANNOTATION_FILES])


def test_manifest_and_documents_agree():
    on_disk = sorted(p.stem for p in (GOLD / "documents").glob("*.txt"))
    assert on_disk == sorted(ENTRIES)
    for doc_id, entry in ENTRIES.items():
        raw = (GOLD / "documents" / f"{doc_id}.txt").read_bytes()
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"], doc_id
        assert len(raw.decode("utf-8")) == entry["length"], doc_id


def test_documents_are_the_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"no seed folder at {SEEDS}")
    seeds = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert seeds == sorted(p.name for p in (GOLD / "documents").glob("*.txt"))
    for name in seeds:
        assert (GOLD / "documents" / name).read_bytes() == (SEEDS / name).read_bytes(), f"{name} differs from shared/seeds"


def test_every_document_annotated():
    missing = sorted(set(ENTRIES) - {p.stem for p in ANNOTATION_FILES})
    assert not missing, f"documents without a gold file in gold/annotations/: {missing}"


def test_every_annotation_file_is_for_a_known_document():
    for path in ANNOTATION_FILES:
        assert path.stem in ENTRIES, f"{path.name} names no document in the manifest"


@annotated
def test_file_names_its_document(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["doc_id"] == path.stem
    assert set(data) <= {"doc_id", "annotators", "entities", "events"}


@annotated
def test_every_span_is_its_document_slice(path):
    data, text, _ = load(path)
    bad = []
    for where, span in spans(data):
        start, end = span["start"], span["end"]
        if not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)):
            bad.append(f"{where}: offsets [{start!r}, {end!r})")
        elif text[start:end] != span["text"]:
            bad.append(f"{where}: {span['text']!r} != text[{start}:{end}] = {text[start:end]!r}")
    assert not bad, "\n".join(bad)


@annotated
def test_types_roles_and_realis_are_in_the_ontology(path):
    data, _, _ = load(path)
    bad = []
    for event in data["events"]:
        if event["type"] not in ROLES:
            bad.append(f"{event['id']}: unknown type {event['type']!r}")
            continue
        if event["realis"] not in ONTOLOGY["realis"]:
            bad.append(f"{event['id']}: unknown realis {event['realis']!r}")
        for argument in event["arguments"]:
            if argument["role"] not in ROLES[event["type"]]:
                bad.append(f"{event['id']}: role {argument['role']!r} not allowed for {event['type']}")
    for entity in data["entities"]:
        if entity["type"] not in ONTOLOGY["entity_types"]:
            bad.append(f"entity {entity['id']}: unknown type {entity['type']!r}")
    assert not bad, "\n".join(bad)


@annotated
def test_ids_are_unique(path):
    data, _, _ = load(path)
    event_ids = [e["id"] for e in data["events"]]
    entity_ids = [e["id"] for e in data["entities"]]
    assert len(event_ids) == len(set(event_ids)), sorted({i for i in event_ids if event_ids.count(i) > 1})
    assert len(entity_ids) == len(set(entity_ids)), sorted({i for i in entity_ids if entity_ids.count(i) > 1})


@annotated
def test_every_argument_is_a_mention_of_an_existing_entity(path):
    data, _, _ = load(path)
    mentions = {e["id"]: {(m["start"], m["end"]) for m in e["mentions"]} for e in data["entities"]}
    bad = []
    for event in data["events"]:
        for argument in event["arguments"]:
            if argument["entity"] not in mentions:
                bad.append(f"{event['id']}: unknown entity {argument['entity']!r}")
            elif (argument["start"], argument["end"]) not in mentions[argument["entity"]]:
                bad.append(f"{event['id']}: {argument['text']!r} is not a mention of {argument['entity']!r}")
    assert not bad, "\n".join(bad)


@annotated
def test_chrome_holds_no_annotation(path):
    data, _, chrome = load(path)
    bad = [f"{where} [{s['start']}, {s['end']})" for where, s in spans(data) if any(a < s["end"] and s["start"] < b for a, b in chrome)]
    assert not bad, "spans in chrome segments:\n" + "\n".join(bad)


@annotated
def test_every_event_has_a_cluster(path):
    data, _, _ = load(path)
    assert all(isinstance(e["cluster"], str) and e["cluster"] for e in data["events"])
