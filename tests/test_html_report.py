"""`evbench report`: the HTML error-analysis report, parsed with html.parser and opened in headless Chromium.

The synthetic corpus has every hard case at once: two gold events on one word (one found, one
missed), a type confusion, a prediction whose span crosses a gold trigger, a prediction in
chrome (ignored), a cluster merge and a split, and `<script>` in the system name, a cluster id,
an event id, the document text and a predicted span.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.html_report import SCRIPT, render
from benchmark.input.corpus import default_gold_dir, load_corpus
from benchmark.report_data import ClusterGroup, ClusterMention, ClusterView, build_report
from benchmark.scoring import ScoreSettings, score_submission

from conftest import make_corpus, span_json, write_json

VISIT, MEET, BROADCAST, ATTACK, TRANSFER = ("Movement.Transport-Person", "Contact.Meet", "Contact.Broadcast", "Conflict.Attack",
                                            "Transaction.Transfer-Ownership")
D1 = "وصل لافروف إلى وونسان ثم التقى نظيرته تشوي. وقدمت كوريا أسلحة وقوات. <b>وسم</b> شارك المقال <script>alert(1)</script>"
D2 = "أعلنت الوزارة الزيارة. وصل الوفد إلى بيونغ يانغ واجتمع بالمسؤولين."
CHROME_D1 = (D1.index("شارك"), len(D1))
INJECT = "<script>document.body.setAttribute('data-pwned','1')</script>"
SYSTEM = f"evil</title>{INJECT}"
EVIL_CLUSTER = f"<script>alert('cluster')</script>{INJECT}"
EVIL_ID = "<img src=x onerror=alert(1)>"
MIXED_CLUSTER = "visit-2 زيارة 7"  # Latin, Arabic and digits: unisolated, the parts render out of order


def arg(role: str, text: str, word: str, occurrence: int = 0) -> dict:
    return {"role": role, **span_json(text, word, occurrence)}


def event(id: str, type: str, text: str, word: str, *, cluster: str | None = None, args: tuple = (), occurrence: int = 0,
          realis: str = "actual") -> dict:
    e = {"id": id, "type": type, "realis": realis, "trigger": span_json(text, word, occurrence), "arguments": list(args)}
    if cluster is not None:
        e["cluster"] = cluster
    return e


def gold() -> list[dict]:
    return [
        {"doc_id": "d1", "events": [
            event("e1", VISIT, D1, "وصل", cluster="visit", args=(arg("Person", D1, "لافروف"), arg("Destination", D1, "وونسان"))),
            event("e2", MEET, D1, "التقى", cluster="talks", args=(arg("Participant", D1, "لافروف"), arg("Participant", D1, "تشوي"))),
            # Two events on one word: sending troops and supplying arms.
            event("e3", VISIT, D1, "وقدمت", cluster="troops", args=(arg("Person", D1, "وقوات"),)),
            event("e4", TRANSFER, D1, "وقدمت", cluster="arms", args=(arg("Thing", D1, "أسلحة"),)),
        ]},
        {"doc_id": "d2", "events": [
            event("e1", BROADCAST, D2, "أعلنت", cluster="statement", args=(arg("Entity", D2, "الوزارة"),)),
            event("e2", VISIT, D2, "وصل", cluster="visit", args=(arg("Person", D2, "الوفد"),)),
            event("e3", MEET, D2, "واجتمع", cluster="talks-2"),
        ]},
    ]


def crossing(text: str, word: str, left: int, right: int) -> dict:
    """A span shifted against `word`: `left` characters later and `right` characters further."""
    s = span_json(text, word)
    start, end = s["start"] + left, s["end"] + right
    return {"start": start, "end": end, "text": text[start:end]}


def prediction() -> dict:
    d1 = [
        event("p1", VISIT, D1, "وصل", cluster=EVIL_CLUSTER, args=(arg("Person", D1, "لافروف"), arg("Destination", D1, "إلى"))),
        event("p2", MEET, D1, "التقى", cluster=EVIL_CLUSTER),                    # merges gold 'visit' and 'talks'
        event("p3", VISIT, D1, "وقدمت", cluster="troops", realis="other"),       # tp with e3, realis wrong; e4 stays a plain miss
        event(EVIL_ID, ATTACK, D1, "أسلحة"),                                     # fp
        {"id": "p5", "type": BROADCAST, "trigger": span_json(D1, "<b>وسم"), "arguments": []},  # fp with markup in its text
        event("p6", BROADCAST, D1, "شارك"),                                      # in chrome: ignored
    ]
    d2 = [
        event("q1", MEET, D2, "أعلنت", cluster="statement"),                     # type confusion: fp + fn
        event("q2", VISIT, D2, "وصل", cluster=MIXED_CLUSTER),                    # splits gold 'visit'
        {"id": "q3", "type": MEET, "trigger": crossing(D2, "واجتمع", 2, 4), "arguments": []},  # crosses e3: fp + fn
    ]
    return {"system": SYSTEM, "documents": [{"doc_id": "d1", "events": d1}, {"doc_id": "d2", "events": d2}]}


def with_entities(doc: dict) -> dict:
    """A gold document needs entities: one entity per distinct argument span (type PER for the test)."""
    entities: dict[tuple[int, int], dict] = {}
    for e in doc["events"]:
        for a in e["arguments"]:
            key = (a["start"], a["end"])
            entity = entities.setdefault(key, {"id": f"n{len(entities)}", "type": "PER",
                                               "mentions": [{k: a[k] for k in ("start", "end", "text")}]})
            a["entity"] = entity["id"]
    return {**doc, "entities": list(entities.values())}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = make_corpus(tmp_path, {"d1": D1, "d2": D2}, chrome={"d1": CHROME_D1})
    for doc in gold():
        write_json(root / "annotations" / f"{doc['doc_id']}.json", with_entities(doc))
    return root


@pytest.fixture
def pred(tmp_path: Path) -> Path:
    return write_json(tmp_path / "pred.json", prediction())


def make_report(capsys, pred: Path, corpus: Path, out: Path, *extra: str) -> str:
    code = main(["report", str(pred), "--gold", str(corpus), "-o", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 0, err
    return out.read_text(encoding="utf-8")


def score_json(capsys, pred: Path, corpus: Path | None, *extra: str) -> dict:
    # --by doc: the report shows every document, so its embedded result has the per-document breakdowns.
    args = ["score", str(pred), "--format", "json", "--by", "doc", *extra] + (["--gold", str(corpus)] if corpus else [])
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


# --- a small DOM built with html.parser --------------------------------------------------------

VOID = {"meta", "br", "img", "input", "link", "hr", "col", "wbr", "source", "area", "base", "embed", "track", "param",
        "line", "rect"}  # svg <line/> and <rect/> are self-closed


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class TreeBuilder(HTMLParser):
    """Builds a tree and fails on any end tag that does not close the innermost open element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.open = self.root
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.open)
        self.open.children.append(node)
        if tag not in VOID:
            self.open = node

    def handle_startendtag(self, tag, attrs):
        self.open.children.append(Node(tag, dict(attrs), self.open))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.open.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.open.tag}>")
            return
        self.open = self.open.parent

    def handle_data(self, data):
        self.open.children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.errors == [], builder.errors[:5]
    assert builder.open is builder.root, f"unclosed <{builder.open.tag}>"
    return builder.root


def marks(root: Node) -> list[Node]:
    return [n for n in root.iter() if n.tag == "mark" and "data-kind" in n.attrs and "sample" not in n.classes()]


def kind_counts(nodes: list[Node]) -> dict[str, int]:
    return {k: sum(1 for n in nodes if n.attrs["data-kind"] == k) for k in ("tp", "fp", "fn")}


def doc_container(root: Node, doc_id: str) -> Node:
    section = next(n for n in root.iter() if n.tag == "section" and n.attrs.get("data-doc") == doc_id)
    return next(n for n in section.iter() if "doc-text" in n.classes())


def pieces(container: Node) -> dict[str, list[tuple[int, int]]]:
    """Offsets covered by each mark (head and continuation pieces), by walking the container's text."""
    covered: dict[str, list[tuple[int, int]]] = {}
    position = 0

    def walk(node: Node) -> None:
        nonlocal position
        start = position
        for c in node.children:
            if isinstance(c, str):
                position += len(c)
            else:
                walk(c)
        if node.tag == "mark":
            key = node.attrs.get("id") or node.attrs["data-of"]
            covered.setdefault(key, []).append((start, position))

    walk(container)
    return covered


# --- the report against the scorer ---------------------------------------------------------------


def test_marks_count_the_scorers_tri_c_outcomes(tmp_path, corpus, pred, capsys):
    page = make_report(capsys, pred, corpus, tmp_path / "report.html")
    result = score_json(capsys, pred, corpus)
    tri_c = result["metrics"]["tri_c"]
    # By hand: tp p1, p2, p3, q2; fp p4 (attack), p5 (<b>), q1 (confusion), q3 (crossing); fn e4, d2 e1, d2 e3.
    assert (tri_c["tp"], tri_c["fp"], tri_c["fn"]) == (4, 4, 3)
    assert kind_counts(marks(parse(page))) == {"tp": 4, "fp": 4, "fn": 3}
    assert result["ignored_in_chrome"] == 1


def test_per_document_counts_and_every_mark_covers_exactly_its_span(tmp_path, corpus, pred, capsys):
    page = make_report(capsys, pred, corpus, tmp_path / "report.html")
    root = parse(page)
    result = score_json(capsys, pred, corpus)
    for doc_id, text in (("d1", D1), ("d2", D2)):
        container = doc_container(root, doc_id)
        assert container.attrs["dir"] == "rtl" and container.attrs["lang"] == "ar"
        assert container.text() == text  # the text is whole, in order, with nothing inserted
        found = [n for n in container.iter() if n.tag == "mark" and "data-kind" in n.attrs]
        breakdown = result["breakdowns"]["doc"][doc_id]["tri_c"]
        assert kind_counts(found) == {k: breakdown[k] for k in ("tp", "fp", "fn")}
        covered = pieces(container)
        for mark in found:
            spans = sorted(covered[mark.attrs["id"]])
            assert spans[0][0] == int(mark.attrs["data-start"]) and spans[-1][1] == int(mark.attrs["data-end"])
            assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False)), "pieces of one mark are contiguous"


def test_two_events_on_one_word_stack_and_a_crossing_span_is_split(tmp_path, corpus, pred, capsys):
    root = parse(make_report(capsys, pred, corpus, tmp_path / "report.html"))
    d1, d2 = doc_container(root, "d1"), doc_container(root, "d2")
    word = span_json(D1, "وقدمت")
    on_word = [m for m in marks(d1) if (int(m.attrs["data-start"]), int(m.attrs["data-end"])) == (word["start"], word["end"])]
    assert sorted(m.attrs["data-kind"] for m in on_word) == ["fn", "tp"]
    outer, inner = sorted(on_word, key=lambda m: m.attrs.get("style", ""), reverse=True)
    assert inner.parent is outer and outer.attrs["style"] == "--h:1"  # nested, the outer underline below the inner one
    # The missed arms transfer shares the word with a found event: a miss, not a type confusion.
    assert not any("confusion" in m.classes() for m in on_word)
    # q3 crosses gold e3: both are drawn, one of them in two pieces.
    gold_e3, shifted = span_json(D2, "واجتمع"), crossing(D2, "واجتمع", 2, 4)
    d2_marks = {(int(m.attrs["data-start"]), int(m.attrs["data-end"])): m for m in marks(d2)}
    assert d2_marks[(gold_e3["start"], gold_e3["end"])].attrs["data-kind"] == "fn"
    assert d2_marks[(shifted["start"], shifted["end"])].attrs["data-kind"] == "fp"
    assert any(n.tag == "mark" and "cont" in n.classes() for n in d2.iter())


def test_type_confusion_is_one_fp_and_one_fn_both_flagged(tmp_path, corpus, pred, capsys):
    root = parse(make_report(capsys, pred, corpus, tmp_path / "report.html"))
    confused = [m for m in marks(root) if "confusion" in m.classes()]
    word = span_json(D2, "أعلنت")
    assert sorted(m.attrs["data-kind"] for m in confused) == ["fn", "fp"]
    assert all((int(m.attrs["data-start"]), int(m.attrs["data-end"])) == (word["start"], word["end"]) for m in confused)
    tips = {n.attrs["id"]: n.text() for n in root.iter() if "tip" in n.classes()}
    fp = next(m for m in confused if m.attrs["data-kind"] == "fp")
    assert f"the reference event on this span is {BROADCAST}" in tips[fp.attrs["aria-describedby"]]


def test_summary_numbers_are_the_scorers(tmp_path, corpus, pred, capsys):
    page = make_report(capsys, pred, corpus, tmp_path / "report.html")
    result = score_json(capsys, pred, corpus)
    root = parse(page)
    embedded = next(n for n in root.iter() if n.tag == "script" and n.attrs.get("id") == "evbench-result")
    assert json.loads(embedded.text()) == result
    rows = {n.attrs["data-metric"]: [c.text() for c in n.children if isinstance(c, Node)] for n in root.iter()
            if n.tag == "tr" and "data-metric" in n.attrs and n.parent.parent.attrs.get("class") == "metrics"}
    tri_c = result["metrics"]["tri_c"]
    assert rows["tri_c"][1:7] == [f"{100 * tri_c[k]:.1f}" for k in ("precision", "recall", "f1")] + [str(tri_c[k]) for k in ("tp", "fp", "fn")]
    bars = {n.attrs["data-type"]: float(n.attrs["data-f1"]) for n in root.iter() if n.tag == "g" and "data-f1" in n.attrs}
    assert bars == {t: m["tri_c"]["f1"] for t, m in result["breakdowns"]["type"].items()}
    heat = {(n.attrs["data-ref"], n.attrs["data-pred"]): int(n.text()) for n in root.iter() if n.tag == "td" and "data-ref" in n.attrs}
    assert heat == {(r, p): n for r, cells in result["confusion"].items() for p, n in cells.items()}
    assert heat[(BROADCAST, MEET)] == 1


def test_coreference_columns_are_precision_recall_f1_like_the_metrics_table(tmp_path, corpus, pred, capsys):
    root = parse(make_report(capsys, pred, corpus, tmp_path / "report.html"))
    result = score_json(capsys, pred, corpus)
    tables = {("coref" if "coref" in n.classes() else "metrics"): n for n in root.iter() if n.tag == "table" and "metrics" in n.classes()}
    main_head = [th.text() for th in tables["metrics"].iter() if th.tag == "th" and th.parent.parent.tag == "thead"]
    coref_head = [th.text() for th in tables["coref"].iter() if th.tag == "th" and th.text() in ("P", "R", "F1")]
    assert main_head[1:4] == ["P", "R", "F1"] and coref_head == ["P", "R", "F1"] * 2
    muc = next(n for n in tables["coref"].iter() if n.tag == "tr" and n.attrs.get("data-metric") == "muc")
    cells = [td.text() for td in muc.iter() if td.tag == "td"]
    expected = result["metrics"]["coref_within.muc"]
    assert cells[:3] == [f"{100 * expected[k]:.1f}" for k in ("precision", "recall", "f1")]


def test_submission_and_document_text_are_escaped(tmp_path, corpus, pred, capsys):
    page = make_report(capsys, pred, corpus, tmp_path / "report.html")
    root = parse(page)
    scripts = [n for n in root.iter() if n.tag == "script"]
    assert [s.attrs.get("type") for s in scripts] == ["application/json", None]
    assert scripts[1].text() == SCRIPT
    for raw in ("<script>alert", INJECT, "<b>وسم", "<img", "</title>" + INJECT):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;وسم" in page
    assert not any(k.startswith("on") for n in root.iter() for k in n.attrs)
    assert not any(n.tag in {"img", "iframe", "object"} for n in root.iter())
    assert not any(n.tag == "b" and "وسم" in n.text() for n in root.iter())
    # The text survives as text: visible in the title, the cluster view, the tooltips and the document.
    assert next(n for n in root.iter() if n.tag == "title").text() == f"evbench report: {SYSTEM}"
    assert any(n.attrs.get("data-cluster") == EVIL_CLUSTER for n in root.iter())
    assert EVIL_ID in "".join(n.text() for n in root.iter() if "tip" in n.classes())
    assert "<script>alert(1)</script>" in doc_container(root, "d1").text()
    assert any(m.text() == "<b>وسم" for m in marks(root))


def test_self_contained_no_network_references(tmp_path, corpus, pred, capsys):
    page = make_report(capsys, pred, corpus, tmp_path / "report.html")
    root = parse(page)
    assert "http://" not in page and "https://" not in page
    for node in root.iter():
        for name in ("src", "href", "srcset", "poster", "data", "action", "xlink:href"):
            value = node.attrs.get(name)
            assert value is None or value.startswith("#"), (node.tag, name, value)
        assert node.tag not in {"link", "img", "iframe", "object", "embed", "video", "audio"}
    assert not re.search(r"url\(|@import|@font-face", page)


def test_chrome_segments_are_grey_and_carry_no_marks(tmp_path, corpus, pred, capsys):
    page = make_report(capsys, pred, corpus, tmp_path / "report.html")
    root = parse(page)
    chrome = [n for n in root.iter() if n.attrs.get("data-segment") == "chrome"]
    assert len(chrome) == 1 and "chrome" in chrome[0].classes()
    assert chrome[0].text() == D1[CHROME_D1[0]:]
    assert not any(n.tag == "mark" for n in chrome[0].iter())
    assert re.search(r"\.seg\.chrome \{ color: #767676", page)
    assert all("chrome" not in n.classes() for n in root.iter() if n.attrs.get("data-segment") == "article")


def test_tooltips_describe_type_realis_arguments_and_cluster(tmp_path, corpus, pred, capsys):
    root = parse(make_report(capsys, pred, corpus, tmp_path / "report.html"))
    first = next(m for m in marks(doc_container(root, "d1")) if m.attrs["data-start"] == "0")
    assert first.attrs["tabindex"] == "0" and first.attrs["data-kind"] == "tp"
    tip_node = next(n for n in root.iter() if n.attrs.get("id") == first.attrs["aria-describedby"])
    tip = tip_node.text()
    assert VISIT in tip and "realis actual" in tip and "cluster visit" in tip and f"cluster {EVIL_CLUSTER}" in tip
    # The argument view: reference and prediction side by side, role by role, each row with its category.
    # arg_c+: Person matched; Destination predicted on the wrong span: one missed, one spurious.
    rows = [(r.attrs["data-role"], r.attrs["data-category"], [c.text() for c in r.children if isinstance(c, Node) and c.tag == "td"])
            for r in tip_node.iter() if r.tag == "tr" and "data-role" in r.attrs]
    assert [(role, category) for role, category, _ in rows] == [("Destination", "missed"), ("Destination", "spurious"), ("Person", "matched")]
    (_, _, missed), (_, _, spurious), (_, _, matched) = rows
    assert "وونسان" in missed[0] and missed[1] == "—"
    assert spurious[0] == "—" and "إلى" in spurious[1]
    assert "لافروف" in matched[0] and "لافروف" in matched[1]
    # Hovering highlights the arguments: every token the mark names is carried by argument spans in the text.
    tokens = first.attrs["data-ev"].split()
    assert len(tokens) == 2
    args = [n for n in doc_container(root, "d1").iter() if "arg" in n.classes()]
    for token in tokens:
        assert any(token in n.attrs["data-arg"].split() for n in args)


def test_cluster_view_shows_merge_split_and_missed(tmp_path, corpus, pred, capsys):
    root = parse(make_report(capsys, pred, corpus, tmp_path / "report.html"))
    groups = [n for n in root.iter() if n.tag == "tr" and "group" in n.classes()]
    kinds = [g.attrs["data-kind"] for g in groups]
    assert kinds[0] == "merge+split"
    merged = next(n for n in groups[0].iter() if n.attrs.get("data-cluster") == EVIL_CLUSTER)
    assert "merges 2" in merged.text() and "talks" in merged.text() and "visit" in merged.text()
    split = next(n for n in groups[0].iter() if n.attrs.get("data-cluster") == "visit" and n.attrs["data-side"] == "ref")
    assert "split into 2" in split.text() and "visit-2" in split.text()
    assert {"missed", "exact"} <= set(kinds)
    # Mentions link to their marks in the text.
    ids = {m.attrs["id"] for m in marks(root)}
    links = [n.attrs["href"][1:] for g in groups for n in g.iter() if n.tag == "a" and "chip" in n.classes()]
    assert links and set(links) <= ids


def test_cluster_group_kinds():
    def view(side: str, id: str, n: int, links: tuple) -> ClusterView:
        return ClusterView(side, id, tuple(ClusterMention("d", f"{id}{i}", "x", "T", None, None) for i in range(n)), links)

    assert ClusterGroup((view("ref", "a", 2, (("p", 2),)),), (view("pred", "p", 2, (("a", 2),)),)).kind == "exact"
    assert ClusterGroup((view("ref", "a", 3, (("p", 2),)),), (view("pred", "p", 2, (("a", 2),)),)).kind == "partial"
    assert ClusterGroup((view("ref", "a", 1, (("p", 1),)), view("ref", "b", 1, (("p", 1),))),
                        (view("pred", "p", 2, (("a", 1), ("b", 1))),)).kind == "merge"
    assert ClusterGroup((view("ref", "a", 2, (("p", 1), ("q", 1))),),
                        (view("pred", "p", 1, (("a", 1),)), view("pred", "q", 1, (("a", 1),)))).kind == "split"
    assert ClusterGroup((view("ref", "a", 1, ()),), ()).kind == "missed"
    assert ClusterGroup((), (view("pred", "p", 1, ()),)).kind == "spurious"


def test_report_does_not_depend_on_input_order(tmp_path, corpus, capsys):
    data = prediction()
    first = make_report(capsys, write_json(tmp_path / "a.json", data), corpus, tmp_path / "a.html")
    rng = random.Random(7)
    data["documents"].reverse()
    for doc in data["documents"]:
        rng.shuffle(doc["events"])
    second = make_report(capsys, write_json(tmp_path / "b.json", data), corpus, tmp_path / "b.html")
    strip = re.compile(r'"(source|checksum)": "[^"]*"|<dd>[^<]*\.json')  # the file name differs, nothing else
    assert strip.sub("", first) == strip.sub("", second)


def test_match_mode_and_invalid_input(tmp_path, corpus, pred, capsys):
    page = make_report(capsys, pred, corpus, tmp_path / "overlap.html", "--match", "overlap")
    result = score_json(capsys, pred, corpus, "--match", "overlap")
    tri_c = result["metrics"]["tri_c"]
    assert kind_counts(marks(parse(page))) == {k: tri_c[k] for k in ("tp", "fp", "fn")}
    bad = prediction()
    bad["documents"][0]["events"][0]["type"] = "Movement.Teleport"
    out = tmp_path / "bad.html"
    code = main(["report", str(write_json(tmp_path / "bad.json", bad)), "--gold", str(corpus), "-o", str(out)])
    assert code == 2 and "Movement.Teleport" in capsys.readouterr().err and not out.exists()


def test_text_mode_predictions_without_offsets_are_still_counted(tmp_path, corpus, capsys):
    data = {"system": "offset-free", "documents": [{"doc_id": "d1", "events": [
        {"id": "t1", "type": VISIT, "trigger": {"text": "وصل"}, "arguments": []},      # tp, drawn on the gold span
        {"id": "t2", "type": ATTACK, "trigger": {"text": "أسلحة"}, "arguments": []},   # fp, located: the word occurs once
        {"id": "t3", "type": ATTACK, "trigger": {"text": "صواريخ"}, "arguments": []},  # fp, not in the text: unplaced
    ]}]}
    pred = write_json(tmp_path / "text.json", data)
    root = parse(make_report(capsys, pred, corpus, tmp_path / "text.html", "--match", "text"))
    tri_c = score_json(capsys, pred, corpus, "--match", "text")["metrics"]["tri_c"]
    assert kind_counts(marks(root)) == {k: tri_c[k] for k in ("tp", "fp", "fn")} == {"tp": 1, "fp": 2, "fn": 6}
    unplaced = next(n for n in root.iter() if "unplaced" in n.classes())
    assert [m.attrs["data-kind"] for m in marks(unplaced)] == ["fp"] and marks(unplaced)[0].text() == "صواريخ"


def test_bundled_second_annotation_report(tmp_path, capsys):
    """The inter-annotator file against the bundled gold: marks equal the scorer's tri_c counts."""
    second = default_gold_dir() / "agreement" / "second-annotation.json"
    page = make_report(capsys, second, default_gold_dir(), tmp_path / "second.html")
    result = score_json(capsys, second, None)
    tri_c = result["metrics"]["tri_c"]
    root = parse(page)
    assert kind_counts(marks(root)) == {k: tri_c[k] for k in ("tp", "fp", "fn")}
    corpus = load_corpus()
    for doc_id in result["breakdowns"]["doc"]:
        assert doc_container(root, doc_id).text() == corpus.documents[doc_id].text


def test_render_is_a_pure_function_of_the_report(tmp_path, corpus, pred):
    loaded = load_corpus(corpus)
    run = score_submission(pred, None, loaded, ScoreSettings())
    report = build_report(run, loaded)
    assert render(report) == render(build_report(run, loaded))
    assert kind_counts(marks(parse(render(report)))) == {k: sum(1 for m in report.marks if m.kind == k) for k in ("tp", "fp", "fn")}


# --- the errors ------------------------------------------------------------------------------------


def error_rows(root: Node) -> list[Node]:
    return [n for n in root.iter() if n.tag == "tr" and "err" in n.classes()]


def category_links(root: Node) -> dict[tuple[str, str], Node]:
    return {(n.attrs["data-family"], n.attrs["data-category"]): n for n in root.iter() if n.tag == "a" and "catlink" in n.classes()}


def assert_errors_match(root: Node, result: dict) -> None:
    """The category summary shows the JSON `errors`; the error list has one row per trigger / argument error."""
    links = category_links(root)
    assert {key: int(n.attrs["data-count"]) for key, n in links.items()} == {
        (family, c): n for family, table in result["errors"].items() for c, n in table.items()}
    assert all(n.attrs["href"].startswith("#") for n in links.values())
    rows: dict[str, int] = {}
    for r in error_rows(root):
        rows[r.attrs["data-cat"]] = rows.get(r.attrs["data-cat"], 0) + 1
    expected = {f"{family}.{c}": n for family in ("trigger", "argument") for c, n in result["errors"][family].items() if n}
    assert rows == expected


def test_category_summary_and_error_rows_equal_the_json(tmp_path, corpus, pred, capsys):
    root = parse(make_report(capsys, pred, corpus, tmp_path / "report.html"))
    result = score_json(capsys, pred, corpus)
    assert result["errors"]["trigger"]["boundary"] == 1 and result["errors"]["trigger"]["type"] == 1
    assert result["errors"]["trigger"]["realis"] == 1
    assert_errors_match(root, result)
    links = category_links(root)
    assert links["trigger", "boundary"].attrs["href"] == "#errors?cat=trigger.boundary"
    assert links["coref", "split"].attrs["href"] == "#clusters"


def test_bundled_second_annotation_errors_equal_the_json(tmp_path, capsys):
    second = default_gold_dir() / "agreement" / "second-annotation.json"
    root = parse(make_report(capsys, second, default_gold_dir(), tmp_path / "second.html"))
    assert_errors_match(root, score_json(capsys, second, None))


def test_a_boundary_error_is_one_item_and_its_marks_point_at_each_other(tmp_path, corpus, pred, capsys):
    root = parse(make_report(capsys, pred, corpus, tmp_path / "report.html"))
    (row,) = [r for r in error_rows(root) if r.attrs["data-cat"] == "trigger.boundary"]
    cells = [c for c in row.children if isinstance(c, Node) and c.tag == "td"]
    reference, predicted = cells[2].text(), cells[3].text()
    assert "واجتمع" in reference and crossing(D2, "واجتمع", 2, 4)["text"] in predicted
    links = [n.attrs["href"][1:] for n in row.iter() if n.tag == "a" and "goto-mark" in n.classes()]
    by_id = {m.attrs["id"]: m for m in marks(root)}
    fn, fp = (by_id[k] for k in links)
    assert (fn.attrs["data-kind"], fp.attrs["data-kind"]) == ("fn", "fp")
    assert fn.attrs["data-category"] == fp.attrs["data-category"] == "boundary"
    assert fn.attrs["data-paired"] == fp.attrs["id"] and fp.attrs["data-paired"] == fn.attrs["id"]


def test_a_realis_error_is_no_check_mark(tmp_path, corpus, pred, capsys):
    root = parse(make_report(capsys, pred, corpus, tmp_path / "report.html"))
    (mark,) = [m for m in marks(root) if m.attrs.get("data-category") == "realis"]
    assert mark.attrs["data-kind"] == "tp" and "realis" in mark.classes() and mark.text() == "وقدمت"
    tip = next(n for n in root.iter() if n.attrs.get("id") == mark.attrs["aria-describedby"])
    title = tip.children[0].text()
    assert "\u2713" not in title and "realis wrong" in title
    (row,) = [r for r in error_rows(root) if r.attrs["data-cat"] == "trigger.realis"]
    assert "realis actual" in row.text() and "realis other" in row.text()


def test_documents_left_out_of_the_submission_are_marked(tmp_path, corpus, capsys):
    data = prediction()
    data["documents"] = data["documents"][:1]
    pred = write_json(tmp_path / "partial.json", data)
    root = parse(make_report(capsys, pred, corpus, tmp_path / "partial.html"))
    result = score_json(capsys, pred, corpus)
    assert result["missing_documents"] == ["d2"]
    section = next(n for n in root.iter() if n.tag == "section" and n.attrs.get("data-doc") == "d2")
    assert section.attrs.get("data-missing") == "true" and "Not in the submission" in section.text()
    assert not any(n.attrs.get("data-missing") for n in root.iter() if n.attrs.get("data-doc") == "d1")
    flagged = [r for r in error_rows(root) if "not submitted" in r.text()]
    assert flagged and {r.attrs["data-doc"] for r in flagged} == {"d2"}
    assert error_rows(root)[-len(flagged):] == flagged  # listed after the extractor's own errors
    assert any("not in the submission" in n.text() for n in root.iter() if "not-submitted" in n.classes() and n.tag == "p")
    assert_errors_match(root, result)


def test_mixed_direction_names_are_bidi_isolated(tmp_path, corpus, pred, capsys):
    root = parse(make_report(capsys, pred, corpus, tmp_path / "report.html"))
    names = [n for n in root.iter() if "cname" in n.classes()]
    assert names and all(any(c.tag == "bdi" for c in n.iter()) for n in names)
    mixed = [n for n in root.iter() if n.tag == "bdi" and n.text() == MIXED_CLUSTER]
    assert len(mixed) >= 2  # the cluster's own name and the link to it from the reference side
    assert all(n.text().count("\u2068") == 0 for n in mixed)  # isolated by the element, not by stray characters
    ids = [n for n in root.iter() if n.tag == "bdi" and n.text() == EVIL_ID]
    assert ids


# --- in a real browser ---------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def chromium() -> str | None:
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               f"--user-data-dir={profile}", "--virtual-time-budget=5000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def browser_check(binary: str, page: Path, tmp_path: Path, expected: dict, screenshot: Path) -> None:
    dom = run_chromium(binary, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    root = parse(dom.stdout)
    containers = [n for n in root.iter() if "doc-text" in n.classes()]
    assert containers and all(n.attrs.get("data-computed-direction") == "rtl" for n in containers)
    body = next(n for n in root.iter() if n.tag == "body")
    assert "data-pwned" not in body.attrs, "a submission string was executed"
    assert kind_counts(marks(root)) == expected
    shot = run_chromium(binary, tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1280,2400", page.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep_screenshot(screenshot)
    print(f"screenshot: {screenshot}")


@pytest.mark.browser
@pytest.mark.skipif(chromium() is None, reason="no Chromium/Chrome on PATH (apt-get install -y chromium; .ci/run installs it)")
def test_in_headless_chromium(tmp_path, corpus, pred, capsys):
    """RTL, counts and escaping as a browser sees them (scripts run), plus a screenshot artefact."""
    page = tmp_path / "report.html"
    make_report(capsys, pred, corpus, page)
    tri_c = score_json(capsys, pred, corpus)["metrics"]["tri_c"]
    browser_check(chromium(), page, tmp_path, {k: tri_c[k] for k in ("tp", "fp", "fn")}, tmp_path / "report.png")


@pytest.mark.browser
@pytest.mark.skipif(chromium() is None, reason="no Chromium/Chrome on PATH (apt-get install -y chromium; .ci/run installs it)")
def test_second_annotation_in_headless_chromium(tmp_path, capsys):
    """The bundled second annotation (system name made hostile) against the gold, in a browser."""
    data = json.loads((default_gold_dir() / "agreement" / "second-annotation.json").read_text(encoding="utf-8"))
    data["system"] = SYSTEM
    pred = write_json(tmp_path / "second.json", data)
    page = tmp_path / "second.html"
    make_report(capsys, pred, default_gold_dir(), page)
    tri_c = score_json(capsys, pred, None)["metrics"]["tri_c"]
    browser_check(chromium(), page, tmp_path, {k: tri_c[k] for k in ("tp", "fp", "fn")}, tmp_path / "second-annotation.png")


def visible_rows(root: Node) -> list[Node]:
    return [r for r in error_rows(root) if "hidden" not in r.attrs]


def keep_screenshot(shot: Path) -> None:
    """Copy a screenshot to $EVBENCH_SCREENSHOTS (a directory), when set, to look at it after the run."""
    import os

    target = os.environ.get("EVBENCH_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / shot.name)


@pytest.mark.browser
@pytest.mark.skipif(chromium() is None, reason="no Chromium/Chrome on PATH (apt-get install -y chromium; .ci/run installs it)")
def test_error_view_filters_and_bidi_in_headless_chromium(tmp_path, corpus, pred, capsys):
    """Counts per category equal the JSON, the filters (opened from the summary's links) hide and show rows, names stay isolated."""
    page = tmp_path / "report.html"
    make_report(capsys, pred, corpus, page)
    result = score_json(capsys, pred, corpus)
    binary = chromium()

    def dom(fragment: str = "") -> Node:
        done = run_chromium(binary, tmp_path / "profile", "--dump-dom", page.as_uri() + fragment)
        assert done.returncode == 0, done.stderr[-2000:]
        return parse(done.stdout)

    everything = dom()
    assert_errors_match(everything, result)
    total = len(error_rows(everything))
    assert len(visible_rows(everything)) == total
    count = next(n for n in everything.iter() if n.attrs.get("id") == "f-count")
    assert count.attrs["data-shown"] == str(total) and count.text() == f"{total} of {total} errors shown"
    # The bidi isolates hold as the browser computes them.
    isolates = [n for n in everything.iter() if n.tag == "bdi" and "iso" in n.classes()]
    assert any(n.text() == MIXED_CLUSTER for n in isolates)
    assert {n.attrs.get("data-computed-bidi") for n in isolates} == {"isolate"}

    # A category link's view: only that category's rows are shown, as many as the JSON counts.
    link = category_links(everything)["trigger", "boundary"].attrs["href"]
    boundary = dom(link)
    shown = visible_rows(boundary)
    assert len(shown) == result["errors"]["trigger"]["boundary"] == 1 and shown[0].attrs["data-cat"] == "trigger.boundary"
    assert len(error_rows(boundary)) - len(shown) == total - 1
    assert next(n for n in boundary.iter() if n.attrs.get("id") == "f-count").attrs["data-shown"] == "1"
    current = [n for n in boundary.iter() if n.attrs.get("aria-current") == "true"]
    assert [n.attrs["data-cat"] for n in current] == ["trigger.boundary"]

    # Document, type and search filters; a document filter also hides the other documents' text.
    by_doc = dom("#errors?doc=d2")
    assert {r.attrs["data-doc"] for r in visible_rows(by_doc)} == {"d2"}
    assert sum(1 for r in visible_rows(by_doc)) == sum(n for f in ("trigger", "argument") for n in result["errors_by"]["doc"]["d2"][f].values())
    sections = {n.attrs["data-doc"]: "hidden" in n.attrs for n in by_doc.iter() if n.tag == "section" and "data-doc" in n.attrs}
    assert sections == {"d1": True, "d2": False}
    by_type = dom(f"#errors?type={MEET}")
    assert visible_rows(by_type) and {r.attrs["data-type"] for r in visible_rows(by_type)} == {MEET}
    searched = dom("#errors?q=" + "أسلحة")
    assert visible_rows(searched) and all("أسلحة" in r.text() for r in visible_rows(searched))
    assert len(visible_rows(searched)) < total

    for name, fragment in (("report-errors.png", ""), ("report-filtered-boundary.png", link)):
        shot = tmp_path / name
        done = run_chromium(binary, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri() + fragment)
        assert done.returncode == 0, done.stderr[-2000:]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        keep_screenshot(shot)
        print(f"screenshot: {shot}")
