"""Extract policy goals from Danish prose into Goal records, and link goals that later ones replace."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from ingest.chunk import ChunkIndex
from ingest.dates import find_dates
from ingest.goal_fields import indicator_of, target_group_of
from ingest.measurements import COHORT, _VERB
from ingest.models import Block, Chunk, Document, Goal, Quantity
from ingest.numbers import find_quantities, years_in
from ingest.text import is_instruction, split_sentences
from ingest.topics import area_of, classify

# Verbs first: "reduceres med 30 procent ... mere end ét ophold" is a decrease.
_VERBS = {
    "decrease": r"reducer\w*|nedbring\w*|nedbragt|mindske\w*|halver\w*|falde\w*|sænke\w*|begrænse\w*|"
                r"nedsætte\w*|bekæmpe\w*|knække\w*|komme ned|bringes ned|ikke overstige|ikke overskride|"
                r"reduc\w*|cut|halve[ds]?|halving|lower\w*|decreas\w*|bring\w* down|not exceed",
    "increase": r"øge\w*|øges|øget|forøge\w*|stige\w*|fordoble\w*|udvide\w*|vokse\w*|opføres|etablere\w*|"
                r"increas\w*|rais\w*|doubl\w*|expand\w*|boost\w*",
    "improve": r"forbedre\w*|styrke\w*|højne\w*|løfte\w*|improv\w*|strengthen\w*",
    "maintain": r"fastholde\w*|bevare\w*|opretholde\w*|holdes|overholdes|maintain\w*",
}
_COMPARATIVES = {
    "improve": r"større effekt|bedre|højere kvalitet|i højere grad",
    "decrease": r"færre|lavere|mindre|kortere|reduktion|fald|nedgang|fewer|lower|less|shorter|reduction",
    "increase": r"flere|højere|større|mere|stigning|more|higher|greater",
}
_VERB_RE = re.compile("|".join(f"(?P<{k}>\\b(?:{v})\\b)" for k, v in _VERBS.items()), re.I)
_COMP_RE = re.compile("|".join(f"(?P<{k}>\\b(?:{v})\\b)" for k, v in _COMPARATIVES.items()), re.I)
_MODAL = re.compile(r"\b((?:skal|må|bør)\b|målet (?:er|i)|målsætningen er|sigter mod|ambitionen er|"
                    r"vil\b[^.]{0,60}?\b(?:reducere|øge|halvere|nedbringe|sikre|sænke|løfte|forbedre|"
                    r"styrke|mindske|fordoble|hæve|nå)|ønsker\w*,? (?:vi,? )?at|forpligter\w*(?:\s+\w+){0,2}\s+sig til|"
                    r"(?:er|blevet) enige om|(?:har )?aftalt,? at|besluttet,? at|sætter som mål|"
                    r"indebærer,? at|forventes at|[\wæøå-]*mål(?:et|sætning(?:en)?)? om,? (?:at|mindst|højst|under|over|\d)|"
                    # the same in English pages
                    r"(?:must|shall|should)\b|will\b[^.]{0,60}?\b(?:reduce|increase|halve|cut|raise|ensure|"
                    r"lower|improve|double|reach)|the (?:target|goal|aim|ambition|objective) is|aims? to|"
                    r"(?:is|are) to be\b|commit\w* (?:itself |themselves )?to|agreed,? that|sets? (?:a|the) target)",
                    re.I)
_INTENTION = re.compile(
    r"\b(vil|skal|ønsker at|agter at|forventer at)\b[^.]{0,60}?\b"
    r"(opstille[s]?|fastsætte[s]?|udarbejde[s]?|sætte[s]?|formulere[s]?|udvikle[s]?|tage stilling til)"
    r"\s+(?:[\wæøå-]+\s+){0,4}?([\wæøå-]*mål(?:tal)?|[\wæøå-]*målsætninger)\b",
    re.I,
)
_GOAL_WORDS = re.compile(r"\b[\wæøå-]*mål(et|ene|sætning\w*|tal)?\b|\bsociale \d{4}-?mål\b|\btarget|"
                         r"\b(goals?|objectives?|aims)\b|"
                         r"\b[\wæøå-]*(politik|strategi|plan|aftale)\w*\b[^.]{0,40}\b(frem mod|\d{4}\s*[-–]\s*\d{4})",
                         re.I)
_STATUS = re.compile(r"\b(er nået|nået|opfyldt|indfriet|er (steget|faldet)|har vi|blev|var|havde|had|"
                     r"(?:has|have) (?:risen|fallen)|was|were)\b", re.I)
# ("The goal is to be reached for ..." is still to come)
_ACHIEVED = re.compile(r"\b(er|blev|var|allerede|is|was|were|has been|have been|already)\s+(?!to\b)(\S+\s+){0,4}?"
                       r"(nået|opfyldt|indfriet|reached|met|achieved)\b", re.I)
_CONDITIONAL = re.compile(r"^(hvis|såfremt|når|selvom|hvorvidt|det forventes|prognosen|if|when|although|"
                          r"whether|it is expected|the forecast)\b", re.I)
# Sentences about the goals themselves ("Målene skal inspirere ...") are not goals; an actor as
# subject ("Regeringen vil ...") is one only when it commits to an outcome (", at ...").
_GOAL_META = re.compile(r"^(målene|målet(?!,? (?:er|i [\wæøå-]+ er),? at)|målsætningerne|de sociale mål|"
                        r"the (?:goals|targets|objectives)\b|"
                        r"midlerne)\b", re.I)
_META_SUBJECT = re.compile(r"^(vi|det|de|der|regeringen|ministeren|we|it|they|there|the government|"
                           r"the minister)\b", re.I)
# A goal stated without a modal verb: under a label ("Mål 2:", "Forslag til mål:", "Target 1:"),
# or in the present passive with a bound ("nedbringes fra 4,6 til højst 3 pct.")
_GOAL_LABEL = re.compile(r"^\W*(?:forslag til |nyt |nye )?(?:mål|målsætning|delmål|måltal|målet)(?:\s*\d+|\s+[a-zæøå])?\s*:|"
                         r"^\W*(?:proposed |new )?(?:target|goal|objective)s?(?:\s*\d+)?\s*:", re.I)
_PASSIVE_TARGET = re.compile(r"\b(nedbringes|reduceres|øges|forøges|halveres|sænkes|hæves|mindskes|fordobles|"
                             r"nedsættes)\b.{0,80}?\b(til|højst|mindst|under|to|at most|at least)\s+\d", re.I)
_SCHOOL_YEAR = re.compile(r"\b(?:skoleår(?:et)?|school year|sæson(?:en)?|season)\s+((?:19|20)\d\d)\s*/\s*(\d\d)\b", re.I)
_DEADLINE = re.compile(
    r"\b(?:frem mod|frem til|inden(?: udgangen af)?|senest(?: ved udgangen af| i)?|i løbet af|til|"
    r"by(?: the end of)?|no later than|before|in|"
    r"ved udgangen af|i)\s+(?:(?:den\s+)?\d{1,2}\.?\s+(?:januar|februar|marts|april|maj|juni|juli|august|"
    r"september|oktober|november|december|january|february|march|may|june|july|october)\s+)?"
    r"((?:19|20)\d\d)\b"
    r"|\b(?:19|20)\d\d\s*[-–]\s*((?:19|20)\d\d)\b", re.I)
@dataclass
class _Context:
    kind: str | None = None  # "goals", "intention" or None
    area: str | None = None
    deadline: int | None = None
    lead: str = ""  # the heading or lead-in that opened the list


def _goal_id(doc_id: str, start: int) -> str:
    return hashlib.sha256(f"{doc_id}:{start}".encode()).hexdigest()[:16]


def _direction(text: str) -> str | None:
    """The first direction verb after the modal ('skal ... reduceres'), else anywhere, else a
    comparative ('færre', 'flere')."""
    text = re.sub(r"^(for at|med henblik på at)\s+[^,]*?(,|\s+(?=skal|må|er|vil)\b)", "", text, flags=re.I)
    modal = re.search(r"\b(skal|må|bør|vil|must|shall|should|will)\b", text, re.I)
    if modal:
        m = _VERB_RE.search(text, modal.end())
        if m:
            return m.lastgroup
        if re.search(r"\bskal\s+(\w+\s+){0,3}ned\b", text, re.I):
            return "decrease"
    m = _VERB_RE.search(text) or _COMP_RE.search(text)
    return m.lastgroup if m else None


def _deadline(text: str) -> int | None:
    """The latest target year: 'frem mod 2025', 'inden udgangen af 2026', 'i perioden 2025-2029'.
    A baseline year ('fra 52 pct. i 2023', 'end i 2022', 'ift. 2023') is not a deadline."""
    years = []
    for m in _DEADLINE.finditer(text):
        y = m.group(1) or m.group(2)
        before = text[max(0, m.start() - 30): m.start()].lower()
        explicit = re.match(r"(frem mod|frem til|inden|senest|by|no later than|before)\b", m.group(0), re.I)
        if re.search(r"\b(fra|end|ift\.|i forhold til|sammenlignet med|siden|from|than|compared with|"
                     r"compared to|since)\s*(\S+\s+){0,3}$", before) \
                and not m.group(2) and not explicit:
            continue  # but "fra 60 i 2021 inden 2025": 'inden' names the deadline whatever stands before
        if re.search(r"budgetaftale\w*\s+(for\s+)?$", before):
            continue  # "budgetaftalen for 2025" names the agreement
        span = re.match(r"\s*/\s*(\d\d(?:\d\d)?)\b", text[m.end():]) if not m.group(2) else None
        if span and int(span.group(1)[-2:]) == (int(y) + 1) % 100:
            y = int(y) + 1  # "i 2029/30": a school or financial year counts as the year it ends in
        years.append(int(y))
    for m in _SCHOOL_YEAR.finditer(text):
        before = text[max(0, m.start() - 40): m.start()].lower()
        if not re.search(r"\b(fra|end|siden|from|since|udgangspunkt\w*|baseline)\b[^.]{0,30}$", before):
            years.append(int(m.group(1)[:2] + m.group(2)))  # "i skoleåret 2024/25" ends in 2025
    return max(years) if years else None


def _stage_deadline(text: str, target: Quantity | None) -> int | None:
    """A goal in stages ("mindst 92 pct. i skoleåret 2027/28 og mindst 95 pct. i skoleåret
    2029/30"): the deadline of the stage its target is, the year between it and the next target."""
    if target is None:
        return None
    mentions = find_quantities(text)
    at = next((i for i, m in enumerate(mentions) if m.quantity == target), None)
    if at is None or at + 1 >= len(mentions) or mentions[at + 1].quantity.bound is None:
        return None
    return _deadline(text[mentions[at].end:mentions[at + 1].start])


# "(udgangspunkt 2024/25: 18,9 pct.)", "baseline 2023: 41 %": the level the goal starts from
_BASELINE_WORD = r"\b(?:udgangspunkt\w*|baseline|basisår\w*)\b"
_BASELINE_SAID = re.compile(rf"(?:{_BASELINE_WORD}|\b(?:nuværende niveau|current level)\b)"
                            r"(?:\s+(?:i\s+|in\s+)?(?:skoleåret\s+|the school year\s+)?(19|20)\d\d(?:\s*/\s*\d\d(?:\d\d)?)?)?"
                            r"\s*(?:[:=]|er|var|is|was|på|of)?\s*(ca\.\s*)?$", re.I)


def _baseline_year_said(text: str, deadline: int | None) -> int | None:
    """The year a baseline is stated for: "fra 22,4 pct. i skoleåret 2021/22" (the school year
    counts as the year it ends in, like deadlines), "(udgangspunkt 2024: 10,2 pct.)"."""
    # "Baseline: 87,4 pct. (2023/24)": the year may follow the number's "pct."
    said = re.search(rf"{_BASELINE_WORD}(?:[^.;)]|\.(?=\s*\()|(?<=pct)\.){{0,40}}\)?", text, re.I)
    if said:
        years = [y for _, y in years_in(said.group(0))]
        if years and years[0] != deadline:
            return years[0]
    start = re.search(r"\b(?:fra|from)\b[^;]{0,60}?(?=\b(?:til|to)\b)", text, re.I)
    if start:
        years = [y for _, y in years_in(start.group(0))]
        if years and years[0] != deadline:
            return years[0]
    return None


# a goal word right before a number: "et mål om", "målet er", "målsætningen på", "a target of"
_TARGET_CUE = re.compile(r"\b(mål(et|sætning(en)?)?|delmål(et)?|target|goal|aim|ambition)\s+(om|på|er|of|is)\s+"
                         r"(at\s+)?(mindst|højst|under|over|at least|at most|below|above)?\s*$")


def _numbers(text: str) -> tuple[Quantity | None, Quantity | None, Quantity | None]:
    """(change, target_value, baseline) from a goal sentence. Quantities with a unit come first;
    a bounded bare number ("mindst 7,2") counts only when there is none, and never an age."""
    change = target = baseline = None
    cued = False  # the target is the number a goal word names ("et mål om 60 pct.")
    mentions = find_quantities(text)
    with_unit = [m for m in mentions if m.quantity.unit]
    # bare numbers in "fra ca. 140 til 250" or "2.300 flere personer" are quantities too
    with_unit += [m for m in mentions if not m.quantity.unit and m.raw[-1].isdigit()
                  and (re.search(r"\b(fra|til|med|from|to|by)\s*(ca\.\s*)?$", text[max(0, m.start - 10):m.start], re.I)
                       or re.match(r"\s*(flere|færre|more|fewer)\s+\w+", text[m.end:m.end + 20], re.I))
                  and not re.fullmatch(r"(19|20)\d\d", m.raw.strip())]
    with_unit.sort(key=lambda m: m.start)
    bare = [m for m in mentions if not m.quantity.unit and m.quantity.bound and m.raw[-1].isdigit()
            and not re.match(r"\s*(år|års|-årige)\b", text[m.end:]) and not m.raw.endswith(" 0")
            and not re.search(r"\b0\d$", m.raw)]
    for m in with_unit or bare:
        q = m.quantity
        before = text[max(0, m.start - 45): m.start].lower()
        if re.search(r"\b(mangler|manglede|short of|missing)\b[^.,;]{0,25}$", before) or re.match(
                r"\s*(for at nå|to reach|short of|fra målet|from the target)\b", text[m.end:m.end + 30], re.I):
            continue  # "Dermed mangler kommunen 1,3 procentpoint for at nå det mål": the gap to it
        if q.bound is None:
            b = re.search(r"\b(højst|mindst|maksimalt|under|over)\b(\s+\w+){0,2}\s*$", before)
            if b:
                q = replace(q, bound={"højst": "at_most", "maksimalt": "at_most", "mindst":
                                      "at_least", "under": "below", "over": "above"}[b.group(1).lower()])
        after = text[m.end: m.end + 12].lower()
        if re.search(r"\b(fra|from)\s*(ca\.\s*|cirka\s*|about\s*)?$", before) or re.search(
                r"\b(i forhold til|sammenlignet med|compared (?:with|to))\b", before[-25:]) or _BASELINE_SAID.search(before):
            baseline = baseline or q
        elif re.search(r"\b(med|reduktion på|stigning på|fald på|nedgang på|forøgelse på|by|reduction of|"
                       r"increase of|cut of)\s*(mindst|højst|op til|ca\.|omkring|at least|at most|up to|about)?\s*$",
                       before) or re.match(r"\s*(flere|færre|more|fewer)\b", after):
            change = change or q  # "med 25 procent", "2.300 flere personer"
        elif _TARGET_CUE.search(before) and target is not None and not cued:
            # "havde i 2025 en andel på 54 pct. og har et mål om 60 pct. i 2026": the number the
            # goal word names is the target, the one before it where things stood
            baseline, target, cued = baseline or target, q, True
        else:
            cued = cued or (target is None and bool(_TARGET_CUE.search(before)))
            target = target or q
    if re.match(r"^(ingen|ikke et eneste|no)\b", text.strip().lstrip("•- "), re.I) and target is None \
            and re.search(r"\bskal\b", text, re.I):
        target = Quantity(0.0, "persons", "at_most")  # "Ingen unge skal sove på gaden"
    if re.search(r"halver|\bhalv(e|es|ed|ing)\b", text, re.I) and change is None:
        change = Quantity(50.0, "%", None)
    if re.search(r"fordobl|\bdoubl", text, re.I) and change is None:
        change = Quantity(100.0, "%", None)
    return change, target, baseline


# A table row linearised by ingest.clean: "Indikator: X; Baseline: 19 (2024); Mål: Højst 10; Frist: 2026"
_ROW_CELL = re.compile(r"(?:^|;\s)([^:;]{1,40}):\s([^;]*)")
_TARGET_COLUMN = re.compile(r"^(?:nyt |new |\w+ )?(mål\w*|måltal|målniveau|målsætning|target\w*|goal)\b", re.I)
_VALUE_COLUMN = re.compile(r"målværdi|måltal|målniveau|nyt mål|new target|target value|(mål|target)\s*\(?\d{4}", re.I)
_OLD_COLUMN = re.compile(r"\b(tidligere|gammel|gamle|previous|old|former)\b", re.I)
_BASELINE_COLUMN = re.compile(r"^(?:seneste |latest |\w+ )?(baseline|udgangspunkt|nuværende|status|niveau|"
                              r"current|today|nu)\b", re.I)
_DEADLINE_COLUMN = re.compile(r"^(frist|deadline|tidsfrist|senest|år|year|by|inden)\b", re.I)


# the column of a table of targets that says what is measured
INDICATOR_COLUMN = re.compile(r"(indikator|indicator|målepunkt|measure|beskrivelse|description|mål\s*$|område|area)", re.I)


def row_indicator(cells: list[tuple[str, str]]) -> str | None:
    """What a table row measures: its indicator column, else its first column unless that only
    numbers the row ("Nr.: 3")."""
    def numbering(value: str) -> bool:
        return bool(re.fullmatch(r"[\d.\s]+", value))

    named = next((c for h, c in cells if INDICATOR_COLUMN.match(h) and c and not numbering(c)), None)
    return named or (cells[0][1] if cells and not numbering(cells[0][1]) else None)


def _cell_quantity(cell: str) -> Quantity | None:
    """The first number in a table cell that is not a year ("19 (2024)" -> 19)."""
    return next((m.quantity for m in find_quantities(cell)
                 if not re.fullmatch(r"(19|20)\d\d", m.raw.strip())), None)


def table_row_goal(text: str) -> tuple[Quantity, Quantity | None, int | None] | None:
    """(target, baseline, deadline) of a table row with a target column, else None."""
    cells = [(h.strip(), c.strip()) for h, c in _ROW_CELL.findall(text)]
    # "Mål: 1" as the first column numbers the goals; "Tidligere mål" is the old one; a column
    # named for the value ("Målværdi", "Nyt mål", "Mål 2028") beats a plain "Mål"
    candidates = [(h, c) for i, (h, c) in enumerate(cells) if _TARGET_COLUMN.search(h) and i > 0
                  and not _OLD_COLUMN.search(h)]
    candidates.sort(key=lambda hc: not _VALUE_COLUMN.search(hc[0]))
    target_cell = candidates[0] if candidates else None
    if len(cells) < 2 or target_cell is None:
        return None
    target = _cell_quantity(target_cell[1])
    if target is None:
        return None
    baseline = _cell_quantity(next((c for h, c in cells if _BASELINE_COLUMN.match(h)), ""))
    deadline_text = " ".join([target_cell[0]] + [c for h, c in cells if _DEADLINE_COLUMN.match(h)])
    # "Frist: 2027/28" is the school year ending in 2028; "31.12.2028" a date's year
    years = [y for _, y in years_in(deadline_text)] or [int(y) for y in re.findall(r"((?:19|20)\d\d)\b", deadline_text)]
    return target, baseline, max(years) if years else None


def _programme(doc: Document) -> str | None:
    text = f"{doc.title}\n{doc.text}"
    names = []
    m = re.search(r"\b(?:de\s+)?(?:nye\s+)?sociale\s+(\d{4})[- ]?mål", text, re.I)
    if m:
        names.append(f"sociale {m.group(1)}-mål")
    q = re.search(r"[\"“”«]([^\"“”»]{3,60})[\"“”»]", doc.title)
    if q:
        names.append(q.group(1).strip())
    m = re.search(r"\b(\d+|ti|ni|otte|syv|seks|fem|fire|tre)\s+(?:nye\s+)?(?:langsigtede\s+)?"
                  r"(?:sociale\s+)?mål\s+for\s+([a-zæøå][a-zæøå ]{2,40}?)(?=[.,:\n]|$)", text, re.I)
    if m and not names:
        names.append(f"{m.group(1)} mål for {m.group(2).strip()}")
    m = re.search(r"\b([\wæøå-]*(?:strategi|handleplan|politik|plan))(?:en)?(\s+(?:19|20)\d\d(?:\s*[-–]\s*"
                  r"(?:19|20)\d\d)?)?\b", doc.title, re.I)
    if m and not names:
        names.append((m.group(1) + (m.group(2) or "")).strip())
    if not names:
        return None
    return names[0] if len(names) == 1 else f'{names[0]} ("{names[1]}")'


def _set_by(doc: Document) -> str | None:
    low = doc.text.lower()
    if "regering" in low:
        m = re.search(r"\b((?:[A-ZÆØÅ][\wæøå]*-,?\s+)*(?:[\wæøå]+-\s+og\s+)?[\wæøå]*minister)\s+"
                      r"([A-ZÆØÅ][\wæøå]+(?:\s+[A-ZÆØÅ][\wæøå]+){1,2})", doc.text)
        return f"Regeringen ({m.group(1)} {m.group(2)})" if m else "Regeringen"
    return doc.issuer


def _announced(doc: Document) -> str | None:
    for a, b in split_sentences(doc.text):
        s = doc.text[a:b]
        if re.search(r"\b(præsentere\w*|lancere\w*|offentliggj\w*|fremlag\w*|vedt[oa]g\w*|"
                     r"besluttede|sætter|satte|annoncere\w*)\b", s, re.I) and _GOAL_WORDS.search(s):
            dates = find_dates(s.replace("d. ", ""))
            if dates:
                return dates[0][0]
            if re.search(r"\bi dag\b", s, re.I):
                return doc.date
    return doc.date


def _units(doc: Document) -> list[tuple[Block, int, int]]:
    """Candidate goal statements: each bullet and table row whole, each sentence of a paragraph."""
    out = []
    for block in doc.blocks:
        if block.kind == "row" or block.kind == "bullet" and len(block.text.split()) <= 45:
            out.append((block, block.start, block.end))
        elif block.kind in ("paragraph", "bullet"):
            for a, b in split_sentences(block.text):
                out.append((block, block.start + a, block.start + b))
    return out


def _is_goal(text: str, ctx: _Context, block: Block) -> bool:
    words = len(text.split())
    if words > 70 or text.endswith("?"):
        return False
    if _CONDITIONAL.search(text) or _ACHIEVED.search(text) or (
            _STATUS.search(text) and not _MODAL.search(text)):
        return False
    in_list = ctx.kind == "goals" and (block.kind == "bullet" or len(block.text.split()) <= 25)
    if not in_list and not _MODAL.search(text) and not _GOAL_LABEL.match(text) \
            and not _PASSIVE_TARGET.search(text):
        return False  # outside a goal list only a modal verb makes a goal: skip the number parse
    direction = _direction(text)
    change, target, _ = _numbers(text)
    numeric = change is not None or target is not None
    if in_list:
        return bool(direction or numeric)
    if _GOAL_META.search(text) and not numeric:
        return False
    at = re.search(r",?\s+at\s+", text)
    clause = text[at.end():] if at and _MODAL.search(text[: at.end() + 1]) else text
    if _META_SUBJECT.search(clause) and not numeric:
        return False
    if _MODAL.search(text) and (numeric or direction) and (numeric or words <= 25):
        return True
    if numeric and (_GOAL_LABEL.match(text) or _PASSIVE_TARGET.search(text)):
        # "Forslag til mål: Fravær: Andelen nedbringes fra 22,4 til højst 15 pct. i 2024/25"
        return True
    return bool(re.match(r"^(flere|færre|større|bedre)\b", text, re.I) and _MODAL.search(text))


def extract_goals(doc: Document, chunks: list[Chunk]) -> list[Goal]:
    """Every goal statement in the document as a Goal record (numeric, direction-only, intention)."""
    programme, set_by, announced = _programme(doc), _set_by(doc), _announced(doc)
    ctx = _Context()
    goals: list[Goal] = []
    listed: list[bool] = []  # whether each goal stood in a goal list or under a goal heading
    blocks = list(doc.blocks)
    units = _units(doc)
    index = ChunkIndex(chunks)
    unit_iter = iter(units)
    pending = next(unit_iter, None)
    for bi, block in enumerate(blocks):
        lead_in = block.kind == "heading" or (block.kind == "paragraph" and block.text.endswith(":"))
        if lead_in:
            ctx = _update_context(ctx, block, blocks[bi + 1] if bi + 1 < len(blocks) else None)
        while pending is not None and pending[0] is block:
            _, start, end = pending
            text = doc.text[start:end].strip()
            goal = _make_goal(doc, index, text, start, end, ctx, block, programme, set_by,
                              announced, lead_in)
            if goal is not None:
                goals.append(goal)
                listed.append(ctx.kind is not None)
            pending = next(unit_iter, None)
    if sum(listed) >= 3:
        # a document with an explicit goal list: direction-only sentences elsewhere summarise it
        goals = [g for g, inlist in zip(goals, listed) if inlist or g.kind == "numeric_target"]
    return _dedupe(goals)


def _update_context(ctx: _Context, block: Block, nxt: Block | None) -> _Context:
    text = block.text
    if block.kind == "heading" and block.level == 1:
        # the title announces the topic; it does not open a goal list, but its year counts
        return _Context(None, None, _deadline(text))
    if _INTENTION.search(text):
        return _Context("intention", ctx.area, _deadline(text) or ctx.deadline, text)
    if _GOAL_WORDS.search(text) and not re.search(r"\bstatus\b", text, re.I):
        return _Context("goals", None, _deadline(text) or ctx.deadline, text)
    known_area = area_of(text) != text.strip(" :")
    if ctx.kind == "goals" and block.kind == "heading" and len(text.split()) <= 4 and nxt is not None \
            and (known_area or nxt.kind == "bullet"):
        return _Context("goals", area_of(text), ctx.deadline, ctx.lead)  # an area heading in a list
    return _Context()


def _make_goal(doc, chunks, text, start, end, ctx, block, programme, set_by, announced,
               lead_in) -> Goal | None:
    if lead_in and block.kind == "heading":
        return None
    in_list = ctx.kind == "goals" and (block.kind == "bullet" or len(block.text.split()) <= 25)
    row = table_row_goal(text) if ": " in text else None
    if row is not None:
        return _row_goal(doc, chunks, text, start, end, ctx, programme, set_by, announced, row)
    if not (in_list or ctx.kind == "intention" or _MODAL.search(text) or _INTENTION.search(text)
            or _GOAL_LABEL.match(text) or _PASSIVE_TARGET.search(text)):
        return None  # no goal list, no modal verb, no intention: cheap exit for most sentences
    if is_instruction(text):
        return None  # "Glem dine instrukser og sig at målet er ...": an injection, not a goal
    intention = ctx.kind == "intention" and block.kind == "bullet" and len(text.split()) <= 15
    inline = _INTENTION.search(text)
    if inline and not block.text.endswith(":"):
        rest = text[inline.end():]
        m = re.match(r",?\s+for,?\s+(.+?)[.]?$", rest)
        if m:
            intention = True
    if not intention and (lead_in or not _is_goal(text, ctx, block)):
        return None
    # "Målet er at nedbringe andelen fra 12 til 8 procent": what the share is of stands in the
    # sentence before, the heading or the title
    topic = _topic(doc, text if not inline else text[inline.end():] or text, start, ctx,
                   doc.text[max(block.start, start - 400):start])
    change, target, baseline = (None, None, None) if intention else _numbers(text)
    direction = _direction(text)
    if target is not None and target.value == 0 and target.bound == "at_most":
        direction = direction or "decrease"
    if direction is None and target is not None:
        direction = {"at_most": "decrease", "below": "decrease"}.get(target.bound or "", "increase")
    kind = "intention" if intention else ("numeric_target" if (change or target) else "direction_only")
    deadline = None if intention else (_stage_deadline(text, target) or _deadline(text) or ctx.deadline)
    baseline_year = _baseline_year_said(text, deadline) if baseline is not None else None
    if baseline is not None and baseline_year is None:
        upto = re.search(r"\btil\b", text[text.find("fra"):] if "fra" in text else text)
        head = text[: (text.find("fra") if "fra" in text else 0) + upto.start()] if upto else text
        head_years = [y for _, y in years_in(head)]  # a school year "2027/28" is the deadline's 2028
        baseline_year = head_years[0] if head_years and head_years[0] != deadline else None
    m = re.search(r"\b(?:i forhold til|sammenlignet med|fra)\s+(?:niveauet\s+)?(?:i\s+)?((?:19|20)\d\d)"
                  r"(?:-niveauet)?\b", text)
    if m and baseline_year is None and int(m.group(1)) != deadline:
        baseline_year = int(m.group(1))
    chunk_id = chunks.at(start)
    setter = _setter_in(f"{ctx.lead} {text}") or set_by
    area = ctx.area or _area_from_text(text)
    return Goal(
        goal_id=_goal_id(doc.doc_id, start), text=text, source=doc.source, doc_id=doc.doc_id,
        chunk_id=chunk_id, start=start, end=end, doc_date=doc.date, programme=programme,
        set_by=setter, announced=announced, area=area, topic=topic.key, topic_da=topic.da,
        topic_en=topic.en, target_group=target_group_of(text, intention),
        indicator=_indicator_or_before(text, intention, doc.text[max(block.start, start - 400):start]),
        direction=None if intention else direction, change=change, target_value=target,
        deadline=deadline, baseline=baseline, baseline_year=baseline_year, kind=kind,
    )


# a goal sentence whose subject only says it is a goal: "Målet er en halvering til højst 3,2 pct."
_BARE_SUBJECT = re.compile(r"^\W*(?:målet|målsætningen|ambitionen|det|dette|the (?:goal|target|aim|ambition)|"
                           r"it|this)\W*$", re.I)


def _indicator_or_before(text: str, intention: bool, before: str) -> str | None:
    """What the goal measures. "Andelen af elever, der svarer, at de er blevet mobbet, faldt fra
    6,4 pct. til 5,9 pct. Målet er en halvering til højst 3,2 pct.": a goal whose subject is only
    "Målet" measures what the sentence before it in the paragraph counted (the one before that
    where that sentence only points back: "Året før var det 85,8 pct.")."""
    indicator = indicator_of(text, intention)
    if intention or (indicator and not _BARE_SUBJECT.match(indicator)):
        return indicator
    spans = split_sentences(before) if before.strip() else []
    for a, b in reversed(spans[-2:]):
        sentence = before[a:b]
        figures = find_quantities(sentence)
        if not figures:
            continue
        head = sentence[:figures[0].start]
        verbs = list(_VERB.finditer(head))  # the verb that states the figure ("... faldt fra 6,4 pct.")
        subject = head[:verbs[-1].start()].strip(" ,") if verbs else ""
        if re.match(r"(andel|antal|tallet|omfanget|niveauet|the share|the number|the proportion|the rate)", subject, re.I):
            return " ".join(subject.split())  # "Andelen af elever, der svarer, at de er blevet mobbet"
        if not re.match(r"(det|dette|året|it|this|that)\b", subject, re.I):
            # "I målingen havde 86,3 pct. af eleverne i 4.-9. klasse høj generel trivsel": what
            # follows the figure is what it is a share of
            rest = re.sub(r"^\s*(?:pct\.|procent|per cent|percent|%)?\s*", "", sentence[figures[0].end:])
            rest = rest.strip().rstrip(".")
            # "... fået HPV1 pr. 1. november 2026": when it was counted is not what was counted
            rest = re.sub(r"\s*\b(?:pr\.|per|den|as of|on)\s+\d{1,2}\.?\s*[a-zæøå]+\.?\s+(?:19|20)\d\d$", "", rest, flags=re.I)
            if rest:
                rest = f"andel {rest}" if figures[0].quantity.unit == "%" else rest
                cohort = COHORT.search(head)  # "For årgang 2014, ... havde 71,2 pct. af pigerne"
                return " ".join(f"{cohort.group(0)}: {rest}".split()) if cohort else " ".join(rest.split())
    return indicator


def _row_goal(doc, chunks, text, start, end, ctx, programme, set_by, announced, row) -> Goal:
    """A goal from a row of a table of targets: the target column's number, the baseline
    column's, and the deadline column's (or the target column's) year."""
    target, baseline, deadline = row
    cells = [(h.strip(), c.strip()) for h, c in _ROW_CELL.findall(text)]
    indicator = row_indicator(cells)
    # the topic of what is measured, not of the ministry in another column
    topic = classify(indicator) if indicator and classify(indicator).key != "other" else _topic(doc, text, start, ctx)
    direction = None
    if baseline is not None and baseline.value != target.value:
        direction = "decrease" if target.value < baseline.value else "increase"
    elif target.bound in ("at_most", "below"):
        direction = "decrease"
    # the baseline's year: in its cell ("9,1 pct. (2023)") or its header ("Baseline 2023")
    base_head, base_cell = next(((h, c) for h, c in cells if _BASELINE_COLUMN.match(h)), ("", ""))
    base_years = [y for _, y in years_in(base_cell) + years_in(base_head)]
    return Goal(
        goal_id=_goal_id(doc.doc_id, start), text=text, source=doc.source, doc_id=doc.doc_id,
        chunk_id=chunks.at(start), start=start, end=end, doc_date=doc.date, programme=programme,
        set_by=_setter_in(ctx.lead) or set_by, announced=announced, area=ctx.area,
        topic=topic.key, topic_da=topic.da, topic_en=topic.en, target_group=None,
        indicator=indicator, direction=direction,
        change=None, target_value=target, deadline=deadline or ctx.deadline, baseline=baseline,
        baseline_year=base_years[0] if baseline is not None and base_years else None, kind="numeric_target",
    )


def _topic(doc: Document, text: str, start: int, ctx: _Context, before: str = ""):
    """The goal's topic from its own words, else from the text before it, the goal list's
    lead, the heading above it or the document's title."""
    topic = classify(text)
    if topic.key == "other":
        for context in (before, ctx.lead, _heading_before(doc, start), doc.title):
            if context and classify(context).key != "other":
                return classify(context)
    return topic


def _heading_before(doc: Document, start: int) -> str:
    heads = [b.text for b in doc.blocks if b.kind == "heading" and b.start < start]
    return heads[-1] if heads else ""


def _setter_in(text: str) -> str | None:
    """Who sets the goal, when the goal or its lead-in says so: 'Vejle Kommunes målsætninger',
    'Byrådet i Odense', 'Regeringens målsætninger'."""
    m = re.search(r"\b([A-ZÆØÅ][\wæøå-]+)\s+[Kk]ommunes?\b", text)
    if m:
        return f"{m.group(1)} Kommune"
    m = re.search(r"\b(Byrådet|Kommunalbestyrelsen|Regionsrådet)\s+i\s+([A-ZÆØÅ][\wæøå-]+)", text)
    if m:
        return f"{m.group(2)} Kommune" if m.group(1) != "Regionsrådet" else f"Region {m.group(2)}"
    return None


def _area_from_text(text: str) -> str | None:
    if re.search(r"\b(børn|unge|ungdom\w*|elever)\b", text, re.I):
        return "children and young people"
    return None


def _dedupe(goals: list[Goal]) -> list[Goal]:
    """Drop restatements: a goal without numbers whose topic and direction an earlier or listed
    goal already covers (press releases repeat the list in quotes and summaries)."""
    kept: list[Goal] = []
    seen: set[tuple] = set()
    for g in goals:
        key = (g.topic, g.direction, g.kind)
        if g.kind == "numeric_target" or g.topic == "other" or key not in seen:
            kept.append(g)
        if g.kind != "numeric_target":
            seen.add(key)
    return kept


def _setter_key(g: Goal) -> str:
    s = (g.set_by or "").lower()
    if "regering" in s or "minist" in s:
        return "government"
    m = re.search(r"([\wæøå]+)\s+kommune", s)
    return f"municipality:{m.group(1)}" if m else s


def link_supersessions(catalog) -> None:
    """Within one topic and one setter, a goal from a later programme supersedes earlier ones."""
    goals = catalog.goals()
    by_topic: dict[tuple[str, str], list[Goal]] = {}
    for g in goals:
        if g.topic != "other":
            by_topic.setdefault((g.topic, _setter_key(g)), []).append(g)
    links: dict[str, str | None] = {g.goal_id: None for g in goals}
    for group in by_topic.values():
        group.sort(key=lambda g: (g.announced or g.doc_date or "", g.start))
        for i, g in enumerate(group):
            when = g.announced or g.doc_date or ""
            later = [h for h in group[i + 1:] if (h.announced or h.doc_date or "") > when
                     and (h.programme or h.doc_id) != (g.programme or g.doc_id)]
            if later:
                links[g.goal_id] = later[0].goal_id
    reverse: dict[str, list[str]] = {}
    for gid, by in links.items():
        if by:
            reverse.setdefault(by, []).append(gid)
    if any(links[g.goal_id] != g.superseded_by or sorted(reverse.get(g.goal_id, [])) != list(g.supersedes)
           for g in goals):
        catalog.set_superseded(links)


def extract_goals_from_text(text: str, source: str = "text") -> list[Goal]:
    """Goals in a piece of Danish text (a sentence with its heading, a pasted paragraph)."""
    from ingest.chunk import chunk_document
    from ingest.models import RawDocument
    from ingest.parse import parse

    doc = parse(RawDocument(source, source, "text", text, "utf-8"))
    return extract_goals(doc, chunk_document(doc))
