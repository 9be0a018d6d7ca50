"""Quick self-check for annotators: schema, span texts, ontology types/roles, entity ids, chrome.

Usage: python gold/check_annotation.py gold/annotations/<doc_id>.json
(The full check is `evbench validate --gold`; this file only exists so annotators can check
their work while the package is being built.)
"""
import json
import sys
from pathlib import Path

import jsonschema

here = Path(__file__).parent
schema = json.loads((here / "schema/gold-document.schema.json").read_text())
ontology = json.loads((here / "ontology.json").read_text())
manifest = {d["doc_id"]: d for d in json.loads((here / "manifest.json").read_text())["documents"]}
roles = {t["name"]: set(t["roles"]) for t in ontology["event_types"]}

path = Path(sys.argv[1])
ann = json.loads(path.read_text())
problems = [f"{e.json_path}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(ann)]
doc = manifest[ann["doc_id"]]
text = (here / "documents" / f"{ann['doc_id']}.txt").read_text(encoding="utf-8")
chrome = [(s["start"], s["end"]) for s in doc["segments"] if s["kind"] == "chrome"]


def check_span(where, sp):
    if text[sp["start"]:sp["end"]] != sp["text"]:
        problems.append(f"{where}: text {sp['text']!r} != slice {text[sp['start']:sp['end']]!r}")
    if any(a <= sp["start"] < b for a, b in chrome):
        problems.append(f"{where}: span inside chrome")


ents = {}
for i, e in enumerate(ann.get("entities", [])):
    if e["id"] in ents:
        problems.append(f"entities[{i}]: duplicate id {e['id']}")
    ents[e["id"]] = e
    for j, m in enumerate(e["mentions"]):
        check_span(f"entities[{i}].mentions[{j}]", m)
ids = set()
for i, ev in enumerate(ann.get("events", [])):
    w = f"events[{i}] ({ev.get('id')})"
    if ev["id"] in ids:
        problems.append(f"{w}: duplicate id")
    ids.add(ev["id"])
    if ev["type"] not in roles:
        problems.append(f"{w}: unknown type {ev['type']}")
    check_span(w + ".trigger", ev["trigger"])
    for j, a in enumerate(ev["arguments"]):
        check_span(f"{w}.arguments[{j}]", a)
        if a["role"] not in roles.get(ev["type"], ()):
            problems.append(f"{w}.arguments[{j}]: role {a['role']} not allowed for {ev['type']}")
        if a["entity"] not in ents:
            problems.append(f"{w}.arguments[{j}]: unknown entity {a['entity']}")
        elif not any(m["start"] == a["start"] and m["end"] == a["end"] for m in ents[a["entity"]]["mentions"]):
            problems.append(f"{w}.arguments[{j}]: span is not listed among the mentions of entity {a['entity']}")
print("\n".join(problems) or f"OK: {len(ann['events'])} events, {len(ents)} entities")
sys.exit(1 if problems else 0)
