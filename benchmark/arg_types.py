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


def unit_interval(value: str, requirement: str) -> float:
    """``value`` as a number from 0 to 1 inclusive; ``requirement`` says so in the error."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"{requirement}, got {value}")
    return number


def share(what: str, example: str) -> Callable[[str], float]:
    """A number from 0 to 1 inclusive (a share of documents such as 0.2; 0 allows none)."""

    def parse(value: str) -> float:
        return unit_interval(value, f"{what} in [0, 1] such as {example}")

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


def choice(name: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    """One of ``choices``, matched case-insensitively; a typo gets the nearest choice as a suggestion."""

    def parse(value: str) -> str:
        found = value.strip().lower()
        if found in choices:
            return found
        import difflib

        near = difflib.get_close_matches(found, choices, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise argparse.ArgumentTypeError(f"unknown {name} {value!r} (choose from {', '.join(choices)}){hint}")

    return parse


def choices_list(name: str, choices: tuple[str, ...]) -> Callable[[str], tuple[str, ...]]:
    """A comma-separated list of ``choices`` (each as :func:`choice`), duplicates removed, order kept."""
    one = choice(name, choices)

    def parse(value: str) -> tuple[str, ...]:
        items = [part for part in value.split(",") if part.strip()]
        if not items:
            raise argparse.ArgumentTypeError(f"no {name} given")
        return tuple(dict.fromkeys(one(part) for part in items))

    return parse
