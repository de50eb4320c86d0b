"""Citation markers [n]: find, check against the passages given, renumber when answers merge."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.models import Answer, Citation

MARKER = re.compile(r"\[(\d+)\]")


def markers(text: str) -> list[int]:
    return [int(m.group(1)) for m in MARKER.finditer(text)]


def unknown_markers(text: str, given: int) -> list[int]:
    """Markers that point at no passage of the `given` ones (1..given)."""
    return sorted({n for n in markers(text) if not 1 <= n <= given})


def strip_unknown(text: str, given: int) -> str:
    return MARKER.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= given else "", text)


def renumber(text: str, mapping: dict[int, int]) -> str:
    return MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", text)


def merge(answers: list[Answer], question: str) -> Answer:
    """One answer from the answers to the parts of a compound question; a passage cited by
    several parts keeps one number."""
    answered = [a for a in answers if not a.abstained]
    if not answered:
        return replace(answers[0], question=question)
    citations: list[Citation] = []
    by_chunk: dict[str, int] = {}
    texts = []
    goals: list[dict] = []
    seen_texts: set[str] = set()
    for a in answered:
        if a.answer in seen_texts:
            continue  # two parts answered by the same passage
        seen_texts.add(a.answer)
        mapping = {}
        for c in a.citations:
            if c.chunk_id not in by_chunk:
                by_chunk[c.chunk_id] = len(citations) + 1
                citations.append(replace(c, n=by_chunk[c.chunk_id]))
            mapping[c.n] = by_chunk[c.chunk_id]
        # a sentence another part already states (the parts often share a passage) is said once
        shown = {p for t in texts for p in t.split("\n\n")}
        text = "\n\n".join(p for p in renumber(a.answer, mapping).split("\n\n") if p not in shown)
        if text:
            texts.append(text)
        goals.extend(a.goals)
    first = answered[0]
    text = "\n\n".join(texts)
    used = set(markers(text))
    kept = [c for c in citations if c.n in used]  # a passage whose sentences were all said already
    dense = {c.n: i + 1 for i, c in enumerate(kept)}
    return replace(first, question=question, answer=renumber(text, dense),
                   citations=tuple(replace(c, n=dense[c.n]) for c in kept),
                   goals=tuple(goals), abstained=False)
