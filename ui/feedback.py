"""Feedback export: JSONL or CSV rows of question, answer, citations, rating and comment."""

from __future__ import annotations

import csv
import io
import json

from policyqa.errors import UsageError


def export_feedback(rows: list[dict], fmt: str = "jsonl") -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=["id", "created", "question", "answer", "citations",
                                            "rating", "comment", "language"])
        w.writeheader()
        for r in rows:
            w.writerow(r | {"citations": json.dumps(r.get("citations", []), ensure_ascii=False)})
        return buf.getvalue()
    raise UsageError(f"unknown format '{fmt}' (use jsonl or csv)")
