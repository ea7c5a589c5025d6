"""The "appelant mécontent" aid: the steps, phrases to use and to avoid, quick solutions,
and every promise made turned into a tracked follow-up with a due time."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from permanence.core.calls.deescalation import PhraseBook, QuickSolution, load_phrasebook
from permanence.core.calls.due import parse_due
from permanence.ui.format import format_day_time


class DeescalationPanel(QWidget):
    """Shown beside the call when she presses F9; emits what she decides."""

    #: a quick solution was chosen (QuickSolution).
    solution_chosen = Signal(object)
    #: a promise to track: (description, due datetime aware).
    promise_made = Signal(str, object)

    def __init__(self, book: PhraseBook | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book or load_phrasebook()
        self.step_boxes: list[QCheckBox] = []
        self.phrases = QLabel()
        self.phrases.setObjectName("deescalationPhrases")
        self.phrases.setWordWrap(True)
        self.phrases.setTextFormat(Qt.TextFormat.RichText)
        self.phrases.setAccessibleName("Phrases à utiliser pour l'étape en cours")
        self.avoid = QLabel()
        self.avoid.setWordWrap(True)
        self.avoid.setTextFormat(Qt.TextFormat.RichText)
        self.avoid.setAccessibleName("Phrases à éviter")
        self.promise_text = QLineEdit()
        self.promise_text.setAccessibleName("Promesse faite à l'appelant")
        self.promise_text.setPlaceholderText("ex. : le Dr Martin vous rappelle")
        self.promise_due = QLineEdit()
        self.promise_due.setAccessibleName("Échéance de la promesse")
        self.promise_due.setPlaceholderText("ex. : avant 18 h, demain matin, dans 1 h")
        self.due_preview = QLabel()
        self.due_preview.setObjectName("duePreview")
        self.promise_button = QPushButton("&Suivre cette promesse")
        self.promise_button.setEnabled(False)
        self.promises_model = QStandardItemModel(self)
        self.promises = QListView()
        self.promises.setAccessibleName("Promesses suivies pour cet appel")
        self.promises.setModel(self.promises_model)
        self.promises.setMaximumHeight(60)
        self._build()
        self.promise_text.textChanged.connect(self._on_promise_typed)
        self.promise_due.textChanged.connect(self._on_promise_typed)
        self.promise_due.returnPressed.connect(self._on_promise)
        self.promise_button.clicked.connect(self._on_promise)
        self._show_step(0)

    # -- public --------------------------------------------------------------------------
    def reset(self) -> None:
        for box in self.step_boxes:
            box.setChecked(False)
        self.promise_text.clear()
        self.promise_due.clear()
        self.promises_model.clear()
        self._show_step(0)

    def add_tracked(self, description: str, due_at: datetime) -> None:
        self.promises_model.appendRow(
            QStandardItem(f"{description} — avant {format_day_time(due_at)}")
        )

    def due_at(self, now: datetime | None = None) -> datetime | None:
        return parse_due(self.promise_due.text(), now or datetime.now(UTC))

    # -- slots ---------------------------------------------------------------------------
    def _on_step_toggled(self) -> None:
        pending = next((i for i, b in enumerate(self.step_boxes) if not b.isChecked()), None)
        self._show_step(pending if pending is not None else len(self.step_boxes) - 1)

    def _on_promise_typed(self) -> None:
        due = self.due_at()
        if self.promise_due.text().strip() and due is None:
            self.due_preview.setText("Échéance non comprise : « avant 18 h », « demain matin »…")
        else:
            self.due_preview.setText(f"→ {format_day_time(due)}" if due else "")
        self.promise_button.setEnabled(bool(self.promise_text.text().strip()) and due is not None)

    def _on_promise(self) -> None:
        due = self.due_at()
        if due is None or not self.promise_text.text().strip():
            self.due_preview.setText("Indiquez ce qui est promis et pour quand.")
            return
        self.promise_made.emit(self.promise_text.text().strip(), due)

    # -- helpers -------------------------------------------------------------------------
    def _show_step(self, index: int) -> None:
        step = self.book.steps[index]
        items = "".join(f"<li>« {escape(p)} »</li>" for p in step.phrases)
        self.phrases.setText(
            f"<b>{index + 1}. {escape(step.title)}</b><br><small>{escape(step.goal)}</small>"
            f"<ul style='margin-left:-20px'>{items}</ul>"
        )

    def _build(self) -> None:
        steps = QGroupBox("Étapes (cochez au fur et à mesure)")
        steps_layout = QVBoxLayout(steps)
        steps_layout.setSpacing(2)
        for index, step in enumerate(self.book.steps, start=1):
            box = QCheckBox(f"{index}. {step.title}")
            box.setToolTip("\n".join(f"« {p} »" for p in step.phrases))
            box.toggled.connect(lambda _on: self._on_step_toggled())
            self.step_boxes.append(box)
            steps_layout.addWidget(box)
        rows = "".join(
            f"<li><s>« {escape(a.phrase)} »</s> → « {escape(a.instead)} »</li>"
            for a in self.book.avoid
        )
        self.avoid.setText(
            f"<b>À éviter</b> (dire plutôt) :<ul style='margin-left:-20px'>{rows}</ul>"
        )
        solutions = QGroupBox("Solutions rapides")
        solutions_layout = QGridLayout(solutions)
        for index, solution in enumerate(self.book.solutions):
            button = QPushButton(solution.label)
            button.setToolTip("\n".join(f"« {p} »" for p in solution.phrases))
            button.clicked.connect(lambda _c=False, s=solution: self._emit_solution(s))
            solutions_layout.addWidget(button, index // 2, index % 2)
        promise = QGroupBox("Promesse faite → suivi avec échéance")
        promise_layout = QVBoxLayout(promise)
        promise_layout.addWidget(self.promise_text)
        row = QHBoxLayout()
        row.addWidget(self.promise_due, 1)
        row.addWidget(self.promise_button)
        promise_layout.addLayout(row)
        promise_layout.addWidget(self.due_preview)
        promise_layout.addWidget(self.promises)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addWidget(steps)
        inner_layout.addWidget(self.phrases)
        inner_layout.addWidget(self.avoid)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Appelant mécontent</b> — F9 pour revenir aux consignes")
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addWidget(solutions)
        layout.addWidget(promise)

    def _emit_solution(self, solution: QuickSolution) -> None:
        self.solution_chosen.emit(solution)
