"""Attach files to a case: chosen with the file picker (or dropped on the workspace), each looked
at first (its kind and size, or why it cannot be attached, in a sentence naming it), evidence
of one incident or of the whole case, a photo's location and camera details removed unless the
officer says otherwise. A refused file stays listed with its reason; nothing else is lost."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.evidence_media import KINDS_WORDS
from asb_desktop.services.case_actions import CaseView
from asb_desktop.services.evidence_files import EvidenceFile
from asb_desktop.ui.file_choice import FileDropTarget, looked_words, picker
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.operations.evidence_ops import Attached, Looked, attach_files, look_at_files
from asb_desktop.ui.widgets import banner
from asb_desktop.ui.words import when

WHOLE_CASE = ""


class AttachDialog(FileDropTarget, QDialog):
    def __init__(
        self,
        parent: QWidget,
        services: Services,
        view: CaseView,
        on_done: Callable[[Attached], None],
        paths: Sequence[Path] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach files to the case")
        self.setMinimumWidth(600)
        self.services = services
        self.view = view
        self.on_done = on_done
        self.looked: list[Looked] = []
        most = f"{services.casework.policy().attachment_max_mb:,} MB"
        layout = QVBoxLayout(self)
        layout.addWidget(
            banner(
                f"Kept encrypted on this laptop, up to {most} each: {KINDS_WORDS}.",
                role="info",
            )
        )
        row = QHBoxLayout()
        self.choose = QPushButton("&Choose files…")
        self.choose.clicked.connect(self.pick)
        self.remove = QPushButton("&Remove from the list")
        self.remove.clicked.connect(self.remove_chosen)
        row.addWidget(self.choose)
        row.addWidget(self.remove)
        row.addStretch()
        layout.addLayout(row)
        files_label = QLabel("&Files to attach:")
        self.files = QListWidget()
        self.files.setAccessibleName("Files to attach")
        self.files.setWordWrap(True)
        self.files.setMinimumHeight(110)
        files_label.setBuddy(self.files)
        layout.addWidget(files_label)
        layout.addWidget(self.files, 1)
        of_label = QLabel("Evidence &of:")
        self.incident = QComboBox()
        self.incident.setAccessibleName("Evidence of")
        self.incident.addItem("The whole case", WHOLE_CASE)
        for incident in sorted(view.case.incidents, key=lambda i: i.occurred_at, reverse=True):
            place = f", {incident.location}" if incident.location else ""
            self.incident.addItem(
                f"The incident of {when(incident.occurred_at)}{place}", incident.id
            )
        of_label.setBuddy(self.incident)
        line = QHBoxLayout()
        line.addWidget(of_label)
        line.addWidget(self.incident, 1)
        layout.addLayout(line)
        self.scrub = QCheckBox("Remove a photo's location and camera &details (recommended)")
        self.scrub.setChecked(services.casework.policy().scrub_photos)
        self.scrub.setAccessibleName("Remove a photo's location and camera details")
        layout.addWidget(self.scrub)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        self.error.setAccessibleName("Problem")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Attach")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Ca&ncel")
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setAcceptDrops(True)
        self._refresh()
        if paths:
            self.add_paths(paths)
        else:
            focus_for_keys(self.choose)

    def files_dropped(self, paths: list[Path]) -> None:
        self.add_paths(paths)

    # --- choosing ----------------------------------------------------------------------------

    def pick(self) -> QFileDialog:
        dialog = picker(self, "Choose the files to attach")
        dialog.filesSelected.connect(lambda chosen: self.add_paths([Path(p) for p in chosen]))
        dialog.open()
        return dialog

    def add_paths(self, paths: Sequence[Path]) -> None:
        """Each file looked at off the GUI thread, then listed with what it is or why not."""
        known = {looked.path for looked in self.looked}
        fresh = [p for p in paths if p not in known]
        if not fresh:
            return
        self.ok.setEnabled(False)
        work = look_at_files(self, self.services.casework, fresh)
        work.success(self._looked).failure(self._look_failed).run()

    def _looked(self, found: list[Looked]) -> None:
        self.activateWindow()  # back from the file picker
        self.looked += found
        self._refresh()
        refused = [f for f in found if f.checked is None]
        if refused:
            self._say(" ".join(f.refusal or "" for f in refused))
            focus_for_keys(self.files)
        else:
            self.error.hide()
            focus_for_keys(self.ok if self.ok.isEnabled() else self.choose)

    def _look_failed(self, _error: Exception) -> None:
        self._refresh()
        self._say("The files could not be looked at just now; choose them again.")

    def remove_chosen(self) -> None:
        row = self.files.currentRow()
        if 0 <= row < len(self.looked):
            del self.looked[row]
            self._refresh()
            self.files.setCurrentRow(min(row, len(self.looked) - 1))
        focus_for_keys(self.files if self.looked else self.choose)

    def _refresh(self) -> None:
        self.files.clear()
        for looked in self.looked:
            self.files.addItem(QListWidgetItem(looked_words(looked)))
        if not self.looked:
            self.files.addItem("No files chosen yet: Alt+C to choose them, or drop them here.")
        usable = [f for f in self.looked if f.checked is not None]
        self.ok.setEnabled(bool(usable))
        self.remove.setEnabled(bool(self.looked))
        self.scrub.setEnabled(not usable or any(f.checked.photo for f in usable if f.checked))
        count = len(usable)
        self.ok.setText("&Attach" if count < 2 else f"&Attach {count} files")

    def chosen(self) -> list[EvidenceFile]:
        scrub = self.scrub.isChecked()
        return [EvidenceFile(f.path, scrub) for f in self.looked if f.checked is not None]

    # --- attaching ---------------------------------------------------------------------------

    def run(self) -> None:
        files = self.chosen()
        if not files:
            return
        self.ok.setEnabled(False)
        incident = self.incident.currentData() or None
        work = attach_files(self, self.services.actions, self.view.case.id, files, incident)
        work.success(self._attached).failure(self._failed).run()

    def _attached(self, result: Attached) -> None:
        self.on_done(result)
        self.view = result.view
        if not result.refused:
            self.accept()
            return
        gone = set(result.attached)
        self.looked = [f for f in self.looked if f.path not in gone]
        self._refresh()
        done = len(result.attached)
        said = " ".join(sentence for _, sentence in result.refused)
        self._say((f"{done} attached. " if done else "") + said)
        focus_for_keys(self.files)

    def _failed(self, _error: Exception) -> None:
        self._refresh()
        self._say("The case database could not be written; nothing was attached.")
        focus_for_keys(self.ok)

    def _say(self, sentence: str) -> None:
        self.error.setText("⚠ " + sentence)
        self.error.show()
