"""What the UI's buttons do: ask, open a citation, give feedback, list goals, upload and remove files."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from assistant.models import Answer, Filters
from ingest.goal_table import COLUMNS, filter_goals, flat_row, goals_csv
from ui.render import LABELS, answer_markdown, citations_markdown, context_markdown, escape_md

UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


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
    def goal_choices(self) -> tuple[list[str], list[str], list[str]]:
        goals = self.store.catalog.goals()
        topics = sorted({g.topic_en for g in goals})
        programmes = sorted({g.programme for g in goals if g.programme})
        years = sorted({str(y) for g in goals for y in (g.deadline, _year(g.announced)) if y})
        return topics, programmes, years

    def goals_rows(self, topic: str | None, programme: str | None, year: str | None, query: str | None,
                   lang: str = "da") -> list[list[str]]:
        goals = filter_goals(self.store.catalog.goals(), topic=topic or None, programme=programme or None,
                             year=int(year) if year else None, query=(query or "").strip() or None)
        progress = self._progress(goals)
        return [[str(flat_row(g, lang, progress)[c]) for c in COLUMNS] for g in goals]

    def _progress(self, goals) -> dict:
        """Each goal's progress, cached until the store changes."""
        from ingest.progress import progress_by_goal

        version = self.store.catalog.version()
        if getattr(self, "_progress_version", None) != version:
            self._progress_cache = progress_by_goal(self.store.catalog)
            self._progress_version = version
        return {g.goal_id: self._progress_cache[g.goal_id] for g in goals if g.goal_id in self._progress_cache}

    def goals_csv_file(self, topic, programme, year, query) -> str:
        goals = filter_goals(self.store.catalog.goals(), topic=topic or None, programme=programme or None,
                             year=int(year) if year else None, query=(query or "").strip() or None)
        out = self.store.path / "exports"
        out.mkdir(exist_ok=True)
        path = out / "policyqa-goals.csv"
        path.write_text(goals_csv(goals, progress=self._progress(goals)), encoding="utf-8")
        return str(path)

    def timeline(self, topic: str | None, lang: str = "da"):
        from ui.timeline import timeline_figure

        goals = [g for g in self.store.catalog.goals() if not topic or g.topic_en == topic]
        return timeline_figure(goals, lang, self._progress(goals))

    # -- documents -------------------------------------------------------------------------
    def documents_rows(self) -> list[list[str]]:
        return [[r["title"] or "", r["date"] or "", r["doc_type"], str(r["n_chunks"]), str(r["n_goals"]),
                 r["source"]] for r in self.store.catalog.documents()]

    def document_sources(self) -> list[str]:
        return [r["source"] for r in self.store.catalog.documents()]

    def upload(self, paths: list[str], progress=None, replace: bool = False) -> str:
        """Copy uploads under sanitised names into the store's upload folder and ingest them.

        An upload never replaces a different document by accident: when its cleaned name is
        taken by other content, it is stored as 'name-2.ext' (and said so), unless `replace`."""
        from ingest.pipeline import ingest

        self.uploads.mkdir(parents=True, exist_ok=True)
        lines, staged = [], []
        for p in paths or []:
            src = Path(p)
            name = safe_name(src.name)
            if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
                lines.append(f"{escape_md(name)}: {LABELS['en']['bad_type']} ({', '.join(UPLOAD_SUFFIXES)})")
                continue
            if src.stat().st_size > self.max_upload:
                lines.append(f"{escape_md(name)}: over {self.max_upload // 1_000_000} MB")
                continue
            data = src.read_bytes()
            final = name if replace else self._free_name(name, data, {Path(d).name for d in staged})
            if final != name:
                lines.append(f"{escape_md(name)}: another document already has this name; "
                             f"stored as {escape_md(final)}")
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
                status = r.status if r.status != "failed" else f"failed: {r.reason}"
                ocr = f", {r.ocr_pages} pages read by OCR" if r.ocr_pages else ""
                lines.append(f"{escape_md(r.source)}: {escape_md(status)} ({r.chunks_written} chunks, "
                             f"{r.goals} goals{ocr})")
                if r.warning:
                    lines.append(f"{escape_md(r.source)}: warning: {escape_md(r.warning)}")
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

    def remove(self, source: str) -> str:
        row = self.store.catalog.document_by_source(source) if source else None
        if row is None:
            return "–"
        self.store.delete_document(row["doc_id"], source)
        from ingest.goals import link_supersessions

        link_supersessions(self.store.catalog)
        uploaded = self.uploads / source
        if uploaded.is_file() and uploaded.resolve().parent == self.uploads.resolve():
            uploaded.unlink()
        return f"{escape_md(source)}: removed"


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None
