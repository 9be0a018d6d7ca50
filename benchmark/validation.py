"""Checking submissions and gold against the schema and the corpus, and turning them into records.

Two layers, both reporting every problem found (not just the first):
1. JSON Schema (Draft 2020-12, `gold/schema/`): shape and field types, located by JSON path.
2. Corpus rules the schema cannot express: known documents, types, roles and realis values,
   offsets inside the text, span text equal to the slice, unique ids, chrome, gold entity ids.
Only input that passes both becomes an `Annotation`; anything else raises `InputError`.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from benchmark.corpus import Corpus, Document
from benchmark.problems import InputError, Problem
from scorers.model import Annotation, Argument, DocumentAnnotation, Entity, EventMention, Span

INVISIBLE_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u200b\u200c\u200d\u061c\u0640\u2066\u2067\u2068\u2069\ufeff"))


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
    return jsonschema.Draft202012Validator(schema)


def _schema_fix(error) -> str:
    kind = error.validator
    if kind == "required":
        return "add the missing field"
    if kind == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return f"remove the field or correct its spelling (allowed: {allowed})"
    if kind == "type":
        return f"use a JSON {error.validator_value} here"
    if kind == "anyOf":
        return "give start and end, or text, or all three"
    if kind == "dependentRequired":
        return "give start and end together"
    if kind in {"minimum", "minLength", "minItems"}:
        return "use a non-negative offset / a non-empty value"
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
    problems = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        message = error.message if len(error.message) < 200 else error.message[:200] + "..."
        problems.append(Problem(file, _join(prefix, error.json_path), message, _schema_fix(error)))
    return problems


@dataclass
class _Context:
    """What the corpus rules need while walking one file."""

    corpus: Corpus
    file: str
    gold: bool
    problems: list

    def add(self, where: str, message: str, fix: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.file, where, message, fix, severity))  # type: ignore[arg-type]


def _slice_hint(given: str, actual: str) -> str:
    if unicodedata.normalize("NFC", given) == unicodedata.normalize("NFC", actual):
        return " (they differ only in Unicode normalisation, NFD vs NFC)"
    if given.translate(INVISIBLE_MARKS) == actual.translate(INVISIBLE_MARKS):
        return " (they differ only in tatweel or invisible direction marks)"
    return ""


def _span(raw: dict, doc: Document, ctx: _Context, where: str) -> Span | None:
    start, end, text = raw.get("start"), raw.get("end"), raw.get("text")
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
    return Span(start, end, actual)


def _in_chrome(span: Span, doc: Document) -> bool:
    return span.has_offsets and doc.in_chrome(span.start, span.end)


def _check_event(raw: dict, doc: Document, ctx: _Context, where: str, entity_ids: set[str]) -> EventMention | None:
    ontology = ctx.corpus.ontology
    ok = True
    etype = raw["type"]
    if etype not in ontology.types:
        close = difflib.get_close_matches(etype, list(ontology.types), n=3)
        ctx.add(f"{where}.type", f"unknown event type {etype!r}", f"use a type from gold/ontology.json{' such as ' + ', '.join(close) if close else ''}")
        ok = False
    realis = raw.get("realis")
    if realis is not None and realis not in ontology.realis:
        ctx.add(f"{where}.realis", f"unknown realis {realis!r}", f"use one of: {', '.join(ontology.realis)}")
        ok = False
    trigger = _span(raw["trigger"], doc, ctx, f"{where}.trigger")
    ok = ok and trigger is not None
    if trigger is not None and _in_chrome(trigger, doc):
        severity = "error" if ctx.gold else "warning"
        ctx.add(f"{where}.trigger", f"trigger [{trigger.start}, {trigger.end}) lies in a chrome segment (page furniture)", "remove it; predictions in chrome are ignored when scoring", severity)
    arguments = []
    for j, arg in enumerate(raw.get("arguments", [])):
        awhere = f"{where}.arguments[{j}]"
        role = arg["role"]
        if etype in ontology.types and role not in ontology.roles_for(etype):
            ctx.add(f"{awhere}.role", f"role {role!r} is not allowed for {etype}", f"use one of: {', '.join(ontology.roles_for(etype))}")
            ok = False
        span = _span(arg, doc, ctx, awhere)
        if span is None:
            ok = False
            continue
        entity = arg.get("entity")
        if entity is not None and entity_ids is not None and entity not in entity_ids and (ctx.gold or entity_ids):
            ctx.add(f"{awhere}.entity", f"entity {entity!r} is not listed in this document's entities", "add the entity with this mention, or correct the id")
            ok = False
        arguments.append(Argument(role, span, entity))
    if not ok:
        return None
    return EventMention(
        doc_id=doc.doc_id,
        id=raw["id"],
        type=etype,
        trigger=trigger,
        realis=realis,
        arguments=tuple(arguments),
        cluster=raw.get("cluster"),
    )


def check_document(raw: dict, ctx: _Context, where: str) -> DocumentAnnotation | None:
    """Apply the corpus rules to one schema-valid document object."""
    doc_id = raw["doc_id"]
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
    for i, ent in enumerate(raw.get("entities", [])):
        ewhere = f"{where}.entities[{i}]"
        if ent["id"] in entity_ids:
            ctx.add(f"{ewhere}.id", f"duplicate entity id {ent['id']!r}", "give each entity a unique id")
        entity_ids.add(ent["id"])
        if ent["type"] not in ctx.corpus.ontology.entity_types:
            ctx.add(f"{ewhere}.type", f"unknown entity type {ent['type']!r}", f"use one of: {', '.join(ctx.corpus.ontology.entity_types)}")
        mentions = [_span(m, doc, ctx, f"{ewhere}.mentions[{j}]") for j, m in enumerate(ent["mentions"])]
        entities.append(Entity(ent["id"], ent["type"], tuple(m for m in mentions if m is not None)))
    events = []
    seen: dict[str, int] = {}
    for i, ev in enumerate(raw["events"]):
        ewhere = f"{where}.events[{i}]"
        if ev["id"] in seen:
            ctx.add(f"{ewhere}.id", f"duplicate event id {ev['id']!r} (also at events[{seen[ev['id']]}])", "event ids must be unique within a document")
        seen.setdefault(ev["id"], i)
        event = _check_event(ev, doc, ctx, ewhere, entity_ids if (ctx.gold or "entities" in raw) else None)
        if event is not None:
            events.append(event)
    if ctx.gold:
        _check_gold_arguments(raw, entities, ctx, where)
    errors_now = len([p for p in ctx.problems if p.severity == "error"])
    if errors_now > before:
        return None
    return DocumentAnnotation(doc_id=doc_id, events=tuple(events), entities=tuple(entities))


def _check_gold_arguments(raw: dict, entities: list[Entity], ctx: _Context, where: str) -> None:
    """Gold rule: every argument span is one of the listed mentions of its entity."""
    mentions = {e.id: {(m.start, m.end) for m in e.mentions} for e in entities}
    for i, ev in enumerate(raw["events"]):
        for j, arg in enumerate(ev.get("arguments", [])):
            spans = mentions.get(arg.get("entity"))
            if spans is not None and (arg["start"], arg["end"]) not in spans:
                ctx.add(
                    f"{where}.events[{i}].arguments[{j}]",
                    f"argument span [{arg['start']}, {arg['end']}) is not among the mentions of entity {arg['entity']!r}",
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

    The annotation is None when any error was found, so a bad file can never be scored.
    """
    schema_path = schema_path or corpus.schema_dir / ("gold-document.schema.json" if gold else "submission.schema.json")
    ctx = _Context(corpus, file, gold, [])
    result: dict[str, DocumentAnnotation] = {}
    first_seen: dict[str, str] = {}
    for prefix, raw in documents:
        found = schema_problems(raw, file, prefix, schema_path, None if gold else definition)
        if found:
            ctx.problems.extend(found)
            continue
        doc_id = raw["doc_id"]
        if doc_id in first_seen:
            ctx.add(_join(prefix, "$.doc_id"), f"duplicate document {doc_id!r} (first at {first_seen[doc_id]})", "give each document once; merge their events")
            continue
        first_seen[doc_id] = prefix or "$"
        doc = check_document(raw, ctx, _join(prefix, "$"))
        if doc is not None:
            result[doc_id] = doc
    errors = [p for p in ctx.problems if p.severity == "error"]
    return (None if errors else Annotation(documents=result, system=system)), ctx.problems
