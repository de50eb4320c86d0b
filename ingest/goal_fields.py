"""What a goal sentence measures (indicator) and whom it is about (target group), from Danish syntax."""

from __future__ import annotations

import re

# Leading clauses that announce a goal but are not what it measures.
_LEAD = re.compile(
    r"^(?:(?:i|senest i|inden|frem mod|fra)\s+(?:19|20)\d\d,?\s+"
    r"|målet er,?\s+at\s+|målsætningen er,?\s+at\s+|ambitionen er,?\s+at\s+"
    r"|[\wæøå .-]{0,60}?\s+(?:sætter|har sat|har vedtaget|vedtager)\s+(?:som\s+)?(?:mål|målsætning)\w*,?\s+at\s+"
    r"|[\wæøå .-]{0,60}?\s+(?:vil|skal|ønsker at)\s+(?:sikre|arbejde for),?\s+at\s+"
    r"|(?:vi|kommunen|regeringen|byrådet|udvalget)\s+vil\s+"
    # a lead-in that ends in a colon: "Vi har sat os tre klare mål: ", "Mål 1: "
    r"|[^:;]{0,60}\b(?:mål|målsætning\w*|målene|ambition\w*|targets?|goals?)(?:\s*\d+)?\s*:\s+)",
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
    r"fjerdedele|hver \w+|\w+ ud af \w+|[a-zæøå]+)\s*(?P<pct>procent|pct\.?|%)?\s*"
    r"(?:(?:flere|færre)\s+)?(?:af\s+)?", re.I)
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


# "..., at <the goal>": the goal is the clause after a governing verb.
_AT_CLAUSE = re.compile(r"\b(?:enige om|besluttet|aftalt|ønsker(?: vi)?|indebærer|bidrage til|sikre|"
                        r"fastslås det|fastslår|anbefaler|lægger op til|"
                        r"forpligter\w* sig til|sætter som mål|arbejde for|mål(?:et|sætningen)? er|"
                        r"ambitionen er|vedtaget)\s*,?\s+at\s+", re.I)
_OPENER = re.compile(r"^(?:for at|som led i|som en del af|med|inden|i|efter|fra|frem mod|senest|"
                     r"allerede|derfor|samtidig|over|på|(?:og )?for det (?:første|andet|tredje|fjerde)|"
                     r"først|dernæst|endelig|desuden)\b", re.I)


def split_goal(text: str) -> tuple[str, str, bool]:
    """(subject, predicate, quantity-led) of a goal sentence, lead-in clauses removed."""
    s = text.strip().rstrip(".").lstrip("• ")
    s = re.sub(r"\s*\([^)]*\)", "", s)  # parentheses hold asides ("(ca. 20 pct. i dag)")
    s = re.sub(r"\s+[–-]\s+[^–-]+\s+[–-]\s+", " ", s)  # dashed asides
    at = _AT_CLAUSE.search(s)
    if at:
        s = s[at.end():]
    for _ in range(3):
        m = _LEAD.match(s)
        if not m:
            break
        s = s[m.end():]
    s = re.sub(r"^der\s+(?:i\s+(?:19|20)\d\d\s+)?(skal|må|bør)\s+(?:være|opføres|etableres)\s+", "", s, flags=re.I)
    m = _ACTIVE.match(s)
    if m:  # "reducere antallet af unge, der ..., med 30 procent"
        return _clean(m.group(2)), "", False
    modal = _MODAL.search(s)
    if modal and modal.start() > 0 and _OPENER.match(s):
        s = s[modal.start():]  # "For at bryde X skal tre ud af fire kvinder ..." (inverted order)
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


_PERSON_NOUN = (r"[\wæøå-]*(?:personer|mennesker|borger(?:e|ne)?|børn(?:ene)?|unge|elever(?:ne)?|ældre|"
                r"kvinder|mænd|familier|ledige|hjemløse|medarbejdere|ansatte|patient(?:er|erne)|beboere|"
                r"flygtninge|udsatte|pædagoger|assistenter|forældre(?:ne)?|bruger(?:e|ne)|sygemeldte|"
                r"modtagere|anbragte|pensionister|deltagere|studerende|lærere|sygeplejersker|"
                r"kontanthjælpsmodtagere|seniorer|indbyggere|brugerne|personale|akademikere|rygere|"
                r"misbrugere|\d+(?:-\d+)?-årige)")
_MODIFIER = r"(?:(?:de|alle|flere|færre|[\wæøå]+(?:e|ige|ske|ede|te)|\d+(?:-\d+)?-årige|\d+)\s+){0,3}"
_GROUP = re.compile(
    rf"\b({_MODIFIER}{_PERSON_NOUN}(?:\s+og\s+{_PERSON_NOUN})?"
    rf"(?:\s+(?:med|i|på|under|over|uden)(?:\s+(?!(?:19|20)\d\d\b|skal\b|må\b|bør\b|er\b|har\b|der\b|som\b)"
    rf"(?![\wæøå]+es\b)[\wæøå-]+){{1,3}})?)\b",
    re.I,
)
_NOT_MODIFIER = re.compile(r"^(af|at|der|som|skal|må|til|for|med|og|i|på|have|være|blive|flere|færre)\s+", re.I)


def target_group_of(text: str, intention: bool = False) -> str | None:
    """Whom the goal is about: the first group of people named in the goal clause."""
    if intention:
        m = re.search(r"\bmål\w*\s+(?:for|om),?\s+(.+?)[.]?$", text, re.I)
        text = m.group(1) if m else text
    else:
        subject, predicate, _ = split_goal(text)
        text = f"{subject} {predicate}"
    m = _GROUP.search(text)
    if not m:
        return None
    group = m.group(1)
    while _NOT_MODIFIER.match(group):
        group = _NOT_MODIFIER.sub("", group, count=1)
    return _clean(group) or None
