"""The fast validation path (`benchmark.input.structs`) against the JSON Schemas and the slow path.

Three promises: the Structs say what the schema files say (compared field by field through
`msgspec.json.schema`); a file the fast path accepts gives the same annotation as the slow path
(`json` + `jsonschema`); and every problem report, message and location, is the same whichever
path ran first, on the whole bad-input corpus and on mutations of a valid submission.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import msgspec
import pytest

from benchmark.input import structs
from benchmark.input.corpus import default_gold_dir, load_corpus
from benchmark.input.submission import check_gold, check_submission

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = default_gold_dir() / "schema"
BAD = Path(__file__).parent / "bad_inputs"
CASES = json.loads((BAD / "cases.json").read_text(encoding="utf-8"))["cases"]
LEXICON = ROOT / "submissions" / "lexicon.json"
SECOND = default_gold_dir() / "agreement" / "second-annotation.json"


def _normal(schema: dict, refs: dict[str, str]) -> dict:
    """A schema object without prose, with `$ref`s renamed to the schema file's definition names."""
    out = {}
    for key, value in schema.items():
        if key in {"description", "title", "$schema", "$id", "$defs"}:
            continue
        if key == "$ref":
            value = "#/$defs/" + refs[value.rsplit("/", 1)[1]]
        elif key == "properties":
            value = {name: _normal(prop, refs) for name, prop in value.items()}
        elif key == "items":
            value = _normal(value, refs)
        elif key in {"required", "enum"}:
            value = sorted(value)
        out[key] = value
    if out.get("required") == []:
        del out["required"]
    return out


#: What the Structs check in Python (`_check_span`), not as types: exactly these schema keywords.
SPAN_RULES = {
    "anyOf": [{"required": ["start", "end"]}, {"required": ["text"]}],
    "dependentRequired": {"start": ["end"], "end": ["start"]},
}


@pytest.mark.parametrize("schema_file, defs, root", [
    ("submission.schema.json", structs.SCHEMA_DEFS, structs.Submission),
    ("gold-document.schema.json", structs.GOLD_SCHEMA_DEFS, structs.GoldDocument),
])
def test_structs_say_what_the_schema_files_say(schema_file, defs, root):
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    refs = {name: name for name in schema["$defs"]} | {kind.__name__: name for name, kind in defs.items()}
    refs[root.__name__] = "document"
    _, components = msgspec.json.schema_components([root, *defs.values()])
    for name, kind in defs.items():
        expected = _normal(schema["$defs"][name], refs)
        if "anyOf" in expected:
            assert {k: expected.pop(k) for k in SPAN_RULES} == SPAN_RULES, name
        assert _normal(components[kind.__name__], refs) == expected, name
    assert _normal(components[root.__name__], refs) == _normal(schema, refs)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def _slow(monkeypatch):
    def refuse(raw, kind):
        raise structs.Rejected("slow path forced by the test")

    monkeypatch.setattr(structs, "decode", refuse)


@pytest.mark.parametrize("path", [LEXICON, SECOND], ids=["lexicon", "second-annotation"])
def test_fast_path_gives_the_slow_paths_annotation(path, corpus, monkeypatch, tmp_path):
    structs.decode(path.read_bytes(), structs.Submission)  # the fast path takes these files
    fast, fast_problems = check_submission(path, corpus)
    jsonl = tmp_path / "as.jsonl"
    jsonl.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in json.loads(path.read_text(encoding="utf-8"))["documents"]), encoding="utf-8")
    fast_lines, _ = check_submission(jsonl, corpus)
    _slow(monkeypatch)
    slow, slow_problems = check_submission(path, corpus)
    assert fast is not None and fast == slow and fast_problems == slow_problems
    assert fast_lines is not None and fast_lines.documents == slow.documents


def test_fast_path_reads_the_gold_as_the_schema_does(corpus, monkeypatch):
    fast = check_gold(corpus)
    _slow(monkeypatch)
    assert fast == check_gold(corpus)


@pytest.mark.parametrize("case", [c for c in CASES if not c.get("absent") and (BAD / c["file"]).is_file()], ids=lambda c: c["file"])
def test_every_bad_input_gets_the_same_problems_on_both_paths(case, corpus, monkeypatch):
    monkeypatch.chdir(BAD)
    fast = check_submission(Path(case["file"]), corpus)
    _slow(monkeypatch)
    assert fast == check_submission(Path(case["file"]), corpus)


def _mutations(doc: dict):
    """(name, mutate) pairs: each breaks, or bends, one thing of a valid document object."""
    event = ("events", 0)
    trigger = (*event, "trigger")
    arg = (*event, "arguments", 0)

    def at(path, fn):
        def apply(d):
            node = d
            for key in path[:-1]:
                node = node[key]
            fn(node, path[-1])
        return apply

    yield "duplicate key", None
    yield "key before a space", None
    yield "unknown field", at(trigger, lambda n, k: n[k].update(strat=1))
    yield "null realis", at(event, lambda n, k: n[k].update(realis=None))
    yield "float offset", at(trigger, lambda n, k: n[k].update(start=3.0))
    yield "bool offset", at(trigger, lambda n, k: n[k].update(end=True))
    yield "negative start", at(trigger, lambda n, k: n[k].update(start=-1))
    yield "zero end", at(arg, lambda n, k: n[k].update(end=0))
    yield "empty text", at(arg, lambda n, k: n[k].update(text=""))
    yield "start without end", at(trigger, lambda n, k: n[k].pop("end"))
    yield "span with nothing", at(trigger, lambda n, k: n.__setitem__(k, {}))
    yield "text only", at(trigger, lambda n, k: n.__setitem__(k, {"text": n[k]["text"]}))
    yield "missing id", at(event, lambda n, k: n[k].pop("id"))
    yield "empty cluster", at(event, lambda n, k: n[k].update(cluster=""))
    yield "number cluster", at(event, lambda n, k: n[k].update(cluster=7))
    yield "arguments object", at(event, lambda n, k: n[k].update(arguments={}))
    yield "role missing", at(arg, lambda n, k: n[k].pop("role"))
    yield "huge offset", at(trigger, lambda n, k: n[k].update(end=10**30))
    yield "unknown type", at(event, lambda n, k: n[k].update(type="Life.Dance"))
    yield "text mismatch", at(trigger, lambda n, k: n[k].update(text=n[k]["text"] + "x"))
    yield "escaped quote and colon in a note", at(event, lambda n, k: n[k].update(note='he said ":" then'))
    yield "lone surrogate", None


@pytest.mark.parametrize("name", [name for name, _ in _mutations({})])
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_mutations_get_the_same_problems_on_both_paths(name, suffix, corpus, monkeypatch, tmp_path):
    data = json.loads(LEXICON.read_text(encoding="utf-8"))
    doc = copy.deepcopy(next(d for d in data["documents"] if d["events"] and d["events"][0].get("arguments")))
    mutate = dict(_mutations(doc))[name]
    if mutate is not None:
        mutate(doc)
    line = json.dumps(doc, ensure_ascii=False)
    if name == "duplicate key":
        line = line.replace('"events":', '"doc_id": "x", "events":', 1)
    elif name == "key before a space":
        line = line.replace('"events":', '"events" :', 1)
    elif name == "lone surrogate":
        line = line.replace('"cluster": "', '"cluster": "\\ud800', 1)
    text = line + "\n" if suffix == ".jsonl" else '{"system": "m", "documents": [' + line + "]}"
    path = tmp_path / f"sub{suffix}"
    path.write_text(text, encoding="utf-8")
    fast = check_submission(path, corpus)
    _slow(monkeypatch)
    assert fast == check_submission(path, corpus)
