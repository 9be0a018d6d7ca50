"""evbench as an lm-evaluation-harness task: its documents, its per-answer results, its micro aggregation.

The task folder `benchmark/integrations/lm_eval/` (YAML, found with ``lm_eval --include_path
"$(evbench lm-eval-path)"``) names these functions through its ``evbench_task.py``. lm-eval is
never imported here: the functions take and return plain dicts and lists, so they are tested
without it, and the core CLI never loads it.

- **Units.** ``evbench_ar``: one lm-eval document per request the `llm` extractor sends: a scored
  segment of an evbench document, cut at line breaks past 6,000 characters (`document_chunks`),
  asked with the same system prompt (ontology + guidelines sections 2-5, `build_system_prompt`)
  and user prompt (`build_user_prompt`). With ``--apply_chat_template`` the request is the
  extractor's request. ``evbench_ar_sentences``: windows of consecutive sentences
  (`scorers.sentences.split_sentences`, 3 by default) of those segments, each asked with its
  whole segment as context (`build_passage_prompt`), for models that miss events in long texts.
- **Reading an answer** (`read_unit`): the loose-output converter of `evbench convert` and the
  `llm` extractor (`benchmark.loose_output.convert_events`) turns the text into events with
  offsets in the evbench document. In a sentence window, spans are looked up in the window
  first, then in the rest of the segment (arguments may lie there); an event whose trigger is
  not in the window is dropped (it belongs to another window). As in the extractor, a span whose text does not occur in the
  unit is dropped, so exact and relaxed matching score the same events and the imported
  submission (`evbench import-lm-eval`) scores under every matching mode. An answer with no
  readable event list (not JSON even after repair, or no ``events``) is *unparseable*: it gives
  no events and counts in the ``unparseable`` share.
- **Aggregation** (`aggregation`): every metric re-scores the collected events with evbench
  (`benchmark.api.score`), once per matching mode (cached). Summing per-unit tp / fp / fn would
  be wrong here: alignment is one-to-one per evbench *document*, whose events come from several
  units; coreference CoNLL (MUC, B-cubed, CEAF-e) needs each document's whole partition, and
  relaxed matching reads the whole reference (entity names across documents). Re-scoring is
  micro F1 by construction (evbench sums counts before dividing) and gives exactly the numbers
  of ``evbench score`` on the imported submission. When a run covers only some documents
  (``--limit``), the reference is cut to those, as ``evbench score --only-submitted`` does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

from benchmark.extractors.llm import build_passage_prompt, build_system_prompt, build_user_prompt, document_chunks, guideline_rules
from benchmark.input.corpus import Corpus, Ontology, load_corpus
from benchmark.loose_output import NO_EVENT_LIST, NOT_JSON, convert_events
from scorers.sentences import split_sentences

#: Longest text per unit, as the `llm` extractor's default ``max_chars``.
MAX_CHARS = 6000
#: Sentences per window of ``evbench_ar_sentences``.
SENTENCES = 3

#: lm-eval metric name -> evbench metric whose F1 it reports (F1 on the 0..1 scale of evbench's JSON).
SCORED_METRICS = {"tri_c": "tri_c", "arg_c_plus": "arg_c+", "realis": "realis", "coref_within_conll": "coref_within.conll"}
#: Matching modes each metric is reported under (the lm-eval metric is ``<metric>_<mode>``).
MODES = ("exact", "relaxed")
UNPARSEABLE = "unparseable"
#: The system name of the submissions built here (``evbench import-lm-eval --system`` overrides it).
SYSTEM = "lm-eval"


@cache
def bundled_corpus() -> Corpus:
    """The bundled corpus, loaded once per process (the task has no other corpus)."""
    return load_corpus(None)


def units(corpus: Corpus, max_chars: int = MAX_CHARS, sentences: int | None = None) -> list[dict]:
    """The task's documents: one row per unit, in corpus order, each carrying its prompts.

    ``doc_id``, ``unit`` (its index in the document), ``start`` (offset of ``text`` in the
    document), ``text``, ``prompt`` (the user message) and ``system_prompt``. With `sentences`,
    ``text`` is a window of that many sentences of a segment, which is given as ``context``
    (at ``context_start``).
    """
    system = build_system_prompt(corpus.ontology, guideline_rules(corpus.root / "guidelines.md"))
    rows: list[dict] = []
    for doc_id in sorted(corpus.documents):
        document, index = corpus.documents[doc_id], 0
        for start, text in document_chunks(document, max_chars):
            if sentences is None:
                rows.append({"doc_id": doc_id, "unit": index, "start": start, "text": text, "prompt": build_user_prompt(text), "system_prompt": system})
                index += 1
                continue
            ranges = split_sentences(document.text, [(start, start + len(text))])
            for first in range(0, len(ranges), sentences):
                window_start, window_end = ranges[first][0], ranges[min(first + sentences, len(ranges)) - 1][1]
                window = document.text[window_start:window_end]
                rows.append({"doc_id": doc_id, "unit": index, "start": window_start, "text": window, "context_start": start, "context": text,
                             "prompt": build_passage_prompt(text, window), "system_prompt": system})
                index += 1
    return rows


def dataset(**metadata: Any) -> dict:
    """lm-eval's ``custom_dataset`` of ``evbench_ar``: ``{"test": Dataset}`` of :func:`units` (``datasets`` comes with lm-eval).

    ``metadata`` is lm-eval's ``--metadata`` (and the task's): ``max_chars`` changes the unit size.
    """
    import datasets

    max_chars = int(metadata.get("max_chars", MAX_CHARS))
    return {"test": datasets.Dataset.from_list(units(bundled_corpus(), max_chars))}


def sentence_dataset(**metadata: Any) -> dict:
    """``custom_dataset`` of ``evbench_ar_sentences``: sentence windows (``--metadata '{"sentences": 1}'`` for one per unit)."""
    import datasets

    max_chars, sentences = int(metadata.get("max_chars", MAX_CHARS)), int(metadata.get("sentences", SENTENCES))
    return {"test": datasets.Dataset.from_list(units(bundled_corpus(), max_chars, max(1, sentences)))}


def read_unit(doc: dict, answer: object, ontology: Ontology) -> tuple[list[dict], bool]:
    """(events with offsets in the evbench document, whether the answer was unparseable) for one unit.

    An empty or missing answer (a failed request) is unparseable too.
    """
    if not isinstance(answer, str) or not answer.strip():
        return [], True
    if "context" not in doc:
        events, changes = convert_events(answer, doc["text"], ontology, doc_id=doc["doc_id"], offset=doc["start"], keep_unlocated=False)
    else:  # a window: spans found in it first (the rest of the context is avoided), triggers outside it dropped
        start, end = doc["start"], doc["start"] + len(doc["text"])
        context, offset = doc["context"], doc["context_start"]
        avoid = ((0, start - offset), (end - offset, len(context)))
        events, changes = convert_events(answer, context, ontology, doc_id=doc["doc_id"], offset=offset, keep_unlocated=False, avoid=avoid)
        events = [event for event in events if start <= event["trigger"]["start"] < end]
    return events, any(change.what in (NOT_JSON, NO_EVENT_LIST) for change in changes)


def metric_names() -> list[str]:
    """Every lm-eval metric of the task, in the YAML's order."""
    return [f"{name}_{mode}" for mode in MODES for name in SCORED_METRICS] + [UNPARSEABLE]


def process_results(doc: dict, results: Sequence[object]) -> dict:
    """lm-eval's per-document step: the unit's events (the same record for every scored metric,
    since each aggregation re-scores them all) and 1.0 / 0.0 for an unparseable answer."""
    events, unparseable = read_unit(doc, results[0] if results else None, bundled_corpus().ontology)
    record = {"doc_id": doc["doc_id"], "unit": doc["unit"], "start": doc["start"], "events": events}
    return {**{name: record for name in metric_names()[:-1]}, UNPARSEABLE: float(unparseable)}


def submission_from_units(records: Iterable[dict], system: str = SYSTEM) -> dict:
    """A submission from per-unit records (``doc_id``, ``unit``, ``start``, ``events``): a document's
    units in reading order, its events numbered ``e1``, ``e2``, ... as the `llm` extractor does."""
    by_doc: dict[str, list[dict]] = {}
    for record in records:
        by_doc.setdefault(record["doc_id"], []).append(record)
    documents = []
    for doc_id in sorted(by_doc):
        events = [dict(event) for record in sorted(by_doc[doc_id], key=lambda r: (r["start"], r["unit"])) for event in record["events"]]
        for number, event in enumerate(events, start=1):
            event["id"] = f"e{number}"
        documents.append({"doc_id": doc_id, "events": events})
    return {"system": system, "documents": documents}


def score_submission_dict(submission: dict, match: str, corpus_dir: str | None = None) -> dict:
    """evbench's result dict for a submission dict, against the reference cut to its documents
    when it lacks some (``evbench score --only-submitted``), else against the whole gold."""
    from benchmark.api import score
    from benchmark.coverage import only_submitted_reference
    from benchmark.input.submission import load_gold
    from scorers.model import Annotation, DocumentAnnotation

    corpus = load_corpus(corpus_dir)
    gold = load_gold(corpus)
    covered = {doc["doc_id"] for doc in submission["documents"]}
    reference = None
    if not set(gold.documents) <= covered:
        reference = only_submitted_reference(gold, Annotation({d: DocumentAnnotation(d) for d in covered}), "<lm-eval run>")
    return score(submission, reference, corpus_dir=corpus_dir, match=match)


@lru_cache(maxsize=4)
def _scored(submission_json: str, match: str) -> dict:
    return score_submission_dict(json.loads(submission_json), match)


def scored_records(records: Iterable[dict], match: str) -> dict:
    """The result dict of the collected records under `match`, computed once for all the metrics that read it."""
    return _scored(json.dumps(submission_from_units(records), ensure_ascii=False, sort_keys=True), match)


def aggregation(metric: str, match: str) -> Callable[[list[dict]], float]:
    """The lm-eval aggregation of ``<metric>_<match>``: micro F1 of evbench's `metric` over every collected unit."""
    evbench_metric = SCORED_METRICS[metric]

    def aggregate(records: list[dict]) -> float:
        return float(scored_records(records, match)["metrics"][evbench_metric]["f1"])

    aggregate.__name__ = aggregate.__qualname__ = f"{metric}_{match}"
    return aggregate
