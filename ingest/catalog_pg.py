"""The catalog on PostgreSQL: one store for several UI processes, ingest workers and machines.

Same contract and the same SQL as the embedded SQLite catalog (ingest/catalog.py). What differs:
- the schema is created and migrated by versioned SQL in `MIGRATIONS`, applied under an
  advisory lock by whichever process opens the database first;
- the lexical index is a postings table of the project's own Danish stems, ranked by BM25 in SQL
  with the same formula and constants as SQLite's FTS5 (k1 = 1.2, b = 0.75), so both catalogs
  rank alike. `text_search="danish"` ranks with PostgreSQL's own `danish` text-search
  configuration (ts_rank) instead; the README gives both measured on the evaluation sets;
- ingest workers take an advisory lock per document (`claim`), so two never write the same one.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from ingest.catalog import Catalog, Chunk, Tx
from policyqa.errors import StoreError, UsageError

# Each entry is applied once, in order, in one transaction; never edit an applied entry, add one.
MIGRATIONS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, source TEXT UNIQUE NOT NULL, path TEXT, title TEXT, date TEXT,
    doc_type TEXT, issuer TEXT, language TEXT, text TEXT, fingerprint TEXT,
    n_chunks INTEGER, n_goals INTEGER, ingested_at DOUBLE PRECISION, etag TEXT,
    last_modified TEXT, links TEXT
);
CREATE TABLE chunks (
    rid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL,
    doc_id TEXT NOT NULL, source TEXT, idx INTEGER, title TEXT, section TEXT, text TEXT,
    start INTEGER, "end" INTEGER, date TEXT, doc_type TEXT, kind TEXT DEFAULT 'text',
    page INTEGER, ocr INTEGER DEFAULT 0,
    n_terms INTEGER NOT NULL DEFAULT 0,
    tsv TSVECTOR
);
CREATE INDEX chunks_doc ON chunks (doc_id);
CREATE INDEX chunks_source ON chunks (source);
CREATE INDEX chunks_tsv ON chunks USING GIN (tsv);
CREATE TABLE postings (
    term TEXT NOT NULL, rid BIGINT NOT NULL REFERENCES chunks (rid) ON DELETE CASCADE,
    tf INTEGER NOT NULL, dl INTEGER NOT NULL,
    PRIMARY KEY (term, rid) INCLUDE (tf, dl)
);
CREATE INDEX postings_rid ON postings (rid);
CREATE TABLE goals (
    goal_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, chunk_id TEXT, topic TEXT, programme TEXT,
    deadline INTEGER, announced TEXT, kind TEXT, superseded_by TEXT, record TEXT NOT NULL
);
CREATE INDEX goals_doc ON goals (doc_id);
CREATE INDEX goals_topic ON goals (topic);
CREATE TABLE measurements (
    measurement_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, chunk_id TEXT, topic TEXT,
    year INTEGER, record TEXT NOT NULL
);
CREATE INDEX measurements_doc ON measurements (doc_id);
CREATE TABLE feedback (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created DOUBLE PRECISION, question TEXT,
    answer TEXT, citations TEXT, rating INTEGER, comment TEXT, language TEXT
);
"""),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
POOL_SIZE = 8  # connections per process at most (the UI answers up to 8 questions at once)
POOL_WAIT_S = 10.0  # how long a request waits for a connection (the server down: one clear error)
_LOCK_SPACE = 7_240_521  # advisory-lock keys of policyqa: hashtextextended(name, this)
K1, B = 1.2, 0.75  # FTS5's bm25() constants


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def _pg(sql: str) -> str:
    """The shared SQL's ? placeholders as psycopg's %s (a literal % doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresCatalog(Catalog):
    """A connection per thread (autocommit for reads, explicit transactions for writes)."""

    kind = "postgresql"

    def __init__(self, url: str, *, create: bool = True, read_only: bool = False,
                 text_search: str = "stems"):
        try:
            import psycopg  # noqa: F401
        except ImportError as e:
            raise UsageError("a PostgreSQL catalog needs psycopg: pip install 'policyqa[pg]'") from e
        if text_search not in ("stems", "danish"):
            raise UsageError(f"unknown text search '{text_search}': use 'stems' or 'danish'")
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.read_only = read_only
        self.text_search = text_search
        self._claims: set[str] = set()
        self._session = None  # the connection that holds advisory locks (claims, `lock`)
        self._session_lock = threading.RLock()
        self._named: dict[str, threading.Lock] = {}  # in-process side of `lock`
        self._probe()
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        options = "-c default_transaction_read_only=on" if read_only else ""
        self._pool = ConnectionPool(
            self.url, min_size=1, max_size=POOL_SIZE, open=False, name="policyqa",
            check=ConnectionPool.check_connection,  # a server restart costs no failed request
            kwargs={"autocommit": True, "row_factory": dict_row, "connect_timeout": 10,
                    "application_name": "policyqa", **({"options": options} if options else {})})
        self._pool.open(wait=True, timeout=30)
        with self._conn() as c:
            if not read_only and create:
                self._migrate(c)
        if read_only or not create:
            self._check_schema()

    def describe(self) -> str:
        return redact(self.url)

    # -- connections and schema -----------------------------------------------------------
    def _probe(self) -> None:
        """Fail at once, with one line, when the server cannot be reached or refuses the login."""
        import psycopg

        try:
            psycopg.connect(self.url, connect_timeout=10).close()
        except psycopg.Error as e:
            raise StoreError(f"cannot reach the catalog database {self.describe()} "
                             f"({_first_line(e)})") from e

    @contextmanager
    def _conn(self):
        """A connection from this process's pool (at most POOL_SIZE, however many threads)."""
        from psycopg_pool import PoolTimeout

        try:
            with self._pool.connection(timeout=POOL_WAIT_S) as conn:
                yield conn
        except PoolTimeout as e:
            raise StoreError(f"the catalog database {self.describe()} gave no connection within "
                             f"{POOL_WAIT_S:.0f} s (is it down or overloaded?)") from e

    def _session_conn(self):
        if self._session is None or self._session.closed:
            import psycopg
            from psycopg.rows import dict_row

            self._session = psycopg.connect(self.url, autocommit=True, row_factory=dict_row,
                                            connect_timeout=10, application_name="policyqa-locks")
        return self._session

    def close(self) -> None:
        self.release_claims()
        self._pool.close()
        if self._session is not None and not self._session.closed:
            self._session.close()
        self._session = None

    def _migrate(self, conn) -> None:
        """Apply the migrations this database lacks, under one advisory lock, so two processes
        starting at once never both create the tables."""
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('schema', %s))", (_LOCK_SPACE,))
            conn.execute("CREATE TABLE IF NOT EXISTS policyqa_migrations (version INTEGER PRIMARY KEY, "
                         "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            done = {r["version"] for r in conn.execute("SELECT version FROM policyqa_migrations")}
            newer = {v for v in done if v > SCHEMA_VERSION}
            if newer:
                raise StoreError(f"the catalog database {self.describe()} has schema version "
                                 f"{max(newer)}, newer than this policyqa knows ({SCHEMA_VERSION}); "
                                 "upgrade policyqa")
            for version, sql in MIGRATIONS:
                if version not in done:
                    conn.execute(sql)
                    conn.execute("INSERT INTO policyqa_migrations (version) VALUES (%s)", (version,))
            conn.execute("INSERT INTO meta (key, value) VALUES ('schema', %s) ON CONFLICT (key) "
                         "DO UPDATE SET value = excluded.value", (str(SCHEMA_VERSION),))

    def _check_schema(self) -> None:
        version = self.schema_version()
        if version == "0":
            raise StoreError(f"no store in the catalog database {self.describe()} (run "
                             "'policyqa ingest' first)")
        if int(version) > SCHEMA_VERSION:
            raise StoreError(f"the catalog database {self.describe()} has schema version {version}, "
                             f"newer than this policyqa knows ({SCHEMA_VERSION}); upgrade policyqa")

    def schema_version(self) -> str:
        if not self._read("SELECT to_regclass('policyqa_migrations') IS NOT NULL AS present")[0]["present"]:
            return "0"
        return str(self._read("SELECT max(version) AS v FROM policyqa_migrations")[0]["v"] or 0)

    def record_manager_url(self) -> str:
        return "postgresql+psycopg://" + self.url.split("://", 1)[1]

    # -- statements -------------------------------------------------------------------------
    def _read(self, sql: str, args: Iterable = ()) -> list[dict]:
        import psycopg

        try:
            with self._conn() as conn:
                return conn.execute(_pg(sql), tuple(args)).fetchall()
        except psycopg.OperationalError as e:
            raise StoreError(f"the catalog database {self.describe()} stopped answering "
                             f"({_first_line(e)})") from e

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """The generation is bumped first: it takes the meta row's lock, so writers queue
        one behind the other (as SQLite's single writer does) and never deadlock."""
        if self.read_only:
            raise StoreError(f"the catalog database {self.describe()} was opened read-only")
        with self._conn() as conn:

            def run(sql: str, args: Iterable = ()) -> list[dict]:
                cur = conn.execute(_pg(sql), tuple(args))
                return cur.fetchall() if cur.description else []

            with conn.transaction():
                run(self._BUMP)
                tx = _PgTx(run, conn)
                yield tx
                tx.flush_index()

    # -- locks --------------------------------------------------------------------------------
    def _advisory(self, fn: str, key: str):
        with self._session_lock:
            return self._session_conn().execute(
                f"SELECT {fn}(hashtextextended(%s, %s)) AS ok", (key, _LOCK_SPACE)).fetchone()["ok"]

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """Across processes an advisory lock, held by a connection of its own for as long as
        it is held (closing it lets go, even if this process dies); within the process a thread
        lock as well."""
        import psycopg

        local = self._named.setdefault(name, threading.Lock())
        with local:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10,
                                   application_name="policyqa-lock")
            try:
                conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, %s))", (f"lock:{name}", _LOCK_SPACE))
                yield
            finally:
                conn.close()

    def claim(self, source: str, *, wait: bool = False) -> bool:
        if source in self._claims:
            return True
        if wait:
            with self._session_lock:
                conn = self._session_conn()
            conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, %s))", (f"doc:{source}", _LOCK_SPACE))
        elif not self._advisory("pg_try_advisory_lock", f"doc:{source}"):
            return False
        self._claims.add(source)
        return True

    def release_claims(self) -> None:
        import psycopg

        if self._session is not None and not self._session.closed:
            try:
                for source in self._claims:
                    self._advisory("pg_advisory_unlock", f"doc:{source}")
            except psycopg.Error:  # the connection is gone, and its locks with it
                self._session.close()
        self._claims.clear()

    # -- lexical index ------------------------------------------------------------------------
    def _index_chunk(self, tx: Tx, rid: int, ch: Chunk, terms: list[str]) -> None:
        """Queued, and written for the whole transaction at once (one COPY, one batch of
        updates) when it commits."""
        raw = f"{ch.title} {ch.section} {ch.issuer or ''} {ch.text}"
        tx.pending[rid] = (raw, fts_tokens(terms))

    def _unindex_chunks(self, tx: Tx, rids: list[int]) -> None:
        # postings go with their chunk rows (ON DELETE CASCADE), tsv is a column; a passage
        # written earlier in this transaction is not indexed at all
        for rid in rids:
            tx.pending.pop(rid, None)

    def _stats(self) -> tuple[float, float]:
        """Passages and their mean length in tokens, read again when the catalog changed."""
        version = self.version()
        if getattr(self, "_stats_for", (None,))[0] != version:
            row = self._read("SELECT count(*)::float8 AS n, coalesce(avg(n_terms), 0)::float8 AS avgdl "
                             "FROM chunks")[0]
            self._stats_for = (version, (row["n"], max(row["avgdl"], 1.0)))
        return self._stats_for[1]

    def vocabulary(self) -> list[str]:
        return [r["term"] for r in self._read("SELECT DISTINCT term FROM postings")]

    def document_frequency(self, term: str) -> int:
        tokens = fts_tokens([term])
        if not tokens:
            return 0
        if len(tokens) == 1:
            return int(self._read("SELECT count(*) AS n FROM postings WHERE term=?", tokens)[0]["n"])
        return int(self._read(  # passages with every token (FTS5 counts the phrase)
            "SELECT count(*) AS n FROM (SELECT rid FROM postings WHERE term = ANY(?::text[]) "
            "GROUP BY rid HAVING count(*) = ?) x", (tokens, len(set(tokens))))[0]["n"])

    def lexical_search(self, terms: list[str], k: int, *, doc_types: list[str] | None = None,
                       date_from: str | None = None, date_to: str | None = None
                       ) -> list[tuple[str, float]]:
        uniq = list(dict.fromkeys(fts_tokens(terms)))
        if not uniq:
            return []
        where, args = self._filters(doc_types, date_from, date_to)
        if self.text_search == "danish":
            query = " or ".join(re.sub(r"[^\w]+", " ", t) for t in uniq)
            sql = ("SELECT c.chunk_id, ts_rank(c.tsv, q) AS s FROM chunks c, "
                   "websearch_to_tsquery('danish', ?) q WHERE c.tsv @@ q" + where +
                   " ORDER BY s DESC, c.rid LIMIT ?")
            rows = self._read(sql, [query, *args, k])
        else:
            # BM25 as FTS5 computes it: idf = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6; the
            # postings carry their passage's length, so only the top k touch the chunks table
            # (unless a filter needs it)
            n, avgdl = self._stats()
            score = ("sum(greatest(ln((?::float8 - df.n + 0.5) / (df.n + 0.5)), 1e-6) * p.tf * "
                     f"{K1 + 1} / (p.tf + {K1} * ({1 - B} + {B} * p.dl / ?::float8)))")
            join = " JOIN chunks c ON c.rid = p.rid WHERE true" + where if where else ""
            sql = ("WITH df AS (SELECT term, count(*)::float8 AS n FROM postings "
                   "WHERE term = ANY(?::text[]) GROUP BY term), "
                   f"top AS (SELECT p.rid, {score} AS s FROM postings p JOIN df USING (term)"
                   f"{join} GROUP BY p.rid ORDER BY s DESC, p.rid LIMIT ?) "
                   "SELECT c.chunk_id, top.s FROM top JOIN chunks c USING (rid) ORDER BY top.s DESC, top.rid")
            rows = self._read(sql, [uniq, n, avgdl, *args, k])
        return [(r["chunk_id"], float(r["s"])) for r in rows if float(r["s"]) > 0]


def fts_tokens(terms: Iterable[str]) -> list[str]:
    """Terms as SQLite's FTS5 tokenizer (unicode61) splits them: runs of letters and digits,
    so both catalogs count the same tokens. A term FTS5 would match as a phrase ('2,5') is
    matched here token by token."""
    return [tok for t in terms for tok in _TOKEN.findall(t.lower())]


_TOKEN = re.compile(r"[^\W_]+")


class _PgTx(Tx):
    def __init__(self, run, conn):
        super().__init__(run)
        self.conn = conn
        self.pending: dict[int, tuple[str, list[str]]] = {}  # rid -> (raw text, tokens)

    def flush_index(self) -> None:
        if not self.pending:
            return
        with self.conn.cursor() as cur:
            cur.executemany("UPDATE chunks SET n_terms = %s, tsv = to_tsvector('danish', %s) WHERE rid = %s",
                            [(len(tokens), raw, rid) for rid, (raw, tokens) in self.pending.items()])
            with cur.copy("COPY postings (term, rid, tf, dl) FROM STDIN") as copy:
                for rid, (_, tokens) in self.pending.items():
                    for term, tf in Counter(tokens).items():
                        copy.write_row((term, rid, tf, len(tokens)))
        self.pending.clear()


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return (text.splitlines()[0] if text else type(e).__name__)[:200]
