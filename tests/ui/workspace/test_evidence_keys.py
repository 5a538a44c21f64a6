"""The workspace's Evidence tab by keyboard in the real window, on a real SQLCipher store: Alt+8
shows it; Alt+H attaches files chosen in the file picker (typed there, Return), evidence of one
incident, a photo's location and camera details removed; the list says each file in words with
its thumbnail; Alt+S saves a copy whole to a new file; files dropped on the workspace open the
Attach dialog with them. Bad files are said in a sentence naming them and nothing is stored."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.evidence_files import thumbnail
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.workspace.evidence_dialog import AttachDialog
from asb_desktop.ui.workspace.evidence_tab import THUMB
from tests.cli.test_attachments import MARKERS, photo_with_metadata
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, down_to, focused, has_focus, press, type_here
from tests.ui.workspace.test_case_management_keys import CASE, open_by_keys, seed, stored


def evidence_tab(window: MainWindow, qtbot: QtBot) -> None:
    alt(
        qtbot, "8", until=lambda: window.workspace.tabs.currentWidget() is window.workspace.evidence
    )
    settle(qtbot)


def listed(window: MainWindow) -> list[str]:
    shown = window.workspace.evidence.list
    return [shown.item(i).text() for i in range(shown.count())]


def attach_dialog(qtbot: QtBot) -> AttachDialog:
    alt(qtbot, "h", until=lambda: isinstance(QApplication.activeWindow(), AttachDialog))
    dialog = QApplication.activeWindow()
    assert isinstance(dialog, AttachDialog)
    qtbot.waitUntil(lambda: has_focus(dialog.choose), timeout=30_000)
    return dialog


def pick_in_file_dialog(qtbot: QtBot, *paths: Path) -> None:
    """The file picker is open with its name box focused: type the names, press Return."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), QFileDialog), timeout=30_000)
    picker = QApplication.activeWindow()
    assert isinstance(picker, QFileDialog)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=30_000)
    if len(paths) == 1:
        type_here(str(paths[0]))
    else:
        picker.setDirectory(str(paths[0].parent))
        type_here(" ".join(f'"{p.name}"' for p in paths))
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not picker.isVisible(), timeout=30_000)
    settle(qtbot)


def choose_files(qtbot: QtBot, dialog: AttachDialog, *paths: Path) -> None:
    alt(qtbot, "c", until=lambda: isinstance(QApplication.activeWindow(), QFileDialog))
    pick_in_file_dialog(qtbot, *paths)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=30_000)
    settle(qtbot)


def attachment_rows(services: Services) -> int:
    from sqlalchemy import func, select

    from asb_desktop.store.tables import attachments

    with services.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(attachments)).scalar_one())


@pytest.fixture
def opened(window: MainWindow, services: Services, qtbot: QtBot) -> Iterator[MainWindow]:
    seed(services)
    open_by_keys(window, qtbot, CASE)
    evidence_tab(window, qtbot)
    yield window


def test_a_photo_attached_to_an_incident_by_keys_then_saved_as_a_copy(
    opened: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path, data_dir: Path
) -> None:
    window = opened
    assert listed(window) == [
        "No evidence attached yet: Alt+H to attach files, or drop them on the workspace."
    ]
    photo = tmp_path / "stairwell door.jpg"
    photo_with_metadata(photo, size=(640, 480))
    dialog = attach_dialog(qtbot)
    assert dialog.scrub.isChecked(), "photos are scrubbed unless the officer says otherwise"
    choose_files(qtbot, dialog, photo)
    assert "stairwell door.jpg: photo (JPEG)" in dialog.files.item(0).text()
    assert has_focus(dialog.ok), "once looked at, Attach is next"
    alt(qtbot, "o")
    down_to(qtbot, dialog.incident, stored(services)["incidents"][0]["id"])
    alt(qtbot, "a", until=lambda: not dialog.isVisible())
    settle(qtbot)

    (attachment,) = stored(services)["attachments"]
    assert attachment["scrubbed"] is True
    assert attachment["incident_id"] == stored(services)["incidents"][0]["id"]
    (line,) = listed(window)
    assert line.startswith("stairwell door.jpg\nPhoto (JPEG), ")
    assert "Location and camera details removed." in line
    assert "Evidence of the incident of " in line
    assert f"SHA-256 {attachment['sha256'][:12]}…" in line
    evidence = window.workspace.evidence
    assert evidence.sha256.text() == attachment["sha256"]
    qtbot.waitUntil(lambda: not evidence.list.item(0).icon().isNull(), timeout=5000)
    assert has_focus(evidence.list), "back on the list once the dialog closes"
    made = thumbnail(services.casework, CASE, attachment["id"], THUMB)
    assert made is not None and made.startswith(b"\x89PNG")
    for kept in (f for f in data_dir.rglob("*") if f.is_file()):  # made in memory, never written
        assert made[8:64] not in kept.read_bytes(), kept

    target = tmp_path / "copy.jpg"
    alt(qtbot, "s", until=lambda: isinstance(QApplication.activeWindow(), QFileDialog))
    pick_in_file_dialog(qtbot, target)
    settle(qtbot)
    data = target.read_bytes()
    assert hashlib.sha256(data).hexdigest() == attachment["sha256"]
    assert not any(marker in data for marker in MARKERS)
    assert "Saved a copy of stairwell door.jpg to" in evidence.message.text()

    alt(qtbot, "s", until=lambda: isinstance(QApplication.activeWindow(), QFileDialog))
    pick_in_file_dialog(qtbot, target)
    assert "already exists; nothing was written" in evidence.message.text()
    assert target.read_bytes() == data

    alt(qtbot, "x", until=lambda: QApplication.clipboard().text() == attachment["sha256"])
    assert "SHA-256 copied" in evidence.message.text()


def test_bad_files_are_said_by_name_and_nothing_is_stored(
    opened: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not evidence")
    folder = tmp_path / "a folder"
    folder.mkdir()
    big = tmp_path / "huge.mp4"
    with big.open("wb") as out:  # sparse: over the 200 MB limit without writing it
        out.write(b"\x00\x00\x00\x18ftypmp42")
        out.truncate(200_000_001)
    unreadable = tmp_path / "socket.jpg"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(unreadable))
    vanishing = tmp_path / "gone.png"
    vanishing.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    try:
        dialog = attach_dialog(qtbot)
        dialog.add_paths([text, folder, big, unreadable])
        settle(qtbot)
        said = dialog.error.text()
        assert f"{text} cannot be attached: its content is none of the kinds kept" in said
        assert f"{folder} is a folder, not a file" in said
        assert f"{big} is 200.0 MB; the most one attachment may be is 200.0 MB" in said
        assert f"{unreadable} could not be read" in said or f"{unreadable} is not a file" in said
        assert not dialog.ok.isEnabled(), "nothing to attach"
        assert "Traceback" not in said

        choose_files(qtbot, dialog, vanishing)
        assert dialog.ok.isEnabled()
        os.remove(vanishing)  # gone between the pick and the attach
        alt(qtbot, "a", until=dialog.error.isVisible)
        settle(qtbot)
        assert dialog.isVisible()
        assert f"{vanishing} could not be read (No such file or directory)" in dialog.error.text()
        assert stored(services)["attachments"] == []
        assert attachment_rows(services) == 0
        dialog.reject()
    finally:
        server.close()


def test_files_dropped_on_the_workspace_open_the_attach_dialog(
    opened: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    window = opened
    alt(qtbot, "1", until=lambda: window.workspace.tabs.currentIndex() == 0)
    first, second = tmp_path / "one.jpg", tmp_path / "two.pdf"
    photo_with_metadata(first)
    second.write_bytes(b"%PDF-1.4\n%%EOF\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(first)), QUrl.fromLocalFile(str(second))])
    workspace = window.workspace
    where = QPoint(20, 20)
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(workspace, enter)
    assert enter.isAccepted(), "files may be dropped on the case"
    drop = QDropEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(workspace, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), AttachDialog), timeout=30_000)
    settle(qtbot)
    dialog = QApplication.activeWindow()
    assert isinstance(dialog, AttachDialog)
    assert workspace.tabs.currentWidget() is workspace.evidence
    assert dialog.ok.text() == "&Attach 2 files"
    assert has_focus(dialog.ok), focused().accessibleName()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    settle(qtbot)
    kinds = sorted(a["media_type"] for a in stored(services)["attachments"])
    assert kinds == ["application/pdf", "image/jpeg"]
    lines = listed(window)
    assert len(lines) == 2 and all("Evidence of the whole case" in line for line in lines)
    assert "2 files attached: one.jpg, two.pdf." in workspace.evidence.message.text()
