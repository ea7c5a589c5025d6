"""The motif echoed back as rich text, with the words that triggered the rule highlighted."""

from __future__ import annotations

from html import escape

from permanence.core.triage import Evidence

MARK_STYLE = "background-color:#ffe066;color:#000000;font-weight:bold;"


def highlighted_html(text: str, evidence: tuple[Evidence, ...]) -> str:
    """`text` as HTML-escaped rich text where every evidence span is marked."""
    pieces: list[str] = []
    position = 0
    for span in sorted(evidence, key=lambda e: e.start):
        if span.start < position or span.end > len(text):
            continue
        pieces.append(escape(text[position : span.start]))
        pieces.append(f'<span style="{MARK_STYLE}">{escape(text[span.start : span.end])}</span>')
        position = span.end
    pieces.append(escape(text[position:]))
    return "".join(pieces).replace("\n", "<br>")
