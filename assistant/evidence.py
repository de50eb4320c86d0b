"""Score the sentences of retrieved passages as evidence for a question (coverage, answer type, rank)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.models import Hit
from assistant.question import Question
from ingest.dates import find_dates
from ingest.numbers import find_quantities
from ingest.text import content_terms, split_sentences
from ingest.topics import BY_KEY

_ROLE = re.compile(r"\b(formand|forkvinde|næstformand|direktør|minister|borgmester|rådmand|"
                   r"chef|leder|sagsbehandler|kommunikationskonsulent)\w*", re.I)
_NOT_NAME = re.compile(r"\b(Rådet|Socialt|Udsatte|Kommune|Udvalget|Ministeriet|Styrelsen|Danmark|"
                       r"Regeringen|Folketinget|Den|Det|De|Der|Vi|Jeg|Han|Hun|Og|Men|På|Som|"
                       r"Socialstyrelsen|Socialstyrelsens|Pressemeddelelse|Status|Social|Sundhed|"
                       r"Beskæftigelse|Indstilling|Beslutning|Housing)\b")
_NAME = re.compile(r"\b([A-ZÆØÅ][a-zæøå]+(?:\s+[A-ZÆØÅ][a-zæøå]+){1,2})\b")
_DECISION = re.compile(r"\b(besluttede|beslutning|vedtog|vedtaget|godkendte|godkendt|til efterretning|"
                       r"indstiller|indstilling|tiltrådt|tiltræder|aftalt|indgået)\b", re.I)
_GOAL_LANGUAGE = re.compile(r"\b(skal|mål\w*|må højst|mindst|højst|reduceres|øges|falde|forbedres|"
                            r"frem mod)\b", re.I)
_PLACE = re.compile(r"\b(?:i|på|ved)\s+([A-ZÆØÅ][a-zæøå]+)\b")


@dataclass(frozen=True)
class Unit:
    """A candidate answer unit: a sentence or a whole bullet inside one hit's passage."""

    hit: int  # index into the hits
    start: int  # offsets in hit.text
    end: int
    text: str
    coverage: float
    type_fit: float
    score: float
    covered: frozenset[int]  # indices of the question's concepts this unit covers


def units_of(text: str) -> list[tuple[int, int]]:
    """Bullets whole (unless very long), paragraphs by sentence."""
    out: list[tuple[int, int]] = []
    pos = 0
    for block in re.split(r"(\n\n+)", text):
        if block.startswith("\n"):
            pos += len(block)
            continue
        if block.startswith("• ") and len(block.split()) <= 60:
            out.append((pos, pos + len(block)))
        else:
            for a, b in split_sentences(block):
                out.append((pos + a, pos + b))
        pos += len(block)
    return out


def person_names(text: str) -> list[str]:
    names = []
    for m in _NAME.finditer(text):
        name = m.group(1)
        if _NOT_NAME.search(name):
            # "Vibe Klarup formand": keep the part before an organisation word
            parts = [p for p in name.split() if not _NOT_NAME.fullmatch(p)]
            if len(parts) < 2:
                continue
            name = " ".join(parts)
        names.append(name)
    return names


def type_fit(q: Question, text: str, section: str) -> float:
    t = q.answer_type
    if t == "target":
        if any(m.quantity.unit for m in find_quantities(text)):
            return 1.0
        return 0.7 if _GOAL_LANGUAGE.search(text) else 0.0
    if t == "amount":
        qs = find_quantities(text, words_need_unit=True)
        return 1.0 if qs else 0.0
    if t == "who":
        names = person_names(text)
        if names and _ROLE.search(text):
            return 1.0
        return 0.6 if names else 0.0
    if t == "when":
        if find_dates(text):
            return 1.0
        return 0.6 if re.search(r"\b(19|20)\d\d\b|\b\d{1,2}\.\s+[a-zæøå]+", text) else 0.0
    if t == "where":
        return 1.0 if _PLACE.search(text) else 0.0
    if t == "decision":
        if re.search(r"beslutning|indstilling", section, re.I) or _DECISION.search(text):
            return 1.0
        return 0.0
    return 0.5


def stem_match(term: str, stems: set[str]) -> bool:
    """Exact stem, or inflection and compound matches for longer stems: 'fordelt' ~ 'fordel',
    'udvalg' in 'sundhedsudvalg', 'hjemløs' in 'hjemløsestrategi'."""
    if term in stems:
        return True
    if len(term) < 5 or term.isdigit():
        return False
    for s in stems:
        if len(s) >= 5 and (s.startswith(term) or term.startswith(s) or (len(term) >= 6 and term in s)):
            return True
    return False


class EvidenceScorer:
    """Weights of the sentence score; tuned on the dev split of the question set."""

    w_coverage = 0.5
    w_type = 0.3
    w_rank = 0.2
    context_weight = 0.5  # a concept found only in the title/section counts half

    def __init__(self, idf):
        self.idf = idf  # callable: stem -> inverse document frequency

    def concept_weight(self, concept: tuple[str, ...]) -> float:
        return max(self.idf(t) for t in concept)

    def covered(self, q: Question, stems: set[str], text: str) -> set[int]:
        out = set()
        for i, concept in enumerate(q.concepts):
            if any(stem_match(t, stems) for t in concept):
                out.add(i)
        # topic words in the question ("rough sleepers") match the topic in Danish text
        for key in q.topics:
            topic = BY_KEY.get(key)
            if topic and topic.pattern.search(text):
                for i, concept in enumerate(q.concepts):
                    if any(topic.pattern.search(t) for t in concept):
                        out.add(i)
        return out

    def score(self, q: Question, hits: list[Hit]) -> list[Unit]:
        total = sum(self.concept_weight(c) for c in q.concepts) or 1.0
        out: list[Unit] = []
        for hi, hit in enumerate(hits):
            ctx_text = hit.context()
            ctx = self.covered(q, set(content_terms(ctx_text)), ctx_text)
            rank = 1.0 / (1.0 + 0.5 * hi)
            for a, b in units_of(hit.text):
                text = hit.text[a:b]
                cov_set = self.covered(q, set(content_terms(text)), text)
                got = sum(self.concept_weight(q.concepts[i]) for i in cov_set)
                got += self.context_weight * sum(
                    self.concept_weight(q.concepts[i]) for i in ctx - cov_set)
                coverage = got / total
                fit = type_fit(q, text, hit.section)
                s = self.w_coverage * coverage + self.w_type * fit + self.w_rank * rank
                out.append(Unit(hi, a, b, text, coverage, fit, s, frozenset(cov_set | ctx)))
        out.sort(key=lambda u: u.score, reverse=True)
        return out


def make_idf(catalog):
    """An IDF function over the store's chunks, cached per term."""
    n = max(catalog.chunk_count(), 1)
    cache: dict[str, float] = {}

    def idf(term: str) -> float:
        if term not in cache:
            df = catalog.document_frequency(term)
            cache[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return cache[term]

    return idf
