"""The app's widgets for notes and feedback: the Briefing tab, the curated export, the feedback form.

Kept out of `app.py` so the page stays a list of calls. Each widget calls one function of `rag/`
per user action: making a briefing (`rag.answer.brief.build_brief`), exporting the ticked
answers (`Conversation.briefing` / `briefing_docx`), saving feedback
(`rag.core.feedback.append_feedback`). Widget keys carry the message's `uid`, so a tick or a
verdict stays with its answer across reruns.
"""

from __future__ import annotations

import string

import streamlit as st

from rag.answer.assistant import Assistant
from rag.answer.brief import Brief, build_brief
from rag.core.feedback import VERDICTS, Feedback, append_feedback
from rag.ui.auth import User
from rag.ui.briefing import briefing_filename
from rag.ui.meeting_note import brief_filename, brief_note
from rag.ui.note import note_docx, note_markdown
from rag.ui.session import Conversation, Message
from rag.ui.text import error_message, t
from rag.ui.uploads import StoreOverview, document_label

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# -- the Briefing tab --------------------------------------------------------------------------
def briefing_tab(lang: str, assistant: Assistant, ov: StoreOverview) -> None:
    """Pick a meeting (and maybe a topic), make the note, read it, download it."""
    state = st.session_state
    st.caption(t(lang, "brief_help"))
    records = [r for r in ov.documents if r.agenda]
    if not records:
        st.info(t(lang, "brief_no_meetings"), icon="📂")
        return
    records.sort(key=lambda r: (r.meta.meeting_date, r.doc_id), reverse=True)
    labels = {r.doc_id: document_label(r) for r in records}
    if state.get("brief_meeting") not in labels:
        state["brief_meeting"] = records[0].doc_id
    with st.form("brief_form"):
        meeting = st.selectbox(
            t(lang, "brief_meeting"), list(labels), format_func=labels.get, key="brief_meeting"
        )
        topic = st.text_input(t(lang, "brief_topic_input"), key="brief_topic")
        across = st.checkbox(t(lang, "brief_across"), key="brief_across")
        made = st.form_submit_button(t(lang, "brief_make"), key="brief_make", type="primary")
    if made:
        state["brief_made"] = state.get("brief_made", 0) + 1
        try:
            if across and topic.strip():
                state["brief"] = build_brief(assistant.store, topic=topic.strip())
            else:
                state["brief"] = build_brief(assistant.store, meeting=meeting, topic=topic.strip())
        except Exception as exc:  # noqa: BLE001 - one message, never a traceback
            state.pop("brief", None)
            st.error(error_message(exc, lang))
            return
    brief: Brief | None = state.get("brief")
    if brief is None:
        return
    # Written once per note and language: every rerun of the page passes here, and a Word
    # document of 80 sources takes a few hundred ms to write.
    files = state.setdefault("brief_files", {})
    key = (state.get("brief_made", 0), lang)
    if key not in files:
        files.clear()
        note = brief_note(brief, lang)
        files[key] = (note, note_docx(note))
    note, docx = files[key]
    left, right = st.columns(2)
    left.download_button(
        t(lang, "brief_docx"),
        data=docx,
        file_name=brief_filename(brief, "docx"),
        mime=DOCX_MIME,
        key="brief_docx",
        type="primary",
    )
    right.download_button(
        t(lang, "brief_md"),
        data=note_markdown(note),
        file_name=brief_filename(brief, "md"),
        mime="text/markdown",
        key="brief_md",
    )
    with st.container(border=True, key="brief_preview"):
        st.markdown(note_markdown(note, chars=_ALL_PUNCTUATION))


# Everything the app renders from a report is escaped in full (`rag.ui.render.escape_md`).
_ALL_PUNCTUATION = frozenset(string.punctuation)


# -- under each answer: keep it in the note, give feedback -------------------------------------
def answer_tools(lang: str, message: Message, assistant: Assistant, user: User) -> None:
    """The "keep in note" tick and the feedback form under one answer."""
    state = st.session_state
    st.checkbox(t(lang, "keep"), value=True, key=f"keep_{message.uid}")
    done = state.get(f"fb_done_{message.uid}")
    with st.expander(t(lang, "feedback"), expanded=False):
        if done:
            st.success(t(lang, "fb_saved", verdict=t(lang, f"fb_{done}")))
        with st.form(f"fb_{message.uid}", clear_on_submit=True, border=False):
            verdict = st.radio(
                t(lang, "fb_verdict"),
                VERDICTS,
                index=None,
                format_func=lambda v: t(lang, f"fb_{v}"),
                horizontal=True,
                key=f"fb_verdict_{message.uid}",
            )
            comment = st.text_input(t(lang, "fb_comment"), key=f"fb_comment_{message.uid}")
            sent = st.form_submit_button(t(lang, "fb_send"), key=f"fb_send_{message.uid}")
        if sent and verdict is None:
            st.warning(t(lang, "fb_pick"))
        elif sent and verdict is not None:
            try:
                save_feedback(assistant, message, verdict, comment, user)
            except Exception as exc:  # noqa: BLE001
                st.error(error_message(exc, lang))
                return
            state[f"fb_done_{message.uid}"] = verdict
            st.success(t(lang, "fb_saved", verdict=t(lang, f"fb_{verdict}")))


def save_feedback(
    assistant: Assistant, message: Message, verdict: str, comment: str, user: User
) -> Feedback:
    """Append the verdict on `message` to RAG_FEEDBACK (see `feedback_entry`)."""
    entry = feedback_entry(
        message, verdict, comment, user, assistant.config.auth, assistant.store.version()
    )
    append_feedback(assistant.config.feedback_path, entry)
    return entry


def feedback_entry(
    message: Message, verdict: str, comment: str, user: User, auth: str, store_version: str
) -> Feedback:
    """The verdict with the question, answer, filters, store version and, with login on
    (`auth`, i.e. RAG_AUTH), the user."""
    a = message.answer
    return Feedback(
        verdict=verdict,
        question=message.question,
        answer=a.to_json(),
        comment=comment.strip(),
        standalone_question=a.standalone_question,
        filters=message.filters,
        store_version=store_version,
        user=user.name if auth else "",
        mode=str(a.mode),
    )


# -- the export of the ticked answers ----------------------------------------------------------
def export_buttons(lang: str, conv: Conversation) -> None:
    """Markdown and DOCX downloads of the ticked answers, with how many are in."""
    state = st.session_state
    keep = {m.uid for m in conv.messages if state.get(f"keep_{m.uid}", True)}
    if not keep:
        st.info(t(lang, "export_none"))
        return
    st.caption(t(lang, "export_count", k=len(keep), n=len(conv.messages)))
    md, docx = st.columns(2)
    md.download_button(
        t(lang, "export"),
        data=conv.briefing(lang, keep),
        file_name=briefing_filename(),
        mime="text/markdown",
        key="export",
    )
    docx.download_button(
        t(lang, "export_docx"),
        data=conv.briefing_docx(lang, keep),
        file_name=briefing_filename(ext="docx"),
        mime=DOCX_MIME,
        key="export_docx",
    )
