"""Typed records of the input formats (msgspec Structs): the fast path of schema validation.

The JSON Schemas in `gold/schema/` stay the definition of the formats and the source of every
error message. These Structs mirror them field for field (a test compares
`msgspec.json.schema` of each Struct with the schema file), so a file can be decoded *and*
checked in one pass of a C decoder. The rule is one-sided: when the fast path accepts a file,
the schema accepts it too and the values are the same; when the fast path finds anything odd
(a type error, an unknown field, a span without offsets or text, a duplicate key, ...), it
gives up and the caller runs the original `json` + `jsonschema` path, which produces the
precise problems. So errors, their messages and their locations never depend on this module.

Two things the schemas say cannot be Struct types and are checked here in Python:
`anyOf` (a span needs start+end or text) and `dependentRequired` (start and end go together).
The first is each span Struct's `__post_init__`. JSON allows duplicate keys and msgspec keeps
the last one silently, so :func:`decode` counts the keys of the file and the keys of the decoded
value written back (absent fields are not written); any difference sends the file to the slow
path.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

NonEmpty = Annotated[str, Meta(min_length=1)]
Start = Annotated[int, Meta(ge=0)]
End = Annotated[int, Meta(ge=1)]

_OPTIONS = {"forbid_unknown_fields": True, "gc": False}


def present(value):
    """A Struct field as the dict-based code saw it: None when the key was absent."""
    return None if value is UNSET else value


# --- submission.schema.json ---------------------------------------------------------------------


def _check_span(span: Span | Argument) -> None:
    """The schema's `anyOf` (start and end, or text) and `dependentRequired` (start with end)."""
    has_start, has_end = span.start is not UNSET, span.end is not UNSET
    if has_start != has_end or not (has_start or span.text is not UNSET):
        raise ValueError("a span needs start and end together, or text")


class Span(Struct, **_OPTIONS):
    start: Start | UnsetType = UNSET
    end: End | UnsetType = UNSET
    text: NonEmpty | UnsetType = UNSET

    __post_init__ = _check_span


class Argument(Struct, **_OPTIONS):
    role: NonEmpty
    entity: NonEmpty | UnsetType = UNSET
    start: Start | UnsetType = UNSET
    end: End | UnsetType = UNSET
    text: NonEmpty | UnsetType = UNSET

    __post_init__ = _check_span


class Event(Struct, **_OPTIONS):
    id: NonEmpty
    type: NonEmpty
    trigger: Span
    realis: str | UnsetType = UNSET
    arguments: list[Argument] | UnsetType = UNSET
    cluster: NonEmpty | UnsetType = UNSET
    note: str | UnsetType = UNSET


class Entity(Struct, **_OPTIONS):
    id: NonEmpty
    type: str
    mentions: list[Span]
    name: str | UnsetType = UNSET


class Document(Struct, **_OPTIONS):
    doc_id: NonEmpty
    events: list[Event]
    system: str | UnsetType = UNSET
    annotators: list[str] | UnsetType = UNSET
    entities: list[Entity] | UnsetType = UNSET


class Submission(Struct, **_OPTIONS):
    documents: list[Document]
    system: str | UnsetType = UNSET


# --- gold-document.schema.json (stricter: everything required, closed vocabularies) --------------


class GoldSpan(Struct, **_OPTIONS):
    start: Start
    end: End
    text: NonEmpty


class GoldArgument(Struct, **_OPTIONS):
    role: NonEmpty
    start: Start
    end: End
    text: NonEmpty
    entity: NonEmpty


class GoldEvent(Struct, **_OPTIONS):
    id: NonEmpty
    type: Annotated[str, Meta(pattern=r"^[A-Z][A-Za-z]+\.[A-Z][A-Za-z-]+$")]
    realis: Literal["actual", "generic", "other"]
    trigger: GoldSpan
    arguments: list[GoldArgument]
    cluster: NonEmpty
    note: str | UnsetType = UNSET


class GoldEntity(Struct, **_OPTIONS):
    id: NonEmpty
    type: Literal["PER", "ORG", "GPE", "LOC", "FAC", "WEA", "VEH", "COM", "TIME"]
    mentions: Annotated[list[GoldSpan], Meta(min_length=1)]
    name: str | UnsetType = UNSET


class GoldDocument(Struct, **_OPTIONS):
    doc_id: NonEmpty
    entities: list[GoldEntity]
    events: list[GoldEvent]
    annotators: list[str] | UnsetType = UNSET


SPAN_TYPES = (Span, Argument, GoldSpan, GoldArgument)
SCHEMA_DEFS = {"span": Span, "argument": Argument, "event": Event, "entity": Entity, "document": Document}
GOLD_SCHEMA_DEFS = {"span": GoldSpan, "argument": GoldArgument, "event": GoldEvent, "entity": GoldEntity}


# --- the fast path -------------------------------------------------------------------------------

_KEY_BEFORE_SPACE = re.compile(rb'"[ \t\r\n]+:')
_DECODERS: dict[type, msgspec.json.Decoder] = {}
_ENCODER = msgspec.json.Encoder()


class Rejected(Exception):
    """The fast path gave up: run the slow path for the exact problems."""


def _keys(encoded: bytes) -> int:
    """Number of keys in JSON written by msgspec: every `":` ends a key, except `\\":` inside a string."""
    return encoded.count(b'":') - encoded.count(b'\\":')


def decode(raw: bytes, kind: type[Struct]):
    """Decode and check `raw` as `kind`, or raise Rejected (then use the slow path).

    Keys are counted on the raw bytes as `":` pairs: in valid JSON a `"` inside a string is
    escaped, so every unescaped `":` ends a key. Files that would make the count ambiguous
    (an escaped quote before a colon inside a string, whitespace between a key and its colon)
    simply take the slow path.
    """
    decoder = _DECODERS.get(kind)
    if decoder is None:
        decoder = _DECODERS[kind] = msgspec.json.Decoder(kind)
    try:
        value = decoder.decode(raw)
    except (msgspec.DecodeError, ValueError, RecursionError) as exc:
        raise Rejected(str(exc)) from None
    if b'\\":' in raw or _KEY_BEFORE_SPACE.search(raw):
        raise Rejected("keys cannot be counted on the bytes")
    if raw.count(b'":') != _keys(_ENCODER.encode(value)):  # UNSET fields are not written
        raise Rejected("a key occurs more than once in an object")
    return value


def convert(value: object, kind: type[Struct]):
    """A schema-valid dict (checked by jsonschema) as the same Struct the fast path gives."""
    return msgspec.convert(value, kind)


__all__ = [
    "Argument", "Document", "Entity", "Event", "GoldArgument", "GoldDocument", "GoldEntity", "GoldEvent", "GoldSpan",
    "Rejected", "Span", "Submission", "UNSET", "convert", "decode", "present", "SCHEMA_DEFS", "GOLD_SCHEMA_DEFS", "SPAN_TYPES",
]
