"""Strip instructions aimed at the assistant from a question; keep what is really asked."""

from __future__ import annotations

import re

from ingest.text import _INJECTION, is_instruction  # noqa: F401 - part of this module's interface

MAX_QUESTION_CHARS = 1000


def split_clauses(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<=[.!?])\s+|\n+", text) if c.strip()]


def sanitise(text: str) -> tuple[str, bool]:
    """(the question without instruction clauses, whether any were removed).

    Documents and questions are data: an instruction inside a question never changes how
    the assistant answers, it is dropped and the rest is answered from the documents.
    """
    text = " ".join(text.split())[:MAX_QUESTION_CHARS]
    clauses = split_clauses(text)
    kept = [c for c in clauses if not _INJECTION.search(c)]
    return " ".join(kept), len(kept) != len(clauses)
