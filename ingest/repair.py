"""`ingest --repair`: re-embed exactly the passages whose vectors are missing; set a damaged catalog aside."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest.catalog import SQLiteCatalog
from policyqa.errors import DamagedStoreError


@dataclass
class RepairReport:
    documents_checked: int = 0
    documents_repaired: list[str] = field(default_factory=list)
    vectors_written: int = 0
    catalog_set_aside: str | None = None

    def summary(self) -> dict:
        return {"documents_checked": self.documents_checked,
                "documents_repaired": len(self.documents_repaired),
                "vectors_written": self.vectors_written,
                "catalog_set_aside": self.catalog_set_aside}


def set_aside_damaged_catalog(store_path: Path) -> str | None:
    """Move an unreadable catalog (and its WAL files) aside, so a fresh one can be built from
    the documents; nothing is deleted. Returns the new name, or None when the catalog is sound."""
    path = Path(store_path) / "catalog.sqlite"
    if not path.exists():
        return None
    try:
        SQLiteCatalog(path, create=False, read_only=True)
        return None
    except DamagedStoreError:
        pass
    aside = path.with_name(f"catalog.sqlite.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    for extra in ("-wal", "-shm"):
        side = path.with_name(path.name + extra)
        if side.exists():
            side.rename(aside.with_name(aside.name + extra))
    return aside.name


def repair_vectors(store, report: RepairReport | None = None) -> RepairReport:
    """Compare, per document, the catalog's passages with the vectors present, and embed the
    missing ones only (with the same content-hash ids and index records as an ingest)."""
    from ingest.pipeline import _lc_documents, chunk_key

    report = report or RepairReport()
    present = store.vectors.chunk_ids_by_source()
    goals_by_doc: dict[str, list] = {}
    for g in store.catalog.goals():
        goals_by_doc.setdefault(g.doc_id, []).append(g)
    for row in store.catalog.documents():
        report.documents_checked += 1
        chunks = store.catalog.document_chunks(row["doc_id"])
        have = present.get(row["source"], set())
        if all(ch.chunk_id in have for ch in chunks):
            continue
        docs = _lc_documents(chunks, goals_by_doc.get(row["doc_id"], []))
        missing = [d for d in docs if d.metadata["chunk_id"] not in have]
        keys = [chunk_key(d) for d in missing]
        store.vectors.langchain(store.embedder).add_documents(missing, ids=keys)
        store.record_manager.update(keys, group_ids=[row["source"]] * len(keys))
        report.documents_repaired.append(row["source"])
        report.vectors_written += len(missing)
    return report

