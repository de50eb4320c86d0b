"""Render answers, citations and documents for the UI; document text always shown as inert text."""

from __future__ import annotations

import re

from assistant.models import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def escape_md(text: str) -> str:
    """Text that Markdown shows literally: no links, images, HTML or emphasis from documents."""
    t = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", t)


_CITE = re.compile(r"\[(\d+)\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def answer_markdown(answer: Answer) -> str:
    """The answer as Markdown: its own **short answer** bold, quoted document text escaped,
    and each [n] shown as a superscript reference to the citation panel."""
    parts = []
    for para in answer.answer.split("\n"):
        bold = _BOLD.fullmatch(para.strip())
        if bold:
            parts.append(f"**{escape_md(bold.group(1))}**")
            continue
        safe = escape_md(para)
        safe = re.sub(r"\\\[(\d+)\\\]", r"<sup>[\1]</sup>", safe)
        parts.append(safe)
    text = "\n".join(parts)
    if answer.notice:
        text += f"\n\n_{escape_md(answer.notice)}_"
    return text


def citation_markdown(c: Citation, lang: str = "da") -> str:
    labels = LABELS["da" if lang == "da" else "en"]
    quote = c.quote or ""
    passage = escape_md(c.text)
    if quote:
        for piece in quote.split(" … "):
            piece_md = escape_md(piece.strip())
            if piece_md and piece_md in passage:
                passage = passage.replace(piece_md, f"<mark>{piece_md}</mark>", 1)
    return (f"**[{c.n}] {escape_md(c.title)}**  \n"
            f"{labels['date']}: {c.date or '–'} · {labels['type']}: {labels['types'].get(c.doc_type, c.doc_type)}"
            f" · {labels['file']}: `{escape_md(c.source)}`\n\n{passage}")


def citations_markdown(answer: Answer | None, lang: str = "da") -> str:
    labels = LABELS["da" if lang == "da" else "en"]
    if answer is None or not answer.citations:
        return labels["no_citations"]
    return "\n\n---\n\n".join(citation_markdown(c, lang) for c in answer.citations)


LABELS = {
    "da": {
        "title": "policyqa – spørg dokumenterne",
        "ask": "Stil et spørgsmål",
        "placeholder": "Fx: Hvad er målet for hjemløshed?",
        "send": "Spørg",
        "sources": "Kilder",
        "no_citations": "Kilderne til svaret vises her.",
        "date": "Dato", "type": "Type", "file": "Fil",
        "examples": "Eksempler",
        "types": {"press_release": "Pressemeddelelse", "committee_minutes": "Udvalgsreferat",
                  "goal_document": "Måldokument", "news": "Nyhed", "other": "Andet"},
    },
    "en": {
        "title": "policyqa – ask the documents",
        "ask": "Ask a question",
        "placeholder": "E.g. What is the homelessness target?",
        "send": "Ask",
        "sources": "Sources",
        "no_citations": "The sources of the answer are shown here.",
        "date": "Date", "type": "Type", "file": "File",
        "examples": "Examples",
        "types": {"press_release": "Press release", "committee_minutes": "Committee minutes",
                  "goal_document": "Goal document", "news": "News", "other": "Other"},
    },
}

EXAMPLES = [
    "Hvad er målet for hjemløshed?",
    "What is the target for drug-related deaths?",
    "Hvem er formand for Rådet for Socialt Udsatte?",
    "Which goals concern young people?",
    "Hvor mange millioner blev fordelt i aftalen i november 2020?",
    "What did the committee decide?",
]
