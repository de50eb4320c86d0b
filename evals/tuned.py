"""The defaults chosen by evaluation, and the split they were chosen on (recorded in every report)."""

from __future__ import annotations

TUNED_ON = "dev (the dev split of questions.jsonl plus dev_extra.jsonl, 130 questions); never test"


def tuned_defaults() -> dict:
    from assistant.evidence import EvidenceScorer
    from assistant.extractive import ExtractiveAnswerer
    from assistant.retrieve import RRF_K
    from ingest.chunk import MAX_WORDS, TARGET_WORDS
    from policyqa.settings import Settings

    s = Settings()
    return {
        "tuned_on_split": TUNED_ON,
        "fusion": f"{s.fusion} (hybrid RRF for Danish and English questions, dense for others)",
        "rrf_k": RRF_K,
        "top_k": s.top_k,
        "chunk_target_words": TARGET_WORDS,
        "chunk_max_words": MAX_WORDS,
        "min_coverage (abstention)": ExtractiveAnswerer.min_coverage,
        "unknown/untranslated word weight": EvidenceScorer.soft_weight,
        "sentence re-ranking": f"{s.rerank} (POLICYQA_RERANK; weight {EvidenceScorer.dense_weight})",
        "min_type_fit (abstention)": ExtractiveAnswerer.min_type_fit,
        "evidence weights (coverage/type/rank)": (
            f"{EvidenceScorer.w_coverage}/{EvidenceScorer.w_type}/{EvidenceScorer.w_rank}"),
    }
