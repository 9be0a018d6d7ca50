"""`evbench stats`: corpus and gold statistics as tables (the data card's numbers)."""

from __future__ import annotations

import argparse
import json


def add_parser(sub) -> None:
    from benchmark.cli import add_corpus_option

    p = sub.add_parser("stats", help="print corpus and gold statistics")
    p.add_argument("--format", choices=["plain", "github", "json"], default="plain")
    add_corpus_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from benchmark.corpus import load_corpus
    from benchmark.statistics import compute_statistics
    from benchmark.submission import load_gold

    corpus = load_corpus(args.gold)
    stats = compute_statistics(corpus, load_gold(corpus))
    if args.format == "json":
        print(json.dumps(stats.to_dict(), ensure_ascii=False, indent=1))
        return 0
    fmt = "pipe" if args.format == "github" else "simple"
    print(tabulate([list(d.values()) for d in stats.documents] + [["total", *(sum(d[k] for d in stats.documents) for k in list(stats.documents[0])[1:])]],
                   headers=list(stats.documents[0]), tablefmt=fmt))
    print()
    print(tabulate(sorted(stats.by_type.items()), headers=["event type", "mentions"], tablefmt=fmt))
    print()
    print(tabulate(sorted(stats.by_realis.items()), headers=["realis", "mentions"], tablefmt=fmt))
    print()
    print(tabulate(sorted(stats.by_role.items()), headers=["role", "arguments"], tablefmt=fmt))
    print()
    print(tabulate(
        [["event mentions", stats.events], ["arguments", stats.arguments], ["entities", stats.entities], ["clusters (real-world events)", stats.clusters],
         ["clusters spanning several documents", stats.cross_document_clusters], ["singleton clusters", stats.singleton_clusters]],
        headers=["summary", "count"], tablefmt=fmt))
    print()
    print(tabulate(stats.largest_clusters, headers=["largest clusters", "mentions", "documents"], tablefmt=fmt))
    return 0
