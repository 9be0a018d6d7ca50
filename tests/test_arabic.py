"""Arabic normalisation and clitic stripping, pinned on words taken from gold/documents/."""

from __future__ import annotations

import pytest

from scorers.arabic import ENCLITICS, MIN_STEM, PROCLITICS, equivalent, identical, normalize, stems, tokens

from conftest import BUNDLED

DOCUMENT_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted((BUNDLED / "documents").glob("*.txt")))

# (span as annotated, the same word with other clitics); every word below occurs in the documents.
CLITIC_VARIANTS = [
    ("ووصل", "وصل"),  # conjunction و
    ("بإرسالها", "إرسال"),  # preposition ب + enclitic ها, and alef with hamza
    ("لتوقيع", "توقيع"),  # preposition ل
    ("الزيارة", "زيارة"),  # article
    ("للزعيمين", "الزعيمين"),  # ل + article = لل
    ("بالعملية", "العملية"),  # ب + article
    ("اللقاء", "لقاء"),
    ("لقائهما", "لقاء"),  # ل + enclitic هما; the hamza takes a seat before the suffix
    ("قمّتهما", "قمة"),  # shadda, enclitic هما, ta marbuta written ت before the suffix
    ("حربها", "الحرب"),
    ("اجتماعهما", "اجتماع"),
    ("وقُتل", "قتل"),  # damma dropped
    ("استُقبل", "استقبل"),
    ("سيزور", "يزور"),  # future particle س
    ("ويزور", "يزور"),
    ("سترسل", "ترسل"),
    ("لمساعدة", "مساعدة"),
    ("بمقتل", "مقتل"),
    ("ووقع", "وقع"),
    ("لبيونغ يانغ", "بيونغ يانغ"),  # a greedy stripper would also cut ب off بيونغ
    ("بكوريا الشمالية", "كوريا الشمالية"),
]

# Words that must stay apart: short stems are never stripped, different words never merge.
DIFFERENT = [
    ("وصل", "صل"),  # و is part of the root: 2 letters would be left
    ("وقع", "قع"),
    ("زيارة", "زيارات"),  # singular vs plural is not a clitic
    ("زيارة", "اجتماع"),
    ("قوات كورية شمالية", "قوات"),  # different extent
    ("قتل", "مقتل"),
]


@pytest.mark.parametrize(("annotated", "variant"), CLITIC_VARIANTS)
def test_clitic_variants_from_the_documents_are_equivalent(annotated: str, variant: str):
    assert annotated in DOCUMENT_TEXT and variant in DOCUMENT_TEXT
    assert equivalent(annotated, variant)
    assert equivalent(variant, annotated)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_words_are_not_equivalent(a: str, b: str):
    assert not equivalent(a, b)


def test_constructed_variants_not_in_the_documents():
    assert equivalent("وموسكو", "موسكو")
    assert equivalent("زيارتها", "زيارة")  # ta marbuta in construct state
    assert not equivalent("بيت", "يت")


def test_orthographic_normalisation():
    assert normalize("أإآٱ") == "اااا"  # alef forms
    assert normalize("إلى") == "الي"  # alef maqsura -> ya (pyarabic would give الا)
    assert normalize("زيارة") == "زياره"  # ta marbuta -> ha
    assert normalize("عزّزت") == "عززت"  # shadda
    assert normalize("توغلاً") == "توغلا"  # tanwin
    assert normalize("بـزيارة") == "بزياره"  # tatweel
    assert normalize("هذا\u0670") == "هذا"  # dagger alef
    assert normalize("\u200fزيارة\u2069") == "زياره"  # direction marks and isolates


def test_identical_is_orthography_only():
    assert identical("قمّة", "قمة")
    assert not identical("الزيارة", "زيارة")


def test_tokens_drop_outer_punctuation():
    assert tokens("«زيارة»،") == ("زيارة",)
    assert tokens("  ") == ()
    assert not equivalent("،", "،")  # nothing left to compare


def test_proclitic_table_has_the_listed_combinations():
    for combination in ("و", "ف", "ب", "ل", "ك", "س", "ال", "وال", "بال", "لل", "فال", "وب", "ول", "ولل", "وبال"):
        assert combination in PROCLITICS
    assert "سال" not in PROCLITICS  # the future particle takes no article
    assert "لال" not in PROCLITICS  # ل + ال is written لل


def test_stems_keep_at_least_min_stem_letters():
    for word in ("وصل", "وقع", "على", "بين", "لكم"):
        assert all(len(s) >= MIN_STEM for s in stems(normalize(word)) if s != normalize(word))
    assert stems("وصل") == {"وصل"}
    assert {"ه", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ي"} <= ENCLITICS
