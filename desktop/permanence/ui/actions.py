"""Every user command is a QAction with a French label and a shortcut."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Shortcut = str | QKeySequence.StandardKey


def make_action(
    parent: QWidget,
    text: str,
    shortcut: Shortcut | list[Shortcut],
    slot: Callable[[], object],
    *,
    tip: str = "",
) -> QAction:
    action = QAction(text, parent)
    shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
    action.setShortcuts([QKeySequence(s) for s in shortcuts])
    native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({native})")
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    parent.addAction(action)
    return action


def shortcut_text(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
