"""Sentence units of a document's scored text, for resampling (bootstrap, significance tests).

A pure helper over a text and its scored segments: ``split_sentences(text, segments)`` returns
half-open ``(start, end)`` code-point ranges, in order, that tile every scored segment except
its whitespace-only stretches. Boundaries are data, not branches:

* after a run of sentence punctuation ``. ! ? ؟`` (Latin and Arabic question mark), together
  with any closing quotes or brackets right after it (``الآن".وقد`` ends after ``".``), even
  when no space follows (``الزهور.وتُعقد``);
* except a full stop between two digits, which is a decimal point or a date (``12.07.2025``);
* after every newline;
* at every segment boundary (a sentence never spans two segments).

The splitter is deliberately simple (no abbreviation list): units only need to be small,
roughly independent stretches of text, and every event anchor must fall into exactly one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TERMINATORS = ".!?\u061f"
CLOSERS = "\"'\u00bb\u201d\u2019)]}"
NEWLINES = "\n\r\u2028\u2029"

_BOUNDARY = re.compile(
    rf"[{re.escape(TERMINATORS)}]+[{re.escape(CLOSERS)}]*|[{re.escape(NEWLINES)}]"
)


def _ends(text: str, start: int, end: int) -> list[int]:
    """Offsets (exclusive) where a sentence ends inside ``text[start:end]``."""
    ends = []
    for m in _BOUNDARY.finditer(text, start, end):
        token = m.group()
        if token == "." and 0 < m.start() and m.end() < len(text) and text[m.start() - 1].isdigit() and text[m.end()].isdigit():
            continue  # 2.5, 12.07.2025
        ends.append(m.end())
    return ends


def split_sentences(text: str, segments: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Half-open sentence ranges tiling the given segments of ``text``; whitespace-only ones dropped.

    Every offset of a segment that is not in a whitespace-only stretch lies in exactly one range,
    so an event anchor (a trigger start, never whitespace) always finds its sentence.
    """
    sentences: list[tuple[int, int]] = []
    for seg_start, seg_end in sorted(segments):
        seg_start, seg_end = max(seg_start, 0), min(seg_end, len(text))
        cut = seg_start
        for stop in [*_ends(text, seg_start, seg_end), seg_end]:
            # A whitespace-only stretch joins the next sentence (or, at the end, no sentence).
            if stop > cut and text[cut:stop].strip():
                sentences.append((cut, stop))
                cut = stop
    return sentences
