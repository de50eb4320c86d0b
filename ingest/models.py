"""Typed, frozen records passed between the ingest stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

DocType = Literal["press_release", "committee_minutes", "goal_document", "news", "other"]
# "table" is a table's header line, "row" one of its rows ("Header: cell; Header: cell")
BlockKind = Literal["heading", "paragraph", "bullet", "table", "row"]
ChunkKind = Literal["text", "table"]


@dataclass(frozen=True)
class RawDocument:
    """Bytes as read from a file or URL, decoded to text."""

    source: str  # file name as ingested, or the URL
    path: str  # full path or URL
    kind: Literal["text", "markdown", "html", "pdf", "docx"]
    text: str  # decoded text (HTML still as markup; PDF pages separated by form feeds)
    encoding: str
    raw_hash: str = ""  # sha256 of the bytes read: unchanged bytes are skipped before parsing
    ocr_pages: tuple[int, ...] = ()  # 1-based numbers of the PDF pages read by OCR
    warning: str = ""  # read, but not all of it (scanned pages without OCR): said in the summary


@dataclass(frozen=True)
class Block:
    """One structural unit of a cleaned document."""

    kind: BlockKind
    text: str
    start: int  # character offsets in Document.text
    end: int
    level: int = 0  # heading level (1 = top)
    page: int | None = None  # the PDF page it stands on (1-based)
    ocr: bool = False  # read from a scanned page by OCR


@dataclass(frozen=True)
class Document:
    doc_id: str  # hash of the normalised text
    source: str
    path: str
    title: str
    date: str | None  # ISO yyyy-mm-dd
    doc_type: DocType
    issuer: str | None
    language: str
    text: str  # cleaned text; chunk and goal spans point into it
    blocks: tuple[Block, ...] = ()

    def meta(self) -> dict:
        d = asdict(self)
        d.pop("blocks")
        d.pop("text")
        return d


@dataclass(frozen=True)
class Chunk:
    chunk_id: str  # f"{doc_id}:{index}"
    doc_id: str
    source: str
    index: int
    title: str
    section: str  # heading path, " > " joined
    text: str  # the passage itself, verbatim from Document.text
    start: int
    end: int
    date: str | None
    doc_type: DocType
    issuer: str | None = None
    kind: ChunkKind = "text"  # "table": the rows of one table, each naming its columns
    page: int | None = None  # the PDF page it starts on
    ocr: bool = False  # its text was read by OCR from a scanned page

    def embed_text(self) -> str:
        """What the embedding model sees: title, section and issuer give the passage its context."""
        head = self.title if not self.section else f"{self.title} — {self.section}"
        if self.issuer and self.issuer not in head:
            head += f" ({self.issuer})"
        return f"{head}\n{self.text}"


Direction = Literal["decrease", "increase", "improve", "maintain"]
GoalKind = Literal["numeric_target", "direction_only", "intention"]
Bound = Literal["at_least", "at_most", "exactly", "below", "above"]


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # "%", "persons", "percentage points", "kr.", "" ...
    bound: Bound | None = None

    def label(self, lang: str = "en") -> str:
        from ingest.numbers import format_quantity

        return format_quantity(self, lang)


@dataclass(frozen=True)
class Goal:
    goal_id: str
    text: str  # the verbatim goal sentence
    source: str
    doc_id: str
    chunk_id: str | None
    start: int
    end: int
    doc_date: str | None
    programme: str | None
    set_by: str | None
    announced: str | None
    area: str | None  # e.g. "children and young people", "adults"
    topic: str  # canonical key, e.g. "homelessness"
    topic_da: str
    topic_en: str
    target_group: str | None
    indicator: str | None
    direction: Direction | None
    change: Quantity | None
    target_value: Quantity | None
    deadline: int | None
    baseline: Quantity | None
    baseline_year: int | None
    kind: GoalKind
    superseded_by: str | None = None
    supersedes: tuple[str, ...] = field(default_factory=tuple)


MeasurementKind = Literal["count", "share", "change"]


@dataclass(frozen=True)
class Measurement:
    """A measured figure: where things stood, as a document reports it."""

    measurement_id: str
    doc_id: str
    source: str
    chunk_id: str | None
    start: int  # the sentence or table row it stands in (offsets in Document.text)
    end: int
    text: str  # that sentence or row
    indicator: str  # what was counted, as written ("borgere i hjemløshed")
    topic: str  # the goals' topic key
    topic_da: str
    topic_en: str
    value: float  # a decrease is negative for kind "change"
    unit: str  # "persons", "%", "percentage points", "deaths", "" ...
    year: int | None  # the year it describes
    period: tuple[int, int] | None  # the years a change runs over
    scope: str  # "national", a municipality, or a sub-population ("18-24-årige")
    kind: MeasurementKind
    doc_date: str | None = None
