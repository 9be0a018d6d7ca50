"""`--jobs N` on the stream: chunks scored in worker processes give the one-process bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.coverage import add_coverage, score_file
from benchmark.engines.processes import ProcessEngine
from benchmark.input.corpus import load_corpus
from benchmark.scoring import ScoreSettings, result_dict
from benchmark.streaming import score_stream

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "submissions" / "lexicon.json"
SECOND = ROOT / "gold" / "agreement" / "second-annotation.json"


def _json(scored) -> str:
    run, missing, _ = scored
    return json.dumps(add_coverage(result_dict(run), missing), ensure_ascii=False)


@pytest.mark.parametrize("pred", [LEXICON, SECOND], ids=lambda p: p.stem)
@pytest.mark.parametrize(("match", "by_doc", "unit"), [("exact", False, None), ("overlap", True, None), ("exact", True, "sentence")])
def test_worker_processes_give_the_one_process_bytes(pred, match, by_doc, unit):
    corpus, settings = load_corpus(), ScoreSettings(match=match)
    # One document per chunk, so the five bundled documents really go through the pool.
    pooled = score_stream(pred, None, corpus, settings, by_doc=by_doc, unit=unit, engine=ProcessEngine(2, chunk_documents=1, window=2))
    alone = score_stream(pred, None, corpus, settings, by_doc=by_doc, unit=unit)
    assert pooled is not None and alone is not None
    assert _json(pooled) == _json(alone)


def test_results_come_back_in_task_order_and_one_chunk_needs_no_pool(monkeypatch):
    import benchmark.scoring as scoring

    seen = []
    original = scoring.summarize_chunk

    def spy(task, matcher):
        seen.append(len(task.pairs))
        return original(task, matcher)

    monkeypatch.setattr(scoring, "summarize_chunk", spy)
    corpus = load_corpus()
    # 100 documents per chunk: the five documents are one chunk, scored in this process (the spy sees it).
    run, _, documents = score_stream(LEXICON, None, corpus, ScoreSettings(), engine=ProcessEngine(2))
    assert seen == [5] and documents == 5 and run.streamed


def test_jobs_streams_and_equals_one_job(tmp_path):
    corpus, settings = load_corpus(), ScoreSettings()
    two = score_file(LEXICON, None, corpus, settings, jobs=2, stream=True)
    one = score_file(LEXICON, None, corpus, settings, jobs=1, stream=True)
    assert two[0].streamed and _json(two) == _json(one)


def test_records_pickle_as_constructor_calls_and_come_back_equal():
    import pickle

    from benchmark.input.submission import load_gold
    from scorers.model import EventMention

    gold = load_gold(load_corpus())
    doc = next(iter(gold.documents.values()))
    event = doc.events[0]
    assert event.__reduce__() == (EventMention, (event.doc_id, event.id, event.type, event.trigger, event.realis, event.arguments, event.cluster))
    assert pickle.loads(pickle.dumps(doc)) == doc
    assert pickle.loads(pickle.dumps(gold)) == gold
