"""Clean scraped text into structural blocks (headings, paragraphs, bullets), dropping page furniture."""

from __future__ import annotations

import re
import unicodedata

from ingest.dates import DATE_PATTERN
from ingest.models import Block

# Whole lines that are page furniture (skip links, share bars, link stubs, cookie lines).
_FURNITURE_LINE = re.compile(
    r"""^(
      (gå|spring)\s+(direkte\s+)?(til|over)\s+(indhold|hovedindhold|navigation|menu)
    | skip\s+to\s+(main\s+)?content
    | til\s+toppen | tilbage\s+til\s+toppen | back\s+to\s+top
    | print(\s+side)? | udskriv(\s+side)? | del(\s+(på|via)\s+\w+|\s+artiklen|\s+siden)?
    | (læs|se)\s+(mere|også|flere).{0,60}
    | tilmeld\s+dig(\s+her)?\.?
    | (accepter|afvis|tillad)\s+(alle\s+)?(cookies|nødvendige).{0,40}
    | .{0,40}\bcookie(s|indstillinger|politik)?\b.{0,80}
    | (forside|menu|søg|søgning|luk|log\s+ind|english|dansk)
    | (senest\s+)?opdateret(\s+den)?:?\s+.{4,30}
    | sidst\s+redigeret.{0,40}
    | relaterede\s+(artikler|nyheder|sider)
    | (forside|home)\s*[>/›»].*
    )\s*$""",
    re.I | re.X,
)
# Link stubs left where a link stood alone: "Læs X's nyhed om aftalen", "Se hele aftaleteksten på ...".
_LINK_STUB = re.compile(r"^(læs|se|hent|download)\s+[^.!?]{0,90}$", re.I)
_ICON = re.compile(r"\bicon-[a-z0-9-]+\b", re.I)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")
_GRID_CELL = re.compile(r"^\s*([A-ZÆØÅ]{2,5}|[xX])?\s*$")
_BULLET = re.compile(r"^\s*([•\-\*–·▪◦●■○]|\d{1,2}[.)])\s+(?=\S)")
_KEY_VALUE = re.compile(r"^[A-ZÆØÅ][\wæøåÆØÅ.\- ]{1,30}:\s+\S")
_PHONE_OR_MAIL = re.compile(r"(\b\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b|@[\w-]+\.\w+|\btlf\.?\b|\btelefon\b)", re.I)
# Section headings whose whole section is furniture, and contact sections (dropped when short).
_FURNITURE_SECTION = re.compile(
    r"^(nyhedsbrev(e)?|tilmeld\s+nyhedsbrev|del\s+(artiklen|siden)|relaterede\s+\w+|"
    r"læs\s+også|cookies?|cookiepolitik|følg\s+os|newsletter)\s*:?\s*$",
    re.I,
)
_CONTACT_SECTION = re.compile(
    r"^(kontakt(personer|oplysninger)?|yderligere\s+oplysninger|flere\s+oplysninger|"
    r"for\s+yderligere\s+information|presse(kontakt)?|contact)\s*:?\s*$",
    re.I,
)
_DATE_TAGS = re.compile(rf"^\s*({DATE_PATTERN.pattern})\s+[A-ZÆØÅ][A-ZÆØÅ ,&/-]{{6,}}$", re.X | re.I)


PAGE_BREAK = "\f"  # between two PDF pages in a RawDocument's text
# Marks put on a linearised table's lines, so that they become table blocks, not paragraphs
# (control characters: normalise() has removed any from the text before they are added)
_TABLE_HEAD, _TABLE_ROW = "\x1d", "\x1e"


def normalise(text: str, *, pages: bool = False) -> str:
    """Unicode NFC, unified newlines and spaces, no zero-width or control characters.
    With `pages`, a form feed (a PDF page break) is kept on a line of its own."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\xa0", " ").replace("\u2009", " ").replace("\t", " ")
    text = re.sub(r"[\u200b-\u200d\ufeff\u00ad]", "", text)
    if pages:
        text = re.sub(r"[^\S\f]*\f[^\S\f]*", "\n\f\n", text)  # one per page, blank pages too
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]" if pages else r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return _OCR_NUMBER.sub(_mend_number, text)


# A number that text recognition misread: "2l4,3", "l0,2", "2O24" (l, I for 1; O for 0). Only
# inside a run of digits with a decimal comma or point, or of four or more characters, so that
# words and codes are left alone.
_OCR_NUMBER = re.compile(r"(?<![\w,.])(?=[\dlIO]*\d)(?=[\dlIO]*[lIO])"
                         r"(?:[\dlIO]{1,3}[.,][\dlIO]+|[\dlIO]{4,})(?![\w])")


def _mend_number(m: re.Match) -> str:
    token = m.group(0)
    digits = sum(c.isdigit() for c in token)
    if digits < sum(c in "lIO" for c in token) or re.search(r"[lIO]{2}", token):
        return token
    return token.translate(str.maketrans("lIO", "110"))


def _clean_line(line: str) -> str | None:
    """One line without markup leftovers; None when the whole line is furniture."""
    if _ICON.search(line):
        return None  # icon widgets (quote carousels, scroll hints) are site furniture
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_EMPH.sub(r"\2", line)
    line = line.replace("**", "")
    stripped = line.strip()
    if not stripped:
        return ""
    if _FURNITURE_LINE.match(stripped):
        return None
    if _LINK_STUB.match(stripped) and len(stripped.split()) <= 10:
        return None
    m = _DATE_TAGS.match(stripped)
    if m:  # "16-05-2016 FRIVILLIG SOCIAL INDSATS..." -> the date alone
        return m.group(1)
    return line.rstrip()


def _drop_grids(lines: list[str]) -> list[str]:
    """Drop committee-code grids: runs of short all-caps codes and X marks, one per line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        codes = 0
        while j < len(lines) and lines[j] != PAGE_BREAK and _GRID_CELL.match(lines[j]):
            if lines[j].strip():
                codes += 1
            j += 1
        if codes >= 4:
            out.append("")
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def _cells(line: str) -> list[str] | None:
    """The cells of a table row ('| a | b |' from markdown, 'a | b' from converted HTML)."""
    s = line.strip()
    if s.count("|") < (2 if s.startswith("|") else 1) or " | " not in f" {s} ":
        return None
    return [c.strip() for c in s.strip("|").split("|")]


def _spaced_cells(line: str) -> list[str] | None:
    """The cells of a line laid out in columns by runs of spaces (PDF text, plain-text reports)."""
    if "|" in line or not re.search(r"\S\s{2,}\S", line.strip()):
        return None
    return [c.strip() for c in re.split(r"\s{2,}", line.strip())]


def _spaced_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell of a line laid out in columns by runs of spaces."""
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+(?: \S+)*", line)]


def _header_continued(header_line: str, lines: list[str], j: int) -> tuple[list[str] | None, int]:
    """A header whose cells run onto the lines below it, under their own columns, the row-label
    column empty there: "Alder   Andel uden carieserfaring   Andel uden carieserfaring" over
    "        2022                        2025". The merged header and the line after it."""
    head = _spaced_spans(header_line)
    cells = [t for _, _, t in head]
    k = j
    while k < len(lines) and k < j + 2 and lines[k].strip() and not _RULE_LINE.match(lines[k]):
        below = _spaced_spans(lines[k])
        if not below or below[0][0] <= head[0][1] or len(below) > len(head) - 1:
            break  # a row names its label in the first column
        owners = []
        for a, b, _ in below:
            overlap = [i for i, (ha, hb, _) in enumerate(head) if a < hb + 2 and b > ha - 2]
            if len(overlap) != 1:
                break
            owners.append(overlap[0])
        if len(owners) != len(below) or len(set(owners)) != len(owners):
            break
        for (_, _, text), i in zip(below, owners):
            cells[i] = f"{cells[i]} {text}"
        k += 1
    return (cells if k > j else None), k


def _space_tables(lines: list[str]) -> list[str]:
    """Columns aligned with spaces become markdown rows: a header line and at least two rows
    of as many cells, each row holding a number ("2021      184      41")."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        header = _spaced_cells(lines[i])
        j = i + 1
        if header and len(header) >= 2:
            merged, after = _header_continued(lines[i], lines, j)
            if merged:
                header, j = merged, after
        rows = []
        while header and j < len(lines):
            if _RULE_LINE.match(lines[j]):  # "-----------" under the header or above the total
                j += 1
                continue
            cells = _spaced_cells(lines[j])
            if not cells and j + 1 < len(lines) and lines[j].strip() and rows:
                # a row label wrapped onto two lines: "Øvrige (affald, in-" / "dustri)   51.000   14.000"
                after = _spaced_cells(lines[j + 1])
                if after and len(after) == len(header) and after[0][:1].islower():
                    cells = [_join_wrapped([lines[j].strip(), after[0]]), *after[1:]]
                    j += 1
            if not cells or len(cells) != len(header) or not any(re.search(r"\d", c) for c in cells[1:]):
                break
            rows.append(cells)
            j += 1
        while rows and j > i + 1 and _RULE_LINE.match(lines[j - 1]):
            j -= 1  # a closing rule belongs to the text after
        if header and len(header) >= 2 and len(rows) >= 2:
            out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            out += ["| " + " | ".join(r) + " |" for r in rows]
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


def _linearise_tables(lines: list[str]) -> list[str]:
    """Each row of a table becomes a paragraph of its own that names its columns: 'Indikator:
    Ventetid (dage); Baseline: 19 (2024); Mål: Højst 10'. A row read on its own then still says
    which number is the target and which the baseline (for goals, answers and quotes)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        header = _cells(lines[i])
        if header is None or len(header) < 2:
            out.append(lines[i])
            i += 1
            continue
        j = i + 1
        rows = []
        while j < len(lines) and (_TABLE_RULE.match(lines[j].strip()) or _cells(lines[j]) is not None):
            if not _TABLE_RULE.match(lines[j].strip()):
                rows.append(_cells(lines[j]))
            j += 1
        if not rows:
            out.append(lines[i])
            i += 1
            continue
        out += ["", _TABLE_HEAD + " | ".join(c for c in header if c), ""]
        for row in rows:
            if len(row) == len(header):
                text = "; ".join(f"{h}: {c}" if h else c for h, c in zip(header, row) if c)
            elif len(row) == len(header) + 1:  # the first column holds row labels, its header empty
                text = f"{row[0]}: " + "; ".join(f"{h}: {c}" for h, c in zip(header, row[1:]) if c)
            else:
                text = " | ".join(c for c in row if c)
            out += [_TABLE_ROW + text, ""]
        i = j
    return out


_RawBlock = tuple[str, str, int, int | None]  # kind, text, level, page


_ROW_CELL = re.compile(r"(?:^|;\s)([^:;]{1,60}):\s([^;]*)")


def row_cells(row: str) -> list[tuple[str, str]]:
    """The (header, cell) pairs of a row block as _linearise_tables wrote it. A row label under
    an empty header cell ('Deaths: 2020: 186; 2024: 247') comes first with an empty header."""
    cells = [(h.strip(), c.strip()) for h, c in _ROW_CELL.findall(row)]
    if cells and ": " in cells[0][1]:
        label = cells[0][0]
        head, value = cells[0][1].split(": ", 1)
        cells = [("", label), (head, value)] + cells[1:]
    return cells


def _raw_blocks(text: str, pages: bool = False) -> list[_RawBlock]:
    """Split lines into (kind, text, level, page) with kind in heading/paragraph/bullet/table/row.
    With `pages`, the page counts form feeds from 1; else it is None."""
    page = 1 if pages else None
    lines = []
    for raw in text.split("\n"):
        if raw == PAGE_BREAK:
            lines.append(PAGE_BREAK)
            continue
        cleaned = _clean_line(raw)
        if cleaned is not None:
            lines.append(cleaned)
        else:
            lines.append("")
    lines = _linearise_tables(_space_tables(_drop_grids(_drop_running_heads(lines))))
    lines = ["" if _RULE_LINE.match(x) else x for x in lines]  # "-----" between sections: no text
    blocks: list[_RawBlock] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            if all(_KEY_VALUE.match(p.strip()) for p in para) and len(para) > 1:
                joined = "\n".join(p.strip() for p in para)
            else:
                joined = _join_wrapped(p.strip() for p in para)
            blocks.append(("paragraph", " ".join(joined.split(" ")).strip(), 0, page))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if line == PAGE_BREAK:
            flush()
            page = (page or 1) + 1
            i += 1
            continue
        if line[:1] in (_TABLE_HEAD, _TABLE_ROW):
            flush()
            blocks.append(("table" if line[0] == _TABLE_HEAD else "row", line[1:].strip(), 0, page))
            i += 1
            continue
        s = line.strip()
        if not s:
            flush()
            i += 1
            continue
        m = re.match(r"^(#{1,6})\s+(.+)$", s)
        if m:
            flush()
            blocks.append(("heading", m.group(2).strip(" #"), len(m.group(1)), page))
            i += 1
            continue
        b = _BULLET.match(line)
        if b and b.group(1) in "-–" and len(s.split()) > 25:
            b = None  # a dash opening a long paragraph is a Danish quotation dash
        if b and not (b.group(1)[0].isdigit() and not _in_numbered_list(lines, i)):
            flush()
            item = [line[b.end():].strip()]
            indent = len(line) - len(line.lstrip())
            i += 1
            # continuation lines: indented deeper than the bullet, no blank line between
            while i < len(lines) and lines[i].strip() and not _BULLET.match(lines[i]) and (
                len(lines[i]) - len(lines[i].lstrip()) > indent
            ):
                item.append(lines[i].strip())
                i += 1
            blocks.append(("bullet", "\n".join(item), 0, page))
            continue
        para.append(line)
        i += 1
    flush()
    return [b for b in blocks if b[1]]


# A word broken at a line end ("læn-" / "gere"), not the dash of a shared compound part
# ("børne- og ungeudvalget", "social-" / "og sundhedsområdet") nor of a code ("DK2020-samarbejdet")
_BROKEN_WORD = re.compile(r"(?<=[a-zæøåäöü])-$")
_SHARED_PART = re.compile(r"(?:og|eller|samt|til|and|or|to)\b")


def _join_wrapped(lines) -> str:
    """A paragraph's lines joined by spaces, a word hyphenated across a line break mended."""
    out = ""
    for line in lines:
        if out and _BROKEN_WORD.search(out) and line[:1].islower() and not _SHARED_PART.match(line):
            out = out[:-1] + line
        elif out and out.endswith("-") and line[:1].islower() and out[-2:-1].isalnum() \
                and not _SHARED_PART.match(line):
            out += line  # "DK2020-" / "samarbejdet": the dash is the word's own
        else:
            out = f"{out} {line}" if out else line
    return out


# A page's running head or foot: "Rugmark Kommune | Klimahandlingsplan 2022-2030   Side 3",
# "Page 4 of 12", a page number alone beside a rule. A line that stands beside such a page mark
# or a rule and comes back there on another page (the same but for its numbers) is one too
_PAGE_MARK = re.compile(r"\b(?:side|page)\s+\d+(?:\s*(?:af|of|/)\s*\d+)?\s*$", re.I)
# a rule across the page, or one per column of a table laid out with spaces ("------  ------")
_RULE_LINE = re.compile(r"^\s*(?:[-=_—–]{8,}|[-=_—–]{3,}(?:\s+[-=_—–]{3,})+)\s*$")


def _drop_running_heads(lines: list[str]) -> list[str]:
    def shape(line: str) -> str:
        return " ".join(re.sub(r"\d+", "#", line).split()).lower()

    def short(line: str) -> bool:
        return bool(line.strip()) and len(line.split()) <= 15

    marks = [i for i, x in enumerate(lines) if short(x) and _PAGE_MARK.search(x)]
    shapes = [shape(lines[i]) for i in marks]
    pages = {i for i, k in zip(marks, shapes) if shapes.count(k) >= 2}
    rules = {i for i, x in enumerate(lines) if _RULE_LINE.match(x)}
    drop = set(pages)
    marked = pages | rules
    # beside a page mark, twice is a pattern; beside a rule, which also closes a section
    # ("Afbud: ..." under two agenda items), three times
    for anchors, times in ((pages, 2), (rules, 3)):
        beside: dict[str, set[int]] = {}
        for i in anchors:
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(lines) and not lines[j].strip():
                    j += step
                if 0 <= j < len(lines) and j not in marked and short(lines[j]):
                    beside.setdefault(shape(lines[j]), set()).add(j)
        drop |= {j for js in beside.values() if len(js) >= times for j in js}
    return ["" if i in drop else x for i, x in enumerate(lines)]


def _in_numbered_list(lines: list[str], i: int) -> bool:
    """'3. Tekst' is a list item only beside another numbered line (not an agenda number)."""
    def num(j: int) -> int | None:
        if 0 <= j < len(lines):
            m = re.match(r"^\s*(\d{1,2})[.)]\s+\S", lines[j])
            return int(m.group(1)) if m else None
        return None

    here = num(i)
    for j in (i - 1, i + 1, i - 2, i + 2):
        other = num(j)
        if other is not None and here is not None and abs(other - here) <= 2:
            return True
    return False


def _is_heading_line(text: str, first: bool, next_kind: str | None) -> int:
    """Heading level for a one-line paragraph in plain text, or 0 if it is not a heading."""
    if "\n" in text:
        return 0
    words = text.split()
    if text.endswith(":"):
        return 3 if next_kind == "bullet" and len(words) <= 25 else 0
    if text[-1] in ".!?;,”\"'" or _KEY_VALUE.match(text):
        return 0
    if DATE_PATTERN.fullmatch(text.strip()):
        return 0
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"“«"):
        return 0
    if first and len(words) <= 30:
        return 1
    if len(words) <= 12 and len(text) <= 100 and next_kind is not None:
        return 2
    return 0


# a signature: a person's name (with a party letter) and role, as under a foreword or a letter
_SIGNATURE = re.compile(r"(?:[A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøåé]+)?\s+){1,3}[A-ZÆØÅ][a-zæøåé]+"
                        r"(?:\s+\([A-ZÆØÅ]{1,2}\))?,?\s+(?:[\wæøå-]+\s+){0,2}(?i:borgmester|rådmand|"
                        r"(?:næst)?formand|(?:kommunal)?direktør|[\wæøå-]*minister|[\wæøå-]*chef|mayor|chair\w*|"
                        r"director)(?:\s+for\s+[\wæøåÆØÅ -]{2,60})?")


def to_blocks(text: str, *, detect_headings: bool = True, pages: bool = False,
              ocr_pages: frozenset[int] = frozenset()) -> tuple[str, list[Block]]:
    """Clean text (plain or markdown-like) into the document text and its blocks.

    The document text is the blocks joined by blank lines, bullets shown as '• ';
    each block's span points at its text inside it. With `pages` (PDF text), form feeds
    number the blocks' pages, and blocks on `ocr_pages` are marked as read by OCR.
    """
    raw = _raw_blocks(normalise(text, pages=pages), pages)
    typed: list[_RawBlock] = []
    has_headings = any(b[0] == "heading" for b in raw)
    for idx, (kind, t, lvl, page) in enumerate(raw):
        if kind == "paragraph" and detect_headings:
            nxt = raw[idx + 1][0] if idx + 1 < len(raw) else None
            level = _is_heading_line(t, idx == 0 and not has_headings, nxt)
            prev = typed[-1][1] if typed else ""
            if level == 2 and prev.rstrip().endswith(("”", '"', "»")) and len(t.split()) <= 8:
                level = 0  # the speaker's name after a quotation, not a heading
            if level == 2 and _SIGNATURE.fullmatch(t):
                level = 0  # "Helle Ingvardsen (A) Borgmester" under a foreword: who signed it
            if level:
                kind, lvl = "heading", level
        typed.append((kind, t, lvl, page))
    typed = _drop_furniture_sections(typed)
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, t, lvl, page in typed:
        prefix = "• " if kind == "bullet" else ""
        if parts:
            pos += 2  # the blank line between blocks
        start = pos + len(prefix)
        parts.append(prefix + t)
        pos += len(prefix) + len(t)
        blocks.append(Block(kind, t, start, pos, lvl, page, page in ocr_pages))  # type: ignore[arg-type]
    return "\n\n".join(parts), blocks


def _drop_furniture_sections(blocks: list[_RawBlock]) -> list[_RawBlock]:
    out: list[_RawBlock] = []
    mode: str | None = None  # "all" drops every block, "contact" drops short/contact blocks
    for i, block in enumerate(blocks):
        kind, t, lvl = block[:3]
        if kind == "heading":
            if _FURNITURE_SECTION.match(t):
                mode = "all"
                continue
            if _CONTACT_SECTION.match(t):
                mode = "contact"
                continue
            if _PHONE_OR_MAIL.search(t):
                continue
            if mode == "contact" and lvl >= 2:
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                if nxt is None or nxt[0] == "heading" or len(nxt[1].split()) < 25:
                    continue  # a name or title inside the contact block
            mode = None
        elif mode == "all":
            continue
        elif mode == "contact":
            if len(t.split()) < 25 or _PHONE_OR_MAIL.search(t):
                continue
        elif kind == "paragraph" and _is_contact_line(t):
            continue
        out.append(block)
    return out


def _is_contact_line(text: str) -> bool:
    """A short line that is only a phone number or e-mail with a name ('Kontorchef X, x@y.dk')."""
    return len(text.split()) <= 10 and bool(_PHONE_OR_MAIL.search(text)) and not text.endswith(".")
