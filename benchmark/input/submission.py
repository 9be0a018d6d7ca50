"""Loading submissions (JSON or JSONL) and the gold, and writing annotations back out.

A submission is `{"system": ..., "documents": [...]}` as JSON, or one document object per line
as JSONL (chosen by the file extension). The gold is one file per document under
`<corpus>/annotations/`, in the same event format plus gold-only fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from benchmark.input import structs
from benchmark.input.corpus import Corpus
from benchmark.input.problems import InputError, Problem
from benchmark.input.reading import is_jsonl, iter_jsonl, max_bytes_from_env, parse_json_bytes, read_checked_bytes
from benchmark.input.validation import build_annotation, schema_problems
from scorers.model import Annotation, Argument, DocumentAnnotation, EventMention, Span

_JSON_KINDS = {list: "a JSON array", str: "a JSON string", int: "a JSON number", float: "a JSON number", bool: "a JSON boolean", type(None): "JSON null"}


def _json_documents(raw: object, file: str, corpus: Corpus) -> tuple[list[tuple[str, object]], str | None, list[Problem]]:
    """Split a JSON submission into its document objects, checking the top level first."""
    if not isinstance(raw, dict):
        kind = _JSON_KINDS.get(type(raw), type(raw).__name__)
        return [], None, [Problem(file, "$", f"top level is {kind}, not an object", 'wrap it as {"system": "...", "documents": [...]}')]
    top = {k: v for k, v in raw.items() if k != "documents"}
    top["documents"] = []
    problems = schema_problems(top, file, "", corpus.schema_dir / "submission.schema.json")
    if "documents" not in raw:
        problems = [p for p in problems if "documents" not in p.message] + [
            Problem(file, "$", "missing the 'documents' field", 'add "documents": [ {"doc_id": ..., "events": [...]} ]')
        ]
        return [], None, problems
    if not isinstance(raw["documents"], list):
        return [], None, problems + [Problem(file, "$.documents", "'documents' is not an array", "make it an array of document objects")]
    docs = [(f"$.documents[{i}]", d) for i, d in enumerate(raw["documents"])]
    system = raw.get("system") if isinstance(raw.get("system"), str) else None
    return docs, system, problems


def _fast_document(line: bytes) -> structs.Document | None:
    try:
        return structs.decode(line, structs.Document)
    except structs.Rejected:
        return None


def _jsonl_documents(path: Path, max_bytes: int, sink: list[Problem]) -> Iterator[tuple[str, object]]:
    try:
        for number, obj in iter_jsonl(path, max_bytes, fast=_fast_document):
            yield f"line {number}", obj
    except InputError as exc:
        sink.extend(exc.problems)


def _drain(items: list) -> Iterator[tuple[int, object]]:
    """(index, item) of a list, dropping each item from the list once it is handed out (memory)."""
    for i in range(len(items)):
        item, items[i] = items[i], None
        yield i, item


def _read_json_submission(path: Path, max_bytes: int, corpus: Corpus) -> tuple[Iterable[tuple[str, object]], str | None, list[Problem]]:
    """A JSON submission's documents: decoded and checked in one pass when the fast path can."""
    file = str(path)
    raw = read_checked_bytes(path, max_bytes)
    try:
        submission = structs.decode(raw, structs.Submission)
    except structs.Rejected:
        return _json_documents(parse_json_bytes(raw, file), file, corpus)
    del raw
    docs = ((f"$.documents[{i}]", d) for i, d in _drain(submission.documents))
    return docs, structs.present(submission.system), []


def _line_number(problem: Problem) -> int:
    """JSONL locations start with `line N`; file-level problems (no line) sort first."""
    parts = problem.where.split()
    return int(parts[1]) if len(parts) > 1 and parts[0] == "line" and parts[1].isdigit() else 0


_SIZE_LIMIT: ContextVar[int | None] = ContextVar("evbench_submission_max_bytes", default=None)


@contextmanager
def submission_size_limit(max_bytes: int | None) -> Iterator[None]:
    """Within the block, submission files (predictions and `--reference` files) default to this limit.

    For commands that load submissions several calls deep (`evbench score --max-bytes N`);
    None changes nothing. The gold files keep `EVBENCH_MAX_BYTES` / 64 MiB, as in `validate`.
    """
    token = _SIZE_LIMIT.set(max_bytes)
    try:
        yield
    finally:
        _SIZE_LIMIT.reset(token)


def submission_max_bytes() -> int:
    """The size limit of submission files here: one set by :func:`submission_size_limit`, else `EVBENCH_MAX_BYTES` or 64 MiB."""
    return _SIZE_LIMIT.get() or max_bytes_from_env()


def check_submission(path: Path | str, corpus: Corpus, *, max_bytes: int | None = None) -> tuple[Annotation | None, list[Problem]]:
    """Validate a submission file; return its annotation (None if invalid) and every problem.

    The size limit is `max_bytes`, else one set by `submission_size_limit`, else `EVBENCH_MAX_BYTES`
    or 64 MiB.
    """
    path = Path(path)
    max_bytes = max_bytes or submission_max_bytes()
    file = str(path)
    try:
        if is_jsonl(path):
            read_problems: list[Problem] = []
            docs = _jsonl_documents(path, max_bytes, read_problems)
            annotation, problems = build_annotation(docs, corpus, file)
            system = None
            problems = sorted(read_problems + problems, key=_line_number)  # in file order
        else:
            docs, system, top_problems = _read_json_submission(path, max_bytes, corpus)
            annotation, problems = build_annotation(docs, corpus, file, system=system)
            problems = top_problems + problems
    except InputError as exc:
        return None, exc.problems
    if any(p.severity == "error" for p in problems):
        return None, problems
    if annotation is not None and system is not None:
        annotation = Annotation(documents=annotation.documents, system=system)
    if annotation is not None:
        from benchmark.input.locating import locate, unlocated

        annotation = locate(annotation, corpus)
        problems = problems + unlocated(annotation, corpus, file)
    return annotation, problems


def load_submission(path: Path | str, corpus: Corpus, *, max_bytes: int | None = None) -> Annotation:
    """Load a valid submission or raise InputError with every problem."""
    annotation, problems = check_submission(path, corpus, max_bytes=max_bytes)
    if annotation is None:
        raise InputError(problems)
    return annotation


def check_gold_file(path: Path, corpus: Corpus) -> tuple[DocumentAnnotation | None, list[Problem]]:
    """One gold file under `<corpus>/annotations/`, checked with the gold-only rules too."""
    try:
        raw = _read_gold_file(path)
    except InputError as exc:
        return None, exc.problems
    doc_id = raw.doc_id if isinstance(raw, structs.GoldDocument) else raw.get("doc_id") if isinstance(raw, dict) else None
    if isinstance(raw, (structs.GoldDocument, dict)) and doc_id != path.stem:
        return None, [Problem(str(path), "$.doc_id", f"doc_id {doc_id!r} does not match the file name", f"name the file {doc_id}.json or fix doc_id")]
    annotation, problems = build_annotation([("", raw)], corpus, str(path), gold=True)
    return (annotation.documents.get(path.stem) if annotation is not None else None), problems


def gold_files(corpus: Corpus) -> list[Path]:
    """The gold annotation files, in doc_id order."""
    return sorted(corpus.annotations_dir.glob("*.json")) if corpus.annotations_dir.is_dir() else []


def check_gold(corpus: Corpus) -> tuple[Annotation | None, list[Problem]]:
    """Validate every gold file under `<corpus>/annotations/` with the gold-only rules too."""
    problems: list[Problem] = []
    documents = {}
    for path in gold_files(corpus):
        doc, found = check_gold_file(path, corpus)
        problems.extend(found)
        if doc is not None:
            documents[doc.doc_id] = doc
    if any(p.severity == "error" for p in problems):
        return None, problems
    return Annotation(documents=documents, system="gold"), problems


def _read_gold_file(path: Path) -> object:
    """One gold file: a checked `structs.GoldDocument` (fast path) or the parsed JSON for the schema."""
    raw = read_checked_bytes(path, max_bytes_from_env())
    try:
        return structs.decode(raw, structs.GoldDocument)
    except structs.Rejected:
        return parse_json_bytes(raw, str(path))


def load_gold(corpus: Corpus) -> Annotation:
    annotation, problems = check_gold(corpus)
    if annotation is None:
        raise InputError(problems)
    return annotation


def load_reference(path: Path | str | None, corpus: Corpus) -> Annotation:
    """The reference to score against: the corpus gold, or any submission-format file."""
    return load_gold(corpus) if path is None else load_submission(path, corpus)


def span_to_json(span: Span) -> dict:
    out: dict = {}
    if span.has_offsets:
        out["start"], out["end"] = span.start, span.end
    out["text"] = span.text
    return out


def event_to_json(event: EventMention, *, with_entities: bool = True) -> dict:
    out: dict = {"id": event.id, "type": event.type}
    if event.realis is not None:
        out["realis"] = event.realis
    out["trigger"] = span_to_json(event.trigger)
    out["arguments"] = [_argument_to_json(a, with_entities) for a in event.arguments]
    if event.cluster is not None:
        out["cluster"] = event.cluster
    return out


def _argument_to_json(arg: Argument, with_entities: bool) -> dict:
    out = {"role": arg.role, **span_to_json(arg.span)}
    if with_entities and arg.entity is not None:
        out["entity"] = arg.entity
    return out


def annotation_to_submission(annotation: Annotation, *, system: str | None = None, with_entities: bool = True) -> dict:
    """An annotation as a submission-format object (the gold export scores 1.0 against the gold)."""
    documents = []
    for doc_id in sorted(annotation.documents):
        doc = annotation.documents[doc_id]
        entry: dict = {"doc_id": doc_id, "events": [event_to_json(e, with_entities=with_entities) for e in doc.events]}
        if with_entities and doc.entities:
            entry["entities"] = [
                {"id": e.id, "type": e.type, "mentions": [span_to_json(m) for m in e.mentions]} for e in doc.entities
            ]
        documents.append(entry)
    return {"system": system or annotation.system or "unnamed", "documents": documents}


def write_submission(annotation: Annotation, path: Path, *, system: str | None = None) -> None:
    data = annotation_to_submission(annotation, system=system)
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data["documents"])
    else:
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    path.write_text(text, encoding="utf-8")
