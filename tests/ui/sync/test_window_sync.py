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


def test_a_revoked_laptop_says_so_in_the_window_then_closes_and_deletes_its_store(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    from asb_desktop.ui.launch import close_services
    from asb_desktop.ui.sync.withdrawn_notice import WithdrawnNotice
    from tests.sync.test_sync_removal import files_holding, marker, record_marked

    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    mark = marker()
    record_marked(laptop, mark, estate="EST-NORTH")  # typed, not yet sent
    device_id = laptop.sync.engine.settings().device_id  # type: ignore[union-attr]
    admin(central.db_url, "revoke-device", "--retire", device_id)
    window = MainWindow(laptop.services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.sync_controller is not None, timeout=60_000)

    window.sync_controller.sync_now()  # type: ignore[union-attr]

    qtbot.waitUntil(lambda: window.findChild(WithdrawnNotice) is not None, timeout=60_000)
    notice = window.findChild(WithdrawnNotice)
    assert notice is not None and notice.isVisible()
    words = notice.informativeText()
    assert "withdrawn from the central store by its administrator, as retired" in words
    assert (
        "1 change was sent first." in words
        and "are deleted from this laptop when you press" in words
    )
    assert window.withdrawn and (laptop.folder / "cases.db").exists()  # told before it goes
    if os.environ.get("ASB_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["ASB_SCREENSHOTS"], "withdrawn.png"))
    qtbot.keyClick(notice, Qt.Key.Key_Return)  # Delete and close
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert wait_for_operations(20000)
    close_services(laptop.services, withdrawn=window.withdrawn)  # as run_gui does on leaving
    assert not (laptop.folder / "cases.db").exists()
    assert not laptop.folder.exists() or files_holding(laptop.folder, mark) == []
