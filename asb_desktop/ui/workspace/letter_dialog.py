"""Letter to the complainant (Alt+Q on the workspace): an acknowledgement, update or closure letter to the
complainant, in the organisation's wording, saved as a PDF to print or a Word document to edit.

Only the letters open to the case can be chosen; the others say why. Large print is said, and
used, when the complainant's adjustments ask for it. Saving writes the file whole, records the
letter on the case (an entry and a disclosure to the complainant), then puts the file in place,
on the writer thread; a failure leaves no file and records nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.case import Case
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.letters import (
    LARGE_PRINT_SIZE,
    NORMAL_SIZE,
    LetterKind,
    letter_refusal,
    wants_large_print,
)
from asb_desktop.ui.changes import Changed
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.summaries.print_summary_dialog import default_folder
from asb_desktop.ui.widgets import banner
from asb_desktop.ui.words import case_label

KEY = "letter"
BUTTON_TEXT = "Letter to the complainant (&Q)…"  # j, q, z were all the workspace had free
# The letter is recorded on the case: said as a change of cases so the workspace reads it again.
RECORDED = Changed(cases=True)
KIND_TEXT = {
    LetterKind.ACKNOWLEDGEMENT: "Ac&knowledgement: we have your report, and who is dealing with it",
    LetterKind.UPDATE: "&Update: how the case is going, and when we will next be in touch",
    LetterKind.CLOSURE: "C&losure: the case is closed, and its outcome",
}


def letter_unavailable(case: Case) -> str | None:
    """Why no letter at all can go to this case's complainant; None when one can."""
    refused = letter_refusal(case)
    if refused is not None:
        return refused
    if not any(letter_refusal(case, kind) is None for kind in LetterKind):
        return letter_refusal(case, LetterKind.ACKNOWLEDGEMENT)
    return None


def unavailable(key: str, case: Case) -> str | None:
    """The workspace's question for its buttons (`key` is always KEY here)."""
    return letter_unavailable(case)


def save_failure(error: Exception) -> str:
    """In words, never the exception's own text unless it is one of ours."""
    if isinstance(error, ProcedureError):
        return f"{error} Nothing was saved or recorded."
    if isinstance(error, OSError):
        return (
            "The letter could not be saved there (the folder may be read-only or the disk "
            "full). Nothing was saved or recorded: choose another place and try again."
        )
    return "The letter could not be made. Nothing was saved or recorded."


class LetterDialog(QDialog):
    sig_saved = Signal(object)
    """The letter is saved and recorded; carries its path."""

    def __init__(self, services: Services, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.case = case
        self.saved_path: Path | None = None
        self.setWindowTitle("Letter to the complainant")
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        heading = QLabel(f"Letter to the complainant, case {case_label(case.reference, case.id)}")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)

        layout.addWidget(QLabel("Which letter?"))
        self.kinds = QButtonGroup(self)
        self.kind_buttons: dict[LetterKind, QRadioButton] = {}
        reasons: list[str] = []
        for kind in LetterKind:
            button = QRadioButton(KIND_TEXT[kind], self)
            refused = letter_refusal(case, kind)
            button.setEnabled(refused is None)
            button.setToolTip(refused or "")
            button.setAccessibleDescription(refused or "")
            if refused is not None:
                reasons.append(f"{kind.value.capitalize()}: {refused}")
            self.kinds.addButton(button)
            self.kind_buttons[kind] = button
            layout.addWidget(button)
        self.not_open = QLabel("\n".join(reasons))
        self.not_open.setWordWrap(True)
        self.not_open.setVisible(bool(reasons))
        layout.addWidget(self.not_open)
        large = wants_large_print(case.complainant.adjustments)
        size = LARGE_PRINT_SIZE if large else NORMAL_SIZE
        self.print_size = banner(
            f"Large print ({size:g} point): the adjustments agreed with the complainant ask for it."
            if large
            else f"Standard print ({size:g} point)."
        )
        layout.addWidget(self.print_size)

        layout.addWidget(QLabel("As:"))
        self.pdf = QRadioButton("&PDF, to print and post", self)
        self.docx = QRadioButton("&Word document (DOCX), to edit before it is sent", self)
        self.pdf.setChecked(True)
        forms = QButtonGroup(self)
        forms.addButton(self.pdf)
        forms.addButton(self.docx)
        layout.addWidget(self.pdf)
        layout.addWidget(self.docx)

        words_label = QLabel("Your own wo&rds (optional; they follow the opening paragraph):")
        self.extra = QPlainTextEdit(self)
        self.extra.setAccessibleName("Your own words")
        self.extra.setTabChangesFocus(True)
        self.extra.setMinimumHeight(56)  # it gives way, never the labels, when room is short
        words_label.setBuddy(self.extra)
        layout.addWidget(words_label)
        layout.addWidget(self.extra, 1)

        file_label = QLabel("&File:")
        where = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setAccessibleName("File")
        file_label.setBuddy(self.path)
        self.browse = QPushButton("Save &as…")
        self.browse.clicked.connect(self.choose_path)
        where.addWidget(self.path, 1)
        where.addWidget(self.browse)
        layout.addWidget(file_label)
        layout.addLayout(where)

        # Shown from the start (two lines' room): a sentence appearing later would squeeze the form.
        self.message = banner(
            "Save letter (Alt+S) writes the file, then records it on the case: a contact with the "
            "complainant (an update for an update letter) and a disclosure to them.",
            role="info",
        )
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch()
        self.open_button = QPushButton("&Open the letter")
        self.open_button.hide()
        self.open_button.clicked.connect(self.open_letter)
        self.save_button = QPushButton("&Save letter")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("&Close")
        self.close_button.clicked.connect(self.reject)
        for push in (self.open_button, self.save_button, self.close_button):
            buttons.addWidget(push)
        layout.addLayout(buttons)

        self.kinds.buttonToggled.connect(lambda *_: self._suggest_name())
        forms.buttonToggled.connect(lambda *_: self._suggest_name())
        self.first = next((b for b in self.kind_buttons.values() if b.isEnabled()), None)
        if self.first is not None:
            self.first.setChecked(True)
        else:
            self.save_button.setEnabled(False)
        self._suggest_name()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.first is not None and self.saved_path is None:  # on the first letter open
            focus_for_keys(self.first)

    def kind(self) -> LetterKind | None:
        return next((k for k, b in self.kind_buttons.items() if b.isChecked()), None)

    def _suggest_name(self) -> None:
        """The file name follows the letter and its form; the folder the officer chose stays."""
        from asb_desktop.reports.letters import letter_file_name

        kind = self.kind()
        if kind is None:
            return
        name = letter_file_name(
            self.case.reference, self.case.id, kind.value, docx=self.docx.isChecked()
        )
        current = self.path.text().strip()
        folder = Path(current).parent if current else default_folder()
        self.path.setText(str(folder / name))

    def choose_path(self) -> None:
        docx = self.docx.isChecked()
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Save the letter as",
            self.path.text(),
            "Word document (*.docx)" if docx else "PDF (*.pdf)",
        )
        suffix = ".docx" if docx else ".pdf"
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(suffix) else chosen + suffix)

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def save(self) -> None:
        kind = self.kind()
        text = self.path.text().strip()
        if kind is None:
            return
        if not text:
            self._say("⚠ Say where to save the letter (File).")
            focus_for_keys(self.path)
            return
        target = Path(text).expanduser()
        if not target.parent.is_dir():
            self._say("⚠ That folder does not exist. Choose where to save with “Save as…”.")
            focus_for_keys(self.path)
            return
        if target.exists() and not self._may_replace(target):
            return
        from asb_desktop.services.letters import LetterRequest

        request = LetterRequest(
            self.case.id, kind, docx=self.docx.isChecked(), extra=self.extra.toPlainText()
        )
        services = self.services

        def produce() -> Any:
            return make_letter_file(services, request, target)

        self.save_button.setEnabled(False)
        self._say("Making the letter…")
        Operation(self, produce, name="letter.write", changes=RECORDED).success(
            lambda large: self._saved(target, kind, large)
        ).failure(self._failed).run()

    def _may_replace(self, target: Path) -> bool:
        answer = QMessageBox.question(
            self, "Letter to the complainant", f"{target.name} already exists. Replace it?"
        )
        return answer == QMessageBox.StandardButton.Yes

    def _saved(self, target: Path, kind: LetterKind, large: bool) -> None:
        self.saved_path = target
        entry = "an update given to" if kind is LetterKind.UPDATE else "a contact with"
        size = " in large print" if large else ""
        self._say(
            f"Saved the {kind.value} letter{size}, at the place shown above. Recorded on the "
            f"case as {entry} the complainant (tab 4), and in the disclosure log (tab 5)."
        )
        self.save_button.setEnabled(True)
        self.save_button.setDefault(False)
        self.open_button.show()
        self.open_button.setDefault(True)
        focus_for_keys(self.open_button)
        self.sig_saved.emit(target)

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self._say("⚠ " + save_failure(error))
        focus_for_keys(self.save_button)

    def open_letter(self) -> None:
        if self.saved_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_path)))


def make_letter_file(services: Services, request: Any, target: Path) -> bool:
    """On the writer thread; True when the letter is in large print."""
    from asb_desktop.reports.letters import produce_letter

    letter, _ = produce_letter(
        services.casework,
        request,
        target,
        branding=services.branding(),
        wording=services.presets.letter_wording,
        officer=services.officer.display_name(),
    )
    return letter.large_print
