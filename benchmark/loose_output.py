"""Loose model output turned into submission events, with a record of every change made.

Why this exists: language models, and the scripts around them, write events the way people do:
a JSON answer wrapped in a Markdown fence, a trailing comma, a trigger as a bare string, no ids,
arguments as ``{role: text}``, ``event_type`` for ``type``, ``contact.meet`` for
``Contact.Meet``. A submission must be exact (gold/schema/submission.schema.json), so each of
these would be refused. Converting by hand or by an ad-hoc script hides what was changed, and a
conversion that silently invents or drops events changes a system's score. So one module does
it, and says what it did: every change is counted as a `Change` (document, what, how many).

Both `evbench convert` (a file of model output) and the `llm` extractor (one answer per text
chunk) go through `convert_events`, so an answer is read the same way wherever it comes from.

The rules, in the order they apply to one document:
- The answer may be a parsed value or text; text loses its Markdown fence and is parsed as
  JSON, else as JSON lines, else repaired by ``json_repair`` (`read_answer`).
- The events are a list, ``{"events": [...]}`` or one event object.
- Field names are normalised (``event_type`` -> ``type``, ``args`` -> ``arguments``,
  ``trigger_text`` -> ``trigger``, ...); unknown fields are removed.
- Type, role and realis names are matched to the ontology ignoring case and separators; an event
  with an unknown type, an argument with a role its type does not allow, are dropped.
- A span whose offsets are inside the text and agree with its text is kept as given. Otherwise
  its text is looked up: a whole-word occurrence first (else the occurrence widened to whole
  words, as spans take their clitics); for a trigger, the first at or after the previous
  trigger (reading order; a second event of the same type on the same word takes the next
  occurrence), for an argument, the one nearest its trigger. Occurrences outside
  `avoid` (chrome) are preferred. A text that does not occur is kept text-only, since the
  offset-free and relaxed matching modes can still score it (the `llm` extractor drops it).
- Exact duplicate events (all but the id) and arguments are dropped; missing or repeated ids
  are replaced by ``e<n>``.
A valid submission goes through unchanged, with no change recorded.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.input.corpus import Corpus, Ontology
from benchmark.input.problems import InputError, Problem
from benchmark.input.reading import UTF8_BOM, _check_head, _decode, check_file, is_jsonl, max_bytes_from_env


@dataclass(frozen=True)
class Change:
    """One kind of change made to one document's output, and how often (`doc_id` "" = the file)."""

    doc_id: str
    what: str
    count: int

    def format(self) -> str:
        return f"{self.what}: {self.count}"


# --- what can change ("ids assigned: 3") --------------------------------------------------------

FENCE_REMOVED = "Markdown code fences removed"
JSON_REPAIRED = "answers repaired as JSON (json-repair)"
JSON_LINES = "answers read as JSON lines"
NOT_JSON = "answers not readable as JSON (no events read)"
NO_EVENT_LIST = "answers without an events list (no events read)"
SINGLE_EVENT = "single event objects wrapped in a list"
BOM_REMOVED = "UTF-8 byte-order marks removed"
ENTRIES_MERGED = "entries merged into this document"

IDS_ASSIGNED = "ids assigned"
IDS_REPLACED = "duplicate ids replaced"
IDS_STRINGIFIED = "numeric ids turned into strings"
CLUSTERS_STRINGIFIED = "numeric cluster ids turned into strings"
NULLS_REMOVED = "null fields removed"
UNUSABLE_REMOVED = "unusable cluster, note or entity values removed"

BARE_TRIGGERS = "bare-string triggers turned into spans"
ARGUMENT_MAPS = "{role: text} argument maps turned into lists"
ARGUMENT_PAIRS = "[role, text] argument pairs turned into objects"
ARGUMENT_WRAPPED = "single argument objects wrapped in a list"
EMPTY_ARGUMENTS = "empty argument values skipped"

TYPES_NORMALISED = "type names matched to the ontology (case, separators)"
ROLES_NORMALISED = "role names matched to the ontology (case, separators)"
REALIS_NORMALISED = "realis values matched to the ontology (case)"

TRIGGERS_LOCATED = "trigger spans located in the document (start/end added)"
ARGUMENTS_LOCATED = "argument spans located in the document (start/end added)"
TRIGGERS_CORRECTED = "trigger offsets corrected to where their text occurs"
ARGUMENTS_CORRECTED = "argument offsets corrected to where their text occurs"
TEXT_TRIMMED = "span texts trimmed of punctuation or spaces"
TEXT_WIDENED = "span texts widened to whole words"
TRIGGERS_TEXT_ONLY = "triggers kept text-only (text not in the document)"
ARGUMENTS_TEXT_ONLY = "arguments kept text-only (text not in the document)"

DROPPED_NOT_EVENT = "events dropped: not an event object"
DROPPED_BAD_TYPE = "events dropped: unknown event type"
DROPPED_NO_TRIGGER = "events dropped: no usable trigger"
DROPPED_TRIGGER_NOT_FOUND = "events dropped: trigger not found in the text"
DROPPED_DUPLICATE_EVENTS = "duplicate events dropped"
DROPPED_BAD_ROLE = "arguments dropped: role not allowed for the event type"
DROPPED_ARGUMENT_UNUSABLE = "arguments dropped: no usable text or offsets"
DROPPED_ARGUMENT_NOT_FOUND = "arguments dropped: text not found in the text"
DROPPED_DUPLICATE_ARGUMENTS = "duplicate arguments dropped"
DROPPED_REALIS = "realis values dropped (not in the ontology)"

COUNTER_NAMES = {
    DROPPED_NOT_EVENT: "dropped_events_bad_type",
    DROPPED_BAD_TYPE: "dropped_events_bad_type",
    DROPPED_NO_TRIGGER: "dropped_triggers",
    DROPPED_TRIGGER_NOT_FOUND: "dropped_triggers",
    DROPPED_DUPLICATE_EVENTS: "dropped_duplicate_events",
    DROPPED_BAD_ROLE: "dropped_arguments",
    DROPPED_ARGUMENT_UNUSABLE: "dropped_arguments",
    DROPPED_ARGUMENT_NOT_FOUND: "dropped_arguments",
    DROPPED_REALIS: "dropped_realis",
}
"""Short counter names for the changes that lose information (the `llm` extractor's `stats`)."""


def renamed(old: str, new: str) -> str:
    return f"fields {_short(old)} renamed to {new!r}"


def unknown_field(name: str) -> str:
    return f"unknown fields {_short(name)} removed"


def doc_id_matched(given: str) -> str:
    return f"doc_id {_short(given)} matched to this document"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "...'"


# --- reading an answer -------------------------------------------------------------------------

_FENCE = re.compile(r"```[^\n`]*\n(.*?)(?:\n[ \t]*```|\Z)", re.S)


def _is_answer_shape(value: object) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value))


def _json_lines(text: str) -> list[dict] | None:
    """Two or more non-blank lines that are each a JSON object, else None."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    values = []
    for line in lines:
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if not isinstance(value, dict):
            return None
        values.append(value)
    return values


def read_answer(text: str) -> tuple[object | None, list[str]]:
    """Parse a model's answer; return (value or None, what had to be done to read it).

    Plain JSON needs nothing. Otherwise the first Markdown code fence is taken (prose around it
    goes), then tried as JSON, as JSON lines, and last mended by ``json_repair``, a maintained
    library made for LLM output (trailing commas, a truncated tail, ...). A mended value counts
    only if it is an object or a list of objects (the shapes an answer may have): anything else
    (``json_repair`` turns ``{broken`` into ``["broken"]``) is None.
    """
    try:
        return json.loads(text), []
    except (ValueError, TypeError, RecursionError):
        pass
    if not isinstance(text, str):
        return None, []
    notes: list[str] = []
    fenced = _FENCE.search(text)
    if fenced:
        notes.append(FENCE_REMOVED)
        text = fenced.group(1)
        try:
            return json.loads(text), notes
        except (ValueError, RecursionError):
            pass
    lines = _json_lines(text)
    if lines is not None:
        return lines, [*notes, JSON_LINES]
    from json_repair import repair_json

    try:
        value = repair_json(text, return_objects=True)
    except (ValueError, RecursionError):
        value = None
    if _is_answer_shape(value):
        return value, [*notes, JSON_REPAIRED]
    return None, notes


def parse_json_answer(text: str) -> tuple[object | None, bool]:
    """(value or None, whether it needed more than `json.loads`): `read_answer` for counting."""
    value, notes = read_answer(text)
    return value, value is None or bool(notes)


# --- names ---------------------------------------------------------------------------------------


def _key(name: str) -> str:
    """A name without case and separators: `Contact.Meet`, `contact_meet`, `CONTACT-MEET` agree."""
    return re.sub(r"[\W_]+", "", name).casefold()


def _aliases(table: dict[str, Iterable[str]]) -> dict[str, str]:
    return {_key(alias): canonical for canonical, aliases in table.items() for alias in (canonical, *aliases)}


EVENT_FIELDS = _aliases({
    "id": ("event_id", "mention_id", "eid"),
    "type": ("event_type", "type_name", "event_label", "label", "event_class"),
    "realis": ("event_realis",),
    "trigger": ("trigger_text", "trigger_word", "trigger_span", "anchor", "anchor_text", "event_trigger"),
    "_trigger_start": ("trigger_start", "trigger_begin", "trigger_start_char"),
    "_trigger_end": ("trigger_end", "trigger_end_char"),
    "arguments": ("args", "argument", "roles", "participants", "event_arguments"),
    "cluster": ("cluster_id", "event_cluster", "coref", "coref_cluster", "hopper"),
    "note": ("notes", "comment"),
})
ARGUMENT_FIELDS = _aliases({
    "role": ("argument_role", "arg_role", "role_name", "role_type"),
    "text": ("mention", "argument_text", "arg_text", "span_text", "value", "word", "argument"),
    "start": ("start_char", "char_start", "begin", "start_offset"),
    "end": ("end_char", "char_end", "end_offset"),
    "_offsets": ("span", "offsets", "offset", "char_span"),
    "entity": ("entity_id",),
})
SPAN_FIELDS = _aliases({
    "text": ("mention", "word", "value", "span_text", "trigger_text"),
    "start": ("start_char", "char_start", "begin", "start_offset"),
    "end": ("end_char", "char_end", "end_offset"),
    "_offsets": ("span", "offsets", "offset", "char_span"),
})
DOCUMENT_KEYS = frozenset(map(_key, ("doc_id", "document_id", "doc", "document", "id", "doc_name", "file", "filename")))
PAYLOAD_KEYS = frozenset(map(_key, (
    "events", "event_mentions", "predictions", "prediction", "output", "answer", "response", "completion",
    "content", "generated_text", "generation", "result", "raw_output", "model_output",
)))
KEPT_DOCUMENT_FIELDS = ("system", "annotators", "entities")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Tally:
    """Counts per change, in the order they first happened."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, what: str, count: int = 1) -> None:
        if count:
            self.counts[what] = self.counts.get(what, 0) + count

    def changes(self, doc_id: str) -> list[Change]:
        return [Change(doc_id, what, count) for what, count in self.counts.items()]


# --- one document --------------------------------------------------------------------------------


def _masked(text: str, avoid: Sequence[tuple[int, int]]) -> str:
    """`text` with the `avoid` ranges blanked (same length, so offsets stay valid)."""
    chars = list(text)
    for start, end in avoid:
        chars[start:end] = " " * (min(end, len(text)) - start)
    return "".join(chars)


class _Converter:
    """Reads one document's (or one chunk's) events; every change goes to `tally`."""

    def __init__(self, text: str, ontology: Ontology, tally: _Tally, *, offset: int = 0, keep_unlocated: bool = True,
                 avoid: Sequence[tuple[int, int]] = ()) -> None:
        self.text = text
        self.ontology = ontology
        self.tally = tally
        self.offset = offset
        self.keep_unlocated = keep_unlocated
        self.masked = _masked(text, avoid) if avoid else None
        self.types = {_key(t): t for t in ontology.types}
        self.realis = {_key(r): r for r in ontology.realis}
        self.triggers: set[tuple[str, int, int]] = set()  # (type, start, end) of the triggers so far

    # -- the list of events ----------------------------------------------------------------------

    def items(self, payload: object, *, depth: int = 0) -> list:
        """The raw event items of one answer: a list, {"events": [...]}, one event, or answer text."""
        if isinstance(payload, str) and depth < 2:
            value, notes = read_answer(payload)
            for note in notes:
                self.tally.add(note)
            if value is None or isinstance(value, str):
                self.tally.add(NOT_JSON)
                return []
            return self.items(value, depth=depth + 1)
        if payload is None:
            return []
        if isinstance(payload, dict):
            inner = next((k for k in payload if isinstance(k, str) and _key(k) in PAYLOAD_KEYS), None)
            if inner is not None:
                return self.items(payload[inner], depth=depth + 1) if payload[inner] is not None else []
            if any(isinstance(k, str) and EVENT_FIELDS.get(_key(k)) in ("type", "trigger") for k in payload):
                self.tally.add(SINGLE_EVENT)
                return [payload]
            self.tally.add(NO_EVENT_LIST)
            return []
        if isinstance(payload, list):
            return payload
        self.tally.add(NOT_JSON if isinstance(payload, str) else NO_EVENT_LIST)
        return []

    def events(self, items: list) -> list[dict]:
        out: list[dict] = []
        seen: set[tuple] = set()
        cursor = 0
        for item in items:
            converted = self.event(item, cursor)
            if converted is None:
                continue
            event, located = converted
            if located is not None:
                cursor = located
            key = _event_key(event)
            if key in seen:
                self.tally.add(DROPPED_DUPLICATE_EVENTS)
                continue
            seen.add(key)
            out.append(event)
        self._assign_ids(out)
        return out

    def _assign_ids(self, events: list[dict]) -> None:
        used: set[str] = set()
        pending = []
        for event in events:
            if event["id"] is None or event["id"] in used:
                if event["id"] is not None:
                    self.tally.add(IDS_REPLACED)
                pending.append(event)
            else:
                used.add(event["id"])
        n = 0
        for event in pending:
            if event["id"] is None:
                self.tally.add(IDS_ASSIGNED)
            n += 1
            while f"e{n}" in used:
                n += 1
            event["id"] = f"e{n}"
            used.add(event["id"])

    # -- one event -------------------------------------------------------------------------------

    def _fields(self, raw: dict, table: dict[str, str]) -> dict:
        """`raw` with its field names normalised; unknown fields removed (both counted)."""
        out: dict = {}
        for name, value in raw.items():
            canonical = table.get(_key(name)) if isinstance(name, str) else None
            if canonical is None or (canonical != name and canonical in raw) or canonical in out:
                self.tally.add(unknown_field(name))
                continue
            if canonical != name and not canonical.startswith("_"):
                self.tally.add(renamed(name, canonical))
            out[canonical] = value
        return out

    def _type(self, value: object) -> str | None:
        if not isinstance(value, str):
            return None
        if value in self.ontology.types:
            return value
        found = self.types.get(_key(value))
        if found is not None:
            self.tally.add(TYPES_NORMALISED)
        return found

    def event(self, item: object, cursor: int) -> tuple[dict, int | None] | None:
        """(submission event, where its trigger starts in the text if located), or None if dropped."""
        if not isinstance(item, dict):
            self.tally.add(DROPPED_NOT_EVENT)
            return None
        fields = self._fields(item, EVENT_FIELDS)
        etype = self._type(fields.get("type"))
        if etype is None:
            self.tally.add(DROPPED_BAD_TYPE)
            return None
        trigger = self._trigger(fields, cursor, etype)
        if trigger is None:
            return None
        span, located = trigger
        event: dict[str, Any] = {"id": self._id(fields.get("id")), "type": etype}
        if "realis" in fields:
            realis = self._realis(fields["realis"])
            if realis is not None:
                event["realis"] = realis
        event["trigger"] = span
        if "arguments" in fields:
            if fields["arguments"] is None:
                self.tally.add(NULLS_REMOVED)
            else:
                event["arguments"] = self.arguments(fields["arguments"], etype, located or 0)
        for name in ("cluster", "note"):
            if name in fields:
                value = self._string(fields[name], numbers=name == "cluster")
                if value is not None:
                    event[name] = value
        return event, located

    def _id(self, value: object) -> str | None:
        if isinstance(value, str) and value:
            return value
        if _is_int(value):
            self.tally.add(IDS_STRINGIFIED)
            return str(value)
        return None  # assigned later, and counted then

    def _string(self, value: object, *, numbers: bool) -> str | None:
        if isinstance(value, str) and value:
            return value
        if numbers and _is_int(value):
            self.tally.add(CLUSTERS_STRINGIFIED)
            return str(value)
        self.tally.add(NULLS_REMOVED if value is None else UNUSABLE_REMOVED)
        return None

    def _realis(self, value: object) -> str | None:
        if value is None:
            self.tally.add(NULLS_REMOVED)
            return None
        if isinstance(value, str) and value in self.ontology.realis:
            return value
        found = self.realis.get(_key(value)) if isinstance(value, str) else None
        self.tally.add(DROPPED_REALIS if found is None else REALIS_NORMALISED)
        return found

    def _trigger(self, fields: dict, cursor: int, etype: str) -> tuple[dict, int | None] | None:
        raw = fields.get("trigger")
        start, end = fields.get("_trigger_start"), fields.get("_trigger_end")
        text = None
        if isinstance(raw, str):
            self.tally.add(BARE_TRIGGERS)
            text = raw
        elif isinstance(raw, dict):
            start, end, text = self._span_parts(self._fields(raw, SPAN_FIELDS), start, end)
        elif isinstance(raw, list) and len(raw) == 2 and all(map(_is_int, raw)):
            start, end = raw
        elif raw is not None or start is None:
            self.tally.add(DROPPED_NO_TRIGGER)
            return None
        resolved = self.span(start, end, text, cursor, forward=True, trigger=True, etype=etype)
        if resolved is not None and resolved[1] is not None:
            self.triggers.add((etype, resolved[0]["start"], resolved[0]["end"]))
        return resolved

    @staticmethod
    def _span_parts(fields: dict, start: object = None, end: object = None) -> tuple[object, object, object]:
        """start, end, text of a span's fields (offsets may come as "span": [start, end])."""
        offsets = fields.get("_offsets")
        if isinstance(offsets, (list, tuple)) and len(offsets) == 2:
            start, end = offsets
        elif isinstance(offsets, dict):
            start, end = offsets.get("start"), offsets.get("end")
        elif isinstance(offsets, str) and "text" not in fields:
            fields = {**fields, "text": offsets}
        start = fields.get("start", start)
        end = fields.get("end", end)
        return start, end, fields.get("text")

    # -- spans -----------------------------------------------------------------------------------

    def _locate(self, needle: str, anchor: int, forward: bool) -> tuple[int, int] | None:
        from benchmark.extractors.llm import find_span  # imported here: llm.py imports this module

        if self.masked is not None:
            found = find_span(self.masked, needle, anchor, forward=forward)
            if found is not None:
                return found
        return find_span(self.text, needle, anchor, forward=forward)

    def span(self, start: object, end: object, text: object, anchor: int, *, forward: bool, trigger: bool,
             etype: str | None = None) -> tuple[dict, int | None] | None:
        """A submission span and where it starts in the text (None when text-only), or None if dropped."""
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)  # {"Time": 2025}
        if not isinstance(text, str):
            text = None
        given = start is not None or end is not None
        if _is_int(start) and _is_int(end) and 0 <= start < end <= len(self.text):  # type: ignore[operator]
            if text is None or text == self.text[start:end]:  # type: ignore[misc]
                span = {"start": start + self.offset, "end": end + self.offset}  # type: ignore[operator]
                if text is not None:
                    span["text"] = text
                return span, start  # type: ignore[return-value]
        if text is None or not text.strip():
            self.tally.add(DROPPED_NO_TRIGGER if trigger else DROPPED_ARGUMENT_UNUSABLE)
            return None
        found = self._locate(text, anchor, forward)
        if found is not None and etype is not None and (etype, found[0] + self.offset, found[1] + self.offset) in self.triggers:
            # Two events of one type on one word are two mentions: the second takes the next occurrence.
            later = self._locate(text, found[0] + 1, True)
            if later is not None and (etype, later[0] + self.offset, later[1] + self.offset) not in self.triggers:
                found = later
        if found is not None:
            s, e = found
            located = self.text[s:e]
            if given:
                self.tally.add(TRIGGERS_CORRECTED if trigger else ARGUMENTS_CORRECTED)
            else:
                self.tally.add(TRIGGERS_LOCATED if trigger else ARGUMENTS_LOCATED)
            if located != text:
                self.tally.add(TEXT_TRIMMED if located in text else TEXT_WIDENED)
            return {"start": s + self.offset, "end": e + self.offset, "text": located}, s
        if not self.keep_unlocated:
            self.tally.add(DROPPED_TRIGGER_NOT_FOUND if trigger else DROPPED_ARGUMENT_NOT_FOUND)
            return None
        self.tally.add(TRIGGERS_TEXT_ONLY if trigger else ARGUMENTS_TEXT_ONLY)
        return {"text": text}, None

    # -- arguments -------------------------------------------------------------------------------

    def _role_of(self, item: dict) -> bool:
        return any(isinstance(k, str) and ARGUMENT_FIELDS.get(_key(k)) == "role" for k in item)

    def _map_items(self, mapping: dict) -> list[dict]:
        """{role: text | [texts] | span | [spans]} as argument objects."""
        self.tally.add(ARGUMENT_MAPS)
        out = []
        for role, value in mapping.items():
            for one in value if isinstance(value, list) else [value]:
                if one is None or one == "" or one == []:
                    self.tally.add(EMPTY_ARGUMENTS)
                elif isinstance(one, dict):
                    out.append({**{k: v for k, v in one.items() if not (isinstance(k, str) and ARGUMENT_FIELDS.get(_key(k)) == "role")}, "role": role})
                else:
                    out.append({"role": role, "text": one})
        return out

    def _argument_items(self, raw: object) -> list:
        if isinstance(raw, dict):
            if self._role_of(raw):
                self.tally.add(ARGUMENT_WRAPPED)
                return [raw]
            return self._map_items(raw)
        if not isinstance(raw, list):
            self.tally.add(DROPPED_ARGUMENT_UNUSABLE)
            return []
        out: list = []
        for item in raw:
            if isinstance(item, dict) and not self._role_of(item) and len(item) == 1:
                out.extend(self._map_items(item))
            elif isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[0], str):
                self.tally.add(ARGUMENT_PAIRS)
                out.append({"role": item[0], "text": item[1]})
            else:
                out.append(item)
        return out

    def _role(self, value: object, roles: tuple[str, ...]) -> str | None:
        if not isinstance(value, str):
            return None
        if value in roles:
            return value
        found = {_key(r): r for r in roles}.get(_key(value))
        if found is not None:
            self.tally.add(ROLES_NORMALISED)
        return found

    def arguments(self, raw: object, etype: str, anchor: int) -> list[dict]:
        roles = self.ontology.roles_for(etype)
        out: list[dict] = []
        seen: set[tuple] = set()
        for item in self._argument_items(raw):
            if not isinstance(item, dict):
                self.tally.add(DROPPED_ARGUMENT_UNUSABLE)
                continue
            fields = self._fields(item, ARGUMENT_FIELDS)
            role = self._role(fields.get("role"), roles)
            if role is None:
                self.tally.add(DROPPED_BAD_ROLE)
                continue
            start, end, text = self._span_parts(fields)
            resolved = self.span(start, end, text, anchor, forward=False, trigger=False)
            if resolved is None:
                continue
            argument = {"role": role, **resolved[0]}
            if "entity" in fields:
                entity = self._string(fields["entity"], numbers=False)
                if entity is not None:
                    argument["entity"] = entity
            key = _argument_key(argument)
            if key in seen:
                self.tally.add(DROPPED_DUPLICATE_ARGUMENTS)
                continue
            seen.add(key)
            out.append(argument)
        return out


def _span_key(span: dict) -> tuple:
    return (span["start"], span["end"]) if "start" in span else (None, span["text"])


def _argument_key(argument: dict) -> tuple:
    return (argument["role"], *_span_key(argument))


def _event_key(event: dict) -> tuple:
    """What makes two events the same claim: everything but the id (and the note)."""
    arguments = tuple(sorted((*_argument_key(a), a.get("entity") or "") for a in event.get("arguments", ())))
    return (event["type"], event.get("realis"), _span_key(event["trigger"]), arguments, event.get("cluster"))


def convert_events(
    answer: object,
    text: str,
    ontology: Ontology,
    *,
    doc_id: str = "",
    offset: int = 0,
    keep_unlocated: bool = True,
    avoid: Sequence[tuple[int, int]] = (),
) -> tuple[list[dict], list[Change]]:
    """One document's loose output as valid submission events, and what was changed.

    `answer` is a parsed value or the model's raw text; spans are found in `text` and shifted by
    `offset` (the `llm` extractor passes one chunk of a document). With `keep_unlocated` a span
    whose text is not in `text` stays text-only, else it is dropped (with its event, for a
    trigger). Occurrences outside the `avoid` ranges (chrome) are preferred.
    """
    tally = _Tally()
    converter = _Converter(text, ontology, tally, offset=offset, keep_unlocated=keep_unlocated, avoid=avoid)
    events = converter.events(converter.items(answer))
    return events, tally.changes(doc_id)


def convert_arguments(
    raw: object, etype: str, text: str, ontology: Ontology, *, anchor: int = 0, offset: int = 0, keep_unlocated: bool = True, doc_id: str = ""
) -> tuple[list[dict], list[Change]]:
    """The arguments of one event of type `etype` (a list or a {role: text} map), located near `anchor`."""
    tally = _Tally()
    converter = _Converter(text, ontology, tally, offset=offset, keep_unlocated=keep_unlocated)
    return converter.arguments(raw, etype, anchor), tally.changes(doc_id)


# --- a whole file --------------------------------------------------------------------------------


@dataclass
class Entry:
    """One document's output as found in the input, before it is matched to the corpus."""

    where: str
    doc_key: object
    payload: object
    fields: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class RawInput:
    """What a file of model output holds: its entries, its system name, the file-level changes."""

    file: str
    entries: list[Entry]
    system: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Converted:
    """A valid submission object and every change made to get it."""

    submission: dict
    changes: list[Change]
    missing: list[str]
    """Corpus documents the input has no entry for (scored as having no events)."""


def _at(where: str, path: str) -> str:
    """`where` (`$`, `$.documents[2]`, `line 3`) extended by a JSON path step (`.doc_id`)."""
    if where.startswith("line"):
        return f"{where} ${path}" if " $" not in where else where + path
    return where + path


def _document_entry(obj: dict, where: str, problems: list[Problem], file: str) -> Entry | None:
    doc_keys = [k for k in obj if isinstance(k, str) and _key(k) in DOCUMENT_KEYS]
    if not doc_keys:
        problems.append(Problem(file, where, f"document object has no doc_id (keys: {', '.join(map(repr, list(obj)[:6]))})",
                                'add "doc_id": "<corpus id, or its 3-digit prefix such as 000>"'))
        return None
    name = "doc_id" if "doc_id" in doc_keys else doc_keys[0]
    payloads = [k for k in obj if isinstance(k, str) and _key(k) in PAYLOAD_KEYS]
    payload_key = "events" if "events" in payloads else (payloads[0] if payloads else None)
    entry = Entry(_at(where, f".{name}"), obj[name], obj[payload_key] if payload_key else None)
    for key, value in obj.items():
        if key in (name, payload_key):
            continue
        if key in KEPT_DOCUMENT_FIELDS:
            entry.fields[key] = value
        else:
            entry.notes.append(unknown_field(key))
    if name != "doc_id":
        entry.notes.append(renamed(name, "doc_id"))
    if payload_key is not None and payload_key not in ("events", "output"):
        entry.notes.append(renamed(payload_key, "events"))
    return entry


def entries_from_value(value: object, file: str, where: str = "$") -> RawInput:
    """The entries of a parsed input: a submission, a {doc_id: events} map, a document, or a list of documents."""
    problems: list[Problem] = []
    raw = RawInput(file, [])
    if isinstance(value, dict) and "documents" in value:
        docs = value["documents"]
        if isinstance(value.get("system"), str):
            raw.system = value["system"]
        raw.notes += [unknown_field(k) for k in value if k not in ("documents", "system")]
        if isinstance(docs, dict):
            value, where = docs, _at(where, ".documents")
        elif isinstance(docs, list):
            for i, doc in enumerate(docs):
                here = _at(where, f".documents[{i}]")
                if isinstance(doc, dict):
                    entry = _document_entry(doc, here, problems, file)
                    if entry is not None:
                        raw.entries.append(entry)
                else:
                    problems.append(Problem(file, here, "expected a document object", 'write {"doc_id": ..., "events": [...]}'))
            if problems:
                raise InputError(problems)
            return raw
        else:
            raise InputError([Problem(file, _at(where, ".documents"), "'documents' is neither a list nor a {doc_id: events} map",
                                      'write "documents": [{"doc_id": ..., "events": [...]}]')])
    if isinstance(value, dict) and any(isinstance(k, str) and _key(k) in ("docid", "documentid") for k in value):
        entry = _document_entry(value, where, problems, file)
        if entry is None:
            raise InputError(problems)
        raw.entries.append(entry)
        return raw
    if isinstance(value, dict):
        for key, payload in value.items():
            if key == "system" and isinstance(payload, str):
                raw.system = payload
            else:
                raw.entries.append(Entry(_at(where, f"[{key!r}]"), key, payload))
        return raw
    if isinstance(value, list) and all(isinstance(d, dict) for d in value):
        if any(not (set(map(_key, filter(lambda k: isinstance(k, str), d))) & (DOCUMENT_KEYS - {"id"}))
               and any(isinstance(k, str) and EVENT_FIELDS.get(_key(k)) in ("type", "trigger") for k in d) for d in value):
            raise InputError([Problem(file, where, "a list of events without a doc_id: which document are they for?",
                                      'wrap them as {"<doc_id>": [events]} or give each document as {"doc_id": ..., "events": [...]}')])
        for i, doc in enumerate(value):
            entry = _document_entry(doc, _at(where, f"[{i}]"), problems, file)
            if entry is not None:
                raw.entries.append(entry)
        if problems:
            raise InputError(problems)
        return raw
    from benchmark.input.validation import describe_value

    raise InputError([Problem(file, where, f"expected a submission, a {{doc_id: events}} object or document objects, found {describe_value(value)}",
                              'write {"documents": [{"doc_id": ..., "events": [...]}]} or {"<doc_id>": [events]}')])


def _json_error(text: str) -> tuple[str, str]:
    """Where and why `json.loads` refuses `text` (the place an unreadable file is reported at)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"line {exc.lineno} column {exc.colno}", exc.msg
    except (ValueError, RecursionError) as exc:
        return "line 1 column 1", str(exc) or type(exc).__name__
    return "line 1 column 1", "unreadable"


def read_raw(path: Path | str, *, max_bytes: int | None = None) -> RawInput:
    """Read a file of model output (JSON, JSONL, fenced or mendable), or raise InputError with the place."""
    path = Path(path)
    file = str(path)
    check_file(path, max_bytes or max_bytes_from_env())
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(file, "", f"cannot read the file: {exc.strerror or exc}", "check the path and its permissions")]) from None
    notes = []
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
        notes.append(BOM_REMOVED)
    _check_head(data[:4], file)
    text = _decode(data, file)
    if not text.strip():
        raise InputError([Problem(file, "", "file holds only whitespace", "write the model output as JSON or JSONL")])
    raw = None
    if is_jsonl(path) or _json_lines(text) is not None:
        try:
            raw = _read_lines(text, file)
        except InputError:
            if not _parses(text):  # a .jsonl file holding one pretty-printed JSON value is read as JSON
                raise
    if raw is None:
        value, found = read_answer(text)
        if value is None:
            where, message = _json_error(text)
            raise InputError([Problem(file, where, f"not JSON, even after removing Markdown fences and repairing: {message}",
                                      "write the model output as JSON (an object or a list) or JSONL (one object per line)")])
        raw = entries_from_value(value, file)
        raw.notes[:0] = found
    raw.notes[:0] = notes
    return raw


def _parses(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except (ValueError, RecursionError):
        return False


def _read_lines(text: str, file: str) -> RawInput:
    """JSONL: each non-blank line is one document object (or a {doc_id: events} map); bad lines are located."""
    raw = RawInput(file, [])
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value, found = read_answer(line)
        if value is None:
            where, message = _json_error(line)
            where = f"line {number}" + (f" column {where.rsplit(' ', 1)[1]}" if where else "")
            problems.append(Problem(file, where, f"malformed JSON, even after repairing: {message}", "write one JSON document object per line"))
            continue
        if not isinstance(value, dict):
            from benchmark.input.validation import describe_value

            problems.append(Problem(file, f"line {number}", f"expected a JSON object, found {describe_value(value)}",
                                    'write one document object per line: {"doc_id": ..., "events": [...]}'))
            continue
        try:
            part = entries_from_value(value, file, f"line {number}")
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for entry in part.entries:
            entry.notes[:0] = found
        raw.entries += part.entries
        raw.system = raw.system or part.system
        raw.notes += part.notes
    if problems:
        raise InputError(problems)
    return raw


def _resolve(key: object, corpus: Corpus) -> tuple[str | None, str]:
    """The corpus doc_id an entry names (exact, without .txt/.json, or an unambiguous number prefix)."""
    if _is_int(key):
        key = str(key)
    if not isinstance(key, str):
        return None, f"doc_id is {type(key).__name__}, not a string"
    if key in corpus.documents:
        return key, ""
    name = re.sub(r"\.(txt|json)$", "", key.strip())
    if name in corpus.documents:
        return name, ""
    candidates = [d for d in corpus.documents if d.startswith(name + "_")] if name else []
    if not candidates and name.isdigit():
        candidates = [d for d in corpus.documents if (head := d.split("_", 1)[0]).isdigit() and int(head) == int(name)]
    if len(candidates) == 1:
        return candidates[0], ""
    if len(candidates) > 1:
        return None, f"doc_id {key!r} matches {len(candidates)} documents ({', '.join(sorted(candidates)[:4])})"
    return None, f"unknown document {key!r}"


def convert_raw(raw: RawInput, corpus: Corpus, *, system: str | None = None) -> Converted:
    """Match entries to corpus documents, convert each document's events, build the submission."""
    problems: list[Problem] = []
    grouped: dict[str, list[Entry]] = {}
    for entry in raw.entries:
        doc_id, why = _resolve(entry.doc_key, corpus)
        if doc_id is None:
            close = difflib.get_close_matches(str(entry.doc_key), list(corpus.documents), n=1)
            fix = f"did you mean {close[0]}?" if close else f"use a corpus doc_id or its number prefix: {', '.join(sorted(corpus.documents)[:5])}"
            problems.append(Problem(raw.file, entry.where, why, fix))
            continue
        if doc_id != entry.doc_key:
            entry.notes.append(doc_id_matched(str(entry.doc_key)))
        grouped.setdefault(doc_id, []).append(entry)
    if problems:
        raise InputError(problems)
    changes = [Change("", what, count) for what, count in _count(raw.notes).items()]
    documents = []
    for doc_id, entries in grouped.items():
        document = corpus.documents[doc_id]
        tally = _Tally()
        for entry in entries:
            for note in entry.notes:
                tally.add(note)
        if len(entries) > 1:
            tally.add(ENTRIES_MERGED, len(entries))
        converter = _Converter(document.text, corpus.ontology, tally, avoid=document.chrome_ranges)
        items: list = []
        for entry in entries:
            items += converter.items(entry.payload)
        out: dict = {"doc_id": doc_id, "events": converter.events(items)}
        for entry in reversed(entries):  # the first entry's document fields win
            out.update(entry.fields)
        documents.append(out)
        changes += tally.changes(doc_id)
    submission: dict = {"documents": documents}
    name = system if system is not None else raw.system
    if name is not None:
        submission = {"system": name, **submission}
    missing = sorted(set(corpus.documents) - set(grouped))
    return Converted(submission, changes, missing)


def _count(notes: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for note in notes:
        counts[note] = counts.get(note, 0) + 1
    return counts


def convert_submission(value: object, corpus: Corpus, *, file: str = "<input>", system: str | None = None) -> Converted:
    """`convert_raw` of an already parsed value (a submission, a {doc_id: events} map, ...)."""
    return convert_raw(entries_from_value(value, file), corpus, system=system)
