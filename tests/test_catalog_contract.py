"""The catalog contract, run against both implementations: the embedded SQLite file and a real
PostgreSQL server started by the tests on loopback (Debian's `postgresql` package; `.ci/run`
installs it). Every test gets a fresh store filled by the real ingest pipeline."""

from __future__ import annotations

import threading
import uuid

import pytest

from conftest import POLICY_CLIMATE
from ingest.catalog import SQLiteCatalog, open_catalog
from ingest.pipeline import ingest
from ingest.store import Store
from policyqa.errors import StoreError

pytestmark = [pytest.mark.integration, pytest.mark.server]

@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def make_store(backend, request, tmp_path):
    """make_store(name) -> a new empty Store on this backend (hash embeddings: no model)."""
    made: list[tuple[Store, str | None]] = []

    def make(name: str = "s", url: str | None = None, **kw) -> Store:
        db = None
        if backend == "postgresql" and url is None:
            pg = request.getfixturevalue("postgres")
            db = f"t_{uuid.uuid4().hex[:12]}"
            url = pg.create_database(db)
        st = Store(tmp_path / name, spec="hash", create=True, catalog_url=url, **kw)
        made.append((st, db))
        return st

    yield make
    for st, db in made:
        st.catalog.close()
        if db:
            request.getfixturevalue("postgres").drop_database(db)


@pytest.fixture
def filled(make_store, policy_docs):
    store = make_store()
    report = ingest(store, [str(policy_docs)], progress=False)
    assert report.count("added") == 3, report.summary()
    return store


def _source(store, name):
    return next(r for r in store.catalog.documents() if r["source"].endswith(name))


def test_documents_and_passages_round_trip(filled):
    cat = filled.catalog
    rows = cat.documents()
    assert len(rows) == 3 and all(isinstance(r, dict) for r in rows)
    doc = _source(filled, "hjemloese.txt")
    assert cat.document_by_source(doc["source"])["doc_id"] == doc["doc_id"]
    full = cat.document_by_id(doc["doc_id"])
    assert "3.200" in full["text"] and full["fingerprint"]
    chunks = cat.document_chunks(doc["doc_id"])
    assert chunks and [c.index for c in chunks] == sorted(c.index for c in chunks)
    assert all(full["text"][c.start:c.end] == c.text for c in chunks)
    rows_by_id = cat.chunks_by_id([c.chunk_id for c in chunks])
    assert set(rows_by_id) == {c.chunk_id for c in chunks}
    assert all(r["language"] == "da" for r in rows_by_id.values())
    assert cat.chunk_count() == sum(r["n_chunks"] for r in rows)
    assert cat.chunk_counts_by_source()[doc["source"]] == len(chunks)


def test_lexical_search_ranks_filters_and_counts(filled):
    from ingest.text import content_terms

    cat = filled.catalog
    hits = cat.lexical_search(content_terms("hjemløse unge"), 5)
    assert hits and all(score > 0 for _, score in hits)
    best = cat.chunks_by_id([hits[0][0]])[hits[0][0]]
    assert "unge" in best["text"]  # the passage with both words beats those with one
    assert cat.lexical_search(content_terms("udledningen"), 5)[0][0].startswith(
        _source(filled, "klima.txt")["doc_id"])
    assert cat.lexical_search([], 5) == [] and cat.lexical_search(["zzzyx"], 5) == []
    assert cat.lexical_search(content_terms("hjemløse"), 5, doc_types=["statistics_release"]) == [] or all(
        cat.chunks_by_id([c])[c]["doc_type"] == "statistics_release"
        for c, _ in cat.lexical_search(content_terms("hjemløse"), 5, doc_types=["statistics_release"]))
    [term] = content_terms("hjemløse")
    assert cat.document_frequency(term) == 2
    assert term in cat.vocabulary()


def test_both_catalogs_rank_alike(make_store, policy_docs, backend, request):
    """The same documents give the same BM25 ranking and scores in SQLite and PostgreSQL."""
    if backend != "postgresql":
        pytest.skip("compares the two; runs once")
    from ingest.text import content_terms

    pg = make_store("pg")
    lite = Store(request.getfixturevalue("tmp_path") / "lite", spec="hash", create=True)
    for st in (pg, lite):
        ingest(st, [str(policy_docs)], progress=False)
    types = sorted({r["doc_type"] for r in lite.catalog.documents()})
    dates = sorted(r["date"] for r in lite.catalog.documents() if r["date"])
    filters = [{}, {"doc_types": types[:1]}, {"date_from": dates[-1]}, {"date_to": dates[0]}]
    for q in ("hjemløse i 2030", "udledningen faldet procent", "unge hjemløse 18 og 24 år", "CO2-neutral"):
        for f in filters:
            a = pg.catalog.lexical_search(content_terms(q), 10, **f)
            b = lite.catalog.lexical_search(content_terms(q), 10, **f)
            assert [c for c, _ in a] == [c for c, _ in b], (q, f)
            assert [round(s, 6) for _, s in a] == [round(s, 6) for _, s in b], (q, f)
    assert any(pg.catalog.lexical_search(content_terms("hjemløse"), 10, **f) !=
               pg.catalog.lexical_search(content_terms("hjemløse"), 10) for f in filters[1:])


def test_a_new_version_replaces_every_row_of_the_old(filled, policy_docs):
    from ingest.text import content_terms

    cat = filled.catalog
    old = _source(filled, "klima.txt")
    old_goals = [g for g in cat.goals() if g.doc_id == old["doc_id"]]
    assert old_goals
    (policy_docs / "klima.txt").write_text(POLICY_CLIMATE.replace("70 procent", "80 procent").replace(
        "Udledningen", "Drivhusgasserne").replace("udledningen", "drivhusgasserne"), encoding="utf-8")
    report = ingest(filled, [str(policy_docs)], progress=False)
    assert report.count("updated") == 1 and report.count("unchanged") == 2
    new = _source(filled, "klima.txt")
    assert new["doc_id"] != old["doc_id"] and cat.document_by_id(old["doc_id"]) is None
    assert cat.document_chunks(old["doc_id"]) == []
    assert not [g for g in cat.goals() if g.doc_id == old["doc_id"]]
    assert not [m for m in cat.measurements() if m.doc_id == old["doc_id"]]
    assert cat.lexical_search(content_terms("udledningen"), 5) == []
    assert cat.lexical_search(content_terms("drivhusgasserne"), 5)


def test_goals_measurements_and_supersession_links(filled):
    cat = filled.catalog
    goals = cat.goals()
    homeless = [g for g in goals if g.topic == "homelessness"]
    assert homeless and homeless[0].deadline == 2030
    assert any(m.topic == "homelessness" and m.year == 2024 for m in cat.measurements())
    a, b = goals[0].goal_id, goals[1].goal_id
    before = cat.version()
    cat.set_superseded({a: b, b: None})
    after = {g.goal_id: g for g in cat.goals()}
    assert after[a].superseded_by == b and after[b].supersedes == (a,)
    assert cat.version() != before


def test_feedback_is_kept_in_order_with_its_citations(make_store):
    cat = make_store().catalog
    first = cat.add_feedback("Hvad er målet?", "3.200 [1]", [{"n": 1, "source": "a.txt"}], 1, "", "da")
    second = cat.add_feedback("What is the goal?", "3,200 [1]", [], -1, "wrong year", "en")
    assert second > first
    rows = cat.feedback()
    assert [r["rating"] for r in rows] == [1, -1]
    assert rows[0]["citations"] == [{"n": 1, "source": "a.txt"}] and rows[1]["comment"] == "wrong year"


def test_a_failed_transaction_leaves_nothing_behind(filled):
    cat = filled.catalog
    before = (cat.version(), cat.chunk_count(), len(cat.documents()))
    with pytest.raises(RuntimeError):
        with cat.transaction() as tx:
            tx.execute("DELETE FROM chunks")
            raise RuntimeError("interrupted")
    assert (cat.version(), cat.chunk_count(), len(cat.documents())) == before


def test_removing_a_document_removes_all_of_it(filled):
    from ingest.text import content_terms

    doc = _source(filled, "status.txt")
    filled.delete_document(doc["doc_id"], doc["source"])
    cat = filled.catalog
    assert cat.document_by_id(doc["doc_id"]) is None and len(cat.documents()) == 2
    assert not [m for m in cat.measurements() if m.doc_id == doc["doc_id"]]
    assert all(not c.startswith(doc["doc_id"]) for c, _ in cat.lexical_search(content_terms("hjemløse"), 9))
    assert filled.vectors.count() == cat.chunk_count()
    assert filled.record_manager.list_keys(group_ids=[doc["source"]]) == []


def test_reingest_writes_nothing_and_keeps_index_records(filled, policy_docs):
    keys = filled.record_manager.list_keys()
    assert len(keys) == filled.vectors.count() == filled.catalog.chunk_count()
    again = ingest(filled, [str(policy_docs)], progress=False)
    assert again.count("unchanged") == 3 and again.chunks_written == 0
    assert sorted(filled.record_manager.list_keys()) == sorted(keys)


def test_read_only_opening_never_writes(filled):
    ro = Store(filled.path, spec="hash", read_only=True, catalog_url=filled.catalog_url)
    assert len(ro.catalog.documents()) == 3
    with pytest.raises(StoreError, match="read-only"):
        ro.catalog.set_meta("x", "1")
    ro.catalog.close()


def test_version_changes_with_every_write_from_any_process(filled):
    other = open_catalog(filled.catalog_url or filled.path / "catalog.sqlite")
    v = filled.catalog.version()
    assert other.version() == v
    other.set_meta("note", "written elsewhere")
    assert filled.catalog.version() != v and filled.catalog.get_meta("note") == "written elsewhere"
    other.close()


def test_document_claims_exclude_a_second_worker(make_store, backend):
    store = make_store()
    if backend == "sqlite":
        assert isinstance(store.catalog, SQLiteCatalog) and store.catalog.claim("a.txt")
        pytest.skip("one SQLite file has one writer at a time; claims always succeed")
    other = open_catalog(store.catalog_url)
    assert store.catalog.claim("a.txt")
    assert not other.claim("a.txt") and other.claim("b.txt")
    got = threading.Event()
    waiter = threading.Thread(target=lambda: (other.claim("a.txt", wait=True), got.set()))
    waiter.start()
    assert not got.wait(0.5)  # still held
    store.catalog.release_claims()
    assert got.wait(10)
    waiter.join()
    other.close()


def test_schema_is_created_once_by_concurrent_openers(backend, request):
    if backend != "postgresql":
        pytest.skip("PostgreSQL migrations")
    pg = request.getfixturevalue("postgres")
    url = pg.create_database(f"t_{uuid.uuid4().hex[:12]}")
    errors: list[Exception] = []

    def open_one():
        try:
            open_catalog(url).close()
        except Exception as e:  # noqa: BLE001 - any failure fails the test
            errors.append(e)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    import psycopg

    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM policyqa_migrations").fetchone()[0] == 1
        conn.execute("INSERT INTO policyqa_migrations (version) VALUES (999)")
    with pytest.raises(StoreError, match="newer than this policyqa"):
        open_catalog(url)


def test_a_missing_server_is_one_clear_error():
    from policyqa.procs import free_port

    with pytest.raises(StoreError, match="cannot reach the catalog database") as e:
        open_catalog(f"postgresql://policyqa:secret@127.0.0.1:{free_port()}/x")
    assert "secret" not in str(e.value)


def test_many_threads_share_a_bounded_number_of_connections(make_store, backend):
    """A UI answers many users at once from threads: every write lands once, and on PostgreSQL
    the process never holds more connections than its pool allows."""
    cat = make_store().catalog
    ids, errors = [], []

    def work(i: int):
        try:
            cat.documents()
            ids.append(cat.add_feedback(f"spørgsmål {i}", "svar", [], 1))
            cat.version()
        except Exception as e:  # noqa: BLE001 - any failure fails the test
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(ids)) == 40 and len(cat.feedback()) == 40
    if backend == "postgresql":
        from ingest.catalog_pg import POOL_SIZE

        n = cat._read("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
                      "AND application_name = 'policyqa'")[0]["n"]
        assert 1 <= n <= POOL_SIZE


def test_a_named_lock_excludes_other_processes(make_store):
    store = make_store()
    other = open_catalog(store.catalog_url or store.path / "catalog.sqlite")
    entered = threading.Event()

    def second():
        with other.lock("supersessions"):
            entered.set()

    with store.catalog.lock("supersessions"):
        t = threading.Thread(target=second)
        t.start()
        assert not entered.wait(0.5)  # held by the first
    assert entered.wait(10)
    t.join()
    other.close()
