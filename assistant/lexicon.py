"""A small bilingual policy lexicon: English question words -> the Danish words documents use."""

from __future__ import annotations

import re

# English word or phrase (lower case, regex allowed) -> Danish words. Multi-word phrases first.
# December 2026: 13 entries that only test-split questions of the seed set used ("meeting room ->
# mødested", "panel -> landspanel", "reserve -> reserven", "may -> maj", ...) were removed; general
# vocabulary belongs in lexicon_extra.tsv, written as data by a second author.
_LEXICON: tuple[tuple[str, str], ...] = (
    (r"drug[- ]related deaths?|drug deaths?|overdose deaths?|die(d|s)? (of|from) drugs", "narkorelaterede dødsfald"),
    (r"homeless shelters?|hostels?", "herberg forsorgshjem"),
    (r"placements? in care|children in care|out-of-home care|foster care|placements?", "anbringelser anbringelse"),
    (r"youth crime|juvenile crime", "unge kriminalitet"),
    (r"youth education|upper secondary education", "ungdomsuddannelse"),
    (r"socially (vulnerable|marginali[sz]ed|disadvantaged)|vulnerable|marginali[sz]ed|disadvantaged",
     "socialt udsatte udsatte"),
    (r"labou?r market|workforce", "arbejdsmarkedet arbejdsfællesskabet"),
    (r"mental (illness|health|disorders?)|psychiatric|mentally ill", "psykisk sygdom psykiske vanskeligheder psykiatri"),
    (r"drug (abuse|addiction|misuse|use)|substance abuse|drug treatment|addiction", "stofmisbrug misbrug behandling"),
    (r"alcohol (abuse|treatment|addiction)?", "alkohol alkoholbehandling alkoholmisbrug"),
    (r"press release|news item|news story|news", "pressemeddelelse nyhed"),
    (r"published|issued|dated", "dato offentliggjort"),
    (r"agenda items?|agenda points?|items? on the agenda", "dagsordenpunkt punkt"),
    (r"agenda", "dagsorden"),
    (r"health", "sundhed sundheds"),
    (r"areas?|fields?|sectors?", "område området"),
    (r"knowledge cent(re|er)", "videnscenter"),
    (r"cover(s|ed|ing)?|include[ds]?|encompass(es)?", "omfatter favner"),
    (r"groups?", "grupper målgrupper"),
    (r"change[ds]?|differ(s|ed)?|difference|shift(ed)?", "forskel ændre"),
    (r"approach", "tilgang retning"),
    (r"advise[sd]?|advisory|adviser", "rådgiver"),
    (r"members?", "medlemmer"),
    (r"budget", "budget"),
    (r"report(s|ed|ing)?", "redegørelse status"),
    (r"annual", "årlige"),
    (r"first time", "første gang"),
    (r"june", "juni"),
    (r"october", "oktober"),
    (r"march", "marts"),
    (r"press phone|press line", "pressetelefon"),
    (r"case number", "sagsnr"),
    (r"case ?worker|case officer|case handler", "sagsbehandler"),
    (r"committee|board", "udvalg udvalget"),
    (r"council", "råd rådet"),
    (r"municipality|municipal|local authority|council area", "kommune kommunen"),
    (r"government", "regeringen regering"),
    (r"parliament", "folketinget"),
    (r"minister(s)?", "minister"),
    (r"ministry", "ministeriet"),
    (r"chair(s|man|woman|person|ed)?|head(s|ed)?|leads?|president", "formand"),
    (r"director", "direktør direktøren"),
    (r"targets?|goals?|aims?|objectives?|ambitions?", "mål målsætning målsætninger måltal"),
    (r"homeless(ness)?|rough sleep(ers|ing)?|sleeping rough|without a home", "hjemløse hjemløshed"),
    (r"deaths?|die|dying", "dødsfald"),
    (r"drugs?|narcotics?", "narko stof stofmisbrug"),
    (r"treatment", "behandling behandlingsforløb"),
    (r"crime|criminal|offen[cs]es?|convictions?|convicted", "kriminalitet strafferetlig afgørelse"),
    (r"children", "børn"),
    (r"young people|youths?|young|adolescents?|teenagers?", "unge"),
    (r"adults?", "voksne voksenområdet"),
    (r"education", "uddannelse"),
    (r"employment|jobs?|work", "beskæftigelse job"),
    (r"disabilit(y|ies)|disabled|handicap", "handicap"),
    (r"volunteer(s|ing)?|voluntary", "frivillig frivillige indsats"),
    (r"women", "kvinder"),
    (r"people|persons|individuals|citizens|residents", "personer mennesker borgere"),
    (r"reduce[ds]?|reduction|cut|lower|decrease[ds]?|fewer|fall|drop", "reduceres reduktion færre falde"),
    (r"increase[ds]?|more|raise", "øges flere"),
    (r"improve[ds]?|improvement|better", "forbedres bedre"),
    (r"level", "niveau"),
    (r"share|proportion|percentage|rate", "andel andelen procent"),
    (r"per ?cent|percent", "procent"),
    (r"number", "antal antallet"),
    (r"millions?", "millioner"),
    (r"billions?", "milliarder"),
    (r"kroner|dkk|crowns", "kroner"),
    (r"agreements?|deal|settlement", "aftale aftalen"),
    (r"distribute[ds]?|allocate[ds]?|allocation|earmarked|funds?|funding|money",
     "fordele fordelt afsat midler penge øremærket"),
    # what was spent is an expenditure ("Udgifterne til X var"), not an allocation
    (r"spend|spends|spent|spending|expenditures?|cost|costs", "udgifter udgiften brugte brugt forbrug forbruget anvendte"),
    (r"initiatives?|efforts?|measures?", "initiativer indsatser indsats"),
    (r"decide[ds]?|decision|resolved?|concluded?", "beslutning besluttede"),
    (r"recommend(s|ed|ation)?|proposal|proposed", "indstilling indstiller"),
    (r"meeting|met", "møde mødet mødedato"),
    (r"kick-?off", "kick-off"),
    (r"vision", "vision socialpolitisk"),
    (r"social polic(y|ies)", "socialpolitik socialpolitisk"),
    (r"social", "sociale social"),
    (r"plan", "plan handleplan"),
    (r"prevention|preventive", "forebyggelse"),
    (r"status|progress", "status"),
    (r"reached|achieved|met", "nået"),
    (r"schools?|primary school", "folkeskolen"),
    (r"academic (level|performance|achievement)|school performance|grades", "faglige niveau"),
    (r"housing|homes?|dwellings?", "bolig"),
    (r"relatives|families", "pårørende familier"),
    (r"greenlanders", "grønlændere"),
    (r"civil society", "civilsamfundet"),
    (r"investment model", "investeringsmodel"),
    (r"psychiatry", "psykiatri"),
    (r"denmark|danish|national(ly)?|nationwide|country", "danmark"),
    (r"years?", "år"),
    (r"new", "nye ny"),
    (r"ten|10", "10"),
    (r"review|overhaul|check", "serviceeftersyn eftersyn"),
    (r"previous|former|earlier|old", "tidligere"),
    (r"replace[ds]?|supersede[ds]?|instead", "afløste erstatter"),
    (r"directions?", "retning"),
    (r"specific|concrete|numeric(al)?", "konkrete"),
)
def _load_extra() -> tuple[tuple[str, str], ...]:
    """More entries from lexicon_extra.tsv (English pattern TAB Danish words), data not code."""
    from pathlib import Path

    path = Path(__file__).with_name("lexicon_extra.tsv")
    if not path.exists():
        return ()
    known = {alt for en, _ in _LEXICON for alt in en.split("|")}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" not in line or line.startswith("#"):
            continue
        en, da = (x.strip() for x in line.split("\t", 1))
        alts = [a for a in en.split("|") if a and a not in known]
        if not alts or not da or not re.fullmatch(r"[a-z' \-|()?]+", "|".join(alts)):
            continue
        try:
            re.compile("|".join(alts))
        except re.error:
            continue
        out.append(("|".join(alts), da))
    return tuple(out)


def _alternatives(entries) -> list[tuple[str, str]]:
    """Every top-level alternative as its own entry, longest phrases first, so that "cash
    benefit" or "youth crime board" wins over "benefit" or "youth" wherever they overlap."""
    out = []
    for en, da in entries:
        for alt in re.split(r"\|(?![^()]*\))", en):
            if alt:
                out.append((alt, da))
    return sorted(out, key=lambda e: (-(e[0].count(" ") + e[0].count("-") + e[0].count("[- ]")), -len(e[0])))


_ALL = _alternatives(_LEXICON + _load_extra())
_ANY = re.compile("|".join(rf"\b(?:{en})\b" for en, _ in _ALL), re.I)
_EACH = [(re.compile(rf"(?:{en})", re.I), da) for en, da in _ALL]


# Danish words that documents say differently: question word -> document words.
DANISH_SYNONYMS: dict[str, str] = {
    "funktionsnedsættelse": "handicap", "funktionsnedsættelser": "handicap",
    "familiemedlemmer": "pårørende", "familie": "pårørende", "anbragte": "anbringelser",
    "anbragt": "anbringelser", "narkotika": "narko stofmisbrug", "penge": "midler kroner",
    "beløb": "kroner millioner", "hjemløshed": "hjemløse", "formanden": "formand",
    "leder": "formand direktør", "chef": "direktør", "mødes": "møde",
    "stofbrugere": "stofmisbrug", "misbrugere": "misbrug", "kriminelle": "kriminalitet",
    "måltal": "mål", "målsætning": "mål", "ambition": "mål", "frivillige": "frivillig",
    "psykisk syge": "psykisk sygdom", "sindslidende": "psykisk", "voldsramte": "vold",
    "krisecentre": "kvindekrisecentre", "dødsfald": "dødsfald døde", "døde": "dødsfald",
    "dør": "dødsfald", "stykker": "sammen sammenbrud", "brud": "sammenbrud",
    "besluttede": "beslutning", "besluttet": "beslutning", "beslutte": "beslutning",
    "vedtog": "beslutning vedtaget", "indstillede": "indstilling indstiller",
    "samarbejdspartnere": "sammen samarbejde partnere", "partnere": "sammen samarbejde",
    "samarbejder": "sammen samarbejde", "møde": "mødedato mødet", "mødtes": "mødedato mødet",
    "afstemning": "stemte stemmer", "afstemningen": "stemte stemmer",
    "ændret": "ændres ændring ændringen", "ændrede": "ændres ændring ændringen",
}


_ANY_WHOLE = re.compile("|".join(f"(?:{en})" for en, _ in _ALL), re.I)
_LITERAL = {en: da for en, da in reversed(_ALL) if re.fullmatch(r"[a-z' -]+", en)}


def known_english(word: str) -> bool:
    """Whether a lexicon pattern matches this word whole ('labour', 'homelessness')."""
    return _ANY_WHOLE.fullmatch(word) is not None


def english_vocabulary() -> set[str]:
    """Plain English words the lexicon knows (for correcting typos in English questions)."""
    out: set[str] = set()
    for en, _ in _ALL:
        for form in _spelled(en):
            out |= {w for w in re.findall(r"[a-z]{4,}", form)}
    return out


def _spelled(pattern: str, limit: int = 64) -> list[str]:
    """The words a lexicon pattern spells out: 'rough sleep(ers|ing)?' gives 'rough sleep',
    'rough sleepers' and 'rough sleeping' (plain groups and optional groups, not nested)."""
    done: list[str] = []
    todo = [re.sub(r"\\[sbw][*+?]?|\[[^\]]*\][*+?]?", " ", pattern)]
    while todo and len(done) + len(todo) <= limit:
        form = todo.pop()
        m = re.search(r"\(([^()]*)\)(\?)?", form)
        if not m:
            done.append(form.replace("|", " "))
            continue
        options = m.group(1).split("|") + ([""] if m.group(2) else [])
        todo += [form[:m.start()] + o + form[m.end():] for o in options]
    return done + [re.sub(r"[()?|]", " ", f) for f in todo]


def translate_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, danish words) for each English policy term in `text`; at each position
    the longest known phrase wins."""
    out: list[tuple[int, int, str]] = []
    for m in _ANY.finditer(text):
        found = m.group(0)
        da = _LITERAL.get(found.lower()) or next((d for p, d in _EACH if p.fullmatch(found)), None)
        if da:
            out.append((m.start(), m.end(), da))
    return out


def to_danish(text: str) -> str:
    """The Danish words for the English policy terms in `text`, space-joined."""
    return " ".join(da for _, _, da in translate_spans(text))


# Danish words worth glossing for English readers of a quoted Danish passage.
GLOSS = {
    "mindst": "at least", "højst": "at most", "procent": "per cent", "reduceres": "is reduced",
    "reduktion": "reduction", "øges": "is increased", "falde": "fall", "skal": "shall",
    "hjemløse": "homeless people", "antallet": "the number", "andelen": "the share",
    "niveau": "level", "personer": "persons", "frem mod": "by (towards)", "færre": "fewer",
    "flere": "more", "udsatte": "vulnerable", "unge": "young people", "børn": "children",
    "voksne": "adults", "anbringelser": "placements in care", "kvindekrisecentre": "women's shelters",
    "narkorelaterede dødsfald": "drug-related deaths", "stofmisbrug": "drug abuse",
    "behandlingsforløb": "course of treatment", "herberg": "homeless shelter",
    "forsorgshjem": "care home for the homeless", "kriminalitet": "crime",
    "ungdomsuddannelse": "upper-secondary education", "formand": "chair", "millioner": "million",
    "kroner": "kroner (DKK)", "aftale": "agreement", "til efterretning": "noted (taken for information)",
    "beslutning": "decision", "regeringen": "the government", "mål": "goal/target",
    "målsætninger": "objectives", "fastholdes": "is maintained", "forbedres": "is improved",
    "ni": "nine", "fire": "four", "halvdelen": "half", "rådet": "the council",
    "frivillige indsats": "voluntary work", "handicap": "disability", "vold": "violence",
    "psykiske vanskeligheder": "mental health problems", "større effekt": "greater effect",
    "alkoholbehandlingen": "alcohol treatment", "stofmisbrugsbehandlingen": "drug abuse treatment",
}
_GLOSS_RE = [(re.compile(rf"(?<!\w){re.escape(k)}(?!\w)", re.I), k, v)
             for k, v in sorted(GLOSS.items(), key=lambda kv: -len(kv[0]))]


def gloss(danish: str, limit: int = 6) -> list[tuple[str, str]]:
    """(Danish term, English meaning) for the glossable terms in a Danish passage."""
    out: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, key, meaning in _GLOSS_RE:
        m = pattern.search(danish)
        if m and not any(a < m.end() and m.start() < b for a, b in taken):
            taken.append((m.start(), m.end()))
            out.append((key, meaning))
    out.sort(key=lambda kv: danish.lower().find(kv[0]))
    return out[:limit]


def _english_of_danish() -> dict[str, frozenset[str]]:
    """The lexicon read backwards: a Danish stem -> the stems of the English words for it (so a
    Danish question's words find the sentence on an English page: 'anbringelser' ->
    'placements', 'hjemløse' -> 'homeless')."""
    from ingest.text import content_terms

    out: dict[str, set[str]] = {}
    for en, da in _ALL:
        stems_da = content_terms(da, "da")
        one_da = len(set(stems_da)) == 1
        for form in _spelled(en):
            stems_en = [t for t in content_terms(form, "da") if len(t) >= 3]
            # a phrase read backwards for several Danish words gives each its head word only
            # ("day care places" -> "plac"): which English word is which Danish one is unknown,
            # and "news from statistics denmark" is no English for "danmark"; for a single Danish
            # word the whole phrase ("hospital beds" -> "sengepladser")
            if not stems_en:
                continue
            if not one_da:
                stems_en = stems_en[-1:]
            for stem in stems_da:
                out.setdefault(stem, set()).update(stems_en)
    return {k: frozenset(v) for k, v in out.items()}


_REVERSE: dict[str, frozenset[str]] | None = None


def english_stems(stem: str) -> frozenset[str]:
    """The English stems the lexicon gives for a Danish stem (empty when it has none)."""
    global _REVERSE
    if _REVERSE is None:
        _REVERSE = _english_of_danish()
    return _REVERSE.get(stem, frozenset())
