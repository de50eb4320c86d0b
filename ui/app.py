"""The Gradio app: chat with cited answers beside the passages they cite."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from ui.render import EXAMPLES, LABELS, answer_markdown, citations_markdown  # noqa: E402


def _stream_chunks(text: str, size: int = 24):
    """The answer in growing pieces, so the reader sees it arrive."""
    for i in range(size, len(text) + size, size):
        yield text[:i]


def build_app(assistant, settings=None):
    import gradio as gr

    lang0 = "da"
    L = LABELS[lang0]

    def respond(message: str, history: list[dict], state: dict):
        message = (message or "").strip()
        if not message:
            yield history, state, citations_markdown(None, lang0), ""
            return
        pairs = state.get("pairs", [])
        answer = assistant.ask(message, history=pairs[-3:])
        state = {"pairs": pairs + [(message, answer.answer)], "last": answer}
        history = history + [{"role": "user", "content": message},
                             {"role": "assistant", "content": ""}]
        full = answer_markdown(answer)
        for piece in _stream_chunks(full):
            history[-1] = {"role": "assistant", "content": piece}
            yield history, state, citations_markdown(answer, answer.language), ""
        history[-1] = {"role": "assistant", "content": full}
        yield history, state, citations_markdown(answer, answer.language), ""

    with gr.Blocks(title="policyqa", analytics_enabled=False) as app:
        gr.Markdown(f"## {L['title']}")
        state = gr.State({"pairs": []})
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(height=520, label="policyqa", sanitize_html=True,
                                  elem_id="chat", feedback_options=None)
                with gr.Row():
                    box = gr.Textbox(placeholder=L["placeholder"], show_label=False, scale=5,
                                     elem_id="question", autofocus=True)
                    send = gr.Button(L["send"], variant="primary", scale=1, elem_id="send")
                gr.Examples(EXAMPLES, inputs=box, label=L["examples"])
            with gr.Column(scale=2):
                gr.Markdown(f"### {L['sources']}")
                sources = gr.Markdown(citations_markdown(None, lang0), elem_id="sources",
                                      sanitize_html=True)
        outputs = [chat, state, sources, box]
        send.click(respond, [box, chat, state], outputs)
        box.submit(respond, [box, chat, state], outputs)
    return app


def launch(settings) -> None:
    from assistant.service import Assistant
    from ingest.store import Store

    store = Store.from_settings(settings, create=True)
    app = build_app(Assistant.from_settings(settings, store), settings)
    app.queue(default_concurrency_limit=8)
    app.launch(server_name=settings.host, server_port=settings.port, show_error=False,
               share=False)
