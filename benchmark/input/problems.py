"""Problems found in user input, and the one exception that carries them to the CLI.

Every bad input becomes a list of `Problem`s (file, place, what is wrong, how to fix it) so the
user sees all of them at once, one line each, and the CLI exits with status 2 — never a
traceback and never a silently wrong score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located precisely enough to fix it."""

    file: str
    where: str
    message: str
    fix: str
    severity: Severity = "error"

    def format(self) -> str:
        place = f"{self.file}:{self.where}" if self.where else self.file
        return f"{place}: {self.severity}: {self.message} (fix: {self.fix})"


class InputError(Exception):
    """Raised with every problem found; the CLI prints them and exits 2."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"] or list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
