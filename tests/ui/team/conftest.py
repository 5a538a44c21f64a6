"""The team view's tests: a real encrypted store seeded once a module through the real
services (synthetic cases with first responses, risk, kinds of ASB, actions and closings),
copied for each test, with the officer a Team Leader (Tom Lee) unless a test chooses."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services, services_for
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store
from asb_desktop.store.keys import (
    KEYRING_SERVICE,
    DatabaseKey,
    FixedKey,
    KeyProvider,
    keyring_account,
)
from asb_desktop.support.synthetic import synthetic_cases
from asb_desktop.support.synthetic_team import team_mix
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.team.case_list import CaseListDialog
from tests.conftest import MemoryKeyring
from tests.ui.conftest import DIRECTORY, NOW, PIN
from tests.ui.driving import settle

SEEDED = 300


@pytest.fixture(scope="module")
def team_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("team-store") / "data"
    key = secrets.token_hex(32)
    store = Store.open(folder, FixedKey(DatabaseKey.raw(bytes.fromhex(key))))
    services = services_for(store, actor="local:test", clock=lambda: NOW)
    services.casework.import_directory(DIRECTORY)
    services.lock.set_pin(PIN)
    documents = team_mix(synthetic_cases(SEEDED, seed=16), seed=16, now=NOW)
    services.casework.import_documents(
        [LabelledDocument(f"case {i}", d) for i, d in enumerate(documents)]
    )
    services.actions.set_officer("s-tl")
    services.close()
    return folder, key


@pytest.fixture
def team_services(
    data_dir: Path, team_store: tuple[Path, str], memory_keyring: MemoryKeyring
) -> Iterator[Services]:
    folder, key = team_store
    shutil.copytree(folder, data_dir)
    memory_keyring.set_password(KEYRING_SERVICE, keyring_account(data_dir), key)
    services = services_for(
        Store.open(data_dir, KeyProvider(data_dir)), actor="local:test", clock=lambda: NOW
    )
    yield services
    services.close()


def open_window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.sig_ready, timeout=30_000):
        pass
    settle(qtbot)
    for widget in QApplication.topLevelWidgets():  # today's reminders, if shown: put away
        if isinstance(widget, QDialog) and widget.isVisible():
            qtbot.keyClick(widget, Qt.Key.Key_Escape)
    settle(qtbot)
    window.activateWindow()  # as the window manager gives it back after a dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


@pytest.fixture
def team_window(qtbot: QtBot, team_services: Services) -> Iterator[MainWindow]:
    window = open_window(qtbot, team_services)
    yield window
    window.close()
    settle(qtbot)


def return_opens_the_first_case(qtbot: QtBot, window: MainWindow, dialog: CaseListDialog) -> None:
    """Return on a list of cases opens its first case in the workspace."""
    chosen = dialog.case_ids()[0]
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.workspace)
    workspace = window.workspace
    qtbot.waitUntil(
        lambda: workspace.view is not None and workspace.view.case.id == chosen, timeout=10_000
    )
