"""The default answerer: states the sentences that answer the question, each cited, or abstains."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from assistant.evidence import (SOURCE_CLAUSE, EvidenceScorer, Unit, english_view, figure_distance,
                                group_mentions, missing_qualifier, person_names)
from assistant.models import DOC_TYPE_WORDS, Answer, Citation, Hit
from assistant.question import ASKS_NATIONAL, ASKS_SHARE, Question, role_words
from assistant.templates import t
from ingest.clean import row_cells
from ingest.goals import row_indicator
from ingest.dates import find_dates
from ingest.numbers import find_quantities, normalise_number, parse_number
from ingest.text import content_terms, words
from ingest.topics import BY_KEY

_TYPED = ("target", "amount", "who", "when", "decision", "where")
_MULTI = re.compile(r"\b(forskel\w*|adskiller|sammenlign\w*|compare\w*|compar\w+|differ\w*|between|mellem|"
                    r"replaced|afløste|erstattede|both|begge|og senere|and later|change[ds]? from)\b", re.I)


# Which constraint of the question an abstention's reason says was not met (the JSON `unmet`)
_UNMET = {"reason_entity": "entity", "reason_coverage": "topic", "reason_type": "answer_type",
          "reason_no_hits": "documents", "reason_empty": "question",
          "reason_injection": "question", "reason_year": "year",
          "reason_national": "national", "reason_place": "place"}


def abstain(q: Question, reason_key: str, **kw) -> Answer:
    reason = t(q.language, reason_key, **kw)
    value = kw.get("entities") or kw.get("year") or (q.answer_type if reason_key == "reason_type" else None)
    return Answer(question=q.text, answer=t(q.language, "abstain", reason=reason),
                  language=q.language, abstained=True,
                  unmet={"constraint": _UNMET.get(reason_key, reason_key), "value": value})


def _norm_entity(e: str) -> str:
    v = parse_number(e) if e[:1].isdigit() else None
    return normalise_number(v) if v is not None else e.lower()


def entity_in(entity: str, text: str) -> bool:
    """Exact for numbers and short codes; one or two typos allowed in longer names."""
    ent = _norm_entity(entity)
    low = text.lower()
    span = re.fullmatch(r"((?:19|20)\d\d)/(\d\d)", ent)
    if span:  # a school year, written "2022/23", "2022-23", "2022/2023"
        start, end = span.groups()
        return bool(re.search(rf"(?<!\d){start}\s*[/–-]\s*(?:{end}|{start[:2]}{end})(?!\d)", text))
    if ent[:1].isdigit():
        nums = {normalise_number(v) for v in (parse_number(x) for x in re.findall(
            r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?", text)) if v is not None}
        return ent in nums or ent in low
    if ent in low:
        return True
    if len(ent) < 5:
        return False
    return bool(difflib.get_close_matches(ent, set(words(text)), n=1, cutoff=0.8))


class ExtractiveAnswerer:
    """Picks the best evidence units; abstains when the evidence does not answer the question."""

    name = "extractive"
    min_coverage = 0.2
    min_type_fit = 0.6
    second_ratio = 0.9
    max_chars = 650

    def __init__(self, idf, doc_stems=None, doc_text=None, embedder=None, doc_place=None):
        self.scorer = EvidenceScorer(idf, doc_stems, embedder)
        self.doc_text = doc_text  # callable: doc_id -> the document's text
        self.doc_place = doc_place  # callable: doc_id -> 'national' or the municipality
        self._names: dict[tuple[str, str], bool] = {}  # (doc_id, entity) -> the document names it

    def select(self, q: Question, hits: list[Hit]) -> tuple[list[Unit], str | None, dict]:
        """The units to state, or a reason to abstain (a template key) with its arguments."""
        if not hits:
            return [], "reason_no_hits", {}
        units = self.scorer.score(q, hits)
        scored = units
        haystacks = [f"{h.context()} {h.text}" for h in hits]
        missing = [e for e in q.entities if not any(entity_in(e, h) for h in haystacks)]
        if missing:
            return [], "reason_entity", {"entities": ", ".join(missing)}
        # one entity: the passage must have it; several (2013 vs 2016): each passage some. A name
        # (a municipality, a body) may stand only elsewhere in the passage's document: a page
        # about a municipality names it in its title or first paragraph, not in every passage.
        need = all if len(q.entities) == 1 else any
        ok_hits = {i for i, hay in enumerate(haystacks)
                   if need(entity_in(e, hay) or (not e[:1].isdigit() and self._document_names(hits[i], e))
                           for e in q.entities)}
        units = [u for u in units if not q.entities or u.hit in ok_hits]
        units = self._from_named_documents(q, units, hits)
        units = self._from_named_source(q, units, hits)
        # the question's most specific concepts must be in the unit or its passage's context
        key = self.scorer.key_concepts(q)
        if key:
            # on an English page a Danish key word the lexicon has no English for ("udtalt",
            # "røget") cannot be looked for: the key words it can say must be there
            english = english_view(q) if q.language == "da" else q
            sayable = [i for i in key if english.concepts[i] != q.concepts[i]]
            units = [u for u in units if any(i in u.covered for i in key)
                     or (hits[u.hit].language == "en" != q.language and not sayable)
                     or self._narrows_topic(q, u, scored, key, hits)]
        units = self._on_topic(q, units, hits)
        if units and self._asks_national(q, hits):
            # the country's figure or goal: from a national document, or a sentence that says it
            # is national ("på landsplan", "regeringen") itself, or under a heading that does (a
            # municipality's minutes may compare with "det nationale niveau" two sentences on);
            # a municipality's is shown as what there is instead, never as the answer
            national = [u for u in units if self.doc_place(hits[u.hit].doc_id) == "national"
                        or _NATIONAL_SAID.search(f"{hits[u.hit].context()} {u.text}")]
            if not national:
                return [units[0]], "reason_national", {"who": self.doc_place(hits[units[0].hit].doc_id)}
            asked_setter = _GOVERNMENT_ASK.search(q.text)
            if asked_setter and (q.answer_type == "target" or q.goal_question):
                # "regeringens mål": a goal the government set, not an organisation's national one
                national = [u for u in national if self._document_says_any(hits[u.hit], _GOVERNMENT_SAID)]
                if not national:
                    return [], "reason_entity", {"entities": asked_setter.group(0)}
            units = national
        place = self._asked_municipality(q)
        if units and place:
            # "tilslutningen ... i Kratholm Kommune": a figure from another municipality's document
            # is a neighbour; one from a document about the place, or a passage naming it, answers
            here = [u for u in units if self.doc_place(hits[u.hit].doc_id).lower() == place.lower()
                    or re.search(rf"\b{re.escape(place)}", f"{hits[u.hit].context()} {u.text}", re.I)]
            if not here:
                return [units[0]], "reason_place", {"place": place,
                                                    "who": self.doc_place(hits[units[0].hit].doc_id)}
            units = here
        quoted = _quotations(q.text)
        if units and quoted:
            # a statement or title quoted in the question must stand in the answer's document
            said = [u for u in units if all(self._document_says(hits[u.hit], phrase) for phrase in quoted)]
            if not said:
                missing = next(p for p in quoted if not any(self._document_says(hits[u.hit], p) for u in units))
                return [], "reason_entity", {"entities": f"«{missing}»"}
            units = said
        if units:
            # a question about a group ("unge under 25 år", women) is not answered by a figure
            # or goal for everyone: the unit or its passage must name the group
            # a goal sentence says whom it is for itself; a figure's group may stand in its table
            # or paragraph
            narrowed = [u for u in units if missing_qualifier(
                q, f"{u.text} {hits[u.hit].context()}" if q.answer_type == "target"
                else f"{u.text} {hits[u.hit].text}") is None]
            if not narrowed:
                return [], "reason_entity", {"entities": missing_qualifier(q, units[0].text)}
            if missing_qualifier(q, "") is not None:
                # a sentence that names the group itself before its neighbours in the passage
                # ("9,2 pct. blandt kvinder og 6,4 pct. blandt mænd" before the figure for all)
                own = [u for u in narrowed if missing_qualifier(q, u.text) is None]
                if q.answer_type == "amount":
                    # of those, one that gives the group its own figure ("33,8 pct. af kvinderne")
                    # before one that only mentions the group ("hvoraf størstedelen er kvinder")
                    own.sort(key=lambda u: not _figure_for_group(q, u.text))
                narrowed = own + [u for u in narrowed if u not in own]
            units = narrowed
        if not units or units[0].coverage < self.min_coverage:
            return [], "reason_coverage", {}
        topic = self._topic_weights(q) if any(h.anchored for h in hits) else {}
        if topic:
            # a passage found by a name the question gives alone (Retriever.anchored) may be about
            # something else of that place: what the question is about (its words that are no
            # name or year) must stand in it, a share of them by weight
            total = sum(topic.values())
            share: dict[int, float] = {}
            on_topic = []
            for u in units:
                hit = hits[u.hit]
                if hit.anchored and u.hit not in share:
                    text = f"{hit.context()} {hit.text}"
                    got = self.scorer.covered(q, set(content_terms(text)), text)
                    share[u.hit] = sum(w for i, w in topic.items() if i in got) / total
                if not hit.anchored or share[u.hit] >= self.anchored_topic_share:
                    on_topic.append(u)
            if not on_topic:
                return [], "reason_coverage", {}
            units = on_topic
        if q.answer_type in _TYPED:
            typed = [u for u in units if (u.type_fit >= self.min_type_fit and u.coverage >= self.min_coverage * 0.8)
                     or (q.answer_type == "amount" and self._group_line(q, u, scored))]
            if not typed:
                # "The agreement introduces a right for X." then "The new right takes effect on
                # <date>.": the kind of answer asked for stands in the next sentence
                follow = self._neighbour_with_answer(units[0], scored, self.min_type_fit, self.follow_chars)
                if follow is not None and (q.answer_type != "target" or missing_qualifier(
                        q, f"{follow.text} {hits[follow.hit].context()}") is None):
                    return [units[0], follow], None, {}
                return [], "reason_type", {}
            if q.answer_type == "amount" and _PAST.search(q.text):
                # "how many were …", "what share had …": a measured figure. A goal sentence
                # ("Mål 1: Andelen skal øges til 50 pct.") states what should be, not what was
                measured = [u for u in typed if not _GOAL_STATEMENT.search(u.text)]
                if not measured:
                    return [], "reason_type", {}
                typed = measured
            units = typed + [u for u in units if u not in typed]
            years = _years(q)
            if q.answer_type == "amount" and len(years) == 1:
                # "how many … in 2025?": a figure stated for another year is not the answer. The
                # sentences stating the asked year come first, then those stating no year; when
                # the best figure left is for other years only, say so rather than quote it
                # a sentence naming the group asked about stays before one for everyone of that year
                # ("12,6 pct. blandt borgere på 80 år og derover" under the paragraph on 2025)
                group = missing_qualifier(q, "") is not None
                units.sort(key=lambda u: (u not in typed, _year_fit(_stated_years(u, hits), years[0]) == 2,
                                          group and missing_qualifier(q, u.text) is not None,
                                          _year_fit(_stated_years(u, hits), years[0])))
                if _year_fit(_stated_years(units[0], hits), years[0]) == 2:
                    told = sorted({y for u in typed for y in _YEAR.findall(u.text)})
                    return [], "reason_year", {"year": years[0], "years": ", ".join(told[-5:])}
        best = units[0]
        chosen = [best]
        # the next sentence that goes on about it is looked for among all the passage's sentences:
        # "Det er et fald på 6.212 i forhold til 2024" need not name the topic again
        follow = self._continuation(best, scored, hits)
        if follow is None and q.answer_type in _TYPED and best.type_fit < 1.0:
            # "Forvaltningen fremlægger forslag til en målsætning for X." restates the question;
            # the number stands in the next sentence of the same passage
            follow = self._neighbour_with_answer(best, units)
        if follow is not None:
            chosen.append(follow)
        if _MULTI.search(q.text) or len(_years(q)) >= 2:
            # a comparison across documents: the best unit of a second document too
            other = next((u for u in units if hits[u.hit].doc_id != hits[best.hit].doc_id
                          and u.coverage >= self.min_coverage * 0.8 and u.score >= 0.6 * best.score), None)
            if other is not None:
                chosen.append(other)
        for part in self._missing_parts(q, chosen, units, hits):
            chosen.append(part)
        for u in units[1:]:
            if len(chosen) >= 3 or sum(len(c.text) for c in chosen) + len(u.text) > self.max_chars:
                break
            if u.score < self.second_ratio * best.score or u.coverage < self.min_coverage:
                continue
            if any(_overlap(u.text, c.text) for c in chosen):
                continue
            if q.answer_type in _TYPED and u.type_fit < self.min_type_fit:
                continue
            chosen.append(u)
        return chosen, None, {}

    # how far back a sentence for a group may find its topic: the sentences just before it
    group_topic_reach = 300

    def _narrows_topic(self, q: Question, u: Unit, scored: list[Unit], key: list[int], hits: list[Hit]) -> bool:
        """"Blandt borgere på 80 år og derover var andelen 12,6 pct." after the sentences on
        loneliness: a sentence naming the group the question asks about continues the topic of
        the sentence just before it in its passage, which has the key words it lacks."""
        if missing_qualifier(q, "") is None or missing_qualifier(q, u.text) is not None:
            return False
        if any(o.hit == u.hit and o.end <= u.start and u.start - o.end <= self.group_topic_reach
               and any(i in o.covered for i in key) for o in scored):
            return True
        # or the passage's heading and title say it ("Narkotikarelaterede dødsfald 2024")
        context = hits[u.hit].context()
        return bool(set(key) & self.scorer.covered(q, set(content_terms(context)), context))

    def _group_line(self, q: Question, u: Unit, scored: list[Unit]) -> bool:
        """"• Aged 60 or over: 702 (2024: 611)" in a list of key figures on homelessness: a unit
        naming the group asked about, below a unit of its passage that covers the question, has
        that unit's topic and counts what it counts (its own words are the group and the figure)."""
        if not _figure_for_group(q, u.text):
            return False
        return any(o.hit == u.hit and o.end <= u.start and u.start - o.end <= self.group_topic_reach
                   and o.coverage >= self.min_coverage * 0.8 and o.type_fit >= self.min_type_fit
                   for o in scored)

    def _asked_municipality(self, q: Question) -> str | None:
        """The municipality a question names as such ("i Kratholm Kommune", "in Bredeager
        Municipality"), when documents are placed (doc_place)."""
        if self.doc_place is None:
            return None
        m = _ASKED_MUNICIPALITY.search(q.text)
        return m.group(1) if m else None

    def _asks_national(self, q: Question, hits: list[Hit]) -> bool:
        """The question asks for the country's figure or goal and names no municipality."""
        if self.doc_place is None or not ASKS_NATIONAL.search(q.text):
            return False
        places = {self.doc_place(h.doc_id).lower() for h in hits} - {"national"}
        names = {e.lower().removesuffix("s") for e in q.entities if not e[:1].isdigit()} | \
                {e.lower() for e in q.entities}
        return not (places & names)

    def _document_names(self, hit: Hit, entity: str) -> bool:
        """Whether the hit's document names the entity anywhere (cached: fuzzy matching a name
        against a long document's words is the slow part)."""
        if self.doc_text is None:
            return False
        key = (hit.doc_id, entity)
        if key not in self._names:
            if len(self._names) > 5000:
                self._names.pop(next(iter(self._names)))
            self._names[key] = entity_in(entity, f"{hit.context()} {self.doc_text(hit.doc_id)}")
        return self._names[key]

    def _document_says_any(self, hit: Hit, pattern: re.Pattern) -> bool:
        """The passage, its context or the start of its document (title, lead) matches `pattern`."""
        if pattern.search(f"{hit.context()} {hit.text}"):
            return True
        return bool(self.doc_text is not None and pattern.search(self.doc_text(hit.doc_id)[:600]))  # its title and lead

    def _document_says(self, hit: Hit, phrase: str) -> bool:
        """The passage's document holds (nearly) every content word of `phrase`, in order or not."""
        terms = set(content_terms(phrase))
        if not terms:
            return True
        # the scorer's cached stems of the whole document; the passage alone without them
        stems = self.scorer.doc_stems(hit.doc_id) if self.scorer.doc_stems else set(content_terms(hit.text))
        return len(terms & stems) >= 0.8 * len(terms)

    def _from_named_documents(self, q: Question, units: list[Unit], hits: list[Hit]) -> list[Unit]:
        """A question that names an organisation, place or programme ("according to
        <an agency>", "in <a municipality>") is answered from a document that names it too, when
        one was retrieved: the same figure from another body is a neighbour, not the answer."""
        names = [e for e in q.entities if not e[:1].isdigit()]
        if not names or self.doc_text is None:
            return units
        names_all = {h.doc_id: all(self._document_names(h, e) for e in names) for h in hits}
        named = [u for u in units if names_all[hits[u.hit].doc_id]]
        return named or units

    def _from_named_source(self, q: Question, units: list[Unit], hits: list[Hit]) -> list[Unit]:
        """"…, ifølge Sundhedsstyrelsens seneste delrapport?": the answer comes from the
        documents whose title, issuer and kind say most of the source clause's words, when they
        say at least half of them and other retrieved documents say fewer (another body's
        document that quotes the same plan is not the source asked for)."""
        source = SOURCE_CLAUSE.search(q.text)
        if not source or not units:
            return units
        named = set(content_terms(source.group(1))) | set(content_terms(source.group(1), "en"))
        asked = [i for i, c in enumerate(q.concepts) if named.intersection(c)]
        if not asked:
            return units
        share: dict[str, float] = {}
        for h in hits:
            if h.doc_id not in share:
                about = " ".join(x for x in (h.title, h.issuer or "", DOC_TYPE_WORDS.get(h.doc_type, "")) if x)
                got = self.scorer.covered(q, set(content_terms(about)), about)
                share[h.doc_id] = sum(i in got for i in asked) / len(asked)
        best = max(share[hits[u.hit].doc_id] for u in units)
        if best < 0.5 or best == min(share.values()):
            return units
        return [u for u in units if share[hits[u.hit].doc_id] == best]

    # an anchored passage must hold a third of the question's topic (by IDF weight): the
    # passage for "flytte ind på plejecenter X" says "indflytningen" and "plejecentret", and a
    # passage on X's waiting times holds "ældre" of "faldrelaterede indlæggelser blandt ældre"
    anchored_topic_share = 1 / 3

    def _topic_weights(self, q: Question) -> dict[int, float]:
        """The question's concepts that are not its names, numbers or years, with their
        weights (EvidenceScorer.weights)."""
        named = {t for e in q.entities for t in content_terms(e)} | {e.lower() for e in q.entities}
        weights = self.scorer.weights(q)
        return {i: w for i, (c, w) in enumerate(zip(q.concepts, weights)) if not named.intersection(c)}

    def _missing_parts(self, q: Question, chosen: list[Unit], units: list[Unit],
                       hits: list[Hit]) -> list[Unit]:
        """A question about two or more years ("in 2019, and at the end of 2024?") is answered
        per year: for each year no chosen unit states, the best unit that states it (with the
        kind of answer asked for), preferring the chosen unit's document."""
        years = _years(q)
        if len(years) < 2:
            return []
        doc = hits[chosen[0].hit].doc_id
        added: list[Unit] = []
        for y in years:
            if any(re.search(rf"\b{y}\b", u.text) for u in chosen + added):
                continue
            cands = [u for u in units if u not in chosen and u not in added
                     and re.search(rf"\b{y}\b", u.text) and re.search(r"\d", u.text.replace(y, ""))
                     and (q.answer_type not in _TYPED or u.type_fit >= self.min_type_fit)]
            cands.sort(key=lambda u: (hits[u.hit].doc_id != doc, -u.score))
            if cands and sum(len(c.text) for c in chosen + added) + len(cands[0].text) <= self.max_chars:
                added.append(cands[0])
        return added

    def _on_topic(self, q: Question, units: list[Unit], hits: list[Hit]) -> list[Unit]:
        """When the question names a policy topic, the evidence must be about it: in the unit, its
        passage or the passage's context, or (for who/when/decision questions about a document)
        anywhere in the document."""
        topics = [BY_KEY[t] for t in q.topics if t != "socially_vulnerable" and t in BY_KEY]
        if not topics:
            return units
        whole_doc = q.answer_type in ("who", "when", "decision")

        def about(u: Unit) -> bool:
            h = hits[u.hit]
            text = f"{u.text} {h.context()} {h.text}"
            if whole_doc and self.doc_text is not None:
                text += " " + self.doc_text(h.doc_id)
            return any(t.pattern.search(text) for t in topics)

        return [u for u in units if about(u)]

    @staticmethod
    def _continuation(best: Unit, units: list[Unit], hits: list[Hit]) -> Unit | None:
        """The next sentence when it goes on about the same thing ("Det svarer til ...")."""
        text = hits[best.hit].text
        rest = text[best.end:]
        gap = len(rest) - len(rest.lstrip())
        if gap > 2:
            return None
        nxt = next((u for u in units if u.hit == best.hit and u.start == best.end + gap), None)
        if nxt and re.match(r"(Det|Dette|Den|De|Disse|Heraf|Her|Derfor|It|This|That|These)\b",
                            nxt.text) and len(nxt.text) < 350:
            return nxt
        if nxt and re.match(r"(Fraværende|Afbud|Absent)\b", nxt.text) and len(nxt.text) < 200 \
                and re.search(r"\b(stemte|stemmer|voted|votes)\b", best.text, re.I):
            return nxt  # a vote's record ends with who was absent
        return None

    follow_chars = 200  # how far after the best sentence its answer may stand (about two sentences)

    @staticmethod
    def _neighbour_with_answer(best: Unit, units: list[Unit], min_fit: float = 1.0,
                               reach: int = 3) -> Unit | None:
        near = sorted((u for u in units if u.hit == best.hit and u.type_fit >= min_fit
                       and 0 <= u.start - best.end <= reach), key=lambda u: u.start)
        return near[0] if near else None

    def answer(self, q: Question, hits: list[Hit]) -> Answer:
        chosen, reason, kw = self.select(q, hits)
        if reason == "reason_national":
            # what there is instead, cited, under the abstention
            shown = compose(q, hits, chosen, answerer=self.name)
            head = t(q.language, "abstain", reason=t(q.language, "reason_national_figure", **kw))
            return replace(shown, answer=f"{head}\n\n{shown.answer}", abstained=True,
                           unmet={"constraint": "national", "value": kw.get("who")})
        if reason == "reason_place":
            shown = compose(q, hits, chosen, answerer=self.name)
            who = kw["who"] if kw["who"] != "national" else ("hele landet" if q.language == "da" else "the whole country")
            head = t(q.language, "abstain", reason=t(q.language, "reason_place", place=kw["place"], who=who))
            return replace(shown, answer=f"{head}\n\n{shown.answer}", abstained=True,
                           unmet={"constraint": "place", "value": kw.get("place")})
        if reason:
            return abstain(q, reason, **kw)
        return compose(q, hits, chosen, answerer=self.name)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "i Kratholm Kommune", "in Bredeager Municipality", "Sølvkær Kommunes": a municipality asked about
_ASKED_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)\s+(?:Kommunes?|Municipality'?s?)\b")
# a year a sentence states as a time; "2020-mål", "2030-planen" name a thing, not a time
_STATED_YEAR = re.compile(r"\b(?:19|20)\d\d\b(?!-[^\W\d])")
# A sentence that speaks of the whole country (a question that asks about it: ASKS_NATIONAL)
_NATIONAL_SAID = re.compile(r"\b(på landsplan|i hele landet|landsgennemsnit\w*|landsdækkende|nationale?|"
                            r"nationalt|regeringen\w*|folketinget|staten|danmark|danske|nationally|national|"
                            r"nationwide|the government|denmark|danish|country)\b", re.I)
# who set a national goal: the government (its ministries, parliament), asked and said
_GOVERNMENT_ASK = re.compile(r"\b(regeringen\w*|regeringens|the government'?s?|government'?s|ministeriet\w*|"
                             r"the ministry'?s?|folketinget\w*|parliament'?s?)\b", re.I)
_GOVERNMENT_SAID = re.compile(r"\b(regering\w*|minist\w*|folketing\w*|government|parliament|"
                              r"statens?|politisk aftale|aftalepartier\w*)\b", re.I)
# a question in the past tense asks what was measured; a sentence with a modal states a goal
_PAST = re.compile(r"\b(var|blev|havde|fik|steg|faldt|udgjorde|afsluttede|was|were|had|did|rose|fell|"
                   r"counted|registered|recorded|completed)\b", re.I)
_GOAL_STATEMENT = re.compile(r"\b(skal|skulle|må højst|vil|must|shall|should|will|is to be|are to be)\b|"
                             r"^\W*(mål|goal|target)\s*\d*\s*:", re.I)


def _year_fit(stated: set[str], year: str) -> int:
    """0: the years a unit states include `year`; 1: it states no year; 2: other years only."""
    return 0 if year in stated else (1 if not stated else 2)


# "Året før lå andelen på 54,1 pct.": a sentence that opens on the year before the one its
# passage stated last is about that year. Not "steg med 312 i forhold til året før": there the
# year before is what the figure is compared with
_YEAR_BEFORE = re.compile(r"\s*(?:i\s+|in\s+)?(året før|året forinden|året inden|the year before|"
                          r"the previous year|a year earlier|the preceding year)\b", re.I)


def _stated_years(u: Unit, hits: list[Hit]) -> set[str]:
    """The years a unit states, with the year it names by pointing back ("året før" after a
    sentence about 2025 is 2024)."""
    stated = set(_YEAR.findall(u.text))
    if _YEAR_BEFORE.match(u.text):
        earlier = _YEAR.findall(hits[u.hit].text[: u.start])
        if earlier:
            stated.add(str(int(earlier[-1]) - 1))
    return stated


def _years(q: Question) -> list[str]:
    """The years the question names; a school year "2022/23" by the year it is written with."""
    return [e[:4] for e in q.entities if _YEAR.fullmatch(e) or re.fullmatch(r"(?:19|20)\d\d/\d\d", e)]


def _figure_for_group(q: Question, text: str) -> bool:
    """The text gives the question's group a figure of its own (see figure_distance)."""
    spans = group_mentions(q, text)
    return any(figure_distance(text, m.start, m.end, spans) is not None for m in find_quantities(text)
               if not any(a <= m.start < b for a, b in spans))  # not the group's own age


def _overlap(a: str, b: str) -> bool:
    wa, wb = set(words(a)), set(words(b))
    return len(wa & wb) / max(1, min(len(wa), len(wb))) > 0.7


def short_answer(q: Question, unit: Unit, hit_date: str | None = None, hit_text: str = "") -> str | None:
    """The answer itself where the question type names one: a person, an amount, a date."""
    text = unit.text
    if q.answer_type == "who":
        names = person_names(text)
        if not names and hit_text:  # a quotation: the speaker stands just before or after it
            around = hit_text[max(0, unit.start - 200): unit.end + 200]
            names = person_names(around)
            text = around
        asked = ("|".join(re.escape(w) for r in q.roles for w in role_words(r))
                 or "formand|forkvinde|direktør|minister|borgmester")
        role = re.search(rf"\b({asked})\w*", text, re.I)
        if names and role:
            return min(names, key=lambda n: abs(text.find(n) - role.start()))
        return names[0] if names else None
    if q.answer_type == "amount":
        qs = [m for m in find_quantities(text) if m.quantity.unit]
        share = ("%", "percentage points")
        if not ASKS_SHARE.search(q.text):
            # "how many beds": a count; "bed occupancy exceeded 100 per cent" is not it
            qs = [m for m in qs if m.quantity.unit not in share]
        else:  # "hvor stor en andel": a share, never the count beside it ("6.880 personer")
            qs = [m for m in qs if m.quantity.unit in share]
        spans = group_mentions(q, text)
        said = [(d, m) for m in qs if (d := figure_distance(text, m.start, m.end, spans)) is not None]
        if said:
            # "Blandt mændene var 59,4 pct. …, mens det gjaldt 33,8 pct. af kvinderne" asked about
            # women: the figure said of the asked group
            return min(said, key=lambda dm: dm[0])[1].raw
        return qs[0].raw if qs else None
    if q.answer_type == "when":
        dates = find_dates(text)
        if dates:
            return format_date(dates[0][0], q.language)
        m = re.search(r"\b\d{1,2}\.\s+(januar|februar|marts|april|maj|juni|juli|august|september|"
                      r"oktober|november|december)(\s+(19|20)\d\d)?", text, re.I)
        if m:
            return m.group(0)
        y = re.search(r"\b(?:i|in|fra|siden|from|since)\s+((?:19|20)\d\d)\b", text, re.I)
        if y:
            return y.group(1)
        if _STATED_YEAR.search(text):
            # the sentence states its own years ("i skoleåret 2024/25"): the quote answers, and
            # the document's date, a time the sentence does not state, would mislead
            return None
        return format_date(hit_date, q.language) if hit_date else None
    return None


_NUMBER = re.compile(r"\d")


def table_cell(q: Question, row: str) -> str | None:
    """The cell of a table row that answers the question, named by its row and column:
    'År: 2021; Registrerede hjemløse: 1.234; Heraf unge: 310' asked how many homeless there
    were in 2021 gives '2021, Registrerede hjemløse: 1.234'. The column is the one whose
    header shares the question's words (or the asked year), else the only number column."""
    cells = row_cells(row)
    if len(cells) < 2:
        return None
    label = cells[0][1]
    if re.fullmatch(r"[\d.\s]+", label):
        # "Nr.: 3; Indikator: Andel ...": a row number names nothing; the indicator column does
        label = row_indicator(cells) or label
    asked = set(q.terms) | set(q.raw_terms)
    years = set(_years(q))

    def fit(cell: tuple[str, str]) -> tuple[int, int]:
        head, value = cell
        terms = set(content_terms(head)) | set(content_terms(head, "en"))
        named = len(terms & asked) + 2 * len(years & set(re.findall(r"\b(?:19|20)\d\d\b", head)))
        return named, int(bool(_NUMBER.search(value)))

    numeric = [c for c in cells[1:] if _NUMBER.search(c[1])]
    if not numeric:
        return None
    best = max(numeric, key=fit)
    if fit(best)[0] == 0 and len(numeric) > 1:
        return None  # several number columns and none named by the question: quote the row
    return f"{label}, {best[0]}: {best[1]}" if best[0] else f"{label}: {best[1]}"


def format_date(iso: str, lang: str) -> str:
    from assistant.models import _MONTHS_DA

    y, m, d = iso.split("-")
    if lang == "da":
        return f"{int(d)}. {_MONTHS_DA[int(m) - 1]} {y}"
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    return f"{int(d)} {months[int(m) - 1]} {y}"


_QUOTED = re.compile(r"[\"“”«»„]([^\"“”«»„]{8,200})[\"“”«»„]")


def _quotations(text: str) -> list[str]:
    """Phrases of three words or more that the question puts in double quotes or guillemets."""
    return [m.group(1).strip() for m in _QUOTED.finditer(text) if len(m.group(1).split()) >= 3]


def compose(q: Question, hits: list[Hit], chosen: list[Unit], *, answerer: str) -> Answer:
    """Render the chosen units in the question's language, numbering citations by first use."""
    numbers: dict[int, int] = {}
    parts: list[str] = []
    lang = q.language if q.language in ("da", "en") else "en"
    several = len(_years(q)) >= 2 and len(chosen) > 1
    lead = hits[chosen[0].hit]
    short = None
    if not several and lead.kind == "table" and q.answer_type not in ("who", "when", "decision"):
        short = table_cell(q, chosen[0].text)
    if not several and short is None and q.answer_type == "when":
        # "… when the new home opens." then "Moving in is expected to begin on 1 March 2027.":
        # a date a chosen sentence states comes before the date of the document
        short = next(filter(None, (short_answer(q, u) for u in chosen)), None)
    if not several and short is None:
        short = short_answer(q, chosen[0], lead.date, lead.text)
    if short:
        parts.append(t(lang, "short", short=short))
    for u in chosen:
        n = numbers.setdefault(u.hit, len(numbers) + 1)
        text = " ".join(u.text.lstrip("• ").split())
        # the document's language (detected at ingest on the whole text), not a guess from one
        # sentence: an English page is quoted as English
        if lang == "en" and hits[u.hit].language != "en":
            parts.append(t(lang, "quote", text=text, n=n))
        elif lang == "en":
            parts.append(t(lang, "quote_en", text=text, n=n))
        else:
            parts.append(t(lang, "quote", text=text, n=n))
    citations = []
    for hi, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        h = hits[hi]
        quote = " … ".join(u.text for u in chosen if u.hit == hi)
        citations.append(Citation.of(n, h, quote))
    return Answer(question=q.text, answer="\n\n".join(parts), language=lang, abstained=False,
                  citations=tuple(citations), answerer=answerer)
