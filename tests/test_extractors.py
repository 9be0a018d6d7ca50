"""The extractor harness (`evbench run`) and the rule-based lexicon baseline."""

from __future__ import annotations

import builtins
import io
import json
import shutil
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmark.cli import main
from benchmark.extractors.base import BUILTIN, instantiate, resolve
from benchmark.extractors.harness import _progress, extract_corpus, run_extractor
from benchmark.extractors.lexicon import LexiconExtractor, load_lexicon
from benchmark.input.corpus import Document, Segment, load_corpus
from benchmark.input.problems import InputError

from conftest import BUNDLED, make_corpus

TEXT = "ووصل لافروف إلى موسكو."


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """A module `evb_plugin` on sys.path with good and bad extractors."""
    (tmp_path / "evb_plugin.py").write_text(textwrap.dedent('''
        from benchmark.extractors.base import ExtractorError

        def good(doc):
            i = doc.text.find("ووصل")
            if i < 0:
                return []
            return [{"type": "Movement.Transport-Person", "realis": "actual",
                     "trigger": {"start": i, "end": i + 4, "text": "ووصل"}}]

        def wrong_offsets(doc):
            return [{"id": "x", "type": "Movement.Transport-Person", "trigger": {"start": 0, "end": 3, "text": "ووصل"}}]

        def not_a_list(doc):
            return {"events": []}

        def unknown_type(doc):
            return [{"type": "Movement.Teleport", "trigger": {"start": 0, "end": 4, "text": "ووصل"}}]

        def failing(doc):
            raise ExtractorError("server unreachable")

        def flaky(doc):
            if doc.doc_id == "d2":
                raise ExtractorError("no answer within 1 s", fatal=False)
            return good(doc)

        class Degrading:
            """Reports a failed request for d1 but still returns what it has."""

            def __init__(self, corpus=None):
                self.failed_requests = []

            def __call__(self, doc):
                if doc.doc_id == "d1":
                    self.failed_requests.append("unparseable answer for chunk 2")
                return good(doc)

        class WithOptions:
            name = "opts"

            def __init__(self, corpus=None, *, word="ووصل"):
                self.word = word
                self.corpus = corpus

            def __call__(self, doc):
                i = doc.text.find(self.word)
                return [] if i < 0 else [{"type": "Movement.Transport-Person", "trigger": {"start": i, "end": i + len(self.word)}}]
    '''), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "evb_plugin"


@pytest.fixture
def corpus_dir(tmp_path):
    """Two documents; the gold of d1 has one event on "لافروف" (so "ووصل" is a false positive)."""
    root = make_corpus(tmp_path, {"d1": TEXT, "d2": "لا شيء هنا."})
    gold = {"doc_id": "d1", "entities": [], "events": [
        {"id": "g1", "type": "Movement.Transport-Person", "realis": "actual", "trigger": {"start": 5, "end": 11, "text": "لافروف"},
         "arguments": [], "cluster": "c1"}]}
    (root / "annotations" / "d1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return root


# --- harness -----------------------------------------------------------------------------------


def test_builtin_names_resolve():
    assert resolve("lexicon") is LexiconExtractor
    assert set(BUILTIN) == {"lexicon", "llm", "supervised", "majority"}
    assert resolve("supervised").__name__ == "SupervisedExtractor" and resolve("majority").__name__ == "MajorityExtractor"


@pytest.mark.parametrize("spec", ["nocolon", "no_such_module_xyz:f", "benchmark.extractors.base:no_such"])
def test_bad_extractor_names_are_input_errors(spec):
    with pytest.raises(InputError):
        resolve(spec)


def test_run_extractor_numbers_ids_and_builds_an_annotation(plugin, corpus_dir):
    corpus = load_corpus(corpus_dir)
    annotation, warnings = run_extractor(resolve(f"{plugin}:good"), corpus, spec="good", progress=None)
    assert warnings == []
    assert sorted(annotation.documents) == ["d1", "d2"]
    (event,) = annotation.documents["d1"].events
    assert (event.id, event.trigger.start, event.trigger.end, event.trigger.text) == ("e1", 0, 4, "ووصل")


@pytest.mark.parametrize("name, message", [
    ("wrong_offsets", "does not equal the document slice"),
    ("not_a_list", "not a list of event dicts"),
    ("unknown_type", "unknown event type"),
    ("failing", "server unreachable"),
])
def test_bad_output_exits_2_naming_the_document(plugin, corpus_dir, capsys, name, message):
    code = main(["run", "--extractor", f"{plugin}:{name}", "--gold", str(corpus_dir), "-q", "--no-score"])
    err = capsys.readouterr().err
    assert code == 2
    assert "document d1" in err and message in err
    assert "Traceback" not in err


def test_non_fatal_failures_mark_the_document_and_the_run_goes_on(plugin, corpus_dir):
    corpus = load_corpus(corpus_dir)
    run = extract_corpus(resolve(f"{plugin}:flaky"), corpus, spec="flaky", progress=None)
    assert run.failed == {"d2": ["no answer within 1 s"]} and run.failed_share == 0.5
    assert sorted(run.annotation.documents) == ["d1", "d2"] and len(run.annotation.documents["d1"].events) == 1
    run = extract_corpus(instantiate(resolve(f"{plugin}:Degrading"), corpus), corpus, spec="degrading", progress=None)
    assert run.failed == {"d1": ["unparseable answer for chunk 2"]}
    assert len(run.annotation.documents["d1"].events) == 1  # what it had is kept
    _, warnings = run_extractor(resolve(f"{plugin}:flaky"), corpus, spec="flaky", progress=None)
    assert [(w.severity, w.file) for w in warnings] == [("warning", "extractor flaky on document d2")]


def test_run_exit_code_follows_max_failed_share(plugin, corpus_dir, capsys):
    assert main(["run", "-e", f"{plugin}:flaky", "--gold", str(corpus_dir), "-q"]) == 1
    err = capsys.readouterr().err
    assert "document d2" in err and "no answer within 1 s" in err and "not scored" in err
    assert main(["run", "-e", f"{plugin}:flaky", "--gold", str(corpus_dir), "-q", "--max-failed-share", "0.5"]) == 0
    assert "tri_c" in capsys.readouterr().out


def test_run_writes_scores_and_writes_results(plugin, corpus_dir, tmp_path, capsys):
    pred, results = tmp_path / "pred.json", tmp_path / "res.json"
    code = main(["run", "-e", f"{plugin}:good", "--gold", str(corpus_dir), "--out", str(pred), "--results", str(results), "-q"])
    out = capsys.readouterr().out
    assert code == 0
    submission = json.loads(pred.read_text(encoding="utf-8"))
    assert submission["system"] == f"{plugin}:good"
    assert submission["documents"][0]["events"][0]["trigger"] == {"start": 0, "end": 4, "text": "ووصل"}
    assert "tri_c" in out
    tri_c = json.loads(results.read_text(encoding="utf-8"))["metrics"]["tri_c"]
    assert (tri_c["tp"], tri_c["fp"], tri_c["fn"]) == (0, 1, 1)
    assert main(["validate", str(pred), "--corpus", str(corpus_dir), "-q"]) == 0


def test_run_json_format_prints_the_result(plugin, corpus_dir, capsys):
    assert main(["run", "-e", f"{plugin}:good", "--gold", str(corpus_dir), "--format", "json", "-q"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["system"] == f"{plugin}:good"


def test_class_extractors_get_the_corpus_and_options(plugin, corpus_dir, tmp_path, capsys):
    pred = tmp_path / "p.json"
    assert main(["run", "-e", f"{plugin}:WithOptions", "-O", "word=لافروف", "--gold", str(corpus_dir), "--out", str(pred), "--no-score", "-q"]) == 0
    submission = json.loads(pred.read_text(encoding="utf-8"))
    assert submission["system"] == "opts"
    assert submission["documents"][0]["events"][0]["trigger"]["text"] == "لافروف"
    extractor = instantiate(resolve(f"{plugin}:WithOptions"), corpus="C")
    assert extractor.corpus == "C"


def test_unknown_option_and_options_for_a_function_are_input_errors(plugin, corpus_dir, capsys):
    assert main(["run", "-e", f"{plugin}:WithOptions", "-O", "colour=red", "--gold", str(corpus_dir), "-q"]) == 2
    assert "takes no option 'colour'" in capsys.readouterr().err
    assert main(["run", "-e", f"{plugin}:good", "-O", "a=b", "--gold", str(corpus_dir), "-q"]) == 2
    assert "not a class" in capsys.readouterr().err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counter_without_tqdm(plugin, corpus_dir, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "tqdm", None)  # import tqdm -> ImportError
    stream = Terminal()
    run_extractor(resolve(f"{plugin}:good"), load_corpus(corpus_dir), spec="good", progress=stream)
    assert "\rgood: 2/2 documents" in stream.getvalue()


def test_progress_off_a_terminal_is_one_plain_line_per_tenth():
    stream = io.StringIO()  # a log file, a pipe, CI output
    assert list(_progress(list(range(25)), stream, "lexicon")) == list(range(25))
    lines = stream.getvalue().split("\n")
    assert "\r" not in stream.getvalue() and lines[-1] == ""
    assert lines[:-1] == [f"lexicon: {n}/25 documents ({100 * n // 25}%)" for n in (3, 5, 8, 10, 13, 15, 18, 20, 23, 25)]
    few = io.StringIO()
    list(_progress(["a", "b"], few, "x"))
    assert few.getvalue() == "x: 1/2 documents (50%)\nx: 2/2 documents (100%)\n"
    empty = io.StringIO()
    assert list(_progress([], empty, "x")) == [] and empty.getvalue() == ""


def test_evbench_run_logs_plain_progress_lines_when_stderr_is_not_a_terminal(plugin, corpus_dir, capsys):
    assert main(["run", "-e", f"{plugin}:good", "--gold", str(corpus_dir), "--no-score"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err
    assert f"{plugin}:good: 1/2 documents (50%)\n{plugin}:good: 2/2 documents (100%)\n" in err


# --- the lexicon baseline ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def lexicon():
    return LexiconExtractor()


def doc(text: str, segments: tuple[Segment, ...] = ()) -> Document:
    return Document("t", text, None, (), None, segments or (Segment("article", 0, len(text)),))


def events_of(extractor, text: str) -> list[tuple]:
    return [(e["type"], e["trigger"]["text"], e["realis"], tuple((a["role"], a["text"]) for a in e["arguments"])) for e in extractor(doc(text))]


def test_verbal_trigger_with_clitic_destination_and_person(lexicon):
    assert events_of(lexicon, "ووصل لافروف إلى موسكو.") == [
        ("Movement.Transport-Person", "ووصل", "actual", (("Person", "لافروف"), ("Destination", "موسكو")))]


def test_nominal_trigger_with_article_and_place_after_fi(lexicon):
    (event,) = events_of(lexicon, "وعقد الاجتماع في الرياض.")
    assert event[:3] == ("Contact.Meet", "الاجتماع", "actual")
    assert ("Place", "الرياض") in event[3]


def test_offsets_are_whole_words_without_punctuation(lexicon):
    text = "«الزيارة»، ثم قمّةٌ."
    for event in lexicon(doc(text)):
        t = event["trigger"]
        assert text[t["start"]:t["end"]] == t["text"]
    assert [e["trigger"]["text"] for e in lexicon(doc(text))] == ["الزيارة", "قمّةٌ"]


@pytest.mark.parametrize("sentence, trigger", [
    ("سيزور الرئيس القاهرة.", "سيزور"),
    ("وسيزور الوزير بكين.", "وسيزور"),
    ("ومن المقرر أن يجري محادثات مع نظيره.", "محادثات"),
    ("لن يزور الرئيس موسكو.", "يزور"),
    ("ولم يصل الوفد إلى بكين.", "يصل"),
    ("تمهد الطريق أمام زيارة مرتقبة إلى موسكو.", "زيارة"),
    ("هل يتجدد اللقاء؟", "اللقاء"),
    ("قد تستعد لنشر قوات.", "لنشر"),
])
def test_realis_other_cues(lexicon, sentence, trigger):
    found = {e["trigger"]["text"]: e["realis"] for e in lexicon(doc(sentence))}
    assert found[trigger] == "other"


def test_past_perfect_with_qad_stays_actual(lexicon):
    (event,) = lexicon(doc("وكان الوزير قد عقد لقاءً مع نظيره."))
    assert (event["trigger"]["text"], event["realis"]) == ("لقاءً", "actual")


def test_generic_after_takthif(lexicon):
    (event,) = lexicon(doc("في إطار تكثيف زيارات المسؤولين."))
    assert (event["trigger"]["text"], event["realis"]) == ("زيارات", "generic")


@pytest.mark.parametrize("sentence, expected", [
    ("نشرت روسيا قوات على الحدود.", "Movement.Transport-Person"),
    ("نشرت الوزارة صورة للقاء.", "Contact.Broadcast"),
    ("ووقع البلدان اتفاق دفاع.", "Government.Agreement"),
    ("وعقد مؤتمر صحفي.", "Contact.Broadcast"),
    ("اتصالات هاتفية بين الوزيرين.", "Contact.Correspondence"),
])
def test_ambiguous_words_are_decided_by_context(lexicon, sentence, expected):
    assert lexicon(doc(sentence))[0]["type"] == expected


@pytest.mark.parametrize("sentence", ["وقع الحادث أمس.", "قال الوزير إن الوضع صعب.", "العلاقات وصلت إلى مستوى جديد.", "تعاون عسكري."])
def test_non_events(lexicon, sentence):
    assert lexicon(doc(sentence)) == []


def test_origin_after_min_and_name_after_title(lexicon):
    (event,) = [e for e in events_of(lexicon, "وصل وزير الخارجية الروسي سيرغي لافروف قادماً من ماليزيا.") if e[1] == "قادماً"]
    assert ("Origin", "ماليزيا") in event[3]
    (arrival,) = [e for e in events_of(lexicon, "وصل وزير الخارجية الروسي سيرغي لافروف.") if e[1] == "وصل"]
    assert arrival[3] == (("Person", "سيرغي لافروف"),)


def test_spelling_variant_in_gazetteer(lexicon):
    (event,) = events_of(lexicon, "وصل الوزير إلى بيونج يانج.")
    assert ("Destination", "بيونج يانج") in event[3]


def test_chrome_segments_are_skipped(lexicon):
    text = "زيارة رسمية. شارك زيارة"
    cut = text.index("شارك")
    document = doc(text, (Segment("article", 0, cut), Segment("chrome", cut, len(text))))
    assert [e["trigger"]["start"] for e in lexicon(document)] == [0]


def test_same_lemma_clusters_within_a_document(lexicon):
    events = lexicon(doc("زيارة أولى. ثم زيارة ثانية. ووصل الوفد."))
    assert events[0]["cluster"] == events[1]["cluster"] != events[2]["cluster"]


def test_deterministic_and_accepts_any_document_like_object(lexicon):
    text = "اجتمع الرئيس مع نظيره في بكين الخميس."
    assert lexicon(SimpleNamespace(doc_id="t", text=text)) == lexicon(doc(text)) == LexiconExtractor()(doc(text))


def test_lexicon_uses_only_types_of_the_given_ontology():
    ontology = load_corpus(BUNDLED).ontology
    lex = load_lexicon(ontology)
    types = {e.type for entries in lex.forms.values() for e in entries}
    assert types <= set(ontology.types)
    assert lex.size["forms"] > 500


def test_lexicon_never_reads_gold_annotations(monkeypatch, tmp_path):
    """Run with every file access to a path containing 'annotations' failing, on the real corpus."""
    corpus = load_corpus(BUNDLED)
    real_open, real_read_text, real_read_bytes, real_path_open = builtins.open, Path.read_text, Path.read_bytes, Path.open

    def guard(path):
        if "annotations" in str(path):
            raise AssertionError(f"the lexicon extractor read {path}")

    monkeypatch.setattr(builtins, "open", lambda file, *a, **k: (guard(file), real_open(file, *a, **k))[1])
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: (guard(self), real_read_text(self, *a, **k))[1])
    monkeypatch.setattr(Path, "read_bytes", lambda self: (guard(self), real_read_bytes(self))[1])
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: (guard(self), real_path_open(self, *a, **k))[1])
    extractor = LexiconExtractor(corpus)
    guarded, _ = run_extractor(extractor, corpus, spec="lexicon", progress=None)
    monkeypatch.undo()
    # and the same output from a copy of the corpus that has no annotations at all
    copy = tmp_path / "no-annotations"
    shutil.copytree(BUNDLED, copy, ignore=shutil.ignore_patterns("annotations", "__pycache__"))
    bare = load_corpus(copy)
    plain, _ = run_extractor(LexiconExtractor(bare), bare, spec="lexicon", progress=None)
    assert guarded.documents == plain.documents
    assert len(plain.events()) > 0
