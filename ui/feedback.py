"""Feedback export: JSONL or CSV rows of question, answer, citations, rating and comment."""

from __future__ import annotations

import json

from policyqa.errors import UsageError
from policyqa.spreadsheet import csv_text


def export_feedback(rows: list[dict], fmt: str = "jsonl") -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        fields = ["id", "created", "question", "answer", "citations", "rating", "comment", "language"]
        return csv_text((r | {"citations": json.dumps(r.get("citations", []), ensure_ascii=False)}
                         for r in rows), fields)
    raise UsageError(f"unknown format '{fmt}' (use jsonl or csv)")
