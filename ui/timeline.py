"""A topic's goals over the years: one lane per goal, from announcement to deadline, with its numbers."""

from __future__ import annotations

from ingest.models import Goal
from ingest.numbers import format_quantity


def goal_label(g: Goal, lang: str) -> str:
    parts = []
    if g.change:
        parts.append(format_quantity(g.change, lang))
    if g.target_value:
        parts.append(("til " if lang == "da" else "to ") + format_quantity(g.target_value, lang))
    if not parts:
        parts.append({"direction_only": "retning" if lang == "da" else "direction",
                      "intention": "hensigt" if lang == "da" else "intention"}.get(g.kind, g.kind))
    topic = g.topic_da if lang == "da" else g.topic_en
    return f"{topic}: {', '.join(parts)}"


def timeline_figure(goals: list[Goal], lang: str = "da"):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(goals, key=lambda g: (g.announced or g.doc_date or "", g.topic))[:40]
    fig, ax = plt.subplots(figsize=(9, 0.45 * max(len(rows), 2) + 1.2))
    if not rows:
        ax.text(0.5, 0.5, "Ingen mål" if lang == "da" else "No goals", ha="center", va="center")
        ax.axis("off")
        return fig
    years = []
    for y, g in enumerate(rows):
        start = int((g.announced or g.doc_date or "0")[:4] or 0)
        if not start:
            continue
        end = g.deadline or start + 1
        years += [start, end]
        color = "#9ca3af" if g.superseded_by else ("#2563eb" if g.kind == "numeric_target" else "#16a34a")
        ax.plot([start, end], [y, y], color=color, linewidth=6, solid_capstyle="round", alpha=0.85)
        ax.text(end + 0.15, y, goal_label(g, lang) + (f" (→ {g.deadline})" if g.deadline else ""),
                va="center", fontsize=8, color="#374151" if not g.superseded_by else "#9ca3af")
    ax.set_yticks(range(len(rows)), [(g.programme or g.source)[:38] for g in rows], fontsize=7)
    ax.invert_yaxis()
    if years:
        ax.set_xlim(min(years) - 0.5, max(years) + 9)
    ax.set_xlabel("År (fra annoncering til frist; grå = afløst)" if lang == "da"
                  else "Year (from announcement to deadline; grey = superseded)", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
