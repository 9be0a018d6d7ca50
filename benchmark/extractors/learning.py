"""What the trained extractors share: tokens with their gold labels, and the word keys they learn on.

Both `majority` and `supervised` read a document the way the `lexicon` extractor does
(`benchmark.extractors.lexicon.document_sentences`: whitespace words of the scored segments,
split into sentences, normalised with `scorers.arabic`), so a gold trigger, which the guidelines
make one orthographic word with its clitics, is one token. Gold is read here only from the
`TrainingDocument` objects `fit` receives, never from files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from benchmark.extractors.base import TrainingDocument
from benchmark.extractors.lexicon import Token, document_sentences
from scorers.model import EventMention

#: The label of a token that triggers no event, and of a candidate that fills no role.
NONE = "O"


@dataclass(frozen=True)
class TokenEvents:
    """One token of a training sentence with the gold events it triggers (usually none)."""

    sentence: list[Token]
    index: int
    events: tuple[EventMention, ...]

    @property
    def token(self) -> Token:
        return self.sentence[self.index]


def labelled_tokens(documents: Sequence[TrainingDocument]) -> list[TokenEvents]:
    """Every token of the training documents' scored sentences, with the events it triggers.

    A gold trigger that is not exactly one token (rare: 2 of 207 in release 1.1) is left out of
    training; the models cannot produce such a span anyway.
    """
    out = []
    for doc in documents:
        by_span: dict[tuple[int | None, int | None], list[EventMention]] = {}
        for event in doc.events:
            by_span.setdefault((event.trigger.start, event.trigger.end), []).append(event)
        for sentence in document_sentences(doc):
            for i, tok in enumerate(sentence):
                events = sorted(by_span.get((tok.start, tok.end), ()), key=lambda e: (e.type, e.id))
                out.append(TokenEvents(sentence, i, tuple(events)))
    return out


def stems_of(token: Token) -> frozenset[str]:
    """The token's full normalised form and every stem without clitics (`lexicon.candidates`,
    built on `scorers.arabic.stems`), as the tokeniser already computed them."""
    return token.keys


def most_frequent(counts: Counter[str]) -> str:
    """The most frequent value; ties go to the alphabetically first, so the result never depends on order."""
    return min(counts, key=lambda value: (-counts[value], value))


def same_head_clusters(doc_id: str, mentions: Iterable[tuple[int, str, frozenset[str]]]) -> dict[int, str]:
    """Within-document clusters: mentions of one type whose stem sets share a stem are one event.

    `mentions` are (trigger start, type, stems); the result maps each start to a cluster id
    ``doc_id/type/first start``, unique in the corpus, so no cluster crosses documents.
    """
    items = sorted(mentions)
    parent = list(range(len(items)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a in range(len(items)):
        for b in range(a):
            if items[a][1] == items[b][1] and items[a][2] & items[b][2]:
                ra, rb = root(a), root(b)
                parent[max(ra, rb)] = min(ra, rb)  # the root is the group's first mention
    return {start: f"{doc_id}/{etype}/{items[root(k)][0]}" for k, (start, etype, _) in enumerate(items)}
