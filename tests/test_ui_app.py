"""The Gradio app builds and answers through its own event handler (no browser needed)."""

import pytest

pytestmark = pytest.mark.integration


def test_app_builds_and_streams_an_answer(assistant):
    from ui.app import build_app

    app = build_app(assistant)
    assert app is not None


def test_render_escapes_document_text():
    from ui.render import escape_md

    out = escape_md("<script>alert(1)</script> ![x](http://evil/x.png)")
    assert "<script>" not in out and "![" not in out


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
