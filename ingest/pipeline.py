"""Ingest files, folders and URLs into the store: unchanged input is skipped, changed input replaced."""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.chunk import chunk_document
from ingest.load import is_url, iter_targets, load
from ingest.models import Chunk, Document, Goal
from ingest.parse import parse
from ingest.store import Store
from policyqa.errors import DocumentError, PolicyQAError

# Bump when cleaning, chunking or goal extraction change, so re-ingest refreshes every document.
PIPELINE_VERSION = "1"

Status = Literal["added", "updated", "unchanged", "removed", "failed"]


@dataclass
class FileResult:
    source: str
    status: Status
    chunks_written: int = 0
    goals: int = 0
    reason: str = ""


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def chunks_written(self) -> int:
        return sum(r.chunks_written for r in self.results)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    def summary(self) -> dict:
        return {
            "added": self.count("added"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "removed": self.count("removed"),
            "failed": self.count("failed"),
            "chunks_written": self.chunks_written,
            "seconds": round(self.seconds, 2),
            "failures": [{"source": r.source, "reason": r.reason} for r in self.failed],
        }


def fingerprint(doc: Document, model_id: str) -> str:
    key = f"{doc.doc_id}|{doc.source}|{PIPELINE_VERSION}|{model_id}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _lc_documents(chunks: list[Chunk], goals: list[Goal]):
    from langchain_core.documents import Document as LCDocument

    topics: dict[str, set[str]] = {}
    for g in goals:
        if g.chunk_id:
            topics.setdefault(g.chunk_id, set()).add(g.topic)
    docs = []
    for ch in chunks:
        meta = {
            "chunk_id": ch.chunk_id, "doc_id": ch.doc_id, "source": ch.source, "title": ch.title,
            "section": ch.section, "doc_type": ch.doc_type, "index": ch.index, "start": ch.start,
            "end": ch.end, "has_goal": ch.chunk_id in topics,
        }
        if ch.date:
            meta["date"] = ch.date
            meta["date_int"] = int(ch.date.replace("-", ""))
        if ch.chunk_id in topics:
            meta["goal_topics"] = ",".join(sorted(topics[ch.chunk_id]))
        docs.append(LCDocument(page_content=ch.embed_text(), metadata=meta))
    return docs


def _index(store: Store, chunks: list[Chunk], goals: list[Goal], source: str) -> tuple[int, float]:
    """Embed and write the chunks that the record manager has not seen; drop the source's stale ones."""
    from langchain_core.indexing import index

    t = time.perf_counter()
    res = index(
        _lc_documents(chunks, goals),
        store.record_manager,
        store.vectors.langchain(store.embedder),
        cleanup="incremental",
        source_id_key="source",
        key_encoder="sha256",
        batch_size=256,
    )
    if not chunks:  # incremental cleanup only sees sources present in the batch
        store.vectors.delete_source(source)
    return res["num_added"] + res["num_updated"], time.perf_counter() - t


def _under(path: str, roots: list[Path]) -> bool:
    p = Path(path).resolve()
    return any(p == r or r in p.parents for r in roots)


def ingest(store: Store, targets: list[str], *, prune: bool = False, max_bytes: int = 25_000_000,
           timeout: float = 15.0, progress: bool | None = None, on_file=None) -> IngestReport:
    """Ingest every file/URL under `targets`; a bad file is reported and skipped, never fatal.

    Args:
        prune: also remove documents that were ingested from these folders but are gone now.
        on_file: callback(index, total, FileResult) for progress bars in UIs.
    """
    from ingest.goals import extract_goals, link_supersessions

    t0 = time.perf_counter()
    report = IngestReport()
    items = list(iter_targets(targets))
    if prune:
        roots = [Path(t).resolve() for t in targets if not is_url(t)]
        present = {str(Path(p).resolve()) for _, p in items if not isinstance(p, str)}
        for row in store.catalog.documents():
            path = row["path"]
            if path and not is_url(path) and _under(path, roots) and str(Path(path).resolve()) not in present:
                store.delete_document(row["doc_id"], row["source"])
                report.results.append(FileResult(row["source"], "removed"))
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show and items:
        from tqdm import tqdm

        bar = tqdm(total=len(items), unit="file", desc="ingest", file=sys.stderr)
    changed = False
    for i, (source, target) in enumerate(items):
        result = _ingest_one(store, source, target, max_bytes=max_bytes, timeout=timeout,
                             extract_goals=extract_goals, report=report)
        report.results.append(result)
        changed |= result.status in ("added", "updated")
        if bar:
            bar.update(1)
        if on_file:
            on_file(i, len(items), result)
    if bar:
        bar.close()
    if changed or report.count("removed"):
        link_supersessions(store.catalog)
    report.seconds = time.perf_counter() - t0
    return report


def _ingest_one(store: Store, source: str, target, *, max_bytes: int, timeout: float,
                extract_goals, report: IngestReport) -> FileResult:
    try:
        doc = parse(load(source, target, max_bytes=max_bytes, timeout=timeout))
    except DocumentError as e:
        return FileResult(source, "failed", reason=e.reason)
    except (ValueError, RecursionError, MemoryError) as e:  # a parser choking on odd input
        return FileResult(source, "failed", reason=f"cannot parse ({type(e).__name__}: {e})"[:300])
    fp = fingerprint(doc, store.model_id)
    old = store.catalog.document_by_source(source)
    if old is not None and old["fingerprint"] == fp:
        return FileResult(source, "unchanged")
    twin = store.catalog.document_by_id(doc.doc_id)
    if twin is not None and twin["source"] != source:
        return FileResult(source, "failed", reason=f"same content as '{twin['source']}' (skipped)")
    chunks = chunk_document(doc)
    goals = extract_goals(doc, chunks)
    try:
        written, secs = _index(store, chunks, goals, source)
    except PolicyQAError:
        raise
    except Exception as e:  # the vector store failed: report it, keep the catalog as it was
        return FileResult(source, "failed", reason=f"storing failed ({type(e).__name__}: {e})"[:300])
    report.embed_seconds += secs
    store.catalog.replace_document(doc, fp, chunks, goals)
    return FileResult(source, "updated" if old is not None else "added", written, len(goals))
