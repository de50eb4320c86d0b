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
