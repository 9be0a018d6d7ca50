"""The one alignment routine every metric uses: optimal one-to-one matching of predictions to references.

Why optimal and one-to-one: greedy first-match alignment (as in nervaluate) makes a score
depend on input order, and set-based scoring lets a duplicated prediction count twice or
not at all. Here each reference is matched at most once, so a duplicate prediction is a false
positive, never a second true positive; the matching maximises the number of matched pairs
first, the total similarity second, and then, if asked, totals of integer tie-breaks, all
compared lexicographically (Kuhn-Munkres via ``scipy.optimize.linear_sum_assignment`` on
integer weights, see :func:`lexicographic_weights`); and both sides are sorted by a canonical
key before the matrix is built, so ties are broken the same way whatever order the input came in.

Event mentions are aligned by trigger (:func:`align_triggers`), and of the alignments with the
most trigger pairs and the best trigger similarity the one kept matches the most arguments, the
way the argument metric it serves counts them (:class:`ArgumentRule`), then the most realis
values: a duplicate prediction without arguments never takes the reference event away from
the prediction that has them right.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from scorers.assignment import connected_components, maximum_assignment
from scorers.matching import SpanMatcher
from scorers.model import Argument, DocumentAnnotation, Entity, EventMention, Span

P = TypeVar("P")
R = TypeVar("R")
K = TypeVar("K", bound=Hashable)
Similarity = Callable[[P, R], float | None]
#: Integers compared after the total similarity, first to last (totals over the matching).
TieBreak = Callable[[P, R], tuple[int, ...]]


@dataclass(frozen=True)
class Alignment(Generic[P, R]):
    """Matched (prediction, reference) pairs and what is left on each side, in canonical order."""

    pairs: tuple[tuple[P, R], ...] = ()
    unmatched_pred: tuple[P, ...] = ()
    unmatched_ref: tuple[R, ...] = ()

    def __add__(self, other: Alignment[P, R]) -> Alignment[P, R]:
        return Alignment(self.pairs + other.pairs, self.unmatched_pred + other.unmatched_pred, self.unmatched_ref + other.unmatched_ref)


Candidates = Callable[[list[Any], list[Any]], Iterable[tuple[int, int]]]
#: Below this many pairs, asking about every pair is cheaper than finding the candidates.
SMALL = 16


def align(
    preds: Iterable[P], refs: Iterable[R], similarity: Similarity[P, R], key: Callable[[P | R], tuple[Any, ...]], candidates: Candidates | None = None,
    tie_break: TieBreak[P, R] | None = None,
) -> Alignment[P, R]:
    """Match predictions to references one-to-one, maximising (number of pairs, total similarity, total tie-breaks).

    ``similarity(p, r)`` is ``None`` for a pair that may not be matched and a positive score
    otherwise (the matchers' scores are in (0, 1]). One more pair always beats a better-scoring
    smaller matching, and of matchings with as many pairs the larger total similarity wins.
    ``tie_break(p, r)`` (optional) gives integers compared after that, first to last, as
    totals over the matching; it is asked only about pairs that have a rival.
    ``key`` orders both sides canonically (e.g. by start, end, type, id) before solving.

    ``candidates(preds, refs)`` (both sorted) may name the index pairs worth asking
    ``similarity`` about (e.g. :func:`span_candidates`: spans that overlap); every other pair
    must be one ``similarity`` would refuse. The default asks about every pair.
    The optimum of the whole assignment is the union of the optima of the connected
    components of the graph of matchable pairs, so each component is solved on its own: a
    pair with no rival is taken as is, and the assignment solver (`scorers.assignment`, scipy's
    algorithm) runs only on components with a choice.
    """
    preds, refs = sorted(preds, key=key), sorted(refs, key=key)
    return _solve(preds, refs, _scored_pairs(preds, refs, similarity, candidates), tie_break)


def _scored_pairs(preds: list[P], refs: list[R], similarity: Similarity[P, R], candidates: Candidates | None) -> dict[tuple[int, int], float]:
    """``{(i, j): similarity}`` of the index pairs that may be matched (both sides sorted)."""
    if candidates is not None and len(preds) * len(refs) > SMALL:
        pairs = candidates(preds, refs)
    else:
        pairs = ((i, j) for i in range(len(preds)) for j in range(len(refs)))
    edges: dict[tuple[int, int], float] = {}
    for i, j in pairs:
        score = similarity(preds[i], refs[j])
        if score is not None:
            edges[i, j] = score
    return edges


def _solve(preds: list[P], refs: list[R], edges: dict[tuple[int, int], float], tie_break: TieBreak[P, R] | None) -> Alignment[P, R]:
    if not edges:
        return Alignment((), tuple(preds), tuple(refs))
    ask = None if tie_break is None else lambda i, j: tie_break(preds[i], refs[j])
    chosen = sorted(_best_matching(edges, ask))
    used_p, used_r = {i for i, _ in chosen}, {j for _, j in chosen}
    return Alignment(
        tuple((preds[i], refs[j]) for i, j in chosen),
        tuple(p for i, p in enumerate(preds) if i not in used_p),
        tuple(r for j, r in enumerate(refs) if j not in used_r),
    )


def _contested(edges: Iterable[tuple[int, int]]) -> bool:
    """Whether some row or column has two scored pairs (otherwise every pair is taken as is)."""
    edges = list(edges)
    return len({i for i, _ in edges}) < len(edges) or len({j for _, j in edges}) < len(edges)


def _best_matching(edges: dict[tuple[int, int], float], tie_break: Callable[[int, int], tuple[int, ...]] | None = None) -> list[tuple[int, int]]:
    """A maximum-cardinality, then maximum-similarity, then maximum-tie-break matching of the scored pairs."""
    if not _contested(edges):
        return list(edges)  # no pair has a rival (the usual case): every component is one pair
    chosen: list[tuple[int, int]] = []
    for component in connected_components(edges):
        if len(component) == 1:
            chosen.append(component[0])
            continue
        if tie_break is not None:
            decided = _decided_by_similarity(component, edges)
            if decided is not None:
                chosen += decided
                continue
        rows = sorted({i for i, _ in component})
        cols = sorted({j for _, j in component})
        tiers = {pair: (edges[pair], *(tie_break(*pair) if tie_break is not None else ())) for pair in component}
        weights = lexicographic_weights(tiers, min(len(rows), len(cols)))
        chosen += [pair for pair in maximum_assignment(rows, cols, weights) if pair in weights]  # ties: the first free column, or scipy's choice
    return chosen


def _decided_by_similarity(component: list[tuple[int, int]], edges: dict[tuple[int, int], float]) -> list[tuple[int, int]] | None:
    """The component's only best matching when the similarities alone decide it, else None (the tie-breaks are then needed).

    When every row (or every column) has one pair more similar than its others (on the grid of
    2**-SIMILARITY_BITS), and those pairs have different partners, they match that whole side,
    so no matching has more pairs and every other matching with as many has a smaller total
    similarity: no tie-break could change the choice, so none is asked for.
    """
    grid = {pair: round(edges[pair] * 2**SIMILARITY_BITS) for pair in component}
    for side in (0, 1):
        best: dict[int, tuple[int, int]] = {}
        tied: set[int] = set()
        for pair in component:
            node = pair[side]
            found = best.get(node)
            if found is None or grid[pair] > grid[found]:
                best[node] = pair
                tied.discard(node)
            elif grid[pair] == grid[found]:
                tied.add(node)
        if not tied and len({pair[1 - side] for pair in best.values()}) == len(best):
            return list(best.values())
    return None


#: Similarities are compared on a grid of 2**-SIMILARITY_BITS (far finer than any difference the
#: matchers make), so that every weight is an integer; coarser only where a huge component would
#: otherwise not fit in EXACT.
SIMILARITY_BITS = 20
#: Integers up to here are exact in the float64 arithmetic of scipy's solver.
EXACT = 2**53


def lexicographic_weights(tiers: Mapping[K, tuple[float, ...]], n: int) -> dict[K, int]:
    """Integer pair weights whose totals order matchings of at most ``n`` pairs lexicographically.

    ``tiers[pair]`` is ``(similarity, t1, t2, ...)``: a float, then integers. A matching with
    more pairs weighs more than one with fewer; of matchings with as many pairs, the one with
    the larger total similarity; then the larger total ``t1``; and so on. Each tier is shifted
    to start at 0 and scaled by one more than the largest total the tiers below it can reach,
    so no sum of a lower tier ever outweighs one unit of a higher tier. A tier that is the
    same for every pair costs nothing (as the similarity does under exact matching).

    Similarities are rounded to a grid of 2**-SIMILARITY_BITS; the grid is made coarser only if
    the largest possible total (times ``n``, room for the solver's sums) would not be exact in
    float64, and only if even the coarsest one does not fit are the lowest tiers blurred.
    """
    values = list(tiers.values())
    if values.count(values[0]) == len(values):  # every pair alike (the usual case): only the number of pairs counts
        return dict.fromkeys(tiers, 1)
    columns = list(zip(*values, strict=True))
    base = 1
    lower = [0] * len(values)
    for column in reversed(columns[1:]):
        low = min(column)
        spread = max(column) - low
        if spread:
            lower = [total + (v - low) * base for total, v in zip(lower, column, strict=True)]
            base *= n * spread + 1
    bits = SIMILARITY_BITS
    while True:
        grid = [round(s * 2**bits) for s in columns[0]]
        low = min(grid)
        cardinality = base * (n * (max(grid) - low) + 1)  # one pair outweighs any total of the tiers below
        if bits == 0 or 2 * n * n * cardinality <= EXACT:  # a matching weighs < 2 n cardinality; n more for the solver's sums
            break
        bits -= 1
    return {pair: cardinality + (g - low) * base + rest for pair, g, rest in zip(tiers, grid, lower, strict=True)}


def span_candidates(matcher: SpanMatcher, pred_span: Callable[[P], Span], ref_spans: Callable[[R], Iterable[Span]]) -> Candidates | None:
    """The pairs ``matcher`` could match: equal offsets (exact), overlapping offsets (overlap, arabic).

    ``ref_spans(r)`` lists every span a prediction may match to take ``r`` (its own span, and
    for entity-aware argument matching the mentions of its entity). None (every pair) for
    matchers that do not compare offsets.
    """
    rule = getattr(matcher, "candidates", "all")
    if rule == "all":
        return None

    def candidates(preds: list[P], refs: list[R]) -> list[tuple[int, int]]:
        pairs: list[tuple[int, int]] = []
        if rule == "offsets":
            where: dict[tuple[int | None, int | None], list[int]] = {}
            for j, r in enumerate(refs):
                for s in ref_spans(r):
                    found = where.get((s.start, s.end))
                    if found is None:
                        where[s.start, s.end] = [j]
                    elif found[-1] != j:  # a reference naming the same offsets twice (its span, a mention) is one candidate
                        found.append(j)
            for i, p in enumerate(preds):
                span = pred_span(p)
                found = where.get((span.start, span.end))
                if found:
                    pairs += [(i, j) for j in found]
            return pairs
        spans = sorted((s.start, s.end, j) for j, r in enumerate(refs) for s in ref_spans(r) if s.start is not None and s.end is not None)  # has_offsets
        starts = [start for start, _, _ in spans]
        longest = max((end - start for start, end, _ in spans), default=0)
        for i, p in enumerate(preds):
            span = pred_span(p)
            if span.start is None or span.end is None:  # not span.has_offsets
                continue
            lo, hi = bisect_left(starts, span.start - longest + 1), bisect_left(starts, span.end)
            pairs += [(i, j) for j in dict.fromkeys(j for _, end, j in spans[lo:hi] if end > span.start)]
        return pairs

    return candidates


def span_key(span: Span) -> tuple[int, int, str]:
    """Canonical order of spans: by offsets (text-only spans first), then text."""
    return (span.start if span.start is not None else -1, span.end if span.end is not None else -1, span.text)


def event_key(event: EventMention) -> tuple[str, tuple[int, int, str], str, str, str]:
    """Canonical order of event mentions: document, trigger offsets, type, realis, id."""
    return (event.doc_id, span_key(event.trigger), event.type, event.realis or "", event.id)


def argument_key(argument: Argument) -> tuple[str, tuple[int, int, str], str]:
    return (argument.role, span_key(argument.span), argument.entity or "")


def canonical(doc: DocumentAnnotation) -> DocumentAnnotation:
    """The same document with events, arguments, entities and mentions in canonical order.

    Scoring canonical documents makes every record (which embeds its event) independent of
    the order the input listed things in, not just every count.
    """
    if _CANONICAL.get(id(doc)) is doc:
        return doc
    events = tuple(sorted(map(_with_sorted_arguments, doc.events), key=event_key))
    entities = tuple(sorted(map(_with_sorted_mentions, doc.entities), key=lambda n: n.id))
    if _same_objects(events, doc.events) and _same_objects(entities, doc.entities):
        found = doc  # already canonical: the very same document, so what was computed for it (a trigger graph) is reused
    else:
        found = DocumentAnnotation(doc.doc_id, events, entities)
    if len(_CANONICAL) >= 8:
        _CANONICAL.pop(next(iter(_CANONICAL)))
    _CANONICAL[id(found)] = found
    return found


#: The last few canonical documents by id (each holds its document, so an id is never reused
#: while it is here): a document is put in canonical order by its summary, its metrics and its
#: error categories in a row, and sorting an already sorted document again costs as much.
_CANONICAL: dict[int, DocumentAnnotation] = {}


def _same_objects(new: tuple[Any, ...], old: tuple[Any, ...]) -> bool:
    return len(new) == len(old) and all(a is b for a, b in zip(new, old, strict=True))


def _with_sorted_arguments(event: EventMention) -> EventMention:
    arguments = tuple(sorted(event.arguments, key=argument_key))
    return event if _same_objects(arguments, event.arguments) else replace(event, arguments=arguments)


def _with_sorted_mentions(entity: Entity) -> Entity:
    mentions = tuple(sorted(entity.mentions, key=span_key))
    return entity if _same_objects(mentions, entity.mentions) else replace(entity, mentions=mentions)


class ArgumentRule(NamedTuple):
    """When a predicted argument counts as a reference argument: its span matches under the matcher, and the roles are equal if ``classified``.

    ``entity_aware``: a span that matches any mention of the reference argument's entity counts
    too (the ``_entity`` metrics). The default is arg_c+'s rule, the one tri_c, tri_i and event
    coreference break their ties with. (A named tuple rather than a frozen dataclass: as
    immutable and hashable, and about 0.4 ms less at every ``evbench`` start.)
    """

    classified: bool = True
    entity_aware: bool = False


ROLE_AND_SPAN = ArgumentRule()


class ArgumentMatcher(Protocol):
    """What argument matching needs of a matcher (every ``SpanMatcher`` has it)."""

    def argument_similarity(self, pred: Span, ref: Span, entity: str | None = None) -> float | None: ...


class RememberingMatcher:
    """A matcher's argument similarity, each (predicted span, reference span, entity) asked once.

    The tie-breaks of the argument rules (arg_i+, arg_c+ and their entity variants) compare the
    same span pairs; relaxed matching makes that comparison expensive.
    """

    def __init__(self, matcher: ArgumentMatcher) -> None:
        self.matcher = matcher
        self.found: dict[tuple[Span, Span, str | None], float | None] = {}

    def argument_similarity(self, pred: Span, ref: Span, entity: str | None = None) -> float | None:
        key = (pred, ref, entity)
        if key not in self.found:
            self.found[key] = self.matcher.argument_similarity(pred, ref, entity)
        return self.found[key]


ArgumentScore = Callable[[Argument, Argument], float | None]


def argument_scorer(matcher: ArgumentMatcher, rule: ArgumentRule = ROLE_AND_SPAN,
                    entities: Mapping[str, tuple[Span, ...]] | None = None) -> ArgumentScore:
    """``score(pred, ref)``: how well a predicted argument matches a reference argument under ``rule`` (None: no match).

    The one definition of an argument match, shared by the argument metrics and the event
    tie-break. Entity-aware, the score is the best over the reference argument's own span and
    the mentions of its entity (``entities``: entity id -> mentions in the reference document).
    """
    similarity = matcher.argument_similarity
    classified = rule.classified
    mentions = entities if rule.entity_aware and entities else None

    def score(pred: Argument, ref: Argument) -> float | None:
        if classified and pred.role != ref.role:
            return None
        best = similarity(pred.span, ref.span, ref.entity)
        if mentions is not None and ref.entity is not None:
            for mention in mentions.get(ref.entity, ()):
                found = similarity(pred.span, mention, ref.entity)
                if found is not None and (best is None or found > best):
                    best = found
        return best

    return score


def argument_matches(pred: EventMention, ref: EventMention, score: ArgumentScore) -> int:
    """The argument true positives the pair would give: the size of a largest one-to-one matching of their arguments under ``score``."""
    if not pred.arguments or not ref.arguments:
        return 0
    partners = [[j for j, r in enumerate(ref.arguments) if score(p, r) is not None] for p in pred.arguments]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:  # Kuhn's augmenting path from predicted argument i
        for j in partners[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(partners)) if partners[i])


def agreement(matcher: ArgumentMatcher, *, typed: bool, rule: ArgumentRule = ROLE_AND_SPAN,
              entities: Mapping[str, tuple[Span, ...]] | None = None) -> TieBreak[EventMention, EventMention]:
    """The tie-break between event pairs with equally good triggers: (same type, unless typed; argument matches; same realis).

    Compared lexicographically after the trigger similarity, as totals over the alignment: of
    two gold events on one trigger word (``وقدمت``: sending troops, supplying arms) an untyped
    alignment pairs a prediction with the one of its own type; then the alignment keeps the
    pairs with the most argument matches, counted as the argument metrics count them
    (:func:`argument_matches` under :func:`argument_scorer`), so of two gold ``زيارة`` events
    with equal triggers (as in text mode) a prediction is paired with the one whose arguments
    it shares, and of two predictions on one trigger the one with the right arguments takes the
    reference event; realis last. The tie-break never changes how many pairs match or their
    total trigger similarity.
    """
    score = argument_scorer(matcher, rule, entities)

    def tiers(pred: EventMention, ref: EventMention) -> tuple[int, ...]:
        found = (argument_matches(pred, ref, score), int(pred.realis == ref.realis))
        return found if typed else (int(pred.type == ref.type), *found)

    return tiers


def trigger_similarity(matcher: SpanMatcher, *, typed: bool, realis: bool = False) -> Similarity[EventMention, EventMention]:
    """Pairs of events whose triggers match under ``matcher`` (and whose type / realis are equal if asked), scored by the trigger match."""

    def similarity(pred: EventMention, ref: EventMention) -> float | None:
        if typed and pred.type != ref.type:
            return None
        if realis and (pred.realis is None or pred.realis != ref.realis):
            return None
        return matcher.trigger_similarity(pred.trigger, ref.trigger)

    return similarity


def align_triggers(
    preds: Iterable[EventMention], refs: Iterable[EventMention], matcher: SpanMatcher, *, typed: bool, realis: bool = False,
    arguments: ArgumentRule = ROLE_AND_SPAN, entities: Mapping[str, tuple[Span, ...]] | None = None,
) -> Alignment[EventMention, EventMention]:
    """Align predicted to reference event mentions by trigger, document by document.

    ``typed=True`` is the trigger-classification alignment (tri_c) that the argument ``+``
    metrics build on; ``typed=False`` is trigger identification (tri_i), which event
    coreference scoring builds on (``scorers.event_coref``).
    Events of different documents never match. A prediction without realis never matches
    when ``realis=True``.
    Of the alignments with the most pairs and the best total trigger similarity, the one kept
    has the most argument matches under ``arguments`` (each ``+`` metric passes its own rule,
    and, if entity-aware, ``entities``: the reference document's entity mentions), then the
    most equal realis values (:func:`agreement`).
    """
    if isinstance(preds, tuple) and isinstance(refs, tuple):  # immutable: the graph and its solutions can be reused
        memo_key = (id(preds), id(refs), matcher, typed, realis)
        found = _RECENT.get(memo_key)
        if found is None or found.preds is not preds or found.refs is not refs:
            found = _TriggerGraph(preds, refs, matcher, typed, realis)
            if len(_RECENT) >= 8:
                _RECENT.pop(next(iter(_RECENT)))
            _RECENT[memo_key] = found
        return found.solve(arguments, entities)
    return _TriggerGraph(preds, refs, matcher, typed, realis).solve(arguments, entities)


class _TriggerGraph:
    """The matchable event pairs of each document, scored by trigger, and the alignments solved from them.

    Alignments under different argument rules differ only where a component has a choice, so
    without one (the usual case, e.g. the gold against itself) every rule shares one solution.
    """

    __slots__ = ("preds", "refs", "typed", "parts", "contested", "solved", "remembered")

    def __init__(self, preds: Iterable[EventMention], refs: Iterable[EventMention], matcher: SpanMatcher, typed: bool, realis: bool) -> None:
        self.preds, self.refs, self.typed = preds, refs, typed
        by_doc: dict[str, tuple[list[EventMention], list[EventMention]]] = defaultdict(lambda: ([], []))
        for event in preds:
            by_doc[event.doc_id][0].append(event)
        for event in refs:
            by_doc[event.doc_id][1].append(event)
        candidates = span_candidates(matcher, _trigger, _triggers)
        #: Per document, in document order: (bound matcher, sorted predictions, sorted references, scored pairs).
        self.parts: list[tuple[SpanMatcher, list[EventMention], list[EventMention], dict[tuple[int, int], float]]] = []
        for doc_id in sorted(by_doc):
            bound = matcher.for_document(doc_id)
            doc_preds, doc_refs = (sorted(side, key=event_key) for side in by_doc[doc_id])
            edges = _scored_pairs(doc_preds, doc_refs, trigger_similarity(bound, typed=typed, realis=realis), candidates)
            self.parts.append((bound, doc_preds, doc_refs, edges))
        self.contested = any(_contested(edges) for *_, edges in self.parts)
        #: Solutions by argument rule (None: the one solution of an uncontested graph); entity-aware ones are not kept.
        self.solved: dict[ArgumentRule | None, Alignment[EventMention, EventMention]] = {}
        #: Per document, the argument comparisons the tie-breaks of every rule share (made when first needed).
        self.remembered: list[RememberingMatcher] = []

    def solve(self, rule: ArgumentRule, entities: Mapping[str, tuple[Span, ...]] | None) -> Alignment[EventMention, EventMention]:
        keep = not (self.contested and rule.entity_aware)  # an entity-aware solution depends on `entities` too
        key = rule if self.contested else None
        found = self.solved.get(key) if keep else None
        if found is None:
            if not self.remembered:
                self.remembered = [RememberingMatcher(bound) for bound, *_ in self.parts]
            found = concatenate(_solve(preds, refs, edges, agreement(remembered, typed=self.typed, rule=rule, entities=entities))
                                for (_, preds, refs, edges), remembered in zip(self.parts, self.remembered, strict=True))
            if keep:
                self.solved[key] = found
        return found


#: The trigger graphs of the last few immutable event tuples: the tri_c alignment of a document
#: is asked for by tri_c and by every ``+`` argument metric in a row.
_RECENT: dict[tuple[int, int, SpanMatcher, bool, bool], _TriggerGraph] = {}


def _trigger(event: EventMention) -> Span:
    return event.trigger


def _triggers(event: EventMention) -> tuple[Span, ...]:
    return (event.trigger,)


def concatenate(alignments: Iterable[Alignment[P, R]]) -> Alignment[P, R]:
    """Several alignments as one, in the given order (in linear time, unlike repeated ``+``)."""
    pairs: list[tuple[P, R]] = []
    unmatched_pred: list[P] = []
    unmatched_ref: list[R] = []
    for found in alignments:
        pairs += found.pairs
        unmatched_pred += found.unmatched_pred
        unmatched_ref += found.unmatched_ref
    return Alignment(tuple(pairs), tuple(unmatched_pred), tuple(unmatched_ref))
