"""The Streamlit pieces under an answer that go beyond rendering Markdown: each source's file
type and time added, its original one click away (the PDF page with the sentence marked, or the
page's cleaned text, and a download), a mark on sources whose report was deleted since, and the
copy button. The logic lives in `rag.ui.original` and `rag.ui.plaintext`; this module only draws.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ingest import originals
from rag.core.models import Answer
from rag.core.store import Store
from rag.ui.original import MIME, PageImage, download_name, page_markdown, render_pdf_page
from rag.ui.plaintext import answer_plaintext, copy_button_html
from rag.ui.render import SourceView, escape_md
from rag.ui.text import t
from rag.ui.uploads import added_label


@st.cache_data(max_entries=64, show_spinner=False)
def _pdf_page(path: str, page: int, sentence: str, mtime: float) -> PageImage:
    """Rendered once per (file, page, sentence); `mtime` keys a replaced file anew."""
    return render_pdf_page(Path(path), page, sentence)


def copy_button(lang: str, answer: Answer) -> None:
    """One click puts the answer and its cited sources on the clipboard, as plain text."""
    text = answer_plaintext(answer, lang)
    st.iframe(copy_button_html(text, t(lang, "copy"), t(lang, "copied")), height=40)


def deleted_note(lang: str, gone: list[SourceView]) -> None:
    if gone:
        numbers = ", ".join(f"\\[{v.n}\\]" for v in gone)
        st.warning(t(lang, "answer_cites_deleted", numbers=numbers), icon=":material/delete:")


def source_extras(lang: str, store: Store, view: SourceView, key: str, deleted: bool) -> None:
    """Under one source: its file type and time added, then the original (or the deletion)."""
    kind = escape_md(view.file_type or "?")
    when = added_label(view.added_at)
    if view.file_type:
        origin = (
            t(lang, "source_origin", kind=kind, when=escape_md(when))
            if when
            else t(lang, "source_origin_nowhen", kind=kind)
        )
        st.caption(origin)
    if deleted:
        st.warning(t(lang, "source_deleted"), icon=":material/delete:")
        return
    if view.doc_id:
        _original(lang, store, view, key, kind)


def _original(lang: str, store: Store, view: SourceView, key: str, kind: str) -> None:
    label = (
        t(lang, "open_original", kind=kind, page=view.page)
        if view.page
        else t(lang, "open_original_nopage", kind=kind)
    )
    if st.toggle(label, key=f"original-{key}"):
        with st.container(key=f"original-view-{key}"):  # a CSS class the browser tests find
            _original_view(lang, store, view, key)


def _original_view(lang: str, store: Store, view: SourceView, key: str) -> None:
    got = store.get_document(view.doc_id)
    if got is None:
        st.warning(t(lang, "source_deleted"), icon=":material/delete:")
        return
    record = got[0]
    path = originals.find(record)
    if record.file_type == "PDF" and path is not None:
        shown = _pdf_page(str(path), view.page or 1, view.sentence, path.stat().st_mtime)
        caption = "original_page" if shown.marked else "original_page_unmarked"
        st.image(shown.png, caption=t(lang, caption, page=shown.page, pages=shown.pages))
        if view.sentence and not shown.marked:
            st.caption(t(lang, "original_unmarked"))
    else:
        st.caption(
            t(lang, "original_text", page=view.page)
            if view.page
            else t(lang, "original_text_nopage")
        )
        with st.container(height=360, border=True, key=f"page-text-{key}"):
            st.markdown(page_markdown(store, view.doc_id, view.page, view.sentence))
    if path is None:
        st.info(t(lang, "original_missing"))
        return
    name = download_name(record)
    st.download_button(
        t(lang, "download_original", name=escape_md(name)),
        data=path.read_bytes(),
        file_name=name,
        mime=MIME.get(record.file_type, "application/octet-stream"),
        key=f"download-{key}",
        on_click="ignore",
    )
