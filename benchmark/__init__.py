"""evbench: an evaluation benchmark for event extraction on Arabic news.

`benchmark` holds everything with I/O (corpus loading, submissions, CLI, reports);
`scorers` holds the pure metric code.
"""

__version__ = "1.0.0"
