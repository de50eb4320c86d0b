"""The goals table: filtering, and rendering as JSON rows, CSV and a terminal table."""

from __future__ import annotations

import re
from dataclasses import asdict

from policyqa.spreadsheet import csv_text
from ingest.models import Goal
from ingest.numbers import format_quantity
from ingest.topics import BY_KEY, classify

COLUMNS = ("announced", "programme", "set_by", "area", "topic", "indicator", "direction",
           "change", "target_value", "deadline", "kind", "status", "progress", "source", "text")


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


def goals_json_rows(goals: list[Goal], progress: dict | None = None) -> list[dict]:
    rows = []
    for g in goals:
        d = asdict(g)
        d["supersedes"] = list(d["supersedes"])
        d["status"] = status(g)
        p = (progress or {}).get(g.goal_id)
        if p is not None:
            m = p.measurement
            d["progress"] = {"status": p.status, "target": p.target, "bound": p.bound,
                             "measurement": None if m is None else {
                                 "value": m.value, "unit": m.unit, "year": m.year, "scope": m.scope,
                                 "source": m.source, "text": m.text}}
        rows.append(d)
    return rows


def flat_row(g: Goal, lang: str = "en", progress: dict | None = None) -> dict:
    from ingest.progress import progress_label

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
        "progress": progress_label((progress or {}).get(g.goal_id), lang),
        "source": g.source,
        "text": re.sub(r"\s+", " ", g.text.lstrip("• ")),
    }


def goals_csv(goals: list[Goal], lang: str = "en", progress: dict | None = None) -> str:
    """Goals as CSV, cells neutralised against formula injection (they quote documents)."""
    rows = (flat_row(g, lang, progress) | {"goal_id": g.goal_id, "superseded_by": g.superseded_by or ""}
            for g in goals)
    return csv_text(rows, list(COLUMNS) + ["goal_id", "superseded_by"])


def goals_table(goals: list[Goal], progress: dict | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    cols = ("announced", "programme", "area", "topic", "change", "target_value", "deadline", "kind",
            "status", "progress", "source")
    table = Table(show_lines=False)
    for col in cols:
        table.add_column(col)
    for g in goals:
        r = flat_row(g, "en", progress)
        table.add_row(*(str(r[c]) for c in cols))
    Console().print(table)
    Console().print(f"{len(goals)} goals")


MEASUREMENT_COLUMNS = ("topic", "indicator", "value", "unit", "year", "period", "scope", "kind",
                       "source", "text")


def filter_measurements(measurements, *, topic: str | None = None) -> list:
    out = measurements
    if topic:
        key = topic if topic in BY_KEY else classify(topic).key
        out = [m for m in out if m.topic == key or topic.lower() in (m.topic_da + m.topic_en).lower()]
    return sorted(out, key=lambda m: (m.topic, m.scope, m.year or 0, m.source))


def measurement_row(m) -> dict:
    return {"topic": m.topic_en, "indicator": m.indicator, "value": m.value, "unit": m.unit,
            "year": m.year or "", "period": "-".join(map(str, m.period)) if m.period else "",
            "scope": m.scope, "kind": m.kind, "source": m.source, "text": " ".join(m.text.split())}


def measurements_csv(measurements) -> str:
    return csv_text((measurement_row(m) for m in measurements), list(MEASUREMENT_COLUMNS))


def measurements_table(measurements) -> None:
    from rich.console import Console
    from rich.table import Table

    cols = ("topic", "indicator", "value", "unit", "year", "period", "scope", "kind", "source")
    table = Table(show_lines=False)
    for col in cols:
        table.add_column(col)
    for m in measurements:
        r = measurement_row(m)
        table.add_row(*(str(r[c]) for c in cols))
    Console().print(table)
    Console().print(f"{len(measurements)} measurements")
