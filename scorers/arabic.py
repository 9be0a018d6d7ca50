"""Arabic orthographic normalisation and conservative clitic stripping, for span comparison.

Why not camel-tools or pyarabic: camel-tools pulls torch and transformers for the package as a
whole, and pyarabic's alef normalisation also rewrites alef maqsura (إلى -> الا). This small
table-driven normaliser follows the CAMeL Tools conventions (Obeid et al. 2020, "CAMeL Tools:
An Open Source Python Toolkit for Arabic NLP", LREC) and the clitic inventory of Habash 2010,
"Introduction to Arabic Natural Language Processing", ch. 4.

Stemming here only decides whether two spans name the same word with different clitics
attached (``ووصل`` ~ ``وصل``, ``بإرسالها`` ~ ``إرسال``). A token is expanded into the set of
its possible stems (every legal proclitic and enclitic split, the unsplit word included), and
two tokens are equivalent when those sets share a stem. Sets avoid the classic greedy error:
``لبيونغ`` and ``بيونغ`` share ``بيونغ`` although a greedy stripper would turn ``بيونغ`` into
``يونغ``. A stem must keep at least ``MIN_STEM`` letters, so short words (``وصل``, ``بيت``)
are never stripped.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import product

#: Diacritics U+064B-U+0652 (tanwin, harakat, shadda, sukun) and dagger alef U+0670.
DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670"
TATWEEL = "\u0640"
#: Direction marks, zero-width joiners and bidi isolates: invisible, never part of a word.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u061c\u2066\u2067\u2068\u2069\ufeff"
LETTER_MAP = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"}
TA_MARBUTA, HA, TA = "ة", "ه", "ت"
HAMZA, SEATED_HAMZAS = "ء", ("ئ", "ؤ")

_DELETE = dict.fromkeys(map(ord, DIACRITICS + TATWEEL + INVISIBLE))
_ORTHOGRAPHY = str.maketrans({**{ord(k): v for k, v in LETTER_MAP.items()}, **_DELETE})

MIN_STEM = 3


def _proclitic_sequences() -> frozenset[str]:
    """Conjunction (و ف), then preposition or future particle (ب ك ل س), then article (ال).

    The alef of the article drops after ل (ل + ال = لل), and the future particle never takes
    the article; everything is optional, so this yields ``وال``, ``بال``, ``لل``, ``فال``,
    ``وب``, ``ول``, ``وس``, ``ولل`` ... as data rather than branches.
    """
    sequences = set()
    for conj, prep, article in product(("", "و", "ف"), ("", "ب", "ك", "ل", "س"), ("", "ال")):
        if prep == "س" and article:
            continue
        sequences.add(conj + ("لل" if prep == "ل" and article else prep + article))
    sequences.discard("")
    return frozenset(sequences)


PROCLITICS = _proclitic_sequences()
#: Possessive / object pronouns (3rd, 2nd, 1st person).
ENCLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ني", "ي"})


def normalize_orthography(text: str) -> str:
    """NFKC, drop diacritics, tatweel and invisible marks, unify alef forms, ى -> ي, casefold.

    Ta marbuta is kept here because the stemmer needs it; :func:`normalize` maps it.
    """
    return unicodedata.normalize("NFKC", text).translate(_ORTHOGRAPHY).casefold()


def normalize(text: str) -> str:
    """The full orthographic normalisation: :func:`normalize_orthography` plus ة -> ه."""
    return normalize_orthography(text).replace(TA_MARBUTA, HA)


def _strip_punctuation(token: str) -> str:
    start, end = 0, len(token)
    while start < end and unicodedata.category(token[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(token[end - 1])[0] in "PS":
        end -= 1
    return token[start:end]


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """Whitespace tokens of the orthographically normalised text, outer punctuation removed."""
    return tuple(t for t in (_strip_punctuation(w) for w in normalize_orthography(text).split()) if t)


def _without_enclitics(word: str) -> set[str]:
    """The word and every stem left by removing one enclitic pronoun.

    Before an enclitic a word's last letter may change its written form: a feminine noun
    writes its ta marbuta as ت (``زيارتها`` = ``زيارة`` + ``ها``) and a final hamza takes a
    seat (``لقائهما`` = ``لقاء`` + ``هما``), so such a stem also yields its free form.
    """
    stems = {word}
    for enclitic in ENCLITICS:
        stem = word[: -len(enclitic)]
        if word.endswith(enclitic) and len(stem) >= MIN_STEM:
            stems.add(stem)
            if stem.endswith(TA):
                stems.add(stem[:-1] + TA_MARBUTA)
            elif stem.endswith(SEATED_HAMZAS):
                stems.add(stem[:-1] + HAMZA)
    return stems


@lru_cache(maxsize=65536)
def stems(token: str) -> frozenset[str]:
    """Every stem of one normalised token: all proclitic x enclitic splits, the token included.

    Returned in fully normalised form (ة -> ه), ready to compare.
    """
    bases = {token} | {token[len(p):] for p in PROCLITICS if token.startswith(p) and len(token) - len(p) >= MIN_STEM}
    found: set[str] = set()
    for base in bases:
        found |= _without_enclitics(base)
    return frozenset(s.replace(TA_MARBUTA, HA) for s in found)


@lru_cache(maxsize=262144)
def equivalent(a: str, b: str) -> bool:
    """Same words up to orthography and clitics: token by token, the stem sets intersect."""
    ta, tb = tokens(a), tokens(b)
    return bool(ta) and len(ta) == len(tb) and all(stems(x) & stems(y) for x, y in zip(ta, tb, strict=True))


@lru_cache(maxsize=262144)
def identical(a: str, b: str) -> bool:
    """Same words up to orthography only (no clitic stripping): the stronger kind of equality."""
    return tuple(t.replace(TA_MARBUTA, HA) for t in tokens(a)) == tuple(t.replace(TA_MARBUTA, HA) for t in tokens(b))
