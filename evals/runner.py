"""Run a question set through several configurations and score retrieval and answers."""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from evals import metrics as M

CONFIGS = ("bm25", "dense", "hybrid", "hybrid+goals", "baseline", "extractive", "llm")
DEFAULT_QUESTIONS = Path(__file__).parent / "questions" / "questions.jsonl"


def load_questions(path: Path | str = DEFAULT_QUESTIONS, split: str | None = None) -> list[dict]:
    """The items of a question set. A draft (from `policyqa feedback export --format eval`), an
    item whose answerable is not true or false, and an answerable item without expected facts
    are refused, whatever the split, so that none is scored."""
    from policyqa.errors import UsageError

    items = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as e:
                    raise UsageError(f"{path}:{n}: not valid JSON ({e.msg})") from e
                _check_item(item, f"{path}:{n}")
                items.append(item)
    if split and split != "all":
        items = [i for i in items if i.get("split") == split]
    return items


def _check_item(item, where: str) -> None:
    from policyqa.errors import UsageError

    if not isinstance(item, dict):
        raise UsageError(f"{where}: not a question item (a JSON object)")
    name = item.get("id", "?")
    if item.get("status") == "draft":
        raise UsageError(f"{where}: item '{name}' is a draft: fill in answerable, expected_facts "
                         f"and expected_sources and remove \"status\" before evaluating it")
    if not isinstance(item.get("answerable", True), bool):
        raise UsageError(f"{where}: item '{name}' has answerable {json.dumps(item['answerable'])} "
                         f"(use true or false)")
    if item.get("answerable", True) and not item.get("expected_facts"):
        raise UsageError(f"{where}: item '{name}' is answerable but has no expected_facts "
                         f"(it would be scored correct whatever the answer)")


@dataclass
class System:
    """One configuration: answers a question item, and ranks source files for it."""

    name: str
    answer: callable
    rank: callable
    assistant: object = None  # the Assistant behind it (None for the LangChain baseline)


def build_system(name: str, store, corpus: list[str]) -> System:
    from assistant.conversation import standalone
    from assistant.question import analyse
    from assistant.service import Assistant

    if name == "baseline":
        from evals.baseline import LangChainBaseline

        base = LangChainBaseline(store, corpus)
        return System(name, lambda item: base.ask(_with_history(item)),
                      lambda item: [s for s, _, _ in base.search(_with_history(item), 10)])
    if name not in CONFIGS:
        from policyqa.errors import UsageError

        raise UsageError(f"unknown configuration '{name}' (choose from {', '.join(CONFIGS)})")
    from policyqa.settings import Settings

    settings = Settings()
    if name == "llm":
        if settings.answerer == "extractive":
            from policyqa.errors import UsageError

            raise UsageError("the 'llm' configuration needs POLICYQA_ANSWERER=openai|ollama and "
                             "POLICYQA_LLM_BASE_URL")
        bot = Assistant.from_settings(settings, store)
    else:
        fusion = {"bm25": "bm25", "dense": "dense", "hybrid": "hybrid", "hybrid+goals": "auto",
                  "extractive": "auto"}[name]
        # the answer settings a user sets for `policyqa ask` hold here too (the report prints them
        # among its tuned defaults): sentence re-ranking was on in `ask` and silently off here
        bot = Assistant(store, fusion=fusion, use_goals=name in ("hybrid+goals", "extractive"),
                        rerank=settings.rerank)

    def answer(item):
        return bot.ask(item["question"], history=_history(item))

    def rank(item):
        bot._refresh()
        q = bot.correct_typos(analyse(standalone(item["question"], _history(item))))
        return [h.source for h in bot.retriever.search(q, 10, idf=bot._idf)]

    return System(name, answer, rank, bot)


def _history(item: dict) -> list[tuple[str, str]]:
    return [(h["question"], h.get("answer", "")) for h in item.get("history") or []]


def _with_history(item: dict) -> str:
    """The baseline has no conversation memory: it sees the previous question prepended."""
    prev = " ".join(h["question"] for h in item.get("history") or [])
    return f"{prev} {item['question']}".strip()


def support_texts(answer) -> list[str]:
    """What an answer may take numbers from: its cited passages with their titles and dates,
    and the goal records it used."""
    out = [f"{c.title} {c.date or ''} {c.text}" for c in answer.citations]
    for g in answer.goals:
        out.append(" ".join(str(v) for v in g.values() if v is not None))
    return out


def score_item(item: dict, answer, ranking: list[str], latency_ms: float) -> dict:
    facts = item.get("expected_facts") or []
    sources = item.get("expected_sources") or []
    answerable = item.get("answerable", True)
    cited = [c.text for c in answer.citations]
    cited_sources = [c.source for c in answer.citations]
    answer_text = answer.answer
    shown = answer_text[:M.MAX_ANSWER_CHARS]  # a fact past character 800 is not read by a user
    correct = (not answer.abstained) and M.facts_correct(facts, shown,
                                                         item.get("forbidden_facts") or [])
    if not answerable:
        correct = answer.abstained
    row = {
        "id": item["id"], "language": item["language"], "category": item["category"],
        "question": item["question"], "answerable": answerable, "answer": answer_text,
        "abstained": answer.abstained, "correct": bool(correct),
        "citations": [{"n": c.n, "source": c.source, "quote": c.quote or c.text[:300]}
                      for c in answer.citations],
        "ranking": M.dedupe(ranking)[:10], "latency_ms": round(latency_ms, 1),
        "unsupported_numbers": M.unsupported_numbers(answer_text, support_texts(answer))
        if not answer.abstained else [],
        "answer_chars": len(answer_text),
    }
    if answerable and sources:
        for k in (1, 3, 5, 10):
            row[f"recall@{k}"] = M.recall_at_k(ranking, sources, k)
        row["mrr"] = M.mrr_at_k(ranking, sources, 10)
        row["ndcg@10"] = M.ndcg_at_k(ranking, sources, 10)
    if answerable and not answer.abstained:
        row["citation_precision"] = M.citation_precision(cited, facts)
        row["citation_recall"] = M.citation_recall(cited_sources, sources)
        if sources:
            row["cites_expected_source"] = float(any(c in sources for c in cited_sources))
    row["answerer"] = answer.answerer
    if answer.draft is not None:  # an LLM answer: also score what it wrote before verification
        from assistant.citations import markers

        given = {c.n: c for c in answer.draft_passages}
        cited_draft = [f"{given[n].title} {given[n].date or ''} {given[n].text}"
                       for n in set(markers(answer.draft)) if n in given]
        row["draft"] = answer.draft
        row["draft_correct"] = answerable and M.facts_correct(facts, answer.draft,
                                                              item.get("forbidden_facts") or [])
        row["draft_unsupported_numbers"] = M.unsupported_numbers(answer.draft, cited_draft)
        row["dropped"] = list(answer.dropped)
    return row


def aggregate(rows: list[dict]) -> dict:
    def mean(key: str, subset=None):
        vals = [r[key] for r in (subset or rows) if r.get(key) is not None]
        return round(statistics.fmean(vals), 3) if vals else None

    answerable = [r for r in rows if r["answerable"]]
    answered = [r for r in rows if not r["abstained"]]
    ab = M.abstention_scores([r["abstained"] for r in rows], [not r["answerable"] for r in rows])
    lat = [r["latency_ms"] for r in rows]
    out = {
        "n": len(rows),
        "fact_accuracy": round(sum(r["correct"] for r in answerable) / len(answerable), 3) if answerable else None,
        "overall_accuracy": round(sum(r["correct"] for r in rows) / len(rows), 3) if rows else None,
        **{f"recall@{k}": mean(f"recall@{k}") for k in (1, 3, 5, 10)},
        "mrr": mean("mrr"), "ndcg@10": mean("ndcg@10"),
        "citation_precision": mean("citation_precision"),
        "citation_recall": mean("citation_recall"),
        "abstention_precision": None if ab["precision"] is None else round(ab["precision"], 3),
        "abstention_recall": None if ab["recall"] is None else round(ab["recall"], 3),
        "unsupported_number_rate": round(sum(1 for r in answered if r["unsupported_numbers"])
                                         / len(answered), 3) if answered else None,
        "cites_expected_source": mean("cites_expected_source"),
        "median_answer_chars": statistics.median([r["answer_chars"] for r in answered]) if answered else None,
        "p95_answer_chars": M.percentile([r["answer_chars"] for r in answered], 95) if answered else None,
        "answers_over_800": sum(1 for r in answered if r["answer_chars"] > M.MAX_ANSWER_CHARS),
        "latency_p50_ms": M.percentile(lat, 50), "latency_p95_ms": M.percentile(lat, 95),
    }
    drafts = [r for r in rows if "draft" in r]
    if drafts:
        out["draft_fact_accuracy"] = round(sum(r["draft_correct"] for r in drafts if r["answerable"])
                                           / max(1, sum(1 for r in drafts if r["answerable"])), 3)
        out["draft_unsupported_number_rate"] = round(
            sum(1 for r in drafts if r["draft_unsupported_numbers"]) / len(drafts), 3)
        out["llm_answers_kept"] = sum(1 for r in rows if str(r.get("answerer", "")).startswith("llm"))
    return out


def run(store, items: list[dict], configs: list[str], corpus: list[str],
        progress: bool | None = None) -> dict:
    """{config: {"summary", "by_language", "by_category", "rows"}}."""
    show = sys.stderr.isatty() if progress is None else progress
    results: dict[str, dict] = {}
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(items) * len(configs), unit="q", desc="eval", file=sys.stderr)
    for name in configs:
        system = build_system(name, store, corpus)
        system.answer(items[0])  # warm-up: model and caches loaded before timing
        rows = []
        for item in items:
            t0 = time.perf_counter()
            ans = system.answer(item)
            ms = (time.perf_counter() - t0) * 1000
            rows.append(score_item(item, ans, system.rank(item), ms))
            if bar:
                bar.update(1)
        results[name] = {
            "summary": aggregate(rows),
            "by_language": {lang: aggregate([r for r in rows if r["language"] == lang])
                            for lang in sorted({r["language"] for r in rows})},
            "by_category": {cat: aggregate([r for r in rows if r["category"] == cat])
                            for cat in sorted({r["category"] for r in rows})},
            "rows": rows,
        }
    if bar:
        bar.close()
    return results
