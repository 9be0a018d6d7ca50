"""Rendering a `benchmark.report_data.Report` as one self-contained static HTML file.

No server, no network: inline CSS, one small inline script (tooltips, argument highlighting,
and a `data-computed-direction` probe a browser test reads), inline SVG, local fonts only.
Every piece of document or submission text goes through `html.escape` (`_e`); the result dict
is embedded as JSON with `<`, `>` and `&` written as `\\u003c` etc., so no submission string can
close a tag or open a script.

Documents are drawn right to left (`dir="rtl" lang="ar"`). The text is cut at every boundary
of a segment, a trigger mark and an argument span; marks nest where their spans nest, and a
mark crossing another is split into a head (`<mark data-kind=...>`, the one element counted
per outcome) and continuation pieces (`<mark class="cont" data-of=...>`). Nested marks stack
their underlines: each mark's bottom padding grows with the number of marks nested inside it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from benchmark.error_tables import RULES, explains, metric_name
from benchmark.input.corpus import Segment
from benchmark.report_data import (
    ArgumentSpan,
    ArgumentView,
    ClusterGroup,
    ClusterMention,
    ClusterView,
    DocumentView,
    ErrorItem,
    Report,
    TriggerMark,
)
from benchmark.tables import percent
from scorers.errors import CATEGORIES
from scorers.events import MISSED, SPURIOUS, Item
from scorers.model import EventMention, Span
from scorers.registry import displayed

KIND_NAMES = {"tp": "true positive", "fp": "false positive", "fn": "false negative", "confusion": "type confusion",
              "realis": "true positive, realis wrong"}
SYMBOLS = {"tp": "\u2713", "fp": "+", "fn": "\u2212", "confusion": "\u2260", "realis": "\u2248"}
ARG_STATUS = {"tp": "matched", "fp": "spurious", "fn": "missed", None: ""}


def _e(value: object) -> str:
    """HTML-escape any value for text or a quoted attribute."""
    return html.escape(str(value), quote=True)


def _ar(text: str) -> str:
    """Arabic (document) text inside LTR UI: isolated, right to left."""
    return f'<bdi dir="rtl" lang="ar">{_e(text)}</bdi>'


def _iso(text: object) -> str:
    """A UI string that may mix Latin and Arabic (cluster name, id): a bidi isolate, so it renders in order."""
    return f'<bdi class="iso">{_e(text)}</bdi>'


def _slug(category: str) -> str:
    """A category as a CSS class name ("boundary+type" -> "cat-boundary-type")."""
    return "cat-" + category.replace("+", "-").replace("_", "-")


def _json_for_script(value: object) -> str:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' survives."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _short_doc(doc_id: str) -> str:
    return doc_id.split("_")[0]


def _where(span: Span) -> str:
    return f"[{span.start},{span.end})" if span.has_offsets else "[text only]"


def _kind_class(kind: str, confusion: bool, category: str | None = None) -> str:
    base = f"{kind} confusion" if confusion else kind
    return f"{base} realis" if category == "realis" else base


def _mark_class(mark: TriggerMark) -> str:
    return _kind_class(mark.kind, mark.confusion, mark.category)


def _mark_attrs(mark: TriggerMark) -> str:
    """The attributes of a mark's head element (the one counted per outcome)."""
    category = f' data-category="{_e(mark.category)}"' if mark.category else ""
    paired = f' data-paired="{mark.paired_with}"' if mark.paired_with else ""
    return (f'id="{mark.key}" class="{_mark_class(mark)}" data-kind="{mark.kind}"{category}{paired} tabindex="0"'
            f' data-ev="{" ".join(mark.tokens)}" aria-describedby="tip-{mark.key}"')


# --- cutting a document into nested elements -----------------------------------------------------


@dataclass(eq=False)
class _Node:
    """An element being built: a segment or a mark piece, with children (nodes or ready HTML)."""

    element: Segment | TriggerMark | None
    head: bool = True
    children: list = field(default_factory=list)

    def height(self) -> int:
        """How many levels of marks are nested inside this node."""
        inner = [c.height() + (1 if isinstance(c.element, TriggerMark) else 0) for c in self.children if isinstance(c, _Node)]
        return max(inner, default=0)


def _order(mark: TriggerMark) -> tuple:
    return (mark.span.start, -mark.span.end, mark.key)  # type: ignore[operator]


def _leaf(text: str, args: Iterable[ArgumentSpan]) -> str:
    """A stretch of text with no boundary inside; wrapped in an argument span if any argument covers it."""
    args = list(args)
    if not args:
        return _e(text)
    tokens = " ".join(sorted({a.token for a in args}, key=lambda t: (t[0], int(t[1:]))))
    return f'<span class="arg" data-arg="{_e(tokens)}">{_e(text)}</span>'


def _tree(doc: DocumentView) -> _Node:
    """The document text as a tree: segments outermost, then marks (longest first), then text leaves."""
    text = doc.text
    marks = [m for m in doc.marks if m.placed]
    cuts = {0, len(text)}
    for s in doc.segments:
        cuts |= {s.start, s.end}
    for m in marks:
        cuts |= {m.span.start, m.span.end}  # type: ignore[arg-type]
    for a in doc.arguments:
        cuts |= {a.start, a.end}
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    starts: dict[int, list] = {}
    for item in [*doc.segments, *marks, *doc.arguments]:
        start = item.span.start if isinstance(item, TriggerMark) else item.start
        starts.setdefault(start, []).append(item)

    root = _Node(None)
    stack: list[_Node] = [root]
    active: list = []
    opened: set[str] = set()
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [x for x in [*active, *starts.get(a, ())] if _end(x) > a]
        segment = [x for x in active if isinstance(x, Segment)]
        wanted: list = segment[:1] + sorted((x for x in active if isinstance(x, TriggerMark)), key=_order)
        keep = 0
        while keep < len(wanted) and keep + 1 < len(stack) and stack[keep + 1].element is wanted[keep]:
            keep += 1
        del stack[keep + 1:]
        for element in wanted[keep:]:
            head = not isinstance(element, TriggerMark) or element.key not in opened
            if isinstance(element, TriggerMark):
                opened.add(element.key)
            node = _Node(element, head)
            stack[-1].children.append(node)
            stack.append(node)
        stack[-1].children.append(_leaf(text[a:b], (x for x in active if isinstance(x, ArgumentSpan))))
    return root


def _end(item: Segment | TriggerMark | ArgumentSpan) -> int:
    return item.span.end if isinstance(item, TriggerMark) else item.end  # type: ignore[return-value]


def _serialise(node: _Node) -> str:
    inner = "".join(c if isinstance(c, str) else _serialise(c) for c in node.children)
    element = node.element
    if element is None:
        return inner
    if isinstance(element, Segment):
        if not element.scored:
            return f'<span class="seg chrome" data-segment="{_e(element.kind)}" title="chrome: page furniture, never scored">{inner}</span>'
        return f'<span class="seg {_e(element.kind)}" data-segment="{_e(element.kind)}">{inner}</span>'
    height = node.height()
    style = f' style="--h:{height}"' if height else ""
    if node.head:
        return f'<mark {_mark_attrs(element)} data-start="{element.span.start}" data-end="{element.span.end}"{style}>{inner}</mark>'
    return f'<mark class="{_mark_class(element)} cont" data-of="{element.key}"{style}>{inner}</mark>'


def document_text_html(doc: DocumentView) -> str:
    """The document text with segments, trigger marks and argument spans (the RTL container's content)."""
    return _serialise(_tree(doc))


# --- outcome details (tooltips) ------------------------------------------------------------------


def _event_line(label: str, event: EventMention | None) -> str:
    if event is None:
        return ""
    cluster = _iso(event.cluster) if event.cluster is not None else "<i>none</i>"
    return (f'<div class="ev"><b>{label}</b> {_e(event.type)} · realis {_e(event.realis or "(none)")} · cluster {cluster}'
            f' · {_ar(event.trigger.text)} {_where(event.trigger)} <span class="muted">id {_iso(event.id)}</span></div>')


def _arg_cell(role: str | None, span: Span | None, cls: str) -> str:
    if span is None:
        return f'<td class="{cls} none">—</td>'
    named = f'<span class="muted">{_e(role)}:</span> ' if role is not None else ""
    return f'<td class="{cls}">{named}{_ar(span.text)} <small class="muted">{_where(span)}</small></td>'


def _argument_row(arg: ArgumentView) -> str:
    """One row of the argument view: role, the reference argument, the predicted one, the category; cells coloured by category."""
    status = arg.status
    category = "matched" if status == "tp" else (arg.category or ARG_STATUS[status] or "")
    cls = "cat-ok" if status == "tp" else (_slug(category) if category else "")
    ref = pred = None
    ref_role = pred_role = None
    if arg.side == "ref":
        ref, pred = arg.span, arg.partner
        if arg.partner_role is not None and arg.partner_role != arg.role:
            pred_role = arg.partner_role
    else:
        pred = arg.span
    sym = {"tp": SYMBOLS["tp"], "fp": SYMBOLS["fp"], "fn": SYMBOLS["fn"], None: "·"}[status]
    if arg.partner is not None and arg.side == "ref" and status == "fn":
        sym = "\u2260"
    label = f'<span class="sym">{sym}</span> {_e(category)}' if category else ""
    return (f'<tr class="a-{status or "none"}" data-role="{_e(arg.role)}" data-category="{_e(category)}">'
            f'<th scope="row">{_e(arg.role)}</th>{_arg_cell(ref_role, ref, cls)}{_arg_cell(pred_role, pred, cls)}'
            f'<td class="{cls} acat">{label}</td></tr>')


def argument_table(arguments: Iterable[ArgumentView]) -> str:
    """The argument view of one event (pair): reference and prediction side by side, role by role."""
    rows = sorted(arguments, key=lambda a: (a.role, a.side != "ref", a.span.start if a.span.start is not None else -1))
    if not rows:
        return "<div class=muted>no arguments</div>"
    return ('<table class="args"><thead><tr><th>role</th><th>reference</th><th>prediction</th><th>category</th></tr></thead>'
            f'<tbody>{"".join(_argument_row(a) for a in rows)}</tbody></table>')


def _tip(mark: TriggerMark) -> str:
    kind = "confusion" if mark.confusion else ("realis" if mark.category == "realis" else mark.kind)
    title = f'<span class="sym {kind}">{SYMBOLS[kind]}</span> <b>{KIND_NAMES["realis" if kind == "realis" else mark.kind]}</b>'
    if mark.category is not None and mark.category != "realis":
        title += f' · error <span class="cat {_slug(mark.category)}">{_e(mark.category)}</span>'
    if mark.paired_with is not None:
        title += f' <a href="#{mark.paired_with}" class="goto">the other half</a>'
    if mark.confusion:
        other = mark.confused_with
        assert other is not None
        side = "predicted" if mark.kind == "fn" else "reference"
        title += f' · <b>type confusion</b>: the {side} event on this span is {_e(other.type)}'
    if mark.ref is not None and mark.pred is not None and mark.ref.trigger != mark.pred.trigger:
        title += f" · predicted span {_ar(mark.pred.trigger.text)} {_where(mark.pred.trigger)}"
    return (f'<li id="tip-{mark.key}" class="tip {_mark_class(mark)}"><div>{title}'
            f' <a href="#{mark.key}" class="goto">show in text</a></div>'
            f'{_event_line("reference:", mark.ref)}{_event_line("predicted:", mark.pred)}'
            f'{argument_table(mark.arguments)}</li>')


# --- summary -------------------------------------------------------------------------------------


def metrics_table_html(result: dict) -> str:
    """The main metrics (registry order) and the macro average, straight from the result dict."""
    rows = []
    for spec in displayed(result["settings"]["arg_match"]):
        m = result["metrics"][spec.name]
        rows.append(f'<tr data-metric="{_e(spec.name)}"><th scope="row">{_e(spec.name)}</th><td>{percent(m["precision"])}</td>'
                    f'<td>{percent(m["recall"])}</td><td><b>{percent(m["f1"])}</b></td><td>{m["tp"]}</td><td>{m["fp"]}</td>'
                    f'<td>{m["fn"]}</td><td class="def">{_e(spec.description)}</td></tr>')
    macro = result["macro"]
    rows.append(f'<tr data-metric="macro"><th scope="row">macro {_e(macro["metric"])}</th><td>{percent(macro["precision"])}</td>'
                f'<td>{percent(macro["recall"])}</td><td><b>{percent(macro["f1"])}</b></td><td></td><td></td><td></td>'
                f'<td class="def">unweighted mean over {len(macro["types"])} event types</td></tr>')
    return ('<table class="metrics"><caption>Scores (%) and counts, as <code>evbench score --format json</code></caption>'
            '<thead><tr><th>metric</th><th>P</th><th>R</th><th>F1</th><th>tp</th><th>fp</th><th>fn</th><th>definition</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def type_f1_svg(result: dict, metric: str = "tri_c") -> str:
    """Per-type F1 of one metric as a horizontal bar chart (inline SVG, 0-100 %)."""
    types = result["breakdowns"]["type"]
    label_w, bar_w, row_h, top = 215, 280, 22, 24
    height = top + row_h * len(types) + 8
    width = label_w + bar_w + 105
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
             f' aria-label="per-type {_e(metric)} F1"><title>Per-type {_e(metric)} F1</title>']
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}" class="grid"/>'
                     f'<text x="{x:.1f}" y="{top - 8}" class="tick">{tick}</text>')
    for i, (name, metrics) in enumerate(types.items()):
        m = metrics[metric]
        y = top + i * row_h
        w = bar_w * m["f1"]
        parts.append(f'<g class="bar" data-type="{_e(name)}" data-f1="{m["f1"]!r}"><title>{_e(name)}: F1 {percent(m["f1"])} '
                     f'(tp {m["tp"]}, fp {m["fp"]}, fn {m["fn"]})</title>'
                     f'<text x="{label_w - 8}" y="{y + 15}" class="label">{_e(name)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" class="value">{percent(m["f1"])} '
                     f'<tspan class="muted">({m["tp"]}/{m["fp"]}/{m["fn"]})</tspan></text></g>')
    parts.append("</svg>")
    return "".join(parts)


def confusion_heatmap(result: dict) -> str:
    """Reference type x predicted type over tri_i pairs: shaded cells with the counts printed."""
    matrix: dict[str, dict[str, int]] = result["confusion"]
    if not matrix:
        return '<p class="muted">No trigger-identification outcomes.</p>'
    real = sorted({t for t in matrix if t != SPURIOUS} | {t for cells in matrix.values() for t in cells if t != MISSED})
    rows = real + ([SPURIOUS] if SPURIOUS in matrix else [])
    cols = real + ([MISSED] if any(MISSED in cells for cells in matrix.values()) else [])
    # Agreement (diagonal) and errors are shaded on separate scales, so a few confusions are not
    # washed out by a large diagonal.
    peaks = {agree: max((n for r, cells in matrix.items() for c, n in cells.items() if (r == c) == agree), default=1) for agree in (True, False)}
    head = "".join(f'<th scope="col" class="vert"><span>{_e(c)}</span></th>' for c in cols)
    body = []
    for r in rows:
        cells = []
        for c in cols:
            n = matrix.get(r, {}).get(c, 0)
            if not n:
                cells.append("<td></td>")
                continue
            agree = r == c
            alpha = 0.15 + 0.85 * n / peaks[agree]
            rgb = "0,158,115" if agree else "213,94,0"
            ink = "#fff" if alpha > 0.55 else "#000"
            cls = "diag" if agree else "off"
            cells.append(f'<td class="{cls}" data-ref="{_e(r)}" data-pred="{_e(c)}" style="background:rgba({rgb},{alpha:.2f});color:{ink}"'
                         f' title="reference {_e(r)} / predicted {_e(c)}: {n}">{n}</td>')
        body.append(f'<tr><th scope="row">{_e(r)}</th>{"".join(cells)}</tr>')
    return ('<table class="heat"><caption>Type confusion over tri_i pairs: rows are reference types, columns predicted types '
            '(green, bold: same type; vermillion: confusion, missed or spurious; darker = more, on separate scales)</caption>'
            f'<thead><tr><th class="corner">reference ↓<br>predicted →</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def _legend() -> str:
    items = []
    for kind, text in (("tp", "true positive: the predicted trigger and type match the reference (solid underline)"),
                       ("fp", "false positive: predicted, not in the reference (dashed underline, hatched)"),
                       ("fn", "false negative: in the reference, missed (dotted underline)"),
                       ("confusion", "type confusion: same span under tri_i, other type; counted as one fp and one fn (double underline, cross-hatched)"),
                       ("realis", "trigger and type right, realis wrong: a tri_c true positive with a realis error (thick orange underline)")):
        cls = {"confusion": "fp confusion", "realis": "tp realis"}.get(kind, kind)
        items.append(f'<li><mark class="{cls} sample" aria-hidden="true">{_ar("زيارة")}</mark> '
                     f'<span class="sym {kind}">{SYMBOLS[kind]}</span> {_e(text)}</li>')
    items.append(f'<li><span class="seg chrome sample">{_ar("شارك المقال")}</span> chrome (page furniture, never scored)</li>')
    items.append(f'<li><span class="arg arg-ref sample">{_ar("لافروف")}</span> argument of the hovered reference event; '
                 f'<span class="arg arg-pred sample">{_ar("لافروف")}</span> of the hovered predicted event</li>')
    return ('<section class="legend" aria-label="legend"><h2>Legend</h2><ul>' + "".join(items) + "</ul>"
            "<p class=muted>Hover or focus (Tab) a trigger to see its type, realis, cluster and arguments; "
            "marks on the same words stack their underlines. Escape closes the details.</p></section>")


# --- documents -----------------------------------------------------------------------------------


def _counts(c: dict) -> str:
    return (f'tri_c F1 {percent(c["f1"])} · <span class="sym tp">{SYMBOLS["tp"]}</span> {c["tp"]} tp · '
            f'<span class="sym fp">{SYMBOLS["fp"]}</span> {c["fp"]} fp · <span class="sym fn">{SYMBOLS["fn"]}</span> {c["fn"]} fn')


def _document_errors(doc_id: str, result: dict) -> str:
    """This document's non-zero error categories (``errors_by.doc``), linking to its filtered error list."""
    tables = result.get("errors_by", {}).get("doc", {}).get(doc_id, {})
    parts = [f'<span class="cat {_slug(c)}">{_e(family)} {_e(c)} {n}</span>' for family in ("trigger", "argument", "coref")
             for c, n in tables.get(family, {}).items() if n]
    if not parts:
        return '<p class="doc-errors muted">no errors</p>'
    return (f'<p class="doc-errors">{" ".join(parts)} <a href="#errors?doc={_e(quote(doc_id, safe=""))}">this document\'s errors</a></p>')


def _document(doc: DocumentView, result: dict | None = None) -> str:
    headline = f" — {_ar(doc.headline)}" if doc.headline else ""
    unplaced = [m for m in doc.marks if not m.placed]
    extra = ""
    if unplaced:
        marks = " ".join(f'<mark {_mark_attrs(m)}>{_ar(m.span.text)}</mark>' for m in unplaced)
        extra = f'<p class="unplaced">Outcomes without offsets (cannot be placed in the text): <span dir="rtl" lang="ar">{marks}</span></p>'
    tips = "".join(_tip(m) for m in doc.marks)
    missing = flag = ""
    if doc.missing:
        flag = ' data-missing="true"'
        missing = (f'<p class="not-submitted" role="note"><b>Not in the submission.</b> The submission has no entry for this document, so its '
                   f'{doc.counts["fn"]} reference event(s) are scored as missed; that is no extraction error inside it '
                   '(to score only the documents a submission contains: <code>--only-submitted</code>).</p>')
    return (f'<section class="doc{" missing" if doc.missing else ""}" id="doc-{_e(doc.doc_id)}" data-doc="{_e(doc.doc_id)}"'
            f'{flag}><h3>{_iso(doc.doc_id)}{headline}</h3>{missing}'
            f'<p class="doc-counts">{_counts(doc.counts)}</p>{_document_errors(doc.doc_id, result or {})}'
            f'<div class="doc-text" dir="rtl" lang="ar">{document_text_html(doc)}</div>{extra}'
            f'<details class="outcomes"><summary>All {len(doc.marks)} tri_c outcomes in this document</summary>'
            f'<ol>{tips}</ol></details></section>')


# --- errors --------------------------------------------------------------------------------------

FAMILY_TITLES = {"trigger": "Trigger errors", "argument": "Argument errors", "coref": "Coreference errors"}


def _category_link(result: dict, family: str, category: str, peak: int) -> str:
    n = result["errors"][family][category]
    rule = RULES[family, category]
    what = explains(family, category)
    href = "#clusters" if family == "coref" else f"#errors?cat={family}.{category}"
    width = 0 if not peak else max(2, round(100 * n / peak)) if n else 0
    zero = " zero" if not n else ""
    return (f'<li><a class="catlink{zero}" href="{_e(href)}" data-cat="{_e(family)}.{_e(category)}" data-family="{_e(family)}"'
            f' data-category="{_e(category)}" data-count="{n}" title="{_e(rule)}">'
            f'<span class="cat {_slug(category)}">{_e(category)}</span><span class="meter"><span style="width:{width}%"></span></span>'
            f'<b class="n">{n}</b></a><span class="rule muted">{_e(rule)}{f" · {what}" if what else ""}</span></li>')


def error_summary_html(result: dict) -> str:
    """The error categories of the result dict (``errors``), each linking to the filtered error list."""
    cards = []
    arg_match = result["settings"]["arg_match"]
    for family, categories in CATEGORIES.items():
        peak = max(result["errors"][family].values(), default=0)
        if family == "coref":
            sub = "event coreference within documents; links open the cluster view"
        else:
            m = result["metrics"][metric_name(family, arg_match)]
            sub = f"explain every {metric_name(family, arg_match)} error: fp {m['fp']}, fn {m['fn']}"
        items = "".join(_category_link(result, family, c, peak) for c in categories)
        cards.append(f'<div class="card" data-family="{family}"><h3>{FAMILY_TITLES[family]}</h3><p class="muted">{_e(sub)}</p>'
                     f'<ul class="cats">{items}</ul></div>')
    missing = result.get("missing_documents") or []
    note = ""
    if missing:
        by_doc = result.get("errors_by", {}).get("doc", {})
        lost = sum(by_doc.get(d, {}).get("trigger", {}).get("missed", 0) for d in missing)
        lost_args = sum(by_doc.get(d, {}).get("argument", {}).get("event_missed", 0) for d in missing)
        note = (f'<p class="not-submitted" role="note"><b>{len(missing)} document(s) are not in the submission</b>: '
                f'{lost} of the missed triggers and {lost_args} of the event_missed arguments come from them '
                f'({", ".join(_iso(d) for d in missing)}).</p>')
    return f'{note}<div class="cards">{"".join(cards)}</div>'


def _item_cell(item: Item | None, family: str, category: str) -> str:
    if item is None:
        return '<td class="none">—</td>'
    if family == "trigger":
        realis = ""
        if category == "realis":
            realis = f' <span class="realis-tag">realis {_e(item.event.realis or "(none)")}</span>'
        return (f'<td>{_ar(item.span.text)} <small class="muted">{_where(item.span)}</small>'
                f'<div class="muted small">{_e(item.event.type)}{realis} · id {_iso(item.event.id)}</div></td>')
    role = item.argument.role if item.argument is not None else ""
    return (f'<td><span class="role">{_e(role)}:</span> {_ar(item.span.text)} <small class="muted">{_where(item.span)}</small>'
            f'<div class="muted small">of {_ar(item.event.trigger.text)} {_e(item.event.type)} · id {_iso(item.event.id)}</div></td>')


def _error_row(e: ErrorItem, missing: set[str]) -> str:
    show = " ".join(f'<a href="#{k}" class="goto-mark">{"text" if i == 0 else "other"}</a>' for i, k in enumerate(e.marks))
    flag = ' <span class="ns" title="document not in the submission">not submitted</span>' if e.doc_id in missing else ""
    return (f'<tr class="err" id="{e.key}" data-cat="{e.family}.{_e(e.category)}" data-type="{_e(e.type)}" data-doc="{_e(e.doc_id)}">'
            f'<td><span class="cat {_slug(e.category)}">{_e(e.category)}</span> <small class="muted">{e.family}</small></td>'
            f'<td><a href="#doc-{_e(e.doc_id)}">{_iso(_short_doc(e.doc_id))}</a>{flag}</td>'
            f'{_item_cell(e.ref, e.family, e.category)}{_item_cell(e.pred, e.family, e.category)}<td>{show}</td></tr>')


def errors_html(report: Report) -> str:
    """Filters (category, type, document, search) over one row per categorised error; a paired error is one row."""
    result = report.result
    missing = set(result.get("missing_documents") or [])
    options = ['<option value="">all categories</option>']
    for family in ("trigger", "argument"):
        opts = "".join(f'<option value="{family}.{_e(c)}">{family}: {_e(c)} ({result["errors"][family][c]})</option>' for c in CATEGORIES[family])
        options.append(f'<optgroup label="{family}">{opts}</optgroup>')
    types = sorted({e.type for e in report.errors} | set(result["breakdowns"]["type"]))
    type_options = '<option value="">all types</option>' + "".join(f'<option value="{_e(t)}">{_e(t)}</option>' for t in types)
    doc_options = '<option value="">all documents</option>' + "".join(
        f'<option value="{_e(d.doc_id)}">{_e(d.doc_id)}{" (not submitted)" if d.missing else ""}</option>' for d in report.documents)
    # Errors of documents the submission left out come last: they say nothing about the extractor.
    rows = "".join(_error_row(e, missing) for e in sorted(report.errors, key=lambda e: e.doc_id in missing))
    return (f'<div class="filters" role="search" aria-label="filter the errors">'
            f'<label>category <select id="f-cat">{"".join(options)}</select></label>'
            f'<label>type <select id="f-type">{type_options}</select></label>'
            f'<label>document <select id="f-doc">{doc_options}</select></label>'
            f'<label>search <input type="search" id="f-q" placeholder="word, role, id, type…" size="22"></label>'
            f'<button type="button" id="f-reset">show all</button>'
            f'<span id="f-count" class="muted" aria-live="polite" data-shown="{len(report.errors)}">{len(report.errors)} errors</span></div>'
            f'<table class="errors" id="error-table"><caption>One row per categorised error (a paired error such as boundary, type '
            f'or role is one row: reference and prediction side by side); realis rows are tri_c true positives. '
            f'Choosing a document also shows only that document below.</caption>'
            f'<thead><tr><th>category</th><th>doc</th><th>reference</th><th>prediction</th><th>show</th></tr></thead>'
            f'<tbody>{rows}</tbody></table>')


# --- clusters ------------------------------------------------------------------------------------


def _chip(m: ClusterMention) -> str:
    cls = m.kind or "none"
    inner = f'{_ar(m.text)} <small title="{_e(m.doc_id)} {_e(m.event_id)}">{_iso(_short_doc(m.doc_id))}</small>'
    if m.mark is None:
        return f'<span class="chip {cls}">{inner}</span>'
    return f'<a class="chip {cls}" href="#{m.mark}" title="{_e(m.type)}">{inner}</a>'


def _cluster(c: ClusterView) -> str:
    other = "reference" if c.side == "pred" else "predicted"
    if c.links:
        links = ", ".join(f"{_iso(label)} <span class=muted>({n})</span>" for label, n in c.links)
        unaligned = len(c.mentions) - c.aligned
        tail = f' <span class="muted">+ {unaligned} unaligned</span>' if unaligned else ""
        mapped = f'<div class="maps">→ {other}: {links}{tail}</div>'
    else:
        mapped = f'<div class="maps muted">→ no aligned {other} mention</div>'
    badge = ""
    if len(c.links) > 1:
        badge = f' <span class="badge">{"merges" if c.side == "pred" else "split into"} {len(c.links)}</span>'
    return (f'<div class="cluster" data-side="{c.side}" data-cluster="{_e(c.label)}"><div class="cname"><b>{_iso(c.label)}</b>'
            f' <span class="muted">{len(c.mentions)} mention{"s" if len(c.mentions) != 1 else ""}</span>{badge}</div>'
            f'<div class="chips">{" ".join(_chip(m) for m in c.mentions)}</div>{mapped}</div>')


def _cluster_group(g: ClusterGroup) -> str:
    ref = "".join(_cluster(c) for c in g.ref) or '<div class="muted">—</div>'
    pred = "".join(_cluster(c) for c in g.pred) or '<div class="muted">—</div>'
    return f'<tr class="group" data-kind="{g.kind}"><td class="gkind">{_e(g.kind)}</td><td>{ref}</td><td>{pred}</td></tr>'


CLUSTER_SECTIONS = (
    ("merges and splits", ("merge+split", "merge", "split"), True),
    ("partially matched", ("partial",), True),
    ("reference clusters with no aligned prediction", ("missed",), False),
    ("predicted clusters with no aligned reference", ("spurious",), False),
    ("matched exactly", ("exact",), False),
)


def coref_table_html(result: dict) -> str:
    """The event coreference scores of the result dict (``coref_<scope>.<measure>`` keys), if it has any."""
    scores: dict[str, dict[str, dict]] = {}
    for name, value in result["metrics"].items():
        if name.startswith("coref_") and "." in name:
            scope, measure = name[len("coref_"):].split(".", 1)
            scores.setdefault(measure, {})[scope] = value
    if not scores:
        return ""
    scopes = list(dict.fromkeys(scope for by_scope in scores.values() for scope in by_scope))

    def cells(value: dict | None) -> str:
        if value is None:
            return "<td></td>" * 3
        return "".join(f"<td>{percent(value[k])}</td>" if k in value else "<td></td>" for k in ("precision", "recall", "f1"))

    head = "".join(f'<th colspan="3">{_e(scope)}</th>' for scope in scopes)
    sub = "<th>P</th><th>R</th><th>F1</th>" * len(scopes)
    rows = "".join(f'<tr data-metric="{_e(measure)}"><th scope="row">{_e(measure)}</th>{"".join(cells(by_scope.get(s)) for s in scopes)}</tr>'
                   for measure, by_scope in scores.items())
    notes = "".join(f'<p class="muted">note: {_e(n)}</p>' for n in result.get("coref_notes", []))
    return (f'<table class="metrics coref"><caption>Event coreference scores (%) from the scorer</caption>'
            f'<thead><tr><th rowspan="2">measure</th>{head}</tr><tr>{sub}</tr></thead><tbody>{rows}</tbody></table>{notes}')


def clusters_html(report: Report) -> str:
    groups = report.clusters
    notes = []
    if not report.has_pred_clusters:
        notes.append("The submission gives no clusters: every predicted mention is its own cluster.")
    if not report.has_ref_clusters:
        notes.append("The reference gives no clusters.")
    merges = sum(1 for g in groups for c in g.pred if len(c.links) > 1)
    splits = sum(1 for g in groups for c in g.ref if len(c.links) > 1)
    parts = [f'<p>{merges} predicted cluster(s) merge several reference clusters; {splits} reference cluster(s) are split over several '
             'predicted clusters. Clusters are linked through tri_c-aligned mentions; each row is a connected group. '
             'Mentions show the trigger and the document; click one to see it in the text.</p>']
    parts += [f'<p class="muted">{_e(n)}</p>' for n in notes]
    parts.append(coref_table_html(report.result))
    for title, kinds, open_ in CLUSTER_SECTIONS:
        chosen = [g for g in groups if g.kind in kinds]
        if not chosen:
            continue
        rows = "".join(_cluster_group(g) for g in chosen)
        parts.append(f'<details class="csec"{" open" if open_ else ""}><summary>{_e(title)} ({len(chosen)})</summary>'
                     f'<table class="clusters"><thead><tr><th></th><th>reference clusters</th><th>predicted clusters</th></tr></thead>'
                     f'<tbody>{rows}</tbody></table></details>')
    return "".join(parts)


# --- page ----------------------------------------------------------------------------------------

# Colours: the Okabe & Ito (2008) "Color Universal Design" palette, distinguishable with every
# common colour-vision deficiency; each outcome also has its own line style and fill pattern.
CSS = """
:root { --green:#009E73; --vermillion:#D55E00; --blue:#0072B2; --purple:#CC79A7; --orange:#E69F00; --yellow:#F0E442;
  --sky:#56B4E9; color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  color: #1a1a1a; background: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.5rem; margin: .5rem 0; } h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05rem; margin: .4rem 0; }
.muted { color: #595959; }
code { background: #f3f3f3; padding: 0 .25em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; }
dl.meta dt { color: #595959; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; }
table.metrics td, table.metrics th { padding: .2rem .6rem; border-bottom: 1px solid #e4e4e4; text-align: right; }
table.metrics th[scope=row], table.metrics td.def { text-align: left; }
table.metrics thead th { text-align: center; }
table.metrics td.def { color: #595959; font-size: .9em; }
caption { text-align: left; color: #595959; padding: .3rem 0; caption-side: top; }
.summary-grid { display: grid; grid-template-columns: minmax(320px, 1fr) auto; gap: 1.5rem; align-items: start; margin-top: 1rem; }
.summary-grid figure { margin: 0; min-width: 0; }
.summary-grid svg.chart { width: 100%; max-width: 640px; }
@media (max-width: 1000px) { .summary-grid { grid-template-columns: 1fr; } }
svg.chart { font-size: 12px; max-width: 100%; height: auto; }
svg.chart rect { fill: var(--blue); } svg.chart .grid { stroke: #ddd; } svg.chart .tick { text-anchor: middle; fill: #595959; }
svg.chart .label { text-anchor: end; fill: #1a1a1a; } svg.chart .value { fill: #1a1a1a; } svg.chart .muted { fill: #595959; }
table.heat { font-size: 12px; }
table.heat td, table.heat th { border: 1px solid #e0e0e0; padding: .15rem .25rem; text-align: center; min-width: 1.7rem; }
table.heat th[scope=row] { text-align: right; white-space: nowrap; font-weight: normal; }
table.heat th.vert { vertical-align: bottom; font-weight: normal; height: 13rem; }
table.heat th.vert span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
table.heat td.diag { font-weight: bold; }
.legend ul { list-style: none; padding: 0; display: grid; grid-template-columns: 1fr 1fr; gap: .5rem 1.5rem; }
.sample { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Scheherazade New", "Geeza Pro", Tahoma, "DejaVu Sans", serif;
  font-size: 1.15rem; }
.sym { display: inline-block; min-width: 1.1em; text-align: center; font-weight: bold; }
.sym.tp { color: var(--green); } .sym.fp { color: var(--vermillion); } .sym.fn { color: var(--blue); } .sym.confusion { color: var(--purple); }
.doc { margin: 1.5rem 0 2.5rem; }
.doc-counts { margin: .2rem 0 .2rem; color: #333; }
.doc-errors { margin: 0 0 .6rem; display: flex; flex-wrap: wrap; gap: .25rem; align-items: center; }
.doc-text { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Scheherazade New", "Geeza Pro", "Traditional Arabic",
  Tahoma, "DejaVu Sans", serif; font-size: 1.3rem; line-height: 2.7; white-space: pre-wrap; overflow-wrap: anywhere;
  text-align: start; border: 1px solid #e2e2e2; border-radius: 4px; padding: .6rem 1.1rem; background: #fff; }
.seg.related-article { background: #f7f7f2; }
.seg.chrome { color: #767676; background: #ececec; font-size: .85em; }
mark { --h: 0; color: inherit; background: none; padding: 0 0 calc(2px + var(--h) * 6px); border-bottom: 3px solid transparent; cursor: help; }
mark.tp { border-bottom: 3px solid var(--green); background-color: rgba(0, 158, 115, .13); }
mark.fp { border-bottom: 3px dashed var(--vermillion);
  background: repeating-linear-gradient(135deg, rgba(213, 94, 0, .26) 0 2px, rgba(213, 94, 0, .06) 2px 6px); }
mark.fn { border-bottom: 3px dotted var(--blue); background-color: rgba(0, 114, 178, .10); }
mark.confusion { border-bottom: 5px double var(--purple);
  background: repeating-linear-gradient(45deg, rgba(204, 121, 167, .30) 0 1.5px, transparent 1.5px 6px),
              repeating-linear-gradient(135deg, rgba(204, 121, 167, .30) 0 1.5px, rgba(204, 121, 167, .06) 1.5px 6px); }
mark:focus { outline: 2px solid #000; outline-offset: 1px; }
mark.on { outline: 2px solid #000; outline-offset: 1px; }
.arg.arg-ref { background: var(--yellow); }
.arg.arg-pred { outline: 2px dashed #000; outline-offset: -1px; }
.legend .arg.arg-pred { outline-offset: 1px; }
.unplaced { font-size: .95em; }
details.outcomes { margin-top: .5rem; } details.outcomes ol { padding-left: 1.6rem; }
.tip { margin: .35rem 0; }
.tip .ev { margin-left: 1.4rem; } .tip ul.args { margin: .1rem 0 .1rem 1.4rem; padding-left: 1rem; }
.tip ul.args li { list-style: none; }
.a-tp .sym { color: var(--green); } .a-fp .sym { color: var(--vermillion); } .a-fn .sym { color: var(--blue); }
.goto { font-size: .85em; margin-left: .5rem; }
#panel { position: absolute; z-index: 10; max-width: 34rem; background: #fff; border: 1px solid #777; border-radius: 4px;
  box-shadow: 0 3px 12px rgba(0, 0, 0, .25); padding: .4rem .7rem; font-size: 14px; direction: ltr; text-align: left; }
#panel .tip { list-style: none; border-top: 1px solid #e5e5e5; padding-top: .3rem; }
#panel .tip:first-child { border-top: 0; padding-top: 0; }
#panel .goto { display: none; }
#panel bdi, .tip bdi, .chip bdi { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", Tahoma, "DejaVu Sans", serif; font-size: 1.1em; }
table.clusters { width: 100%; table-layout: fixed; }
table.clusters th, table.clusters td { border-top: 1px solid #e0e0e0; padding: .4rem; vertical-align: top; text-align: left; }
table.clusters th:first-child, table.clusters td.gkind { width: 7rem; }
td.gkind { font-weight: bold; }
.group[data-kind^=merge] td.gkind, .group[data-kind=split] td.gkind { border-left: 4px solid var(--purple); }
.cluster { margin-bottom: .4rem; }
.cname { overflow-wrap: anywhere; }
.badge { background: var(--purple); color: #000; border-radius: 3px; padding: 0 .35rem; font-size: .85em; }
.chips { display: flex; flex-wrap: wrap; gap: .25rem; margin: .2rem 0; }
.chip { border: 1px solid #bbb; border-radius: 3px; padding: 0 .3rem; color: inherit; text-decoration: none; white-space: nowrap; }
.chip.tp { border: 2px solid var(--green); } .chip.fp { border: 2px dashed var(--vermillion); } .chip.fn { border: 2px dotted var(--blue); }
.chip small { color: #595959; }
.maps { font-size: .92em; overflow-wrap: anywhere; }
details.csec > summary { font-weight: bold; margin: .6rem 0 .3rem; cursor: pointer; }
[hidden] { display: none !important; }
nav.jump { margin: .4rem 0 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 1rem; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .4rem .8rem .6rem; }
.card h3 { margin: .2rem 0 0; } .card p { margin: .1rem 0 .4rem; font-size: .9em; }
ul.cats { list-style: none; padding: 0; margin: 0; }
ul.cats li { margin: .15rem 0; }
a.catlink { display: grid; grid-template-columns: 8.5rem 1fr 3rem; align-items: center; gap: .5rem; color: inherit; text-decoration: none;
  border-radius: 3px; padding: .05rem .2rem; }
a.catlink:hover, a.catlink:focus { background: #f0f0f0; outline: 2px solid #000; }
a.catlink[aria-current=true] { background: #e8e8e8; }
a.catlink.zero { color: #767676; } a.catlink.zero .cat { opacity: .55; }
a.catlink .n { text-align: right; font-variant-numeric: tabular-nums; }
.meter { background: #eee; height: .7rem; border-radius: 2px; overflow: hidden; }
.meter span { display: block; height: 100%; background: #555; }
.rule { display: block; font-size: .8em; margin: 0 0 .2rem .3rem; }
.cat { display: inline-block; border-radius: 3px; padding: 0 .35rem; font-size: .88em; white-space: nowrap; border: 1px solid #0003; }
.cat-missed, .cat-event-missed, td.cat-missed, td.cat-event-missed { background: #cfe3f2; }
.cat-spurious, .cat-event-spurious, .cat-duplicate, td.cat-spurious, td.cat-event-spurious { background: #f6d2bb; }
.cat-boundary, td.cat-boundary { background: #fbe2a8; }
.cat-type, .cat-boundary-type, .cat-role, td.cat-role { background: #efcfe0; }
.cat-wrong-event, td.cat-wrong-event { background: #d3ecfa; border-style: dashed; }
.cat-other-mention, td.cat-other-mention { background: #d9f0e6; border-style: dashed; }
.cat-realis { background: #f7ee9a; }
.cat-split, .cat-merged, .cat-extra, .cat-missing { background: #e6ddf0; }
td.cat-ok { background: #e3f4ec; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; position: sticky; top: 0; z-index: 5; background: #fff;
  padding: .4rem 0; border-bottom: 1px solid #ddd; }
.filters select, .filters input, .filters button { font: inherit; font-size: .92em; }
.filters select:focus, .filters input:focus, .filters button:focus { outline: 2px solid #000; }
table.errors { width: 100%; margin-top: .3rem; font-size: .92em; }
table.errors th, table.errors td { border-bottom: 1px solid #e4e4e4; padding: .2rem .4rem; text-align: left; vertical-align: top; }
table.errors thead th { position: sticky; top: 2.6rem; background: #fafafa; }
table.errors td.none { color: #999; text-align: center; }
.small { font-size: .85em; } .role { font-weight: 600; }
.realis-tag { background: #f7ee9a; padding: 0 .25rem; border-radius: 2px; color: #1a1a1a; }
.ns { background: #444; color: #fff; border-radius: 3px; padding: 0 .3rem; font-size: .8em; margin-left: .3rem; }
a.ns { background: none; color: #444; text-decoration: line-through; }
.not-submitted { border-left: 5px solid #444; background: #f1f1f1; padding: .4rem .7rem; }
section.doc.missing .doc-text { color: #767676; background: repeating-linear-gradient(45deg, #fafafa 0 8px, #f2f2f2 8px 16px); }
mark.tp.realis { border-bottom: 4px solid var(--orange); background-color: rgba(230, 159, 0, .22); }
.sym.realis { color: #9a6a00; }
table.args { border-collapse: collapse; margin: .25rem 0 .2rem 1.4rem; font-size: .95em; }
table.args th, table.args td { border: 1px solid #e0e0e0; padding: .1rem .35rem; text-align: left; vertical-align: top; }
table.args thead th { background: #fafafa; font-weight: normal; color: #595959; }
table.args td.none { color: #999; }
#panel table.args { margin-left: 0; }
@media print { #panel { display: none; } details { display: block; } .filters { position: static; } }
"""

# Tooltips, argument highlighting and the direction probe. Reads only attributes this module
# wrote (DOM ids and event tokens it generated) and copies tooltip nodes with cloneNode: no
# submission string is ever evaluated or assigned to innerHTML.
SCRIPT = """
(function () {
  var panel = document.getElementById('panel'), lit = [];
  document.querySelectorAll('.doc-text').forEach(function (el) {
    el.setAttribute('data-computed-direction', getComputedStyle(el).direction);
  });
  function head(m) { return m.hasAttribute('data-of') ? document.getElementById(m.getAttribute('data-of')) : m; }
  function clear() {
    lit.forEach(function (el) { el.classList.remove('arg-ref', 'arg-pred', 'on'); });
    lit = []; panel.hidden = true;
  }
  function light(el, cls) { el.classList.add(cls); lit.push(el); }
  function overlapping(h) {
    // The hovered outcome first, then every other outcome whose span overlaps it.
    var box = h.closest('.doc-text'), s = +h.getAttribute('data-start'), e = +h.getAttribute('data-end');
    if (!box || !h.hasAttribute('data-start')) return [h];
    return [h].concat(Array.prototype.filter.call(box.querySelectorAll('mark[data-kind]'), function (o) {
      return o !== h && +o.getAttribute('data-start') < e && s < +o.getAttribute('data-end');
    }));
  }
  function show(target) {
    var h = head(target);
    if (!h) return;
    var marks = overlapping(h);
    clear();
    panel.replaceChildren();
    marks.forEach(function (m, i) {
      var tip = document.getElementById(m.getAttribute('aria-describedby'));
      if (tip) { var c = tip.cloneNode(true); c.removeAttribute('id'); panel.appendChild(c); }
      if (i > 0) return;  // highlight the arguments of the hovered outcome only
      light(m, 'on');
      document.querySelectorAll('mark[data-of="' + m.id + '"]').forEach(function (p) { light(p, 'on'); });
      (m.getAttribute('data-ev') || '').split(' ').forEach(function (tok) {
        if (!/^[rp][0-9]+$/.test(tok)) return;
        document.querySelectorAll('[data-arg~="' + tok + '"]').forEach(function (a) {
          light(a, tok.charAt(0) === 'r' ? 'arg-ref' : 'arg-pred');
        });
      });
    });
    var r = target.getBoundingClientRect();
    panel.hidden = false;
    var left = Math.min(Math.max(8, r.left + window.scrollX), window.scrollX + document.documentElement.clientWidth - panel.offsetWidth - 8);
    panel.style.left = left + 'px';
    panel.style.top = (r.bottom + window.scrollY + 8) + 'px';
  }
  document.addEventListener('mouseover', function (e) {
    var m = e.target.closest && e.target.closest('mark[data-kind], mark[data-of]');
    if (m) show(m); else if (!panel.contains(e.target)) clear();
  });
  document.addEventListener('focusin', function (e) {
    if (e.target.matches && e.target.matches('mark[data-kind]')) show(e.target); else clear();
  });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') clear(); });
  document.querySelectorAll('bdi.iso').forEach(function (el) {
    el.setAttribute('data-computed-bidi', getComputedStyle(el).unicodeBidi);
  });

  // Error filters: category, type, document and a search box; the state lives in the address
  // ("#errors?cat=trigger.boundary&doc=..."), so the summary links open filtered views.
  var table = document.getElementById('error-table');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll('tr.err'));
  var ids = {cat: 'f-cat', type: 'f-type', doc: 'f-doc', q: 'f-q'}, names = Object.keys(ids);
  function control(k) { return document.getElementById(ids[k]); }
  function read() { var s = {}; names.forEach(function (k) { s[k] = control(k).value; }); return s; }
  function apply(s, write) {
    names.forEach(function (k) { control(k).value = s[k] || ''; });
    s = read();
    var q = s.q.trim().toLowerCase(), shown = 0;
    rows.forEach(function (r) {
      var ok = (!s.cat || r.getAttribute('data-cat') === s.cat) && (!s.type || r.getAttribute('data-type') === s.type) &&
        (!s.doc || r.getAttribute('data-doc') === s.doc) && (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll('section.doc').forEach(function (d) { d.hidden = !!s.doc && d.getAttribute('data-doc') !== s.doc; });
    var count = document.getElementById('f-count');
    count.textContent = shown + ' of ' + rows.length + ' errors shown';
    count.setAttribute('data-shown', String(shown));
    document.querySelectorAll('a.catlink').forEach(function (a) {
      a.setAttribute('aria-current', a.getAttribute('data-cat') === s.cat ? 'true' : 'false');
    });
    if (write) {
      var p = new URLSearchParams();
      names.forEach(function (k) { if (s[k]) p.set(k, s[k]); });
      history.replaceState(null, '', '#errors' + (p.toString() ? '?' + p.toString() : ''));
    }
  }
  function fromAddress() {
    var h = location.hash;
    if (h.indexOf('#errors?') !== 0) return null;
    var p = new URLSearchParams(h.slice(8)), s = {};
    names.forEach(function (k) { s[k] = p.get(k) || ''; });
    return s;
  }
  names.forEach(function (k) {
    control(k).addEventListener(k === 'q' ? 'input' : 'change', function () { apply(read(), true); });
  });
  document.getElementById('f-reset').addEventListener('click', function () { apply({}, true); });
  function follow() {
    var s = fromAddress();
    if (!s) return;
    apply(s, false);
    document.getElementById('errors').scrollIntoView();
  }
  window.addEventListener('hashchange', follow);
  if (fromAddress()) follow(); else apply({}, false);
})();
"""


def _meta(result: dict) -> str:
    ref, settings = result["reference"], result["settings"]
    rows = [
        ("system", _e(result["system"])),
        ("reference", f'{_e(ref["source"])} <span class="muted">(sha256 {_e(ref["checksum"][:12])}, corpus {_e(ref["corpus_checksum"][:12])})</span>'),
        ("matching", _e(settings["match_rule"])),
        ("argument matching", _e(settings["arg_match"])),
        ("ignored", f'{result["ignored_in_chrome"]} predicted events in chrome segments'
                    + (f'; {len(result["ignored_documents"])} predicted documents not in the reference ({_e(", ".join(result["ignored_documents"]))})'
                       if result["ignored_documents"] else "")),
        ("evbench", _e(result["evbench_version"])),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def render(report: Report) -> str:
    """The whole report as one HTML string."""
    result = report.result
    system = _e(result["system"])
    documents = "".join(_document(d, result) for d in report.documents)
    toc = " · ".join(f'<a href="#doc-{_e(d.doc_id)}"{" class=ns" if d.missing else ""}>{_iso(_short_doc(d.doc_id))}</a>'
                     + (" <small>(not submitted)</small>" if d.missing else "") for d in report.documents)
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="evbench {_e(result["evbench_version"])}">
<title>evbench report: {system}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<header>
<h1>Error analysis: {system}</h1>
{_meta(result)}
</header>
<nav class="jump" aria-label="sections"><a href="#where">Where the errors are</a> · <a href="#errors">Error list</a> ·
<a href="#scores">Scores</a> · <a href="#documents">Documents</a> · <a href="#clusters">Clusters</a></nav>
<section class="error-summary" id="where" aria-label="error categories">
<h2>Where the errors are</h2>
{error_summary_html(result)}
</section>
<section class="error-list" id="errors" aria-label="error list">
<h2>Error list</h2>
{errors_html(report)}
</section>
<section class="summary" id="scores" aria-label="summary">
<h2>Scores</h2>
{metrics_table_html(result)}
<div class="summary-grid">
<figure><figcaption class="muted">Per-type tri_c F1 (tp/fp/fn)</figcaption>{type_f1_svg(result)}</figure>
{confusion_heatmap(result)}
</div>
</section>
{_legend()}
<section class="documents" id="documents" aria-label="documents">
<h2>Documents</h2>
<p>Trigger outcomes under tri_c ({_e(result["settings"]["match_rule"])}); arguments scored with {_e(report.argument_metric)}. Documents: {toc}</p>
{documents}
</section>
<section class="cluster-view" id="clusters" aria-label="clusters">
<h2>Clusters: reference vs prediction</h2>
{clusters_html(report)}
</section>
</main>
<div id="panel" role="tooltip" hidden></div>
<script type="application/json" id="evbench-result">{_json_for_script(result)}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
