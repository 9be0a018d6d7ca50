"""The process engine: a stream's chunks of documents scored in ``--jobs N`` worker processes of this machine.

The stream (``benchmark.streaming``) reads and joins the documents in this process and sends
each chunk to a worker; at most ``window`` chunks are in flight, so memory stays bounded
however large the input, and results come back in chunk order, so the output is the same
bytes as with one process. The matcher reaches each worker once, when the pool starts (forked
where the platform can fork). An input of one chunk is scored here, without starting a pool.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING

from benchmark.scoring import CHUNK_DOCUMENTS

if TYPE_CHECKING:
    from benchmark.engines import ChunkResult
    from benchmark.scoring import ChunkTask
    from scorers.matching import SpanMatcher

#: The matcher of this worker process (set by the pool's initializer).
_MATCHER: SpanMatcher | None = None


def _install(matcher: SpanMatcher) -> None:
    global _MATCHER
    _MATCHER = matcher


def _summarize(task: ChunkTask) -> ChunkResult:
    from benchmark.scoring import summarize_chunk

    assert _MATCHER is not None, "the pool's initializer sets the matcher"
    return summarize_chunk(task, _MATCHER)


class ProcessEngine:
    """``jobs`` worker processes; chunks of ``chunk_documents`` documents, at most ``window`` in flight."""

    name = "processes"

    def __init__(self, jobs: int, chunk_documents: int = CHUNK_DOCUMENTS, window: int | None = None) -> None:
        self.jobs, self.chunk_documents = jobs, chunk_documents
        self.window = window or 2 * jobs

    def map_chunks(self, tasks: Iterable[ChunkTask], matcher: SpanMatcher) -> Iterator[ChunkResult]:
        from concurrent.futures import ProcessPoolExecutor

        from benchmark.scoring import summarize_chunk

        tasks = iter(tasks)
        first = next(tasks, None)
        if first is None:
            return
        second = next(tasks, None)
        if second is None:  # one chunk: a pool would only add its start-up time
            yield summarize_chunk(first, matcher)
            return
        fork = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if fork else None)
        with ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_install, initargs=(matcher,)) as pool:
            pending: deque = deque()
            for task in chain((first, second), tasks):
                pending.append(pool.submit(_summarize, task))
                if len(pending) >= self.window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
