"""An LLM answerer through LangChain (OpenAI-compatible servers, Ollama), verified before shown.

The extractive answerer decides whether to answer at all (abstention is honoured) and is the
fallback when the endpoint is down or nothing the model wrote survives verification.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.extractive import ExtractiveAnswerer
from assistant.goal_answers import goal_summary
from assistant.models import Answer, Citation
from assistant.prompts import answer_messages, condense_messages
from assistant.question import Question
from assistant.verify import verify
from policyqa.errors import UsageError


def make_chat_model(settings):
    """The chat model named by POLICYQA_ANSWERER, with a timeout and one retry."""
    kind = settings.answerer
    if kind == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as e:
            raise UsageError("POLICYQA_ANSWERER=openai needs the 'llm' extra: pip install 'policyqa[llm]'") from e
        if not settings.llm_base_url and not settings.llm_api_key:
            raise UsageError("POLICYQA_ANSWERER=openai needs POLICYQA_LLM_BASE_URL (or an API key for "
                             "the hosted API)")
        return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                          api_key=settings.llm_api_key or "not-needed", timeout=settings.llm_timeout,
                          max_retries=1, temperature=0, max_tokens=settings.llm_max_tokens)
    if kind == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as e:
            raise UsageError("POLICYQA_ANSWERER=ollama needs the 'llm' extra: pip install 'policyqa[llm]'") from e
        return ChatOllama(base_url=settings.llm_base_url or "http://127.0.0.1:11434", model=settings.llm_model,
                          temperature=0, num_predict=settings.llm_max_tokens,
                          client_kwargs={"timeout": settings.llm_timeout})
    raise UsageError(f"unknown answerer '{kind}' (use extractive, openai or ollama)")


class LLMAnswerer:
    """Writes the answer with a chat model from numbered passages and goal records, then keeps
    only the sentences that pass verification."""

    name = "llm"
    max_passages = 5

    def __init__(self, model, extractive: ExtractiveAnswerer, model_name: str = ""):
        self.model = model
        self.extractive = extractive
        self.model_name = model_name

    def condense(self, question: str, history: list[tuple[str, str]]) -> str | None:
        """The follow-up as a standalone question, or None when the model is unavailable."""
        try:
            out = self.model.invoke(condense_messages(question, history))
        except Exception:  # noqa: BLE001 - any endpoint failure: the rule-based rewrite is used
            return None
        text = str(getattr(out, "content", out)).strip().splitlines()
        return text[0].strip() if text and len(text[0]) < 500 else None

    def answer(self, q: Question, passages_in: list, *, fallback: Answer, goals: list[dict] | None = None,
               on_token=None) -> Answer:
        """Args:
            passages_in: Hits or Citations to number and give the model (title, date, text, ...).
            fallback: the extractive (or goal-record) answer: returned as it is when it abstains
                (abstention is honoured), and shown when the model fails or nothing verifies.
        """
        if fallback.abstained:
            return fallback
        lang = q.language if q.language in ("da", "en") else "en"
        chosen = list(passages_in)[: self.max_passages]
        passages = [{"n": i, "title": h.title, "date": h.date, "text": h.text}
                    for i, h in enumerate(chosen, start=1)]
        goal_lines = []
        for g in goals or []:
            n = next((i for i, h in enumerate(chosen, 1) if h.chunk_id == g.get("chunk_id")), None)
            if n:
                goal_lines.append({"n": n, "summary": _goal_words(g, lang)})
        messages = answer_messages(q.text, lang, passages, goal_lines)
        try:
            if on_token is not None:
                parts = []
                for chunk in self.model.stream(messages):
                    token = str(getattr(chunk, "content", chunk))
                    parts.append(token)
                    on_token(token)
                draft = "".join(parts)
            else:
                draft = str(self.model.invoke(messages).content)
        except Exception as e:  # noqa: BLE001 - the endpoint is down, slow or broken
            return replace(fallback, answerer="extractive",
                           notice=f"The language model did not answer ({type(e).__name__}); "
                                  "the extractive answer is shown.")
        given = tuple(Citation.of(i, h) for i, h in enumerate(chosen, start=1))
        support = {}
        for p in passages:
            text = f"{p['title']} {p.get('date') or ''} {p['text']}"
            text += " " + " ".join(g["summary"] for g in goal_lines if g["n"] == p["n"])
            support[p["n"]] = text
        checked = verify(draft, support, lang=lang)
        dropped = tuple(checked.dropped + [
            {"sentence": f"[{n}]", "reason": "reference to a passage that was not given"}
            for n in sorted(set(checked.removed_refs))])
        if not checked.text.strip():
            return replace(fallback, answerer="extractive", verified=False, dropped=dropped, draft=draft,
                           draft_passages=given, notice="Nothing the language model wrote could be verified; the extractive "
                                  "answer is shown.")
        used = sorted({int(n) for n in _markers(checked.text)})
        citations = tuple(
            Citation.of(n, chosen[n - 1]) for n in used)
        notice = None
        if dropped:
            notice = (f"{len(dropped)} sentence(s) of the language model's answer were removed because "
                      "they could not be verified against the sources.")
        return Answer(question=q.text, answer=checked.text, language=lang, abstained=False,
                      citations=citations, goals=tuple(goals or ()), answerer=f"llm:{self.model_name}",
                      verified=not dropped, dropped=dropped, notice=notice, draft=draft,
                      draft_passages=given)


def _markers(text: str) -> list[str]:
    from assistant.citations import MARKER

    return [m.group(1) for m in MARKER.finditer(text)]


def _goal_words(g: dict, lang: str) -> str:
    import json

    from ingest.catalog import goal_from_json

    goal = goal_from_json(json.dumps({k: v for k, v in g.items() if k not in ("topic_label", "status")}))
    who = ", ".join(x for x in (goal.programme, goal.set_by, goal.announced) if x)
    return f"{goal_summary(goal, lang)} ({who})"
