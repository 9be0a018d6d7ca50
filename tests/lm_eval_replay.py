"""Replay a submission through lm-evaluation-harness: a chat server on 127.0.0.1 answers each unit of
the evbench_ar task with the submission's events in it, and ``lm_eval`` scores the answers.

A stand-in model with known output: the tests use it (gold answers score 1.0), and the README's
lm-eval result JSON comes from replaying the lexicon baseline:

    python tests/lm_eval_replay.py submissions/lexicon.json --output_path /tmp/lm-eval-lexicon

Events are given as a model would give them: offsets relative to the unit's text (a span outside
the unit keeps only its text, which the task's reader looks up in the unit).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from benchmark.commands.lm_eval_path import TASK_DIR  # noqa: E402
from benchmark.input.submission import event_to_json  # noqa: E402
from scorers.model import Annotation  # noqa: E402

from chat_server import ChatServer, last_user_message, ok  # noqa: E402


def unit_events(annotation: Annotation, unit: dict) -> list[dict]:
    """The events of `annotation` whose trigger starts in `unit`, with offsets relative to the text
    the model was given (the unit's text; for a sentence window, its context)."""
    start, end = unit["start"], unit["start"] + len(unit["text"])
    base = unit.get("context_start", start)
    limit = base + len(unit.get("context", unit["text"]))
    doc = annotation.documents.get(unit["doc_id"])
    found = []
    for event in doc.events if doc is not None else ():
        if event.trigger.start is None or not start <= event.trigger.start < end:
            continue
        data = event_to_json(event, with_entities=False)
        for span in (data["trigger"], *data["arguments"]):
            if "start" in span and base <= span["start"] and span["end"] <= limit:
                span["start"] -= base
                span["end"] -= base
            else:
                span.pop("start", None)
                span.pop("end", None)
        found.append(data)
    return found


def answer(events: list[dict]) -> str:
    return json.dumps({"events": events}, ensure_ascii=False)


def replay_server(answers: dict[str, str], **kwargs) -> ChatServer:
    """A chat server answering each unit's user prompt from `answers` (anything else: unreadable text)."""
    return ChatServer(respond=lambda body: ok(answers.get(last_user_message(body), "{no such unit")), **kwargs)


def lm_eval_argv(url: str, model: str, output_path: Path | str, tasks: str = "evbench_ar") -> list[str]:
    """The arguments of an `lm_eval` run of `tasks` against the chat server at `url` (.../v1)."""
    return ["--model", "local-chat-completions",
            "--model_args", f"model={model},base_url={url}/chat/completions,num_concurrent=1,max_retries=1",
            "--include_path", str(TASK_DIR), "--tasks", tasks, "--apply_chat_template",
            "--output_path", str(output_path), "--log_samples"]


def lm_eval_env(hf_home: Path | str) -> dict[str, str]:
    """This source tree first on the path (the task imports `benchmark`), Hugging Face offline."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])), "HF_HOME": str(hf_home),
            "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}


def main(argv: list[str] | None = None) -> int:
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import load_submission
    from benchmark.integrations.lm_eval_task import units

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submission", type=Path)
    parser.add_argument("--output_path", type=Path, required=True)
    parser.add_argument("--model", default=None, help="model name in the results (default: the submission's file name)")
    args = parser.parse_args(argv)
    corpus = load_corpus(None)
    annotation = load_submission(args.submission, corpus)
    answers = {u["prompt"]: answer(unit_events(annotation, u)) for u in units(corpus)}
    with replay_server(answers, limit=1000) as server:
        command = [sys.executable, "-m", "lm_eval", *lm_eval_argv(server.url, args.model or args.submission.stem, args.output_path)]
        return subprocess.run(command, env=lm_eval_env(args.output_path / ".hf")).returncode


if __name__ == "__main__":
    sys.exit(main())
