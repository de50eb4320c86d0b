"""Field-level accuracy of measurement extraction on items written by a separate author.

`python -m evals.extraction [--split dev|test|all] [--items PATH] [--show]` prints, for the
sentences and tables of `evals/progress/measurements.jsonl`, how many expected measurements
were found (matched by value), how many found ones were expected, and for the matched ones how
often unit, year (or period), scope and kind agree.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ITEMS = Path(__file__).resolve().parent / "progress" / "measurements.jsonl"
FIELDS = ("unit", "year", "scope", "kind")


def _unit(u: str | None) -> str:
    u = (u or "").strip().lower()
    return {"pct.": "%", "percent": "%", "procent": "%", "people": "persons", "personer": "persons",
            "dage": "days", "pp": "percentage points", "procentpoint": "percentage points"}.get(u, u)


def _scope_match(pred: str, gold: str) -> bool:
    p, g = (pred or "").lower().strip(), (gold or "").lower().strip()
    if g == "national" or p == "national":
        return p == g
    if p == g or (p and (p in g or g in p)):
        return True
    ages_p, ages_g = re.findall(r"\d+", p), re.findall(r"\d+", g)
    if ages_g and ages_p == ages_g:
        return True
    stem = lambda s: {w[:5] for w in re.findall(r"[a-zæøå]{4,}", s)}  # noqa: E731
    return bool(stem(p) & stem(g))


def _year_match(pred, gold: dict) -> bool:
    if gold.get("period"):
        return list(pred.period or ()) == list(gold["period"])
    return pred.year == gold.get("year") and not pred.period


def score(items: list[dict], show: bool = False) -> dict:
    from ingest.measurements import measurements_from_text

    expected = found = matched = 0
    agree = {f: 0 for f in FIELDS}
    for item in items:
        fmt = item.get("format", "sentence")
        text = item["text"]
        if fmt == "html_table":
            from ingest.html import html_to_text

            text = html_to_text(f"<html><body>{text}</body></html>")[0]
        preds = measurements_from_text(text, item["id"])
        gold = item.get("expected") or []
        expected += len(gold)
        found += len(preds)
        used: set[int] = set()
        for g in gold:
            hit = next((i for i, p in enumerate(preds) if i not in used
                        and abs(p.value - float(g["value"])) <= 1e-6 * max(1.0, abs(float(g["value"])))), None)
            if hit is None:
                if show:
                    print(f"MISS {item['id']}: {g}")
                continue
            used.add(hit)
            matched += 1
            p = preds[hit]
            checks = {"unit": _unit(p.unit) == _unit(g.get("unit")), "year": _year_match(p, g),
                      "scope": _scope_match(p.scope, g.get("scope", "")), "kind": p.kind == g.get("kind")}
            for f, ok in checks.items():
                agree[f] += ok
                if show and not ok:
                    print(f"FIELD {item['id']} {f}: got {getattr(p, f if f != 'year' else 'year')!r}"
                          f"{' ' + str(p.period) if f == 'year' else ''} want {g.get(f)!r}"
                          f"{' ' + str(g.get('period')) if f == 'year' else ''}")
        if show:
            for i, p in enumerate(preds):
                if i not in used:
                    print(f"EXTRA {item['id']}: {p.value} {p.unit} {p.year} {p.scope} {p.kind} ({p.indicator})")
    return {
        "items": len(items), "expected": expected, "found": found,
        "recall": round(matched / expected, 3) if expected else None,
        "precision": round(matched / found, 3) if found else None,
        **{f: round(agree[f] / matched, 3) if matched else None for f in FIELDS},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test", "all"))
    parser.add_argument("--items", type=Path, default=ITEMS)
    parser.add_argument("--show", action="store_true", help="print each miss, extra and wrong field")
    args = parser.parse_args(argv)
    items = [json.loads(line) for line in args.items.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.split != "all":
        items = [i for i in items if i.get("split") == args.split]
    print(json.dumps(score(items, args.show), ensure_ascii=False))


if __name__ == "__main__":
    main()
