"""Loading a corpus laid out like `gold/`: documents, manifest, ontology, annotations.

The default corpus is the bundled one (the `gold` data package); any directory laid out the
same way works, so users can score on their own data and tests can build synthetic corpora.
Every document is checked against the sha256 in the manifest: a changed byte stops the run.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from benchmark.input.problems import InputError, Problem

SAFE_DOC_ID = re.compile(r"(?!\.)[A-Za-z0-9_.-]{1,200}")
SCORED_KINDS = frozenset({"article", "related-article"})


@dataclass(frozen=True)
class Segment:
    """A stretch of a document: `article`, `related-article` (scored) or `chrome` (never scored)."""

    kind: str
    start: int
    end: int
    outlet: str | None = None

    @property
    def scored(self) -> bool:
        return self.kind in SCORED_KINDS


@dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    headline: str | None
    outlets: tuple[str, ...]
    published: str | None
    segments: tuple[Segment, ...]

    def segment_at(self, offset: int) -> Segment | None:
        for seg in self.segments:
            if seg.start <= offset < seg.end:
                return seg
        return None

    def in_chrome(self, start: int, end: int) -> bool:
        """A span is in chrome when it lies (wholly or by its start) in an unscored segment."""
        seg = self.segment_at(start)
        return seg is not None and not seg.scored

    @cached_property
    def chrome_ranges(self) -> tuple[tuple[int, int], ...]:
        return tuple((s.start, s.end) for s in self.segments if not s.scored)


@dataclass(frozen=True)
class EventType:
    name: str
    definition: str
    roles: tuple[str, ...]
    verbal_triggers: tuple[str, ...]
    nominal_triggers: tuple[str, ...]
    ace2005: tuple[str, ...]


@dataclass(frozen=True)
class Ontology:
    types: dict[str, EventType]
    realis: tuple[str, ...]
    entity_types: tuple[str, ...]

    def roles_for(self, type_name: str) -> tuple[str, ...]:
        return self.types[type_name].roles

    @cached_property
    def all_roles(self) -> frozenset[str]:
        return frozenset(r for t in self.types.values() for r in t.roles)


@dataclass(frozen=True)
class Corpus:
    root: Path
    #: A dict, or :class:`LazyDocuments` (``load_corpus(lazy=True)``).
    documents: Mapping[str, Document]
    ontology: Ontology
    #: The manifest's ``name`` and ``version`` (the bundled corpus: ``evbench``, ``1.0``).
    name: str | None = None
    version: str | None = None

    @property
    def gold_release(self) -> str:
        """The gold annotations by release, with no path: ``evbench-gold 1.1`` (names results that are shared)."""
        label = f"{self.name or self.root.name}-gold"
        return f"{label} {self.version}" if self.version else label

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    def checksum(self) -> str:
        """One sha256 over the manifest's document hashes: names the corpus a result was made on."""
        joined = "".join(f"{d}:{sha256_file(self.root / 'documents' / f'{d}.txt')}\n" for d in sorted(self.documents))
        return hashlib.sha256(joined.encode()).hexdigest()


def default_gold_dir() -> Path:
    """The bundled corpus, found through the `gold` package so any working directory works."""
    return Path(str(resources.files("gold")))


def sha256_file(path: Path) -> str:
    """The file's sha256, read in 1 MiB blocks (a submission may be gigabytes: never held whole)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


_LAYOUT_FIX = "point --gold at a directory laid out like gold/ (manifest.json, ontology.json, documents/)"


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([Problem(str(path), "", "file not found", _LAYOUT_FIX)]) from None
    except json.JSONDecodeError as exc:
        raise InputError([Problem(str(path), f"line {exc.lineno} column {exc.colno}", f"malformed JSON: {exc.msg}", "repair the file")]) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError([Problem(str(path), "", f"not valid UTF-8 JSON: {exc}", "repair the file")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read the file: {exc.strerror or exc}", _LAYOUT_FIX)]) from None


def _malformed(path: Path, exc: Exception) -> InputError:
    detail = f"missing field {exc}" if isinstance(exc, KeyError) else f"unexpected value ({exc})"
    return InputError([Problem(str(path), "", f"not laid out like gold/{path.name}: {detail}", f"compare it with the bundled gold/{path.name}")])


def load_ontology(path: Path) -> Ontology:
    raw = _read_json(path)
    try:
        types = {
            t["name"]: EventType(
                name=t["name"],
                definition=t["definition"],
                roles=tuple(t["roles"]),
                verbal_triggers=tuple(t.get("triggers", {}).get("verbal", ())),
                nominal_triggers=tuple(t.get("triggers", {}).get("nominal", ())),
                ace2005=tuple(t.get("ace2005", ())),
            )
            for t in raw["event_types"]
        }
        return Ontology(types=types, realis=tuple(raw["realis"]), entity_types=tuple(raw["entity_types"]))
    except (KeyError, TypeError, AttributeError) as exc:
        raise _malformed(path, exc) from None


def load_corpus(root: Path | str | None = None, *, verify: bool = True, lazy: bool = False) -> Corpus:
    """Load a corpus directory; with `verify`, stop on any document whose sha256 differs.

    ``lazy``: document texts are read (and verified) when first asked for, and only the most
    recent few are kept (:class:`LazyDocuments`), so scoring a stream of documents holds a
    bounded number of texts whatever the corpus size. A bad text is then reported when it is
    reached, with the same problem as the eager load gives.
    """
    root = Path(root) if root is not None else default_gold_dir()
    if not root.is_dir():
        raise InputError([Problem(str(root), "", "corpus directory not found", "pass a directory laid out like gold/")])
    manifest = _read_json(root / "manifest.json")
    try:
        return _load_corpus(root, manifest, verify, lazy)
    except (KeyError, TypeError, AttributeError) as exc:
        raise _malformed(root / "manifest.json", exc) from None


def _document(root: Path, i: int, entry: dict, verify: bool) -> Document | Problem:
    """One manifest entry's document, or the problem that stops it."""
    doc_id = entry["doc_id"]
    path = root / "documents" / f"{doc_id}.txt"
    if not path.is_file():
        return Problem(str(path), "", "document listed in the manifest is missing", "restore the file from the corpus release")
    raw = path.read_bytes()
    if verify and hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        return Problem(
            str(path),
            "",
            f"document text does not match the sha256 in manifest.json at $.documents[{i}].sha256 (the text was changed)",
            "restore the original document bytes; offsets in every annotation depend on them",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Problem(str(path), "", f"document is not valid UTF-8 (byte offset {exc.start})", "restore the original document bytes")
    return Document(
        doc_id=doc_id,
        text=text,
        headline=entry.get("headline"),
        outlets=tuple(entry.get("outlets", ())),
        published=entry.get("published"),
        segments=tuple(Segment(s["kind"], s["start"], s["end"], s.get("outlet")) for s in entry["segments"]),
    )


class LazyDocuments(Mapping[str, Document]):
    """The corpus documents by id, each read and verified on first access; the last `KEEP` are kept."""

    KEEP = 64

    def __init__(self, root: Path, entries: dict[str, tuple[int, dict]], verify: bool) -> None:
        self._root, self._entries, self._verify = root, entries, verify
        self._recent: OrderedDict[str, Document] = OrderedDict()

    def __getitem__(self, doc_id: str) -> Document:
        found = self._recent.get(doc_id)
        if found is not None:
            self._recent.move_to_end(doc_id)
            return found
        i, entry = self._entries[doc_id]
        document = _document(self._root, i, entry, self._verify)
        if isinstance(document, Problem):
            raise InputError([document])
        self._recent[doc_id] = document
        if len(self._recent) > self.KEEP:
            self._recent.popitem(last=False)
        return document

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def _load_corpus(root: Path, manifest, verify: bool, lazy: bool = False) -> Corpus:
    problems: list[Problem] = []
    documents: dict[str, Document] = {}
    entries: dict[str, tuple[int, dict]] = {}
    for i, entry in enumerate(manifest["documents"]):
        doc_id = entry["doc_id"]
        if not isinstance(doc_id, str) or not SAFE_DOC_ID.fullmatch(doc_id):
            problems.append(
                Problem(str(root / "manifest.json"), f"$.documents[{i}].doc_id", f"unsafe document id {doc_id!r}",
                        "use letters, digits, '_', '-' and '.' only (it names a file under documents/)")
            )
            continue
        if lazy:
            entry["segments"]  # a malformed entry fails at load, as in the eager mode
            if not (root / "documents" / f"{doc_id}.txt").is_file():
                problems.append(Problem(str(root / "documents" / f"{doc_id}.txt"), "", "document listed in the manifest is missing", "restore the file from the corpus release"))
            entries[doc_id] = (i, entry)
            continue
        document = _document(root, i, entry, verify)
        if isinstance(document, Problem):
            problems.append(document)
        else:
            documents[doc_id] = document
    if problems:
        raise InputError(problems)
    name, version = manifest.get("name"), manifest.get("version")
    return Corpus(root=root, documents=LazyDocuments(root, entries, verify) if lazy else documents,
                  ontology=load_ontology(root / "ontology.json"),
                  name=name if isinstance(name, str) else None, version=str(version) if isinstance(version, (str, int, float)) else None)
