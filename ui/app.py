"""The Gradio app: chat with clickable citations, filters, feedback, a goals tab and a documents tab.

One language setting (Danish or English) covers every label, message, plot and the page's `lang`
attribute; it is kept in the browser (localStorage) across reloads. Everything that depends on
the store (documents, goals, examples, the "about" line) is read again on every page load."""

from __future__ import annotations

from ui.controller import UPLOAD_SUFFIXES, Controller, Session
from ui.render import LABELS, escape_md

DOC_TYPES = ["press_release", "committee_minutes", "goal_document", "news", "other"]
LANGS = {"Dansk": "da", "English": "en"}
N_EXAMPLES = 4
# topic, target, deadline, status, progress, set by, date
MAIN_WIDTHS = ("20%", "19%", "7%", "9%", "15%", "19%", "11%")

# Clicking an [n] link in an answer (href "#cite-<turn>-<n>") opens that passage in the side
# panel: the script hands the key to a hidden textbox and presses a hidden button. The passage
# panel is a keyboard-focusable region, as a scrollable region must be.
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
  const mark = () => {
    for (const id of ['passage', 'sources']) {
      const el = document.getElementById(id);
      if (el && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'region');
      }
    }
    const p = document.getElementById('passage');
    if (p) p.setAttribute('aria-label', document.documentElement.lang === 'en' ? 'Source text' : 'Kildetekst');
    const s = document.getElementById('sources');
    if (s) s.setAttribute('aria-label', document.documentElement.lang === 'en' ? 'Sources' : 'Kilder');
  };
  mark();
  new MutationObserver(mark).observe(document.body, {childList: true, subtree: true});
}
"""

# After a passage is opened: bring its highlighted sentence into view, inside the panel and on
# the page (on a phone the panel sits below the chat). Svelte renders after the event returns.
SCROLL_TO_MARK = """
(...args) => {
  const go = (tries) => {
    const m = document.querySelector('#passage mark');
    if (!m) { if (tries > 0) setTimeout(() => go(tries - 1), 100); return; }
    m.scrollIntoView({block: 'center', behavior: 'instant'});
  };
  setTimeout(() => go(20), 50);
  return args;
}
"""

# After an answer: the first source's sentence in view inside the panel, without moving the page.
SCROLL_PANEL = """
(...args) => {
  setTimeout(() => {
    const p = document.getElementById('passage');
    const m = p && p.querySelector('mark');
    if (!p || !m) return;
    const box = p.getBoundingClientRect(), at = m.getBoundingClientRect();
    p.scrollTop += at.top - box.top - p.clientHeight / 3;
  }, 300);
  return args;
}
"""

SET_LANG = """
(choice) => {
  document.documentElement.lang = (choice === 'English') ? 'en' : 'da';
  document.documentElement.dataset.policyqaLang = document.documentElement.lang;
  return choice;
}
"""

CSS = """
#passage mark, #sources mark { background: #fde68a; color: #111827; padding: 0 2px; }
#passage { max-height: 520px; overflow-y: auto; }
#sources { max-height: 360px; overflow-y: auto; }
a[href^="#cite-"] { color: #1e3a8a !important; text-decoration: underline !important; font-weight: 600; }
a[href^="#cite-"]:hover, a[href^="#cite-"]:focus { color: #172554 !important; background: #dbeafe; }
#title h1 { font-size: 1.5rem; margin: 0; word-break: normal; overflow-wrap: normal; hyphens: manual; }
#about, #upload-hint { color: #374151; }
.goal-cards { display: none; }
.goal-card { border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 12px; margin: 0 0 8px 0; }
.goal-card h3 { margin: 0 0 4px 0; font-size: 1rem; }
.goal-card dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
.goal-card dl div { display: contents; }
.goal-card dt { font-weight: 600; }
.goal-card dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 640px) {
  #header { flex-wrap: wrap; }
  #title { min-width: 100% !important; }
  #title h1 { font-size: 1.25rem; }
  #goals-table { display: none !important; }
  .goal-cards { display: block; }
}
"""


def _stream_chunks(text: str, size: int = 32):
    for i in range(size, len(text) + size, size):
        yield text[:i]


def build_app(assistant, settings=None):
    import gradio as gr

    ctl = Controller(assistant, settings)
    L = LABELS["da"]
    max_mb = int(settings.max_upload_mb if settings else 20)

    def example_updates(lang: str) -> list:
        found = ctl.examples(lang, N_EXAMPLES)
        T = LABELS[lang]
        label = gr.update(value=f"**{T['examples']}**" if found else T["no_examples"])
        return [label] + [gr.update(value=found[i], visible=True) if i < len(found)
                          else gr.update(value="", visible=False) for i in range(N_EXAMPLES)]

    with gr.Blocks(title="policyqa", analytics_enabled=False) as app:
        session = gr.State(Session)
        saved_lang = gr.BrowserState("Dansk", storage_key="policyqa-language")
        with gr.Row(elem_id="header"):
            title = gr.Markdown(f"# {L['title']}", elem_id="title")
            lang = gr.Radio(list(LANGS), value="Dansk", label=L["language"], elem_id="lang",
                            scale=0, min_width=240)
        about = gr.Markdown(ctl.about("da"), elem_id="about")
        with gr.Tabs():
            with gr.Tab(L["tab_chat"], id="chat-tab", elem_id="chat-tab") as chat_tab:
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(height=460, show_label=False, elem_id="chat", sanitize_html=True,
                                          feedback_options=None, buttons=["copy"])
                        with gr.Row():
                            box = gr.Textbox(placeholder=L["placeholder"], label=L["question"], show_label=False,
                                             scale=5, elem_id="question", autofocus=True, max_length=2000)
                            send = gr.Button(L["send"], variant="primary", scale=1, elem_id="send")
                        examples_label = gr.Markdown(f"**{L['examples']}**", elem_id="examples-label")
                        with gr.Row():
                            ex_buttons = [gr.Button("", size="sm", visible=False, elem_id=f"example-{i}")
                                          for i in range(N_EXAMPLES)]
                        with gr.Row(visible=False, elem_id="feedback") as feedback_row:
                            good = gr.Button(L["good"], size="sm", elem_id="fb-good")
                            bad = gr.Button(L["bad"], size="sm", elem_id="fb-bad")
                            comment = gr.Textbox(placeholder=L["comment"], label=L["comment"], show_label=False,
                                                 scale=3, elem_id="fb-comment", max_length=2000)
                        fb_status = gr.Markdown("", elem_id="fb-status")
                        with gr.Accordion(L["help_title"], open=False, elem_id="help") as help_box:
                            help_text = gr.Markdown(ctl.help_text("da"), elem_id="help-text")
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
                programmes, years = ctl.goal_choices()
                with gr.Row():
                    g_topic = gr.Dropdown([(L["all_topics"], "")] + ctl.goal_topics("da"), value="",
                                          label=L["topic"], elem_id="g-topic")
                    g_prog = gr.Dropdown(_choices(L["all"], programmes), value="", label=L["programme"],
                                         elem_id="g-prog")
                    g_year = gr.Dropdown(_choices(L["all"], years), value="", label=L["year"], elem_id="g-year")
                    g_query = gr.Textbox(label=L["search"], elem_id="g-search")
                with gr.Row():
                    g_all = gr.Checkbox(False, label=L["all_columns"], elem_id="g-all")
                    g_download = gr.DownloadButton(L["download"], elem_id="g-download", variant="primary",
                                                   value=ctl.goals_csv_file(None, None, None, None, "da"))
                frame, cards = ctl.goals_table(None, None, None, None, "da")
                g_table = gr.Dataframe(value=frame, interactive=False, wrap=True, elem_id="goals-table",
                                       column_widths=list(MAIN_WIDTHS))
                g_cards = gr.HTML(cards, elem_id="goals-cards")
                g_plot_title = gr.Markdown(f"### {L['timeline']}")
                g_plot = gr.Plot(value=ctl.timeline(None, "da"), elem_id="g-plot")

            with gr.Tab(L["tab_docs"], id="docs-tab", elem_id="docs-tab") as docs_tab:
                d_table = gr.Dataframe(value=ctl.documents_rows("da"), headers=L["doc_headers"],
                                       interactive=False, wrap=True, elem_id="docs-table",
                                       column_widths=["38%", "11%", "15%", "8%", "7%", "21%"])
                with gr.Row():
                    d_files = gr.UploadButton(L["upload"], file_count="multiple", file_types=list(UPLOAD_SUFFIXES),
                                              variant="primary", elem_id="d-files")
                    d_replace = gr.Checkbox(False, label=L["replace"], elem_id="d-replace")
                d_hint = gr.Markdown(L["upload_hint"].format(mb=max_mb), elem_id="upload-hint")
                d_status = gr.Markdown("", elem_id="d-status")
                with gr.Row():
                    d_pick = gr.Dropdown(ctl.document_choices(), value=None, label=L["remove_pick"],
                                         elem_id="d-pick")
                    d_remove = gr.Button(L["remove"], variant="stop", elem_id="d-remove")
                with gr.Group(visible=False, elem_id="d-confirm-box") as d_confirm_box:
                    d_confirm_text = gr.Markdown("", elem_id="d-confirm-text")
                    with gr.Row():
                        d_confirm = gr.Button(L["confirm_remove"], variant="stop", elem_id="d-confirm")
                        d_cancel = gr.Button(L["cancel"], elem_id="d-cancel")

        def code(choice) -> str:
            return LANGS.get(choice, "da")

        # -- chat -----------------------------------------------------------------------
        def respond(message, history, sess: Session, types, dfrom, dto):
            T = LABELS[sess.lang]
            message = (message or "").strip()
            if not message:
                yield history, sess, ctl.sources(sess), gr.update(), "", gr.update()
                return
            history = list(history or []) + [{"role": "user", "content": message},
                                             {"role": "assistant", "content": ""}]
            answer = None
            for kind, value in ctl.ask_stream(message, sess, types, dfrom, dto):
                if kind == "token":  # an LLM writing: shown as it comes, verified below
                    history[-1] = {"role": "assistant", "content": escape_md(value)}
                    yield history, sess, gr.update(), gr.update(), "", gr.update()
                else:
                    answer = value
            turn = len(sess.turns) - 1
            full = ctl.message_markdown(answer, turn)
            for piece in _stream_chunks(full):
                history[-1] = {"role": "assistant", "content": piece}
                yield history, sess, gr.update(), gr.update(), "", gr.update()
            history[-1] = {"role": "assistant", "content": full}
            first = f"{turn}-{answer.citations[0].n}" if answer.citations else ""
            # an answer without sources clears the panel: the last answer's passage is not this one's
            shown = ctl.citation(first, sess) if first else T["no_sources_answer"]
            yield history, sess, ctl.sources(sess), shown, "", gr.update(visible=True)

        inputs = [box, chat, session, doc_types, date_from, date_to]
        outputs = [chat, session, sources, passage, box, feedback_row]
        send.click(respond, inputs, outputs).then(None, js=SCROLL_PANEL)
        box.submit(respond, inputs, outputs).then(None, js=SCROLL_PANEL)
        for b in ex_buttons:
            b.click(lambda q: q, b, box).then(respond, inputs, outputs).then(None, js=SCROLL_PANEL)
        cite_open.click(lambda key, sess: ctl.citation(key, sess), [cite_key, session], passage).then(
            None, js=SCROLL_TO_MARK)
        good.click(lambda s, c: (ctl.feedback(s, 1, c), ""), [session, comment], [fb_status, comment])
        bad.click(lambda s, c: (ctl.feedback(s, -1, c), ""), [session, comment], [fb_status, comment])

        # -- goals ----------------------------------------------------------------------
        def refresh_goals(topic, prog, year, query, all_cols, sess: Session):
            frame_, cards_ = ctl.goals_table(topic, prog, year, query, sess.lang, bool(all_cols))
            return (gr.update(value=frame_, column_widths=_widths(all_cols)), cards_, ctl.timeline(topic or None, sess.lang),
                    gr.update(value=ctl.goals_csv_file(topic, prog, year, query, sess.lang)))

        g_inputs = [g_topic, g_prog, g_year, g_query, g_all, session]
        g_outputs = [g_table, g_cards, g_plot, g_download]
        for comp in (g_topic, g_prog, g_year, g_all):
            comp.change(refresh_goals, g_inputs, g_outputs)
        g_query.submit(refresh_goals, g_inputs, g_outputs)

        # -- documents ------------------------------------------------------------------
        def store_views(sess: Session, topic="", prog="", year="", query="", all_cols=False) -> list:
            """Everything that shows what the store holds, read from it now."""
            code_ = sess.lang
            T = LABELS[code_]
            programmes_, years_ = ctl.goal_choices()
            frame_, cards_ = ctl.goals_table(topic, prog, year, query, code_, bool(all_cols))
            return [
                gr.update(value=ctl.documents_rows(code_), headers=T["doc_headers"]),
                gr.update(choices=ctl.document_choices(), value=None),
                gr.update(choices=[(T["all_topics"], "")] + ctl.goal_topics(code_)),
                gr.update(choices=_choices(T["all"], programmes_)),
                gr.update(choices=_choices(T["all"], years_)),
                gr.update(value=frame_, column_widths=_widths(all_cols)), cards_, ctl.timeline(topic or None, code_),
                gr.update(value=ctl.goals_csv_file(topic, prog, year, query, code_)),
                ctl.about(code_), ctl.help_text(code_), *example_updates(code_),
            ]

        store_outputs = [d_table, d_pick, g_topic, g_prog, g_year, g_table, g_cards, g_plot, g_download,
                         about, help_text, examples_label, *ex_buttons]

        def add_files(files, replace, sess: Session, progress=gr.Progress()):
            paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
            status = ctl.upload(paths, progress=progress, replace=bool(replace), lang=sess.lang)
            return [status, *store_views(sess)]

        d_files.upload(add_files, [d_files, d_replace, session], [d_status, *store_outputs])

        def ask_remove(source, sess: Session):
            prompt = ctl.remove_prompt(source, sess.lang)
            if prompt is None:
                return LABELS[sess.lang]["pick_first"], gr.update(visible=False), ""
            return "", gr.update(visible=True), prompt

        d_remove.click(ask_remove, [d_pick, session], [d_status, d_confirm_box, d_confirm_text])
        d_cancel.click(lambda: (gr.update(visible=False), ""), None, [d_confirm_box, d_confirm_text])

        def remove_doc(source, sess: Session):
            status = ctl.remove(source, sess.lang)
            return [status, gr.update(visible=False), *store_views(sess)]

        d_confirm.click(remove_doc, [d_pick, session], [d_status, d_confirm_box, *store_outputs])

        # -- HTTP API for machines (load tests, scripts) ---------------------------------
        def ask(question: str, history: list[list[str]] | None = None) -> dict:
            """Answer one question; the JSON is what `policyqa ask --json` prints."""
            pairs = [(h[0], h[1]) for h in history or [] if len(h) >= 2]
            return assistant.ask(question, history=pairs).to_json()

        gr.api(ask, api_name="ask")

        # -- language -------------------------------------------------------------------
        def switch(choice, sess: Session, topic, prog, year, query, all_cols):
            code_ = code(choice)
            sess.lang = code_
            T = LABELS[code_]
            return [
                sess, choice, gr.update(value=f"# {T['title']}"), gr.update(label=T["language"]),
                gr.update(label=T["tab_chat"]), gr.update(label=T["tab_goals"]), gr.update(label=T["tab_docs"]),
                gr.update(placeholder=T["placeholder"], label=T["question"]), gr.update(value=T["send"]),
                gr.update(value=T["good"]), gr.update(value=T["bad"]),
                gr.update(placeholder=T["comment"], label=T["comment"]),
                gr.update(label=T["help_title"]), gr.update(label=T["filters"]),
                gr.update(label=T["doc_types"], choices=[(T["types"][t], t) for t in DOC_TYPES]),
                gr.update(label=T["date_from"]), gr.update(label=T["date_to"]),
                gr.update(value=f"### {T['passage']}"), gr.update(value=f"### {T['sources']}"),
                gr.update(value=ctl.sources(sess)), gr.update(value=T["no_passage"]),
                gr.update(label=T["topic"]), gr.update(label=T["programme"]), gr.update(label=T["year"]),
                gr.update(label=T["search"]), gr.update(label=T["all_columns"]), gr.update(label=T["download"]),
                gr.update(value=f"### {T['timeline']}"),
                gr.update(label=T["upload"]), gr.update(label=T["replace"]),
                gr.update(value=T["upload_hint"].format(mb=max_mb)),
                gr.update(label=T["remove_pick"]), gr.update(value=T["remove"]),
                gr.update(value=T["confirm_remove"]), gr.update(value=T["cancel"]),
                gr.update(visible=False), "", "",
                *store_views(sess, topic, prog, year, query, all_cols),
            ]

        lang_outputs = [
            session, saved_lang, title, lang, chat_tab, goals_tab, docs_tab, box, send, good, bad, comment,
            help_box, filters_box, doc_types, date_from, date_to, passage_title, sources_title, sources, passage,
            g_topic, g_prog, g_year, g_query, g_all, g_download, g_plot_title, d_files, d_replace, d_hint,
            d_pick, d_remove, d_confirm, d_cancel, d_confirm_box, d_confirm_text, d_status, *store_outputs,
        ]
        # g_topic etc. appear twice (label, then choices): merge the two updates into one
        lang.change(_merged(switch, lang_outputs), [lang, session, g_topic, g_prog, g_year, g_query, g_all],
                    list(dict.fromkeys(lang_outputs))).then(None, [lang], None, js=SET_LANG)

        # -- every page load: the saved language, and the store as it is now -------------
        def on_load(saved, sess: Session):
            choice = saved if saved in LANGS else "Dansk"
            sess.lang = code(choice)
            return [sess, gr.update(value=choice), *store_views(sess)]

        app.load(on_load, [saved_lang, session], [session, lang, *store_outputs]).then(
            None, [lang], None, js=SET_LANG)
    return app


def _widths(all_columns) -> list[str]:
    """Column widths: the main columns fit a 1,400 px screen; all columns scroll sideways."""
    if not all_columns:
        return list(MAIN_WIDTHS)
    return [f"{w}px" for w in (170, 150, 70, 90, 130, 170, 100, 170, 110, 170, 90, 110, 170, 420)]


def _choices(everything: str, values: list[str]) -> list[tuple[str, str]]:
    return [(everything, "")] + [(v, v) for v in values]


def _merged(fn, outputs: list):
    """Wrap `fn` (returning one value per entry of `outputs`, some components twice) to return
    one value per distinct component, later updates merged into earlier ones."""
    def run(*args):
        values = fn(*args)
        merged: dict = {}
        for comp, value in zip(outputs, values):
            key = id(comp)
            if key in merged and isinstance(merged[key][1], dict) and isinstance(value, dict):
                merged[key] = (comp, {**merged[key][1], **value})
            elif key in merged and isinstance(value, dict):
                merged[key] = (comp, {**{"value": merged[key][1]}, **value})
            else:
                merged[key] = (comp, value)
        return [v for _, v in merged.values()]
    return run


def launch_kwargs(settings) -> dict:
    import gradio as gr
    from starlette.middleware import Middleware

    from ui.security import LoginThrottle, SecurityMiddleware, allowed_hosts

    creds = settings.credentials() if settings else []
    bind = settings.host if settings else "127.0.0.1"
    extra = (settings.allowed_hosts or "").split(",") if settings else []
    throttle = LoginThrottle(settings.login_max_failures if settings else 5,
                             lockout=settings.login_lockout_seconds if settings else 300.0)
    # Colours chosen for WCAG 2.1 AA contrast (4.5:1 for text) on white.
    theme = gr.themes.Base(font=["system-ui", "sans-serif"], font_mono=["monospace"]).set(
        button_primary_background_fill="#1d4ed8", button_primary_background_fill_hover="#1e40af",
        button_primary_text_color="#ffffff", button_primary_border_color="#1d4ed8",
        button_cancel_background_fill="#b91c1c", button_cancel_text_color="#ffffff",
        color_accent="#1d4ed8", color_accent_soft="#dbeafe", body_text_color_subdued="#4b5563",
        link_text_color="#1d4ed8", link_text_color_visited="#6d28d9", block_info_text_color="#4b5563",
        input_placeholder_color="#6b7280")
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
        "theme": theme,
        # Gradio's own footer (API docs, "built with", settings, run history) is in English only
        # and is not for caseworkers; machines use the API documented in the README
        "footer_links": [],
    }


def launch(settings, *, block: bool = True):
    import os

    # the web server's process: no Gradio analytics, no Chroma telemetry, whoever started it
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from assistant.service import Assistant
    from ingest.store import Store

    store = Store.from_settings(settings, create=True)
    store.check()
    app = build_app(Assistant.from_settings(settings, store), settings)
    app.queue(default_concurrency_limit=8, max_size=64)
    app.launch(prevent_thread_lock=not block, **launch_kwargs(settings))
    return app
