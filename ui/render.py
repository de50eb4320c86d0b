"""Render answers, citations and documents for the UI; document text is always shown as inert text."""

from __future__ import annotations

import re

from assistant.models import Answer, Citation
from ingest.models import Goal
from ingest.numbers import format_quantity

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


_LIST_START = re.compile(r"(?m)^(\s{0,3})(\d{1,9}\.|[-=]+)(?=\s|$)")


def escape_md(text: str) -> str:
    """Text that Markdown shows literally: no links, images, HTML, emphasis, lists or headings
    from documents ("12. marts 2025" at the start of a line is a date, not list item 12)."""
    t = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    t = _MD_SPECIAL.sub(r"\\\1", t)
    return _LIST_START.sub(lambda m: m.group(1) + (m.group(2)[:-1] + "\\." if m.group(2)[0].isdigit()
                                                   else "\\" + m.group(2)), t)


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


def target_text(g: Goal, lang: str) -> str:
    """What the goal aims at, in words: '-50 %', 'højst 4.000', or the direction alone."""
    parts = []
    if g.change:
        parts.append(format_quantity(g.change, lang))
    if g.target_value:
        parts.append(format_quantity(g.target_value, lang))
    if not parts:
        codes = LABELS["da" if lang == "da" else "en"]["codes"]
        parts.append(codes["direction"].get(g.direction or "", "") or codes["kind"].get(g.kind, g.kind))
    return ", ".join(parts)



LABELS = {
    "da": {
        "title": "policyqa – spørg dokumenterne",
        "tab_chat": "Spørg", "tab_goals": "Mål", "tab_docs": "Dokumenter",
        "placeholder": "Fx: Hvad er målet for hjemløshed?", "question": "Dit spørgsmål",
        "send": "Spørg", "sources": "Kilder", "passage": "Kildetekst",
        "no_citations": "Kilderne til svaret vises her. Klik på et [n] i svaret for at se teksten i sin sammenhæng.",
        "no_passage": "Klik på et [n] i et svar for at se kilden.",
        "no_sources_answer": "Svaret har ingen kilder: dokumenterne besvarer ikke spørgsmålet.",
        "in_context": "Kilden i sin sammenhæng:",
        "date": "Dato", "type": "Type", "file": "Fil",
        "examples": "Eksempler på spørgsmål, dokumenterne kan besvare",
        "no_examples": "Lageret er tomt. Tilføj dokumenter under fanen Dokumenter for at komme i gang.",
        "filters": "Filtre", "doc_types": "Dokumenttyper", "date_from": "Fra dato (ÅÅÅÅ-MM-DD)",
        "date_to": "Til dato (ÅÅÅÅ-MM-DD)",
        "good": "✓ Godt svar", "bad": "✗ Dårligt svar", "comment": "Kommentar (valgfri)",
        "feedback_thanks": "Tak for din tilbagemelding.", "feedback_none": "Stil først et spørgsmål.",
        "topic": "Emne", "programme": "Program", "year": "År", "search": "Søg",
        "all_topics": "Alle emner", "all": "Alle",
        "all_columns": "Vis alle kolonner",
        "download": "Hent som CSV", "timeline": "Tidslinje for emnet",
        "goals_count": "{n} mål vises.",
        "upload": "Tilføj dokumenter", "upload_hint": "Filtyper: .txt, .md, .html, .pdf, .docx, højst {mb} MB pr. fil. "
                                                    "Scannede PDF'er læses med OCR.",
        "replace": "Erstat et dokument med samme navn",
        "remove_pick": "Dokument, der skal fjernes", "remove": "Fjern dokument", "language": "Sprog",
        "remove_confirm": "Fjern «{title}» ({source})? Dokumentet, dets afsnit og mål slettes fra lageret.",
        "confirm_remove": "Ja, fjern det", "cancel": "Annuller", "removed": "fjernet",
        "pick_first": "Vælg først et dokument.",
        "bad_type": "filtypen understøttes ikke", "too_big": "over {mb} MB",
        "renamed": "et andet dokument har allerede dette navn; gemt som {name}",
        "upload_line": "{source}: {status} ({chunks} afsnit, {goals} mål{ocr})",
        "ocr_pages": ", {n} sider læst med OCR", "warning": "advarsel",
        "statuses": {"added": "tilføjet", "updated": "opdateret", "unchanged": "uændret", "removed": "fjernet",
                     "failed": "fejlede", "skipped": "sprunget over"},
        "types": {"press_release": "Pressemeddelelse", "committee_minutes": "Udvalgsreferat",
                  "goal_document": "Måldokument", "news": "Nyhed", "other": "Andet"},
        "types_plural": {"press_release": "pressemeddelelser", "committee_minutes": "udvalgsreferater",
                         "goal_document": "måldokumenter", "news": "nyheder", "other": "andre"},
        "about": "**Om dokumenterne:** {n} {docs} ({kinds}){dated}; senest indlæst {ingested}.",
        "doc_one": "dokument", "doc_many": "dokumenter", "dated": ", dateret {first} til {last}",
        "about_empty": "**Om dokumenterne:** lageret er tomt.",
        "help_title": "Hvad kan jeg spørge om?",
        "help_body": ("Jeg svarer kun ud fra dokumenterne i lageret og viser kilden til hvert svar som [n]. "
                      "Står svaret ikke i dokumenterne, siger jeg det. Jeg giver ikke juridisk rådgivning og "
                      "kender ikke til sager eller borgere.\n\n**Emner med mål i dokumenterne:** {topics}\n\n"
                      "**Dokumenttyper:** {kinds}\n\nDu kan spørge om mål (\"Hvad er målet for …?\"), "
                      "om tal for et år (\"Hvor mange … i 2021?\"), om et mål blev nået, og om hvem, hvad og "
                      "hvornår i dokumenterne. Svar på opfølgende spørgsmål bygger på samtalen."),
        "none": "ingen",
        "goal_headers": {"topic": "Emne", "target": "Mål", "deadline": "Frist", "status": "Status",
                         "progress": "Fremdrift", "set_by": "Sat af", "announced": "Dato",
                         "programme": "Program", "area": "Område", "indicator": "Indikator",
                         "direction": "Retning", "change": "Ændring", "target_value": "Måltal",
                         "kind": "Type", "source": "Kilde", "text": "Tekst"},
        "codes": {
            "direction": {"decrease": "fald", "increase": "stigning", "improve": "forbedring",
                          "maintain": "fastholde"},
            "kind": {"numeric_target": "måltal", "direction_only": "retning", "intention": "hensigt"},
            "status": {"current": "gældende", "superseded": "afløst"},
            "area": {"children and young people": "børn og unge", "adults": "voksne"},
        },
        "doc_headers": ["Titel", "Dato", "Type", "Afsnit", "Mål", "Fil"],
    },
    "en": {
        "title": "policyqa – ask the documents",
        "tab_chat": "Ask", "tab_goals": "Goals", "tab_docs": "Documents",
        "placeholder": "E.g. What is the homelessness target?", "question": "Your question",
        "send": "Ask", "sources": "Sources", "passage": "Source text",
        "no_citations": "The sources of the answer appear here. Click an [n] in the answer to see it in context.",
        "no_passage": "Click an [n] in an answer to see its source.",
        "no_sources_answer": "The answer has no sources: the documents do not answer the question.",
        "in_context": "The source in its context:",
        "date": "Date", "type": "Type", "file": "File",
        "examples": "Example questions the documents can answer",
        "no_examples": "The store is empty. Add documents in the Documents tab to begin.",
        "filters": "Filters", "doc_types": "Document types", "date_from": "From date (YYYY-MM-DD)",
        "date_to": "To date (YYYY-MM-DD)",
        "good": "✓ Good answer", "bad": "✗ Bad answer", "comment": "Comment (optional)",
        "feedback_thanks": "Thank you for your feedback.", "feedback_none": "Ask a question first.",
        "topic": "Topic", "programme": "Programme", "year": "Year", "search": "Search",
        "all_topics": "All topics", "all": "All",
        "all_columns": "Show all columns",
        "download": "Download CSV", "timeline": "Timeline of the topic",
        "goals_count": "{n} goals shown.",
        "upload": "Add documents", "upload_hint": "File types: .txt, .md, .html, .pdf, .docx, at most {mb} MB a file. "
                                                 "Scanned PDFs are read by OCR.",
        "replace": "Replace a document with the same name",
        "remove_pick": "Document to remove", "remove": "Remove document", "language": "Language",
        "remove_confirm": "Remove “{title}” ({source})? The document, its passages and goals are deleted from the store.",
        "confirm_remove": "Yes, remove it", "cancel": "Cancel", "removed": "removed",
        "pick_first": "Choose a document first.",
        "bad_type": "file type not supported", "too_big": "over {mb} MB",
        "renamed": "another document already has this name; stored as {name}",
        "upload_line": "{source}: {status} ({chunks} passages, {goals} goals{ocr})",
        "ocr_pages": ", {n} pages read by OCR", "warning": "warning",
        "statuses": {"added": "added", "updated": "updated", "unchanged": "unchanged", "removed": "removed",
                     "failed": "failed", "skipped": "skipped"},
        "types": {"press_release": "Press release", "committee_minutes": "Committee minutes",
                  "goal_document": "Goal document", "news": "News", "other": "Other"},
        "types_plural": {"press_release": "press releases", "committee_minutes": "committee minutes",
                         "goal_document": "goal documents", "news": "news items", "other": "other"},
        "about": "**About the documents:** {n} {docs} ({kinds}){dated}; last ingest {ingested}.",
        "doc_one": "document", "doc_many": "documents", "dated": ", dated {first} to {last}",
        "about_empty": "**About the documents:** the store is empty.",
        "help_title": "What can I ask?",
        "help_body": ("I answer only from the documents in the store and show the source of every answer as [n]. "
                      "When the documents do not hold the answer, I say so. I give no legal advice and know "
                      "nothing about cases or citizens.\n\n**Topics with goals in the documents:** {topics}\n\n"
                      "**Document kinds:** {kinds}\n\nYou can ask about targets (\"What is the … target?\"), "
                      "figures for a year (\"How many … in 2021?\"), whether a target was met, and who, what "
                      "and when in the documents. Follow-up questions build on the conversation."),
        "none": "none",
        "goal_headers": {"topic": "Topic", "target": "Target", "deadline": "Deadline", "status": "Status",
                         "progress": "Progress", "set_by": "Set by", "announced": "Date",
                         "programme": "Programme", "area": "Area", "indicator": "Indicator",
                         "direction": "Direction", "change": "Change", "target_value": "Target value",
                         "kind": "Kind", "source": "Source", "text": "Text"},
        "codes": {
            "direction": {"decrease": "decrease", "increase": "increase", "improve": "improve",
                          "maintain": "maintain"},
            "kind": {"numeric_target": "numeric target", "direction_only": "direction only",
                     "intention": "intention"},
            "status": {"current": "current", "superseded": "superseded"},
            "area": {"children and young people": "children and young people", "adults": "adults"},
        },
        "doc_headers": ["Title", "Date", "Type", "Passages", "Goals", "File"],
    },
}
