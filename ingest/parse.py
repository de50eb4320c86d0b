"""RawDocument -> Document: clean, split into blocks, describe; the doc_id is a hash of the text."""

from __future__ import annotations

import hashlib

from ingest.clean import normalise, to_blocks
from ingest.metadata import date_of, doc_type_of, issuer_of, language_of, title_of
from ingest.models import Document, RawDocument
from policyqa.errors import DocumentError

MIN_WORDS = 3


def content_id(text: str) -> str:
    """Stable id from normalised content: whitespace and case changes do not change it."""
    norm = " ".join(text.lower().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def parse(raw: RawDocument) -> Document:
    html_title = html_date = site = None
    text = raw.text
    if raw.kind == "html":
        from ingest.html import html_to_text

        text, meta = html_to_text(raw.text)
        html_title, html_date, site = meta.title, meta.date, meta.site
    pdf = raw.kind == "pdf"
    clean_text, blocks = to_blocks(text, pages=pdf, ocr_pages=frozenset(raw.ocr_pages))
    if len(clean_text.split()) < MIN_WORDS:
        raise DocumentError(raw.source, "no readable text left after cleaning")
    plain = normalise(text)
    title = title_of(blocks, html_title, fallback=raw.source)
    doc_type = doc_type_of(plain, blocks, title)
    return Document(
        doc_id=content_id(clean_text),
        source=raw.source,
        path=raw.path,
        title=title,
        date=date_of(clean_text, html_date),
        doc_type=doc_type,
        issuer=issuer_of(plain, doc_type, site),
        language=language_of(clean_text),
        text=clean_text,
        blocks=tuple(blocks),
    )
