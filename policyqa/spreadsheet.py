"""CSV that is safe to open in Excel: OWASP's rule against formula injection, for every CSV written."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# A cell starting with one of these is taken as a formula by Excel, LibreOffice and Sheets
# (tab and carriage return too, since they are stripped before the formula check).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """Prefix a text cell that could start a formula with a single quote (shown, never run).
    Numbers stay numbers: -5 as an int or float is data, '-5' typed as text is neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: Iterable[dict], fieldnames: list[str]) -> str:
    """Rows as CSV (header first), every text cell neutralised."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fieldnames, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: safe_cell(v) for k, v in r.items()})
    return buf.getvalue()
