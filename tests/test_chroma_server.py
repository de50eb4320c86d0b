"""The same code against a real Chroma server (`chroma run`) on loopback."""

import pytest

from conftest import free_port
from ingest.pipeline import ingest
from ingest.store import Store
from policyqa.errors import StoreError

pytestmark = [pytest.mark.integration, pytest.mark.server]


def test_ingest_and_ask_through_a_chroma_server(chroma_server, tmp_path, corpus_dir):
    from assistant.service import Assistant

    store = Store(tmp_path / "local", chroma_url=chroma_server, create=True)
    report = ingest(store, [str(corpus_dir)], progress=False)
    assert report.count("added") == 5
    assert store.vectors.count() == store.catalog.chunk_count()
    again = ingest(store, [str(corpus_dir)], progress=False)
    assert again.chunks_written == 0
    a = Assistant(store).ask("Hvem er formand for Rådet for Socialt Udsatte?")
    assert "Vibe Klarup" in a.answer


def test_unreachable_server_is_one_clear_error(tmp_path):
    port = free_port()
    store = Store(tmp_path / "s", chroma_url=f"http://127.0.0.1:{port}", create=True)
    with pytest.raises(StoreError, match="cannot open the Chroma store"):
        store.vectors.count()
