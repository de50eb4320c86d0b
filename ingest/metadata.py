"""Document metadata from cleaned blocks and raw text: title, date, type, issuing body, language."""

from __future__ import annotations

import re
from collections import Counter

from ingest.dates import find_dates, parse_date
from ingest.models import Block, DocType
from ingest.text import detect_language

_MINUTES_WORDS = re.compile(
    r"\b(udvalg:|mødedato|dagsorden(punkt(er)?)?|sagsfremstilling|sagsresume|indstilling|"
    r"beslutning|referat|byrådet|kommunalbestyrelsen|regionsrådet|mødested|sagsnr)\b",
    re.I,
)
_PRESS_WORDS = re.compile(r"(pressemeddelelse|pressetelefon|presseinformation|\bpress release)", re.I)
_NEWS_WORDS = re.compile(r"\b(nyhed(er)?|senest opdateret|news)\b", re.I)
_GOAL_WORDS = re.compile(r"\b(mål|målsætning(er)?|målene|strategi|handleplan|politik)\b", re.I)
_GOAL_SENTENCE = re.compile(
    r"\b(skal|må højst|mindst|højst|reduceres|øges|falde|stige|forbedres)\b", re.I
)
_GENERIC_HEADINGS = re.compile(
    r"^(dagsordenpunkter|dagsorden|sagsresume|sagsfremstilling|indstilling|beslutning|bilag|"
    r"referat|indhold|indholdsfortegnelse)$",
    re.I,
)
_ORG = re.compile(
    r"\b("
    r"(?:[A-ZÆØÅ][\wæøå]*-\s+og\s+)?[A-ZÆØÅ][\wæøå]*(?:ministeriet|styrelsen|udvalget|direktoratet)"
    r"|Rådet\s+for\s+[A-ZÆØÅ][\wæøå]+(?:\s+[A-ZÆØÅa-zæøå][\wæøå]+)?"
    r"|[A-ZÆØÅ][\wæøå]+\s+Kommune"
    r"|Region\s+[A-ZÆØÅ][\wæøå]+"
    r"|KL|VIVE|Folketinget"
    r")(?:s)?\b"
)
_MINISTER = re.compile(
    r"\b((?:[A-ZÆØÅa-zæøå]+-,?\s+)*(?:[A-ZÆØÅa-zæøå]+-\s+og\s+)?[a-zæøå]*minister)\b", re.I
)
_COMMITTEE_FIELD = re.compile(r"^\s*Udvalg:\s*(.+)$", re.M)
_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][\wæøå]+)\s+[Kk]ommune\b")


def title_of(blocks: list[Block], html_title: str | None, fallback: str) -> str:
    if html_title:
        return html_title
    headings = [b for b in blocks if b.kind == "heading"]
    text = "\n".join(b.text for b in blocks[:4])
    if _MINUTES_WORDS.search(text):
        for h in headings:
            if not _GENERIC_HEADINGS.match(h.text):
                return re.sub(r"^\d{1,4}\.\s+", "", h.text)
    for b in blocks[:3]:
        m = re.match(r"^(pressemeddelelse|nyhed|news)\s*:\s*(.+)$", b.text, re.I)
        if m:
            return m.group(2).strip()
    for h in headings:
        if h.level == 1:
            return h.text
    if headings:
        return headings[0].text
    for b in blocks:
        if len(b.text.split()) >= 3:
            words = b.text.split()
            return " ".join(words[:14]) + ("…" if len(words) > 14 else "")
    return fallback


def date_of(text: str, html_date: str | None) -> str | None:
    """The document's own date: a meta date, else the first date near the top, else any."""
    if html_date:
        iso = parse_date(html_date[:10]) or parse_date(html_date)
        if iso:
            return iso
    dates = find_dates(text)
    head = [d for d in dates if d[1] < 800]
    if head:
        return head[0][0]
    m = re.search(r"(senest\s+)?opdateret:?\s*(den\s+)?(.{6,30})", text, re.I)
    if m:
        found = find_dates(m.group(3))
        if found:
            return found[0][0]
    return dates[0][0] if dates else None


def doc_type_of(raw_text: str, blocks: list[Block], title: str) -> DocType:
    head = raw_text[:3000]
    minutes = len({m.group(0).lower() for m in _MINUTES_WORDS.finditer(raw_text)})
    if minutes >= 3:
        return "committee_minutes"
    if _PRESS_WORDS.search(raw_text):
        return "press_release"
    goal_sentences = sum(1 for b in blocks if b.kind != "heading" and _GOAL_SENTENCE.search(b.text)
                         and len(b.text.split()) <= 40)
    if _GOAL_WORDS.search(title) and goal_sentences >= 3:
        return "goal_document"
    if _NEWS_WORDS.search(raw_text) or re.search(r"\bsiger\b", head):
        return "news"
    if goal_sentences >= 5:
        return "goal_document"
    return "other"


def issuer_of(raw_text: str, doc_type: DocType, site: str | None = None) -> str | None:
    """The body that issued the document, where the text states it, else the web site that
    published it. The site's name ("Ældre- og Sundhedsudvalget 08-09-2026 | Stensby Kommune")
    is often the only place a page names its publisher: the logo, cookie banner and footer are
    cleaned away. A committee's minutes belong to the site's organisation."""
    if doc_type == "committee_minutes":
        m = _COMMITTEE_FIELD.search(raw_text)
        committee = m.group(1).strip() if m else None
        munis = Counter(x for x in _MUNICIPALITY.findall(raw_text))
        # minutes open with their municipality's name; one named more often further down is
        # what an item is about ("Aftale med Bredeager Kommune")
        head = _MUNICIPALITY.search(raw_text[:300])
        name = head.group(1) if head else (munis.most_common(1)[0][0] if munis else None)
        muni = f"{name} Kommune" if name else site
        if committee and muni:
            return f"{muni}, {committee}"
        return committee or muni
    orgs = Counter()
    for m in _ORG.finditer(raw_text):
        name = m.group(1)
        orgs[_canonical_org(name)] += 1
    if not orgs or "ministeriets" in raw_text.lower() or doc_type == "press_release":
        for m in _MINISTER.finditer(raw_text):
            title = m.group(1).strip()
            if title.lower() in ("minister", "ministeren"):
                continue
            orgs[_ministry(title)] += 1
    if not orgs:
        return site
    return orgs.most_common(1)[0][0]


def _canonical_org(name: str) -> str:
    name = " ".join(name.split())
    if name.endswith("s") and re.search(r"(ministeriets|styrelsens|udvalgets|Kommunes)$", name):
        name = name[:-1]
    return name


def _ministry(title: str) -> str:
    """'Social- og indenrigsminister' -> 'Social- og Indenrigsministeriet'."""
    title = " ".join(title.split())
    parts = re.split(r"(\s+og\s+|,\s+)", title)
    out = []
    for p in parts:
        out.append(p if re.fullmatch(r"\s+og\s+|,\s+", p) else p[:1].upper() + p[1:])
    return "".join(out) + "iet"


def language_of(text: str) -> str:
    return detect_language(text[:5000])
