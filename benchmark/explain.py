"""Error analysis (`evbench score --explain`): every false positive and false negative, in context.

For triggers (tri_c) and arguments (arg_c, or arg_c_entity under `--arg-match entity`) each
error is listed with a few words of document text either side and its nearest near-miss: the
item on the other side (reference for a false positive, prediction for a false negative) in
the same document whose span overlaps it most, with what differs (span, type, role, realis).
A near-miss that differs in nothing was already matched to another item (a duplicate).
Each row also carries its error category (``scorers.errors``; for argument rows the category of
the same item under arg_c+, None when arg_c+ counts it as a true positive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from benchmark.input.corpus import Corpus
from benchmark.scoring import ScoreRun
from scorers import arabic
from scorers.alignment import span_key
from scorers.events import Item, Outcome, argument_items, item_key
from scorers.matching import dice
from scorers.model import Annotation, Span

CONTEXT_WORDS = 4
WORD = re.compile(r"\S+")


def locate(span: Span, text: str) -> tuple[int, int] | None:
    """Offsets of a span in the document: its own, or the first occurrence of a text-only span."""
    if span.has_offsets:
        return span.start, span.end  # type: ignore[return-value]
    found = text.find(span.text)
    return (found, found + len(span.text)) if found >= 0 else None


def context(span: Span, text: str, words: int = CONTEXT_WORDS) -> str:
    """The span in brackets with up to ``words`` words of document text either side, on one line."""
    where = locate(span, text)
    if where is None:
        return f"[{span.text}] (text not found in the document)"
    start, end = where
    before = [m.start() for m in WORD.finditer(text, 0, start)][-words:]
    after = [m.end() for m in WORD.finditer(text, end)][:words]
    left = text[before[0] if before else start:start]
    right = text[end:after[-1] if after else end]
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


def closeness(a: Span, b: Span) -> float:
    """How near two spans are for error analysis: Dice overlap, or 1.0 for equivalent text-only spans."""
    if a.has_offsets and b.has_offsets:
        return dice(a, b)
    return 1.0 if arabic.equivalent(a.text, b.text) else 0.0


def differences(item: Item, other: Item) -> list[str]:
    diffs = []
    if span_key(item.span) != span_key(other.span):
        diffs.append("span")
    if item.event.type != other.event.type:
        diffs.append("type")
    if item.argument is not None and other.argument is not None:
        if item.argument.role != other.argument.role:
            diffs.append("role")
        if span_key(item.event.trigger) != span_key(other.event.trigger):
            diffs.append("trigger")
    elif item.event.realis != other.event.realis:
        diffs.append("realis")
    return diffs


def near_miss(item: Item, candidates: Iterable[Item]) -> Item | None:
    """The candidate overlapping the item most (ties: canonical order), or None if none overlaps."""
    scored = [(closeness(item.span, c.span), c) for c in candidates]
    scored = [(s, c) for s, c in scored if s > 0]
    if not scored:
        return None
    best = max(s for s, _ in scored)
    return min((c for s, c in scored if s == best), key=item_key)


def _items(annotation: Annotation, doc_id: str, arguments: bool) -> list[Item]:
    doc = annotation.documents.get(doc_id)
    if doc is None:
        return []
    return argument_items(doc.events) if arguments else [Item(e) for e in doc.events]


def _describe(item: Item) -> dict:
    span = item.span
    return {
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "type": item.event.type,
        "role": item.argument.role if item.argument else None,
        "realis": item.event.realis,
        "event": item.event.id,
        "event_trigger": {"start": item.event.trigger.start, "end": item.event.trigger.end, "text": item.event.trigger.text},
    }


def explain_outcome(outcome: Outcome, run: ScoreRun, corpus: Corpus) -> dict:
    item = outcome.item
    is_argument = item.argument is not None
    other_side = run.gold if outcome.kind == "fp" else run.prediction
    miss = near_miss(item, _items(other_side, outcome.doc_id, is_argument))
    return {
        "metric": outcome.metric,
        "kind": outcome.kind,
        "doc_id": outcome.doc_id,
        **_describe(item),
        "context": context(item.span, corpus.documents[outcome.doc_id].text),
        "near_miss": None if miss is None else {**_describe(miss), "differs": differences(item, miss)},
    }


def explained_metrics(arg_match: str) -> tuple[str, str]:
    return ("tri_c", "arg_c_entity" if arg_match == "entity" else "arg_c")


def explain(run: ScoreRun, corpus: Corpus) -> list[dict]:
    """Every error of the explained metrics, sorted by document, position, metric and kind."""
    from benchmark.error_results import record_categories

    metrics = explained_metrics(run.settings.arg_match)
    categories = record_categories(run)
    entries = [{**explain_outcome(o, run, corpus), "category": categories.get(("argument" if o.item.argument else "trigger", o.kind, o.item))}
               for o in run.outcomes if o.metric in metrics and o.kind != "tp"]
    return sorted(entries, key=lambda e: (e["doc_id"], e["start"] if e["start"] is not None else -1, e["end"] or -1,
                                          metrics.index(e["metric"]), e["kind"], e["type"], e["role"] or "", e["text"], e["event"]))
