"""What the UI's buttons do: ask, open a citation, give feedback, list goals, upload and remove files."""

from __future__ import annotations

import hashlib
import html
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from assistant.models import Answer, Filters
from ingest.goal_table import filter_goals, flat_row, status
from ingest.models import Goal
from policyqa.spreadsheet import csv_text
from ui.render import LABELS, answer_markdown, citations_markdown, context_markdown, escape_md, target_text

UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
# What a caseworker reads first; the rest is one click away ("show all columns").
MAIN_GOAL_COLUMNS = ("topic", "target", "deadline", "status", "progress", "set_by", "announced")
MORE_GOAL_COLUMNS = ("programme", "area", "indicator", "direction", "kind", "source", "text")


class Session:
    """One browser session's conversation; kept in gr.State, never shared between users.
    (A plain class: Gradio serialises dataclass state values, which holds Answers poorly.)"""

    def __init__(self) -> None:
        self.turns: list[tuple[str, Answer]] = []
        self.lang = "da"

    def history(self) -> list[tuple[str, str]]:
        return [(q, a.answer) for q, a in self.turns[-3:]]


def safe_name(name: str) -> str:
    """A file name that cannot leave the upload folder or confuse a shell: no path, no leading
    dots or dashes, only letters, digits, '.', '_', '-' (æøå kept)."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-æøåÆØÅ]+", "_", base, flags=re.UNICODE)
    base = base.lstrip(".-_") or "upload"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem[:100]
    return f"{stem}.{suffix.lower()}" if suffix else stem


class Controller:
    def __init__(self, assistant, settings=None):
        self.assistant = assistant
        self.store = assistant.store
        self.settings = settings
        self.max_upload = int((settings.max_upload_mb if settings else 20) * 1_000_000)
        self.uploads = self.store.path / "uploads"

    # -- chat ------------------------------------------------------------------------------
    def ask(self, message: str, session: Session, doc_types: list[str] | None = None,
            date_from: str | None = None, date_to: str | None = None, on_token=None) -> Answer:
        filters = None
        if doc_types or (date_from or "").strip() or (date_to or "").strip():
            from ingest.dates import parse_date

            filters = Filters(tuple(doc_types or ()), parse_date(date_from or "") if date_from else None,
                              parse_date(date_to or "") if date_to else None)
        answer = self.assistant.ask(message, history=session.history(), filters=filters, on_token=on_token)
        session.turns.append((message, answer))
        return answer

    def ask_stream(self, message: str, session: Session, doc_types=None, date_from=None, date_to=None):
        """Yield ("token", text so far) while an LLM writes, then ("answer", the verified Answer)."""
        import queue
        import threading

        if self.assistant.chat_model is None:
            yield "answer", self.ask(message, session, doc_types, date_from, date_to)
            return
        tokens: queue.Queue = queue.Queue()
        box: dict = {}

        def work() -> None:
            try:
                box["answer"] = self.ask(message, session, doc_types, date_from, date_to,
                                         on_token=tokens.put)
            finally:
                tokens.put(None)

        threading.Thread(target=work, daemon=True).start()
        text = ""
        while (tok := tokens.get()) is not None:
            text += tok
            yield "token", text
        yield "answer", box["answer"]

    @staticmethod
    def message_markdown(answer: Answer, turn: int) -> str:
        """The answer with each [n] a link the page's script turns into 'open citation n'."""
        return answer_markdown(answer, link=lambda n: f"#cite-{turn}-{n}")

    def citation(self, key: str, session: Session) -> str:
        """The passage behind a clicked [n], inside its document, with its metadata."""
        labels = LABELS[session.lang]
        m = re.fullmatch(r"(\d+)-(\d+)", (key or "").strip())
        if not m or int(m.group(1)) >= len(session.turns):
            return labels["no_passage"]
        answer = session.turns[int(m.group(1))][1]
        cite = next((c for c in answer.citations if c.n == int(m.group(2))), None)
        if cite is None:
            return labels["no_passage"]
        row = self.store.catalog.chunks_by_id([cite.chunk_id]).get(cite.chunk_id)
        doc = self.store.catalog.document_by_id(row["doc_id"]) if row else None
        return context_markdown(cite, doc["text"] if doc else None, session.lang)

    def sources(self, session: Session) -> str:
        if not session.turns:
            return LABELS[session.lang]["no_citations"]
        turn = len(session.turns) - 1
        return citations_markdown(session.turns[-1][1], session.lang, turn=turn)

    # -- feedback --------------------------------------------------------------------------
    def feedback(self, session: Session, rating: int, comment: str) -> str:
        labels = LABELS[session.lang]
        if not session.turns:
            return labels["feedback_none"]
        question, answer = session.turns[-1]
        self.store.catalog.add_feedback(
            question, answer.answer, [c.to_json() for c in answer.citations], rating,
            (comment or "").strip()[:2000], answer.language)
        return labels["feedback_thanks"]

    # -- goals -----------------------------------------------------------------------------
    def goal_topics(self, lang: str = "da") -> list[tuple[str, str]]:
        """(label in the UI language, topic key) for every topic that has a goal."""
        seen = {g.topic: (g.topic_da if lang == "da" else g.topic_en) for g in self.store.catalog.goals()}
        return sorted(((label, key) for key, label in seen.items()), key=lambda t: t[0].lower())

    def goal_choices(self) -> tuple[list[str], list[str]]:
        goals = self.store.catalog.goals()
        programmes = sorted({g.programme for g in goals if g.programme})
        years = sorted({str(y) for g in goals for y in (g.deadline, _year(g.announced)) if y})
        return programmes, years

    def _filtered(self, topic, programme, year, query) -> list[Goal]:
        return filter_goals(self.store.catalog.goals(), topic=topic or None, programme=programme or None,
                            year=int(year) if year else None, query=(query or "").strip() or None)

    def goal_row(self, g: Goal, lang: str, progress: dict) -> dict:
        """One goal with every code in words of the UI language."""
        L = LABELS["da" if lang == "da" else "en"]
        codes = L["codes"]
        flat = flat_row(g, lang, progress)
        return {
            "topic": flat["topic"], "target": target_text(g, lang), "deadline": str(g.deadline or ""),
            "status": codes["status"][status(g)], "progress": flat["progress"], "set_by": g.set_by or "",
            "announced": flat["announced"], "programme": flat["programme"],
            "area": codes["area"].get(g.area or "", g.area or ""), "indicator": flat["indicator"],
            "direction": codes["direction"].get(g.direction or "", g.direction or ""),
            "kind": codes["kind"].get(g.kind, g.kind), "source": g.source, "text": flat["text"],
        }

    def goals_table(self, topic: str | None, programme: str | None, year: str | None, query: str | None,
                    lang: str = "da", all_columns: bool = False):
        """The goals shown: a table (headers in the UI language) and the same rows as cards for
        narrow screens."""
        import pandas as pd

        goals = self._filtered(topic, programme, year, query)
        progress = self._progress(goals)
        cols = MAIN_GOAL_COLUMNS + (MORE_GOAL_COLUMNS if all_columns else ())
        heads = LABELS["da" if lang == "da" else "en"]["goal_headers"]
        rows = [self.goal_row(g, lang, progress) for g in goals]
        frame = pd.DataFrame([[r[c] for c in cols] for r in rows], columns=[heads[c] for c in cols])
        return frame, _goal_cards(rows, heads, lang)

    def _progress(self, goals) -> dict:
        """Each goal's progress, cached until the store changes."""
        from ingest.progress import progress_by_goal

        version = self.store.catalog.version()
        if getattr(self, "_progress_version", None) != version:
            self._progress_cache = progress_by_goal(self.store.catalog)
            self._progress_version = version
        return {g.goal_id: self._progress_cache[g.goal_id] for g in goals if g.goal_id in self._progress_cache}

    def goals_csv_file(self, topic, programme, year, query, lang: str = "da") -> str:
        """The goals shown, every column, as a CSV file Excel opens with æøå intact (UTF-8 with
        BOM), headers in the UI language. A new path per content, so a download never serves
        the file of an earlier filter."""
        goals = self._filtered(topic, programme, year, query)
        progress = self._progress(goals)
        heads = LABELS["da" if lang == "da" else "en"]["goal_headers"]
        cols = MAIN_GOAL_COLUMNS + MORE_GOAL_COLUMNS
        rows = ({heads[c]: r[c] for c in cols} for r in (self.goal_row(g, lang, progress) for g in goals))
        text = csv_text(rows, [heads[c] for c in cols])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        if getattr(self, "_exports", None) is None:
            self._exports = Path(tempfile.mkdtemp(prefix="policyqa-csv-"))
        folder = self._exports / digest
        folder.mkdir(exist_ok=True)
        path = folder / ("policyqa-maal.csv" if lang == "da" else "policyqa-goals.csv")
        path.write_text(text, encoding="utf-8-sig")
        return str(path)

    def timeline(self, topic: str | None, lang: str = "da"):
        from ui.timeline import timeline_figure

        goals = [g for g in self.store.catalog.goals() if not topic or g.topic == topic]
        return timeline_figure(goals, lang, self._progress(goals))

    # -- what the store holds ------------------------------------------------------------
    def about(self, lang: str = "da") -> str:
        """One line for the first screen: how many documents of which kinds, their dates, and
        when the store last took one in."""
        L = LABELS["da" if lang == "da" else "en"]
        docs = self.store.catalog.documents()
        if not docs:
            return L["about_empty"]
        dates = sorted(r["date"] for r in docs if r["date"])
        ingested = max((r["ingested_at"] or 0) for r in docs)
        return L["about"].format(
            n=len(docs), docs=L["doc_one"] if len(docs) == 1 else L["doc_many"], kinds=_kinds(docs, L),
            dated=L["dated"].format(first=dates[0], last=dates[-1]) if dates else "",
            ingested=time.strftime("%Y-%m-%d %H:%M", time.localtime(ingested)) if ingested else "–")

    def help_text(self, lang: str = "da") -> str:
        """What a new user can ask: the goal topics and document kinds this store holds."""
        L = LABELS["da" if lang == "da" else "en"]
        counts = Counter((g.topic_da if lang == "da" else g.topic_en) for g in self.store.catalog.goals())
        topics = ", ".join(f"{escape_md(t)} ({n})" for t, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))
        return L["help_body"].format(topics=topics or L["none"], kinds=_kinds(self.store.catalog.documents(), L)
                                     or L["none"])

    def examples(self, lang: str = "da", limit: int = 4) -> list[str]:
        """Example questions built from what the store holds (goal topics, figures by year, who
        set goals, recent documents), each kept only when the assistant answers it from the
        documents with a source. Cached until the store changes."""
        version = self.store.catalog.version()
        cache = getattr(self, "_examples", {})
        if cache.get(lang, (None,))[0] == version:
            return cache[lang][1]
        kept: list[str] = []
        for q in self._example_candidates(lang):
            if len(kept) >= limit:
                break
            a = self.assistant.ask(q, use_llm=False)
            if not a.abstained and a.citations:
                kept.append(q)
        cache[lang] = (version, kept)
        self._examples = cache
        return kept

    def _example_candidates(self, lang: str) -> list[str]:
        da = lang == "da"
        goals = self.store.catalog.goals()
        by_topic = Counter(g.topic for g in goals if not g.superseded_by)
        names = {g.topic: (g.topic_da if da else g.topic_en) for g in goals}
        topics = [t for t, _ in by_topic.most_common(6)]
        out = [(f"Hvad er målet for {names[t]}?" if da else f"What is the {names[t]} target?") for t in topics[:2]]
        years = {}
        for m in self.store.catalog.measurements():
            if m.kind == "count" and m.year and m.topic in names and m.scope in ("national", "", None):
                years.setdefault(m.topic, set()).add(m.year)
        for t, ys in sorted(years.items(), key=lambda kv: -len(kv[1]))[:2]:
            y = max(ys)
            out.append(f"Hvor mange {names[t]} var der i {y}?" if da else f"How many {names[t]} were there in {y}?")
        setters = Counter(g.set_by for g in goals if g.set_by)
        for who, _ in setters.most_common(1):
            out.append(f"Hvilke mål har {who} sat?" if da else f"Which goals has {who} set?")
        out += [(f"Hvad er målet for {names[t]}?" if da else f"What is the {names[t]} target?") for t in topics[2:]]
        for r in self.store.catalog.documents()[:3]:
            if r["title"]:
                out.append(f"Hvad står der i «{r['title']}»?" if da else f"What does “{r['title']}” say?")
        return list(dict.fromkeys(out))

    # -- documents -------------------------------------------------------------------------
    def documents_rows(self, lang: str = "da") -> list[list[str]]:
        types = LABELS["da" if lang == "da" else "en"]["types"]
        return [[r["title"] or "", r["date"] or "", types.get(r["doc_type"], r["doc_type"]), str(r["n_chunks"]),
                 str(r["n_goals"]), r["source"]] for r in self.store.catalog.documents()]

    def document_choices(self) -> list[tuple[str, str]]:
        """(title and date, source) per document: people know documents by their titles."""
        out = []
        for r in self.store.catalog.documents():
            label = r["title"] or r["source"]
            out.append((f"{label} ({r['date']})" if r["date"] else label, r["source"]))
        return out

    def remove_prompt(self, source: str | None, lang: str = "da") -> str | None:
        """The question to confirm before `source` is removed; None when nothing is chosen."""
        row = self.store.catalog.document_by_source(source) if source else None
        if row is None:
            return None
        L = LABELS["da" if lang == "da" else "en"]
        return L["remove_confirm"].format(title=escape_md(row["title"] or row["source"]),
                                          source=escape_md(row["source"]))

    def upload(self, paths: list[str], progress=None, replace: bool = False, lang: str = "da") -> str:
        """Copy uploads under sanitised names into the store's upload folder and ingest them.

        An upload never replaces a different document by accident: when its cleaned name is
        taken by other content, it is stored as 'name-2.ext' (and said so), unless `replace`."""
        from ingest.pipeline import ingest

        L = LABELS["da" if lang == "da" else "en"]
        self.uploads.mkdir(parents=True, exist_ok=True)
        lines, staged = [], []
        for p in paths or []:
            src = Path(p)
            name = safe_name(src.name)
            if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
                lines.append(f"{escape_md(name)}: {L['bad_type']} ({', '.join(UPLOAD_SUFFIXES)})")
                continue
            if src.stat().st_size > self.max_upload:
                lines.append(f"{escape_md(name)}: {L['too_big'].format(mb=self.max_upload // 1_000_000)}")
                continue
            data = src.read_bytes()
            final = name if replace else self._free_name(name, data, {Path(d).name for d in staged})
            if final != name:
                lines.append(f"{escape_md(name)}: {L['renamed'].format(name=escape_md(final))}")
            dest = self.uploads / final
            dest.write_bytes(data)
            staged.append(str(dest))
        if staged:
            def on_file(i, total, result):
                if progress is not None:
                    progress((i + 1) / total, desc=result.source)

            report = ingest(self.store, staged, progress=False, on_file=on_file,
                            max_bytes=self.max_upload)
            for r in report.results:
                state = L["statuses"].get(r.status, r.status)
                state = f"{state}: {r.reason}" if r.status == "failed" else state
                ocr = L["ocr_pages"].format(n=r.ocr_pages) if r.ocr_pages else ""
                lines.append(L["upload_line"].format(source=escape_md(r.source), status=escape_md(state),
                                                     chunks=r.chunks_written, goals=r.goals, ocr=ocr))
                if r.warning:
                    lines.append(f"{escape_md(r.source)}: {L['warning']}: {escape_md(r.warning)}")
        return "\n\n".join(lines) or "–"

    def _free_name(self, name: str, data: bytes, taken_now: set[str]) -> str:
        """`name` when it is free or holds these very bytes; otherwise the first 'stem-N.ext'
        that neither a stored document nor an earlier file of this upload uses."""
        stem, suffix = Path(name).stem, Path(name).suffix
        candidate, n = name, 1
        while not self._same_or_free(candidate, data) or candidate in taken_now:
            n += 1
            candidate = f"{stem}-{n}{suffix}"
        return candidate

    def _same_or_free(self, name: str, data: bytes) -> bool:
        from ingest.pipeline import fingerprint

        on_disk = self.uploads / name
        if on_disk.is_file() and on_disk.read_bytes() != data:
            return False
        row = self.store.catalog.document_by_source(name)
        if row is None:
            return True
        digest = hashlib.sha256(data).hexdigest()
        return row["fingerprint"] == fingerprint(digest, name, self.store.model_id)

    def remove(self, source: str, lang: str = "da") -> str:
        L = LABELS["da" if lang == "da" else "en"]
        row = self.store.catalog.document_by_source(source) if source else None
        if row is None:
            return L["pick_first"]
        self.store.delete_document(row["doc_id"], source)
        from ingest.goals import link_supersessions

        with self.store.catalog.lock("supersessions"):
            link_supersessions(self.store.catalog)
        uploaded = self.uploads / source
        if uploaded.is_file() and uploaded.resolve().parent == self.uploads.resolve():
            uploaded.unlink()
        return f"{escape_md(row['title'] or source)} ({escape_md(source)}): {L['removed']}"


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _kinds(docs, L) -> str:
    counts = Counter(r["doc_type"] for r in docs)
    return ", ".join(f"{n} {L['types_plural'].get(t, t) if n != 1 else L['types'].get(t, t).lower()}"
                     for t, n in counts.most_common())


def _goal_cards(rows: list[dict], heads: dict, lang: str) -> str:
    """The goals as cards for a phone: the columns a caseworker needs, one goal per card."""
    e = html.escape
    cards = []
    for r in rows:
        facts = "".join(f"<div><dt>{e(heads[c])}</dt><dd>{e(str(r[c]) or '–')}</dd></div>"
                        for c in ("target", "deadline", "status", "progress", "set_by", "announced"))
        cards.append(f'<article class="goal-card"><h3>{e(r["topic"])}</h3><dl>{facts}</dl></article>')
    empty = "Ingen mål" if lang == "da" else "No goals"
    return f'<div class="goal-cards">{"".join(cards) or e(empty)}</div>'
