"""Hybrid retrieval: dense (Chroma) and Danish BM25 (SQLite FTS5), fused by reciprocal rank."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Literal

from assistant.models import Filters, Hit
from assistant.question import Question
from ingest.catalog import column
from ingest.store import Store

Mode = Literal["auto", "dense", "bm25", "hybrid"]
# Reciprocal rank fusion's constant. The paper's 60 suits long result lists; over pools of a few
# dozen passages it let any passage in both lists, however low, beat one that a single list
# ranks near the top (a Danish passage second by meaning for an English question, missed by
# the translated keywords, ranked 14th). Measured on the dev splits in December 2026, against
# 60: 20 gained three (progress +2, fresh +1 abstention) and lost none; 10 lost two on fresh.
RRF_K = 20


def chroma_where(filters: Filters | None) -> dict | None:
    if filters is None:
        return None
    clauses: list[dict] = []
    if filters.doc_types:
        clauses.append({"doc_type": {"$in": list(filters.doc_types)}})
    if filters.date_from:
        clauses.append({"date_int": {"$gte": int(filters.date_from.replace("-", ""))}})
    if filters.date_to:
        clauses.append({"date_int": {"$lte": int(filters.date_to.replace("-", ""))}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def rrf(rankings: list[list[str]], weights: list[float] | None = None) -> dict[str, float]:
    """Reciprocal rank fusion: sum of weight / (RRF_K + rank) over the rankings an id is in."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, w in zip(rankings, weights):
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + w / (RRF_K + rank)
    return scores


class Retriever:
    """Searches one store; the BM25 index is the store's own, never rebuilt per question."""

    def __init__(self, store: Store, mode: Mode = "auto"):
        self.store = store
        self.mode = mode
        self._query: tuple[str, list[float]] | None = None  # the last question's vector

    def query_vector(self, text: str) -> list[float]:
        """The question's embedding; a question searched again (wider, or anchored on a name)
        is not embedded again."""
        last = self._query  # read once: the UI may ask from several threads
        if last is None or last[0] != text:
            last = self._query = (text, self.store.embedder.embed_query(text))
        return last[1]

    def effective_mode(self, question: Question) -> Mode:
        if self.mode != "auto":
            return self.mode
        # measured on the dev questions: BM25 over Danish stems helps Danish questions, and English
        # ones too once the lexicon maps their words to Danish (MRR .894 vs .888 dense alone);
        # other languages have no mapping, so their stems would only add noise
        return "hybrid" if question.language in ("da", "en") else "dense"

    common_share = 0.2  # BM25 leaves out terms found in over a fifth of all chunks

    def lexical_terms(self, question: Question, idf=None) -> list[str]:
        """The question's terms for BM25, without the very common ones: they barely move the
        ranking but make SQLite score most of the index (a large cost at 100k chunks)."""
        terms = list(question.terms)
        if idf is None or len(terms) <= 2:
            return terms
        n = getattr(idf, "n", None) or max(self.store.catalog.chunk_count(), 1)
        df = self.common_share * n
        floor = math.log(1 + (n - df + 0.5) / (df + 0.5))  # the IDF of a term in that share
        kept = [t for t in terms if idf(t) >= floor]
        return kept or terms

    def search(self, question: Question, k: int = 6, filters: Filters | None = None,
               mode: Mode | None = None, idf=None) -> list[Hit]:
        mode = mode or self.effective_mode(question)
        pool = max(k * 4, 24)
        dense: dict[str, float] = {}
        lexical: dict[str, float] = {}
        rankings: list[list[str]] = []
        if mode in ("dense", "hybrid"):
            vec = self.query_vector(question.text)
            for h in self.store.vectors.search(vec, pool, chroma_where(filters)):
                dense[h.chunk_id] = h.score
            rankings.append(list(dense))
        if mode in ("bm25", "hybrid"):
            f = filters or Filters()
            for cid, s in self.store.catalog.lexical_search(
                self.lexical_terms(question, idf), pool, doc_types=list(f.doc_types) or None,
                date_from=f.date_from, date_to=f.date_to,
            ):
                lexical[cid] = s
            rankings.append(list(lexical))
        fused = rrf(rankings) if len(rankings) > 1 else {
            cid: 1.0 / (RRF_K + r) for r, cid in enumerate(rankings[0] if rankings else [], 1)}
        top = sorted(fused, key=fused.get, reverse=True)[:k]
        return self._hits(top, fused, dense, lexical)

    anchor_pool = 200  # passages holding a name, at most, that a search anchored on it ranks

    def anchored(self, question: Question, name: str, k: int, filters: Filters | None = None) -> list[Hit]:
        """The passages that hold `name` (a place, a building, a person the question names),
        best first by their meaning's closeness to the question and their keyword score.

        The full search ranks by all of the question's words: a name that occurs in one long
        passage loses to passages sharing several common words with the question. A name the
        question gives is a constraint, so before the documents are said not to mention it,
        the passages that do are looked at."""
        from ingest.text import content_terms

        f = filters or Filters()
        stems = list(dict.fromkeys(content_terms(name) + content_terms(name, "en")))
        holding = [cid for cid, _ in self.store.catalog.lexical_search(
            stems, self.anchor_pool, doc_types=list(f.doc_types) or None,
            date_from=f.date_from, date_to=f.date_to)]
        if not holding:
            return []
        vec = self.query_vector(question.text)
        where = {"chunk_id": {"$in": holding}}
        base = chroma_where(filters)
        dense = {h.chunk_id: h.score for h in self.store.vectors.search(
            vec, min(k, len(holding)), where if base is None else {"$and": [base, where]})}
        fused = rrf([list(dense), holding])
        top = sorted(fused, key=fused.get, reverse=True)[:k]
        return [replace(h, anchored=True) for h in self._hits(top, fused, dense, {})]

    def _hits(self, top: list[str], fused: dict[str, float], dense: dict[str, float],
              lexical: dict[str, float]) -> list[Hit]:
        rows = self.store.catalog.chunks_by_id(top)
        hits = []
        for cid in top:
            row = rows.get(cid)
            if row is None:  # vectors of a document whose catalog rows are gone (interrupted)
                continue
            hits.append(Hit(
                chunk_id=cid, doc_id=row["doc_id"], source=row["source"], title=row["title"],
                section=row["section"] or "", text=row["text"], start=row["start"], end=row["end"],
                date=row["date"], doc_type=row["doc_type"], score=fused[cid],
                dense=dense.get(cid), lexical=lexical.get(cid), issuer=row["issuer"],
                language=row["language"] or "da", kind=column(row, "kind") or "text",
                page=column(row, "page"), ocr=bool(column(row, "ocr", 0)),
            ))
        return hits
