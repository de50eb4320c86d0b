"""The catalog beside the vectors: documents, chunk texts, the Danish lexical index, goals,
measurements and feedback, behind one contract with two implementations.

`Catalog` is the contract and holds everything the two share (written in SQL both speak).
`SQLiteCatalog` (here) is the embedded default, one file in the store folder with FTS5 BM25;
`PostgresCatalog` (ingest/catalog_pg.py) serves one store to several processes and machines.
Rows come back as plain dicts on both. `open_catalog` picks the implementation."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from ingest.models import Chunk, Document, Goal, Measurement, Quantity
from ingest.text import content_terms
from policyqa.errors import DamagedStoreError, StoreError

SCHEMA_VERSION = "1"
BUSY_TIMEOUT_MS = 30000  # how long a writer waits for another writer before giving up

REPAIR_HINT = ("restore it from a backup, or rebuild it with 'policyqa ingest --repair FOLDER...' "
               "(the damaged file is kept beside it)")


def column(row: dict, name: str, default=None):
    """A row's value of a column that a store from before it was added may lack."""
    return row[name] if name in row.keys() else default


def chunk_terms(ch: Chunk) -> list[str]:
    """What the lexical index holds for a passage: Danish-stemmed content terms of its title,
    section, issuer and text (the same on both implementations)."""
    return content_terms(f"{ch.title} {ch.section} {ch.issuer or ''} {ch.text}")


class Catalog(ABC):
    """The store's catalog. Writes go through `transaction()`, one per batch of documents, so a
    document's rows land together or not at all; every write bumps a generation that readers
    (other processes included) use to know when to reload what they cached."""

    kind = "?"
    read_only = False

    # -- what each implementation provides ----------------------------------------------
    @abstractmethod
    def _read(self, sql: str, args: Iterable = ()) -> list[dict]:
        """Run one read statement (SQL with ? placeholders)."""

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One write transaction, yielding a `Tx`."""

    @abstractmethod
    def _index_chunk(self, tx: Tx, rid: int, ch: Chunk, terms: list[str]) -> None:
        """Add a passage (row id `rid`) to the lexical index."""

    @abstractmethod
    def _unindex_chunks(self, tx: Tx, rids: list[int]) -> None:
        """Remove passages from the lexical index (before their rows are deleted)."""

    @abstractmethod
    def lexical_search(self, terms: list[str], k: int, *, doc_types: list[str] | None = None,
                       date_from: str | None = None, date_to: str | None = None
                       ) -> list[tuple[str, float]]:
        """BM25 over Danish-stemmed chunk terms: [(chunk_id, score)], best first, score > 0."""

    @abstractmethod
    def document_frequency(self, term: str) -> int:
        """How many passages hold a stemmed term."""

    @abstractmethod
    def vocabulary(self) -> list[str]:
        """Every stemmed term in the lexical index."""

    @abstractmethod
    def record_manager_url(self) -> str:
        """SQLAlchemy URL of the database LangChain's record manager keeps its keys in."""

    @abstractmethod
    def schema_version(self) -> str:
        """The version of the schema the catalog is at."""

    @abstractmethod
    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """Hold a named lock across processes (waits for it)."""

    def claim(self, source: str, *, wait: bool = False) -> bool:
        """Take the per-document ingest lock of `source` until `release_claims`: two ingest
        workers never write the same document. False when another holds it (wait=False)."""
        return True

    def release_claims(self) -> None:
        """Release every document lock this process took with `claim`."""

    def close(self) -> None:
        """Close this process's connections (the catalog can be reopened)."""

    def describe(self) -> str:
        """Where the catalog is, for messages (never a password)."""
        return self.kind

    @staticmethod
    def _filters(doc_types: list[str] | None, date_from: str | None, date_to: str | None
                 ) -> tuple[str, list]:
        """The passage filters of a keyword search as SQL on `c` (chunks) and its arguments."""
        sql, args = "", []
        if doc_types:
            sql += f" AND c.doc_type IN ({','.join('?' * len(doc_types))})"
            args += list(doc_types)
        if date_from:
            sql += " AND c.date >= ?"
            args.append(date_from)
        if date_to:
            sql += " AND c.date <= ?"
            args.append(date_to)
        return sql, args

    # -- meta ---------------------------------------------------------------------------
    def version(self) -> str:
        """Changes whenever anything is written (by this process or another)."""
        return self.get_meta("generation") or "0"

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key=?", (key,))
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as tx:
            tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                       "DO UPDATE SET value = excluded.value", (key, value))

    _BUMP = ("INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT(key) "
             "DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)")

    # -- documents ----------------------------------------------------------------------
    def document_by_source(self, source: str) -> dict | None:
        rows = self._read("SELECT * FROM documents WHERE source=?", (source,))
        return rows[0] if rows else None

    def document_by_id(self, doc_id: str) -> dict | None:
        rows = self._read("SELECT * FROM documents WHERE doc_id=?", (doc_id,))
        return rows[0] if rows else None

    def crawl_state(self) -> tuple[dict[str, tuple[str | None, str | None]], dict[str, list[str]]]:
        """For the pages stored from the web: {url: (ETag, Last-Modified)} and {url: links}."""
        rows = self._read("SELECT * FROM documents WHERE source LIKE ?", ("http%",))
        validators = {r["source"]: (column(r, "etag"), column(r, "last_modified")) for r in rows}
        links = {r["source"]: json.loads(column(r, "links") or "[]") for r in rows}
        return validators, links

    def documents(self) -> list[dict]:
        return self._read(
            "SELECT doc_id, source, path, title, date, doc_type, issuer, language, n_chunks, "
            "n_goals, ingested_at FROM documents ORDER BY date DESC, source")

    def document_record(self, doc_id: str) -> dict | None:
        """A document's whole row, its text included (export)."""
        return self.document_by_id(doc_id)

    def replace_document(self, doc: Document, fingerprint: str, chunks: list[Chunk],
                         goals: list[Goal]) -> None:
        """Swap in a document's rows (replacing any earlier version under the same source)."""
        self.replace_documents([(doc, fingerprint, chunks, goals)])

    def replace_documents(self, docs: list[tuple]) -> None:
        """Swap in several documents' rows in one transaction: (document, fingerprint, chunks,
        goals) tuples, with its measurements as a fifth and a crawled page's (ETag,
        Last-Modified, links) as a sixth."""
        with self.transaction() as tx:
            for doc, fingerprint, chunks, goals, *rest in docs:
                self._replace(tx, doc, fingerprint, chunks, goals, *rest)

    def _replace(self, tx: Tx, doc: Document, fingerprint: str, chunks: list[Chunk],
                 goals: list[Goal], measurements: list[Measurement] = (),
                 http: tuple = (None, None, None), ingested_at: float | None = None) -> None:
        """`http`: a crawled page's ETag, Last-Modified and links (a JSON list), for the next
        crawl's conditional requests."""
        old = tx.execute("SELECT doc_id FROM documents WHERE source=?", (doc.source,))
        if old:
            self._delete_doc_rows(tx, old[0]["doc_id"])
        self._delete_doc_rows(tx, doc.doc_id)
        tx.execute(
            "INSERT INTO documents (doc_id, source, path, title, date, doc_type, issuer, language, "
            "text, fingerprint, n_chunks, n_goals, ingested_at, etag, last_modified, links) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, doc.source, doc.path, doc.title, doc.date, doc.doc_type, doc.issuer,
             doc.language, doc.text, fingerprint, len(chunks), len(goals),
             ingested_at if ingested_at is not None else time.time(), *http),
        )
        for ch in chunks:
            rid = tx.execute(
                'INSERT INTO chunks (chunk_id, doc_id, source, idx, title, section, text, start, '
                '"end", date, doc_type, kind, page, ocr) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) '
                'RETURNING rid',
                (ch.chunk_id, ch.doc_id, ch.source, ch.index, ch.title, ch.section, ch.text,
                 ch.start, ch.end, ch.date, ch.doc_type, ch.kind, ch.page, int(ch.ocr)),
            )[0]["rid"]
            self._index_chunk(tx, rid, ch, chunk_terms(ch))
        for m in measurements:
            tx.execute(
                "INSERT INTO measurements (measurement_id, doc_id, chunk_id, topic, year, record) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(measurement_id) DO UPDATE SET "
                "doc_id=excluded.doc_id, chunk_id=excluded.chunk_id, topic=excluded.topic, "
                "year=excluded.year, record=excluded.record",
                (m.measurement_id, m.doc_id, m.chunk_id, m.topic, m.year,
                 json.dumps(asdict(m), ensure_ascii=False)))
        for g in goals:
            tx.execute(
                "INSERT INTO goals (goal_id, doc_id, chunk_id, topic, programme, deadline, "
                "announced, kind, superseded_by, record) VALUES (?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(goal_id) DO UPDATE SET doc_id=excluded.doc_id, "
                "chunk_id=excluded.chunk_id, topic=excluded.topic, programme=excluded.programme, "
                "deadline=excluded.deadline, announced=excluded.announced, kind=excluded.kind, "
                "superseded_by=excluded.superseded_by, record=excluded.record",
                (g.goal_id, g.doc_id, g.chunk_id, g.topic, g.programme, g.deadline, g.announced,
                 g.kind, g.superseded_by, json.dumps(asdict(g), ensure_ascii=False)),
            )

    def set_path(self, doc_id: str, path: str) -> None:
        with self.transaction() as tx:
            tx.execute("UPDATE documents SET path=? WHERE doc_id=?", (path, doc_id))

    def delete_document(self, doc_id: str) -> None:
        with self.transaction() as tx:
            self._delete_doc_rows(tx, doc_id)

    def _delete_doc_rows(self, tx: Tx, doc_id: str) -> None:
        rids = [r["rid"] for r in tx.execute("SELECT rid FROM chunks WHERE doc_id=?", (doc_id,))]
        if rids:
            self._unindex_chunks(tx, rids)
        for table in ("chunks", "goals", "measurements", "documents"):
            tx.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc_id,))

    # -- chunks ---------------------------------------------------------------------------
    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, dict]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._read(
            f"SELECT c.*, d.issuer AS issuer, d.language AS language FROM chunks c "
            f"LEFT JOIN documents d USING (doc_id) WHERE c.chunk_id IN ({marks})", chunk_ids)
        return {r["chunk_id"]: r for r in rows}

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """A document's passages as Chunks, in order (what repair re-embeds)."""
        rows = self._read(
            "SELECT c.*, d.issuer AS issuer FROM chunks c LEFT JOIN documents d USING (doc_id) "
            "WHERE c.doc_id=? ORDER BY c.idx", (doc_id,))
        return [Chunk(r["chunk_id"], r["doc_id"], r["source"], r["idx"], r["title"] or "",
                      r["section"] or "", r["text"], r["start"], r["end"], r["date"],
                      r["doc_type"], r["issuer"], column(r, "kind") or "text", column(r, "page"),
                      bool(column(r, "ocr", 0))) for r in rows]

    def chunk_count(self) -> int:
        return int(self._read("SELECT count(*) AS n FROM chunks")[0]["n"])

    def chunk_ids_by_source(self) -> dict[str, set[str]]:
        """source -> the ids of its passages, in one query (doctor compares them with the
        vectors' ChromaVectors.chunk_ids_by_source)."""
        out: dict[str, set[str]] = {}
        for r in self._read("SELECT source, chunk_id FROM chunks"):
            out.setdefault(r["source"], set()).add(r["chunk_id"])
        return out

    def chunk_counts_by_source(self) -> dict[str, int]:
        """source -> how many passages it has in the catalog."""
        return {s: len(ids) for s, ids in self.chunk_ids_by_source().items()}

    # -- goals and measurements -------------------------------------------------------------
    def goals(self) -> list[Goal]:
        return [goal_from_json(r["record"]) for r in self._read("SELECT record FROM goals")]

    def measurements(self) -> list[Measurement]:
        """Every measured figure in the store (none in a store from before they were kept)."""
        try:
            rows = self._read("SELECT record FROM measurements")
        except sqlite3.OperationalError:
            return []
        return [measurement_from_json(r["record"]) for r in rows]

    def set_superseded(self, links: dict[str, str | None]) -> None:
        """Write goal_id -> superseded_by for every goal given (None clears it), and the
        reverse `supersedes` lists."""
        reverse: dict[str, list[str]] = {}
        for gid, by in links.items():
            if by:
                reverse.setdefault(by, []).append(gid)
        with self.transaction() as tx:
            for gid, by in links.items():
                row = tx.execute("SELECT record FROM goals WHERE goal_id=?", (gid,))
                if not row:
                    continue
                rec = json.loads(row[0]["record"])
                rec["superseded_by"] = by
                rec["supersedes"] = sorted(reverse.get(gid, []))
                tx.execute("UPDATE goals SET superseded_by=?, record=? WHERE goal_id=?",
                           (by, json.dumps(rec, ensure_ascii=False), gid))

    # -- feedback -------------------------------------------------------------------------
    def add_feedback(self, question: str, answer: str, citations: list[dict], rating: int,
                     comment: str = "", language: str = "", created: float | None = None) -> int:
        with self.transaction() as tx:
            rows = tx.execute(
                "INSERT INTO feedback (created, question, answer, citations, rating, comment, "
                "language) VALUES (?,?,?,?,?,?,?) RETURNING id",
                (created if created is not None else time.time(), question, answer,
                 json.dumps(citations, ensure_ascii=False), rating, comment, language),
            )
            return int(rows[0]["id"])

    def feedback(self) -> list[dict]:
        out = []
        for r in self._read("SELECT * FROM feedback ORDER BY id"):
            d = dict(r)
            d["citations"] = json.loads(d["citations"] or "[]")
            out.append(d)
        return out


class Tx:
    """A write transaction's statements: `execute` returns the rows a statement gives (if any)."""

    def __init__(self, run):
        self._run = run

    def execute(self, sql: str, args: Iterable = ()) -> list[dict]:
        return self._run(sql, args)


def open_catalog(location: str | Path, *, create: bool = True, read_only: bool = False,
                 text_search: str = "stems") -> Catalog:
    """A PostgreSQL catalog for a postgresql:// URL, else the SQLite file at `location`."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from ingest.catalog_pg import PostgresCatalog

        return PostgresCatalog(text, create=create, read_only=read_only, text_search=text_search)
    return SQLiteCatalog(Path(location), create=create, read_only=read_only)


def goal_from_json(text: str) -> Goal:
    d = json.loads(text)
    for key in ("change", "target_value", "baseline"):
        if d.get(key):
            d[key] = Quantity(**d[key])
    d["supersedes"] = tuple(d.get("supersedes") or ())
    return Goal(**d)


def measurement_from_json(text: str) -> Measurement:
    d = json.loads(text)
    d["period"] = tuple(d["period"]) if d.get("period") else None
    return Measurement(**d)


# -- the embedded implementation ------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT UNIQUE NOT NULL, path TEXT, title TEXT, date TEXT,
    doc_type TEXT, issuer TEXT, language TEXT, text TEXT, fingerprint TEXT,
    n_chunks INTEGER, n_goals INTEGER, ingested_at REAL, etag TEXT, last_modified TEXT,
    links TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
    rid INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL,
    source TEXT, idx INTEGER, title TEXT, section TEXT, text TEXT, start INTEGER, "end" INTEGER,
    date TEXT, doc_type TEXT, kind TEXT DEFAULT 'text', page INTEGER, ocr INTEGER DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(terms, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE TABLE IF NOT EXISTS goals (
    goal_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, chunk_id TEXT, topic TEXT, programme TEXT,
    deadline INTEGER, announced TEXT, kind TEXT, superseded_by TEXT, record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS goals_doc ON goals(doc_id);
CREATE INDEX IF NOT EXISTS goals_topic ON goals(topic);
CREATE TABLE IF NOT EXISTS measurements (
    measurement_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, chunk_id TEXT, topic TEXT, year INTEGER,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS measurements_doc ON measurements(doc_id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL, question TEXT, answer TEXT,
    citations TEXT, rating INTEGER, comment TEXT, language TEXT
);
"""
# Columns added after the first release: a store written before gets them when it is next
# opened for writing (a store opened read-only reads them as their defaults)
_ADDED_COLUMNS = {
    "chunks": (("kind", "TEXT DEFAULT 'text'"), ("page", "INTEGER"), ("ocr", "INTEGER DEFAULT 0")),
    "documents": (("etag", "TEXT"), ("last_modified", "TEXT"), ("links", "TEXT")),
}


def _add_columns(c: sqlite3.Connection) -> None:
    for table, columns in _ADDED_COLUMNS.items():
        have = {r["name"] for r in c.execute(f"PRAGMA table_info({table})")}
        for name, decl in columns:
            if name not in have:
                c.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict:
    return {d[0]: v for d, v in zip(cursor.description, row)}


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Open without any write: mode=ro, and where even the WAL index cannot be created (a
    read-only folder) as immutable, which is safe because nobody can be writing it then."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)


def fts_query(terms: Iterable[str]) -> str | None:
    """An FTS5 OR-query of quoted terms (quotes make every term a literal)."""
    uniq = list(dict.fromkeys(t for t in terms if t))
    if not uniq:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in uniq)


class SQLiteCatalog(Catalog):
    """One SQLite file; a connection per thread, WAL so readers never block the writer.

    `read_only` opens it for commands that only read (ask, goals, feedback export): they work on
    a store the user may not write, and can never write a fresh catalog over a damaged one."""

    kind = "sqlite"

    def __init__(self, path: Path, *, create: bool = True, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        if self.path.exists() and self.path.is_file() and self.path.stat().st_size == 0:
            raise DamagedStoreError(f"the store's catalog {self.path} is empty (0 bytes), so the "
                                    f"store cannot be trusted; {REPAIR_HINT}")
        if (not create or read_only) and not self.path.exists():
            raise StoreError(f"no store at {self.path.parent} (run 'policyqa ingest' first)")
        self._local = threading.local()
        self._write_lock = threading.Lock()
        try:
            c = self._connection()
            if read_only:
                self._check_schema(c)
            else:
                fresh = c.execute("SELECT count(*) AS n FROM sqlite_master").fetchone()["n"] == 0
                if not fresh:
                    self._check_schema(c)
                c.executescript(_SCHEMA)
                _add_columns(c)
                c.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):
                raise StoreError(f"the store's catalog {self.path} is locked by another program "
                                 "(an ingest still running?); try again when it has finished") from e
            if "readonly" in str(e) or "read-only" in str(e) or "unable to open" in str(e):
                raise StoreError(f"the store's catalog {self.path} cannot be opened for writing "
                                 f"({e}); is the folder read-only?") from e
            raise DamagedStoreError(f"the store's catalog {self.path} is unreadable ({e}); "
                                    f"{REPAIR_HINT}") from e
        except sqlite3.DatabaseError as e:
            raise DamagedStoreError(f"the store's catalog {self.path} is unreadable ({e}); "
                                    f"{REPAIR_HINT}") from e

    def describe(self) -> str:
        return str(self.path)

    def _check_schema(self, c: sqlite3.Connection) -> None:
        tables = {r["name"] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = {"meta", "documents", "chunks", "goals"} - tables
        if missing:
            raise DamagedStoreError(f"the store's catalog {self.path} lacks its tables "
                                    f"({', '.join(sorted(missing))}); {REPAIR_HINT}")

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.read_only:
                conn = _open_read_only(self.path)
            else:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.row_factory = _dict_row
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _read(self, sql: str, args: Iterable = ()) -> list[dict]:
        return self._connection().execute(sql, tuple(args)).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        if self.read_only:
            raise StoreError(f"the store's catalog {self.path} was opened read-only")
        conn = self._connection()
        with self._write_lock:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                raise StoreError(f"the store's catalog {self.path} cannot be written ({e}); "
                                 "is another program holding it, or is the folder read-only?") from e
            try:
                yield Tx(lambda sql, args: conn.execute(sql, tuple(args)).fetchall())
                conn.execute(self._BUMP)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def schema_version(self) -> str:
        return self.get_meta("schema") or SCHEMA_VERSION

    def record_manager_url(self) -> str:
        return f"sqlite:///{self.path.parent / 'records.sqlite'}"

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """A lock file beside the catalog (flock: released by the system if the process dies)."""
        if self.read_only:
            yield
            return
        lock_path = self.path.with_name(f"{self.path.name}.{name}.lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # -- lexical index: FTS5 ----------------------------------------------------------------
    def _index_chunk(self, tx: Tx, rid: int, ch: Chunk, terms: list[str]) -> None:
        tx.execute("INSERT INTO chunks_fts (rowid, terms) VALUES (?, ?)", (rid, " ".join(terms)))

    def _unindex_chunks(self, tx: Tx, rids: list[int]) -> None:
        for rid in rids:
            tx.execute("DELETE FROM chunks_fts WHERE rowid=?", (rid,))

    def vocabulary(self) -> list[str]:
        return [r["term"] for r in self._read("SELECT term FROM chunks_vocab")]

    def lexical_search(self, terms: list[str], k: int, *, doc_types: list[str] | None = None,
                       date_from: str | None = None, date_to: str | None = None
                       ) -> list[tuple[str, float]]:
        q = fts_query(terms)
        if q is None:
            return []
        where, args = self._filters(doc_types, date_from, date_to)
        sql = ("SELECT c.chunk_id AS chunk_id, -bm25(chunks_fts) AS s FROM chunks_fts "
               "JOIN chunks c ON c.rid = chunks_fts.rowid WHERE chunks_fts MATCH ?" + where +
               " ORDER BY bm25(chunks_fts) LIMIT ?")
        args = [q, *args, k]
        try:
            rows = self._read(sql, args)
        except sqlite3.OperationalError:
            return []
        return [(r["chunk_id"], float(r["s"])) for r in rows]

    def document_frequency(self, term: str) -> int:
        q = fts_query([term])
        if q is None:
            return 0
        try:
            return int(self._read("SELECT count(*) AS n FROM chunks_fts WHERE chunks_fts MATCH ?",
                                  (q,))[0]["n"])
        except sqlite3.OperationalError:
            return 0
