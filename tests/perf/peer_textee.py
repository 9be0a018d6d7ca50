"""Score an evbench prediction with TextEE's scorer: python tests/perf/peer_textee.py --textee PATH PREDICTION REFERENCE --out OUT.

bench.py runs this in a subprocess next to `evbench score` on the same files, so the two are timed
alike (reading, converting, scoring). TextEE is imported from PATH, a local checkout
(https://github.com/ej0cl6/TextEE), and never copied into this project.

The conversion follows TextEE's end-to-end format (TextEE/evaluate_end2end.py calls
scorer.compute_scores(preds, golds, "E2E")): one instance per document (`wnd_id` = `doc_id`), each
with `events` of `{"trigger": (start, end, type), "arguments": [(start, end, role), ...]}`; the
predictions are aligned with the reference documents (a document the prediction lacks has no events,
a predicted document absent from the reference is left out, as evbench does). Offsets stay evbench's
character offsets: TextEE compares tuples in sets, so the unit does not matter.

The output (JSON) holds TextEE's scores (percentages, as TextEE reports them) and the seconds spent
reading, converting and in the scoring call alone.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import types
from pathlib import Path
from typing import Any

# Trigger and argument identification / classification: the metrics the issue compares (sets of
# triggers and arguments). TextEE's "attached" argument variants are not computed.
METRICS = ("trigger_id", "trigger_cls", "argument_id", "argument_cls")


def scorer_dir(path: Path) -> Path:
    """The directory holding TextEE's scorer.py: PATH/TextEE (a checkout) or PATH itself."""
    for candidate in (path / "TextEE", path):
        if (candidate / "scorer.py").is_file():
            return candidate
    raise SystemExit(f"no TextEE scorer.py under {path} (expected {path / 'TextEE' / 'scorer.py'})")


def import_scorer(path: Path) -> tuple[types.ModuleType, bool]:
    """Import TextEE's scorer from the checkout; returns the module and whether `ipdb` was stubbed.

    TextEE's scorer.py starts with `import ipdb` (a debugger it never calls while scoring); when ipdb
    is not installed an empty module stands in, so the peer runs without installing IPython.
    """
    stubbed = False
    try:
        import ipdb  # noqa: F401
    except ImportError:
        sys.modules["ipdb"] = types.ModuleType("ipdb")
        stubbed = True
    where = scorer_dir(path)
    sys.path.insert(0, str(where))
    module = importlib.import_module("scorer")
    if Path(module.__file__ or "").resolve().parent != where.resolve():
        raise SystemExit(f"imported {module.__file__}, not the scorer under {where}")
    return module, stubbed


def instance(doc_id: str, events: list[dict]) -> dict[str, Any]:
    """One document as a TextEE end-to-end instance."""
    return {
        "doc_id": doc_id,
        "wnd_id": doc_id,
        "events": [
            {"trigger": (e["trigger"]["start"], e["trigger"]["end"], e["type"]),
             "arguments": [(a["start"], a["end"], a["role"]) for a in e.get("arguments", [])]}
            for e in events
        ],
    }


def convert(prediction: dict, reference: dict) -> tuple[list[dict], list[dict]]:
    """TextEE's (preds, golds): aligned lists, one instance per reference document."""
    predicted = {d["doc_id"]: d.get("events", []) for d in prediction["documents"]}
    golds, preds = [], []
    for doc in reference["documents"]:
        golds.append(instance(doc["doc_id"], doc.get("events", [])))
        preds.append(instance(doc["doc_id"], predicted.get(doc["doc_id"], [])))
    return preds, golds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--textee", required=True, type=Path, help="a local TextEE checkout (or its TextEE/ directory)")
    parser.add_argument("prediction", type=Path, help="an evbench submission")
    parser.add_argument("reference", type=Path, help="the evbench reference (submission format)")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON here (default: stdout)")
    args = parser.parse_args(argv)

    scorer, stubbed = import_scorer(args.textee)
    started = time.perf_counter()
    with args.prediction.open(encoding="utf-8") as handle:
        prediction = json.load(handle)
    with args.reference.open(encoding="utf-8") as handle:
        reference = json.load(handle)
    read = time.perf_counter()
    preds, golds = convert(prediction, reference)
    del prediction, reference
    converted = time.perf_counter()
    scores = scorer.compute_E2E_scores(preds, golds, metrics=set(METRICS))
    scored = time.perf_counter()
    result = {
        "peer": "textee",
        "scorer": str(Path(scorer.__file__ or "").resolve()),
        "ipdb_stubbed": stubbed,
        "documents": len(golds),
        "metrics": list(METRICS),
        "scores": scores,
        "read_s": read - started,
        "convert_s": converted - read,
        "score_s": scored - converted,
    }
    text = json.dumps(result, indent=1) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
