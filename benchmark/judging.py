"""`--match judge`: find the pairs relaxed matching leaves undecided, ask the LLM judge, keep the audit.

Tiered as REGen (Sharif et al., Findings of EMNLP 2025): a pair that ``exact`` or ``relaxed``
matching accepts is never sent; only the pairs that could still be a match are asked:

* an argument: a predicted argument that relaxed matching left unmatched, against each unmatched
  reference argument **of the same role** of the reference event its event is aligned with
  (under ``tri_c``);
* a trigger: an unmatched predicted trigger against each unmatched reference trigger of the same
  type in the same document (in the same sentence when both are located).

The verdicts become a ``scorers.matching.JudgeMatch`` and the submission is scored with it; the
result keeps the judge's model, prompt version and every judged pair with its verdict and reason.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from benchmark.input.corpus import Corpus
from scorers.events import Outcome
from scorers.matching import DocumentContext, JudgedKey, make_matcher
from scorers.model import Annotation, Span
from scorers.registry import BY_NAME, score


def _sentence(context: DocumentContext, doc_id: str, span: Span) -> tuple[int, int] | None:
    starts = context.sentences.get(doc_id)
    text = context.texts.get(doc_id)
    if not starts or text is None or not span.has_offsets:
        return None
    i = bisect_right(starts, span.start) - 1  # type: ignore[arg-type]
    return starts[i], starts[i + 1] if i + 1 < len(starts) else len(text)


def _sentence_text(context: DocumentContext, doc_id: str, span: Span) -> str:
    found = _sentence(context, doc_id, span)
    return context.texts[doc_id][found[0]:found[1]].strip() if found else ""


def undecided(prediction: Annotation, gold: Annotation, context: DocumentContext) -> list[tuple[JudgedKey, object]]:
    """(key, question) for every pair relaxed matching leaves undecided (see the module docstring)."""
    from benchmark.judge import JudgeQuestion

    metrics = (BY_NAME["tri_c"], BY_NAME["arg_c+"])
    outcomes: list[Outcome] = score(prediction, gold, make_matcher("relaxed", context=context), metrics)  # type: ignore[arg-type]
    partner: dict[int, object] = {}
    missed_args: dict[int, list] = defaultdict(list)
    spurious_args, missed_triggers, spurious_triggers = [], defaultdict(list), defaultdict(list)
    for o in outcomes:
        if o.metric == "tri_c" and o.kind == "tp":
            partner[id(o.pred.event)] = o.ref.event  # type: ignore[union-attr]
        elif o.metric == "tri_c":
            (missed_triggers if o.kind == "fn" else spurious_triggers)[o.doc_id].append(o.item.event)
        elif o.kind == "fn":
            missed_args[id(o.ref.event)].append(o.ref)  # type: ignore[union-attr]
        elif o.kind == "fp":
            spurious_args.append(o.pred)
    found: list[tuple[JudgedKey, object]] = []
    for pred in spurious_args:
        ref_event = partner.get(id(pred.event))
        if ref_event is None:
            continue  # its event is not aligned: no reference argument to compare it with
        for ref in missed_args.get(id(ref_event), ()):
            if ref.argument.role != pred.argument.role:
                continue
            doc_id = ref_event.doc_id  # type: ignore[attr-defined]
            question = JudgeQuestion("argument", doc_id, _sentence_text(context, doc_id, ref_event.trigger), ref_event.type,  # type: ignore[attr-defined]
                                     ref.argument.role, ref.argument.span.text, pred.argument.span.text, pred.argument.role)
            found.append((("argument", doc_id, ref.argument.span, pred.argument.span.text), question))
    for doc_id, missed in missed_triggers.items():
        for pred in spurious_triggers.get(doc_id, ()):
            for ref in missed:
                if ref.type != pred.type:
                    continue
                here, there = _sentence(context, doc_id, pred.trigger), _sentence(context, doc_id, ref.trigger)
                if here is not None and there is not None and here != there:
                    continue
                question = JudgeQuestion("trigger", doc_id, _sentence_text(context, doc_id, ref.trigger), ref.type, None,
                                         ref.trigger.text, pred.trigger.text)
                found.append((("trigger", doc_id, ref.trigger, pred.trigger.text), question))
    return found


def judge_verdicts(prediction: Annotation, gold: Annotation, context: DocumentContext, judge) -> tuple[dict[JudgedKey, bool], dict]:
    """Ask the judge every undecided pair; the verdicts (failures count as no) and the audit block of the result."""
    from benchmark.judge import JudgeVerdict, judged_entry

    pairs = undecided(prediction, gold, context)
    outcomes = judge.judge_all(question for _, question in pairs)
    verdicts = {key: isinstance(outcomes[q], JudgeVerdict) and outcomes[q].correct for key, q in pairs}
    judged = [judged_entry(question, outcomes[question]) for question in dict.fromkeys(q for _, q in pairs)]
    audit = {**judge.settings(), "asked": len(judged), "yes": sum(e["verdict"] == "yes" for e in judged),
             "no": sum(e["verdict"] == "no" for e in judged), "failed": sum(e["verdict"] == "failed" for e in judged),
             "judged": judged}
    return verdicts, audit


def judged_decisions(pairs, corpus: Corpus, gold: Annotation, judge) -> tuple[dict[str, bool], dict]:
    """For `evbench judge-agreement`: relaxed's decision, and the judge's for the pairs relaxed rejects (same role only)."""
    from benchmark.judge import JudgeQuestion, JudgeVerdict, judged_entry
    from benchmark.scoring import ScoreSettings, matcher_for
    from benchmark.verdicts import decide

    relaxed = matcher_for(ScoreSettings(match="relaxed"), corpus, gold)
    decisions = {p.id: decide(p, relaxed, gold, corpus) for p in pairs}
    asked = {p.id: JudgeQuestion(p.kind, p.doc_id, p.sentence, p.event_type, p.gold_role, p.gold, p.predicted, p.predicted_role)
             for p in pairs if not decisions[p.id] and (p.kind == "trigger" or p.predicted_role == p.gold_role)}
    outcomes = judge.judge_all(asked.values())
    for pair_id, question in asked.items():
        outcome = outcomes[question]
        decisions[pair_id] = isinstance(outcome, JudgeVerdict) and outcome.correct
    judged = [judged_entry(q, outcomes[q]) for q in dict.fromkeys(asked.values())]
    return decisions, {**judge.settings(), "asked": len(judged), "failed": sum(e["verdict"] == "failed" for e in judged), "judged": judged}
