"""A rule-based Arabic baseline: trigger lexicon, realis cues and nearest-entity arguments.

Everything it knows comes from two places: the trigger lists in the corpus ontology
(``ontology.json``) and the hand-written data file ``lexicon_ar.json`` next to this module
(inflected verb and noun forms per type, rules for ambiguous words, realis cues, a gazetteer).
It never reads the gold annotations. It is deterministic: the same text gives the same events.

Pipeline, per scored segment (chrome is skipped), per sentence:

1. Triggers. Each whitespace word (outer punctuation removed) is normalised with
   `scorers.arabic` and expanded into its possible stems (clitics stripped). A stem in the
   lexicon makes the word a trigger; the span is the whole orthographic word, clitics included,
   as the guidelines ask. Ambiguous lemmas (``نشر``: deploy or publish; ``وقع``: sign or occur)
   are decided by the rules in the data file, which look at the next or previous words.
2. Realis. ``other`` when the word carries the future prefix (``سيزور``) or the sentence has a
   cue near the trigger (``سوف``, ``لن``, ``لم``, ``لا``, ``من المقرر``, ``يعتزم``, ``المتوقع``,
   ``قد`` before a present verb, a following ``المرتقبة`` ...) or is a question; ``generic``
   after ``تكثيف``; ``actual`` otherwise.
3. Arguments. Entity mentions come from the gazetteer (with ``غ``/``ج`` spelling variants),
   names after titles (``وزير الخارجية الروسي سيرغي لافروف`` -> ``سيرغي لافروف``) or after a
   known first name, time words, and person nouns (``جنود``). Roles are filled by the nearest
   suitable mention in the sentence: ``Place`` after ``في`` (or with ``ب``), ``Destination``
   after ``إلى`` (or with ``ل``, or the object of a visit), ``Origin`` after ``من``,
   ``Person`` / ``Participant`` / ``Entity`` the nearest names, ``Time`` the nearest time word.
4. Coreference: the "same lemma" baseline: in one document, mentions of one type with the
   same lexicon lemma share a cluster.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.input.corpus import SCORED_KINDS, Corpus, Ontology, default_gold_dir, load_ontology
from scorers import arabic

DATA_FILE = Path(__file__).with_name("lexicon_ar.json")
SENTENCE_END = frozenset(".!?؟؛\n")
WORD = re.compile(r"[^\s/]+")
MAX_ARGUMENT_DISTANCE = 15  # tokens between trigger and argument, within the sentence
COMMA_COST = 4  # a comma between trigger and argument counts as this many tokens
PLACE_TYPES = ("GPE", "LOC", "FAC")


def norm(word: str) -> str:
    """A lexicon word in the form stems are compared in (scorers.arabic, ة -> ه)."""
    return arabic.normalize(word)


def candidates(token: str) -> frozenset[str]:
    """Stems of one orthographically normalised token, as `scorers.arabic.stems` gives them,
    except those reached only by taking a final ي for the pronoun "my": in news that ي is
    almost always a nisba adjective (``حربي``, ``عسكري``), not a noun plus pronoun.
    """
    found = set(arabic.stems(token))
    if token.endswith("ي"):
        bases = {token} | {token[len(p):] for p in arabic.PROCLITICS if token.startswith(p) and len(token) - len(p) >= arabic.MIN_STEM}
        unsplit = {norm(b) for b in bases}
        for base in bases:
            if base.endswith("ي"):
                stem = base[:-1]
                variants = {stem}
                if stem.endswith(arabic.TA):
                    variants.add(stem[:-1] + arabic.TA_MARBUTA)
                elif stem.endswith(arabic.SEATED_HAMZAS):
                    variants.add(stem[:-1] + arabic.HAMZA)
                found -= {norm(v) for v in variants} - unsplit
    return frozenset(found)


# ---------------------------------------------------------------------------------------------
# Text


@dataclass(frozen=True)
class Token:
    index: int
    start: int
    end: int
    text: str
    ortho: str  # scorers.arabic.normalize_orthography(text)
    full: str  # scorers.arabic.normalize(text)
    keys: frozenset[str]  # full form and every candidate stem
    trailing: str  # punctuation right after the word (a comma, a quote ...)

    @property
    def punct_after(self) -> bool:
        return bool(self.trailing)

    @property
    def bare(self) -> frozenset[str]:
        """The full form, and without a conjunction و/ف for short function words (ولم -> لم)."""
        if self.full[:1] in ("و", "ف") and len(self.full) > 2:
            return frozenset({self.full, self.full[1:]})
        return frozenset({self.full})


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and unicodedata.category(text[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(text[end - 1])[0] in "PS":
        end -= 1
    return start, end


def sentences(text: str, start: int, end: int) -> list[list[Token]]:
    """Tokens of text[start:end], grouped into sentences (split at . ! ? ؟ ؛ and line breaks)."""
    result: list[list[Token]] = []
    current: list[Token] = []
    last_end = start
    for match in WORD.finditer(text, start, end):
        gap = text[last_end : match.start()]
        if current and "\n" in gap:
            result.append(current)
            current = []
        last_end = match.end()
        s, e = _strip_edges(text, match.start(), match.end())
        if s < e:
            ortho = arabic.normalize_orthography(text[s:e])
            full = norm(text[s:e])
            keys = {full} | candidates(ortho)
            if len(ortho) >= 4 and ortho.endswith("ا"):  # accusative tanwin alef: توغلاً, لقاءً
                keys |= {k + "#acc" for k in candidates(ortho[:-1])}
            trailing = text[e : match.end()]
            current.append(Token(len(current), s, e, text[s:e], ortho, full, frozenset(keys), trailing))
            if any(ch in SENTENCE_END for ch in trailing):
                result.append(current)
                current = []
        elif current and any(ch in SENTENCE_END for ch in text[match.start() : match.end()]):
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def document_sentences(document: Any) -> list[list[Token]]:
    """The sentences of a document's scored segments (chrome skipped), or of its whole text when
    it has no segments."""
    text: str = document.text
    segments = getattr(document, "segments", None) or ()
    ranges = [(s.start, s.end) for s in segments if s.kind in SCORED_KINDS] if segments else [(0, len(text))]
    return [tokens for start, end in ranges for tokens in sentences(text, start, end)]


def _matches(token: Token, words: frozenset[str]) -> bool:
    return bool(token.keys & words)


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Rule:
    type: str | None
    next: frozenset[str] = frozenset()
    prev: frozenset[str] = frozenset()
    window: int = 3

    def holds(self, tokens: list[Token], i: int) -> bool:
        if self.next and not any(_matches(t, self.next) for t in tokens[i + 1 : i + 1 + self.window]):
            return False
        if self.prev and not any(_matches(t, self.prev) for t in tokens[max(0, i - self.window) : i]):
            return False
        return True


@dataclass(frozen=True)
class Entry:
    type: str
    lemma: str
    verbal: bool


@dataclass
class Lexicon:
    """The compiled data: forms -> entries, rules per lemma, cues and gazetteer."""

    forms: dict[str, list[Entry]] = field(default_factory=dict)
    rules: dict[str, list[Rule]] = field(default_factory=dict)
    realis: dict[str, Any] = field(default_factory=dict)
    gazetteer: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    titles: frozenset[str] = frozenset()
    title_modifiers: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    person_nouns: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    stop_words: frozenset[str] = frozenset()

    def add(self, form: str, entry: Entry) -> None:
        entries = self.forms.setdefault(form, [])
        if all(e.type != entry.type for e in entries):
            entries.append(entry)

    @property
    def size(self) -> dict[str, int]:
        return {
            "forms": len(self.forms),
            "lemmas": len({e.lemma for es in self.forms.values() for e in es}),
            "rules": sum(len(r) for r in self.rules.values()),
            "gazetteer": sum(len(v) for v in self.gazetteer.values()),
        }


def _words(items: Iterable[str]) -> frozenset[str]:
    return frozenset(norm(w) for w in items)


def _variants(phrase: str, replacements: list[list[str]]) -> set[str]:
    out = {phrase}
    for old, new in replacements:
        out |= {p.replace(old, new) for p in out if old in p}
    return out


def load_lexicon(ontology: Ontology, path: Path = DATA_FILE) -> Lexicon:
    """Compile the data file plus the ontology's trigger lists into a Lexicon."""
    data = json.loads(path.read_text(encoding="utf-8"))
    lex = Lexicon()
    excluded = _words(data.get("exclude_forms", ()))
    infl = data["verb_inflection"]

    def add(word: str, etype: str, lemma: str, verbal: bool) -> None:
        form = norm(word)
        if etype not in ontology.types or form in excluded or len(form) < 2:
            return
        lex.add(form, Entry(etype, lemma, verbal))
        if form.startswith("ال") and len(form) >= 5:  # listed with the article: also match without
            lex.add(form[2:], Entry(etype, lemma, verbal))

    for etype, spec in data["triggers"].items():
        for past, present in spec.get("verbs", ()):
            lemma = norm(past)
            for suffix in infl["past_suffixes"]:
                add(arabic.normalize_orthography(past) + suffix, etype, lemma, True)
            for prefix in infl["present_prefixes"]:
                for suffix in infl["present_suffixes"]:
                    add(prefix + present + suffix, etype, lemma, True)
        for form in spec.get("forms", ()):
            add(form, etype, norm(form), True)
        for noun in spec.get("nouns", ()):
            add(noun, etype, norm(noun), False)
    for lemma, rules in data.get("rules", {}).items():
        lex.rules[norm(lemma)] = [Rule(r.get("type"), _words(r.get("next", ())), _words(r.get("prev", ())), int(r.get("window", 3))) for r in rules]
    # The ontology's own trigger lists; a phrase ("مؤتمر صحفي") triggers on its first word when
    # the next word follows, unless the data file already has rules for that word.
    for etype in ontology.types.values():
        for verbal, words in ((True, etype.verbal_triggers), (False, etype.nominal_triggers)):
            for phrase in words:
                head, *rest = phrase.split()
                known = lex.forms.get(norm(head), [])
                lemma = next((e.lemma for e in known if e.type == etype.name), norm(head))
                add(head, etype.name, lemma, verbal)
                if rest and lemma not in lex.rules:
                    lex.rules[lemma] = [Rule(etype.name, _words(rest[:1]), frozenset(), 1)]
    realis = data["realis"]
    lex.realis = {k: (_words(v) if isinstance(v, list) else v) for k, v in realis.items()}
    lex.realis["future_prefix"] = tuple(arabic.normalize_orthography(p) for p in realis["future_prefix"])
    gazetteer: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    kinds = [(kind, names) for kind, names in data["gazetteer"].items()] + [("TIME", data.get("time", []))]
    for kind, names in kinds:
        for name in names:
            for variant in sorted(_variants(name, data.get("spelling_variants", []))):
                words = tuple(norm(w) for w in variant.split())
                gazetteer.setdefault(words[0], []).append((words, kind))
    for first in gazetteer:
        gazetteer[first] = sorted(set(gazetteer[first]), key=lambda e: (-len(e[0]), e))
    lex.gazetteer = gazetteer
    lex.titles = _words(data["titles"])
    lex.title_modifiers = _words(data["title_modifiers"])
    lex.first_names = frozenset(v for n in data["first_names"] for v in (_words(_variants(n, data.get("spelling_variants", [])))))
    lex.person_nouns = _words(data["person_nouns"])
    lex.place_nouns = _words(data["place_nouns"])
    lex.stop_words = _words(data["stop_words"])
    return lex


# ---------------------------------------------------------------------------------------------
# Entity mentions


@dataclass(frozen=True)
class Mention:
    first: int  # token indices, inclusive
    last: int
    kind: str  # PER, ORG, GPE, LOC, FAC, TIME; PER-NOM for person nouns
    start: int
    end: int
    prefix: str  # proclitics on the first word (لبيونغ -> ل), normalised


def _prefix(token: Token, first_word: str) -> str:
    at = token.full.find(first_word)
    return token.full[:at] if at > 0 else ""


def _gazetteer_at(tokens: list[Token], i: int, lex: Lexicon) -> tuple[int, str, str] | None:
    """Longest gazetteer entry starting at token i: (length, kind, its first word)."""
    for first in sorted(tokens[i].keys):
        for words, kind in lex.gazetteer.get(first, ()):
            n = len(words)
            if i + n <= len(tokens) and all(w in tokens[i + j].keys for j, w in enumerate(words[1:], start=1)):
                # a multi-word entry may not run across punctuation (except its own last word)
                if not any(tokens[i + j].punct_after for j in range(n - 1)):
                    return n, kind, first
    return None


def _name_after(tokens: list[Token], i: int, lex: Lexicon, taken: set[int]) -> int:
    """How many tokens from i look like a personal name (at most 3), for the title heuristic."""
    n = 0
    while i + n < len(tokens) and n < 3:
        tok = tokens[i + n]
        if (i + n) in taken or tok.full in lex.stop_words or tok.ortho.startswith(("ال", "وال")) or tok.full in lex.forms \
                or tok.full in lex.titles or any(c.isdigit() for c in tok.text) or not any("\u0600" <= c <= "\u06ff" for c in tok.text):
            break
        n += 1
        if tok.punct_after:
            break
    return n


def _modifies_title(tok: Token, lex: Lexicon) -> bool:
    if tok.full in lex.stop_words:
        return False
    return bool(tok.keys & lex.title_modifiers) or tok.ortho.startswith(("ال", "لل"))


def find_mentions(tokens: list[Token], lex: Lexicon) -> list[Mention]:
    """Entity mentions in one sentence: gazetteer, names after titles or first names, person nouns."""
    found: list[Mention] = []
    taken: set[int] = set()

    def add(first: int, last: int, kind: str, prefix: str = "") -> None:
        found.append(Mention(first, last, kind, tokens[first].start, tokens[last].end, prefix))
        taken.update(range(first, last + 1))

    i = 0
    while i < len(tokens):
        hit = _gazetteer_at(tokens, i, lex)
        if hit:
            n, kind, first = hit
            add(i, i + n - 1, kind, _prefix(tokens[i], first))
            i += n
        else:
            i += 1
    for i, tok in enumerate(tokens):
        if i in taken:
            continue
        if tok.keys & lex.titles:
            # skip what qualifies the title: "الخارجية الروسي", "باسم وزارة", a country named
            # inside it ("زعيم كوريا الشمالية كيم ..."), at most 5 words
            j = i + 1
            while j < len(tokens) and j - i <= 5:
                place = next((m for m in found if m.first == j and m.kind in PLACE_TYPES), None)
                if place is not None:
                    j = place.last + 1
                elif j not in taken and _modifies_title(tokens[j], lex):
                    j += 1
                else:
                    break
            if j < len(tokens) and j not in taken:
                n = _name_after(tokens, j, lex, taken)
                if n:
                    add(j, j + n - 1, "PER")
        elif tok.full in lex.first_names or tok.ortho in lex.first_names:
            n = _name_after(tokens, i + 1, lex, taken) if not tok.punct_after else 0
            if n:
                add(i, i + min(n, 2), "PER")
    for i, tok in enumerate(tokens):
        if i not in taken and tok.keys & lex.person_nouns:
            add(i, i, "PER-NOM")
    return sorted(found, key=lambda m: m.first)


# ---------------------------------------------------------------------------------------------
# Triggers, realis, arguments


def match_trigger(tokens: list[Token], i: int, lex: Lexicon) -> tuple[Entry, str] | None:
    """The event entry for token i and the matched form, after the rules; None if no event."""
    tok = tokens[i]
    options = []
    for key in tok.keys:
        form, acc = (key[:-4], True) if key.endswith("#acc") else (key, False)
        for entry in lex.forms.get(form, ()):
            if acc and entry.verbal:
                continue
            unsplit = form == tok.full
            options.append((not unsplit, -len(form), acc, form, entry))
    if not options:
        return None
    options.sort(key=lambda o: (o[0], o[1], o[2], o[3], o[4].type))
    best_form = options[0][3]
    entries = [o[4] for o in options if o[3] == best_form]
    for entry in entries:
        rules = lex.rules.get(entry.lemma)
        if rules is None:
            continue
        for rule in rules:
            if rule.holds(tokens, i):
                if rule.type is None:
                    return None
                chosen = next((e for e in entries if e.type == rule.type), None)
                return (chosen or Entry(rule.type, entry.lemma, entry.verbal)), best_form
        return None
    return entries[0], best_form


def realis_of(tokens: list[Token], i: int, entry: Entry, lex: Lexicon) -> str:
    """`other` on a future prefix, a question, or a cue near the trigger; `generic`; else `actual`."""
    cues = lex.realis
    tok = tokens[i]
    rest = tok.ortho[1:] if tok.ortho[:1] in ("و", "ف") and len(tok.ortho) > 3 else tok.ortho
    if entry.verbal and rest.startswith(cues["future_prefix"]) and any(e.verbal for k in candidates(rest[1:]) for e in lex.forms.get(k, ())):
        return "other"
    if any(t.bare & cues["question_words"] for t in tokens[:i]) or any(q in tokens[-1].trailing for q in "؟?"):
        return "other"
    before = tokens[max(0, i - int(cues["window_before"])) : i]
    after = tokens[i + 1 : i + 1 + int(cues["window_after"])]
    if any(t.bare & cues["other_before"] or (len(t.full) > 3 and t.keys & cues["other_before"]) for t in before):
        return "other"
    for j, t in enumerate(before):
        if t.bare & cues["modal_before_present"]:
            following = before[j + 1] if j + 1 < len(before) else tok
            if following.ortho.lstrip("وف").startswith(("ي", "ت", "ن")):
                return "other"
    if any(t.keys & cues["other_after"] for t in after):
        return "other"
    if before and before[-1].keys & cues["generic_before"]:
        return "generic"
    if after and after[0].keys & cues["generic_after"]:
        return "generic"
    return "actual"


def _preposition_before(tokens: list[Token], mention: Mention, preps: frozenset[str], lex: Lexicon) -> bool:
    """A preposition in `preps` right before the mention, or before place nouns / adjectives."""
    j = mention.first - 1
    for _ in range(4):
        if j < 0:
            return False
        tok = tokens[j]
        if tok.full in preps:
            return True
        if not (tok.keys & lex.place_nouns or tok.ortho.startswith("ال")):
            return False
        j -= 1
    return False


IN, TO, FROM = frozenset({"في"}), frozenset({"الي", "نحو"}), frozenset({"من"})
NOT_OBJECT = frozenset({"في", "من", "مع", "بين", "عن", "علي", "الي"})


def arguments_for(etype: str, tokens: list[Token], i: int, mentions: list[Mention], lex: Lexicon, ontology: Ontology) -> list[tuple[str, int, int]]:
    """(role, start, end) for each role filled by the nearest suitable mention in the sentence."""
    roles = ontology.roles_for(etype)
    def distance(m: Mention) -> int:
        lo, hi = (m.last, i) if m.last < i else (i, m.first)
        commas = sum("،" in t.trailing or "," in t.trailing for t in tokens[lo:hi])
        return hi - lo + COMMA_COST * commas

    near = sorted((m for m in mentions if not (m.first <= i <= m.last) and distance(m) <= MAX_ARGUMENT_DISTANCE),
                  key=lambda m: (distance(m), m.first))
    used: set[Mention] = set()
    chosen: list[tuple[str, Mention]] = []

    def take(role: str, pool: Iterable[Mention], limit: int = 1) -> None:
        if role not in roles:
            return
        for m in pool:
            if limit == 0:
                break
            if m not in used:
                used.add(m)
                chosen.append((role, m))
                limit -= 1

    places = [m for m in near if m.kind in PLACE_TYPES]
    take("Destination", [m for m in places if m.first > i and (_preposition_before(tokens, m, TO, lex) or "ل" in m.prefix)])
    if etype.startswith("Movement.") and not any(r == "Destination" for r, _ in chosen):
        take("Destination", [m for m in places if i < m.first <= i + 6 and not m.prefix
                             and not (m.first > 0 and tokens[m.first - 1].full in NOT_OBJECT)])
    take("Origin", [m for m in places if _preposition_before(tokens, m, FROM, lex)])
    take("Place", [m for m in places if _preposition_before(tokens, m, IN, lex) or "ب" in m.prefix])
    take("Time", [m for m in near if m.kind == "TIME"])
    names = [m for m in near if m.kind == "PER"]
    take("Person", names or [m for m in near if m.kind == "PER-NOM"])
    take("Participant", names, limit=2)
    take("Entity", [m for m in near if m.kind in ("PER", "ORG") and m.first < i] + [m for m in near if m.kind in ("PER", "ORG") and m.first > i])
    order = {r: k for k, r in enumerate(roles)}
    chosen.sort(key=lambda rm: (order[rm[0]], rm[1].start))
    return [(r, m.start, m.end) for r, m in chosen]


# ---------------------------------------------------------------------------------------------
# The extractor


class LexiconExtractor:
    """Rule-based Arabic event extraction; see the module docstring."""

    name = "lexicon"

    def __init__(self, corpus: Corpus | None = None, *, ontology: Ontology | None = None, data: str | Path = DATA_FILE) -> None:
        if ontology is None:
            ontology = corpus.ontology if corpus is not None else load_ontology(default_gold_dir() / "ontology.json")
        self.ontology = ontology
        self.lexicon = load_lexicon(ontology, Path(data))

    def __call__(self, document: Any) -> list[dict]:
        text: str = document.text
        events: list[dict] = []
        for tokens in document_sentences(document):
            events.extend(self._sentence(text, tokens, document.doc_id))
        for n, event in enumerate(events, start=1):
            event["id"] = f"e{n}"
        return events

    def _sentence(self, text: str, tokens: list[Token], doc_id: str) -> list[dict]:
        lex = self.lexicon
        mentions = find_mentions(tokens, lex)
        in_mention = {j for m in mentions if m.kind not in ("PER-NOM",) for j in range(m.first, m.last + 1)}
        out = []
        for i, tok in enumerate(tokens):
            if i in in_mention:
                continue
            found = match_trigger(tokens, i, lex)
            if found is None:
                continue
            entry, _ = found
            args = arguments_for(entry.type, tokens, i, mentions, lex, self.ontology)
            out.append({
                "id": "",
                "type": entry.type,
                "realis": realis_of(tokens, i, entry, lex),
                "trigger": {"start": tok.start, "end": tok.end, "text": tok.text},
                "arguments": [{"role": r, "start": s, "end": e, "text": text[s:e]} for r, s, e in args],
                "cluster": f"{doc_id}/{entry.type}/{entry.lemma}",
            })
        return out
