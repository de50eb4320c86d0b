"""Word files (.docx) as markdown-like text: headings '#', bullets '• ', tables as '| a | b |' rows.

The text then goes through the same cleaning, table and chunking stages as a markdown file,
so a Word document's headings become the chunks' section path and its tables become table
chunks whose rows name their columns.
"""

from __future__ import annotations

import io
import re
import zipfile

from policyqa.errors import DocumentError

# Built-in heading styles are stored under their English names whatever Word's language
# ("heading 1"); a few templates rename them ("Overskrift 1")
_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.I)
_TITLE_STYLE = re.compile(r"^(?:title|titel)$", re.I)
_LIST_STYLE = re.compile(r"\blist|\bliste|\bopstilling|\bpunkt", re.I)


def docx_text(source: str, data: bytes) -> str:
    """The body of a .docx in reading order. Headers, footers and comments are left out (page
    furniture); a nested table is read as its cell's text. Raises DocumentError naming the
    file when it is not a readable Word document."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml.etree import LxmlError

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                lines.append("\n".join(_table_lines(item)))  # a table's rows stay together
            else:
                lines.append(_paragraph_line(item))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, LxmlError) as e:
        raise DocumentError(source, f"cannot read Word file ({type(e).__name__}: {e})"[:200]) from e
    # a blank line between paragraphs: each Word paragraph is a block of its own
    return "\n\n".join(line for line in lines if line is not None).strip()


def _paragraph_line(paragraph) -> str:
    text = " ".join(paragraph.text.split())
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    m = _HEADING_STYLE.match(style)
    if m:
        return f"{'#' * min(int(m.group(1)) + 1, 6)} {text}"
    if _TITLE_STYLE.match(style):
        return f"# {text}"
    p_pr = paragraph._p.pPr
    if (p_pr is not None and p_pr.numPr is not None) or _LIST_STYLE.search(style):
        return f"• {text}"
    return text


def _table_lines(table) -> list[str]:
    """Markdown rows; a merged cell is read once, and a '|' inside a cell cannot split it."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # python-docx repeats a horizontally merged cell for each grid column
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()).replace("|", "/"))
        if any(cells):
            rows.append(cells)
    if not rows:
        return []
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    return [lines[0], "|" + "---|" * width, *lines[1:]]
