"""Download in the Evidence tab, against a real central server (SQLite and PostgreSQL): a photo
attached on the officer's laptop and sent up is listed on the team leader's laptop as not here
(Save a copy off, Download on); Alt+W fetches it through the sync service, and then it is here,
its thumbnail shown, and a copy can be saved whole."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from asb_desktop.services.attachments import attach
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.operations import wait_for_operations
from tests.cli.test_attachments import photo_with_metadata
from tests.sync.fixtures import central, laptop_factory  # noqa: F401
from tests.sync.sync_support import Laptop, Server
from tests.sync.test_sync_evidence_upload import upload_all
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, has_focus
from tests.ui.workspace.test_evidence_keys import listed, pick_in_file_dialog

Factory = Callable[..., Laptop]


def test_a_photo_attached_elsewhere_is_downloaded_by_keys(
    central: Server,  # noqa: F811
    laptop_factory: Factory,  # noqa: F811
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    officer, leader = laptop_factory("officer"), laptop_factory("leader")
    [case_id] = officer.record(1, estate="EST-NORTH")
    photo = tmp_path / "graffiti.jpg"
    photo_with_metadata(photo, size=(480, 360))
    added = attach(officer.casework, case_id, photo)
    officer.enrol(central, "s-ho")
    upload_all(officer)
    leader.enrol(central, "s-tl")
    leader.sync_until_done()
    leader.services.lock.set_pin("2468")

    window = MainWindow(leader.services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.sync_controller is not None, timeout=60_000)
    window.open_case(case_id)
    settle(qtbot)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=30_000)
    evidence = window.workspace.evidence
    alt(qtbot, "8", until=lambda: window.workspace.tabs.currentWidget() is evidence)
    settle(qtbot)
    (line,) = listed(window)
    assert "The file itself is not on this laptop." in line
    assert not evidence.copy_button.isEnabled()
    assert evidence.download_button.isEnabled()
    assert evidence.list.item(0).icon().isNull(), "no thumbnail without the bytes"

    alt(qtbot, "w", until=lambda: "Downloaded graffiti.jpg" in evidence.message.text())
    settle(qtbot)
    assert "checked against its SHA-256" in evidence.message.text()
    qtbot.waitUntil(lambda: "not on this laptop" not in listed(window)[0], timeout=10_000)
    qtbot.waitUntil(lambda: not evidence.list.item(0).icon().isNull(), timeout=10_000)
    assert evidence.copy_button.isEnabled() and not evidence.download_button.isEnabled()
    assert has_focus(evidence.list)

    target = tmp_path / "copy.jpg"
    alt(qtbot, "s", until=lambda: isinstance(QApplication.activeWindow(), QFileDialog))
    pick_in_file_dialog(qtbot, target)
    settle(qtbot)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == added.sha256
    window.close()
    assert wait_for_operations(20000)
