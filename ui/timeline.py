"""A topic's goals over the years: one lane per goal, from announcement to deadline, with its numbers."""

from __future__ import annotations

from ingest.models import Goal
from ui.render import target_text


def goal_label(g: Goal, lang: str) -> str:
    topic = g.topic_da if lang == "da" else g.topic_en
    return f"{topic}: {target_text(g, lang)}"


def _measured(progress: dict | None, rows: list[Goal]) -> list:
    """The goals with a number to reach and measurements linked to them, one unit kind only
    (shares and counts do not share an axis): the kind most of them have."""
    items = [progress[g.goal_id] for g in rows if progress and g.goal_id in progress
             and progress[g.goal_id].target is not None and progress[g.goal_id].measurements]
    if not items:
        return []
    share = [p for p in items if p.measurements[0].kind == "share"]
    count = [p for p in items if p.measurements[0].kind != "share"]
    return (share if len(share) > len(count) else count)[:6]


def timeline_figure(goals: list[Goal], lang: str = "da", progress: dict | None = None):
    """Lanes from announcement to deadline per goal; below them, where progress is known, the
    measured figures as points on a value axis with each goal's target level marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(goals, key=lambda g: (g.announced or g.doc_date or "", g.topic))[:40]
    measured = _measured(progress, rows)
    height = 0.45 * max(len(rows), 2) + 1.2
    if measured:
        fig, (ax, ax2) = plt.subplots(2, 1, figsize=(9, height + 3.2),
                                      gridspec_kw={"height_ratios": [height, 3.2]})
        _draw_progress(ax2, measured, lang)
    else:
        fig, ax = plt.subplots(figsize=(9, height))
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
        ax.plot([start, end], [y + 0.12, y + 0.12], color=color, linewidth=5, solid_capstyle="butt", alpha=0.85)
        # the label above its lane, from the lane's start: it never runs off the right edge
        ax.text(start, y - 0.12, goal_label(g, lang) + (f" (→ {g.deadline})" if g.deadline else ""),
                va="bottom", ha="left", fontsize=7.5, color="#374151" if not g.superseded_by else "#6b7280")
    ax.set_yticks(range(len(rows)), [(g.programme or g.source)[:38] for g in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.4, -0.7)  # top to bottom, room for the first label
    if years:
        ax.set_xlim(min(years) - 0.5, max(years) + 1)
    ax.set_xlabel("År (fra annoncering til frist; grå = afløst)" if lang == "da"
                  else "Year (from announcement to deadline; grey = superseded)", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    _fit_labels(fig, ax)
    return fig


def _fit_labels(fig, ax) -> None:
    """Widen the year axis until every lane label ends inside the plot: a label starting at
    data x0 and W pixels wide fits when (R - x0) * P / (R - L) >= W, P the axes' width in pixels,
    L and R the axis limits; so R >= (x0 - W * L / P) / (1 - W / P)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    left, right = ax.get_xlim()
    width = ax.get_window_extent(renderer).width
    need = right
    for t in ax.texts:
        w = t.get_window_extent(renderer).width + 6
        if w >= 0.9 * width:  # longer than the plot itself: shorten it
            text = t.get_text()
            t.set_text(text[: max(10, int(len(text) * 0.85 * width / w))] + "…")
            w = t.get_window_extent(renderer).width + 6
        x0 = t.get_position()[0]
        need = max(need, (x0 - w * left / width) / (1 - w / width))
    ax.set_xlim(left, need)


def _draw_progress(ax, items: list, lang: str) -> None:
    from ingest.progress import STATUS_LABELS, goal_place

    colors = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2")
    for p, color in zip(items, colors):
        g = p.goal
        xs = [m.year for m in p.measurements]
        ys = [m.value for m in p.measurements]
        place = goal_place(g)
        name = f"{(g.indicator or g.topic_da)[:40]} ({place}): {STATUS_LABELS[lang if lang == 'da' else 'en'][p.status]}"
        ax.plot(xs, ys, "o-", color=color, label=name, linewidth=1.5, markersize=5)
        if g.deadline:
            start = min(xs + [g.deadline])
            ax.hlines(p.target, start, g.deadline, colors=color, linestyles="dashed", linewidth=1)
            ax.plot([g.deadline], [p.target], marker="x", color=color, markersize=9)
    unit = "pct." if items[0].measurements[0].kind == "share" else ("antal" if lang == "da" else "count")
    ax.set_ylabel(unit, fontsize=8)
    ax.set_xlabel("Målinger (punkter) og mål (✕ ved fristen, stiplet niveau)" if lang == "da"
                  else "Measurements (points) and targets (✕ at the deadline, dashed level)", fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
