"""Error categories in the result dict: ``errors`` (corpus totals) and ``errors_by`` (per event type and per document).

The counts come from ``scorers.errors`` (the rules are in its docstring); this module only shapes
them. ``errors`` is ``{"trigger": {category: n}, "argument": {...}, "coref": {...}}`` with every
category present (zeros too); ``argument`` explains arg_c+, or arg_c+_entity under
``--arg-match entity``. ``errors_by["type"][type]`` has the trigger and argument tables (a
coreference error belongs to no one type), ``errors_by["doc"][doc_id]`` all three.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from scorers.errors import ERROR_GROUPINGS, ErrorCell, document_errors, errors_table
from scorers.events import Item, Outcome

if TYPE_CHECKING:
    from benchmark.scoring import ScoreRun


def error_section(counts: Counter[ErrorCell], arg_match: str, groups: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """``{"errors": ..., "errors_by": ...}``; ``groups[by]``: the groups the result's breakdowns list (groups are sorted)."""
    by_group: dict[str, dict[str, Any]] = {}
    for by in (b for b in ERROR_GROUPINGS if b in groups):
        names: set[str] = set(groups.get(by, ())) | {group for (_, _, b, group) in counts if b == by and group is not None}
        tables = {group: errors_table(counts, arg_match, by, group) for group in sorted(names)}
        if by != "doc":
            tables = {group: {f: t for f, t in table.items() if f != "coref"} for group, table in tables.items()}
        by_group[by] = tables
    return {"errors": errors_table(counts, arg_match), "errors_by": by_group}


def record_categories(run: ScoreRun) -> dict[tuple[str, str, Item], str]:
    """``{(family, kind, item): category}`` of every categorised error of a ``benchmark.scoring.ScoreRun``.

    ``family`` is ``"trigger"`` (tri_c records) or ``"argument"`` (the argument metric of the run's
    ``--arg-match``); a paired error names both its false positive and its false negative.
    """
    from scorers.model import DocumentAnnotation

    by_doc: dict[str, list[Outcome]] = {}
    for o in run.outcomes:
        by_doc.setdefault(o.doc_id, []).append(o)
    found: dict[tuple[str, str, Item], str] = {}
    for doc_id, outcomes in by_doc.items():
        pred = run.prediction.documents.get(doc_id, DocumentAnnotation(doc_id))
        errors = document_errors(outcomes, pred, run.gold.documents[doc_id], run.matcher)
        for family, key in (("trigger", "trigger"), ("argument", run.settings.arg_match)):
            for e in errors[key]:
                if e.pred is not None:
                    found[family, "fp", e.pred] = e.category
                if e.ref is not None:
                    found[family, "fn", e.ref] = e.category
    return found
