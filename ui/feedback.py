"""Feedback export: JSONL or CSV rows of question, answer, citations, rating and comment, or the
questions marked bad as draft evaluation items."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from policyqa.errors import UsageError
from policyqa.spreadsheet import csv_text

FORMATS = ("jsonl", "csv", "eval")
BAD = -1  # the rating of the UI's "bad answer" button


def _same_question(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _rated_at(created) -> str | None:
    return (datetime.fromtimestamp(created, timezone.utc).isoformat(timespec="seconds")
            if created else None)


def eval_drafts(rows: list[dict]) -> list[dict]:
    """The questions marked bad as draft items of the question-set format, one per question.

    The id comes from the question's first bad rating (fb0007 for feedback row 7), so it stays
    the same when the question is marked bad again; the answer, citations and language are those
    of its latest bad rating, and every comment is kept, oldest first. Nothing the assistant said
    becomes an expectation: answerable is null and the expected lists are empty until a person
    fills them in and removes "status"."""
    groups: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        if r.get("rating") == BAD and (r.get("question") or "").strip():
            groups.setdefault(_same_question(r["question"]), []).append(r)
    items = []
    for group in groups.values():
        first, latest = group[0], group[-1]
        items.append({
            "id": f"fb{first['id']:04d}", "split": "dev", "language": latest.get("language") or "",
            "question": " ".join(latest["question"].split()), "answerable": None, "expected_facts": [],
            "expected_sources": [], "expected_passage": None, "category": None, "variant": None,
            "difficulty": None, "history": [], "status": "draft",
            "draft": {
                "answer": latest.get("answer") or "",
                "citations": [{"n": c.get("n"), "source": c.get("source"), "title": c.get("title"),
                               "quote": c.get("quote") or (c.get("text") or "")[:300]}
                              for c in latest.get("citations") or []],
                "comments": [r["comment"].strip() for r in group if (r.get("comment") or "").strip()],
                "rated_at": _rated_at(latest.get("created")),
                "feedback_ids": [r["id"] for r in group],
            },
        })
    return items


def export_feedback(rows: list[dict], fmt: str = "jsonl") -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        fields = ["id", "created", "question", "answer", "citations", "rating", "comment", "language"]
        return csv_text((r | {"citations": json.dumps(r.get("citations", []), ensure_ascii=False)}
                         for r in rows), fields)
    if fmt == "eval":
        return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in eval_drafts(rows))
    raise UsageError(f"unknown format '{fmt}' (use {', '.join(FORMATS)})")
