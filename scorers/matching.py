"""Span matching modes: when does a predicted span count as the reference span?

Each mode is a small strategy object whose docstring states its rule in one sentence. All
share one method, ``similarity(pred, ref)``: ``None`` when the spans do not match, otherwise
a score in (0, 1] that the alignment uses only to choose between several matching candidates
(more matches always win first; see ``scorers.alignment``). Offsets are half-open code-point
offsets, as in ``scorers.model.Span``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar

from scorers import arabic, relaxed
from scorers.model import Span

MATCH_MODES = ("exact", "overlap", "arabic", "text", "relaxed", "judge")
#: The modes that need no outside service (all but ``judge``, which asks an LLM server).
OFFLINE_MATCH_MODES = tuple(m for m in MATCH_MODES if m != "judge")
#: Modes that read the reference's context (texts, sentences, entity names).
CONTEXT_MODES = frozenset({"relaxed", "judge"})
DEFAULT_OVERLAP_THRESHOLD = 0.5


class SpanMatcher(Protocol):
    # Read-only members (properties), so that the frozen dataclasses below satisfy the protocol.
    @property
    def name(self) -> str: ...

    #: False only for the offset-free ``text`` protocol, which ignores offsets entirely.
    @property
    def uses_offsets(self) -> bool: ...

    #: Which span pairs can match at all, so alignment need not try the others: "offsets"
    #: (equal start and end), "overlap" (at least one shared character) or "all".
    @property
    def candidates(self) -> str: ...

    def similarity(self, pred: Span, ref: Span) -> float | None: ...

    def trigger_similarity(self, pred: Span, ref: Span) -> float | None: ...

    def argument_similarity(self, pred: Span, ref: Span, entity: str | None = None) -> float | None: ...

    def for_document(self, doc_id: str, entities: Mapping[str, tuple[Span, ...]] | None = None) -> SpanMatcher: ...

    def describe(self) -> str: ...


_Matcher = TypeVar("_Matcher", bound="OneRule")


class OneRule:
    """Matchers whose rule is the same for triggers and arguments and needs no document context."""

    def trigger_similarity(self, pred: Span, ref: Span) -> float | None:
        return self.similarity(pred, ref)  # type: ignore[attr-defined, no-any-return]

    def argument_similarity(self, pred: Span, ref: Span, entity: str | None = None) -> float | None:
        return self.similarity(pred, ref)  # type: ignore[attr-defined, no-any-return]

    def for_document(self: _Matcher, doc_id: str, entities: Mapping[str, tuple[Span, ...]] | None = None) -> _Matcher:
        return self


def overlap_length(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))  # type: ignore[type-var, operator]


def dice(a: Span, b: Span) -> float:
    """Dice coefficient of two offset spans: 2|A ∩ B| / (|A| + |B|), in [0, 1]."""
    return 2 * overlap_length(a, b) / (len(a) + len(b))


@dataclass(frozen=True)
class ExactMatch(OneRule):
    """Spans match when their start and end offsets are equal.

    Reference: the ACE 2005 convention as re-evaluated in TextEE (Huang et al. 2024, "TextEE:
    Benchmark, Reevaluation, Reflections, and Future Challenges in Event Extraction", ACL Findings).
    """

    name: str = "exact"
    uses_offsets: bool = True
    candidates: str = "offsets"

    def similarity(self, pred: Span, ref: Span) -> float | None:
        return 1.0 if (pred.start, pred.end) == (ref.start, ref.end) else None

    def describe(self) -> str:
        return "exact (offsets equal)"


@dataclass(frozen=True)
class OverlapMatch(OneRule):
    """Spans match when their Dice coefficient 2|A ∩ B| / (|A| + |B|) is at least ``threshold``.

    Reference: the TAC KBP event nugget scorer (Mitamura et al. 2015, "Overview of TAC KBP 2015
    Event Nugget Track"), which scores partial spans by Dice overlap.
    """

    threshold: float = DEFAULT_OVERLAP_THRESHOLD
    name: str = "overlap"
    uses_offsets: bool = True
    candidates: str = "overlap"

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError(f"overlap threshold must be in (0, 1], got {self.threshold}")

    def similarity(self, pred: Span, ref: Span) -> float | None:
        # Float division and float threshold round the same exact rational identically, so a
        # Dice equal to the threshold (2*2/(4+4) vs 0.5) compares as equal, never just below.
        score = dice(pred, ref)
        return score if score >= self.threshold else None

    def describe(self) -> str:
        return f"overlap (Dice >= {self.threshold:g})"


@dataclass(frozen=True)
class ArabicMatch(OneRule):
    """Spans match when they overlap and their texts are equal after Arabic normalisation and clitic stripping.

    Reference: orthographic normalisation as in CAMeL Tools (Obeid et al. 2020, LREC); clitics
    as in Habash 2010, "Introduction to Arabic Natural Language Processing"; see ``scorers.arabic``.
    """

    name: str = "arabic"
    uses_offsets: bool = True
    candidates: str = "overlap"

    def similarity(self, pred: Span, ref: Span) -> float | None:
        if overlap_length(pred, ref) == 0 or not arabic.equivalent(pred.text, ref.text):
            return None
        return dice(pred, ref)

    def describe(self) -> str:
        return "arabic (spans overlap and texts equal after normalisation and clitic stripping)"


@dataclass(frozen=True)
class TextMatch(OneRule):
    """Spans match when their texts are equal after Arabic normalisation and clitic stripping, wherever they are in the document.

    A different, more lenient protocol for offset-free (generative / LLM) extractors: a
    prediction may take credit for any occurrence of the word in the document, so its numbers
    are not comparable with the offset modes. Reference: offset-free string matching as in
    generative event extraction (Lu et al. 2021, "Text2Event", ACL).
    """

    name: str = "text"
    uses_offsets: bool = False
    candidates: str = "all"

    def similarity(self, pred: Span, ref: Span) -> float | None:
        if not arabic.equivalent(pred.text, ref.text):
            return None
        return 1.0 if arabic.identical(pred.text, ref.text) else 0.5

    def describe(self) -> str:
        return "text (OFFSET-FREE, more lenient protocol: normalised text within each document; not comparable with offset modes)"


@dataclass(frozen=True)
class DocumentContext:
    """What relaxed matching may know about the reference: texts, sentences, entities and their names.

    ``sentences``: sorted sentence start offsets per document; ``entities``: per document,
    entity id -> its mention spans; ``aliases``: entity id -> every mention text of it in the
    whole reference (entity ids are corpus-wide).
    """

    texts: Mapping[str, str] = field(default_factory=dict)
    sentences: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    entities: Mapping[str, Mapping[str, tuple[Span, ...]]] = field(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: entity id -> its type (``PER``, ``GPE``, ...), which decides whether its other names count.
    entity_types: Mapping[str, str] = field(default_factory=dict)


#: How many words around a reference argument count as "the text's own extent" of it.
EXTENT_WORDS = 4


@dataclass(frozen=True)
class RelaxedMatch:
    """Generated strings match when they name the same argument, time or trigger word (``scorers.relaxed``).

    Offset-free and deterministic: a span is compared by its text wherever it is (or is not) in
    the document, as in ``text``, and with everything ``text`` accepts it also accepts other
    extents of the same name (titles, first names, generic heads, modifiers the text attaches),
    other mentions of the reference argument's entity, other forms of the same date, and a
    trigger's head word; the head-word rule alone needs the two triggers in one sentence when
    both are located. References: REGen (Sharif et al., Findings of EMNLP 2025); RAEE (Lu et
    al., "Beyond Exact Match", 2024/25).
    """

    context: DocumentContext = field(default_factory=DocumentContext, compare=False, repr=False)
    doc_id: str | None = None
    #: The reference document's entities (id -> mention spans), when bound with them.
    entities: Mapping[str, tuple[Span, ...]] | None = field(default=None, compare=False, repr=False)
    #: Argument contexts already built for this document, by (reference span, entity).
    _contexts: dict[tuple[Span, str | None], relaxed.ArgumentContext] = field(default_factory=dict, compare=False, repr=False)
    name: str = "relaxed"
    uses_offsets: bool = False
    candidates: str = "all"

    def for_document(self, doc_id: str, entities: Mapping[str, tuple[Span, ...]] | None = None) -> RelaxedMatch:
        """This matcher for one document of the reference (and that document's entities, when given)."""
        if doc_id == self.doc_id and (entities is None or entities is self.entities):
            return self
        return replace(self, doc_id=doc_id, entities=entities if entities is not None else self.context.entities.get(doc_id), _contexts={})

    def _sentence(self, span: Span) -> int | None:
        starts = self.context.sentences.get(self.doc_id or "")
        if not starts or span.start is None or span.end is None:  # no sentences, or not span.has_offsets
            return None
        return bisect_right(starts, span.start) - 1

    def similarity(self, pred: Span, ref: Span) -> float | None:
        return self.argument_similarity(pred, ref)

    def trigger_similarity(self, pred: Span, ref: Span) -> float | None:
        if pred.has_offsets and ref.has_offsets and (pred.start, pred.end) == (ref.start, ref.end):
            return 1.0
        same_sentence = self._sentence(pred) == self._sentence(ref) if pred.has_offsets and ref.has_offsets else None
        if arabic.equivalent(pred.text, ref.text):
            score = 0.8
        elif relaxed.same_trigger_word(pred.text, ref.text) and same_sentence is not False:
            score = 0.6
        else:
            return None
        return score + (0.1 if same_sentence else 0.0) + (0.05 * dice(pred, ref) if same_sentence else 0.0)

    def argument_context(self, ref: Span, entity: str | None) -> relaxed.ArgumentContext:
        """The reference argument's entity names and the document's words around it (``scorers.relaxed.ArgumentContext``)."""
        key = (ref, entity)
        found = self._contexts.get(key)
        if found is None:
            found = self._contexts[key] = self._argument_context(ref, entity)
        return found

    def _argument_context(self, ref: Span, entity: str | None) -> relaxed.ArgumentContext:
        entities = self.entities or {}
        if entity is None and ref.has_offsets:
            entity = next((e for e, spans in entities.items() if any((s.start, s.end) == (ref.start, ref.end) for s in spans)), None)
        aliases = self.context.aliases.get(entity, ()) if entity is not None else ()
        if entity is not None and not aliases:
            aliases = relaxed.entity_forms(s.text for s in entities.get(entity, ()))
        others = tuple(dict.fromkeys(s.text for e, spans in entities.items() if e != entity for s in spans))
        text = self.context.texts.get(self.doc_id or "")
        before: tuple[str, ...] = ()
        after: tuple[str, ...] = ()
        if text is not None and ref.start is not None and ref.end is not None:  # ref.has_offsets
            before = relaxed.words(text[max(0, ref.start - 80):ref.start])[::-1][:EXTENT_WORDS]
            after = relaxed.words(text[ref.end:ref.end + 80])[:EXTENT_WORDS]
        entity_type = self.context.entity_types.get(entity) if entity is not None else None
        return relaxed.ArgumentContext(aliases, others, before, after, entity_type)

    def argument_similarity(self, pred: Span, ref: Span, entity: str | None = None) -> float | None:
        if pred.has_offsets and ref.has_offsets and (pred.start, pred.end) == (ref.start, ref.end):
            return 1.0
        if arabic.identical(pred.text, ref.text):
            return 0.9
        verdict = relaxed.same_argument(pred.text, ref.text, self.argument_context(ref, entity))
        if not verdict:
            return None
        return {"equal": 0.8, "other mention": 0.7, "time": 0.7}.get(verdict.rule, 0.5)  # type: ignore[arg-type]

    def describe(self) -> str:
        return "relaxed (OFFSET-FREE: same entity, time or trigger head word after normalisation; see scorers.relaxed)"


#: A judged pair: (kind, document, reference span, predicted text); kind is "trigger" or "argument".
JudgedKey = tuple[str, str, Span, str]


@dataclass(frozen=True)
class JudgeMatch(RelaxedMatch):
    """Relaxed matching, and for the pairs it rejects the verdict of an LLM judge (tiered as REGen).

    ``verdicts`` holds the judge's yes / no for the pairs that were asked (``benchmark.judging``
    asks only pairs relaxed matching rejects inside aligned events); a pair never asked, or whose
    answer failed, does not match. Reference: REGen (Sharif et al., Findings of EMNLP 2025): exact,
    then relaxed, then LLM-judged matching; RAEE (Lu et al., 2024/25).
    """

    verdicts: Mapping[JudgedKey, bool] = field(default_factory=dict, compare=False, repr=False)
    name: str = "judge"

    def trigger_similarity(self, pred: Span, ref: Span) -> float | None:
        found = super().trigger_similarity(pred, ref)
        if found is None and self.verdicts.get(("trigger", self.doc_id or "", ref, pred.text)):
            return 0.3
        return found

    def argument_similarity(self, pred: Span, ref: Span, entity: str | None = None) -> float | None:
        found = super().argument_similarity(pred, ref, entity)
        if found is None and self.verdicts.get(("argument", self.doc_id or "", ref, pred.text)):
            return 0.3
        return found

    def describe(self) -> str:
        return "judge (OFFSET-FREE: relaxed, then an LLM judge's verdict on the pairs relaxed rejects; see the result's judge block)"


def make_matcher(mode: str, overlap_threshold: float = DEFAULT_OVERLAP_THRESHOLD, context: DocumentContext | None = None,
                 verdicts: Mapping[JudgedKey, bool] | None = None) -> SpanMatcher:
    """The matcher for a mode name in ``MATCH_MODES``; ``context`` is what ``relaxed`` may know of the reference."""
    if mode == "exact":
        return ExactMatch()
    if mode == "overlap":
        return OverlapMatch(overlap_threshold)
    if mode == "arabic":
        return ArabicMatch()
    if mode == "text":
        return TextMatch()
    if mode == "relaxed":
        return RelaxedMatch(context or DocumentContext())
    if mode == "judge":
        return JudgeMatch(context or DocumentContext(), verdicts=verdicts or {})
    raise ValueError(f"unknown match mode {mode!r}; use one of {', '.join(MATCH_MODES)}")
