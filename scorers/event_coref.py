"""Event coreference: the ``cluster`` field scored as partitions of event mentions.

What is compared
    The *key* partition groups the reference event mentions by their ``cluster`` id, the
    *response* partition groups the predicted mentions by theirs, and the two are scored with
    the metrics of :mod:`scorers.coref`: MUC, B-cubed, CEAF-e, CEAF-m, BLANC, LEA, and the CoNLL
    average (mean F1 of MUC, B-cubed and CEAF-e). Cluster ids are only ever compared within one
    side. The same id string in the prediction and in the reference means nothing; only the
    structure of the two partitions counts.

Which predicted mention is which reference mention (alignment)
    Mentions are paired by the scorer's one alignment routine,
    :func:`scorers.alignment.align_triggers`, under the chosen span matching mode (``--match``),
    **by trigger span only** (``typed=False``: the tri_i pairs; event type and realis play no
    part). An aligned predicted mention takes the identity of its reference mention. This is
    how CoNLL identifies mentions (by span alone). It keeps coreference apart from
    classification: a mistyped trigger is counted once, by tri_c, not a second time as a pair
    of twinless mentions in every coreference metric. The TAC KBP event nugget scorer (Liu et
    al. 2015; ``coref_criteria = mention_type`` since its v1.6) differs here: it lets a system
    mention stand for a gold mention in coreference only when their types agree too. Pass
    ``typed=True`` to get that rule.

Ties
    Several mentions can match the same trigger equally well under the matching mode: duplicate
    predictions on one word, double-tagged reference triggers, and in ``text`` mode every
    repeated word. For coreference it matters which of them is paired with which, because a
    mention takes its partner's identity. The alignment decides as every trigger metric does
    (:func:`scorers.alignment.agreement`): of the pairings with the most pairs and the best
    trigger matches, it keeps the one whose pairs agree on the event type most often, then the
    one that matches the most arguments (role and span, as arg_c+ counts them), then the most
    realis values. So a duplicate prediction without arguments never takes the reference
    mention, and with it the cluster, from the prediction that has the arguments right. Only
    mentions alike in all of these are still a tie; the pairing is then deterministic (the same
    for any input order) but arbitrary, as the KBP scorer resolves such ties arbitrarily too
    (its v1.6 change log).

Twinless mentions
    A predicted mention aligned to nothing and a reference mention that nothing is aligned to
    keep their own identities and stay in their partitions. The partitions are compared exactly
    as given, as the CoNLL reference scorer v8.01 does (Pradhan et al. 2014, "Scoring
    Coreference Partitions of Predicted Mentions: A Reference Implementation", ACL): nothing is
    removed and there is no Cai & Strube (2010) adjustment. So a missed reference mention
    lowers the recall of every metric and a spurious predicted mention lowers the precision.

Singletons
    Singletons are kept, as the KBP scorer keeps them. (The CoNLL-2012 shared task dropped
    them.) A mention without a ``cluster`` is a singleton of its own. A submission without any
    ``cluster`` field is therefore scored as all singletons. :class:`EventCorefScores` counts
    such mentions, so reporters can say so.

Scopes
    ``within``: each document's mentions form their own pair of partitions, so a cluster id
    used in two documents links nothing across them. Each metric's counts are summed over the
    documents (micro-average), as the KBP scorer does by concatenating its documents into one
    CoNLL file, and CoNLL is recomputed from the summed counts. ``cross``: all mentions of the
    corpus form one pair of partitions. Cluster ids are corpus-wide, so the same id in two
    documents makes their mentions one event across documents.

Documents and zero division
    The reference decides which documents are scored, as in :func:`scorers.registry.score`. A
    reference document the prediction lacks is scored against no predicted mentions; predicted
    documents the reference lacks are not scored. Undefined ratios are 0.0, as in
    :mod:`scorers.coref`. So MUC is 0 when the key has only singletons, and every metric is 0
    when there are no mentions at all; BLANC also follows the reference's rules for keys
    without links of one kind.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import Literal

from scorers.alignment import align_triggers
from scorers.coref import CONLL_METRICS, BlancCounts, CorefCounts, CorefTotals, conll_f1, score_all, score_pieces, sum_scores
from scorers.matching import SpanMatcher
from scorers.model import Annotation, DocumentAnnotation, EventMention

Scope = Literal["within", "cross"]
SCOPES: tuple[Scope, ...] = ("within", "cross")

#: Reported measures, in report order; every one but "conll" is a count-based metric of scorers.coref.
MEASURES = ("muc", "b3", "ceaf_e", "ceaf_m", "blanc", "lea", "conll")
MEASURE_DESCRIPTIONS = {
    "muc": "MUC: coreference links kept (Vilain et al. 1995)",
    "b3": "B-cubed: per-mention cluster overlap (Bagga & Baldwin 1998)",
    "ceaf_e": "CEAF-e: optimal entity alignment, phi4 (Luo 2005)",
    "ceaf_m": "CEAF-m: optimal entity alignment, shared mentions (Luo 2005)",
    "blanc": "BLANC: coreference and non-coreference links (Luo et al. 2014)",
    "lea": "LEA: link-based entity-aware (Moosavi & Strube 2016)",
    "conll": "CoNLL: mean F1 of MUC, B-cubed, CEAF-e",
}
SCOPE_DESCRIPTIONS = {
    "within": "each document alone, counts summed over documents",
    "cross": "the whole corpus as one partition (cross-document)",
}

#: A mention's identity in the partitions: (side, doc_id, event id). An aligned predicted
#: mention takes its reference mention's key. Event ids are unique within a document
#: (submission validation enforces it).
MentionKey = tuple[str, str, str]
#: An event mention with its key in the partitions.
_Keyed = tuple[EventMention, MentionKey]


@dataclass(frozen=True)
class Partitions:
    """Key (reference) and response (prediction) partitions of one scope unit, clusters sorted."""

    key: tuple[frozenset[MentionKey], ...]
    response: tuple[frozenset[MentionKey], ...]


def _ref_key(event: EventMention) -> MentionKey:
    return ("ref", event.doc_id, event.id)


def _pred_key(event: EventMention) -> MentionKey:
    return ("pred", event.doc_id, event.id)


def _clusters(members: Iterable[tuple[EventMention, MentionKey]], scope: Scope) -> tuple[frozenset[MentionKey], ...]:
    """Group mention keys by cluster id (per document when ``within``); no cluster = a singleton."""
    groups: dict[Hashable, set[MentionKey]] = defaultdict(set)
    for event, key in members:
        if event.cluster is None:
            group: Hashable = ("singleton", key)
        elif scope == "within":
            group = ("cluster", event.doc_id, event.cluster)
        else:
            group = ("cluster", event.cluster)
        groups[group].add(key)
    return tuple(sorted((frozenset(g) for g in groups.values()), key=sorted))


def identities(pred: Iterable[EventMention], ref: Iterable[EventMention], matcher: SpanMatcher, *, typed: bool = False
               ) -> tuple[list[tuple[EventMention, MentionKey]], list[tuple[EventMention, MentionKey]]]:
    """(predicted, reference) mentions with their partition keys, after the trigger alignment.

    A predicted mention aligned to a reference mention gets that mention's key; every other
    mention keeps a key of its own (a twinless mention).
    """
    ref = list(ref)
    found = align_triggers(pred, ref, matcher, typed=typed)
    pred_keys = [(p, _ref_key(r)) for p, r in found.pairs] + [(p, _pred_key(p)) for p in found.unmatched_pred]
    return pred_keys, [(r, _ref_key(r)) for r in ref]


def _scored_events(pred: Annotation, ref: Annotation) -> tuple[list[str], list[EventMention], list[EventMention]]:
    """The reference's documents, and the predicted and reference mentions in them."""
    doc_ids = sorted(ref.documents)
    pred_events = [e for d in doc_ids if d in pred.documents for e in pred.documents[d].events]
    ref_events = [e for d in doc_ids for e in ref.documents[d].events]
    return doc_ids, pred_events, ref_events


def _units(doc_ids: list[str], pred_keys: list[_Keyed], ref_keys: list[_Keyed], scope: Scope) -> dict[str, Partitions]:
    if scope == "cross":
        return {"": Partitions(_clusters(ref_keys, scope), _clusters(pred_keys, scope))}
    by_doc: dict[str, tuple[list[_Keyed], list[_Keyed]]] = {d: ([], []) for d in doc_ids}
    for side, members in ((0, pred_keys), (1, ref_keys)):
        for member in members:
            by_doc[member[0].doc_id][side].append(member)
    return {d: Partitions(_clusters(refs, scope), _clusters(preds, scope)) for d, (preds, refs) in by_doc.items()}


def partitions(pred: Annotation, ref: Annotation, matcher: SpanMatcher, scope: Scope, *, typed: bool = False) -> dict[str, Partitions]:
    """The partitions to compare: one per reference document (``within``) or one for the corpus (``cross``, key ``""``)."""
    doc_ids, pred_events, ref_events = _scored_events(pred, ref)
    return _units(doc_ids, *identities(pred_events, ref_events, matcher, typed=typed), scope)


def _zero_scores() -> dict[str, CorefCounts | float]:
    """Every metric's counts for no documents at all: zeros (and CoNLL 0.0)."""
    scores: dict[str, CorefCounts | float] = {name: (BlancCounts() if name == "blanc" else CorefCounts()) for name in MEASURES if name != "conll"}
    scores["conll"] = conll_f1(scores)
    return scores


def _score_units(units: Mapping[str, Partitions]) -> dict[str, CorefCounts | float]:
    """Every metric's counts summed over the units (micro-average), CoNLL recomputed from the sums."""
    if not units:
        return _zero_scores()
    return sum_scores(score_all(p.key, p.response) for p in units.values())


def score_scope(pred: Annotation, ref: Annotation, matcher: SpanMatcher, scope: Scope, *, typed: bool = False) -> dict[str, CorefCounts | float]:
    """Counts of every metric (and the CoNLL float) for one scope."""
    return _score_units(partitions(pred, ref, matcher, scope, typed=typed))


@dataclass(frozen=True)
class EventCorefScores:
    """Both scopes' metric counts, plus how many scored mentions had no cluster on each side."""

    within: Mapping[str, CorefCounts | float]
    cross: Mapping[str, CorefCounts | float]
    pred_mentions: int
    pred_without_cluster: int
    ref_mentions: int
    ref_without_cluster: int

    def scope(self, name: Scope) -> Mapping[str, CorefCounts | float]:
        return self.within if name == "within" else self.cross

    def conll_components(self, name: Scope) -> dict[str, float]:
        """The three F1 the CoNLL score of a scope averages."""
        scores = self.scope(name)
        return {metric: scores[metric].f1 for metric in CONLL_METRICS}  # type: ignore[union-attr]


def score_event_coref(pred: Annotation, ref: Annotation, matcher: SpanMatcher, *, typed: bool = False) -> EventCorefScores:
    """Event coreference within and across documents (see the module docstring for every rule)."""
    doc_ids, pred_events, ref_events = _scored_events(pred, ref)
    pred_keys, ref_keys = identities(pred_events, ref_events, matcher, typed=typed)  # one alignment for both scopes
    return EventCorefScores(
        within=_score_units(_units(doc_ids, pred_keys, ref_keys, "within")),
        cross=_score_units(_units(doc_ids, pred_keys, ref_keys, "cross")),
        pred_mentions=len(pred_events),
        pred_without_cluster=sum(e.cluster is None for e in pred_events),
        ref_mentions=len(ref_events),
        ref_without_cluster=sum(e.cluster is None for e in ref_events),
    )


@dataclass(frozen=True)
class DocumentCoref:
    """What one document adds to :class:`CorefAccumulator`: its within-document counts and its
    mentions by cluster, numbered locally (0, 1, ...; an aligned predicted mention shares its
    reference mention's number). Small and picklable: made where the document is scored (a
    worker), added where the corpus is summed."""

    within: Mapping[str, CorefCounts | float]
    key: tuple[tuple[str | None, int], ...]
    response: tuple[tuple[str | None, int], ...]
    mentions: int
    pred_without_cluster: int
    ref_without_cluster: int


def document_coref(pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher, *, typed: bool = False) -> DocumentCoref:
    """One reference document and the prediction's events in it (chrome already dropped), for :class:`CorefAccumulator`."""
    pred_keys, ref_keys = identities(pred.events, ref.events, matcher, typed=typed)
    ids: dict[MentionKey, int] = {}
    sides = []
    for members in (ref_keys, pred_keys):
        sides.append(tuple((event.cluster, ids.setdefault(key, len(ids))) for event, key in members))
    return DocumentCoref(
        within=score_all(_clusters(ref_keys, "within"), _clusters(pred_keys, "within")),
        key=sides[0],
        response=sides[1],
        mentions=len(ids),
        pred_without_cluster=sum(e.cluster is None for e in pred.events),
        ref_without_cluster=sum(e.cluster is None for e in ref.events),
    )


class CorefAccumulator:
    """Event coreference added up document by document, for input read as a stream.

    :func:`score_event_coref` needs both annotations whole; this gives the same scores while
    holding only what the cross-document scope cannot do without, compactly: for each mention
    (a number) the number of its key cluster and of its response cluster, in two integer
    arrays, and the cluster ids seen. Within-document counts are summed exactly as documents
    are added (``scorers.coref.CorefTotals``: any order gives the same bits). The cross scope
    is scored at the end one connected component at a time (``scorers.coref.score_pieces``,
    exactly equal to scoring the whole partition), so no corpus-sized set of Python objects
    is ever built. The alignment is the same per-document one, so the scores equal
    :func:`score_event_coref` on the whole annotations (tested).
    """

    def __init__(self) -> None:
        self.within = CorefTotals()
        self.documents = 0
        #: Per mention: its key (reference) cluster and its response (predicted) cluster, -1 if absent on that side.
        self.key_of: array[int] = array("q")
        self.response_of: array[int] = array("q")
        self._cluster_numbers: tuple[dict[str, int], dict[str, int]] = ({}, {})
        self._clusters = [0, 0]  # clusters numbered so far, key and response (named ones and singletons)
        self.pred_mentions = self.pred_without_cluster = self.ref_mentions = self.ref_without_cluster = 0

    def _cluster(self, side: int, cluster: str | None) -> int:
        numbers = self._cluster_numbers[side]
        if cluster is not None and cluster in numbers:
            return numbers[cluster]
        number = self._clusters[side]
        self._clusters[side] += 1
        if cluster is not None:
            numbers[cluster] = number
        return number

    def add(self, doc: DocumentCoref) -> None:
        """Add one document's :func:`document_coref` (documents may come in any order)."""
        self.within.add(doc.within)
        self.documents += 1
        offset = len(self.key_of)
        self.key_of.extend(repeat(-1, doc.mentions))
        self.response_of.extend(repeat(-1, doc.mentions))
        for side, (members, owner) in enumerate(((doc.key, self.key_of), (doc.response, self.response_of))):
            for cluster, number in members:
                owner[offset + number] = self._cluster(side, cluster)
        self.pred_mentions += len(doc.response)
        self.pred_without_cluster += doc.pred_without_cluster
        self.ref_mentions += len(doc.key)
        self.ref_without_cluster += doc.ref_without_cluster

    def add_document(self, pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher) -> None:
        """:func:`document_coref` and :meth:`add` in one step."""
        self.add(document_coref(pred, ref, matcher))

    def _pieces(self) -> Iterator[tuple[list[frozenset[int]], list[frozenset[int]]]]:
        """The cross-document partitions' connected components (key clusters, response clusters), one at a time.

        Clusters are nodes (key clusters first, then response clusters), each mention in both
        partitions joins its two clusters (union-find), and mentions are bucketed by their
        component's root with a counting sort: integer arrays only.
        """
        n_key = self._clusters[0]
        parent = array("q", range(n_key + self._clusters[1]))

        def root(node: int) -> int:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for k, r in zip(self.key_of, self.response_of, strict=True):
            if k >= 0 and r >= 0:
                a, b = root(k), root(n_key + r)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        component = array("q", (root(k) if k >= 0 else root(n_key + r) for k, r in zip(self.key_of, self.response_of, strict=True)))
        starts = array("q", repeat(0, len(parent) + 1))
        for c in component:
            starts[c + 1] += 1
        for i in range(len(parent)):
            starts[i + 1] += starts[i]
        order, filled = array("q", repeat(0, len(component))), array("q", starts)
        for mention, c in enumerate(component):
            order[filled[c]] = mention
            filled[c] += 1
        for c in range(len(parent)):
            if starts[c] == starts[c + 1]:
                continue
            key: dict[int, list[int]] = {}
            response: dict[int, list[int]] = {}
            for mention in order[starts[c] : starts[c + 1]]:
                if self.key_of[mention] >= 0:
                    key.setdefault(self.key_of[mention], []).append(mention)
                if self.response_of[mention] >= 0:
                    response.setdefault(self.response_of[mention], []).append(mention)
            yield [frozenset(m) for m in key.values()], [frozenset(m) for m in response.values()]

    def scores(self) -> EventCorefScores:
        """Both scopes' counts of everything added so far."""
        return EventCorefScores(
            within=self.within.result() if self.documents else _zero_scores(),
            cross=score_pieces(self._pieces()),  # as score_event_coref: the one cross unit is scored even when empty
            pred_mentions=self.pred_mentions,
            pred_without_cluster=self.pred_without_cluster,
            ref_mentions=self.ref_mentions,
            ref_without_cluster=self.ref_without_cluster,
        )
