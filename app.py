"""The Streamlit app for officials: chat with the Council reports, with sources, filters, uploads.

    streamlit run app.py        # 127.0.0.1:8501 (.streamlit/config.toml)
    python app.py               # the same, on RAG_HOST:RAG_PORT

This file renders. Each user action calls one function of `rag/`: asking (`Conversation.ask`),
uploading (`reports.ingest_uploads`), deleting (`reports.delete_report`), exporting
(`Conversation.briefing`); the Briefing tab, the export and the feedback under each answer are
in `rag.ui.panels`. Report text, file names and questions are shown as text: escaped by
`rag.ui.render` for Markdown, or through `st.text` / `st.dataframe`; never as HTML.
"""

from __future__ import annotations

import logging
import sys
from datetime import date

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from rag.answer.assistant import Assistant
from rag.answer.question import Filters
from rag.core.config import Config
from rag.core.embedders import Embedder, load_embedder
from rag.core.errors import RagError
from rag.ui.auth import (
    LOCAL,
    AccessError,
    User,
    load_users,
    login,
    oidc_user,
)
from rag.ui.forged import pressed_buttons, refuse_forged
from rag.ui.panels import answer_tools, briefing_tab, export_buttons
from rag.ui.plaintext import deleted_sources
from rag.ui.render import answer_markdown, escape_md
from rag.ui.session import Conversation, Message, make_filters
from rag.ui.source_panels import copy_button, deleted_note, source_extras
from rag.ui.text import error_message, file_message, t, warning_text
from rag.ui.uploads import (
    UPLOAD_TYPES,
    StoreOverview,
    Upload,
    UploadResult,
    added_label,
    delete_report,
    document_label,
    ingest_uploads,
    overview,
)

# Meetings in the reports go back to the 1950s; Streamlit's date input allows only 10 years back.
_MIN_DATE, _MAX_DATE = date(1950, 1, 1), date(2100, 12, 31)


@st.cache_resource(show_spinner=False)
def _embedder(spec: str, api_key: str) -> Embedder:
    """One embedding model per process, whatever store the configuration points at."""
    return load_embedder(spec, api_key)


@st.cache_resource(show_spinner=False)
def _assistant(config: Config) -> Assistant:
    """One Assistant (and Chroma client) per configuration; keyed on it so tests can switch."""
    return Assistant(config, embedder=_embedder(config.embedder, config.embed_api_key))


def main() -> None:
    try:
        config = Config.from_env()
    except RagError as exc:
        st.set_page_config(page_title="Council reports assistant")
        st.error(str(exc))
        st.stop()
    logging.basicConfig(level=config.log_level, format="%(levelname)s %(name)s: %(message)s")
    st.set_page_config(page_title=t(config.ui_lang, "page_title"), page_icon="🇪🇺", layout="wide")
    state = st.session_state
    state.setdefault("conversation", Conversation())
    with st.sidebar:
        english = st.toggle(t("en", "sidebar_lang"), value=config.ui_lang == "en", key="ui_en")
    lang = "en" if english else "nl"
    st.title(t(lang, "title"))
    user = _signed_in(config, lang)
    st.caption(t(lang, "intro"))
    try:
        with st.spinner(t(lang, "loading")):
            assistant = _assistant(config)
        ov = overview(assistant.store)
    except Exception as exc:  # noqa: BLE001 - the app shows one message, never a traceback
        st.error(error_message(exc, lang))
        st.stop()
    filters, filter_error, mode = _sidebar(lang, config, assistant, ov)
    chat_tab, brief_tab, reports_tab = st.tabs(
        [t(lang, "tab_chat"), t(lang, "tab_brief"), t(lang, "tab_reports")]
    )
    with chat_tab:
        _chat(lang, assistant, ov, filters, filter_error, mode, user)
    with brief_tab:
        briefing_tab(lang, assistant, ov)
    with reports_tab:
        _reports(lang, assistant, ov, user)


# -- login (RAG_AUTH=users) ----------------------------------------------------------------------
def _signed_in(config: Config, lang: str) -> User:
    """The signed-in user; without RAG_AUTH the one local user. Stops the page at the login form."""
    if not config.auth:
        return LOCAL
    state = st.session_state
    user: User | None = state.get("user")
    if config.auth == "oidc":
        if not st.user.is_logged_in:
            st.button(t(lang, "login_oidc"), key="oidc_login", on_click=st.login)
            st.stop()
        user = oidc_user(st.user.to_dict(), config.editors)
        state.update(user=user, user_name=user.name)
    if user is not None:
        with st.sidebar:
            role = t(lang, f"role_{user.role}")
            st.caption(t(lang, "signed_in", name=escape_md(user.name), role=role))
            if st.button(t(lang, "logout"), key="sign_out"):
                for key in ("user", "user_name", "conversation", "pending_delete"):
                    state.pop(key, None)
                if config.auth == "oidc":
                    st.logout()
                st.rerun()
        return user
    try:
        credentials = load_users(config.users)
    except RagError as exc:
        st.error(error_message(exc, lang))
        st.stop()
    with st.form("login"):
        st.subheader(t(lang, "login_title"))
        name = st.text_input(t(lang, "login_name"), key="login_name")
        password = st.text_input(t(lang, "login_password"), type="password", key="login_pw")
        submitted = st.form_submit_button(t(lang, "login_button"), key="login_submit")
    if submitted:
        try:
            user = login(
                config.audit_path,
                credentials,
                name,
                password,
                config.login_attempts,
                config.login_lock_minutes,
            )
        except RagError as exc:  # locked for a while, or the audit trail cannot be written
            st.error(error_message(exc, lang))
            st.stop()
        if user is not None:
            state.update(user=user, user_name=user.name, conversation=Conversation())
            st.rerun()
        st.error(t(lang, "login_failed"))
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


# -- sidebar -----------------------------------------------------------------------------------
def _sidebar(
    lang: str, config: Config, assistant: Assistant, ov: StoreOverview
) -> tuple[Filters, str, str]:
    """Filters, answer mode, backends and what is indexed; returns (filters, error, mode)."""
    state = st.session_state
    doc_ids = [r.doc_id for r in ov.documents]
    labels = {r.doc_id: document_label(r) for r in ov.documents}
    # A deleted document or formation must not linger in a widget's value (Streamlit refuses it).
    state["f_docs"] = [d for d in state.get("f_docs", []) if d in labels]
    if state.get("f_formation", "") not in ("", *ov.formations):
        state["f_formation"] = ""
    state["f_types"] = [d for d in state.get("f_types", []) if d in ov.doc_types]
    with st.sidebar:
        st.header(t(lang, "sidebar_filters"))
        st.caption(t(lang, "filters_help"))
        formation = st.selectbox(
            t(lang, "formation"),
            ["", *ov.formations],
            format_func=lambda f: f or t(lang, "all_formations"),
            key="f_formation",
        )
        since = st.date_input(
            t(lang, "since"), value=None, min_value=_MIN_DATE, max_value=_MAX_DATE, key="f_since"
        )
        until = st.date_input(
            t(lang, "until"), value=None, min_value=_MIN_DATE, max_value=_MAX_DATE, key="f_until"
        )
        docs = st.multiselect(
            t(lang, "documents"),
            doc_ids,
            format_func=lambda d: labels[d],
            key="f_docs",
            placeholder=t(lang, "choose"),
        )
        types = st.multiselect(
            t(lang, "doc_types"), ov.doc_types, key="f_types", placeholder=t(lang, "choose")
        )
        filters, error = Filters(), ""
        try:
            filters = make_filters(formation, since, until, docs, types)  # type: ignore[arg-type]
        except RagError as exc:
            error = error_message(exc, lang)
            st.error(error)

        st.header(t(lang, "sidebar_mode"))
        has_llm = assistant.llm is not None
        use_llm = st.toggle(t(lang, "use_llm"), value=has_llm, disabled=not has_llm, key="llm")
        if not has_llm:
            st.caption(t(lang, "llm_off_hint"))
        elif not use_llm:
            st.caption(t(lang, "llm_on_hint"))

        st.header(t(lang, "sidebar_backends"))
        st.markdown(
            f"- {t(lang, 'embedder')}: {escape_md(assistant.embedder.name)}\n"
            f"- {t(lang, 'store')}: {escape_md(assistant.store.location)}\n"
            f"- {t(lang, 'llm')}: {escape_md(config.llm) if config.llm else t(lang, 'none')}"
        )
        st.header(t(lang, "sidebar_index"))
        st.markdown(
            f"- {t(lang, 'n_documents')}: {len(ov.documents)}\n"
            f"- {t(lang, 'n_chunks')}: {ov.chunks}\n"
            f"- {t(lang, 'newest')}: {escape_md(ov.newest_meeting or '–')}"
        )
    return filters, error, "llm" if use_llm and has_llm else "extractive"


# -- chat --------------------------------------------------------------------------------------
def _chat(
    lang: str,
    assistant: Assistant,
    ov: StoreOverview,
    filters: Filters,
    filter_error: str,
    mode: str,
    user: User,
) -> None:
    conv: Conversation = st.session_state["conversation"]
    if ov.chunks == 0:
        st.info(t(lang, "empty_store"), icon="📂")
    actions = st.container()  # filled last, so the export includes an answer given in this run
    # The messages go in a container placed before the chat input (which sits inline in the tab),
    # so a new exchange appears under the earlier ones and above the input.
    history = st.container()
    stored = {r.doc_id for r in ov.documents}  # to mark answers citing a report deleted since
    with history:
        for i, message in enumerate(conv.messages):
            with st.chat_message("user"):
                st.text(message.question)
            with st.chat_message("assistant"):
                _answer(lang, message, assistant, stored, i)
                answer_tools(lang, message, assistant, user)
    question = st.chat_input(t(lang, "chat_placeholder"), disabled=ov.chunks == 0)
    if not question:
        return _actions(lang, conv, actions)
    with history:
        with st.chat_message("user"):
            st.text(question)
        with st.chat_message("assistant"):
            box = st.empty()
            if filter_error:
                box.error(filter_error)
                return _actions(lang, conv, actions)
            before = len(conv.messages)
            try:
                with box.container():
                    st.write_stream(conv.ask(assistant, question, filters, mode))
            except Exception as exc:  # noqa: BLE001 - one message, never a traceback
                box.error(error_message(exc, lang))
            if len(conv.messages) > before:
                # Re-rendered in full: the abstention styling and the sources need the final
                # Answer, which arrives after the text.
                with box.container():
                    new = conv.messages[-1]  # just answered: its reports are all there
                    cited = {c.doc_id for c in new.answer.citations}
                    _answer(lang, new, assistant, stored | cited, len(conv.messages) - 1)
                    answer_tools(lang, new, assistant, user)
    return _actions(lang, conv, actions)


def _actions(lang: str, conv: Conversation, actions: DeltaGenerator) -> None:
    """The "new conversation" button and the export of the ticked answers, above the messages."""
    if conv.messages:
        with actions:
            left, right = st.columns(2)
            if left.button(t(lang, "new_chat"), key="new_chat"):
                conv.clear()
                st.rerun()
            with right:
                export_buttons(lang, conv)


def _answer(
    lang: str, message: Message, assistant: Assistant, stored: set[str], index: int
) -> None:
    """An answer with its captions and sources (the same rendering live and after a rerun)."""
    a = message.answer
    if a.abstained:
        st.warning(f"**{t(lang, 'no_answer')}**\n\n{answer_markdown(a.answer)}", icon="🚫")
    else:
        st.markdown(answer_markdown(a.answer))
    notes = []
    if message.filters:
        notes.append(t(lang, "filters_used", filters=escape_md(message.filters)))
    if a.standalone_question and a.standalone_question != message.question:
        notes.append(t(lang, "interpreted_as", question=escape_md(a.standalone_question)))
    notes.append(t(lang, "mode_used", mode=a.mode, ms=round(a.timings_ms.get("total", 0))))
    for note in notes:
        st.caption(note)
    for w in a.warnings:
        st.caption(t(lang, "warning", warning=warning_text(lang, w)))
    gone = deleted_sources(message.sources, stored)
    deleted_note(lang, gone)
    copy_button(lang, a)
    if not message.sources:
        return
    st.markdown(f"**{t(lang, 'sources')}**")
    for v in message.sources:
        with st.container(border=True):
            st.markdown(f"**{v.heading}**")
            if v.details:
                st.caption(v.details)
            st.markdown(v.passage)
            with st.expander(t(lang, "open_section", title=v.section_title or "–")):
                if v.section:
                    st.markdown(v.section)
                else:
                    st.info(t(lang, "section_unknown"))
            source_extras(lang, assistant.store, v, f"{index}-{v.n}", v in gone)


# -- reports -----------------------------------------------------------------------------------
def _reports(lang: str, assistant: Assistant, ov: StoreOverview, user: User) -> None:
    state = st.session_state
    if refuse_forged(assistant.config.audit_path, user, pressed_buttons()):
        st.error(error_message(AccessError("", code="forbidden", name=user.name), lang))
    if user.can_edit:
        _upload(lang, assistant, user)
    else:
        st.info(t(lang, "reader_only"))
    for result in state.get("upload_results", []):
        _upload_message(lang, result)
    if flash := state.pop("flash", ""):
        st.success(flash)

    st.subheader(t(lang, "doc_list"))
    if not ov.documents:
        st.info(t(lang, "empty_store"), icon="📂")
        return
    _document_table(lang, ov)
    if user.can_edit:
        _delete(lang, assistant, ov, user)


def _upload(lang: str, assistant: Assistant, user: User) -> None:
    state = st.session_state
    # The one statement of the limit is the uploader's own ("Limit 50MB per file").
    mb = max(1, round(assistant.config.max_file_mb))
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader(
            t(lang, "upload"),
            type=list(UPLOAD_TYPES),
            accept_multiple_files=True,
            max_upload_size=mb,
        )
        submitted = st.form_submit_button(t(lang, "upload_button"), key="upload_submit")
    if submitted and not files:
        st.warning(t(lang, "upload_none"))
    elif submitted:
        uploads = [Upload(f.name, f.getvalue()) for f in files or []]
        with st.status(t(lang, "upload_running"), expanded=True) as status:
            bar = st.progress(0.0)
            done = {"files": 0, "chunks": 0}

            def show() -> None:
                name = uploads[min(done["files"], len(uploads) - 1)].name
                text = t(
                    lang,
                    "upload_progress",
                    name=escape_md(name),
                    i=done["files"] + 1,
                    n=len(uploads),
                )
                bar.progress(done["files"] / len(uploads), text=f"{text} · {done['chunks']}")

            def on_chunks(n: int) -> None:
                done["chunks"] += n
                show()

            def on_file(i: int, result: UploadResult) -> None:
                done["files"] = i
                _upload_message(lang, result)
                if i < len(uploads):
                    show()
                else:
                    bar.progress(1.0)

            try:
                results = ingest_uploads(assistant, uploads, on_file, on_chunks, user=user)
            except Exception as exc:  # noqa: BLE001 - e.g. the store went away mid-upload
                status.update(label=t(lang, "status_failed"), state="error")
                st.error(error_message(exc, lang))
                return
            ok = sum(r.ok for r in results)
            status.update(
                label=t(lang, "upload_done", ok=ok, n=len(results)),
                state="complete" if ok == len(results) else "error",
            )
        # Rerun so the sidebar, filters and document list show the new state; the per-file
        # messages are kept to be shown again after it.
        state["upload_results"] = results
        st.rerun()


def _document_table(lang: str, ov: StoreOverview) -> None:
    st.dataframe(
        [
            {
                t(lang, "col_title"): r.meta.title,
                # File, type and time added next to the title: two copies are told apart.
                t(lang, "col_file"): r.file.rsplit("/", 1)[-1],
                t(lang, "col_format"): r.file_type,
                t(lang, "col_added"): added_label(r.added_at) or None,
                t(lang, "col_type"): r.meta.doc_type,
                t(lang, "col_formation"): r.meta.formation,
                t(lang, "col_dates"): ", ".join(r.meta.meeting_dates),
                t(lang, "col_pages"): r.pages or None,
                t(lang, "col_chunks"): r.chunks,
            }
            for r in ov.documents
        ],
        hide_index=True,
    )


def _delete(lang: str, assistant: Assistant, ov: StoreOverview, user: User) -> None:
    state = st.session_state
    labels = {r.doc_id: document_label(r) for r in ov.documents}
    pick = st.selectbox(
        t(lang, "delete_pick"),
        [None, *labels],
        format_func=lambda d: "–" if d is None else labels[d],
        key="delete_pick",
    )
    if st.button(t(lang, "delete_button"), disabled=pick is None, key="delete"):
        state["pending_delete"] = pick
    pending = state.get("pending_delete")
    if pending in labels:
        record = next(r for r in ov.documents if r.doc_id == pending)
        st.warning(
            t(lang, "delete_confirm", title=escape_md(labels[pending]), chunks=record.chunks)
        )
        yes, no = st.columns(2)
        if yes.button(t(lang, "delete_yes"), type="primary", key="delete_yes"):
            try:
                removed = delete_report(assistant, pending, user=user)
            except Exception as exc:  # noqa: BLE001
                st.error(error_message(exc, lang))
                return
            state["flash"] = t(lang, "deleted", title=escape_md(labels[pending]), chunks=removed)
            state["pending_delete"] = None
            state["upload_results"] = []
            st.rerun()
        if no.button(t(lang, "delete_no"), key="delete_no"):
            state["pending_delete"] = None
            st.rerun()


def _upload_message(lang: str, result: UploadResult) -> None:
    status = t(lang, f"status_{result.status}")
    detail = file_message(lang, result.code, result.params, result.message)
    if result.duplicate_of:  # the same report in another format, said in the interface language
        detail = t(lang, "upload_duplicate", twin=escape_md(result.duplicate_of))
    text = f"{escape_md(result.name)}: {status}" + (f" — {detail}" if detail else "")
    if result.status == "failed":
        st.error(text)
    elif result.status in ("new", "updated"):
        st.success(text)
    else:
        st.info(text)


def _launch() -> None:
    """`python app.py`: start Streamlit on RAG_HOST:RAG_PORT, offline (no usage statistics)."""
    from streamlit.web import cli

    config = Config.from_env()
    sys.argv = [
        "streamlit",
        "run",
        __file__,
        "--server.address",
        config.host,
        "--server.port",
        str(config.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.maxUploadSize",
        str(max(1, round(config.max_file_mb))),
    ]
    sys.exit(cli.main())


if __name__ == "__main__":
    if st.runtime.exists():
        main()
    else:
        _launch()
