"""Corpus and annotation statistics: the numbers in the data card and `evbench stats`.

Counts only, computed from the loaded records so no number in the documentation is typed by
hand.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from benchmark.input.corpus import Corpus
from scorers.model import Annotation


@dataclass
class CorpusStatistics:
    documents: list[dict] = field(default_factory=list)
    by_type: Counter = field(default_factory=Counter)
    by_realis: Counter = field(default_factory=Counter)
    by_role: Counter = field(default_factory=Counter)
    events: int = 0
    arguments: int = 0
    entities: int = 0
    clusters: int = 0
    cross_document_clusters: int = 0
    singleton_clusters: int = 0
    largest_clusters: list[tuple[str, int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "events": self.events,
            "arguments": self.arguments,
            "entities": self.entities,
            "clusters": self.clusters,
            "cross_document_clusters": self.cross_document_clusters,
            "singleton_clusters": self.singleton_clusters,
            "by_type": dict(sorted(self.by_type.items())),
            "by_realis": dict(sorted(self.by_realis.items())),
            "by_role": dict(sorted(self.by_role.items())),
            "largest_clusters": [{"cluster": c, "mentions": m, "documents": d} for c, m, d in self.largest_clusters],
        }


def compute_statistics(corpus: Corpus, annotation: Annotation | None) -> CorpusStatistics:
    stats = CorpusStatistics()
    cluster_docs: dict[str, set[str]] = defaultdict(set)
    cluster_size: Counter = Counter()
    for doc_id in sorted(corpus.documents):
        doc = corpus.documents[doc_id]
        scored = sum(s.end - s.start for s in doc.segments if s.scored)
        ann = annotation.documents.get(doc_id) if annotation else None
        events = ann.events if ann else ()
        stats.documents.append(
            {
                "doc_id": doc_id,
                "characters": len(doc.text),
                "scored_characters": scored,
                "segments": len(doc.segments),
                "related_articles": sum(s.kind == "related-article" for s in doc.segments),
                "events": len(events),
                "arguments": sum(len(e.arguments) for e in events),
                "entities": len(ann.entities) if ann else 0,
            }
        )
        for event in events:
            stats.events += 1
            stats.by_type[event.type] += 1
            stats.by_realis[event.realis or "unspecified"] += 1
            for arg in event.arguments:
                stats.arguments += 1
                stats.by_role[arg.role] += 1
            key = event.cluster or f"{doc_id}/{event.id}"
            cluster_docs[key].add(doc_id)
            cluster_size[key] += 1
        stats.entities += len(ann.entities) if ann else 0
    stats.clusters = len(cluster_docs)
    stats.cross_document_clusters = sum(len(d) > 1 for d in cluster_docs.values())
    stats.singleton_clusters = sum(n == 1 for n in cluster_size.values())
    stats.largest_clusters = [(c, n, len(cluster_docs[c])) for c, n in sorted(cluster_size.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]
    return stats
