"""One date and time, typed as people type it ("30/11 23:15", "yesterday 11pm"), in UK time.

A text box (the only stop in the Tab order: one Tab leaves the field), a calendar button beside
it, and words saying what was understood ("Mon 30 Nov 2026, 23:15 (today)") or, in words, that
it was not and why. What the officer typed is never rewritten; a text that cannot be read keeps
the field without a value (`value()` is None), so a save refuses it with the field named rather
than storing another date. The reading rules are `asb_desktop.domain.typed_moments`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.typed_moments import (
    describe_moment,
    format_typed_moment,
    parse_typed_moment,
    typed_time,
)

NOT_UNDERSTOOD = "⚠ Not understood: "  # the words carry the meaning; the colour only helps
HINT = (
    "Type a date and time, for example 30/11/2026 23:15, 30/11 23:15, today 14:05, "
    "yesterday 11pm or now (UK time). Alt+Down or F4 opens a calendar."
)


def _now() -> datetime:
    return datetime.now(UTC)


class _TypedLine(QLineEdit):
    """The text box: Alt+Down or F4 asks for the calendar, as in a combo box."""

    sig_calendar_wanted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and (
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or (event.key() == Qt.Key.Key_F4 and not event.modifiers()):
            event.accept()
            self.sig_calendar_wanted.emit()
            return
        super().keyPressEvent(event)


class DateTimeField(QWidget):
    """A date and time in UK local time; its value is ISO 8601 (UTC) or None when not read."""

    sig_changed = Signal()
    """The text, and so perhaps the moment, changed (typed, chosen or set)."""

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__(parent)
        self._clock: Callable[[], datetime] = clock or _now
        self._moment: datetime | None = None
        self._problem: str | None = None
        self._typed = False  # the text came from the keyboard, so "today" depends on the clock
        self._setting = False
        self._row_problem = ""

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.editor = _TypedLine()
        self.editor.setPlaceholderText("30/11/2026 23:15")
        self.editor.setToolTip(HINT)
        metrics = self.editor.fontMetrics()
        self.editor.setFixedWidth(metrics.horizontalAdvance("yesterday 11:30 pm GMT") + 24)
        layout.addWidget(self.editor, 0, Qt.AlignmentFlag.AlignTop)

        self.calendar_button = QToolButton()
        self.calendar_button.setText("Calendar…")
        self.calendar_button.setToolTip("Choose the day from a calendar (Alt+Down or F4)")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes past it
        layout.addWidget(self.calendar_button, 0, Qt.AlignmentFlag.AlignTop)

        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setMinimumWidth(metrics.horizontalAdvance("Mon 30 Nov 2026, 23:15 (yesterday)"))
        # Top-aligned beside the box, its first line level with the typed text, so a long
        # refusal wraps downwards rather than floating the box away from its label.
        lift = max(0, (self.editor.sizeHint().height() - metrics.height()) // 2)
        self.words.setContentsMargins(0, lift, 0, 0)
        layout.addWidget(self.words, 1, Qt.AlignmentFlag.AlignTop)

        self.calendar = QCalendarWidget(self)
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader  # no week numbers
        )
        self.calendar.hide()

        # The box is the field's one Tab stop; its label's mnemonic (a buddy needs a focus
        # policy) and setFocus() reach the text box through the proxy.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setFocusProxy(self.editor)

        self.editor.textChanged.connect(self._text_changed)
        self.editor.sig_calendar_wanted.connect(self.open_calendar)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.calendar.activated.connect(self._day_chosen)
        self.calendar.clicked.connect(self._day_chosen)
        self._name_parts("Date and time")  # until the form names it (add_row: its label)
        self.set_moment(self._clock())

    # --- the value ---------------------------------------------------------------------------

    def set_clock(self, clock: Callable[[], datetime]) -> None:
        """Where "now", "today" and "yesterday" come from (the services' clock; tests fix it)."""
        self._clock = clock
        if self._typed:
            self._read(self.editor.text())
        else:
            self._show()

    def moment(self) -> datetime:
        """The moment understood; InputError (naming this field) when the text is not read."""
        if self._moment is None:
            raise InputError(self._name(), self._problem or "nothing was typed")
        return self._moment

    def problem(self) -> str | None:
        """Why the text is not understood, in a sentence with an example; None when it is."""
        return None if self._moment is not None else self._problem

    def set_moment(self, moment: datetime) -> None:
        """Show `moment` as it would be typed ("30/11/2026 23:15"); moment() gives it back."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("set_moment needs an aware datetime")
        exact = moment.astimezone(UTC).replace(microsecond=0)
        self._setting = True
        try:
            self.editor.setText(format_typed_moment(exact))
        finally:
            self._setting = False
        self._moment, self._problem, self._typed = exact, None, False
        self._show()
        self.sig_changed.emit()

    def text(self) -> str:
        return self.editor.text()

    def set_text(self, text: str) -> None:
        """Put `text` in the box as if typed: read it and say what it means."""
        self.editor.setText(text)

    def value(self) -> str | None:
        """ISO 8601 in UTC, or None when nothing readable is typed (the form refuses it)."""
        return self._moment.isoformat() if self._moment is not None else None

    def set_value(self, value: object) -> None:
        """An ISO 8601 timestamp with an offset, as value() gives or a draft kept; any other
        text is put in the box as typed (and said if not understood); None empties the box."""
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                moment = None
            if moment is not None and moment.utcoffset() is not None:
                self.set_moment(moment)
            else:
                self.set_text(value)
        else:
            self.set_text("")

    # --- names for assistive technology --------------------------------------------------------

    def _name(self) -> str:
        return self.accessibleName() or self.editor.accessibleName()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self._name_parts(name)

    def _name_parts(self, name: str) -> None:
        self.editor.setAccessibleName(name)
        self.calendar_button.setAccessibleName(f"{name}: choose the day from a calendar")
        self.words.setAccessibleName(f"{name}: as understood")
        self.calendar.setAccessibleName(f"{name}: calendar")

    def setAccessibleDescription(self, description: str) -> None:
        """The form's problem for this field (FieldRow.show_error); the words are added to it."""
        self._row_problem = description
        self._describe()

    # --- typing and choosing -----------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        if self._setting:
            return
        self._typed = True
        self._read(text)
        self.sig_changed.emit()

    def _read(self, text: str) -> None:
        try:
            self._moment = parse_typed_moment(text, self._clock(), field=self._name())
            self._problem = None
        except InputError as refused:
            self._moment, self._problem = None, refused.problem
        self._show()

    def _show(self) -> None:
        if self._moment is not None:
            self.words.setText(describe_moment(self._moment, self._clock()))
            role = "hint"
        else:
            problem = self._problem or ""
            self.words.setText(NOT_UNDERSTOOD + problem[:1].upper() + problem[1:])
            role = "error"
        if self.words.property("role") != role:
            self.words.setProperty("role", role)
            self.words.style().unpolish(self.words)
            self.words.style().polish(self.words)
        self._describe()
        QTimer.singleShot(0, self, self.make_room)  # once the layout has taken the new words

    def make_room(self) -> None:
        """Grow a dialog that is too short for the words now shown (a long refusal wraps onto
        more lines): Qt does not grow a window for a label that wraps after it was shown, and
        would squeeze the fields below instead. Windows that scroll their page are left alone."""
        window = self.window()
        layout = window.layout()
        if window is self or layout is None or not window.isVisible():
            return
        if not layout.hasHeightForWidth():
            return
        need = layout.totalHeightForWidth(window.width())
        screen = window.screen()
        if screen is not None:
            need = min(need, screen.availableGeometry().height())
        if need > window.height():
            window.resize(window.width(), need)

    def _describe(self) -> None:
        parts = [self._row_problem, self.words.text()]
        self.editor.setAccessibleDescription(" ".join(p for p in parts if p))

    def open_calendar(self) -> None:
        """The calendar under the text box, on the day understood (or today), with the focus."""
        shown = self._moment or self._clock()
        day = shown.astimezone(LONDON).date()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.adjustSize()
        where = self.editor.mapToGlobal(QPoint(0, self.editor.height()))
        screen = QApplication.screenAt(where) or self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            size = self.calendar.sizeHint()
            x = min(max(where.x(), room.left()), room.right() - size.width())
            y = where.y()
            if y + size.height() > room.bottom():
                y = self.editor.mapToGlobal(QPoint(0, 0)).y() - size.height()
            where = QPoint(x, max(y, room.top()))
        self.calendar.move(where)
        self.calendar.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _day_chosen(self, chosen: QDate) -> None:
        """The chosen day with the time already typed; with none, the box waits for a time."""
        self.calendar.hide()
        day = f"{chosen.day():02}/{chosen.month():02}/{chosen.year()}"
        if self._moment is not None:
            at: str | None = f"{self._moment.astimezone(LONDON):%H:%M}"
        else:
            at = typed_time(self.editor.text())
        self.set_text(f"{day} {at}" if at else f"{day} ")
        self.editor.setFocus(Qt.FocusReason.PopupFocusReason)
        self.editor.end(False)
