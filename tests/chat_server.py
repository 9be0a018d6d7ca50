"""A local OpenAI-compatible chat-completions server for tests (127.0.0.1, a thread, no network).

Each request is answered by the next entry of a `script`, else by `respond(body)` (answers
chosen by what was asked, independent of order), else by `default`. Every request is recorded,
so a test states exactly how many requests it expects (a cache hit makes none). Answers can be
a chat completion, an HTTP error with an OpenAI-style JSON error body, any raw text, or a delay
longer than the client's timeout. Delays are bounded (`max_delay`) and cut short when the
server stops, so a timeout test never hangs the suite.

    with ChatServer([ok("yes"), error(500, "CUDA out of memory")]) as server:
        client = ChatClient(server.url, "m", ...)
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def chat(content: str) -> dict:
    """A chat-completions response body whose answer is `content`."""
    return {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


@dataclass(frozen=True)
class Reply:
    """One scripted answer: status, body (dict as JSON, str as is), headers, a delay in seconds,
    and `echo_auth` (the body becomes an error quoting the Authorization header, as a careless
    server might: the client must redact it)."""

    status: int = 200
    body: dict | str = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    echo_auth: bool = False

    @classmethod
    def of(cls, entry: Reply | tuple) -> Reply:
        """Also accept the older tuples ``(status, body)`` or ``(status, body, {"delay", "headers", "echo_auth"})``."""
        if isinstance(entry, Reply):
            return entry
        status, body, *rest = entry
        extra = rest[0] if rest else {}
        return cls(status, body, extra.get("headers", {}), extra.get("delay", 0.0), extra.get("echo_auth", False))


def ok(content: str, *, delay: float = 0.0) -> Reply:
    """HTTP 200 with `content` as the model's answer (after `delay` seconds)."""
    return Reply(200, chat(content), delay=delay)


def error(status: int, message: str, **headers: str) -> Reply:
    """An HTTP error with an OpenAI-style body ``{"error": {"message": ...}}``."""
    return Reply(status, {"error": {"message": message, "type": "server_error", "code": status}}, headers=headers)


def last_user_message(body: dict) -> str:
    """The content of the last user message of a request body ("" when there is none)."""
    users = [m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"]
    return users[-1] if users else ""


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


class ChatServer:
    """Scripted chat-completions server; at most `limit` requests are answered (then 503)."""

    def __init__(self, script: Iterable[Reply | tuple] = (), default: Reply | tuple | None = None, *,
                 respond: Callable[[dict], Reply | tuple] | None = None, limit: int = 50, max_delay: float = 2.0):
        self.script = [Reply.of(e) for e in script]
        self.default = Reply.of(default) if default is not None else None
        self.respond = respond
        self.limit = limit
        self.max_delay = max_delay
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                with server._lock:
                    server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    reply = server._next(body, len(server.requests))
                if reply.delay:
                    server._stopping.wait(min(reply.delay, server.max_delay))
                payload = {"error": {"message": f"bad key {self.headers.get('Authorization')}"}} if reply.echo_auth else reply.body
                data = (payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): nothing to answer

            def log_message(self, *args):  # keep test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def _next(self, body: dict, count: int) -> Reply:
        if count > self.limit:
            return error(503, "request limit reached")
        if self.script:
            return self.script.pop(0)
        if self.respond is not None:
            return Reply.of(self.respond(body))
        if self.default is not None:
            return self.default
        return error(500, "test server: no scripted answer left")

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
