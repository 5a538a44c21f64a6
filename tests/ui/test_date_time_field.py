"""The date and time field, used from the keyboard only: what is typed is read in UK time and
said in words beside it, one Tab leaves it, Alt+Down (or F4) opens the calendar and Return picks
a day keeping the time, and a text that cannot be read stays as typed and is refused on save."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from asb_desktop.domain.errors import InputError
from asb_desktop.ui.date_time_field import DateTimeField
from asb_desktop.ui.widgets import add_row, changed_signal, get_value, set_value
from asb_desktop.ui.workspace.action_dialog import ActionDialog, Field

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday 30 November 2026, 10:00 UK time


class Form(QWidget):
    """A small form as the screens build it: Received, then Where."""

    def __init__(self) -> None:
        super().__init__()
        layout = QFormLayout(self)
        self.received = DateTimeField(clock=lambda: NOW)
        self.caption, self.row = add_row(layout, "&Received:", self.received)
        self.where = QLineEdit()
        add_row(layout, "&Where:", self.where)
        self.resize(700, 160)


@pytest.fixture
def form(qtbot: QtBot) -> Iterator[Form]:
    form = Form()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    form.received.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.received.editor)
    yield form
    form.close()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def retype(qtbot: QtBot, text: str) -> None:
    """Select what is in the focused box and type over it, key by key."""
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)
    qtbot.keyClicks(focused(), text)


def local(year: int, month: int, day: int, hour: int, minute: int, fold: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON, fold=fold)


@pytest.mark.parametrize(
    ("typed", "meant", "words"),
    [
        ("30/11/2026 23:15", local(2026, 11, 30, 23, 15), "Mon 30 Nov 2026, 23:15 (today)"),
        ("30/11/26 23:15", local(2026, 11, 30, 23, 15), "Mon 30 Nov 2026, 23:15 (today)"),
        ("30/11 23:15", local(2026, 11, 30, 23, 15), "Mon 30 Nov 2026, 23:15 (today)"),
        ("28-11-2026 7.05", local(2026, 11, 28, 7, 5), "Sat 28 Nov 2026, 07:05"),
        ("28.11.2026 19:30", local(2026, 11, 28, 19, 30), "Sat 28 Nov 2026, 19:30"),
        ("30/12 16:00", local(2025, 12, 30, 16, 0), "Tue 30 Dec 2025, 16:00"),
        ("today 14:05", local(2026, 11, 30, 14, 5), "Mon 30 Nov 2026, 14:05 (today)"),
        ("today 9am", local(2026, 11, 30, 9, 0), "Mon 30 Nov 2026, 09:00 (today)"),
        ("yesterday 11pm", local(2026, 11, 29, 23, 0), "Sun 29 Nov 2026, 23:00 (yesterday)"),
        ("Yesterday 11:30PM", local(2026, 11, 29, 23, 30), "Sun 29 Nov 2026, 23:30 (yesterday)"),
        ("now", NOW, "Mon 30 Nov 2026, 10:00 (today)"),
        ("25/10/2026 01:30", local(2026, 10, 25, 1, 30), "Sun 25 Oct 2026, 01:30 BST"),
        ("25/10/2026 01:30 GMT", local(2026, 10, 25, 1, 30, 1), "Sun 25 Oct 2026, 01:30 GMT"),
    ],
)
def test_each_form_typed_is_read_and_said_in_words(
    form: Form, qtbot: QtBot, typed: str, meant: datetime, words: str
) -> None:
    retype(qtbot, typed)
    field = form.received
    assert field.text() == typed  # never rewritten
    assert field.moment() == meant.astimezone(UTC)  # (in UTC: PEP 495 on the repeated hour)
    assert field.words.text() == words
    assert field.problem() is None
    assert get_value(field) == meant.astimezone(UTC).isoformat()
    assert words in field.editor.accessibleDescription()


def test_one_tab_leaves_the_field(form: Form, qtbot: QtBot) -> None:
    retype(qtbot, "yesterday 11pm")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is form.where
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is form.received.editor  # and back: the button is not a stop


def test_down_in_the_box_changes_nothing(form: Form, qtbot: QtBot) -> None:
    # The old field: Tab then Down silently moved Received back a month.
    retype(qtbot, "30/11/2026 09:00")
    before = form.received.moment()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown):
        qtbot.keyClick(focused(), key)
    assert form.received.moment() == before
    assert form.received.text() == "30/11/2026 09:00"


def test_the_label_mnemonic_focuses_the_text_box(form: Form, qtbot: QtBot) -> None:
    form.where.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.where)
    qtbot.keyClick(focused(), Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert focused() is form.received.editor
    assert form.caption.buddy() is form.received


def test_set_focus_focuses_the_text_box(form: Form, qtbot: QtBot) -> None:
    form.where.setFocus()
    form.received.setFocus()
    assert focused() is form.received.editor
    assert form.received.hasFocus()


def test_names_for_assistive_technology(form: Form) -> None:
    field = form.received
    assert field.editor.accessibleName() == "Received"
    assert field.calendar_button.accessibleName() == "Received: choose the day from a calendar"
    assert field.calendar_button.focusPolicy() == Qt.FocusPolicy.NoFocus
    form.row.show_error("Give the date and time the report was received.")
    description = field.editor.accessibleDescription()
    assert description.startswith("Give the date and time the report was received.")
    assert field.words.text() in description


def test_alt_down_opens_the_calendar_and_return_picks_a_day_keeping_the_time(
    form: Form, qtbot: QtBot
) -> None:
    retype(qtbot, "yesterday 11pm")
    qtbot.keyClick(focused(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = form.received.calendar
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.selectedDate().toPython().isoformat() == "2026-11-29"  # the day understood
    qtbot.waitUntil(lambda: calendar.isAncestorOf(focused()))
    qtbot.keyClick(focused(), Qt.Key.Key_Left)  # Saturday 28th
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert not calendar.isVisible()
    assert focused() is form.received.editor
    assert form.received.text() == "28/11/2026 23:00"
    assert form.received.moment() == local(2026, 11, 28, 23, 0)
    assert form.received.words.text() == "Sat 28 Nov 2026, 23:00"


def test_f4_opens_the_calendar_and_escape_closes_it_changing_nothing(
    form: Form, qtbot: QtBot
) -> None:
    retype(qtbot, "today 9am")
    qtbot.keyClick(focused(), Qt.Key.Key_F4)
    calendar = form.received.calendar
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.selectedDate().toPython().isoformat() == "2026-11-30"
    qtbot.waitUntil(lambda: calendar.isAncestorOf(focused()))
    qtbot.keyClick(focused(), Qt.Key.Key_Left)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert form.received.text() == "today 9am"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.received.editor)


def test_a_day_chosen_keeps_a_time_typed_without_a_day(form: Form, qtbot: QtBot) -> None:
    retype(qtbot, "11pm")
    assert form.received.problem() is not None
    qtbot.keyClick(focused(), Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: form.received.calendar.isAncestorOf(focused()))
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # today, as nothing was understood
    assert form.received.text() == "30/11/2026 11pm"
    assert form.received.moment() == local(2026, 11, 30, 23, 0)


def test_a_day_chosen_with_no_time_typed_asks_for_the_time(form: Form, qtbot: QtBot) -> None:
    retype(qtbot, "gibberish")
    qtbot.keyClick(focused(), Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: form.received.calendar.isAncestorOf(focused()))
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert form.received.text() == "30/11/2026 "
    assert "give a time as well" in (form.received.problem() or "")
    qtbot.keyClicks(focused(), "8:15")  # the cursor waits after the date
    assert form.received.moment() == local(2026, 11, 30, 8, 15)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("31/11 9am", "31/11 is not a date: November has 30 days"),
        ("today 25:00", "25:00 is not a time"),
        ("30/11/2026", "Give a time as well, like 30/11/2026 14:05"),
        ("29/03/2026 01:30", "29/03/2026 01:30 did not happen in UK time"),
        ("next week", "“next” is not a date or a time"),
    ],
)
def test_an_unreadable_text_stays_as_typed_and_says_what_is_wrong(
    form: Form, qtbot: QtBot, typed: str, said: str
) -> None:
    retype(qtbot, typed)
    field = form.received
    assert field.text() == typed
    assert field.words.text().startswith("⚠ Not understood: ")  # in words, not colour alone
    assert said in field.words.text()
    assert "type a date and time like 30/11/2026 23:15" in field.words.text()
    assert field.words.property("role") == "error"
    assert get_value(field) is None  # never some other date
    with pytest.raises(InputError) as caught:
        field.moment()
    assert caught.value.field == "Received"
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # leaving it keeps the text too
    assert field.text() == typed


def test_the_changed_signal_fires_as_it_is_typed(form: Form, qtbot: QtBot) -> None:
    seen: list[str | None] = []
    changed_signal(form.received).connect(lambda *_: seen.append(form.received.value()))
    retype(qtbot, "now")
    assert seen[-1] == NOW.isoformat()


def test_values_as_kept_in_a_draft_come_back(form: Form) -> None:
    field = form.received
    set_value(field, "2026-11-29T23:00:00+00:00")
    assert field.text() == "29/11/2026 23:00"
    assert field.words.text() == "Sun 29 Nov 2026, 23:00 (yesterday)"
    moment = datetime(2026, 11, 23, 10, 0, 42, tzinfo=UTC)
    field.set_moment(moment)
    assert field.moment() == moment  # set to the second is given back to the second
    set_value(field, None)  # a draft kept while the box could not be read
    assert field.text() == ""
    assert get_value(field) is None
    assert "nothing was typed" in (field.problem() or "")
    set_value(field, "2026-11-29T23:00:00")  # no offset: shown, refused, not guessed
    assert get_value(field) is None


def test_the_clock_gives_today(qtbot: QtBot) -> None:
    field = DateTimeField()
    qtbot.addWidget(field)
    field.set_clock(lambda: datetime(2027, 1, 2, 9, 0, tzinfo=UTC))
    field.set_text("30/12 16:00")
    assert field.moment() == local(2026, 12, 30, 16, 0)
    field.set_text("today 08:00")
    field.set_clock(lambda: datetime(2027, 1, 3, 9, 0, tzinfo=UTC))  # typed words follow it
    assert field.moment() == local(2027, 1, 3, 8, 0)


def test_an_action_dialog_refuses_an_unreadable_date_naming_the_field(qtbot: QtBot) -> None:
    sent: list[dict[str, object]] = []
    dialog = ActionDialog(
        None,
        name="case.first_response",
        title="Record the first response",
        fields=[Field("at", "&When:", "moment"), Field("summary", "&What was done:", "text")],
        submit=sent.append,
        on_done=lambda _: None,
        now=NOW,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    when = dialog.inputs["at"]
    assert isinstance(when, DateTimeField)
    when.setFocus()
    retype(qtbot, "31/11 9am")
    dialog.inputs["summary"].setFocus()
    qtbot.keyClicks(focused(), "Phoned the complainant")
    dialog.run()
    assert sent == []
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("⚠ When: 31/11 is not a date")
    assert focused() is when.editor
    assert when.text() == "31/11 9am"
    words = when.words  # the dialog grew for the wrapped words rather than clipping them
    qtbot.waitUntil(lambda: words.height() >= words.heightForWidth(words.width()))
    error = dialog.error
    qtbot.waitUntil(lambda: error.height() >= error.heightForWidth(error.width()))
