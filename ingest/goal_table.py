"""The goals table: filtering, and rendering as JSON rows, CSV and a terminal table."""

from __future__ import annotations

import re
from dataclasses import asdict

from policyqa.spreadsheet import csv_text
from ingest.models import Goal
from ingest.numbers import format_quantity
from ingest.topics import BY_KEY, classify

COLUMNS = ("announced", "programme", "set_by", "area", "topic", "indicator", "direction",
           "change", "target_value", "deadline", "kind", "status", "source", "text")


def filter_goals(goals: list[Goal], *, topic: str | None = None, programme: str | None = None,
                 year: int | None = None, kind: str | None = None, query: str | None = None) -> list[Goal]:
    """Goals matching every filter given; topic by key, label or any word that names it."""
    out = goals
    if topic:
        key = topic if topic in BY_KEY else classify(topic).key
        out = [g for g in out if g.topic == key or topic.lower() in (g.topic_da + g.topic_en).lower()]
    if programme:
        out = [g for g in out if programme.lower() in (g.programme or "").lower()]
    if year:
        out = [g for g in out if g.deadline == year or (g.announced or "").startswith(str(year))]
    if kind:
        out = [g for g in out if g.kind == kind]
    if query:
        q = query.lower()
        out = [g for g in out if q in " ".join(str(v) for v in asdict(g).values()).lower()]
    return sorted(out, key=lambda g: (g.topic, g.announced or g.doc_date or "", g.start))


def status(g: Goal) -> str:
    return "superseded" if g.superseded_by else "current"


def goals_json_rows(goals: list[Goal]) -> list[dict]:
    rows = []
    for g in goals:
        d = asdict(g)
        d["supersedes"] = list(d["supersedes"])
        d["status"] = status(g)
        rows.append(d)
    return rows


def flat_row(g: Goal, lang: str = "en") -> dict:
    return {
        "announced": g.announced or g.doc_date or "",
        "programme": g.programme or "",
        "set_by": g.set_by or "",
        "area": g.area or "",
        "topic": g.topic_da if lang == "da" else g.topic_en,
        "indicator": g.indicator or "",
        "direction": g.direction or "",
        "change": format_quantity(g.change, lang) if g.change else "",
        "target_value": format_quantity(g.target_value, lang) if g.target_value else "",
        "deadline": g.deadline or "",
        "kind": g.kind,
        "status": status(g),
        "source": g.source,
        "text": re.sub(r"\s+", " ", g.text.lstrip("• ")),
    }


def goals_csv(goals: list[Goal], lang: str = "en") -> str:
    """Goals as CSV, cells neutralised against formula injection (they quote documents)."""
    rows = (flat_row(g, lang) | {"goal_id": g.goal_id, "superseded_by": g.superseded_by or ""}
            for g in goals)
    return csv_text(rows, list(COLUMNS) + ["goal_id", "superseded_by"])


def goals_table(goals: list[Goal]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("announced", "programme", "area", "topic", "change", "target_value", "deadline",
                "kind", "status", "source"):
        table.add_column(col)
    for g in goals:
        r = flat_row(g)
        table.add_row(*(str(r[c]) for c in ("announced", "programme", "area", "topic", "change",
                                             "target_value", "deadline", "kind", "status", "source")))
    Console().print(table)
    Console().print(f"{len(goals)} goals")
