"""Rendering a result dict as tables (tabulate): terminal, GitHub markdown or LaTeX.

Reporters are separate from metric code (as in seqeval): everything here reads the result
dict that `--format json` prints, so tables and JSON can never disagree. Scores are shown as
percentages with one decimal and the raw counts beside them. Arabic cells are wrapped in
bidi isolates (U+2068 ... U+2069) in terminal and markdown output, so right-to-left text
cannot reorder the neighbouring columns.
"""

from __future__ import annotations

import re

from tabulate import tabulate

from benchmark.coref_results import ALIGNMENT_RULE
from scorers.event_coref import MEASURE_DESCRIPTIONS, MEASURES, SCOPES
from scorers.registry import ArgMatch, displayed

TABLE_FORMATS = {"plain": "simple", "github": "pipe", "latex": "latex_booktabs"}
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
FSI, PDI = "\u2068", "\u2069"
BREAKDOWN_METRICS = ("tri_i", "tri_c", "type_realis", "arg_i", "arg_c")


def isolate(cell: object, fmt: str) -> object:
    """Wrap a cell holding Arabic in bidi isolates, except in LaTeX (which has its own bidi)."""
    if fmt != "latex" and isinstance(cell, str) and ARABIC.search(cell):
        return f"{FSI}{cell}{PDI}"
    return cell


def percent(value: float) -> str:
    return f"{100 * value:.1f}"


def f1_cell(entry: dict) -> str:
    """F1 in percent, with its confidence interval when the result has one: ``61.2 [54.0, 68.1]``."""
    ci = entry.get("ci")
    return f"{percent(entry['f1'])} [{percent(ci[0])}, {percent(ci[1])}]" if ci else percent(entry["f1"])


def interval_caption(result: dict) -> str | None:
    """What the bracketed intervals are (None for a result without them)."""
    if "intervals" not in result:
        return None
    s, info = result["settings"], result["intervals"]
    text = (f"[..]: {100 * s['ci']:g}% bootstrap percentile intervals, {s['resamples']} resamples of {info['units']} {s['unit']} units,"
            f" seed {s['seed']}")
    if info.get("unlocated_records"):
        text += f"; {info['unlocated_records']} records of text-only predictions have no offset and form one extra unit per document"
    return text + (f"; {info['coref']}" if info.get("coref") else "")


NUMERIC = re.compile(r"^\d+(\.\d)?( \[\d+\.\d, \d+\.\d\])?( \(\d+/\d+/\d+\))?$")


def _alignment(rows: list[list], width: int) -> list[str]:
    """Right-align columns of numbers (counts, percentages, 'F1 (tp/fp/fn)'), left-align the rest."""
    def numeric(col: int) -> bool:
        cells = [str(row[col]) for row in rows if str(row[col])]
        return bool(cells) and all(NUMERIC.match(c) for c in cells)

    return ["right" if numeric(col) else "left" for col in range(width)]


def table(rows: list[list], headers: list[str], fmt: str) -> str:
    """Cells are rendered as given (no number parsing), so '100.0' never becomes '100'."""
    return tabulate([[isolate(c, fmt) for c in row] for row in rows], headers=headers, tablefmt=TABLE_FORMATS[fmt],
                    disable_numparse=True, colalign=_alignment(rows, len(headers)) if rows else None)


def caption(text: str, fmt: str) -> str:
    """A line above a table: a comment in LaTeX, a paragraph elsewhere."""
    return f"% {text}" if fmt == "latex" else text


def header_line(result: dict) -> str:
    ref = result["reference"]
    settings = result["settings"]
    return (
        f"system: {result['system']} | reference: {ref['source']} (sha256 {ref['checksum'][:12]}, corpus {ref['corpus_checksum'][:12]})"
        f" | matching: {settings['match_rule']} | arg-match: {settings['arg_match']}"
    )


def _arg_name(name: str, arg_match: ArgMatch) -> str:
    return f"{name}_entity" if arg_match == "entity" and name.startswith("arg_") else name


def metrics_table(result: dict, fmt: str) -> str:
    """One row per displayed metric (registry order) and a macro-average row."""
    rows = []
    for spec in displayed(result["settings"]["arg_match"]):
        m = result["metrics"][spec.name]
        rows.append([spec.name, percent(m["precision"]), percent(m["recall"]), f1_cell(m), m["tp"], m["fp"], m["fn"], spec.description])
    macro = result["macro"]
    rows.append([f"macro {macro['metric']}", percent(macro["precision"]), percent(macro["recall"]), f1_cell(macro), "", "", "",
                 f"unweighted mean over {len(macro['types'])} event types"])
    return table(rows, ["metric", "P", "R", "F1", "tp", "fp", "fn", "definition"], fmt)


def coref_table(result: dict, fmt: str) -> str:
    """Event coreference: one row per measure, P / R / F1 (the order of every table) within documents and across the corpus."""
    rows = []
    for measure in MEASURES:
        row: list = [measure]
        for scope in SCOPES:
            m = result["metrics"][f"coref_{scope}.{measure}"]
            row += ["", "", f1_cell(m)] if measure == "conll" else [percent(m["precision"]), percent(m["recall"]), f1_cell(m)]
        rows.append([*row, MEASURE_DESCRIPTIONS[measure]])
    headers = ["metric", *(f"{scope} {score}" for scope in SCOPES for score in ("P", "R", "F1")), "definition"]
    return table(rows, headers, fmt)


def coref_block(result: dict, fmt: str) -> list[str]:
    """Caption, table and notes of the event coreference block (nothing for results without it)."""
    if "coref_within.conll" not in result["metrics"]:
        return []
    rule = (f"event coreference: {ALIGNMENT_RULE}, matching: {result['settings']['match']}; within = each document alone,"
            " counts summed; cross = the whole corpus as one partition; singletons kept")
    notes = [caption(f"note: {note}", fmt) for note in result.get("coref_notes", [])]
    return [caption(rule, fmt), coref_table(result, fmt), *notes]


def breakdown_table(result: dict, by: str, fmt: str) -> str:
    """F1 with (tp/fp/fn) per group for the main metrics."""
    names = [_arg_name(n, result["settings"]["arg_match"]) for n in BREAKDOWN_METRICS]
    rows = []
    for group, metrics in result["breakdowns"][by].items():
        rows.append([group, *(f"{f1_cell(metrics[n])} ({metrics[n]['tp']}/{metrics[n]['fp']}/{metrics[n]['fn']})" for n in names)])
    return table(rows, [by, *(f"{n} F1 (tp/fp/fn)" for n in names)], fmt)


def confusion_table(result: dict, fmt: str) -> str:
    rows = [[ref, pred, n] for ref, cells in result["confusion"].items() for pred, n in cells.items()]
    return table(rows, ["reference type", "predicted type", "tri_i pairs"], fmt)


def _span_cell(entry: dict) -> str:
    where = f"[{entry['start']},{entry['end']})" if entry["start"] is not None else "[text]"
    return f"{entry['text']} {where}"


def _event_cell(entry: dict) -> str:
    """The event an error belongs to: its id, and for an argument the event's trigger (``e2 والتقى [40,46)``)."""
    if entry["role"] is None or "event_trigger" not in entry:
        return entry["event"]
    return f"{entry['event']} {_span_cell(entry['event_trigger'])}"


def explain_table(entries: list[dict], fmt: str) -> str:
    """One row per error; an argument's row names its event (id and trigger), so a missed argument can be found."""
    rows = []
    for e in entries:
        miss = e["near_miss"]
        near = "" if miss is None else f"{_span_cell(miss)} {miss['type']}{' ' + miss['role'] if miss['role'] else ''} differs: {', '.join(miss['differs']) or 'nothing (already matched)'}"
        rows.append([e["metric"], e["kind"].upper(), e["doc_id"], _event_cell(e), _span_cell(e), e["type"], e["role"] or "",
                     e.get("category") or "", e["context"], near])
    return table(rows, ["metric", "error", "doc", "event", "span", "type", "role", "category", "context", "near miss"], fmt)


def render(result: dict, fmt: str, by: list[str], explain: list[dict] | None = None, errors: bool = False) -> str:
    """Header line, metrics table, event coreference, error categories (``errors``), requested breakdowns, confusion (with --by type), explanations."""
    from benchmark.error_tables import errors_by_tables, errors_caption, errors_table

    parts = [caption(header_line(result), fmt), metrics_table(result, fmt)]
    notes = [f"ignored: {result['ignored_in_chrome']} predicted events in chrome segments"]
    if result["ignored_documents"]:
        notes.append(f"{len(result['ignored_documents'])} predicted documents not in the reference ({', '.join(result['ignored_documents'])})")
    if result.get("missing_documents"):
        from benchmark.coverage import id_list

        how = "not scored (--only-submitted)" if result["settings"].get("only_submitted") else "scored as empty"
        notes.append(f"{len(result['missing_documents'])} reference documents not in the submission, {how} ({id_list(result['missing_documents'])})")
    parts.append(caption("; ".join(notes), fmt))
    if interval_caption(result):
        parts.append(caption(interval_caption(result), fmt))
    parts += coref_block(result, fmt)
    if errors:
        parts += [caption(errors_caption(result), fmt), errors_table(result, fmt)]
    for group in by:
        parts += [caption(f"by {group} (matching: {result['settings']['match']}, arg-match: {result['settings']['arg_match']})", fmt),
                  breakdown_table(result, group, fmt)]
        if group == "type":
            parts += [caption("type confusion over trigger-identification pairs", fmt), confusion_table(result, fmt)]
        if errors:
            parts += [part for title, found in errors_by_tables(result, group, fmt) for part in (caption(title, fmt), found)]
    if explain is not None:
        parts += [caption(f"errors ({len(explain)}), with context and nearest near miss", fmt), explain_table(explain, fmt)]
    return "\n\n".join(parts)


#: The metrics compared across matching modes in ``evbench score --match A,B``.
MODE_METRICS = ("tri_i", "tri_c", "realis", "arg_i", "arg_c", "arg_i+", "arg_c+", "coref_within.conll")


def modes_table(results: dict[str, dict], fmt: str) -> str:
    """F1 (and tp) of the main metrics under each matching mode, side by side, with the gain of the last mode over the first."""
    modes = list(results)
    headers = ["metric", *(f"F1 {m}" for m in modes), *(f"tp {m}" for m in modes)]
    if len(modes) > 1:
        headers.append(f"gain {modes[-1]} - {modes[0]}")
    rows = []
    for name in MODE_METRICS:
        entries = [results[m]["metrics"][name] for m in modes]
        row = [name, *(percent(e["f1"]) for e in entries), *(e.get("tp", "") for e in entries)]
        if len(modes) > 1:
            row.append(f"{100 * (entries[-1]['f1'] - entries[0]['f1']):+.1f}")
        rows.append(row)
    first = results[modes[0]]
    head = caption(f"system: {first['system']} | matching modes side by side: {', '.join(modes)} | arg-match: {first['settings']['arg_match']}", fmt)
    rules = caption("; ".join(f"{m}: {results[m]['settings']['match_rule']}" for m in modes), fmt)
    return "\n\n".join([head, table(rows, headers, fmt), rules])
