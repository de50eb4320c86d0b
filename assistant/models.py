"""Typed, frozen records of the answering stages: Hit -> Citation -> Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

AnswerType = Literal["target", "who", "amount", "when", "where", "decision", "list", "other"]


@dataclass(frozen=True)
class Filters:
    doc_types: tuple[str, ...] = ()
    date_from: str | None = None  # ISO yyyy-mm-dd, inclusive
    date_to: str | None = None

    def validate(self) -> Filters:
        """Raise UsageError for a filter that can match nothing by construction (an unknown
        document type, a range that ends before it starts): never 'no documents yet'."""
        from typing import get_args

        from ingest.models import DocType
        from policyqa.errors import UsageError

        known = get_args(DocType)
        for t in self.doc_types:
            if t not in known:
                raise UsageError(f"unknown document type '{t}' (use one of: {', '.join(known)})")
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise UsageError(f"the date range ends ({self.date_to}) before it starts ({self.date_from})")
        return self


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    doc_id: str
    source: str
    title: str
    section: str
    text: str
    start: int
    end: int
    date: str | None
    doc_type: str
    score: float  # fused score (higher is better)
    dense: float | None = None  # cosine similarity
    lexical: float | None = None  # BM25
    issuer: str | None = None
    language: str = "da"  # the document's language, detected at ingest
    kind: str = "text"  # "table": the passage is rows of a table ("Header: cell; ...")
    page: int | None = None  # the PDF page the passage starts on
    ocr: bool = False  # read by OCR from a scanned page: its words may hold recognition errors
    anchored: bool = False  # found by a name the question gives alone (Retriever.anchored)

    def context(self) -> str:
        """Title, section, issuer, type and date: what the passage is about beyond its words."""
        return " ".join(x for x in (self.title, self.section, self.issuer or "",
                                     DOC_TYPE_WORDS.get(self.doc_type, ""), date_words(self.date)) if x)


DOC_TYPE_WORDS = {
    "press_release": "pressemeddelelse",
    "committee_minutes": "referat dagsorden udvalg møde",
    "news": "nyhed",
    "goal_document": "mål målsætninger",
}


_MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
              "oktober", "november", "december")


def date_words(iso: str | None) -> str:
    """'2020-11-25' -> '25. november 2020 2020-11-25' (Danish month names match questions)."""
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"dato {int(d)}. {_MONTHS_DA[int(m) - 1]} {y} {iso}"


@dataclass(frozen=True)
class Citation:
    n: int
    source: str
    title: str
    date: str | None
    doc_type: str
    text: str  # the passage
    score: float
    chunk_id: str
    start: int
    end: int
    quote: str = ""  # the sentence(s) of the passage the answer states
    kind: str = "text"  # "table" when the passage is a table's rows
    page: int | None = None  # the PDF page
    ocr: bool = False  # the passage was read by OCR

    @classmethod
    def of(cls, n: int, hit: Hit, quote: str = "") -> Citation:
        """The citation [n] of a retrieved passage."""
        return cls(n=n, source=hit.source, title=hit.title, date=hit.date, doc_type=hit.doc_type,
                   text=hit.text, score=hit.score, chunk_id=hit.chunk_id, start=hit.start,
                   end=hit.end, quote=quote, kind=hit.kind, page=hit.page, ocr=hit.ocr)

    @classmethod
    def of_row(cls, n: int, row, quote: str = "") -> Citation:
        """The citation [n] of a catalog chunk row (goal and measurement answers)."""
        from ingest.catalog import column

        return cls(n=n, source=row["source"], title=row["title"], date=row["date"],
                   doc_type=row["doc_type"], text=row["text"], score=1.0, chunk_id=row["chunk_id"],
                   start=row["start"], end=row["end"], quote=quote,
                   kind=column(row, "kind") or "text", page=column(row, "page"),
                   ocr=bool(column(row, "ocr", 0)))

    def where(self, lang: str = "en") -> str:
        """'p. 3, OCR' / 's. 3, OCR' / 'table': where in the document the passage stands."""
        parts = []
        if self.page is not None:
            parts.append(f"{'s.' if lang == 'da' else 'p.'} {self.page}")
        if self.kind == "table":
            parts.append("tabel" if lang == "da" else "table")
        if self.ocr:
            parts.append("OCR")
        return ", ".join(parts)

    def to_json(self) -> dict:
        d = {
            "n": self.n, "source": self.source, "title": self.title, "date": self.date,
            "doc_type": self.doc_type, "text": self.text, "score": round(self.score, 4),
            "chunk_id": self.chunk_id, "start": self.start, "end": self.end, "quote": self.quote,
            "kind": self.kind, "ocr": self.ocr,
        }
        if self.page is not None:
            d["page"] = self.page
        return d


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    language: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    goals: tuple[dict, ...] = ()
    answerer: str = "extractive"
    verified: bool = True
    dropped: tuple[dict, ...] = ()
    notice: str | None = None  # e.g. "the LLM endpoint was down; answered extractively"
    standalone_question: str | None = None  # the follow-up rewritten with the conversation
    timings: dict = field(default_factory=dict)
    draft: str | None = None  # an LLM's answer before verification (for evaluation)
    draft_passages: tuple[Citation, ...] = ()  # the numbered passages the LLM was given
    unmet: dict | None = None  # an abstention's unmet constraint: {"constraint": ..., "value": ...}

    def to_json(self) -> dict:
        d = {
            "question": self.question,
            "answer": self.answer,
            "language": self.language,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "goals": list(self.goals),
            "answerer": self.answerer,
            "verified": self.verified,
            "dropped": list(self.dropped),
        }
        if self.notice:
            d["notice"] = self.notice
        if self.unmet:
            d["unmet"] = self.unmet
        if self.standalone_question and self.standalone_question != self.question:
            d["standalone_question"] = self.standalone_question
        return d


def as_dict(obj) -> dict:
    return asdict(obj)
