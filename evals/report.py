"""Write an evaluation run: report.md with comparison tables, results.json, PNG charts; deltas."""

from __future__ import annotations

import json
from pathlib import Path

TABLE_KEYS = ("fact_accuracy", "recall@1", "recall@5", "mrr", "ndcg@10", "citation_precision",
              "citation_recall", "cites_expected_source", "abstention_precision", "abstention_recall",
              "unsupported_number_rate", "median_answer_chars", "answers_over_800",
              "latency_p50_ms", "latency_p95_ms")


def _fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if v < 10 else f"{v:.0f}"
    return str(v)


LLM_KEYS = ("draft_fact_accuracy", "fact_accuracy", "draft_unsupported_number_rate",
            "unsupported_number_rate", "llm_answers_kept")


def llm_table(results: dict) -> str:
    """Before and after verification, for configurations answered by an LLM."""
    rows = [(n, r["summary"]) for n, r in results.items() if "draft_fact_accuracy" in r["summary"]]
    if not rows:
        return ""
    lines = ["| config | fact accuracy before verification | after | unsupported-number rate before | "
             "after | LLM answers kept |", "|---|---|---|---|---|---|"]
    for n, s in rows:
        lines.append(f"| {n} | " + " | ".join(_fmt(s.get(k)) for k in LLM_KEYS) + " |")
    return "\n".join(lines)


def comparison_table(results: dict, keys=TABLE_KEYS) -> str:
    head = "| config | " + " | ".join(keys) + " |"
    sep = "|---" * (len(keys) + 1) + "|"
    lines = [head, sep]
    for name, res in results.items():
        s = res["summary"]
        lines.append(f"| {name} | " + " | ".join(_fmt(s.get(k)) for k in keys) + " |")
    return "\n".join(lines)


def breakdown_table(results: dict, part: str, key: str = "fact_accuracy") -> str:
    groups = sorted({g for res in results.values() for g in res[part]})
    lines = ["| " + part.replace("by_", "") + " | " + " | ".join(results) + " |",
             "|---" * (len(results) + 1) + "|"]
    for g in groups:
        cells = []
        for res in results.values():
            agg = res[part].get(g, {})
            v = agg.get(key) if agg.get(key) is not None else agg.get("overall_accuracy")
            cells.append(_fmt(v))
        n = next(iter(results.values()))[part].get(g, {}).get("n", 0)
        lines.append(f"| {g} (n={n}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def deltas(results: dict, previous: dict) -> str:
    lines = ["| config | metric | before | now | delta |", "|---|---|---|---|---|"]
    for name, res in results.items():
        old = previous.get(name, {}).get("summary")
        if not old:
            continue
        for k in TABLE_KEYS:
            a, b = old.get(k), res["summary"].get(k)
            if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a != b:
                lines.append(f"| {name} | {k} | {_fmt(a)} | {_fmt(b)} | {b - a:+.3f} |")
    return "\n".join(lines)


def charts(results: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    paths = []
    names = list(results)
    keys = ["fact_accuracy", "recall@5", "mrr", "citation_precision", "abstention_recall"]
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / len(keys)
    for i, k in enumerate(keys):
        vals = [results[n]["summary"].get(k) or 0 for n in names]
        ax.bar(np.arange(len(names)) + i * width, vals, width, label=k)
    ax.set_xticks(np.arange(len(names)) + 0.4 - width / 2, names)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8, ncol=3)
    ax.set_title("policyqa evaluation by configuration")
    fig.tight_layout()
    p = out / "configs.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)
    cats = sorted({c for r in results.values() for c in r["by_category"]})
    grid = np.array([[results[n]["by_category"].get(c, {}).get("overall_accuracy") or 0
                      for n in names] for c in cats])
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(cats) + 1.5))
    im = ax.imshow(grid, vmin=0, vmax=1, cmap="RdYlGn", aspect="auto")
    ax.set_xticks(range(len(names)), names, rotation=20)
    ax.set_yticks(range(len(cats)), cats)
    for i in range(len(cats)):
        for j in range(len(names)):
            ax.text(j, i, f"{grid[i, j]:.2f}", ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax)
    ax.set_title("accuracy per category (abstaining right counts for unanswerable)")
    fig.tight_layout()
    p = out / "categories.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)
    return paths


def write(results: dict, out: Path, *, split: str, questions: str, tuned: dict,
          previous: dict | None = None) -> str:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(
        {"split": split, "questions": questions, "tuned_defaults": tuned, "configs": results},
        ensure_ascii=False, indent=1), encoding="utf-8")
    charts(results, out)
    n = next(iter(results.values()))["summary"]["n"] if results else 0
    md = [f"# Evaluation report ({split} split, {n} questions)", "",
          f"Question set: `{questions}`. Split: **{split}**.", "",
          "## Comparison", "", comparison_table(results), "",
          *(["## LLM answers before and after verification", "", llm_table(results), ""]
            if llm_table(results) else []),
          "## Accuracy by language", "", breakdown_table(results, "by_language"), "",
          "## Accuracy by category", "", breakdown_table(results, "by_category"), "",
          "fact_accuracy: answerable questions whose answer holds every expected fact (and no "
          "forbidden one); unanswerable ones count as right when the system abstains "
          "(category rows show that overall accuracy).", "",
          "## Defaults and where they were tuned", ""]
    md += [f"- `{k}` = {v}" for k, v in tuned.items()]
    if previous:
        md += ["", "## Change against the previous report", "", deltas(results, previous)]
    md += ["", "![configs](configs.png)", "", "![categories](categories.png)", ""]
    text = "\n".join(md)
    (out / "report.md").write_text(text, encoding="utf-8")
    return text
