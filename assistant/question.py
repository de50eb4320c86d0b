"""Question analysis: language, expected answer type, search concepts, entities, topics."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.lexicon import DANISH_SYNONYMS, english_vocabulary, known_english, translate_spans
from assistant.models import AnswerType
from ingest.text import DA_STOP, EN_STOP, content_terms, detect_language
from ingest.topics import topics_in

_TYPE_PATTERNS: tuple[tuple[AnswerType, re.Pattern], ...] = (
    ("who", re.compile(r"^\s*(hvem|who|whom)\b|\b(hvilken|which|what)\s+([\w-]+\s+)?(minister|person|"
                       r"direktør|director|formand|chair\w*|politiker|politician|sagsbehandler|"
                       r"case ?worker|forsker|researcher|borgmester|mayor|leder|leader|chef|head|"
                       r"talsperson|talsmand|spokes\w*|ekspert|expert|rådmand|ordfører|official|"
                       r"embedsmand|konsulent|consultant|næstformand|deputy)\b|"
                       r"\bname of\b|\bhvad hedder\b|\bhvem\b", re.I)),
    ("when", re.compile(r"^\s*(hvornår|when)\b|\b(from|since|by|until|fra|siden|indtil) (hvornår|when)\b|\b(hvilken|hvilket|which|what|on what|in what)\s+(dato|date|day|dag|"
                        r"år|year|tidspunkt|skoleår|school year|måned|month|uge|week)\b|\bwhat time\b|\bhvornår\b|\bhvor lang tid\b|\bhow long\b",
                        re.I)),
    ("decision", re.compile(r"\b(beslut\w*|decide\w*|decision|indstill\w*|recommend\w*|vedt[oa]g\w*|"
                            r"vot(ed|e|es|ing)|stemte|stemmer|stemt|afstemning\w*|opposed|"
                            r"(?:var|er|were|was|is|are)\s+(?:imod|against)|"
                            r"conclu\w*|resolved?|godkend\w*|approve\w*|amendment|ændringsforslag\w*)\b", re.I)),
    ("amount", re.compile(r"\b(hvor (mange|meget|stor\w*)|how (many|much|large|big)|what amount|"
                          r"hvilket beløb|number of|what share|what proportion|what percentage|what per ?cent|"
                          r"hvor mange procent|hvilken andel|hvor stor en (del|andel))\b"
                          r"|\bwhat (is|was|are|were) the [\w\s-]{0,30}\b(rate|share|proportion|percentage|"
                          r"number|level|amount|budget|average|total|cost|price)s?\b|\bhvad (er|var) (andelen|antallet|"
                          r"niveauet|beløbet|budgettet|den gennemsnitlige|det gennemsnitlige|den samlede|"
                          r"det samlede|prisen|udgiften)\b", re.I)),
    ("target", re.compile(r"\b(mål|målet|målene|målsætning\w*|måltal\w*|target\w*|goals?|aims?|"
                          r"objectives?|ambition\w*)\b", re.I)),
    ("where", re.compile(r"^\s*(hvor|where)\b(?! (mange|meget|stor))|\b(hvilken by|which city|"
                         r"which town|in what city|hvor blev|where was|where did)\b", re.I)),
    ("list", re.compile(r"^\s*(hvilke|which|list|nævn|name)\b", re.I)),
)
# A goal question asks for a goal itself, not for a fact that merely mentions one.
_GOAL_ASK = re.compile(
    r"\b(mål(et|ene|sætning\w*|tal\w*)?|target\w*|goals?|aims?|objectives?|ambitions?)\s+"
    r"(for|om|på|ved|of|on|regarding|concerning|about|in|i|til)\b"
    r"|^\s*(hvad|what)\s+(er|var|is|was|are|were)\s+(det |den |de |the |regeringens |the government'?s )?"
    r"[\w\s'-]{0,40}?(mål|målet|målene|målsætning\w*|måltal\w*|targets?|goals?|aims?|objectives?)\b"
    r"|\b(hvilke[tn]?|which|what|list)\s+(\w+\s+){0,3}(mål|målsætning\w*|måltal\w*|goals?|targets?|objectives?)\b"
    r"|\b(ifølge|according to)\s+(målet|målsætningen|målene|the( [\w-]+){0,2} (targets?|goals?))"
    r"|\b(mål\w*|goals?|targets?)\b.{0,30}\b(say|says|siger|state|states)\b"
    r"|\b(mål|targets?|goals?)\s+(concern|cover|relate|apply)\w*"
    r"|\b(what|hvad)\b.{0,40}\b(should|skal|must|må)\b.{0,60}\b(by|frem mod|inden|in) (19|20)\d\d\b",
    re.I,
)
# A question about the whole country, not a municipality ("på landsplan", "regeringens mål")
ASKS_NATIONAL = re.compile(r"\b(national\w*|landsplan|hele landet|landsdækkende|regeringen\w*|regeringens|"
                           r"government'?s?|nationwide|country-wide|landet som helhed|danmark som helhed|"
                           r"denmark as a whole|the country as a whole|landsgennemsnit\w*|"
                           r"i danmark|in denmark|statens?)\b", re.I)
# a share or rate is asked for ("hvor stor en andel", "how many per cent", "the rate of")
ASKS_SHARE = re.compile(r"\b(andel\w*|procent\w*|pct|share|percentage|proportion|rate)\b", re.I)
# An amount question that asks for the level aimed at, not the level measured: a modal verb
# with a direction ("skal ... ned på", "must fall to", "may at most be")
_TARGET_LEVEL = re.compile(r"\b(skal|skulle|må|should|must|may|is to|are to|is meant to|are meant to)\b"
                           r"(\s+[\wæøå-]+){0,8}?\s+(ned|op|falde|stige|reduceres|nedbringes|øges|halveres|"
                           r"højst|mindst|down|up|fall|rise|be reduced|be cut|be halved|at most|at least)"
                           r"(\s+(på|til|to))?\b"
                           r"|\b(vil|ønsker at)\s+[\wæøå-]+\s+have\b|\b(hvor\s+(mange|meget|stor\w*)|how\s+(many|much))\b"
                           r".{0,60}\b(vil|ønsker|sigter|wants?|aims?|is aiming|are aiming|plans?)\b.{0,80}\b(19|20)\d\d\b"
                           # "What level does the government want the share to be at by 2030?"
                           r"|\b(wants?|aims?|plans?|expects?)\b.{0,80}\bto (be|reach|fall|drop|rise|go down|go up)\b"
                           r".{0,40}\b(by|in|before)\s+(19|20)\d\d\b"
                           r"|\b(hvilket niveau|hvilken andel|what level|which level)\b.{0,80}\b(vil|ønsker|skal|want|aim)", re.I)
_YES_NO = re.compile(r"^\s*(?!(?:kan|vil|kunne|ville|can|could|would|will)\s+(?:du|i|De|you)\b)"
                     r"(er|var|har|havde|kan|skal|vil|blev|bliver|stopper|findes|gælder|får|"
                     r"is|are|was|were|does|do|did|has|have|had|can|will|should|could|yes or no)\b", re.I)
# "how far has Herning got with the target", "er målet nået": status of a goal, not the goal
_STATUS_ASK = re.compile(r"\b(how far|hvor langt|status|progress|nået|reached|met|achieved|opfyldt|"
                         r"indfriet|overholdt|complied with|lev(ede|er)(\s+\S+){0,3}\s+op til|lived? up to|"
                         r"hvordan (går|gik|står|stod)|how (is|was) .{0,30} (going|doing))\b", re.I)
_LIST_ASK = re.compile(r"\b(hvilke|which|what|list|alle|all)\s+(\w+\s+){0,3}(mål|målsætninger|goals|"
                       r"targets|objectives)\b|\b(mål|goals|targets)\s+(concern|cover|relate)", re.I)
_QUESTION_WORDS = frozenset("""hvad hvem hvilke hvilken hvilket hvor hvornår hvordan hvorfor
    what who which where when how why whom whose does did is are was were tell me please
    ifølge according fortæl nævner nævnt nævne står skrives beskriver beskrevet omtales omtaler
    mention mentions mentioned say says said state states stated describe described give
    gav giver få får many much long set sets made make makes happen happened happens way
    there their they them mange meget
    lå ligger ligge gælder gælde gjaldt handler drejer angår vedrører forhold helhed iflg jf mht
    gik går""".split())
_GENERIC_CAPS = frozenset("""
    i danish denmark danmark dansk english engelsk regeringen government kommune kommunen and og
    what who which how when where why hvad hvem hvilke hvilken hvor hvornår hvordan is are the er
    der det de ifølge according please tell give in for can could does did do has have kan må skal
    vil was were on of by to a an at from as with if our your my their its it this that
    january february march april may june july august september october november december
    januar februar marts maj juni juli oktober
    monday tuesday wednesday thursday friday saturday sunday mandag tirsdag onsdag torsdag fredag
    lørdag søndag system
""".split())


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    answer_type: AnswerType
    terms: tuple[str, ...]  # Danish stems to search documents with (English translated first)
    concepts: tuple[tuple[str, ...], ...]  # one tuple of alternative stems per question concept
    soft: tuple[bool, ...]  # per concept: an untranslated English word (may be a lexicon gap)
    raw_terms: tuple[str, ...]  # the question's own stems in its language
    entities: tuple[str, ...]  # names, acronyms, numbers and years the evidence must contain
    topics: tuple[str, ...]  # topic keys named by the question
    goal_question: bool
    list_question: bool
    roles: tuple[str, ...] = ()  # role words a who-question asks about ("formand")
    search_text: str = ""  # the question with English typos corrected


_ROLE_WORDS = re.compile(r"\b(formand|forkvinde|næstformand|direktør|minister|borgmester|rådmand|"
                         r"sagsbehandler|kontaktperson|chair\w*|director|mayor|case ?worker)\b", re.I)
_ROLE_DA = {"chair": "formand", "chairs": "formand", "chairman": "formand", "chairwoman": "formand",
            "chairperson": "formand", "director": "direktør", "mayor": "borgmester",
            "caseworker": "sagsbehandler", "case worker": "sagsbehandler"}


def role_words(role: str) -> tuple[str, ...]:
    """A role as the question names it (in Danish) and its English names: an English page says
    'chair of the committee' where a Danish one says 'formand for udvalget'."""
    return (role, *(en for en, da in _ROLE_DA.items() if da == role and en != role))


_COORDINATION = re.compile(r"\s*(?:,|\s(?:and|or|og|eller|vs\.?|versus))\s+(?:(?:i|in|for|på|at)\s+)?[A-ZÆØÅ]")


def _coordinated_name(word: str, after: str) -> bool:
    """A sentence's first word is a name when another name stands beside it: "Lindholt and
    Askerød both want ...", "Havrelund eller Hvidmose?" (a capitalised question word is not)."""
    low = word.lower()
    if low in _GENERIC_CAPS or low in _QUESTION_WORDS or low in DA_STOP or low in EN_STOP:
        return False
    return bool(_COORDINATION.match(after))


def _common_english(word: str) -> bool:
    low = word.lower()
    stem = low[:-1] if low.endswith("s") else low
    vocab, _ = _en_vocab()
    return low in vocab or stem in vocab or known_english(low)


# "skoleåret 2022/23", "2024-25": a school or financial year, one entity the evidence must name
_SPAN_YEAR = re.compile(r"(?<![\w.,/])((?:19|20)\d\d)\s*[/–-]\s*(\d\d(?:\d\d)?)(?![\w/])")


def _entities(text: str, lang: str) -> list[str]:
    out: list[str] = []
    spans = []
    for m in _SPAN_YEAR.finditer(text):
        start, end = int(m.group(1)), m.group(2)
        if int(end[-2:]) == (start + 1) % 100:
            out.append(f"{start}/{end[-2:]}")
            spans.append((m.start(), m.end()))
    for m in re.finditer(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])", text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        out.append(m.group(1))
    for m in re.finditer(r"\b([A-ZÆØÅ]{2,}[0-9]*|[A-ZÆØÅ]+[0-9]+[A-Za-z0-9]*)\b", text):
        if m.group(1).lower() not in _GENERIC_CAPS:
            out.append(m.group(1))
    translated = [(a, b) for a, b, _ in translate_spans(text)] if lang != "da" else []
    # runs of capitalised words ("Social and Health Committee"); the first word of a sentence
    # is not a name by being capitalised
    run_re = re.compile(r"[A-ZÆØÅ][\wæøåäöü]*(?:-[\wæøå]+)*(?:\s+(?:and|of|for|og|i|på|the)?\s*"
                        r"[A-ZÆØÅ][\wæøåäöü]*(?:-[\wæøå]+)*)*")
    for m in run_re.finditer(text):
        start = m.start()
        before = text[:start].rstrip()
        if not before or before[-1] in ".?!:\"'“«(":
            first_word = True
        else:
            first_word = False
        words_ = re.findall(r"[A-ZÆØÅ][\wæøåäöü]*(?:-[\wæøå]+)*", m.group(0))
        if first_word and words_ and not _coordinated_name(words_[0], text[start + len(words_[0]):]):
            words_ = words_[1:]
        if not words_:
            continue
        # an English name of a Danish body ("Council for Socially Marginalised People") is
        # translated, not matched literally
        if any(a < m.end() and m.start() < b for a, b in translated) and len(words_) > 1:
            continue
        for w in words_:
            # "Green-artiklen", "KL-rapporten", "Aarhus-modellen": Danish joins a common noun to a
            # name with a hyphen; the name is what the evidence must contain
            head, _, tail = w.partition("-")
            if tail[:1].islower():
                w = head
            if w.lower() in _GENERIC_CAPS or w.isupper():
                continue
            if lang != "da" and len(words_) > 1 and _common_english(w):
                continue  # "Children and Schools Committee": English words of a name, not the name
            if lang != "da" and any(a <= text.find(w, start) < b for a, b in translated):
                continue
            out.append(w)
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _en_vocab() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    words = english_vocabulary() | set(EN_STOP)
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[:1], []).append(w)
    return frozenset(words), {k: tuple(sorted(v)) for k, v in by_first.items()}


def fix_english_typos(text: str) -> str:
    """'homelesness' -> 'homelessness', 'agrement' -> 'agreement', against the lexicon's words
    (candidates share the first letter: typos rarely hit it, and it keeps this fast)."""
    vocab_set, by_first = _en_vocab()

    def fix(m: re.Match) -> str:
        w = m.group(0)
        low = w.lower()
        if len(low) < 4 or low in vocab_set or w[0].isupper() or known_english(low):
            return w
        pool = [v for v in by_first.get(low[:1], ()) if abs(len(v) - len(low)) <= 2]
        near = difflib.get_close_matches(low, pool, n=1, cutoff=0.85)
        if not near or near[0].startswith(low) or low.startswith(near[0]):
            return w  # an inflection ("dated" for "date"), not a typo
        return near[0]

    return re.sub(r"[A-Za-z]+", fix, text)


def _concepts(text: str, lang: str) -> tuple[tuple[tuple[str, ...], ...], tuple[bool, ...]]:
    """Each content word (Danish) or translated policy term (English) as alternative Danish stems;
    `soft` marks English words no lexicon entry translated."""
    out: list[tuple[str, ...]] = []
    soft: list[bool] = []
    if lang == "da":
        for w in re.findall(r"[^\W_]+(?:-[^\W_]+)*", text.lower()):
            if w in DA_STOP or w in _QUESTION_WORDS or (len(w) < 2 and not w.isdigit()):
                continue
            alts = content_terms(w, "da") + content_terms(DANISH_SYNONYMS.get(w, ""), "da")
            if alts:
                out.append(tuple(dict.fromkeys(alts)))
                soft.append(False)
    else:
        spans = translate_spans(text)
        for a, b, da in spans:
            # the English words themselves too: English documents are indexed as they are written
            alts = tuple(dict.fromkeys(content_terms(da, "da") + content_terms(text[a:b], "da")))
            if alts:
                out.append(alts)
                soft.append(False)
        covered = [(a, b) for a, b, _ in spans]
        for m in re.finditer(r"[^\W_]+(?:[-'][^\W_]+)*", text):
            w = m.group(0).lower()
            if any(a <= m.start() < b for a, b in covered) or w in EN_STOP or w in _QUESTION_WORDS:
                continue
            if w in DA_STOP or (len(w) < 3 and not w.isdigit()):
                continue
            out.append(tuple(dict.fromkeys([w] + content_terms(w, "da"))))
            soft.append(not m.group(0)[0].isupper() and not w.isdigit())
    seen: dict[tuple[str, ...], bool] = {}
    for c, s in zip(out, soft):
        if c not in seen:
            seen[c] = s
    return tuple(seen), tuple(seen.values())


def analyse(text: str, language: str | None = None) -> Question:
    lang = language or detect_language(text)
    if lang == "en":
        text_for_terms = fix_english_typos(text)
    else:
        # "Hvordan faldt afstemningen?", "hvordan gik det med ...": the verb asks how, it is no term
        text_for_terms = re.sub(r"\b(hvordan)\s+(faldt|falder|gik|går)\b", r"\1", text, flags=re.I)
    answer_type: AnswerType = "other"
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(text):
            answer_type = kind
            break
    if answer_type == "other" and ASKS_SHARE.search(text) and not _YES_NO.match(text):
        answer_type = "amount"  # "Hvordan lå Fjordby, når det gælder andelen af ...?": the share
    if answer_type == "amount" and _TARGET_LEVEL.search(text):
        answer_type = "target"  # "hvor mange procent skal ensomheden ned på?": the level aimed at
    if _YES_NO.match(text) and answer_type in ("target", "list"):
        answer_type = "other"  # "Stopper ambitionerne i 2020?" asks yes or no, not for a target
    goal_q = (bool(_GOAL_ASK.search(text)) and answer_type in ("target", "amount", "list", "other")
              and not _STATUS_ASK.search(text) and not _YES_NO.match(text))
    if goal_q:
        answer_type = "target"
    concepts, soft = _concepts(text_for_terms, lang)
    topics = topics_in(text_for_terms)
    if lang != "da":
        # the Danish name of each topic the question names ("elderly care" -> ældre): a concept
        # the evidence must cover, however the English words were phrased
        extra = [tuple(dict.fromkeys(content_terms(t.da, "da"))) for t in topics
                 if t.key != "socially_vulnerable"]
        extra = [c for c in extra if c and c not in concepts]
        concepts, soft = concepts + tuple(extra), soft + (False,) * len(extra)
    roles = tuple(dict.fromkeys(_ROLE_DA.get(r.lower(), r.lower())
                                for r in _ROLE_WORDS.findall(text_for_terms)))
    return Question(
        text=text,
        language=lang,
        answer_type=answer_type,
        terms=tuple(dict.fromkeys(t for c in concepts for t in c)),
        concepts=concepts,
        soft=soft,
        raw_terms=tuple(dict.fromkeys(content_terms(text, "da" if lang == "da" else "en"))),
        entities=tuple(_entities(text, lang)),
        topics=tuple(t.key for t in topics),
        goal_question=goal_q,
        list_question=bool(_LIST_ASK.search(text)),
        roles=roles,
        search_text=text_for_terms,
    )


_JOIN = r"\s*(?:,\s*|\s(?:and|or|og|eller|vs\.?|versus)\s+)(?:(?:i|in|for|på|at)\s+)?"


def sides(q: Question) -> list[tuple[str, str]]:
    """The places or bodies a question sets side by side ("Havrelund or Hvidmose", "Lindholt og
    Askerød"): two or more of its names joined by and/or, as (name, the question about that name
    alone). A name of several capitalised words ("Social and Health Committee") is one side."""
    names = [e for e in q.entities if not e[:1].isdigit() and not e.isupper()]
    if len(names) < 2:
        return []
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    for m in re.finditer(rf"\b(?:{pattern})\w*(?:{_JOIN}(?:{pattern})\w*)+", q.text):
        after = q.text[m.end():]
        if re.match(r"\s+[A-ZÆØÅ]", after) or re.match(r"[-\w]", after):
            continue  # "Social and Health Committee": one name
        found = [x for x in re.split(_JOIN, m.group(0)) if x]
        if len(found) < 2:
            continue
        before = q.text[: m.start()]
        # the question about one side alone: "both", "each", "hver især" no longer apply
        return [(name, " ".join(_BOTH.sub("", before + name + after).split())) for name in found]
    return []


_BOTH = re.compile(r"\b(both|each|respectively|begge|hver især|hver for sig|henholdsvis)\b\s*", re.I)


# "How does Tangholm compare with the national average?", "Fjordby i forhold til landet som helhed"
_NATIONAL_COMPARE = re.compile(
    r"\s*,?\s*\b(?:(?:i forhold til|sammenlignet med|mod|end|og|and|with|to|against|than)\s+)?"
    r"(?:(?:det|the)\s+)?(?:landet som helhed|hele landet|landsgennemsnittet|landsplan|"
    r"(?:the )?national (?:average|level|figure|rate|share)|nationally|the country as a whole|"
    r"danmark som helhed|denmark as a whole)\b", re.I)


def national_sides(q: Question) -> list[tuple[str, str]]:
    """A place set against the whole country: [(place, the question about the place alone),
    ("national", the question about the country)]; empty when the question does not do that."""
    names = [e for e in q.entities if not e[:1].isdigit() and not e.isupper()]
    m = _NATIONAL_COMPARE.search(q.text)
    if len(names) != 1 or not m:
        return []
    name = names[0]
    alone = " ".join((q.text[: m.start()] + q.text[m.end():]).split())
    country = " ".join(re.sub(rf"\b{re.escape(name)}\w*", "", q.text).split())
    return [(name, alone), ("national", country)]
