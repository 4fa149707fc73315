"""Extractive answers, the default: the chosen sentences as cited bullets.

No LLM, offline and deterministic. The sentences `rag.answer.scoring` chose become bullets,
grouped per meeting and agenda item, each with an `[n]` marker pointing at its source passage.
When the checks abstain, the answer says why and shows the closest passages, labelled as such.
"""

from __future__ import annotations

import re

from rag.answer.question import Question
from rag.answer.scoring import ScoredSentence
from rag.core.models import FOOTNOTE_REF, Citation, Hit

LABELS = {
    "nl": {
        "lead": "Uit de verslagen:",
        "abstain": "De geïndexeerde verslagen geven hierop geen antwoord.",
        "closest": "Dichtstbijzijnde passages (geen antwoord, ter controle):",
        "empty": "Er zijn nog geen verslagen geïndexeerd: voeg verslagen toe met "
        "`python -m ingest MAP` of via het tabblad Verslagen.",
        "nothing": "Geen verslagen voldoen aan de gekozen filters ({filters}).",
        "fallback": "het LLM-antwoord hierboven had geen geldige bronverwijzing en vervalt; "
        "hieronder het antwoord uit de verslagen zelf",
        "ocr": "(OCR-tekst, betrouwbaarheid {pct}%: controleer de scan, p. {page})",
    },
    "en": {
        "lead": "From the reports (quoted in Dutch):",
        "abstain": "The indexed reports do not answer this question.",
        "closest": "Closest passages (not an answer, for checking):",
        "empty": "No reports are indexed yet: add reports with `python -m ingest FOLDER` "
        "or in the Reports tab.",
        "nothing": "No reports match the chosen filters ({filters}).",
        "fallback": "the LLM answer above had no valid citation and is withdrawn; "
        "the answer quoted from the reports follows",
        "ocr": "(OCR text, confidence {pct}%: check the scan, p. {page})",
    },
}


def heading(hit: Hit) -> str:
    """'JBZ-Raad, 2020-12-14 — 4. Nieuw Migratie- en Asielpact'."""
    m = hit.chunk.meta
    where = ", ".join(x for x in (m.formation, m.meeting_date or m.letter_date) if x)
    title = where or m.title or hit.chunk.file
    return f"{title} — {hit.chunk.section}" if hit.chunk.section else title


def compose(
    parsed: Question,
    hits: list[Hit],
    chosen: list[ScoredSentence],
    k: int,
    abstained: bool,
    reason: str = "",
) -> tuple[str, list[Citation]]:
    """The answer text with [n] markers, and the numbered sources (cited ones first)."""
    labels = LABELS[parsed.lang]
    order: list[int] = []  # hit ranks in citation order
    for s in chosen if not abstained else []:
        if s.hit_rank not in order:
            order.append(s.hit_rank)
    for rank in range(len(hits)):  # then the other top passages, up to k sources
        if len(order) >= k:
            break
        if rank not in order:
            order.append(rank)
    number = {rank: i + 1 for i, rank in enumerate(order)}
    page_of = {s.hit_rank: s for s in reversed(chosen)}
    citations = []
    for rank in order:
        hit = hits[rank]
        c, m = hit.chunk, hit.chunk.meta
        cited = page_of.get(rank) if not abstained else None
        page = (cited.page or None) if cited else c.page
        citations.append(
            Citation(
                n=number[rank],
                doc_id=c.doc_id,
                file=c.file,
                title=m.title,
                formation=m.formation,
                meeting_date=m.meeting_date,
                section=c.section,
                page=page if page else None,
                text=c.text,
                score=round(hit.score, 6),
                char_start=c.char_start + (cited.start if cited else 0),
                char_end=c.char_start + (cited.end if cited else len(c.text)),
            )
        )
    if abstained:
        lines = [labels["abstain"] + (f" ({reason})" if reason else ""), "", labels["closest"]]
        lines += [f"- {heading(hits[r])} [{number[r]}]" for r in order[:3]]
        return "\n".join(lines), citations
    groups: dict[str, list[str]] = {}
    for s in sorted(chosen, key=lambda s: (number[s.hit_rank], s.start)):
        note = ""
        if (conf := hits[s.hit_rank].chunk.low_confidence(s.page)) is not None:
            note = " " + labels["ocr"].format(pct=round(conf * 100), page=s.page)
        groups.setdefault(heading(hits[s.hit_rank]), []).append(
            f"- {_tidy(s.text)}{note} [{number[s.hit_rank]}]"
        )
    lines = [labels["lead"]]
    for title, bullets in groups.items():
        lines += ["", f"**{title}**", *bullets]
    return "\n".join(lines), citations


def _tidy(sentence: str) -> str:
    """One line, without footnote references: in a quote they would read as the answer's own
    [n] source markers and point at an unrelated source (the source passage keeps them)."""
    return re.sub(r"\s+", " ", FOOTNOTE_REF.sub("", sentence)).strip()
