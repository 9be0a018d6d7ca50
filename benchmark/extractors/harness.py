"""Running an extractor over a corpus: one document at a time, each output checked at once.

Every document's output goes through `benchmark.validation.build_annotation` (the same rules as
a submission file), so a bad event stops the run with a Problem naming the document and the
event, and only valid output is ever written or scored.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from benchmark.corpus import Corpus, Document
from benchmark.extractors.base import ExtractorError, normalise_output
from benchmark.problems import InputError, Problem
from benchmark.validation import build_annotation
from scorers.model import Annotation, DocumentAnnotation


def _progress(items: list, stream: TextIO | None, desc: str) -> Iterator:
    """tqdm when it is installed (it is not a dependency), else a plain counter on `stream`."""
    if stream is None:
        yield from items
        return
    try:
        from tqdm import tqdm
    except ImportError:
        for i, item in enumerate(items, start=1):
            print(f"\r{desc}: {i}/{len(items)} documents", end="", file=stream, flush=True)
            yield item
        print(file=stream)
        return
    yield from tqdm(items, desc=desc, unit="doc", file=stream, leave=False)


def run_extractor(
    extractor: Callable[[Any], Iterable[dict]],
    corpus: Corpus,
    *,
    spec: str = "extractor",
    system: str | None = None,
    doc_ids: Iterable[str] | None = None,
    progress: TextIO | None = sys.stderr,
) -> tuple[Annotation, list[Problem]]:
    """Run `extractor` on every document (sorted by id); return the annotation and its warnings.

    Raises InputError naming the document when the extractor's output is invalid or it raises
    ExtractorError.
    """
    ids = sorted(doc_ids) if doc_ids is not None else sorted(corpus.documents)
    documents: dict[str, DocumentAnnotation] = {}
    warnings: list[Problem] = []
    for doc_id in _progress(ids, progress, spec):
        doc: Document = corpus.documents[doc_id]
        where = f"extractor {spec} on document {doc_id}"
        try:
            events = extractor(doc)
        except ExtractorError as exc:
            raise InputError([Problem(where, "", str(exc), "fix the extractor's configuration or input, then rerun")]) from None
        raw = normalise_output(events, doc_id, spec)
        annotation, problems = build_annotation([("", raw)], corpus, where)
        if annotation is None:
            raise InputError(problems)
        warnings.extend(problems)
        documents.update(annotation.documents)
    return Annotation(documents=documents, system=system or spec), warnings
