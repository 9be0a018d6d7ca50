"""The `evbench` command line: one subcommand per module in `benchmark/commands/`.

Each command module has `add_parser(subparsers)` and `run(args) -> int`. Exit codes are the
same everywhere: 0 success, 1 a regression gate failed, 2 bad input (with one line per problem
on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from benchmark import __version__
from benchmark.input.problems import InputError

#: Command name -> its module in ``benchmark.commands``.
COMMANDS = {name.replace("_", "-"): name for name in (
    "validate", "stats", "export", "score", "run", "leaderboard", "agreement", "report", "compare", "convert", "judge_agreement",
    "import_lm_eval", "lm_eval_path")}

EXIT_OK, EXIT_REGRESSION, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; this only adds the fix hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (fix: see '{self.prog} --help')\n")


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", metavar="DIR", default=None, help="corpus directory laid out like gold/ (default: the bundled corpus)")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` just that command's parser (a command runs
    without importing the others: a faster start)."""
    parser = _Parser(prog="evbench", description="Evaluation benchmark for event extraction on Arabic news.")
    parser.add_argument("--version", action="version", version=f"evbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(f"benchmark.commands.{module}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("evbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
