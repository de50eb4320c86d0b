"""Follow-up questions made standalone from the previous turn, without an LLM."""

from __future__ import annotations

import re

from ingest.topics import topics_in

_FOLLOW_UP = re.compile(
    r"^\s*(and|what about|how about|and what about|same for|also|og|hvad med|hvad så med|"
    r"også|end|samme for|men)\b", re.I)
_QUESTION_WORD = re.compile(r"\b(hvad|hvem|hvilke|hvilken|hvor|hvornår|hvordan|what|who|which|"
                            r"where|when|how)\b", re.I)
_FILLER = re.compile(r"^\s*(and|and what about|what about|how about|same for|also|og|hvad med|"
                     r"hvad så med|også|samme for|men)\s+(for|about|regarding|om|for|med)?\s*", re.I)


# "Blev det nået?", "Is that still the target?", "Betyder det, at kommunen …": a question that
# points back at the last one, and names no subject of its own
_REFERS_BACK = re.compile(r"\b(det|dette|denne|dem|kommunen|målet|tallet|han|hun|it|that|this|they|them|"
                          r"he|she|the municipality|the target|the goal|the figure)\b", re.I)


# "Is that still the target …?", "Er det stadig målet …?": the subject is the last answer's
_POINTS_BACK = re.compile(r"^\s*(og\s+|and\s+|men\s+|but\s+)?(is|was|are|were|has|have|does|did|er|var|"
                          r"blev|bliver|har|gælder)\s+(that|it|this|those|these|det|dette|den|denne|de)\b", re.I)


def refers_back(question: str) -> bool:
    q = question.strip()
    if _POINTS_BACK.search(q):
        return True
    if not _REFERS_BACK.search(q) or topics_in(q):
        return False
    named = re.findall(r"(?<!^)(?<![.?!]\s)\b[A-ZÆØÅ][a-zæøå]+", q)  # a name after the first word
    return not named and not re.search(r"\b(19|20)\d\d\b", q)


def is_follow_up(question: str) -> bool:
    q = question.strip()
    if _FOLLOW_UP.search(q):
        return True
    return (len(q.split()) <= 3 and not _QUESTION_WORD.search(q)) or refers_back(q)


# "dem på 80 år og derover", "among women": words around a group that say nothing of their own
_GROUP_FILLER = re.compile(r"\b(blandt|among|for|hos|dem|de|those|people|persons|personer|borgere|på|i alderen|"
                           r"aged|the|group|gruppen|age group|aldersgruppen|af dem|of them|var|were|was)\b", re.I)
_GENDER = re.compile(r"\b(kvinder\w*|mænd\w*|piger\w*|drenge\w*|women|men|girls|boys)\b", re.I)
# the previous question's age group, also the short "over 65" that names no unit
_AGE_SHORT = re.compile(r"\b(?:over|under|above|below)\s+\d{1,2}\b(?![.,]\d)(?!\s*(?:pct|procent|per|%))", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "og året før?", "and the year before?": a year counted from the previous question's
_YEAR_BEFORE = re.compile(r"\b(året før|året inden|forrige år|the year before|the previous year|a year earlier)\b", re.I)
_YEAR_AFTER = re.compile(r"\b(året efter|the year after|the following year)\b", re.I)
# what is left of "and how many was it in 2021?" once the year is gone: only the same question again
_SAME_ASK = re.compile(r"\b(hvad|hvor|mange|stor|meget|var|er|det|den|så|tallet|andelen|antallet|how|what|many|"
                       r"much|was|is|it|that|the|figure|number|share|then|i|in|for|at|end|of|udgangen|af|"
                       r"year|året)\b", re.I)


def _new_qualifier(subject: str, previous: str) -> str | None:
    """The previous question asked anew for another year or another group: "And how many was it
    in 2021?" after a question about 2025 is that question about 2021; "Og blandt kvinderne?" and
    "Og hvad med dem på 80 år og derover?" narrow it to women or swap its age group. None where the
    follow-up asks something of its own."""
    from ingest.measurements import age_phrases

    years = _YEAR.findall(subject)
    before, after = _YEAR_BEFORE.search(subject), _YEAR_AFTER.search(subject)
    old_years = _YEAR.findall(previous)
    if (years or before or after) and len(set(old_years)) == 1:
        rest = _SAME_ASK.sub(" ", _YEAR.sub(" ", _YEAR_BEFORE.sub(" ", _YEAR_AFTER.sub(" ", subject))))
        if not re.sub(r"[\W_]+", "", rest):
            old = old_years[0]
            new = years[0] if years else str(int(old) + (-1 if before else 1))
            return re.sub(rf"\b{old}\b", new, previous)
    ages = age_phrases(subject)
    gender = _GENDER.search(subject)
    if not (ages or gender) or topics_in(subject):
        return None
    rest = _GENDER.sub(" ", subject)
    for age in ages:
        rest = rest.replace(age, " ")
    if re.sub(r"[\W_]+", "", _GROUP_FILLER.sub(" ", rest)):
        return None  # "and for the Danish module tests?": more than a group
    old_ages = age_phrases(previous) or _AGE_SHORT.findall(previous)
    if ages and len(old_ages) == 1:
        return previous.replace(old_ages[0], ages[0], 1)
    return f"{previous.rstrip(' ?')} {subject}?"


def _strip_filler(question: str) -> str:
    """"Og hvad med dem på 80 år?" -> "dem på 80 år": every leading "and", "what about"."""
    text = question
    while True:
        stripped = _FILLER.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def restated(question: str, history: list[tuple[str, str]] | None) -> bool:
    """The follow-up is the previous question asked anew for another year or group, so its
    rewrite is a whole question of its own words (not partly the last question's)."""
    if not history or not is_follow_up(question):
        return False
    return _new_qualifier(_strip_filler(question).strip(" ?.!"), history[-1][0]) is not None


def standalone(question: str, history: list[tuple[str, str]] | None) -> str:
    """Rewrite "and for drug abuse?" after "What is the homelessness target?" as
    "What is the drug abuse target?": the new subject replaces the previous question's topic."""
    if not history or not is_follow_up(question):
        return question
    previous = history[-1][0]
    subject = _strip_filler(question).strip(" ?.!")
    swapped = _new_qualifier(subject, previous)
    if swapped:
        return swapped
    if _QUESTION_WORD.search(subject) or refers_back(question):
        # "and who chairs it?": a new question about the previous subject
        context = _QUESTION_WORD.sub("", previous, count=1).strip(" ?")
        context = re.sub(r"^(is|are|was|er|var|the|det|den)\s+", "", context, flags=re.I)
        return f"{subject[:1].upper()}{subject[1:]} ({context})?"
    if not subject:
        return previous
    for topic in topics_in(previous):
        m = topic.pattern.search(previous)
        if m:
            # widen to the whole word(s) the topic matched ("homelessness", "hjemløse")
            a = m.start()
            while a > 0 and previous[a - 1].isalnum():
                a -= 1
            b = m.end()
            while b < len(previous) and (previous[b].isalnum() or previous[b] in "-"):
                b += 1
            return previous[:a] + subject + previous[b:]
    return f"{previous.rstrip(' ?')} — {subject}?"
