"""Feature dicts for the supervised extractor: a token, a trigger's realis, a (trigger, candidate) pair.

Every feature is read from the sentence's text (normalised with `scorers.arabic`) or from what
an earlier step predicted (the event type, a candidate's entity kind); none from gold. Values are
strings (one-hot through scikit-learn's DictVectorizer) or 1 for a present key.
"""

from __future__ import annotations

from benchmark.extractors.entities import Candidate
from benchmark.extractors.learning import stems_of
from benchmark.extractors.lexicon import Token

Features = dict[str, str | int]
WINDOW = 2  # neighbouring words on each side
CUE_BEFORE, CUE_AFTER = 4, 2  # realis: words looked at before and after the trigger
PRESENT_PREFIXES = ("ي", "ت", "ن", "ا")
CONJUNCTIONS = ("و", "ف")


def _word(tokens: list[Token], i: int) -> str:
    return tokens[i].full if 0 <= i < len(tokens) else ("<s>" if i < 0 else "</s>")


def _without_conjunction(tok: Token) -> str:
    return tok.ortho[1:] if tok.ortho[:1] in CONJUNCTIONS and len(tok.ortho) > 3 else tok.ortho


def _position(i: int, n: int) -> str:
    if i == 0:
        return "first"
    if i == n - 1:
        return "last"
    return "early" if i < 4 else "late" if i >= n - 4 else "middle"


def token_features(tokens: list[Token], i: int) -> Features:
    """Normalised form, stems without clitics, prefixes and suffixes, neighbours, position."""
    tok = tokens[i]
    form = tok.ortho
    feats: Features = {"w": tok.full, "pre2": form[:2], "pre3": form[:3], "suf2": tok.full[-2:], "suf3": tok.full[-3:],
                       "pos": _position(i, len(tokens)), "len": str(min(len(form), 9)),
                       "article": str(form.startswith(("ال", "وال", "بال", "فال", "لل", "ولل"))),
                       "digit": str(any(c.isdigit() for c in tok.text)),
                       "arabic": str(any("\u0600" <= c <= "\u06ff" for c in tok.text))}
    for stem in stems_of(tok):
        feats[f"stem={stem}"] = 1
    for k in range(1, WINDOW + 1):
        feats[f"w-{k}"] = _word(tokens, i - k)
        feats[f"w+{k}"] = _word(tokens, i + k)
    if i > 0:
        for stem in stems_of(tokens[i - 1]):
            feats[f"stem-1={stem}"] = 1
    if i + 1 < len(tokens):
        for stem in stems_of(tokens[i + 1]):
            feats[f"stem+1={stem}"] = 1
    return feats


def realis_features(tokens: list[Token], i: int, etype: str) -> Features:
    """Cue words around the trigger, its verb form (future س, present prefix), the type, a question."""
    tok = tokens[i]
    bare = _without_conjunction(tok)
    feats: Features = {"type": etype, "w": tok.full, "future": str(bare.startswith("س") and len(bare) > 3),
                       "present": str(bare.startswith(PRESENT_PREFIXES) and not bare.startswith("ال")),
                       "article": str(bare.startswith("ال")), "question": str(any(q in tokens[-1].trailing for q in "؟?"))}
    for stem in stems_of(tok):
        feats[f"stem={stem}"] = 1
    for t in tokens[max(0, i - CUE_BEFORE) : i]:
        feats[f"before={t.full}"] = 1
        feats[f"before={_without_conjunction(t)}"] = 1
    for t in tokens[i + 1 : i + 1 + CUE_AFTER]:
        feats[f"after={t.full}"] = 1
    return feats


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3-4" if n < 5 else "5-7" if n < 8 else "8+"


def pair_features(tokens: list[Token], i: int, etype: str, cand: Candidate, others: list[Candidate]) -> Features:
    """A candidate argument seen from its trigger: type, side, distance, preposition, kind, head."""
    before = cand.last < i
    lo, hi = (cand.last, i) if before else (i, cand.first)
    side = "before" if before else "after"
    commas = sum(("،" in t.trailing or "," in t.trailing) for t in tokens[lo:hi])
    between = sum(1 for o in others if o is not cand and lo < o.first and o.last < hi)
    first = tokens[cand.first]
    prev = _word(tokens, cand.first - 1)
    return {"type": etype, "kind": cand.kind, "type|kind": f"{etype}|{cand.kind}", "side": side, "type|side": f"{etype}|{side}",
            "type|kind|side": f"{etype}|{cand.kind}|{side}", "dist": _bucket(hi - lo), "type|dist": f"{etype}|{_bucket(hi - lo)}",
            "commas": _bucket(commas), "between": _bucket(between), "prev": prev, "type|prev": f"{etype}|{prev}",
            "c1": first.ortho[:1], "type|c1": f"{etype}|{first.ortho[:1]}", "c2": first.ortho[:2],
            "head": tokens[cand.last].full, "type|head": f"{etype}|{tokens[cand.last].full}", "words": str(min(cand.last - cand.first + 1, 4))}
