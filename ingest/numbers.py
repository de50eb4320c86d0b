"""Danish numbers in prose: '4.000', '2,5', 'ni', 'femogtyve', 'halvdelen', 'mindst 25 procent'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.models import Bound, Quantity

_UNITS_WORDS = {
    "nul": 0, "en": 1, "et": 1, "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
    "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13,
    "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19,
}
_TENS_WORDS = {
    "tyve": 20, "tredive": 30, "fyrre": 40, "fyrretyve": 40, "halvtreds": 50, "tres": 60,
    "halvfjerds": 70, "firs": 80, "halvfems": 90,
}
_FRACTIONS = {
    "halvdelen": 50.0, "halvdel": 50.0, "en tredjedel": 100 / 3, "tredjedel": 100 / 3,
    "en fjerdedel": 25.0, "fjerdedel": 25.0, "en kvart": 25.0, "to tredjedele": 200 / 3,
    "tre fjerdedele": 75.0, "en femtedel": 20.0, "femtedel": 20.0, "en tiendedel": 10.0,
    "hver anden": 50.0, "hver tredje": 100 / 3, "hver fjerde": 25.0, "hver femte": 20.0,
    "hver sjette": 100 / 6, "hver tiende": 10.0, "hver tyvende": 5.0,
    "tre ud af fire": 75.0, "to ud af tre": 200 / 3, "fire ud af fem": 80.0, "ni ud af ti": 90.0,
    "otte ud af ti": 80.0, "syv ud af ti": 70.0, "seks ud af ti": 60.0, "en ud af fire": 25.0,
    "en ud af fem": 20.0, "en ud af ti": 10.0,
}


def word_number(word: str) -> int | None:
    """'ni' -> 9, 'femogtyve' -> 25, 'hundrede' -> 100, 'tusind' -> 1000; else None."""
    w = word.lower()
    if w in _UNITS_WORDS:
        return _UNITS_WORDS[w]
    if w in _TENS_WORDS:
        return _TENS_WORDS[w]
    if w in ("hundrede", "hundred", "et hundrede"):
        return 100
    if w in ("tusind", "tusinde"):
        return 1000
    m = re.fullmatch(r"(en|to|tre|fire|fem|seks|syv|otte|ni)og(" + "|".join(_TENS_WORDS) + ")", w)
    if m:
        return _UNITS_WORDS[m.group(1)] + _TENS_WORDS[m.group(2)]
    return None


def parse_number(token: str) -> float | None:
    """A Danish-formatted numeral: '4000', '4.000', '1.250.000', '2,5', '12.5' (English decimal)."""
    t = token.strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", t):
        return float(t.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(,\d{3})+", t) and not re.fullmatch(r"\d,\d{3}", t):
        return float(t.replace(",", ""))
    if re.fullmatch(r"\d+,\d+", t):
        return float(t.replace(",", "."))
    if re.fullmatch(r"\d+(\.\d+)?", t):
        return float(t)
    w = word_number(t)
    return float(w) if w is not None else None


_NUMWORD = "|".join(sorted(list(_UNITS_WORDS) + list(_TENS_WORDS) + ["hundrede", "tusind", "tusinde"],
                           key=len, reverse=True))
_COMPOUND = r"(?:en|to|tre|fire|fem|seks|syv|otte|ni)og(?:" + "|".join(_TENS_WORDS) + ")"
# "1.6" (an English decimal: one or two digits after the point, not a date's "25.11.2020")
NUMBER_RE = rf"(?:\d{{1,3}}(?:\.\d{{3}})+|\d+\.\d{{1,2}}(?![\d.,]\d)(?!\d)|\d+(?:,\d+)?|{_COMPOUND}|(?:{_NUMWORD}))"

_BOUND_WORDS: list[tuple[str, Bound]] = [
    (r"mindst|minimum|min\.|som minimum|at least|no less than|≥|>=", "at_least"),
    (r"højst|maksimalt|maks\.|max\.?|som maksimum|ikke (?:over|mere end)|op til|at most|"
     r"no more than|up to|ikke overstige|ikke overskride|≤|<=", "at_most"),
    (r"under|mindre end|færre end|lavere end|below|less than|fewer than", "below"),
    (r"over|mere end|flere end|højere end|above|more than", "above"),
    (r"præcis|nøjagtig|exactly", "exactly"),
]
_UNIT_PATTERNS: list[tuple[str, str]] = [
    (r"procentpoint|procent-point|pct\.-point|percentage points?", "percentage points"),
    (r"%|procent|pct\.?|percent|per cent", "%"),
    (r"(?:mio\.|millioner|million)\s*(?:kr\.?|kroner)", "million kr."),
    (r"(?:mia\.|milliarder|billion)\s*(?:kr\.?|kroner)", "billion kr."),
    (r"kr\.?|kroner|DKK", "kr."),
    (r"(?:fuldtids)?personer|borgere|mennesker|persons|people", "persons"),
    (r"børn|unge|elever|kvinder|mænd|familier|hjemløse|ældre|ledige", "persons"),
    (r"dødsfald|deaths", "deaths"),
    (r"pladser|boliger|places|homes", "places"),
    (r"tons?|ton CO2|tons? CO2", "tonnes"),
]


@dataclass(frozen=True)
class Mention:
    quantity: Quantity
    start: int
    end: int
    raw: str


# verbose regexes ignore spaces: multi-word bounds and units need explicit \s
_BOUND_ALT = "|".join(b.replace(" ", r"\s+") for b, _ in _BOUND_WORDS)
_UNIT_ALT = "|".join(u.replace(" ", r"\s") for u, _ in _UNIT_PATTERNS)
_FRAC_ALT = "|".join(f.replace(" ", r"\s+") for f in sorted(_FRACTIONS, key=len, reverse=True))
_MENTION = re.compile(
    rf"""(?P<bound>(?:{_BOUND_ALT})\s+)?
        (?:(?P<frac>{_FRAC_ALT})
         |(?P<num>{NUMBER_RE})(?:\s*(?P<unit>{_UNIT_ALT}))?)
        (?![\w-])""",
    re.I | re.X,
)


def _bound_of(text: str | None) -> Bound | None:
    if not text:
        return None
    t = " ".join(text.split()).lower()
    for pattern, bound in _BOUND_WORDS:
        if re.fullmatch(pattern, t):
            return bound
    return None


def _unit_of(text: str | None) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    for pattern, unit in _UNIT_PATTERNS:
        if re.fullmatch(pattern, text, re.I):
            return unit
    return ""


_DATE_AFTER = re.compile(r"^\.?\s*(januar|februar|marts|april|maj|juni|juli|august|september|oktober|"
                         r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec)\b|"
                         r"^[-./]\d{1,2}[-./]\d{2,4}", re.I)


# after a number, what makes it an ordinal: a range of grades or a grade, quarter, cohort
_ORDINAL_AFTER = re.compile(r"\.\s*[-–]\s*\d{1,2}\.|\.\s*(?:klasse|kl\.|klassetrin|kvartal|kvt\.?|"
                            r"årgang|grade|class)\b", re.I)


def find_quantities(text: str, *, words_need_unit: bool = True, dates: bool = False) -> list[Mention]:
    """Numbers with bound and unit. Years (19xx/20xx without unit), ages ('25-årige') and
    bare number words without a unit ('en', 'to') are left out: they are not quantities."""
    out: list[Mention] = []
    for m in _MENTION.finditer(text):
        bound = _bound_of(m.group("bound"))
        if m.group("frac"):
            q = Quantity(_FRACTIONS[" ".join(m.group("frac").lower().split())], "%", bound)
            out.append(Mention(q, m.start(), m.end(), m.group(0)))
            continue
        num = m.group("num")
        unit = _unit_of(m.group("unit"))
        value = parse_number(num)
        if value is None:
            continue
        after = text[m.end(): m.end() + 12]
        if not dates and not unit and (_DATE_AFTER.match(after) or re.search(r"[-./]\d{1,2}[-./]$",
                                                                               text[max(0, m.start() - 6):m.start()])):
            continue  # a date ("31. august", "25-11-2020"), not an amount
        if re.match(r"-?år(ige?|s)?\b", after) or text[m.start("num") - 1: m.start("num")] == "-":
            continue  # ages like "15-17-årige", "25-årige"
        if re.search(r"(?:19|20)\d\d\s*/\s*$", text[max(0, m.start("num") - 7):m.start("num")]):
            continue  # the end of a school year: the 28 of "2027/28"
        if m.start("num") > 0 and text[m.start("num") - 1].isalpha():
            continue  # part of a code or name: "HPV1", "MFR2", "CO2", "Mål3"
        if not unit and _ORDINAL_AFTER.match(after):
            continue  # an ordinal: "4.-9. klasse", "2. kvartal", "0.-3. kl."
        is_word = not num[0].isdigit()
        if is_word and (words_need_unit and not unit):
            continue
        if is_word and num.lower() in ("en", "et", "én", "ét"):
            continue  # the article, not the number one
        if not unit and re.fullmatch(r"(19|20)\d\d", num):
            continue  # a year
        start = m.start() if bound else m.start("num")
        out.append(Mention(Quantity(value, unit, bound), start, m.end(), text[start:m.end()]))
    return out


def normalise_number(value: float) -> str:
    """A canonical string for comparing numbers: 4000.0 -> '4000', 2.5 -> '2.5'."""
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def numbers_in(text: str, *, english: bool = False) -> set[str]:
    """Every number stated in `text` (digits, Danish words with units, fractions, years).
    With `english`, '4,000' is four thousand (in Danish text it would be 4.0)."""
    if english:
        text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    found = {normalise_number(m.quantity.value) for m in find_quantities(text, dates=True)}
    for m in re.finditer(rf"\b(?:mindst|højst|under|over|cirka|ca\.|kun|blot)\s+({_NUMWORD}|{_COMPOUND})\b",
                         text, re.I):
        v = word_number(m.group(1))
        if v is not None and m.group(1).lower() not in ("en", "et", "én", "ét"):
            found.add(str(v))
    from ingest.dates import find_dates

    for iso, _, _ in find_dates(text):
        y, mo, d = iso.split("-")
        found |= {y, str(int(mo)), str(int(d))}
    for m in re.finditer(r"(?<![\d.,])((?:19|20)\d\d)(?![\d])", text):
        found.add(m.group(1))
    for m in re.finditer(rf"(?<![\w])({_NUMWORD}|{_COMPOUND})(?:\s+(?:procent|pct|%))", text, re.I):
        v = word_number(m.group(1))
        if v is not None:
            found.add(str(v))
    return found


_BOUND_LABEL = {
    "en": {"at_least": "at least", "at_most": "at most", "below": "under", "above": "over",
           "exactly": "exactly"},
    "da": {"at_least": "mindst", "at_most": "højst", "below": "under", "above": "over",
           "exactly": "præcis"},
}
_UNIT_LABEL = {
    "en": {"%": " %", "percentage points": " percentage points", "persons": " persons",
           "deaths": " deaths", "million kr.": " million DKK", "billion kr.": " billion DKK",
           "kr.": " DKK", "places": " places", "tonnes": " tonnes", "": ""},
    "da": {"%": " procent", "percentage points": " procentpoint", "persons": " personer",
           "deaths": " dødsfald", "million kr.": " mio. kr.", "billion kr.": " mia. kr.",
           "kr.": " kr.", "places": " pladser", "tonnes": " ton", "": ""},
}


def format_number(value: float, lang: str = "en") -> str:
    """Danish '4.000' and '2,5'; English '4000', '12,500' and '2.5' ('4,000' would read as a
    Danish decimal, so English thousands get a separator only from 10,000)."""
    if abs(value - round(value)) < 1e-9:
        n = int(round(value))
        if lang == "da":
            return f"{n:,}".replace(",", ".")
        return f"{n:,}" if n >= 10000 else str(n)
    s = f"{value:.1f}"
    return s.replace(".", ",") if lang == "da" else s


def format_quantity(q: Quantity, lang: str = "en") -> str:
    lang = "da" if lang == "da" else "en"
    bound = _BOUND_LABEL[lang].get(q.bound or "", "")
    unit = _UNIT_LABEL[lang].get(q.unit, f" {q.unit}" if q.unit else "")
    return f"{bound + ' ' if bound else ''}{format_number(q.value, lang)}{unit}"


# A year, or a school or financial year written "2024/25" or "2024/2025"
_YEAR_OR_SPAN = re.compile(r"(?<![\d.,/])((?:19|20)\d\d)(?:\s*/\s*((?:19|20)?\d\d))?(?![\d.,]?\d)")


def years_in(text: str) -> list[tuple[int, int]]:
    """(position, year) of each year a text names. A school or financial year ("skoleåret
    2024/25", "2024/2025") counts as the year it ends in, as goal deadlines do: a figure for
    2024/25 is the one a target "i skoleåret 2024/25" is checked against."""
    out = []
    for m in _YEAR_OR_SPAN.finditer(text):
        year = int(m.group(1))
        tail = m.group(2)
        if tail:
            end = int(tail) if len(tail) == 4 else int(m.group(1)[:2] + tail)
            if end == year + 1:
                year = end
        out.append((m.start(1), year))
    return out
