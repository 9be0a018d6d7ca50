"""Candidate arguments for the supervised extractor: entity mentions learned from training gold.

Every entity mention of the training documents (a name, a date, a noun phrase such as
``البلدين``) becomes a word sequence with its entity kind. In a new sentence, a run of tokens is a
candidate when each token shares a stem (`benchmark.extractors.learning.stems_of`) with the word
in the same place, so ``لكوريا الشمالية`` is found as ``كوريا الشمالية`` seen in training. The
longest entry wins, left to right, without crossing punctuation inside the run. Mentions never
seen in training are not candidates: that is what a system trained on four documents knows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from benchmark.extractors.base import TrainingDocument
from benchmark.extractors.learning import most_frequent, stems_of
from benchmark.extractors.lexicon import Token, document_sentences


@dataclass(frozen=True)
class Candidate:
    """A candidate argument: tokens ``first..last`` (inclusive) of one sentence, and its entity kind."""

    first: int
    last: int
    kind: str
    start: int
    end: int


@dataclass
class Gazetteer:
    """Word sequences of training entity mentions (one stem set per word) with their most frequent kind."""

    entries: dict[str, list[tuple[tuple[frozenset[str], ...], str]]]

    @classmethod
    def learn(cls, documents: Sequence[TrainingDocument]) -> Gazetteer:
        kinds: dict[tuple[str, ...], Counter[str]] = {}
        stems: dict[tuple[str, ...], tuple[frozenset[str], ...]] = {}
        for doc in documents:
            spans = {(m.start, m.end): entity.type for entity in doc.entities for m in entity.mentions}
            for sentence in document_sentences(doc):
                by_start = {t.start: k for k, t in enumerate(sentence)}
                by_end = {t.end: k for k, t in enumerate(sentence)}
                for (start, end), kind in spans.items():
                    if start in by_start and end in by_end and by_start[start] <= by_end[end]:
                        words = sentence[by_start[start] : by_end[end] + 1]
                        key = tuple(t.full for t in words)
                        kinds.setdefault(key, Counter())[kind] += 1
                        stems[key] = tuple(stems_of(t) for t in words)
        entries: dict[str, list[tuple[tuple[frozenset[str], ...], str]]] = {}
        for key in sorted(kinds):
            for first in stems[key][0]:
                entries.setdefault(first, []).append((stems[key], most_frequent(kinds[key])))
        for first in entries:
            entries[first].sort(key=lambda e: (-len(e[0]), sorted(e[0][0]), e[1]))
        return cls(entries)

    def find(self, tokens: list[Token]) -> list[Candidate]:
        """Candidates in one sentence, longest first at each position, left to right, not overlapping."""
        found = []
        i = 0
        while i < len(tokens):
            hit = self._at(tokens, i)
            if hit is None:
                i += 1
                continue
            n, kind = hit
            found.append(Candidate(i, i + n - 1, kind, tokens[i].start, tokens[i + n - 1].end))
            i += n
        return found

    def _at(self, tokens: list[Token], i: int) -> tuple[int, str] | None:
        keys = stems_of(tokens[i])
        best: tuple[int, str] | None = None
        for first in sorted(keys):
            for words, kind in self.entries.get(first, ()):
                n = len(words)
                if best is not None and n <= best[0]:
                    break
                if i + n <= len(tokens) and not any(tokens[i + j].punct_after for j in range(n - 1)) \
                        and all(stems_of(tokens[i + j]) & words[j] for j in range(n)):
                    best = (n, kind)
                    break
        return best
