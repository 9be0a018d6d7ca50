"""One input file's documents, checked one at a time (JSONL line by line, JSON incrementally).

A stream is optimistic: it accepts what the whole-file path (``benchmark.input.submission``) would
accept, document for document, and gives up (:class:`GiveUp`) at the first thing it cannot
vouch for: a problem of any severity that is an error, a top level it does not know, a lone
surrogate escape (which the incremental parser would turn into ``?``), a parser error. The
caller then reads the file the whole-file way, which reports every problem exactly as
`evbench validate` does. So messages and locations never depend on this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmark.input import structs
from benchmark.input.corpus import Corpus
from benchmark.input.locating import locate_document
from benchmark.input.problems import InputError
from benchmark.input.reading import check_file_head, is_jsonl, iter_jsonl
from benchmark.input.submission import check_gold_file, gold_files
from benchmark.input.validation import build_annotation
from scorers.model import DocumentAnnotation


class GiveUp(Exception):
    """The stream cannot vouch for this input: read the file whole for the exact problems."""


@dataclass
class DocumentStream:
    """A file's checked documents in file order, and the ``system`` name it gives (if any)."""

    label: str
    documents: Iterator[DocumentAnnotation]
    system: str | None = None


#: What the incremental parser mishandles: a surrogate escape (decoded as "?") and a huge
#: number (a crash of its C backend); either sends the file to the whole-file path.
_UNSAFE = re.compile(rb"\\u[dD][89a-fA-F]|[0-9]{1000}")
_CHUNK = 1 << 24


def _unsafe_for_parser(path: Path) -> bool:
    """Whether the file has a ``\\uD8xx``-``\\uDFxx`` escape or a 1000-digit run (read in chunks, which may split one)."""
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if _UNSAFE.search(tail + chunk):
                return True
            tail = chunk[-1000:]
    return False


class _Keys(dict):
    """A JSON object built by the incremental parser that notices a key given twice."""

    duplicate = False

    def __setitem__(self, key, value) -> None:
        if key in self:
            _Keys.duplicate = True
        super().__setitem__(key, value)


def _top_level(path: Path) -> str | None:
    """Check the top level (an object with a ``documents`` array and at most a ``system`` string); its ``system``."""
    import ijson

    system: str | None = None
    seen: set[str] = set()
    key = None
    with path.open("rb") as handle:
        events = ijson.parse(handle)
        prefix, event, _ = next(events)
        if event != "start_map":
            raise GiveUp("the top level is not an object")
        for prefix, event, value in events:
            if prefix != "" and not (prefix in ("documents", "system") and key == prefix):
                continue
            if prefix == "" and event == "map_key":
                if value in seen or value not in ("documents", "system"):
                    raise GiveUp(f"top-level key {value!r}")
                seen.add(value)
                key = value
            elif prefix == "documents" and key == "documents":
                if event != "start_array":
                    raise GiveUp("'documents' is not an array")
                key = None
            elif prefix == "system" and key == "system":
                if event != "string":
                    raise GiveUp("'system' is not a string")
                system, key = value, None
    if "documents" not in seen:
        raise GiveUp("no 'documents'")
    return system


def _json_documents(path: Path) -> Iterator[tuple[str, object]]:
    import ijson

    _Keys.duplicate = False
    try:
        with path.open("rb") as handle:
            for i, raw in enumerate(ijson.items(handle, "documents.item", map_type=_Keys, use_float=True)):
                if _Keys.duplicate:
                    raise GiveUp("a key occurs twice")
                yield f"$.documents[{i}]", raw
    except ijson.JSONError as exc:
        raise GiveUp(str(exc)) from None


def _jsonl_documents(path: Path, max_bytes: int) -> Iterator[tuple[str, object]]:
    def fast(line: bytes) -> structs.Document | None:
        try:
            return structs.decode(line, structs.Document)
        except structs.Rejected:
            return None

    try:
        for number, raw in iter_jsonl(path, max_bytes, fast=fast):
            yield f"line {number}", raw
    except InputError:
        raise GiveUp("an unreadable line") from None


def _checked(raws: Iterator[tuple[str, object]], corpus: Corpus, label: str) -> Iterator[DocumentAnnotation]:
    """Each raw document as the whole-file path would build it, or GiveUp."""
    seen: set[str] = set()
    for prefix, raw in raws:
        if not isinstance(raw, structs.Document):
            try:
                raw = structs.convert(raw, structs.Document)
            except Exception:  # msgspec's ValidationError and the span rules' ValueError alike
                raise GiveUp(f"{prefix} needs the schema's messages") from None
        if raw.doc_id in seen:
            raise GiveUp(f"duplicate document {raw.doc_id!r}")
        seen.add(raw.doc_id)
        annotation, problems = build_annotation([(prefix, raw)], corpus, label)
        if annotation is None or not annotation.documents:
            raise GiveUp(f"{prefix} has problems")
        doc = annotation.documents[raw.doc_id]
        yield locate_document(doc, corpus) if raw.doc_id in corpus.documents else doc


def submission_stream(path: Path, corpus: Corpus, max_bytes: int) -> DocumentStream:
    """A submission file (JSON or JSONL) as a stream; GiveUp on anything the whole-file path must report."""
    label = str(path)
    try:
        if is_jsonl(path):
            return DocumentStream(label, _checked(_jsonl_documents(path, max_bytes), corpus, label))
        check_file_head(path, max_bytes)
        if _unsafe_for_parser(path):
            raise GiveUp("a surrogate escape or a huge number")
        system = _top_level(path)
    except InputError:
        raise GiveUp("the file is unreadable") from None
    except Exception as exc:  # the incremental parser's errors on malformed JSON
        if isinstance(exc, GiveUp):
            raise
        raise GiveUp(str(exc)) from None
    return DocumentStream(label, _checked(_json_documents(path), corpus, label), system)


def gold_stream(corpus: Corpus) -> DocumentStream:
    """The corpus gold, one file at a time in doc_id order."""

    def documents() -> Iterator[DocumentAnnotation]:
        for path in gold_files(corpus):
            doc, problems = check_gold_file(path, corpus)
            if doc is None or any(p.severity == "error" for p in problems):
                raise GiveUp(f"{path} has problems")
            yield locate_document(doc, corpus)

    return DocumentStream(str(corpus.annotations_dir), documents(), "gold")
