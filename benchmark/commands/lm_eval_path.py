"""`evbench lm-eval-path`: where the lm-evaluation-harness task folder is, for ``lm_eval --include_path``.

Prints a path only: neither lm-eval nor the task's code is imported.
"""

from __future__ import annotations

import argparse
from pathlib import Path

#: The folder of the evbench lm-eval tasks (YAML + the functions they name), shipped with the package.
TASK_DIR = Path(__file__).resolve().parent.parent / "integrations" / "lm_eval"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "lm-eval-path",
        help="print the folder of the lm-evaluation-harness tasks (lm_eval --include_path \"$(evbench lm-eval-path)\" --tasks evbench_ar)",
        description="Print the folder holding the evbench tasks for lm-evaluation-harness (pip install \"evbench[lm-eval]\"), "
        "for: lm_eval --include_path \"$(evbench lm-eval-path)\" --tasks evbench_ar --apply_chat_template ...",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print(TASK_DIR)
    return 0
