"""Reading input files safely: every way a file can be unreadable becomes a `Problem`.

Missing files, directories, empty files, wrong encodings (UTF-16, UTF-32, Latin-1), a byte-order
mark, files over the size limit, malformed JSON, duplicate keys and absurd nesting all end here
with a message that says where (`line L column C`, 1-based, columns in characters) and how to fix
it. JSONL is read line by line, so memory stays bounded by the longest line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from benchmark.input.problems import InputError, Problem

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
MAX_LINE_PROBLEMS = 20
"""A JSONL file reports at most this many unreadable lines (then one summary line)."""


def max_bytes_from_env() -> int:
    """The size limit: `EVBENCH_MAX_BYTES` if set (bytes), else 64 MiB."""
    value = os.environ.get("EVBENCH_MAX_BYTES", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_BYTES


def is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in {".jsonl", ".ndjson"}


def check_file(path: Path, max_bytes: int) -> None:
    """Stop early on a file that cannot be a submission at all (the size comes from stat, unread)."""
    name = str(path)
    try:
        if not path.exists():
            raise InputError([Problem(name, "", "file not found", "check the path")])
        if path.is_dir():
            raise InputError([Problem(name, "", "is a directory, not a file", "pass the submission file inside it")])
        size = path.stat().st_size
    except OSError as exc:
        raise InputError([Problem(name, "", f"cannot read the file: {exc.strerror or exc}", "check the path and its permissions")]) from None
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


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read the file: {exc.strerror or exc}", "check the path and its permissions")]) from None


def _check_head(head: bytes, name: str) -> None:
    """File-level encoding problems, told once from the first bytes (not once per line)."""
    where = "line 1 column 1"
    if head.startswith(b"\x1f\x8b"):
        raise InputError([Problem(name, where, "file is gzip-compressed", "decompress it (gunzip) and pass the JSON file")])
    if head.startswith(b"PK\x03\x04"):
        raise InputError([Problem(name, where, "file is a ZIP archive", "unpack it and pass the JSON file inside")])
    if head.startswith(UTF8_BOM):
        raise InputError([Problem(name, where, "file starts with a UTF-8 byte-order mark (BOM)", "save the file as UTF-8 without BOM")])
    if head[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        raise InputError([Problem(name, where, "file is UTF-32 encoded (it starts with a UTF-32 byte-order mark)", "save the file as UTF-8")])
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError([Problem(name, where, "file is UTF-16 encoded (it starts with a UTF-16 byte-order mark)", "save the file as UTF-8")])
    # JSON text starts with an ASCII character, so NUL bytes among the first four mean UTF-16/32.
    if len(head) >= 2 and b"\x00" in head[:4]:
        kind = "UTF-32" if head[:4].count(b"\x00") == 3 else "UTF-16"
        raise InputError([Problem(name, where, f"file looks {kind} encoded (NUL bytes, no byte-order mark)", "save the file as UTF-8")])


def _decode(raw: bytes, name: str, line: int = 1, offset: int = 0) -> str:
    """Decode UTF-8; an invalid byte is located by line and column.

    `raw` starts at line `line`, byte `offset` of the file (both matter for one JSONL line).
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        number = line + raw.count(b"\n", 0, exc.start)
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise InputError(
            [
                Problem(
                    name,
                    f"line {number} column {column}",
                    f"not valid UTF-8 (byte {raw[exc.start:exc.start + 1]!r} at byte offset {offset + exc.start})",
                    "save the file as UTF-8 (it may be Latin-1 or Windows-1256)",
                )
            ]
        ) from None


class _DuplicateKeys(dict):
    """A JSON object in which some key occurs more than once (json keeps only the last value)."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    duplicates = []
    for key, _ in pairs:
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.add(key)
    marked = _DuplicateKeys(result)
    marked.duplicates = tuple(duplicates)
    return marked


def _nodes(value: object) -> Iterator[tuple[str, object]]:
    """Every value of a JSON tree with its path (`$.documents[0].id`), iteratively (it may be deep)."""
    stack = [(value, "$")]
    while stack:
        node, path = stack.pop()
        yield path, node
        if isinstance(node, dict):
            stack.extend((v, f"{path}.{k}" if k.isidentifier() else f"{path}[{k!r}]") for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(node))))


def _duplicate_key_problems(value: object, name: str, where: str) -> list[Problem]:
    """Find the objects with duplicate keys."""
    problems = []
    for path, node in _nodes(value):
        if isinstance(node, _DuplicateKeys):
            for key in node.duplicates:
                place = f"{where} {path}" if where else path
                problems.append(Problem(name, place, f"key {key!r} occurs more than once in this object (JSON keeps only the last)", "give each key once; merge the values"))
    return problems


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_problems(value: object, name: str, where: str) -> list[Problem]:
    """Strings and keys holding a lone UTF-16 surrogate (a `\\ud800` escape without its pair).

    JSON allows the escape, but no UTF-8 text can hold the character: it would fail later,
    when the result or a report is written, so it is refused here.
    """
    problems = []
    for path, node in _nodes(value):
        found = [(f"key {k!r}", k) for k in node if _SURROGATE.search(k)] if isinstance(node, dict) else []
        if isinstance(node, str) and _SURROGATE.search(node):
            found.append(("string", node))
        for what, text in found:
            code = ord(_SURROGATE.search(text).group())  # type: ignore[union-attr]
            place = f"{where} {path}" if where else path
            problems.append(Problem(name, place, f"{what} holds a lone surrogate U+{code:04X} (a \\u{code:04x} escape without its pair), which UTF-8 cannot encode",
                                    "remove it; write other characters as UTF-8 or as a surrogate pair such as \\ud83d\\ude00"))
    return problems


MAX_DEPTH = 100
_HUGE_NUMBER = re.compile(r"-?\d{4000,}")
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep_at(text: str) -> int | None:
    """Index of the first bracket that opens level MAX_DEPTH + 1 (strings skipped), if any."""
    depth = 0
    for token in _STRUCTURE.finditer(text):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return token.start()
        elif char in "]}":
            depth -= 1
    return None


def _place(text: str, index: int | None, line: int | None) -> str:
    """`line L column C` (1-based, columns in characters) of a character index into `text`."""
    if index is None:
        return ""
    number = text.count("\n", 0, index) + (line or 1)
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {number} column {column}"


def _parse(text: str, name: str, line: int | None = None) -> object:
    """Parse one JSON text; `line` is set for a JSONL line (locations then name that line)."""
    prefix = f"line {line}" if line is not None else ""
    seen_duplicate = False

    def pairs_hook(pairs):
        nonlocal seen_duplicate
        result = _object_pairs(pairs)
        seen_duplicate = seen_duplicate or isinstance(result, _DuplicateKeys)
        return result

    try:
        value = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        number = exc.lineno if line is None else line + exc.lineno - 1
        raise InputError([Problem(name, f"line {number} column {exc.colno}", f"malformed JSON: {exc.msg}", "repair the JSON syntax at that place")]) from None
    except RecursionError:
        where = _place(text, _too_deep_at(text), line) or prefix
        raise InputError([Problem(name, where, f"JSON nested too deeply (more than {MAX_DEPTH} levels here)", "flatten the structure; a submission needs at most 6 levels")]) from None
    except ValueError as exc:  # an integer with more than 4300 digits is the one case json raises
        found = _HUGE_NUMBER.search(text)
        where = _place(text, found.start() if found else None, line) or prefix
        what = f"a number with {len(found.group().lstrip('-'))} digits" if found else str(exc)
        raise InputError([Problem(name, where, f"unreadable JSON value: {what}", "use ordinary numbers (offsets are small integers)")]) from None
    problems = _duplicate_key_problems(value, name, prefix) if seen_duplicate else []
    if _SURROGATE_ESCAPE.search(text):
        problems += _surrogate_problems(value, name, prefix)
    if problems:
        raise InputError(problems)
    return value


def read_checked_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file that passed the file-level checks (exists, size, no BOM, not UTF-16, ...)."""
    check_file(path, max_bytes)
    raw = _read_bytes(path)
    _check_head(raw[:4], str(path))
    return raw


def check_file_head(path: Path, max_bytes: int) -> None:
    """The file-level checks of :func:`read_checked_bytes` (exists, size, encoding marks), reading only 4 bytes."""
    check_file(path, max_bytes)
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read the file: {exc.strerror or exc}", "check the path and its permissions")]) from None
    _check_head(head, str(path))


def parse_json_bytes(raw: bytes, name: str) -> object:
    """Parse the bytes of one JSON file (after :func:`read_checked_bytes`), or raise InputError."""
    text = _decode(raw, name)
    if not text.strip():
        raise InputError([Problem(name, "", "file holds only whitespace", 'write a JSON object such as {"documents": []}')])
    return _parse(text, name)


def read_json(path: Path, max_bytes: int) -> object:
    """Read one JSON document, or raise InputError naming the file and the place."""
    return parse_json_bytes(read_checked_bytes(path, max_bytes), str(path))


def iter_jsonl(path: Path, max_bytes: int, fast: Callable[[bytes], object | None] | None = None) -> Iterator[tuple[int, object]]:
    """Yield (line number, parsed object) for each non-blank line, reading one line at a time.

    Unreadable lines are collected and raised together (as one InputError) after the last line.
    ``fast(line)`` may decode a line first (returning None when it cannot); the line is then
    parsed as usual, so every problem is still found and located here.
    """
    check_file(path, max_bytes)
    name = str(path)
    problems: list[Problem] = []
    unreadable = 0
    seen_any = False
    offset = 0
    try:
        with path.open("rb") as handle:
            _check_head(handle.read(4), name)
            handle.seek(0)
            for number, raw in enumerate(handle, start=1):
                line_offset, offset = offset, offset + len(raw)
                line = raw.rstrip(b"\n").rstrip(b"\r")  # the newline is not part of the JSON text
                if not line.strip():
                    continue
                seen_any = True
                decoded = fast(line) if fast is not None else None
                if decoded is not None:
                    yield number, decoded
                    continue
                try:
                    obj = _parse(_decode(line, name, number, line_offset), name, number)
                except InputError as exc:
                    unreadable += 1
                    if unreadable <= MAX_LINE_PROBLEMS:
                        problems.extend(exc.problems)
                    continue
                yield number, obj
    except OSError as exc:
        raise InputError([Problem(name, "", f"cannot read the file: {exc.strerror or exc}", "check the path and its permissions")]) from None
    if unreadable > MAX_LINE_PROBLEMS:
        problems.append(
            Problem(name, "", f"{unreadable - MAX_LINE_PROBLEMS} more unreadable lines not shown ({unreadable} in all)", "JSONL needs one whole JSON object per line; is this pretty-printed JSON? then name it .json")
        )
    if not seen_any and not problems:
        problems.append(Problem(name, "", "file holds only blank lines", "write one JSON document object per line"))
    if problems:
        raise InputError(problems)
