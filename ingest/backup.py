"""`policyqa export` / `policyqa import`: a whole store in one file, for backups and for moving
between the embedded form (a folder) and the server form (PostgreSQL + Chroma server).

The file is gzip-compressed JSON lines: a header (format, version, embedding model, counts),
then per document its catalog row with passages, goals and measurements and its vectors (ids,
float32 embeddings in base64, metadata, embedded text: nothing is embedded again on import), then the feedback.
Import checks the whole file before it writes anything, writes vectors before catalog rows (as
an ingest does), and replaces a document of the same source already in the target store."""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.catalog import goal_from_json, measurement_from_json
from ingest.models import Chunk, Document
from policyqa.errors import EmbedderMismatchError, StoreError, UsageError

FORMAT = "policyqa-export"
VERSION = 1


@dataclass
class BackupReport:
    documents: int = 0
    passages: int = 0
    vectors: int = 0
    goals: int = 0
    measurements: int = 0
    feedback: int = 0
    feedback_skipped: int = 0  # already in the target store

    def summary(self) -> dict:
        return asdict(self)


def export_store(store, out: Path) -> BackupReport:
    """Write the whole store to `out` (a temporary name first, renamed when complete)."""
    report = BackupReport()
    cat = store.catalog
    docs = cat.documents()
    goals_by_doc: dict[str, list] = {}
    for g in cat.goals():
        goals_by_doc.setdefault(g.doc_id, []).append(g)
    measurements_by_doc: dict[str, list] = {}
    for m in cat.measurements():
        measurements_by_doc.setdefault(m.doc_id, []).append(m)
    feedback = cat.feedback()
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    try:
        with gzip.open(partial, "wt", encoding="utf-8") as f:
            _write(f, {"type": "header", "format": FORMAT, "version": VERSION,
                       "embedder": store.model_id, "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
                       "documents": len(docs), "feedback": len(feedback)})
            for row in docs:
                record = cat.document_record(row["doc_id"])
                chunks = cat.document_chunks(row["doc_id"])
                vectors = _vectors(store, row["source"])
                _write(f, {"type": "document", "row": record,
                           "chunks": [asdict(c) for c in chunks],
                           "goals": [asdict(g) for g in goals_by_doc.get(row["doc_id"], [])],
                           "measurements": [asdict(m) for m in measurements_by_doc.get(row["doc_id"], [])],
                           "vectors": vectors})
                report.documents += 1
                report.passages += len(chunks)
                report.vectors += len(vectors["ids"])
                report.goals += len(goals_by_doc.get(row["doc_id"], []))
                report.measurements += len(measurements_by_doc.get(row["doc_id"], []))
            for fb in feedback:
                _write(f, {"type": "feedback", "row": fb})
                report.feedback += 1
            _write(f, {"type": "end", "documents": report.documents, "feedback": report.feedback})
        partial.replace(out)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise StoreError(f"cannot write the export {out} ({e.strerror or e})") from e
    return report


def _write(f, record: dict) -> None:
    f.write(json.dumps(record, ensure_ascii=False) + "\n")


def _vectors(store, source: str) -> dict:
    """A document's vectors as Chroma holds them."""
    coll = store.vectors.collection
    if coll is None:
        return {"ids": [], "embeddings": [], "metadatas": [], "documents": []}
    got = coll.get(where={"source": source}, include=["embeddings", "metadatas", "documents"])
    embeddings = got.get("embeddings")
    return {"ids": list(got["ids"]),
            "embeddings": [_pack(v) for v in (embeddings if embeddings is not None else [])],
            "metadatas": list(got.get("metadatas") or []), "documents": list(got.get("documents") or [])}


def _pack(vector) -> str:
    """A vector exactly as Chroma keeps it: little-endian float32, base64."""
    import base64

    import numpy as np

    return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")


def _unpack(text: str):
    import base64

    import numpy as np

    return np.frombuffer(base64.b64decode(text), dtype="<f4")


def read_export(path: Path) -> Iterator[dict]:
    """The records of an export file, checked: a damaged or cut-off file is one clear error."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no export file at {path}")
    n = 0
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                record = json.loads(line)
                if n == 1 and (record.get("type") != "header" or record.get("format") != FORMAT):
                    raise UsageError(f"{path} is not a policyqa export")
                if n == 1 and record.get("version", 0) > VERSION:
                    raise UsageError(f"{path} was written by a newer policyqa (export version "
                                     f"{record['version']}); upgrade policyqa to import it")
                yield record
    except (OSError, EOFError, zlib.error, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise UsageError(f"{path} is damaged at record {n + 1} ({type(e).__name__}); "
                         "nothing was imported") from e


def import_store(store, path: Path) -> BackupReport:
    """Add everything in the export at `path` to `store`. The file is read through once to check
    it (complete, same embedding model) before anything is written."""
    header, ends = None, 0
    for record in read_export(path):
        if record["type"] == "header":
            header = record
        ends += record["type"] == "end"
    if header is None or not ends:
        raise UsageError(f"{path} is incomplete (cut off before its end); nothing was imported")
    if header["embedder"] != store.model_id:
        raise EmbedderMismatchError(
            f"{path} holds vectors made with '{header['embedder']}', but this store uses "
            f"'{store.model_id}'; set POLICYQA_EMBEDDING to match, or import into a new store")
    from ingest.goals import link_supersessions

    report = BackupReport()
    known_feedback = {(round(float(f["created"] or 0), 3), f["question"]) for f in store.catalog.feedback()}
    for record in read_export(path):
        if record["type"] == "document":
            _import_document(store, record, report)
        elif record["type"] == "feedback":
            fb = record["row"]
            if (round(float(fb["created"] or 0), 3), fb["question"]) in known_feedback:
                report.feedback_skipped += 1
                continue
            store.catalog.add_feedback(fb["question"], fb["answer"], fb["citations"], fb["rating"],
                                       fb.get("comment") or "", fb.get("language") or "",
                                       created=fb["created"])
            report.feedback += 1
    if report.documents:
        with store.catalog.lock("supersessions"):
            link_supersessions(store.catalog)
    return report


def _import_document(store, record: dict, report: BackupReport) -> None:
    row = record["row"]
    doc = Document(row["doc_id"], row["source"], row["path"], row["title"], row["date"],
                   row["doc_type"], row["issuer"], row["language"], row["text"] or "")
    chunks = [Chunk(**c) for c in record["chunks"]]
    goals = [goal_from_json(json.dumps(g)) for g in record["goals"]]
    measurements = [measurement_from_json(json.dumps(m)) for m in record["measurements"]]
    vec = record["vectors"]
    old = store.catalog.document_by_source(doc.source)
    if old is not None:
        store.vectors.delete_source(doc.source)
        stale = store.record_manager.list_keys(group_ids=[doc.source])
        if stale:
            store.record_manager.delete_keys(stale)
    if vec["ids"]:
        store.vectors.collection.upsert(ids=vec["ids"], embeddings=[_unpack(e) for e in vec["embeddings"]],
                                        metadatas=vec["metadatas"], documents=vec["documents"])
        store.record_manager.update(vec["ids"], group_ids=[doc.source] * len(vec["ids"]))
    http = (row.get("etag"), row.get("last_modified"), row.get("links"))
    store.catalog.replace_documents([(doc, row["fingerprint"], chunks, goals, measurements, http,
                                      row.get("ingested_at"))])
    report.documents += 1
    report.passages += len(chunks)
    report.vectors += len(vec["ids"])
    report.goals += len(goals)
    report.measurements += len(measurements)
