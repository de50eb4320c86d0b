"""The default answerer: states the sentences that answer the question, each cited, or abstains."""

from __future__ import annotations

import difflib
import re

from assistant.evidence import EvidenceScorer, Unit, person_names
from assistant.lexicon import gloss
from assistant.models import Answer, Citation, Hit
from assistant.question import Question
from assistant.templates import t
from ingest.dates import find_dates
from ingest.numbers import find_quantities, normalise_number, parse_number
from ingest.text import detect_language, words

_TYPED = ("target", "amount", "who", "when", "decision", "where")


def abstain(q: Question, reason_key: str, **kw) -> Answer:
    reason = t(q.language, reason_key, **kw)
    return Answer(question=q.text, answer=t(q.language, "abstain", reason=reason),
                  language=q.language, abstained=True)


def _norm_entity(e: str) -> str:
    v = parse_number(e) if e[:1].isdigit() else None
    return normalise_number(v) if v is not None else e.lower()


def entity_in(entity: str, text: str) -> bool:
    """Exact for numbers and short codes; one or two typos allowed in longer names."""
    ent = _norm_entity(entity)
    low = text.lower()
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
    min_coverage = 0.5
    min_type_fit = 0.6
    second_ratio = 0.9
    max_chars = 650

    def __init__(self, idf):
        self.scorer = EvidenceScorer(idf)

    def select(self, q: Question, hits: list[Hit]) -> tuple[list[Unit], str | None, dict]:
        """The units to state, or a reason to abstain (a template key) with its arguments."""
        if not hits:
            return [], "reason_no_hits", {}
        units = self.scorer.score(q, hits)
        haystacks = [f"{h.title} {h.section} {h.text} {h.date or ''}" for h in hits]
        ok_hits = {i for i, hay in enumerate(haystacks) if all(entity_in(e, hay) for e in q.entities)}
        if q.entities and not ok_hits:
            missing = [e for e in q.entities if not any(entity_in(e, h) for h in haystacks)]
            return [], "reason_entity", {"entities": ", ".join(missing or q.entities)}
        units = [u for u in units if not q.entities or u.hit in ok_hits]
        if not units or units[0].coverage < self.min_coverage:
            return [], "reason_coverage", {}
        if q.answer_type in _TYPED:
            typed = [u for u in units if u.type_fit >= self.min_type_fit
                     and u.coverage >= self.min_coverage * 0.8]
            if not typed:
                return [], "reason_type", {}
            units = typed + [u for u in units if u not in typed]
        best = units[0]
        chosen = [best]
        for u in units[1:]:
            if len(chosen) >= 2 or sum(len(c.text) for c in chosen) + len(u.text) > self.max_chars:
                break
            if u.score < self.second_ratio * best.score or u.coverage < self.min_coverage:
                continue
            if any(_overlap(u.text, c.text) for c in chosen):
                continue
            if q.answer_type in _TYPED and u.type_fit < self.min_type_fit:
                continue
            chosen.append(u)
        return chosen, None, {}

    def answer(self, q: Question, hits: list[Hit]) -> Answer:
        chosen, reason, kw = self.select(q, hits)
        if reason:
            return abstain(q, reason, **kw)
        return compose(q, hits, chosen, answerer=self.name)


def _overlap(a: str, b: str) -> bool:
    wa, wb = set(words(a)), set(words(b))
    return len(wa & wb) / max(1, min(len(wa), len(wb))) > 0.7


def short_answer(q: Question, unit: Unit) -> str | None:
    """The answer itself where the question type names one: a person, an amount, a date."""
    text = unit.text
    if q.answer_type == "who":
        names = person_names(text)
        role = re.search(r"\b(formand|forkvinde|direktør\w*|minister|borgmester)\b", text, re.I)
        if names and role:
            return min(names, key=lambda n: abs(text.find(n) - role.start()))
        return names[0] if names else None
    if q.answer_type == "amount":
        qs = [m for m in find_quantities(text) if m.quantity.unit]
        return qs[0].raw if qs else None
    if q.answer_type == "when":
        dates = find_dates(text)
        return dates[0][0] if dates else None
    return None


def compose(q: Question, hits: list[Hit], chosen: list[Unit], *, answerer: str) -> Answer:
    """Render the chosen units in the question's language, numbering citations by first use."""
    numbers: dict[int, int] = {}
    parts: list[str] = []
    lang = q.language if q.language in ("da", "en") else "en"
    short = short_answer(q, chosen[0])
    if short:
        parts.append(t(lang, "short", short=short))
    quotes_da: list[str] = []
    for u in chosen:
        n = numbers.setdefault(u.hit, len(numbers) + 1)
        text = " ".join(u.text.lstrip("• ").split())
        doc_lang = detect_language(text)
        if lang == "en" and doc_lang != "en":
            parts.append(t(lang, "quote", text=text, n=n))
            quotes_da.append(text)
        elif lang == "en":
            parts.append(t(lang, "quote_en", text=text, n=n))
        else:
            parts.append(t(lang, "quote", text=text, n=n))
    if quotes_da:
        pairs = gloss(" ".join(quotes_da))
        if pairs:
            parts.append(t(lang, "gloss", pairs="; ".join(f"{da} = {en}" for da, en in pairs)))
    citations = []
    for hi, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        h = hits[hi]
        quote = " … ".join(u.text for u in chosen if u.hit == hi)
        citations.append(Citation(n=n, source=h.source, title=h.title, date=h.date,
                                  doc_type=h.doc_type, text=h.text, score=h.score,
                                  chunk_id=h.chunk_id, start=h.start, end=h.end, quote=quote))
    return Answer(question=q.text, answer="\n\n".join(parts), language=lang, abstained=False,
                  citations=tuple(citations), answerer=answerer)
