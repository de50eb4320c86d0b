"""One store for a whole administration: a PostgreSQL catalog and a Chroma server, written by two
ingest workers at once and served by two UI processes, all real processes on loopback.

What must hold: the two workers' store is the same as one process ingesting the same files
(nothing lost, duplicated or crossed), the two UIs answer alike and as that store does, and a
document removed through one UI is gone from the other's answers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from ingest.store import Store
from policyqa.procs import free_port, start_server, stop

pytestmark = [pytest.mark.integration, pytest.mark.server, pytest.mark.slow]

CLI = [sys.executable, "-m", "ui.cli"]
UNSEEN = ROOT / "evals" / "unseen" / "docs"
QUESTIONS = [
    "Hvem er formand for Rådet for Socialt Udsatte?",
    "Hvad er målet for hjemløshed?",
    "Hvor mange narkorelaterede dødsfald var der i 2024?",
    "What is the target for people with disabilities in jobs?",
    "Hvad besluttede udvalget om dobbeltdiagnoser?",
    "Hvad er målet for CO2-udledningen?",
]


def _env(catalog_url: str, chroma_url: str, collection: str, store: Path) -> dict:
    return {**os.environ, "POLICYQA_CATALOG_URL": catalog_url, "POLICYQA_CHROMA_URL": chroma_url,
            "POLICYQA_COLLECTION": collection, "POLICYQA_STORE": str(store),
            "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False",
            "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def _worker(env: dict, files: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "ingest", "--json", *map(str, files)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)


def _summary(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def _store(env: dict) -> Store:
    return Store(Path(env["POLICYQA_STORE"]), chroma_url=env["POLICYQA_CHROMA_URL"],
                 collection=env["POLICYQA_COLLECTION"], catalog_url=env["POLICYQA_CATALOG_URL"],
                 read_only=True)


def _contents(store: Store) -> dict:
    """Everything a store holds, as comparable sets: documents, passages, goals, measurements,
    vectors and index records."""
    cat = store.catalog
    docs = {(r["source"], r["doc_id"], r["n_chunks"], r["n_goals"]) for r in cat.documents()}
    chunks = {c.chunk_id: (c.source, c.text) for r in cat.documents()
              for c in cat.document_chunks(r["doc_id"])}
    vec = store.vectors.collection.get(include=["metadatas"])
    vector_chunks = [m["chunk_id"] for m in vec["metadatas"]]
    return {
        "documents": docs,
        "chunks": chunks,
        "goals": {(g.goal_id, g.doc_id, g.superseded_by) for g in cat.goals()},
        "measurements": {(m.measurement_id, m.doc_id) for m in cat.measurements()},
        "vector_chunks": sorted(vector_chunks),
        "vector_sources": {m["chunk_id"]: m["source"] for m in vec["metadatas"]},
        "index_records": len(store.record_manager.list_keys()),
    }


def _answer(url: str, question: str) -> dict:
    from gradio_client import Client

    return Client(url, verbose=False).predict(question, [], api_name="/ask")


def _comparable(a: dict) -> tuple:
    return (a["answer"], a["abstained"], tuple((c["source"], c["chunk_id"]) for c in a["citations"]))


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("shared-docs")
    picked = sorted(CORPUS.glob("*.txt")) + sorted(UNSEEN.iterdir())[:15]
    for f in picked:
        shutil.copy(f, folder / f.name)
    return sorted(folder.iterdir())


def test_two_workers_and_two_uis_share_one_store(postgres, chroma_server, files, tmp_path):
    ref_env = _env(postgres.create_database("shared_ref"), chroma_server, "ref", tmp_path / "ref")
    env = _env(postgres.create_database("shared"), chroma_server, "shared", tmp_path / "w1")

    # one process, all files: the reference
    ref = _summary(_worker(ref_env, files))
    assert ref["added"] == len(files) and ref["failed"] == 0

    # two workers at once, disjoint halves
    first, second = files[0::2], files[1::2]
    w1 = _worker(env, first)
    w2 = _worker({**env, "POLICYQA_STORE": str(tmp_path / "w2")}, second)
    s1, s2 = _summary(w1), _summary(w2)
    assert (s1["added"], s2["added"]) == (len(first), len(second))
    assert s1["failed"] == s2["failed"] == 0

    shared, reference = _store(env), _store(ref_env)
    got, want = _contents(shared), _contents(reference)
    assert got["documents"] == want["documents"]  # nothing lost or added
    assert got["chunks"] == want["chunks"]  # every passage in its own document, none crossed
    assert got["goals"] == want["goals"] and got["measurements"] == want["measurements"]
    assert len(got["vector_chunks"]) == len(set(got["vector_chunks"])) == len(got["chunks"])  # no duplicates
    assert set(got["vector_chunks"]) == set(got["chunks"])
    assert all(got["chunks"][c][0] == s for c, s in got["vector_sources"].items())
    assert got["index_records"] == want["index_records"] == len(got["chunks"])

    # two workers at once over all the files: the per-document locks let each file be written
    # at most once, so nothing is embedded again and nothing changes
    w1, w2 = _worker(env, files), _worker(env, list(reversed(files)))
    s1, s2 = _summary(w1), _summary(w2)
    assert s1["unchanged"] == s2["unchanged"] == len(files) and s1["chunks_written"] == s2["chunks_written"] == 0
    assert _contents(shared) == got

    # two UI processes over the shared store answer alike, and as the single-process store does
    from assistant.service import Assistant

    ports = [free_port(), free_port()]
    uis = []
    try:
        for i, port in enumerate(ports):
            ui_env = {**env, "POLICYQA_STORE": str(tmp_path / f"ui{i}")}
            uis.append(start_server([*CLI, "serve", "--port", str(port)], f"http://127.0.0.1:{port}/",
                                    timeout=180, env=ui_env))
        urls = [f"http://127.0.0.1:{p}/" for p in ports]
        bot = Assistant(reference)
        for q in QUESTIONS:
            a, b = _answer(urls[0], q), _answer(urls[1], q)
            assert _comparable(a) == _comparable(b), q
            assert _comparable(a) == _comparable(bot.ask(q).to_json()), q

        # remove, through the first UI, the document the second cites for a question
        q = "Hvem er formand for Rådet for Socialt Udsatte?"
        cited = _answer(urls[1], q)["citations"][0]["source"]
        from gradio_client import Client

        Client(urls[0], verbose=False).predict(cited, api_name="/remove_doc")
        deadline = time.time() + 30
        while True:
            after = _answer(urls[1], q)
            if all(c["source"] != cited for c in after["citations"]) or time.time() > deadline:
                break
            time.sleep(1)
        assert all(c["source"] != cited for c in after["citations"])
        assert cited not in {r["source"] for r in shared.catalog.documents()}
        assert all(s != cited for s in _contents(shared)["vector_sources"].values())
    finally:
        for proc in uis:
            stop(proc)
        for st in (shared, reference):
            st.catalog.close()
