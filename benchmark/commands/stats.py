"""`evbench stats`: corpus and gold statistics as tables (the data card's numbers)."""

from __future__ import annotations

import argparse
import json


def add_parser(sub) -> None:
    from benchmark.cli import add_corpus_option

    p = sub.add_parser("stats", help="print corpus and gold statistics")
    p.add_argument("--format", choices=["plain", "github", "json"], default="plain")
    p.add_argument("--update-card", action="store_true", help="rewrite the counts block of <corpus>/README.md with the github tables")
    add_corpus_option(p)
    p.set_defaults(run=run)


def render_stats(stats, fmt: str) -> str:
    """The statistics as tabulate tables (`simple` for terminals, `pipe` for markdown)."""
    from tabulate import tabulate

    tablefmt = "pipe" if fmt == "github" else "simple"
    docs = stats.documents
    columns = list(docs[0]) if docs else []
    total = ["total", *(sum(d[k] for d in docs) for k in columns[1:])]
    summary = [
        ["event mentions", stats.events],
        ["arguments", stats.arguments],
        ["entities", stats.entities],
        ["clusters (real-world events)", stats.clusters],
        ["clusters spanning several documents", stats.cross_document_clusters],
        ["singleton clusters", stats.singleton_clusters],
    ]
    tables = [
        tabulate([list(d.values()) for d in docs] + [total], headers=columns, tablefmt=tablefmt),
        tabulate(summary, headers=["summary", "count"], tablefmt=tablefmt),
        tabulate(sorted(stats.by_type.items()), headers=["event type", "mentions"], tablefmt=tablefmt),
        tabulate(sorted(stats.by_realis.items()), headers=["realis", "mentions"], tablefmt=tablefmt),
        tabulate(sorted(stats.by_role.items()), headers=["role", "arguments"], tablefmt=tablefmt),
        tabulate(stats.largest_clusters, headers=["largest clusters", "mentions", "documents"], tablefmt=tablefmt),
    ]
    return "\n\n".join(tables) + "\n"


def run(args: argparse.Namespace) -> int:
    from benchmark.datacard import update_card
    from benchmark.input.corpus import load_corpus
    from benchmark.input.submission import load_gold
    from benchmark.statistics import compute_statistics

    corpus = load_corpus(args.gold)
    stats = compute_statistics(corpus, load_gold(corpus))
    if args.update_card:
        changed = update_card(corpus.root / "README.md", render_stats(stats, "github"))
        print(f"{corpus.root / 'README.md'}: {'updated' if changed else 'already current'}")
        return 0
    if args.format == "json":
        print(json.dumps(stats.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(render_stats(stats, args.format), end="")
    return 0
