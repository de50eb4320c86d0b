"""Find and parse Danish (and ISO/English) dates: '18-03-2016', '30. oktober 2013', '28. aug. 2020'."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

_MONTHS = {
    "januar": 1, "jan": 1, "january": 1,
    "februar": 2, "feb": 2, "february": 2,
    "marts": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "maj": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
DATE_PATTERN = re.compile(
    rf"""
    (?<![\d.])(?P<iso>(?:19|20)\d\d-[01]?\d-[0-3]?\d)(?!\d)
    | (?<![\d.-])(?P<num>[0-3]?\d[-./][01]?\d[-./](?:19|20)\d\d)(?!\d)
    | (?<!\d)(?P<long>[0-3]?\d\.?\s+(?:{_MONTH_RE})\.?,?\s+(?:19|20)\d\d)(?!\d)
    """,
    re.I | re.X,
)


@lru_cache(maxsize=4096)
def parse_date(text: str) -> str | None:
    """Parse one date expression to ISO 'yyyy-mm-dd', or None if it is not a valid date.

    dateparser does the general work (Danish and English month names); it misses some
    Danish abbreviations ('sept.'), which are normalised first.
    """
    s = " ".join(text.strip().split())
    if not s:
        return None
    iso = _parse_simple(s)
    if iso:
        return iso
    import dateparser  # slow import; only ingest needs it

    norm = re.sub(r"\bsept\b\.?", "september", s, flags=re.I)
    try:
        parsed = dateparser.parse(
            norm, languages=["da", "en"], settings={"DATE_ORDER": "DMY", "STRICT_PARSING": True}
        )
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed else None


def _parse_simple(s: str) -> str | None:
    m = re.fullmatch(r"((?:19|20)\d\d)-(\d\d?)-(\d\d?)", s)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d\d?)[-./](\d\d?)[-./]((?:19|20)\d\d)", s)
    if m:
        return _iso(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(rf"(\d\d?)\.?\s+({_MONTH_RE})\.?,?\s+((?:19|20)\d\d)", s, re.I)
    if m:
        return _iso(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    return None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """All valid dates in `text` as (iso, start, end), in order of appearance."""
    out = []
    for m in DATE_PATTERN.finditer(text):
        iso = parse_date(m.group(0))
        if iso:
            out.append((iso, m.start(), m.end()))
    return out
