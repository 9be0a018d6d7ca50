"""Glue between files and scorers: load, check, drop chrome, score, and build the result dict.

The result dict is the one source every reporter renders (tables, JSON, `--out`), so the
numbers a table shows are always the numbers in the JSON. Its key order is fixed (registry
order for metrics, sorted groups everywhere else), so the JSON is byte-identical for any
order of the input documents, events and arguments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from benchmark import __version__
from benchmark.coref_results import coref_section
from benchmark.corpus import Corpus
from benchmark.problems import InputError, Problem
from benchmark.submission import load_reference, load_submission
from scorers.events import GROUPINGS, Outcome, confusion, macro_average, tally, tally_by
from scorers.matching import DEFAULT_OVERLAP_THRESHOLD, make_matcher
from scorers.model import Annotation, DocumentAnnotation, Span
from scorers.prf import PRF
from scorers.registry import METRICS, ArgMatch, score


@dataclass(frozen=True)
class ScoreSettings:
    """Everything that changes the numbers; recorded in every result."""

    match: str = "exact"
    overlap_threshold: float = DEFAULT_OVERLAP_THRESHOLD
    arg_match: ArgMatch = "span"

    @property
    def protocol(self) -> str:
        return "text" if self.match == "text" else "offsets"

    def to_dict(self) -> dict:
        return {
            "match": self.match,
            "match_rule": make_matcher(self.match, self.overlap_threshold).describe(),
            "overlap_threshold": self.overlap_threshold,
            "arg_match": self.arg_match,
            "protocol": self.protocol,
        }


@dataclass(frozen=True)
class ScoreRun:
    """A scored submission: the records plus what was set aside and where the reference came from."""

    system: str
    settings: ScoreSettings
    reference: dict
    prediction: Annotation
    gold: Annotation
    outcomes: tuple[Outcome, ...]
    ignored_in_chrome: int
    ignored_documents: tuple[str, ...]


def _sha256_files(paths: list[Path]) -> str:
    joined = "".join(f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}\n" for p in sorted(paths))
    return hashlib.sha256(joined.encode()).hexdigest()


def reference_identity(path: Path | None, corpus: Corpus) -> dict:
    """Where the reference came from and sha256 checksums naming it and the corpus exactly."""
    if path is None:
        files = sorted(corpus.annotations_dir.glob("*.json"))
        source, checksum = f"gold:{corpus.annotations_dir}", _sha256_files(files)
    else:
        source, checksum = str(path), hashlib.sha256(path.read_bytes()).hexdigest()
    return {"source": source, "checksum": checksum, "corpus_checksum": corpus.checksum()}


def _spans(doc: DocumentAnnotation):
    for event in doc.events:
        yield f"event {event.id!r} trigger", event.trigger
        for i, arg in enumerate(event.arguments):
            yield f"event {event.id!r} argument {i} ({arg.role})", arg.span
    for entity in doc.entities:
        for i, mention in enumerate(entity.mentions):
            yield f"entity {entity.id!r} mention {i}", mention


def require_offsets(annotation: Annotation, file: str) -> None:
    """Offset modes cannot score text-only spans: stop, naming how many and the first one.

    One problem, not one per span: an offset-free file has hundreds of them and one cause.
    """
    missing = [
        (doc_id, where, span)
        for doc_id in sorted(annotation.documents)
        for where, span in _spans(annotation.documents[doc_id])
        if not span.has_offsets
    ]
    if missing:
        doc_id, where, span = missing[0]
        count = f"{len(missing)} spans have" if len(missing) > 1 else "1 span has"
        raise InputError([Problem(file, f"document {doc_id} {where}", f"{count} no start/end offsets (first: {span.text!r})",
                                  "use --match text (the offset-free protocol) or add start and end offsets")])


def _in_chrome(span: Span, corpus: Corpus, doc_id: str) -> bool:
    return span.has_offsets and corpus.documents[doc_id].in_chrome(span.start, span.end)  # type: ignore[arg-type]


def drop_chrome(annotation: Annotation, corpus: Corpus) -> tuple[Annotation, int]:
    """Remove events whose trigger lies in a chrome segment (never scored); return how many.

    Text-only triggers cannot be located, so they are kept.
    """
    documents, dropped = {}, 0
    for doc_id, doc in annotation.documents.items():
        kept = tuple(e for e in doc.events if not _in_chrome(e.trigger, corpus, doc_id))
        dropped += len(doc.events) - len(kept)
        documents[doc_id] = replace(doc, events=kept)
    return Annotation(documents=documents, system=annotation.system), dropped


def score_annotations(
    prediction: Annotation, gold: Annotation, corpus: Corpus, settings: ScoreSettings, *,
    system: str, reference: dict, pred_label: str, ref_label: str,
) -> ScoreRun:
    """Score two validated annotations: require offsets (offset modes), drop chrome, score.

    The one path from loaded annotations to a `ScoreRun`, shared by files and in-memory inputs;
    the labels name each side in problems.
    """
    matcher = make_matcher(settings.match, settings.overlap_threshold)
    if matcher.uses_offsets:
        require_offsets(prediction, pred_label)
        require_offsets(gold, ref_label)
    prediction, ignored = drop_chrome(prediction, corpus)
    gold, _ = drop_chrome(gold, corpus)
    unannotated = tuple(sorted(d for d, doc in prediction.documents.items() if d not in gold.documents and doc.events))
    return ScoreRun(
        system=system,
        settings=settings,
        reference=reference,
        prediction=prediction,
        gold=gold,
        outcomes=tuple(score(prediction, gold, matcher)),
        ignored_in_chrome=ignored,
        ignored_documents=unannotated,
    )


def score_submission(pred_path: Path, reference_path: Path | None, corpus: Corpus, settings: ScoreSettings) -> ScoreRun:
    """Load and check both files (InputError on any problem), then :func:`score_annotations`."""
    prediction = load_submission(pred_path, corpus)
    gold = load_reference(reference_path, corpus)
    return score_annotations(
        prediction, gold, corpus, settings,
        system=prediction.system or pred_path.stem,
        reference=reference_identity(reference_path, corpus),
        pred_label=str(pred_path),
        ref_label=str(reference_path or corpus.annotations_dir),
    )


def _counts_dict(counts: dict[str, PRF], names: tuple[str, ...]) -> dict:
    """Per-metric score dicts in registry order; a metric with no outcomes is all zeros."""
    return {name: counts.get(name, PRF()).to_dict() for name in names}


def result_dict(run: ScoreRun) -> dict:
    """The full, deterministic result: settings, reference identity, metrics, breakdowns, confusion.

    ``metrics`` holds the outcome metrics and then the event coreference ones
    (``coref_within.*``, ``coref_cross.*``; see ``benchmark.coref_results``).
    """
    names = tuple(m.name for m in METRICS)
    coref, coref_notes = coref_section(run.prediction, run.gold, make_matcher(run.settings.match, run.settings.overlap_threshold))
    return {
        "evbench_version": __version__,
        "settings": run.settings.to_dict(),
        "system": run.system,
        "reference": run.reference,
        "metrics": {**_counts_dict(tally(run.outcomes), names), **coref},
        "macro": macro_average(run.outcomes, "tri_c").to_dict(),
        "breakdowns": {
            by: {group: _counts_dict(counts, names) for group, counts in tally_by(run.outcomes, grouping).items()}
            for by, grouping in GROUPINGS.items()
        },
        "confusion": confusion(run.outcomes),
        "coref_notes": coref_notes,
        "ignored_in_chrome": run.ignored_in_chrome,
        "ignored_documents": list(run.ignored_documents),
    }
