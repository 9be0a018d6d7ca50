"""What a bootstrap resamples (kept apart from `scorers.bootstrap`, which needs numpy, for option parsing)."""

from __future__ import annotations

from typing import Literal

Unit = Literal["sentence", "doc", "event"]
UNITS: tuple[Unit, ...] = ("sentence", "doc", "event")
