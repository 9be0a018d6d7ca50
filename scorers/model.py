"""Plain records shared by every metric: spans, arguments, event mentions, annotated documents.

These are the only types the scorers see. Reading files, validating them and printing live in
`benchmark/`; by the time data reaches `scorers/` it is made of these frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class _PickledAsCall:
    """Pickled as a call of the constructor with the fields, in order.

    A dataclass with slots is pickled with its state, set back field by field; these records
    go to worker processes by the hundred thousand (``--jobs``, ``--engine dask``), and a
    constructor call pickles and unpickles them in about half the time.
    """

    __slots__ = ()
    __match_args__: tuple[str, ...]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (type(self), tuple(getattr(self, name) for name in self.__match_args__))


@dataclass(frozen=True, order=True, slots=True)
class Span(_PickledAsCall):
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
class Argument(_PickledAsCall):
    """One argument of an event mention: a role filled by a span (and, in gold, an entity id)."""

    role: str
    span: Span
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class EventMention(_PickledAsCall):
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

    def __hash__(self) -> int:
        # Of a few fields only: consistent with ==, and no walk over the arguments, which made
        # hashing an event (as dict keys do, e.g. in the error categories) cost ~10x more.
        return hash((self.doc_id, self.id, self.type, self.trigger))


@dataclass(frozen=True, slots=True)
class Entity(_PickledAsCall):
    """A gold entity with all its mentions, so an argument may match any coreferent mention."""

    id: str
    type: str
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class DocumentAnnotation(_PickledAsCall):
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
