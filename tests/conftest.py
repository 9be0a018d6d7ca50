"""Shared test helpers: tiny synthetic corpora on disk and terse builders for scorer records.

Tests build their own corpus (`make_corpus`) from the bundled ontology and schemas, so they do
not depend on the real gold, which annotators are still writing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from collections import defaultdict
from pathlib import Path

from hypothesis import settings

from benchmark.cli import main
from benchmark.input.corpus import default_gold_dir
from scorers.model import Annotation, Argument, DocumentAnnotation, Entity, EventMention, Span

# Property tests check invariants, never speed (timings live in tests/perf/bench.py): no per-example
# deadline, which a loaded machine would break, and no example database, so every run draws afresh.
settings.register_profile("evbench", deadline=None, database=None)
settings.load_profile("evbench")

BUNDLED = default_gold_dir()
DOC = "d1"


def make_corpus(tmp_path: Path, docs: dict[str, str], *, chrome: dict[str, tuple[int, int]] | None = None) -> Path:
    """Write a valid corpus directory (manifest, ontology, schema, documents) and return it.

    Each document is one `article` segment, except that `chrome[doc_id] = (start, end)` marks
    that stretch as a `chrome` segment (never scored).
    """
    root = tmp_path / "corpus"
    (root / "documents").mkdir(parents=True)
    (root / "annotations").mkdir()
    shutil.copy(BUNDLED / "ontology.json", root / "ontology.json")
    shutil.copytree(BUNDLED / "schema", root / "schema")
    entries = []
    for doc_id, text in docs.items():
        raw = text.encode("utf-8")
        (root / "documents" / f"{doc_id}.txt").write_bytes(raw)
        cut = (chrome or {}).get(doc_id)
        if cut is None:
            segments = [{"kind": "article", "start": 0, "end": len(text)}]
        else:
            bounds = [("article", 0, cut[0]), ("chrome", cut[0], cut[1]), ("article", cut[1], len(text))]
            segments = [{"kind": k, "start": s, "end": e} for k, s, e in bounds if e > s]
        entries.append({"doc_id": doc_id, "headline": None, "outlets": [], "language": "ar", "published": None,
                        "sha256": hashlib.sha256(raw).hexdigest(), "length": len(text), "segments": segments})
    manifest = {"name": "synthetic", "version": "test", "offsets": "Python str indices, half-open", "documents": entries}
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return root


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def span_json(text: str, word: str, occurrence: int = 0) -> dict:
    """{"start", "end", "text"} of the n-th occurrence of `word` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    return {"start": start, "end": start + len(word), "text": word}


# --- builders for scorer unit tests (offsets need not come from a real text) ------------------


def sp(start: int | None, end: int | None, text: str = "x") -> Span:
    return Span(start, end, text)


def arg(role: str, start: int | None, end: int | None, text: str = "a", entity: str | None = None) -> Argument:
    return Argument(role, Span(start, end, text), entity)


def ev(id: str, type: str, start: int | None, end: int | None, text: str = "t", *, realis: str | None = "actual",
       args: tuple[Argument, ...] = (), doc_id: str = DOC) -> EventMention:
    return EventMention(doc_id=doc_id, id=id, type=type, trigger=Span(start, end, text), realis=realis, arguments=tuple(args))


def ann(*events: EventMention, entities: dict[str, tuple[Entity, ...]] | None = None, docs: tuple[str, ...] = (DOC,)) -> Annotation:
    """An annotation of the given events; every doc in `docs` is present even when it has no events."""
    grouped: dict[str, list[EventMention]] = defaultdict(list)
    for e in events:
        grouped[e.doc_id].append(e)
    doc_ids = sorted(set(docs) | set(grouped))
    return Annotation({d: DocumentAnnotation(d, tuple(grouped[d]), (entities or {}).get(d, ())) for d in doc_ids})


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout, stderr of `evbench ARGS` (argparse usage errors exit through SystemExit)."""
    try:
        code = main([*map(str, args)])
    except SystemExit as exc:
        code = exc.code  # type: ignore[assignment]
    out = capsys.readouterr()
    return code, out.out, out.err


TESTDATA = Path(__file__).parent / "testdata"
#: The command that rewrites the stored baseline files; named in every regression failure.
REGENERATE = "python tests/testdata/regenerate.py"


def load_regenerate_module():
    """`tests/testdata/regenerate.py` as a module: the regression tests compare with what it writes, by its own functions."""
    spec = importlib.util.spec_from_file_location("evbench_regenerate", TESTDATA / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def comparable_result(result: dict) -> dict:
    """Everything in a result that depends on the numbers, settings and data; not the package version."""
    return {k: v for k, v in result.items() if k != "evbench_version"}
