"""Ingest files, folders and URLs into the store: unchanged input is skipped, changed input replaced."""

from __future__ import annotations

import errno
import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.chunk import chunk_document
from ingest.load import is_url, iter_targets, load, peek_hash
from ingest.models import Chunk, Document, Goal, RawDocument
from ingest.parse import parse
from ingest.store import Store
from policyqa.errors import DocumentError, PolicyQAError, StoreError

# Bump when cleaning, chunking or goal extraction change, so re-ingest refreshes every document.
PIPELINE_VERSION = "47"

Status = Literal["added", "updated", "unchanged", "removed", "failed", "skipped"]


@dataclass
class FileResult:
    source: str
    status: Status
    chunks_written: int = 0
    goals: int = 0
    reason: str = ""
    ocr_pages: int = 0  # scanned PDF pages read by OCR
    warning: str = ""  # stored, but not all of it was read (scanned pages without OCR)


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0
    repair: dict | None = None

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
            "skipped": self.count("skipped"),
            "chunks_written": self.chunks_written,
            "ocr_pages": sum(r.ocr_pages for r in self.results),
            "seconds": round(self.seconds, 2),
            "failures": [{"source": r.source, "reason": r.reason} for r in self.failed],
            "skips": [{"source": r.source, "reason": r.reason} for r in self.results
                      if r.status == "skipped"],
            "warnings": [{"source": r.source, "warning": r.warning} for r in self.results
                         if r.warning],
            **({"repair": self.repair} if self.repair is not None else {}),
        }


def fingerprint(raw_hash: str, source: str, model_id: str) -> str:
    """Same bytes, same name, same pipeline and model: nothing to do."""
    key = f"{raw_hash}|{source}|{PIPELINE_VERSION}|{model_id}"
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
        # only where they differ from a plain text passage: the vector ids of other passages,
        # hashes of their metadata, stay as they were
        if ch.kind != "text":
            meta["kind"] = ch.kind
        if ch.page is not None:
            meta["page"] = ch.page
        if ch.ocr:
            meta["ocr"] = True
        docs.append(LCDocument(page_content=ch.embed_text(), metadata=meta))
    return docs


def chunk_key(doc) -> str:
    """The vector id of a chunk: a hash of what is embedded and its metadata, so a changed
    chunk gets a new id and an unchanged one is never embedded twice."""
    import json

    payload = doc.page_content + "\x00" + json.dumps(doc.metadata, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CrawlOptions:
    """`policyqa ingest URL --crawl`: follow the site's links from each URL given."""

    depth: int = 1
    same_site: bool = True
    max_pages: int = 200
    delay: float = 1.0


@dataclass
class _Pending:
    source: str
    doc: Document
    fingerprint: str
    chunks: list[Chunk]
    goals: list[Goal]
    existed: bool
    lc_docs: list = field(default_factory=list)
    raw: RawDocument | None = None
    measurements: list = field(default_factory=list)
    http: tuple = (None, None, None)  # a crawled page's ETag, Last-Modified and links (JSON)


BATCH_CHUNKS = 256  # chunks embedded and written per indexing call


def _flush(store: Store, batch: list[_Pending], report: IngestReport) -> list[FileResult]:
    """Embed and write a batch of documents with one indexing call, then swap their catalog
    rows in. Vectors first, catalog last: an interrupted run leaves the catalog at the old
    version, and the next run finishes the job without embedding anything twice."""
    from langchain_core.indexing import index

    if not batch:
        return []
    docs = [d for p in batch for d in p.lc_docs]
    keys = [chunk_key(d) for d in docs]
    t = time.perf_counter()
    try:
        seen = dict(zip(keys, store.record_manager.exists(keys))) if keys else {}
        if docs:
            index(docs, store.record_manager, store.vectors.langchain(store.embedder),
                  cleanup="incremental", source_id_key="source", key_encoder=chunk_key,
                  batch_size=BATCH_CHUNKS)
        for p in batch:
            if not p.chunks:  # incremental cleanup only sees sources with chunks in the batch
                store.vectors.delete_source(p.source)
    except PolicyQAError:
        raise
    except Exception as e:  # the vector store failed: report it, keep the catalog as it was
        _raise_if_fatal(e, store)
        reason = f"storing failed ({type(e).__name__}: {e})"[:300]
        return [FileResult(p.source, "failed", reason=reason) for p in batch]
    report.embed_seconds += time.perf_counter() - t
    try:
        store.catalog.replace_documents([(p.doc, p.fingerprint, p.chunks, p.goals, p.measurements,
                                          p.http) for p in batch])
    except PolicyQAError:
        raise
    except Exception as e:  # sqlite3, psycopg or OS errors of the catalog
        _raise_if_fatal(e, store)
        raise StoreError(f"cannot write the store's catalog in {store.where()} ({e}); "
                         "nothing of this batch was kept, rerun the ingest") from e
    results = []
    for p in batch:
        written = sum(1 for d in p.lc_docs if not seen.get(chunk_key(d), False))
        raw = p.raw
        results.append(FileResult(p.source, "updated" if p.existed else "added", written, len(p.goals),
                                  ocr_pages=len(raw.ocr_pages) if raw else 0,
                                  warning=raw.warning if raw else ""))
    return results


def _raise_if_fatal(e: Exception, store: Store) -> None:
    """A full disk, a read-only or vanished store, or a dead Chroma server ends the whole run
    with one message: going on would only fail every remaining file the same way."""
    text = f"{type(e).__name__}: {e}".lower()
    if isinstance(e, OSError) and e.errno == errno.ENOSPC or "disk is full" in text or "no space" in text:
        raise StoreError(f"the disk is full while writing the store in {store.path}; the documents "
                         "stored before stay intact, free some space and rerun the ingest") from e
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        raise StoreError(f"the store in {store.path} is read-only or not writable ({e})") from e
    if store.catalog_url and any(w in text for w in ("operationalerror", "terminating connection",
                                                      "server closed", "connection", "adminshutdown")):
        raise StoreError(f"the catalog database {store.catalog.describe()} stopped answering "
                         f"({str(e).splitlines()[0][:200]}); documents stored before stay intact, "
                         "rerun the ingest when it is back") from e
    if store.chroma_url and any(w in text for w in ("connect", "refused", "timed out", "timeout",
                                                     "unavailable", "remote")):
        raise StoreError(f"the Chroma server at {store.chroma_url} stopped answering ({e}); "
                         "documents stored before stay intact, rerun the ingest when it is back") from e


def _under(path: str, roots: list[Path]) -> bool:
    p = Path(path).resolve()
    return any(p == r or r in p.parents for r in roots)


def ingest(store: Store, targets: list[str], *, prune: bool = False, max_bytes: int = 25_000_000,
           timeout: float = 15.0, progress: bool | None = None, on_file=None,
           repair: bool = False, crawl: CrawlOptions | None = None) -> IngestReport:
    """Ingest every file/URL under `targets`; a bad file is reported and skipped, never fatal.

    Args:
        prune: also remove documents that were ingested from these folders but are gone now.
        on_file: callback(index, total, FileResult) for progress bars in UIs.
        repair: first re-embed the passages whose vectors are missing (instead of refusing a
            store whose vectors do not cover its catalog).
        crawl: crawl the site from each URL target (ingest/crawl.py) instead of fetching the
            page alone. Pages stored by an earlier crawl are asked for with their ETag or
            Last-Modified, so an unchanged page is neither fetched nor parsed again.
    """
    from ingest.goals import extract_goals, link_supersessions

    t0 = time.perf_counter()
    report = IngestReport()
    if repair:
        from ingest.repair import repair_vectors

        report.repair = repair_vectors(store).summary()
    else:
        store.check()
    skipped: list = []
    items = list(iter_targets(targets, skipped))
    report.results += [FileResult(s.source, "skipped", reason=s.reason) for s in skipped]
    if prune:
        roots = [Path(t).resolve() for t in targets if not is_url(t)]
        present = {str(Path(p).resolve()) for _, p in items if not isinstance(p, str)}
        for row in store.catalog.documents():
            path = row["path"]
            if (path and not is_url(path) and Path(path).is_absolute() and _under(path, roots)
                    and str(Path(path).resolve()) not in present):
                store.delete_document(row["doc_id"], row["source"])
                report.results.append(FileResult(row["source"], "removed"))
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show and items:
        from tqdm import tqdm

        crawling = crawl is not None and any(isinstance(t, str) and is_url(t) for _, t in items)
        bar = tqdm(total=None if crawling else len(items), unit="file", desc="ingest", file=sys.stderr)
    done = [0]

    def record(results: list[FileResult]) -> None:
        for r in results:
            report.results.append(r)
            done[0] += 1
            if bar:
                bar.update(1)
            if on_file:
                on_file(done[0] - 1, len(items), r)

    batch: list[_Pending] = []
    batch_ids: dict[str, str] = {}

    def flush() -> None:
        nonlocal batch, batch_ids
        record(_flush(store, batch, report))
        batch, batch_ids = [], {}
        store.catalog.release_claims()

    def add(pending: _Pending | FileResult) -> None:
        if isinstance(pending, FileResult):
            record([pending])
            return
        batch.append(pending)
        batch_ids[pending.doc.doc_id] = pending.source
        if sum(len(p.chunks) for p in batch) >= BATCH_CHUNKS:
            flush()

    def claim(source: str) -> None:
        """Take the document's ingest lock before reading its stored version: a worker that is
        writing it finishes first (and its fingerprint then says unchanged). Before waiting,
        this worker writes its batch and lets go of its own locks, so no two workers ever
        wait for each other."""
        if not store.catalog.claim(source):
            flush()
            store.catalog.claim(source, wait=True)

    try:
        for source, target in items:
            if crawl is not None and isinstance(target, str) and is_url(target):
                for page in _crawl(store, target, crawl, max_bytes=max_bytes, timeout=timeout):
                    claim(page.url)
                    add(_prepare_page(store, page, extract_goals=extract_goals,
                                      batch_ids=batch_ids, progress=show))
                continue
            claim(source)
            add(_prepare(store, source, target, max_bytes=max_bytes, timeout=timeout,
                         extract_goals=extract_goals, batch_ids=batch_ids, progress=show))
        flush()
    finally:
        store.catalog.release_claims()
    if bar:
        bar.close()
    if any(r.status in ("added", "updated", "removed") for r in report.results):
        with store.catalog.lock("supersessions"):  # another worker's links are read, not overwritten
            link_supersessions(store.catalog)
    report.seconds = time.perf_counter() - t0
    return report


def _crawl(store: Store, start: str, options: CrawlOptions, *, max_bytes: int, timeout: float):
    from ingest.crawl import Validators, crawl

    validators, links = store.catalog.crawl_state()
    return crawl(start, depth=options.depth, same_site=options.same_site,
                 max_pages=options.max_pages, delay=options.delay, timeout=timeout,
                 max_bytes=max_bytes, known={u: Validators(*v) for u, v in validators.items()},
                 known_links=links)


def _prepare_page(store: Store, page, *, extract_goals, batch_ids: dict[str, str],
                  progress: bool = False) -> _Pending | FileResult:
    """A crawled page as a document to store, or why not (not modified, failed, skipped)."""
    import json

    from ingest.load import CONTENT_TYPE_KIND, from_bytes

    if page.status == "not_modified":
        return FileResult(page.url, "unchanged")
    if page.status != "fetched":
        return FileResult(page.url, page.status, reason=page.reason)
    http = (page.validators.etag, page.validators.last_modified,
            json.dumps(list(page.links)) if page.links else None)
    kind = CONTENT_TYPE_KIND.get(page.content_type, "text")
    return _prepare(store, page.url, page.url, max_bytes=0, timeout=0, extract_goals=extract_goals,
                    batch_ids=batch_ids, progress=progress,
                    read=lambda: from_bytes(page.url, page.url, page.data, kind, page.charset,
                                            progress=progress), http=http)


def _prepare(store: Store, source: str, target, *, max_bytes: int, timeout: float, extract_goals,
             batch_ids: dict[str, str], progress: bool = False, read=None,
             http: tuple = (None, None, None)) -> _Pending | FileResult:
    """Read, clean, chunk and extract goals; or say why the file is skipped. `read` gives the
    RawDocument of bytes already fetched (a crawled page)."""
    old = store.catalog.document_by_source(source)
    if old is not None and read is None:
        digest = peek_hash(target, max_bytes)
        if digest and old["fingerprint"] == fingerprint(digest, source, store.model_id):
            if not is_url(str(target)) and old["path"] != str(target):
                store.catalog.set_path(old["doc_id"], str(target))  # stores from before absolute paths
            return FileResult(source, "unchanged")  # same bytes: not even parsed
    try:
        raw = read() if read else load(source, target, max_bytes=max_bytes, timeout=timeout,
                                       progress=progress)
        doc = parse(raw)
    except DocumentError as e:
        return FileResult(source, "failed", reason=e.reason)
    except (ValueError, RecursionError, MemoryError) as e:  # a parser choking on odd input
        return FileResult(source, "failed", reason=f"cannot parse ({type(e).__name__}: {e})"[:300])
    fp = fingerprint(raw.raw_hash, source, store.model_id)
    if old is not None and old["fingerprint"] == fp:
        return FileResult(source, "unchanged")
    twin = store.catalog.document_by_id(doc.doc_id)
    twin_source = twin["source"] if twin is not None else batch_ids.get(doc.doc_id)
    if twin_source is not None and twin_source != source:
        return FileResult(source, "failed", reason=f"same content as '{twin_source}' (skipped)")
    chunks = chunk_document(doc)
    goals = extract_goals(doc, chunks)
    from ingest.measurements import extract_measurements

    return _Pending(source, doc, fp, chunks, goals, old is not None, _lc_documents(chunks, goals), raw,
                    http=http, measurements=extract_measurements(doc, chunks, goals))
