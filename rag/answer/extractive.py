"""Extractive answers, the default: the chosen sentences as cited bullets.

No LLM, offline and deterministic. The sentences `rag.answer.scoring` chose become bullets,
grouped per meeting and agenda item, each with an `[n]` marker pointing at its source passage.
When the checks abstain, the answer says why and shows the closest passages, labelled as such.
"""

from __future__ import annotations

import re

from rag.answer.framing import LABELS, heading
from rag.answer.question import Intent, Question
from rag.answer.scoring import ScoredSentence
from rag.core.models import FOOTNOTE_REF, Chunk, Citation, Hit


def compose(
    parsed: Question,
    hits: list[Hit],
    chosen: list[ScoredSentence],
    k: int,
    abstained: bool,
    reason: str = "",
    lead: str = "",
) -> tuple[str, list[Citation]]:
    """The answer text with [n] markers, and the numbered sources (cited ones first).

    Quotes are grouped under a heading per meeting and agenda item in the question's language;
    for a question about an actor's position the heading names the actor. `lead` replaces the
    first line (a partial answer or a verdict says what it is there).
    """
    labels = LABELS[parsed.lang]
    lang = parsed.lang
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
        lines += [f"- {heading(hits[r].chunk, lang).rstrip(':')} [{number[r]}]" for r in order[:3]]
        return "\n".join(lines), citations
    actor = parsed.actors[0] if parsed.actors and parsed.intent == Intent.POSITION else None
    # Groups in citation order (the best evidence is [1]); within a group, report order.
    groups: dict[str, list[ScoredSentence]] = {}
    for s in sorted(chosen, key=lambda s: (number[s.hit_rank], s.start)):
        groups.setdefault(heading(hits[s.hit_rank].chunk, lang, actor), []).append(s)
    bullets = {
        title: [
            f"- {_tidy(s.text)}{_ocr_note(hits[s.hit_rank].chunk, s.page, lang)} "
            f"[{number[s.hit_rank]}]"
            for s in sorted(group, key=lambda s: (hits[s.hit_rank].chunk.index, s.start))
        ]
        for title, group in groups.items()
    }
    first = lead or labels["lead"]
    if lang == "en" and all(
        hits[s.hit_rank].chunk.meta.language not in ("", "nl") for s in chosen
    ):  # the Council's own English documents: the quotes are not Dutch
        first = first.replace(" (quoted in Dutch)", "").replace(" (in Dutch)", "")
    lines = [first]
    for title, lines_of_group in bullets.items():
        lines += ["", f"**{title}**", *lines_of_group]
    return "\n".join(lines), citations


def _ocr_note(chunk: Chunk, page: int, lang: str) -> str:
    """' (OCR text, confidence 62%: check the scan, p. 3)' for a quote from a low-confidence
    OCR page, else ''."""
    conf = chunk.low_confidence(page)
    if conf is None:
        return ""
    return " " + LABELS[lang]["ocr"].format(pct=round(conf * 100), page=page)


def _tidy(sentence: str) -> str:
    """One line, without footnote references: in a quote they would read as the answer's own
    [n] source markers and point at an unrelated source (the source passage keeps them)."""
    return re.sub(r"\s+", " ", FOOTNOTE_REF.sub("", sentence)).strip()
