"""Small pure metric functions for retrieval and answers; each is unit-tested on hand-computed cases."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from ingest.numbers import numbers_in


# A fact counts only inside the first 800 characters of an answer: past that, users stop reading
# (and the measurements in MEASURED.md were made this way).
MAX_ANSWER_CHARS = 800


def normalise(text: str) -> str:
    """Lower case, NFC, one space, thousands separators removed between digits ('4.000' -> '4000')."""
    t = unicodedata.normalize("NFC", text or "").lower()
    t = re.sub(r"(?<=\d)[.,\u00a0 ](?=\d{3}(?!\d))", "", t)
    return " ".join(t.split())


def _contains(haystack: str, needle: str) -> bool:
    n = normalise(needle)
    if not n:
        return False
    # whole-token match at the edges that are alphanumeric ("4" must not match "2014")
    left = r"(?<![\w])" if n[0].isalnum() else ""
    right = r"(?![\w])" if n[-1].isalnum() and n[-1].isdigit() else ""
    for m in re.finditer(left + re.escape(n) + right, haystack):
        # a word fact ("nået", "met") is not stated by its negation ("ikke nået", "not met")
        if n[0].isalpha() and _NEGATED.search(haystack[max(0, m.start() - 20):m.start()]):
            continue
        return True
    return False


_NEGATED = re.compile(r"\b(ikke|not|never|aldrig)\s+(blevet\s+|been\s+|yet\s+|endnu\s+)?$")


def fact_present(alternatives: Sequence[str], answer: str) -> bool:
    """A fact is present if any of its alternative strings occurs in the answer."""
    hay = normalise(answer)
    return any(_contains(hay, alt) for alt in alternatives)


def facts_correct(facts: Sequence[Sequence[str]], answer: str, forbidden: Sequence[str] = ()) -> bool:
    """All expected facts present and none of the forbidden strings."""
    hay = normalise(answer)
    if any(_contains(hay, f) for f in forbidden):
        return False
    return all(fact_present(alts, answer) for alts in facts)


def dedupe(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def recall_at_k(ranked: Sequence[str], relevant: Sequence[str], k: int) -> float:
    """Share of the relevant items among the first k of the (de-duplicated) ranking."""
    rel = set(relevant)
    if not rel:
        return 0.0
    return len(set(dedupe(ranked)[:k]) & rel) / len(rel)


def mrr_at_k(ranked: Sequence[str], relevant: Sequence[str], k: int = 10) -> float:
    """1 / rank of the first relevant item within the first k; 0 if none."""
    rel = set(relevant)
    for i, item in enumerate(dedupe(ranked)[:k], start=1):
        if item in rel:
            return 1.0 / i
    return 0.0


def ndcg_at_k(ranked: Sequence[str], relevant: Sequence[str], k: int = 10) -> float:
    """Binary-relevance nDCG over the first k of the de-duplicated ranking."""
    rel = set(relevant)
    if not rel:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 1) for i, item in enumerate(dedupe(ranked)[:k], start=1)
              if item in rel)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(rel), k) + 1))
    return dcg / ideal


def citation_precision(cited_passages: Sequence[str], facts: Sequence[Sequence[str]]) -> float | None:
    """Share of cited passages that contain at least one expected fact; None without citations."""
    if not cited_passages or not facts:
        return None
    good = sum(1 for p in cited_passages if any(fact_present(alts, p) for alts in facts))
    return good / len(cited_passages)


def citation_recall(cited_sources: Sequence[str], expected_sources: Sequence[str]) -> float | None:
    """Share of the expected source documents that the answer cites; None if none expected."""
    if not expected_sources:
        return None
    return len(set(cited_sources) & set(expected_sources)) / len(set(expected_sources))


_MARKER = re.compile(r"\[\d+\]")


def unsupported_numbers(answer: str, cited_passages: Sequence[str]) -> list[str]:
    """Numbers stated in the answer that occur in none of its cited passages."""
    said = numbers_in(_MARKER.sub(" ", answer))
    if not said:
        return []
    supported: set[str] = set()
    for p in cited_passages:
        supported |= numbers_in(p)
    return sorted(said - supported)


def abstention_scores(predicted: Sequence[bool], should: Sequence[bool]) -> dict[str, float | None]:
    """Precision and recall of abstaining, over all questions."""
    tp = sum(1 for p, s in zip(predicted, should) if p and s)
    fp = sum(1 for p, s in zip(predicted, should) if p and not s)
    fn = sum(1 for p, s in zip(predicted, should) if not p and s)
    return {
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
    }


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    s = sorted(values)
    idx = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[idx]
