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
valid submission. Responses are cached on disk, keyed by the sha256 of the request (model,
messages, sampling parameters), so a rerun makes no request. Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import time
import unicodedata
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmark.corpus import SCORED_KINDS, Corpus, Ontology, default_gold_dir, load_ontology
from benchmark.extractors.base import ExtractorError
from benchmark.problems import InputError, Problem

ENV_BASE_URL, ENV_MODEL, ENV_API_KEY = "EVBENCH_LLM_BASE_URL", "EVBENCH_LLM_MODEL", "EVBENCH_LLM_API_KEY"
RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
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


# ---------------------------------------------------------------------------------------------
# JSON repair


def parse_json_answer(text: str) -> tuple[object | None, bool]:
    """Parse a model's answer; return (value or None, whether a repair was needed).

    Answers that are not plain JSON (code fences, prose around the object, trailing commas, a
    truncated tail) are mended by ``json_repair``, a maintained library made for LLM output.
    A mended value counts only if it is an object or a list of objects (the shapes an answer
    may have); anything else (``json_repair`` turns ``{broken`` into ``["broken"]``) is None.
    """
    try:
        return json.loads(text), False
    except (json.JSONDecodeError, TypeError):
        pass
    from json_repair import repair_json

    value = repair_json(text, return_objects=True)
    if isinstance(value, dict) or (isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
        return value, True
    return None, True


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
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "evbench" / "llm"


def _as_bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in {"1", "true", "yes", "on"}


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
        self.base_url = (base_url or os.environ.get(ENV_BASE_URL) or "").rstrip("/")
        self.model = model or os.environ.get(ENV_MODEL) or ""
        self.__key = api_key or os.environ.get(ENV_API_KEY) or None
        missing = [(n, env) for n, env, v in (("base_url", ENV_BASE_URL, self.base_url), ("model", ENV_MODEL, self.model)) if not v]
        if missing:
            raise InputError([Problem("llm extractor", "", f"no {name} configured", f"set {env} or pass --option {name}=...") for name, env in missing])
        if not self.base_url.startswith(("http://", "https://")):
            raise InputError([Problem("llm extractor", "", f"base_url {self.base_url!r} is not an http(s) URL", "use e.g. http://127.0.0.1:8000/v1")])
        self.endpoint = self.base_url if self.base_url.endswith("/chat/completions") else self.base_url + "/chat/completions"
        self.cache_dir = Path(cache_dir).expanduser() if cache_dir else _default_cache_dir()
        self.use_cache = _as_bool(use_cache)
        self.timeout = float(timeout)
        self.max_retries = int(max_retries)
        self.backoff = float(backoff)
        self.temperature = float(temperature)
        self.max_tokens = int(max_tokens)
        self.max_chars = int(max_chars)
        self.json_mode = _as_bool(json_mode)
        self.sleep = sleep
        rules = guideline_rules(Path(guidelines) if guidelines else root / "guidelines.md")
        self.system_prompt = build_system_prompt(self.ontology, rules)
        self.stats: Counter = Counter()

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
        return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()

    def _cache_path(self, digest: str) -> Path:
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def _redact(self, message: str) -> str:
        return message.replace(self.__key, "***") if self.__key else message

    def complete(self, body: dict) -> str:
        """The model's answer for `body`, from the cache or the server (with retries)."""
        digest = self.cache_key(body)
        path = self._cache_path(digest)
        if self.use_cache and path.is_file():
            try:
                cached = json.loads(path.read_text(encoding="utf-8"))
                self.stats["cache_hits"] += 1
                return cached["content"]
            except (OSError, ValueError, KeyError, TypeError):
                self.stats["cache_unreadable"] += 1
        content = self._post(body)
        if self.use_cache:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps({"model": self.model, "content": content}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        return content

    def _post(self, body: dict) -> str:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.__key:
            headers["Authorization"] = f"Bearer {self.__key}"
        last = "no attempt made"
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.stats["retries"] += 1
            retry_after: float | None = None
            try:
                self.stats["requests"] += 1
                request = urllib.request.Request(self.endpoint, data=data, headers=headers, method="POST")
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    payload = json.loads(response.read().decode("utf-8"))
                return self._content(payload)
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code} {exc.reason}"
                if exc.code not in RETRY_STATUS:
                    detail = exc.read(500).decode("utf-8", "replace")
                    raise ExtractorError(self._redact(f"{self.endpoint}: {last}: {detail}")) from None
                header = exc.headers.get("Retry-After") if exc.headers else None
                retry_after = float(header) if header and header.replace(".", "", 1).isdigit() else None
            except (TimeoutError, socket.timeout):
                last = f"no answer within {self.timeout:g} s"
            except urllib.error.URLError as exc:
                last = f"cannot connect: {exc.reason}"
            except (ValueError, UnicodeDecodeError) as exc:
                last = f"response is not chat-completions JSON: {exc}"
            if attempt < self.max_retries:
                delay = self.backoff * (2**attempt)
                self.sleep(min(max(delay, retry_after or 0.0), 60.0))
        raise ExtractorError(self._redact(f"{self.endpoint}: {last} (gave up after {self.max_retries + 1} attempts)"))

    @staticmethod
    def _content(payload: object) -> str:
        try:
            content = payload["choices"][0]["message"]["content"]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            raise ValueError("no choices[0].message.content") from None
        if not isinstance(content, str):
            raise ValueError("message content is not a string")
        return content

    # -- documents -----------------------------------------------------------------------------

    def chunks(self, document: Any) -> list[tuple[int, str]]:
        """(offset, text) pieces to send: scored segments, cut at line breaks past `max_chars`."""
        text: str = document.text
        segments = getattr(document, "segments", None) or ()
        ranges = [(s.start, s.end) for s in segments if s.kind in SCORED_KINDS] if segments else [(0, len(text))]
        pieces: list[tuple[int, str]] = []
        for start, end in ranges:
            while start < end:
                stop = end
                if end - start > self.max_chars:
                    cut = text.rfind("\n", start, start + self.max_chars)
                    stop = cut + 1 if cut > start else start + self.max_chars
                if text[start:stop].strip():
                    pieces.append((start, text[start:stop]))
                start = stop
        return pieces

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
        """Check the model's events against the ontology and resolve their spans in `text`."""
        if isinstance(value, dict):
            value = value.get("events", [])
        if not isinstance(value, list):
            return []
        out, cursor = [], 0
        for item in value:
            if not isinstance(item, dict) or item.get("type") not in self.ontology.types:
                self.stats["dropped_events_bad_type"] += 1
                continue
            trigger = item.get("trigger")
            if isinstance(trigger, dict):
                trigger = trigger.get("text")
            span = find_span(text, trigger, cursor, forward=True) if isinstance(trigger, str) else None
            if span is None:
                self.stats["dropped_triggers"] += 1
                continue
            cursor = span[0]
            event: dict[str, Any] = {"type": item["type"]}
            realis = item.get("realis")
            if realis in self.ontology.realis:
                event["realis"] = realis
            elif realis is not None:
                self.stats["dropped_realis"] += 1
            event["trigger"] = {"start": offset + span[0], "end": offset + span[1], "text": text[span[0] : span[1]]}
            event["arguments"] = self._arguments(item.get("arguments"), item["type"], text, offset, span[0])
            out.append(event)
        return out

    def _arguments(self, raw: object, etype: str, text: str, offset: int, anchor: int) -> list[dict]:
        roles = self.ontology.roles_for(etype)
        args: list[dict] = []
        seen: set[tuple] = set()
        for arg in raw if isinstance(raw, list) else []:
            if not isinstance(arg, dict) or arg.get("role") not in roles:
                self.stats["dropped_arguments"] += 1
                continue
            mention = arg.get("text", arg.get("mention"))
            span = find_span(text, mention, anchor, forward=False) if isinstance(mention, str) else None
            if span is None:
                self.stats["dropped_arguments"] += 1
                continue
            key = (arg["role"], span)
            if key in seen:
                continue
            seen.add(key)
            args.append({"role": arg["role"], "start": offset + span[0], "end": offset + span[1], "text": text[span[0] : span[1]]})
        return args
