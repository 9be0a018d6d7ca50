"""Reading input files safely: every way a file can be unreadable becomes a `Problem`.

Missing files, directories, empty files, wrong encodings (UTF-16, Latin-1), a byte-order mark,
files over the size limit and malformed JSON all end here with a message that says where and
how to fix it. JSONL is read line by line, so memory stays bounded by the longest line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from benchmark.problems import InputError, Problem

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"


def max_bytes_from_env() -> int:
    """The size limit: `EVBENCH_MAX_BYTES` if set (bytes), else 64 MiB."""
    value = os.environ.get("EVBENCH_MAX_BYTES", "")
    return int(value) if value.isdigit() else DEFAULT_MAX_BYTES


def is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in {".jsonl", ".ndjson"}


def check_file(path: Path, max_bytes: int) -> None:
    """Stop early on a file that cannot be a submission at all."""
    name = str(path)
    if not path.exists():
        raise InputError([Problem(name, "", "file not found", "check the path")])
    if path.is_dir():
        raise InputError([Problem(name, "", "is a directory, not a file", "pass the submission file inside it")])
    size = path.stat().st_size
    if size == 0:
        raise InputError([Problem(name, "", "file is empty", 'write a JSON object such as {"documents": []}')])
    if size > max_bytes:
        raise InputError(
            [
                Problem(
                    name,
                    "",
                    f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes",
                    "split the submission, or raise the limit with --max-bytes or EVBENCH_MAX_BYTES",
                )
            ]
        )


def _decode(raw: bytes, name: str, where: str) -> str:
    if raw.startswith(UTF8_BOM):
        raise InputError([Problem(name, where, "file starts with a UTF-8 byte-order mark (BOM)", "save the file as UTF-8 without BOM")])
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError([Problem(name, where, "file is UTF-16 encoded", "save the file as UTF-8")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem(name, where, f"not valid UTF-8 (byte {exc.start}: {raw[exc.start:exc.start + 1]!r})", "save the file as UTF-8 (it may be Latin-1 or Windows-1256)")]
        ) from None


def _parse(text: str, name: str, where_prefix: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{where_prefix}line {exc.lineno} column {exc.colno}" if not where_prefix else f"{where_prefix} column {exc.colno}"
        raise InputError([Problem(name, where, f"malformed JSON: {exc.msg}", "repair the JSON syntax at that place")]) from None
    except RecursionError:
        raise InputError([Problem(name, where_prefix, "JSON nested too deeply", "flatten the structure; a submission needs at most 6 levels")]) from None


def read_json(path: Path, max_bytes: int) -> object:
    """Read one JSON document, or raise InputError naming the file and the place."""
    check_file(path, max_bytes)
    text = _decode(path.read_bytes(), str(path), "")
    if not text.strip():
        raise InputError([Problem(str(path), "", "file holds only whitespace", 'write a JSON object such as {"documents": []}')])
    return _parse(text, str(path), "")


def iter_jsonl(path: Path, max_bytes: int) -> Iterator[tuple[int, object]]:
    """Yield (line number, parsed object) for each non-blank line, reading one line at a time."""
    check_file(path, max_bytes)
    problems: list[Problem] = []
    seen_any = False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            seen_any = True
            try:
                text = _decode(raw if number > 1 else raw, str(path), f"line {number}")
                yield number, _parse(text, str(path), f"line {number}")
            except InputError as exc:
                problems.extend(exc.problems)
    if not seen_any:
        problems.append(Problem(str(path), "", "file holds only blank lines", "write one JSON document object per line"))
    if problems:
        raise InputError(problems)
