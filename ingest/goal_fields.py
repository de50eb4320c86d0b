"""What a goal sentence measures (indicator) and whom it is about (target group), from Danish syntax."""

from __future__ import annotations

import re

# Leading clauses that announce a goal but are not what it measures.
_LEAD = re.compile(
    r"^(?:(?:i|senest i|inden|frem mod|fra)\s+(?:19|20)\d\d,?\s+"
    r"|målet er,?\s+at\s+|målsætningen er,?\s+at\s+|ambitionen er,?\s+at\s+"
    r"|[\wæøå .-]{0,60}?\s+(?:sætter|har sat|har vedtaget|vedtager)\s+(?:som\s+)?(?:mål|målsætning)\w*,?\s+at\s+"
    r"|[\wæøå .-]{0,60}?\s+(?:vil|skal|ønsker at)\s+(?:sikre|arbejde for),?\s+at\s+"
    r"|(?:vi|kommunen|regeringen|byrådet|udvalget)\s+vil\s+)",
    re.I,
)
_MODAL = re.compile(r"\b(skal|må|bør)\b", re.I)
_PASSIVE = re.compile(r"\b(reduceres|nedbringes|øges|forøges|halveres|fordobles|forbedres|styrkes|"
                      r"mindskes|begrænses|fastholdes|falder|stiger|har|er|får|ligger|udgør)\b", re.I)
_INFINITIVE = re.compile(r"\s(være|stå|have|blive|komme|gå|opnå|gennemføre|deltage|bo|leve|kunne|"
                         r"klare|falde|stige|begynde|ende|modtage|få|forlade)\b", re.I)
_ACTIVE = re.compile(r"^(reducere|nedbringe|øge|halvere|forbedre|styrke|mindske|begrænse|sænke|"
                     r"hæve|løfte|fordoble)\s+(.+?)(?=\s+(?:med|til|fra|inden|frem mod|senest|i (?:19|20)\d\d)\b|[.]?$)",
                     re.I)
_QUANT_LEAD = re.compile(
    r"^(?:(?:mindst|højst|minimum|maksimalt|mere end|mindre end|færre end|flere end|under|over|"
    r"op til|ca\.|cirka)\s+)?(?:\d[\d.,]*|halvdelen|en tredjedel|en fjerdedel|to tredjedele|tre "
    r"fjerdedele|[a-zæøå]+)\s*(?P<pct>procent|pct\.?|%)?\s*(?:af\s+)?", re.I)
_STRIP = re.compile(
    r"\b(?:skal|må|bør|kunne|være|blive|fortsat|nu|mindst|højst|maksimalt|minimum)\b"
    r"|\b(?:med|til|fra|på)\s+(?:mindst\s+|højst\s+|maksimalt\s+|under\s+|over\s+)?\d[\d.,]*\s*"
    r"(?:procent(?:point)?|pct\.?|%|personer|kr\.?)?"
    r"|\b(?:frem mod|inden(?: udgangen af)?|senest(?: i)?|i|by|til)\s+(?:19|20)\d\d\b"
    r"|\b(?:reduceres|nedbringes|øges|forøges|halveres|fordobles|forbedres|styrkes|mindskes|"
    r"fastholdes|falde|stige|ned)\b",
    re.I,
)
_COUNT_WORDS = r"personer|mennesker|borgere|børn|unge|elever|ældre|kvinder|mænd|familier|ledige|" \
               r"hjemløse|medarbejdere|patienter|beboere|flygtninge"


_PERSONS = re.compile(r"\b(" + _COUNT_WORDS + r"|udsatte|pædagoger|modtagere|anbragte|personale|"
                      r"[\wæøå]+(?:ere|erne|ende|ister))\b",
                      re.I)


def _clean(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip(" ,.;:")
    s = re.sub(r",\s*,", ",", s)
    return s


def split_goal(text: str) -> tuple[str, str, bool]:
    """(subject, predicate, quantity-led) of a goal sentence, lead-in clauses removed."""
    s = text.strip().rstrip(".").lstrip("• ")
    for _ in range(3):
        m = _LEAD.match(s)
        if not m:
            break
        s = s[m.end():]
    m = _ACTIVE.match(s)
    if m:  # "reducere antallet af unge, der ..., med 30 procent"
        return _clean(m.group(2)), "", False
    modal = _MODAL.search(s)
    if modal and modal.start() == 0:  # V2 order: "skal mindst 60 procent af X være stoffri"
        rest = s[modal.end():]
        inf = _INFINITIVE.search(rest)
        subject, predicate = (rest[: inf.start()], rest[inf.start():]) if inf else (rest, "")
    elif modal:
        subject, predicate = s[: modal.start()], s[modal.end():]
    else:
        # the main verb is outside relative clauses (", der har behov for ..., reduceres")
        masked = re.sub(r",\s+(?:der|som)\s+[^,]+,", lambda m: " " * len(m.group(0)), s)
        verb = _PASSIVE.search(masked)
        subject, predicate = (s[: verb.start()], s[verb.end():]) if verb else (s, "")
    q = _QUANT_LEAD.match(subject.strip())
    quant_led = bool(q and q.group(0).strip() and re.search(r"\d|halvdel|tredjedel|fjerdedel|mindst|højst|"
                                                             r"mere end|færre end|minimum|maksimalt", q.group(0), re.I))
    return _clean(subject), _clean(predicate), quant_led


def indicator_of(text: str, intention: bool = False) -> str | None:
    """What is measured: 'Antallet af hjemløse i Danmark', 'andel af de unge i job eller uddannelse'."""
    if intention:
        m = re.search(r"\bmål\w*\s+(?:for|om)\s+(.+?)[.]?$", text, re.I)
        return _clean(m.group(1)) if m else _clean(text.lstrip("• ")) or None
    subject, predicate, quant_led = split_goal(text)
    core = _clean(_STRIP.sub(" ", predicate))
    m = re.match(r"^(flere|færre|større|bedre|højere|lavere|mindre)(?:\s+(.+))?$", subject, re.I)
    if m:
        return _clean(f"{m.group(2) or ''} {core}") or None
    if quant_led:
        q = _QUANT_LEAD.match(subject)
        rest = subject[q.end():] if q else subject
        prefix = "andel af " if q and q.group("pct") or re.match(r"^(mindst |højst )?halvdel", subject, re.I) else ""
        return _clean(f"{prefix}{rest} {core}") or None
    if not subject:
        return core or None
    return subject


def target_group_of(text: str, intention: bool = False) -> str | None:
    """Whom the goal is about, where the sentence names a group."""
    if intention:
        m = re.search(r"\b(?:over for|for|blandt)\s+((?:" + _COUNT_WORDS + r")\b[^,.]*)", text, re.I)
        return _clean(m.group(1)) if m else None
    subject, predicate, quant_led = split_goal(text)
    fragment = r"(?:\s+(?:i|på|til|uden|fra)\s+\w+.*)?" if not predicate else ""
    patterns = (
        r"\bblandt\s+([^,]+)",
        r"\b(?:over for|for)\s+((?:" + _COUNT_WORDS + r")\b[^,]*)",
        r"\b(?:antallet|andelen|procent|pct\.?|halvdelen|del)\s+af\s+(?:de\s+)?([^,]+)",
        r"^(?:flere|færre)\s+([^,]+?)" + fragment + "$",
        r"^(.+?)s\s+(?:faglige|gennemsnitlige|samlede)\b",
    )
    for p in patterns:
        m = re.search(p, subject, re.I)
        if m:
            group = _clean(re.split(r",?\s+(?:der|som)\s+", m.group(1))[0])
            if group and len(group.split()) <= 10 and _PERSONS.search(group):
                return group
    if quant_led:
        q = _QUANT_LEAD.match(subject)
        rest = subject[q.end():] if q else subject
        m = re.match(r"^((?:[\wæøå-]+\s+){0,2}(?:" + _COUNT_WORDS + r"|[\wæøå]+ere)\b(?:\s+med\s+\w+)?)", rest, re.I)
        if m:
            return _clean(m.group(1))
    return None
