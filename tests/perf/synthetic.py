"""Synthetic corpora for the performance benchmark: documents, a reference and a noisy prediction.

`generate(root, n_docs, seed)` writes, under `root`:

* `corpus/` laid out like `gold/` (manifest with sha256 and segments, the bundled ontology and
  schemas, one text per document, no gold annotations): pass it as `--gold`;
* `reference.json`: a submission-format reference (events with arguments, clusters, and the
  entity lists the entity-aware metrics use): pass it as `--reference`;
* `prediction.json`: the reference with realistic noise (missed, spurious, shifted spans,
  mistyped, wrong or absent realis, dropped / re-roled / shifted / spurious arguments, merged
  and split clusters, missing clusters).

Documents are about as long as the bundled ones (~2,300 characters of article text and a short
chrome tail) with ~30 event mentions each and ~2 arguments per mention, on the ontology's types
and roles. Everything depends only on (`n_docs`, `seed`): the same call writes the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from pathlib import Path

from benchmark.input.corpus import default_gold_dir

FILLER = (
    "في من إلى على أن قال وأضاف الذي التي خلال بعد قبل اليوم أمس الرسمي بين مع حول هذا هذه كما وذلك "
    "المسؤول الجانبين العلاقات التعاون الوضع الأخير الماضي المقبل الدولية الإقليمية السياسية الاقتصادية "
    "الحكومة الوزارة البيان الصحفي المؤتمر المنطقة الحدود الجانب الطرفين الأمن السلام الحرب الاتفاق "
    "المحادثات القضايا الملفات الموقف الرئيس الوزير الخارجية الدفاع المصادر وكالة الأنباء التقارير"
).split()
NAMES = (
    "لافروف", "سيرغي لافروف", "كيم جونج أون", "بوتين", "موسكو", "بيونغ يانغ", "وونسان", "روسيا",
    "كوريا الشمالية", "شويغو", "روبيو", "الصين", "اليابان", "سيول", "واشنطن", "الكرملين",
    "الأمم المتحدة", "تشوي سون هوي", "كورسك", "أوكرانيا", "بكين", "طوكيو", "الجيش", "الوفد",
)
CHROME_TAIL = "\nشارك المقال واشترك الآن في النشرة البريدية\n"
SEGMENT_CHARS = 2300
EVENTS_PER_DOC = 30
_WORD = re.compile(r"[^\s.،]+")


def _ontology() -> dict:
    return json.loads((default_gold_dir() / "ontology.json").read_text(encoding="utf-8"))


class _Text:
    """A document under construction: tokens appended with their half-open code-point offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, token: str) -> tuple[int, int]:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append(" ")
            self.length += 1
        start = self.length
        self.parts.append(token)
        self.length += len(token)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def _span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def reference_document(doc_index: int, seed: int, types: list[dict], realis: list[str]) -> tuple[str, dict]:
    """One document's text and its reference annotation (submission format, with entities)."""
    rng = random.Random(seed * 1_000_003 + doc_index)
    doc_id = f"syn{doc_index:07d}"
    out = _Text()
    events = []
    name_spans: dict[str, list[tuple[int, int]]] = {}
    n_events = rng.randint(EVENTS_PER_DOC - 5, EVENTS_PER_DOC + 5)
    n_clusters = max(1, int(n_events * 0.65))
    for i in range(n_events):
        for _ in range(rng.randint(1, 4)):
            out.add(rng.choice(FILLER))
        etype = rng.choice(types)
        words = etype["triggers"]["verbal"] + etype["triggers"]["nominal"]
        trigger = out.add(rng.choice(words))
        arguments = []
        for role in rng.sample(etype["roles"], k=min(len(etype["roles"]), rng.choice((1, 2, 2, 2, 3)))):
            if rng.random() < 0.5:
                out.add(rng.choice(FILLER))
            name = rng.choice(NAMES)
            start, end = out.add(name)
            name_spans.setdefault(name, []).append((start, end))
            arguments.append((role, start, end, name))
        if rng.random() < 0.15:
            out.add(rng.choice(FILLER) + ".")
            out.parts.append("\n")
            out.length += 1
        elif rng.random() < 0.5:
            out.parts[-1] += "،" if rng.random() < 0.5 else "."
            out.length += 1
        # A few real-world events are shared by neighbouring documents (cross-document clusters).
        cluster = f"x{doc_index // 10}-{rng.randrange(5)}" if rng.random() < 0.15 else f"c{doc_index}-{rng.randrange(n_clusters)}"
        events.append((f"e{i + 1}", etype["name"], rng.choice(realis), trigger, arguments, cluster))
    while out.length < SEGMENT_CHARS:
        out.add(rng.choice(FILLER))
    out.parts[-1] += "."
    out.length += 1
    text = out.text() + CHROME_TAIL
    entity_of = {name: f"n{k}" for k, name in enumerate(sorted(name_spans))}
    raw_events = []
    for eid, etype, real, (ts, te), arguments, cluster in events:
        raw_events.append({
            "id": eid, "type": etype, "realis": real, "trigger": _span(text, ts, te),
            "arguments": [{"role": role, **_span(text, s, e), "entity": entity_of[name]} for role, s, e, name in arguments],
            "cluster": cluster,
        })
    entities = [
        {"id": entity_of[name], "type": "PER", "mentions": [_span(text, s, e) for s, e in sorted(set(spans))]}
        for name, spans in sorted(name_spans.items())
    ]
    return text, {"doc_id": doc_id, "events": raw_events, "entities": entities}


def _shift(span: dict, text: str, limit: int, rng: random.Random) -> dict:
    """The span moved by one or two characters at one end (still non-empty, still in the text)."""
    start, end = span["start"], span["end"]
    for _ in range(10):
        s, e = start, end
        if rng.random() < 0.5:
            s = min(max(0, start + rng.choice((-2, -1, 1))), end - 1)
        else:
            e = max(min(limit, end + rng.choice((-1, 1, 2))), start + 1)
        if (s, e) != (start, end):
            return _span(text, s, e)
    return span


def predict(text: str, reference: dict, doc_index: int, seed: int, types: dict[str, dict], realis: list[str]) -> dict:
    """A noisy prediction of one reference document (no entity lists, as systems submit)."""
    rng = random.Random(seed * 7_000_003 + doc_index)
    limit = len(text) - len(CHROME_TAIL)
    clusters = sorted({e["cluster"] for e in reference["events"]})
    renamed: dict[str, str] = {}
    for c in clusters:
        roll = rng.random()
        if roll < 0.1 and len(clusters) > 1:
            renamed[c] = rng.choice(clusters)  # merged into another cluster
        elif roll < 0.2:
            renamed[c] = c + "/split"  # some of its mentions split off (below)
    names = [m for ent in reference.get("entities", []) for m in ent["mentions"]]
    mentions_of = {ent["id"]: ent["mentions"] for ent in reference.get("entities", [])}
    events = []
    for ev in reference["events"]:
        if rng.random() < 0.08:
            continue  # missed
        etype = ev["type"]
        if rng.random() < 0.07:
            etype = rng.choice([t for t in types if t != ev["type"]])  # mistyped
        roles = types[etype]["roles"]
        out: dict = {"id": f"p{len(events) + 1}", "type": etype}
        roll = rng.random()
        if roll < 0.05:
            pass  # no realis predicted
        elif roll < 0.15:
            out["realis"] = rng.choice([r for r in realis if r != ev["realis"]])
        else:
            out["realis"] = ev["realis"]
        out["trigger"] = _shift(ev["trigger"], text, limit, rng) if rng.random() < 0.05 else dict(ev["trigger"])
        arguments = []
        for a in ev["arguments"]:
            if rng.random() < 0.1:
                continue  # dropped
            role = a["role"] if a["role"] in roles and rng.random() >= 0.05 else rng.choice(roles)
            span = {k: a[k] for k in ("start", "end", "text")}
            roll = rng.random()
            if roll < 0.05:
                span = _shift(span, text, limit, rng)
            elif roll < 0.1:
                span = dict(rng.choice(mentions_of[a["entity"]]))  # another mention of the same entity
            arguments.append({"role": role, **span})
        if names and rng.random() < 0.05:
            arguments.append({"role": rng.choice(roles), **rng.choice(names)})  # spurious argument
        out["arguments"] = arguments
        cluster = renamed.get(ev["cluster"], ev["cluster"])
        if cluster.endswith("/split"):
            cluster = ev["cluster"] if rng.random() < 0.5 else cluster
        if rng.random() >= 0.05:
            out["cluster"] = cluster
        events.append(out)
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, 0, limit)]
    for _ in range(int(len(reference["events"]) * 0.1)):  # spurious events on random words
        s, e = rng.choice(words)
        t = rng.choice(list(types))
        events.append({"id": f"p{len(events) + 1}", "type": t, "realis": rng.choice(realis), "trigger": _span(text, s, e),
                       "arguments": [], "cluster": f"spurious-{doc_index}-{len(events)}"})
    rng.shuffle(events)
    return {"doc_id": reference["doc_id"], "events": events}


def generate(root: Path, n_docs: int, seed: int = 0) -> dict[str, Path]:
    """Write corpus/, reference.json and prediction.json under `root` (skipped if already complete)."""
    root = Path(root)
    paths = {"corpus": root / "corpus", "reference": root / "reference.json", "prediction": root / "prediction.json"}
    done = root / "COMPLETE"
    if done.exists() and done.read_text() == f"{n_docs} {seed}\n":
        return paths
    if root.exists():
        shutil.rmtree(root)
    corpus = paths["corpus"]
    (corpus / "documents").mkdir(parents=True)
    (corpus / "annotations").mkdir()
    gold = default_gold_dir()
    shutil.copy(gold / "ontology.json", corpus / "ontology.json")
    shutil.copytree(gold / "schema", corpus / "schema")
    ontology = _ontology()
    types = ontology["event_types"]
    by_name = {t["name"]: t for t in types}
    realis = list(ontology["realis"])
    entries = []
    with paths["reference"].open("w", encoding="utf-8") as ref_out, paths["prediction"].open("w", encoding="utf-8") as pred_out:
        ref_out.write('{"system": "synthetic-reference", "documents": [\n')
        pred_out.write('{"system": "synthetic-noisy", "documents": [\n')
        for i in range(n_docs):
            text, ref = reference_document(i, seed, types, realis)
            pred = predict(text, ref, i, seed, by_name, realis)
            raw = text.encode("utf-8")
            (corpus / "documents" / f"{ref['doc_id']}.txt").write_bytes(raw)
            cut = len(text) - len(CHROME_TAIL)
            entries.append({"doc_id": ref["doc_id"], "headline": None, "outlets": [], "language": "ar", "published": None,
                            "sha256": hashlib.sha256(raw).hexdigest(), "length": len(text),
                            "segments": [{"kind": "article", "start": 0, "end": cut}, {"kind": "chrome", "start": cut, "end": len(text)}]})
            sep = ",\n" if i else ""
            ref_out.write(sep + json.dumps(ref, ensure_ascii=False))
            pred_out.write(sep + json.dumps(pred, ensure_ascii=False))
        ref_out.write("\n]}\n")
        pred_out.write("\n]}\n")
    manifest = {"name": f"synthetic-{n_docs}", "version": "perf", "offsets": "Python str indices, half-open", "documents": entries}
    (corpus / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    done.write_text(f"{n_docs} {seed}\n")
    return paths
