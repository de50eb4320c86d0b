"""Cleaning keeps every content sentence and drops page furniture, on the seeds and on HTML."""

import re
from pathlib import Path

import pytest

from ingest.clean import to_blocks
from ingest.html import html_to_text
from ingest.load import load
from ingest.parse import parse

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FURNITURE = ["Gå direkte til indhold", "icon-", "Tilmeld dig", "Nyhedsbrev", "41 85 13 60",
             "ekl@sim.dk", "26 12 18 32", "Læs Social- og Indenrigsministeriets nyhed",
             "Se hele aftaleteksten", "Thomas Danielsen", "](#)", "**"]


@pytest.fixture(scope="module")
def docs():
    return {f.name: parse(load(f.name, f, max_bytes=10**7)) for f in sorted(CORPUS.glob("*.txt"))}


def test_furniture_is_removed(docs):
    for name, doc in docs.items():
        for junk in FURNITURE:
            assert junk not in doc.text, (name, junk)


def test_committee_code_grid_is_removed(docs):
    text = docs["002_c24bb77234d1363e.txt"].text
    assert not re.search(r"\bDIR\b|\bFOU\b|\bBFU\b|\bØKE\b", text)


def test_content_sentences_survive(docs):
    keep = {
        "002_c24bb77234d1363e.txt": ["Antallet af hjemløse i Danmark reduceres med mindst 25 procent",
                                     "Til efterretning.", "Voksenområdet", "Børn/unge området",
                                     "Prostitution", "Henrik Vind"],
        "001_405a48008b46e200.txt": ["Færre skal være hjemløse.", "Regeringens 10 langsigtede sociale mål"],
        "003_cfbee8ddd34a561c.txt": ["siger Vibe Klarup formand for Rådet for Socialt Udsatte"],
        "004_db4380b8391258ea.txt": ["760 millioner kroner", "Investeringstankegang får et løft"],
    }
    for name, sentences in keep.items():
        for s in sentences:
            assert s in docs[name].text, (name, s)


def test_bullets_stay_whole_and_headings_are_found(docs):
    blocks = docs["002_c24bb77234d1363e.txt"].blocks
    bullets = [b.text for b in blocks if b.kind == "bullet"]
    assert ("Antallet af hjemløse i Danmark reduceres med mindst 25 procent. Det svarer til et "
            "niveau på højst 4000 personer.") in bullets
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert "Voksenområdet" in headings and "Beslutning" in headings


def test_block_spans_point_into_the_text(docs):
    for doc in docs.values():
        for b in doc.blocks:
            assert doc.text[b.start:b.end] == b.text


def test_metadata_of_seeds(docs):
    meta = {n: (d.date, d.doc_type) for n, d in docs.items()}
    assert meta["000_e142433872feedea.txt"] == ("2016-03-18", "press_release")
    assert meta["002_c24bb77234d1363e.txt"] == ("2013-10-30", "committee_minutes")
    assert meta["003_cfbee8ddd34a561c.txt"] == ("2020-08-28", "press_release")
    assert meta["004_db4380b8391258ea.txt"] == ("2020-11-25", "news")
    assert docs["002_c24bb77234d1363e.txt"].issuer.endswith("Social- og Sundhedsudvalget")
    assert "Rådet for Socialt Udsatte" in docs["003_cfbee8ddd34a561c.txt"].title


HTML = """<!doctype html><html><head><title>Byrådets mål | Aarhus Kommune</title>
<meta property="article:published_time" content="2024-05-02T10:00:00"></head><body>
<header class="site-header"><nav><a href="/">Forside</a><a href="/om">Om os</a></nav></header>
<div id="cookie-banner">Vi bruger cookies. <button>Accepter alle cookies</button></div>
<main><article><h1>Byrådets mål for beskæftigelse</h1>
<p>Byrådet har vedtaget nye mål.</p>
<h2>Målene</h2><ul><li>Ledigheden skal falde med 10 procent frem mod 2026.</li>
<li>Flere unge skal i job.</li></ul>
<script>alert('x')</script><iframe src="http://evil"></iframe>
<p onclick="steal()">Kontakt os gerne.</p></article></main>
<aside class="related">Relaterede nyheder</aside>
<footer>Aarhus Kommune · Rådhuspladsen 2</footer></body></html>"""


def test_html_cleaning_keeps_structure_and_drops_furniture():
    text, meta = html_to_text(HTML)
    clean, blocks = to_blocks(text)
    assert meta.title == "Byrådets mål for beskæftigelse"
    assert meta.date.startswith("2024-05-02")
    for junk in ["Forside", "cookies", "alert", "evil", "Relaterede", "Rådhuspladsen"]:
        assert junk not in clean
    assert [b.text for b in blocks if b.kind == "bullet"] == [
        "Ledigheden skal falde med 10 procent frem mod 2026.", "Flere unge skal i job."]
    assert any(b.kind == "heading" and b.text == "Målene" for b in blocks)


def test_malformed_and_deeply_nested_html_does_not_crash():
    nested = "<div>" * 3000 + "Dybt indhold her." + "</div>" * 10
    text, _ = html_to_text(nested + "<p>unclosed <b>bold <i>text")
    assert "Dybt indhold her." in text


def test_table_rows_name_their_columns_and_cells_never_run_together():
    from ingest.html import html_to_text

    html = ("<h2>Mål</h2><table><thead><tr><th>Indikator</th><th>Baseline</th><th>Mål</th></tr></thead>"
            "<tbody><tr><td>Ventetid (dage)</td><td>19 (2024)</td><td>Højst 10</td></tr></tbody></table>")
    text, _ = html_to_text(html)
    _, blocks = to_blocks(text)
    rows = [b.text for b in blocks if b.kind == "row"]
    assert rows == ["Indikator: Ventetid (dage); Baseline: 19 (2024); Mål: Højst 10"]
    assert [b.text for b in blocks if b.kind == "table"] == ["Indikator | Baseline | Mål"]
    _, blocks = to_blocks("| År | Antal |\n|---|---:|\n| 2023 | 21 |\n| 2024 | 30 |\n")
    assert [b.text for b in blocks if b.kind == "row"] == ["År: 2023; Antal: 21", "År: 2024; Antal: 30"]
    # a first column of row labels under an empty header cell
    text, _ = html_to_text("<table><tr><th></th><th>2020</th><th>2024</th></tr>"
                           "<tr><td>Deaths</td><td>186</td><td>247</td></tr></table>")
    assert [b.text for b in to_blocks(text)[1] if b.kind == "row"] == ["Deaths: 2020: 186; 2024: 247"]


@pytest.mark.parametrize("text, mended", [
    ("Udgifterne var 2l4,3 mio. kr. i 2O24.", "Udgifterne var 214,3 mio. kr. i 2024."),
    ("I 2024 var l0,2 pct. uden job.", "I 2024 var 10,2 pct. uden job."),
    ("Mål l: Fravær", "Mål l: Fravær"),  # a letter on its own is a letter
    ("ISO 9001 og sagsnr. 27.12.00-P20", "ISO 9001 og sagsnr. 27.12.00-P20"),
    ("COOL 3,4 LOL", "COOL 3,4 LOL"),
])
def test_numbers_misread_by_text_recognition_are_mended(text, mended):
    from ingest.clean import normalise

    assert normalise(text) == mended


_MINUTES_PAGE = """<!DOCTYPE html><html lang="da"><head><title>{title}</title>{og}</head><body>
<div id="cookie-banner"><p>{site} bruger cookies til anonym statistik.</p><button>Tillad alle</button></div>
<header class="site-header"><a class="logo" href="/">{site}</a></header>
<main><h1>Referat</h1>
<p>Dagsorden og referat for mødet i Ældre- og Sundhedsudvalget tirsdag den 8. september 2026.</p>
<h2>Beslutning</h2><p>Udvalget godkendte planen for forebyggelse af fald. Målet blev hævet til 20 pct.</p>
<h2>Indstilling</h2><p>Forvaltningen indstiller, at planen godkendes. Referat godkendt. Dagsorden godkendt.</p>
</main><footer><p>{site} · Rådhustorvet 1</p></footer></body></html>"""


@pytest.mark.parametrize("title, og, issuer", [
    # the municipality stands only in the page title's site part, the logo, banner and footer
    ("Ældre- og Sundhedsudvalget 08-09-2026 kl. 15:00 | Stensby Kommune", "", "Stensby Kommune"),
    ("Referat", '<meta property="og:site_name" content="Stensby Kommune">', "Stensby Kommune"),
    ("Referat", "", None),  # nothing names the publisher: none is made up
])
def test_a_page_whose_text_never_names_its_publisher_takes_it_from_the_site_name(tmp_path, title, og, issuer):
    f = tmp_path / "referat.html"
    f.write_text(_MINUTES_PAGE.format(title=title, og=og, site="Stensby Kommune" if issuer else "Kommunen"),
                 encoding="utf-8")
    doc = parse(load(f.name, f, max_bytes=10**7))
    assert "Stensby" not in doc.text  # the furniture is gone
    assert (doc.issuer or None) == issuer or (issuer and issuer in (doc.issuer or "")), doc.issuer


SCANNED_REPORT = """Stenlund Kommune | Sundhedspolitik 2026-2030                Side 2

Forord

Sundheden er ikke læn-
gere noget, vi alene overla-
der til den enkelte. Social-
og sundhedsområdet samt DK2020-
samarbejdet står sammen om planen.

Stenlund Kommune | Sundhedspolitik 2026-2030                Side 3

Tabel 1. Rygere efter alder (pct.)

Alder                   2019        2024
--------------------------------------------
16-24 år                  18          11
Ældre end 65 år
og derover                14          12
--------------------------------------------
I alt                     17          13

Kilde: Sundhedsprofilen.

Stenlund Kommune | Sundhedspolitik 2026-2030                Side 4
"""


def test_a_scanned_reports_page_heads_broken_words_and_ruled_tables_are_mended():
    text, blocks = to_blocks(SCANNED_REPORT)
    assert "Side" not in text and "Sundhedspolitik 2026-2030" not in text  # the page heads
    para = next(b.text for b in blocks if b.text.startswith("Sundheden"))
    # a word broken at a line end is whole; a shared compound part and a code keep their dash
    assert "ikke længere noget" in para and "overlader" in para
    assert "Social- og sundhedsområdet" in para and "DK2020-samarbejdet" in para
    rows = [b.text for b in blocks if b.kind == "row"]
    # the rule under the header and above the total, and a row label wrapped onto two lines
    assert rows == ["Alder: 16-24 år; 2019: 18; 2024: 11", "Alder: Ældre end 65 år og derover; 2019: 14; 2024: 12",
                    "Alder: I alt; 2019: 17; 2024: 13"]
    assert not any(set(b.text) <= set("- ") for b in blocks)  # no rule survives as text


def test_a_line_that_comes_back_beside_rules_only_twice_is_text():
    """A decision's "Afbud: …" line under two agenda items, each closed by a rule, is content."""
    rule = "-" * 40
    text, _ = to_blocks(f"1 Godkendelse\n\nGodkendt.\nAfbud: Per Hansen (O)\n{rule}\n"
                        f"2 Budget\n\nGodkendt.\nAfbud: Per Hansen (O)\n{rule}\n3 Eventuelt\n\nIntet.\n")
    assert text.count("Afbud: Per Hansen (O)") == 2


def test_a_table_ruled_per_column_keeps_its_header_and_rows():
    text, blocks = to_blocks("Tabel 1. Indsamlet affald 2023 (tons)\n\n"
                             "  Fraktion          Tons    Andel\n"
                             "  ----------------  ------  -----\n"
                             "  Madaffald         3.420   100 %\n"
                             "  Papir             2.180    98 %\n")
    assert [b.text for b in blocks if b.kind == "row"] == ["Fraktion: Madaffald; Tons: 3.420; Andel: 100 %",
                                                           "Fraktion: Papir; Tons: 2.180; Andel: 98 %"]


@pytest.mark.parametrize("signature", ["Helle Ingvardsen (A)\nBorgmester",
                                       "Søren Weis Abildgaard (A)\nFormand for Børne- og Ungeudvalget",
                                       "Jonas Friis Hedegaard\nBorgmester"])
def test_the_signature_under_a_foreword_is_text_not_a_heading(signature):
    """A foreword signed "Helle Ingvardsen (A) / Borgmester" names who wrote it: as a heading it
    would head nothing and be no passage's text."""
    text, blocks = to_blocks(f"Forord\n\nVi har lagt en plan for de næste fire år, og vi vil følges med borgerne.\n\n"
                             f"{signature}\n\n1. Vores mål\n\nUdledningen skal halveres i 2030.\n")
    sig = " ".join(signature.split())
    assert any(b.kind == "paragraph" and b.text == sig for b in blocks), [(b.kind, b.text) for b in blocks]
    assert any(b.kind == "heading" and b.text == "1. Vores mål" for b in blocks)


def test_minutes_belong_to_the_municipality_they_open_with_not_the_one_an_item_is_about():
    from ingest.metadata import issuer_of

    text = ("Sølvkær Kommune\nSundhedsudvalget\n\nREFERAT\n\n34. Aftale med Bredeager Kommune\n\n"
            "Den nuværende aftale med Bredeager Kommune udløber. Sølvkær betaler 55 pct. og Bredeager Kommune "
            "45 pct.\n")
    assert issuer_of(text, "committee_minutes") == "Sølvkær Kommune"
    # no municipality at the top: the one the minutes name most
    assert issuer_of("REFERAT\n\n" + "x " * 200 + "Egby Kommune og Egby Kommune, Tornlund Kommune",
                     "committee_minutes") == "Egby Kommune"
