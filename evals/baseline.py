"""The baseline: plain LangChain RAG (recursive 1000/200 splitter, Chroma, same embeddings, top-4)."""

from __future__ import annotations

from pathlib import Path

from assistant.models import Answer, Citation
from ingest.load import iter_targets, load
from ingest.store import Store, embedding_function

COLLECTION = "baseline-langchain"


class LangChainBaseline:
    """What a typical RAG tutorial builds: no cleaning, no BM25, no goals, no abstention."""

    k = 4
    max_chars = 800  # a fact only counts in an answer of at most 800 characters

    def __init__(self, store: Store, corpus: list[str]):
        from langchain_chroma import Chroma

        ef = embedding_function(lambda: store.embedder, store.spec)
        client = store.vectors.client
        collection = client.get_or_create_collection(COLLECTION, embedding_function=ef,
                                                     configuration={"hnsw": {"space": "cosine"}})
        self.db = Chroma(client=client, collection_name=COLLECTION,
                         embedding_function=store.embedder)
        self.db._chroma_collection = collection  # ours, with the project's embedding function
        if self.db._collection.count() == 0:
            self._build(store, corpus)

    def _build(self, store: Store, corpus: list[str]) -> None:
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        docs = []
        for source, target in iter_targets(corpus):
            raw = load(source, target, max_bytes=50_000_000)
            text = raw.text
            if raw.kind == "html":
                from bs4 import BeautifulSoup

                text = BeautifulSoup(raw.text, "lxml").get_text("\n")
            docs.append(Document(page_content=text, metadata={"source": source}))
        chunks = splitter.split_documents(docs)
        ids = [f"{c.metadata['source']}:{i}" for i, c in enumerate(chunks)]
        for i in range(0, len(chunks), 2000):  # Chroma caps one write at a few thousand records
            self.db.add_documents(chunks[i: i + 2000], ids=ids[i: i + 2000])

    def search(self, question: str, k: int = 10) -> list[tuple[str, str, float]]:
        """[(source, passage, score)] best first."""
        res = self.db.similarity_search_with_relevance_scores(question, k=k)
        return [(d.metadata["source"], d.page_content, float(s)) for d, s in res]

    def ask(self, question: str) -> Answer:
        found = self.search(question, self.k)
        text = "\n\n".join(p for _, p, _ in found)[: self.max_chars]
        cites = tuple(
            Citation(n=i, source=s, title=Path(s).stem, date=None, doc_type="other", text=p,
                     score=sc, chunk_id=f"baseline:{i}", start=0, end=len(p))
            for i, (s, p, sc) in enumerate(found, start=1))
        return Answer(question=question, answer=text, language="", abstained=False,
                      citations=cites, answerer="langchain-baseline")
