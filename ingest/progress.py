"""Goal progress: which measurements belong to a goal, and whether the goal was met.

A measurement belongs to a goal when the topic is the same, the place is the same (the nation,
or one municipality), the population is the same (a figure for 18-24-year-olds belongs only to a
goal for them, never to one for everybody) and the unit fits (a share to a share target, a count
to a count target). Changes ("steg med 21 pct.") are never compared with a level.

The status of a goal, from its target, baseline and deadline and the linked measurements:
- superseded: a newer goal replaced it (it says which);
- met / not met: a measurement for the deadline year meets the target, or does not;
- on track / off track: the deadline has not passed, and the latest measurement is at or past
  the straight line from the baseline to the target, or it is not (a goal that states no
  baseline: the line starts at the earliest figure linked to it; with a single figure, unknown);
- unknown: no measurement for the deadline year (after the deadline has passed), no
  measurement at all, or no number to compare with.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ingest.measurements import _AGE, _MUNICIPALITY, _REGION, COHORT, ONE_AGE
from ingest.models import Goal, Measurement
from ingest.numbers import find_quantities
from ingest.text import content_terms

_GROUP_WORDS = re.compile(r"\b(unge|young|youth|børn|children|ældre|elderly|kvinder|women|mænd|men|piger|drenge|"
                          r"girls|boys)\b", re.I)
_COUNT_UNITS = {"", "persons", "deaths", "days", "places", "households", "cases", "dwellings",
                "schools", "weeks", "months", "tonnes", "kr.", "million kr."}


@dataclass(frozen=True)
class Progress:
    goal: Goal
    status: str  # met, not_met, on_track, off_track, not_yet, unknown, superseded
    measurement: Measurement | None  # the figure the status rests on (or the latest one)
    target: float | None  # the level the goal asks for
    bound: str | None  # at_most / below / at_least / above / exactly
    baseline: float | None
    baseline_year: int | None
    measurements: tuple[Measurement, ...] = ()  # all linked, by year


def place_of(text: str) -> str | None:
    """A municipality or region a text names ('Østervig Kommune, Socialudvalget' -> Østervig)."""
    m = _MUNICIPALITY.search(text or "")
    if m:
        return m.group(1) or m.group(2)
    r = _REGION.search(text or "")
    return r.group(1) if r else None


def place_in_lower_case(text: str, places) -> str | None:
    """The place of `places` a question typed in lower case names ("hvad er tangholms mål",
    "how far off is lindeskov"), as `places` spells it; a stop word is never one."""
    from ingest.text import DA_STOP, EN_STOP

    spelled = {p.lower(): p for p in places}
    for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text.lower()):
        if w in DA_STOP or w in EN_STOP:
            continue
        for cand in (w, w[:-1] if w.endswith("s") else ""):
            if cand in spelled:
                return spelled[cand]
    return None


def goal_place(g: Goal, doc_place: str | None = None) -> str:
    setter = (g.set_by or "").lower()
    if any(w in setter for w in ("regering", "minist", "folketing", "government", "parliament")):
        return "national"
    return place_of(g.set_by or "") or place_of(g.programme or "") or place_of(g.text) or doc_place \
        or "national"


def is_subpopulation(scope: str) -> bool:
    return bool(_AGE.search(scope) or _GROUP_WORDS.fullmatch(scope.strip()))


def _same_group(scope: str, goal: Goal) -> bool:
    text = f"{goal.target_group or ''} {goal.indicator or ''} {goal.text}"
    ages = re.findall(r"\d{1,2}", " ".join(a.group(0) for a in _AGE.finditer(scope)))
    if ages:
        # the goal's first age group (its indicator and its sentence both name it: once)
        goal_ages = list(dict.fromkeys(re.findall(r"\d{1,2}", " ".join(a.group(0) for a in _AGE.finditer(text)))))
        return bool(goal_ages) and goal_ages[:2] == list(dict.fromkeys(ages))[:2]
    word = _GROUP_WORDS.search(scope)
    return bool(word and re.search(rf"\b{re.escape(word.group(1)[:4])}", text, re.I))


def _counts_group(goal: Goal, m: Measurement) -> bool:
    """The goal's group word is what the measurement counts (its indicator), with no age."""
    word = _GROUP_WORDS.search(f"{goal.target_group or ''} {goal.text}")
    return bool(word and not _AGE.search(goal.text) and re.search(rf"\b{re.escape(word.group(1)[:4])}",
                                                                   m.indicator, re.I))


def _goal_group(goal: Goal) -> bool:
    """Whether the goal is for a sub-population (an age group, young people, the elderly)."""
    text = f"{goal.target_group or ''} {goal.text}"
    return bool(_AGE.search(text) or re.search(r"\b(unge|young people|youth|ældre over|børn)\b", text, re.I))


def target_of(g: Goal, baseline: float | None) -> tuple[float | None, str | None, str]:
    """(level, bound, unit kind 'share'|'count') the goal asks for; a relative change needs the
    baseline ("halveres" from 1.104 is at most 552)."""
    if g.change is not None and g.target_value is not None and g.target_value.bound is None:
        # "halveres i forhold til niveauet i 2022, hvor der blev registreret 1.104": the number
        # without a bound is the level the change starts from
        baseline = baseline if baseline is not None else g.target_value.value
    elif g.target_value is not None:
        q = g.target_value
        bound = q.bound or ("at_most" if g.direction == "decrease" else "at_least")
        return q.value, bound, "share" if q.unit == "%" else "count"
    if g.change is not None and baseline is not None:
        v = g.change.value
        down = g.direction == "decrease"
        if g.change.unit == "percentage points":
            return (baseline - v if down else baseline + v), ("at_most" if down else "at_least"), "share"
        if g.change.unit == "%":
            level = baseline * (1 - v / 100) if down else baseline * (1 + v / 100)
            return level, ("at_most" if down else "at_least"), "count"
    return None, None, "count"


def links(g: Goal, measurements: list[Measurement], doc_places: dict[str, str]) -> list[Measurement]:
    """The measurements that belong to the goal, oldest first."""
    place = goal_place(g, doc_places.get(g.doc_id))
    group = _goal_group(g)
    _, _, unit_kind = target_of(g, None)
    if g.target_value is None and g.change is not None and g.change.unit == "percentage points":
        unit_kind = "share"
    out = []
    for m in measurements:
        if m.kind == "change" or m.year is None:
            continue
        if m.topic != g.topic and not ("other" in (m.topic, g.topic) and _indicator_fit(g, m, empty=0.0) >= 0.8):
            # topics are read from each document's own words: a goal filed under no topic is still
            # measured by a figure whose indicator says what the goal counts ("udeblivelser")
            continue
        one_age = ONE_AGE.fullmatch(m.scope.strip())
        if one_age:
            # a table row by age ("Alder: 5 år"): the figure of that age in the document's place,
            # for a goal that names the age ("Andelen af 5-årige uden huller")
            if doc_places.get(m.doc_id, "national") != place or not re.search(
                    rf"(?<![\d-]){one_age.group(1)}(?:-årige|\s*år\b|-year-olds?|\s*years?\b)",
                    f"{g.target_group or ''} {g.indicator or ''} {g.text}", re.I):
                continue
        else:
            sub = is_subpopulation(m.scope)
            m_place = doc_places.get(m.doc_id, "national") if sub else m.scope
            if sub and _COUNTRY.search(m.text):
                m_place = "national"  # "På landsplan var 8,9 procent af de 16-24-årige": the country's
            if m_place != place:
                continue
            if group and not sub and (_SAME_GROUP_AGAIN.search(m.text) or _counts_group(g, m)):
                # "Dermed udgør gruppen nu 8,1 procent af de unge i aldersgruppen": the group again;
                # "41.600 børn i familier med lav indkomst" for "højst 25.000 børn": what both count
                pass
            elif sub != group or (sub and not _same_group(m.scope, g)):
                continue
        if (m.kind == "share") != (unit_kind == "share") or (m.kind == "count" and m.unit not in _COUNT_UNITS):
            continue
        if _other_cohort(g, m):
            continue  # the goal is for those born in 2014, the figure for those born in 2013
        fit = _indicator_fit(g, m)
        if fit < 0.5:
            continue  # "gadehjemløse" is not everyone in homelessness
        out.append((fit, m))
    # one figure a year: the one whose words fit the goal best, then the newest document's
    best: dict[int, tuple[float, Measurement]] = {}
    for fit, m in out:
        held = best.get(m.year)
        if held is None or (fit, m.doc_date or "") > (held[0], held[1].doc_date or ""):
            best[m.year] = (fit, m)
    return [best[y][1] for y in sorted(best)]


_GENERIC = frozenset(content_terms(
    "antal antallet andel andelen borgere personer procent pct mindst højst under over skal øges "
    "reduceres nedbringes halveres halveret halvering forhold niveau niveauet mål målet frem mod inden "
    "senest udgangen være flere færre end årige år skoleår skoleåret number share people persons reduce "
    "halve increase year school "
    # the population is checked on its own (an age group, young people), not as indicator words
    "unge ung ældre børn mellem og young people children elderly aged "
    # nor who answered or in which grade ("andelen af elever i 4.-9. klasse, der svarer, at …"):
    # what they answered is the indicator
    "elev elever eleverne pupils students klasse klassetrin grade grades svarer svare svarede answer answered "
    # who set the goal is not what it counts
    "regeringen regering kommunen kommune byrådet byråd udvalget government council municipality har som vil"))


_COUNTRY = re.compile(r"\b(på landsplan|i hele landet|landsgennemsnit\w*|nationalt set|nationally|"
                      r"nationwide|across the country|the national average)\b", re.I)
# A figure for "the age group" or "this group": the group the sentences before it named
_SAME_GROUP_AGAIN = re.compile(r"\b(aldersgruppen|gruppen|denne gruppe|the age group|this group|that group)\b", re.I)


def _indicator_fit(g: Goal, m: Measurement, empty: float = 1.0) -> float:
    """The share of the goal's indicator words (stems) that the measurement's indicator or
    sentence has: what the goal counts must be what was counted."""
    have = set(content_terms(f"{m.indicator} {m.text}"))

    def fit(text: str, empty: float = 1.0) -> float:
        want = {t for t in set(content_terms(text)) - _GENERIC if not t[:1].isdigit()}
        if not want:
            return empty
        return sum(1 for t in want if t in have or any(h.startswith(t) or t.startswith(h)
                                                         for h in have if len(h) >= 5)) / len(want)

    # the indicator as extracted, or the goal's own words where they fit better (an indicator
    # read from prose can be "Regeringen har som mål, at højst 25.000 børn"), or what the
    # target figure is of ("et mål om, at højst 15 pct. af eleverne skulle have et bekymrende
    # fravær"), where the rest of the sentence names who set it and when
    if g.indicator and set(content_terms(g.indicator)) - set(content_terms(g.text)):
        # "Målet er mindst 90 pct. i skoleåret 2029/30.": the indicator is the sentence before's,
        # and the goal's own words say nothing of what it counts
        return fit(g.indicator, empty)
    best = max(fit(g.indicator or g.text, empty), fit(g.text, empty)) if g.indicator else fit(g.text, empty)
    return max(best, fit(_target_clause(g), empty=0.0))


def _target_clause(g: Goal) -> str:
    """The words after a number-led goal's target figure, up to its deadline or the clause's end:
    "højst 15 pct. af eleverne skulle have et bekymrende fravær i skoleåret 2024/25" -> "af eleverne
    skulle have et bekymrende fravær". Empty for a goal that names its subject first."""
    t = g.target_value
    if t is None:
        return ""
    for m in find_quantities(g.text):
        if m.quantity.value == t.value and m.quantity.unit == t.unit:
            rest = g.text[m.end:]
            cut = re.search(r"\.(?=\s+[A-ZÆØÅ]|\s*$)|[;:](?:\s|$)|\s(?:i|in|inden|senest|frem mod|by|til|to)\s+(?:skoleåret\s+|"
                            r"the school year\s+|udgangen af\s+|the end of\s+)?(?:19|20)\d\d", rest)
            return rest[:cut.start()] if cut else rest
    return ""


def _other_cohort(g: Goal, m: Measurement) -> bool:
    """Whether goal and figure name different birth cohorts ("årgang 2014", "Årgang: 2013")."""
    wanted = {int(y) for y in COHORT.findall(f"{g.text} {g.indicator or ''}")}
    said = {int(y) for y in COHORT.findall(f"{m.indicator} {m.text}")}
    return bool(wanted and said and not wanted & said)


def _meets(value: float, target: float, bound: str | None) -> bool:
    if bound in ("at_most",):
        return value <= target
    if bound == "below":
        return value < target
    if bound == "at_least":
        return value >= target
    if bound == "above":
        return value > target
    return abs(value - target) < 1e-9


def progress(g: Goal, measurements: list[Measurement], doc_places: dict[str, str],
             this_year: int | None = None) -> Progress:
    this_year = this_year or datetime.date.today().year
    linked = links(g, measurements, doc_places)
    baseline, baseline_year = (g.baseline.value if g.baseline else None), g.baseline_year
    if baseline is None and g.change is not None and g.target_value is not None and g.target_value.bound is None:
        baseline = g.target_value.value  # see target_of
    if baseline is None and baseline_year is not None:
        at_base = [m for m in linked if m.year == baseline_year]
        if at_base:
            baseline = at_base[-1].value
    target, bound, _ = target_of(g, baseline)

    def result(status: str, m: Measurement | None) -> Progress:
        return Progress(g, status, m, target, bound, baseline, baseline_year, tuple(linked))

    latest = linked[-1] if linked else None
    at_deadline = [m for m in linked if g.deadline is not None and m.year == g.deadline]
    if at_deadline and target is not None:
        # a figure for the deadline answers "was it met?" even for a goal replaced since
        m = at_deadline[-1]
        return result("met" if _meets(m.value, target, bound) else "not_met", m)
    if g.superseded_by:
        return result("superseded", latest)
    if target is None or g.deadline is None:
        return result("unknown", latest)
    before = [m for m in linked if m.year < g.deadline]
    if g.deadline >= this_year and before:
        m = before[-1]
        if _meets(m.value, target, bound):
            return result("on_track", m)
        start, start_year = baseline, baseline_year
        if (start is None or start_year is None) and linked[0].year < m.year:
            # a goal that states no baseline: the line starts at the earliest figure linked to it
            start, start_year = linked[0].value, linked[0].year
        if start is None or start_year is None or m.year <= start_year:
            # one figure, no line to hold it against: short of the target, with time left
            return result("not_yet", m)
        share = (m.year - start_year) / (g.deadline - start_year)
        line = start + (target - start) * share
        ahead = m.value <= line if bound in ("at_most", "below") else m.value >= line
        return result("on_track" if ahead else "off_track", m)
    return result("unknown", before[-1] if before else latest)


def place_of_document(row) -> str:
    """'national' or the municipality a stored document (a catalog row) is from."""
    from ingest.measurements import _document_scope
    from ingest.models import Document

    if row is None:
        return "national"
    return _document_scope(Document(row["doc_id"], row["source"], row["path"], row["title"] or "",
                                    row["date"], row["doc_type"], row["issuer"], row["language"],
                                    row["text"] or ""))


def document_places(catalog) -> dict[str, str]:
    """doc_id -> 'national' or the municipality, for every stored document."""
    return {r["doc_id"]: place_of_document(catalog.document_by_id(r["doc_id"])) for r in catalog.documents()}


def progress_by_goal(catalog, goals: list[Goal] | None = None) -> dict[str, Progress]:
    """The progress of each goal in the store (for the goals table, its CSV and JSON)."""
    goals = catalog.goals() if goals is None else goals
    measurements = catalog.measurements()
    places = document_places(catalog) if measurements else {}
    return {g.goal_id: progress(g, measurements, places) for g in goals}


STATUS_LABELS = {
    "da": {"met": "nået", "not_met": "ikke nået", "on_track": "på vej", "off_track": "bagud",
           "not_yet": "endnu ikke nået", "unknown": "ukendt", "superseded": "afløst"},
    "en": {"met": "met", "not_met": "not met", "on_track": "on track", "off_track": "off track",
           "not_yet": "not reached yet", "unknown": "unknown", "superseded": "superseded"},
}


def progress_label(p: Progress | None, lang: str = "en") -> str:
    """'ikke nået (790 i 2026)': the status and the figure it rests on."""
    if p is None:
        return ""
    label = STATUS_LABELS["da" if lang == "da" else "en"][p.status]
    m = p.measurement
    if m is None:
        return label
    from ingest.numbers import format_number

    value = format_number(m.value, lang) + (" %" if m.kind == "share" else "")
    return f"{label} ({value} {'i' if lang == 'da' else 'in'} {m.year})"
