"""Measured figures (where things stand) as records: what was counted, how many, when, for whom.

A goal says where a policy wants to be; a measurement says where it is: "I 2024 blev der
registreret 5.789 personer i hjemløshed", "faldet fra 48 i 2015 til 12 i 2020" (two counts),
"steg med 21 pct. fra 2011 til 2019" (a change), a table row "År: 2024; Borgere i hjemløshed:
212". Each record keeps the indicator as written, its topic (the goals' taxonomy), value and unit,
the year or period, the scope (national, a municipality, or a sub-population such as
"18-24-årige"), the kind (count, share, change) and the passage and span it came from.

Targets, forecasts, budgets and other numbers that describe no measured state are left out: the
sentence's verbs and the number's bound decide (a "højst 150" under "skal" is a target).
"""

from __future__ import annotations

import hashlib
import re

from ingest.chunk import ChunkIndex
from ingest.clean import row_cells
from ingest.models import Block, Chunk, Document, Measurement
from ingest.numbers import find_quantities, years_in
from ingest.text import split_sentences
from ingest.topics import classify

_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d.,]?\d)")
# A sentence about the future or about a wish states no measured figure; one that names a goal
# may still report where things stand ("målet var 400, og i 2026 blev der talt 388")
_FUTURE = re.compile(
    r"\b(skal|skulle\s+være|vil\s+(?:have|nå|sikre|reducere|halvere|øge|nedbringe|være)|bør|forventes|"
    r"forventer|forventet|skønnes|skøn|prognose\w*|fremskriv\w*|budget\w*|bevilg\w*|afsat|afsætte\w*|"
    r"afsætter|koster|finansier\w*|hvis|ville|if|would|shall|should|must|will\s+(?:be|have|reach|cut|reduce)|expected|"
    r"forecasts?|projected|allocat\w*|earmark\w*)\b", re.I)
def _future(sentence: str) -> bool:
    """Whether the sentence's figures are planned, forecast or budgeted. A conditional well after
    the last figure is about something else: "Med 55,2 pct. i 2025 mangler der 4,8 procentpoint,
    og tandplejen vurderer, at målet kun kan nås, hvis indsatsen udvides"."""
    said = _FUTURE.search(sentence)
    if not said:
        return False
    figures = find_quantities(sentence)
    return not figures or said.start() < figures[-1].end + 25


_GOAL_NOUN = re.compile(r"\b(mål|målet|målsætning\w*|ambition\w*|måltal|target\w*|goal\w*|aims?)\b", re.I)
# (a goal "er nået ... med 80,6 pct. i 2025", "mangler der 4,8 procentpoint": a figure said of a goal)
_MEASURED_VERB = re.compile(r"\b(blev|var|udgjorde|talt|registrere\w*|opgjort|steg|faldt|lå|nåede|nået|mangler|"
                            r"was|were|stood|reached|rose|fell|counted|recorded|met|achieved|missed)\b", re.I)
_CHANGE_WORD = re.compile(r"\b(steg\w*|stige\w*|faldt|falde\w*|fald|stigning\w*|øge\w*|øget|forøge\w*|reducere\w*|"
                          r"nedbragt\w*|nedbringe\w*|løft\w*|ændr\w*|vokse\w*|voksede|mindske\w*|rose|risen|fell|"
                          r"fallen|increase\w*|decrease\w*|reduc\w*|cut|grew|grown|dropped|drop|rise|change\w*)\b", re.I)
_CHANGE_BEFORE = re.compile(r"\b(med|by)\s+$|\b(et\s+fald|en\s+stigning|et\s+løft|a\s+(?:fall|drop|"
                            r"rise|increase|decrease))\s+(?:på|of)\s+$|\b(steg|faldt|rose|fell|dropped|"
                            r"increased|decreased|grew)\s+$", re.I)
# "11 pct. mindre end i 2022": a change against the year named
_CHANGE_AFTER = re.compile(r"^\s*(mindre|færre|lavere|fewer|less|lower|flere|mere|højere|more|higher)"
                           r"\s+(?:end|than)\b", re.I)
_DOWN = re.compile(r"\b(fald\w*|faldt|reduce\w*|nedbragt|færre|mindre|lavere|dropped|fell|fall|"
                   r"decreas\w*|declin\w*|down|fewer|lower)\b", re.I)
_AGE = re.compile(
    r"\b(?:mellem|between)\s+\d{1,2}\s+(?:og|and)\s+\d{1,2}\s*(?:år|years)\b|"
    # "grades 4-9", "4-9. klasse" are school grades, not ages
    r"(?<!grades )(?<!grade )(?<!klasse )(?<!klassetrin )(?<!classes )"
    r"\b(?:aged\s+)?\d{1,2}\s*[-–]\s*\d{1,2}(?:[- ]?(?:årige|år|years?|year-olds?))?(?=\W|$)(?!\.?\s*(?:klasse|kl\.|grade))|"
    r"\b(?:over|under|op til|above)\s+\d{1,2}\s*(?:år|years?)\b|\baged\s+\d{1,2}(?:\s+(?:to|and)\s+\d{1,2})?\b|"
    r"\b\d{1,2}\s*år\s+(?:og|eller)\s+(?:derover|ældre)\b|"
    r"\b\d{1,2}\+", re.I)


def age_phrases(text: str) -> list[str]:
    """The age groups a text names ("18-24-årige", "under 25 år", "aged 60 or over")."""
    return [m.group(0) for m in _AGE.finditer(text)]


# a group word names a sub-population where it is part of a total: "heraf 310 unge", "blandt unge"
# "blandt mændene", "33,8 pct. af kvinderne": a gender after "af"; not "8,1 pct. af de unge", the
# whole population a share is of
_GROUP = re.compile(r"\b(?:(?:heraf|blandt|among|of whom|of them|af dem|af disse|including)\s+(?:\S+\s+){0,3}?"
                    r"(?=\w)|(?:af|of)\s+(?:de\s+|the\s+)?(?=kvinde|mænd|pige|dreng|women|men\b|girls|boys))"
                    r"((?:unge|young people|youth|børn(?:ene)?|children|ældre|elderly|kvinde(?:r|rne)?|women|"
                    r"mænd(?:ene)?|men|piger(?:ne)?|drenge(?:ne)?|girls|boys)"
                    r"(?:\s+(?:under|over)\s+\d{1,2}(?:\s*år)?)?)\b", re.I)
_GROUP_WORD = re.compile(r"\b(?:unge|young people|youth|børn(?:ene)?|children|ældre|elderly|kvinde(?:r|rne)?|"
                         r"women|mænd(?:ene)?|men|piger(?:ne)?|drenge(?:ne)?|girls|boys)\b", re.I)
# a group named in its definite form ("kvinderne") is scoped by its plain one ("kvinder")
_DEFINITE_GROUP = {"børnene": "børn", "kvinderne": "kvinder", "kvinde": "kvinder", "mændene": "mænd",
                   "pigerne": "piger", "drengene": "drenge"}
# a table row for a group: "Kvinder (pct.)", "Unge under 25 år"
_GROUP_LABEL = re.compile(r"(unge|børn|ældre|kvinder|mænd|piger|drenge|women|men|girls|boys|young people)"
                          r"(?:\s*\([^)]*\))?", re.I)


def _group_scope(word: str) -> str:
    head, _, rest = word.partition(" ")
    plain = _DEFINITE_GROUP.get(head.lower(), head.lower())
    return f"{plain} {rest}".strip()
_PHONE_NUMBER = re.compile(r"(?<![\d.,])\d{2}(?: \d{2}){3}(?![\d.,])|\+45\s?\d[\d ]{7,}")
_DENOMINATOR = re.compile(r"\b(?:af alle|of all)\s+$", re.I)
_REGION = re.compile(r"\b(Region [A-ZÆØÅ][a-zæøå]+|Region Hovedstaden|Region Sjælland)\b")
_AGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*\d{1,2}\s*)?(?:[- ]?årige|år\b|years?\b|year-olds?)", re.I)
_NATIONAL = re.compile(r"\b(danmark|denmark|landsplan|hele landet|national\w*|landsdækkende|nationwide|"
                       r"landsgennemsnit\w*|landsplan)\b", re.I)
_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)\s+[Kk]ommune\b|"
                           r"\b([A-ZÆØÅ][a-zæøå]+) [Mm]unicipality\b")
_PHONE_ETC = re.compile(r"\b(tlf|telefon|phone|cvr|§|stk\.|side|page|punkt|nr\.|uge|week)\s*$", re.I)
# words that number what follows them: a table, an appendix, an agenda item, a goal
_LABEL = re.compile(r"\b(tabel|table|figur|figure|fig\.|bilag|appendix|annex|punkt|item|mål|goal|target|"
                    r"delmål|afsnit|kapitel|chapter|section|sag|case no\.|indsatsområde|spor)\s*$", re.I)
_TARGET_HEADER = re.compile(r"\b(mål\w*|target\w*|goal\w*|forventet|prognose|forecast|budget)\b", re.I)
_SHARE_HEADER = re.compile(r"\b(andel\w*|share|pct\.?|procent|percent|%)", re.I)


def extract_measurements(doc: Document, chunks: list[Chunk], goals=()) -> list[Measurement]:
    """Every measured figure in the document, in document order; nothing inside the spans of
    the document's `goals` (a goal's own numbers are its target and baseline)."""
    spans = [(g.start, g.end) for g in goals]
    out: list[Measurement] = []
    chunks = ChunkIndex(chunks)  # which chunk holds a span, by binary search
    doc_scope = _document_scope(doc)
    heading = caption = doc.title
    # the year a sentence without one speaks of ("... faldt til 388."): the document's own year
    context_year = _reference_year(doc)
    section: list[str] = []  # the paragraphs since the last heading
    for block in doc.blocks:
        if block.kind == "heading":
            heading = caption = block.text
            section = []
            continue
        if block.kind == "row":
            out += _row_measurements(doc, chunks, block, heading, caption, doc_scope)
        if block.kind in ("paragraph", "bullet"):
            caption = block.text
            earlier = "\n".join(section[-3:])
            for a, b in split_sentences(block.text):
                out += _sentence_measurements(doc, chunks, block, a, b, heading, doc_scope, context_year,
                                              earlier)
            section.append(block.text)
    out = [m for m in out if not any(a <= m.start < b or m.start <= a < m.end for a, b in spans)]
    out += [m for g in goals if (m := _baseline_measurement(doc, g, doc_scope)) is not None]
    seen: set[tuple] = set()
    unique = []
    for m in out:
        key = (m.indicator.lower(), m.value, m.unit, m.year, m.period, m.scope, m.kind)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique


def _baseline_measurement(doc: Document, g, doc_scope: str) -> Measurement | None:
    """A goal's baseline is a measured figure of what the goal counts: "nedbringes fra 22,4 pct.
    i skoleåret 2021/22 til højst 15 pct." and "(udgangspunkt 2024/25: 18,9 pct.)" say where
    things stood that year. A later goal's baseline often is the only figure for an earlier
    goal's deadline."""
    q = g.baseline
    if q is None or g.baseline_year is None or q.bound is not None:
        return None
    unit = q.unit or _noun_unit(g.indicator or "")
    kind = "share" if unit == "%" else "count"
    indicator = g.indicator if g.indicator and not g.indicator.strip().isdigit() else g.text[:80]
    key = f"{doc.doc_id}:{g.start}:{q.value}:{g.baseline_year}:baseline"
    return Measurement(
        measurement_id=hashlib.sha256(key.encode()).hexdigest()[:16], doc_id=doc.doc_id,
        source=doc.source, chunk_id=g.chunk_id, start=g.start, end=g.end, text=g.text.strip(),
        indicator=indicator, topic=g.topic, topic_da=g.topic_da, topic_en=g.topic_en, value=q.value,
        unit=unit, year=g.baseline_year, period=None, scope=_scope(g.text, doc_scope, g.text),
        kind=kind, doc_date=doc.date)


def _reference_year(doc: Document) -> int | None:
    """The year a release or report is about: the latest year its title (or its first
    headings) names, else its date's year, else the year its text names most often."""
    in_title = [int(y) for y in _YEAR.findall(doc.title)]
    if not in_title:
        # a release titled by its masthead ("NYT fra Danmarks Statistik") names its year in its
        # first headings ("Anbringelser af børn og unge 2024")
        heads = [b.text for b in doc.blocks[:12] if b.kind == "heading"][:3]
        in_title = [int(y) for h in heads for y in _YEAR.findall(h)]
    if in_title:
        return max(in_title)
    if doc.date:
        return int(doc.date[:4])
    years = [int(y) for y in _YEAR.findall(doc.text)]
    if years:
        return max(set(years), key=lambda y: (years.count(y), y))
    return None


_POINTS_BACK = re.compile(r"^\s*(dermed|det svarer til|heraf|this means|that is|thus|(det|dette|this|that|it) "
                          r"(er|var|is|was) (et|en|a|an) (fald|stigning|drop|fall|rise|increase|decrease))\b|"
                          r"\b(aldersgruppen|gruppen|denne gruppe|the age group|this group)\b", re.I)


def _antecedent(earlier: str, max_sentences: int = 4) -> str:
    """What a sentence that points back ("Dermed udgør gruppen nu 8,1 procent") points to: the
    nearest sentence before it (in its paragraph or the paragraphs above it in the section)
    that names its own subject; sentences that point back themselves ("Det er et fald på 97")
    are passed over. "I 2025 var 1.016 unge ... uden uddannelse og job." is what the share is of."""
    spans = [(x, y) for x, y in split_sentences(earlier) if earlier[x:y].strip()]
    for x, y in list(reversed(spans))[:max_sentences]:
        said = earlier[x:y].strip()
        if not _POINTS_BACK.search(said) and not re.match(r"^\s*(det|dette|this|that|it)\b", said, re.I):
            return said
    return ""


def _sentence_measurements(doc: Document, chunks: ChunkIndex, block: Block, a: int, b: int,
                           heading: str, doc_scope: str, context_year: int | None = None,
                           earlier: str = "") -> list[Measurement]:
    """The figures of one sentence; `earlier` is the section's text above the sentence's block
    (what a sentence that points back may point to)."""
    sentence = block.text[a:b]
    if _future(sentence) or sentence.rstrip().endswith("?") or (
            _GOAL_NOUN.search(sentence) and not _MEASURED_VERB.search(sentence)):
        return []
    years = years_in(sentence)  # a school year "2024/25" is the year it ends in
    # "i årgang 2013 ... pr. 1. oktober 2026": a cohort is whom the figure is for, not its year
    years = [(p, y) for p, y in years if not _COHORT.search(sentence[max(0, p - 20):p])]
    if not years:
        # "I dette skoleår bliver 90,7 pct. ... fra sidste skoleår, hvor tallet var 88,9 pct.":
        # years said relative to the document's date
        years = _relative_years(sentence, doc)
    prev = _antecedent(f"{earlier}\n{block.text[:a]}") if _POINTS_BACK.search(sentence) else ""
    prev_years = [y for _, y in years_in(prev)]
    if not years and prev_years:
        # "Det er et fald på 97 i forhold til året før": the year of the sentence pointed to
        years = [(-1000, prev_years[-1])]
    if not years:
        # "... faldt til 388." after a sentence on the 2026 count: the paragraph's last year,
        # else the year the document is about
        paragraph_years = [y for _, y in years_in(block.text[:a])]
        context_year = paragraph_years[-1] if paragraph_years else context_year
        if context_year and re.search(r"\b(faldt|steg|var|blev|udgjorde|opgjort|fell|rose|was|were)\b",
                                      sentence, re.I):
            years = [(-1000, context_year)]
    if not years and not re.search(r"\b(i dag|nu|currently|today|seneste|latest)\b", sentence, re.I):
        return []  # a figure with no time: a definition, a capacity, a rule
    found = []
    english = doc.language == "en"
    # phone numbers ("70 20 30 40") are blanked out, so none of their pairs reads as a figure
    numbers_only = _PHONE_NUMBER.sub(lambda p: " " * len(p.group(0)), sentence)
    mentions = [m for m in find_quantities(numbers_only) if _is_figure(sentence, m)]
    if _GOAL_NOUN.search(sentence):  # "målet om under 4.000": a bound beside a goal is the target
        mentions = [m for m in mentions if m.quantity.bound is None]
    if any(m.quantity.unit == "%" and m.raw[:1].isdigit() for m in mentions):
        # "Godt hver tredje ledige – 34 pct. –": the fraction words restate the number
        mentions = [m for m in mentions if m.raw[:1].isdigit() or m.quantity.unit != "%"]
    # "I 2025 var 1.016 unge uden job. Dermed udgør gruppen nu 8,1 procent ...": a sentence that
    # points back gets what it counts and its year from the sentence before (prev, above)
    span = _SPAN.search(sentence)
    span_years = [int(y) for y in span.groups() if y][:2] if span else []
    moves = [(mv.start(1), mv.start(2)) for mv in _FROM_TO.finditer(sentence)]
    for m in mentions:
        clause = _clause(sentence, m.start, m.end)
        before = sentence[max(0, m.start - 30):m.start]
        after = sentence[m.end:m.end + 30]
        than = _CHANGE_AFTER.match(after)
        by = _CHANGE_BEFORE.search(before)
        if by and by.group(1) and not _CHANGE_WORD.search(sentence[max(0, m.start - 60):m.start]):
            by = None  # "nået et år før tid med 80,6 pct.": "med" without a change is not "steg med"
        change = bool(by) or bool(than) or (
            m.quantity.unit == "percentage points" and bool(re.search(
                r"\b(steg|faldt|rose|fell|increased|decreased|øget|reduceret)\b", sentence, re.I)))
        value = m.quantity.value
        if change and (_DOWN.search(sentence[max(0, sentence.find(clause) - 80):m.start])
                       or than and _DOWN.match(than.group(1))):
            value = -value
        period = None
        clause_at = sentence.find(clause)
        own = [(pos, y) for pos, y in years if clause_at <= pos < clause_at + len(clause)]
        if own or len(years) <= 1 or context_year is None:
            year = _nearest_year(own or years, m.start, m.end, sentence)
        else:  # "I alt blev 5.410 registreret, mod 5.634 i 2024": 2024 is the other number's
            year = context_year
        if years and (re.match(r"\s*(året før|the year before|the previous year|året inden)", after, re.I)
                      or re.search(r"\b(året før|the year before|the previous year|året inden),?\s+(hvor|da|when)\b"
                                   r"[^.;]{0,40}$", sentence[:m.start], re.I)):
            # "1.113 året før", "et fald i forhold til året før, hvor tallet var 1.113"
            year = _nearest_year(years, m.start, m.end, sentence) - 1
        # "mellem 2016 og 2024 ... fra 48 til 34": the first number is the first year's
        earlier = False
        for a_pos, b_pos in moves:
            if span_years and m.start == a_pos:
                year = span_years[0]
            elif span_years and m.start == b_pos:
                year = span_years[1]
            elif m.start == a_pos and not own:
                earlier = True  # "steg fra 86,2 pct. til 86,9 pct.": the year's figure is the second
        if earlier:
            continue
        if change:
            if span_years:
                period = (span_years[0], span_years[1])
                year = None
            elif len(years) >= 2:
                period = (min(y for _, y in years), max(y for _, y in years))
                year = None
        if prev_years and not own and not change and re.search(r"\b(nu|now|dermed|thus)\b", clause, re.I):
            year = prev_years[-1]
        if year is None and period is None:
            year = _present_year(sentence, doc)
        unit_word = re.sub(r"^[\d.,\s]+", "", m.raw.split(None, 1)[-1]) if " " in m.raw else ""
        indicator = _indicator(sentence, m.start, m.end, unit_word)
        unit = m.quantity.unit or _noun_unit(sentence[m.end:m.end + 40]) or _noun_unit(indicator)
        if unit == "%" and not m.quantity.unit:
            unit = ""
        kind = "change" if change else ("share" if unit == "%" else "count")
        if english and re.fullmatch(r"\d{1,3}(?:,\d{3})+", m.raw.split()[0]):
            value = float(m.raw.split()[0].replace(",", ""))  # "5,410 people": thousands
        scope = _scope(clause, doc_scope, sentence, at=m.start - sentence.find(clause))
        topic = classify(f"{indicator} {prev} {sentence}")
        if topic.key == "other":
            topic = classify(f"{heading} {doc.title}")
        start = block.start + a + m.start
        said, said_at = (f"{prev} {sentence}", block.start + a) if prev else (sentence, block.start + a)
        if prev and doc.text.rfind(prev, 0, block.start + a) >= 0:
            said_at = doc.text.rfind(prev, 0, block.start + a)  # the span runs from the sentence pointed to
        found.append(_record(doc, chunks, start, block.start + a + m.end, said_at,
                             block.start + b, said, indicator, topic, value, unit, year, period,
                             scope, kind))
    return found


def _row_measurements(doc: Document, chunks: ChunkIndex, block: Block, heading: str, caption: str,
                      doc_scope: str) -> list[Measurement]:
    """'År: 2024; Borgere i hjemløshed: 212; Heraf 18-24 år: 41' gives a count of each column
    for 2024; 'Borgere i hjemløshed: 2020: 241; 2024: 212' one for each year column."""
    cells = row_cells(block.text)
    if len(cells) < 2:
        return []
    label_head, label = cells[0]
    label_years = years_in(label)
    row_year = label_years[0][1] if len(label_years) == 1 and re.fullmatch(
        r"(19|20)\d\d(\s*/\s*\d\d(\d\d)?)?", label.strip()) else None
    # a year the table is for ("Daglig rygning efter alder, 2023") stands in its caption
    caption_years = [y for _, y in years_in(caption)]
    table_year = caption_years[-1] if len(set(caption_years)) == 1 else None
    row_scope = None
    if re.search(r"\b(kommune|municipality|region|område|area|by|town)\b", label_head, re.I) and label:
        row_scope = label
    elif label and re.fullmatch(r"(alder|age|aldersgruppe|age group)", label_head.strip(), re.I) \
            and ONE_AGE.fullmatch(label.strip()):
        row_scope = label.strip()  # "Alder: 5 år; Andel uden carieserfaring: 80,6 pct.": the 5-year-olds'
    elif label and _PART_COLUMN.match(label_head.strip()) and not _TOTAL_LABEL.search(label):
        # "Klinik: Klinik Østervold; Udeblivelser: 6,1 pct.": one clinic, school or unit of the
        # municipality's total ("I alt: 7,8 pct."), never the municipality's own figure
        row_scope = label.strip()
    elif label and _AGE.fullmatch(label.strip()):
        row_scope = label.strip()
    elif label and _GROUP_LABEL.fullmatch(label.strip()):
        row_scope = _group_scope(_GROUP_LABEL.fullmatch(label.strip()).group(1))
    found = []
    for head, cell in cells[1:]:
        if _TARGET_HEADER.search(head) or re.search(r"\b(højst|mindst|at most|at least)\b", cell, re.I):
            continue  # a target column, not a measured one
        mentions = find_quantities(cell)
        if len(mentions) != 1 or "§" in cell[:mentions[0].start] or "§" in head[-3:]:
            continue
        q = mentions[0].quantity
        head_years = [y for _, y in years_in(head)]
        year = row_year or (head_years[0] if len(head_years) == 1 else None) or table_year
        if year is None:
            continue
        indicator = head if (row_year or not head_years) else label
        if row_scope and not head_years:
            indicator = head
        elif row_scope or label.lower() in ("i alt", "total", "alle", "all"):
            indicator = caption if len(caption) <= 120 else heading  # "18-24 år": what the table counts
        if _YEAR.fullmatch(indicator.strip()):
            indicator = heading
        unit = q.unit or ("%" if _SHARE_HEADER.search(head + " " + label) else
                          _noun_unit(head) or _noun_unit(label) or _noun_unit(caption))
        change = bool(re.search(r"\b(ændring|change|udvikling|stigning|fald)\b", head, re.I))
        kind = "change" if change else ("share" if unit == "%" else "count")
        scope = row_scope or _scope(f"{indicator} {head}", doc_scope)
        topic = classify(f"{indicator} {heading}")
        if topic.key == "other":
            topic = classify(doc.title)
        start = block.start + block.text.find(cell) if cell in block.text else block.start
        found.append(_record(doc, chunks, start, start + len(cell), block.start, block.end, block.text,
                             indicator.strip(), topic, q.value, unit, year, None, scope, kind))
    return found


# one year of age: "5 år", "15-årige", "12-year-olds" (a table row by age, a goal for the 5-year-olds)
ONE_AGE = re.compile(r"(\d{1,2})\s*(?:år|-årige|-year-olds?|years?)", re.I)
_COHORT_WORD = r"(?:årgang(?:en)?|fødselsårgang(?:en)?|født i|born in|the (?:class|cohort) of|cohort)"
_COHORT = re.compile(rf"\b{_COHORT_WORD}\s*$", re.I)  # text that ends where a cohort's year follows
# a birth cohort and its year: "årgang 2014", "Årgang: 2013", "born in 2015"
COHORT = re.compile(rf"\b{_COHORT_WORD}\s*:?\s*((?:19|20)\d\d)\b", re.I)
# the first column of a table of parts: clinics, schools, care homes, departments
_PART_COLUMN = re.compile(r"^(klinik\w*|skole\w*|institution\w*|afdeling\w*|dagtilbud\w*|børnehave\w*|"
                          r"plejecent\w*|plejehjem\w*|center|centre|enhed\w*|distrikt\w*|clinics?|schools?|"
                          r"units?|departments?|institutions?|care homes?|nursing homes?)$", re.I)
_TOTAL_LABEL = re.compile(r"\b(i alt|total|alle|all|samlet|hele kommunen|kommunen)\b", re.I)


def _is_figure(sentence: str, m) -> bool:
    """A number that is a measured figure: not a bound target, an age, a phone number, a
    paragraph or page number, nor a money amount that is spent or planned."""
    if m.quantity.bound in ("at_most", "at_least"):
        return False
    before = sentence[max(0, m.start - 12):m.start]
    if re.search(r"(?:19|20)\d\d\s*/\s*$", before) or re.match(r"\s*/\s*\d\d\b", sentence[m.end:m.end + 6]):
        return False  # "2021/22": a school year, not the number 22
    if _LABEL.search(before) or (float(m.quantity.value).is_integer() and not m.quantity.unit
                                 and re.match(r"\s*:\s", sentence[m.end:m.end + 3])):
        return False  # "Tabel 2.", "Bilag 2:", "Ad 1:": a label that numbers a table or an item
    if float(m.quantity.value).is_integer() and 1900 <= m.quantity.value <= 2100 and re.search(
            r"\b(i|in|fra|from|til|to|ved|år|year|siden|since)\s+$", sentence[max(0, m.start - 8):m.start], re.I):
        return False  # "i 2024 unge": the year, read with the next word as its unit
    after = sentence[m.end:m.end + 12]
    if _AGE_NUMBER.match(after) or (m.quantity.unit == "" and re.match(r"\s*[-–]\s*\d", after)):
        return False
    if re.match(r"\.\s+[a-zæøå]", after) and not m.quantity.unit:
        return False  # "9. klasse": an ordinal
    if re.search(r"\b(kl|klokken)\.?\s*$", before, re.I) or re.match(r"[:.]\d\d\b", after) \
            or re.search(r"\b\d{1,2}[:.]$", before):
        return False  # "kl. 06:12", "Opdateret 09:40": a time of day
    if re.search(r"\b(målet|målsætningen|måltallet|mål|et mål|the target|a target|the goal|a goal|target)\s+"
                 r"(på|om|of)\s+$", sentence[max(0, m.start - 30):m.start], re.I):
        return False  # "Målet på 6,5 procent blev vedtaget": a goal's number, not a measured one
    if re.search(r"\b(af de|of the|de)\s+$", before, re.I):
        return False  # "Af de 1.234 var 310 unge": the total again, said before
    if re.search(r"\baged\s+$", sentence[max(0, m.start - 8):m.start], re.I) or \
            re.match(r"\s*(og|and|til|to)\s+\d{1,2}\s*(år|years)", after, re.I) or \
            re.search(r"\b(mellem|between)\s+\d{1,2}\s+(og|and)\s+$", sentence[max(0, m.start - 20):m.start], re.I):
        return False  # "mellem 18 og 24 år": an age range
    if _PHONE_ETC.search(before) or re.search(r"[-–]\s*$", before) and re.search(r"\d\s*[-–]\s*$", before):
        return False
    if m.quantity.unit in ("kr.", "million kr.", "billion kr."):
        return bool(re.search(r"\b(var|udgjorde|brugte|anvendte|was|were|spent|amounted)\b", sentence, re.I))
    return m.quantity.value != 0 or bool(m.quantity.unit)


def _nearest_year(years: list[tuple[int, int]], start: int, end: int, sentence: str) -> int | None:
    if not years:
        return None
    # "48 i 2015": a year right after the number is its own; else the nearest one before it
    after = [(pos, y) for pos, y in years if 0 <= pos - end <= 12]
    if after:
        return after[0][1]
    before = [(pos, y) for pos, y in years if pos < start]
    if before:
        return before[-1][1]
    return min(years, key=lambda py: abs(py[0] - start))[1]


_RELATIVE_YEAR = re.compile(r"\b(?P<this_school>(?:i )?dette skoleår|(?:i )?indeværende skoleår|this school year|the current "
                            r"school year)\b|\b(?P<last_school>sidste skoleår|forrige skoleår|last school year|the previous "
                            r"school year)\b|\b(?P<this>i år|this year)\b|\b(?P<last>sidste år|i fjor|last year)\b", re.I)


def _relative_years(sentence: str, doc: Document) -> list[tuple[int, int]]:
    """(position, year) of each year the sentence says relative to the document's date: "i år",
    "sidste år", "dette skoleår" (a school year starts in August and counts as the year it ends in)."""
    if not doc.date:
        return []
    year, month = int(doc.date[:4]), int(doc.date[5:7])
    school = year + 1 if month >= 8 else year
    out = []
    for m in _RELATIVE_YEAR.finditer(sentence):
        said = {"this_school": school, "last_school": school - 1, "this": year, "last": year - 1}[m.lastgroup]
        out.append((m.start(), said))
    return out


def _present_year(sentence: str, doc: Document) -> int | None:
    if re.search(r"\b(i dag|nu|currently|today)\b", sentence, re.I) and doc.date:
        return int(doc.date[:4])
    return None


_SPAN = re.compile(r"\b(?:fra|from)\s+(?:\w+\s+){0,2}((?:19|20)\d\d)\s+(?:til|to)\s+(?:\w+\s+){0,2}((?:19|20)\d\d)\b|"
                   r"\b(?:mellem|between)\s+((?:19|20)\d\d)\s+(?:og|and)\s+((?:19|20)\d\d)\b|"
                   r"\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b", re.I)
_FROM_TO = re.compile(r"\b(?:fra|from)\s+(\d[\d.,]*)(?:\s*(?:pct\.|procent|%|per cent|percent))?\s+(?:til|to)\s+(\d[\d.,]*)")
# The counted noun as the unit of a bare number ("38 dage", "27 skoler", "6,500 households")
_NOUN_UNITS = (
    (r"borger\w*|person\w*|mennesk\w*|people|individuals|hjemløs\w*|homeless|unge|børn|elever|pupils|"
     r"ældre|ledige|gadesover\w*|rough sleepers|brugere|users|patienter|patients|"
     r"modtagere|recipients|anbragte", "persons"),
    (r"dødsfald|døde|deaths|dead", "deaths"),
    (r"dage|døgn|days", "days"),
    (r"uger|weeks", "weeks"),
    (r"måneder|months", "months"),
    (r"husstande|households|familier|families", "households"),
    (r"tilfælde|sager|anmeldelser|cases|reports", "cases"),
    (r"pladser|senge|places|beds", "places"),
    (r"boliger|lejligheder|dwellings|homes|apartments", "dwellings"),
    (r"skoler|schools", "schools"),
    (r"ton|tons|tonnes", "tonnes"),
)


def _noun_unit(text: str) -> str:
    """The unit named by one of the first three words of `text`, or ''."""
    for word in re.findall(r"[a-zæøå]+", text[:40], re.I)[:3]:
        for pattern, unit in _NOUN_UNITS:
            if re.fullmatch(rf"[a-zæøå]*(?:{pattern})", word, re.I):  # compounds: "langtidsledige"
                return unit
    return ""


_VERB = re.compile(r"\b(var|er|blev|bliver|steg|stiger|faldt|falder|lå|ligger|udgjorde|udgør|"
                   r"nåede|har|havde|was|were|is|are|rose|fell|stood|reached|amounted|has|had|"
                   r"increased|decreased|dropped|grew)\b", re.I)


# "Pr. 1. september 2026 havde 88,7 pct. af pigerne": a date before the verb is when, not what
# ("På landsplan havde ..." likewise says where)
_DATE_LEAD = re.compile(r"(?:pr\.|per|den|as of|on|by)?\s*\d{1,2}\.?\s*[a-zæøå]+\.?\s+(?:19|20)\d\d|"
                        r"på landsplan|nationalt|nationally|i hele landet|across the country", re.I)


def _indicator(sentence: str, start: int, end: int, unit_word: str = "") -> str:
    """What was counted, as written: the subject before the verb ("antallet af hjemløse var
    5.410", "Udgifterne steg med 21 pct."), else the words after the number ("1.234 borgere i
    hjemløshed")."""
    head = sentence[:start]
    subject = re.search(r"\b((?:antallet|andelen|tallet|the number|the share|the proportion|number|share)"
                        r"\s+(?:af|of)\s+(?:[^\W\d][\w-]*\s*){1,5}?)(?=\s+(?:var|er|blev|steg|faldt|lå|"
                        r"udgjorde|was|were|is|rose|fell|stood|reached)\b|[,.])", head, re.I)
    if subject:
        return " ".join(subject.group(1).split())
    after = re.match(r"\s*((?:[^\W\d][\w-]*\s*){1,6}?)(?=[,.;:()]|\s+(?:i|in|ved|at|fra|from|til|to|"
                     r"mod|against|og|and|som|who|der|that|blev|were|was|er|is)\b|$)",
                     sentence[end:end + 80])
    words_after = " ".join(after.group(1).split()) if after else ""
    if unit_word and not unit_word[0].isdigit() and unit_word not in ("%", "pct.", "pct"):
        return " ".join(f"{unit_word} {words_after}".split())
    verb = _VERB.search(head)
    if verb and verb.start() > 0:
        lead = re.split(r"[,;:]\s+", head[:verb.start()])[-1]
        lead = re.sub(r"^(?:i|in|ved|at|og|and|men|but)\s+(?:(?:19|20)\d\d\s*)?,?\s*", "", lead.strip(), flags=re.I)
        if lead and not _YEAR.fullmatch(lead) and not _DATE_LEAD.fullmatch(lead):
            return " ".join(lead.split())
    if words_after:
        return words_after
    return " ".join(head.split()[-6:])


def _clause(sentence: str, start: int, end: int) -> str:
    """The part of the sentence the number stands in: "5.410 i alt, heraf 790 unge" has two."""
    cuts = [m.end() for m in re.finditer(r"[,;–]\s+|(?<!\d)\s+(?:og|and)\s+(?!\d)|\s+(?:men|but|mens|while|mod|against|compared with|"
                                              r"sammenlignet med)\s+", sentence)]
    left = max([c for c in cuts if c <= start], default=0)
    right = min([c for c in cuts if c > end], default=len(sentence))
    return sentence[left:right]


def _scope(clause: str, doc_scope: str, sentence: str = "", at: int | None = None) -> str:
    """A sub-population of the number's clause (an age group, "heraf unge"), else a
    municipality or region it names, else one the sentence names, else the document's. Of
    several groups in the clause ("heraf 446 mænd og 166 kvinder"), the one nearest the number
    at position `at` of the clause."""
    for text in (clause, sentence):  # an age group may stand in the sentence's subject
        for age in _AGE.finditer(text):
            if not _DENOMINATOR.search(text[:age.start()]):
                return " ".join(age.group(0).split())
    group = _GROUP.search(clause)
    if group:
        words = list(_GROUP_WORD.finditer(clause, group.start(1)))
        if at is None or at < 0 or len(words) < 2:
            return _group_scope(group.group(1))
        # "446 mænd og 166 kvinder": the group word after the number, with no number between;
        # else the nearest one before it ("blandt kvinderne var andelen 24 pct.")
        after = [w for w in words if w.start() > at and not re.search(
            r"\d", re.sub(r"^[\d.,]+", "", clause[at:w.start()]))]
        before = [w for w in words if w.end() <= at]
        near = after[0] if after else before[-1] if before else words[0]
        return _group_scope(near.group(0))
    for text in (clause, sentence):
        region = _REGION.search(text)
        muni = _MUNICIPALITY.search(text)
        if muni:
            return muni.group(1) or muni.group(2)
        if region:
            return region.group(1)
        if _NATIONAL.search(text):
            return "national"
    return doc_scope


_PLACE_NAMED = re.compile(r"\b([A-ZÆØÅ][a-zæøå]+)s?\s+(?:Kommunes?|[Kk]ommune|Rådhus|Byråd|Municipality)\b")


def _document_scope(doc: Document) -> str:
    """The municipality the document is from: of the places it names as municipalities (or by
    their town hall, council), the one it names most often, the title counting double; else
    national. Its issuer is no better: minutes name the municipality by its town hall."""
    text = f"{doc.title}\n{doc.issuer or ''}\n{doc.text}"
    candidates = {m.group(1) for m in _PLACE_NAMED.finditer(text)}
    if not candidates:
        return "national"
    def count(name: str) -> int:
        return len(re.findall(rf"\b{re.escape(name)}", doc.text)) + 2 * (name in doc.title)
    return max(sorted(candidates), key=count)


def _record(doc, chunks, start, end, unit_start, unit_end, text, indicator, topic, value, unit,
            year, period, scope, kind) -> Measurement:
    chunk_id = chunks.at(start)
    key = f"{doc.doc_id}:{start}:{value}:{year}:{period}"
    return Measurement(
        measurement_id=hashlib.sha256(key.encode()).hexdigest()[:16], doc_id=doc.doc_id,
        source=doc.source, chunk_id=chunk_id, start=unit_start, end=unit_end, text=text.strip(),
        indicator=indicator, topic=topic.key, topic_da=topic.da, topic_en=topic.en, value=value,
        unit=unit, year=year, period=period, scope=scope, kind=kind, doc_date=doc.date)


def measurements_from_text(text: str, source: str = "text", goals: bool = False) -> list[Measurement]:
    """Measurements of a text on its own (for tests and the extraction benchmark); with `goals`
    as ingest does it: the goals' own numbers left out, their baselines in."""
    from ingest.chunk import chunk_document
    from ingest.goals import extract_goals
    from ingest.models import RawDocument
    from ingest.parse import parse

    doc = parse(RawDocument(source, source, "markdown", text, "utf-8"))
    chunks = chunk_document(doc)
    return extract_measurements(doc, chunks, extract_goals(doc, chunks) if goals else ())
