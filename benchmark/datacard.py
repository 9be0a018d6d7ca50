"""Keeping the data card's numbers equal to the commands that produce them.

`gold/README.md` holds command output between marker comments (`evbench stats` and
`evbench agreement` blocks); `--update-card` rewrites a block, and a test checks each is current.
"""

from __future__ import annotations

import re
from pathlib import Path

STATS_MARKERS = ("<!-- stats:start -->", "<!-- stats:end -->")


def _block(markers: tuple[str, str]) -> re.Pattern:
    start, end = markers
    return re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)


def card_block(card: str, markers: tuple[str, str] = STATS_MARKERS) -> str | None:
    match = _block(markers).search(card)
    return match.group(0)[len(markers[0]) : -len(markers[1])].strip() if match else None


def update_card(path: Path, tables: str, markers: tuple[str, str] = STATS_MARKERS) -> bool:
    """Replace the block between `markers`; return True when the file changed."""
    card = path.read_text(encoding="utf-8")
    new = _block(markers).sub(lambda _: f"{markers[0]}\n{tables.strip()}\n{markers[1]}", card)
    if new != card:
        path.write_text(new, encoding="utf-8")
    return new != card
