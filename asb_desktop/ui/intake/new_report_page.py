"""The New report screen: unfinished drafts to resume (or discard), then the guide itself."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.directory import Directory
from asb_desktop.services.drafts import DraftSummary
from asb_desktop.store.draft_rows import StoredDraft
from asb_desktop.ui.changes import Changed, change_hub
from asb_desktop.ui.intake.wizard import ReportWizard
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.operations.draft_ops import discard_draft
from asb_desktop.ui.words import LONDON, when

NOTHING_TYPED = "nothing typed yet"  # what the drafts service calls a draft with no words


def draft_title(draft: DraftSummary) -> str:
    """A few words to know the draft by: the complainant's name and what happened, as typed
    (the list is on screen only); a draft with neither is named by when it was started."""
    title = draft.title.strip(" —")
    if title and title != NOTHING_TYPED:
        return title
    started = draft.created_at.astimezone(LONDON).strftime("%H:%M")
    return f"Untitled report started {started}"


class DraftsPanel(QWidget):
    sig_resume = Signal(str)
    """Resume the draft with this id."""
    sig_start = Signal()
    """Start a blank report."""
    sig_discard = Signal(str)
    """Throw away the draft with this id."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel("New report")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        self.start = QPushButton("&Start a new report")
        self.start.clicked.connect(self.sig_start)
        row = QHBoxLayout()
        row.addWidget(self.start)
        row.addStretch()
        layout.addLayout(row)
        self.problem = QLabel()
        self.problem.setProperty("role", "error")
        self.problem.setAccessibleName("Problem")
        self.problem.hide()
        layout.addWidget(self.problem)
        self.caption = QLabel("&Unfinished reports, kept as encrypted drafts:")
        layout.addWidget(self.caption)
        self.list = QListWidget()
        self.list.setAccessibleName("Unfinished reports")
        self.caption.setBuddy(self.list)
        self.list.itemActivated.connect(
            lambda item: self.sig_resume.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.resume = QPushButton("&Resume selected draft")
        self.discard = QPushButton("&Discard selected draft")
        self.resume.clicked.connect(lambda: self._selected(self.sig_resume))
        self.discard.clicked.connect(self._confirm_discard)
        buttons.addWidget(self.resume)
        buttons.addWidget(self.discard)
        buttons.addStretch()
        layout.addLayout(buttons)

    def _selected(self, signal: SignalInstance) -> None:
        item = self.list.currentItem()
        if item is not None:
            signal.emit(item.data(Qt.ItemDataRole.UserRole))

    def _confirm_discard(self) -> None:
        """A draft may hold a whole statement: throwing it away is asked once, Cancel first."""
        item = self.list.currentItem()
        if item is None:
            return
        draft_id = item.data(Qt.ItemDataRole.UserRole)
        buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Discard this draft?",
            "Discard this unfinished report? Everything typed in it is deleted and cannot be "
            "recovered.",
            buttons,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda result: (
                self.sig_discard.emit(draft_id)
                if result == QMessageBox.StandardButton.Discard.value
                else None
            )
        )
        box.open()

    def show_drafts(self, drafts: list[DraftSummary]) -> None:
        self.list.clear()
        for draft in drafts:
            item = QListWidgetItem(
                f"Last changed {when(draft.updated_at)} (started {when(draft.created_at)}): "
                f"{draft_title(draft)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, draft.id)
            self.list.addItem(item)
        if drafts:
            self.list.setCurrentRow(0)
        for widget in (self.caption, self.list, self.resume, self.discard):
            widget.setVisible(bool(drafts))


class NewReportScreen(QStackedWidget):
    sig_open_case = Signal(str)
    """Open a case saved from here."""

    def __init__(self, services: Services, directory: Directory) -> None:
        super().__init__()
        self.services = services
        self.panel = DraftsPanel()
        self.wizard = ReportWizard(services, directory)
        self.addWidget(self.panel)
        self.addWidget(self.wizard)
        self.drafts: list[DraftSummary] = []
        self.panel.sig_start.connect(self.start_new)
        self.panel.sig_resume.connect(self.resume)
        self.panel.sig_discard.connect(self.discard)
        self.wizard.sig_open_case.connect(self.sig_open_case)
        self.wizard.sig_new_report.connect(self.start_new)
        self.wizard.sig_set_aside.connect(self.set_aside)
        change_hub().sig_changed.connect(self._changed)

    def load_drafts(self) -> None:
        self._read_drafts().success(self._drafts_loaded).run()

    def _read_drafts(self) -> Operation[list[DraftSummary]]:
        reading = Operation(self, self.services.drafts.list, name="drafts.list").read_only()
        return reading.failure(self._drafts_failed)

    def _changed(self, changed: Changed) -> None:
        if changed.drafts:
            self.load_drafts()

    def _drafts_loaded(self, drafts: list[DraftSummary]) -> None:
        self.drafts = drafts
        self.panel.show_drafts(drafts)

    def in_progress(self) -> bool:
        return self.currentWidget() is self.wizard and self.wizard._active

    def enter(self) -> None:
        """Arriving on the screen: carry on with a report in progress, else offer the drafts."""
        if self.in_progress():
            return
        self.setCurrentWidget(self.panel)
        self._read_drafts().success(self._entered).run()

    def set_aside(self) -> None:
        """The report was kept as a draft: show the list (never a new blank report), on "Start a
        new report", the likely next thing (the drafts list is Alt+U). The draft is still being
        written; the change hub reads the list again once it is."""
        self.setCurrentWidget(self.panel)
        focus_for_keys(self.panel.start)
        self.load_drafts()

    def _entered(self, drafts: list[DraftSummary]) -> None:
        """Straight into a blank report when there is no draft to offer."""
        self._drafts_loaded(drafts)
        if self.in_progress() or self.currentWidget() is not self.panel:
            return
        if drafts:
            focus_for_keys(self.panel.list)
        else:
            self.start_new()

    def start_new(self) -> None:
        self.wizard.start()
        self.setCurrentWidget(self.wizard)
        self.wizard.focus_page()

    def resume(self, draft_id: str) -> None:
        drafts = self.services.drafts
        reading = Operation(self, lambda: drafts.load(draft_id), name="draft.load").read_only()
        reading.success(self._resume_loaded).failure(self._drafts_failed).run()

    def _resume_loaded(self, draft: StoredDraft | None) -> None:
        if draft is None:
            self.load_drafts()
            return
        self.wizard.start(draft.id, draft.payload)
        self.setCurrentWidget(self.wizard)
        self.wizard.focus_page()

    def discard(self, draft_id: str) -> None:
        # The change hub's announcement reads the list again.
        discard_draft(self, self.services.drafts, draft_id).failure(self._drafts_failed).run()

    def _drafts_failed(self, _: Exception) -> None:
        self.setCurrentWidget(self.panel)
        self.panel.problem.setText("⚠ The drafts could not be read from the case database.")
        self.panel.problem.show()
