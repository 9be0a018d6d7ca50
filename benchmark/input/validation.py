"""Checking submissions and gold against the schema and the corpus, and turning them into records.

Two layers, both reporting every problem found (not just the first):
1. JSON Schema (Draft 2020-12, `gold/schema/`): shape and field types, located by JSON path.
   Large valid files take a fast path that checks the same schema while decoding
   (`benchmark.input.structs`); anything it doubts comes back here for the precise problems.
2. Corpus rules the schema cannot express: known documents, types, roles and realis values,
   offsets inside the text, span text equal to the slice, unique ids, chrome, gold entity ids.
Only input that passes both becomes an `Annotation`; anything else raises `InputError`.
"""

from __future__ import annotations

import difflib
import json
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from benchmark.input import structs
from benchmark.input.corpus import Corpus, Document
from benchmark.input.problems import Problem
from benchmark.input.structs import UNSET, present
from scorers.model import Annotation, Argument, DocumentAnnotation, Entity, EventMention, Span


@lru_cache(maxsize=4)
def _validator(schema_path: str, definition: str | None):
    import jsonschema  # imported here: it costs start-up time that `--help` should not pay

    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    if definition:
        schema = {**schema, "$ref": f"#/$defs/{definition}"}
        schema.pop("required", None)
        schema.pop("properties", None)
        schema.pop("additionalProperties", None)
        schema.pop("type", None)
    # JSON Schema counts 3.0 as an integer; an offset must be a JSON integer literal (and never a
    # boolean), or slicing the document text would fail later.
    strict = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    validator_class = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=strict)
    return validator_class(schema)


_KIND_NAMES = {"integer": "an integer", "string": "a string", "object": "an object", "array": "an array", "number": "a number", "boolean": "a boolean", "null": "null"}


def describe_value(value: object) -> str:
    """A short, safe description of a JSON value for a one-line message (never a huge repr)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int):
        text = repr(value) if value.bit_length() < 200 else f"an integer of {len(str(abs(value)))} digits"
        return f"the integer {text}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f"{'NaN' if value != value else 'Infinity'} (not standard JSON)"
        return f"the number {value!r} (with a decimal point or exponent)"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the string {shown!r}"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        keys = ", ".join(repr(k) for k in list(value)[:5]) + (", ..." if len(value) > 5 else "")
        return f"an object with keys {keys}" if value else "an empty object"
    return type(value).__name__


def _expected(error) -> str:
    kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    return " or ".join(_KIND_NAMES.get(kind, kind) for kind in kinds)


def _schema_message(error) -> str:
    """The problem in one short line; jsonschema's own messages embed whole reprs of the value."""
    kind = error.validator
    if kind == "type":
        return f"expected {_expected(error)}, found {describe_value(error.instance)}"
    if kind == "enum":
        return f"{describe_value(error.instance)} is not one of: {', '.join(map(str, error.validator_value))}"
    if kind == "anyOf":
        return "span has neither start and end nor text"
    if kind == "dependentRequired" and isinstance(error.instance, dict):
        given = [k for k in error.validator_value if k in error.instance]
        missing = [n for k, needs in error.validator_value.items() if k in error.instance for n in needs if n not in error.instance]
        if given and missing:
            return f"{given[0]!r} is given without {missing[0]!r}"
    message = error.message
    return message if len(message) < 200 else message[:200] + "..."


def _schema_fix(error) -> str:
    kind = error.validator
    if kind == "required":
        return "add the missing field"
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        close = difflib.get_close_matches(extra[0], allowed, n=1) if extra else []
        if close:
            return f"rename {extra[0]!r} to {close[0]!r} (allowed: {', '.join(allowed)})"
        return f"remove the field or correct its spelling (allowed: {', '.join(allowed)})"
    if kind == "type":
        return f"use {_expected(error)} here"
    if kind == "anyOf":
        return "give start and end, or text, or all three"
    if kind == "dependentRequired":
        return "give start and end together"
    if kind == "minimum":
        return "offsets are code-point indices: start >= 0 and end >= 1"
    if kind in {"minLength", "minItems"}:
        return "give a non-empty value, or leave the field out"
    if kind == "enum":
        return f"use one of: {', '.join(map(str, error.validator_value))}"
    return "make the value match the format in gold/schema/"


def _join(prefix: str, json_path: str) -> str:
    """Render a location: `$.documents[0].events[1]` for JSON, `line 3 $.events[1]` for JSONL."""
    if prefix.startswith("line"):
        return f"{prefix} {json_path}"
    return (prefix or "$") + json_path[1:]


def schema_problems(instance: object, file: str, prefix: str, schema_path: Path, definition: str | None = None) -> list[Problem]:
    validator = _validator(str(schema_path), definition)
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message))
        # "start without end" also fails the anyOf (offsets or text); one line says it better.
        unpaired = {e.json_path for e in errors if e.validator == "dependentRequired"}
        errors = [e for e in errors if not (e.validator == "anyOf" and e.json_path in unpaired)]
        return [Problem(file, _join(prefix, error.json_path), _schema_message(error), _schema_fix(error)) for error in errors]
    except RecursionError:  # jsonschema builds reprs of deeply nested junk
        return [Problem(file, _join(prefix, "$"), "JSON nested too deeply", "flatten the structure; a submission needs at most 6 levels")]


@dataclass
class _Context:
    """What the corpus rules need while walking one file."""

    corpus: Corpus
    file: str
    gold: bool
    problems: list

    def add(self, where: str, message: str, fix: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.file, where, message, fix, severity))  # type: ignore[arg-type]


TATWEEL = "\u0640"
DIRECTION_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
HARAKAT = "".join(map(chr, range(0x064B, 0x0653))) + "\u0670"

INVISIBLE_MARKS = dict.fromkeys(map(ord, TATWEEL + DIRECTION_MARKS + ZERO_WIDTH))

# Each kind of invisible or optional difference, named the way the message names it.
_DIFFERENCE_KINDS = (
    ("tatweel", TATWEEL),
    ("invisible direction marks", DIRECTION_MARKS),
    ("zero-width characters", ZERO_WIDTH),
    ("diacritics (harakat)", HARAKAT),
)


def _drop(text: str, chars: str) -> str:
    return text.translate(dict.fromkeys(map(ord, chars)))


def _named(chars: set[str]) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in sorted(chars))


def _form(text: str) -> str:
    for form in ("NFC", "NFD"):
        if unicodedata.is_normalized(form, text):
            return form
    return "in neither NFC nor NFD"


def _slice_hint(given: str, actual: str) -> str:
    """Name the kind of difference between a span's text and the slice, when it is a known one."""
    if unicodedata.normalize("NFC", given) == unicodedata.normalize("NFC", actual):
        return f" (they differ only in Unicode normalisation: the text is {_form(given)}, the document slice is {_form(actual)})"
    for kind, chars in _DIFFERENCE_KINDS:
        if _drop(given, chars) == _drop(actual, chars):
            return f" (they differ only in {kind}: {_named((set(given) | set(actual)) & set(chars))})"
    every = "".join(chars for _, chars in _DIFFERENCE_KINDS)
    if _drop(given, every) == _drop(actual, every):
        present = (set(given) | set(actual)) & set(every)
        return f" (they differ only in tatweel, diacritics or invisible characters: {_named(present)})"
    if " ".join(given.split()) == " ".join(actual.split()):
        return " (they differ only in whitespace)"
    if unicodedata.normalize("NFKC", given) == unicodedata.normalize("NFKC", actual):
        return " (they differ only in compatibility forms such as Arabic presentation forms: NFKC)"
    return ""


def _span(raw: structs.Span | structs.Argument | structs.GoldSpan | structs.GoldArgument, doc: Document, ctx: _Context, where: str) -> Span | None:
    start, end, text = present(raw.start), present(raw.end), present(raw.text)
    if start is None:
        return Span(None, None, text)
    if start >= end:
        ctx.add(where, f"span is empty or reversed: start {start} >= end {end}", "end must be greater than start (offsets are half-open)")
        return None
    if end > len(doc.text):
        ctx.add(where, f"end {end} is past the end of document {doc.doc_id} ({len(doc.text)} characters)", "offsets are code-point indices into the document text")
        return None
    actual = doc.text[start:end]
    if text is not None and text != actual:
        found = doc.text.find(text)
        hint = f"; that text occurs at [{found}, {found + len(text)})" if found >= 0 else ""
        ctx.add(
            where,
            f"text {text!r} does not equal the document slice [{start}, {end}) = {actual!r}{_slice_hint(text, actual)}{hint}",
            "fix the offsets (Python str indices, half-open) or the text",
        )
        return None
    return Span(start, end, sys.intern(actual))  # words recur: one string object per distinct word


def _in_chrome(span: Span, doc: Document, *, overlap: bool = False) -> bool:
    """Submissions: the span starts in chrome. Gold (`overlap`): any character of it is in chrome."""
    if not span.has_offsets:
        return False
    if overlap:
        return any(start < span.end and span.start < end for start, end in doc.chrome_ranges)
    return doc.in_chrome(span.start, span.end)


def _gold_chrome(span: Span | None, doc: Document, ctx: _Context, where: str, what: str) -> None:
    if ctx.gold and span is not None and _in_chrome(span, doc, overlap=True):
        ctx.add(where, f"{what} [{span.start}, {span.end}) lies in a chrome segment (page furniture)", "chrome is never annotated (guidelines): remove it or fix its offsets")


def _check_event(raw: structs.Event | structs.GoldEvent, doc: Document, ctx: _Context, where: str, entity_ids: set[str]) -> EventMention | None:
    ontology = ctx.corpus.ontology
    ok = True
    etype = raw.type
    if etype not in ontology.types:
        close = difflib.get_close_matches(etype, list(ontology.types), n=3)
        ctx.add(f"{where}.type", f"unknown event type {etype!r}", f"use a type from gold/ontology.json{' such as ' + ', '.join(close) if close else ''}")
        ok = False
    realis = present(raw.realis)
    if realis is not None and realis not in ontology.realis:
        ctx.add(f"{where}.realis", f"unknown realis {realis!r}", f"use one of: {', '.join(ontology.realis)}")
        ok = False
    trigger = _span(raw.trigger, doc, ctx, f"{where}.trigger")
    ok = ok and trigger is not None
    if trigger is not None and _in_chrome(trigger, doc, overlap=ctx.gold):
        severity = "error" if ctx.gold else "warning"
        ctx.add(f"{where}.trigger", f"trigger [{trigger.start}, {trigger.end}) lies in a chrome segment (page furniture)", "remove it; predictions in chrome are ignored when scoring", severity)
        ok = ok and not ctx.gold
    arguments = []
    for j, arg in enumerate(raw.arguments or ()):
        awhere = f"{where}.arguments[{j}]"
        role = arg.role
        if etype in ontology.types and role not in ontology.roles_for(etype):
            ctx.add(f"{awhere}.role", f"role {role!r} is not allowed for {etype}", f"use one of: {', '.join(ontology.roles_for(etype))}")
            ok = False
        span = _span(arg, doc, ctx, awhere)
        if span is None:
            ok = False
            continue
        _gold_chrome(span, doc, ctx, awhere, "argument")
        entity = present(arg.entity)
        if entity is not None and entity_ids is not None and entity not in entity_ids and (ctx.gold or entity_ids):
            ctx.add(f"{awhere}.entity", f"entity {entity!r} is not listed in this document's entities", "add the entity with this mention, or correct the id")
            ok = False
        arguments.append(Argument(sys.intern(role), span, entity))
    if not ok:
        return None
    return EventMention(
        doc_id=doc.doc_id,
        id=raw.id,
        type=sys.intern(etype),
        trigger=trigger,
        realis=realis if realis is None else sys.intern(realis),
        arguments=tuple(arguments),
        cluster=present(raw.cluster),
    )


def check_document(raw: structs.Document | structs.GoldDocument, ctx: _Context, where: str) -> DocumentAnnotation | None:
    """Apply the corpus rules to one schema-valid document (a Struct of `benchmark.input.structs`)."""
    doc_id = raw.doc_id
    doc = ctx.corpus.documents.get(doc_id)
    if doc is None:
        known = sorted(ctx.corpus.documents)
        close = difflib.get_close_matches(doc_id, known, n=1)
        suggestion = f"did you mean {close[0]}?" if close else f"use one of: {', '.join(known[:8])}"
        ctx.add(f"{where}.doc_id", f"unknown document {doc_id!r}", suggestion)
        return None
    before = len([p for p in ctx.problems if p.severity == "error"])
    entities = []
    entity_ids: set[str] = set()
    for i, ent in enumerate(raw.entities or ()):
        ewhere = f"{where}.entities[{i}]"
        if ent.id in entity_ids:
            ctx.add(f"{ewhere}.id", f"duplicate entity id {ent.id!r}", "give each entity a unique id")
        entity_ids.add(ent.id)
        if ent.type not in ctx.corpus.ontology.entity_types:
            ctx.add(f"{ewhere}.type", f"unknown entity type {ent.type!r}", f"use one of: {', '.join(ctx.corpus.ontology.entity_types)}")
        mentions = [_span(m, doc, ctx, f"{ewhere}.mentions[{j}]") for j, m in enumerate(ent.mentions)]
        for j, mention in enumerate(mentions):
            _gold_chrome(mention, doc, ctx, f"{ewhere}.mentions[{j}]", "entity mention")
        entities.append(Entity(ent.id, ent.type, tuple(m for m in mentions if m is not None)))
    events = []
    seen: dict[str, int] = {}
    for i, ev in enumerate(raw.events):
        ewhere = f"{where}.events[{i}]"
        if ev.id in seen:
            ctx.add(f"{ewhere}.id", f"duplicate event id {ev.id!r} (also at events[{seen[ev.id]}])", "event ids must be unique within a document")
        seen.setdefault(ev.id, i)
        event = _check_event(ev, doc, ctx, ewhere, entity_ids if (ctx.gold or raw.entities is not UNSET) else None)
        if event is not None:
            events.append(event)
    if ctx.gold:
        _check_gold_arguments(raw, entities, ctx, where)
    errors_now = len([p for p in ctx.problems if p.severity == "error"])
    if errors_now > before:
        return None
    return DocumentAnnotation(doc_id=doc_id, events=tuple(events), entities=tuple(entities))


def _check_gold_arguments(raw: structs.GoldDocument, entities: list[Entity], ctx: _Context, where: str) -> None:
    """Gold rule: every argument span is one of the listed mentions of its entity."""
    mentions = {e.id: {(m.start, m.end) for m in e.mentions} for e in entities}
    for i, ev in enumerate(raw.events):
        for j, arg in enumerate(ev.arguments or ()):
            spans = mentions.get(present(arg.entity))
            if spans is not None and (arg.start, arg.end) not in spans:
                ctx.add(
                    f"{where}.events[{i}].arguments[{j}]",
                    f"argument span [{arg.start}, {arg.end}) is not among the mentions of entity {arg.entity!r}",
                    "add the span to the entity's mentions",
                )


def build_annotation(
    documents: Iterable[tuple[str, object]],
    corpus: Corpus,
    file: str,
    *,
    gold: bool = False,
    system: str | None = None,
    schema_path: Path | None = None,
    definition: str | None = "document",
) -> tuple[Annotation | None, list[Problem]]:
    """Check (location prefix, raw document object) pairs; return the annotation and all problems.

    A raw document is a parsed JSON value (checked against the JSON Schema here, then turned into
    a Struct of `benchmark.input.structs`) or a Struct the fast path already decoded and checked.
    The annotation is None when any error was found, so a bad file can never be scored.
    """
    schema_path = schema_path or corpus.schema_dir / ("gold-document.schema.json" if gold else "submission.schema.json")
    ctx = _Context(corpus, file, gold, [])
    result: dict[str, DocumentAnnotation] = {}
    first_seen: dict[str, str] = {}
    kind = structs.GoldDocument if gold else structs.Document
    for prefix, raw in documents:
        if not isinstance(raw, kind):  # not yet checked by the fast path (`benchmark.input.structs`)
            found = schema_problems(raw, file, prefix, schema_path, None if gold else definition)
            if found:
                ctx.problems.extend(found)
                continue
            raw = structs.convert(raw, kind)
        doc_id = raw.doc_id
        if doc_id in first_seen:
            ctx.add(_join(prefix, "$.doc_id"), f"duplicate document {doc_id!r} (first at {first_seen[doc_id]})", "give each document once; merge their events")
            continue
        first_seen[doc_id] = prefix or "$"
        doc = check_document(raw, ctx, _join(prefix, "$"))
        if doc is not None:
            result[doc_id] = doc
    errors = [p for p in ctx.problems if p.severity == "error"]
    return (None if errors else Annotation(documents=result, system=system)), ctx.problems
