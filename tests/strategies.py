"""Hypothesis strategies for submissions over the bundled corpus: valid ones and near-valid ones.

A *valid* submission uses real doc_ids, event types and roles from the ontology, and spans whose
half-open offsets lie inside the document text (with `text` equal to the slice when given);
realis, arguments, cluster, entities and the system name are optional. Spans are taken from
the gold (so predictions also hit), from whole words, or from anywhere in the text (chrome
included: a trigger there is a warning, not an error).

A *near-valid* file is a valid one with exactly one mutation (see `MUTATIONS`), each of which
the loader must refuse: the tests write it to disk as JSON or JSONL and expect exit status 2.

Everything is built as plain JSON data (`dict`/`list`), serialised by `encode`, which can also
write JSON that `json.dumps` refuses to (integers over 4300 digits, via `Raw`; a key twice in one
object, via `DUPLICATE`). `permuted` and
`reversed_order` reorder a submission without changing what it says (determinism tests), and
`run_cli` runs `evbench` in-process for tests that cannot use pytest's capsys (hypothesis).
"""

from __future__ import annotations

import contextlib
import copy
import gc
import io
import json
import re
from dataclasses import dataclass
from functools import cache

from hypothesis import assume
from hypothesis import strategies as st

from benchmark.cli import main
from benchmark.input.corpus import Corpus, load_corpus
from benchmark.input.submission import event_to_json, load_gold
from scorers.model import Annotation

SUFFIXES = (".json", ".jsonl")
MAX_SPAN = 12
"""Longest arbitrary span drawn (in code points); gold and word spans keep their own length."""

MUTATIONS = (
    "wrong_type",
    "offset_off_by_one",
    "text_mismatch",
    "missing_field",
    "wrong_json_type",
    "unknown_doc",
    "duplicated_id",
    "extra_field",
    "negative_offset",
    "float_offset",
    "huge_int",
    "unicode_junk",
    "truncated",
    "duplicate_key",
)

# The properties each object may have (gold/schema/submission.schema.json), for `extra_field`.
ALLOWED_KEYS = {
    "top": {"system", "documents"},
    "document": {"doc_id", "system", "annotators", "events", "entities"},
    "event": {"id", "type", "realis", "trigger", "arguments", "cluster", "note"},
    "span": {"start", "end", "text"},
    "argument": {"role", "entity", "start", "end", "text"},
    "entity": {"id", "type", "name", "mentions"},
}
EXTRA_KEYS = ("score", "confidence", "Type", "ID", "trigger_text", "start_char", "offsets", "label", "\u200fid", "نوع", "")

# Text that is valid JSON but junk for the corpus: invisible marks, combining marks, presentation
# forms, NUL and other control characters, emoji, a BOM, private use, noncharacters.
JUNK_CHARS = (
    "\u200f", "\u200e", "\u202e", "\u2068", "\u200b", "\u200d", "\ufeff", "\u0640", "\u064e", "\u0651", "\u0670",
    "\u0301", "\ufefb", "\ufe8d", "\x00", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\n", "\t", "\r", " ",
    "\U0001f600", "\ue000", "\uffff", "\U0010ffff", "\u0627", "\u0661", "A", "'", '"', "\\",
)
LONE_SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff")
BAD_UTF8 = (b"\xff", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\xe2\x82")
BAD_BYTES = (b"\x00", b"\x0b", b"\x0c", b"\x1b")  # control characters JSON allows neither as whitespace nor raw in strings
WORD = re.compile(r"\S+")


# --- the bundled corpus, loaded once ----------------------------------------------------------


@cache
def corpus() -> Corpus:
    return load_corpus()


@cache
def gold() -> Annotation:
    return load_gold(corpus())


def doc_ids() -> list[str]:
    return sorted(corpus().documents)


@cache
def _word_spans(doc_id: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in WORD.finditer(corpus().documents[doc_id].text))


@cache
def _gold_spans(doc_id: str) -> tuple[tuple[int, int], ...]:
    doc = gold().documents.get(doc_id)
    if doc is None:
        return ()
    spans = {(e.trigger.start, e.trigger.end) for e in doc.events}
    spans |= {(a.span.start, a.span.end) for e in doc.events for a in e.arguments}
    return tuple(sorted(spans))  # type: ignore[arg-type]


def _text(doc_id: str) -> str:
    return corpus().documents[doc_id].text


# --- JSON text ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """JSON text inserted verbatim by `encode` (e.g. a 5000-digit integer `json.dumps` refuses)."""

    text: str


DUPLICATE = "\x00dup\x00"
"""A key `DUPLICATE + k` is written as `k`: the object then holds key `k` twice (a dict cannot)."""


def dumps(value: object, *, ensure_ascii: bool = False) -> str:
    raws: list[str] = []

    def default(obj: object) -> str:
        if isinstance(obj, Raw):
            raws.append(obj.text)
            return f"\x00raw{len(raws) - 1}\x00"
        raise TypeError(f"not JSON: {obj!r}")

    text = json.dumps(value, ensure_ascii=ensure_ascii, default=default)
    for i, raw in enumerate(raws):
        text = text.replace(json.dumps(f"\x00raw{i}\x00"), raw)
    return text.replace(json.dumps(DUPLICATE)[:-1], '"')


def encode(data: object, suffix: str, *, ensure_ascii: bool = False) -> bytes:
    """A submission as file bytes: one JSON object, or one document object per JSONL line.

    A lone surrogate (which UTF-8 cannot encode) is written as a `\\udXXX` escape with
    `ensure_ascii`, else as its three raw bytes (which is not valid UTF-8 either).
    """
    if suffix == ".jsonl":
        assert isinstance(data, dict)
        text = "".join(dumps(doc, ensure_ascii=ensure_ascii) + "\n" for doc in data["documents"])
    else:
        text = dumps(data, ensure_ascii=ensure_ascii) + "\n"
    return text.encode("utf-8", "surrogatepass")


# --- valid submissions --------------------------------------------------------------------------


@st.composite
def offsets(draw, doc_id: str) -> tuple[int, int]:
    """Half-open offsets inside the text: a gold span, a whole word, or any short stretch."""
    text = _text(doc_id)
    sources = [st.sampled_from(_word_spans(doc_id))] if _word_spans(doc_id) else []
    if _gold_spans(doc_id):
        sources.append(st.sampled_from(_gold_spans(doc_id)))
    start = st.integers(0, len(text) - 1)
    sources.append(start.flatmap(lambda s: st.tuples(st.just(s), st.integers(s + 1, min(len(text), s + MAX_SPAN)))))
    return draw(st.one_of(sources))


@st.composite
def spans(draw, doc_id: str, *, role: str | None = None) -> dict:
    """{"start", "end"} and, usually, the matching "text"; with `role`, an argument object."""
    start, end = draw(offsets(doc_id))
    span: dict = {"role": role} if role is not None else {}
    span.update(start=start, end=end)
    if draw(st.integers(0, 3)):  # text is optional when offsets are given
        span["text"] = _text(doc_id)[start:end]
    return span


# Ids and cluster names may be any non-empty string UTF-8 can encode (no lone surrogates).
names = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=6)


@st.composite
def events(draw, doc_id: str, event_id: str, entity_ids: list[str] | None) -> dict:
    """One event: a copy of a gold event (parts dropped), or a random one of any type."""
    ontology = corpus().ontology
    gold_doc = gold().documents.get(doc_id)
    if gold_doc and gold_doc.events and draw(st.booleans()):
        event = event_to_json(draw(st.sampled_from(gold_doc.events)), with_entities=False)
        event["id"] = event_id
        for key in ("realis", "cluster"):
            if key in event and draw(st.booleans()):
                del event[key]
        event["arguments"] = [a for a in event["arguments"] if draw(st.booleans())]
        if entity_ids and event["arguments"] and draw(st.booleans()):
            event["arguments"][0]["entity"] = draw(st.sampled_from(entity_ids))
        return event
    type_ = draw(st.sampled_from(sorted(ontology.types)))
    event = {"id": event_id, "type": type_, "trigger": draw(spans(doc_id))}
    realis = draw(st.none() | st.sampled_from(ontology.realis))
    if realis is not None:
        event["realis"] = realis
    if draw(st.booleans()):
        arguments = []
        for role in draw(st.lists(st.sampled_from(ontology.roles_for(type_)), max_size=3)):
            argument = draw(spans(doc_id, role=role))
            if entity_ids is None and draw(st.integers(0, 3)) == 0:
                argument["entity"] = draw(names)  # unlisted ids are allowed when no entities are listed
            elif entity_ids and draw(st.booleans()):
                argument["entity"] = draw(st.sampled_from(entity_ids))
            arguments.append(argument)
        event["arguments"] = arguments
    if draw(st.booleans()):
        event["cluster"] = draw(st.sampled_from(("visit", "talks", "treaty")) | names)
    return event


@st.composite
def documents(draw, doc_id: str, *, min_events: int = 0, max_events: int = 6) -> dict:
    ids = draw(st.lists(names, min_size=min_events, max_size=max_events, unique=True))
    entity_ids = None
    doc: dict = {"doc_id": doc_id}
    if draw(st.integers(0, 3)) == 0:
        entity_ids = [f"n{i}" for i in range(draw(st.integers(0, 3)))]
        doc["entities"] = [
            {"id": n, "type": draw(st.sampled_from(corpus().ontology.entity_types)),
             "mentions": [draw(spans(doc_id)) for _ in range(draw(st.integers(0, 2)))]}
            for n in entity_ids
        ]
    doc["events"] = [draw(events(doc_id, event_id, entity_ids)) for event_id in ids]
    return doc


@st.composite
def submissions(draw, *, min_docs: int = 0, max_docs: int = 5, max_events: int = 6, nonempty: bool = False) -> dict:
    """A valid submission; `nonempty`: at least one document with at least one event."""
    chosen = draw(st.lists(st.sampled_from(doc_ids()), min_size=max(min_docs, nonempty), max_size=max_docs, unique=True))
    docs = [draw(documents(d, min_events=int(nonempty and i == 0), max_events=max_events)) for i, d in enumerate(chosen)]
    data: dict = {"documents": docs}
    if draw(st.booleans()):
        data["system"] = draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=10))
    return data


@dataclass(frozen=True)
class SubmissionFile:
    """A submission as written to disk; `mutation` is None for a valid one."""

    suffix: str
    content: bytes
    data: object
    mutation: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Replaced:
    """The mutation replaced the whole JSON value (not an object any more)."""

    value: object
    detail: str


@st.composite
def valid_files(draw, suffix: str | None = None) -> SubmissionFile:
    suffix = suffix or draw(st.sampled_from(SUFFIXES))
    data = draw(submissions(min_docs=1 if suffix == ".jsonl" else 0))  # a JSONL file needs a line
    return SubmissionFile(suffix, encode(data, suffix, ensure_ascii=draw(st.booleans())), data)


@st.composite
def without_offsets(draw, data: dict) -> dict:
    """The same submission with some spans text-only (offsets dropped, text kept): still valid."""
    data = copy.deepcopy(data)
    for span, doc_id in spans_of(data):
        if draw(st.booleans()):
            span["text"] = _text(doc_id)[span.pop("start"):span.pop("end")]
    return data


# --- near-valid submissions: exactly one mutation ---------------------------------------------


def spans_of(data: dict) -> list[tuple[dict, str]]:
    """Every span object (triggers, arguments, entity mentions) with its document's id."""
    found = []
    for doc in data["documents"]:
        for event in doc["events"]:
            found.append((event["trigger"], doc["doc_id"]))
            found += [(a, doc["doc_id"]) for a in event.get("arguments", [])]
        for entity in doc.get("entities", []):
            found += [(m, doc["doc_id"]) for m in entity["mentions"]]
    return found


def _events_of(data: dict) -> list[tuple[dict, dict]]:
    return [(event, doc) for doc in data["documents"] for event in doc["events"]]


def _objects_of(data: dict, suffix: str) -> list[tuple[str, dict]]:
    """Every object with its kind (a key of ALLOWED_KEYS); the top object only in JSON."""
    found = [("top", data)] if suffix == ".json" else []
    for doc in data["documents"]:
        found.append(("document", doc))
        for event in doc["events"]:
            found += [("event", event), ("span", event["trigger"])]
            found += [("argument", a) for a in event.get("arguments", [])]
        for entity in doc.get("entities", []):
            found.append(("entity", entity))
            found += [("span", m) for m in entity["mentions"]]
    return found


def _different(draw, candidates: list, invalid: object) -> object:
    """A drawn candidate that is not valid (`invalid(value)` true); at least one always is."""
    options = [c for c in candidates if invalid(c)]
    assert options, candidates
    return draw(st.sampled_from(options))


def _wrong_type(draw, data: dict, suffix: str) -> str:
    ontology = corpus().ontology
    event, doc = draw(st.sampled_from(_events_of(data)))
    targets = ["event type", "realis"]
    if event.get("arguments") and event["type"] in ontology.types:
        targets.append("role")
    if doc.get("entities"):
        targets.append("entity type")
    target = draw(st.sampled_from(targets))
    if target == "event type":
        t = event["type"]
        event["type"] = _different(draw, [t.lower(), t + "s", t.replace(".", "-"), t.split(".")[-1], "Movement.Teleport", "Conflict", " " + t],
                                   lambda v: v not in ontology.types)
        return f"type {event['type']!r}"
    if target == "realis":
        event["realis"] = draw(st.sampled_from(("Actual", "ACTUAL", "real", "past", "", "actual ", "generic.")))
        return f"realis {event['realis']!r}"
    if target == "role":
        argument = draw(st.sampled_from(event["arguments"]))
        allowed = ontology.roles_for(event["type"])
        argument["role"] = _different(draw, [*sorted(ontology.all_roles), argument["role"].lower(), "Agent ", "Actor"], lambda v: v not in allowed)
        return f"role {argument['role']!r} for {event['type']}"
    entity = draw(st.sampled_from(doc["entities"]))
    entity["type"] = draw(st.sampled_from(("PERSON", "per", "Per", "LOCATION", "", "EVENT")))
    return f"entity type {entity['type']!r}"


def _offset_off_by_one(draw, data: dict, suffix: str) -> str:
    span, doc_id = draw(st.sampled_from(spans_of(data)))
    span["text"] = _text(doc_id)[span["start"]:span["end"]]  # the text pins the old offsets
    key, delta = draw(st.sampled_from(("start", "end"))), draw(st.sampled_from((-1, 1)))
    span[key] += delta  # one bound moves: the slice changes length, or the span becomes empty / out of range
    return f"{key} {delta:+d}"


def _text_variants(text: str, doc_text: str) -> list[str]:
    words = [m.group() for m in WORD.finditer(doc_text[:400])]
    return [text + "x", text + "\u0640", "\u200f" + text, text[:-1], text[1:], text + " ", text.upper(),
            text[::-1], text + "\u064e", *words[:20]]


def _text_mismatch(draw, data: dict, suffix: str) -> str:
    span, doc_id = draw(st.sampled_from(spans_of(data)))
    actual = _text(doc_id)[span["start"]:span["end"]]
    span["text"] = _different(draw, _text_variants(actual, _text(doc_id)), lambda v: v and v != actual)
    return f"text {span['text']!r} for {actual!r}"


def _missing_field(draw, data: dict, suffix: str) -> str:
    targets: list[tuple[dict, str]] = []
    if suffix == ".json":
        targets.append((data, "documents"))
    for kind, obj in _objects_of(data, suffix):
        if kind == "document":
            targets += [(obj, "doc_id"), (obj, "events")]
        elif kind == "event":
            targets += [(obj, "id"), (obj, "type"), (obj, "trigger")]
        elif kind == "argument":
            targets += [(obj, "role"), (obj, "start"), (obj, "end")]
        elif kind == "entity":
            targets += [(obj, "id"), (obj, "type"), (obj, "mentions")]
        elif kind == "span":
            targets += [(obj, "start"), (obj, "end")]  # either alone: start and end come together
    obj, key = draw(st.sampled_from(targets))
    del obj[key]
    if key == "trigger" and draw(st.booleans()):  # or an empty trigger: neither offsets nor text
        obj["trigger"] = {}
    return f"without {key!r}"


WRONG_VALUES = {
    "string": (0, 1.5, True, None, [], {}, ["x"]),
    "integer": ("3", True, False, None, [], {}, [3]),
    "array": ({}, "x", 0, None, True),
    "object": ([], "x", 0, None, False),
}
FIELD_KINDS = {
    "top": {"system": "string", "documents": "array"},
    "document": {"doc_id": "string", "events": "array", "entities": "array", "system": "string", "annotators": "array"},
    "event": {"id": "string", "type": "string", "realis": "string", "trigger": "object", "arguments": "array", "cluster": "string"},
    "span": {"start": "integer", "end": "integer", "text": "string"},
    "argument": {"role": "string", "start": "integer", "end": "integer", "text": "string", "entity": "string"},
    "entity": {"id": "string", "type": "string", "mentions": "array"},
}


def _wrong_json_type(draw, data: dict, suffix: str) -> object:
    """A field of another JSON type; or the whole file / one JSONL line not an object."""
    if draw(st.integers(0, 7)) == 0:
        value = draw(st.sampled_from(WRONG_VALUES["object"]))
        if suffix == ".json":
            return Replaced(value, f"top level {value!r}")
        data["documents"][draw(st.integers(0, len(data["documents"]) - 1))] = value
        return f"document line {value!r}"
    targets = [(obj, key, FIELD_KINDS[kind][key]) for kind, obj in _objects_of(data, suffix) for key in obj if key in FIELD_KINDS[kind]]
    obj, key, kind = draw(st.sampled_from(targets))
    obj[key] = draw(st.sampled_from(WRONG_VALUES[kind]))
    return f"{key}: {obj[key]!r} for {kind}"


def _unknown_doc(draw, data: dict, suffix: str) -> str:
    doc = draw(st.sampled_from(data["documents"]))
    d = doc["doc_id"]
    doc["doc_id"] = _different(draw, [d[:-1], d + "0", d.upper(), "005" + d[3:], " " + d, d.replace("_", "-"), d + ".txt", "doc1"],
                               lambda v: v not in corpus().documents)
    return f"doc_id {doc['doc_id']!r}"


def _duplicated_id(draw, data: dict, suffix: str) -> str:
    options = ["document"]
    events_ = _events_of(data)
    if events_:
        options.append("event")
    if any(doc.get("entities") for doc in data["documents"]):
        options.append("entity")
    what = draw(st.sampled_from(options))
    if what == "document":
        doc = draw(st.sampled_from(data["documents"]))
        copy_ = copy.deepcopy(doc)
        if draw(st.booleans()):
            copy_["events"] = []  # the same doc_id twice is refused even when the second is empty
        data["documents"].insert(draw(st.integers(0, len(data["documents"]))), copy_)
        return f"document {doc['doc_id']!r} twice"
    if what == "event":
        event, doc = draw(st.sampled_from(events_))
        others = [e for e in doc["events"] if e is not event]
        if others and draw(st.booleans()):
            draw(st.sampled_from(others))["id"] = event["id"]
        else:
            doc["events"].insert(draw(st.integers(0, len(doc["events"]))), copy.deepcopy(event))
        return f"event id {event['id']!r} twice"
    doc = draw(st.sampled_from([d for d in data["documents"] if d.get("entities")]))
    entity = draw(st.sampled_from(doc["entities"]))
    doc["entities"].append({**copy.deepcopy(entity), "mentions": []})
    return f"entity id {entity['id']!r} twice"


def _extra_field(draw, data: dict, suffix: str) -> str:
    kind, obj = draw(st.sampled_from(_objects_of(data, suffix)))
    key = _different(draw, list(EXTRA_KEYS), lambda k: k not in ALLOWED_KEYS[kind])
    obj[key] = draw(st.sampled_from((1, "x", None, [], {}, True)))
    return f"{kind} with {key!r}"


def _duplicate_key(draw, data: dict, suffix: str) -> str:
    """A key given twice in one object, with the same value or another (JSON would keep the last)."""
    kind, obj = draw(st.sampled_from(_objects_of(data, suffix)))
    key = draw(st.sampled_from(sorted(obj)))
    obj[DUPLICATE + key] = draw(st.sampled_from((copy.deepcopy(obj[key]), None, 0)))
    return f"{kind} with {key!r} twice"


def _negative_offset(draw, data: dict, suffix: str) -> str:
    span, _ = draw(st.sampled_from(spans_of(data)))
    key = draw(st.sampled_from(("start", "end")))
    span[key] = -draw(st.integers(1, 10**6) | st.just(1))
    return f"{key} {span[key]}"


def _float_offset(draw, data: dict, suffix: str) -> str:
    span, _ = draw(st.sampled_from(spans_of(data)))
    key = draw(st.sampled_from(("start", "end")))
    value = span[key]
    span[key] = draw(st.sampled_from((float(value), value + 0.5, value - 0.25, float("nan"), float("inf"), float("-inf"), 1e300, 5e-324)))
    return f"{key} {span[key]!r}"


def _huge_int(draw, data: dict, suffix: str) -> str:
    span, doc_id = draw(st.sampled_from(spans_of(data)))
    key = draw(st.sampled_from(("start", "end")))
    n = len(_text(doc_id))
    span[key] = draw(st.sampled_from((n + 1, 2**31, 2**63, 2**64 + 1, 10**100, 10**4000, Raw("9" * 4301), Raw("1" + "0" * 20000))))
    shown = span[key].text[:10] + "..." if isinstance(span[key], Raw) else str(span[key])[:12]
    return f"{key} {shown}"


junk = st.text(st.sampled_from(JUNK_CHARS), min_size=1, max_size=4)


def _unicode_junk(draw, data: dict, suffix: str) -> str | tuple[str, bytes]:
    """Junk where the corpus checks the value; a lone surrogate anywhere; or bytes that are not UTF-8."""
    where = draw(st.sampled_from(("checked field", "lone surrogate", "bytes")))
    if where == "checked field":
        ontology = corpus().ontology
        event, doc = draw(st.sampled_from(_events_of(data)))
        field, added = draw(st.sampled_from(("type", "doc_id", "realis", "text"))), draw(junk)
        if field == "type":
            event["type"] = draw(st.sampled_from((event["type"] + added, added + event["type"], added)))
            assume(event["type"] not in ontology.types)
        elif field == "doc_id":
            doc["doc_id"] = doc["doc_id"] + added
        elif field == "realis":
            event["realis"] = (event.get("realis") or "actual") + added
        else:
            span = event["trigger"]
            span["text"] = _text(doc["doc_id"])[span["start"]:span["end"]] + added
        return f"{field} + {added!r}"
    if where == "lone surrogate":
        surrogate = draw(st.sampled_from(LONE_SURROGATES))
        event, doc = draw(st.sampled_from(_events_of(data)))
        targets = [(event, "id"), (event, "cluster"), (event, "note"), (event, "type"), (doc, "system")]
        if suffix == ".json":
            targets.append((data, "system"))
        obj, key = draw(st.sampled_from(targets))
        obj[key] = (obj.get(key) or "") + surrogate
        return f"{key} with {surrogate!r}"
    return "bytes", draw(st.sampled_from(BAD_UTF8 + BAD_BYTES))


def _insert_bytes(draw, content: bytes, inserted: bytes) -> bytes:
    at = draw(st.integers(0, len(content.rstrip(b"\n"))))
    return content[:at] + inserted + content[at:]


def _truncate(draw, content: bytes, suffix: str) -> bytes:
    """A proper, non-empty prefix of the JSON text (of one line, in JSONL): never valid JSON."""
    if suffix == ".json":
        return content[: draw(st.integers(1, len(content.rstrip(b"\n")) - 1))]
    lines = content.splitlines(keepends=True)
    i = draw(st.integers(0, len(lines) - 1))
    line = lines[i].rstrip(b"\n")
    lines[i] = line[: draw(st.integers(1, len(line) - 1))] + b"\n"
    return b"".join(lines)


_MUTATE = {
    "wrong_type": _wrong_type,
    "offset_off_by_one": _offset_off_by_one,
    "text_mismatch": _text_mismatch,
    "missing_field": _missing_field,
    "wrong_json_type": _wrong_json_type,
    "unknown_doc": _unknown_doc,
    "duplicated_id": _duplicated_id,
    "extra_field": _extra_field,
    "negative_offset": _negative_offset,
    "float_offset": _float_offset,
    "huge_int": _huge_int,
    "unicode_junk": _unicode_junk,
    "duplicate_key": _duplicate_key,
}


@st.composite
def near_valid_files(draw, suffix: str | None = None, mutation: str | None = None) -> SubmissionFile:
    """A valid submission with exactly one mutation, which the loader must refuse."""
    suffix = suffix or draw(st.sampled_from(SUFFIXES))
    mutation = mutation or draw(st.sampled_from(MUTATIONS))
    data = draw(submissions(min_docs=1, nonempty=True))
    ensure_ascii = draw(st.booleans())
    if mutation == "truncated":
        content = _truncate(draw, encode(data, suffix, ensure_ascii=ensure_ascii), suffix)
        return SubmissionFile(suffix, content, data, mutation, "truncated")
    detail = _MUTATE[mutation](draw, data, suffix)
    if isinstance(detail, Replaced):
        return SubmissionFile(suffix, encode(detail.value, ".json"), detail.value, mutation, detail.detail)
    content = encode(data, suffix, ensure_ascii=ensure_ascii)
    if isinstance(detail, tuple):  # bytes to insert into the file
        detail, inserted = detail
        content = _insert_bytes(draw, content, inserted)
        detail = f"{detail} {inserted!r}"
    return SubmissionFile(suffix, content, data, mutation, detail)


# --- the same submission in another order ----------------------------------------------------


def _reorder(data: dict, order, keys) -> dict:
    """`data` with every list passed through `order` and every object's keys through `keys`."""

    def obj(d: dict, **changed) -> dict:
        merged = {**d, **changed}
        return {k: merged[k] for k in keys(list(merged))}

    documents = []
    for doc in order(data["documents"]):
        events = [obj(e, **({"arguments": [obj(a) for a in order(e["arguments"])]} if "arguments" in e else {}),
                      trigger=obj(e["trigger"])) for e in order(doc["events"])]
        changed: dict = {"events": events}
        if "entities" in doc:
            changed["entities"] = [obj(n, mentions=[obj(m) for m in order(n["mentions"])]) for n in order(doc["entities"])]
        documents.append(obj(doc, **changed))
    return obj(data, documents=documents)


def reversed_order(data: dict) -> dict:
    """Documents, events, arguments, entities, mentions and every object's keys in reverse order."""
    return _reorder(data, lambda items: list(reversed(items)), lambda keys: list(reversed(keys)))


@st.composite
def permuted(draw, data: dict) -> dict:
    """The same submission with documents, events, arguments, entities and mentions in a drawn order."""

    def order(items: list) -> list:
        return list(draw(st.permutations(items))) if len(items) > 1 else list(items)

    reverse_keys = draw(st.booleans())
    return _reorder(data, order, lambda keys: list(reversed(keys)) if reverse_keys else keys)


def run_cli(*argv: str) -> tuple[int, str, str]:
    """`evbench ARGV` in-process: (exit status, stdout, stderr). Usage errors exit through SystemExit.

    The cyclic garbage collector is switched back on afterwards should a command leave it off
    (`evbench score` pauses it while scoring; it once forgot to restore it, and thousands of
    fuzzed runs in one process then grew to 12 GB). `test_gaming.py` checks the command itself.
    """
    out, err = io.StringIO(), io.StringIO()
    collecting = gc.isenabled()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code
        finally:
            if collecting:
                gc.enable()
    return code, out.getvalue(), err.getvalue()
