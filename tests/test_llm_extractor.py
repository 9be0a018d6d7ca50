"""The LLM extractor against a local chat-completions server (tests/chat_server.py: 127.0.0.1,
a thread, no network).

The server answers from a script one request at a time (or by what was asked) and records every
request, so each test states exactly how many requests it expects.
"""

from __future__ import annotations

import inspect
import json
import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmark.cli import main
from benchmark.extractors.base import ExtractorError
from benchmark.extractors.llm import LLMExtractor, find_span, parse_json_answer
from benchmark.extractors.llm_options import NOT_OPTIONS, OPTIONS
from benchmark.input.problems import InputError

from chat_server import ChatServer as FakeServer
from chat_server import chat, closed_port_url, error, last_user_message, ok
from conftest import make_corpus

KEY = "sk-test-SECRET-key-0123456789"
TEXT = "ووصل لافروف إلى وونسان يوم الجمعة. والتقى لافروف نظيرته في وونسان."


def answer(events: list[dict]) -> str:
    return json.dumps({"events": events}, ensure_ascii=False)


EVENTS = [
    {"type": "Movement.Transport-Person", "trigger": "ووصل", "realis": "actual",
     "arguments": [{"role": "Person", "text": "لافروف"}, {"role": "Destination", "text": "وونسان"}]},
    {"type": "Contact.Meet", "trigger": "والتقى", "realis": "actual",
     "arguments": [{"role": "Participant", "text": "لافروف"}, {"role": "Place", "text": "وونسان"}]},
]


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


# --- failures are reported, never cached (issue: a cached bad answer made a rerun exit 0) ---------


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("*.json"))


def test_an_unparseable_answer_is_not_cached_and_the_rerun_asks_again(tmp_path):
    with FakeServer([ok("I cannot help with that."), ok(answer(EVENTS))]) as server:
        first = make(server, tmp_path)
        assert first(DOC) == []
        assert len(first.failed_requests) == 1 and "unparseable answer" in first.failed_requests[0]
        assert cache_files(tmp_path) == []
        second = make(server, tmp_path)
        assert [e["type"] for e in second(DOC)] == ["Movement.Transport-Person", "Contact.Meet"]
        assert second.failed_requests == []
    assert len(server.requests) == 2
    assert len(cache_files(tmp_path)) == 1


@pytest.mark.parametrize("answer_text, usable", [
    ('{"events": []}', True), ("[]", True), ('```json\n{"events": [{"type": "X",},]}\n```', True),
    ('{"event_mentions": [{"type": "Contact.Meet", "trigger": "لقاء"}]}', True),  # any shape the converter reads
    ("I cannot help with that.", False), ("<html>Bad gateway</html>", False), ('{"note": "no events"}', False), ("42", False), ("", False),
])
def test_only_answers_the_converter_can_read_are_usable(answer_text, usable):
    from benchmark.extractors.llm import usable_answer

    assert usable_answer(answer_text, LLMExtractor(base_url="http://127.0.0.1:1/v1", model="m").ontology) is usable


def test_a_bad_answer_cached_by_an_older_version_is_asked_again(tmp_path):
    with FakeServer([ok(answer(EVENTS))]) as server:
        extractor = make(server, tmp_path)
        stale = extractor.client.cache_path(extractor.request_body(TEXT))
        stale.parent.mkdir(parents=True)
        stale.write_text(json.dumps({"model": "test-model", "content": "Sorry, no."}), encoding="utf-8")
        assert len(extractor(DOC)) == 2
    assert len(server.requests) == 1 and extractor.stats["cache_stale"] == 1
    assert "events" in json.loads(stale.read_text(encoding="utf-8"))["content"]


def test_a_failed_request_is_not_cached_and_not_fatal(tmp_path):
    with FakeServer([], default=error(500, "CUDA out of memory")) as server:
        extractor = make(server, tmp_path)
        with pytest.raises(ExtractorError) as info:
            extractor(DOC)
    assert not info.value.fatal and cache_files(tmp_path) == []
    # the server's own message, as for a 4xx
    assert "HTTP 500" in str(info.value) and "CUDA out of memory" in str(info.value) and "gave up after 3 attempts" in str(info.value)


def test_a_404_shows_the_server_message_and_is_fatal(tmp_path):
    with FakeServer([error(404, "The model `test-model` does not exist.")]) as server:
        with pytest.raises(ExtractorError) as info:
            make(server, tmp_path)(DOC)
    assert len(server.requests) == 1
    assert "HTTP 404" in str(info.value) and "The model `test-model` does not exist." in str(info.value)
    assert info.value.fatal and "EVBENCH_LLM_MODEL" in info.value.fix


def test_connection_refused_fails_fast_naming_the_url_and_the_fix(tmp_path):
    url = closed_port_url()
    extractor = LLMExtractor(base_url=url, model="m", cache_dir=tmp_path / "cache", max_retries=5, sleep=pytest.fail)
    began = time.monotonic()
    with pytest.raises(ExtractorError) as info:
        extractor(DOC)
    assert time.monotonic() - began < 2 and extractor.stats["requests"] == 1 and extractor.stats["retries"] == 0
    assert f"{url}/chat/completions: cannot connect" in str(info.value)
    assert info.value.fatal and "start the server" in info.value.fix and "EVBENCH_LLM_BASE_URL" in info.value.fix


# --- evbench run: --no-cache, --refresh, --max-failed-share, --help -------------------------------


def run_cli(server_url: str, corpus: Path, tmp_path: Path, *extra: str) -> int:
    return main(["run", "--extractor", "llm", "--base-url", server_url, "--model", "m", "--cache-dir", str(tmp_path / "cache"),
                 "--gold", str(corpus), "-q", *extra])


ARRIVAL = answer([{"type": "Movement.Transport-Person", "trigger": "ووصل", "arguments": [{"role": "Destination", "text": "وونسان"}]}])


@pytest.fixture
def two_docs(tmp_path, monkeypatch):
    monkeypatch.setenv("EVBENCH_LLM_API_KEY", KEY)
    return make_corpus(tmp_path, {"d1": "ووصل لافروف إلى وونسان.", "d2": "لا حدث هنا."})


def test_no_cache_neither_reads_nor_writes(two_docs, tmp_path, capsys):
    with FakeServer([], default=ok(ARRIVAL)) as server:
        assert run_cli(server.url, two_docs, tmp_path, "--no-score") == 0
        assert cache_files(tmp_path) and len(server.requests) == 2
        assert run_cli(server.url, two_docs, tmp_path, "--no-score", "--no-cache") == 0
        assert len(server.requests) == 4  # the cache was not read ...
    assert len(cache_files(tmp_path)) == 2  # ... nor written


def test_refresh_asks_again_and_overwrites(two_docs, tmp_path, capsys):
    pred = tmp_path / "pred.json"
    with FakeServer([], default=ok(answer([]))) as server:
        assert run_cli(server.url, two_docs, tmp_path, "--no-score") == 0
        server.default = ok(ARRIVAL)
        assert run_cli(server.url, two_docs, tmp_path, "--no-score", "--refresh") == 0
        assert len(server.requests) == 4
        assert run_cli(server.url, two_docs, tmp_path, "--no-score", "--out", str(pred)) == 0
        assert len(server.requests) == 4  # the refreshed answers are the cached ones now
    assert json.loads(pred.read_text(encoding="utf-8"))["documents"][0]["events"][0]["trigger"]["text"] == "ووصل"


def test_no_cache_and_refresh_exclude_each_other_and_need_the_llm_extractor(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "-e", "llm", "--no-cache", "--refresh"])
    assert info.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
    assert main(["run", "-e", "lexicon", "--refresh", "-q", "--no-score"]) == 2
    assert "--refresh: error: does not apply to extractor lexicon" in capsys.readouterr().err


def failing_d2(body: dict):
    """d1 answers; d2 gets a 500 (after the retries)."""
    return ok(ARRIVAL) if "ووصل" in last_user_message(body) else error(500, "d2 crashed the server")


def test_more_failed_documents_than_allowed_exits_1_without_scoring(two_docs, tmp_path, capsys):
    pred = tmp_path / "pred.json"
    with FakeServer(respond=failing_d2) as server:
        code = run_cli(server.url, two_docs, tmp_path, "--out", str(pred), "-O", "max_retries=0")
    captured = capsys.readouterr()
    assert code == 1 and len(server.requests) == 2
    assert "document d2" in captured.err and "d2 crashed the server" in captured.err
    assert "1 of 2 documents failed (50%), more than --max-failed-share 0; not scored" in captured.err
    assert "tri_c" not in captured.out  # no scores for a run with missing documents
    assert [d["doc_id"] for d in json.loads(pred.read_text(encoding="utf-8"))["documents"]] == ["d1", "d2"]  # still written
    assert KEY not in captured.err + captured.out


def test_failed_documents_within_the_allowed_share_are_scored(two_docs, tmp_path, capsys):
    with FakeServer(respond=failing_d2) as server:
        code = run_cli(server.url, two_docs, tmp_path, "-O", "max_retries=0", "--max-failed-share", "0.5")
    captured = capsys.readouterr()
    assert code == 0 and "tri_c" in captured.out
    assert "warning: 1 of 2 documents failed (50%)" in captured.err


def test_an_unparseable_answer_fails_its_document_and_the_fixed_rerun_succeeds(two_docs, tmp_path, capsys):
    """The issue's scenario: a bad answer must not be reused after the server is fixed."""
    pred = tmp_path / "pred.json"
    with FakeServer([], default=ok("<html>Bad gateway</html>")) as server:
        assert run_cli(server.url, two_docs, tmp_path, "--no-score") == 1
        assert "unparseable answer" in capsys.readouterr().err and cache_files(tmp_path) == []
        server.default = ok(ARRIVAL)
        assert run_cli(server.url, two_docs, tmp_path, "--no-score", "--out", str(pred)) == 0
    assert len(server.requests) == 4
    assert json.loads(pred.read_text(encoding="utf-8"))["documents"][0]["events"][0]["trigger"]["text"] == "ووصل"


def test_connection_refused_stops_the_run_at_once(two_docs, tmp_path, capsys):
    url = closed_port_url()
    began = time.monotonic()
    assert run_cli(url, two_docs, tmp_path, "--no-score") == 2
    err = capsys.readouterr().err
    assert time.monotonic() - began < 5
    assert err.count("error:") == 1 and "document d1" in err and f"{url}/chat/completions: cannot connect" in err
    assert "fix: start the server" in err


@pytest.mark.parametrize("value", ["1.5", "-0.1", "half"])
def test_max_failed_share_is_checked(value, capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "-e", "llm", "--max-failed-share", value])
    assert info.value.code == 2 and "--max-failed-share" in capsys.readouterr().err


def test_help_lists_every_option_with_the_constructor_default(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    params = {n: p for n, p in inspect.signature(LLMExtractor).parameters.items() if n not in NOT_OPTIONS}
    assert [name for name, _, _ in OPTIONS] == list(params)
    for name, metavar, text in OPTIONS:
        assert f"{name}={metavar} {' '.join(text.split())}" in help_text
        stated = re.search(r"\(default ([\w.]+)\)$", text)
        if stated:
            default = params[name].default
            assert stated.group(1) == (str(default).lower() if isinstance(default, bool) else f"{default:g}"), name
    for flag in ("--no-cache", "--refresh", "--max-failed-share"):
        assert flag in help_text


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
