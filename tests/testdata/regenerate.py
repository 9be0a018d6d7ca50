"""Regenerate the lexicon baseline's stored submission and its expected scores.

Run it deliberately, from the repository root, when the gold annotations, the scorer or the
lexicon baseline changed on purpose (never to make a failing test pass without knowing why):

    python tests/testdata/regenerate.py

It rewrites two files, which `tests/test_lexicon_regression.py` compares with fresh runs:

- `submissions/lexicon.json`: the lexicon baseline's output on the bundled corpus, byte for
  byte what `evbench run --extractor lexicon --out submissions/lexicon.json` writes;
- `tests/testdata/lexicon.results.json`: that submission scored against the bundled gold with
  the default settings (`evbench score submissions/lexicon.json --out ...`), as written: a
  result names the gold by release (`evbench-gold 1.1`), never by a local path.

Review `git diff` of both files before committing them: every changed number should be
explained by the change you made.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUBMISSION = ROOT / "submissions" / "lexicon.json"
RESULTS = Path(__file__).resolve().parent / "lexicon.results.json"


def lexicon_submission_text(corpus) -> str:
    """The lexicon baseline's submission on `corpus`, as `evbench run --out` writes it."""
    from benchmark.extractors.harness import run_extractor
    from benchmark.extractors.lexicon import LexiconExtractor
    from benchmark.submission import write_submission

    extractor = LexiconExtractor(corpus)
    annotation, _ = run_extractor(extractor, corpus, spec="lexicon", system=extractor.name, progress=None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lexicon.json"
        write_submission(annotation, path, system=extractor.name)
        return path.read_text(encoding="utf-8")


def lexicon_results(corpus, submission: Path) -> dict:
    """The result dict of `submission` against the corpus gold, default settings (as `evbench score --out` writes it)."""
    from benchmark.coverage import covered_result
    from benchmark.scoring import ScoreSettings, score_submission

    return covered_result(score_submission(submission, None, corpus, ScoreSettings()))


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from benchmark.corpus import load_corpus

    corpus = load_corpus()
    SUBMISSION.parent.mkdir(parents=True, exist_ok=True)
    SUBMISSION.write_text(lexicon_submission_text(corpus), encoding="utf-8")
    result = lexicon_results(corpus, SUBMISSION)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    metrics = result["metrics"]
    print(f"wrote {SUBMISSION.relative_to(ROOT)} and {RESULTS.relative_to(ROOT)}")
    print("  ".join(f"{name} F1 {100 * metrics[name]['f1']:.1f}" for name in ("tri_i", "tri_c", "realis", "arg_i", "arg_c") if name in metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
