"""Confidence intervals for a scored run: units from the corpus, counts from the records, into the result dict.

Glue only: the statistics are in `scorers/bootstrap.py`, the sentence splitter in
`scorers/sentences.py`. `add_intervals` puts ``"ci": [lo, hi]`` (or ``null`` when a cell never
has items) next to every F1 of the result dict (corpus metrics, breakdown groups, macro average)
and records the settings (``settings.ci``, ``settings.resamples``, ``settings.seed``,
``settings.unit``) and how many units were resampled (``intervals``).
"""

from __future__ import annotations

from collections.abc import Hashable

from benchmark.input.corpus import Corpus
from benchmark.interval_options import IntervalSettings
from benchmark.scoring import ScoreRun
from scorers.bootstrap import UNLOCATED, CountParts, CountTable, Unit, bootstrap, count_table, f1_intervals, percentile_interval, unit_keys
from scorers.coref_resampling import CorefCountMatrix, count_matrix, f1_statistic, within_document_counts
from scorers.event_coref import MEASURES
from scorers.events import GROUPINGS
from scorers.sentences import split_sentences

METHOD = "percentile bootstrap over resampled units (Efron & Tibshirani 1993)"
COREF_NOTE = ("coref_within.* intervals resample documents (coreference does not decompose below documents);"
              " coref_cross.* has no interval (one corpus-wide partition, not additive over documents)")


def sentence_ranges(corpus: Corpus, doc_ids) -> dict[str, list[tuple[int, int]]]:
    """Sentence ranges of the scored segments of each document (chrome is never a unit)."""
    ranges = {}
    for doc_id in doc_ids:
        doc = corpus.documents[doc_id]
        ranges[doc_id] = split_sentences(doc.text, [(s.start, s.end) for s in doc.segments if s.scored])
    return ranges


def units_of(run: ScoreRun, corpus: Corpus, unit: Unit, pred_tag: str = "pred") -> tuple[list[Hashable], list[Hashable]]:
    """Unit key of every record of ``run`` and every unit of its test set (the reference's documents)."""
    documents = sorted(run.gold.documents)
    sentences = sentence_ranges(corpus, documents) if unit == "sentence" else None
    return unit_keys(run.outcomes, unit, documents=documents, sentences=sentences, pred_tag=pred_tag)


def run_table(run: ScoreRun, corpus: Corpus, unit: Unit) -> CountTable:
    """The count table of ``run``: from the per-document unit counts its summary holds (sparse), or from its records.

    The summary counts the breakdowns the result shows (per document only with ``--by doc``);
    the records give every breakdown.
    """
    if run.summary.unit == unit:
        return (run.summary.units or CountParts()).table(sparse=True)
    keys, universe = units_of(run, corpus, unit)
    return count_table(run.outcomes, keys, universe, GROUPINGS)


def coref_matrix(run: ScoreRun) -> CorefCountMatrix:
    """Within-document coreference counts of ``run``, one row per reference document (sorted)."""
    if run.summary.unit is not None:  # counted document by document while scoring (a streamed run holds no annotations)
        return count_matrix(run.summary.coref_counts, sorted(run.summary.coref_counts))
    return count_matrix(within_document_counts(run.prediction, run.gold, run.matcher), sorted(run.gold.documents))


def _add_coref_intervals(result: dict, run: ScoreRun, settings: IntervalSettings) -> str | None:
    """``ci`` of every ``coref_within.*`` metric (documents resampled) and ``None`` for ``coref_cross.*``."""
    metrics = result["metrics"]
    if not any(name.startswith("coref_") for name in metrics):
        return None
    matrix = coref_matrix(run)
    samples = bootstrap(matrix.counts, f1_statistic(matrix.columns), settings.resamples, settings.seed)
    for measure, interval in zip(MEASURES, percentile_interval(samples, settings.level), strict=True):
        if f"coref_within.{measure}" in metrics:
            metrics[f"coref_within.{measure}"]["ci"] = None if interval is None else [interval[0], interval[1]]
    for name, entry in metrics.items():
        if name.startswith("coref_cross."):
            entry["ci"] = None
    return COREF_NOTE


def _unlocated(table: CountTable) -> int:
    """Records in the per-document "unlocated" sentence units (text-only triggers)."""
    rows = [i for i, key in enumerate(table.units) if len(key) == 2 and key[1] == UNLOCATED]
    columns = [3 * j + k for j, c in enumerate(table.cells) if c[1] is None for k in range(3)]
    return int(table.matrix[rows][:, columns].sum()) if rows else 0


def add_intervals(result: dict, run: ScoreRun, corpus: Corpus, settings: IntervalSettings) -> dict:
    """Add bootstrap intervals to ``result`` (the dict of `benchmark.scoring.result_dict`) and return it."""
    table = run_table(run, corpus, settings.unit)
    macro = result["macro"]
    columns = [table.column(c) for c in table.cells if c[0] == macro["metric"] and c[1] == "type"]
    intervals, (macro_ci,) = f1_intervals(table, settings.resamples, settings.seed, settings.level, means=[columns])
    found = dict(zip(table.cells, intervals, strict=True))

    def ci(cell) -> list[float] | None:
        interval = found.get(cell)
        return None if interval is None else [interval[0], interval[1]]

    for name, entry in result["metrics"].items():
        if isinstance(entry, dict) and "tp" in entry:
            entry["ci"] = ci((name, None, None))
    for by, groups in result["breakdowns"].items():
        for group, metrics in groups.items():
            for name, entry in metrics.items():
                # One document resampled as a whole has no within-document variability to show.
                entry["ci"] = None if (by == "doc" and settings.unit == "doc") else ci((name, by, group))
    macro["ci"] = None if macro_ci is None else [macro_ci[0], macro_ci[1]]
    coref_note = _add_coref_intervals(result, run, settings)
    result["settings"].update(settings.to_dict())
    result["intervals"] = {
        "method": METHOD,
        "unit": settings.unit,
        "units": len(table.units),
        "unlocated_records": _unlocated(table) if settings.unit == "sentence" else 0,
        **({"coref": coref_note} if coref_note else {}),
    }
    return result
