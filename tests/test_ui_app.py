"""The Gradio app builds and answers through its own event handler (no browser needed)."""

import pytest

pytestmark = pytest.mark.integration


def test_app_answers_with_linked_citations_and_clears_the_panel_on_a_refusal(assistant):
    """The chat handler as the browser calls it: links per citation, the first source opened,
    feedback shown once an answer exists, and a refusal leaves no stale passage behind."""
    from ui.app import build_app
    from ui.controller import Session

    app = build_app(assistant)
    fns = {getattr(f.fn, "__name__", ""): f.fn for f in app.fns.values()}
    respond, sess = fns["respond"], Session()
    *_, last = respond("Hvad er målet for hjemløshed?", [], sess, [], "", "")
    history, sess, sources, passage, box, feedback = last
    assert "](#cite-0-1)" in history[-1]["content"] and "<mark>" in passage
    assert feedback["visible"] is True and box == ""
    *_, last = respond("Hvad koster en billet til månen i 2031?", history, sess, [], "", "")
    assert "<mark>" not in last[3] and "ingen kilder" in last[3]


def test_examples_are_built_from_the_store_and_answerable(assistant):
    from ui.controller import Controller

    ctl = Controller(assistant)
    for lang in ("da", "en"):
        examples = ctl.examples(lang)
        assert len(examples) >= 3, examples
        for q in examples:
            a = assistant.ask(q)
            assert not a.abstained and a.citations, q
    goals = assistant.store.catalog.goals()
    held = ({g.topic_da for g in goals} | {g.topic_en for g in goals} | {g.set_by for g in goals if g.set_by}
            | {r["title"] for r in assistant.store.catalog.documents() if r["title"]})
    for q in ctl.examples("da") + ctl.examples("en"):
        assert any(h in q for h in held), q  # names something the store holds


def test_goals_table_and_csv_speak_the_ui_language(assistant):
    import csv
    import io
    from pathlib import Path

    from ui.controller import Controller

    ctl = Controller(assistant)
    frame, cards = ctl.goals_table("homelessness", None, None, None, "da")
    assert list(frame.columns) == ["Emne", "Mål", "Frist", "Status", "Fremdrift", "Sat af", "Dato"]
    cells = " ".join(frame.astype(str).values.ravel())
    assert "afløst" in cells and "superseded" not in cells and "decrease" not in cells
    assert cards.count('class="goal-card"') == len(frame)
    raw = Path(ctl.goals_csv_file("homelessness", None, None, None, "da")).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads æøå right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(frame) and {r["Emne"] for r in rows} == {"hjemløshed"}
    other = ctl.goals_csv_file("prostitution", None, None, None, "en")
    assert other != ctl.goals_csv_file("homelessness", None, None, None, "en")  # never the last filter's file
    assert "Topic" in Path(other).read_text(encoding="utf-8-sig").splitlines()[0]


def test_render_escapes_document_text():
    from ui.render import escape_md

    out = escape_md("<script>alert(1)</script> ![x](http://evil/x.png)")
    assert "<script>" not in out and "![" not in out
    assert escape_md("12. marts 2025 vedtog\n- 5 %\n---") == "12\\. marts 2025 vedtog\n\\- 5 %\n\\---"


def test_login_protects_the_ui_and_its_api(corpus_store):
    import urllib.error
    import urllib.request

    from conftest import free_port
    from policyqa.settings import Settings
    from ui.app import launch

    port = free_port()
    app = launch(Settings(store=corpus_store.path, port=port, auth="anna:hemmelig"), block=False)
    try:
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=10)
        assert e.value.code in (401, 403)
        from gradio_client import Client

        with pytest.raises(Exception):
            Client(f"http://127.0.0.1:{port}/", verbose=False).predict("hvem?", None, api_name="/ask")
        ok = Client(f"http://127.0.0.1:{port}/", auth=("anna", "hemmelig"), verbose=False)
        assert "Vibe Klarup" in ok.predict("Hvem er formand for Rådet for Socialt Udsatte?", None,
                                           api_name="/ask")["answer"]
    finally:
        app.close()


def test_credentials_parsing(tmp_path):
    from policyqa.errors import UsageError
    from policyqa.settings import Settings

    f = tmp_path / "users.txt"
    f.write_text("# team\nanna:a1\nbo:b:2\n", encoding="utf-8")
    assert Settings(auth="x:y", auth_file=f).credentials() == [("x", "y"), ("anna", "a1"), ("bo", "b:2")]
    with pytest.raises(UsageError, match="bad login entry"):
        Settings(auth="nopassword").credentials()


def test_upload_names_are_sanitised():
    from ui.controller import safe_name

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("-rf ønsker.TXT") == "rf_ønsker.txt"
    assert safe_name("..\\..\\x.md") == "x.md"
    assert safe_name(".hidden.html") == "hidden.html"
    assert safe_name("a b/c d.pdf") == "c_d.pdf"
