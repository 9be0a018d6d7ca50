"""The Dask engine: chunks of documents scored on a ``dask.distributed`` cluster.

``--engine dask`` starts a ``LocalCluster`` on this machine (``--workers N`` processes, one
thread each: the scorer is pure Python, so threads would share one interpreter lock);
``--scheduler ADDRESS`` uses a running cluster instead (``tcp://host:8786``). The matcher is
sent to every worker once (``scatter``); each chunk travels with its documents, so workers
need neither the files nor the corpus. At most ``window`` chunks are in flight at once, so
the client holds a bounded number of documents however large the input: it reads, sends,
and adds results in chunk order as they come back.

Only imported when asked for (``pip install -e ".[dask]"``): the CLI never imports Dask otherwise.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from benchmark.input.problems import InputError, Problem
from benchmark.scoring import CHUNK_DOCUMENTS

if TYPE_CHECKING:
    from benchmark.engines import ChunkResult
    from benchmark.scoring import ChunkTask
    from scorers.matching import SpanMatcher


def _summarize_chunk(task: ChunkTask, matcher: SpanMatcher) -> ChunkResult:
    from benchmark.scoring import summarize_chunk

    return summarize_chunk(task, matcher)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError([Problem("--engine dask", "", "Dask is not installed",
                                  'install the extra: pip install -e ".[dask]" (or pip install "dask[distributed]")')]) from None
    return distributed


class DaskEngine:
    """A ``distributed.Client`` on a new ``LocalCluster`` or on ``scheduler``; use it as a context manager."""

    name = "dask"
    chunk_documents = CHUNK_DOCUMENTS  # each task carries its documents over the network

    def __init__(self, scheduler: str | None = None, workers: int = 2, window: int | None = None) -> None:
        self.scheduler, self.workers = scheduler, workers
        self.window = window or max(2, 2 * workers)
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        distributed = _import_distributed()
        try:
            if self.scheduler is None:
                self._cluster = distributed.LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                                         dashboard_address=":0", silence_logs=40)
                self._client = distributed.Client(self._cluster)
            else:
                self._client = distributed.Client(self.scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            self.__exit__(None, None, None)
            where = self.scheduler or "a LocalCluster"
            raise InputError([Problem("--scheduler" if self.scheduler else "--engine dask", "", f"cannot reach {where}: {exc}",
                                      "start the scheduler (dask scheduler) and workers, or drop --scheduler for a local cluster")]) from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    @property
    def workers_connected(self) -> int:
        return len(self._client.scheduler_info()["workers"]) if self._client is not None else 0

    def map_chunks(self, tasks: Iterable[ChunkTask], matcher: SpanMatcher) -> Iterator[ChunkResult]:
        """Submit chunks with at most ``window`` in flight; yield the results in task order."""
        if self._client is None:
            raise RuntimeError("use DaskEngine as a context manager")
        shared = self._client.scatter(matcher, broadcast=True)
        pending: deque = deque()
        for task in tasks:
            pending.append(self._client.submit(_summarize_chunk, task, shared, pure=False))
            if len(pending) >= self.window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
