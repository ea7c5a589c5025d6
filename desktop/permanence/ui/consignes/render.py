"""HTML rendering of a consignes sheet for QTextBrowser (escaped, two columns)."""

from __future__ import annotations

from html import escape

from permanence.core.consignes import Consignes, SectionText
from permanence.ui.format import format_day_time

# Sections she needs first during a call come first; others follow in sheet order.
_EMPHASIS = {"urgences", "a_ne_pas_dire"}


def section_html(section: SectionText, *, tint: str, strong_tint: str) -> str:
    """One section as a tinted card; urgent-minded sections get the stronger tint."""
    background = strong_tint if section.section in _EMPHASIS else tint
    origin = " <small>(consigne du cabinet)</small>" if section.from_practice else ""
    body = "<br>".join(escape(line) for line in section.body.splitlines()) or "<i>—</i>"
    meta = ""
    if section.updated_at is not None and section.version > 1:
        meta = (
            f"<br><small>Version {section.version}, "
            f"{escape(format_day_time(section.updated_at))}</small>"
        )
    return (
        f"<a name='{section.section}'></a>"
        f"<table width='100%' cellspacing='0' cellpadding='7' bgcolor='{background}'>"
        f"<tr><td><b>{escape(section.label)}</b>{origin}<br>{body}{meta}</td></tr></table>"
        "<p style='margin:0; font-size:4pt'>&nbsp;</p>"
    )


def consignes_html(
    consignes: Consignes,
    *,
    tint: str,
    strong_tint: str,
    first: str | None = None,
    columns: int = 2,
) -> str:
    """All non-empty sections in two columns; `first` brings one section to the top."""
    sections = [s for s in consignes.sections if not s.is_empty]
    if first is not None:
        sections.sort(key=lambda s: s.section != first)
    if not sections:
        return "<p><i>Aucune consigne pour l'instant. Appuyez sur Ctrl+E pour en saisir.</i></p>"
    if columns == 1:
        return "".join(section_html(s, tint=tint, strong_tint=strong_tint) for s in sections)
    half = (len(sections) + 1) // 2
    left = "".join(section_html(s, tint=tint, strong_tint=strong_tint) for s in sections[:half])
    right = "".join(section_html(s, tint=tint, strong_tint=strong_tint) for s in sections[half:])
    return (
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td width='50%' valign='top' style='padding-right:8px'>{left}</td>"
        f"<td width='50%' valign='top' style='padding-left:8px'>{right}</td>"
        "</tr></table>"
    )
