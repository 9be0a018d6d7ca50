"""Span matching modes: when does a predicted span count as the reference span?

Each mode is a small strategy object whose docstring states its rule in one sentence. All
share one method, ``similarity(pred, ref)``: ``None`` when the spans do not match, otherwise
a score in (0, 1] that the alignment uses only to choose between several matching candidates
(more matches always win first; see ``scorers.alignment``). Offsets are half-open code-point
offsets, as in ``scorers.model.Span``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from scorers import arabic
from scorers.model import Span

MATCH_MODES = ("exact", "overlap", "arabic", "text")
DEFAULT_OVERLAP_THRESHOLD = 0.5


class SpanMatcher(Protocol):
    name: str
    #: False only for the offset-free ``text`` protocol, which ignores offsets entirely.
    uses_offsets: bool
    #: Which span pairs can match at all, so alignment need not try the others: "offsets"
    #: (equal start and end), "overlap" (at least one shared character) or "all".
    candidates: str

    def similarity(self, pred: Span, ref: Span) -> float | None: ...

    def describe(self) -> str: ...


def overlap_length(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))  # type: ignore[type-var, operator]


def dice(a: Span, b: Span) -> float:
    """Dice coefficient of two offset spans: 2|A ∩ B| / (|A| + |B|), in [0, 1]."""
    return 2 * overlap_length(a, b) / (len(a) + len(b))


@dataclass(frozen=True)
class ExactMatch:
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
class OverlapMatch:
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
class ArabicMatch:
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
class TextMatch:
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


def make_matcher(mode: str, overlap_threshold: float = DEFAULT_OVERLAP_THRESHOLD) -> SpanMatcher:
    """The matcher for a mode name in ``MATCH_MODES``."""
    if mode == "exact":
        return ExactMatch()
    if mode == "overlap":
        return OverlapMatch(overlap_threshold)
    if mode == "arabic":
        return ArabicMatch()
    if mode == "text":
        return TextMatch()
    raise ValueError(f"unknown match mode {mode!r}; use one of {', '.join(MATCH_MODES)}")
