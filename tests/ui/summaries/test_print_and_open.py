"""Print summary as an officer uses it: Print opens the system's print dialog (Qt's) and the
summary goes where it was sent; Save as still saves; "Open the PDF" with no PDF viewer says so,
and where the file is. Real window, real encrypted store, key events."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.reports.printing import NO_CUPS, PrintError, PrintJob, lp_command, print_pdf
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.summaries.print_summary_dialog import PrintSummaryDialog, print_job
from tests.reports.report_pdf_checks import flat_text
from tests.ui.conftest import NOW
from tests.ui.driving import settle, type_text
from tests.ui.intake.test_duplicates import earlier_report

CASE = "12121212-1212-4212-8212-121212121212"


def press(qtbot: QtBot, button: QWidget) -> None:
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def open_dialog(window: MainWindow, services: Services, qtbot: QtBot) -> PrintSummaryDialog:
    from datetime import timedelta

    report = earlier_report(CASE, NOW - timedelta(hours=3), name="Zoë Ní Bhriain")
    services.casework.import_documents([LabelledDocument("1", report)])
    window.open_case(CASE)
    settle(qtbot)
    press(qtbot, window.workspace.print_button)
    dialog = window.workspace.findChild(PrintSummaryDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.print_button.isEnabled, timeout=5000)
    assert QApplication.focusWidget() is dialog.print_button, "Print is where the focus starts"
    return dialog


def when_modal(kind: type, answer: Callable[[Any], None]) -> QTimer:
    """Answer the first modal dialog of `kind` as soon as it is up (polled, never slept)."""
    timer = QTimer(QApplication.instance(), interval=10)  # owned by Qt, never by the GC

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind) and modal.isVisible():
            timer.stop()
            timer.deleteLater()
            answer(modal)

    timer.timeout.connect(poll)
    timer.start()
    return timer


def test_print_offers_the_system_print_dialog_and_prints_where_it_was_sent(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_dialog(window, services, qtbot)
    target = tmp_path / "printed.pdf"
    shown: list[str] = []

    def print_to_file(chooser: QPrintDialog) -> None:
        shown.append(chooser.windowTitle())
        name = chooser.findChild(QLineEdit, "filename")  # Qt's own "Print to File" box
        assert name is not None
        name.clear()
        type_text(name, str(target))
        qtbot.keyClick(name, Qt.Key.Key_Return)  # the dialog's Print button

    when_modal(QPrintDialog, print_to_file)
    with qtbot.waitSignal(dialog.sig_printed, timeout=20000) as printed:
        press(qtbot, dialog.print_button)
    assert shown == ["Print the summary"]
    assert printed.args[0].startswith(f"Printed to the file {target} (")
    assert dialog.message.text() == printed.args[0]
    assert dialog.focusWidget() is dialog.print_button, "the focus stays on Print"
    text = flat_text(target.read_bytes())
    assert "Anti-social behaviour case summary" in text and "Zoë Ní Bhriain" in text

    when_modal(QPrintDialog, lambda chooser: chooser.reject())
    press(qtbot, dialog.print_button)
    settle(qtbot)
    assert dialog.message.text() == "Not printed."

    # Save as is still there.
    saved = tmp_path / "saved.pdf"
    dialog.path.clear()
    type_text(dialog.path, str(saved))
    with qtbot.waitSignal(dialog.sig_saved, timeout=20000):
        press(qtbot, dialog.save_button)
    assert saved.is_file()


def test_open_the_pdf_with_no_viewer_says_so_and_where_it_is(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_dialog(window, services, qtbot)
    saved = tmp_path / "summary.pdf"
    dialog.path.clear()
    type_text(dialog.path, str(saved))
    with qtbot.waitSignal(dialog.sig_saved, timeout=20000):
        press(qtbot, dialog.save_button)
    assert dialog.open_button.isVisible()
    press(qtbot, dialog.open_button)  # the test platform has no PDF viewer
    settle(qtbot)
    said = dialog.message.text()
    assert said.startswith("⚠ No PDF viewer is set up on this computer")
    assert str(saved) in said


class ChosenPrinter:
    """What QPrintDialog leaves in a QPrinter when a real printer was chosen (no CUPS
    printer exists on the test machine, so the dialog's answer is stood in for)."""

    def __init__(self, **chosen: Any) -> None:
        self.chosen = chosen

    def outputFormat(self) -> QPrinter.OutputFormat:
        return QPrinter.OutputFormat.NativeFormat

    def outputFileName(self) -> str:
        return ""

    def printerName(self) -> str:
        return str(self.chosen["printer"])

    def copyCount(self) -> int:
        return int(self.chosen.get("copies", 1))

    def printRange(self) -> QPrinter.PrintRange:
        pages = self.chosen.get("pages")
        return QPrinter.PrintRange.PageRange if pages else QPrinter.PrintRange.AllPages

    def fromPage(self) -> int:
        return self.chosen.get("pages", (0, 0))[0]

    def toPage(self) -> int:
        return self.chosen.get("pages", (0, 0))[1]

    def duplex(self) -> QPrinter.DuplexMode:
        return self.chosen.get("duplex", QPrinter.DuplexMode.DuplexAuto)


def test_the_print_dialogs_choice_becomes_the_cups_command() -> None:
    chosen = ChosenPrinter(
        printer="Housing-Office-2",
        copies=2,
        pages=(2, 3),
        duplex=QPrinter.DuplexMode.DuplexLongSide,
    )
    job = print_job(chosen, "ASB-2026-000123-summary")  # type: ignore[arg-type]
    assert job == PrintJob("Housing-Office-2", 2, (2, 3), "long", "ASB-2026-000123-summary")
    assert lp_command(job) == [
        "lp", "-d", "Housing-Office-2", "-n", "2", "-t", "ASB-2026-000123-summary",
        "-P", "2-3", "-o", "sides=two-sided-long-edge", "--", "-",
    ]  # fmt: skip
    plain = print_job(ChosenPrinter(printer="Office"), "case-x-summary")  # type: ignore[arg-type]
    assert lp_command(plain) == ["lp", "-d", "Office", "-n", "1", "-t", "case-x-summary", "--", "-"]


@pytest.fixture
def fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An `lp` on PATH that keeps its arguments and what it was given to print."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "lp"
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{tmp_path}/lp-args"\n'
        f'cat > "{tmp_path}/lp-input"\n'
        'case "$2" in Broken) echo "lp: The printer or class does not exist." >&2; exit 1;; esac\n'
        'echo "request id is $2-7 (1 file(s))"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def test_the_pdf_goes_to_cups_on_its_standard_input_and_no_file_is_left(
    fake_lp: Path, tmp_path: Path
) -> None:
    pdf = b"%PDF-1.4 the summary"
    data = tmp_path / "data"
    data.mkdir()
    said = print_pdf(pdf, PrintJob("Office", title="ASB-2026-000123-summary"), data_dir=data)
    assert said == "Sent to Office."
    assert (fake_lp / "lp-input").read_bytes() == pdf
    assert (fake_lp / "lp-args").read_text().split("\n")[:2] == ["-d", "Office"]
    assert list(data.iterdir()) == [], "no copy of the summary written anywhere"
    with pytest.raises(PrintError, match=r"The printer Broken did not take the summary\. It said"):
        print_pdf(pdf, PrintJob("Broken"), data_dir=data)


def test_with_no_cups_printing_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp anywhere
    with pytest.raises(PrintError) as refused:
        print_pdf(b"%PDF", PrintJob("Office"), data_dir=tmp_path)
    assert str(refused.value) == NO_CUPS
