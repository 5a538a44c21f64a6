"""Print summary's "Photos as thumbnails" (Alt+H): off, the evidence schedule lists the photo
with no picture; ticked, the saved PDF has the photo's thumbnail. Real window, real encrypted
store, the photo attached through the real service, key events only."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.attachments import attach
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.summaries.print_summary_dialog import PrintSummaryDialog
from tests.reports.report_pdf_checks import flat_text
from tests.ui.conftest import NOW
from tests.ui.driving import settle, type_text
from tests.ui.intake.test_duplicates import earlier_report
from tests.ui.summaries.test_print_and_open import press

CASE = "13131313-1313-4313-8313-131313131313"


def _pictures(path: Path) -> int:
    return sum(len(page.images) for page in PdfReader(path).pages)


def _save(qtbot: QtBot, dialog: PrintSummaryDialog, path: Path) -> None:
    dialog.path.setFocus()
    dialog.path.clear()
    type_text(dialog.path, str(path))
    with qtbot.waitSignal(dialog.sig_saved, timeout=20000):
        press(qtbot, dialog.save_button)


def test_thumbnails_are_drawn_only_when_ticked(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    report = earlier_report(CASE, NOW - timedelta(hours=3), name="Zoë Ní Bhriain")
    services.casework.import_documents([LabelledDocument("1", report)])
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (30, 120, 60)).save(out, "JPEG")
    (tmp_path / "door.jpg").write_bytes(out.getvalue())
    attach(services.casework, CASE, tmp_path / "door.jpg")
    window.open_case(CASE)
    settle(qtbot)
    press(qtbot, window.workspace.print_button)
    dialog = window.workspace.findChild(PrintSummaryDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.print_button.isEnabled, timeout=5000)
    assert not dialog.thumbnails.isChecked()
    _save(qtbot, dialog, tmp_path / "plain.pdf")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.thumbnails.isChecked, timeout=2000)  # a mnemonic clicks after a beat
    _save(qtbot, dialog, tmp_path / "pictures.pdf")
    assert "door.jpg" in flat_text((tmp_path / "plain.pdf").read_bytes())
    assert _pictures(tmp_path / "pictures.pdf") == _pictures(tmp_path / "plain.pdf") + 1
