"""`evbench agreement`: inter-annotator agreement of a second annotation with the gold.

One annotation is taken as reference and the other as prediction (F1 is symmetric, so the
choice only swaps precision and recall), scored in every matching mode, plus Cohen's kappa on
event types over the triggers both annotators marked. `--update-card` writes the table into
the corpus data card (after adjudication, and before it when `agreement/` keeps the first
annotation as it was), so the published numbers are always this command's output.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROWS = (
    ("tri_i", "trigger identification"),
    ("tri_c", "trigger + type"),
    ("realis", "trigger + realis"),
    ("arg_i", "argument identification"),
    ("arg_c", "argument + role"),
    ("arg_c_entity", "argument + role, entity-aware"),
    ("coref_within.conll", "coreference within documents (CoNLL F1)"),
    ("coref_cross.conll", "coreference across documents (CoNLL F1)"),
)
MARKERS = ("<!-- agreement:start -->", "<!-- agreement:end -->")
BEFORE_MARKERS = ("<!-- agreement-before:start -->", "<!-- agreement-before:end -->")
BEFORE_FILE = "first-annotation-before-adjudication.json"


def add_parser(sub) -> None:
    from benchmark.cli import add_corpus_option

    p = sub.add_parser("agreement", help="inter-annotator agreement of a second annotation with the gold")
    p.add_argument("second", metavar="FILE", nargs="?", default=None,
                   help="the second annotation (default: <corpus>/agreement/second-annotation.json)")
    p.add_argument("--reference", metavar="REF", default=None, help="the first annotation (default: the corpus gold)")
    p.add_argument("--format", choices=("plain", "github", "json"), default="plain")
    p.add_argument("--update-card", action="store_true", help="write the github table into <corpus>/README.md")
    add_corpus_option(p)
    p.set_defaults(run=run)


def agreement_result(second: Path, reference: Path | None, corpus) -> dict:
    """F1 per metric and matching mode, and the type kappa (exact spans)."""
    from benchmark.scoring import ScoreSettings, result_dict, score_submission
    from scorers.agreement import type_kappa
    from scorers.matching import OFFLINE_MATCH_MODES

    by_mode, kappa, mentions = {}, None, {}
    for mode in OFFLINE_MATCH_MODES:
        run = score_submission(second, reference, corpus, ScoreSettings(match=mode))
        metrics = result_dict(run)["metrics"]
        by_mode[mode] = {name: metrics[name]["f1"] for name, _ in ROWS if name in metrics}
        if mode == "exact":
            kappa = type_kappa(run.outcomes).to_dict()
            mentions = {"first": len(run.gold.events()), "second": len(run.prediction.events())}
    return {"second": second.name, "mentions": mentions, "f1": by_mode, "type_kappa": kappa}  # a name, not a local path


def render_agreement(result: dict, fmt: str) -> str:
    from tabulate import tabulate

    modes = list(result["f1"])
    rows = [[label] + [_pct(result["f1"][m].get(name)) for m in modes] for name, label in ROWS if name in result["f1"][modes[0]]]
    table = tabulate(rows, headers=["F1 (%)", *modes], tablefmt="pipe" if fmt == "github" else "simple", disable_numparse=True)
    k = result["type_kappa"]
    kappa = "undefined" if k["kappa"] is None else f"{k['kappa']:.3f}"
    return (
        f"{table}\n\nCohen's kappa on event types over {k['pairs']} span-matched trigger pairs: {kappa} "
        f"(raw agreement {k['observed_agreement']:.3f}). Mentions: first annotation {result['mentions']['first']}, "
        f"second {result['mentions']['second']}.\n"
    )


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}"


def run(args: argparse.Namespace) -> int:
    from benchmark.datacard import update_card
    from benchmark.input.corpus import load_corpus

    corpus = load_corpus(args.gold)
    second = Path(args.second) if args.second else corpus.root / "agreement" / "second-annotation.json"
    result = agreement_result(second, Path(args.reference) if args.reference else None, corpus)
    if args.update_card:
        card = corpus.root / "README.md"
        changed = update_card(card, render_agreement(result, "github"), MARKERS)
        before = corpus.root / "agreement" / BEFORE_FILE
        if before.is_file():
            changed |= update_card(card, render_agreement(agreement_result(second, before, corpus), "github"), BEFORE_MARKERS)
        print(f"{card}: {'updated' if changed else 'already current'}")
        return 0
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(render_agreement(result, args.format), end="")
    return 0
