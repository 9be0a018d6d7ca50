"""Trainable extractors: the leave-one-document-out protocol, `majority`, `supervised` and their parts."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.extractors.base import ExtractorError, TrainingDocument, is_trainable, resolve
from benchmark.extractors.entities import Gazetteer
from benchmark.extractors.harness import cross_validate, training_documents
from benchmark.extractors.learning import labelled_tokens, most_frequent, same_head_clusters
from benchmark.extractors.lexicon import document_sentences
from benchmark.extractors.majority import MajorityExtractor
from benchmark.extractors.supervised import SupervisedExtractor
from benchmark.input.corpus import load_corpus
from benchmark.input.submission import load_gold, write_submission
from scorers.model import Argument, Entity, EventMention, Span

from conftest import BUNDLED, make_corpus, run_cli

ROOT = Path(__file__).resolve().parents[1]
MEET, MOVE = "Contact.Meet", "Movement.Transport-Person"


def _span(text: str, word: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    return Span(start, start + len(word), word)


def _event(doc_id: str, n: int, etype: str, trigger: Span, realis: str = "actual", args: tuple[Argument, ...] = ()) -> EventMention:
    return EventMention(doc_id, f"e{n}", etype, trigger, realis, args)


def _doc(doc_id: str, text: str, events: list[tuple[str, str, str]], entities: tuple[Entity, ...] = ()) -> TrainingDocument:
    """A training document; events are (type, trigger word, realis), each word's first free occurrence."""
    seen: dict[str, int] = {}
    out = []
    for n, (etype, word, realis) in enumerate(events, start=1):
        out.append(_event(doc_id, n, etype, _span(text, word, seen.get(word, 0)), realis))
        seen[word] = seen.get(word, 0) + 1
    return TrainingDocument(doc_id, text, (), tuple(out), entities)


class _Text:
    def __init__(self, doc_id: str, text: str) -> None:
        self.doc_id, self.text = doc_id, text


# --- majority ------------------------------------------------------------------------------------


def test_majority_tags_seen_forms_with_their_most_frequent_type_and_realis():
    train = _doc("t1", "زار لافروف موسكو. زار بوتين بكين. زار الوزير. لقاء هنا.",
                 [(MOVE, "زار", "actual"), (MOVE, "زار", "other"), (MEET, "زار", "other"), (MEET, "لقاء", "actual")])
    extractor = MajorityExtractor()
    extractor.fit([train])
    text = "زار الوزير بكين ولقاء لقاء."
    events = extractor(_Text("x", text))
    # زار: 2 x Transport-Person against 1 x Meet; realis 2 x other against 1 x actual.
    # ولقاء is not a form seen in training (the form keeps its clitics); لقاء is.
    assert events == [
        {"type": MOVE, "realis": "other", "trigger": {"start": 0, "end": 3, "text": "زار"}},
        {"type": MEET, "realis": "actual", "trigger": {"start": 22, "end": 26, "text": "لقاء"}},
    ]


def test_majority_ties_go_to_the_alphabetically_first_type():
    train = _doc("t1", "زيارة أولى. زيارة ثانية.", [(MOVE, "زيارة", "actual"), (MEET, "زيارة", "actual")])
    extractor = MajorityExtractor()
    extractor.fit([train])
    assert [e["type"] for e in extractor(_Text("x", "زيارة"))] == [MEET]
    assert most_frequent({"b": 2, "a": 2, "c": 1}) == "a"  # type: ignore[arg-type]


def test_untrained_extractors_refuse_to_run():
    for extractor in (MajorityExtractor(), SupervisedExtractor()):
        with pytest.raises(ExtractorError, match="has not been trained"):
            extractor(_Text("x", "زار"))


# --- parts ---------------------------------------------------------------------------------------


def test_labelled_tokens_put_each_gold_trigger_on_its_token():
    train = _doc("t1", "ووصل لافروف. ثم التقى كيم.", [(MOVE, "ووصل", "actual"), (MEET, "التقى", "actual")])
    labelled = [(item.token.text, tuple(e.type for e in item.events)) for item in labelled_tokens([train])]
    assert labelled == [("ووصل", (MOVE,)), ("لافروف", ()), ("ثم", ()), ("التقى", (MEET,)), ("كيم", ())]


def test_same_head_clusters_by_type_and_shared_stem():
    mentions = [(0, MEET, frozenset({"لقاء"})), (20, MEET, frozenset({"قمه"})), (10, MEET, frozenset({"لقاء", "قمه"})),
                (30, MOVE, frozenset({"لقاء"})), (40, MEET, frozenset({"محادثات"}))]
    # 0 and 10 share لقاء, 10 and 20 share قمه: one event, named by its first mention; 30 is another type.
    assert same_head_clusters("d", mentions) == {0: "d/Contact.Meet/0", 10: "d/Contact.Meet/0", 20: "d/Contact.Meet/0",
                                                 30: "d/Movement.Transport-Person/30", 40: "d/Contact.Meet/40"}


_mentions = st.lists(st.tuples(st.integers(0, 50), st.sampled_from([MEET, MOVE]), st.frozensets(st.sampled_from("abcde"), max_size=3)),
                     unique_by=lambda m: m[0], max_size=12)


@settings(database=None, max_examples=200)
@given(_mentions, st.randoms())
def test_same_head_clusters_are_a_partition_closed_under_the_rule(mentions, rnd):
    clusters = same_head_clusters("d", mentions)
    assert set(clusters) == {m[0] for m in mentions}
    shuffled = list(mentions)
    rnd.shuffle(shuffled)
    assert same_head_clusters("d", shuffled) == clusters  # input order never matters
    for a in mentions:
        for b in mentions:
            if a[1] == b[1] and a[2] & b[2]:
                assert clusters[a[0]] == clusters[b[0]]
            if a[1] != b[1]:
                assert clusters[a[0]] != clusters[b[0]]
    for start, cluster in clusters.items():
        assert cluster.startswith("d/") and int(cluster.rsplit("/", 1)[1]) <= start


def test_gazetteer_finds_training_mentions_again_with_other_clitics_and_not_across_commas():
    text = "وصل لافروف إلى كوريا الشمالية."
    entities = (Entity("dprk", "GPE", (_span(text, "كوريا الشمالية"),)), Entity("lavrov", "PER", (_span(text, "لافروف"),)))
    gazetteer = Gazetteer.learn([TrainingDocument("t1", text, (), (), entities)])
    (tokens,) = document_sentences(_Text("x", "سافر الوزير لكوريا الشمالية ولافروف."))
    assert [(c.first, c.last, c.kind) for c in gazetteer.find(tokens)] == [(2, 3, "GPE"), (4, 4, "PER")]
    (tokens,) = document_sentences(_Text("x", "كوريا، الشمالية"))
    assert gazetteer.find(tokens) == []


def test_supervised_outputs_only_roles_of_its_type_and_clusters_within_the_document():
    corpus = load_corpus()
    gold = load_gold(corpus)
    test_id = sorted(corpus.documents)[0]
    extractor = SupervisedExtractor(corpus)
    extractor.fit(training_documents(corpus, gold, test_id))
    events = extractor(corpus.documents[test_id])
    assert events
    for event in events:
        assert {a["role"] for a in event["arguments"]} <= set(corpus.ontology.roles_for(event["type"]))
        assert event["cluster"].startswith(f"{test_id}/{event['type']}/")
        assert event["realis"] in corpus.ontology.realis


def test_supervised_uses_neither_the_lexicons_word_lists_nor_the_ontologys_trigger_lists(monkeypatch):
    """Both were written with these texts in view; a model that sees only other documents may not use them."""
    import dataclasses

    import benchmark.extractors.lexicon as lexicon

    corpus = load_corpus()
    gold = load_gold(corpus)
    test_id = sorted(corpus.documents)[0]
    train = training_documents(corpus, gold, test_id)

    def fold(ontology):
        extractor = SupervisedExtractor(ontology=ontology)
        extractor.fit(train)
        return extractor(corpus.documents[test_id])

    expected = fold(corpus.ontology)

    def refuse(*args, **kwargs):
        raise AssertionError("the lexicon's data file was read")

    monkeypatch.setattr(lexicon, "load_lexicon", refuse)
    blind = {name: dataclasses.replace(t, verbal_triggers=(), nominal_triggers=()) for name, t in corpus.ontology.types.items()}
    assert fold(dataclasses.replace(corpus.ontology, types=blind)) == expected


# --- the protocol --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["supervised", "majority"])
def test_the_test_documents_annotation_is_never_read(tmp_path, name):
    """Removing the test document's annotation file changes nothing in its prediction."""
    copy = tmp_path / "gold"
    shutil.copytree(BUNDLED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    corpus = load_corpus(copy)
    test_id = sorted(corpus.documents)[0]
    (copy / "annotations" / f"{test_id}.json").unlink()
    factory = resolve(name)
    run = cross_validate(factory, corpus, load_gold(corpus), spec=name, system=name, doc_ids=[test_id], progress=None)
    write_submission(run.annotation, tmp_path / "fold.json", system=name)
    fresh = json.loads((tmp_path / "fold.json").read_text(encoding="utf-8"))["documents"]
    stored = json.loads((ROOT / "submissions" / f"{name}.json").read_text(encoding="utf-8"))["documents"]
    assert [d["doc_id"] for d in fresh] == [test_id]
    assert fresh[0] == next(d for d in stored if d["doc_id"] == test_id)
    assert fresh[0]["events"]


SPY = textwrap.dedent('''
    class Spy:
        """Remembers what it was built with and trained on; predicts the trigger words it was taught."""

        log = []

        def __init__(self, corpus=None):
            self.corpus_docs = sorted(corpus.documents)
            self.words = set()

        def fit(self, documents):
            Spy.log.append(("fit", self.corpus_docs, [d.doc_id for d in documents]))
            for d in documents:
                self.words |= {(e.type, e.trigger.text) for e in d.events}

        def __call__(self, doc):
            Spy.log.append(("predict", doc.doc_id))
            out = []
            for etype, word in sorted(self.words):
                i = doc.text.find(word)
                if i >= 0:
                    out.append({"type": etype, "trigger": {"start": i, "end": i + len(word)}})
            return out
''')


@pytest.fixture
def two_docs(tmp_path, monkeypatch):
    """d1 and d2 both say "ووصل"; only d2's gold marks it, so d1 learns it from d2 and d2 from nobody."""
    root = make_corpus(tmp_path, {"d1": "ووصل لافروف.", "d2": "ووصل كيم.", "d3": "ووصل بوتين."})
    for doc_id, events in (("d1", []), ("d2", [{"id": "g1", "type": MOVE, "realis": "actual", "trigger": {"start": 0, "end": 4, "text": "ووصل"}, "arguments": [], "cluster": "c1"}])):
        (root / "annotations" / f"{doc_id}.json").write_text(json.dumps({"doc_id": doc_id, "entities": [], "events": events}), encoding="utf-8")
    (tmp_path / "evb_trainable.py").write_text(SPY, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import evb_trainable

    evb_trainable.Spy.log.clear()
    yield root, evb_trainable.Spy
    sys.modules.pop("evb_trainable", None)


def test_cv_fits_a_fresh_extractor_per_document_on_the_others_only(two_docs, tmp_path, capsys):
    root, spy = two_docs
    code, _, err = run_cli(capsys, "run", "--extractor", "evb_trainable:Spy", "--cv", "--gold", root, "--out", tmp_path / "p.json", "--no-score", "--quiet")
    assert code == 0, err
    assert "leave-one-document-out, 3 folds" in err
    # d3 has no annotation: it is predicted by a model of every annotated document, and never trains.
    assert spy.log == [("fit", ["d2"], ["d2"]), ("predict", "d1"), ("fit", ["d1"], ["d1"]), ("predict", "d2"),
                       ("fit", ["d1", "d2"], ["d1", "d2"]), ("predict", "d3")]
    docs = {d["doc_id"]: d["events"] for d in json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["documents"]}
    assert [len(docs[d]) for d in ("d1", "d2", "d3")] == [1, 0, 1]


def test_cv_without_fit_is_refused(two_docs, capsys):
    root, _ = two_docs
    code, _, err = run_cli(capsys, "run", "--extractor", "lexicon", "--cv", "--gold", root, "--no-score")
    assert code == 2
    assert "--cv: error: extractor lexicon cannot be trained: it has no fit(train_documents) method (fix: drop --cv" in err
    assert "Traceback" not in err


def test_a_fold_without_training_documents_is_bad_input(two_docs, capsys):
    root, _ = two_docs
    (root / "annotations" / "d1.json").unlink()
    code, _, err = run_cli(capsys, "run", "--extractor", "majority", "--gold", root, "--no-score", "--quiet")
    assert code == 2
    assert "extractor majority on document d2: error: leave-one-document-out has no other annotated document to train on" in err


def test_training_data_without_events_is_bad_input(two_docs, capsys):
    root, _ = two_docs
    code, _, err = run_cli(capsys, "run", "--extractor", "supervised", "--gold", root, "--no-score", "--quiet")
    assert code == 2
    assert "extractor supervised trained for document d2: error: the training documents have no event mentions" in err


def test_trainable_is_recognised_on_classes_and_instances():
    assert is_trainable(SupervisedExtractor) and is_trainable(MajorityExtractor()) and not is_trainable(resolve("lexicon"))


def test_labels_of_a_str_subclass_are_accepted_as_plain_strings(tmp_path):
    """A trained model's labels are often ``numpy.str_``; validation interns names, which needs a plain str."""
    import numpy as np

    from benchmark.extractors.harness import extract_corpus

    corpus = load_corpus(make_corpus(tmp_path, {"d1": "ووصل لافروف."}))

    def numpy_labels(doc):
        return [{"type": np.str_(MOVE), "realis": np.str_("actual"), "trigger": {"start": 0, "end": 4, "text": np.str_("ووصل")}}]

    (event,) = extract_corpus(numpy_labels, corpus, progress=None).annotation.events()
    assert (event.type, event.realis, event.trigger.text) == (MOVE, "actual", "ووصل")
    assert type(event.type) is str
