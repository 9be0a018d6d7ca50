"""The JSON and JSONL loaders, exact problem locations, and the export -> validate round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.input.corpus import load_corpus
from benchmark.input.problems import InputError
from benchmark.input.reading import iter_jsonl, read_json
from benchmark.input.submission import annotation_to_submission, check_submission, load_gold, load_reference, load_submission, write_submission

D0, D3 = "000_4d407a0bed6a0682", "003_2b11dcb59984afc5"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def span(corpus, doc_id: str, word: str) -> dict:
    start = corpus.documents[doc_id].text.index(word)
    return {"start": start, "end": start + len(word), "text": word}


def documents(corpus) -> list[dict]:
    return [
        {
            "doc_id": D0,
            "events": [
                {"id": "a", "type": "Movement.Transport-Person", "realis": "actual", "trigger": span(corpus, D0, "زيارة"), "cluster": "visit",
                 "arguments": [{"role": "Person", **span(corpus, D0, "سيرغي لافروف")}, {"role": "Destination", "text": "كوريا الشمالية"}]},
                {"id": "b", "type": "Contact.Meet", "trigger": {"text": "محادثات"}},
            ],
        },
        {"doc_id": D3, "events": []},
    ]


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def jsonl(docs: list[dict], end: str = "\n") -> str:
    return "".join(json.dumps(d, ensure_ascii=False) + end for d in docs)


# --- JSON and JSONL give the same annotation --------------------------------------------------


def test_json_and_jsonl_give_the_same_annotation(corpus, tmp_path):
    docs = documents(corpus)
    from_json = load_submission(write(tmp_path / "s.json", json.dumps({"documents": docs}, ensure_ascii=False, indent=2)), corpus)
    from_jsonl = load_submission(write(tmp_path / "s.jsonl", jsonl(docs)), corpus)
    assert from_json == from_jsonl
    # The text-only argument occurs once in the document, so both formats locate it (benchmark.input.locating).
    assert from_json.documents[D0].events[0].arguments[1].span.has_offsets is True
    assert sorted(from_json.documents) == [D0, D3]


@pytest.mark.parametrize("variant", ["crlf", "blank-lines", "no-final-newline", "ndjson"])
def test_jsonl_variants_give_the_same_annotation(variant, corpus, tmp_path):
    docs = documents(corpus)
    expected = load_submission(write(tmp_path / "s.json", json.dumps({"documents": docs}, ensure_ascii=False)), corpus)
    name, text = {
        "crlf": ("s.jsonl", jsonl(docs, "\r\n")),
        "blank-lines": ("s.jsonl", "\n\n" + jsonl(docs, "\n\n  \n")),
        "no-final-newline": ("s.jsonl", jsonl(docs).rstrip("\n")),
        "ndjson": ("s.ndjson", jsonl(docs)),
    }[variant]
    assert load_submission(write(tmp_path / name, text), corpus) == expected


def test_system_name_comes_from_json(corpus, tmp_path):
    path = write(tmp_path / "s.json", json.dumps({"system": "my-extractor", "documents": documents(corpus)}, ensure_ascii=False))
    assert load_submission(path, corpus).system == "my-extractor"


def test_iter_jsonl_yields_line_numbers(tmp_path):
    path = write(tmp_path / "x.jsonl", '{"a": 1}\n\n{"b": 2}\r\n')
    assert list(iter_jsonl(path, 1000)) == [(1, {"a": 1}), (3, {"b": 2})]


# --- exact locations ------------------------------------------------------------------------


def problem_of(path: Path, corpus) -> tuple[str, str]:
    annotation, problems = check_submission(path, corpus)
    assert annotation is None and len(problems) == 1, [p.format() for p in problems]
    return problems[0].where, problems[0].message


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_truncated_jsonl_line_is_located_at_its_end(end, corpus, tmp_path):
    good = json.dumps({"doc_id": D3, "events": []})
    broken = '{"doc_id": "x", "events": ['
    path = write(tmp_path / "s.jsonl", good + end + broken + end)
    assert problem_of(path, corpus) == (f"line 2 column {len(broken) + 1}", "malformed JSON: Expecting value")


def test_malformed_jsonl_line_column_points_at_the_bad_character(corpus, tmp_path):
    line = '{"doc_id": "x" "events": []}'
    column = line.index('"events"') + 1
    path = write(tmp_path / "s.jsonl", "\n" + line + "\n")
    assert problem_of(path, corpus) == (f"line 2 column {column}", "malformed JSON: Expecting ',' delimiter")


def test_malformed_json_is_located_by_line_and_column(corpus, tmp_path):
    path = write(tmp_path / "s.json", '{\n  "documents": [\n    {"doc_id": "x",, "events": []}\n  ]\n}\n')
    assert problem_of(path, corpus) == ("line 3 column 20", "malformed JSON: Expecting property name enclosed in double quotes")


def test_column_counts_characters_not_bytes(corpus, tmp_path):
    line = '{"doc_id": "وثيقة" "events": []}'
    column = line.index('"events"') + 1  # 20; in bytes it would be 25
    path = write(tmp_path / "s.jsonl", line + "\n")
    assert problem_of(path, corpus)[0] == f"line 1 column {column}"


def test_invalid_utf8_is_located_by_line_and_column(corpus, tmp_path):
    raw = b'{"documents": [\n {"doc_id": "\xe9t\xe9", "events": []}]}\n'
    assert problem_of(write(tmp_path / "s.json", raw), corpus) == ("line 2 column 14", "not valid UTF-8 (byte b'\\xe9' at byte offset 29)")
    first = b'{"doc_id": "%s", "events": []}\n' % D3.encode()
    raw = first + b'{"doc_id": "caf\xe9", "events": []}\n'
    offset = len(first) + 15
    assert problem_of(write(tmp_path / "s.jsonl", raw), corpus) == ("line 2 column 16", f"not valid UTF-8 (byte b'\\xe9' at byte offset {offset})")


def test_schema_problems_in_jsonl_are_located_by_line_and_path(corpus, tmp_path):
    docs = documents(corpus)
    docs[0]["events"][1]["realis"] = 3
    path = write(tmp_path / "s.jsonl", "\n" + jsonl(docs))
    assert problem_of(path, corpus) == ("line 2 $.events[1].realis", "expected a string, found the integer 3")


def test_jsonl_problems_come_in_line_order(corpus, tmp_path):
    lines = ['{"doc_id": "nope", "events": []}', "{broken", '{"doc_id": "also-nope", "events": []}']
    _, problems = check_submission(write(tmp_path / "s.jsonl", "\n".join(lines) + "\n"), corpus)
    assert [p.where.split(" $")[0].split(" column")[0] for p in problems] == ["line 1", "line 2", "line 3"]


def test_duplicate_keys_are_reported_where_they_are(corpus, tmp_path):
    text = '{"documents": [{"doc_id": "%s", "events": [], "events": []}]}' % D3  # noqa: UP031 -- JSON text: %s reads better than doubled braces
    assert problem_of(write(tmp_path / "s.json", text), corpus) == ("$.documents[0]", "key 'events' occurs more than once in this object (JSON keeps only the last)")
    text = '{"doc_id": "%s", "events": []}\n{"doc_id": "%s", "doc_id": "%s", "events": []}\n' % (D3, D0, D0)  # noqa: UP031 -- JSON text: %s reads better than doubled braces
    assert problem_of(write(tmp_path / "s.jsonl", text), corpus)[0] == "line 2 $"


def test_read_json_rejects_before_parsing(tmp_path):
    with pytest.raises(InputError) as caught:
        read_json(write(tmp_path / "big.json", "[" + " " * 100 + "]"), 50)
    assert "over the limit of 50 bytes" in caught.value.problems[0].message


# --- the gold through the same loaders ------------------------------------------------------


def test_validate_gold_exits_0(capsys):
    assert main(["validate", "--gold"]) == 0
    captured = capsys.readouterr()
    assert "valid (" in captured.out and "error" not in captured.err


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_export_then_validate(suffix, tmp_path, capsys):
    out = tmp_path / f"gold{suffix}"
    assert main(["export", "--submission", "-o", str(out)]) == 0
    assert main(["validate", str(out)]) == 0
    captured = capsys.readouterr()
    assert f"{out}: valid (" in captured.out
    assert "error" not in captured.err


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_exported_gold_loads_back_as_the_gold(suffix, corpus, tmp_path):
    gold = load_gold(corpus)
    path = tmp_path / f"gold{suffix}"
    write_submission(gold, path, system="gold")
    again = load_submission(path, corpus)
    assert again.documents == gold.documents
    assert annotation_to_submission(again, system="gold") == annotation_to_submission(gold, system="gold")


def test_load_reference_defaults_to_the_gold(corpus, tmp_path):
    assert load_reference(None, corpus) == load_gold(corpus)
    path = tmp_path / "ref.json"
    write_submission(load_gold(corpus), path)
    assert load_reference(path, corpus).events() == load_gold(corpus).events()
