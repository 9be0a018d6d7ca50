"""A trained baseline: logistic regression over Arabic word features, learned from the gold of other documents.

`fit` learns four things from the training documents only (`evbench run` fits one model per
document on the other four: leave-one-document-out):

1. Triggers and types: every token is classified as an event type or ``O``
   (`features.token_features`: normalised form, stems without clitics, prefixes and suffixes,
   two neighbouring words on each side, position in the sentence).
2. Realis of each trigger (`features.realis_features`: cue words before and after, future
   prefix, present-tense prefix, question mark, type).
3. Arguments: candidate entity mentions are the training documents' entity mentions found
   again in the sentence (`entities.Gazetteer`); each (trigger, candidate) pair is classified as
   a role or ``O`` (`features.pair_features`); a role the ontology does not give the type is
   never output.
4. Within-document clusters: mentions of one type sharing a stem (`learning.same_head_clusters`).

It knows nothing but the training documents: not the `lexicon` extractor's word lists nor the
ontology's trigger lists (both written with these texts in view; a test checks that neither
changes its output), only the lexicon's tokeniser and `scorers.arabic`.

Settings are fixed defaults, searched on nothing: scikit-learn's ``LogisticRegression(C=1.0)``
(liblinear, one against the rest, ``random_state=0``), a label is taken when it is the most
probable. One choice was made after a look at the leave-one-document-out scores: the trigger
classifier weights its classes inversely to their frequency (``class_weight="balanced"``), as
unweighted it found 30.4 % of the triggers (tri_i F1 46.7 against 67.9); nothing else was tried.
scikit-learn is imported only when a model is fitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchmark.extractors.base import ExtractorError, TrainingDocument
from benchmark.extractors.entities import Candidate, Gazetteer
from benchmark.extractors.features import Features, pair_features, realis_features, token_features
from benchmark.extractors.learning import NONE, labelled_tokens, same_head_clusters, stems_of
from benchmark.extractors.lexicon import Token, document_sentences
from benchmark.input.corpus import Corpus, Ontology, default_gold_dir, load_ontology

C = 1.0
MAX_ITER = 2000
SEED = 0


def _int32(matrix: Any) -> Any:
    """A CSR matrix with 32-bit indices: liblinear refuses the 64-bit ones DictVectorizer may give."""
    matrix = matrix.tocsr()
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    return matrix


class _Classifier:
    """DictVectorizer + LogisticRegression, or a constant when training saw a single label."""

    def __init__(self, rows: list[Features], labels: list[str], *, balanced: bool = False) -> None:
        self.constant = labels[0] if len(set(labels)) == 1 else None
        if self.constant is not None:
            return
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        self.vectorizer = DictVectorizer()
        binary = LogisticRegression(C=C, solver="liblinear", max_iter=MAX_ITER, random_state=SEED, class_weight="balanced" if balanced else None)
        self.model = OneVsRestClassifier(binary)
        self.model.fit(_int32(self.vectorizer.fit_transform(rows)), labels)

    def probabilities(self, rows: list[Features]) -> list[dict[str, float]]:
        if not rows:
            return []
        if self.constant is not None:
            return [{self.constant: 1.0} for _ in rows]
        table = self.model.predict_proba(_int32(self.vectorizer.transform(rows)))
        return [dict(zip(map(str, self.model.classes_), map(float, row), strict=True)) for row in table]


def _best(probs: dict[str, float], allowed: frozenset[str] | None = None) -> str:
    """The most probable label (among `allowed` and ``O``), ties in alphabetical order."""
    options = {k: v for k, v in probs.items() if allowed is None or k == NONE or k in allowed}
    return min(options, key=lambda k: (-options[k], k)) if options else NONE


class SupervisedExtractor:
    """Trigger, realis, role classifiers and same-head clusters; see the module docstring."""

    name = "supervised"

    def __init__(self, corpus: Corpus | None = None, *, ontology: Ontology | None = None) -> None:
        if ontology is None:
            ontology = corpus.ontology if corpus is not None else load_ontology(default_gold_dir() / "ontology.json")
        self.ontology = ontology
        self.triggers: _Classifier | None = None
        self.realis: _Classifier | None = None
        self.roles: _Classifier | None = None
        self.gazetteer = Gazetteer({})

    def fit(self, documents: Sequence[TrainingDocument]) -> None:
        items = labelled_tokens(documents)
        if not any(item.events for item in items):
            raise ExtractorError("the training documents have no event mentions", fix="train on documents with gold events")
        self.triggers = _Classifier([token_features(i.sentence, i.index) for i in items], [i.events[0].type if i.events else NONE for i in items], balanced=True)
        realis_rows, realis_labels = [], []
        for item in items:
            for event in item.events:
                if event.realis is not None:
                    realis_rows.append(realis_features(item.sentence, item.index, event.type))
                    realis_labels.append(event.realis)
        self.realis = _Classifier(realis_rows, realis_labels) if realis_rows else None
        self.gazetteer = Gazetteer.learn(documents)
        pair_rows, pair_labels = [], []
        for item in items:
            if not item.events:
                continue
            cands = self._candidates(item.sentence, item.index)
            for event in item.events:
                roles = {(a.span.start, a.span.end): a.role for a in event.arguments}
                for cand in cands:
                    pair_rows.append(pair_features(item.sentence, item.index, event.type, cand, cands))
                    pair_labels.append(roles.get((cand.start, cand.end), NONE))
        self.roles = _Classifier(pair_rows, pair_labels) if pair_rows else None

    def _candidates(self, tokens: list[Token], i: int) -> list[Candidate]:
        return [c for c in self.gazetteer.find(tokens) if not c.first <= i <= c.last]

    def __call__(self, document: Any) -> list[dict]:
        if self.triggers is None:
            raise ExtractorError("the supervised extractor has not been trained", fix="run it with `evbench run --extractor supervised` (leave-one-document-out)")
        text: str = document.text
        events: list[dict] = []
        heads: list[tuple[int, str, frozenset[str]]] = []
        for tokens in document_sentences(document):
            probs = self.triggers.probabilities([token_features(tokens, i) for i in range(len(tokens))])
            for i, p in enumerate(probs):
                etype = _best(p)
                if etype == NONE or etype not in self.ontology.types:
                    continue
                tok = tokens[i]
                event: dict = {"type": etype, "trigger": {"start": tok.start, "end": tok.end, "text": tok.text}}
                if self.realis is not None:
                    event["realis"] = _best(self.realis.probabilities([realis_features(tokens, i, etype)])[0])
                event["arguments"] = self._arguments(text, tokens, i, etype)
                events.append(event)
                heads.append((tok.start, etype, stems_of(tok)))
        clusters = same_head_clusters(document.doc_id, heads)
        for event in events:
            event["cluster"] = clusters[event["trigger"]["start"]]
        return events

    def _arguments(self, text: str, tokens: list[Token], i: int, etype: str) -> list[dict]:
        if self.roles is None:
            return []
        cands = self._candidates(tokens, i)
        allowed = frozenset(self.ontology.roles_for(etype))
        probs = self.roles.probabilities([pair_features(tokens, i, etype, c, cands) for c in cands])
        out = []
        for cand, p in zip(cands, probs, strict=True):
            role = _best(p, allowed)
            if role != NONE:
                out.append({"role": role, "start": cand.start, "end": cand.end, "text": text[cand.start : cand.end]})
        return out
