"""The Gradio app: chat with clickable citations, filters, feedback, a goals tab and a documents tab."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from ui.controller import UPLOAD_SUFFIXES, Controller, Session  # noqa: E402
from ui.render import EXAMPLES, LABELS, escape_md  # noqa: E402

DOC_TYPES = ["press_release", "committee_minutes", "goal_document", "news", "other"]

# Clicking an [n] link in an answer (href "#cite-<turn>-<n>") opens that passage in the side
# panel: the script hands the key to a hidden textbox and presses a hidden button.
JS = """
() => {
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[href^="#cite-"]');
    if (!a) return;
    ev.preventDefault();
    const key = a.getAttribute('href').slice(6);
    const box = document.querySelector('#cite-key textarea, #cite-key input');
    const btn = document.querySelector('#cite-open');
    if (!box || !btn) return;
    box.value = key;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => btn.click(), 50);
  }, true);
}
"""
CSS = """
#passage mark, #sources mark { background: #fde68a; padding: 0 2px; }
#passage { max-height: 520px; overflow-y: auto; }
#sources { max-height: 360px; overflow-y: auto; }
a[href^="#cite-"] { text-decoration: none; font-weight: 600; }
"""


def _stream_chunks(text: str, size: int = 32):
    for i in range(size, len(text) + size, size):
        yield text[:i]


def build_app(assistant, settings=None):
    import gradio as gr

    ctl = Controller(assistant, settings)
    L = LABELS["da"]

    with gr.Blocks(title="policyqa", analytics_enabled=False) as app:
        session = gr.State(Session)
        with gr.Row():
            title = gr.Markdown(f"## {L['title']}")
            lang = gr.Radio(["Dansk", "English"], value="Dansk", label=L["language"], elem_id="lang",
                            scale=0, min_width=220)
        with gr.Tabs():
            with gr.Tab(L["tab_chat"], id="chat-tab", elem_id="chat-tab") as chat_tab:
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(height=460, label="policyqa", elem_id="chat", sanitize_html=True,
                                          feedback_options=None, buttons=["copy"])
                        with gr.Row():
                            box = gr.Textbox(placeholder=L["placeholder"], show_label=False, scale=5,
                                             elem_id="question", autofocus=True, max_length=2000)
                            send = gr.Button(L["send"], variant="primary", scale=1, elem_id="send")
                        examples_label = gr.Markdown(f"**{L['examples']}**")
                        with gr.Row():
                            ex_buttons = [gr.Button(q, size="sm", elem_id=f"example-{i}")
                                          for i, q in enumerate(EXAMPLES["da"])]
                        with gr.Row():
                            good = gr.Button(L["good"], size="sm", elem_id="fb-good")
                            bad = gr.Button(L["bad"], size="sm", elem_id="fb-bad")
                            comment = gr.Textbox(placeholder=L["comment"], show_label=False, scale=3,
                                                 elem_id="fb-comment", max_length=2000)
                        fb_status = gr.Markdown("", elem_id="fb-status")
                    with gr.Column(scale=2):
                        with gr.Accordion(L["filters"], open=False, elem_id="filters") as filters_box:
                            doc_types = gr.CheckboxGroup(
                                [(L["types"][t], t) for t in DOC_TYPES], label=L["doc_types"],
                                elem_id="doc-types")
                            with gr.Row():
                                date_from = gr.Textbox(label=L["date_from"], elem_id="date-from", max_length=10)
                                date_to = gr.Textbox(label=L["date_to"], elem_id="date-to", max_length=10)
                        passage_title = gr.Markdown(f"### {L['passage']}")
                        passage = gr.Markdown(L["no_passage"], elem_id="passage", sanitize_html=True)
                        sources_title = gr.Markdown(f"### {L['sources']}")
                        sources = gr.Markdown(L["no_citations"], elem_id="sources", sanitize_html=True)
                cite_key = gr.Textbox(visible="hidden", elem_id="cite-key")
                cite_open = gr.Button("open", visible="hidden", elem_id="cite-open")

            with gr.Tab(L["tab_goals"], id="goals-tab", elem_id="goals-tab") as goals_tab:
                topics, programmes, years = ctl.goal_choices()
                with gr.Row():
                    g_topic = gr.Dropdown([""] + topics, value="", label=L["topic"], elem_id="g-topic")
                    g_prog = gr.Dropdown([""] + programmes, value="", label=L["programme"], elem_id="g-prog")
                    g_year = gr.Dropdown([""] + years, value="", label=L["year"], elem_id="g-year")
                    g_query = gr.Textbox(label=L["search"], elem_id="g-search")
                g_table = gr.Dataframe(value=ctl.goals_rows(None, None, None, None),
                                       headers=L["goal_headers"], interactive=False, wrap=True,
                                       elem_id="goals-table")
                g_download = gr.DownloadButton(L["download"], elem_id="g-download")
                g_plot_title = gr.Markdown(f"### {L['timeline']}")
                g_plot = gr.Plot(value=ctl.timeline(None), elem_id="g-plot")

            with gr.Tab(L["tab_docs"], id="docs-tab", elem_id="docs-tab") as docs_tab:
                d_table = gr.Dataframe(value=ctl.documents_rows(), headers=L["doc_headers"],
                                       interactive=False, wrap=True, elem_id="docs-table")
                with gr.Row():
                    d_files = gr.File(label=L["upload"], file_count="multiple",
                                      file_types=list(UPLOAD_SUFFIXES), elem_id="d-files")
                    with gr.Column(scale=0, min_width=200):
                        d_replace = gr.Checkbox(False, label=L["replace"], elem_id="d-replace")
                        d_add = gr.Button(L["add"], variant="primary", elem_id="d-add")
                d_status = gr.Markdown("", elem_id="d-status")
                with gr.Row():
                    d_pick = gr.Dropdown(ctl.document_sources(), label=L["remove_pick"], elem_id="d-pick")
                    d_remove = gr.Button(L["remove"], variant="stop", elem_id="d-remove")

        # -- chat -----------------------------------------------------------------------
        def respond(message, history, sess: Session, types, dfrom, dto):
            message = (message or "").strip()
            if not message:
                yield history, sess, ctl.sources(sess), gr.update(), ""
                return
            history = list(history or []) + [{"role": "user", "content": message},
                                             {"role": "assistant", "content": ""}]
            answer = None
            for kind, value in ctl.ask_stream(message, sess, types, dfrom, dto):
                if kind == "token":  # an LLM writing: shown as it comes, verified below
                    history[-1] = {"role": "assistant", "content": escape_md(value)}
                    yield history, sess, gr.update(), gr.update(), ""
                else:
                    answer = value
            turn = len(sess.turns) - 1
            full = ctl.message_markdown(answer, turn)
            for piece in _stream_chunks(full):
                history[-1] = {"role": "assistant", "content": piece}
                yield history, sess, gr.update(), gr.update(), ""
            history[-1] = {"role": "assistant", "content": full}
            first = f"{turn}-{answer.citations[0].n}" if answer.citations else ""
            yield history, sess, ctl.sources(sess), ctl.citation(first, sess) if first else gr.update(), ""

        inputs = [box, chat, session, doc_types, date_from, date_to]
        outputs = [chat, session, sources, passage, box]
        send.click(respond, inputs, outputs)
        box.submit(respond, inputs, outputs)
        for b in ex_buttons:
            b.click(lambda q: q, b, box).then(respond, inputs, outputs)
        cite_open.click(lambda key, sess: ctl.citation(key, sess), [cite_key, session], passage)
        good.click(lambda s, c: (ctl.feedback(s, 1, c), ""), [session, comment], [fb_status, comment])
        bad.click(lambda s, c: (ctl.feedback(s, -1, c), ""), [session, comment], [fb_status, comment])

        # -- goals ----------------------------------------------------------------------
        def refresh_goals(topic, prog, year, query, sess: Session):
            return (gr.update(value=ctl.goals_rows(topic, prog, year, query, sess.lang)),
                    ctl.timeline(topic or None, sess.lang))

        g_inputs = [g_topic, g_prog, g_year, g_query, session]
        for comp in (g_topic, g_prog, g_year):
            comp.change(refresh_goals, g_inputs, [g_table, g_plot])
        g_query.submit(refresh_goals, g_inputs, [g_table, g_plot])
        g_download.click(lambda t, p, y, q: ctl.goals_csv_file(t, p, y, q), [g_topic, g_prog, g_year, g_query],
                         g_download)

        # -- documents ------------------------------------------------------------------
        def add_files(files, replace, progress=gr.Progress()):
            paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
            status = ctl.upload(paths, progress=progress, replace=bool(replace))
            topics_, progs_, years_ = ctl.goal_choices()
            return (status, gr.update(value=ctl.documents_rows()), gr.update(choices=ctl.document_sources()),
                    None, gr.update(choices=[""] + topics_), gr.update(value=ctl.goals_rows(None, None, None, None)))

        d_add.click(add_files, [d_files, d_replace], [d_status, d_table, d_pick, d_files, g_topic, g_table])

        def remove_doc(source):
            status = ctl.remove(source)
            return (status, gr.update(value=ctl.documents_rows()),
                    gr.update(choices=ctl.document_sources(), value=None),
                    gr.update(value=ctl.goals_rows(None, None, None, None)))

        d_remove.click(remove_doc, d_pick, [d_status, d_table, d_pick, g_table])

        # -- HTTP API for machines (load tests, scripts) ---------------------------------
        def ask(question: str, history: list[list[str]] | None = None) -> dict:
            """Answer one question; the JSON is what `policyqa ask --json` prints."""
            pairs = [(h[0], h[1]) for h in history or [] if len(h) >= 2]
            return assistant.ask(question, history=pairs).to_json()

        gr.api(ask, api_name="ask")

        # -- language -------------------------------------------------------------------
        def switch(choice, sess: Session):
            code = "en" if choice == "English" else "da"
            sess.lang = code
            T = LABELS[code]
            updates = [
                sess, gr.update(value=f"## {T['title']}"), gr.update(label=T["language"]),
                gr.update(label=T["tab_chat"]), gr.update(label=T["tab_goals"]), gr.update(label=T["tab_docs"]),
                gr.update(placeholder=T["placeholder"]), gr.update(value=T["send"]),
                gr.update(value=f"**{T['examples']}**"),
                *[gr.update(value=q) for q in EXAMPLES[code]],
                gr.update(value=T["good"]), gr.update(value=T["bad"]), gr.update(placeholder=T["comment"]),
                gr.update(label=T["filters"]),
                gr.update(label=T["doc_types"], choices=[(T["types"][t], t) for t in DOC_TYPES]),
                gr.update(label=T["date_from"]), gr.update(label=T["date_to"]),
                gr.update(value=f"### {T['passage']}"), gr.update(value=f"### {T['sources']}"),
                gr.update(value=ctl.sources(sess)),
                gr.update(label=T["topic"]), gr.update(label=T["programme"]), gr.update(label=T["year"]),
                gr.update(label=T["search"]),
                gr.update(headers=T["goal_headers"], value=ctl.goals_rows(None, None, None, None, code)),
                gr.update(label=T["download"]), gr.update(value=f"### {T['timeline']}"),
                gr.update(headers=T["doc_headers"]), gr.update(label=T["upload"]), gr.update(label=T["replace"]),
                gr.update(value=T["add"]),
                gr.update(label=T["remove_pick"]), gr.update(value=T["remove"]),
            ]
            return updates

        lang.change(switch, [lang, session], [
            session, title, lang, chat_tab, goals_tab, docs_tab, box, send, examples_label, *ex_buttons,
            good, bad, comment, filters_box, doc_types, date_from, date_to, passage_title, sources_title,
            sources, g_topic, g_prog, g_year, g_query, g_table, g_download, g_plot_title, d_table, d_files,
            d_replace, d_add, d_pick, d_remove,
        ])
    return app


def launch_kwargs(settings) -> dict:
    import gradio as gr
    from starlette.middleware import Middleware

    from ui.security import LoginThrottle, SecurityMiddleware, allowed_hosts

    creds = settings.credentials() if settings else []
    bind = settings.host if settings else "127.0.0.1"
    extra = (settings.allowed_hosts or "").split(",") if settings else []
    throttle = LoginThrottle(settings.login_max_failures if settings else 5,
                             lockout=settings.login_lockout_seconds if settings else 300.0)
    return {
        "app_kwargs": {"middleware": [Middleware(SecurityMiddleware, hosts=allowed_hosts(bind, extra),
                                                 throttle=throttle)]},
        "server_name": settings.host if settings else "127.0.0.1",
        "server_port": settings.port if settings else 7860,
        "auth": creds or None,
        "show_error": False,
        "share": False,
        "max_file_size": f"{int(settings.max_upload_mb if settings else 20)}mb",
        "js": JS,
        "css": CSS,
        "theme": gr.themes.Base(font=["system-ui", "sans-serif"], font_mono=["monospace"]),
    }


def launch(settings, *, block: bool = True):
    from assistant.service import Assistant
    from ingest.store import Store

    store = Store.from_settings(settings, create=True)
    store.check()
    app = build_app(Assistant.from_settings(settings, store), settings)
    app.queue(default_concurrency_limit=8, max_size=64)
    app.launch(prevent_thread_lock=not block, **launch_kwargs(settings))
    return app
