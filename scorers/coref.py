"""Coreference metrics over partitions of mentions (MUC, B3, CEAF-m/e, BLANC, LEA).

The numbers follow the CoNLL reference scorer v8.01
(``conll/reference-coreference-scorers``, ``lib/CorScorer.pm``; Pradhan et al.
2014, "Scoring Coreference Partitions of Predicted Mentions: A Reference
Implementation", ACL) so that results can be compared with published tables.

Input model
    A *partition* is an iterable of clusters; a cluster is an iterable of
    hashable mention keys (spans, ids, ...).  Two mentions are the same mention
    iff their keys are equal.  Empty clusters are ignored.  A mention listed
    twice in the same cluster counts once (the reference scorer de-duplicates
    the same way, test TC-A-7).  A mention in two different clusters of one
    partition is a ``ValueError``: the reference scorer silently keeps the
    first occurrence, which makes the score depend on input order, so we refuse.

Choices shared with the reference scorer v8.01
    * Singletons are kept.  (The CoNLL-2012 shared task removed them before
      scoring; KBP keeps them, and so do we.  Drop them upstream if wanted.)
    * Twinless mentions (in only one of key / response) are not manipulated:
      since v6.0 the scorer compares the partitions exactly as given (the
      Cai & Strube 2010 variants were removed).  Hence a response mention absent
      from the key still counts in every precision denominator (MUC links,
      B3 / CEAF-m mentions, CEAF-e entities, LEA importance) and earns no
      credit, and symmetrically for key mentions absent from the response.
    * BLANC is the Luo et al. (2014) extension to predicted mentions:
      coreference links are the mention pairs inside a cluster, non-coreference
      links the pairs across two clusters, each taken over that partition's own
      mentions; correct links are the links present in both.
    * LEA (Moosavi & Strube 2016) gives a singleton entity one "self link",
      resolved iff the mention is a singleton in the other partition too, as in
      the LEA scorer and the expected values of the reference ``TestCases.README``.

Zero division (one rule, in :func:`_ratio`)
    A ratio with a zero denominator is 0.0 and F1 is 0.0 when P + R = 0, exactly
    like ``ShowRPF`` in the reference scorer.  So an empty key and empty
    response score 0 (not 1) on every metric, and MUC is 0 when the key has
    only singletons (reference test TC-N-1).  The only reference convention that
    is not a plain ratio is BLANC's: when the key has no coreference links
    (resp. no non-coreference links) BLANC is the non-coreference (resp.
    coreference) score alone, and 0 when the key has no links at all
    (``ComputeBLANCFromCounts``); see :class:`BlancCounts`.

Several documents
    Every metric returns raw counts, and counts add (``a + b``, ``sum(...)``),
    so a corpus score is computed from summed counts (micro-average, as the
    reference scorer and KBP do).  BLANC keeps its four link-count pairs for
    that reason.  The CoNLL average is never summed: recompute it with
    :func:`conll_f1` from summed counts (:func:`sum_scores` does both).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from scorers.assignment import connected_components, maximum_assignment

Cluster = frozenset  # of hashable mention keys
Partition = Iterable[Iterable[Hashable]]

__all__ = [
    "CONLL_METRICS",
    "COREF_METRICS",
    "BlancCounts",
    "Cluster",
    "CorefCounts",
    "Partition",
    "b_cubed",
    "blanc",
    "ceaf_e",
    "ceaf_m",
    "conll_f1",
    "lea",
    "muc",
    "score_all",
    "sum_scores",
]


def _ratio(num: float, den: float) -> float:
    """num / den, with 0/0 (and x/0) read as 0.0, as the reference scorer does."""
    return num / den if den else 0.0


def _harmonic_mean(precision: float, recall: float) -> float:
    """F1 of a precision/recall pair; 0.0 when both are 0 (reference ``ShowRPF``)."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


@dataclass(frozen=True)
class CorefCounts:
    """Raw numerators and denominators of one metric, kept so documents can be summed.

    Scores derived from them (recall, precision, f1) are never stored, because
    averaging per-document scores is not what the reference scorer reports.
    """

    recall_num: float = 0.0
    recall_den: float = 0.0
    precision_num: float = 0.0
    precision_den: float = 0.0

    @property
    def recall(self) -> float:
        return _ratio(self.recall_num, self.recall_den)

    @property
    def precision(self) -> float:
        return _ratio(self.precision_num, self.precision_den)

    @property
    def f1(self) -> float:
        return _harmonic_mean(self.precision, self.recall)

    def __add__(self, other: object) -> CorefCounts:
        # Only counts of the same kind add up: BLANC counts mean something else.
        if type(other) is not type(self):
            return NotImplemented
        return type(self)(
            *(getattr(self, f.name) + getattr(other, f.name) for f in dataclasses.fields(self))
        )

    def __radd__(self, other: object) -> CorefCounts:
        # Lets the built-in sum() start from its default 0.
        if isinstance(other, int) and other == 0:
            return self
        return NotImplemented

    def to_dict(self) -> dict[str, float]:
        """Counts plus derived recall / precision / f1, as plain floats."""
        out = {f.name: float(getattr(self, f.name)) for f in dataclasses.fields(self)}
        out.update(recall=self.recall, precision=self.precision, f1=self.f1)
        return out


@dataclass(frozen=True)
class BlancCounts(CorefCounts):
    """BLANC link counts; the inherited four fields count *coreference* links.

    recall_num / precision_num: links that are coreference links in both key and
    response; recall_den / precision_den: coreference links of the key / the
    response.  The ``noncoref_*`` fields are the same for non-coreference links.
    ``recall``, ``precision`` and ``f1`` are BLANC's averages of the two link
    types (so here ``recall != recall_num / recall_den`` in general), computed
    from the counts like the reference ``ComputeBLANCFromCounts``: if the key
    has links of only one type, that type alone is reported; with no key links
    at all, everything is 0.
    """

    noncoref_recall_num: float = 0.0
    noncoref_recall_den: float = 0.0
    noncoref_precision_num: float = 0.0
    noncoref_precision_den: float = 0.0

    @property
    def coref_recall(self) -> float:
        return _ratio(self.recall_num, self.recall_den)

    @property
    def coref_precision(self) -> float:
        return _ratio(self.precision_num, self.precision_den)

    @property
    def coref_f1(self) -> float:
        return _harmonic_mean(self.coref_precision, self.coref_recall)

    @property
    def noncoref_recall(self) -> float:
        return _ratio(self.noncoref_recall_num, self.noncoref_recall_den)

    @property
    def noncoref_precision(self) -> float:
        return _ratio(self.noncoref_precision_num, self.noncoref_precision_den)

    @property
    def noncoref_f1(self) -> float:
        return _harmonic_mean(self.noncoref_precision, self.noncoref_recall)

    def _combine(self, coref_value: float, noncoref_value: float) -> float:
        # Which link types exist is decided by the key alone, as in the reference.
        key_has_coref = self.recall_den > 0
        key_has_noncoref = self.noncoref_recall_den > 0
        if key_has_coref and key_has_noncoref:
            return (coref_value + noncoref_value) / 2
        if key_has_coref:
            return coref_value
        if key_has_noncoref:
            return noncoref_value
        return 0.0

    @property
    def recall(self) -> float:
        return self._combine(self.coref_recall, self.noncoref_recall)

    @property
    def precision(self) -> float:
        return self._combine(self.coref_precision, self.noncoref_precision)

    @property
    def f1(self) -> float:
        # Mean of the two F-scores, not the harmonic mean of the averaged R and P.
        return self._combine(self.coref_f1, self.noncoref_f1)

    def to_dict(self) -> dict[str, float]:
        out = super().to_dict()
        for kind in ("coref", "noncoref"):
            for score in ("recall", "precision", "f1"):
                name = f"{kind}_{score}"
                out[name] = getattr(self, name)
        return out


# --------------------------------------------------------------------------
# Shared preprocessing: normalise both partitions once, then count overlaps.
# --------------------------------------------------------------------------


def _partition(clusters: Partition, role: str) -> tuple[tuple[frozenset[Hashable], ...], dict[Hashable, int]]:
    """Validated clusters of one partition and the cluster index of each mention."""
    if isinstance(clusters, (str, bytes)):
        raise TypeError(f"the {role} must be an iterable of clusters, not a string")
    out: list[frozenset[Hashable]] = []
    index: dict[Hashable, int] = {}
    for cluster in clusters:
        if isinstance(cluster, (str, bytes)):
            raise TypeError(
                f"a {role} cluster must be an iterable of mentions, not the string {cluster!r}"
            )
        members = frozenset(cluster)
        if not members:
            continue
        for mention in members:
            if mention in index:
                raise ValueError(
                    f"mention {mention!r} appears in more than one {role} cluster; "
                    f"a partition must put each mention in exactly one cluster"
                )
            index[mention] = len(out)
        out.append(members)
    return tuple(out), index


@dataclass(frozen=True)
class _Alignment:
    """Key and response clusters plus the sizes of their non-empty intersections."""

    key: tuple[frozenset[Hashable], ...]
    response: tuple[frozenset[Hashable], ...]
    overlap: dict[tuple[int, int], int]  # (key cluster, response cluster) -> |K & R| > 0

    @property
    def key_mentions(self) -> int:
        return sum(len(c) for c in self.key)

    @property
    def response_mentions(self) -> int:
        return sum(len(c) for c in self.response)


def _align(key: Partition, response: Partition) -> _Alignment:
    key_clusters, key_index = _partition(key, "key")
    response_clusters, _ = _partition(response, "response")
    overlap: dict[tuple[int, int], int] = defaultdict(int)
    for j, cluster in enumerate(response_clusters):
        for mention in cluster:
            i = key_index.get(mention)
            if i is not None:
                overlap[i, j] += 1
    return _Alignment(key_clusters, response_clusters, dict(overlap))


def _pairs(n: int) -> int:
    """Number of unordered pairs (links) among n mentions."""
    return n * (n - 1) // 2


#: A metric's counts as exact numbers, in the field order of its counts class (4 values; BLANC 8).
#: Metrics compute exactly (order-independent) and are stored as floats only at the end
#: (:func:`_as_counts`), so counts of disjoint pieces of a partition can be added exactly first.
ExactCounts = tuple[int | Fraction, ...]


def _counts(*values: int | Fraction) -> ExactCounts:
    return values


class _ExactSum:
    """An exact sum of many rationals (ints or Fractions), kept as integer numerators per denominator.

    Adding Fractions one by one costs a gcd per addition; the terms of a partition's counts have
    few distinct denominators (cluster sizes), so the numerators are added as integers and one
    Fraction is made per denominator at the end: the same exact number, many times faster.
    """

    __slots__ = ("_by_denominator",)

    def __init__(self) -> None:
        self._by_denominator: dict[int, int] = defaultdict(int)

    def add(self, value: int | Fraction) -> None:
        self._by_denominator[value.denominator] += value.numerator

    def add_ratio(self, numerator: int, denominator: int) -> None:
        self._by_denominator[denominator] += numerator

    def value(self) -> int | Fraction:
        if len(self._by_denominator) <= 1:  # the usual case: no Fraction arithmetic at all
            ((denominator, numerator),) = self._by_denominator.items() or ((1, 0),)
            return numerator if denominator == 1 else Fraction(numerator, denominator)
        return sum((Fraction(n, d) for d, n in sorted(self._by_denominator.items())), Fraction(0))


def _as_counts(name: str, exact: ExactCounts) -> CorefCounts:
    """The stored (float) counts of metric ``name``."""
    kind = BlancCounts if name == "blanc" else CorefCounts
    return kind(*(float(v) for v in exact))


# --------------------------------------------------------------------------
# Metrics on an alignment
# --------------------------------------------------------------------------


def _muc(al: _Alignment) -> ExactCounts:
    # |K| - |p(K)| summed over key clusters equals sum over (K, R) of (|K & R| - 1):
    # key mentions missing from the response are singleton parts worth 0.
    correct = sum(n - 1 for n in al.overlap.values())
    key_links = sum(len(c) - 1 for c in al.key)
    response_links = sum(len(c) - 1 for c in al.response)
    return _counts(correct, key_links, correct, response_links)


def _exact_sum(terms: Iterable[tuple[int, int]]) -> int | Fraction:
    """Exact sum of fractions given as (numerator, denominator): numerators are added per denominator first.

    Corpus-wide partitions have millions of terms but few distinct denominators (cluster
    sizes), so this does few Fraction additions; the sum is the same exact number.
    """
    total = _ExactSum()
    for numerator, denominator in terms:
        total.add_ratio(numerator, denominator)
    return total.value()


def _b_cubed(al: _Alignment) -> ExactCounts:
    recall_num = _exact_sum((n * n, len(al.key[i])) for (i, _), n in al.overlap.items())
    precision_num = _exact_sum((n * n, len(al.response[j])) for (_, j), n in al.overlap.items())
    return _counts(recall_num, al.key_mentions, precision_num, al.response_mentions)


def _phi3(al: _Alignment, i: int, j: int) -> tuple[int, int]:
    """Luo (2005) mention-based similarity: common mentions (as numerator, denominator)."""
    return al.overlap.get((i, j), 0), 1


def _phi4(al: _Alignment, i: int, j: int) -> tuple[int, int]:
    """Luo (2005) entity-based similarity: 2|K & R| / (|K| + |R|) (as numerator, denominator)."""
    return 2 * al.overlap.get((i, j), 0), len(al.key[i]) + len(al.response[j])


def _best_alignment_similarity(al: _Alignment, phi: Callable[[_Alignment, int, int], tuple[int, int]]) -> int | Fraction:
    """Total similarity of the optimal one-to-one key/response entity alignment.

    Clusters without any overlap can only be paired at similarity 0, and the optimum is the
    sum of the optima of the connected components of the overlap graph: a component of one
    pair is that pair, and the assignment solver (`scorers.assignment`) runs only on the others.
    """
    chosen: list[tuple[int, int]] = []
    for component in connected_components(al.overlap):
        if len(component) == 1:
            chosen.append(component[0])
            continue
        rows = sorted({i for i, _ in component})
        cols = sorted({j for _, j in component})
        weights = {}
        for i, j in component:
            num, den = phi(al, i, j)
            weights[i, j] = num / den
        chosen += maximum_assignment(rows, cols, weights)
    # Re-add the chosen pairs exactly so the total does not depend on summation order.
    return _exact_sum(phi(al, i, j) for i, j in chosen)


def _ceaf_m(al: _Alignment) -> ExactCounts:
    total = _best_alignment_similarity(al, _phi3)
    return _counts(total, al.key_mentions, total, al.response_mentions)


def _ceaf_e(al: _Alignment) -> ExactCounts:
    total = _best_alignment_similarity(al, _phi4)
    return _counts(total, len(al.key), total, len(al.response))


def _blanc(al: _Alignment) -> ExactCounts:
    key_coref = sum(_pairs(len(c)) for c in al.key)
    response_coref = sum(_pairs(len(c)) for c in al.response)
    correct_coref = sum(_pairs(n) for n in al.overlap.values())

    key_noncoref = _pairs(al.key_mentions) - key_coref
    response_noncoref = _pairs(al.response_mentions) - response_coref

    # A correct non-coreference link joins two mentions present in both partitions
    # that are apart in the key and apart in the response (inclusion-exclusion over
    # the pairs of common mentions).
    common_in_key: dict[int, int] = defaultdict(int)
    common_in_response: dict[int, int] = defaultdict(int)
    for (i, j), n in al.overlap.items():
        common_in_key[i] += n
        common_in_response[j] += n
    common = sum(al.overlap.values())
    correct_noncoref = (
        _pairs(common)
        - sum(_pairs(n) for n in common_in_key.values())
        - sum(_pairs(n) for n in common_in_response.values())
        + correct_coref
    )
    return _counts(correct_coref, key_coref, correct_coref, response_coref, correct_noncoref, key_noncoref, correct_noncoref, response_noncoref)


def _lea_side(
    clusters: tuple[frozenset[Hashable], ...],
    other: tuple[frozenset[Hashable], ...],
    overlaps: Mapping[int, list[tuple[int, int]]],
) -> int | Fraction:
    """Sum over entities of importance (size) x fraction of their links kept in `other`."""
    terms = []
    for idx, cluster in enumerate(clusters):
        parts = overlaps.get(idx, [])
        size = len(cluster)
        if size == 1:
            # Singleton self-link: resolved iff the mention is a singleton in `other`.
            terms.append((1 if parts and len(other[parts[0][0]]) == 1 else 0, 1))
        else:
            terms.append((size * sum(_pairs(n) for _, n in parts), _pairs(size)))
    return _exact_sum(terms)


def _lea(al: _Alignment) -> ExactCounts:
    by_key: dict[int, list[tuple[int, int]]] = defaultdict(list)
    by_response: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (i, j), n in al.overlap.items():
        by_key[i].append((j, n))
        by_response[j].append((i, n))
    recall_num = _lea_side(al.key, al.response, by_key)
    precision_num = _lea_side(al.response, al.key, by_response)
    return _counts(recall_num, al.key_mentions, precision_num, al.response_mentions)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def muc(key: Partition, response: Partition) -> CorefCounts:
    """MUC: recall is the share of key links kept, i.e. sum(|K| - |p(K)|) / sum(|K| - 1).

    A cluster of n mentions needs n - 1 links; the response partition p(K) of a key
    cluster tells how many are missing (precision swaps key and response).
    Reference: Vilain et al. (1995), "A model-theoretic coreference scoring scheme", MUC-6.
    """
    return _as_counts("muc", _muc(_align(key, response)))


def b_cubed(key: Partition, response: Partition) -> CorefCounts:
    """B-cubed: per-mention recall |K(m) & R(m)| / |K(m)|, averaged over key mentions.

    Precision divides by |R(m)| and averages over response mentions; a mention
    present on one side only scores 0 there.
    Reference: Bagga & Baldwin (1998), "Algorithms for scoring coreference chains", LREC workshop.
    """
    return _as_counts("b3", _b_cubed(_align(key, response)))


def ceaf_m(key: Partition, response: Partition) -> CorefCounts:
    """CEAF-m: mentions shared by optimally aligned entities, over key (response) mentions.

    The one-to-one alignment maximises total phi3(K, R) = |K & R| (Kuhn-Munkres,
    here scipy's ``linear_sum_assignment``).
    Reference: Luo (2005), "On coreference resolution performance metrics", HLT/EMNLP.
    """
    return _as_counts("ceaf_m", _ceaf_m(_align(key, response)))


def ceaf_e(key: Partition, response: Partition) -> CorefCounts:
    """CEAF-e: summed phi4 of the optimal entity alignment, over the number of key (response) entities.

    phi4(K, R) = 2|K & R| / (|K| + |R|), so every entity weighs the same.
    Reference: Luo (2005), "On coreference resolution performance metrics", HLT/EMNLP.
    """
    return _as_counts("ceaf_e", _ceaf_e(_align(key, response)))


def blanc(key: Partition, response: Partition) -> BlancCounts:
    """BLANC: mean of the F-scores on coreference links and on non-coreference links.

    Links are taken over each partition's own mentions, so twinless mentions
    only add wrong or missing links (the predicted-mention extension); the
    result is additive because the eight link counts are kept.
    References: Recasens & Hovy (2011), "BLANC: Implementing the Rand index for
    coreference evaluation", NLE 17(4); Luo, Pradhan, Recasens & Hovy (2014),
    "An Extension of BLANC to System Mentions", ACL; reference scorer v8.01.
    """
    return _as_counts("blanc", _blanc(_align(key, response)))  # type: ignore[return-value]


def lea(key: Partition, response: Partition) -> CorefCounts:
    """LEA: each key entity weighs |K| and scores the share of its links found in the response.

    Recall = sum |K| * links(K in R) / links(K) over sum |K| (precision swaps the
    roles); a singleton has one self link, kept iff it is a singleton on the other side.
    Reference: Moosavi & Strube (2016), "Which coreference evaluation metric do you
    trust? A proposal for a link-based entity aware metric", ACL.
    """
    return _as_counts("lea", _lea(_align(key, response)))


COREF_METRICS: dict[str, Callable[[Partition, Partition], CorefCounts]] = {
    "muc": muc,
    "b3": b_cubed,
    "ceaf_m": ceaf_m,
    "ceaf_e": ceaf_e,
    "blanc": blanc,
    "lea": lea,
}

_METRICS_ON_ALIGNMENT: dict[str, Callable[[_Alignment], ExactCounts]] = {
    "muc": _muc,
    "b3": _b_cubed,
    "ceaf_m": _ceaf_m,
    "ceaf_e": _ceaf_e,
    "blanc": _blanc,
    "lea": _lea,
}

CONLL_METRICS = ("muc", "b3", "ceaf_e")


def conll_f1(scores: Mapping[str, CorefCounts | float]) -> float:
    """CoNLL score: unweighted mean of the MUC, B3 and CEAF-e F1 (CoNLL-2011/2012 shared tasks).

    Takes counts (or already computed F1 floats) so a corpus score can be
    recomputed from summed counts rather than averaged over documents.
    Reference: Pradhan et al. (2012), "CoNLL-2012 shared task", CoNLL.
    """
    missing = [name for name in CONLL_METRICS if name not in scores]
    if missing:
        raise KeyError(f"conll_f1 needs the metrics {', '.join(CONLL_METRICS)}; missing {', '.join(missing)}")
    values = [scores[name] for name in CONLL_METRICS]
    return sum(v.f1 if isinstance(v, CorefCounts) else float(v) for v in values) / len(values)


def score_all(key: Partition, response: Partition) -> dict[str, CorefCounts | float]:
    """Every metric of :data:`COREF_METRICS` on one document, plus "conll" (a float).

    The partitions are validated and aligned once.  "conll" is derived, not a
    count: to combine documents use :func:`sum_scores`.
    """
    al = _align(key, response)
    results: dict[str, CorefCounts | float] = {
        name: _as_counts(name, metric(al)) for name, metric in _METRICS_ON_ALIGNMENT.items()
    }
    results["conll"] = conll_f1(results)
    return results


#: Floats are dyadic rationals with denominators of at most 2**1074: scaled by this, every
#: count is an integer, so sums of them are exact.
_SCALE = 1 << 1100


def _scaled(value: float) -> int:
    numerator, denominator = float(value).as_integer_ratio()
    return numerator * (_SCALE // denominator)


class CorefTotals:
    """Each metric's counts summed over documents exactly, in any order (then rounded once).

    Summing float counts one document after another rounds at every step, so the last bit
    of a total would depend on the order of the documents (LEA's weighted counts show it).
    Here each count is added as an exact integer and rounded once at the end: the total is
    the correctly rounded sum (as ``math.fsum``) for any order, and documents can be added
    as they are read (a stream) or all at once (:func:`sum_scores`) with the same bits.
    """

    def __init__(self) -> None:
        self._kinds: dict[str, type[CorefCounts]] = {}
        self._sums: dict[str, list[int]] = {}

    def add(self, scores: Mapping[str, CorefCounts | float]) -> None:
        """Add one document's :func:`score_all` output ("conll" is derived, so skipped)."""
        for name, counts in scores.items():
            if name == "conll":
                continue
            assert isinstance(counts, CorefCounts), name  # only "conll" is a plain float
            values = [_scaled(getattr(counts, f.name)) for f in dataclasses.fields(counts)]
            if name in self._sums:
                assert self._kinds[name] is type(counts), name
                self._sums[name] = [a + b for a, b in zip(self._sums[name], values, strict=True)]
            else:
                self._kinds[name], self._sums[name] = type(counts), values

    def result(self) -> dict[str, CorefCounts | float]:
        """The summed counts of every metric added, and "conll" recomputed from them."""
        totals = {name: self._kinds[name](*(total / _SCALE for total in sums)) for name, sums in self._sums.items()}
        out: dict[str, CorefCounts | float] = dict(totals)
        if all(name in totals for name in CONLL_METRICS):
            out["conll"] = conll_f1(totals)
        return out


#: A piece of a partition up to the names of its mentions: key cluster sizes, response cluster
#: sizes, and the overlaps ((key cluster, response cluster) -> common mentions), sorted.
_Shape = tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[tuple[int, int], int], ...]]


def _shape(al: _Alignment) -> _Shape:
    return tuple(map(len, al.key)), tuple(map(len, al.response)), tuple(sorted(al.overlap.items()))


@dataclasses.dataclass(slots=True)
class _ShapeTally:
    """The pieces of one shape: every metric's exact counts of one of them, its three sizes, how many there are."""

    counts: list[ExactCounts]
    sizes: tuple[int, int, int]  # key mentions, response mentions, common mentions
    pieces: int = 0


def score_pieces(pieces: Iterable[tuple[Partition, Partition]]) -> dict[str, CorefCounts | float]:
    """:func:`score_all` of the union of ``pieces``, computed one piece at a time, with the same bits.

    Each piece is a (key, response) pair of partitions; no two pieces may share a mention, and
    no cluster of either side may be split between pieces (e.g. the connected components of
    the key/response overlap graph). Then every count is a sum over pieces: MUC and LEA sum
    over clusters, B-cubed over mentions, each CEAF optimum over components. BLANC's
    non-coreference links also join mentions of *different* pieces; those are added from the
    totals (all pairs minus the pairs within pieces). The exact counts are added before the
    one rounding to float, so the result equals :func:`score_all` of the union exactly,
    while only one piece is held at a time (a corpus-wide cross-document partition).
    """
    empty = _align((), ())
    sums = {name: [_ExactSum() for _ in metric(empty)] for name, metric in _METRICS_ON_ALIGNMENT.items()}
    # Every metric is a function of the cluster sizes and overlaps alone (not of the mentions), and
    # most pieces repeat a few shapes (a pair found as a pair, a singleton missed): each shape is
    # scored once and its exact counts are added times the number of its pieces.
    tallies: dict[_Shape, _ShapeTally] = {}
    for key, response in pieces:
        al = _align(key, response)
        shape = _shape(al)
        tally = tallies.get(shape)
        if tally is None:
            sizes = (al.key_mentions, al.response_mentions, sum(al.overlap.values()))
            tally = tallies[shape] = _ShapeTally([metric(al) for metric in _METRICS_ON_ALIGNMENT.values()], sizes)
        tally.pieces += 1
    totals = [0, 0, 0]  # key mentions, response mentions, common mentions
    within = [0, 0, 0]  # pairs among each of those inside pieces
    for tally in tallies.values():
        for name, values in zip(_METRICS_ON_ALIGNMENT, tally.counts, strict=True):
            for total, value in zip(sums[name], values, strict=True):
                total.add_ratio(value.numerator * tally.pieces, value.denominator)
        for i, n in enumerate(tally.sizes):
            totals[i] += n * tally.pieces
            within[i] += _pairs(n) * tally.pieces
    across = [_pairs(n) - w for n, w in zip(totals, within, strict=True)]
    blanc_counts = sums["blanc"]  # correct_coref, key_coref, correct_coref, response_coref, then the four non-coreference counts
    blanc_counts[4].add(across[2])
    blanc_counts[5].add(across[0])
    blanc_counts[6].add(across[2])
    blanc_counts[7].add(across[1])
    results: dict[str, CorefCounts | float] = {name: _as_counts(name, tuple(t.value() for t in totals)) for name, totals in sums.items()}
    results["conll"] = conll_f1(results)
    return results


def sum_scores(per_document: Iterable[Mapping[str, CorefCounts | float]]) -> dict[str, CorefCounts | float]:
    """Micro-average: add each metric's counts over documents (exactly, :class:`CorefTotals`), then recompute "conll".

    Documents are expected to carry the same metrics (e.g. :func:`score_all` outputs).
    """
    totals = CorefTotals()
    for scores in per_document:
        totals.add(scores)
    return totals.result()
