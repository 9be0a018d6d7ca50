"""Rendering the error categories of a result dict (``errors``, ``errors_by``) as tables: `evbench score --errors`.

Like ``benchmark.tables``, everything here reads the result dict, so the tables and the JSON never
disagree. The corpus table lists every category with its count and which records it explains;
with ``--by type`` / ``--by doc`` one table per family lists the categories per group.
"""

from __future__ import annotations

from typing import Any

from scorers.errors import BESIDE, CATEGORIES, PAIRED

#: What each family's categories explain (shown above the table).
EXPLAINED = {"trigger": "tri_c", "argument": "arg_c+", "coref": "event coreference within documents (tri_i pairs)"}
RULES = {
    ("trigger", "missed"): "reference event, no prediction near it",
    ("trigger", "spurious"): "predicted event, no reference near it",
    ("trigger", "boundary"): "overlapping trigger, same type",
    ("trigger", "type"): "same trigger, other type",
    ("trigger", "boundary+type"): "overlapping trigger, other type",
    ("trigger", "duplicate"): "second prediction of an already matched reference event",
    ("trigger", "realis"): "tri_c true positive with a wrong or no realis",
    ("argument", "missed"): "reference argument lost inside a found event",
    ("argument", "spurious"): "predicted argument inside a found event, nothing near it",
    ("argument", "boundary"): "overlapping span, same role",
    ("argument", "role"): "same span, other role",
    ("argument", "wrong_event"): "span is an argument of another reference event",
    ("argument", "other_mention"): "another mention of the right entity (correct under --arg-match entity)",
    ("argument", "event_missed"): "reference argument of an event no prediction was aligned to",
    ("argument", "event_spurious"): "predicted argument of an event aligned to no reference event",
    ("coref", "split"): "reference cluster broken into one more predicted cluster",
    ("coref", "merged"): "one more reference cluster joined into a predicted cluster",
    ("coref", "extra"): "unaligned predicted mention inside a predicted cluster",
    ("coref", "missing"): "unaligned reference mention of a reference cluster",
}


def explains(family: str, category: str) -> str:
    if family == "coref":
        return ""
    if category in BESIDE:
        return "tp"
    return "fp+fn" if category in PAIRED else ("fn" if category in ("missed", "event_missed") else "fp")


def metric_name(family: str, arg_match: str) -> str:
    return "arg_c+_entity" if family == "argument" and arg_match == "entity" else EXPLAINED[family]


def errors_caption(result: dict[str, Any]) -> str:
    arg_match = result["settings"]["arg_match"]
    parts = []
    for family in ("trigger", "argument"):
        name = metric_name(family, arg_match)
        m = result["metrics"][name]
        parts.append(f"{family} categories explain every {name} error (fp {m['fp']}, fn {m['fn']}); a paired category (fp+fn) one of each")
    return "error categories: " + "; ".join(parts) + " (scorers/errors.py)"


def errors_table(result: dict[str, Any], fmt: str) -> str:
    from benchmark.tables import table

    rows = []
    for family, categories in CATEGORIES.items():
        for category in categories:
            rows.append([family, category, result["errors"][family][category], explains(family, category), RULES[family, category]])
    return table(rows, ["family", "category", "n", "explains", "rule"], fmt)


def errors_by_tables(result: dict[str, Any], by: str, fmt: str) -> list[tuple[str, str]]:
    """(caption, table) per family for one breakdown (coreference by document only)."""
    from benchmark.tables import table

    found = result.get("errors_by", {}).get(by, {})
    out = []
    for family, categories in CATEGORIES.items():
        if family == "coref" and by != "doc":
            continue
        rows = [[group, *(tables[family][c] for c in categories)] for group, tables in found.items()]
        out.append((f"{family} errors by {by}", table(rows, [by, *categories], fmt)))
    return out
