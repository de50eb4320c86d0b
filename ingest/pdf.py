"""PDF text: the text layer page by page, and Tesseract OCR for the pages that have none."""

from __future__ import annotations

import io
import re
import shutil
import sys
from functools import lru_cache

from policyqa.errors import DocumentError

# A page with less text than this has no text layer worth the name (a page number at most)
MIN_PAGE_CHARS = 20
OCR_DPI = 300  # Tesseract reads body text best at about 300 dpi
OCR_PAGE_TIMEOUT_S = 180
OCR_HINT = ("install Tesseract with its Danish model: 'make system-deps' "
            "(or: sudo apt-get install tesseract-ocr tesseract-ocr-dan tesseract-ocr-eng)")


@lru_cache(maxsize=1)
def ocr_languages() -> str | None:
    """Tesseract's language argument ('dan+eng'), or None when Tesseract or both models are
    missing. Danish comes first: the documents are mostly Danish."""
    if shutil.which("tesseract") is None:
        return None
    try:
        import pytesseract

        installed = set(pytesseract.get_languages(config=""))
    except Exception:  # pytesseract missing, or a tesseract binary that does not run
        return None
    langs = [lang for lang in ("dan", "eng") if lang in installed]
    return "+".join(langs) or None


def pdf_text(source: str, data: bytes, *, progress: bool = False) -> tuple[str, tuple[int, ...], str]:
    """(text, numbers of the pages read by OCR, warning) of a PDF.

    Pages are separated by form feeds, so the chunks know their page. Only pages without a
    text layer go to OCR. Without Tesseract, a PDF with no text layer at all is an error, and
    one with some scanned pages is read without them and says so in the warning.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise DocumentError(source, f"cannot read PDF ({e})") from e
    scanned = [i for i, text in enumerate(pages) if len("".join(text.split())) < MIN_PAGE_CHARS]
    maybe = [i for i, text in enumerate(pages) if i not in scanned and _may_hold_table(text)]
    for i, text in _pages_with_tables(data, maybe):
        pages[i] = text
    ocr_done: list[int] = []
    warning = ""
    if scanned:
        langs = ocr_languages()
        if langs is None:
            if len(scanned) == len(pages):
                raise DocumentError(source, f"PDF has no text layer (scanned images?) and OCR is "
                                    f"not available; {OCR_HINT}")
            warning = (f"{len(scanned)} of {len(pages)} pages are scanned images and were not "
                       f"read: {OCR_HINT}")
        else:
            failed: list[int] = []
            for i, text in _ocr_pages(source, data, scanned, langs, progress):
                if text is None:
                    failed.append(i + 1)
                elif len("".join(text.split())) >= MIN_PAGE_CHARS:
                    pages[i] = text
                    ocr_done.append(i + 1)
            if failed:
                warning = f"OCR failed on page{'s' if len(failed) > 1 else ''} " \
                          f"{', '.join(map(str, failed))}; the other pages were read"
    if len("".join("".join(pages).split())) < MIN_PAGE_CHARS:
        raise DocumentError(source, "PDF has no text layer, and OCR found no text on it"
                            if scanned and not warning else "PDF has no readable text")
    return "\n\f\n".join(pages), tuple(ocr_done), warning


_NUMBER_LINE = re.compile(r"^[\d.,%\s–-]{1,20}$")


def _may_hold_table(text: str) -> bool:
    """Whether a page's text layer looks like it holds a table: lines that are only a number,
    or only numbers, as a table's cells come out. Finding tables costs about 0.3 s a page, so
    the other pages are not searched."""
    return sum(1 for line in text.splitlines() if _NUMBER_LINE.match(line.strip())) >= 4


def _pages_with_tables(data: bytes, numbers: list[int]):
    """(page index, text with its tables as markdown rows) for each of these pages that has a
    ruled table. A text layer lists a table's cells as loose words, one per line; pdfplumber
    finds the table by its lines and reads it by rows, and the page's other text lines are
    put around it in reading order."""
    if not numbers:
        return
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception:  # pdfminer cannot parse what pypdf could: keep the text layer as read
        return
    with pdf:
        for i in numbers:
            try:
                page = pdf.pages[i]
                tables = [t for t in page.find_tables() if len(t.rows) >= 2]
                if not tables:
                    continue
                rest = page
                for t in tables:
                    rest = rest.outside_bbox(t.bbox)
                items = [(line["top"], line["text"]) for line in rest.extract_text_lines()]
                items += [(t.bbox[1], _markdown(t.extract())) for t in tables]
            except Exception:  # a malformed page: its plain text layer stands
                continue
            yield i, "\n".join(text for _, text in sorted(items, key=lambda it: it[0]))


def _markdown(rows: list[list[str | None]]) -> str:
    cells = [[" ".join((c or "").split()).replace("|", "/") for c in row] for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in cells if any(row)]
    return "\n".join(["", lines[0], "|" + "---|" * len(cells[0]), *lines[1:], ""])


def _ocr_pages(source: str, data: bytes, numbers: list[int], langs: str, progress: bool):
    """(page index, OCR text or None when Tesseract failed on it) for each scanned page."""
    import pypdfium2 as pdfium
    import pytesseract
    from tqdm import tqdm

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise DocumentError(source, f"cannot render the scanned PDF pages for OCR ({e})") from e
    try:
        bar = tqdm(numbers, desc=f"OCR {source}"[:40], unit="page", file=sys.stderr,
                   disable=not progress, leave=False)
        for i in bar:
            try:
                image = pdf[i].render(scale=OCR_DPI / 72, grayscale=True).to_pil()
                text = pytesseract.image_to_string(image, lang=langs, timeout=OCR_PAGE_TIMEOUT_S)
            except (RuntimeError, pytesseract.TesseractError, pdfium.PdfiumError, OSError):
                yield i, None
                continue
            yield i, _tidy(text)
    finally:
        pdf.close()


def _tidy(text: str) -> str:
    """Tesseract's lines, with words hyphenated across a line break joined again (not the
    dash of "social- og sundhedsområdet"), and a paragraph break that Tesseract put inside a
    sentence (a line without end punctuation, the next starting in lower case) removed."""
    text = re.sub(r"([^\s.!?:;])\n\s*\n(?=[a-zæøå0-9])", r"\1\n", text)
    text = re.sub(r"(\w)-\n(?!(?:og|eller|samt|and|or)\b)(\w)", r"\1\2", text)
    return text.strip()
