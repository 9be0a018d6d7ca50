"""Glue between files and scorers: load, check, drop chrome, score, and build the result dict.

The result dict is the one source every reporter renders (tables, JSON, `--out`), so the
numbers a table shows are always the numbers in the JSON. Its key order is fixed (registry
order for metrics, sorted groups everywhere else), so the JSON is byte-identical for any
order of the input documents, events and arguments.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark import __version__
from benchmark.coref_results import coref_section
from benchmark.error_results import error_section
from benchmark.input.corpus import Corpus, sha256_file
from benchmark.input.problems import InputError
from benchmark.input.submission import load_reference, load_submission
from scorers.alignment import canonical
from scorers.errors import error_counts
from scorers.events import GROUPINGS, Outcome, confusion_counts, confusion_matrix, count_cells, macro_average_of, prf_by_cell
from scorers.matching import CONTEXT_MODES, DEFAULT_OVERLAP_THRESHOLD, DocumentContext, SpanMatcher, make_matcher
from scorers.model import Annotation, DocumentAnnotation, Span
from scorers.prf import PRF
from scorers.registry import METRICS, ArgMatch, score, score_document

if TYPE_CHECKING:  # numpy-backed; imported only when intervals are asked for
    from benchmark.engines import Engine
    from scorers.bootstrap import CountParts
    from scorers.event_coref import DocumentCoref
    from scorers.units import Unit


@dataclass(frozen=True)
class ScoreSettings:
    """Everything that changes the numbers; recorded in every result."""

    match: str = "exact"
    overlap_threshold: float = DEFAULT_OVERLAP_THRESHOLD
    arg_match: ArgMatch = "span"

    @property
    def protocol(self) -> str:
        return "offsets" if make_matcher(self.match, self.overlap_threshold).uses_offsets else "text"

    def to_dict(self) -> dict:
        return {
            "match": self.match,
            "match_rule": make_matcher(self.match, self.overlap_threshold).describe(),
            "overlap_threshold": self.overlap_threshold,
            "arg_match": self.arg_match,
            "protocol": self.protocol,
        }


@dataclass
class Summary:
    """What the result dict and the intervals need from the outcome records, added up over documents.

    Every number of a result is a sum over documents, so each document's outcome records are
    reduced to these additive statistics as soon as they are made: counts per cell
    (`scorers.events.count_cells`), the confusion counts, and with ``unit`` set the per-unit
    counts the bootstrap resamples. A corpus is then summarised chunk by chunk, in one process
    or several, without holding every record at once.
    """

    cells: Counter = field(default_factory=Counter)
    confusion: Counter = field(default_factory=Counter)
    unit: Unit | None = None
    #: With ``unit``: every document's unit counts, in document order (None until a document adds some).
    units: CountParts | None = None
    #: Event coreference metrics and notes (`benchmark.coref_results.coref_section`). Not a sum
    #: over documents (the cross-document scope is one partition of the corpus): computed once,
    #: as one more task beside the document chunks.
    coref: tuple[dict, list] | None = None
    #: With ``unit``: each document's within-document coreference counts (for their intervals).
    coref_counts: dict = field(default_factory=dict)
    #: Error categories (`scorers.errors.error_counts`): ``{(family, category, by, group): n}``.
    errors: Counter = field(default_factory=Counter)

    #: The breakdowns counted: "doc" only when per-document breakdowns were asked for
    #: (``by_doc``): a corpus-sized table is what a streamed run must not hold.
    groupings: tuple[str, ...] = tuple(GROUPINGS)

    def add(self, other: Summary) -> None:
        """Add the summary of other documents (that come after these, for the unit order)."""
        self.cells.update(other.cells)
        self.confusion.update(other.confusion)
        self.errors.update(other.errors)
        if other.units is not None:
            if self.units is None:
                self.units = type(other.units)()
            self.units.extend(other.units)
        self.coref_counts.update(other.coref_counts)


def summarize_document(pred: DocumentAnnotation, ref: DocumentAnnotation, matcher: SpanMatcher, unit: Unit | None,
                       *, by_doc: bool = True, sentences: dict[str, list[tuple[int, int]]] | None = None) -> Summary:
    """The summary of one document: score it (`scorers.registry.score_document`), keep the counts.

    ``sentences``: the document's sentence ranges (``benchmark.intervals.sentence_ranges``), for ``unit="sentence"``.
    """
    pred, ref = canonical(pred), canonical(ref)  # once: the scorers below find them canonical and share their trigger graphs
    outcomes = score_document(pred, ref, matcher)
    groupings = GROUPINGS if by_doc else {by: f for by, f in GROUPINGS.items() if by != "doc"}
    summary = Summary(count_cells(outcomes, groupings), confusion_counts(outcomes), unit,
                      errors=error_counts(outcomes, pred, ref, matcher, by_doc=by_doc), groupings=tuple(groupings))
    if unit is not None:
        from scorers.bootstrap import CountParts, unit_counts, unit_keys
        from scorers.coref_resampling import within_document_counts

        keys, universe = unit_keys(outcomes, unit, documents=[ref.doc_id], sentences=sentences)
        summary.units = CountParts()
        summary.units.append(unit_counts(outcomes, keys, universe, groupings))
        summary.coref_counts = within_document_counts(Annotation({ref.doc_id: pred}), Annotation({ref.doc_id: ref}), matcher)
    return summary


@dataclass(frozen=True)
class ChunkTask:
    """A chunk of documents to summarize, with all a worker needs except the matcher (picklable).

    ``pairs``: (submitted document, reference document), chrome dropped. ``coref``: also each
    document's coreference material (``scorers.event_coref.document_coref``), for a stream.
    """

    pairs: tuple[tuple[DocumentAnnotation, DocumentAnnotation], ...]
    unit: Unit | None = None
    by_doc: bool = True
    sentences: dict[str, list[tuple[int, int]]] | None = None
    coref: bool = False


def summarize_chunk(task: ChunkTask, matcher: SpanMatcher) -> tuple[Summary, list[DocumentCoref]]:
    """The map step of every engine: the chunk's summary (documents added in order) and, if asked, its coreference material."""
    from scorers.event_coref import document_coref

    total = Summary(unit=task.unit, groupings=groupings_for(task.by_doc))
    corefs = []
    for pred, ref in task.pairs:
        total.add(summarize_document(pred, ref, matcher, task.unit, by_doc=task.by_doc, sentences=task.sentences))
        if task.coref:
            corefs.append(document_coref(pred, ref, matcher))
    return total, corefs


#: Documents per task when scoring in several processes.
CHUNK_DOCUMENTS = 100
_WORK: tuple | None = None  # (prediction, gold, matcher, corpus, unit), inherited by forked workers


def _coref_task() -> tuple[dict, list]:
    prediction, gold, matcher, _, _, _ = _WORK  # type: ignore[misc]
    return coref_section(prediction, gold, matcher)


def _can_fork() -> bool:
    """Whether worker processes can be forked (multiprocessing is imported only when they are asked for: ~7 ms at every start)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def groupings_for(by_doc: bool) -> tuple[str, ...]:
    """The breakdowns a summary counts: per document only when asked for (``--by doc``)."""
    return tuple(g for g in GROUPINGS if by_doc or g != "doc")


def _chunk_task(doc_ids: list[str]) -> ChunkTask:
    prediction, gold, _, corpus, unit, by_doc = _WORK  # type: ignore[misc]
    sentences = None
    if unit == "sentence":
        from benchmark.intervals import sentence_ranges

        sentences = sentence_ranges(corpus, doc_ids)
    pairs = tuple((prediction.documents.get(d, DocumentAnnotation(d)), gold.documents[d]) for d in doc_ids)
    return ChunkTask(pairs, unit, by_doc, sentences)


def _summarize_chunk(doc_ids: list[str]) -> Summary:
    return summarize_chunk(_chunk_task(doc_ids), _WORK[2])[0]  # type: ignore[index]


def summarize(prediction: Annotation, gold: Annotation, matcher: SpanMatcher, corpus: Corpus, *, unit: Unit | None = None, jobs: int = 1,
              by_doc: bool = True, engine: Engine | None = None) -> Summary:
    """The summary of every reference document (a per-document map and an additive reduce), and the coreference.

    With ``jobs > 1`` chunks of documents are scored in that many worker processes (forked, so
    they share the loaded annotations instead of receiving copies); results are added in
    document order, so the summary, and every byte of output, is the same for any ``jobs``.
    Where ``fork`` is not available the documents are scored in this process. ``engine``
    (``benchmark.engines``, e.g. Dask) runs the chunks instead; the coreference is then computed
    here, after the reduce.
    """
    global _WORK
    doc_ids = sorted(gold.documents)
    chunks = [doc_ids[i : i + CHUNK_DOCUMENTS] for i in range(0, len(doc_ids), CHUNK_DOCUMENTS)]
    total = Summary(unit=unit, groupings=groupings_for(by_doc))
    _WORK = (prediction, gold, matcher, corpus, unit, by_doc)
    try:
        if engine is not None:
            for part, _ in engine.map_chunks(map(_chunk_task, chunks), matcher):
                total.add(part)
            total.coref = _coref_task()
        elif jobs > 1 and len(chunks) > 1 and _can_fork():
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            gc.freeze()  # the loaded annotations stay shared: the workers' collector leaves them alone
            try:
                with ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=multiprocessing.get_context("fork")) as pool:
                    coref = pool.submit(_coref_task)  # first, so it runs beside the chunks, not after them
                    for part in pool.map(_summarize_chunk, chunks):
                        total.add(part)
                    total.coref = coref.result()
            finally:
                gc.unfreeze()
        else:
            for chunk in chunks:
                total.add(_summarize_chunk(chunk))
            total.coref = _coref_task()
    finally:
        _WORK = None
    return total


@dataclass(frozen=True)
class ScoreRun:
    """A scored submission: the summed counts plus what was set aside and where the reference came from."""

    system: str
    settings: ScoreSettings
    reference: dict
    prediction: Annotation
    gold: Annotation
    summary: Summary
    ignored_in_chrome: int
    ignored_documents: tuple[str, ...]
    #: The matcher the run was scored with (with the reference's context for ``relaxed``).
    matcher: SpanMatcher
    #: ``--match judge``: the judge's model, prompt version and every judged pair (``benchmark.judging``).
    judge_audit: dict | None = None
    #: Reference documents not scored because of ``--only-submitted``.
    left_out: tuple[str, ...] = ()
    #: Scored as a stream (``benchmark.streaming``): ``summary`` holds every number, and
    #: ``prediction`` / ``gold`` are empty; nothing that lists records may be asked of it.
    streamed: bool = False

    @cached_property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Every outcome record, in canonical order (made when first asked for: reports and
        ``--explain`` list records, the result dict and the tables need only ``summary``)."""
        if self.streamed:
            raise RuntimeError("a streamed run holds no records: score with benchmark.scoring.score_submission for them")
        return tuple(score(self.prediction, self.gold, self.matcher))


def _sha256_files(paths: list[Path]) -> str:
    joined = "".join(f"{p.name}:{sha256_file(p)}\n" for p in sorted(paths))
    return hashlib.sha256(joined.encode()).hexdigest()


def reference_identity(path: Path | None, corpus: Corpus) -> dict:
    """What the reference is, and sha256 checksums naming it and the corpus exactly.

    Results are shared (papers, CI artifacts), so ``source`` names no local path: the corpus
    gold by its release (``evbench-gold 1.1``, from the corpus manifest), another reference by
    its file name; ``checksum`` says which bytes; ``version`` is the gold's release number (None
    for another reference), so a gate can tell results of two releases apart.
    """
    if path is None:
        files = sorted(corpus.annotations_dir.glob("*.json"))
        source, checksum, version = corpus.gold_release, _sha256_files(files), corpus.version
    else:
        source, checksum, version = path.name, sha256_file(path), None
    return {"source": source, "version": version, "checksum": checksum, "corpus_checksum": corpus.checksum()}


def require_offsets(annotation: Annotation, file: str, corpus: Corpus) -> None:
    """Offset modes cannot score text-only spans that could not be located (``benchmark.input.locating``):
    stop with one located problem per span (as many as `validate` warns about)."""
    from benchmark.input.locating import unlocated

    problems = unlocated(annotation, corpus, file, "error")
    if problems:
        raise InputError(problems)


def _in_chrome(span: Span, corpus: Corpus, doc_id: str) -> bool:
    return span.has_offsets and corpus.documents[doc_id].in_chrome(span.start, span.end)  # type: ignore[arg-type]


def drop_chrome(annotation: Annotation, corpus: Corpus) -> tuple[Annotation, int]:
    """Remove events whose trigger lies in a chrome segment (never scored); return how many.

    Text-only triggers cannot be located, so they are kept.
    """
    documents, dropped = {}, 0
    for doc_id, doc in annotation.documents.items():
        kept = tuple(e for e in doc.events if not _in_chrome(e.trigger, corpus, doc_id))
        dropped += len(doc.events) - len(kept)
        documents[doc_id] = replace(doc, events=kept)
    return Annotation(documents=documents, system=annotation.system), dropped


def matching_context(corpus: Corpus, gold: Annotation) -> DocumentContext:
    """What ``relaxed`` matching may know of the reference: texts, sentence starts, entities, corpus-wide names."""
    from scorers.relaxed import entity_forms
    from scorers.sentences import split_sentences

    texts, sentences, entities, names, types = {}, {}, {}, {}, {}
    for doc_id, doc in gold.documents.items():
        if doc_id not in corpus.documents:
            continue
        document = corpus.documents[doc_id]
        texts[doc_id] = document.text
        ranges = split_sentences(document.text, [(s.start, s.end) for s in document.segments if s.scored])
        sentences[doc_id] = tuple(start for start, _ in ranges)
        entities[doc_id] = doc.entity_mentions()
        for entity in doc.entities:
            names.setdefault(entity.id, []).extend(m.text for m in entity.mentions)
            types[entity.id] = entity.type
        for event in doc.events:
            for arg in event.arguments:
                if arg.entity is not None:
                    names.setdefault(arg.entity, []).append(arg.span.text)
    return DocumentContext(texts, sentences, entities, {e: entity_forms(n) for e, n in names.items()}, types)


def matcher_for(settings: ScoreSettings, corpus: Corpus, gold: Annotation) -> SpanMatcher:
    """The matcher of ``settings`` (not ``judge``), given the reference's context when its mode reads one."""
    context = matching_context(corpus, gold) if settings.match in CONTEXT_MODES else None
    return make_matcher(settings.match, settings.overlap_threshold, context)


def score_annotations(
    prediction: Annotation, gold: Annotation, corpus: Corpus, settings: ScoreSettings, *,
    system: str, reference: dict, pred_label: str, ref_label: str, unit: Unit | None = None, jobs: int = 1, judge=None, by_doc: bool = True,
    engine: Engine | None = None,
) -> ScoreRun:
    """Score two validated annotations: require offsets (offset modes), drop chrome, score.

    The one path from loaded annotations to a `ScoreRun`, shared by files and in-memory inputs;
    the labels name each side in problems. ``unit`` (for intervals) and ``jobs`` go to :func:`summarize`.
    ``judge`` (``benchmark.judge.LLMJudge``) for ``--match judge``; by default one from the environment.
    """
    from benchmark.input.locating import locate

    prediction, gold = locate(prediction, corpus), locate(gold, corpus)
    if make_matcher(settings.match, settings.overlap_threshold).uses_offsets:
        require_offsets(prediction, pred_label, corpus)
        require_offsets(gold, ref_label, corpus)
    prediction, ignored = drop_chrome(prediction, corpus)
    gold, _ = drop_chrome(gold, corpus)
    audit = None
    if settings.match == "judge":
        from benchmark.judging import judge_verdicts

        if judge is None:
            from benchmark.judge import LLMJudge

            judge = LLMJudge.from_environment()
        context = matching_context(corpus, gold)
        verdicts, audit = judge_verdicts(prediction, gold, context, judge)
        matcher = make_matcher("judge", context=context, verdicts=verdicts)
    else:
        matcher = matcher_for(settings, corpus, gold)
    unannotated = tuple(sorted(d for d, doc in prediction.documents.items() if d not in gold.documents and doc.events))
    return ScoreRun(
        system=system,
        settings=settings,
        reference=reference,
        prediction=prediction,
        gold=gold,
        summary=summarize(prediction, gold, matcher, corpus, unit=unit, jobs=jobs, by_doc=by_doc, engine=engine),
        ignored_in_chrome=ignored,
        ignored_documents=unannotated,
        matcher=matcher,
        judge_audit=audit,
    )


def score_submission(
    pred_path: Path, reference_path: Path | None, corpus: Corpus, settings: ScoreSettings, *, unit: Unit | None = None, jobs: int = 1,
    judge=None, only_submitted: bool = False, by_doc: bool = True, engine: Engine | None = None,
) -> ScoreRun:
    """Load and check both files (InputError on any problem), then :func:`score_annotations`.

    ``only_submitted``: the reference is first cut to the submission's documents
    (``benchmark.coverage.only_submitted_reference``); the run records the ones left out.
    """
    prediction = load_submission(pred_path, corpus)
    gold = load_reference(reference_path, corpus)
    left_out: tuple[str, ...] = ()
    if only_submitted:
        from benchmark.coverage import only_submitted_reference

        cut = only_submitted_reference(gold, prediction, str(pred_path))
        left_out, gold = tuple(sorted(set(gold.documents) - set(cut.documents))), cut
    run = score_annotations(
        prediction, gold, corpus, settings,
        system=prediction.system or pred_path.stem,
        reference=reference_identity(reference_path, corpus),
        pred_label=str(pred_path),
        ref_label=str(reference_path or corpus.annotations_dir),
        unit=unit,
        jobs=jobs,
        judge=judge,
        by_doc=by_doc,
        engine=engine,
    )
    return replace(run, left_out=left_out) if left_out else run


def _counts_dict(counts: dict[str, PRF], names: tuple[str, ...]) -> dict:
    """Per-metric score dicts in registry order; a metric with no outcomes is all zeros."""
    return {name: counts.get(name, PRF()).to_dict() for name in names}


def result_dict(run: ScoreRun) -> dict:
    """The full, deterministic result: settings, reference identity, metrics, breakdowns, confusion.

    ``metrics`` holds the outcome metrics and then the event coreference ones
    (``coref_within.*``, ``coref_cross.*``; see ``benchmark.coref_results``).
    """
    names = tuple(m.name for m in METRICS)
    coref, coref_notes = run.summary.coref or coref_section(run.prediction, run.gold, run.matcher)
    cells = prf_by_cell(run.summary.cells)
    groups: dict[str, dict[str, dict[str, PRF]]] = {by: {} for by in run.summary.groupings}
    for (metric, by, group), counts in cells.items():
        if by is not None:
            groups[by].setdefault(group, {})[metric] = counts  # type: ignore[index]
    return {
        "evbench_version": __version__,
        "settings": run.settings.to_dict(),
        "system": run.system,
        "reference": run.reference,
        "metrics": {**_counts_dict({m: c for (m, by, _), c in cells.items() if by is None}, names), **coref},
        "macro": macro_average_of({t: c["tri_c"] for t, c in groups["type"].items() if "tri_c" in c}, "tri_c").to_dict(),
        "breakdowns": {
            by: {group: _counts_dict(found[group], names) for group in sorted(found)} for by, found in groups.items()
        },
        "confusion": confusion_matrix(run.summary.confusion),
        **error_section(run.summary.errors, run.settings.arg_match, groups),
        "coref_notes": coref_notes,
        "ignored_in_chrome": run.ignored_in_chrome,
        "ignored_documents": list(run.ignored_documents),
        **({"judge": run.judge_audit} if run.judge_audit is not None else {}),
    }
