"""The lock screen: a PIN chosen on first run, an idle lock that hides all case data, and the
PIN (only its Argon2 hash is stored) to unlock."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services, services_for
from asb_desktop.services.lock import PIN_SETTING
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.store.settings import get_setting
from asb_desktop.ui.main_window import MainWindow
from tests.ui.conftest import DIRECTORY, PIN
from tests.ui.driving import settle, type_text


def test_first_run_asks_for_a_pin_before_showing_anything(qtbot: QtBot, data_dir: Path) -> None:
    services = services_for(Store.open(data_dir, KeyProvider(data_dir)), actor="local:test")
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        settle(qtbot)
        lock = window.lock_screen
        assert window.root.currentWidget() is lock
        assert window.first_run is not None
        window.first_run.reject()  # the walk-through closed early: the lock screen asks itself
        assert lock.heading.text() == "Choose a PIN"
        type_text(lock.pin, "12")
        type_text(lock.again, "12")
        lock.button.click()
        assert lock.error.text() == "⚠ The PIN must be 4 to 12 digits."
        lock.pin.clear()
        lock.again.clear()
        type_text(lock.pin, "975310")
        type_text(lock.again, "975311")
        lock.button.click()
        assert lock.error.text() == "⚠ The two PINs are not the same."
        lock.again.clear()
        type_text(lock.again, "975310")
        qtbot.keyClick(lock.again, Qt.Key.Key_Return)
        settle(qtbot)
        assert window.root.currentWidget() is window.body
        with services.store.read() as conn:
            stored = get_setting(conn, PIN_SETTING)
        assert stored is not None and stored.startswith("$argon2id$")
        assert "975310" not in stored
        assert services.lock.check("975310") and not services.lock.check("975311")
        window.close()
        settle(qtbot)
    finally:
        services.close()


def test_idle_lock_hides_case_data_until_the_pin(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    assert services.lock.idle_minutes() == 5, "five minutes unless changed"
    window.show_screen("new_report")
    settle(qtbot)
    wizard = window.new_report.wizard
    wizard.next.click()
    name = wizard.pages[1].inputs["name"]
    type_text(name, "Grace Jones")
    window.idle.set_interval_ms(150)
    qtbot.waitUntil(lambda: window.locked, timeout=30_000)
    # Back to five minutes before anything else: on a loaded machine a 150 ms idle time would
    # lock again while the unlock below settles. The clock is stopped while locked, and
    # setInterval leaves a stopped timer stopped.
    assert not window.idle.timer.isActive(), "no idle clock runs behind the lock screen"
    window.idle.timer.setInterval(5 * 60_000)
    settle(qtbot)
    assert window.root.currentWidget() is window.lock_screen
    assert not window.body.isVisible(), "no case data on screen while locked"
    assert services.drafts.load(wizard.draft_id) is not None, "typing kept before locking"

    type_text(window.lock_screen.pin, "0000")
    window.lock_screen.button.click()
    settle(qtbot)
    assert window.locked
    assert window.lock_screen.error.text() == "⚠ That PIN is not right. Try again."
    type_text(window.lock_screen.pin, PIN)
    qtbot.keyClick(window.lock_screen.pin, Qt.Key.Key_Return)
    settle(qtbot)
    assert not window.locked and window.body.isVisible()
    assert name.text() == "Grace Jones", "the report is where it was left"
    assert window.idle.timer.isActive(), "the idle clock runs again once unlocked"


def test_ctrl_l_locks_and_closes_open_action_forms(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    from tests.ui.workspace.test_workspace import SCHEME_CASE, open_case, seed

    seed(services)
    open_case(window, qtbot, SCHEME_CASE)
    dialog = window.workspace.start_action("note")
    assert dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=30_000)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert not dialog.isVisible()


def test_settings_store_idle_time_nation_and_officer(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    window.show_screen("settings")
    settle(qtbot)
    settings = window.settings
    assert str(services.data_dir) in [
        w.text() for w in settings.findChildren(type(settings.message))
    ]
    settings.idle.setCurrentIndex(settings.idle.findData(10))
    settle(qtbot)
    assert services.lock.idle_minutes() == 10
    assert window.idle.timer.interval() == 10 * 60_000
    settings.nation.setCurrentIndex(settings.nation.findData("scotland"))
    settle(qtbot)
    assert services.casework.calendar().nation.value == "scotland"
    settings.officer.setCurrentIndex(settings.officer.findData("s-tl"))
    settle(qtbot)
    assert services.actions.officer() == "s-tl"
    assert window.who.text() == "Signed in: Tom Lee"
    bad = services.data_dir.parent / "directory.json"
    bad.write_text("{not json", encoding="utf-8")
    settings.import_directory(bad)
    settle(qtbot)
    assert settings.message.text() == "⚠ directory.json could not be read as a JSON file."
    smaller = {**DIRECTORY, "staff": DIRECTORY["staff"][:3]}
    bad.write_text(json.dumps(smaller), encoding="utf-8")
    settings.import_directory(bad)
    settle(qtbot)
    assert settings.message.text() == "Imported the staff directory from directory.json."
    assert settings.directory_info.text() == "3 staff, 3 estates, 3 schemes loaded."


def test_changing_the_pin_needs_the_current_one(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    window.show_screen("settings")
    window.settings.pin_button.click()
    lock = window.lock_screen
    assert window.locked and lock.heading.text() == "Change your PIN"
    type_text(lock.pin, "1111")
    lock.button.click()
    settle(qtbot)
    assert lock.error.text() == "⚠ That PIN is not right. Try again."
    type_text(lock.pin, PIN)
    lock.button.click()
    settle(qtbot)
    assert lock.heading.text() == "Choose a new PIN"
    type_text(lock.pin, "80808080")
    type_text(lock.again, "80808080")
    lock.button.click()
    settle(qtbot)
    assert not window.locked
    assert services.lock.check("80808080") and not services.lock.check(PIN)
