"""argparse types shared by the commands: bounded numbers with one wording for their errors."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def fraction(what: str, example: str) -> Callable[[str], float]:
    """A number strictly between 0 and 1 (a level such as 0.95, an alpha such as 0.05)."""

    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not 0 < number < 1:
            raise argparse.ArgumentTypeError(f"{what} in (0, 1) such as {example}, got {value}")
        return number

    return parse


def integer(minimum: int, requirement: str) -> Callable[[str], int]:
    """An integer of at least ``minimum``; ``requirement`` says so in the error (``must be at least 1``)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{requirement}, got {value}")
        return number

    return parse
