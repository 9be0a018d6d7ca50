"""An LLM judge for generated arguments and triggers: the last tier of ``--match judge``.

REGen (Sharif et al., Findings of EMNLP 2025) scores generated arguments in tiers: exact, then
relaxed, then only the pairs still undecided go to an LLM judge. This module is that judge; the
scorer decides which pairs reach it.

* **The standard is the guidelines.** The prompt embeds ``gold/guidelines.md`` section 9 ("When
  is a generated argument correct?"), read from the file at run time: 9.1 for arguments, 9.2
  for triggers. People (the human-verdict set in ``gold/judgments/``) and the model judge by
  the same text, and a change to it changes the requests, hence the cache keys.
* **One question, one yes/no.** The judge sees the sentence, the event type, the gold string
  (with its role) and the predicted string (with its role) and answers a JSON object
  ``{"verdict": "yes"|"no", "reason": "<one line>"}``. The parser is tolerant (prose or code
  fences around the object, a leading "Yes"/"No" word) but never guesses: anything else is a
  `JudgeFailure`.
* **Failures are reported, never cached, never counted as "no".** An unparseable answer, a
  server error after the retries or a timeout becomes a `JudgeFailure` for that pair, and the
  next run asks again. A server that is not there (connection refused, wrong URL, bad key) stops
  the whole run with an `InputError` at the first pair: every pair would fail alike.
* **Auditable.** `LLMJudge.settings()` (model, prompt version, guidelines hash) and
  `judged_entry()` per pair are what a result file keeps, so a paper can publish every verdict.

Transport, retries, the key and the cache are `benchmark.llm_client.ChatClient`'s.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from benchmark.input.corpus import default_gold_dir
from benchmark.input.problems import InputError, Problem
from benchmark.llm_client import ENV_API_KEY, ENV_BASE_URL, ENV_MODEL, ChatClient, ChatError, default_cache_dir, one_line, setting

#: Names the prompt template (wording and answer format, not the rules, which come from the
#: guidelines file and are identified by their hash). Change it whenever the template changes.
PROMPT_VERSION = "judge-v1"
SECTION_TITLE = "When is a generated argument correct?"
SUBSECTIONS = {"argument": "9.1", "trigger": "9.2"}
REASON_LIMIT = 300

Kind = Literal["argument", "trigger"]


@dataclass(frozen=True)
class JudgeQuestion:
    """One undecided pair: is `predicted` correct for the gold `gold` in `sentence`?

    `role` is the gold argument's role (None for a trigger); `predicted_role` is the role the
    system gave its string (None: the gold role). `doc_id` locates the pair for the audit; it is
    not sent to the model, so the same pair in two documents is asked once.
    """

    kind: Kind
    doc_id: str
    sentence: str
    event_type: str
    role: str | None
    gold: str
    predicted: str
    predicted_role: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SUBSECTIONS:
            raise ValueError(f"kind must be 'argument' or 'trigger', not {self.kind!r}")
        if self.kind == "argument" and not self.role:
            raise ValueError("an argument question needs the gold role")


@dataclass(frozen=True)
class JudgeVerdict:
    """The judge's answer: correct or not, and its one-line reason."""

    correct: bool
    reason: str


@dataclass(frozen=True)
class JudgeFailure:
    """No verdict for this pair (unparseable answer, server error, timeout); never cached."""

    message: str


Outcome = JudgeVerdict | JudgeFailure


# --- the prompt -----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _read_rules(path: Path, mtime_ns: int) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    sections = re.split(r"(?m)^(?=## )", text)
    section = next((s for s in sections if s.startswith("## ") and SECTION_TITLE.lower() in s.splitlines()[0].lower()), None)
    if section is None:
        raise InputError([Problem(str(path), "", f"no section '## 9. {SECTION_TITLE}'",
                                  "use guidelines that define when a generated argument is correct (gold/guidelines.md section 9)")])
    parts = {p.split()[1]: p.strip() for p in re.split(r"(?m)^(?=### )", section) if p.startswith("### ")}
    missing = [n for n in SUBSECTIONS.values() if n not in parts]
    if missing:
        raise InputError([Problem(str(path), f"section {n}", f"no subsection '### {n}' under '{SECTION_TITLE}'",
                                  "restore 9.1 (arguments) and 9.2 (triggers)") for n in missing])
    return {kind: parts[number] for kind, number in SUBSECTIONS.items()}


def judge_rules(guidelines: str | Path | None = None) -> dict[str, str]:
    """Section 9.1 (``"argument"``) and 9.2 (``"trigger"``) of the guidelines, as written.

    Read at run time (re-read when the file changes), so the judge always applies the current
    standard. Raises InputError when the file or a section is missing.
    """
    path = Path(guidelines) if guidelines else default_gold_dir() / "guidelines.md"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read the guidelines: {exc.strerror}", "pass the corpus's guidelines.md")]) from None
    return _read_rules(path.resolve(), mtime)


ANSWER_FORMAT = (
    'Answer with one JSON object on one line and nothing else:\n'
    '{"verdict": "yes", "reason": "<one short line: why>"} if the prediction is correct,\n'
    '{"verdict": "no", "reason": "<one short line: why>"} if it is not.'
)


def build_judge_messages(question: JudgeQuestion, *, guidelines: str | Path | None = None) -> list[dict[str, str]]:
    """The chat messages asking the judge about `question` (system: rules; user: the pair)."""
    rules = judge_rules(guidelines)[question.kind]
    thing = "argument (participant, place or time)" if question.kind == "argument" else "trigger word"
    system = (
        "You check the output of an event extraction system on Arabic news (Rich ERE / TAC KBP events). "
        f"You are given one gold {thing} and the string a system predicted for it, and you decide whether "
        "the prediction is correct. Apply these rules from the annotation guidelines and nothing else:\n\n"
        f"{rules}\n\n{ANSWER_FORMAT}"
    )
    if question.kind == "argument":
        predicted_role = question.predicted_role or question.role
        pair = (f"Gold argument: role {question.role}: «{question.gold}»\n"
                f"Predicted argument: role {predicted_role}: «{question.predicted}»\n\n"
                "Is the predicted argument correct for the gold argument?")
    else:
        pair = (f"Gold trigger: «{question.gold}»\n"
                f"Predicted trigger: «{question.predicted}»\n\n"
                "Is the predicted trigger correct for this gold event mention?")
    user = f"Sentence:\n<<<\n{question.sentence}\n>>>\nEvent type: {question.event_type}\n{pair}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


# --- the answer -----------------------------------------------------------------------------

_WORDS = {"yes": True, "no": False, "correct": True, "incorrect": False, "true": True, "false": False}
_THINKING = re.compile(r"<think>.*?</think>", re.S | re.I)
_LEADING_WORD = re.compile(r"[\s\W_]*(yes|no|correct|incorrect)\b[\s\W_]*(.*)", re.S | re.I)


def _verdict_value(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _WORDS.get(value.strip().strip(".!").lower())
    return None


def parse_verdict(text: str) -> JudgeVerdict | None:
    """A verdict from the judge's answer, or None when the answer does not give one.

    Accepted: a JSON object with ``verdict`` (yes/no, correct/incorrect, true/false) anywhere in
    the answer (code fences, prose, a ``<think>`` block around it); or an answer starting with
    such a word, the rest of its first line being the reason.
    """
    text = _THINKING.sub("", text or "").strip()
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict):
            correct = _verdict_value(value.get("verdict", value.get("answer", value.get("correct"))))
            if correct is None:
                return None
            reason = value.get("reason", "")
            return JudgeVerdict(correct, one_line(reason if isinstance(reason, str) else json.dumps(reason, ensure_ascii=False), REASON_LIMIT))
    found = _LEADING_WORD.match(text.removeprefix("```").strip())
    if found is None:
        return None
    rest = next((line for line in found.group(2).splitlines() if line.strip()), "")
    return JudgeVerdict(_WORDS[found.group(1).lower()], one_line(rest.strip().rstrip("`"), REASON_LIMIT))


def _parseable(text: str) -> bool:
    return parse_verdict(text) is not None


# --- the judge ------------------------------------------------------------------------------


def judged_entry(question: JudgeQuestion, outcome: Outcome) -> dict[str, Any]:
    """One pair for a result file's ``judged`` list: the question, ``verdict`` (yes / no /
    failed) and ``reason`` (the judge's, or what went wrong)."""
    entry: dict[str, Any] = {"kind": question.kind, "doc_id": question.doc_id, "event_type": question.event_type,
                             "role": question.role, "predicted_role": question.predicted_role or question.role,
                             "gold": question.gold, "predicted": question.predicted, "sentence": question.sentence}
    if isinstance(outcome, JudgeVerdict):
        entry.update(verdict="yes" if outcome.correct else "no", reason=outcome.reason)
    else:
        entry.update(verdict="failed", reason=outcome.message)
    return entry


class LLMJudge:
    """Ask a chat-completions model whether generated strings match the gold (see the module)."""

    def __init__(self, client: ChatClient, *, guidelines: str | Path | None = None, temperature: float = 0.0, max_tokens: int = 512) -> None:
        self.client = client
        self.guidelines = guidelines
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.prompt_version = PROMPT_VERSION
        rules = judge_rules(guidelines)  # read now: a missing section fails before any request
        self.guidelines_sha256 = hashlib.sha256(json.dumps(rules, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
        self.stats: Counter = client.stats

    @property
    def model(self) -> str:
        return self.client.model

    def __repr__(self) -> str:  # the client's repr never shows the key
        return f"LLMJudge(model={self.model!r}, prompt_version={self.prompt_version!r}, client={self.client!r})"

    @classmethod
    def from_environment(
        cls,
        base_url: str | None = None,
        model: str | None = None,
        *,
        cache_dir: str | Path | None = None,
        use_cache: bool = True,
        refresh: bool = False,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 1.0,
        guidelines: str | Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> LLMJudge:
        """A judge on the server of ``EVBENCH_LLM_BASE_URL`` / ``EVBENCH_LLM_MODEL`` (or the
        arguments), key from ``EVBENCH_LLM_API_KEY`` only. Raises InputError (exit 2) when
        no server is configured. Answers are cached in ``~/.cache/evbench/judge``."""
        missing = [env for env, value in ((ENV_BASE_URL, setting(base_url, ENV_BASE_URL)), (ENV_MODEL, setting(model, ENV_MODEL))) if not value]
        if missing:
            raise InputError([Problem(
                "--match judge", "", f"no LLM judge server configured ({' and '.join(missing)} not set)",
                f"set {ENV_BASE_URL} and {ENV_MODEL} to an OpenAI-compatible chat-completions server and its model "
                f"(e.g. http://127.0.0.1:8000/v1 and the served model name; a key, if needed, in {ENV_API_KEY}), "
                "or score with --match relaxed")])
        client = ChatClient(base_url, model, None, cache_dir=cache_dir or default_cache_dir("judge"), use_cache=use_cache,
                            refresh=refresh, timeout=timeout, max_retries=max_retries, backoff=backoff, sleep=sleep,
                            label="--match judge")
        return cls(client, guidelines=guidelines)

    def settings(self) -> dict[str, str]:
        """What identifies the verdicts in a result file: model, prompt version, guidelines hash."""
        return {"model": self.model, "prompt_version": self.prompt_version, "guidelines_sha256": self.guidelines_sha256}

    def request_body(self, question: JudgeQuestion) -> dict[str, Any]:
        messages = build_judge_messages(question, guidelines=self.guidelines)
        return self.client.body(messages, temperature=self.temperature, max_tokens=self.max_tokens)

    def judge(self, question: JudgeQuestion) -> Outcome:
        """The verdict on one pair, or a JudgeFailure; InputError when the server is unusable."""
        try:
            answer = self.client.complete(self.request_body(question), cacheable=_parseable)
        except ChatError as exc:
            if exc.fatal:
                raise InputError([Problem("--match judge", "", str(exc), exc.fix)]) from None
            self.stats["judge_failed"] += 1
            return JudgeFailure(str(exc))
        verdict = parse_verdict(answer)
        if verdict is None:
            self.stats["judge_unparseable"] += 1
            return JudgeFailure(f"unparseable answer from {self.model}: {one_line(answer, 200)!r}")
        self.stats["judge_yes" if verdict.correct else "judge_no"] += 1
        return verdict

    def judge_all(self, questions: Iterable[JudgeQuestion]) -> dict[JudgeQuestion, Outcome]:
        """Every distinct question's outcome (each asked once, in first-seen order)."""
        return {question: self.judge(question) for question in dict.fromkeys(questions)}
