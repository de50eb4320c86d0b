"""Answer "what is the target for X?" from Goal records: newest first, replacements stated, cited."""

from __future__ import annotations

import re
from dataclasses import asdict

from assistant.models import Answer, Citation
from assistant.templates import t
from assistant.question import ASKS_NATIONAL, Question
from ingest.models import Goal
from ingest.numbers import format_quantity, years_in
from ingest.progress import place_in_lower_case
from assistant.evidence import missing_qualifier, stem_match
from ingest.text import content_terms
from ingest.topics import BY_KEY

_YOUNG = re.compile(r"\b(young|youth|children|kids|unge|ungdom\w*|børn\w*|teenage\w*)\b", re.I)
_ADULT = re.compile(r"\b(adults?|voksne|voksenområdet)\b", re.I)
_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][a-zæøå-]+)\s+(?:[Kk]ommunes?|[Mm]unicipality'?s?)\b|"
                           r"\b(?:i|in)\s+([A-ZÆØÅ][a-zæøå-]+)\b|\b([A-ZÆØÅ][a-zæøå-]+)s\s+(?:mål|targets?|goals?)\b|"
                           r"\b([A-ZÆØÅ][a-zæøå-]+)'s?\b")

DIRECTION = {
    "en": {"decrease": "reduce", "increase": "increase", "improve": "improve",
           "maintain": "maintain"},
    "da": {"decrease": "reduceres", "increase": "øges", "improve": "forbedres",
           "maintain": "fastholdes"},
}
KIND = {
    "en": {"numeric_target": "numeric target", "direction_only": "direction, no number",
           "intention": "intention to set a goal"},
    "da": {"numeric_target": "måltal", "direction_only": "retning uden måltal",
           "intention": "hensigt om at opstille mål"},
}


def goal_summary(g: Goal, lang: str) -> str:
    """One line in words: what changes, by how much, to what level, by when."""
    lang = "da" if lang == "da" else "en"
    topic = g.topic_da if lang == "da" else g.topic_en
    if g.kind == "intention":
        return (f"{topic}: {KIND[lang]['intention']}" if lang == "en"
                else f"{topic}: {KIND[lang]['intention']}")
    parts = []
    if g.direction:
        parts.append(DIRECTION[lang][g.direction])
    if g.change:
        parts.append(("by " if lang == "en" else "med ") + format_quantity(g.change, lang))
    if g.target_value:
        parts.append(("to " if lang == "en" else "til ") + format_quantity(g.target_value, lang))
    if g.baseline:
        parts.append(("from " if lang == "en" else "fra ") + format_quantity(g.baseline, lang)
                     + (f" ({g.baseline_year})" if g.baseline_year else ""))
    if g.deadline:
        parts.append(("by " if lang == "en" else "frem mod ") + str(g.deadline))
    if g.kind == "direction_only":
        parts.append(f"({KIND[lang]['direction_only']})")
    return f"{topic}: {' '.join(parts)}"


def select_goals(q: Question, goals: list[Goal], place=None) -> list[Goal]:
    """The goals a goal question asks about; empty when the records do not cover it.

    `place(goal)` is where a goal applies ('national' or a municipality, from its setter or its
    document); without it, a goal's place is what its setter and programme name."""
    if not goals:
        return []

    def of(g: Goal, name: str) -> bool:
        name = name.lower()
        return (name in (g.set_by or "").lower() or name in (g.programme or "").lower()
                or (place is not None and place(g).lower() == name))

    pool = goals
    m = _MUNICIPALITY.search(q.text)
    named = next((x for x in (m.group(1), m.group(2), m.group(3), m.group(4)) if x), None) if m else None
    if named and named.lower() in _NOT_PLACES:
        named = None
    if not named:
        # "Hvilket mål har Kildeholt sat …": a name in the question that set goals in the records
        named = next((e for e in q.entities if not e[:1].isdigit() and e.lower() not in _NOT_PLACES
                      and any(of(g, e) for g in goals)), None)
    if not named and place is not None:
        # "hvad er tangholms nye mål …" typed in lower case: a word that is the place of some goal
        named = place_in_lower_case(q.text, {place(g).lower() for g in goals} - {"national"})
    if named and named.lower() not in ("danmark", "denmark"):
        local = [g for g in pool if of(g, named)]
        if not local:
            return []  # the question is about a municipality whose goals we do not have
        pool = local
    elif re.search(r"\b(kommunal\w*|kommunerne\w*|kommunernes|municipal\w*|local)\b", q.text, re.I):
        pool = [g for g in pool if not _national(g)]  # "the municipal targets"
    elif any(_national(g) for g in pool):
        # no municipality named: national goals answer "what is the target for X?", and
        # municipal goals only where there are no national ones on the topic
        national = [g for g in pool if _national(g)]
        covered = {g.topic for g in national}
        pool = national + [g for g in pool if not _national(g) and g.topic not in covered]
    # "i 2029/30", "skoleåret 2027/28": the year a school year ends in, as goal deadlines have it
    years = {y for _, y in years_in(q.text)}
    if years:
        # a year after "frem mod", "inden", "by" is a deadline, never the year a goal was set
        # (a municipality sets goals in several years; "frem mod 2021" names one of them);
        # another year may be any of the three ("the 2020 social goals", "the 2016 goals")
        deadlines = {int(m.group(1)) for m in _DEADLINE_YEAR.finditer(q.text)}
        dated = [g for g in pool if g.deadline in years
                 or (not deadlines and (_year(g.announced) in years
                                        or any(str(y) in (g.programme or "") for y in years)))]
        if not dated:
            return []  # "the 2030 target": no goal has that year
        pool = dated
    topics = [k for k in q.topics if k != "socially_vulnerable"] or list(q.topics)
    best, best_score = None, -1
    for key in topics:
        hits = [g for g in pool if g.topic == key]
        if not hits:
            continue
        # the topic whose goal texts share most words with the question
        text_stems = set(content_terms(" ".join(g.text + " " + g.topic_da for g in hits)))
        score = sum(1 for c in q.concepts if any(stem_match(t, text_stems) for t in c))
        if score > best_score:
            best, best_score = hits, score
    if best:
        # a goal of the same documents filed under another topic, which shares more of the
        # question's words than any goal of the chosen topic, is asked about too: "faldulykker
        # blandt ældre" is a health goal ("faldrelaterede indlæggelser") in a list of
        # elderly-care goals
        def shared(g: Goal) -> int:
            stems = set(content_terms(f"{g.text} {g.topic_da}"))
            return sum(1 for c in q.concepts if any(stem_match(t, stems) for t in c))

        docs = {g.doc_id for g in best}
        top = max(map(shared, best))
        closer = [g for g in pool if g.doc_id in docs and g.topic not in topics and shared(g) > top]
        return _order(closer) + _order(best) if closer else _order(best)
    if q.topics and not q.list_question:
        return []
    if _YOUNG.search(q.text):
        young = [g for g in pool if g.area == "children and young people"
                 or _YOUNG.search(f"{g.target_group or ''} {g.text}")]
        return _order(young)
    if _ADULT.search(q.text):
        return _order([g for g in pool if g.area == "adults"])
    if q.list_question or years:
        return _order(pool)
    return []


_NOT_PLACES = {"regeringen", "regeringens", "government", "the", "danish", "dansk", "dette", "det",
               "hvad", "what", "hvilke", "which", "de", "den", "denmark", "danmark", "minister",
               "council", "rådet", "it", "that", "there", "who", "where"}


_DEADLINE_YEAR = re.compile(r"\b(?:frem mod|frem til|inden(?: udgangen af)?|senest(?: i)?|by(?: the end of)?|"
                            r"before|no later than)\s+((?:19|20)\d\d)\b", re.I)


def _national(g: Goal) -> bool:
    s = (g.set_by or "").lower()
    return "regering" in s or "minist" in s or "folketing" in s


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _order(goals: list[Goal]) -> list[Goal]:
    """Newest first; national goals before municipal ones at the same date."""
    return sorted(goals, key=lambda g: (g.announced or g.doc_date or "", -g.start), reverse=True)


def by_relevance(q: Question, goals: list[Goal]) -> list[Goal]:
    """The goals whose own words cover most of the question's concepts first (the one asked
    about leads the answer); ties keep select_goals' order, newest first."""
    def covered(g: Goal) -> int:
        stems = set(content_terms(" ".join(x for x in (g.text, g.indicator, g.target_group,
                                                       g.topic_da) if x)))
        return sum(1 for concept in q.concepts if any(t in stems for t in concept))

    order = {g.goal_id: i for i, g in enumerate(goals)}
    return sorted(goals, key=lambda g: (-covered(g), order[g.goal_id]))


class GoalAnswerer:
    name = "goals"
    max_goals = 12

    def __init__(self, catalog):
        self.catalog = catalog

    max_chars = 450  # the whole answer; the full list stays in the JSON `goals` and `policyqa goals`

    def answer(self, q: Question, goals: list[Goal], place=None) -> Answer | None:
        chosen = select_goals(q, goals, place)[: self.max_goals]
        # "the target for young people under 25": a goal for everyone does not answer it
        chosen = [g for g in chosen if missing_qualifier(q, " ".join(
            x for x in (g.text, g.target_group, g.indicator, g.area) if x)) is None]
        if not chosen:
            return None
        lang = "da" if q.language == "da" else "en"
        if ASKS_NATIONAL.search(q.text) and not any(_national(g) for g in chosen):
            return self._instead(q, by_relevance(q, chosen)[0], lang)
        shown = by_relevance(q, chosen)
        rows = self.catalog.chunks_by_id([g.chunk_id for g in shown if g.chunk_id])
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        lines: list[str] = []
        index = {g.goal_id: g for g in chosen}
        head = ("Målene i dokumenterne:" if lang == "da" else "The goals in the documents:")
        used = len(head)
        left_out = 0
        # the newest goal with a number is never left out behind a goal without one
        numeric = next((g for g in shown if g.kind == "numeric_target"), None)
        if numeric is not None and shown and shown[0].kind != "numeric_target":
            shown = [shown[0], numeric] + [g for g in shown[1:] if g is not numeric]
        for g in shown:
            row = rows.get(g.chunk_id or "")
            if row is None:
                continue
            n = numbers.get(g.chunk_id, len(numbers) + 1)
            line = self._line(g, lang, n, index, quote=not lines)  # one quote: the lead goal's
            if lines and used + len(line) + 1 > self.max_chars and not (g is numeric and len(lines) == 1):
                left_out += 1
                continue
            used += len(line) + 1
            if g.chunk_id not in numbers:
                numbers[g.chunk_id] = n
                citations.append(Citation.of_row(n, row, g.text))
            else:
                c = citations[n - 1]
                citations[n - 1] = Citation(**{**c.__dict__, "quote": f"{c.quote} … {g.text}"})
            lines.append(line)
        if not lines:
            return None
        if left_out:
            # no count: every number an answer states must stand in a cited passage
            lines.append("(Flere mål i måltabellen.)" if lang == "da" else "(More goals in the goals table.)")
        return Answer(question=q.text, answer=head + "\n" + "\n".join(lines), language=lang,
                      abstained=False, citations=tuple(citations),
                      goals=tuple(_goal_json(g) for g in chosen), answerer="goals")

    def _instead(self, q: Question, g: Goal, lang: str) -> Answer | None:
        """A national goal asked, and only municipalities have one on the topic: say so, and show
        the nearest local goal as what there is instead (cited, `abstained`)."""
        row = self.catalog.chunks_by_id([g.chunk_id]).get(g.chunk_id) if g.chunk_id else None
        if row is None:
            return None
        who = g.set_by or ""
        head = t(lang, "abstain", reason=t(lang, "reason_national", who=who))
        line = self._line(g, lang, 1, {g.goal_id: g})
        return Answer(question=q.text, answer=f"{head}\n\n{line}", language=lang, abstained=True,
                      citations=(Citation.of_row(1, row, g.text),), goals=(_goal_json(g),),
                      answerer="goals", unmet={"constraint": "national", "value": who})

    @staticmethod
    def _line(g: Goal, lang: str, n: int, index: dict[str, Goal], quote: bool = True) -> str:
        when = g.announced or g.doc_date
        who = ", ".join(x for x in (g.set_by, when) if x)
        head = " – ".join(x for x in ((when or "")[:4], g.programme or "") if x)
        head = f"{head} ({who})" if who else head
        said = " ".join(g.text.lstrip("• ").split())
        # the lead goal in the document's own words (they hold its numbers); the others as one
        # summary line each
        summary = goal_summary(g, lang)
        # the summary too where it says more than the goal's own words: a number they spell out
        # ("fire procent") or compute ("halveres": 50 %), or that the goal is only an intention
        spelled = g.kind != "intention" and _numbers_of(summary) <= _numbers_of(said)
        line = (f"• {head + ': ' if head else ''}»{said}«" + ("" if spelled else f" ({summary})") + f" [{n}]"
                if quote else f"• {head + ': ' if head else ''}{summary}. [{n}]")
        if g.superseded_by:
            newer = index.get(g.superseded_by)
            year = (newer.announced or newer.doc_date or "")[:4] if newer else ""
            line += (f" Afløst af et senere mål{' fra ' + year if year else ''}."
                     if lang == "da" else f" Replaced by a later goal{' from ' + year if year else ''}.")
        if any(o.superseded_by == g.goal_id for o in index.values()):
            line += (" Erstatter et tidligere mål." if lang == "da" else " It replaced an earlier goal.")
        return line


def _numbers_of(text: str) -> set[float]:
    """The numbers a text states in figures (Danish or English style)."""
    from ingest.numbers import parse_number

    return {v for v in (parse_number(x) for x in re.findall(r"\d[\d.,]*\d|\d", text)) if v is not None}


def _goal_json(g: Goal) -> dict:
    d = asdict(g)
    d["supersedes"] = list(d["supersedes"])
    topic = BY_KEY.get(g.topic)
    d["topic_label"] = {"da": g.topic_da, "en": g.topic_en} if topic else None
    return d
