"""Hugging Face `datasets` views of the corpus, the `export --hf` folder, and Dataset submissions.

Two views of the same gold, both with one split, `test` (the whole corpus is a test set):

* ``documents``: one row per document — text, manifest metadata, segments, and the gold events
  and entities nested as lists of structs (`DOCUMENT_FEATURES`).
* ``mentions``: one row per gold event mention, flat (`MENTION_FEATURES`), with the kind of the
  segment its trigger lies in.

Offsets are int32 Python ``str`` indices (code points), half-open ``[start, end)``, as everywhere
in evbench. A value the annotation does not give (no realis, no cluster, no entity) is null.

`annotation_from_dataset` reads predictions laid out either way back into an `Annotation`,
through the same validation as submission files; a problem is located by its dataset row
(0-based, so ``ds[3]`` is the row): ``dataset row 3 $.events[0].trigger``.

This module imports `datasets` at import time; nothing on the CLI start-up path imports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import datasets
from datasets import Dataset, DatasetDict, Features, List, Value

from benchmark import __version__
from benchmark.input.corpus import Corpus, load_corpus
from benchmark.input.problems import InputError, Problem
from benchmark.input.submission import annotation_to_submission, load_gold
from benchmark.input.validation import build_annotation
from scorers.model import Annotation

SPLIT = "test"
CONFIGS = ("documents", "mentions")
SHARD = f"{SPLIT}-00000-of-00001.parquet"

OFFSET = Value("int32")
SPAN = {"start": OFFSET, "end": OFFSET, "text": Value("string")}
ARGUMENT = {"role": Value("string"), "start": OFFSET, "end": OFFSET, "text": Value("string"), "entity": Value("string")}

DOCUMENT_FEATURES = Features(
    {
        "doc_id": Value("string"),
        "text": Value("string"),
        "headline": Value("string"),
        "outlets": List(Value("string")),
        "published": Value("string"),
        "segments": List({"kind": Value("string"), "start": OFFSET, "end": OFFSET, "outlet": Value("string")}),
        "events": List(
            {
                "id": Value("string"),
                "type": Value("string"),
                "realis": Value("string"),
                "trigger": SPAN,
                "arguments": List(ARGUMENT),
                "cluster": Value("string"),
            }
        ),
        "entities": List({"id": Value("string"), "type": Value("string"), "mentions": List(SPAN)}),
    }
)

MENTION_FEATURES = Features(
    {
        "doc_id": Value("string"),
        "event_id": Value("string"),
        "trigger_text": Value("string"),
        "trigger_start": OFFSET,
        "trigger_end": OFFSET,
        "type": Value("string"),
        "realis": Value("string"),
        "arguments": List(ARGUMENT),
        "cluster": Value("string"),
        "segment_kind": Value("string"),
    }
)

FEATURES = {"documents": DOCUMENT_FEATURES, "mentions": MENTION_FEATURES}

# Columns a prediction Dataset may carry. The corpus columns of the documents view are accepted
# (and ignored) so that the gold view itself is a valid submission; anything else is an error,
# as an unknown field is in a submission file: a misspelt column must not silently drop data.
_DOCUMENT_COLUMNS = {"doc_id", "events", "entities"}
_DOCUMENT_IGNORED = {"text", "headline", "outlets", "published", "segments"}
_MENTION_COLUMNS = {"doc_id", "event_id", "trigger_text", "trigger_start", "trigger_end", "type", "realis", "arguments", "cluster"}
_MENTION_IGNORED = {"segment_kind"}


# ----------------------------------------------------------------------------- corpus -> dataset


def _span_row(span: Mapping) -> dict:
    return {"start": span.get("start"), "end": span.get("end"), "text": span.get("text")}


def _argument_row(arg: Mapping) -> dict:
    return {"role": arg["role"], **_span_row(arg), "entity": arg.get("entity")}


def _event_row(event: Mapping) -> dict:
    return {
        "id": event["id"],
        "type": event["type"],
        "realis": event.get("realis"),
        "trigger": _span_row(event["trigger"]),
        "arguments": [_argument_row(a) for a in event.get("arguments", [])],
        "cluster": event.get("cluster"),
    }


def document_rows(corpus: Corpus, annotation: Annotation) -> list[dict]:
    """One `documents`-layout row per corpus document (sorted by doc_id); unannotated ones get no events."""
    annotated = {d["doc_id"]: d for d in annotation_to_submission(annotation)["documents"]}
    rows = []
    for doc_id in sorted(corpus.documents):
        doc = corpus.documents[doc_id]
        ann = annotated.get(doc_id, {})
        rows.append(
            {
                "doc_id": doc_id,
                "text": doc.text,
                "headline": doc.headline,
                "outlets": list(doc.outlets),
                "published": doc.published,
                "segments": [{"kind": s.kind, "start": s.start, "end": s.end, "outlet": s.outlet} for s in doc.segments],
                "events": [_event_row(e) for e in ann.get("events", [])],
                "entities": [
                    {"id": e["id"], "type": e["type"], "mentions": [_span_row(m) for m in e["mentions"]]} for e in ann.get("entities", [])
                ],
            }
        )
    return rows


def mention_rows(corpus: Corpus, annotation: Annotation) -> list[dict]:
    """One flat `mentions`-layout row per event mention, in document then annotation order."""
    rows = []
    for row in document_rows(corpus, annotation):
        doc = corpus.documents[row["doc_id"]]
        for event in row["events"]:
            trigger = event["trigger"]
            segment = doc.segment_at(trigger["start"]) if trigger["start"] is not None else None
            rows.append(
                {
                    "doc_id": row["doc_id"],
                    "event_id": event["id"],
                    "trigger_text": trigger["text"],
                    "trigger_start": trigger["start"],
                    "trigger_end": trigger["end"],
                    "type": event["type"],
                    "realis": event["realis"],
                    "arguments": event["arguments"],
                    "cluster": event["cluster"],
                    "segment_kind": segment.kind if segment else None,
                }
            )
    return rows


def to_dataset_dict(corpus: Corpus, annotation: Annotation) -> DatasetDict:
    """Both views of `annotation` over `corpus`, keyed by config name (`documents`, `mentions`)."""
    return DatasetDict(
        {
            "documents": Dataset.from_list(document_rows(corpus, annotation), features=DOCUMENT_FEATURES, split=SPLIT),
            "mentions": Dataset.from_list(mention_rows(corpus, annotation), features=MENTION_FEATURES, split=SPLIT),
        }
    )


def load(corpus_dir: Path | str | None = None) -> DatasetDict:
    """The gold corpus as a `DatasetDict` with two views: ``ds["documents"]`` and ``ds["mentions"]``.

    `corpus_dir` is a directory laid out like ``gold/`` (default: the bundled corpus). Nothing is
    downloaded and nothing is written to the Hugging Face cache.
    """
    corpus = load_corpus(corpus_dir)
    return to_dataset_dict(corpus, load_gold(corpus))


# ----------------------------------------------------------------------------- export folder


def export(out_dir: Path | str, corpus_dir: Path | str | None = None) -> dict[str, Path]:
    """Write the gold as a dataset-repository folder: Parquet shards per config plus README.md.

    Layout: ``<out>/documents/test-00000-of-00001.parquet``, ``<out>/mentions/test-...parquet``
    and ``<out>/README.md`` (YAML `configs:` and `dataset_info:`), so that
    ``datasets.load_dataset(out, "mentions")`` works offline. Returns the written paths.
    """
    from benchmark.statistics import compute_statistics

    out = Path(out_dir)
    corpus = load_corpus(corpus_dir)
    gold = load_gold(corpus)
    views = to_dataset_dict(corpus, gold)
    written: dict[str, Path] = {}
    quiet = datasets.utils.are_progress_bars_disabled()
    datasets.utils.disable_progress_bars()
    try:
        for name in CONFIGS:
            path = out / name / SHARD
            path.parent.mkdir(parents=True, exist_ok=True)
            views[name].to_parquet(str(path))
            written[name] = path
    finally:
        if not quiet:
            datasets.utils.enable_progress_bars()
    card = out / "README.md"
    card.write_text(dataset_card(views, compute_statistics(corpus, gold), corpus.gold_release), encoding="utf-8")
    written["card"] = card
    return written


CITATION = f"""@misc{{evbench,
  title        = {{evbench: an evaluation benchmark for event extraction on Arabic news}},
  author       = {{{{evbench contributors}}}},
  note         = {{Version {__version__}}},
  howpublished = {{Dataset and scorers}}
}}"""


def card_metadata(views: DatasetDict) -> dict:
    """The YAML front matter of the dataset card, built from the datasets themselves."""
    return {
        "pretty_name": "evbench: Arabic news event extraction (test set)",
        "language": ["ar"],
        # The annotations are evbench's (MIT, like the code); the news texts remain their
        # outlets' copyright, so no single open licence covers the folder.
        "license": "other",
        "license_name": "evbench-annotations-mit-texts-copyright-outlets",
        "multilinguality": "monolingual",
        "size_categories": ["n<1K"],
        "source_datasets": ["original"],
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found"],
        "task_categories": ["token-classification"],
        "tags": ["event-extraction", "event-coreference", "cross-document-coreference", "rich-ere", "arabic", "news"],
        "configs": [
            {"config_name": name, "data_files": [{"split": SPLIT, "path": f"{name}/{SPLIT}-*.parquet"}], **({"default": True} if name == "documents" else {})}
            for name in CONFIGS
        ],
        "dataset_info": [
            {
                "config_name": name,
                "features": views[name].features._to_yaml_list(),
                # num_bytes: the in-memory Arrow size, estimated as `push_to_hub` does.
                "splits": [{"name": SPLIT, "num_bytes": views[name]._estimate_nbytes(), "num_examples": views[name].num_rows}],
            }
            for name in CONFIGS
        ],
    }


def dataset_card(views: DatasetDict, stats, release: str = "") -> str:
    """README.md of the export folder: YAML front matter plus a body whose numbers come from code;
    ``release`` names the gold release exported (``evbench-gold 1.1``)."""
    import yaml  # a dependency of datasets

    front = yaml.safe_dump(card_metadata(views), allow_unicode=True, sort_keys=False, width=1000)
    by_type = "\n".join(f"| `{t}` | {n} |" for t, n in sorted(stats.by_type.items()))
    by_realis = "\n".join(f"| `{r}` | {n} |" for r, n in sorted(stats.by_realis.items()))
    docs = "\n".join(f"| `{d['doc_id']}` | {d['characters']} | {d['events']} | {d['arguments']} | {d['entities']} |" for d in stats.documents)
    return f"""---
{front}---

# evbench: event extraction on Arabic news

Hand-annotated Arabic news articles with event mentions in a Rich ERE / TAC KBP ontology:
triggers, types, realis, arguments (linked to entities) and cross-document event coreference
(`cluster`). The whole corpus is a test set: one split, `{SPLIT}`. Generated by
`evbench export --hf` (evbench {__version__}{f", gold release {release}" if release else ""}); every number below
is computed from the data.

Offsets are Python `str` indices (Unicode code points) into `text`, half-open `[start, end)`.
A value the annotation does not give is null. Segments of kind `chrome` (page furniture) are
never scored.

## Configurations

- `documents`: one row per document: `doc_id`, `text`, `headline`, `outlets`, `published`,
  `segments`, `events` (nested: trigger, arguments, cluster) and `entities` (with mentions).
- `mentions`: one row per event mention, flat: `doc_id`, `event_id`, `trigger_text`,
  `trigger_start`, `trigger_end`, `type`, `realis`, `arguments`, `cluster`, `segment_kind`.

```python
from datasets import load_dataset

docs = load_dataset("path/to/this/folder", "documents", split="{SPLIT}")
mentions = load_dataset("path/to/this/folder", "mentions", split="{SPLIT}")
```

Predictions laid out like either configuration can be scored with evbench:
`benchmark.api.score(dataset)`.

## Counts

| what | count |
|---|---|
| documents | {views["documents"].num_rows} |
| event mentions | {views["mentions"].num_rows} |
| arguments | {stats.arguments} |
| entities | {stats.entities} |
| clusters (real-world events, singletons included) | {stats.clusters} |
| clusters spanning several documents | {stats.cross_document_clusters} |

| doc_id | characters | event mentions | arguments | entities |
|---|---|---|---|---|
{docs}

| event type | mentions |
|---|---|
{by_type}

| realis | mentions |
|---|---|
{by_realis}

## Licence

The annotations are released with evbench under the MIT licence. The news texts remain the
copyright of their outlets (named in `outlets`) and are included for research evaluation only.

## Citation

```bibtex
{CITATION}
```
"""


# ----------------------------------------------------------------------------- dataset -> annotation


def _drop_nulls(value):
    """Arrow fills absent struct fields with null; a submission omits them instead."""
    if isinstance(value, Mapping):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _rows(ds) -> tuple[list[str], Iterable[Mapping]]:
    if isinstance(ds, datasets.DatasetDict):
        if len(ds) != 1:
            raise InputError([Problem("<dataset>", "", f"a DatasetDict with splits {sorted(ds)}, not one Dataset", f"pass one split, e.g. ds[{SPLIT!r}]")])
        ds = next(iter(ds.values()))
    if isinstance(ds, (datasets.Dataset, datasets.IterableDataset)):
        return list(ds.column_names or []), ds
    raise InputError([Problem("<dataset>", "", f"expected a datasets.Dataset, got {type(ds).__name__}", "build one with datasets.Dataset.from_list(rows)")])


def _layout(columns: list[str], name: str) -> str:
    cols = set(columns)
    if "events" in cols:
        layout, known = "documents", _DOCUMENT_COLUMNS | _DOCUMENT_IGNORED
    elif cols & {"event_id", "trigger_start", "trigger_end", "trigger_text"}:
        layout, known = "mentions", _MENTION_COLUMNS | _MENTION_IGNORED
    else:
        raise InputError(
            [
                Problem(
                    name,
                    "",
                    f"cannot tell the layout from the columns {sorted(cols)}",
                    "use the documents layout (doc_id, events) or the mentions layout (doc_id, event_id, trigger_start, trigger_end, trigger_text, type, ...)",
                )
            ]
        )
    problems = [
        Problem(name, f"column {c!r}", f"unknown column in a {layout}-layout dataset", f"remove or rename it (known: {', '.join(sorted(known))})")
        for c in columns
        if c not in known
    ]
    if "doc_id" not in cols:
        problems.append(Problem(name, "", "the dataset has no 'doc_id' column", "add the doc_id of each row"))
    if problems:
        raise InputError(problems)
    return layout


def _document_from_row(row: Mapping) -> dict:
    doc = {k: row[k] for k in ("doc_id", "events", "entities") if k in row and row[k] is not None}
    return _drop_nulls(doc)


def _event_from_mention(row: Mapping) -> dict:
    event = {
        "id": row.get("event_id"),
        "type": row.get("type"),
        "realis": row.get("realis"),
        "trigger": {"start": row.get("trigger_start"), "end": row.get("trigger_end"), "text": row.get("trigger_text")},
        "arguments": row.get("arguments") if row.get("arguments") is not None else [],
        "cluster": row.get("cluster"),
    }
    return _drop_nulls(event)


_GROUP = re.compile(r"^\x00(\d+) \$(?:\.events\[(\d+)\])?(.*)$", re.S)
_EVENT_REF = re.compile(r"events\[(\d+)\]")
_FLAT = {".id": ".event_id", ".trigger.start": ".trigger_start", ".trigger.end": ".trigger_end", ".trigger.text": ".trigger_text"}


def _flatten_path(rest: str) -> str:
    for nested, flat in _FLAT.items():
        if rest == nested or rest.startswith(nested + ".") or rest.startswith(nested + "["):
            return flat + rest[len(nested) :]
    return rest


def _relocate(problem: Problem, groups: list[list[int]]) -> Problem:
    """Map a location in a grouped document (`\\x00g $.events[k]...`) back to its mentions row."""
    match = _GROUP.match(problem.where)
    if not match:
        return problem
    rows = groups[int(match.group(1))]
    k = match.group(2)
    rest = match.group(3)
    if k is None:
        where = f"dataset row {rows[0]} ${rest}"
    else:
        where = f"dataset row {rows[int(k)]} ${_flatten_path(rest)}"
    message = _EVENT_REF.sub(lambda m: f"dataset row {rows[int(m.group(1))]}", problem.message)
    return Problem(problem.file, where, message, problem.fix, problem.severity)


def check_dataset(ds, corpus: Corpus, *, system: str | None = None, name: str = "<dataset>") -> tuple[Annotation | None, list[Problem]]:
    """Validate a prediction Dataset; return its annotation (None if invalid) and every problem."""
    columns, rows = _rows(ds)
    layout = _layout(columns, name)
    if layout == "documents":
        docs = [(f"dataset row {i} $", _document_from_row(row)) for i, row in enumerate(rows)]
        annotation, problems = build_annotation(docs, corpus, name, system=system)
    else:
        by_doc: dict[object, list[int]] = {}
        events: dict[object, list[dict]] = {}
        for i, row in enumerate(rows):
            key = row.get("doc_id")
            by_doc.setdefault(key, []).append(i)
            events.setdefault(key, []).append(_event_from_mention(row))
        groups = list(by_doc.values())
        docs = []
        for g, key in enumerate(by_doc):
            doc = {"events": events[key]}
            if key is not None:
                doc["doc_id"] = key
            docs.append((f"\x00{g} $", doc))
        annotation, problems = build_annotation(docs, corpus, name, system=system)
        problems = [_relocate(p, groups) for p in problems]
    if any(p.severity == "error" for p in problems):
        return None, problems
    return annotation, problems


def annotation_from_dataset(ds, corpus: Corpus, *, system: str | None = None, name: str = "<dataset>") -> Annotation:
    """Predictions in a `datasets.Dataset` (documents or mentions layout) as a validated `Annotation`.

    The documents layout has one row per document with `doc_id` and nested `events` (and
    optionally `entities`; the corpus columns of `load()["documents"]` are ignored). The mentions
    layout has one row per event mention (`doc_id`, `event_id`, `trigger_*`, `type`, ...); its
    documents are the doc_ids that occur, and it carries no entities. Null values count as
    absent. Raises `InputError` with every problem, each located by its 0-based row.
    """
    annotation, problems = check_dataset(ds, corpus, system=system, name=name)
    if annotation is None:
        raise InputError(problems)
    return annotation
