"""Question analysis: language, expected answer type, search terms, entities, topics."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lexicon import translate_spans
from assistant.models import AnswerType
from ingest.text import DA_STOP, EN_STOP, content_terms, detect_language
from ingest.topics import topics_in

_TYPE_PATTERNS: tuple[tuple[AnswerType, re.Pattern], ...] = (
    ("who", re.compile(r"^\s*(hvem|who|whom)\b|\b(hvilken|which|what)\s+(minister|person|direktør|"
                       r"director|formand|chair\w*|politiker|politician)\b|\bname of\b|\bhvad hedder\b",
                       re.I)),
    ("when", re.compile(r"^\s*(hvornår|when)\b|\b(hvilken|which|what)\s+(dato|date|day|dag|år|year)\b|"
                        r"\bwhat time\b", re.I)),
    ("decision", re.compile(r"\b(beslut\w*|decide\w*|decision|indstill\w*|recommend\w*|vedt[oa]g\w*|"
                            r"conclu\w*|resolved?|godkend\w*|approve\w*)\b", re.I)),
    ("target", re.compile(r"\b(mål|målet|målene|målsætning\w*|måltal\w*|target\w*|goals?|aims?|"
                          r"objectives?|ambition\w*|sigte\w*)\b", re.I)),
    ("amount", re.compile(r"\b(hvor (mange|meget|stor\w*)|how (many|much|large|big)|what amount|"
                          r"beløb\w*|antal\w*|number of|sum)\b", re.I)),
    ("where", re.compile(r"^\s*(hvor|where)\b(?! (mange|meget|stor))|\b(hvilken by|which city|"
                         r"which town|in what city)\b", re.I)),
    ("list", re.compile(r"^\s*(hvilke|which|list|nævn|name)\b", re.I)),
)
_GOAL_LIST = re.compile(r"\b(hvilke mål|which goals|what goals|list the goals|alle mål|all goals|"
                        r"de \w+ mål|the \w+ goals)\b", re.I)
_GENERIC_CAPS = {
    "i", "danish", "denmark", "danmark", "dansk", "english", "engelsk", "regeringen", "government",
    "kommune", "kommunen", "and", "og", "what", "who", "which", "how", "when", "where", "why",
    "hvad", "hvem", "hvilke", "hvilken", "hvor", "hvornår", "hvordan", "is", "are", "the", "er",
    "der", "det", "de", "ifølge", "according", "please", "tell", "give", "og", "in", "i", "for",
    "can", "could", "does", "did", "do", "has", "have", "kan", "må", "skal", "vil", "was", "were",
}


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    answer_type: AnswerType
    terms: tuple[str, ...]  # Danish stems to match documents with (English translated first)
    concepts: tuple[tuple[str, ...], ...]  # one tuple of alternative stems per question concept
    raw_terms: tuple[str, ...]  # the question's own stems in its language
    entities: tuple[str, ...]  # names, acronyms, numbers and years the evidence must contain
    topics: tuple[str, ...]  # topic keys named by the question
    goal_question: bool
    list_question: bool


def _entities(text: str) -> list[str]:
    out: list[str] = []
    # years and numbers as written
    for m in re.finditer(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])", text):
        out.append(m.group(1))
    # acronyms and codes: CO2, KL, SØM, C3.40
    for m in re.finditer(r"\b([A-ZÆØÅ]{2,}[0-9]*|[A-ZÆØÅ]+[0-9]+[A-Za-z0-9]*)\b", text):
        out.append(m.group(1))
    # capitalised words that are not the first word of a sentence
    for m in re.finditer(r"(?<=[^\s.?!:])\s+([A-ZÆØÅ][a-zæøåäöü]+(?:-[A-ZÆØÅa-zæøå]+)*)", text):
        w = m.group(1)
        if w.lower() not in _GENERIC_CAPS:
            out.append(w)
    return list(dict.fromkeys(out))


_QUESTION_WORDS = frozenset("""hvad hvem hvilke hvilken hvilket hvor hvornår hvordan hvorfor
    what who which where when how why whom whose does did is are was were tell me please
    ifølge according fortæl""".split())


def _concepts(text: str, lang: str) -> tuple[tuple[str, ...], ...]:
    """Each content word (Danish) or translated policy term (English) as a set of Danish stems."""
    if lang == "da":
        return tuple((t,) for t in dict.fromkeys(content_terms(text, "da"))
                     if t not in _QUESTION_WORDS)
    out: list[tuple[str, ...]] = []
    spans = translate_spans(text)
    for _, _, da in spans:
        out.append(tuple(dict.fromkeys(content_terms(da, "da"))))
    covered = [(a, b) for a, b, _ in spans]
    for m in re.finditer(r"[^\W_]+(?:[-'][^\W_]+)*", text):
        w = m.group(0).lower()
        if any(a <= m.start() < b for a, b in covered) or w in EN_STOP or w in _QUESTION_WORDS:
            continue
        if w in DA_STOP or (len(w) < 3 and not w.isdigit()):
            continue
        # an English word kept as is: names, numbers, loanwords ("Housing first", "Odense")
        out.append(tuple(dict.fromkeys([w] + content_terms(w, "da"))))
    return tuple(c for c in dict.fromkeys(out) if c)


def analyse(text: str, language: str | None = None) -> Question:
    lang = language or detect_language(text)
    answer_type: AnswerType = "other"
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(text):
            answer_type = kind
            break
    # "how many homeless people is the target?" is a target question
    if answer_type in ("amount", "list", "where") and _TYPE_PATTERNS[3][1].search(text):
        answer_type = "target"
    raw = content_terms(text, "da" if lang == "da" else "en")
    concepts = _concepts(text, lang)
    terms = [t for c in concepts for t in c]
    topics = tuple(t.key for t in topics_in(text))
    goal_q = answer_type == "target" or bool(_GOAL_LIST.search(text))
    return Question(
        text=text,
        language=lang,
        answer_type=answer_type,
        terms=tuple(dict.fromkeys(terms)),
        concepts=concepts,
        raw_terms=tuple(dict.fromkeys(raw)),
        entities=tuple(_entities(text)),
        topics=topics,
        goal_question=goal_q,
        list_question=bool(_GOAL_LIST.search(text)) or answer_type == "list",
    )
