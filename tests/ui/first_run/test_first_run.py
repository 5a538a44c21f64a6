"""First run on a new data folder: the walk-through appears, is finished as an officer would, the
window is usable; the next start goes straight to the window. Presets reach a new store and
Settings; Copy diagnostics fills the clipboard. Real encrypted store, real widgets."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services, apply_presets, services_for
from asb_desktop.domain.calendar import Nation
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.support.presets import Presets, parse_presets
from asb_desktop.ui.first_run.first_run_wizard import FirstRunWizard
from asb_desktop.ui.launch import read_presets
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.sync.connect_dialog import ConnectDialog
from tests.ui.conftest import DIRECTORY, NOW
from tests.ui.driving import choose, settle, type_text


def open_store(data_dir: Path) -> Services:
    return services_for(Store.open(data_dir, KeyProvider(data_dir)), clock=lambda: NOW)


def start(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.sig_ready, timeout=30_000):
        window.show()
    settle(qtbot)
    return window


def finish(qtbot: QtBot, wizard: FirstRunWizard, pin: str = "5791") -> None:
    wizard.next()
    assert wizard.currentPage() is wizard.pin
    type_text(wizard.pin.pin, pin)
    type_text(wizard.pin.again, "1111")
    wizard.next()  # the PINs differ: it stays and says so
    assert wizard.currentPage() is wizard.pin and "not the same" in wizard.pin.error.text()
    type_text(wizard.pin.again, pin)
    wizard.next()
    assert wizard.currentPage() is wizard.key
    with qtbot.waitSignal(wizard.sig_done, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    settle(qtbot)


@pytest.fixture
def fresh(data_dir: Path) -> Iterator[Services]:
    services = open_store(data_dir)
    yield services
    services.close()


def test_first_run_walks_through_then_never_again(
    qtbot: QtBot, fresh: Services, data_dir: Path
) -> None:
    window = start(qtbot, fresh)
    wizard = window.first_run
    assert wizard is not None and wizard.isVisible()
    assert window.root.currentWidget() is window.lock_screen  # no case data behind it
    # No directory on a new store: the officer may type a name (or leave it), role defaulted.
    assert wizard.who.name.isVisibleTo(wizard) and not wizard.who.staff.isVisibleTo(wizard)
    assert wizard.who.role.currentText() == "Housing officer"
    assert "secure keyring" in wizard.key.where.text()
    type_text(wizard.who.name, "Siobhán Dvořák")
    finish(qtbot, wizard)
    assert not wizard.isVisible()
    assert window.root.currentWidget() is window.body and not window.locked
    assert fresh.lock.check("5791")
    assert window.who.text() == "Signed in: Siobhán Dvořák"
    window.show_screen("new_report")  # usable
    assert window.screens.currentWidget() is window.new_report
    window.close()
    settle(qtbot)
    fresh.close()

    again = open_store(data_dir)
    try:
        second = start(qtbot, again)
        assert second.first_run is None
        assert second.root.currentWidget() is second.body
        assert second.who.text() == "Signed in: Siobhán Dvořák"
        second.close()
        settle(qtbot)
    finally:
        again.close()


def test_with_a_directory_the_officer_picks_themself(qtbot: QtBot, fresh: Services) -> None:
    fresh.casework.import_directory(DIRECTORY)
    window = start(qtbot, fresh)
    wizard = window.first_run
    assert wizard is not None
    assert wizard.who.staff.isVisibleTo(wizard) and not wizard.who.name.isVisibleTo(wizard)
    staff_id = DIRECTORY["staff"][0]["id"]
    choose(wizard.who.staff, staff_id)
    finish(qtbot, wizard)
    assert fresh.actions.officer() == staff_id
    assert window.caseload.mine.isEnabled()
    window.close()
    settle(qtbot)


def test_closing_the_walk_through_still_asks_for_a_pin(qtbot: QtBot, fresh: Services) -> None:
    window = start(qtbot, fresh)
    assert window.first_run is not None
    window.first_run.reject()
    assert window.root.currentWidget() is window.lock_screen
    assert window.lock_screen.setting_up and window.locked
    window.close()
    settle(qtbot)


def test_presets_fill_a_new_store_and_lock_settings(
    qtbot: QtBot, fresh: Services, tmp_path: Path
) -> None:
    raw = {
        "format": "asb-desktop-defaults/1",
        "organisation_name": "Connexus Housing",
        "bank_holiday_nation": "scotland",
        "idle_lock_minutes": 10,
        "locked": ["bank_holiday_nation"],
    }
    presets = parse_presets(raw, tmp_path / "asb-desktop.defaults.json")
    assert apply_presets(fresh, presets, new_store=True) == [
        "bank_holiday_nation",
        "idle_lock_minutes",
    ]
    fresh.lock.set_pin("2468")
    fresh.casework.set_nation(Nation.ENGLAND_AND_WALES)  # changed behind the lock's back
    fresh.lock.set_idle_minutes(2)
    # On a later start only the locked preset is put back; the officer's idle choice stands.
    assert apply_presets(fresh, presets, new_store=False) == ["bank_holiday_nation"]
    assert fresh.lock.idle_minutes() == 2
    assert fresh.branding().organisation == "Connexus Housing"

    window = start(qtbot, fresh)
    settings = window.settings
    assert window.windowTitle() == "ASB Desktop · Connexus Housing"
    assert settings.nation.currentData() == "scotland" and not settings.nation.isEnabled()
    assert settings.idle.isEnabled() and settings.idle.currentData() == 2
    assert settings.organisation.text() == "Connexus Housing"

    QApplication.clipboard().clear()
    settings.diagnostics_button.click()
    settle(qtbot)
    copied = QApplication.clipboard().text()
    assert copied.startswith("ASB Desktop diagnostics")
    assert "qt: PySide6 " in copied and "platform offscreen" in copied
    assert "organisation_name = Connexus Housing" in copied
    assert "lock_pin_hash = (secret, not shown)" in copied
    assert "Copied the diagnostics" in settings.message.text()
    window.close()
    settle(qtbot)


def test_connect_is_offered_with_the_preset_address(
    qtbot: QtBot, fresh: Services, tmp_path: Path
) -> None:
    raw = {"format": "asb-desktop-defaults/1", "central_store_url": "https://asb.example.org/"}
    fresh.presets = parse_presets(raw, tmp_path / "asb-desktop.defaults.json")
    window = start(qtbot, fresh)
    wizard = window.first_run
    assert wizard is not None and wizard.who.connect_button.isVisibleTo(wizard)
    wizard.who.connect_button.click()
    assert wizard.connector is not None and wizard.connector.isVisible()
    assert wizard.connector.url.text() == "https://asb.example.org/"
    wizard.connector.reject()  # skipped: the walk-through carries on without a server
    finish(qtbot, wizard)
    assert window.root.currentWidget() is window.body
    # Later, from the Sync page: the same preset address is filled in.
    settle(qtbot)
    assert window.sync_controller is not None
    window.connect_central()
    later = [d for d in window.findChildren(ConnectDialog) if d.isVisible()]
    assert len(later) == 1 and later[0].url.text() == "https://asb.example.org/"
    later[0].reject()
    window.close()
    settle(qtbot)


def test_a_bad_preset_file_is_said_and_the_defaults_used(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bad = tmp_path / "asb-desktop.defaults.json"
    bad.write_text('{"format": "asb-desktop-defaults/1", "idle_lock_minute": 5}')
    monkeypatch.setenv("ASB_DESKTOP_DEFAULTS", str(bad))
    said: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    QTimer.singleShot(50, answer)
    with caplog.at_level(logging.INFO, logger="asb_desktop.launch"):
        presets = read_presets()
    assert presets == Presets()
    assert said and "idle_lock_minute" in said[0] and "own defaults" in said[0]
    assert any(record.msg == "presets.invalid" for record in caplog.records)
