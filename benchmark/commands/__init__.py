"""One module per `evbench` subcommand; see `benchmark.cli`."""
