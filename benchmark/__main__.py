"""`python -m benchmark` is the same as `evbench`."""

from benchmark.cli import entry_point

entry_point()
