"""Consignes: the practitioner's instructions, readable at a glance and editable.

The editor is imported on first use (Ctrl+E): the main window needs only the panel to
start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from permanence.ui.consignes.panel import ConsignesPanel

if TYPE_CHECKING:
    from permanence.ui.consignes.editor import ConsignesEditor

__all__ = ["ConsignesEditor", "ConsignesPanel"]


def __getattr__(name: str) -> object:
    if name == "ConsignesEditor":
        from permanence.ui.consignes.editor import ConsignesEditor

        return ConsignesEditor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
