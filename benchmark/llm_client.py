"""One client for OpenAI-compatible chat-completions servers (vLLM, Ollama, llama.cpp, hosted APIs).

The `llm` extractor and the `--match judge` scorer both talk to a model through this class, so
the rules below hold for both and are tested once:

* **Settings** come from arguments or the environment: ``EVBENCH_LLM_BASE_URL`` (e.g.
  ``http://127.0.0.1:8000/v1``), ``EVBENCH_LLM_MODEL`` and ``EVBENCH_LLM_API_KEY``. The key is
  sent only in the ``Authorization`` header. It is never in a repr, an error message, the cache
  or a result, and an answer that happens to contain it is redacted.
* **Failures say what the server said.** An HTTP error shows the server's own message (an
  excerpt of its body), for 4xx and 5xx alike, because "HTTP 500" alone does not tell a user
  that the model ran out of memory. A refused connection is not retried: a server that is not
  there will not be there in 31 s either, so it fails at once, naming the URL and the fix.
  Errors carry ``fatal``: a configuration problem (no server, wrong URL, bad key) that every
  further request would repeat, against a failure of this one request (5xx after the retries,
  a timeout, a 400 for an over-long prompt) after which a caller may go on with other requests.
* **Retries** with exponential backoff on 408/409/425/429/5xx, timeouts and dropped
  connections, honouring ``Retry-After``.
* **The disk cache** is keyed by the sha256 of the request body (model, messages, sampling
  parameters; the key is not in it), so a rerun makes no request. An answer is written only when
  the caller's ``cacheable`` says it is valid for it: an unparseable answer or a failure is never
  cached, so a rerun after fixing the server asks again instead of reusing the bad answer. A
  cached answer the caller no longer accepts (written by an older version) is dropped and asked
  again. ``use_cache=False`` neither reads nor writes; ``refresh=True`` does not read but writes.

Standard library only.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from benchmark.input.problems import InputError, Problem

ENV_BASE_URL, ENV_MODEL, ENV_API_KEY = "EVBENCH_LLM_BASE_URL", "EVBENCH_LLM_MODEL", "EVBENCH_LLM_API_KEY"
#: Statuses worth asking again: the server is busy, overloaded or failed this once.
RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
#: Statuses that every request would get again (bad key, wrong URL or model): stop at once.
FATAL_STATUS = frozenset({401, 403, 404, 405, 407})
MAX_DELAY = 60.0
EXCERPT = 300


def _always(_: str) -> bool:
    return True


class ChatError(Exception):
    """A request failed. The message names the endpoint and what the server said, never the key.

    ``fatal``: every further request would fail the same way (stop the run); otherwise only this
    request failed. ``fix`` says what to do; ``status`` is the HTTP status when there was one.
    """

    def __init__(self, message: str, *, fatal: bool, fix: str, status: int | None = None) -> None:
        super().__init__(message)
        self.fatal = fatal
        self.fix = fix
        self.status = status


def setting(value: str | None, env: str) -> str:
    """An explicit value, else the environment variable `env`, else ""."""
    return (value or os.environ.get(env) or "").strip()


def cache_key(body: Mapping[str, Any]) -> str:
    """sha256 of the request body (model, messages, sampling parameters); the key is not in it."""
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def default_cache_dir(kind: str = "llm") -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "evbench" / kind


def one_line(text: str, limit: int = EXCERPT) -> str:
    """Whitespace collapsed, cut to `limit` characters: fit for a one-line message."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def server_message(raw: bytes) -> str:
    """The server's own words from an error body: ``error.message`` (OpenAI, vLLM), ``error``
    (Ollama, llama.cpp), ``message`` or ``detail``; else the body text itself."""
    text = raw.decode("utf-8", "replace")
    try:
        payload = json.loads(text)
    except ValueError:
        return one_line(text)
    for found in (payload.get("error"), payload.get("message"), payload.get("detail")) if isinstance(payload, dict) else ():
        if isinstance(found, dict):
            found = found.get("message") or found.get("msg")
        if isinstance(found, str) and found.strip():
            return one_line(found)
    return one_line(text)


def _is_timeout(reason: object) -> bool:
    return isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason)


class ChatClient:
    """Send chat-completions requests to one server and model, with retries and a disk cache.

    `label` names the user of the client in configuration problems (``llm extractor``);
    `hints` adds a second way to set a missing setting, e.g. ``{"base_url": "pass --base-url"}``.
    `stats` may be a Counter shared with the caller (requests, retries, cache hits, ...).
    """

    def __init__(
        self,
        base_url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        *,
        cache_dir: str | Path | None = None,
        use_cache: bool = True,
        refresh: bool = False,
        timeout: float = 120.0,
        max_retries: int = 5,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        stats: Counter | None = None,
        label: str = "llm client",
        hints: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = setting(base_url, ENV_BASE_URL).rstrip("/")
        self.model = setting(model, ENV_MODEL)
        self.__key = (api_key or os.environ.get(ENV_API_KEY) or "").strip() or None
        hints = hints or {}
        missing = [(n, env) for n, env, v in (("base_url", ENV_BASE_URL, self.base_url), ("model", ENV_MODEL, self.model)) if not v]
        if missing:
            raise InputError([Problem(label, "", f"no {name} configured", f"set {env}" + (f" or {hints[name]}" if name in hints else ""))
                              for name, env in missing])
        if not re.match(r"https?://[^/\s]", self.base_url):
            raise InputError([Problem(label, "", f"base_url {self.base_url!r} is not an http(s) URL", "use e.g. http://127.0.0.1:8000/v1")])
        self.endpoint = self.base_url if self.base_url.endswith("/chat/completions") else self.base_url + "/chat/completions"
        self.cache_dir = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
        self.use_cache = use_cache
        self.refresh = refresh
        self.timeout = float(timeout)
        self.max_retries = int(max_retries)
        self.backoff = float(backoff)
        self.sleep = sleep
        self.stats: Counter = stats if stats is not None else Counter()

    def __repr__(self) -> str:  # never shows the key
        return f"ChatClient(endpoint={self.endpoint!r}, model={self.model!r}, cache_dir={str(self.cache_dir)!r})"

    def body(self, messages: list[dict[str, str]], **params: Any) -> dict[str, Any]:
        """A request body for this client's model: ``{"model", "messages", **params}``."""
        return {"model": self.model, "messages": messages, **params}

    def redact(self, text: str) -> str:
        """`text` with the key replaced by ``***`` (for anything that may be shown or stored)."""
        return text.replace(self.__key, "***") if self.__key else text

    # -- the cache ---------------------------------------------------------------------------

    def cache_path(self, body: Mapping[str, Any]) -> Path:
        digest = cache_key(body)
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def _read_cache(self, path: Path, cacheable: Callable[[str], bool]) -> str | None:
        if not path.is_file():
            return None
        try:
            content = json.loads(path.read_text(encoding="utf-8"))["content"]
            if not isinstance(content, str):
                raise TypeError("content is not a string")
        except (OSError, ValueError, KeyError, TypeError):
            self.stats["cache_unreadable"] += 1
            return None
        if not cacheable(content):
            # Written before answers were checked: ask again rather than reuse a bad answer.
            self.stats["cache_stale"] += 1
            path.unlink(missing_ok=True)
            return None
        self.stats["cache_hits"] += 1
        return content

    def _write_cache(self, path: Path, content: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps({"model": self.model, "content": content}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    # -- requests ----------------------------------------------------------------------------

    def complete(self, body: Mapping[str, Any], *, cacheable: Callable[[str], bool] = _always) -> str:
        """The model's answer to `body`, from the cache or the server.

        `cacheable(answer)` says whether the answer is valid for the caller; only then is it
        written to (or accepted from) the cache. Raises ChatError when no answer was obtained.
        """
        path = self.cache_path(body)
        if self.use_cache and not self.refresh:
            cached = self._read_cache(path, cacheable)
            if cached is not None:
                return cached
        content = self.redact(self._post(body))
        if not self.use_cache:
            return content
        if cacheable(content):
            self._write_cache(path, content)
        else:
            self.stats["answers_not_cached"] += 1
        return content

    def _fail(self, message: str, *, fatal: bool, fix: str, status: int | None = None) -> ChatError:
        return ChatError(self.redact(f"{self.endpoint}: {message}"), fatal=fatal, fix=self.redact(fix), status=status)

    def _post(self, body: Mapping[str, Any]) -> str:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.__key:
            headers["Authorization"] = f"Bearer {self.__key}"
        last, status = "no attempt made", None
        retry_fix = "check the server's log; rerun later (answers obtained so far are cached)"
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
                status = exc.code
                try:
                    said = server_message(exc.read(4000))
                except (OSError, http.client.HTTPException):
                    said = ""
                last = f"HTTP {exc.code} {exc.reason}" + (f": {said}" if said else "")
                if exc.code in FATAL_STATUS:
                    raise self._fail(last, fatal=True, status=exc.code, fix=self._fix_for(exc.code)) from None
                if exc.code not in RETRY_STATUS:
                    raise self._fail(last, fatal=False, status=exc.code, fix="the server refused this request; see its message") from None
                header = exc.headers.get("Retry-After") if exc.headers else None
                retry_after = float(header) if header and header.replace(".", "", 1).isdigit() else None
            except urllib.error.URLError as exc:
                if not _is_timeout(exc.reason):
                    # Refused, unknown host, unreachable network: retrying only delays the message.
                    reason = getattr(exc.reason, "strerror", None) or exc.reason
                    raise self._fail(f"cannot connect ({reason})", fatal=True, fix=(
                        f"start the server, or set {ENV_BASE_URL} (--base-url) to the URL it listens on; "
                        f"check it with: curl {self.base_url}/models")) from None
                last = f"no answer within {self.timeout:g} s"
            except TimeoutError:
                last = f"no answer within {self.timeout:g} s"
            except (ConnectionError, http.client.HTTPException) as exc:
                last = f"connection lost: {type(exc).__name__}"
            except (ValueError, UnicodeDecodeError) as exc:
                last = f"response is not chat-completions JSON: {exc}"
            if attempt < self.max_retries:
                delay = self.backoff * (2**attempt)
                self.sleep(min(max(delay, retry_after or 0.0), MAX_DELAY))
        raise self._fail(f"{last} (gave up after {self.max_retries + 1} attempts)", fatal=False, status=status, fix=retry_fix)

    def _fix_for(self, status: int) -> str:
        if status in (401, 403, 407):
            return f"check {ENV_API_KEY} (the key is read from the environment only)"
        return f"check {ENV_BASE_URL} (--base-url; it usually ends in /v1) and {ENV_MODEL} (--model) against the server's /models list"

    @staticmethod
    def _content(payload: object) -> str:
        try:
            content = payload["choices"][0]["message"]["content"]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            raise ValueError("no choices[0].message.content") from None
        if not isinstance(content, str):
            raise ValueError("message content is not a string")
        return content
