"""`policyqa doctor`: is the store reachable and whole? One line per check, nothing written.

Checks: the catalog opens and its schema is the one this build knows; the configured embedding
model is the one the catalog and the vectors were made with; the vector store answers; every
passage of the catalog has its vector (and says which documents lack them); vectors, index
records, goals and measurements without a catalog passage or document (orphans)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from policyqa.errors import PolicyQAError

Status = str  # "ok" | "warn" | "fail"


@dataclass
class Check:
    name: str
    status: Status
    detail: str


def doctor(settings) -> list[Check]:
    """Every check, in order; a check that cannot run (the catalog is unreachable) ends the list."""
    from ingest.catalog import SCHEMA_VERSION as SQLITE_SCHEMA
    from ingest.catalog_pg import SCHEMA_VERSION as PG_SCHEMA
    from ingest.store import Store

    checks: list[Check] = []
    try:
        store = Store.from_settings(settings, read_only=True, check=False)
    except PolicyQAError as e:
        return [Check("catalog", "fail", str(e))]
    cat = store.catalog
    known = str(PG_SCHEMA if cat.kind == "postgresql" else SQLITE_SCHEMA)
    version = cat.schema_version()
    checks.append(Check("catalog", "ok" if version == known else "fail",
                        f"{'PostgreSQL' if cat.kind == 'postgresql' else 'SQLite'} {cat.describe()}, "
                        f"schema {version}" + ("" if version == known else f" (this build expects {known})")))
    built_with = cat.get_meta("embedder")
    checks.append(Check("model", "ok" if built_with in (None, store.model_id) else "fail",
                        f"configured {store.model_id}; catalog made with {built_with or 'nothing yet'}"))
    try:
        vectors = store.vectors
    except PolicyQAError as e:
        checks.append(Check("vectors", "fail", str(e)))
        return checks
    where = store.chroma_url or str(store.path / "chroma")
    if vectors.collection is None:
        passages = cat.chunk_count()
        checks.append(Check("vectors", "fail" if passages else "ok",
                            f"no collection '{store.collection}' at {where}"
                            + (f", but the catalog lists {passages} passages; run 'policyqa ingest "
                               "--repair'" if passages else "")))
        return checks
    checks.append(Check("vectors", "ok", f"Chroma {where}, collection '{store.collection}', "
                                         f"{vectors.count()} vectors"))
    checks += _counts(store)
    return checks


def _counts(store) -> list[Check]:
    cat = store.catalog
    docs = {r["doc_id"]: r for r in cat.documents()}
    have = store.vectors.chunk_ids_by_source()
    by_source = cat.chunk_ids_by_source()
    catalog_chunks = {r["source"]: by_source.get(r["source"], set()) for r in docs.values()}
    lacking = {s: len(ids - have.get(s, set())) for s, ids in catalog_chunks.items()}
    lacking = {s: n for s, n in lacking.items() if n}
    passages = sum(len(ids) for ids in catalog_chunks.values())
    out = [Check("passages", "fail" if lacking else "ok",
                 f"{len(docs)} documents, {passages} passages, "
                 + (f"{sum(lacking.values())} without a vector in {len(lacking)} documents "
                    f"({', '.join(sorted(lacking)[:3])}{'…' if len(lacking) > 3 else ''}); "
                    "run 'policyqa ingest --repair'" if lacking else "every one has its vector"))]
    wrong = [r["source"] for r in docs.values()
             if r["n_chunks"] is not None and r["n_chunks"] != len(catalog_chunks[r["source"]])]
    if wrong:
        out.append(Check("documents", "fail", f"{len(wrong)} documents list another number of "
                         f"passages than they have ({', '.join(sorted(wrong)[:3])})"))
    orphans = sum(len(ids - catalog_chunks.get(s, set())) for s, ids in have.items())
    out.append(Check("orphan vectors", "warn" if orphans else "ok",
                     f"{orphans} vectors of passages the catalog no longer lists (never answered "
                     "from; an interrupted ingest leaves them, the next one uses or removes them)"
                     if orphans else "none"))
    records = store.record_manager.list_keys()
    vector_total = store.vectors.count()
    out.append(Check("index records", "ok" if len(records) == vector_total else "warn",
                     f"{len(records)} for {vector_total} vectors"))
    stray_goals = [g.goal_id for g in cat.goals() if g.doc_id not in docs]
    stray_measurements = [m.measurement_id for m in cat.measurements() if m.doc_id not in docs]
    out.append(Check("goals", "fail" if stray_goals or stray_measurements else "ok",
                     f"{len(stray_goals)} goals and {len(stray_measurements)} measurements of "
                     "documents not in the catalog" if stray_goals or stray_measurements
                     else "every goal and measurement belongs to a stored document"))
    return out


def as_json(checks: list[Check]) -> list[dict]:
    return [asdict(c) for c in checks]
