"""Human verdicts on (prediction, reference) pairs, and what a matching mode decides for each.

A verdict file (``gold/judgments/verdicts.jsonl``, schema ``gold/schema/verdicts.schema.json``)
holds one pair per line: the sentence, the event type, the gold trigger or argument (with its
role), a predicted string (with its role) and the human verdict. ``evbench judge-agreement``
asks each matching mode the same question the scorer asks, through the scorer's own matcher, so
the agreement measured here is the agreement of the scores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from benchmark.input.corpus import Corpus
from benchmark.input.problems import InputError, Problem
from scorers.matching import SpanMatcher
from scorers.model import Annotation, Span

VERDICTS = ("correct", "incorrect")


@dataclass(frozen=True)
class VerdictPair:
    """One judged pair: a predicted string against a gold trigger or argument in its sentence."""

    id: str
    doc_id: str
    sentence: str
    event_type: str
    gold_trigger: str
    kind: str
    gold: str
    gold_role: str | None
    predicted: str
    predicted_role: str | None
    verdict: str
    #: Each independent annotator's verdict before adjudication, when recorded.
    annotators: dict | None = None

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"


def default_verdicts(corpus: Corpus) -> Path:
    return corpus.root / "judgments" / "verdicts.jsonl"


def load_verdicts(path: Path, corpus: Corpus) -> list[VerdictPair]:
    """Read and check a verdict file (JSONL); every problem is located by line and JSON path."""
    import jsonschema

    schema_path = corpus.schema_dir / "verdicts.schema.json"
    validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError([Problem(str(path), "", "no such verdict file", "give a JSONL file of judged pairs (see gold/judgments/)")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), "", f"cannot read the verdict file: {exc}", "give a UTF-8 JSONL file")]) from None
    pairs: list[VerdictPair] = []
    problems: list[Problem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as exc:
            problems.append(Problem(str(path), f"line {number}", f"not JSON: {exc}", "one JSON object per line"))
            continue
        errors = sorted(validator.iter_errors(raw), key=lambda e: e.json_path)
        for error in errors:
            problems.append(Problem(str(path), f"line {number} {error.json_path}", error.message, "follow gold/schema/verdicts.schema.json"))
        if errors:
            continue
        if raw["doc_id"] not in corpus.documents:
            problems.append(Problem(str(path), f"line {number} $.doc_id", f"unknown document {raw['doc_id']!r}", "use a doc_id of the corpus"))
            continue
        pairs.append(VerdictPair(**{k: raw.get(k) for k in VerdictPair.__dataclass_fields__}))  # type: ignore[arg-type]
    if problems:
        raise InputError(problems)
    return pairs


def _locate_gold(pair: VerdictPair, gold: Annotation, text: str) -> tuple[Span, str | None]:
    """The gold span the pair is about (with offsets and entity when the gold has it), else its text alone."""
    doc = gold.documents.get(pair.doc_id)
    sentence_at = text.find(pair.sentence) if pair.sentence else -1
    for event in doc.events if doc is not None else ():
        if event.type != pair.event_type or event.trigger.text != pair.gold_trigger:
            continue
        if sentence_at >= 0 and not sentence_at <= (event.trigger.start or 0) < sentence_at + len(pair.sentence):
            continue
        if pair.kind == "trigger":
            return event.trigger, None
        for argument in event.arguments:
            if argument.role == pair.gold_role and argument.span.text == pair.gold:
                return argument.span, argument.entity
    return Span(None, None, pair.gold), None


def _locate_near(text: str, needle: str, ref: Span) -> Span:
    """The predicted string at an occurrence overlapping the gold span, else text-only (a generated string need not occur)."""
    if needle and ref.has_offsets:
        start = text.find(needle, max(0, ref.start - len(needle)))  # type: ignore[operator]
        while 0 <= start < ref.end:  # type: ignore[operator]
            if start + len(needle) > ref.start:  # type: ignore[operator]
                return Span(start, start + len(needle), needle)
            start = text.find(needle, start + 1)
    return Span(None, None, needle)


def decide(pair: VerdictPair, matcher: SpanMatcher, gold: Annotation, corpus: Corpus) -> bool:
    """Whether ``matcher`` (unbound) accepts the pair, exactly as the scorer would match the two spans."""
    text = corpus.documents[pair.doc_id].text
    ref, entity = _locate_gold(pair, gold, text)
    pred = _locate_near(text, pair.predicted, ref)
    if matcher.uses_offsets and not (pred.has_offsets and ref.has_offsets):
        return False
    doc = gold.documents.get(pair.doc_id)
    bound = matcher.for_document(pair.doc_id, doc.entity_mentions() if doc is not None else None)
    if pair.kind == "trigger":
        return bound.trigger_similarity(pred, ref) is not None
    return pair.predicted_role == pair.gold_role and bound.argument_similarity(pred, ref, entity) is not None
