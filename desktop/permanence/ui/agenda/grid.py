"""The painted time grid: hours on the left, one column per practitioner and day.

Colour always comes with words: appointments carry the caller and the motif, absences say
"Absent", imported busy time says "Occupé", lost holes are hatched red and counted in the
column header ("15 min perdues").
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from permanence.core.agenda.store import AppointmentInfo
from permanence.ui.agenda.columns import Column
from permanence.ui.format import DAYS, MONTHS, format_time

GUTTER = 46  # hour labels
HOLE_RED = QColor("#c62828")
ABSENCE_GREY = QColor("#8a8a8a")


def short_day(column: Column) -> str:
    """ "lun. 23 nov." in the week view header."""
    return f"{DAYS[column.day.weekday()][:3]}. {column.day.day} {MONTHS[column.day.month - 1][:4]}."


def surname(caller_name: str) -> str:
    """ "LE GOFF-MARTIN" from "LE GOFF-MARTIN Yannick" (the surname is in capitals)."""
    words = caller_name.split()
    upper = [w for w in words[: next((i for i, w in enumerate(words) if not w.isupper()), None)]]
    return " ".join(upper) or (words[0] if words else "")


def appointment_text(appointment: AppointmentInfo, zone: object) -> str:
    start = appointment.starts_at.astimezone(zone)  # type: ignore[arg-type]
    who = appointment.caller_name or "Sans appelant"
    kind = f" · {appointment.type_name}" if appointment.type_name else ""
    return f"{format_time(start)} {who}{kind}"


class TimeGrid(QWidget):
    """Custom-painted agenda; keyboard: ←/→ day or week, ↑/↓ appointment, Maj+←/→ column."""

    selection_changed = Signal(object)  # AppointmentInfo | None
    activated = Signal(object)  # AppointmentInfo
    step_requested = Signal(int)  # -1 previous, +1 next

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Agenda")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.columns: list[Column] = []
        self.compact = False  # week view: shorter texts
        self.first_hour, self.last_hour = 8, 19
        self._selected: tuple[int, int] | None = None  # (column, appointment index)
        self._rects: list[tuple[QRectF, int, int]] = []

    # -- data ------------------------------------------------------------------------------
    def set_columns(self, columns: list[Column], *, compact: bool) -> None:
        previous = self.selected_appointment()
        self.columns, self.compact = columns, compact
        self._fit_hours()
        self._selected = None
        if previous is not None:
            self._selected = self._find(previous.id)
        if self._selected is None:
            self._selected = self._first_from_now()
        self.setMinimumHeight(
            self.header_height + (self.last_hour - self.first_hour) * self._min_hour_height()
        )
        self.updateGeometry()
        self.update()
        self._announce()

    def selected_appointment(self) -> AppointmentInfo | None:
        if self._selected is None:
            return None
        column, index = self._selected
        if column >= len(self.columns) or index >= len(self.columns[column].appointments):
            return None
        return self.columns[column].appointments[index]

    def select(self, appointment_id: int) -> bool:
        found = self._find(appointment_id)
        if found is not None:
            self._selected = found
            self.update()
            self._announce()
        return found is not None

    def _find(self, appointment_id: int) -> tuple[int, int] | None:
        for c, column in enumerate(self.columns):
            for i, appointment in enumerate(column.appointments):
                if appointment.id == appointment_id:
                    return c, i
        return None

    def _first_from_now(self) -> tuple[int, int] | None:
        for c, column in enumerate(self.columns):
            if column.appointments:
                return c, 0
        return None

    def _fit_hours(self) -> None:
        first, last = 8, 19
        for column in self.columns:
            moments = [s for s, _ in column.working] + [a.starts_at for a in column.appointments]
            ends = [e for _, e in column.working] + [a.ends_at for a in column.appointments]
            if moments:
                first = min(first, min(m.astimezone(column.zone).hour for m in moments))
            for end in ends:
                local = end.astimezone(column.zone)
                last = max(last, local.hour + (1 if local.minute else 0))
        self.first_hour, self.last_hour = first, min(24, max(last, first + 1))

    # -- geometry --------------------------------------------------------------------------
    @property
    def header_height(self) -> int:
        return QFontMetrics(self.font()).height() * 3 + 8

    def sizeHint(self) -> QSize:
        return QSize(900, self.header_height + (self.last_hour - self.first_hour) * 52)

    def _min_hour_height(self) -> int:
        """The week must fit a laptop screen; the day view may scroll to stay legible."""
        return 30 if self.compact else 4 * QFontMetrics(self.font()).height()

    def _hour_height(self) -> float:
        hours = self.last_hour - self.first_hour
        return max(float(self._min_hour_height()), (self.height() - self.header_height) / hours)

    def _column_width(self) -> float:
        return (self.width() - GUTTER) / max(1, len(self.columns))

    def _y(self, moment: datetime, column: Column) -> float:
        local = moment.astimezone(column.zone)
        if local.date() < column.day:
            return float(self.header_height)
        hours = local.hour + local.minute / 60 - self.first_hour
        if local.date() > column.day:
            hours = self.last_hour - self.first_hour
        return self.header_height + max(0.0, hours) * self._hour_height()

    def _band(self, c: int, start: datetime, end: datetime) -> QRectF:
        column = self.columns[c]
        x = GUTTER + c * self._column_width()
        top, bottom = self._y(start, column), self._y(end, column)
        return QRectF(x + 1, top, self._column_width() - 2, max(1.0, bottom - top))

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Window))
        if not self.columns:
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "Cochez au moins un praticien."
            )
            return
        self._rects = []
        for c in range(len(self.columns)):
            self._paint_column(painter, c, palette)
        self._paint_hours(painter, palette)
        for c in range(len(self.columns)):
            self._paint_appointments(painter, c, palette)
        painter.fillRect(
            QRectF(0, 0, self.width(), self.header_height - 2),
            palette.color(QPalette.ColorRole.Window),
        )
        for c in range(len(self.columns)):
            self._paint_header(painter, c, palette)
        if self.hasFocus():
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))

    def _paint_hours(self, painter: QPainter, palette: QPalette) -> None:
        line = palette.color(QPalette.ColorRole.Mid)
        text = palette.color(QPalette.ColorRole.WindowText)
        for hour in range(self.first_hour, self.last_hour + 1):
            y = self.header_height + (hour - self.first_hour) * self._hour_height()
            painter.setPen(QPen(line, 1))
            painter.drawLine(QPointF(GUTTER - 4, y), QPointF(self.width(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y - 2, GUTTER - 8, 18),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                f"{hour} h",
            )
        painter.setPen(QPen(line, 1))
        for c in range(len(self.columns) + 1):
            x = GUTTER + c * self._column_width()
            strong = (
                c < len(self.columns) and c > 0 and (self.columns[c].day != self.columns[c - 1].day)
            )
            painter.setPen(
                QPen(
                    palette.color(QPalette.ColorRole.WindowText) if strong else line,
                    2 if strong else 1,
                )
            )
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))

    def _paint_header(self, painter: QPainter, c: int, palette: QPalette) -> None:
        column = self.columns[c]
        x = GUTTER + c * self._column_width()
        height = QFontMetrics(self.font()).height()
        width = int(self._column_width()) - 6
        bold = QFont(self.font())
        bold.setBold(True)
        ink = palette.color(QPalette.ColorRole.WindowText)
        if c == 0 or self.columns[c - 1].day != column.day:
            group = 1
            while c + group < len(self.columns) and self.columns[c + group].day == column.day:
                group += 1
            day = f"{DAYS[column.day.weekday()]} {column.day.day} {MONTHS[column.day.month - 1]}"
            if self.compact and group == 1:
                day = short_day(column)
            self._text(
                painter, QRectF(x + 4, 2, self._column_width() * group - 8, height), day, ink, bold
            )
        name = column.practitioner.split()[-1] if self.compact else column.practitioner
        self._text(painter, QRectF(x + 4, 2 + height, width, height), name, ink, self.font())
        lost = column.stranded_minutes
        small = QFont(bold)
        if self.compact:
            small.setPointSizeF(small.pointSizeF() * 0.88)
        if lost:
            text = f"trous {lost} min" if self.compact else f"{lost} min perdues (trous)"
            colour, font = HOLE_RED, small
        else:
            text = column.note or ("aucun trou" if column.working else "fermé")
            colour, font = palette.color(QPalette.ColorRole.PlaceholderText), self.font()
        self._text(painter, QRectF(x + 4, 2 + 2 * height, width, height), text, colour, font)

    def _text(
        self, painter: QPainter, rect: QRectF, text: str, colour: QColor, font: QFont
    ) -> None:
        painter.setFont(font)
        painter.setPen(colour)
        elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.setFont(self.font())

    def _paint_column(self, painter: QPainter, c: int, palette: QPalette) -> None:
        column = self.columns[c]
        x = GUTTER + c * self._column_width()
        closed = palette.color(QPalette.ColorRole.AlternateBase).darker(108)
        painter.fillRect(QRectF(x, self.header_height, self._column_width(), self.height()), closed)
        for start, end in column.working:
            painter.fillRect(self._band(c, start, end), palette.color(QPalette.ColorRole.Base))
        for start, end in column.busy:
            rect = self._band(c, start, end)
            painter.fillRect(rect, QColor("#b0b0b0"))
            self._label(painter, rect, "Occupé", QColor("#202020"))
        for start, end, reason in column.absences:
            rect = self._band(c, start, end)
            painter.fillRect(rect, QBrush(ABSENCE_GREY, Qt.BrushStyle.BDiagPattern))
            self._label(
                painter,
                rect,
                "Absent" + (f" : {reason}" if reason and not self.compact else ""),
                palette.color(QPalette.ColorRole.WindowText),
            )
        for hole in column.holes:
            rect = self._band(c, hole.start, hole.end)
            painter.fillRect(rect, QColor(198, 40, 40, 40))
            painter.fillRect(rect, QBrush(HOLE_RED, Qt.BrushStyle.FDiagPattern))
            painter.setPen(QPen(HOLE_RED, 1))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            if rect.height() >= QFontMetrics(self.font()).height():
                self._label(painter, rect, f"trou {hole.minutes} min", HOLE_RED, bold=True)

    def _paint_appointments(self, painter: QPainter, c: int, palette: QPalette) -> None:
        column = self.columns[c]
        accent = palette.color(QPalette.ColorRole.Highlight)
        fill = QColor(accent)
        fill.setAlpha(60)
        for i, appointment in enumerate(column.appointments):
            rect = self._band(c, appointment.starts_at, appointment.ends_at).adjusted(2, 1, -2, -1)
            self._rects.append((rect, c, i))
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
            painter.fillRect(rect, fill)
            selected = self._selected == (c, i)
            painter.setPen(QPen(accent, 3 if selected else 1))
            painter.drawRect(rect)
            if selected:
                painter.fillRect(QRectF(rect.left(), rect.top(), 5, rect.height()), accent)
            text = appointment_text(appointment, column.zone)
            if self.compact:  # the position says the time; the surname says who
                text = surname(appointment.caller_name) or "RDV"
            self._label(
                painter,
                rect.adjusted(4, 0, 0, 0),
                text,
                palette.color(QPalette.ColorRole.Text),
                bold=selected,
            )

    def _label(
        self, painter: QPainter, rect: QRectF, text: str, colour: QColor, *, bold: bool = False
    ) -> None:
        font = QFont(self.font())
        font.setBold(bold)
        painter.setFont(font)
        painter.setPen(colour)
        metrics = QFontMetrics(font)
        inner = rect.adjusted(3, 0, -3, 0)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        if inner.height() < metrics.height():
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width()))
        painter.drawText(inner, flags, elided)
        painter.setFont(self.font())

    # -- input -----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            delta = -1 if key == Qt.Key.Key_Left else 1
            if shift:
                self._move_column(delta)
            else:
                self.step_requested.emit(delta)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._move_in_column(-1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            appointment = self.selected_appointment()
            if appointment is not None:
                self.activated.emit(appointment)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _move_in_column(self, delta: int) -> None:
        if self._selected is None:
            self._selected = self._first_from_now()
        else:
            c, i = self._selected
            count = len(self.columns[c].appointments)
            if count:
                self._selected = (c, max(0, min(count - 1, i + delta)))
        self.update()
        self._announce()

    def _move_column(self, delta: int) -> None:
        if not self.columns:
            return
        c, i = self._selected if self._selected is not None else (0, 0)
        target = c + delta
        while 0 <= target < len(self.columns) and not self.columns[target].appointments:
            target += delta
        if not 0 <= target < len(self.columns):
            return
        old = self.selected_appointment()
        items = self.columns[target].appointments
        if old is not None:  # the appointment nearest in time of day
            wanted = old.starts_at.astimezone(self.columns[c].zone).time()
            i = min(
                range(len(items)),
                key=lambda k: abs(
                    items[k].starts_at.astimezone(self.columns[target].zone).hour * 60
                    + items[k].starts_at.astimezone(self.columns[target].zone).minute
                    - wanted.hour * 60
                    - wanted.minute
                ),
            )
        self._selected = (target, min(i, len(items) - 1))
        self.update()
        self._announce()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        for rect, c, i in self._rects:
            if rect.contains(event.position()):
                self._selected = (c, i)
                self.update()
                self._announce()
                return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.mousePressEvent(event)
        appointment = self.selected_appointment()
        if appointment is not None:
            self.activated.emit(appointment)

    def _announce(self) -> None:
        appointment = self.selected_appointment()
        if appointment is None:
            self.setAccessibleDescription("Aucun rendez-vous sélectionné.")
        else:
            column = self.columns[self._selected[0]] if self._selected else None
            zone = column.zone if column else None
            self.setAccessibleDescription(
                f"{column.practitioner if column else ''} : " + appointment_text(appointment, zone)
            )
        self.selection_changed.emit(appointment)

    def selected_rect(self) -> QRect | None:
        appointment = self.selected_appointment()
        if appointment is None or self._selected is None:
            return None
        rect = self._band(self._selected[0], appointment.starts_at, appointment.ends_at)
        return rect.toRect()

    def column_rect(self, c: int) -> QRect:
        x = int(GUTTER + c * self._column_width())
        return QRect(x, 0, int(self._column_width()), self.height())
