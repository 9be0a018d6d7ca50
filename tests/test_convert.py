"""`evbench convert` and `benchmark.loose_output`: loose model output to a valid submission.

Named scenarios on a one-sentence-pair text whose offsets are written out by hand, the command
line on a synthetic corpus (JSON, JSONL, bad input), and two properties over the bundled corpus:
a valid submission goes through unchanged with no change reported, and loosened gold converts to
a valid submission that a second conversion leaves alone.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark import loose_output as lo
from benchmark.input.corpus import load_ontology
from benchmark.input.submission import annotation_to_submission
from benchmark.input.validation import build_annotation
from benchmark.loose_output import convert_events, convert_submission

from conftest import BUNDLED, make_corpus, run_cli, write_json
from strategies import corpus as bundled_corpus
from strategies import gold as bundled_gold
from strategies import submissions

ONTOLOGY = load_ontology(BUNDLED / "ontology.json")
# Words and their half-open offsets (counted by hand, checked in test_the_offsets_below_are_right):
# ووصل 0-4, لافروف 5-11, إلى 12-15, وونسان 16-22, يوم 23-26, الجمعة 27-33, "." 33,
# والتقى 35-41, لافروف 42-48, نظيرته 49-55, في 56-58, وونسان 59-65, "." 65
TEXT = "ووصل لافروف إلى وونسان يوم الجمعة. والتقى لافروف نظيرته في وونسان."
LINE = re.compile(r"^(?P<file>.+?):(?P<where>[^:]+): error: (?P<message>.+) \(fix: (?P<fix>.+)\)$")


def convert(answer: object, text: str = TEXT, **options) -> tuple[list[dict], dict[str, int]]:
    events, changes = convert_events(answer, text, ONTOLOGY, doc_id="d1", **options)
    assert all(c.doc_id == "d1" and c.count > 0 for c in changes)
    return events, {c.what: c.count for c in changes}


def test_the_offsets_below_are_right():
    for word, start in (("ووصل", 0), ("وونسان", 16), ("الجمعة", 27), ("والتقى", 35), ("لافروف", 42), ("نظيرته", 49), ("وونسان", 59)):
        assert TEXT[start : start + len(word)] == word


# --- named scenarios -------------------------------------------------------------------------


def test_fenced_json_answer_with_prose_around_it():
    answer = ('Here are the events:\n```json\n{"events": [{"id": "e1", "type": "Contact.Meet", '
              '"trigger": {"start": 35, "end": 41, "text": "والتقى"}}]}\n```\nHope this helps.')
    events, changes = convert(answer)
    assert events == [{"id": "e1", "type": "Contact.Meet", "trigger": {"start": 35, "end": 41, "text": "والتقى"}}]
    assert changes == {lo.FENCE_REMOVED: 1}


def test_fenced_answer_with_trailing_commas_is_repaired():
    events, changes = convert('```json\n[{"id": "e1", "type": "Contact.Meet", "trigger": {"start": 35, "end": 41},},]\n```')
    assert events == [{"id": "e1", "type": "Contact.Meet", "trigger": {"start": 35, "end": 41}}]
    assert changes == {lo.FENCE_REMOVED: 1, lo.JSON_REPAIRED: 1}


def test_bare_string_triggers_become_spans_in_reading_order():
    answer = [
        {"id": "e1", "type": "Movement.Transport-Person", "trigger": "ووصل"},
        {"id": "e2", "type": "Contact.Meet", "trigger": "والتقى"},
        {"id": "e3", "type": "Contact.Meet", "trigger": "قى"},  # only inside a word: widened to it
    ]
    events, changes = convert(answer)
    assert [e["trigger"] for e in events] == [
        {"start": 0, "end": 4, "text": "ووصل"},
        {"start": 35, "end": 41, "text": "والتقى"},
    ]  # e3 is then the same claim as e2: a duplicate
    assert changes == {lo.BARE_TRIGGERS: 3, lo.TRIGGERS_LOCATED: 3, lo.TEXT_WIDENED: 1, lo.DROPPED_DUPLICATE_EVENTS: 1}


def test_same_type_on_a_repeated_word_takes_the_next_occurrence():
    answer = [{"type": "Movement.Transport-Person", "trigger": "وونسان"}, {"type": "Movement.Transport-Person", "trigger": "وونسان"}]
    events, _ = convert(answer)
    assert [(e["trigger"]["start"], e["trigger"]["end"]) for e in events] == [(16, 22), (59, 65)]


def test_missing_null_and_repeated_ids_are_replaced_without_clashing():
    answer = [
        {"type": "Contact.Meet", "trigger": {"start": 35, "end": 41}},
        {"id": "e1", "type": "Movement.Transport-Person", "trigger": {"start": 0, "end": 4}},
        {"id": None, "type": "Contact.Meet", "trigger": {"start": 0, "end": 4}},
        {"id": "e1", "type": "Movement.Transport-Person", "trigger": {"start": 35, "end": 41}},
        {"id": 7, "type": "Movement.Transport-Person", "trigger": {"start": 16, "end": 22}},
    ]
    events, changes = convert(answer)
    assert [e["id"] for e in events] == ["e2", "e1", "e3", "e4", "7"]
    assert changes == {lo.IDS_ASSIGNED: 2, lo.IDS_REPLACED: 1, lo.IDS_STRINGIFIED: 1}


def test_role_text_argument_maps_become_lists_nearest_the_trigger():
    answer = [{"id": "e1", "type": "Contact.Meet", "trigger": "والتقى",
               "arguments": {"Participant": ["لافروف", "نظيرته"], "Place": "وونسان", "Time": None}}]
    events, changes = convert(answer)
    assert events[0]["arguments"] == [
        {"role": "Participant", "start": 42, "end": 48, "text": "لافروف"},  # not the one at 5: another sentence
        {"role": "Participant", "start": 49, "end": 55, "text": "نظيرته"},
        {"role": "Place", "start": 59, "end": 65, "text": "وونسان"},
    ]
    assert changes == {lo.BARE_TRIGGERS: 1, lo.TRIGGERS_LOCATED: 1, lo.ARGUMENT_MAPS: 1, lo.EMPTY_ARGUMENTS: 1, lo.ARGUMENTS_LOCATED: 3}


def test_role_text_pairs_and_one_key_objects_in_a_list():
    answer = [{"id": "e1", "type": "Contact.Meet", "trigger": {"start": 35, "end": 41},
               "arguments": [["Participant", "نظيرته"], {"Place": "وونسان"}]}]
    events, changes = convert(answer)
    assert events[0]["arguments"] == [{"role": "Participant", "start": 49, "end": 55, "text": "نظيرته"},
                                      {"role": "Place", "start": 59, "end": 65, "text": "وونسان"}]
    assert changes == {lo.ARGUMENT_PAIRS: 1, lo.ARGUMENT_MAPS: 1, lo.ARGUMENTS_LOCATED: 2}


def test_field_names_and_ontology_names_are_normalised():
    answer = {"events": [{"event_id": "m1", "event_type": "contact.meet", "trigger_text": "والتقى", "Realis": "ACTUAL",
                          "args": [{"argument_role": "participant", "mention": "لافروف"}], "confidence": 0.8}]}
    events, changes = convert(answer)
    assert events == [{"id": "m1", "type": "Contact.Meet", "realis": "actual", "trigger": {"start": 35, "end": 41, "text": "والتقى"},
                       "arguments": [{"role": "Participant", "start": 42, "end": 48, "text": "لافروف"}]}]
    for old, new in (("event_id", "id"), ("event_type", "type"), ("trigger_text", "trigger"), ("Realis", "realis"),
                     ("args", "arguments"), ("argument_role", "role"), ("mention", "text")):
        assert changes.pop(lo.renamed(old, new)) == 1
    assert changes == {lo.unknown_field("confidence"): 1, lo.TYPES_NORMALISED: 1, lo.BARE_TRIGGERS: 1, lo.TRIGGERS_LOCATED: 1,
                       lo.REALIS_NORMALISED: 1, lo.ROLES_NORMALISED: 1, lo.ARGUMENTS_LOCATED: 1}


def test_text_not_in_the_document_is_kept_text_only():
    answer = [{"id": "e1", "type": "Contact.Meet", "trigger": "اجتماع", "arguments": [{"role": "Participant", "text": "بوتين"}]}]
    events, changes = convert(answer)
    assert events == [{"id": "e1", "type": "Contact.Meet", "trigger": {"text": "اجتماع"}, "arguments": [{"role": "Participant", "text": "بوتين"}]}]
    assert changes == {lo.BARE_TRIGGERS: 1, lo.TRIGGERS_TEXT_ONLY: 1, lo.ARGUMENTS_TEXT_ONLY: 1}
    # the llm extractor drops them instead (it cannot score what it cannot place)
    assert convert(answer, keep_unlocated=False) == ([], {lo.BARE_TRIGGERS: 1, lo.DROPPED_TRIGGER_NOT_FOUND: 1})


def test_wrong_offsets_are_corrected_from_the_text():
    events, changes = convert([{"id": "e1", "type": "Contact.Meet", "trigger": {"start": 0, "end": 6, "text": "والتقى"}}])
    assert events[0]["trigger"] == {"start": 35, "end": 41, "text": "والتقى"}
    assert changes == {lo.TRIGGERS_CORRECTED: 1}


def test_bad_type_role_and_realis_are_dropped_and_counted():
    answer = [
        {"id": "e1", "type": "Not.A.Type", "trigger": "ووصل"},
        "ووصل",
        {"id": "e2", "type": "Movement.Transport-Person", "trigger": "ووصل", "realis": "maybe",
         "arguments": [{"role": "Victim", "text": "لافروف"}, {"role": "Person", "text": "لافروف"}, {"role": "Person", "text": "لافروف"}]},
    ]
    events, changes = convert(answer)
    assert events == [{"id": "e2", "type": "Movement.Transport-Person", "trigger": {"start": 0, "end": 4, "text": "ووصل"},
                       "arguments": [{"role": "Person", "start": 5, "end": 11, "text": "لافروف"}]}]
    assert changes == {lo.DROPPED_BAD_TYPE: 1, lo.DROPPED_NOT_EVENT: 1, lo.BARE_TRIGGERS: 1, lo.TRIGGERS_LOCATED: 1,
                       lo.DROPPED_REALIS: 1, lo.DROPPED_BAD_ROLE: 1, lo.ARGUMENTS_LOCATED: 2, lo.DROPPED_DUPLICATE_ARGUMENTS: 1}


def test_chrome_occurrences_are_avoided():
    text = "ووصل لافروف. ووصل الوزير."
    events, _ = convert([{"id": "e1", "type": "Movement.Transport-Person", "trigger": "ووصل"}], text, avoid=[(0, 13)])
    assert events[0]["trigger"] == {"start": 13, "end": 17, "text": "ووصل"}


def test_answers_that_are_not_json_give_no_events():
    assert convert("I found no events in this text.") == ([], {lo.NOT_JSON: 1})
    assert convert({"result": None}) == ([], {})
    assert convert({"summary": "nothing"}) == ([], {lo.NO_EVENT_LIST: 1})


def test_parse_json_answer_counts_fences_as_repairs():
    assert lo.parse_json_answer('{"events": []}') == ({"events": []}, False)
    assert lo.parse_json_answer('```json\n{"events": []}\n```') == ({"events": []}, True)
    assert lo.parse_json_answer('{"a": 1}\n{"b": 2}') == ([{"a": 1}, {"b": 2}], True)
    assert lo.read_answer('{"a": 1}\n{"b": 2}') == ([{"a": 1}, {"b": 2}], [lo.JSON_LINES])


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def corpus_dir(tmp_path):
    return make_corpus(tmp_path, {"000_aaa": TEXT, "001_bbb": "لا حدث هنا."})


def test_cli_jsonl_with_raw_outputs_and_prefix_ids(corpus_dir, tmp_path, capsys):
    raw = tmp_path / "loose.jsonl"
    raw.write_text(
        json.dumps({"doc_id": "000", "output": '```json\n[{"type": "Contact.Meet", "trigger": "والتقى"}]\n```'}, ensure_ascii=False) + "\n"
        + json.dumps({"doc_id": "001_bbb", "events": {"events": []}}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "pred.json"
    code, stdout, err = run_cli(capsys, "convert", raw, "-o", out, "--gold", corpus_dir)
    assert code == 0, err
    assert json.loads(out.read_text(encoding="utf-8")) == {"system": "loose", "documents": [
        {"doc_id": "000_aaa", "events": [{"id": "e1", "type": "Contact.Meet", "trigger": {"start": 35, "end": 41, "text": "والتقى"}}]},
        {"doc_id": "001_bbb", "events": []},
    ]}
    assert err.splitlines()[:7] == [
        "000_aaa: 1 events, changed:",
        "  doc_id '000' matched to this document: 1",
        f"  {lo.FENCE_REMOVED}: 1",
        f"  {lo.BARE_TRIGGERS}: 1",
        f"  {lo.TRIGGERS_LOCATED}: 1",
        f"  {lo.IDS_ASSIGNED}: 1",
        "001_bbb: 0 events, no changes",
    ]
    assert stdout == f"{out}: valid (1 event mentions)\n"


def test_cli_doc_map_to_jsonl_reports_the_dropped_bad_type(corpus_dir, tmp_path, capsys):
    raw = write_json(tmp_path / "raw.json", {"system": "m1", "000_aaa": [
        {"type": "Bogus.Type", "trigger": "ووصل"},
        {"type": "Movement.Transport-Person", "trigger": "ووصل", "arguments": {"Destination": "وونسان"}},
    ]})
    out = tmp_path / "pred.jsonl"
    code, _, err = run_cli(capsys, "convert", raw, "-o", out, "--gold", corpus_dir)
    assert code == 0, err
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == [
        {"doc_id": "000_aaa", "events": [{"id": "e1", "type": "Movement.Transport-Person", "trigger": {"start": 0, "end": 4, "text": "ووصل"},
                                          "arguments": [{"role": "Destination", "start": 16, "end": 22, "text": "وونسان"}]}]}]
    assert f"  {lo.DROPPED_BAD_TYPE}: 1" in err.splitlines()
    assert "note: no entry for 1 corpus documents (scored as having no events): 001_bbb" in err


def test_cli_text_only_spans_are_valid(corpus_dir, tmp_path, capsys):
    raw = write_json(tmp_path / "raw.json", {"000": [{"type": "Contact.Meet", "trigger": "اجتماع"}]})
    code, stdout, err = run_cli(capsys, "convert", raw, "-o", tmp_path / "pred.json", "--gold", corpus_dir)
    assert code == 0, err
    assert f"  {lo.TRIGGERS_TEXT_ONLY}: 1" in err.splitlines()
    # valid, with the one warning of benchmark.input.locating: the text is not in the document, so only
    # the offset-free modes can score it
    assert "valid (1 event mentions, 1 warnings)" in stdout
    assert "occurs nowhere in the document as a whole word" in err


def assert_one_located_error(code: int, err: str, path, where: str, message: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    found = LINE.match(lines[0])
    assert found, lines[0]
    assert (found["file"], found["where"]) == (str(path), where)
    assert message in found["message"]


@pytest.mark.parametrize(
    ("name", "content", "where", "message"),
    [
        ("prose.json", "Sorry, I could not find any events.", "line 1 column 1", "not JSON, even after removing Markdown fences and repairing"),
        ("latin1.json", b'{"000": [\n  "\xe9"]}', "line 2 column 4", "not valid UTF-8"),
        ("unknown.json", '{"zzz": []}', "$['zzz']", "unknown document 'zzz'"),
        ("no_id.json", '{"documents": [{"events": []}]}', "$.documents[0]", "document object has no doc_id"),
        ("events.json", '[{"type": "Contact.Meet", "trigger": "والتقى"}]', "$", "a list of events without a doc_id"),
        ("bad_line.jsonl", '{"doc_id": "000", "events": []}\nno events here\n', "line 2 column 1", "malformed JSON"),
        ("list_line.jsonl", '{"doc_id": "000", "events": []}\n[1, 2]\n', "line 2", "expected a JSON object"),
        ("jsonl_unknown.jsonl", '{"doc_id": "000"}\n{"doc_id": "7"}\n', "line 2 $.doc_id", "unknown document '7'"),
    ],
)
def test_cli_unreadable_input_exits_2_with_one_located_line(name, content, where, message, corpus_dir, tmp_path, capsys):
    raw = tmp_path / name
    if isinstance(content, bytes):
        raw.write_bytes(content)
    else:
        raw.write_text(content, encoding="utf-8")
    out = tmp_path / "pred.json"
    code, _, err = run_cli(capsys, "convert", raw, "-o", out, "--gold", corpus_dir)
    assert_one_located_error(code, err, raw, where, message)
    assert not out.exists()


def test_cli_ambiguous_prefix_and_missing_file(tmp_path, capsys):
    corpus_dir = make_corpus(tmp_path, {"000_aaa": TEXT, "000_bbb": TEXT})
    raw = write_json(tmp_path / "raw.json", {"000": []})
    code, _, err = run_cli(capsys, "convert", raw, "-o", tmp_path / "p.json", "--gold", corpus_dir)
    assert_one_located_error(code, err, raw, "$['000']", "doc_id '000' matches 2 documents")
    code, _, err = run_cli(capsys, "convert", tmp_path / "nope.json", "-o", tmp_path / "p.json", "--gold", corpus_dir)
    assert code == 2 and err == f"{tmp_path / 'nope.json'}: error: file not found (fix: check the path)\n"


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_cli_gold_export_goes_through_unchanged(suffix, tmp_path, capsys):
    exported = tmp_path / f"gold{suffix}"
    assert run_cli(capsys, "export", "--submission", "-o", exported)[0] == 0
    out = tmp_path / f"converted{suffix}"
    code, stdout, err = run_cli(capsys, "convert", exported, "-o", out)
    assert code == 0, err
    assert out.read_bytes() == exported.read_bytes()
    summaries = [line for line in err.splitlines() if not line.startswith("wrote ")]
    assert len(summaries) == 5 and all(line.endswith(" events, no changes") for line in summaries), err
    assert stdout.startswith(f"{out}: valid (")


# --- properties ----------------------------------------------------------------------------------


def _without_duplicates(data: dict) -> dict:
    """The submission minus exact duplicate events and arguments (the converter drops those)."""
    for doc in data["documents"]:
        events, seen = [], set()
        for event in doc["events"]:
            if "arguments" in event:
                arguments, keys = [], set()
                for a in event["arguments"]:
                    if lo._argument_key(a) not in keys:
                        keys.add(lo._argument_key(a))
                        arguments.append(a)
                event["arguments"] = arguments
            if lo._event_key(event) not in seen:
                seen.add(lo._event_key(event))
                events.append(event)
        doc["events"] = events
    return data


@settings(database=None, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(submissions(max_docs=3, max_events=5))
def test_a_valid_submission_goes_through_unchanged(data):
    data = _without_duplicates(data)
    result = convert_submission(json.loads(json.dumps(data)), bundled_corpus())
    assert result.changes == []
    assert result.submission == data


def test_the_gold_export_goes_through_unchanged():
    data = annotation_to_submission(bundled_gold(), system="gold")
    result = convert_submission(json.loads(json.dumps(data)), bundled_corpus())
    assert result.changes == [] and result.submission == data


@st.composite
def loosened_gold(draw) -> dict:
    """Gold events written loosely: no ids, bare-string triggers, {role: [texts]}, lower-case types, other key names."""
    gold = bundled_gold()
    doc_id = draw(st.sampled_from(sorted(gold.documents)))
    events = annotation_to_submission(gold, with_entities=False)["documents"]
    events = next(d for d in events if d["doc_id"] == doc_id)["events"]
    loose = []
    for event in draw(st.lists(st.sampled_from(events), max_size=8, unique_by=lambda e: e["id"])):
        event = dict(event)
        if draw(st.booleans()):
            del event["id"]
        if draw(st.booleans()):
            event["trigger"] = event["trigger"]["text"]
        if draw(st.booleans()):
            roles: dict[str, list[str]] = {}
            for a in event["arguments"]:
                roles.setdefault(a["role"].lower(), []).append(a["text"])
            event["arguments"] = roles
        if draw(st.booleans()):
            event["event_type"] = event.pop("type").lower()
        loose.append(event)
    return {doc_id.split("_")[0]: loose}


@settings(database=None, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loosened_gold())
def test_loosened_gold_converts_to_a_valid_submission_that_a_second_pass_leaves_alone(data):
    corpus = bundled_corpus()
    first = convert_submission(data, corpus)
    annotation, problems = build_annotation([("", d) for d in first.submission["documents"]], corpus, "converted")
    assert annotation is not None, problems
    second = convert_submission(json.loads(json.dumps(first.submission)), corpus)
    assert second.changes == []
    assert second.submission == first.submission
