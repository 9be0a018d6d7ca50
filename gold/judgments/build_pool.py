"""Build the real-variation part of the human-verdict pool: argument and trigger pairs where a
system (the blind second annotation, the lexicon baseline) and the gold differ on the same event.

Run from the project root: ``python gold/judgments/build_pool.py``. It writes
``gold/judgments/pool-real.jsonl`` (one candidate pair per line, no verdict). The generative
rewrites written by an annotator are in ``pool-rewrites.jsonl``; both pools are judged blind by
two annotators (``verdicts-a.jsonl``, ``verdicts-b.jsonl``) and adjudicated into
``verdicts.json``. Deterministic: the same inputs give the same file.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from benchmark.input.corpus import load_corpus
from benchmark.input.submission import load_gold, load_submission
from benchmark.intervals import sentence_ranges
from scorers.alignment import align_triggers
from scorers.matching import OverlapMatch

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SEED = 20261204


def sentence_of(ranges, offset):
    for start, end in ranges:
        if start <= offset < end:
            return start, end
    return None


def _base(doc_id, text, ranges, ref, source) -> dict:
    sentence = sentence_of(ranges, ref.trigger.start)
    context = text[sentence[0]:sentence[1]].strip() if sentence else ""
    return {"doc_id": doc_id, "sentence": context, "event_type": ref.type, "gold_trigger": ref.trigger.text, "source": source}


def _add(rows: list[dict], seen: set, row: dict) -> None:
    key = tuple(row[k] for k in ("doc_id", "sentence", "kind", "gold", "gold_role", "predicted", "predicted_role"))
    if key not in seen:
        seen.add(key)
        rows.append(row)


def main() -> None:
    corpus = load_corpus()
    gold = load_gold(corpus)
    systems = {
        "second-annotation": load_submission(ROOT / "gold/agreement/second-annotation.json", corpus),
        "lexicon": load_submission(ROOT / "submissions/lexicon.json", corpus),
    }
    sentences = sentence_ranges(corpus, sorted(gold.documents))
    rows: list[dict] = []
    seen: set = set()
    for source, system in systems.items():
        for doc_id in sorted(gold.documents):
            text = corpus.documents[doc_id].text
            ref_events = gold.documents[doc_id].events
            pred_events = system.documents.get(doc_id)
            if pred_events is None:
                continue
            # Event pairs: triggers overlapping (Dice >= 0.01) with the same type.
            found = align_triggers(pred_events.events, ref_events, OverlapMatch(0.01), typed=True)
            for pred, ref in found.pairs:
                base = _base(doc_id, text, sentences[doc_id], ref, source)
                if (pred.trigger.start, pred.trigger.end) != (ref.trigger.start, ref.trigger.end):
                    _add(rows, seen, {**base, "kind": "trigger", "gold": ref.trigger.text, "gold_role": None,
                                      "predicted": pred.trigger.text, "predicted_role": None})
                exact = {(a.role, a.span.start, a.span.end) for a in ref.arguments}
                taken = {(a.role, a.span.start, a.span.end) for a in pred.arguments}
                open_refs = [a for a in ref.arguments if (a.role, a.span.start, a.span.end) not in taken]
                for parg in pred.arguments:
                    if (parg.role, parg.span.start, parg.span.end) in exact:
                        continue  # exact agreement: nothing to judge
                    overlapping = [r for r in ref.arguments if parg.span.start < r.span.end and r.span.start < parg.span.end]
                    partners = overlapping or [r for r in open_refs if r.role == parg.role]
                    for rarg in partners:
                        _add(rows, seen, {**base, "kind": "argument", "gold": rarg.span.text, "gold_role": rarg.role,
                                          "predicted": parg.span.text, "predicted_role": parg.role})
            # Triggers the system put on another word of the same sentence, for a gold event of that type.
            for pred in found.unmatched_pred:
                for ref in found.unmatched_ref:
                    if ref.type == pred.type and sentence_of(sentences[doc_id], ref.trigger.start) == sentence_of(sentences[doc_id], pred.trigger.start):
                        base = _base(doc_id, text, sentences[doc_id], ref, source)
                        _add(rows, seen, {**base, "kind": "trigger", "gold": ref.trigger.text, "gold_role": None,
                                          "predicted": pred.trigger.text, "predicted_role": None})
    random.Random(SEED).shuffle(rows)
    with open(HERE / "pool-real.jsonl", "w", encoding="utf-8") as out:
        for i, row in enumerate(rows):
            out.write(json.dumps({"id": f"real-{i:04d}", **row}, ensure_ascii=False) + "\n")
    kinds = {k: sum(r["kind"] == k for r in rows) for k in ("argument", "trigger")}
    by_source = {s: sum(r["source"] == s for r in rows) for s in systems}
    print(f"{len(rows)} pairs: {kinds}; {by_source}")


if __name__ == "__main__":
    main()
