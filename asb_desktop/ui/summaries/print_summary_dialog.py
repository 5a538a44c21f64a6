"""Print summary: one case to a PDF the officer saves, then opens with the system viewer.

The officer chooses who the summary is for (internal, or a third party under 5.6) and where to
save it; reading the case and drawing the PDF run off the GUI thread. The file name offered is
the case reference only, never a person's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.errors import InputError
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.widgets import banner
from asb_desktop.ui.words import case_label

if TYPE_CHECKING:  # ReportLab is loaded on first print, not at every start-up
    from asb_desktop.reports import SummaryResult

INTERNAL, THIRD_PARTY = "internal", "third_party"  # asb_desktop.reports.Profile values

PROFILE_HELP = (
    "A third-party summary (procedure 5.6) leaves out the complainant's identity, contact "
    "details, address and impact statements unless they agreed to sharing or a sharing "
    "protocol applies."
)


def profile_choice(parent: QWidget) -> tuple[QButtonGroup, QRadioButton, QRadioButton]:
    """The two radio buttons "who is this for", internal chosen."""
    internal = QRadioButton("&Internal: everything recorded (case review, our own files)", parent)
    third = QRadioButton("&Third party: Police, council, court bundle", parent)
    internal.setChecked(True)
    group = QButtonGroup(parent)
    group.addButton(internal)
    group.addButton(third)
    return group, internal, third


def default_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def failure_sentence(error: Exception) -> str:
    """Never the exception's text when it may quote the case; the field name is safe."""
    if isinstance(error, InputError):
        return f"The summary could not be made: {error}."
    if isinstance(error, OSError):
        return "The file could not be saved there. Choose another folder and try again."
    return "The summary could not be made. Nothing was saved."


class PrintSummaryDialog(QDialog):
    sig_saved = Signal(object)
    """The PDF is saved; carries the SummaryResult."""

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.document: dict[str, Any] | None = None
        self.saved_path: Path | None = None
        self.setWindowTitle("Print summary")
        self.setMinimumWidth(660)
        layout = QVBoxLayout(self)
        self.heading = QLabel("Reading the case…")
        self.heading.setProperty("role", "heading")
        layout.addWidget(self.heading)
        layout.addWidget(QLabel("Who is this summary for?"))
        self.group, self.internal, self.third_party = profile_choice(self)
        layout.addWidget(self.internal)
        layout.addWidget(self.third_party)
        explain = QLabel(PROFILE_HELP)
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addWidget(QLabel("Save the PDF as:"))
        where = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName("PDF file")
        where.addWidget(self.path, 1)
        self.browse = QPushButton("Save &as…")
        self.browse.clicked.connect(self.choose_path)
        where.addWidget(self.browse)
        layout.addLayout(where)
        self.message = banner(role="info")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch()
        self.open_button = QPushButton("&Open the PDF")
        self.open_button.hide()
        self.open_button.clicked.connect(self.open_pdf)
        self.save_button = QPushButton("&Save PDF")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("&Close")
        self.close_button.clicked.connect(self.reject)
        for button in (self.open_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.third_party.toggled.connect(lambda _: self._suggest_name())
        work = services.casework
        reading = Operation(self, lambda: work.document(case_id), name="summary.read_case")
        reading.read_only().success(self._loaded).failure(self._failed).run()

    def profile(self) -> str:
        return THIRD_PARTY if self.third_party.isChecked() else INTERNAL

    def _loaded(self, document: dict[str, Any] | None) -> None:
        if document is None:
            self._failed(InputError("case", "is no longer in the case database"))
            return
        self.document = document
        label = case_label(document.get("reference"), str(document.get("id")))
        self.heading.setText(f"Summary of case {label}")
        self._suggest_name(force=True)
        self.save_button.setEnabled(True)

    def _failed(self, error: Exception) -> None:
        self.heading.setText("Print summary")
        self._say("⚠ " + failure_sentence(error))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.adjustSize()  # room for the sentence, never clipped

    def _suggest_name(self, force: bool = False) -> None:
        """Keep the folder the officer chose; the file name follows the profile."""
        if self.document is None:
            return
        from asb_desktop.reports import summary_file_name

        name = summary_file_name(self.document, self.profile())
        current = self.path.text().strip()
        folder = Path(current).parent if current and not force else default_folder()
        self.path.setText(str(folder / name))

    def choose_path(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the summary as", self.path.text(), "PDF (*.pdf)"
        )
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")

    def save(self) -> None:
        document = self.document
        text = self.path.text().strip()
        if document is None or not text:
            return
        target = Path(text).expanduser()
        if not target.parent.is_dir():
            self._say("⚠ That folder does not exist. Choose where to save with “Save as…”.")
            return
        if target.exists() and not self._may_replace(target):
            return
        work, profile, branding = self.services.casework, self.profile(), self.services.branding()
        services = self.services

        def render() -> SummaryResult:
            from asb_desktop.reports import write_summary

            return write_summary(
                document,
                target,
                profile=profile,
                produced_by=services.officer.display_name(),
                produced_at=work.clock(),
                audit_trail=work.history(document["id"]),
                branding=branding,
                names=services.officer.names(),
            )

        self.save_button.setEnabled(False)
        self._say("Making the summary…")
        # Reads the store and writes only the PDF file: it need not wait for other writes.
        rendering = Operation(self, render, name="summary.write").read_only()
        rendering.success(lambda result: self._saved(target, result)).failure(
            self._save_failed
        ).run()

    def _may_replace(self, target: Path) -> bool:
        answer = QMessageBox.question(
            self, "Print summary", f"{target.name} already exists. Replace it?"
        )
        return answer == QMessageBox.StandardButton.Yes

    def _saved(self, target: Path, result: SummaryResult) -> None:
        self.saved_path = target
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        note = " Some text could not be printed in full; see the notes in the PDF." * bool(
            result.warnings
        )
        self._say(f"Saved: {pages}, at the place shown above.{note}")
        self.save_button.setEnabled(True)
        self.save_button.setDefault(False)
        self.open_button.show()
        self.open_button.setDefault(True)
        self.open_button.setFocus()
        self.sig_saved.emit(result)

    def _save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self._say("⚠ " + failure_sentence(error))

    def open_pdf(self) -> None:
        if self.saved_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_path)))


class SummaryPrinter:
    """The workspace's print hook: one dialog per press, kept while it is shown."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.dialog: PrintSummaryDialog | None = None

    def __call__(self, case_id: str, parent: QWidget) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = PrintSummaryDialog(self.services, case_id, parent)
        self.dialog.show()  # not modal: Ctrl+L and the idle lock must still reach the window
