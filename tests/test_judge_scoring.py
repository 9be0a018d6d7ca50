"""`--match judge` end to end: relaxed first, only undecided pairs to a local judge server, the audit in the result."""

from __future__ import annotations

import json

import pytest

from chat_server import ChatServer, error, last_user_message, ok
from conftest import run_cli

DOC = "000_4d407a0bed6a0682"
VISIT_ID = "d000-e001"  # زيارة: Person سيرغي لافروف, Destination كوريا الشمالية, Time اليوم الجمعة


@pytest.fixture
def judge_env(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("EVBENCH_LLM_API_KEY", raising=False)
    return tmp_path


def _submission(tmp_path, capsys, replace: dict[str, str]) -> str:
    """The gold as a submission, with arguments of the first visit rewritten as an LLM would (text only)."""
    out = tmp_path / "gold.json"
    assert run_cli(capsys, "export", "--submission", "-o", out)[0] == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        for event in doc["events"]:
            if event["id"] == VISIT_ID:
                event["arguments"] = [{"role": a["role"], "text": replace[a["role"]]} if a["role"] in replace else a
                                      for a in event["arguments"]]
    path = tmp_path / "pred.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _answer(body: dict):
    message = last_user_message(body)
    predicted = message.split("Predicted", 1)[1]
    if "الدولة الكورية الشمالية" in predicted:
        return ok('{"verdict": "yes", "reason": "North Korea, named by a description"}')
    if "CRASH" in predicted:
        return error(500, "the judge model crashed")
    return ok('{"verdict": "no", "reason": "another entity"}')


def test_judge_accepts_what_relaxed_rejects_and_keeps_the_audit(judge_env, capsys, monkeypatch):
    pred = _submission(judge_env, capsys, {"Destination": "الدولة الكورية الشمالية", "Person": "وزير الخارجية سيرغي لافروف"})
    code, out, err = run_cli(capsys, "score", pred, "--match", "relaxed", "--format", "json")
    assert code == 0, err
    relaxed = json.loads(out)["metrics"]["arg_c+"]
    # relaxed: the title + name is Lavrov; the description of North Korea is not a name of it -> 1 fp, 1 fn
    assert (relaxed["fp"], relaxed["fn"]) == (1, 1)
    with ChatServer(respond=_answer) as server:
        monkeypatch.setenv("EVBENCH_LLM_BASE_URL", server.url)
        monkeypatch.setenv("EVBENCH_LLM_MODEL", "judge-model")
        code, out, err = run_cli(capsys, "score", pred, "--match", "judge", "--format", "json")
        assert code == 0, err
        result = json.loads(out)
        # only the one undecided pair (same event, same role) was asked
        assert len(server.requests) == 1
        assert result["metrics"]["arg_c+"]["tp"] == relaxed["tp"] + 1 and result["metrics"]["arg_c+"]["fp"] == 0
        audit = result["judge"]
        assert (audit["model"], audit["prompt_version"], audit["asked"], audit["yes"]) == ("judge-model", "judge-v1", 1, 1)
        (entry,) = audit["judged"]
        assert (entry["gold"], entry["predicted"], entry["verdict"]) == ("كوريا الشمالية", "الدولة الكورية الشمالية", "yes")
        assert entry["reason"] == "North Korea, named by a description"
        # a rerun is answered from the cache
        assert run_cli(capsys, "score", pred, "--match", "judge", "--format", "json")[0] == 0
        assert len(server.requests) == 1


def test_failed_answers_are_reported_never_cached_and_never_matched(judge_env, capsys, monkeypatch):
    pred = _submission(judge_env, capsys, {"Destination": "CRASH"})
    with ChatServer(respond=_answer) as server:
        monkeypatch.setenv("EVBENCH_LLM_BASE_URL", server.url)
        monkeypatch.setenv("EVBENCH_LLM_MODEL", "judge-model")
        code, out, err = run_cli(capsys, "score", pred, "--match", "judge", "--format", "json")
        assert code == 0, err
        result = json.loads(out)
        assert result["judge"]["failed"] == 1 and result["judge"]["judged"][0]["verdict"] == "failed"
        assert "the judge model crashed" in result["judge"]["judged"][0]["reason"]
        assert result["metrics"]["arg_c+"]["fn"] == 1
        first = len(server.requests)
        run_cli(capsys, "score", pred, "--match", "judge", "--format", "json")
        assert len(server.requests) > first  # asked again: a failure is not cached


def test_judge_without_a_server_is_bad_input(judge_env, capsys, monkeypatch):
    monkeypatch.delenv("EVBENCH_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("EVBENCH_LLM_MODEL", raising=False)
    pred = _submission(judge_env, capsys, {})
    code, _, err = run_cli(capsys, "score", pred, "--match", "judge")
    assert code == 2 and "EVBENCH_LLM_BASE_URL" in err and "Traceback" not in err
