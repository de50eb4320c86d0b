"""The server form under faults: the PostgreSQL server stopping in the middle of an ingest, and
restarting under a running process. A server of its own per test (the shared one stays up)."""

from __future__ import annotations

import pytest

from ingest.pipeline import ingest
from ingest.store import Store
from policyqa.errors import StoreError

pytestmark = [pytest.mark.integration, pytest.mark.server, pytest.mark.reliability]


@pytest.fixture
def own_postgres(postgres):  # the session fixture skips when PostgreSQL is not installed
    from policyqa.procs import Postgres

    pg = Postgres()
    yield pg
    pg.stop()


def _docs(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"referat_{i:03d}.txt").write_text(
            f"Referat af møde {i} i Socialudvalget\n\nUdvalget besluttede at nedbringe antallet af "
            f"hjemløse i område {i} med {10 + i} procent inden 2030. Sagen nummer {1000 + i} blev "
            "vedtaget uden bemærkninger.\n", encoding="utf-8")
    return folder


def _counts(store):
    cat = store.catalog
    return (len(cat.documents()), cat.chunk_count(), store.vectors.count(), len(cat.goals()),
            len(store.record_manager.list_keys()))


def test_a_server_stopping_midway_loses_nothing_and_a_rerun_completes(own_postgres, tmp_path, reliability):
    docs = _docs(tmp_path / "docs", 600)
    url = own_postgres.create_database("faults")
    store = Store(tmp_path / "s", spec="hash", create=True, catalog_url=url)
    from ingest import pipeline

    real = pipeline._flush
    calls = {"n": 0}

    def flush_then_stop(st, batch, report):
        calls["n"] += 1
        if calls["n"] == 2:
            own_postgres.halt()  # the database goes away between two batches
        return real(st, batch, report)

    pipeline._flush = flush_then_stop
    try:
        with pytest.raises(StoreError) as e:
            ingest(store, [str(docs)], progress=False)
    finally:
        pipeline._flush = real
    assert "Traceback" not in str(e.value) and len(str(e.value).splitlines()) == 1
    own_postgres.start()
    store.catalog.close()
    kept = Store(tmp_path / "s", spec="hash", create=True, catalog_url=url)
    first = _counts(kept)
    assert 0 < first[0] < 600 and first[1] <= first[2]  # the first batch is whole, nothing half
    again = ingest(kept, [str(docs)], progress=False)
    assert again.count("failed") == 0
    clean = Store(tmp_path / "clean", spec="hash", create=True)
    ingest(clean, [str(docs)], progress=False)
    assert _counts(kept)[:2] == _counts(clean)[:2] and _counts(kept)[3] == _counts(clean)[3]
    assert _counts(kept)[2] == _counts(kept)[1]  # every passage has its vector, none twice
    reliability["faults injected"] += 1
    kept.catalog.close()


def test_a_running_process_survives_a_server_restart(own_postgres, tmp_path, reliability):
    from ingest.catalog import open_catalog

    cat = open_catalog(own_postgres.create_database("restart"))
    cat.add_feedback("før", "svar", [], 1)
    own_postgres.halt()
    with pytest.raises(StoreError, match="catalog database"):
        cat.feedback()
    own_postgres.start()
    assert [f["question"] for f in cat.feedback()] == ["før"]  # no failed request after it is back
    cat.add_feedback("efter", "svar", [], 1)
    assert len(cat.feedback()) == 2
    reliability["faults injected"] += 1
    cat.close()
