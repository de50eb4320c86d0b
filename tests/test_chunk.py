from pathlib import Path

from ingest.chunk import MAX_WORDS, chunk_document
from ingest.load import load
from ingest.parse import parse

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _doc(name):
    return parse(load(name, CORPUS / name, max_bytes=10**7))


def test_bullets_are_never_split_and_carry_their_heading():
    doc = _doc("002_c24bb77234d1363e.txt")
    chunks = chunk_document(doc)
    homeless = [c for c in chunks if "Antallet af hjemløse i Danmark" in c.text]
    assert len(homeless) == 1
    c = homeless[0]
    assert "højst 4000 personer." in c.text and c.section.endswith("Voksenområdet")
    assert c.embed_text().startswith(doc.title)


def test_decision_chunk_knows_its_section():
    chunks = chunk_document(_doc("002_c24bb77234d1363e.txt"))
    decision = [c for c in chunks if c.text.strip() == "Til efterretning."]
    assert decision and decision[0].section == "Beslutning"


def test_chunk_ids_come_from_content_and_spans_are_verbatim():
    doc = _doc("001_405a48008b46e200.txt")
    a, b = chunk_document(doc), chunk_document(_doc("001_405a48008b46e200.txt"))
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b]
    for c in a:
        assert c.chunk_id.startswith(doc.doc_id + ":")
        assert doc.text[c.start:c.end] == c.text
        assert len(c.text.split()) <= MAX_WORDS


def test_long_paragraph_is_cut_at_sentence_ends(tmp_path):
    f = tmp_path / "long.txt"
    f.write_text("Overskrift\n\n" + " ".join(f"Sætning nummer {i} handler om mål." for i in range(120)))
    doc = parse(load("long.txt", f, max_bytes=10**7))
    chunks = chunk_document(doc)
    assert len(chunks) > 1
    assert all(c.text.endswith(".") for c in chunks)
