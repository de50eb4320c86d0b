"""The `policyqa` command: thin commands over the library, errors as one line and an exit code."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from policyqa.errors import PolicyQAError, UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Offline Q&A over Danish public-policy documents, with cited answers.")
feedback_app = typer.Typer(help="Feedback given in the UI.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")

_DEBUG = {"on": False}
StoreOpt = typer.Option(None, "--store", help="Store folder (default: $POLICYQA_STORE or .policyqa/).")
ChromaOpt = typer.Option(None, "--chroma-url", help="Use a Chroma server, e.g. http://127.0.0.1:8000.")
CatalogOpt = typer.Option(None, "--catalog-url", help="Keep the catalog in PostgreSQL, e.g. "
                          "postgresql://user:pw@host/db (default: $POLICYQA_CATALOG_URL, else "
                          "catalog.sqlite in the store folder).")


def settings(**overrides):
    from policyqa.settings import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except Exception as e:  # pydantic ValidationError: a bad environment variable or option
        raise UsageError(f"invalid setting: {str(e).splitlines()[0]} ({_first_error(e)})") from e


def _read_catalog(s):
    """The store's catalog opened for reading (SQLite file or PostgreSQL)."""
    from ingest.catalog import open_catalog

    return open_catalog(s.catalog_url or s.store_path() / "catalog.sqlite", create=False,
                        read_only=True, text_search=s.text_search)


def _first_error(e: Exception) -> str:
    errs = getattr(e, "errors", None)
    if callable(errs):
        first = errs()[0]
        return f"{'.'.join(str(x) for x in first.get('loc', ()))}: {first.get('msg')}"
    return str(e)


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors.")) -> None:
    _DEBUG["on"] = debug


@app.command()
def ingest(
    targets: list[str] = typer.Argument(None, help="Files, folders or http(s) URLs (default: corpus/)."),
    store: Optional[Path] = StoreOpt,
    chroma_url: Optional[str] = ChromaOpt,
    catalog_url: Optional[str] = CatalogOpt,
    prune: bool = typer.Option(False, "--prune", help="Remove documents whose files are gone."),
    repair: bool = typer.Option(False, "--repair", help="Re-embed passages whose vectors are "
                                "missing; a damaged catalog is set aside and rebuilt from TARGETS."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    crawl: bool = typer.Option(False, "--crawl", help="Follow the links of each URL given: its "
                               "site's pages (or a sitemap.xml's) are ingested too."),
    depth: int = typer.Option(1, "--depth", min=0, help="With --crawl: how many links away from "
                              "the URL to go (0: the page alone)."),
    same_site: bool = typer.Option(True, "--same-site/--any-site", help="With --crawl: stay on "
                                   "the URL's host (and under its folder when it ends in '/')."),
    max_pages: int = typer.Option(200, "--max-pages", min=1, help="With --crawl: at most this "
                                  "many pages per URL."),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help="With --crawl: seconds between two "
                                "requests to a host (a larger robots.txt Crawl-delay wins)."),
) -> None:
    """Ingest documents into the store; unchanged files are skipped.

    Example: policyqa ingest corpus/ https://example.org/page.html --prune
    Crawl:   policyqa ingest https://example.org/social/ --crawl --depth 2
    Repair:  policyqa ingest --repair corpus/
    """
    from ingest.pipeline import ingest as run_ingest
    from ingest.store import Store

    s = settings(store=store, chroma_url=chroma_url, catalog_url=catalog_url)
    aside = None
    if repair and not s.catalog_url:
        from ingest.repair import set_aside_damaged_catalog

        aside = set_aside_damaged_catalog(s.store_path())
        if aside and not targets:
            raise UsageError("the catalog is damaged: give the folders or files the documents came "
                             "from, e.g. 'policyqa ingest --repair corpus/'")
        if aside:
            print(f"the damaged catalog was set aside as {aside}; rebuilding it from the documents",
                  file=sys.stderr)
    st = Store.from_settings(s, create=True, check=not repair)
    default = [] if repair else ["corpus"]
    from ingest.pipeline import CrawlOptions

    options = CrawlOptions(depth, same_site, max_pages, delay) if crawl else None
    report = run_ingest(st, targets or default, prune=prune, repair=repair, crawl=options,
                        max_bytes=int(s.max_file_mb * 1_000_000), timeout=s.url_timeout)
    summary = report.summary()
    if aside and summary.get("repair") is not None:
        summary["repair"]["catalog_set_aside"] = aside
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        line = (f"added {summary['added']}, updated {summary['updated']}, unchanged "
                f"{summary['unchanged']}, removed {summary['removed']}, failed {summary['failed']}, "
                f"skipped {summary['skipped']}; {summary['chunks_written']} chunks written"
                + (f", {summary['ocr_pages']} scanned pages read by OCR" if summary["ocr_pages"] else "")
                + f" in {summary['seconds']} s")
        if summary.get("repair") is not None:
            r = summary["repair"]
            line += (f"; repair: {r['documents_repaired']} of {r['documents_checked']} documents "
                     f"lacked vectors, {r['vectors_written']} vectors re-embedded")
        print(line)
        for f in summary["failures"]:
            print(f"failed: {printable(f['source'])}: {printable(f['reason'])}", file=sys.stderr)
        for f in summary["skips"]:
            print(f"skipped: {printable(f['source'])}: {printable(f['reason'])}", file=sys.stderr)
        for f in summary["warnings"]:
            print(f"warning: {printable(f['source'])}: {printable(f['warning'])}", file=sys.stderr)
    if summary["failed"] and not (summary["added"] or summary["updated"] or summary["unchanged"]):
        raise typer.Exit(2)


def printable(text: str) -> str:
    """A name as the terminal should show it: newlines, escape codes and other control
    characters spelled out (a file called 'a\\x1b[2Jb.txt' must not clear the screen)."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in str(text))


@app.command()
def ask(
    questions: list[str] = typer.Argument(..., help="One or more questions (Danish or English)."),
    store: Optional[Path] = StoreOpt,
    chroma_url: Optional[str] = ChromaOpt,
    catalog_url: Optional[str] = CatalogOpt,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line per question."),
    doc_type: list[str] = typer.Option([], "--doc-type", help="Only these document types."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Only documents from this date (ISO)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Only documents up to this date (ISO)."),
    stream: bool = typer.Option(False, "--stream", help="With an LLM answerer: print the answer as "
                                "it is written, then the verified version if anything was removed."),
) -> None:
    """Answer questions with cited passages (the model loads once for all of them).

    Example: policyqa ask "Hvad er målet for hjemløshed?" "Who chairs Rådet for Socialt Udsatte?"
    """
    from assistant.models import Filters
    from assistant.service import Assistant

    s = settings(store=store, chroma_url=chroma_url, catalog_url=catalog_url)
    filters = None
    if doc_type or date_from or date_to:
        filters = Filters(tuple(doc_type), _iso(date_from), _iso(date_to))
        filters.validate()
    bot = Assistant.from_settings(s)
    for q in questions:
        streamed: list[str] = []

        def on_token(token: str) -> None:
            if not streamed:
                print(f"Q: {q}")
            streamed.append(token)
            sys.stdout.write(token)
            sys.stdout.flush()

        answer = bot.ask(q, filters=filters, on_token=on_token if stream and not as_json else None)
        if streamed:
            print()
            if "".join(streamed).strip() != answer.answer.strip():
                print("--- verified answer (unverifiable sentences removed) ---")
            else:
                print("--- verified ---")
        if as_json:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            _print_answer(answer)


def _iso(value: str | None) -> str | None:
    if value is None:
        return None
    from ingest.dates import parse_date

    iso = parse_date(value)
    if iso is None:
        raise UsageError(f"not a date: '{value}' (use YYYY-MM-DD)")
    return iso


def _print_answer(answer) -> None:
    print(f"Q: {answer.question}")
    print(answer.answer)
    for c in answer.citations:
        where = c.where()
        print(f"  [{c.n}] {c.title} ({c.date or 'no date'}, {c.doc_type}) — {c.source}"
              + (f", {where}" if where else ""))
        quote = " ".join((c.quote or c.text).split())
        print(f"      “{quote[:300]}{'…' if len(quote) > 300 else ''}”")
    if answer.notice:
        print(f"  note: {answer.notice}")
    for d in answer.dropped:
        print(f"  removed: {d['sentence'][:200]} ({d['reason']})")
    print()


def _print_rows(as_json: bool, as_csv: bool, json_rows, csv_text, table) -> None:
    """A listing as JSON, CSV or a table (the default), each made only when asked for."""
    if as_json:
        print(json.dumps(json_rows(), ensure_ascii=False, indent=1))
    elif as_csv:
        sys.stdout.write(csv_text())
    else:
        table()


@app.command()
def goals(
    topic: Optional[str] = typer.Option(None, "--topic", help="Topic key or word, e.g. homelessness."),
    programme: Optional[str] = typer.Option(None, "--programme", help="Part of a programme name."),
    year: Optional[int] = typer.Option(None, "--year", help="Deadline or announcement year."),
    store: Optional[Path] = StoreOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the goals as a JSON list."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the goals as CSV."),
) -> None:
    """List the policy goals extracted from the documents.

    Example: policyqa goals --topic hjemløshed --json
    """
    from ingest.goal_table import filter_goals, goals_csv, goals_json_rows, goals_table
    from ingest.progress import progress_by_goal

    cat = _read_catalog(settings(store=store))
    rows = filter_goals(cat.goals(), topic=topic, programme=programme, year=year)
    progress = progress_by_goal(cat, rows)
    _print_rows(as_json, as_csv, lambda: goals_json_rows(rows, progress),
                lambda: goals_csv(rows, progress=progress), lambda: goals_table(rows, progress))


@app.command()
def measurements(
    topic: Optional[str] = typer.Option(None, "--topic", help="Topic key or word, e.g. homelessness."),
    store: Optional[Path] = StoreOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the measurements as a JSON list."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the measurements as CSV."),
) -> None:
    """List the measured figures (where things stand) extracted from the documents.

    Example: policyqa measurements --topic hjemløshed --csv
    """
    from dataclasses import asdict

    from ingest.goal_table import filter_measurements, measurements_csv, measurements_table

    rows = filter_measurements(_read_catalog(settings(store=store)).measurements(), topic=topic)
    _print_rows(as_json, as_csv, lambda: [asdict(m) for m in rows], lambda: measurements_csv(rows),
                lambda: measurements_table(rows))


@app.command()
def serve(
    host: Optional[str] = typer.Option(None, "--host", help="Address to bind (default 127.0.0.1)."),
    port: Optional[int] = typer.Option(None, "--port", help="Port (default 7860)."),
    store: Optional[Path] = StoreOpt,
    chroma_url: Optional[str] = ChromaOpt,
    catalog_url: Optional[str] = CatalogOpt,
) -> None:
    """Start the web UI.

    Example: policyqa serve --port 7860
    """
    from ui.app import launch

    launch(settings(host=host, port=port, store=store, chroma_url=chroma_url, catalog_url=catalog_url))


@app.command("eval")
def eval_cmd(
    eval_set_name: str = typer.Option("seed", "--set", help="Collection: 'seed' (questions on "
                                      "corpus/), 'unseen' (evals/unseen, documents in styles no "
                                      "rule was written from; evaluated in a store of its own), "
                                      "'progress' (goal progress: evals/progress over both "
                                      "collections), 'fresh' (evals/fresh, other policy areas, "
                                      "over all three collections), 'blind' (evals/blind, written "
                                      "after the last answer-engine changes, over all four), "
                                      "'civic' (evals/civic, a fifth by other authors, over all five) or "
                                      "'field' (evals/field, a sixth weighted to goal progress and "
                                      "near misses, over all six)."),
    questions: Optional[Path] = typer.Option(None, "--questions", help="Question set (JSONL)."),
    split: str = typer.Option("test", "--split", help="dev, test or all."),
    configs: str = typer.Option("bm25,dense,hybrid,hybrid+goals,baseline", "--configs",
                                help="Comma-separated configurations to compare."),
    out: Optional[Path] = typer.Option(None, "--out", help="Report folder (default evals/reports/<set>-<split>)."),
    compare: Optional[Path] = typer.Option(None, "--compare", help="A previous results.json or report folder."),
    corpus: list[str] = typer.Option([], "--corpus", help="Corpus the baseline is built from "
                                     "(default: the set's documents)."),
    store: Optional[Path] = StoreOpt,
    catalog_url: Optional[str] = typer.Option(
        None, "--catalog-url", help="A set with a store of its own keeps that store's catalog in "
        "this (empty, dedicated) PostgreSQL database instead of a SQLite file: measures the "
        "PostgreSQL catalog. $POLICYQA_CATALOG_URL is never used for such a set."),
) -> None:
    """Evaluate configurations side by side on a question set and write a report.

    Example: policyqa eval --set unseen --split dev --out evals/reports/unseen-dev
    """
    from evals import report
    from evals.runner import load_questions, run
    from evals.sets import eval_set
    from evals.tuned import tuned_defaults
    from ingest.store import Store

    chosen = eval_set(eval_set_name)
    s = settings(store=store)
    if split not in ("dev", "test", "all"):
        raise UsageError(f"unknown split '{split}' (use dev, test or all)")
    qpath = questions or chosen.questions
    if not Path(qpath).exists():
        raise UsageError(f"{qpath}: no such question file")
    items = load_questions(qpath, split)
    if not items:
        raise UsageError(f"{qpath}: no questions in split '{split}'")
    names = [c.strip() for c in configs.split(",") if c.strip()]
    previous = None
    if compare:
        cpath = compare / "results.json" if compare.is_dir() else compare
        if not cpath.exists():
            raise UsageError(f"{cpath}: no previous results to compare with")
        previous = json.loads(cpath.read_text(encoding="utf-8"))["configs"]
    docs = corpus or [str(p) for p in chosen.corpus]
    if chosen.own_store:
        from ingest.pipeline import ingest as run_ingest

        st = Store(chosen.store_path(s.store_path()), spec=s.embedding, threads=s.threads,
                   create=True, catalog_url=catalog_url, text_search=s.text_search)
        summary = run_ingest(st, docs).summary()
        print(f"{chosen.name} collection: {summary['added'] + summary['updated'] + summary['unchanged']} "
              f"documents in {st.path}", file=sys.stderr)
    else:
        st = Store.from_settings(s)
    results = run(st, items, names, docs)
    out_dir = out or Path("evals/reports") / (split if chosen.name == "seed" else f"{chosen.name}-{split}")
    try:
        shown = Path(qpath).resolve().relative_to(Path.cwd())
    except ValueError:
        shown = Path(qpath)
    report.write(results, out_dir, split=split, questions=str(shown), tuned=tuned_defaults(),
                 previous=previous)
    print(f"{chosen.name} set, {split} split, {len(items)} questions\n")
    print(report.comparison_table(results))
    if report.llm_table(results):
        print("\n" + report.llm_table(results))
    if previous:
        print("\n" + report.deltas(results, previous))
    print(f"\nreport: {out_dir / 'report.md'}")


@app.command("fit")
def fit_cmd(
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for evidence_model.json "
                                       "(default: the installed package's assistant/data/)."),
    store: Optional[Path] = StoreOpt,
) -> None:
    """Refit the evidence model on the dev questions of both collections (never test).

    The model is written only when, cross-validated by document, it puts a sentence holding an
    expected fact first more often than the hand-set weights; otherwise answering keeps those.

    Example: policyqa fit
    """
    from evals.fit import DATA, collect, main as fit_main

    figures = fit_main(collect(settings(store=store)), out or DATA)
    print(json.dumps(figures, indent=1))


@app.command()
def doctor(
    store: Optional[Path] = StoreOpt,
    chroma_url: Optional[str] = ChromaOpt,
    catalog_url: Optional[str] = CatalogOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the checks as a JSON list."),
) -> None:
    """Check the store: reachable, schema version, model, and that the catalog and the vectors
    agree (passages without vectors, orphans). Writes nothing; exit code 1 if a check fails.

    Example: policyqa doctor --catalog-url postgresql://policyqa@db/policyqa --chroma-url http://chroma:8000
    """
    from ingest.doctor import as_json as checks_json
    from ingest.doctor import doctor as run_doctor

    checks = run_doctor(settings(store=store, chroma_url=chroma_url, catalog_url=catalog_url))
    if as_json:
        print(json.dumps(checks_json(checks), ensure_ascii=False, indent=1))
    else:
        for c in checks:
            print(f"{c.status:<4}  {c.name}: {printable(c.detail)}")
    if any(c.status == "fail" for c in checks):
        raise typer.Exit(1)


@app.command("export")
def export_cmd(
    out: Path = typer.Option(..., "--out", help="File to write (gzip-compressed JSON lines)."),
    store: Optional[Path] = StoreOpt,
    chroma_url: Optional[str] = ChromaOpt,
    catalog_url: Optional[str] = CatalogOpt,
) -> None:
    """Write the whole store (documents, passages, goals, measurements, feedback and vectors) to
    one file: a backup, or a move between the embedded and the server form.

    Example: policyqa export --out policyqa-2026-12-01.jsonl.gz
    """
    from ingest.backup import export_store
    from ingest.store import Store

    s = settings(store=store, chroma_url=chroma_url, catalog_url=catalog_url)
    st = Store.from_settings(s, read_only=True)
    r = export_store(st, out)
    print(f"exported {r.documents} documents, {r.passages} passages, {r.vectors} vectors, "
          f"{r.goals} goals, {r.measurements} measurements, {r.feedback} feedback to {out}")


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="A file written by 'policyqa export'."),
    store: Optional[Path] = StoreOpt,
    chroma_url: Optional[str] = ChromaOpt,
    catalog_url: Optional[str] = CatalogOpt,
) -> None:
    """Add an exported store to this one (a document of the same source is replaced); the file
    is checked whole before anything is written, and nothing is embedded again.

    Example: policyqa import policyqa-2026-12-01.jsonl.gz --catalog-url postgresql://policyqa@db/policyqa
    """
    from ingest.backup import import_store
    from ingest.store import Store

    s = settings(store=store, chroma_url=chroma_url, catalog_url=catalog_url)
    st = Store.from_settings(s, create=True)
    r = import_store(st, file)
    print(f"imported {r.documents} documents, {r.passages} passages, {r.vectors} vectors, "
          f"{r.goals} goals, {r.measurements} measurements, {r.feedback} feedback"
          + (f" ({r.feedback_skipped} feedback already there)" if r.feedback_skipped else ""))


@feedback_app.command("export")
def feedback_export(
    out: Optional[Path] = typer.Option(None, "--out", help="File to write (default: stdout)."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl, csv or eval (the questions marked "
                            "bad as draft evaluation items, JSONL, for a person to complete)."),
    store: Optional[Path] = StoreOpt,
) -> None:
    """Export feedback (question, answer, citations, rating, comment) for the evaluation set.

    With --format eval, each question marked bad is written once as a draft item of the
    question-set format (split dev, "status": "draft", the assistant's answer under "draft"):
    fill in answerable and the expected facts and sources, and remove "status", before adding it
    to a dev split; the evaluation refuses a draft (policyqa feedback export --format eval
    --out drafts.jsonl).

    Example: policyqa feedback export --format csv --out feedback.csv
    """
    from ui.feedback import export_feedback

    s = settings(store=store)
    cat = _read_catalog(s)
    text = export_feedback(cat.feedback(), fmt)
    if fmt == "eval" and not text:
        print("no feedback marked bad", file=sys.stderr)
        return
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def main() -> None:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    try:
        code = app(standalone_mode=False)  # click returns a typer.Exit's code instead of exiting
        sys.exit(code if isinstance(code, int) else 0)
    except PolicyQAError as e:
        if _DEBUG["on"]:
            raise
        print(f"error: {printable(e)}", file=sys.stderr)
        sys.exit(e.exit_code)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        print("aborted", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as e:  # click usage errors and the unexpected: one line, no traceback
        if hasattr(e, "show") and isinstance(getattr(e, "exit_code", None), int):
            e.show()  # a usage error from the option parser (exit code 2)
            sys.exit(e.exit_code)
        if type(e).__name__ == "Exit" and isinstance(getattr(e, "exit_code", None), int):
            sys.exit(e.exit_code)
        if _DEBUG["on"] or "--debug" in sys.argv:
            raise
        print(f"error: {type(e).__name__}: {e} (run with --debug for details)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
