"""Regenerate the bundled baselines' stored submissions and their expected scores.

Run it deliberately, from the repository root, when the gold annotations, the scorer or the
lexicon baseline changed on purpose (never to make a failing test pass without knowing why):

    python tests/testdata/regenerate.py

It rewrites two files per baseline (`lexicon`; `supervised` and `majority`, both trained
leave-one-document-out), which `tests/test_lexicon_regression.py` and
`tests/test_trained_regression.py` compare with fresh runs:

- `submissions/NAME.json`: the baseline's output on the bundled corpus, byte for byte what
  `evbench run --extractor NAME --out submissions/NAME.json` writes;
- `tests/testdata/NAME.results.json`: that submission scored against the bundled gold with
  the default settings (`evbench score submissions/NAME.json --out ...`), as written: a
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
#: The trained baselines, each scored leave-one-document-out.
TRAINED = ("supervised", "majority")


def submission_path(name: str) -> Path:
    return ROOT / "submissions" / f"{name}.json"


def results_path(name: str) -> Path:
    return Path(__file__).resolve().parent / f"{name}.results.json"


def lexicon_submission_text(corpus) -> str:
    """The lexicon baseline's submission on `corpus`, as `evbench run --out` writes it."""
    from benchmark.extractors.harness import run_extractor
    from benchmark.extractors.lexicon import LexiconExtractor
    from benchmark.input.submission import write_submission

    extractor = LexiconExtractor(corpus)
    annotation, _ = run_extractor(extractor, corpus, spec="lexicon", system=extractor.name, progress=None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lexicon.json"
        write_submission(annotation, path, system=extractor.name)
        return path.read_text(encoding="utf-8")


def trained_submission_text(corpus, name: str) -> str:
    """A trained baseline's leave-one-document-out submission on `corpus`, as `evbench run --out` writes it."""
    from benchmark.extractors.base import resolve, system_name
    from benchmark.extractors.harness import cross_validate
    from benchmark.input.submission import load_gold, write_submission

    factory = resolve(name)
    system = system_name(factory, name)
    run = cross_validate(factory, corpus, load_gold(corpus), spec=name, system=system, progress=None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.json"
        write_submission(run.annotation, path, system=system)
        return path.read_text(encoding="utf-8")


def lexicon_results(corpus, submission: Path) -> dict:
    """The result dict of `submission` against the corpus gold, default settings (as `evbench score --out` writes it)."""
    from benchmark.coverage import covered_result
    from benchmark.scoring import ScoreSettings, score_submission

    return covered_result(score_submission(submission, None, corpus, ScoreSettings()))


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from benchmark.input.corpus import load_corpus

    corpus = load_corpus()
    SUBMISSION.parent.mkdir(parents=True, exist_ok=True)
    texts = {"lexicon": lexicon_submission_text(corpus)} | {name: trained_submission_text(corpus, name) for name in TRAINED}
    for name, text in texts.items():
        submission, results = submission_path(name), results_path(name)
        submission.write_text(text, encoding="utf-8")
        result = lexicon_results(corpus, submission)
        results.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        metrics = result["metrics"]
        print(f"wrote {submission.relative_to(ROOT)} and {results.relative_to(ROOT)}")
        print("  " + "  ".join(f"{m} F1 {100 * metrics[m]['f1']:.1f}" for m in ("tri_i", "tri_c", "realis", "arg_i", "arg_c", "arg_c+", "coref_within.conll") if m in metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
