"""End to end in a real browser: Debian's chromium driven by Playwright against the running UI.

Screenshots of every step are saved in test-artifacts/browser/.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from conftest import ARTIFACTS, free_port

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.integration]

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); .ci/run installs it",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

SHOTS = ARTIFACTS / "browser"


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus_dir):
    from ingest.pipeline import ingest
    from ingest.store import Store
    from policyqa.settings import Settings
    from ui.app import launch

    path = tmp_path_factory.mktemp("ui-store")
    ingest(Store(path, create=True), [str(corpus_dir)], progress=False)
    port = free_port()
    settings = Settings(store=path, port=port)
    app = launch(settings, block=False)
    yield f"http://127.0.0.1:{port}", path
    app.close()


@pytest.fixture(scope="module")
def page(server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        outside: list[str] = []
        pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
            ("http://127.0.0.1", "data:", "blob:", "about:")) else None)
        blocked: list[str] = []  # what the Content-Security-Policy refused: it must refuse nothing
        pg.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        pg.goto(server[0])
        pg.wait_for_selector("#question textarea", timeout=60000)
        pg.outside_requests = outside
        pg.csp_violations = blocked
        yield pg
        browser.close()


def shot(page, name: str) -> None:
    time.sleep(0.4)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def ask(page, question: str, turn: int) -> str:
    page.fill("#question textarea", question)
    page.click("#send")
    bots = "#chat .bot-row"
    page.wait_for_function(
        f"document.querySelectorAll(\"{bots}\").length >= {turn}", timeout=60000)
    page.wait_for_timeout(1500)  # the answer streams in
    return page.locator(bots).nth(turn - 1).inner_text()


def test_01_ask_and_cite(page):
    text = ask(page, "What is the homelessness target?", 1)
    assert "4000" in text and "2020" in text
    links = page.locator("#chat a[href^='#cite-0-']")
    assert links.count() >= 2
    shot(page, "01-answer")
    assert "002_c24bb77234d1363e.txt" in page.inner_text("#sources")


def test_02_click_citation_opens_passage(page):
    page.locator("#chat a[href='#cite-0-2']").first.click()
    page.wait_for_function("document.querySelector('#passage').innerText.includes('Antallet af hjemløse')",
                           timeout=20000)
    passage = page.inner_text("#passage")
    assert "Udvalgsreferat" in passage and "2013-10-30" in passage
    assert page.locator("#passage mark").count() >= 1
    shot(page, "02-citation")


def test_03_follow_up(page):
    text = ask(page, "and for drug-related deaths?", 2)
    assert "200" in text
    shot(page, "03-follow-up")


def test_04_filter_by_document_type(page):
    page.click("#filters button, #filters .label-wrap")
    page.get_by_label("Udvalgsreferat").check()
    text = ask(page, "Hvem er formand for Rådet for Socialt Udsatte?", 3)
    assert "Vibe Klarup" not in text  # the chair is named in a press release, filtered out
    shot(page, "04-filter")
    page.get_by_label("Udvalgsreferat").uncheck()


def test_05_feedback(page, server):
    page.fill("#fb-comment textarea", "Mangler kilde om formanden")
    page.click("#fb-bad")
    page.wait_for_function("document.querySelector('#fb-status').innerText.includes('Tak')", timeout=20000)
    from ingest.catalog import Catalog

    rows = Catalog(Path(server[1]) / "catalog.sqlite").feedback()
    assert rows and rows[-1]["rating"] == -1 and rows[-1]["comment"] == "Mangler kilde om formanden"
    assert rows[-1]["question"].startswith("Hvem er formand")
    shot(page, "05-feedback")


def test_06_switch_language(page):
    page.get_by_label("English").check()
    page.wait_for_function("document.querySelector('#send').innerText.trim() === 'Ask'", timeout=20000)
    assert page.locator("#example-0").inner_text().startswith("What is")
    shot(page, "06-english")


def test_07_goals_tab_and_filter(page):
    page.get_by_role("tab", name=re.compile("Goals|Mål")).click()
    page.wait_for_selector("#goals-table", timeout=20000)
    rows = "#goals-table [role=row]"  # the header row is one of them
    page.wait_for_function(f"document.querySelectorAll('{rows}').length > 20", timeout=20000)
    page.locator("#g-topic input").click()
    page.get_by_role("option", name="homelessness", exact=True).click()
    page.wait_for_function(f"document.querySelectorAll('{rows}').length === 3", timeout=20000)
    table = page.inner_text("#goals-table")
    assert "4000" in table and "superseded" in table
    shot(page, "07-goals")


def test_08_upload_ask_remove(page, tmp_path):
    doc = tmp_path / "Odense mål.md"
    doc.write_text("# Odense Kommunes mål for hjemløshed\n\nAntallet af hjemløse i Odense skal "
                   "reduceres med 40 procent frem mod 2027.\n\n<script>alert('x')</script> "
                   "![spor](http://example.invalid/p.png) [klik](http://example.invalid)\n", encoding="utf-8")
    page.get_by_role("tab", name=re.compile("Documents|Dokumenter")).click()
    page.set_input_files("#d-files input[type=file]", str(doc))
    page.wait_for_timeout(1000)
    page.click("#d-add")
    page.wait_for_function("document.querySelector('#d-status').innerText.includes('added')", timeout=120000)
    assert "Odense_mål.md" in page.inner_text("#docs-table")
    shot(page, "08-uploaded")
    page.get_by_role("tab", name=re.compile("Ask|Spørg")).click()
    text = ask(page, "What is the homelessness target in Odense?", 4)
    assert "40" in text and "2027" in text
    page.locator("#chat a[href^='#cite-3-']").first.click()
    page.wait_for_function("document.querySelector('#passage').innerText.includes('Odense')", timeout=20000)
    passage_html = page.inner_html("#passage")
    assert "<script" not in passage_html and "<img" not in passage_html
    assert "alert" in page.inner_text("#passage")  # shown, inert, as text
    shot(page, "09-upload-answer")
    page.get_by_role("tab", name=re.compile("Documents|Dokumenter")).click()
    page.locator("#d-pick input").click()
    page.get_by_role("option", name="Odense_mål.md").click()
    page.click("#d-remove")
    page.wait_for_function("document.querySelector('#d-status').innerText.includes('removed')", timeout=60000)
    assert "Odense_mål.md" not in page.inner_text("#docs-table")
    shot(page, "10-removed")


def test_09_no_outside_requests(page):
    assert page.outside_requests == [], page.outside_requests


def test_10_security_policy_blocks_nothing_the_ui_needs(page):
    """Every earlier test ran under the CSP; none of the page's own scripts, styles, fonts or
    plots was refused."""
    assert page.csp_violations == [], page.csp_violations
