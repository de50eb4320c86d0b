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


def standalone(question: str, history: list[tuple[str, str]] | None) -> str:
    """Rewrite "and for drug abuse?" after "What is the homelessness target?" as
    "What is the drug abuse target?": the new subject replaces the previous question's topic."""
    if not history or not is_follow_up(question):
        return question
    previous = history[-1][0]
    subject = _FILLER.sub("", question).strip(" ?.!")
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
