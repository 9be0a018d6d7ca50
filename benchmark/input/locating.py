"""Text-only spans located in the document: one rule for `validate`, `score` and the reports.

A span given only as ``text`` (generative extractors write strings, not offsets) gets offsets when
its text says where it is: it occurs exactly once in the document, or, for an argument whose event
trigger is located, exactly once in that trigger's sentence. Otherwise it stays text-only: the
offset-free modes (``text``, ``relaxed``, ``judge``) score it by its string, `validate` warns, and
the offset modes refuse it with the same located message listing where the text occurs.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import replace

from benchmark.input.corpus import Corpus
from benchmark.input.problems import Problem
from scorers.model import Annotation, Argument, DocumentAnnotation, EventMention, Span
from scorers.sentences import split_sentences

FIX = "give start and end offsets, or score with an offset-free mode (--match text, relaxed or judge)"
SHOWN = 5


def _word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch) == "Mn"


def occurrences(text: str, needle: str, start: int = 0, end: int | None = None) -> list[int]:
    """Start offsets of every whole-word occurrence of ``needle`` in ``text[start:end]``.

    Whole words only: ``وصل`` inside ``ووصل`` is not an occurrence (a span never starts or ends
    inside a word, guidelines section 2)."""
    end = len(text) if end is None else end
    found, at = [], text.find(needle, start, end) if needle.strip() else -1
    while at >= 0:
        stop = at + len(needle)
        if (at == 0 or not _word_char(text[at - 1])) and (stop >= len(text) or not _word_char(text[stop])):
            found.append(at)
        at = text.find(needle, at + 1, end)
    return found


def why_unlocated(text: str, needle: str) -> str:
    """The message for a text-only span that cannot be located: where its text occurs, if anywhere."""
    found = occurrences(text, needle)
    if not found:
        return f"text-only span {needle!r} occurs nowhere in the document as a whole word, so it has no offsets"
    shown = ", ".join(f"[{s}, {s + len(needle)})" for s in found[:SHOWN]) + (", ..." if len(found) > SHOWN else "")
    return f"text-only span {needle!r} occurs {len(found)} times in the document ({shown}), so it has no offsets"


def _located(span: Span, text: str, sentence: tuple[int, int] | None) -> Span:
    if span.has_offsets:
        return span
    found = occurrences(text, span.text)
    if len(found) != 1 and sentence is not None:
        found = occurrences(text, span.text, *sentence)
    if len(found) == 1:
        return Span(found[0], found[0] + len(span.text), span.text)
    return span


def _sentence_of(starts: list[int], ends: list[int], span: Span) -> tuple[int, int] | None:
    if not span.has_offsets:
        return None
    i = bisect_right(starts, span.start) - 1  # type: ignore[arg-type]
    return (starts[i], ends[i]) if i >= 0 and span.start < ends[i] else None  # type: ignore[operator]


def locate_document(doc: DocumentAnnotation, corpus: Corpus) -> DocumentAnnotation:
    """The document with every text-only span that can be located given its offsets (see the module docstring)."""
    if all(e.trigger.has_offsets and all(a.span.has_offsets for a in e.arguments) for e in doc.events) and all(
        m.has_offsets for n in doc.entities for m in n.mentions
    ):
        return doc
    document = corpus.documents[doc.doc_id]
    ranges = split_sentences(document.text, [(s.start, s.end) for s in document.segments if s.scored])
    starts, ends = [s for s, _ in ranges], [e for _, e in ranges]
    events: list[EventMention] = []
    for event in doc.events:
        trigger = _located(event.trigger, document.text, None)
        sentence = _sentence_of(starts, ends, trigger)
        arguments = tuple(a if a.span.has_offsets else Argument(a.role, _located(a.span, document.text, sentence), a.entity)
                          for a in event.arguments)
        events.append(replace(event, trigger=trigger, arguments=arguments))
    entities = tuple(replace(n, mentions=tuple(_located(m, document.text, None) for m in n.mentions)) for n in doc.entities)
    return replace(doc, events=tuple(events), entities=entities)


def locate(annotation: Annotation, corpus: Corpus) -> Annotation:
    """:func:`locate_document` for every document."""
    documents = {d: locate_document(doc, corpus) if d in corpus.documents else doc for d, doc in annotation.documents.items()}
    return Annotation(documents=documents, system=annotation.system)


def unlocated(annotation: Annotation, corpus: Corpus, file: str, severity: str = "warning") -> list[Problem]:
    """One problem per span still text-only after :func:`locate`, with where its text occurs."""
    problems = []
    for doc_id in sorted(annotation.documents):
        if doc_id not in corpus.documents:
            continue
        text = corpus.documents[doc_id].text
        for event in annotation.documents[doc_id].events:
            spans = [("trigger", event.trigger), *((f"argument {i} ({a.role})", a.span) for i, a in enumerate(event.arguments))]
            for what, span in spans:
                if not span.has_offsets:
                    problems.append(Problem(file, f"document {doc_id} event {event.id!r} {what}", why_unlocated(text, span.text), FIX, severity))  # type: ignore[arg-type]
        for entity in annotation.documents[doc_id].entities:
            for i, span in enumerate(entity.mentions):
                if not span.has_offsets:
                    problems.append(Problem(file, f"document {doc_id} entity {entity.id!r} mention {i}", why_unlocated(text, span.text), FIX, severity))  # type: ignore[arg-type]
    return problems
