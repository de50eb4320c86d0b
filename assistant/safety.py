"""Strip instructions aimed at the assistant from a question; keep what is really asked."""

from __future__ import annotations

import re

MAX_QUESTION_CHARS = 1000

_INJECTION = re.compile(
    r"(ignore|disregard|forget)\s+(all\s+|any\s+|the\s+|your\s+)?(previous|prior|above|earlier|"
    r"system)?\s*(instructions?|rules|prompts?|context)"
    r"|(glem|ignorer|se bort fra)\s+(alle\s+|dine\s+|de\s+)?(tidligere\s+)?(instrukser|instruktioner|"
    r"regler|anvisninger|kontekst)"
    r"|\byou are now\b|\bdu er nu\b|\bsystem prompt\b|\bsystemprompt\b|\bact as\b|\bopfør dig som\b"
    r"|(^|\b(and|then|og|så)\s+)(please\s+)?(just\s+)?(say|answer|reply|write|respond|state|claim)\s+"
    r"(that|only|with)\b"
    r"|(^|\b(og|så)\s+)(sig|svar|skriv|påstå|oplys)\s*,?\s+(at|kun|blot|altid)\b"
    r"|\bignor[eé]r\w*\s+(system)?prompt\w*|\bsystemprompt"
    r"|\b(from now on|fra nu af|henceforth|fremover skal du)\b|\binstructions? from the\b"
    r"|\bthe following is an instruction|\bfølgende er en instruks"
    r"|\bskriv (et|en) (digt|sang|historie)\b|\bwrite (a|an) (poem|song|story)\b"
    r"|\b(reveal|show|print)\s+(your|the)\s+(prompt|instructions)"
    r"|^\s*(system|assistant|developer)\s*:|udviklertilstand|developer mode|jailbreak|\bDAN\b"
    r"|(svar\w*|answer\w*|respond\w*)\s+(uden|without)\s+(kilder|sources|citations|kildehenvisninger)",
    re.I,
)


def is_instruction(text: str) -> bool:
    """Text addressed to an assistant ("ignore previous instructions", "sig at ..."): in a
    document it is data, never evidence and never a goal."""
    return bool(_INJECTION.search(text))


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
