"""Sync in the main window: the Sync page connects with a one-time code, the status bar says
where sync stands in words, and "Sync now" sends what was recorded on the laptop."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.operations import wait_for_operations
from asb_desktop.ui.sync.connect_dialog import ConnectDialog
from asb_desktop.ui.sync.sync_status import SyncStatusWidget
from tests.sync.sync_support import Laptop, Server, admin

Factory = Callable[..., Laptop]


def test_connect_and_sync_from_the_window(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    laptop = laptop_factory()
    laptop.services.lock.set_pin("2468")
    [case_id] = laptop.record(1, estate="EST-NORTH")
    window = MainWindow(laptop.services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.sync_controller is not None, timeout=60_000)
    status = window.findChild(SyncStatusWidget)
    assert status is not None

    window.show_screen("sync")
    window.connect_central()
    dialog = window.findChild(ConnectDialog)
    assert dialog is not None
    qtbot.keyClicks(dialog.url, central.url)
    qtbot.keyClicks(dialog.code, admin(central.db_url, "enrol-device", "--user", "s-ho").strip())
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    # Connecting syncs at once: the case goes up and comes back with its permanent reference.
    qtbot.waitUntil(
        lambda: laptop.casework.document(case_id)["reference"] is not None, timeout=120_000
    )
    assert laptop.casework.document(case_id)["reference"].startswith("ASB-")
    qtbot.waitUntil(lambda: "Online" in status.online.text(), timeout=60_000)
    qtbot.waitUntil(lambda: status.waiting.text() == "All changes sent", timeout=60_000)
    assert status.last.text().startswith("Last synced: ") and "never" not in status.last.text()
    if os.environ.get("ASB_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["ASB_SCREENSHOTS"], "sync.png"))
    window.close()
    assert wait_for_operations(20000)
