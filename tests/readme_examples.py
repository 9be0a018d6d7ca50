"""The README's examples, executed: console sessions, doctests, JSON submissions, and marked outputs.

So no example or number in the README can go stale, every example of one of these kinds runs:

* a ```` ```console ```` block: each ``$ evbench ...`` line is run (in-process, in a scratch
  directory that sees the project's ``submissions/`` and ``gold/``) and its output must equal the
  lines under it;
* a ```` ```python ```` block with ``>>>`` prompts: run by doctest, in the same scratch directory,
  blocks in README order (a later block may use a file an earlier console block wrote);
* a ```` ```json ```` block holding a submission (``"documents"``): it must pass ``evbench validate``;
* a plain block right after ``<!-- output of: evbench ... -->``: its lines must appear, in a row,
  in that command's output (for excerpts such as the first table).

``python tests/readme_examples.py --update`` rewrites the console outputs from fresh runs (after a
deliberate change of numbers; review the diff). Doctests and JSON are fixed by hand.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FENCE = re.compile(r"^(?P<marker><!-- output of: (?P<command>.+?) -->\n)?```(?P<lang>[a-z]*)\n(?P<body>.*?)^```\n", re.S | re.M)


@dataclass(frozen=True)
class Block:
    lang: str
    body: str
    line: int
    start: int
    end: int
    command: str | None = None


def blocks(text: str) -> list[Block]:
    found = []
    for m in FENCE.finditer(text):
        found.append(Block(m["lang"], m["body"], text.count("\n", 0, m.start()) + 1, m.start("body"), m.end("body"), m["command"]))
    return found


def run_evbench(command: str) -> tuple[int, str]:
    """Exit code and stdout (+ stderr) of one ``evbench ...`` command line, run in-process."""
    from benchmark.cli import main

    argv = shlex.split(command)
    assert argv[0] == "evbench", f"not an evbench command: {command}"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv[1:])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue() + err.getvalue()


def _clean(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def console_runs(body: str) -> list[tuple[str, str]]:
    """(command, expected output) for each ``$`` line of a console block."""
    runs: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            runs.append((line[2:], []))
        elif runs:
            runs[-1][1].append(line)
    return [(command, "\n".join(lines)) for command, lines in runs]


@contextlib.contextmanager
def scratch():
    """A scratch working directory that sees the project's submissions/ and gold/ (and a private HF cache)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in ("submissions", "gold"):
            (work / name).symlink_to(ROOT / name)
        old, env = os.getcwd(), dict(os.environ)
        os.environ["HF_HOME"] = str(work / ".hf")
        os.environ["HF_DATASETS_OFFLINE"] = os.environ["HF_HUB_OFFLINE"] = "1"
        os.chdir(work)
        try:
            yield work
        finally:
            os.chdir(old)
            os.environ.clear()
            os.environ.update(env)


def check(text: str) -> list[str]:
    """Every example of the README checked in order; the problems found (empty when all pass)."""
    problems: list[str] = []
    parser, globs = doctest.DocTestParser(), {}
    with scratch() as work:
        for block in blocks(text):
            where = f"README.md:{block.line}"
            if block.lang == "console":
                for command, expected in console_runs(block.body):
                    code, output = run_evbench(command)
                    if code != 0 or _clean(output) != _clean(expected):
                        problems.append(f"{where}: `{command}` (exit {code}) printed:\n{output}")
            elif block.lang == "python" and ">>>" in block.body:
                test = parser.get_doctest(block.body, globs, f"README.md:{block.line}", str(README), block.line)
                runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
                report = io.StringIO()
                runner.run(test, out=report.write)
                globs = test.globs
                if runner.failures:
                    problems.append(f"{where}: doctest failed:\n{report.getvalue()}")
            elif block.lang == "json" and '"documents"' in block.body:
                path = work / f"example-{block.line}.json"
                path.write_text(block.body, encoding="utf-8")
                code, output = run_evbench(f"evbench validate {shlex.quote(str(path))}")
                if code != 0:
                    problems.append(f"{where}: the example submission is invalid:\n{output}")
            elif block.command is not None:
                code, output = run_evbench(block.command)
                if code != 0 or _clean(block.body) not in _clean(output):
                    problems.append(f"{where}: the excerpt is not in the output of `{block.command}` (exit {code}):\n{output}")
    return problems


def update(text: str) -> str:
    """The README with every console block's output replaced by a fresh run."""
    pieces, last = [], 0
    with scratch():
        for block in blocks(text):
            if block.lang != "console":
                continue
            lines = []
            for command, _ in console_runs(block.body):
                _, output = run_evbench(command)
                lines += [f"$ {command}", *_clean(output).splitlines()]
            pieces += [text[last:block.start], "\n".join(lines) + "\n"]
            last = block.end
    return "".join(pieces) + text[last:]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["--update"]:
        README.write_text(update(README.read_text(encoding="utf-8")), encoding="utf-8")
        print("README.md console outputs updated; review `git diff README.md`")
    else:
        found = check(README.read_text(encoding="utf-8"))
        print("\n\n".join(found) or "all README examples pass")
        sys.exit(1 if found else 0)
