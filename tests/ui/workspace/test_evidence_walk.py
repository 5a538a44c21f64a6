"""What the keyboard walk of the Evidence tab found, each held by a test: a document's words
started where a photo's thumbnail is, out of line with the photos' (now it has a file's sign);
what was said of one case's files (a copy saved, with its file name and folder) was still shown
on the next case opened; and Download, greyed out, said nothing of why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from asb_desktop.ui.main_window import MainWindow
from tests.ui.driving import settle
from tests.ui.intake.keys import alt
from tests.ui.workspace.test_case_management_keys import SAME_PERSON, open_by_keys
from tests.ui.workspace.test_evidence_keys import (
    attach_dialog,
    choose_files,
    evidence_tab,
    listed,
    opened,  # noqa: F401 (a fixture)
    pick_in_file_dialog,
)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_a_document_has_a_files_sign_and_another_case_starts_with_nothing_said(
    opened: MainWindow,  # noqa: F811
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    window = opened
    log = tmp_path / "noise log.pdf"
    log.write_bytes(PDF)
    dialog = attach_dialog(qtbot)
    choose_files(qtbot, dialog, log)
    alt(qtbot, "a", until=lambda: not dialog.isVisible())
    settle(qtbot)
    evidence = window.workspace.evidence
    (line,) = listed(window)
    assert line.startswith("noise log.pdf\nDocument (PDF)")
    assert not evidence.list.item(0).icon().isNull()
    assert not evidence.download_button.isEnabled()
    assert "already on this laptop" in evidence.download_button.toolTip()

    alt(qtbot, "s", until=lambda: isinstance(QApplication.activeWindow(), QFileDialog))
    pick_in_file_dialog(qtbot, tmp_path / "copy.pdf")
    settle(qtbot)
    assert "Saved a copy of noise log.pdf" in evidence.message.text()

    open_by_keys(window, qtbot, SAME_PERSON)
    evidence_tab(window, qtbot)
    assert listed(window)[0].startswith("No evidence attached yet")
    assert not evidence.message.isVisible() and evidence.message.text() == ""
