"""The Python API: score predictions given as a file, an `Annotation`, a dict or a `datasets.Dataset`.

`score` returns the same result dict as ``evbench score --format json``: for files it runs
exactly the command's path (`benchmark.scoring.score_submission`); for in-memory inputs it
first puts them through the same validation as files, then the same chrome handling, scorers
and result builder. Invalid input raises `benchmark.input.problems.InputError` listing every problem.

    >>> from benchmark.api import score
    >>> result = score("predictions.jsonl")                      # a submission file
    >>> result = score(benchmark.load()["mentions"])             # a datasets.Dataset
    >>> result["metrics"]["tri_c"]["f1"]
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields
from pathlib import Path

from benchmark.coverage import covered_result
from benchmark.input.corpus import Corpus, load_corpus
from benchmark.input.problems import InputError, Problem
from benchmark.input.submission import _json_documents, annotation_to_submission, load_gold, load_submission
from benchmark.input.validation import build_annotation
from benchmark.scoring import ScoreSettings, reference_identity, score_annotations, score_submission
from scorers.model import Annotation

_SETTINGS = tuple(f.name for f in fields(ScoreSettings) if f.name != "match")


def _is_path(value: object) -> bool:
    return isinstance(value, (str, os.PathLike))


def _is_dataset(value: object) -> bool:
    """A `datasets` object, recognised without importing `datasets` when it is not in use."""
    return type(value).__module__.startswith("datasets.")


def _from_dict(raw: object, corpus: Corpus, name: str) -> Annotation:
    """A submission-format dict through exactly the checks of a JSON submission file."""
    docs, system, top_problems = _json_documents(raw, name, corpus)
    annotation, problems = build_annotation(docs, corpus, name, system=system)
    problems = top_problems + problems
    if annotation is None or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return Annotation(documents=annotation.documents, system=system)


def _annotation(value: object, corpus: Corpus, name: str, *, gold_if_none: bool) -> tuple[Annotation, str]:
    """(validated annotation, label naming it in problems and results) for any accepted input."""
    if value is None and gold_if_none:
        return load_gold(corpus), str(corpus.annotations_dir)
    if _is_path(value):
        return load_submission(Path(value), corpus), str(value)
    if isinstance(value, Annotation):
        # Re-checked like a file: a hand-built Annotation can hold offsets the corpus lacks.
        return _from_dict(annotation_to_submission(value), corpus, f"<{name} Annotation>"), f"<{name} Annotation>"
    if isinstance(value, dict):
        return _from_dict(value, corpus, f"<{name} dict>"), f"<{name} dict>"
    if _is_dataset(value):
        from benchmark.hf import annotation_from_dataset

        label = f"<{name} dataset>"
        return annotation_from_dataset(value, corpus, name=label), label
    raise InputError(
        [Problem(f"<{name}>", "", f"cannot score a {type(value).__name__}", "pass a file path, an Annotation, a submission dict or a datasets.Dataset")]
    )


def _identity(annotation: Annotation, label: str, corpus: Corpus) -> dict:
    """Reference identity for an in-memory reference: a sha256 of its canonical JSON."""
    canonical = json.dumps(annotation_to_submission(annotation, system="reference"), ensure_ascii=False, sort_keys=True)
    return {"source": label, "checksum": hashlib.sha256(canonical.encode()).hexdigest(), "corpus_checksum": corpus.checksum()}


def score(predictions, reference=None, *, corpus_dir: Path | str | None = None, match: str = "exact", system: str | None = None, **options) -> dict:
    """Score `predictions` against `reference` (default: the corpus gold); return the result dict.

    `predictions` and `reference` may each be a submission file path (JSON/JSONL), an
    `Annotation`, a submission-format dict or a `datasets.Dataset` in the `documents` or
    `mentions` layout. `match` is the span matching mode (exact, overlap, arabic, text);
    `options` are the other scoring settings (`overlap_threshold`, `arg_match`), as the CLI
    flags of the same names. `system` names the system when the input does not.
    """
    unknown = sorted(set(options) - set(_SETTINGS))
    if unknown:
        raise TypeError(f"score() got unknown option(s) {', '.join(unknown)}; known: match, system, {', '.join(_SETTINGS)}")
    settings = ScoreSettings(match=match, **options)
    corpus = load_corpus(corpus_dir)
    if _is_path(predictions) and (reference is None or _is_path(reference)) and system is None:
        return covered_result(score_submission(Path(predictions), None if reference is None else Path(reference), corpus, settings))

    prediction, pred_label = _annotation(predictions, corpus, "predictions", gold_if_none=False)
    gold, ref_label = _annotation(reference, corpus, "reference", gold_if_none=True)
    if reference is None or _is_path(reference):
        identity = reference_identity(None if reference is None else Path(reference), corpus)
    else:
        identity = _identity(gold, ref_label, corpus)

    fallback = Path(predictions).stem if _is_path(predictions) else "unnamed"
    run = score_annotations(
        prediction, gold, corpus, settings,
        system=system or prediction.system or fallback,
        reference=identity,
        pred_label=pred_label,
        ref_label=ref_label,
    )
    return covered_result(run)
