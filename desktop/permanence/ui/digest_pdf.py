"""The digest as a printable A4 PDF (QTextDocument → QPdfWriter), fed by a core `Digest`.

Works without a display (offscreen); call it from the background-task helper, not the GUI
thread, when the digest is long.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from permanence.core.agenda.french import format_date, format_time
from permanence.core.errors import PermanenceError
from permanence.core.messages.digest import Digest, DigestEntry

PARIS = ZoneInfo("Europe/Paris")
_STYLE = """
body { font-family: sans-serif; font-size: 10pt; }
h1 { font-size: 16pt; margin-bottom: 0; }
.meta { color: #555555; }
.urgent { color: #b00020; font-weight: bold; }
.entry { margin-top: 10pt; }
.text { margin-left: 12pt; }
"""


def write_digest_pdf(digest: Digest, path: Path) -> None:
    """Write the digest; PermanenceError (French) when the file cannot be written."""
    _ensure_app()
    document = QTextDocument()
    document.setDefaultStyleSheet(_STYLE)
    document.setHtml(digest_html(digest))
    writer = QPdfWriter(str(path))
    writer.setTitle(digest.title)
    writer.setCreator("Permanence")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    document.print_(writer)
    if not path.exists() or path.stat().st_size == 0:
        raise PermanenceError(f"Impossible d'écrire le PDF « {path} » (dossier ou droits).")


def digest_html(digest: Digest) -> str:
    """The digest as simple HTML (what QTextDocument renders): urgent messages first."""
    made = digest.generated_at.astimezone(PARIS)
    parts = [
        f"<h1>{_e(digest.title)}</h1>",
        f"<p class='meta'>{_e(digest.practitioner_name)} — {_e(digest.practice_name)}<br>"
        f"{_e(digest.counts)}. Édité le {format_date(made.date(), year=True)} à "
        f"{format_time(made.time().replace(second=0, microsecond=0))}.</p>",
    ]
    if digest.privacy == "summary":
        parts.append("<p>Le détail des messages n'est pas inclus (confidentialité).</p>")
    elif not digest.entries:
        parts.append("<p>Aucun message sur cette période.</p>")
    ordered = sorted(digest.entries, key=lambda e: not e.urgent)
    parts += [_entry_html(entry) for entry in ordered]
    return "<html><body>" + "".join(parts) + "</body></html>"


def _entry_html(entry: DigestEntry) -> str:
    flags = "<span class='urgent'>URGENT</span> — " if entry.urgent else ""
    head = f"{flags}<b>{_e(entry.time_label)} — {_e(entry.caller or 'Appelant non nommé')}</b>"
    details = [f"Statut : {_e(entry.status_label)}"]
    if entry.patient:
        details.append(f"Patient : {_e(entry.patient)}")
    if entry.number:
        details.append(f"Rappel : {_e(entry.number)}, {_e(entry.callback)}")
    if entry.is_copy:
        details.append("En copie")
    text = _e(entry.text).replace("\n", "<br>")
    note = f"<br><i>Note : {_e(entry.note)}</i>" if entry.note else ""
    return (
        f"<div class='entry'><p>{head}<br><span class='meta'>{' · '.join(details)}</span></p>"
        f"<p class='text'>{text}{note}</p></div>"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _ensure_app() -> None:
    """QTextDocument needs a GUI application; from the CLI there is none (and maybe no
    display: then render offscreen)."""
    if QGuiApplication.instance() is not None:
        return
    if not any(os.environ.get(v) for v in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _APP.append(QGuiApplication(["permanence"]))


_APP: list[QGuiApplication] = []  # kept alive for the process
