"""The LLM extractor against a local chat-completions server (127.0.0.1, a thread, no network).

The fake server answers from a script (status, body) one request at a time and records every
request, so each test states exactly how many requests it expects.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmark.cli import main
from benchmark.extractors.base import ExtractorError
from benchmark.extractors.llm import LLMExtractor, find_span, parse_json_answer
from benchmark.problems import InputError
from conftest import make_corpus

KEY = "sk-test-SECRET-key-0123456789"
TEXT = "ووصل لافروف إلى وونسان يوم الجمعة. والتقى لافروف نظيرته في وونسان."


def chat(content: str) -> dict:
    return {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


def answer(events: list[dict]) -> str:
    return json.dumps({"events": events}, ensure_ascii=False)


EVENTS = [
    {"type": "Movement.Transport-Person", "trigger": "ووصل", "realis": "actual",
     "arguments": [{"role": "Person", "text": "لافروف"}, {"role": "Destination", "text": "وونسان"}]},
    {"type": "Contact.Meet", "trigger": "والتقى", "realis": "actual",
     "arguments": [{"role": "Participant", "text": "لافروف"}, {"role": "Place", "text": "وونسان"}]},
]


class FakeServer:
    """Scripted responses; `default` answers once the script is used up (bounded: at most `limit` requests)."""

    def __init__(self, script: list[tuple], default: tuple | None = None, limit: int = 50):
        self.script = list(script)
        self.default = default
        self.limit = limit
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if len(server.requests) > server.limit:
                    status, payload, extra = 503, {"error": "request limit reached"}, {}
                else:
                    status, payload, *rest = server.script.pop(0) if server.script else server.default
                    extra = rest[0] if rest else {}
                if extra.get("delay"):
                    time.sleep(extra["delay"])
                if extra.get("echo_auth"):
                    payload = {"error": f"bad key {self.headers.get('Authorization')}"}
                data = (payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)).encode("utf-8")
                try:
                    self.send_response(status)
                    for k, v in extra.get("headers", {}).items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):  # keep test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def make(server: FakeServer, tmp_path: Path, **kw) -> LLMExtractor:
    sleeps: list[float] = []
    options = {"base_url": server.url, "model": "test-model", "api_key": KEY, "cache_dir": tmp_path / "cache",
               "timeout": 5, "max_retries": 2, "backoff": 0.5, "sleep": sleeps.append, **kw}
    extractor = LLMExtractor(**options)
    extractor.sleeps = sleeps  # type: ignore[attr-defined]
    return extractor


DOC = SimpleNamespace(doc_id="d1", text=TEXT)


def test_success_resolves_offsets_and_sends_the_key_only_in_the_header(tmp_path):
    with FakeServer([(200, chat(answer(EVENTS)))]) as server:
        events = make(server, tmp_path)(DOC)
    assert len(server.requests) == 1
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == f"Bearer {KEY}"
    assert request["body"]["model"] == "test-model"
    assert KEY not in json.dumps(request["body"], ensure_ascii=False)
    system_prompt = request["body"]["messages"][0]["content"]
    assert "Contact.Meet" in system_prompt and "Participant" in system_prompt and "Trigger span" in system_prompt
    assert [e["type"] for e in events] == ["Movement.Transport-Person", "Contact.Meet"]
    for e in events:
        t = e["trigger"]
        assert TEXT[t["start"]:t["end"]] == t["text"]
        for a in e["arguments"]:
            assert TEXT[a["start"]:a["end"]] == a["text"]
    meet = events[1]
    # the argument occurrence nearest the trigger: the second "لافروف" and the second "وونسان"
    assert [a["start"] for a in meet["arguments"]] == [TEXT.index("لافروف", 20), TEXT.rindex("وونسان")]
    assert [e["id"] for e in events] == ["e1", "e2"]


def test_server_error_then_success_retries_with_backoff(tmp_path):
    with FakeServer([(500, {"error": "boom"}), (200, chat(answer(EVENTS[:1])))]) as server:
        extractor = make(server, tmp_path)
        events = extractor(DOC)
    assert len(server.requests) == 2
    assert extractor.stats["retries"] == 1
    assert extractor.sleeps == [0.5]
    assert len(events) == 1


def test_429_honours_retry_after(tmp_path):
    with FakeServer([(429, {"error": "slow down"}, {"headers": {"Retry-After": "2"}}), (200, chat(answer([])))]) as server:
        extractor = make(server, tmp_path)
        assert extractor(DOC) == []
    assert len(server.requests) == 2
    assert extractor.sleeps == [2.0]


def test_gives_up_after_max_retries(tmp_path):
    with FakeServer([], default=(503, {"error": "down"})) as server:
        extractor = make(server, tmp_path, max_retries=2)
        with pytest.raises(ExtractorError, match="HTTP 503.*3 attempts"):
            extractor(DOC)
    assert len(server.requests) == 3
    assert extractor.sleeps == [0.5, 1.0]


def test_timeout_is_retried(tmp_path):
    with FakeServer([(200, chat(answer([])), {"delay": 0.6}), (200, chat(answer(EVENTS[:1])))]) as server:
        extractor = make(server, tmp_path, timeout=0.2)
        events = extractor(DOC)
    assert len(server.requests) == 2
    assert extractor.stats["retries"] == 1 and len(events) == 1


def test_client_error_is_not_retried_and_the_key_is_redacted(tmp_path):
    with FakeServer([(401, {}, {"echo_auth": True})]) as server:
        extractor = make(server, tmp_path)
        with pytest.raises(ExtractorError) as info:
            extractor(DOC)
    assert len(server.requests) == 1
    assert "HTTP 401" in str(info.value) and "***" in str(info.value)
    assert KEY not in str(info.value)


def test_malformed_json_is_repaired(tmp_path):
    broken = "Here are the events:\n```json\n" + answer(EVENTS)[:-2] + ",],\n}\n```\nDone."
    assert json.loads(answer(EVENTS))  # sanity: the unbroken answer is valid
    with FakeServer([(200, chat(broken))]) as server:
        extractor = make(server, tmp_path)
        events = extractor(DOC)
    assert [e["type"] for e in events] == ["Movement.Transport-Person", "Contact.Meet"]
    assert extractor.stats["json_repaired"] == 1


def test_unparseable_answer_gives_no_events_and_is_counted(tmp_path):
    with FakeServer([(200, chat("I cannot help with that."))]) as server:
        extractor = make(server, tmp_path)
        assert extractor(DOC) == []
    assert extractor.stats["json_unparseable"] == 1


def test_cache_hit_makes_no_request_and_holds_no_key(tmp_path):
    with FakeServer([(200, chat(answer(EVENTS)))], default=(500, {"error": "must not be called"})) as server:
        first = make(server, tmp_path)(DOC)
        second_extractor = make(server, tmp_path)
        second = second_extractor(DOC)
    assert len(server.requests) == 1
    assert first == second
    assert second_extractor.stats["cache_hits"] == 1 and second_extractor.stats["requests"] == 0
    files = list((tmp_path / "cache").rglob("*.json"))
    assert len(files) == 1
    assert KEY not in files[0].read_text(encoding="utf-8")
    assert KEY not in repr(second_extractor) and KEY not in str(dict(second_extractor.stats))


def test_cache_key_depends_on_model_and_prompt_not_on_the_key(tmp_path):
    with FakeServer([], default=(200, chat(answer([])))) as server:
        a = make(server, tmp_path)
        b = make(server, tmp_path, api_key="another-key")
        c = make(server, tmp_path, model="other-model")
    body = a.request_body("نص")
    assert a.cache_key(body) == b.cache_key(b.request_body("نص"))
    assert a.cache_key(body) != c.cache_key(c.request_body("نص"))
    assert a.cache_key(body) != a.cache_key(a.request_body("نص آخر"))


def test_unresolvable_spans_and_unknown_types_or_roles_are_dropped_and_counted(tmp_path):
    events = [
        {"type": "Contact.Meet", "trigger": "اجتماع", "arguments": []},  # not in the text
        {"type": "Not.A.Type", "trigger": "ووصل"},
        {"type": "Movement.Transport-Person", "trigger": "ووصل", "realis": "maybe",
         "arguments": [{"role": "Victim", "text": "لافروف"}, {"role": "Person", "text": "بوتين"}, {"role": "Person", "text": "لافروف"}]},
    ]
    with FakeServer([(200, chat(answer(events)))]) as server:
        extractor = make(server, tmp_path)
        out = extractor(DOC)
    assert len(out) == 1 and "realis" not in out[0]
    assert [(a["role"], a["text"]) for a in out[0]["arguments"]] == [("Person", "لافروف")]
    assert extractor.stats["dropped_triggers"] == 1
    assert extractor.stats["dropped_events_bad_type"] == 1
    assert extractor.stats["dropped_arguments"] == 2
    assert extractor.stats["dropped_realis"] == 1


def test_missing_configuration_is_an_input_error(monkeypatch, tmp_path):
    for name in ("EVBENCH_LLM_BASE_URL", "EVBENCH_LLM_MODEL", "EVBENCH_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(InputError, match="EVBENCH_LLM_BASE_URL"):
        LLMExtractor(model="m", cache_dir=tmp_path)
    with pytest.raises(InputError, match="EVBENCH_LLM_MODEL"):
        LLMExtractor(base_url="http://127.0.0.1:1/v1", cache_dir=tmp_path)


def test_configuration_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EVBENCH_LLM_BASE_URL", "http://127.0.0.1:9/v1/")
    monkeypatch.setenv("EVBENCH_LLM_MODEL", "env-model")
    monkeypatch.setenv("EVBENCH_LLM_API_KEY", KEY)
    extractor = LLMExtractor(cache_dir=tmp_path)
    assert extractor.endpoint == "http://127.0.0.1:9/v1/chat/completions"
    assert extractor.model == "env-model"
    assert KEY not in repr(extractor)


def test_cli_run_never_shows_the_key(monkeypatch, tmp_path, capsys):
    text = "ووصل لافروف إلى وونسان."
    corpus = make_corpus(tmp_path, {"d1": text, "d2": "لا حدث هنا."})
    monkeypatch.setenv("EVBENCH_LLM_API_KEY", KEY)
    reply = answer([{"type": "Movement.Transport-Person", "trigger": "ووصل", "arguments": [{"role": "Destination", "text": "وونسان"}]}])
    pred, results = tmp_path / "pred.json", tmp_path / "results.json"
    with FakeServer([], default=(200, chat(reply))) as server:
        code = main(["run", "--extractor", "llm", "--base-url", server.url, "--model", "m", "--cache-dir", str(tmp_path / "cache"),
                     "--gold", str(corpus), "--out", str(pred), "--results", str(results), "-q"])
        assert len(server.requests) == 2
        assert all(r["headers"]["Authorization"] == f"Bearer {KEY}" for r in server.requests)
        # a failing server: exit 2, one line naming the document, still no key
        failing = FakeServer([], default=(401, {}, {"echo_auth": True}))
        with failing:
            code_failed = main(["run", "--extractor", "llm", "--base-url", failing.url, "--model", "m2", "--cache-dir", str(tmp_path / "cache"),
                                "--gold", str(corpus), "-q", "--no-score"])
    out = capsys.readouterr()
    assert code == 0 and code_failed == 2
    assert "document d1" in out.err
    written = [pred.read_text(encoding="utf-8"), results.read_text(encoding="utf-8")]
    written += [p.read_text(encoding="utf-8") for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    for blob in [out.out, out.err, *written]:
        assert KEY not in blob
    assert json.loads(pred.read_text(encoding="utf-8"))["documents"][0]["events"][0]["trigger"]["text"] == "ووصل"


# --- repair and offsets, without a server ---------------------------------------------------


def test_parse_json_answer_reports_repair():
    assert parse_json_answer('{"events": []}') == ({"events": []}, False)
    assert parse_json_answer('```\n[{"type": "X",},]\n```') == ([{"type": "X"}], True)
    assert parse_json_answer("{broken") == (None, True)
    assert parse_json_answer("Sorry, I found no events.") == (None, True)
    # Prose and fences around the object, trailing commas inside it, strings with brackets kept.
    answer = 'Here you go:\n```json\n{"events": [{"type": "Contact.Meet", "trigger": "}{",},],}\n```\nThanks'
    assert parse_json_answer(answer) == ({"events": [{"type": "Contact.Meet", "trigger": "}{"}]}, True)
    # A truncated answer keeps what was complete.
    assert parse_json_answer('{"events": [{"type": "Life.Die", "trigger": "قتل"}') == ({"events": [{"type": "Life.Die", "trigger": "قتل"}]}, True)


def test_find_span_whole_words_in_reading_order():
    text = "زيارة ثم الزيارة ثم زيارة"
    assert find_span(text, "زيارة", 0, forward=True) == (0, 5)
    assert find_span(text, "زيارة", 6, forward=True) == (20, 25)  # not inside "الزيارة"
    assert find_span(text, "زيارة", 30, forward=True) == (20, 25)  # nothing after: the nearest
    assert find_span(text, "«زيارة»", 0, forward=False) == (0, 5)  # quotes trimmed
    assert find_span("ووصل الوزير", "وصل", 0, forward=True) == (0, 4)  # widened to the whole word
    assert find_span("لقاءً مع", "لقاء", 0, forward=True) == (0, 5)  # tanwin belongs to the word
    assert find_span(text, "اجتماع", 0, forward=True) is None


def test_api_key_is_refused_on_the_command_line(capsys):
    """Keys only from the environment: `-O api_key=...` exits 2 before anything runs."""
    from benchmark.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--extractor", "llm", "-O", "api_key=sk-secret-123"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "EVBENCH_LLM_API_KEY" in err
    assert "Traceback" not in err
    assert "sk-secret-123" not in err
