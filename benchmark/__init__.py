"""evbench: an evaluation benchmark for event extraction on Arabic news.

`benchmark` holds everything with I/O (corpus loading, submissions, CLI, reports);
`scorers` holds the pure metric code.
"""

__version__ = "1.0.0"


def __getattr__(name: str):
    """`benchmark.load` imports `benchmark.hf` (and so `datasets`) only when first used."""
    if name == "load":
        from benchmark.hf import load

        return load
    raise AttributeError(f"module 'benchmark' has no attribute {name!r}")
