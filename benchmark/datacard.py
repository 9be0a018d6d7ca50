"""Keeping the data card's numbers equal to the command that produces them.

`gold/README.md` holds the output of `evbench stats --format github` between two markers;
`evbench stats --update-card` rewrites that block, and a test checks it is current.
"""

from __future__ import annotations

import re
from pathlib import Path

START, END = "<!-- stats:start -->", "<!-- stats:end -->"
BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)


def card_block(card: str) -> str | None:
    match = BLOCK.search(card)
    return match.group(0)[len(START) : -len(END)].strip() if match else None


def update_card(path: Path, tables: str) -> bool:
    """Replace the stats block; return True when the file changed."""
    card = path.read_text(encoding="utf-8")
    new = BLOCK.sub(lambda _: f"{START}\n{tables.strip()}\n{END}", card)
    if new != card:
        path.write_text(new, encoding="utf-8")
    return new != card
