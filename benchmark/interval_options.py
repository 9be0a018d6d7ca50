"""The command-line side of confidence intervals: --ci, --resamples, --seed, --unit and their settings.

Apart from `benchmark.intervals` (which needs numpy) so that building the parser, and every
run without --ci, does not import numpy: `evbench score` starts in about a quarter second.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from benchmark.arg_types import fraction, integer
from benchmark.input.problems import InputError, Problem
from scorers.units import UNITS, Unit


@dataclass(frozen=True)
class IntervalSettings:
    """What the intervals depend on besides the data; recorded in ``settings``."""

    level: float = 0.95
    resamples: int = 1000
    seed: int = 0
    unit: Unit = "sentence"

    def to_dict(self) -> dict:
        return {"ci": self.level, "resamples": self.resamples, "seed": self.seed, "unit": self.unit}


#: argparse type for --ci: a confidence level in (0, 1).
level = fraction("a confidence level", "0.95")


#: argparse type for --resamples / --trials: a positive integer.
count = integer(1, "must be at least 1")


def add_resampling_options(parser: argparse.ArgumentParser, *, default_resamples: int | None = 1000, default_unit: str | None = "sentence") -> None:
    """--resamples, --seed, --unit (shared by `score --ci` and `compare`)."""
    parser.add_argument("--resamples", type=count, default=default_resamples, metavar="N", help="bootstrap resamples (default 1000)")
    parser.add_argument("--seed", type=int, default=None if default_resamples is None else 0, metavar="S",
                        help="random seed; the same seed gives byte-identical output (default 0)")
    parser.add_argument("--unit", choices=UNITS, default=default_unit,
                        help="what is resampled: sentences of the scored text (default), whole documents, or events")


def add_interval_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("confidence intervals (opt-in)")
    g.add_argument("--ci", type=level, default=None, metavar="LEVEL",
                   help="add bootstrap percentile intervals at this level (e.g. 0.95) to every F1")
    add_resampling_options(g, default_resamples=None, default_unit=None)


def interval_settings(args: argparse.Namespace) -> IntervalSettings | None:
    """The --ci settings, or None without --ci (then --resamples / --seed / --unit are bad input)."""
    if args.ci is None:
        given = [f"--{name}" for name in ("resamples", "seed", "unit") if getattr(args, name) is not None]
        if given:
            raise InputError([Problem(given[0], "", f"{', '.join(given)}: used only with --ci (confidence intervals)", "add --ci 0.95 or drop the option")])
        return None
    return IntervalSettings(level=args.ci, resamples=args.resamples or 1000, seed=0 if args.seed is None else args.seed,
                            unit=args.unit or "sentence")
