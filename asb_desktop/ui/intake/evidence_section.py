"""The New report guide's evidence: the files the resident shows the officer (photos, recordings,
letters), chosen before saving and attached to the report's incident when it is saved, in the
same transaction as the case.

Each file is looked at when chosen: one that cannot be attached (too big, a kind not kept, a
folder, unreadable) is said in a sentence naming it and not listed; the rest of the report is
untouched. The list is kept in the draft (the paths only, encrypted with it), so a report set
aside keeps its files; one gone by the time of saving is said, and nothing is saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.services.casework import Casework
from asb_desktop.services.evidence_files import EvidenceFile
from asb_desktop.ui.file_choice import FileDropTarget, looked_words, picker
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.operations.evidence_ops import Looked, look_at_files

FILES_KEY, SCRUB_KEY = "evidence_files", "evidence_scrub"
NONE_YET = "None added."


class EvidenceSection(FileDropTarget, QWidget):
    sig_changed = Signal()
    """A file was added or removed, or the scrub choice changed (the draft is kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.casework: Casework | None = None
        self.looked: list[Looked] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("What the resident showed you")
        heading.setProperty("role", "subheading")
        layout.addWidget(heading)
        intro = QLabel(
            "Photos, recordings, videos, letters: added to this report's incident when it is "
            "saved, kept encrypted on this laptop. You can also drop files here."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Files the resident showed you")
        self.list.setWordWrap(True)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add the resident's &files…")
        self.add_button.clicked.connect(self.pick)
        self.remove_button = QPushButton("Re&move the chosen file")
        self.remove_button.clicked.connect(self.remove_chosen)
        self.scrub = QCheckBox("Remove a &photo's location and camera details")
        self.scrub.setChecked(True)
        self.scrub.toggled.connect(lambda _on: self.sig_changed.emit())
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(self.scrub)  # a line of its own: beside the buttons it overflows 1024 px
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setProperty("role", "error")
        self.problem.setAccessibleName("Problem with a file")
        self.problem.hide()
        layout.addWidget(self.problem)
        self.setAcceptDrops(True)
        self._refresh()

    def use(self, casework: Casework) -> None:
        self.casework = casework
        self.scrub.setChecked(casework.policy().scrub_photos)

    # --- the draft ---------------------------------------------------------------------------

    def value(self) -> dict[str, Any]:
        return {
            FILES_KEY: [str(f.path) for f in self.looked],
            SCRUB_KEY: self.scrub.isChecked(),
        }

    def load(self, values: dict[str, Any]) -> None:
        blocked = self.scrub.blockSignals(True)
        self.scrub.setChecked(bool(values.get(SCRUB_KEY, self.scrub.isChecked())))
        self.scrub.blockSignals(blocked)
        paths = [Path(p) for p in values.get(FILES_KEY) or [] if isinstance(p, str)]
        if paths:
            self.add_paths(paths, quiet=True)

    def files(self) -> list[EvidenceFile]:
        return [EvidenceFile(f.path, self.scrub.isChecked()) for f in self.looked]

    # --- choosing ----------------------------------------------------------------------------

    def pick(self) -> Any:
        dialog = picker(self, "Choose the files the resident showed you")
        dialog.filesSelected.connect(lambda chosen: self.add_paths([Path(p) for p in chosen]))
        dialog.open()
        return dialog

    def add_paths(self, paths: list[Path], *, quiet: bool = False) -> None:
        known = {f.path for f in self.looked}
        fresh = [p for p in paths if p not in known]
        if not fresh or self.casework is None:
            return
        work = look_at_files(self, self.casework, fresh)
        work.success(lambda found: self._looked(found, quiet)).failure(self._failed).run()

    def _looked(self, found: list[Looked], quiet: bool) -> None:
        kept = [f for f in found if f.checked is not None]
        refused = [f for f in found if f.checked is None]
        self.looked += kept
        self._refresh()
        if refused:
            self._say(" ".join(f.refusal or "" for f in refused) + " The rest of the report is "
                      "as it was.")  # fmt: skip
        else:
            self.problem.hide()
        if not quiet:
            self.sig_changed.emit()
            self.window().activateWindow()  # back from the file picker
            focus_for_keys(self.add_button)

    def _failed(self, _error: Exception) -> None:
        self._say("The files could not be looked at just now; add them again.")

    def remove_chosen(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.looked):
            del self.looked[row]
            self._refresh()
            self.list.setCurrentRow(min(row, len(self.looked) - 1))
            self.sig_changed.emit()
        focus_for_keys(self.list if self.looked else self.add_button)

    def _refresh(self) -> None:
        self.list.clear()
        for looked in self.looked:
            self.list.addItem(looked_words(looked))
        if not self.looked:
            self.list.addItem(NONE_YET)
        self.remove_button.setEnabled(bool(self.looked))
        # as tall as its lines, up to four: an empty list takes one line of the review page
        rows = min(self.list.count(), 4)
        line = max(self.list.sizeHintForRow(0), self.fontMetrics().height() + 2)
        self.list.setFixedHeight(rows * line + 2 * self.list.frameWidth() + 4)

    def _say(self, sentence: str) -> None:
        self.problem.setText("⚠ " + sentence)
        self.problem.show()

    def files_dropped(self, paths: list[Path]) -> None:
        self.add_paths(paths)
