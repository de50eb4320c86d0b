"""Small test documents made on the spot: PDFs with a text layer, scanned (image-only) PDF pages,
and Word files. No third-party documents: every text here is written by the tests."""

from __future__ import annotations

import io
import textwrap


def text_pdf_page(lines: list[str], table: list[list[str]] | None = None,
                  after: list[str] = ()) -> bytes:
    """A one-page PDF whose text layer holds `lines`, then a ruled `table` (rows of cells, the
    first the header) and the `after` lines below it (Helvetica, WinAnsi: Danish letters work)."""
    def literal(s: str) -> bytes:
        raw = s.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    def text_at(x: float, y: float, texts: list[str]) -> bytes:
        return (b"BT /F1 11 Tf 14 TL %d %d Td " % (x, y)
                + b" ".join(literal(t) + b" Tj T*" for t in texts) + b" ET\n")

    stream = text_at(56, 780, lines)
    y = 780 - 14 * len(lines) - 16
    if table:
        width, height = 160, 20
        for row in table:
            y -= height
            for j, cell in enumerate(row):
                x = 56 + j * width
                stream += b"%d %d %d %d re S\n" % (x, y, width, height) + text_at(x + 4, y + 6, [cell])
        y -= 30
    if after:
        stream += text_at(56, y, list(after))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def scanned_pdf_page(text: str, width_chars: int = 48) -> bytes:
    """A one-page PDF that is only a picture of `text` (no text layer), as a scanner makes."""
    from PIL import Image, ImageDraw, ImageFont

    try:  # Debian's DejaVu has the Danish letters; Pillow's own font lacks æ, ø and å
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 34)
    except OSError:
        font = ImageFont.load_default(size=34)
    lines = [line for para in text.split("\n\n") for line in textwrap.wrap(para, width_chars) + [""]]
    image = Image.new("L", (1700, 2200), 255)  # A4-ish at 200 dpi
    draw = ImageDraw.Draw(image)
    y = 150
    for line in lines:
        draw.text((120, y), line, fill=0, font=font)
        y += 50
    out = io.BytesIO()
    image.save(out, "PDF", resolution=200.0)
    return out.getvalue()


def join_pdfs(parts: list[bytes]) -> bytes:
    """One PDF of the pages of `parts`, in order."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(path, blocks: list) -> None:
    """A Word file from ('title'|'h1'|'h2'|'p'|'bullet', text) pairs and ('table', rows) pairs."""
    import docx as python_docx

    document = python_docx.Document()
    for kind, content in blocks:
        if kind == "title":
            document.add_heading(content, level=0)
        elif kind in ("h1", "h2"):
            document.add_heading(content, level=int(kind[1]))
        elif kind == "bullet":
            document.add_paragraph(content, style="List Bullet")
        elif kind == "table":
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for i, row in enumerate(content):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        else:
            document.add_paragraph(content)
    document.save(str(path))
