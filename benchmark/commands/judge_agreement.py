"""`evbench judge-agreement`: how often each matching mode decides a pair as people did.

Each mode is asked, through the scorer's own matcher, whether the predicted string matches the
gold trigger or argument of every human-judged pair (``gold/judgments/verdicts.jsonl`` or your
own file in that format), and its decisions are compared with the verdicts: accuracy,
precision, recall (a correct pair is the positive class) and Cohen's kappa, overall and per
kind. Run it on your own judge model (``--match judge``) to calibrate it before trusting it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_MODES = ("exact", "arabic", "text", "relaxed")
KINDS = ("all", "argument", "trigger")
MARKERS = ("<!-- judgments:start -->", "<!-- judgments:end -->")


def add_parser(sub) -> None:
    from benchmark.arg_types import choices_list
    from benchmark.cli import add_corpus_option
    from scorers.matching import MATCH_MODES

    p = sub.add_parser("judge-agreement", help="agreement of each matching mode with human verdicts on generated strings")
    p.add_argument("--match", type=choices_list("match mode", MATCH_MODES), default=DEFAULT_MODES, metavar="MODE[,MODE...]",
                   help=f"modes to measure, comma-separated (default {','.join(DEFAULT_MODES)}; judge needs an LLM server)")
    p.add_argument("--verdicts", metavar="FILE", default=None, help="JSONL of judged pairs (default: <corpus>/judgments/verdicts.jsonl)")
    p.add_argument("--format", choices=("plain", "github", "json"), default="plain")
    p.add_argument("--out", metavar="FILE", default=None, help="also write the JSON result here")
    p.add_argument("--update-card", action="store_true", help="write the github table into <corpus>/README.md (the bundled verdicts only)")
    add_corpus_option(p)
    p.set_defaults(run=run)


def judge_agreement(pairs, modes, corpus, gold, *, judge=None) -> dict:
    """Per mode and kind, the agreement of the mode's decisions with the verdicts (``scorers.agreement.VerdictAgreement``)."""
    from benchmark.scoring import ScoreSettings, matcher_for
    from benchmark.verdicts import decide
    from scorers.agreement import verdict_agreement

    result: dict = {"pairs": len(pairs), "correct": sum(p.correct for p in pairs), "annotators": annotator_agreement(pairs), "modes": {}}
    for mode in modes:
        if mode == "judge":
            from benchmark.judging import judged_decisions

            decisions, audit = judged_decisions(pairs, corpus, gold, judge)
            result["judge"] = audit
        else:
            matcher = matcher_for(ScoreSettings(match=mode), corpus, gold)
            decisions = {p.id: decide(p, matcher, gold, corpus) for p in pairs}
        result["modes"][mode] = {
            kind: verdict_agreement((p.correct, decisions[p.id]) for p in pairs if kind in ("all", p.kind)).to_dict() for kind in KINDS
        }
    return result


def annotator_agreement(pairs) -> dict | None:
    """Cohen's kappa between the two independent annotators before adjudication (when the file records them)."""
    from scorers.agreement import kappa

    both = [p.annotators for p in pairs if p.annotators and len(p.annotators) == 2]
    if not both:
        return None
    names = sorted(both[0])
    first, second = [a[names[0]] for a in both], [a[names[1]] for a in both]
    return {"annotators": names, "pairs": len(both), "raw_agreement": sum(x == y for x, y in zip(first, second, strict=True)) / len(both),
            "kappa": kappa(first, second), "adjudicated": sum(x != y for x, y in zip(first, second, strict=True))}


def render(result: dict, fmt: str) -> str:
    from benchmark.tables import percent, table

    rows = []
    for mode, kinds in result["modes"].items():
        for kind in KINDS:
            a = kinds[kind]
            kappa = "-" if a["kappa"] is None else f"{a['kappa']:.3f}"
            rows.append([mode, kind, a["n"], percent(a["accuracy"]), percent(a["precision"]), percent(a["recall"]), kappa,
                         a["tp"], a["fp"], a["fn"], a["tn"]])
    headers = ["mode", "pairs", "n", "accuracy", "precision", "recall", "kappa", "tp", "fp", "fn", "tn"]
    head = f"{result['pairs']} human-judged pairs ({result['correct']} correct); positive class: correct"
    lines = [head, table(rows, headers, "github" if fmt == "github" else "plain")]
    a = result["annotators"]
    if a is not None:
        kappa = "undefined" if a["kappa"] is None else f"{a['kappa']:.3f}"
        lines.append(f"Annotators {' and '.join(a['annotators'])}, each blind to the other, on {a['pairs']} pairs: raw agreement "
                     f"{100 * a['raw_agreement']:.1f} %, Cohen's kappa {kappa}; {a['adjudicated']} disagreements adjudicated.")
    return "\n\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from benchmark.commands.score import emit_result
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import load_gold
    from benchmark.verdicts import default_verdicts, load_verdicts

    corpus = load_corpus(args.gold)
    pairs = load_verdicts(Path(args.verdicts) if args.verdicts else default_verdicts(corpus), corpus)
    judge = None
    if "judge" in args.match:
        from benchmark.judge import LLMJudge

        judge = LLMJudge.from_environment()
    result = judge_agreement(pairs, args.match, corpus, load_gold(corpus), judge=judge)
    if args.update_card:
        from benchmark.datacard import update_card

        card = corpus.root / "README.md"
        changed = update_card(card, render(result, "github"), MARKERS)
        print(f"{card}: {'updated' if changed else 'already current'}")
        return 0
    emit_result(result, args.out, args.format, lambda: render(result, args.format))
    return 0
