"""The trivial trained reference: every word seen as a trigger in training is a trigger again.

`fit` counts, for each normalised word form (`scorers.arabic.normalize`, clitics kept) that was a
gold trigger in the training documents, its event types and realis values. Prediction tags every
occurrence of such a form with its most frequent type and realis (ties: alphabetical order). No
arguments and no clusters (each mention is its own event). What this scores is what memorising
trigger words alone gives; `evbench run` scores it leave-one-document-out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from benchmark.extractors.base import ExtractorError, TrainingDocument
from benchmark.extractors.learning import labelled_tokens, most_frequent
from benchmark.extractors.lexicon import document_sentences


class MajorityExtractor:
    """Most frequent type (and realis) of each trigger form seen in training; see the module docstring."""

    name = "majority"

    def __init__(self, corpus: Any = None) -> None:
        self.types: dict[str, Counter[str]] = {}
        self.realis: dict[str, Counter[str]] = {}
        self.fitted = False

    def fit(self, documents: Sequence[TrainingDocument]) -> None:
        for item in labelled_tokens(documents):
            for event in item.events:
                self.types.setdefault(item.token.full, Counter())[event.type] += 1
                if event.realis is not None:
                    self.realis.setdefault(item.token.full, Counter())[event.realis] += 1
        self.fitted = True

    def __call__(self, document: Any) -> list[dict]:
        if not self.fitted:
            raise ExtractorError("the majority extractor has not been trained", fix="run it with `evbench run --extractor majority` (leave-one-document-out)")
        events = []
        for sentence in document_sentences(document):
            for tok in sentence:
                types = self.types.get(tok.full)
                if not types:
                    continue
                event: dict = {"type": most_frequent(types), "trigger": {"start": tok.start, "end": tok.end, "text": tok.text}}
                if tok.full in self.realis:
                    event["realis"] = most_frequent(self.realis[tok.full])
                events.append(event)
        return events
