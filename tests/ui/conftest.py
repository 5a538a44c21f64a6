"""UI test set-up: a real encrypted store in a temporary folder with the demo directory, a fixed
clock (Monday 23 November 2026, 10:00 UK time), a PIN already chosen, and the real main window."""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services, services_for
from asb_desktop.services.reminders import london_day, mark_seen
from asb_desktop.store.database import Store
from asb_desktop.store.keys import (
    KEYRING_SERVICE,
    DatabaseKey,
    FixedKey,
    KeyProvider,
    keyring_account,
)
from asb_desktop.ui.garbage import collect_on_gui_thread
from asb_desktop.ui.keyboard import install_keyboard_rules
from asb_desktop.ui.main_window import MainWindow
from tests.conftest import MemoryKeyring
from tests.paths import REPO
from tests.ui.driving import settle

DIRECTORY = json.loads((REPO / "resources" / "demo" / "directory.json").read_text())
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PIN = "2468"


@pytest.fixture(scope="session", autouse=True)
def application_rules(qapp: QApplication) -> None:
    """The application-wide keyboard rules and garbage collection on the GUI thread only, as
    ui/launch.py installs them (a collection on a worker thread freeing a widget hangs Qt)."""
    install_keyboard_rules(qapp)
    collect_on_gui_thread(qapp)


@pytest.fixture(scope="session")
def prepared_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The store every window test starts from, made once a session by the real services (a
    new store, its migrations, the directory, the PIN's Argon2 hash, the officer); its folder
    and its raw key."""
    folder = tmp_path_factory.mktemp("ui-store") / "data"
    key = secrets.token_hex(32)
    store = Store.open(folder, FixedKey(DatabaseKey.raw(bytes.fromhex(key))))
    services = services_for(store, actor="local:test", clock=lambda: NOW)
    services.casework.import_directory(DIRECTORY)
    services.lock.set_pin(PIN)
    services.actions.set_officer("s-ha")
    # Today's reminders already seen: they would open over the screen a test drives
    # (tests/ui/test_reminders.py clears this to see them).
    mark_seen(services.casework, london_day(NOW))
    services.close()
    return folder, key


@pytest.fixture
def services(
    data_dir: Path, prepared_store: tuple[Path, str], memory_keyring: MemoryKeyring
) -> Iterator[Services]:
    """A copy of the prepared store in this test's folder, its key in this test's keyring,
    opened as the window opens a store (KeyProvider)."""
    folder, key = prepared_store
    shutil.copytree(folder, data_dir)  # raises if the test put anything there first
    memory_keyring.set_password(KEYRING_SERVICE, keyring_account(data_dir), key)
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="local:test", clock=lambda: NOW)
    yield services
    services.close()


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.sig_ready, timeout=30_000):
        pass
    settle(qtbot)
    yield window
    window.close()
    settle(qtbot)
