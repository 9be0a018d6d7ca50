"""Every validation rule, one bad input each, on a tiny synthetic corpus built in tmp_path.

Each scenario changes one thing in an otherwise valid submission (or gold file) and asserts the
one problem it must produce: its location, its message and that it is an error (or a warning).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from benchmark.input.corpus import Corpus, load_corpus
from benchmark.input.problems import InputError, Problem
from benchmark.input.submission import check_gold, check_submission, load_gold, load_submission
from scorers.model import Argument, Span

from conftest import make_corpus

DOC = "d1"
OTHER = "d2"
ARTICLE = "زار لافروف وونسان أمس وقتل جندي هناك."
CHROME = "\nاقرأ أيضا: الطقس اليوم\n"
TEXT = ARTICLE + CHROME
CHROME_START = len(ARTICLE)
PROBLEM_LINE = re.compile(r"^[^\n]+?(:[^\n:]+)?: (error|warning): [^\n]+ \(fix: [^\n]+\)$")


def at(word: str, text: str = TEXT) -> dict:
    start = text.index(word)
    return {"start": start, "end": start + len(word), "text": word}


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    return load_corpus(make_corpus(tmp_path, {DOC: TEXT, OTHER: "وصل الوفد."}, chrome={DOC: (CHROME_START, len(TEXT))}))


def gold_doc() -> dict:
    """A valid gold file for DOC: a visit and a killing, with their entities."""
    return {
        "doc_id": DOC,
        "annotators": ["test"],
        "entities": [
            {"id": "lavrov", "type": "PER", "mentions": [at("لافروف")]},
            {"id": "wonsan", "type": "GPE", "mentions": [at("وونسان")]},
            {"id": "soldier", "type": "PER", "mentions": [at("جندي")]},
        ],
        "events": [
            {"id": "e1", "type": "Movement.Transport-Person", "realis": "actual", "trigger": at("زار"), "cluster": "visit",
             "arguments": [{"role": "Person", **at("لافروف"), "entity": "lavrov"}, {"role": "Destination", **at("وونسان"), "entity": "wonsan"}]},
            {"id": "e2", "type": "Life.Die", "realis": "actual", "trigger": at("وقتل"), "cluster": "death",
             "arguments": [{"role": "Victim", **at("جندي"), "entity": "soldier"}]},
        ],
    }


def submission() -> dict:
    """A valid submission: the gold events of DOC without the gold-only fields."""
    doc = gold_doc()
    for event in doc["events"]:
        for argument in event["arguments"]:
            del argument["entity"]
    return {"system": "test-system", "documents": [{"doc_id": DOC, "events": doc["events"]}]}


def check(corpus: Corpus, data: object, tmp_path: Path, name: str = "sub.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    annotation, problems = check_submission(path, corpus)
    for problem in problems:
        assert problem.file == str(path)
        assert PROBLEM_LINE.match(problem.format()), problem.format()
    return annotation, problems


def check_gold_file(corpus: Corpus, data: dict, name: str | None = None):
    path = corpus.annotations_dir / f"{name or data['doc_id']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    annotation, problems = check_gold(corpus)
    for problem in problems:
        assert problem.file == str(path)
        assert PROBLEM_LINE.match(problem.format()), problem.format()
    return annotation, problems


def only_error(problems: list[Problem]) -> Problem:
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, "\n".join(p.format() for p in problems)
    return errors[0]


# --- valid input ----------------------------------------------------------------------------


def test_valid_submission_becomes_an_annotation(corpus, tmp_path):
    annotation, problems = check(corpus, submission(), tmp_path)
    assert problems == []
    assert annotation.system == "test-system"
    visit, death = annotation.documents[DOC].events
    assert (visit.id, visit.type, visit.realis, visit.cluster) == ("e1", "Movement.Transport-Person", "actual", "visit")
    assert visit.trigger == Span(0, 3, "زار")
    assert visit.arguments[0] == Argument("Person", Span(4, 10, "لافروف"))
    assert death.trigger.text == TEXT[death.trigger.start:death.trigger.end] == "وقتل"


def test_text_only_spans_are_accepted(corpus, tmp_path):
    data = {"documents": [{"doc_id": DOC, "events": [{"id": "e1", "type": "Contact.Meet", "trigger": {"text": "زار"}, "arguments": [{"role": "Participant", "text": "لافروف"}]}]}]}
    annotation, problems = check(corpus, data, tmp_path)
    assert problems == []
    event = annotation.documents[DOC].events[0]
    # Each text occurs once in the document: located (benchmark.input.locating), so every mode can score it.
    assert event.trigger == Span(0, 3, "زار") and event.arguments[0].span.has_offsets
    assert event.realis is None and event.cluster is None


def test_text_only_spans_that_cannot_be_located_are_warned_about(corpus, tmp_path):
    data = {"documents": [{"doc_id": DOC, "events": [{"id": "e1", "type": "Contact.Meet", "trigger": {"text": "زار"},
                                                      "arguments": [{"role": "Participant", "text": "وزير الخارجية لافروف"}]}]}]}
    annotation, problems = check(corpus, data, tmp_path)
    assert annotation is not None and [p.severity for p in problems] == ["warning"]
    assert "occurs nowhere in the document as a whole word" in problems[0].message and "event 'e1' argument 0 (Participant)" in problems[0].where
    assert "relaxed" in problems[0].fix


def test_valid_gold_loads_with_entities(corpus):
    annotation, problems = check_gold_file(corpus, gold_doc())
    assert problems == []
    doc = annotation.documents[DOC]
    assert [e.id for e in doc.entities] == ["lavrov", "wonsan", "soldier"]
    assert doc.events[0].arguments[0].entity == "lavrov"
    assert load_gold(corpus).documents[DOC] == doc


# --- submission rules: one bad input each ----------------------------------------------------

E0 = "$.documents[0].events[0]"


def _set(path: str, value):
    """A mutation that sets (or, for `...`, deletes) the field at a dotted path in the submission."""

    def mutate(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is ...:
            del node[int(last) if last.isdigit() else last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _append_document(doc: dict):
    return lambda data: data["documents"].append(doc)


def _duplicate_event(data: dict) -> None:
    data["documents"][0]["events"][1]["id"] = "e1"


RULES = [
    # (name, mutation, location, message fragment)
    ("missing documents", _set("documents", ...), "$", "missing the 'documents' field"),
    ("documents not an array", _set("documents", {}), "$.documents", "'documents' is not an array"),
    ("unknown top-level field", _set("sytem", "x"), "$", "('sytem' was unexpected)"),
    ("event missing id", _set("documents.0.events.0.id", ...), E0, "'id' is a required property"),
    ("event missing trigger", _set("documents.0.events.0.trigger", ...), E0, "'trigger' is a required property"),
    ("unknown event field", _set("documents.0.events.0.trigers", {"text": "x"}), E0, "('trigers' was unexpected)"),
    ("id of the wrong type", _set("documents.0.events.0.id", 1), E0 + ".id", "expected a string, found the integer 1"),
    ("cluster of the wrong type", _set("documents.0.events.0.cluster", 7), E0 + ".cluster", "expected a string, found the integer 7"),
    ("arguments not an array", _set("documents.0.events.0.arguments", {}), E0 + ".arguments", "expected an array, found an empty object"),
    ("argument missing role", _set("documents.0.events.0.arguments.0.role", ...), E0 + ".arguments[0]", "'role' is a required property"),
    ("unknown doc_id", _set("documents.0.doc_id", "d3"), "$.documents[0].doc_id", "unknown document 'd3'"),
    ("duplicate doc_id", _append_document({"doc_id": DOC, "events": []}), "$.documents[1].doc_id", f"duplicate document '{DOC}' (first at $.documents[0])"),
    ("duplicate event id", _duplicate_event, "$.documents[0].events[1].id", "duplicate event id 'e1' (also at events[0])"),
    ("unknown type", _set("documents.0.events.0.type", "Movement.Teleport"), E0 + ".type", "unknown event type 'Movement.Teleport'"),
    ("unknown role", _set("documents.0.events.0.arguments.0.role", "Passenger"), E0 + ".arguments[0].role", "role 'Passenger' is not allowed for Movement.Transport-Person"),
    ("role not allowed for the type", _set("documents.0.events.1.arguments.0.role", "Destination"), "$.documents[0].events[1].arguments[0].role", "role 'Destination' is not allowed for Life.Die"),
    ("unknown realis", _set("documents.0.events.0.realis", "planned"), E0 + ".realis", "unknown realis 'planned'"),
    ("negative start", _set("documents.0.events.0.trigger.start", -1), E0 + ".trigger.start", "-1 is less than the minimum of 0"),
    ("zero end", _set("documents.0.events.0.trigger", {"start": 0, "end": 0}), E0 + ".trigger.end", "0 is less than the minimum of 1"),
    ("reversed offsets", _set("documents.0.events.0.trigger", {"start": 3, "end": 1}), E0 + ".trigger", "span is empty or reversed: start 3 >= end 1"),
    ("empty span", _set("documents.0.events.0.trigger", {"start": 3, "end": 3}), E0 + ".trigger", "span is empty or reversed: start 3 >= end 3"),
    ("end out of range", _set("documents.0.events.0.trigger", {"start": 0, "end": len(TEXT) + 1}), E0 + ".trigger", f"end {len(TEXT) + 1} is past the end of document d1 ({len(TEXT)} characters)"),
    ("start out of range", _set("documents.0.events.0.arguments.0", {"role": "Person", "start": 500, "end": 506}), E0 + ".arguments[0]", "end 506 is past the end of document d1"),
    ("float offset", _set("documents.0.events.0.trigger.start", 0.5), E0 + ".trigger.start", "expected an integer, found the number 0.5"),
    ("integral float offset", _set("documents.0.events.0.trigger.end", 3.0), E0 + ".trigger.end", "expected an integer, found the number 3.0"),
    ("string offset", _set("documents.0.events.0.trigger.start", "0"), E0 + ".trigger.start", "expected an integer, found the string '0'"),
    ("boolean offset", _set("documents.0.events.0.trigger.start", False), E0 + ".trigger.start", "expected an integer, found false (a boolean)"),
    ("start without end", _set("documents.0.events.0.trigger", {"start": 0}), E0 + ".trigger", "'start' is given without 'end'"),
    ("neither offsets nor text", _set("documents.0.events.0.trigger", {}), E0 + ".trigger", "span has neither start and end nor text"),
    ("text != slice", _set("documents.0.events.0.trigger.text", "زور"), E0 + ".trigger", "text 'زور' does not equal the document slice [0, 3) = 'زار'"),
    ("argument text != slice", _set("documents.0.events.0.arguments.0.text", "وونسان"), E0 + ".arguments[0]", "that text occurs at [11, 17)"),
    ("unknown entity type", _set("documents.0.entities", [{"id": "x", "type": "ANIMAL", "mentions": [at("جندي")]}]), "$.documents[0].entities[0].type", "unknown entity type 'ANIMAL'"),
    ("duplicate entity id", _set("documents.0.entities", [{"id": "x", "type": "PER", "mentions": [at("جندي")]}, {"id": "x", "type": "PER", "mentions": [at("لافروف")]}]),
     "$.documents[0].entities[1].id", "duplicate entity id 'x'"),
    ("entity mention text != slice", _set("documents.0.entities", [{"id": "x", "type": "PER", "mentions": [{**at("جندي"), "text": "جنود"}]}]), "$.documents[0].entities[0].mentions[0]", "does not equal the document slice"),
]


@pytest.mark.parametrize("name, mutate, where, message", RULES, ids=[r[0] for r in RULES])
def test_submission_rule(name, mutate, where, message, corpus, tmp_path):
    data = submission()
    mutate(data)
    annotation, problems = check(corpus, data, tmp_path)
    assert annotation is None
    problem = only_error(problems)
    assert problem.where == where
    assert message in problem.message


def test_argument_entity_must_be_listed_when_the_submission_lists_entities(corpus, tmp_path):
    data = submission()
    data["documents"][0]["entities"] = [{"id": "lavrov", "type": "PER", "mentions": [at("لافروف")]}]
    data["documents"][0]["events"][0]["arguments"][0]["entity"] = "putin"
    _, problems = check(corpus, data, tmp_path)
    problem = only_error(problems)
    assert (problem.where, problem.message) == (E0 + ".arguments[0].entity", "entity 'putin' is not listed in this document's entities")


def test_entity_ids_without_entities_are_allowed_in_submissions(corpus, tmp_path):
    data = submission()
    data["documents"][0]["events"][0]["arguments"][0]["entity"] = "anything"
    annotation, problems = check(corpus, data, tmp_path)
    assert problems == [] and annotation.documents[DOC].events[0].arguments[0].entity == "anything"


def test_every_problem_is_reported_not_just_the_first(corpus, tmp_path):
    data = submission()
    data["documents"][0]["events"][0]["type"] = "Nope.Nope"
    data["documents"][0]["events"][1]["trigger"]["start"] = 100
    data["documents"].append({"doc_id": "d9", "events": []})
    _, problems = check(corpus, data, tmp_path)
    assert [p.where for p in problems] == [E0 + ".type", "$.documents[0].events[1].trigger", "$.documents[1].doc_id"]


def test_load_submission_raises_input_error_with_every_problem(corpus, tmp_path):
    data = submission()
    data["documents"][0]["events"][0]["realis"] = "maybe"
    data["documents"][0]["events"][1]["realis"] = "perhaps"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_submission(path, corpus)
    assert [p.where for p in caught.value.problems] == [E0 + ".realis", "$.documents[0].events[1].realis"]
    assert str(caught.value).count("\n") == 1


# --- slice differences are named -------------------------------------------------------------


@pytest.mark.parametrize(
    "given, kind",
    [
        (unicodedata.normalize("NFD", "أمس"), "Unicode normalisation: the text is NFD"),
        ("أمـس", "tatweel: U+0640 ARABIC TATWEEL"),
        ("\u200fأمس", "invisible direction marks: U+200F RIGHT-TO-LEFT MARK"),
        ("أمس\u200e", "invisible direction marks: U+200E LEFT-TO-RIGHT MARK"),
        ("أ\u200cمس", "zero-width characters: U+200C ZERO WIDTH NON-JOINER"),
        ("أَمْس", "diacritics (harakat)"),
        ("أمـ\u200fس", "tatweel, diacritics or invisible characters"),
    ],
    ids=["nfd", "tatweel", "rtl-mark", "ltr-mark", "zwnj", "harakat", "mixed"],
)
def test_slice_difference_is_named(given, kind, corpus, tmp_path):
    assert unicodedata.normalize("NFC", "أمس") == "أمس" and "أمس" in TEXT
    data = submission()
    data["documents"][0]["events"][0]["trigger"] = {**at("أمس"), "text": given}
    _, problems = check(corpus, data, tmp_path)
    problem = only_error(problems)
    assert "does not equal the document slice" in problem.message
    assert f"they differ only in {kind}" in problem.message


def test_unrelated_text_gets_no_difference_hint(corpus, tmp_path):
    data = submission()
    data["documents"][0]["events"][0]["trigger"]["text"] = "قمة"
    _, problems = check(corpus, data, tmp_path)
    assert "differ only" not in only_error(problems).message


# --- chrome: a warning for submissions, an error for gold -----------------------------------


def test_trigger_in_chrome_is_a_warning_for_a_submission(corpus, tmp_path):
    data = submission()
    data["documents"][0]["events"][0]["trigger"] = at("الطقس")
    annotation, problems = check(corpus, data, tmp_path)
    assert annotation is not None
    assert len(problems) == 1 and problems[0].severity == "warning"
    assert problems[0].where == E0 + ".trigger"
    assert "lies in a chrome segment" in problems[0].message
    assert problems[0].format().startswith(f"{tmp_path / 'sub.json'}:{E0}.trigger: warning: ")


def test_trigger_in_chrome_is_an_error_for_gold(corpus):
    doc = gold_doc()
    doc["events"][0]["trigger"] = at("الطقس")
    annotation, problems = check_gold_file(corpus, doc)
    assert annotation is None
    problem = only_error(problems)
    assert (problem.where, problem.severity) == ("$.events[0].trigger", "error")
    assert "lies in a chrome segment" in problem.message


def test_gold_span_crossing_into_chrome_is_an_error(corpus):
    doc = gold_doc()
    crossing = {"start": CHROME_START - 5, "end": CHROME_START + 5, "text": TEXT[CHROME_START - 5:CHROME_START + 5]}
    doc["entities"][2]["mentions"].append(crossing)
    problem = only_error(check_gold_file(corpus, doc)[1])
    assert (problem.where, problem.message.split(" [")[0]) == ("$.entities[2].mentions[1]", "entity mention")


def test_gold_argument_in_chrome_is_an_error(corpus):
    doc = gold_doc()
    doc["entities"].append({"id": "weather", "type": "COM", "mentions": [at("الطقس")]})
    doc["events"][1]["arguments"].append({"role": "Place", **at("الطقس"), "entity": "weather"})
    _, problems = check_gold_file(corpus, doc)
    assert sorted(p.where for p in problems) == ["$.entities[3].mentions[0]", "$.events[1].arguments[1]"]
    assert all("chrome" in p.message and p.severity == "error" for p in problems)


# --- gold-only rules -------------------------------------------------------------------------


def test_gold_unknown_entity_id(corpus):
    doc = gold_doc()
    doc["events"][0]["arguments"][0]["entity"] = "putin"
    problem = only_error(check_gold_file(corpus, doc)[1])
    assert (problem.where, problem.message) == ("$.events[0].arguments[0].entity", "entity 'putin' is not listed in this document's entities")


def test_gold_argument_span_must_be_a_mention_of_its_entity(corpus):
    doc = gold_doc()
    doc["events"][0]["arguments"][1]["entity"] = "lavrov"  # span is وونسان, not a mention of lavrov
    problem = only_error(check_gold_file(corpus, doc)[1])
    assert problem.where == "$.events[0].arguments[1]"
    assert problem.message == "argument span [11, 17) is not among the mentions of entity 'lavrov'"


@pytest.mark.parametrize("field", ["entities", "realis", "cluster", "entity"])
def test_gold_requires_gold_only_fields(field, corpus):
    doc = gold_doc()
    if field == "entities":
        del doc["entities"]
        where = "$"
    elif field == "entity":
        del doc["events"][0]["arguments"][0]["entity"]
        where = "$.events[0].arguments[0]"
    else:
        del doc["events"][0][field]
        where = "$.events[0]"
    problem = only_error(check_gold_file(corpus, doc)[1])
    assert (problem.where, problem.message) == (where, f"'{field}' is a required property")


def test_gold_file_name_must_match_doc_id(corpus):
    problem = only_error(check_gold_file(corpus, gold_doc(), name=OTHER)[1])
    assert problem.where == "$.doc_id" and "does not match the file name" in problem.message


def test_gold_for_a_document_not_in_the_manifest(corpus):
    doc = {"doc_id": "d7", "entities": [], "events": []}
    problem = only_error(check_gold_file(corpus, doc)[1])
    assert (problem.where, problem.message) == ("$.doc_id", "unknown document 'd7'")


def test_gold_type_must_be_in_the_ontology(corpus):
    doc = gold_doc()
    doc["events"][1]["type"] = "Life.Resurrect"
    problem = only_error(check_gold_file(corpus, doc)[1])
    assert (problem.where, problem.message) == ("$.events[1].type", "unknown event type 'Life.Resurrect'")


def test_gold_unknown_entity_type(corpus):
    doc = gold_doc()
    doc["entities"][0]["type"] = "HUMAN"
    problem = only_error(check_gold_file(corpus, doc)[1])
    assert problem.where == "$.entities[0].type" and "is not one of: PER, ORG" in problem.message


def test_one_bad_gold_file_is_reported_by_its_own_name(corpus):
    check_gold_file(corpus, gold_doc())
    bad = {"doc_id": OTHER, "entities": [], "events": [{"id": "x", "type": "Contact.Meet", "realis": "actual", "trigger": {"start": 2, "end": 1, "text": "و"}, "arguments": [], "cluster": "c"}]}
    annotation, problems = check_gold_file(corpus, bad)
    assert annotation is None
    problem = only_error(problems)
    assert problem.file == str(corpus.annotations_dir / f"{OTHER}.json")
    assert (problem.where, problem.message) == ("$.events[0].trigger", "span is empty or reversed: start 2 >= end 1")


# --- the problem line format -----------------------------------------------------------------


def test_problem_format_is_one_line():
    assert Problem("f.json", "$.a", "bad", "fix it").format() == "f.json:$.a: error: bad (fix: fix it)"
    assert Problem("f.json", "", "bad", "fix it", "warning").format() == "f.json: warning: bad (fix: fix it)"


def test_input_error_keeps_errors_only():
    error = InputError([Problem("f", "", "w", "x", "warning"), Problem("f", "", "e", "x")])
    assert [p.message for p in error.problems] == ["e"]
