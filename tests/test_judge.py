"""The LLM judge (`benchmark.judge`) against a local chat-completions server (tests/chat_server.py).

The server answers by what it is asked (the predicted string in the prompt), so the answers do
not depend on the order of requests: yes, no, a leading "Yes" word, malformed text, HTTP 500
with a JSON error body, and a delay longer than the client's timeout. It counts requests, so
each test states which pairs were asked again and which came from the cache.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from benchmark.input.corpus import default_gold_dir
from benchmark.input.problems import InputError
from benchmark.judge import (
    PROMPT_VERSION,
    JudgeFailure,
    JudgeQuestion,
    JudgeVerdict,
    LLMJudge,
    build_judge_messages,
    judge_rules,
    judged_entry,
    parse_verdict,
)

from chat_server import ChatServer, Reply, closed_port_url, error, last_user_message, ok

KEY = "sk-judge-SECRET-0123456789"
SENTENCE = "والتقى وزير الخارجية الروسي سيرغي لافروف الزعيم الكوري الشمالي كيم جونغ أون في وونسان."


def arg(predicted: str, *, gold: str = "سيرغي لافروف", role: str = "Participant", predicted_role: str | None = None, doc_id: str = "d1") -> JudgeQuestion:
    return JudgeQuestion("argument", doc_id, SENTENCE, "Contact.Meet", role, gold, predicted, predicted_role)


YES = arg("وزير الخارجية الروسي سيرغي لافروف")
NO = arg("كيم جونغ أون")
LEADING = JudgeQuestion("trigger", "d1", SENTENCE, "Contact.Meet", None, "والتقى", "التقى")
MALFORMED = arg("MALFORMED")
CRASH = arg("CRASH")
SLOW = arg("SLOW")

ANSWERS = {
    "«وزير الخارجية الروسي سيرغي لافروف»": ok('{"verdict": "yes", "reason": "the same person with his title"}'),
    "«كيم جونغ أون»": ok('Sure.\n```json\n{"verdict": "no",\n "reason": "a different participant:\\n Kim, not Lavrov"}\n```'),
    "«التقى»": ok("Yes - the same word without the conjunction.\nMore text."),
    "«MALFORMED»": ok("I would rather not say."),
    "«CRASH»": error(500, "CUDA out of memory while judging"),
    "«SLOW»": ok('{"verdict": "yes", "reason": "late"}', delay=1.0),
}


def respond(body: dict) -> Reply:
    message = last_user_message(body)
    for marker, reply in ANSWERS.items():
        if marker in message.split("Predicted", 1)[1]:
            return reply
    return error(400, "unexpected question")


def asked(server: ChatServer, question: JudgeQuestion) -> int:
    """How many requests the server got about `question`'s predicted string."""
    return sum(f"«{question.predicted}»" in last_user_message(r["body"]).split("Predicted", 1)[1] for r in server.requests)


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("EVBENCH_LLM_BASE_URL", "EVBENCH_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EVBENCH_LLM_API_KEY", KEY)
    return tmp_path


def make(server_url: str, cache: Path, sleeps: list[float] | None = None, **kw) -> LLMJudge:
    options = {"cache_dir": cache, "timeout": 0.3, "max_retries": 1, "backoff": 0.01, "sleep": (sleeps if sleeps is not None else []).append, **kw}
    return LLMJudge.from_environment(server_url, "judge-model", **options)


def test_verdicts_reasons_failures_and_the_cache(env):
    questions = [YES, NO, LEADING, MALFORMED, CRASH, SLOW, YES]  # YES twice: asked once
    with ChatServer(respond=respond) as server:
        first = make(server.url, env / "cache").judge_all(questions)
        assert list(first) == [YES, NO, LEADING, MALFORMED, CRASH, SLOW]
        assert first[YES] == JudgeVerdict(True, "the same person with his title")
        assert first[NO] == JudgeVerdict(False, "a different participant: Kim, not Lavrov")
        assert first[LEADING] == JudgeVerdict(True, "the same word without the conjunction.")
        assert isinstance(first[MALFORMED], JudgeFailure) and "I would rather not say" in first[MALFORMED].message
        assert isinstance(first[CRASH], JudgeFailure)
        assert "HTTP 500" in first[CRASH].message and "CUDA out of memory while judging" in first[CRASH].message
        assert isinstance(first[SLOW], JudgeFailure) and "no answer within 0.3 s" in first[SLOW].message
        counts = {q.predicted: asked(server, q) for q in first}
        assert counts == {YES.predicted: 1, NO.predicted: 1, LEADING.predicted: 1, MALFORMED.predicted: 1, CRASH.predicted: 2, SLOW.predicted: 2}

        # The rerun takes the verdicts from the cache and asks again only where it failed.
        rerun_judge = make(server.url, env / "cache")
        rerun = rerun_judge.judge_all(questions)
        assert rerun == first | {SLOW: rerun[SLOW]}
        again = {q.predicted: asked(server, q) - counts[q.predicted] for q in first}
        assert again == {YES.predicted: 0, NO.predicted: 0, LEADING.predicted: 0, MALFORMED.predicted: 1, CRASH.predicted: 2, SLOW.predicted: 2}
        assert rerun_judge.stats["cache_hits"] == 3

    cached = [json.loads(p.read_text(encoding="utf-8")) for p in (env / "cache").rglob("*.json")]
    assert len(cached) == 3
    assert all(parse_verdict(c["content"]) is not None for c in cached)


def test_the_prompt_carries_the_rules_the_sentence_and_the_pair(env):
    rules = judge_rules()
    assert rules["argument"].startswith("### 9.1") and rules["trigger"].startswith("### 9.2")
    system, user = build_judge_messages(arg("لافروف", predicted_role="Place"))
    assert rules["argument"] in system["content"] and rules["trigger"] not in system["content"]
    assert '"verdict"' in system["content"] and '"reason"' in system["content"]
    assert SENTENCE in user["content"] and "Contact.Meet" in user["content"]
    assert "Gold argument: role Participant: «سيرغي لافروف»" in user["content"]
    assert "Predicted argument: role Place: «لافروف»" in user["content"]
    system, user = build_judge_messages(LEADING)
    assert rules["trigger"] in system["content"] and "«والتقى»" in user["content"] and "«التقى»" in user["content"]
    assert "d1" not in user["content"]  # the document id does not change the verdict


def test_the_rules_are_read_from_the_file_at_run_time(env):
    text = (default_gold_dir() / "guidelines.md").read_text(encoding="utf-8")
    path = env / "guidelines.md"
    path.write_text(text.replace("### 9.2 Triggers", "### 9.2 Triggers\n\nA NEW TRIGGER RULE."), encoding="utf-8")
    assert "A NEW TRIGGER RULE." in build_judge_messages(LEADING, guidelines=path)[0]["content"]
    with ChatServer() as server:
        a = make(server.url, env / "c", guidelines=path)
        b = make(server.url, env / "c")
    assert a.guidelines_sha256 != b.guidelines_sha256
    assert a.client.cache_path(a.request_body(LEADING)) != b.client.cache_path(b.request_body(LEADING))
    path.write_text("# Guidelines\n\n## 1. Something else\n", encoding="utf-8")
    with pytest.raises(InputError, match="When is a generated argument correct"):
        build_judge_messages(LEADING, guidelines=path)


@pytest.mark.parametrize("answer, expected", [
    ('{"verdict": "yes", "reason": "same entity"}', JudgeVerdict(True, "same entity")),
    ('{"verdict": "No", "reason": "another\n  entity"}', None),  # a raw newline inside a JSON string is not JSON ...
    ('{"verdict": "No", "reason": "another\\n  entity"}', JudgeVerdict(False, "another entity")),  # ... an escaped one is
    ('<think>the gold is Lavrov {maybe}</think>\n{"verdict": "no", "reason": "x"}', JudgeVerdict(False, "x")),
    ('{"verdict": true}', JudgeVerdict(True, "")),
    ("NO. The capital is not the country.", JudgeVerdict(False, "The capital is not the country.")),
    ("**Yes** — same person", JudgeVerdict(True, "same person")),
    ("Correct: same date", JudgeVerdict(True, "same date")),
    ('{"verdict": "maybe", "reason": "unsure"}', None),
    ('{"reason": "no verdict key"}', None),
    ("Not sure.", None),
    ("I think yes", None),
    ("", None),
])
def test_parse_verdict(answer, expected):
    assert parse_verdict(answer) == expected


def test_the_key_is_never_shown_or_stored(env):
    leaky = {**ANSWERS, "«CRASH»": error(500, f"upstream rejected Bearer {KEY}")}
    with ChatServer(respond=lambda body: leaky[next(m for m in leaky if m in last_user_message(body).split("Predicted", 1)[1])]) as server:
        judge = make(server.url, env / "cache")
        outcomes = judge.judge_all([YES, CRASH, MALFORMED])
        assert all(r["headers"]["Authorization"] == f"Bearer {KEY}" for r in server.requests)
    blobs = [repr(judge), repr(judge.client), str(dict(judge.stats)), json.dumps(judge.settings())]
    blobs += [json.dumps(judged_entry(q, o), ensure_ascii=False) for q, o in outcomes.items()]
    blobs += [p.read_text(encoding="utf-8") for p in (env / "cache").rglob("*") if p.is_file()]
    assert "***" in outcomes[CRASH].message
    for blob in blobs:
        assert KEY not in blob
    with ChatServer([], default=Reply(401, {}, echo_auth=True)) as server:
        with pytest.raises(InputError) as info:
            make(server.url, env / "cache2").judge_all([NO])
    assert "HTTP 401" in str(info.value) and "EVBENCH_LLM_API_KEY" in str(info.value) and KEY not in str(info.value)


def test_no_server_configured_is_an_input_error(env):
    with pytest.raises(InputError) as info:
        LLMJudge.from_environment()
    (problem,) = info.value.problems
    assert "EVBENCH_LLM_BASE_URL and EVBENCH_LLM_MODEL not set" in problem.message
    assert "set EVBENCH_LLM_BASE_URL and EVBENCH_LLM_MODEL" in problem.fix
    with pytest.raises(InputError, match="EVBENCH_LLM_MODEL not set"):
        LLMJudge.from_environment("http://127.0.0.1:1/v1")
    with pytest.raises(InputError, match="not an http"):
        LLMJudge.from_environment("127.0.0.1:8000", "m")


def test_environment_settings_are_used(env, monkeypatch):
    with ChatServer(respond=respond) as server:
        monkeypatch.setenv("EVBENCH_LLM_BASE_URL", server.url)
        monkeypatch.setenv("EVBENCH_LLM_MODEL", "env-judge")
        judge = LLMJudge.from_environment(cache_dir=env / "cache")
        assert judge.judge_all([YES]) == {YES: JudgeVerdict(True, "the same person with his title")}
    assert server.requests[0]["body"]["model"] == "env-judge" and server.requests[0]["body"]["temperature"] == 0.0
    assert judge.settings() == {"model": "env-judge", "prompt_version": PROMPT_VERSION, "guidelines_sha256": judge.guidelines_sha256}


def test_connection_refused_fails_fast_with_the_url_and_the_fix(env):
    url, sleeps = closed_port_url(), []
    judge = make(url, env / "cache", sleeps, max_retries=5, timeout=5)
    began = time.monotonic()
    with pytest.raises(InputError) as info:
        judge.judge_all([YES, NO])
    assert time.monotonic() - began < 2
    assert sleeps == [] and judge.stats["requests"] == 1
    (problem,) = info.value.problems
    assert url + "/chat/completions" in problem.message and "cannot connect" in problem.message
    assert "start the server" in problem.fix and "EVBENCH_LLM_BASE_URL" in problem.fix


def test_judged_entries_keep_the_pair_verdict_and_reason():
    assert judged_entry(NO, JudgeVerdict(False, "another person")) == {
        "kind": "argument", "doc_id": "d1", "event_type": "Contact.Meet", "role": "Participant", "predicted_role": "Participant",
        "gold": "سيرغي لافروف", "predicted": "كيم جونغ أون", "sentence": SENTENCE, "verdict": "no", "reason": "another person"}
    failed = judged_entry(LEADING, JudgeFailure("HTTP 500"))
    assert (failed["verdict"], failed["reason"], failed["role"]) == ("failed", "HTTP 500", None)


def test_questions_are_checked():
    with pytest.raises(ValueError):
        JudgeQuestion("event", "d1", "s", "T", None, "a", "b")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        JudgeQuestion("argument", "d1", "s", "T", None, "a", "b")
    assert len({YES, arg("وزير الخارجية الروسي سيرغي لافروف")}) == 1  # frozen and hashable
