"""Where the per-document map of scoring runs: in this process, in worker processes (``--jobs N``), or on a Dask cluster.

Scoring is a map over chunks of documents (``benchmark.scoring.summarize_chunk``: each chunk
to an additive ``Summary``) and a reduce (adding the summaries, then cross-document
coreference and the bootstrap, which need the whole corpus, on the client). An engine runs
the map and hands back the results *in chunk order*, so the reduce, and every byte of the
result, is the same for every engine (tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from benchmark.scoring import ChunkTask, Summary
    from scorers.event_coref import DocumentCoref
    from scorers.matching import SpanMatcher

ChunkResult = tuple["Summary", list["DocumentCoref"]]


class Engine(Protocol):
    """Runs :func:`benchmark.scoring.summarize_chunk` over tasks; results in task order."""

    name: str
    #: Documents per task the stream makes for this engine (one: no task overhead in this process).
    chunk_documents: int

    def map_chunks(self, tasks: Iterable[ChunkTask], matcher: SpanMatcher) -> Iterator[ChunkResult]: ...


class LocalEngine:
    """This process, one chunk after the other (``--jobs N``: ``benchmark.engines.processes``)."""

    name = "local"
    chunk_documents = 1

    def map_chunks(self, tasks: Iterable[ChunkTask], matcher: SpanMatcher) -> Iterator[ChunkResult]:
        from benchmark.scoring import summarize_chunk

        for task in tasks:
            yield summarize_chunk(task, matcher)
