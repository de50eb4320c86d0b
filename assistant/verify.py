"""Verify an LLM answer before anyone sees it: every [n] refers to a given passage, and every
number a sentence states occurs in a passage or goal record that the sentence cites."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.citations import MARKER
from ingest.numbers import numbers_in
from ingest.text import split_sentences


@dataclass
class Verified:
    text: str
    dropped: list[dict] = field(default_factory=list)
    removed_refs: list[int] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.dropped and not self.removed_refs


def _sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        out += [line[a:b] for a, b in split_sentences(line)]
    return out


def verify(text: str, support: dict[int, str], *, lang: str = "da") -> Verified:
    """Keep the sentences whose references and numbers check out.

    Args:
        support: passage number -> the text a sentence citing it may take numbers from (the
            passage, its title and date, and any goal record attached to it).
    """
    kept: list[str] = []
    result = Verified("")
    known_numbers = {n: numbers_in(t) for n, t in support.items()}
    for sentence in _sentences(text):
        refs = [int(m.group(1)) for m in MARKER.finditer(sentence)]
        unknown = [n for n in refs if n not in support]
        if unknown:
            result.removed_refs += unknown
            sentence = MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in support else "", sentence)
            sentence = re.sub(r"\s+([.,;:!?])", r"\1", sentence).strip()
        valid = [n for n in refs if n in support]
        body = MARKER.sub(" ", sentence).strip()
        if not re.search(r"\w", body):
            continue
        if not valid:
            result.dropped.append({"sentence": sentence, "reason": "cites no given passage"})
            continue
        allowed = set().union(*(known_numbers[n] for n in valid))
        missing = sorted(numbers_in(body, english=lang == "en") - allowed)
        if missing:
            result.dropped.append({"sentence": sentence,
                                   "reason": f"number not in the cited passages: {', '.join(missing)}"})
            continue
        kept.append(sentence)
    result.text = " ".join(kept)
    return result
