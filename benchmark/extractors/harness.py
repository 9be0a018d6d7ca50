"""Running an extractor over a corpus: one document at a time, each output checked at once.

Every document's output goes through `benchmark.input.validation.build_annotation` (the same rules as
a submission file), so a bad event stops the run with a Problem naming the document and the
event, and only valid output is ever written or scored.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from benchmark.extractors.base import ExtractorError, TrainingDocument, instantiate, normalise_output
from benchmark.input.corpus import Corpus, Document
from benchmark.input.problems import InputError, Problem
from benchmark.input.validation import build_annotation
from scorers.model import Annotation, DocumentAnnotation


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


def _logged_progress(items: list, stream: TextIO, desc: str) -> Iterator:
    """One plain line each time another tenth of the items is done, for log files and CI output.

    A bar redrawn with carriage returns runs together into one unreadable line in a log.
    """
    total, reported = len(items), 0
    for done, item in enumerate(items, start=1):
        yield item
        tenth = 10 * done // total
        if tenth > reported:
            reported = tenth
            print(f"{desc}: {done}/{total} documents ({100 * done // total}%)", file=stream, flush=True)


def _progress(items: list, stream: TextIO | None, desc: str) -> Iterator:
    """On a terminal, tqdm when it is installed (it is not a dependency), else a counter redrawn in
    place; on anything else (a log file, a pipe, CI) one plain line per 10 %."""
    if stream is None:
        yield from items
        return
    if not _is_terminal(stream):
        yield from _logged_progress(items, stream, desc)
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


@dataclass
class ExtractorRun:
    """What a run produced: the annotation, validation warnings, and the documents that failed.

    A failed document (a non-fatal `ExtractorError`, or new ``failed_requests`` entries) is in
    the annotation with the events obtained before the failure, possibly none; `failed` maps its
    id to the messages, so the caller can decide whether the run is still worth a score.
    """

    annotation: Annotation
    warnings: list[Problem]
    documents: int
    failed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def failed_share(self) -> float:
        return len(self.failed) / self.documents if self.documents else 0.0

    def failure_problems(self, spec: str) -> list[Problem]:
        """One warning per failed document, naming it and the first reason."""
        fix = "rerun (what succeeded is cached); if it keeps failing, check the server's log"
        return [Problem(f"extractor {spec} on document {doc_id}", "", messages[0] + (f" (and {len(messages) - 1} more)" if len(messages) > 1 else ""),
                        fix, severity="warning") for doc_id, messages in sorted(self.failed.items())]


def extract_corpus(
    extractor: Callable[[Any], Iterable[dict]],
    corpus: Corpus,
    *,
    spec: str = "extractor",
    system: str | None = None,
    doc_ids: Iterable[str] | None = None,
    progress: TextIO | None = sys.stderr,
) -> ExtractorRun:
    """Run `extractor` on every document (sorted by id), checking each output at once.

    Raises InputError naming the document when the output is invalid or the extractor raises a
    fatal ExtractorError; a non-fatal one only marks the document failed (with no events).
    """
    ids = sorted(doc_ids) if doc_ids is not None else sorted(corpus.documents)
    documents: dict[str, DocumentAnnotation] = {}
    warnings: list[Problem] = []
    failed: dict[str, list[str]] = {}
    reported = getattr(extractor, "failed_requests", None)
    for doc_id in _progress(ids, progress, spec):
        doc: Document = corpus.documents[doc_id]
        where = f"extractor {spec} on document {doc_id}"
        seen = len(reported) if isinstance(reported, list) else 0
        try:
            events = extractor(doc)
        except ExtractorError as exc:
            if exc.fatal:
                raise InputError([Problem(where, "", str(exc), exc.fix or "fix the extractor's configuration or input, then rerun")]) from None
            failed[doc_id] = [str(exc)]
            events = []
        if isinstance(reported, list) and len(reported) > seen:
            failed.setdefault(doc_id, []).extend(str(m) for m in reported[seen:])
        raw = normalise_output(events, doc_id, spec)
        annotation, problems = build_annotation([("", raw)], corpus, where)
        if annotation is None:
            raise InputError(problems)
        warnings.extend(problems)
        documents.update(annotation.documents)
    return ExtractorRun(Annotation(documents=documents, system=system or spec), warnings, len(ids), failed)


def run_extractor(
    extractor: Callable[[Any], Iterable[dict]],
    corpus: Corpus,
    *,
    spec: str = "extractor",
    system: str | None = None,
    doc_ids: Iterable[str] | None = None,
    progress: TextIO | None = sys.stderr,
) -> tuple[Annotation, list[Problem]]:
    """`extract_corpus` as (annotation, warnings), failed documents among the warnings."""
    run = extract_corpus(extractor, corpus, spec=spec, system=system, doc_ids=doc_ids, progress=progress)
    return run.annotation, run.warnings + run.failure_problems(spec)


def training_documents(corpus: Corpus, gold: Annotation, exclude: str) -> list[TrainingDocument]:
    """Every annotated document of the corpus except `exclude`, sorted by id."""
    return [TrainingDocument.of(corpus.documents[d], gold.documents[d]) for d in sorted(gold.documents) if d != exclude and d in corpus.documents]


def cross_validate(
    factory: Any,
    corpus: Corpus,
    gold: Annotation,
    *,
    options: Mapping[str, Any] | None = None,
    spec: str = "extractor",
    system: str | None = None,
    doc_ids: Iterable[str] | None = None,
    progress: TextIO | None = sys.stderr,
) -> ExtractorRun:
    """Leave-one-document-out: each document is predicted by an extractor fitted on the others only.

    For each document a fresh extractor is made (a class is instantiated with a corpus holding
    only the training documents; any other object is deep-copied), ``fit`` gets the other
    documents with their gold, and then the extractor is asked for that one document. The test
    document's text and annotation never reach ``fit``; its annotation is not needed at all, so a
    document without one is predicted by a model fitted on every annotated document. `doc_ids`
    limits the folds to those documents (default: every document of the corpus).
    """
    ids = sorted(doc_ids) if doc_ids is not None else sorted(corpus.documents)
    documents: dict[str, DocumentAnnotation] = {}
    warnings: list[Problem] = []
    failed: dict[str, list[str]] = {}
    for doc_id in _progress(ids, progress, f"{spec} (leave-one-document-out)"):
        train = training_documents(corpus, gold, doc_id)
        if not train:
            raise InputError([Problem(f"extractor {spec} on document {doc_id}", "", "leave-one-document-out has no other annotated document to train on",
                                      "add gold annotations (annotations/DOC_ID.json) for at least two documents")])
        fold_corpus = dataclasses.replace(corpus, documents={t.doc_id: corpus.documents[t.doc_id] for t in train})
        extractor = instantiate(factory, fold_corpus, options)
        if not inspect.isclass(factory):  # an object: each fold gets its own untrained copy
            extractor = copy.deepcopy(extractor)
        try:
            extractor.fit(train)  # type: ignore[attr-defined]
        except ExtractorError as exc:
            raise InputError([Problem(f"extractor {spec} trained for document {doc_id}", "", str(exc), exc.fix or "fix the extractor's configuration or training data")]) from None
        fold = extract_corpus(extractor, corpus, spec=spec, system=system, doc_ids=[doc_id], progress=None)
        documents.update(fold.annotation.documents)
        warnings.extend(fold.warnings)
        failed.update(fold.failed)
    return ExtractorRun(Annotation(documents=documents, system=system or spec), warnings, len(ids), failed)
