"""End to end in a real browser: Debian's chromium driven by Playwright against the running UI.

Each test holds one thing a caseworker hit (the numbers are those of the UI issue), and axe-core
checks WCAG 2.1 A/AA on every tab in both languages, at 1,400 px and 390 px, empty and after an
answer. Screenshots of every step are saved in test-artifacts/browser/; the README's come from
here too (readme-*.png).
"""

from __future__ import annotations

import csv
import io
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
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
RAW_CODES = ("decrease", "increase", "numeric_target", "direction_only", "intention", "superseded",
             "adults", "children and young people", "current")

ODENSE = ("# Odense Kommunes mål for hjemløshed\n\n12. marts 2025 vedtog byrådet en ny plan.\n\n"
          "Antallet af hjemløse i Odense skal reduceres med 40 procent frem mod 2027.\n\n"
          "<script>alert('x')</script> ![spor](http://example.invalid/p.png) [klik](http://example.invalid)\n")


def _launch(path: Path):
    from policyqa.settings import Settings
    from ui.app import launch

    port = free_port()
    return f"http://127.0.0.1:{port}", launch(Settings(store=path, port=port), block=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus_dir):
    from ingest.pipeline import ingest
    from ingest.store import Store

    path = tmp_path_factory.mktemp("ui-store")
    ingest(Store(path, create=True), [str(corpus_dir)], progress=False)
    url, app = _launch(path)
    yield url, path
    app.close()


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, url: str, viewport: dict, context=None):
    ctx = context or browser.new_context(viewport=viewport, accept_downloads=True)
    pg = ctx.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        ("http://127.0.0.1", "data:", "blob:", "about:")) else None)
    blocked: list[str] = []  # what the Content-Security-Policy refused: it must refuse nothing
    pg.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    pg.goto(url)
    pg.wait_for_selector("#question textarea", timeout=60000)
    pg.wait_for_function("document.documentElement.dataset.policyqaLang", timeout=30000)  # the page is set up
    pg.wait_for_timeout(800)
    pg.outside_requests = outside
    pg.csp_violations = blocked
    return pg


@pytest.fixture(scope="module")
def page(browser, server):
    pg = _open(browser, server[0], DESKTOP)
    yield pg
    pg.context.close()


@pytest.fixture(scope="module")
def phone(browser, server):
    pg = _open(browser, server[0], PHONE)
    yield pg
    pg.context.close()


def shot(page, name: str) -> None:
    time.sleep(0.4)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def tab(page, da: str, en: str) -> None:
    page.get_by_role("tab", name=re.compile(f"^({da}|{en})$")).click()
    page.wait_for_timeout(600)


def ask(page, question: str, turn: int) -> str:
    page.fill("#question textarea", question)
    page.click("#send")
    return _answer(page, turn)


def _answer(page, turn: int) -> str:
    bots = "#chat .bot-row"
    page.wait_for_function(f"document.querySelectorAll(\"{bots}\").length >= {turn}", timeout=60000)
    page.wait_for_function("!document.querySelector('#chat .pending, #chat .generating')", timeout=60000)
    page.wait_for_timeout(1500)  # the answer streams in
    return page.locator(bots).nth(turn - 1).inner_text()


def reload(page) -> None:
    page.reload()
    page.wait_for_selector("#question textarea", timeout=60000)
    page.wait_for_function("document.documentElement.dataset.policyqaLang", timeout=30000)
    page.wait_for_timeout(1000)


def in_view(page, selector: str) -> bool:
    """The element is inside the window, and inside every scrolling box around it."""
    return page.evaluate("""(sel) => {
      const el = document.querySelector(sel);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      if (r.bottom <= 0 || r.top >= window.innerHeight || r.right <= 0 || r.left >= window.innerWidth) return false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (!/(auto|scroll)/.test(s.overflowY)) continue;
        const b = p.getBoundingClientRect();
        if (r.bottom <= b.top || r.top >= b.bottom) return false;
      }
      return true;
    }""", selector)


def set_language(page, name: str) -> None:
    code = "en" if name == "English" else "da"
    page.get_by_label(name, exact=True).check()
    page.wait_for_function(f"document.documentElement.dataset.policyqaLang === '{code}'", timeout=20000)
    page.wait_for_timeout(1200)


# -- 7 (first screen), 8: what a new user sees before asking ---------------------------------------
def test_01_first_screen_tells_what_the_store_holds(page):
    about = page.inner_text("#about")
    assert "5 dokumenter" in about and "2013-10-30" in about and "2020-11-25" in about
    assert "pressemeddelelser" in about and "senest indlæst" in about
    assert not page.locator("#fb-good").is_visible(), "feedback buttons before any answer"
    assert page.evaluate("document.documentElement.lang") == "da"
    page.click("#help button, #help .label-wrap")
    page.wait_for_timeout(500)
    helptext = page.inner_text("#help-text")
    assert "hjemløshed" in helptext and "narkorelaterede dødsfald" in helptext
    assert "pressemeddelelser" in helptext
    shot(page, "00-first-screen")


def test_02_examples_come_from_the_store_and_are_answerable(page):
    examples = [page.inner_text(f"#example-{i}").strip() for i in range(4)
                if page.locator(f"#example-{i}").is_visible()]
    assert len(examples) >= 3, examples
    for i, q in enumerate(examples):
        page.click(f"#example-{i}")
        text = _answer(page, i + 1)
        assert page.locator(f"#chat a[href^='#cite-{i}-']").count() >= 1, (q, text)
    reload(page)


def test_03_examples_on_another_corpus(browser, tmp_path):
    """A municipality's own documents: no example speaks of the seed documents, and each is
    answered from the store with a source."""
    from ingest.pipeline import ingest
    from ingest.store import Store

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "vejle.md").write_text(
        "# Vejle Kommunes handleplan for ældreområdet\n\n"
        "Vejle Kommune vil nedbringe antallet af faldulykker blandt ældre med 30 procent inden 2028.\n\n"
        "Ventetiden på en plejebolig skal være højst 8 uger i 2027.\n", encoding="utf-8")
    store = tmp_path / "store"
    ingest(Store(store, create=True), [str(docs)], progress=False)
    url, app = _launch(store)
    try:
        pg = _open(browser, url, DESKTOP)
        examples = [pg.inner_text(f"#example-{i}").strip() for i in range(4) if pg.locator(f"#example-{i}").is_visible()]
        assert examples, "no example on a store with goals"
        assert not any(re.search(r"Rådet for Socialt Udsatte|november 2020|hjemløs", q) for q in examples), examples
        for i in range(len(examples)):
            pg.click(f"#example-{i}")
            _answer(pg, i + 1)
            assert pg.locator(f"#chat a[href^='#cite-{i}-']").count() >= 1, examples[i]
        assert "1 dokument (" in pg.inner_text("#about") and "dateret" not in pg.inner_text("#about")
        shot(pg, "03-other-corpus")
        pg.context.close()
    finally:
        app.close()


# -- 4: citations -----------------------------------------------------------------------------------
def test_04_ask_and_cite_with_links_that_look_like_links(page):
    text = ask(page, "What is the homelessness target?", 1)
    assert "4000" in text.replace(".", "") and "2020" in text
    links = page.locator("#chat a[href^='#cite-0-']")
    assert links.count() >= 2
    style = links.first.evaluate("a => { const s = getComputedStyle(a); return [s.color, s.textDecorationLine]; }")
    assert style[0] not in ("rgb(0, 0, 0)", "rgb(17, 24, 39)", "rgb(31, 41, 55)"), style
    assert "underline" in style[1], style
    assert page.locator("#fb-good").is_visible(), "feedback after an answer"
    shot(page, "01-answer")
    assert "002_c24bb77234d1363e.txt" in page.inner_text("#sources")


def test_05_click_citation_scrolls_the_sentence_into_view(page):
    page.evaluate("window.scrollTo(0, 0); document.querySelector('#passage').scrollTop = 0")
    page.locator("#chat a[href='#cite-0-2']").first.click()
    page.wait_for_function("document.querySelector('#passage').innerText.includes('Antallet af hjemløse')",
                           timeout=20000)
    page.wait_for_timeout(800)
    passage = page.inner_text("#passage")
    assert "Udvalgsreferat" in passage and "2013-10-30" in passage
    assert page.locator("#passage mark").count() >= 1
    assert in_view(page, "#passage mark"), "the highlighted sentence is out of sight"
    shot(page, "02-citation")


def test_06_citation_on_a_phone_scrolls_to_the_passage(phone):
    ask(phone, "Hvad er målet for hjemløshed?", 1)
    phone.evaluate("window.scrollTo(0, 0)")
    phone.locator("#chat a[href='#cite-0-2']").first.click()
    phone.wait_for_timeout(1500)
    assert in_view(phone, "#passage mark"), "nothing visible happened on the phone"
    shot(phone, "06-phone-citation")


def test_07_a_refusal_clears_the_source_panel(page):
    ask(page, "Hvad koster en billet til månen i 2031?", 2)
    assert page.locator("#passage mark").count() == 0
    assert "ingen kilder" in page.inner_text("#passage")
    assert "Antallet af hjemløse" not in page.inner_text("#passage")


def test_08_follow_up_in_english_after_danish_is_answered_in_english(page):
    ask(page, "Hvad er målet for hjemløshed?", 3)
    text = ask(page, "and for drug-related deaths?", 4)
    assert "200" in text
    assert "Målene i dokumenterne" not in text and "nævner ikke" not in text, text
    assert "goals in the documents" in text or "In Danish" in text, text
    shot(page, "03-follow-up")


def test_09_filter_by_document_type(page):
    page.click("#filters button, #filters .label-wrap")
    page.get_by_label("Udvalgsreferat").check()
    text = ask(page, "Hvem er formand for Rådet for Socialt Udsatte?", 5)
    assert "Vibe Klarup" not in text  # the chair is named in a press release, filtered out
    shot(page, "04-filter")
    page.get_by_label("Udvalgsreferat").uncheck()


def test_10_feedback(page, server):
    page.fill("#fb-comment textarea", "Mangler kilde om formanden")
    page.click("#fb-bad")
    page.wait_for_function("document.querySelector('#fb-status').innerText.includes('Tak')", timeout=20000)
    from ingest.catalog import SQLiteCatalog as Catalog

    rows = Catalog(Path(server[1]) / "catalog.sqlite").feedback()
    assert rows and rows[-1]["rating"] == -1 and rows[-1]["comment"] == "Mangler kilde om formanden"
    assert rows[-1]["question"].startswith("Hvem er formand")
    shot(page, "05-feedback")


# -- 1, 2: the goals table and its CSV ----------------------------------------------------------------
def test_11_goals_table_shows_what_a_caseworker_needs_in_danish(page):
    tab(page, "Mål", "Goals")
    rows = "#goals-table [role=row]"
    page.wait_for_function(f"document.querySelectorAll('{rows}').length > 5", timeout=20000)
    heads = page.evaluate("""() => [...document.querySelectorAll('#goals-table [role=columnheader]')]
        .map(h => [h.innerText.trim(), h.getBoundingClientRect().right])""")
    names = [h[0] for h in heads]
    for need in ("Emne", "Mål", "Frist", "Status", "Fremdrift", "Sat af", "Dato"):
        assert need in names, names
    assert all(right <= DESKTOP["width"] for name, right in heads if name), heads
    table = page.inner_text("#goals-table")
    assert not [c for c in RAW_CODES if re.search(rf"\b{c}\b", table)], table[:500]
    assert "afløst" in table and "gældende" in table
    page.locator("#g-topic input").click()
    options = page.locator("[role=option]").all_inner_texts()
    assert "hjemløshed" in options and "homelessness" not in options, options
    page.get_by_role("option", name="hjemløshed", exact=True).click()
    page.wait_for_function(f"document.querySelectorAll('{rows}').length === 3", timeout=20000)
    table = page.inner_text("#goals-table")
    assert "4.000" in table and "afløst" in table
    shot(page, "07-goals")
    page.check("#g-all input")
    page.wait_for_function("[...document.querySelectorAll('#goals-table [role=columnheader]')]"
                           ".some(h => h.innerText.includes('Indikator'))", timeout=20000)
    page.uncheck("#g-all input")


def _download(page) -> str:
    with page.expect_download(timeout=20000) as info:
        page.click("#g-download")
    return Path(info.value.path()).read_bytes().decode("utf-8")


def test_12_csv_is_one_click_of_exactly_the_rows_shown(page):
    for topic, other in (("prostitution", "hjemløshed"), ("hjemløshed", "prostitution")):
        page.locator("#g-topic input").click()
        page.get_by_role("option", name=topic, exact=True).click()
        page.wait_for_timeout(1500)
        shown = page.locator("#goals-table [role=row]").count() - 1
        text = _download(page)  # one click
        assert text.startswith("\ufeff"), "no BOM: Excel shows æøå wrong"
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert "Emne" in rows[0] and "Frist" in rows[0], list(rows[0])
        assert len(rows) == shown, (topic, len(rows), shown)
        assert {r["Emne"] for r in rows} == {topic}, {r["Emne"] for r in rows}
        assert other not in text.split("\n", 1)[1].split(",")[0]


def test_13_goals_on_a_phone_are_cards_inside_the_screen(phone):
    tab(phone, "Mål", "Goals")
    phone.wait_for_selector(".goal-card", timeout=20000)
    assert not phone.locator("#goals-table").is_visible()
    first = phone.locator(".goal-card").first
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    card = first.inner_text()
    for need in ("Mål", "Frist", "Status", "Sat af", "Dato"):
        assert need in card, card
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "13-phone-goals")


def test_14_timeline_labels_stay_inside_the_figure(server):
    from assistant.service import Assistant
    from ingest.store import Store
    from ui.controller import Controller

    ctl = Controller(Assistant(Store(server[1])))
    for lang in ("da", "en"):
        fig = ctl.timeline(None, lang)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        width = fig.bbox.width
        outside = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_window_extent(renderer).x1 > width]
        assert not outside, outside
        words = " ".join(t.get_text() for ax in fig.axes for t in ax.texts + [ax.xaxis.label])
        if lang == "en":
            assert "Year" in words and "homelessness" in words and "hjemløshed" not in words
        else:
            assert "År" in words and "hjemløshed" in words


# -- 3: documents ---------------------------------------------------------------------------------------
def test_15_upload_survives_a_reload_and_removal_asks_first(page, tmp_path):
    doc = tmp_path / "Odense mål.md"
    doc.write_text(ODENSE, encoding="utf-8")
    tab(page, "Dokumenter", "Documents")
    page.set_input_files("input[type=file][accept*='.docx']", str(doc))
    page.wait_for_function("document.querySelector('#d-status').innerText.includes('tilføjet')", timeout=120000)
    assert "Odense_mål.md" in page.inner_text("#docs-table")
    shot(page, "08-uploaded")
    reload(page)
    tab(page, "Dokumenter", "Documents")
    assert "Odense_mål.md" in page.inner_text("#docs-table"), "the upload is gone after a reload"
    assert page.locator("#d-pick input").input_value() == "", "a document is preselected for removal"
    page.locator("#d-pick input").click()
    options = page.locator("[role=option]").all_inner_texts()
    assert "Odense Kommunes mål for hjemløshed (2025-03-12)" in options, options
    assert not any(re.search(r"_[0-9a-f]{16}\.txt", o) for o in options), options
    page.get_by_role("option", name=re.compile("^Odense Kommunes mål for hjemløshed")).click()
    page.click("#d-remove")
    page.wait_for_selector("#d-confirm", state="visible", timeout=20000)
    assert "Odense Kommunes mål for hjemløshed" in page.inner_text("#d-confirm-text")
    page.click("#d-cancel")
    page.wait_for_timeout(800)
    assert "Odense_mål.md" in page.inner_text("#docs-table"), "cancel removed the document"
    assert "6 dokumenter" in page.inner_text("#about")


def test_16_uploaded_document_is_cited_as_inert_text_with_dates_not_lists(page):
    tab(page, "Spørg", "Ask")
    reload(page)
    text = ask(page, "Hvornår vedtog byrådet i Odense en ny plan?", 1)
    assert "12. marts 2025" in text or "2025" in text, text
    assert page.locator("#chat ol").count() == 0, "a date at the start of a line became a numbered list"
    page.locator("#chat a[href^='#cite-0-']").first.click()
    page.wait_for_function("document.querySelector('#passage').innerText.includes('Odense')", timeout=20000)
    passage_html = page.inner_html("#passage")
    assert "<script" not in passage_html and "<img" not in passage_html
    assert page.locator("#passage ol").count() == 0
    assert "12. marts 2025" in page.inner_text("#passage")
    shot(page, "09-upload-answer")


def test_17_remove_after_confirming(page):
    tab(page, "Dokumenter", "Documents")
    page.locator("#d-pick input").click()
    page.get_by_role("option", name=re.compile("^Odense Kommunes mål for hjemløshed")).click()
    page.click("#d-remove")
    page.wait_for_selector("#d-confirm", state="visible", timeout=20000)
    page.click("#d-confirm")
    page.wait_for_function("document.querySelector('#d-status').innerText.includes('fjernet')", timeout=60000)
    assert "Odense_mål.md" not in page.inner_text("#docs-table")
    assert page.locator("#d-pick input").input_value() == ""
    shot(page, "10-removed")


# -- 5: one language setting --------------------------------------------------------------------------
def test_18_english_covers_every_label_and_survives_a_reload(page):
    tab(page, "Spørg", "Ask")
    set_language(page, "English")
    assert page.inner_text("#send").strip() == "Ask"
    assert "Click an [n]" in page.inner_text("#passage") or "sources" in page.inner_text("#passage").lower()
    assert "documents" in page.inner_text("#about")
    tab(page, "Documents", "Dokumenter")
    heads = page.locator("#docs-table [role=columnheader]").all_inner_texts()
    assert "Title" in [h.strip() for h in heads], heads
    assert page.inner_text("#d-files").strip() == "Add documents"
    assert "File types" in page.inner_text("#upload-hint")
    tab(page, "Goals", "Mål")
    table = page.inner_text("#goals-table")
    assert "Topic" in table and "Deadline" in table and "homelessness" in table and "hjemløshed" not in table
    shot(page, "06-english")
    page.reload()
    page.wait_for_selector("#question textarea", timeout=60000)
    page.wait_for_function("document.documentElement.dataset.policyqaLang === 'en'", timeout=20000)
    page.wait_for_timeout(1500)
    assert page.inner_text("#send").strip() == "Ask"
    assert page.locator("#lang input[value='English']").is_checked()


def test_19_messages_follow_the_language(page, tmp_path):
    doc = tmp_path / "note.md"
    doc.write_text("# Notat om ventelister\n\nVentetiden skal være højst 8 uger i 2027.\n", encoding="utf-8")
    tab(page, "Documents", "Dokumenter")
    page.set_input_files("input[type=file][accept*='.docx']", str(doc))
    page.wait_for_function("document.querySelector('#d-status').innerText.includes('added')", timeout=120000)
    assert "passages" in page.inner_text("#d-status")
    set_language(page, "Dansk")
    tab(page, "Dokumenter", "Documents")
    page.locator("#d-pick input").click()
    page.get_by_role("option", name=re.compile("Notat om ventelister")).click()
    page.click("#d-remove")
    page.wait_for_selector("#d-confirm", state="visible", timeout=20000)
    assert "Fjern" in page.inner_text("#d-confirm-text")
    page.click("#d-confirm")
    page.wait_for_function("document.querySelector('#d-status').innerText.includes('fjernet')", timeout=60000)
    assert page.evaluate("document.documentElement.lang") == "da"


# -- 7: layout -----------------------------------------------------------------------------------------
def test_20_phone_layout(phone):
    tab(phone, "Spørg", "Ask")
    broken = phone.evaluate("""() => {
      const h = document.querySelector('#title h1');
      const out = [];
      const walk = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        for (const m of n.textContent.matchAll(/\\S+/g)) {
          const r = document.createRange();
          r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
          const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
          if (lines.size > 1) out.push(m[0]);
          const b = r.getBoundingClientRect();
          if (b.right > window.innerWidth + 1) out.push(m[0] + ' (off screen)');
        }
      }
      return out;
    }""")
    assert not broken, f"title words broken or clipped on a phone: {broken}"
    assert phone.locator("#chat label, #chat [data-testid=block-label]").count() == 0, "a label over the chat"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "readme-phone")


# -- 6: accessibility -------------------------------------------------------------------------------
def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).response
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400px", "390px"])
def test_21_axe_finds_no_serious_violation(browser, server, viewport):
    pg = _open(browser, server[0], viewport)
    found = []
    try:
        for language in ("Dansk", "English"):
            set_language(pg, language)
            for state in ("empty", "answered"):
                if state == "answered":
                    tab(pg, "Spørg", "Ask")
                    q = "Hvad er målet for hjemløshed?" if language == "Dansk" else "What is the homelessness target?"
                    turn = 1 if language == "Dansk" else 2
                    ask(pg, q, turn)
                    pg.locator(f"#chat a[href^='#cite-{turn - 1}-']").first.click()
                    pg.wait_for_timeout(800)
                for da, en in (("Spørg", "Ask"), ("Mål", "Goals"), ("Dokumenter", "Documents")):
                    tab(pg, da, en)
                    found += [f"{language}/{state}/{da}: {v}" for v in _axe(pg)]
            if viewport is DESKTOP and language == "Dansk":
                tab(pg, "Spørg", "Ask")
                shot(pg, "readme-desktop")
        assert not found, "\n".join(found)
    finally:
        pg.context.close()


def test_22_no_outside_requests(page):
    assert page.outside_requests == [], page.outside_requests


def test_23_security_policy_blocks_nothing_the_ui_needs(page):
    """Every earlier test ran under the CSP; none of the page's own scripts, styles, fonts or
    plots was refused."""
    assert page.csp_violations == [], page.csp_violations
