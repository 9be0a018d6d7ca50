"""Relaxed matching of generated strings: do two strings name the same argument, time or trigger word?

The rule (one place; ``scorers.matching.RelaxedMatch`` applies it to spans):

* **Arguments.** After Arabic normalisation and clitic stripping (``scorers.arabic``), a
  predicted string names the reference argument when it is *equivalent* to the reference text
  or to any other mention of the reference argument's entity in the gold (written with or
  without inner spaces: ``بيونغيانغ`` ~ ``بيونغ يانغ``), or when one contains the other as a run
  of tokens and every extra token is a *modifier*: a title or description (``وزير الخارجية
  الروسي``), a generic head (``مدينة``, ``منطقة``, ``العاصمة``), a quantifier (``آلاف``), a
  number, a nisba adjective that follows a title, an apposition comma, or words that stand next
  to the reference span in the document itself (the text's own longer extent: ``القوات
  الأوكرانية`` for ``القوات``). It never matches when an extra token names something else: a
  mention of another entity of the document, a directional or national adjective the text does
  not attach to this mention (``كوريا الجنوبية`` is not ``كوريا الشمالية``), a preposition
  opening another phrase, a conjunction joining a second entity. A shorter prediction may drop
  modifiers only, never part of a name (``كوريا`` is not ``كوريا الشمالية``).
* **Times.** Both strings are read as a date: day numbers, month (both Arabic month-name
  systems, ``يوليو`` = ``تموز``, ``أبريل`` = ``إبريل`` = ``نيسان``), year, weekday, deictic day
  (``اليوم``, ``أمس``) and relative words (``الماضي``), digits Arabic-Indic or Latin. They match
  when no component present in both differs and the prediction keeps the reference's most
  specific part (a day if it names one, else its month, else its year, else its relative
  words): ``الجمعة`` ~ ``اليوم الجمعة``, ``1 يوليو`` ~ ``1 يوليو/ تموز الجاري``, but not
  ``يوليو`` ~ ``13 يوليو``.
* **Triggers.** The same head word after normalisation: some token of the prediction and some
  token of the reference share a stem (``زيارة`` ~ ``الزيارة`` ~ ``زيارته``; ``أجرى محادثات`` ~
  ``محادثات``), a sound feminine plural counting as its singular (``زيارات`` ~ ``زيارة``).

References: REGen (Sharif et al., Findings of EMNLP 2025: exact, then relaxed, then judged
matching of generated arguments) and RAEE (Lu et al., "Beyond Exact Match", 2024/25); the
extents follow ``gold/guidelines.md`` sections 5, 7.2 and 9.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from scorers import arabic

# --- lexicons (data, not branches) ------------------------------------------------------------

#: Titles, offices and descriptive nouns that may stand before or after a name (normalised, ة -> ه).
TITLES = frozenset(arabic.normalize(w) for w in """
وزير وزيره وزراء الوزير الوزيره الوزراء خارجيه الخارجيه الدفاع دفاع رئيس رئيسه الرئيس الرئيسه رؤساء الرؤساء
زعيم الزعيم زعماء الزعماء قائد القائد قاده القاده نظير نظيره نظيرته نظيرها نظيرهم السيد السيده الدبلوماسي
دبلوماسي المتحدث متحدث المتحدثه باسم الناطق ناطق سفير السفير مبعوث المبعوث الامين امين العام مساعد نائب
الحكومه حكومه الدوله دوله جمهوريه الجمهوريه الملك الامير المستشار مستشار مدير المدير المسؤول مسؤول
المخضرم الجيش جيش
""".split())
#: Generic heads before a place or organisation name (``مدينة وونسان``, ``منطقة كورسك``).
GENERIC_HEADS = frozenset(arabic.normalize(w) for w in """
مدينه المدينه منطقه المنطقه العاصمه عاصمه مقاطعه المقاطعه منتجع المنتجع ميناء الميناء اقليم الاقليم اقليمي
بلده البلده قريه القريه جزيره الجزيره شبه ولايه الولايه محافظه المحافظه مطار المطار
وكاله الوكاله وزاره الوزاره هيئه الهيئه جهاز الجهاز شركه الشركه صحيفه الصحيفه قناه القناه منظمه المنظمه
""".split())
#: Prepositions written as separate words before an argument: as a proclitic, they do not change what it names.
LEADING_PREPOSITIONS = frozenset(arabic.normalize(w) for w in "في الى إلى من على عن لدى نحو".split())
#: Entity types whose other names are not accepted: a capital or a region named for its state is
#: another place (``موسكو`` is not ``روسيا``), although the gold may list it as a metonymic mention.
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
#: Quantifiers and size adjectives before a nominal (``آلاف الجنود``, ``كبار القادة``).
QUANTIFIERS = frozenset(arabic.normalize(w) for w in "آلاف الاف الف مئات عشرات كبار كل جميع بعض عدد نحو حوالي قرابه هذا هذه ذلك تلك هؤلاء".split())
#: Relative time words with the same meaning (``العام الفائت`` = ``العام الماضي``), read as the first.
TIME_SYNONYMS = {arabic.normalize(w): arabic.normalize(canonical) for canonical, words_ in (
    ("الماضي", "الفائت المنصرم المنقضي"), ("المقبل", "القادم التالي"), ("الماضيه", "الفائته المنصرمه"), ("المقبله", "القادمه"))
    for w in words_.split()}
#: Entity types whose names may take an adjective of relation without becoming another name
#: (``الولايات المتحدة الأمريكية``, ``كوالالمبور الماليزية``), unless it is a directional one.
NAMED_TYPES = frozenset({"GPE", "LOC", "FAC", "ORG"})
#: Adjectives that distinguish one place or nation from another: never a droppable modifier
#: right after a name (they make another name: كوريا الشمالية / الجنوبية).
CONTRASTIVE = frozenset(arabic.normalize(w) for w in """
الشماليه الجنوبيه الشرقيه الغربيه الشمالي الجنوبي الشرقي الغربي شماليه جنوبيه شمالي جنوبي
""".split())
#: Words that open another phrase: a prediction reaching past them is no longer the argument.
PHRASE_OPENERS = frozenset(arabic.normalize(w) for w in "في الى إلى من على مع عن الذي التي الذين خلال بين لدى عند حيث".split())
#: Function words ignored when looking for a trigger's head word.
FUNCTION_WORDS = frozenset(arabic.normalize(w) for w in "في الى من على مع عن ان أن قد لقد هذه هذا التي الذي و ثم".split())

MONTHS: dict[str, int] = {
    **{arabic.normalize(w): i for i, w in enumerate(
        "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split(), start=1)},
    **{arabic.normalize(w): i for i, w in enumerate(
        "كانون_الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين_الأول تشرين_الثاني كانون_الأول".split(), start=1)},
    arabic.normalize("إبريل"): 4, arabic.normalize("ابريل"): 4, arabic.normalize("اغسطس"): 8, arabic.normalize("يونيه"): 6,
    arabic.normalize("يوليه"): 7, arabic.normalize("اكتوبر"): 10, arabic.normalize("مايس"): 5,
}
WEEKDAYS: dict[str, int] = {arabic.normalize(w): i for i, w in enumerate(
    "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split())}
WEEKDAYS.update({arabic.normalize("الإثنين"): 0, arabic.normalize("اثنين"): 0, arabic.normalize("ثلاثاء"): 1,
                 arabic.normalize("أربعاء"): 2, arabic.normalize("خميس"): 3, arabic.normalize("جمعة"): 4,
                 arabic.normalize("سبت"): 5, arabic.normalize("أحد"): 6})
DEICTIC_DAYS = {arabic.normalize("اليوم"): "today", arabic.normalize("أمس"): "yesterday", arabic.normalize("امس"): "yesterday",
                arabic.normalize("غدا"): "tomorrow", arabic.normalize("غداً"): "tomorrow", arabic.normalize("البارحة"): "yesterday"}
#: Words that may make up a relative time expression (``الشهر الماضي``, ``مطلع هذا العام``).
TIME_WORDS = frozenset(arabic.normalize(w) for w in """
الماضي الماضيه المقبل المقبله القادم القادمه الفائت الفائته المنصرم المنصرمه الحالي الحاليه الجاري الجاريه التالي
هذا هذه ذلك تلك الاسبوع اسبوع الشهر شهر السنه سنه العام عام الليله ليله ليل مساء صباح ظهر منتصف اواخر اوائل مطلع
نهايه بدايه قبل بعد منذ خلال الفتره فتره ايام الايام ساعات اسابيع اشهر الاشهر سنوات اعوام نحو حوالي قرابه المقبلين الماضيين
""".split())
#: Words of a time expression that add nothing to which time it is.
TIME_FILLERS = frozenset(arabic.normalize(w) for w in "يوم يومي في من الجاري الحالي عام العام سنه لعام م هـ او و الى إلى حتى بين".split())
#: Levantine month names written as two words, joined into one token before reading a time.
_TWO_WORD_MONTHS = {re.compile(arabic.normalize(name).replace(" ", r"\s+")): arabic.normalize(name).replace(" ", "_")
                    for name in ("كانون الثاني", "كانون الأول", "تشرين الأول", "تشرين الثاني")}


# --- tokens ---------------------------------------------------------------------------------


def _digits(text: str) -> str:
    """Arabic-Indic and Persian digits as Latin ones."""
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text)


#: The alef that carries tanwin fatha at the end of a word (``توغلاً`` = ``توغل``): spelling, not a letter of the word.
_TANWIN_ALEF = re.compile(r"(?:\u064bا|ا\u064b)(?=\W|$)")


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """Normalised tokens (ة -> ه, digits Latin, tanwin alef dropped), split at spaces and slashes, outer punctuation gone."""
    text = _TANWIN_ALEF.sub("", _digits(text)).replace("/", " ").replace("،", " ، ")
    return tuple(t.replace(arabic.TA_MARBUTA, arabic.HA) for t in arabic.tokens(text))


def _same_word(a: str, b: str) -> bool:
    return a == b or bool(arabic.stems(a) & arabic.stems(b))


def _is_nisba(token: str) -> bool:
    """An adjective of relation (الروسي, الكورية, شمالي): ends in ي / يه, at least four letters."""
    bare = token[2:] if token.startswith("ال") else token
    return len(bare) >= 4 and (bare.endswith("ي") or bare.endswith("يه"))


def _stripped(token: str) -> frozenset[str]:
    return arabic.stems(token)


def _in(token: str, lexicon: frozenset[str]) -> bool:
    return any(s in lexicon for s in _stripped(token)) or token in lexicon


#: Letters that transliterate one foreign sound in different spellings (``بيونج يانج`` ~ ``بيونغ يانغ``).
_TRANSLITERATION = str.maketrans({"ج": "غ", "ڤ": "ف", "گ": "غ"})
#: Dual and sound plural endings in the nominative and the oblique case (``البلدان`` ~ ``البلدين``).
_CASE_ENDING = re.compile(r"(?<=...)(ان|ين|ون)$")


def _loose(token: str) -> str:
    return _CASE_ENDING.sub("ين", token.translate(_TRANSLITERATION))


def _squash(tokens: tuple[str, ...]) -> frozenset[str]:
    """The tokens written as one word, with any proclitic stripped from the first (``بيونغيانغ`` ~ ``بيونغ يانغ``),
    letters of transliteration and case endings unified."""
    if not tokens:
        return frozenset()
    joined = frozenset(stem + "".join(tokens[1:]) for stem in arabic.stems(tokens[0])) | {"".join(tokens)}
    return joined | frozenset("".join(_loose(t) for t in (stem, *tokens[1:])) for stem in arabic.stems(tokens[0]))


def _equivalent(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) == len(b) and a and all(_same_word(x, y) for x, y in zip(a, b, strict=True)):
        return True
    return bool(a) and bool(b) and bool(_squash(a) & _squash(b))


def _find_run(long: tuple[str, ...], short: tuple[str, ...]) -> list[int]:
    """Start indices where ``short`` occurs in ``long`` as a run of equivalent tokens."""
    n = len(short)
    return [i for i in range(len(long) - n + 1) if all(_same_word(long[i + k], short[k]) for k in range(n))]


# --- the context a document gives ---------------------------------------------------------------


@dataclass(frozen=True)
class ArgumentContext:
    """What the gold says around one reference argument: its entity's other names, the other entities' names, the text's own extent.

    ``aliases``: every mention text of the reference argument's entity (in the gold, across
    documents); ``others``: mention texts of the document's other entities; ``before`` /
    ``after``: the document's words just before and after the reference span (its longer
    extent in the text), nearest first; ``entity_type``: the reference entity's type (``GPE``...).
    """

    aliases: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    entity_type: str | None = None


NO_CONTEXT = ArgumentContext()


@dataclass(frozen=True)
class Verdict:
    """Why two strings were matched (or not): ``rule`` names the accepting rule, None when rejected."""

    rule: str | None
    detail: str = ""

    def __bool__(self) -> bool:
        return self.rule is not None


REJECTED = Verdict(None)


# --- times ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeReading:
    """A time expression's parts: day numbers, months, years, weekdays, deictic days, relative words."""

    days: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    years: frozenset[int] = frozenset()
    weekdays: frozenset[int] = frozenset()
    deictic: frozenset[str] = frozenset()
    relative: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_date(self) -> bool:
        return bool(self.days or self.months or self.years or self.weekdays or self.deictic)

    @property
    def names_a_day(self) -> bool:
        return bool(self.days or self.weekdays or self.deictic)


def _month_of(token: str) -> int | None:
    for stem in {token, *arabic.stems(token)}:
        if stem in MONTHS:
            return MONTHS[stem]
    return None


def _weekday_of(token: str) -> int | None:
    for stem in {token, *arabic.stems(token)}:
        if stem in WEEKDAYS:
            return WEEKDAYS[stem]
    return None


@lru_cache(maxsize=16384)
def read_time(text: str) -> TimeReading | None:
    """The parts of a time expression, or None when a token is not a time word (then it is not a time)."""
    text = arabic.normalize(_digits(text))
    for pattern, joined in _TWO_WORD_MONTHS.items():
        text = pattern.sub(joined, text)
    days: set[int] = set()
    months: set[int] = set()
    years: set[int] = set()
    weekdays: set[int] = set()
    deictic: set[str] = set()
    relative: set[str] = set()
    for token in words(text):
        if token in {"،", "-", "–"}:
            continue
        if token.isdigit():
            (years if len(token) == 4 else days).add(int(token))
        elif (month := _month_of(token)) is not None:
            months.add(month)
        elif (weekday := _weekday_of(token)) is not None:
            weekdays.add(weekday)
        elif token in DEICTIC_DAYS:
            deictic.add(DEICTIC_DAYS[token])
        elif token in TIME_FILLERS:
            continue
        elif re.fullmatch(r"\d+[-–]\d+", token):
            days.update(int(x) for x in re.split(r"[-–]", token))
        elif any(stem in TIME_WORDS for stem in {token, *arabic.stems(token)}):
            relative.add(TIME_SYNONYMS.get(token, token))
        else:
            return None  # not a time word: the string is not a time expression
    reading = TimeReading(frozenset(days), frozenset(months), frozenset(years), frozenset(weekdays), frozenset(deictic), frozenset(relative))
    return reading if reading.is_date or reading.relative else None


def same_time(pred: str, ref: str) -> Verdict:
    """Both read as times, no shared component differs, and the prediction keeps the reference's most specific part."""
    p, r = read_time(pred), read_time(ref)
    if p is None or r is None:
        return REJECTED
    for part in ("days", "months", "years", "weekdays", "deictic"):
        a, b = getattr(p, part), getattr(r, part)
        if a and b and a != b:
            return Verdict(None, f"{part} differ")
    absolute = p.is_date and r.is_date
    if not absolute and p.relative != r.relative:
        return REJECTED
    if r.names_a_day:
        # one of the reference's own day designators, agreeing: a weekday cannot be checked against a date
        keeps = bool(r.days & p.days or r.weekdays & p.weekdays or r.deictic & p.deictic)
    elif r.months:
        keeps = bool(p.months)
    elif r.years:
        keeps = bool(p.years)
    else:
        keeps = p.relative == r.relative
    if r.relative and not (r.days or r.months or r.years or r.weekdays) and p.relative != r.relative and not p.names_a_day:
        keeps = False
    return Verdict("time", "same date") if keeps else Verdict(None, "less specific")


# --- arguments ------------------------------------------------------------------------------


def _names_other_entity(extra: tuple[str, ...], forms: list[tuple[str, ...]], others: tuple[str, ...]) -> bool:
    for other in others:
        toks = words(other)
        if toks and _find_run(extra, toks) and not any(_find_run(form, toks) for form in forms):
            return True
    return False


def _modifiers_ok(extra: tuple[str, ...], *, side: str, text_side: tuple[str, ...], dropped: bool, person: bool = False) -> tuple[bool, str]:
    """Whether the extra tokens on one side of the shared run are modifiers (see the module docstring).

    ``text_side``: the document's own words on that side of the reference span, nearest first;
    extra tokens that repeat them (in order, nearest first) are the text's own longer extent.
    """
    if not extra:
        return True, ""
    # Arabic modifiers follow their head: adjectives and definite complements the text itself puts
    # after the span extend it (القوات الأوكرانية, موارد الطاقة); words before it would make them
    # the head (زيارة لافروف), so never.
    if side == "after" and not dropped and text_side and len(extra) <= len(text_side) and all(
        _same_word(a, b) and a not in PHRASE_OPENERS and (_is_nisba(a) or a.startswith("ال") or not person) for a, b in zip(extra, text_side, strict=False)
    ):
        return True, "the text's own extent"  # after a person's name only adjectives, never a new clause
    in_title = False  # inside a title phrase (وزير الخارجية الروسي ..., رئيس مجلس الأمن ...)
    for token in extra:
        if token in {"،", ",", "-", "–"}:
            in_title = False
            continue
        if token.isdigit():
            continue
        if token in PHRASE_OPENERS or (token.startswith(("و", "ف")) and len(token) > 2 and not _in(token, TITLES | GENERIC_HEADS)):
            return False, f"{token!r} opens another phrase"
        if _in(token, TITLES) or _in(token, GENERIC_HEADS):
            in_title = True
            continue
        if _in(token, QUANTIFIERS) and side == "before":
            continue
        if in_title and (side == "before" or _is_nisba(token)) and not dropped:
            continue  # a title phrase runs up to the name
        if _is_nisba(token) and in_title:
            continue
        return False, f"{token!r} is not a modifier"
    return True, "modifiers"


@lru_cache(maxsize=262144)
def same_argument(pred: str, ref: str, context: ArgumentContext = NO_CONTEXT) -> Verdict:
    """Whether a predicted argument string names the reference argument (the rule in the module docstring)."""
    p = _without_leading_prepositions(words(pred))
    if not p:
        return REJECTED
    r = _without_leading_prepositions(words(ref))
    aliases = () if context.entity_type in PLACE_TYPES else tuple(words(a) for a in context.aliases)
    # A bare title or pronoun-like description is another mention only when the reference is one too.
    aliases = tuple(a for a in aliases if not _all_descriptive(a) or len(a) >= 2 or _all_descriptive(r))
    forms = [f for f in dict.fromkeys((r, *(_without_leading_prepositions(a) for a in aliases))) if f]
    for i, form in enumerate(forms):
        if _equivalent(p, form):
            return Verdict("equal" if i == 0 else "other mention", "")
    for part in _parenthesised(pred):
        if any(_equivalent(part, form) for form in forms):
            return Verdict("longer", "apposition in parentheses")
    if read_time(ref) is not None:
        return same_time(pred, ref)
    for i, form in enumerate(forms):
        own = i == 0
        for longer, shorter, dropped in ((p, form, False), (form, p, True)):
            if len(shorter) >= len(longer):
                continue
            for start in _find_run(longer, shorter):
                before, after = longer[:start], longer[start + len(shorter):]
                if not dropped and _names_other_entity(before + after, forms, context.others):
                    return Verdict(None, "names another entity")
                if dropped and any(t in CONTRASTIVE or _is_nisba(t) and not _in(t, TITLES) for t in after[:1]):
                    continue  # a shorter name that loses its distinguishing adjective is another name
                named = _proper_name(shorter) or context.entity_type in NAMED_TYPES
                if not dropped and named and after and all(_is_nisba(t) and t not in CONTRASTIVE for t in after) and not before:
                    return Verdict("longer", "adjective of a proper name")
                ok_before, why_before = _modifiers_ok(before, side="before", text_side=context.before if own else (), dropped=dropped)
                ok_after, why_after = _modifiers_ok(after, side="after", text_side=context.after if own else (), dropped=dropped,
                                                    person=context.entity_type == "PER")
                if ok_before and ok_after:
                    rule = "shorter" if dropped else "longer"
                    return Verdict(rule, ", ".join(w for w in (why_before, why_after) if w))
    return REJECTED


def _without_leading_prepositions(tokens: tuple[str, ...]) -> tuple[str, ...]:
    while len(tokens) > 1 and tokens[0] in LEADING_PREPOSITIONS:
        tokens = tokens[1:]
    return tokens


def _all_descriptive(tokens: tuple[str, ...]) -> bool:
    """Only titles, generic heads, quantifiers and nisba adjectives: a description, not a name.

    Of the reference entity's other mentions, a one-word description (``الوزير``) is too vague to
    count; a fuller one (``وزير الخارجية الروسي``) names the office holder."""
    return bool(tokens) and all(_in(t, TITLES | GENERIC_HEADS | QUANTIFIERS) or _is_nisba(t) for t in tokens)


def _proper_name(tokens: tuple[str, ...]) -> bool:
    """No token takes the article: a name (كوالالمبور, طهران), not a common noun (القوات)."""
    return bool(tokens) and not any(t.startswith(("ال", "لل")) or _in(t, TITLES | GENERIC_HEADS) for t in tokens)


def _parenthesised(text: str) -> list[tuple[str, ...]]:
    """The words inside and outside parentheses of a string with an apposition in parentheses."""
    if "(" not in text or ")" not in text:
        return []
    inside = re.findall(r"\(([^()]*)\)", text)
    outside = re.sub(r"\([^()]*\)", " ", text)
    return [w for w in (*(words(i) for i in inside), words(outside)) if w]


# --- triggers -------------------------------------------------------------------------------


def _head_stems(token: str) -> frozenset[str]:
    found = set(arabic.stems(token))
    for stem in list(found):
        if stem.endswith("ات") and len(stem) - 2 >= arabic.MIN_STEM:
            found.add(stem[:-2] + arabic.HA)
    return frozenset(found)


def same_trigger_word(pred: str, ref: str) -> Verdict:  # noqa: D401
    """Some content token of each shares a stem (the head word), sound feminine plurals as their singular."""
    p = [t for t in words(pred) if t not in FUNCTION_WORDS]
    r = [t for t in words(ref) if t not in FUNCTION_WORDS]
    for a in p:
        for b in r:
            if a == b or _head_stems(a) & _head_stems(b):
                return Verdict("head word", f"{a} ~ {b}")
    return REJECTED


def entity_forms(mentions: Iterable[str]) -> tuple[str, ...]:
    """Distinct mention texts, in first-seen order (the aliases of one entity)."""
    return tuple(dict.fromkeys(m for m in mentions if m.strip()))
