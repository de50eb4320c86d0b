"""The same code against a real Chroma server (`chroma run`) on loopback."""

import shutil
import sys
from pathlib import Path

import pytest

from conftest import free_port
from ingest.pipeline import ingest
from ingest.store import Store
from policyqa.errors import StoreError
from policyqa.procs import start_server, stop

pytestmark = [pytest.mark.integration, pytest.mark.server]


def _chroma_bin() -> str | None:
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else shutil.which("chroma")


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    exe = _chroma_bin()
    if exe is None:
        pytest.skip("the chroma command is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    url = f"http://127.0.0.1:{port}"
    try:
        proc = start_server([exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                            f"{url}/api/v2/heartbeat")
    except RuntimeError as e:
        pytest.fail(str(e))
    yield url
    stop(proc)


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
