"""Render answers, citations and documents for the UI; document text is always shown as inert text."""

from __future__ import annotations

import re

from assistant.models import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def escape_md(text: str) -> str:
    """Text that Markdown shows literally: no links, images, HTML or emphasis from documents."""
    t = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", t)


def answer_markdown(answer: Answer, link=None) -> str:
    """The answer as Markdown: its own **short answer** bold, document text escaped, and each
    [n] a link (`link(n)` gives the target) or plain superscript."""
    parts = []
    for para in answer.answer.split("\n"):
        bold = _BOLD.fullmatch(para.strip())
        if bold:
            parts.append(f"**{escape_md(bold.group(1))}**")
            continue
        safe = escape_md(para)
        if link is not None:
            safe = re.sub(r"\\\[(\d+)\\\]", lambda m: f"[\\[{m.group(1)}\\]]({link(int(m.group(1)))})", safe)
        else:
            safe = re.sub(r"\\\[(\d+)\\\]", r"<sup>[\1]</sup>", safe)
        parts.append(safe)
    text = "\n".join(parts)
    if answer.notice:
        text += f"\n\n_{escape_md(answer.notice)}_"
    return text


def _meta_line(c: Citation, lang: str) -> str:
    L = LABELS["da" if lang == "da" else "en"]
    where = c.where("da" if lang == "da" else "en")
    return (f"{L['date']}: {c.date or '–'} · {L['type']}: {L['types'].get(c.doc_type, c.doc_type)}"
            f" · {L['file']}: {escape_md(c.source)}" + (f" ({where})" if where else ""))


def _highlight(passage_md: str, quote: str) -> str:
    for piece in (quote or "").split(" … "):
        piece_md = escape_md(piece.strip())
        if piece_md and piece_md in passage_md:
            passage_md = passage_md.replace(piece_md, f"<mark>{piece_md}</mark>", 1)
    return passage_md


def citation_markdown(c: Citation, lang: str = "da", turn: int | None = None) -> str:
    title = escape_md(c.title)
    head = (f"[**\\[{c.n}\\] {title}**](#cite-{turn}-{c.n})" if turn is not None
            else f"**\\[{c.n}\\] {title}**")
    return f"{head}  \n{_meta_line(c, lang)}\n\n{_highlight(escape_md(c.text), c.quote)}"


def citations_markdown(answer: Answer | None, lang: str = "da", turn: int | None = None) -> str:
    L = LABELS["da" if lang == "da" else "en"]
    if answer is None or not answer.citations:
        return L["no_citations"]
    return "\n\n---\n\n".join(citation_markdown(c, lang, turn) for c in answer.citations)


def context_markdown(c: Citation, doc_text: str | None, lang: str = "da", before_chars: int = 300,
                     after_chars: int = 500) -> str:
    """The cited passage highlighted inside its document, with title, date, type and file."""
    L = LABELS["da" if lang == "da" else "en"]
    head = f"### \\[{c.n}\\] {escape_md(c.title)}\n{_meta_line(c, lang)}\n\n"
    if not doc_text or doc_text[c.start:c.end] != c.text:
        return head + _highlight(escape_md(c.text), c.quote)
    a, b = max(0, c.start - before_chars), min(len(doc_text), c.end + after_chars)
    a = doc_text.find("\n", a, c.start) + 1 or a  # start at a line boundary
    before, passage, after = doc_text[a:c.start], doc_text[c.start:c.end], doc_text[c.end:b]
    marked = f"<mark>{escape_md(passage)}</mark>"
    if c.quote and c.quote.strip() in passage:
        q = c.quote.strip()
        i = passage.index(q)
        marked = (escape_md(passage[:i]) + f"<mark>{escape_md(q)}</mark>" + escape_md(passage[i + len(q):]))
    body = (("… " if a > 0 else "") + escape_md(before) + marked + escape_md(after)
            + (" …" if b < len(doc_text) else ""))
    return head + f"**{L['in_context']}**\n\n" + body.replace("\n", "  \n")


LABELS = {
    "da": {
        "title": "policyqa – spørg dokumenterne",
        "tab_chat": "Spørg", "tab_goals": "Mål", "tab_docs": "Dokumenter",
        "placeholder": "Fx: Hvad er målet for hjemløshed?",
        "send": "Spørg", "sources": "Kilder", "passage": "Kildetekst",
        "no_citations": "Kilderne til svaret vises her. Klik på et [n] i svaret for at se teksten i sin sammenhæng.",
        "no_passage": "Klik på et [n] i et svar for at se kilden.",
        "in_context": "Kilden i sin sammenhæng:",
        "date": "Dato", "type": "Type", "file": "Fil",
        "examples": "Eksempler",
        "filters": "Filtre", "doc_types": "Dokumenttyper", "date_from": "Fra dato (ÅÅÅÅ-MM-DD)",
        "date_to": "Til dato (ÅÅÅÅ-MM-DD)",
        "good": "✓ Godt svar", "bad": "✗ Dårligt svar", "comment": "Kommentar (valgfri)",
        "feedback_thanks": "Tak for din tilbagemelding.", "feedback_none": "Stil først et spørgsmål.",
        "topic": "Emne", "programme": "Program", "year": "År", "search": "Søg",
        "download": "Hent som CSV", "timeline": "Tidslinje for emnet",
        "upload": "Tilføj dokumenter (.txt, .md, .html, .pdf, .docx)", "add": "Tilføj",
        "replace": "Erstat et dokument med samme navn",
        "remove_pick": "Dokument", "remove": "Fjern dokument", "language": "Sprog",
        "bad_type": "filtypen understøttes ikke",
        "types": {"press_release": "Pressemeddelelse", "committee_minutes": "Udvalgsreferat",
                  "goal_document": "Måldokument", "news": "Nyhed", "other": "Andet"},
        "goal_headers": ["Dato", "Program", "Sat af", "Område", "Emne", "Indikator", "Retning",
                         "Ændring", "Måltal", "Frist", "Type", "Status", "Fremdrift", "Kilde", "Tekst"],
        "doc_headers": ["Titel", "Dato", "Type", "Afsnit", "Mål", "Fil"],
    },
    "en": {
        "title": "policyqa – ask the documents",
        "tab_chat": "Ask", "tab_goals": "Goals", "tab_docs": "Documents",
        "placeholder": "E.g. What is the homelessness target?",
        "send": "Ask", "sources": "Sources", "passage": "Source text",
        "no_citations": "The sources of the answer appear here. Click an [n] in the answer to see it in context.",
        "no_passage": "Click an [n] in an answer to see its source.",
        "in_context": "The source in its context:",
        "date": "Date", "type": "Type", "file": "File",
        "examples": "Examples",
        "filters": "Filters", "doc_types": "Document types", "date_from": "From date (YYYY-MM-DD)",
        "date_to": "To date (YYYY-MM-DD)",
        "good": "✓ Good answer", "bad": "✗ Bad answer", "comment": "Comment (optional)",
        "feedback_thanks": "Thank you for your feedback.", "feedback_none": "Ask a question first.",
        "topic": "Topic", "programme": "Programme", "year": "Year", "search": "Search",
        "download": "Download CSV", "timeline": "Timeline of the topic",
        "upload": "Add documents (.txt, .md, .html, .pdf, .docx)", "add": "Add",
        "replace": "Replace a document with the same name",
        "remove_pick": "Document", "remove": "Remove document", "language": "Language",
        "bad_type": "file type not supported",
        "types": {"press_release": "Press release", "committee_minutes": "Committee minutes",
                  "goal_document": "Goal document", "news": "News", "other": "Other"},
        "goal_headers": ["Date", "Programme", "Set by", "Area", "Topic", "Indicator", "Direction",
                         "Change", "Target", "Deadline", "Kind", "Status", "Progress", "Source", "Text"],
        "doc_headers": ["Title", "Date", "Type", "Chunks", "Goals", "File"],
    },
}

EXAMPLES = {
    "da": ["Hvad er målet for hjemløshed?", "Hvem er formand for Rådet for Socialt Udsatte?",
           "Hvor mange millioner blev fordelt i aftalen i november 2020?", "Hvad besluttede udvalget?"],
    "en": ["What is the homelessness target?", "What is the target for drug-related deaths?",
           "Which goals concern young people?", "How did the 2016 goals differ from the 2020 goals?"],
}
