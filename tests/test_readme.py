"""Every console, Python and JSON example of the README runs and prints what the README shows (tests/readme_examples.py)."""

from __future__ import annotations

from readme_examples import README, blocks, check, console_runs


def test_every_readme_example_runs_as_shown():
    problems = check(README.read_text(encoding="utf-8"))
    assert not problems, "\n\n".join(problems) + "\n\n(after a deliberate change: python tests/readme_examples.py --update)"


def test_the_readme_has_examples_of_every_kind():
    found = blocks(README.read_text(encoding="utf-8"))
    kinds = {b.lang for b in found if b.lang in ("console", "python", "json")} | {"excerpt" for b in found if b.command}
    assert kinds == {"console", "python", "json", "excerpt"}
    assert sum(len(console_runs(b.body)) for b in found if b.lang == "console") >= 4


def test_a_stale_example_is_caught():
    text = "```console\n$ evbench --version\nevbench 0.0.0\n```\n"
    assert check(text)
    bad_json = '```json\n{"documents": [{"doc_id": "000_4d407a0bed6a0682", "events": [{"id": "e1", "type": "Movement.Transport-Person", ' \
               '"trigger": {"start": 39, "end": 44, "text": "لقاء"}}]}]}\n```\n'
    assert check(bad_json)
