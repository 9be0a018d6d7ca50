"""An LLM baseline: any OpenAI-compatible chat-completions server (vLLM, Ollama, llama.cpp, hosted).

Configuration comes from `--option KEY=VALUE` or the environment: ``base_url``
(``EVBENCH_LLM_BASE_URL``, e.g. ``http://127.0.0.1:8000/v1``), ``model``
(``EVBENCH_LLM_MODEL``) and ``api_key`` (``EVBENCH_LLM_API_KEY``, optional for local servers).
The key is sent only in the ``Authorization`` header: it is never printed, logged, put in an
error message, in the results or in the cache.

One request per scored segment (long segments are cut at line breaks). The prompt is built from
the ontology (types, definitions, roles, typical triggers, realis values) and the guidelines'
rules on triggers, realis, types and arguments. The model answers with text spans; the
offsets are recovered here (whole-word match, in reading order), and whatever cannot be
resolved or is not in the ontology is dropped and counted in `stats`, so the output is always a
valid submission. The HTTP side (retries, timeouts, the disk cache keyed by the sha256 of the
request, the server's message on errors, failing fast when nothing listens) is
`benchmark.llm_client.ChatClient`, shared with the `--match judge` scorer. Only an answer that
parses as events is cached; an unparseable one is counted in ``failed_requests`` (so `evbench
run` counts its document as failed) and asked again on the next run. Standard library only.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmark.extractors.base import ExtractorError
from benchmark.input.corpus import SCORED_KINDS, Corpus, Ontology, default_gold_dir, load_ontology
from benchmark.llm_client import ENV_API_KEY, ENV_BASE_URL, ENV_MODEL, RETRY_STATUS, ChatClient, ChatError, cache_key, default_cache_dir, one_line  # noqa: F401 (importable from here as before)
from benchmark.loose_output import (
    COUNTER_NAMES,
    NO_EVENT_LIST,
    NOT_JSON,
    convert_arguments,
    convert_events,
    parse_json_answer,  # noqa: F401 (importable from here as before)
)

GUIDELINE_SECTIONS = ("2.", "3.", "4.", "5.")  # trigger span, realis, type decisions, arguments

FALLBACK_RULES = """\
- A trigger is the single orthographic word (clitics included, punctuation excluded) that most clearly expresses the event; nouns trigger events as well as verbs.
- Light verbs (أجرى زيارة، عقد لقاء) are annotated on the noun; aspectual verbs (بدأ زيارة) are not events.
- Bare attribution verbs that only introduce reported content (قال، أضاف، أكد، أفاد، ذكر) are not events.
- realis: actual if asserted as happened or happening; other if planned, expected, possible, requested, conditional or negated (سيزور، من المقرر، قد، لم، لن); generic if mentioned as a kind or habit.
- An argument is the entity mention closest to the trigger in the same sentence, whole words, a name preferred over a pronoun or title.
"""

OUTPUT_FORMAT = """\
Answer with one JSON object and nothing else:
{"events": [{"type": "<event type>", "trigger": "<trigger word exactly as written>", "realis": "<realis>",
  "arguments": [{"role": "<role>", "text": "<argument words exactly as written>"}]}]}
List the events in the order their triggers appear. Copy trigger and argument text character for
character from the text (same letters, clitics and diacritics). Use only the types and roles
listed. If there is no event, answer {"events": []}."""


# ---------------------------------------------------------------------------------------------
# Prompt


def guideline_rules(path: Path | None) -> str:
    """The guidelines' key sections (trigger span, realis, type decisions, arguments), or a digest."""
    if path is None or not path.is_file():
        return FALLBACK_RULES
    text = path.read_text(encoding="utf-8")
    sections = re.split(r"(?m)^(?=## )", text)
    kept = [s.strip() for s in sections if s.startswith("## ") and s[3:].lstrip().startswith(GUIDELINE_SECTIONS)]
    return "\n\n".join(kept) if kept else FALLBACK_RULES


def ontology_description(ontology: Ontology) -> str:
    lines = []
    for t in ontology.types.values():
        triggers = ", ".join((*t.verbal_triggers, *t.nominal_triggers))
        lines.append(f"- {t.name}: {t.definition}\n  roles: {', '.join(t.roles)}" + (f"\n  typical triggers: {triggers}" if triggers else ""))
    return "\n".join(lines)


def build_system_prompt(ontology: Ontology, rules: str) -> str:
    return (
        "You annotate events in Arabic news text, following Rich ERE / TAC KBP event nuggets.\n\n"
        f"Event types:\n{ontology_description(ontology)}\n\n"
        f"Realis values: {', '.join(ontology.realis)}.\n\n"
        f"Annotation guidelines (key rules):\n{rules}\n\n{OUTPUT_FORMAT}"
    )


def build_user_prompt(text: str) -> str:
    return f"Text:\n<<<\n{text}\n>>>"


def build_passage_prompt(context: str, passage: str) -> str:
    """The user message asking about one passage of `context` (lm-eval's sentence-window task): the
    whole text is given, so arguments and references outside the passage can be read."""
    return (f"Text:\n<<<\n{context}\n>>>\n\nAnnotate only the events whose trigger is in this passage of the text "
            f"(arguments may be anywhere in the text):\n<<<\n{passage}\n>>>")


# ---------------------------------------------------------------------------------------------
# JSON repair: `parse_json_answer` is `benchmark.loose_output.parse_json_answer` (shared with `evbench convert`).


# ---------------------------------------------------------------------------------------------
# Offsets



def _is_word_char(ch: str) -> bool:
    """Letters, digits and combining marks (harakat, tanwin): a word does not end before a mark."""
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")
_EDGE_PUNCT = " \t\n\"'«»“”‘’.,،؛;:!?؟()[]{}<>-–—…"


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not _is_word_char(before) and not _is_word_char(after)


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    found, i = [], text.find(needle)
    while i >= 0:
        found.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return found


def _expand_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]):
        end += 1
    return start, end


_SENTENCE_END = re.compile(r"[.!?؟؛\n]")


def _closeness(text: str, span: tuple[int, int], anchor: int) -> tuple[bool, int, int]:
    """Sort key: same sentence as `anchor` first, then the gap in characters, then position."""
    lo, hi = (span[1], anchor) if span[1] <= anchor else (anchor, span[0])
    gap = max(0, hi - lo)
    return (bool(_SENTENCE_END.search(text, lo, hi)) if gap else False, gap, span[0])


def find_span(text: str, needle: str, anchor: int, *, forward: bool) -> tuple[int, int] | None:
    """Locate `needle` in `text` as whole words.

    With `forward`, the first occurrence at or after `anchor` (reading order), else the one
    nearest it; without, the occurrence nearest `anchor`, preferring its sentence. When the needle only occurs inside
    longer words (a clitic left out, ``زيارة`` for ``وزيارة``), the match is widened to the
    whole words, as the guidelines take spans with their clitics.
    """
    needle = needle.strip(_EDGE_PUNCT) if isinstance(needle, str) else ""
    if not needle:
        return None
    spans = [s for s in _occurrences(text, needle) if _whole_word(text, *s)]
    if not spans:
        spans = sorted({_expand_to_words(text, *s) for s in _occurrences(text, needle)})
    if not spans:
        return None
    if forward:
        after = [s for s in spans if s[0] >= anchor]
        if after:
            return after[0]
    return min(spans, key=lambda s: _closeness(text, s, anchor))


# ---------------------------------------------------------------------------------------------
# The extractor


def _default_cache_dir() -> Path:
    return default_cache_dir("llm")


def _as_bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in {"1", "true", "yes", "on"}


def usable_answer(text: str, ontology: Ontology) -> bool:
    """Whether an answer is worth caching: `benchmark.loose_output` (which `to_events` reads it
    with) finds an event list in it, possibly empty. An answer that is not JSON even after
    repair, or has no event list, is asked again on the next run. Asking the converter itself
    keeps this rule from drifting away from what the extractor accepts."""
    _, changes = convert_events(text, "", ontology)
    return not any(change.what in (NOT_JSON, NO_EVENT_LIST) for change in changes)


def document_chunks(document: Any, max_chars: int = 6000) -> list[tuple[int, str]]:
    """(offset, text) pieces of a document sent to a model, one request each: its scored segments
    (chrome is never sent), cut at line breaks past `max_chars`. Shared by the `llm` extractor and
    the lm-evaluation-harness task (`benchmark.integrations.lm_eval_task`), so both ask about the same texts."""
    text: str = document.text
    segments = getattr(document, "segments", None) or ()
    ranges = [(s.start, s.end) for s in segments if s.kind in SCORED_KINDS] if segments else [(0, len(text))]
    pieces: list[tuple[int, str]] = []
    for start, end in ranges:
        while start < end:
            stop = end
            if end - start > max_chars:
                cut = text.rfind("\n", start, start + max_chars)
                stop = cut + 1 if cut > start else start + max_chars
            if text[start:stop].strip():
                pieces.append((start, text[start:stop]))
            start = stop
    return pieces


class LLMExtractor:
    """Extract events by asking a chat-completions model; see the module docstring."""

    name = "llm"

    def __init__(
        self,
        corpus: Corpus | None = None,
        *,
        base_url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        cache_dir: str | Path | None = None,
        use_cache: bool | str = True,
        refresh: bool | str = False,
        timeout: float | str = 120.0,
        max_retries: int | str = 5,
        backoff: float | str = 1.0,
        temperature: float | str = 0.0,
        max_tokens: int | str = 4096,
        max_chars: int | str = 6000,
        json_mode: bool | str = False,
        ontology: Ontology | None = None,
        guidelines: str | Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        root = corpus.root if corpus is not None else default_gold_dir()
        self.ontology = ontology or (corpus.ontology if corpus is not None else load_ontology(root / "ontology.json"))
        self.stats: Counter = Counter()
        #: One message per answer that could not be used (see `benchmark.extractors.base.ExtractorError`).
        self.failed_requests: list[str] = []
        self.client = ChatClient(
            base_url, model, api_key, cache_dir=cache_dir or _default_cache_dir(), use_cache=_as_bool(use_cache),
            refresh=_as_bool(refresh), timeout=float(timeout), max_retries=int(max_retries), backoff=float(backoff),
            sleep=sleep, stats=self.stats, label="llm extractor",
            hints={"base_url": "pass --base-url (or --option base_url=...)", "model": "pass --model (or --option model=...)"},
        )
        self.temperature = float(temperature)
        self.max_tokens = int(max_tokens)
        self.max_chars = int(max_chars)
        self.json_mode = _as_bool(json_mode)
        rules = guideline_rules(Path(guidelines) if guidelines else root / "guidelines.md")
        self.system_prompt = build_system_prompt(self.ontology, rules)

    # The client's settings, readable here as before the client was shared.
    base_url = property(lambda self: self.client.base_url)
    model = property(lambda self: self.client.model)
    endpoint = property(lambda self: self.client.endpoint)
    cache_dir = property(lambda self: self.client.cache_dir)

    def __repr__(self) -> str:  # never shows the key
        return f"LLMExtractor(base_url={self.base_url!r}, model={self.model!r}, cache_dir={str(self.cache_dir)!r})"

    # -- requests ------------------------------------------------------------------------------

    def request_body(self, text: str) -> dict:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "system", "content": self.system_prompt}, {"role": "user", "content": build_user_prompt(text)}],
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        if self.json_mode:
            body["response_format"] = {"type": "json_object"}
        return body

    @staticmethod
    def cache_key(body: dict) -> str:
        """sha256 of the request (model, messages, sampling parameters); the key is not in it."""
        return cache_key(body)

    def complete(self, body: dict) -> str:
        """The model's answer for `body`, from the cache or the server (with retries).

        Only an answer that parses as events is cached; any other is recorded in
        `failed_requests` (its document then counts as failed) and asked again next run.
        A failed request raises ExtractorError, fatal when every request would fail alike.
        """
        try:
            content = self.client.complete(body, cacheable=lambda answer: usable_answer(answer, self.ontology))
        except ChatError as exc:
            raise ExtractorError(str(exc), fatal=exc.fatal, fix=exc.fix) from None
        if not usable_answer(content, self.ontology):
            self.failed_requests.append(f"unparseable answer from {self.model}: {one_line(content, 120)!r}")
        return content

    # -- documents -----------------------------------------------------------------------------

    def chunks(self, document: Any) -> list[tuple[int, str]]:
        """(offset, text) pieces to send: `document_chunks` with this extractor's `max_chars`."""
        return document_chunks(document, self.max_chars)

    def __call__(self, document: Any) -> list[dict]:
        events: list[dict] = []
        for offset, chunk in self.chunks(document):
            answer = self.complete(self.request_body(chunk))
            value, repaired = parse_json_answer(answer)
            if repaired:
                self.stats["json_repaired" if value is not None else "json_unparseable"] += 1
            events.extend(self.to_events(value, chunk, offset))
        for i, event in enumerate(events, start=1):
            event["id"] = f"e{i}"
        return events

    def to_events(self, value: object, text: str, offset: int) -> list[dict]:
        """The model's events for chunk `text` (at `offset` in its document), by `benchmark.loose_output`:
        checked against the ontology, spans found in `text`; what is dropped is counted in `stats`."""
        events, changes = convert_events(value, text, self.ontology, offset=offset, keep_unlocated=False)
        for change in changes:  # several changes share a counter (dropped_arguments)
            if change.what in COUNTER_NAMES:
                self.stats[COUNTER_NAMES[change.what]] += change.count
        return events

    def _arguments(self, raw: object, etype: str, text: str, offset: int, anchor: int) -> list[dict]:
        """One event's arguments (a list or a {role: text} map), located nearest `anchor`; drops counted."""
        arguments, changes = convert_arguments(raw, etype, text, self.ontology, anchor=anchor, offset=offset, keep_unlocated=False)
        for change in changes:  # several changes share a counter (dropped_arguments)
            if change.what in COUNTER_NAMES:
                self.stats[COUNTER_NAMES[change.what]] += change.count
        return arguments
