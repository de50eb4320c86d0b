"""Score the sentences of retrieved passages as evidence for a question (coverage, answer type, rank)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from assistant.lexicon import DANISH_SYNONYMS, english_stems, to_danish
from assistant.models import Hit
from assistant.question import ASKS_SHARE, Question, role_words
from assistant.safety import is_instruction
from ingest.dates import find_dates
from ingest.numbers import NUMBER_RE, find_quantities
from ingest.text import content_terms, split_sentences
from ingest.topics import BY_KEY

_ROLE = re.compile(r"(formand|forkvinde|næstformand|direktør|minister|borgmester|rådmand|"
                   r"chef|leder|sagsbehandler|konsulent|overlæge|ansvarlig|udpeget|"
                   r"\bchair\w*|\bdirector|\bmayor|\bhead of|\bmanager|\bresponsible|\bappointed)\w*", re.I)
_NOT_NAME = re.compile(r"\b(Formand|Formanden|Forkvinde|Næstformand|Direktør|Direktøren|Borgmester|"
                       r"Borgmesteren|Minister|Ministeren|Rådmand|Sagsbehandler|Rådet|Socialt|Udsatte|Kommune|"
                       r"Udvalget|Ministeriet|Styrelsen|Danmark|"
                       r"Regeringen|Folketinget|Den|Det|De|Der|Vi|Jeg|Han|Hun|Og|Men|På|Som|"
                       r"Socialstyrelsen|Socialstyrelsens|Pressemeddelelse|Status|Social|Sundhed|"
                       r"Beskæftigelse|Indstilling|Beslutning|Housing|"
                       # the parts of minutes and reports are no one's name
                       r"Referat|Dagsorden|Bilag|Sagsfremstilling|Resumé|Mødedato|Mødested|Punkt|Tabel|"
                       r"Kilde|Kilder|Opdateret|Læs|Se|Minutes|Agenda|Item|Appendix|Table|Source)\b")
_NAME = re.compile(r"\b([A-ZÆØÅ][a-zæøå]+(?:\s+[A-ZÆØÅ][a-zæøå]+){1,2})\b")
# Capitalised words of organisations and groups, not of people: "the Children and Young Persons
# Committee", "Børne- og Familieudvalget", "Statistics Denmark"
_ORG_WORD = re.compile(r"(Committees?|Council|Ministry|Ministers?|Municipality|Agency|Authority|Board|"
                       r"Department|Government|Party|Region|Parliament|Centre|Center|Office|Foundation|"
                       r"Association|Court|Persons|People|Children|Young|Family|Families|Services?|Health|"
                       r"Statistics|National|Institute|Danish|Udvalg\w*|Råd\w*|Kommunes?|Region\w*|"
                       r"Styrelse\w*|Ministerie\w*|Parti\w*|Forening\w*|Center\w*|Familie\w*|"
                       r"\w+udvalg\w*|\w+råd(et)?|\w+styrelse\w*|\w+ministerie\w*|\w+forvaltning\w*|"
                       # days and months are dates, not names
                       r"Mandag|Tirsdag|Onsdag|Torsdag|Fredag|Lørdag|Søndag|Monday|Tuesday|Wednesday|Thursday|"
                       r"Friday|Saturday|Sunday)")
_DECISION = re.compile(r"\b(besluttede|beslutning|vedtog|vedtaget|godkendte|godkendt|til efterretning|"
                       r"indstiller|indstilling|tiltrådt|tiltræder|aftalt|indgået|anbefale[rs]?|stemte|imod|"
                       r"forbehold|decided|decision|adopted|approved|agreed|rejected|voted|against|"
                       r"recommend\w*|endorsed|bortfaldt|forkastet|nedstemt|vedtoges|faldt|"
                       r"voted down|defeated|carried|withdrawn|trukket tilbage)\b", re.I)
# A question about a vote, and a sentence that records one ("(V) og (O) stemte imod")
_ASKS_VOTE = re.compile(r"\b(imod|stemte|stemme\w*|afstemning\w*|forbehold|undlod|against|vot\w*|oppos\w*|abstain\w*|"
                        r"reservation|dissent\w*)\b", re.I)
_VOTE = re.compile(r"\b(imod|stemte|stemmer|forbehold|undlod|mindretal\w*|against|voted|votes|opposed|"
                   r"abstained|reservation|dissent\w*)\b|\(\s*[A-ZÆØÅ]{1,2}\s*\)", re.I)
# Party letters as minutes record a vote: "(V)", "V (2)", "A, F og Ø"
_PARTY = re.compile(r"\(\s*[A-ZÆØÅ]{1,2}\s*\)|\b[A-ZÆØÅ]{1,2}\s*\(\d+\)|\b[A-ZÆØÅ]\b(?:,\s*[A-ZÆØÅ]\b)*\s+(?:og|and)\s+[A-ZÆØÅ]\b")
# How a goal is phrased, in the two languages of the documents
_GOAL_LANGUAGE = re.compile(r"\b(skal|mål\w*|må højst|mindst|højst|reduceres|øges|falde|forbedres|halveres|"
                            r"frem mod|ambition\w*|must|shall|should|aims?|target\w*|goals?|at least|"
                            r"at most|no more than|halve[ds]?|reduced?|by the end of)\b", re.I)
_PLACE = re.compile(r"\b(?:i|på|ved)\s+([A-ZÆØÅ][a-zæøå]+)\b")
_SEASON = re.compile(r"\b(i|til|om|sidste|næste)\s+(efteråret|foråret|sommeren|vinteren|sommer|efterår|"
                     r"forår|vinter|januar|februar|marts|april|maj|juni|juli|august|september|oktober|"
                     r"november|december)\b|\bi (dag|går|morgen|år)\b|\bpå mandag|\bpå tirsdag", re.I)
_DATE_LINE = re.compile(r"[\d\s./-]{6,12}|\d{1,2}\.\s+\w+\.?\s+\d{4}")
_ORGANISATION = re.compile(r"\b(regeringen|ministeriet|kommune\w*|rådet|udvalget|styrelsen|folketinget|"
                           r"direktøren|partierne|KL|VIVE)\b", re.I)
_MONEY_HEAD = re.compile(r"^(penge|money|kroner|kr|millioner|million|milliarder|beløb\w*|funds?|"
                         r"funding|budget\w*|midler|bevilling\w*)$", re.I)
# "what is the budget for X?" names the money it asks for without "how much"
_ASKS_MONEY = re.compile(r"\b(?:hvad|what)\s+(?:er|var|is|was|are|were)\s+(?:the\s+)?"
                         r"(budget\w*|beløbet|bevilling\w*|funding)\b", re.I)
# Page furniture that survives cleaning inside a paragraph: cookie notices, links to files,
# source and photo credits, share prompts. Never evidence, in any language the pages use.
_FURNITURE = re.compile(
    r"cookie|\[\s*(?:ok|afvis|accepter\w*|accept\w*|reject\w*|luk|close)\s*\]"
    r"|\((?:pdf|docx?|xlsx?|pptx?)[,;]?\s*[\d.,]+\s*[kKmM]i?B\)"
    r"|^\W*(?:kilder?|sources?|foto|photo|illustration|læs også|read more|se også|see also|"
    r"del (?:artiklen|siden)|share|print|udskriv)\s*:", re.I)


# A breadcrumb trail: three or more short links with > › » between them, nothing else
_BREADCRUMB = re.compile(r"^[>›»\s]*[^.!?>›»]{1,60}(?:\s[>›»]\s[^.!?>›»]{1,60}){2,}$")


def is_furniture(text: str) -> bool:
    text = text.strip()
    return bool(_FURNITURE.search(text) or _BREADCRUMB.match(text))


_HEAD = re.compile(r"\b(?:hvor\s+(?:mange|meget|stor(?:e|t)?(?:\s+en)?)|how\s+(?:many|much)|"
                   r"number\s+of|antallet\s+af)\s+((?:[\wæøå-]+\s+){0,3}?)([\wæøå-]+)(?=\s+(?:did|do|does|"
                   r"was|were|is|are|has|have|had|will|would|should|can|blev|bliver|er|var|har|havde|skal|"
                   r"vil|kan|må|fik|får|gik|går|til|to|of|af|in|i|på|for|from|fra)\b|\s*[?.]|$)", re.I)


# The role of a number in a sentence: a change from an earlier figure, or a total. An amount
# question ("how many were registered in 2024?") wants the total, not the change beside it.
_CHANGE = re.compile(r"\b(steg|stiger|steget|faldt|falder|faldet|stigning\w*|fald|øge[dst]\w*|"
                     r"reducere[dst]\w*|flere end|færre end|mere end|mindre end|i forhold til|"
                     r"increase[sd]?|decrease[sd]?|rose|risen|fell|fallen|grew|grown|dropped|declined|"
                     r"up by|down by|more than|fewer than|compared)\b", re.I)
_TOTAL = re.compile(r"\b(i alt|samlet|samlede|total|in total|altogether|all told|i hele landet)\b", re.I)
_ASKS_CHANGE = re.compile(r"\b(steg|faldt|stige|falde|stigning|fald|ændring\w*|udvikl\w*|increase\w*|"
                          r"decrease\w*|ris[ei]\w*|fall|fell|change\w*|drop\w*|grow\w*|"
                          r"hvor meget (mere|mindre|færre|flere)|how many (more|fewer))\b", re.I)


# A sentence cut off mid-way (a page that ends mid-sentence): it ends on a word that needs
# another after it, with no punctuation
_CUT_OFF = re.compile(r"\b(fra|til|af|i|på|med|og|at|der|som|for|om|en|et|den|det|de|end|mod|"
                      r"the|of|to|from|and|a|an|in|on|with|by|than|that|which)\s*$", re.I)
SOURCE_CLAUSE = re.compile(r"\b(?:ifølge|i følge|according to|som det fremgår af|as stated in|based on)\s+([^,?]+)", re.I)


_CONTEXT_TAIL = re.compile(r"\(([^()]{3,})\)\s*[?.!]*\s*$")
_POINTER = re.compile(r"\b(that|this|these|those|it|its|they|them|dette|denne|disse|dens|dets)\b", re.I)
_ASKING_WORDS = frozenset(content_terms("antal antallet hvor mange meget") + content_terms("how many much number", "en")
                          # "how did X differ between women and men": the kind of answer, a comparison
                          + content_terms("forskel forskellen sammenlignet sammenlign")
                          + content_terms("differ difference compare compared comparison", "en"))
# (a date asked for may be named: "Mødedato: 30. oktober 2013" answers "on what date did ... meet")
_TIME_NOUNS = frozenset(content_terms("år skoleår skoleåret") + content_terms("year years", "en"))


def _unfinished(text: str, kind: str | None) -> bool:
    """A passage's last sentence that stops on a word without punctuation (a page cut off
    mid-sentence: "... der forventes indført fra skoleåret"); bullets, table rows, short lines
    and "Label: value" headers often end without a full stop and are not counted."""
    text = text.strip()
    return (kind != "table" and len(text.split()) >= 10 and not text.startswith(("•", "-", "*", "|"))
            and bool(re.search(r"\b[a-zæøå]+,?$", text)) and len(re.findall(r"\w: ", text)) < 2)


# A question about the size of a change
_BY_HOW_MUCH = re.compile(r"\b(by how (many|much)|med hvor (mange|meget)|hvor (mange|meget) (flere|færre|mere|mindre)|"
                          r"how many (more|fewer)|hvor stor (var|er|blev) (stigningen|faldet|ændringen)|"
                          r"how (large|big) (was|is) the (increase|decrease|drop|fall|rise|change))\b", re.I)


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
    features: tuple[float, ...] = ()  # EVIDENCE_FEATURES, for the fitted model


def units_of(text: str, table: bool = False) -> list[tuple[int, int]]:
    """Bullets whole (unless very long), paragraphs by sentence; a unit ending in ',' or ':'
    ("Direktøren indstiller,") runs on into the next one. In a table passage each row is a
    unit, and the header line ('År | Antal') is none: the rows name their columns."""
    raw: list[tuple[int, int]] = []
    pos = 0
    for block in re.split(r"(\n\n+)", text):
        if block.startswith("\n"):
            pos += len(block)
            continue
        if table:
            if not (" | " in block and ": " not in block):
                raw.append((pos, pos + len(block)))
        elif block.startswith("• ") and len(block.split()) <= 60:
            raw.append((pos, pos + len(block)))
        else:
            for a, b in split_sentences(block):
                raw.append((pos + a, pos + b))
        pos += len(block)
    out: list[tuple[int, int]] = []
    for a, b in raw:
        prev = text[out[-1][0]:out[-1][1]] if out else ""
        if out and (prev[-1] in ",:;" or _DATE_LINE.fullmatch(prev.strip())):
            out[-1] = (out[-1][0], b)  # "indstiller, / at ...", a date line before its text
        else:
            out.append((a, b))
    return out


# women or men, as a question asks (its own language: Danish "men" is "but") and as evidence says it
_GENDER_ASK = {"da": {"kvinder": r"kvinde\w*|piger?|pigerne", "mænd": r"mænd|mændene|drenge?|drengene"},
               "en": {"women": r"women|woman|girls?|female", "men": r"men|boys?|male"}}
_GENDER_SAID = {"kvinder": "women", "mænd": "men", "women": "kvinder", "men": "mænd"}


def missing_qualifier(q: Question, evidence: str) -> str | None:
    """The sub-population the question narrows to that the evidence does not name, if any: an
    age ("unge under 25 år", "aged 60 or over") whose numbers it lacks, or women or men. A figure
    or goal for everyone does not answer a question about a group."""
    from ingest.measurements import age_phrases

    asked = age_phrases(q.text)
    said = " ".join(age_phrases(evidence)) if asked else ""  # the evidence's own ages, not any 25 in it
    for phrase in asked:
        numbers = re.findall(r"\d{1,2}", phrase)
        if len(numbers) == 1 and re.search(r"\b(under|op til|below)\b", phrase, re.I):
            n = numbers[0]  # "under 25": the evidence says under 25 (or younger than 25)
            ok = re.search(rf"\b(under|below|younger than|op til)\s+{n}\b", evidence, re.I)
        elif len(numbers) == 1:
            n = numbers[0]  # "over 60", "60 år eller derover", "aged 60 or over", "60+"
            ok = re.search(rf"\b(over|above|older than)\s+{n}\b|\b{n}\s*(\+|år\s+(og|eller)\s+(derover|ældre)|"
                           rf"(years\s+)?(or|and)\s+(over|older|above))", evidence, re.I)
        else:
            ok = all(re.search(rf"(?<![\d,.]){n}(?![\d,.])", said) or
                     re.search(rf"(?<![\d,.]){n}\s*-?\s*(år|årig\w*|years?|year-olds?|(to|til)\s+\d\d?\W?\s*"
                               rf"(år|årig\w*|years?|year-olds?))\b", evidence, re.I) for n in numbers)
        if not ok:
            return phrase
    asks = _GENDER_ASK["da" if q.language == "da" else "en"]
    for key, words in asks.items():
        other = _GENDER_ASK["en" if q.language == "da" else "da"][_GENDER_SAID[key]]
        if q.language == "da":
            other = other.replace("men|", "")  # Danish "men" is "but", not men
        if re.search(rf"\b({words})\b", q.text, re.I) and not re.search(rf"\b({words}|{other})\b",
                                                                         evidence, re.I):
            return key
    return None


# "aged 60 or over", "60 years and older", "65 år eller ældre"
_AGE_OR_OVER = re.compile(r"\b(?:aged\s+)?\d{1,2}\s*(?:years?\s+|år\s+)?(?:or|and|og|eller)\s+"
                          r"(?:over|older|above|derover|ældre)\b", re.I)


def group_mentions(q: Question, text: str) -> list[tuple[int, int]]:
    """Where `text` names the sub-population the question narrows to (an age group, women or
    men), as (start, end) spans; empty where the question names none or the text does not."""
    from ingest.measurements import _AGE

    if missing_qualifier(q, "") is None:
        return []
    candidates = list(_AGE.finditer(text)) + list(_AGE_OR_OVER.finditer(text)) + list(re.finditer(
        r"\b(kvinde\w*|piger?|mænd\w*|drenge?|women|woman|girls?|female|men|boys?|male)\b", text, re.I))
    return sorted((m.start(), m.end()) for m in candidates if missing_qualifier(q, m.group(0)) is None)


# a figure is said of a group when nothing but a few words stand between them: "33,8 pct. af
# kvinderne", "blandt kvinder var det 9,2 pct.", "Aged 60 or over: 702", not "(38,6 pct.), hvoraf
# størstedelen er kvinder"
_FIGURE_REACH = 20
_CLAUSE_BREAK = re.compile(r"[,;()\[\]]|\b(mens|while|whereas|men|but|og|and)\b")


def figure_distance(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> int | None:
    """Characters between a figure at text[start:end] and the nearest group mention in `spans`
    that no clause break separates from it; None where none is near enough to be its subject."""
    best = None
    for a, b in spans:
        between = text[end:a] if a >= end else text[b:start] if b <= start else ""
        if len(between) > _FIGURE_REACH or _CLAUSE_BREAK.search(between):
            continue
        best = len(between) if best is None else min(best, len(between))
    return best


def person_names(text: str) -> list[str]:
    names = []
    for m in _NAME.finditer(text):
        name = m.group(1)
        if _NOT_NAME.search(name) or any(_ORG_WORD.fullmatch(p) for p in name.split()):
            # "Vibe Klarup formand": keep the part before an organisation word
            runs, run = [], []
            for p in name.split() + [""]:
                if p and not _NOT_NAME.fullmatch(p) and not _ORG_WORD.fullmatch(p):
                    run.append(p)
                else:
                    runs.append(run)
                    run = []
            parts = max(runs, key=len)  # a run of words, never words joined across a gap
            if len(parts) < 2:
                continue
            name = " ".join(parts)
        names.append(name)
    return names


_GENERIC_FOCUS = frozenset({"mang", "meget", "stor", "antal", "hvor", "mål", "målsætning", "måltal",
                            "million", "kron", "procent", "andel", "år"})


_SHARE_HEADS = ("procent", "percent", "share", "andel", "del", "rate", "proportion", "percentage")


def _near(stems_by_pos: list[str], pos: int, concepts, window: int = 8) -> bool:
    lo, hi = max(0, pos - window), pos + window
    near = set(stems_by_pos[lo:hi])
    # a Danish compound ends in its head noun: "tvangsindlæggelser" counts "indlæggelser"
    return any(any(t in near or any(len(t) >= 5 and (n.startswith(t) or n.endswith(t)) for n in near)
                   for t in c) for c in concepts)


def _number_near(q: Question, text: str, mentions) -> bool:
    focus = [c for c in q.concepts if not all(x in _GENERIC_FOCUS or x.isdigit() for x in c)]
    toks = content_terms(text)
    return any(_near(toks, len(content_terms(text[: m.start])), focus) for m in mentions)


def type_fit(q: Question, text: str, section: str, doc_date: str | None = None) -> float:
    """How well a unit has the kind of answer the question asks for (0..1)."""
    t = q.answer_type
    if t == "target":
        quantity = any(m.quantity.unit for m in find_quantities(text))
        goal = bool(_GOAL_LANGUAGE.search(text))
        return 1.0 if quantity and goal else 0.7 if goal else 0.3 if quantity else 0.0
    if t == "amount":
        if _BY_HOW_MUCH.search(q.text):
            # "By how many did it drop?", "Med hvor mange steg ...?": the change, not the level
            mentions = find_quantities(text, words_need_unit=True)
            return 1.0 if mentions and _CHANGE.search(text) else 0.3 if mentions else 0.0
        head = _HEAD.search(q.search_text or q.text)
        word = head.group(2).lower() if head else ""
        money = _ASKS_MONEY.search(q.text)
        if not word and money:
            word = money.group(1).lower()  # "Hvad er budgettet for X?": a sum of money
        if word in ("år", "years", "year"):
            return 1.0 if re.search(rf"\b(\d+|{NUMBER_RE})\s+år\b", text, re.I) else 0.2
        mentions = find_quantities(text, words_need_unit=True)
        if not mentions:
            return 0.0
        if word and _MONEY_HEAD.match(word):
            return 1.0 if any("kr" in m.quantity.unit for m in mentions) else 0.2
        if word and word not in ("of", "af", "the", "en", "et") and len(word) > 2:
            stems = content_terms(word) + content_terms(to_danish(word)) if q.language != "da" \
                else content_terms(word + " " + DANISH_SYNONYMS.get(word, ""))
            if q.language == "da":
                stems += [e for t in stems for e in sorted(english_stems(t))]  # an English page
            toks = content_terms(text)
            share_asked = word in _SHARE_HEADS or bool(ASKS_SHARE.search(q.text))
            for m in mentions:
                if not share_asked and m.quantity.unit in ("%", "percentage points"):
                    continue  # "how many admissions": a count, not "23 procent af alle indlæggelser"
                pos = len(content_terms(text[: m.start]))
                if _near(toks, pos, [tuple(stems)], window=4):
                    return 1.0
            if word in _SHARE_HEADS:
                return 1.0 if any(m.quantity.unit == "%" for m in mentions) else 0.2
            if not share_asked and set(content_terms(section)) & set(stems):
                # "Aldersgruppe: Under 25 år; 2023: 21" under "Narkotikarelaterede dødsfald
                # fordelt på alder": the heading names what the row's numbers count
                return 0.7
            # the head word untranslated or misspelt ("ppl"): the question's other concepts near
            # the number are weaker evidence that it is the one asked for
            return 0.7 if _number_near(q, text, mentions) else 0.3
        focus = [c for c in q.concepts if not all(x in _GENERIC_FOCUS or x.isdigit() for x in c)]
        if not focus:
            return 1.0
        return 1.0 if _number_near(q, text, mentions) else 0.4
    if t == "who":
        if _ASKS_VOTE.search(q.text) and _VOTE.search(text) and _PARTY.search(text):
            return 1.0  # "hvem stemte imod?" -> "Imod stemte: V (2)": the parties are the answer
        names = person_names(text)
        if not names:
            return 0.6 if not q.roles and _ORGANISATION.search(text) else 0.0
        if q.roles:
            stems = set(content_terms(text))
            asked = content_terms(" ".join(w for r in q.roles for w in role_words(r)))
            return 1.0 if any(stem_match(r, stems) for r in asked) else 0.3
        return 1.0 if _ROLE.search(text) else 0.8
    if t == "when":
        if find_dates(text):
            return 1.0
        if _SEASON.search(text):
            return 0.8
        if re.search(r"\b\d{1,2}\.\s+(januar|februar|marts|april|maj|juni|juli|"
                     r"august|september|oktober|november|december)", text, re.I):
            return 0.9
        if re.search(r"\b(19|20)\d\d\b", text):
            return 0.7
        return 0.5 if doc_date else 0.0
    if t == "where":
        return 1.0 if _PLACE.search(text) else 0.0
    if t == "decision":
        if _ASKS_VOTE.search(q.text):
            # who was against, who abstained, who made a reservation: the vote, not the decision
            return 1.0 if _VOTE.search(text) else 0.3 if _DECISION.search(text) else 0.0
        asks_recommendation = re.search(r"indstill|recommend|propos", q.text, re.I)
        if re.search(r"beslutning", section, re.I):
            return 0.8 if asks_recommendation else 1.0
        if re.search(r"indstilling", section, re.I) or re.search(r"\bindstille\w*", text, re.I):
            return 1.0 if asks_recommendation else 0.8
        return 0.9 if _DECISION.search(text) else 0.0
    return 0.5


def english_view(q: Question) -> Question:
    """A Danish question as an English page says it: each concept gains the English stems the
    lexicon gives for its Danish ones ('anbringelser' also matches 'placements')."""
    concepts = tuple(tuple(dict.fromkeys(c + tuple(e for t in c for e in sorted(english_stems(t)))))
                     for c in q.concepts)
    return replace(q, concepts=concepts, terms=tuple(dict.fromkeys(t for c in concepts for t in c)))


# Danish verb particles that lead a compound made from a particle verb: "flytte ind" is
# "indflytning", "tage op" is "optagelse", "lægge ind" is "indlæggelse"
DA_PARTICLES = ("ind", "ud", "op", "af", "ned", "over", "til", "fra", "om", "hen", "frem", "tilbage",
                "sammen", "gen", "bort")


def stem_match(term: str, stems: set[str]) -> bool:
    """Exact stem, or inflection and compound matches for longer stems: 'fordelt' ~ 'fordel',
    'udvalg' in 'sundhedsudvalg', 'hjemløs' in 'hjemløsestrategi', 'flyt' in 'indflytning'."""
    if term in stems:
        return True
    if len(term) < 4 or term.isdigit():
        return False
    for s in stems:
        if len(s) >= 4 and (s.startswith(term) or (len(s) >= 5 and term.startswith(s))
                            or (len(term) >= 6 and term in s)
                            or any(s.startswith(p) and s.startswith(term, len(p)) for p in DA_PARTICLES)):
            return True
    return False


class EvidenceScorer:
    """Weights of the sentence score; tuned on the dev split of the question set."""

    w_coverage = 0.5
    w_type = 0.3
    w_rank = 0.2
    context_weight = 0.5  # a concept found only in the title/section counts half

    document_weight = 0.3  # a concept found elsewhere in the same document counts a little

    def __init__(self, idf, doc_stems=None, embedder=None, dense_floor: float = 0.75, dense_span: float = 0.15):
        self.idf = idf  # callable: stem -> inverse document frequency
        self.doc_stems = doc_stems  # callable: doc_id -> set of stems in the whole document
        self.embedder = embedder  # re-ranks the best units by meaning when given
        self.dense_floor, self.dense_span = dense_floor, dense_span

    soft_weight = 0.35  # an untranslated English word may be a gap in the lexicon

    def weights(self, q: Question) -> list[float]:
        """IDF weight per concept; an untranslated English word, or a word no document
        contains (a paraphrase, or a detail the documents lack), counts only partly."""
        top = self.idf("\x00")  # the IDF of a term no chunk contains
        return [max(self.idf(t) for t in c) * (self.soft_weight if soft or self.unknown(c, top) else 1.0)
                for c, soft in zip(q.concepts, q.soft)]

    def unknown(self, concept: tuple[str, ...], top: float | None = None) -> bool:
        top = self.idf("\x00") if top is None else top
        return all(self.idf(t) >= top for t in concept)

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

    def key_concepts(self, q: Question) -> list[int]:
        """The question's two most specific concepts (highest IDF), leaving out untranslated
        words and words no chunk contains."""
        weights = self.weights(q)
        top = self.idf("\x00")
        # "..., ifølge Tangholms børne- og ungepolitik?": the words naming the source say where
        # to look, not what the answer is about
        source = SOURCE_CLAUSE.search(q.text)
        named = set(content_terms(source.group(1))) | set(content_terms(source.group(1), "en")) if source else set()
        cands = [i for i, soft in enumerate(q.soft) if not soft and not self.unknown(q.concepts[i], top)]
        # "Hvor mange ansatte har centret (kostede det at bygge Lyngly)?": the second part of a
        # compound question, or a follow-up, carries the first as context; what it asks about is
        # its own words
        context = _CONTEXT_TAIL.search(q.text)
        if context and not _POINTER.search(q.text[: context.start()]):  # "that number": the context is its topic
            named |= set(content_terms(context.group(1))) | set(content_terms(context.group(1), "en"))
        if q.answer_type == "when":  # "Fra hvilket skoleår ...": the year asked for is no topic
            named |= _TIME_NOUNS
        named |= _ASKING_WORDS  # "how many" (antal), "hvor meget": what kind of answer, not what about
        about = [i for i in cands if not named.intersection(q.concepts[i])] or cands
        return sorted(about, key=lambda i: -weights[i])[:2]

    def score(self, q: Question, hits: list[Hit], *, with_features: bool = False) -> list[Unit]:
        """Every unit of the passages, best first: by the fitted evidence model when one is
        installed (see evals/fit.py), else by the hand-set weights. The model's features are
        computed only when it needs them, or when asked (for fitting)."""
        from assistant.extractive import entity_in
        from assistant.fitted import EVIDENCE_FEATURES, load_model

        weights = self.weights(q)
        total = sum(weights) or 1.0
        key = set(self.key_concepts(q))
        q_stems = set(q.terms) | set(q.raw_terms)
        best_lexical = max((h.lexical or 0.0 for h in hits), default=0.0) or 1.0
        asks_change = bool(_ASKS_CHANGE.search(q.text))
        model = load_model("evidence")
        features = with_features or model is not None
        out: list[Unit] = []
        english = None  # the Danish question's concepts with their English words, for English pages
        for hi, hit in enumerate(hits):
            if q.language == "da" and hit.language == "en":
                english = english or english_view(q)
                hq = english
            else:
                hq = q
            ctx_text = hit.context()
            ctx = self.covered(hq, set(content_terms(ctx_text)), ctx_text)
            doc = self.covered(hq, self.doc_stems(hit.doc_id), "") if self.doc_stems else set()
            rank = 1.0 / (1.0 + 0.5 * hi)
            # instructions and page furniture are never evidence
            spans = [(a, b) for a, b in units_of(hit.text, table=hit.kind == "table")
                     if not is_instruction(hit.text[a:b]) and not is_furniture(hit.text[a:b])]
            # the passage's last real sentence (a page number may follow it)
            last = max((j for j, (a, b) in enumerate(spans) if len(hit.text[a:b].strip()) > 3), default=-1)
            for j, (a, b) in enumerate(spans):
                text = hit.text[a:b]
                stems = set(content_terms(text))
                cov_set = self.covered(hq, stems, text)
                own = sum(weights[i] for i in cov_set)
                got = own + self.context_weight * sum(weights[i] for i in ctx - cov_set)
                got += self.document_weight * sum(weights[i] for i in doc - ctx - cov_set)
                fit = type_fit(hq, text, hit.section, hit.date)
                if _CUT_OFF.search(text) or (j == last and _unfinished(text, hit.kind)):
                    fit = min(fit, 0.4)  # "... en treårig bevilling fra": what it names is cut off
                if q.answer_type == "who" and fit < 1.0:
                    # a quotation's speaker is named in the sentence before or after it
                    near = hit.text[spans[max(0, j - 1)][0]: spans[min(len(spans) - 1, j + 1)][1]]
                    fit = max(fit, 0.9 * type_fit(q, near, hit.section, hit.date))
                coverage = got / total
                s = self.w_coverage * coverage + self.w_type * fit + self.w_rank * rank
                if not features:
                    out.append(Unit(hi, a, b, text, coverage, fit, s, frozenset(cov_set | ctx)))
                    continue
                has_number = bool(find_quantities(text, words_need_unit=True))
                change = has_number and bool(_CHANGE.search(text))
                is_total = has_number and bool(_TOTAL.search(text))
                amount = q.answer_type == "amount"
                feats = {
                    "coverage": coverage,
                    "unit_coverage": own / total,
                    "key_in_unit": len(key & cov_set) / len(key) if key else 1.0,
                    "type_fit": fit,
                    "rank": rank,
                    "passage_dense": hit.dense or 0.0,
                    "lexical": (hit.lexical or 0.0) / best_lexical,
                    "has_number": float(has_number),
                    "entity_in_unit": (sum(entity_in(e, text) for e in q.entities) / len(q.entities)
                                       if q.entities else 1.0),
                    "first_in_passage": float(j == 0),
                    "log_words": math.log(1 + len(text.split())),
                    "asks_amount_x_change": float(amount and change),
                    "asks_amount_x_total": float(amount and is_total),
                    "asks_change_x_change": float(asks_change and change),
                    "asks_target_x_goal": float(q.answer_type == "target" and bool(_GOAL_LANGUAGE.search(text))),
                    "restates_question": len(stems & q_stems) / len(stems) if stems else 0.0,
                    "same_language": float(hit.language == q.language),
                }
                out.append(Unit(hi, a, b, text, coverage, fit, s, frozenset(cov_set | ctx),
                                tuple(float(feats[f]) for f in EVIDENCE_FEATURES)))
        if model is not None:
            out.sort(key=lambda u: model.prob(u.features), reverse=True)
        else:
            out.sort(key=lambda u: u.score, reverse=True)
        return out if model is not None else self._rerank(q, out)

    dense_weight = 1.0  # measured on the dev questions: the right sentence first more often
    passage_dense_weight = 0.0  # measured: the passage's own similarity adds nothing here
    dense_top = 8
    dense_words = 80  # a unit's first words carry its meaning; embedding cost grows with length

    def _rerank(self, q: Question, units: list[Unit]) -> list[Unit]:
        """Reorder the best units by their embedding similarity to the question too: a
        paraphrase shares meaning, not words, with the sentence that answers it."""
        if self.embedder is None or len(units) < 2:
            return units
        head = units[: self.dense_top]
        import numpy as np

        qv = np.asarray(self.embedder.embed_query(q.text), dtype="float32")
        texts = [" ".join(u.text.split()[: self.dense_words]) for u in head]
        uv = np.asarray(self.embedder.embed_documents(texts), dtype="float32")
        sims = uv @ qv
        lo, span = self.dense_floor, self.dense_span
        rescored = [replace(u, score=u.score + self.dense_weight * float(min(1.0, max(0.0, (s - lo) / span))))
                    for u, s in zip(head, sims)]
        rescored.sort(key=lambda u: u.score, reverse=True)
        return rescored + units[self.dense_top:]


def make_idf(catalog):
    """An IDF function over the store's chunks, cached per term."""
    n = max(catalog.chunk_count(), 1)
    cache: dict[str, float] = {}

    def idf(term: str) -> float:
        if term not in cache:
            df = catalog.document_frequency(term)
            cache[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return cache[term]

    idf.n = n  # the chunk count it was made for, so callers need not count again
    return idf
