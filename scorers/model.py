"""Plain records shared by every metric: spans, arguments, event mentions, annotated documents.

These are the only types the scorers see. Reading files, validating them and printing live in
`benchmark/`; by the time data reaches `scorers/` it is made of these frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A stretch of document text.

    Offsets are Python ``str`` indices (Unicode code points) into the document text, half-open:
    ``text == document[start:end]``. This is the one convention used everywhere in evbench.
    ``start``/``end`` are ``None`` only for text-only spans (offset-free submissions, e.g. from
    generative extractors), which only the ``text`` matching mode can score.
    """

    start: int | None
    end: int | None
    text: str

    @property
    def has_offsets(self) -> bool:
        return self.start is not None and self.end is not None

    def __len__(self) -> int:
        if self.start is not None and self.end is not None:  # has_offsets, spelled out so the type checker narrows
            return self.end - self.start
        return len(self.text)


@dataclass(frozen=True, order=True, slots=True)
class Argument:
    """One argument of an event mention: a role filled by a span (and, in gold, an entity id)."""

    role: str
    span: Span
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class EventMention:
    """One event mention: trigger, type, realis, arguments, and the real-world event it denotes.

    ``cluster`` names the real-world event; equal values mean the same event, across documents
    too. ``None`` means the submission said nothing about coreference (scored as a singleton).
    ``realis`` is ``None`` when the submission did not predict it.
    """

    doc_id: str
    id: str
    type: str
    trigger: Span
    realis: str | None = None
    arguments: tuple[Argument, ...] = ()
    cluster: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A gold entity with all its mentions, so an argument may match any coreferent mention."""

    id: str
    type: str
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class DocumentAnnotation:
    """Everything one annotation (gold or system) says about one document."""

    doc_id: str
    events: tuple[EventMention, ...] = ()
    entities: tuple[Entity, ...] = ()

    def entity_mentions(self) -> dict[str, tuple[Span, ...]]:
        return {e.id: e.mentions for e in self.entities}


@dataclass(frozen=True)
class Annotation:
    """A whole annotation of a corpus: a system's submission or a reference (gold)."""

    documents: dict[str, DocumentAnnotation] = field(default_factory=dict)
    system: str | None = None

    def events(self) -> list[EventMention]:
        return [e for doc_id in sorted(self.documents) for e in self.documents[doc_id].events]

    @property
    def has_clusters(self) -> bool:
        return any(e.cluster is not None for e in self.events())
