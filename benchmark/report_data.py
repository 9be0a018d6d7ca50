"""Data for the HTML error-analysis report (`evbench report`): gathered from a scored run, never re-scored.

Everything here regroups the outcome records the scorer produced (`ScoreRun.outcomes`) and the
result dict `evbench score --format json` prints (`benchmark.scoring.result_dict`); nothing
counts or aligns a second time, so the report's marks and tables always agree with the scorer.
Rendering lives in `benchmark.html_report`, which reads only the records defined here.

* Trigger marks: one `TriggerMark` per tri_c outcome (true positive, false positive, false
  negative). A tri_c false positive or false negative whose trigger is paired under tri_i with
  an event of another type is also flagged as a *type confusion* (it still counts as the fp /
  fn it is).
* Arguments of a mark carry their arg_c+ status (matched, missed, spurious): arg_c+ aligns
  arguments within the same tri_c event pairs the marks come from.
* Clusters: the reference's and the prediction's cross-document event clusters, linked through
  the tri_c pairs (the alignment event coreference scoring builds on), grouped into connected
  components so merges and splits show up side by side.
* Errors: every categorised trigger and argument error (`scorers.errors.document_errors`, the
  rules behind the result's `errors` counts) as one `ErrorItem`; a paired error (boundary,
  type, role, ...) is one item naming both its false positive and its false negative. Marks and
  argument views carry the category of the error they belong to (`realis` on a tri_c true
  positive whose realis is wrong).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from benchmark.coverage import covered_result
from benchmark.input.corpus import Corpus, Segment
from benchmark.scoring import ScoreRun
from scorers.errors import CATEGORIES, Error, document_errors
from scorers.events import Item, Kind, Outcome
from scorers.model import Annotation, DocumentAnnotation, EventMention, Span

TRIGGER_METRIC = "tri_c"
IDENTIFICATION_METRIC = "tri_i"
Side = str  # "ref" or "pred"
EventKey = tuple[str, str, str]  # (side, doc_id, event id): event ids are unique within a document


def argument_metric(arg_match: str) -> str:
    """The argument metric whose alignment lives inside tri_c event pairs (arg_c+ or its entity variant)."""
    return "arg_c+_entity" if arg_match == "entity" else "arg_c+"


def event_key(side: Side, event: EventMention) -> EventKey:
    return (side, event.doc_id, event.id)


@dataclass(frozen=True)
class ArgumentView:
    """One argument of a marked event, with its arg_c+ status (None when that metric was not scored)."""

    role: str
    span: Span
    side: Side
    status: Kind | None
    #: For a matched argument (status "tp") or a paired error listed on the reference side: the predicted span.
    partner: Span | None = None
    #: The error category (scorers.errors) of a missed / spurious argument, None for a matched one.
    category: str | None = None
    #: For a paired error (role, boundary, other_mention): the predicted role.
    partner_role: str | None = None


@dataclass(frozen=True)
class TriggerMark:
    """One tri_c outcome, drawn on the reference trigger (tp, fn) or the predicted one (fp)."""

    key: str
    kind: Kind
    doc_id: str
    span: Span
    ref: EventMention | None
    pred: EventMention | None
    #: For an fp / fn that tri_i pairs with an event of another type: that event (a type confusion).
    confused_with: EventMention | None
    arguments: tuple[ArgumentView, ...]
    #: DOM tokens of the events this mark is about ("r12", "p7"), used to highlight their arguments.
    tokens: tuple[str, ...]
    #: The error category of this outcome (an fp / fn's; "realis" on a tp whose realis is wrong; None otherwise).
    category: str | None = None
    #: For a paired trigger error (boundary, type, boundary+type): the DOM id of the other mark.
    paired_with: str | None = None

    @property
    def confusion(self) -> bool:
        return self.confused_with is not None

    @property
    def placed(self) -> bool:
        """Whether the mark can be drawn in the text (a non-empty span with offsets)."""
        return self.span.has_offsets and self.span.end > self.span.start  # type: ignore[operator]


@dataclass(frozen=True)
class ArgumentSpan:
    """An argument span in a document text, tagged with the DOM token of its event."""

    start: int
    end: int
    token: str
    role: str


@dataclass(frozen=True)
class DocumentView:
    doc_id: str
    headline: str | None
    text: str
    segments: tuple[Segment, ...]
    marks: tuple[TriggerMark, ...]
    arguments: tuple[ArgumentSpan, ...]
    #: This document's tri_c counts from the result dict (`breakdowns.doc`).
    counts: dict
    #: The submission does not contain this document (every reference event in it is a miss).
    missing: bool = False


@dataclass(frozen=True)
class ClusterMention:
    doc_id: str
    event_id: str
    text: str
    type: str
    #: DOM id of the mark drawn for this mention's trigger (None if the mention was not scored).
    mark: str | None
    #: The outcome kind of that mark ("tp" when the mention is aligned under tri_c).
    kind: Kind | None


@dataclass(frozen=True)
class ClusterView:
    """One cluster of one side and the other side's clusters its aligned mentions belong to."""

    side: Side
    #: The cluster id, or None for a mention without a cluster (a singleton of its own).
    id: str | None
    mentions: tuple[ClusterMention, ...]
    #: (other side's cluster label, number of aligned mention pairs), most pairs first.
    links: tuple[tuple[str, int], ...]

    @property
    def label(self) -> str:
        return cluster_label(self.id, self.mentions[0].doc_id, self.mentions[0].event_id)

    @property
    def aligned(self) -> int:
        return sum(n for _, n in self.links)


@dataclass(frozen=True)
class ClusterGroup:
    """A connected component of reference and predicted clusters linked by aligned mentions."""

    ref: tuple[ClusterView, ...]
    pred: tuple[ClusterView, ...]

    @property
    def kind(self) -> str:
        """merge, split, merge+split, exact, partial, missed or spurious."""
        if not self.pred:
            return "missed"
        if not self.ref:
            return "spurious"
        merge = any(len(c.links) > 1 for c in self.pred)
        split = any(len(c.links) > 1 for c in self.ref)
        if merge or split:
            return "merge+split" if merge and split else ("merge" if merge else "split")
        (ref,), (pred,) = self.ref, self.pred
        exact = ref.aligned == len(ref.mentions) == len(pred.mentions)
        return "exact" if exact else "partial"

    @property
    def size(self) -> int:
        return sum(len(c.mentions) for c in self.ref + self.pred)


@dataclass(frozen=True)
class ErrorItem:
    """One categorised error: a false positive, a false negative, or a pair of both (or a realis tp)."""

    key: str
    family: str  # "trigger" or "argument"
    category: str
    doc_id: str
    type: str
    ref: Item | None
    pred: Item | None
    #: DOM ids of the trigger marks of the events involved (reference side first).
    marks: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """Everything the HTML report shows."""

    result: dict
    documents: tuple[DocumentView, ...]
    clusters: tuple[ClusterGroup, ...]
    argument_metric: str
    has_ref_clusters: bool
    has_pred_clusters: bool
    errors: tuple[ErrorItem, ...] = ()

    @property
    def marks(self) -> list[TriggerMark]:
        return [m for d in self.documents for m in d.marks]


def cluster_label(cluster: str | None, doc_id: str, event_id: str) -> str:
    """A cluster's display name; a mention without a cluster is named after itself."""
    return cluster if cluster is not None else f"(no cluster: {doc_id} {event_id})"


def _event_tokens(annotation: Annotation, prefix: str) -> dict[tuple[str, str], str]:
    """A short DOM-safe token per event ("r0", "r1", ...), in document / canonical order."""
    events = sorted(annotation.events(), key=lambda e: (e.doc_id, e.trigger.start if e.trigger.start is not None else -1,
                                                          e.trigger.end or -1, e.type, e.id))
    return {(e.doc_id, e.id): f"{prefix}{i}" for i, e in enumerate(events)}


def _confusions(outcomes: Iterable[Outcome]) -> dict[EventKey, EventMention]:
    """Type confusions keyed by (side, doc, id), each mapped to the event on the other side.

    A confusion is a tri_i pair of events of different types where the prediction is a tri_c
    false positive and the reference a tri_c false negative. (A tri_i pair whose prediction is
    a tri_c true positive with another reference on the same word, as with two gold events on
    one trigger, is a plain miss, not a confusion.)
    """
    outcomes = list(outcomes)
    wrong = {event_key("pred", o.pred.event) for o in outcomes if o.metric == TRIGGER_METRIC and o.kind == "fp"}  # type: ignore[union-attr]
    wrong |= {event_key("ref", o.ref.event) for o in outcomes if o.metric == TRIGGER_METRIC and o.kind == "fn"}  # type: ignore[union-attr]
    other: dict[EventKey, EventMention] = {}
    for o in outcomes:
        if o.metric != IDENTIFICATION_METRIC or o.kind != "tp" or o.pred.event.type == o.ref.event.type:  # type: ignore[union-attr]
            continue
        pred, ref = event_key("pred", o.pred.event), event_key("ref", o.ref.event)  # type: ignore[union-attr]
        if pred in wrong and ref in wrong:
            other[pred], other[ref] = o.ref.event, o.pred.event  # type: ignore[union-attr]
    return other


def _arguments(outcomes: Iterable[Outcome], metric: str, errors: Iterable[Error] = ()) -> dict[EventKey, list[ArgumentView]] | None:
    """arg_c+ outcomes as argument views per event, with their error categories; None if the metric was not scored.

    A paired error (role, boundary, other_mention) is one view on the reference side whose
    partner is the predicted argument; its false positive is not listed again.
    """
    category: dict[tuple[str, Item], str] = {}
    paired: dict[Item, Item] = {}
    for e in errors:
        if e.pred is not None:
            category["fp", e.pred] = e.category
        if e.ref is not None:
            category["fn", e.ref] = e.category
        if e.pred is not None and e.ref is not None:
            paired[e.ref] = e.pred
    dropped = set(paired.values())
    found = False
    by_event: dict[EventKey, list[ArgumentView]] = defaultdict(list)
    for o in outcomes:
        if o.metric != metric:
            continue
        found = True
        if o.kind == "tp":
            ref_arg, pred_arg = o.ref.argument, o.pred.argument  # type: ignore[union-attr]
            by_event[event_key("ref", o.ref.event)].append(ArgumentView(ref_arg.role, ref_arg.span, "ref", "tp", pred_arg.span))  # type: ignore[union-attr]
        elif o.kind == "fn":
            a, other = o.ref.argument, paired.get(o.ref)  # type: ignore[union-attr, arg-type]
            by_event[event_key("ref", o.ref.event)].append(ArgumentView(  # type: ignore[union-attr]
                a.role, a.span, "ref", "fn", other.span if other else None, category.get(("fn", o.ref)),  # type: ignore[union-attr, arg-type]
                other.argument.role if other else None))  # type: ignore[union-attr]
        elif o.pred not in dropped:
            a = o.pred.argument  # type: ignore[union-attr]
            by_event[event_key("pred", o.pred.event)].append(ArgumentView(a.role, a.span, "pred", "fp", category=category.get(("fp", o.pred))))  # type: ignore[union-attr, arg-type]
    return by_event if found else None


def _plain_arguments(side: Side, event: EventMention) -> list[ArgumentView]:
    return [ArgumentView(a.role, a.span, side, None) for a in event.arguments]


def _marks(run: ScoreRun, tokens: dict[Side, dict[tuple[str, str], str]], errors: dict[str, list[Error]] | None = None) -> dict[str, list[TriggerMark]]:
    """One mark per tri_c outcome, per document, in the scorer's order."""
    errors = errors if errors is not None else {"trigger": [], "argument": []}
    confusions = _confusions(run.outcomes)
    arguments = _arguments(run.outcomes, argument_metric(run.settings.arg_match), errors["argument"])
    category: dict[EventKey, str] = {}
    partner: dict[EventKey, EventKey] = {}
    for e in errors["trigger"]:
        sides = [("ref", e.ref), ("pred", e.pred)] if e.category != "realis" else [("ref", e.ref)]
        keys = [event_key(side, item.event) for side, item in sides if item is not None]
        for k in keys:
            category[k] = e.category
        if len(keys) == 2:
            partner[keys[0]], partner[keys[1]] = keys[1], keys[0]
    mark_of: dict[EventKey, str] = {}
    pending: list[tuple[TriggerMark, EventKey | None]] = []
    marks: dict[str, list[TriggerMark]] = defaultdict(list)
    n = 0
    for o in run.outcomes:
        if o.metric != TRIGGER_METRIC:
            continue
        ref = o.ref.event if o.ref is not None else None
        pred = o.pred.event if o.pred is not None else None
        args: list[ArgumentView] = []
        confused = None
        keys: list[tuple[Side, EventMention]] = []
        if ref is not None:
            keys.append(("ref", ref))
        if pred is not None:
            keys.append(("pred", pred))
        for side, event in keys:
            key = event_key(side, event)
            args += arguments.get(key, []) if arguments is not None else _plain_arguments(side, event)
            if o.kind != "tp" and key in confusions:
                confused = confusions[key]
        span = ref.trigger if ref is not None else pred.trigger  # type: ignore[union-attr]
        own = event_key(*keys[0])
        mark = TriggerMark(
            key=f"o{n}", kind=o.kind, doc_id=o.doc_id, span=span, ref=ref, pred=pred, confused_with=confused,
            arguments=tuple(args), tokens=tuple(tokens[side][(e.doc_id, e.id)] for side, e in keys),
            category=category.get(own),
        )
        for k in (event_key(side, e) for side, e in keys):
            mark_of[k] = mark.key
        pending.append((mark, partner.get(own)))
        n += 1
    for mark, other in pending:
        if other is not None and other in mark_of:
            mark = replace(mark, paired_with=mark_of[other])
        marks[mark.doc_id].append(mark)
    return marks


def _run_errors(run: ScoreRun) -> dict[str, list[Error]]:
    """The categorised trigger errors and argument errors (under the run's --arg-match) of every scored document."""
    by_doc: dict[str, list[Outcome]] = defaultdict(list)
    for o in run.outcomes:
        by_doc[o.doc_id].append(o)
    found: dict[str, list[Error]] = {"trigger": [], "argument": []}
    for doc_id in sorted(by_doc):
        pred = run.prediction.documents.get(doc_id, DocumentAnnotation(doc_id))
        errors = document_errors(by_doc[doc_id], pred, run.gold.documents[doc_id], run.matcher)
        found["trigger"] += errors["trigger"]
        found["argument"] += errors[run.settings.arg_match]
    return found


def _error_items(errors: dict[str, list[Error]], marks: Iterable[TriggerMark]) -> tuple[ErrorItem, ...]:
    """One item per categorised error, by document, family, category (the result's order) and position."""
    mark_of: dict[EventKey, str] = {}
    for m in marks:
        for side, event in (("ref", m.ref), ("pred", m.pred)):
            if event is not None:
                mark_of[event_key(side, event)] = m.key

    def position(e: Error) -> tuple:
        item = e.ref or e.pred
        span = item.span  # type: ignore[union-attr]
        return (span.start if span.start is not None else -1, span.end or -1, span.text, e.type)

    order = {(family, c): i for family, categories in CATEGORIES.items() for i, c in enumerate(categories)}
    chosen = sorted((e for family in ("trigger", "argument") for e in errors[family]),
                    key=lambda e: (e.doc_id, e.family != "trigger", order[e.family, e.category], position(e)))
    items = []
    for n, e in enumerate(chosen):
        keys = [mark_of.get(event_key(side, item.event)) for side, item in (("ref", e.ref), ("pred", e.pred)) if item is not None]
        items.append(ErrorItem(f"x{n}", e.family, e.category, e.doc_id, e.type, e.ref, e.pred,
                               tuple(dict.fromkeys(k for k in keys if k is not None))))
    return tuple(items)


def _argument_spans(annotation: Annotation, doc_id: str, tokens: dict[tuple[str, str], str]) -> list[ArgumentSpan]:
    doc = annotation.documents.get(doc_id)
    if doc is None:
        return []
    return [ArgumentSpan(a.span.start, a.span.end, tokens[(doc_id, e.id)], a.role)  # type: ignore[arg-type]
            for e in doc.events for a in e.arguments if a.span.has_offsets and a.span.end > a.span.start]  # type: ignore[operator]


# --- clusters ----------------------------------------------------------------------------------


def _cluster_of(event: EventMention) -> tuple:
    """A cluster identity: the cluster id, or the mention itself when it has none."""
    return ("c", event.cluster) if event.cluster is not None else ("s", event.doc_id, event.id)


def _clusters(run: ScoreRun, marks: Iterable[TriggerMark]) -> tuple[ClusterGroup, ...]:
    """Reference and predicted clusters as connected components of the tri_c-pair links."""
    mark_of: dict[EventKey, TriggerMark] = {}
    for m in marks:
        if m.ref is not None:
            mark_of[event_key("ref", m.ref)] = m
        if m.pred is not None:
            mark_of[event_key("pred", m.pred)] = m
    members: dict[tuple[Side, tuple], list[EventMention]] = defaultdict(list)
    for side, annotation in (("ref", run.gold), ("pred", run.prediction)):
        for event in annotation.events():
            if event.doc_id in run.gold.documents:  # only scored documents
                members[(side, _cluster_of(event))].append(event)
    links: dict[tuple[Side, tuple], dict[tuple[Side, tuple], int]] = defaultdict(lambda: defaultdict(int))
    for m in marks:
        if m.kind == "tp":
            r, p = ("ref", _cluster_of(m.ref)), ("pred", _cluster_of(m.pred))  # type: ignore[arg-type]
            links[r][p] += 1
            links[p][r] += 1

    def label(node: tuple[Side, tuple]) -> str:
        ident = node[1]
        return cluster_label(ident[1], "", "") if ident[0] == "c" else cluster_label(None, ident[1], ident[2])

    def view(node: tuple[Side, tuple]) -> ClusterView:
        side, ident = node
        mentions = []
        for e in sorted(members[node], key=lambda e: (e.doc_id, e.trigger.start if e.trigger.start is not None else -1, e.id)):
            mark = mark_of.get(event_key(side, e))
            mentions.append(ClusterMention(e.doc_id, e.id, e.trigger.text, e.type, mark.key if mark else None, mark.kind if mark else None))
        linked = sorted(((label(other), n) for other, n in links[node].items()), key=lambda x: (-x[1], x[0]))
        return ClusterView(side, ident[1] if ident[0] == "c" else None, tuple(mentions), tuple(linked))

    seen: set = set()
    groups: list[ClusterGroup] = []
    for start in sorted(members, key=lambda n: (n[0] != "ref", label(n))):
        if start in seen:
            continue
        component, todo = [], [start]
        seen.add(start)
        while todo:
            node = todo.pop()
            component.append(node)
            for other in links[node]:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        ordered = sorted(component, key=label)
        groups.append(ClusterGroup(tuple(view(n) for n in ordered if n[0] == "ref"), tuple(view(n) for n in ordered if n[0] == "pred")))
    order = {"merge+split": 0, "merge": 1, "split": 2, "partial": 3, "missed": 4, "spurious": 5, "exact": 6}
    return tuple(sorted(groups, key=lambda g: (order[g.kind], -g.size, [c.label for c in g.ref + g.pred])))


# --- entry point -------------------------------------------------------------------------------


def build_report(run: ScoreRun, corpus: Corpus) -> Report:
    """Gather the report's data from a scored run (`benchmark.scoring.score_submission`)."""
    result = covered_result(run)
    tokens = {"ref": _event_tokens(run.gold, "r"), "pred": _event_tokens(run.prediction, "p")}
    errors = _run_errors(run)
    marks = _marks(run, tokens, errors)
    missing = set(result.get("missing_documents", ()))
    documents = []
    for doc_id in sorted(run.gold.documents):
        doc = corpus.documents[doc_id]
        arguments = _argument_spans(run.gold, doc_id, tokens["ref"]) + _argument_spans(run.prediction, doc_id, tokens["pred"])
        counts = result["breakdowns"]["doc"].get(doc_id, {}).get(TRIGGER_METRIC, {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0})
        documents.append(DocumentView(doc_id, doc.headline, doc.text, doc.segments, tuple(marks.get(doc_id, ())), tuple(arguments), counts,
                                      doc_id in missing))
    all_marks = [m for d in documents for m in d.marks]
    return Report(
        result=result,
        documents=tuple(documents),
        clusters=_clusters(run, all_marks),
        argument_metric=argument_metric(run.settings.arg_match),
        has_ref_clusters=run.gold.has_clusters,
        has_pred_clusters=run.prediction.has_clusters,
        errors=_error_items(errors, all_marks),
    )
