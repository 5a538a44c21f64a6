"""The Sync page: what is waiting to go, what the central store refused and why, and field
conflicts to settle side by side, one choice per field. Data comes from the sync service through
the background helper; the page never touches the store or the network itself."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.sync.outbox_review import (
    DEVICE,
    SERVER,
    CaseConflicts,
    SyncOverview,
    value_in_words,
)
from asb_desktop.sync.status_words import SyncSummary, in_words
from asb_desktop.sync.sync_run import SyncProgress
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.operations.sync_ops import resolve_conflict, retry_refused
from asb_desktop.ui.sync.sync_controller import SyncController


def _table(headings: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headings))
    table.setHorizontalHeaderLabels(headings)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def field_label(field: str) -> str:
    if field.startswith("incidents["):
        return "An incident"
    if "[" in field:
        return f"An entry in {field.split('[', 1)[0].replace('_', ' ')}"
    return field.replace("_", " ").capitalize()


class ConflictBox(QGroupBox):
    """One case's conflicting fields: both values and a choice per field."""

    def __init__(self, case: CaseConflicts, on_save: Callable[..., None]) -> None:
        super().__init__(f"{case.label}: changed on the central store and on this laptop")
        self.case = case
        self.setAccessibleName(f"Conflicts on {case.label}")
        grid = QGridLayout(self)
        for column, text in enumerate(("Field", "On the central store", "On this laptop", "")):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        self.choices: dict[int, QButtonGroup] = {}
        for row, conflict in enumerate(case.fields, start=1):
            name = field_label(conflict.field)
            grid.addWidget(QLabel(name), row, 0)
            for column, value in ((1, conflict.server_value), (2, conflict.device_value)):
                shown = QLabel(value_in_words(value))
                shown.setWordWrap(True)
                grid.addWidget(shown, row, column)
            keep_server = QRadioButton("Keep central")
            keep_server.setAccessibleName(f"{name}: keep the central store's value")
            keep_mine = QRadioButton("Use mine")
            keep_mine.setAccessibleName(f"{name}: use this laptop's value")
            group = QButtonGroup(self)
            group.addButton(keep_server)
            group.addButton(keep_mine)
            keep_server.setProperty("choice", SERVER)
            keep_mine.setProperty("choice", DEVICE)
            pair = QHBoxLayout()
            pair.addWidget(keep_server)
            pair.addWidget(keep_mine)
            grid.addLayout(pair, row, 3)
            self.choices[conflict.id] = group
        self.save = QPushButton("Save choices")
        self.save.setAccessibleName(f"Save choices for {case.label}")
        self.save.clicked.connect(on_save)
        grid.addWidget(self.save, len(case.fields) + 1, 3)

    def chosen(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for conflict_id, group in self.choices.items():
            button = group.checkedButton()
            if button is not None:
                out[conflict_id] = str(button.property("choice"))
        return out


class SyncPage(QWidget):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.sync = controller.sync
        outer = QVBoxLayout(self)
        heading = QLabel("Sync with the central store")
        heading.setProperty("role", "heading")
        outer.addWidget(heading)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Sync summary")
        outer.addWidget(self.summary)
        actions = QHBoxLayout()
        self.sync_button = QPushButton("&Sync now")
        self.stop_button = QPushButton("S&top")
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Sync progress")
        self.progress.setVisible(False)
        for widget in (self.sync_button, self.stop_button, self.progress):
            actions.addWidget(widget)
        actions.addStretch()
        outer.addLayout(actions)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.waiting_title = QLabel("Waiting to be sent")
        self.waiting = _table(["Case", "Changed", "Attempts", "Last problem"], "Waiting changes")
        self.failed_title = QLabel("Refused by the central store")
        self.failed = _table(["Case", "Changed", "Why"], "Refused changes")
        self.retry_button = QPushButton("Send selected &again")
        self.conflicts_title = QLabel("Conflicts to settle")
        self.conflicts_area = QVBoxLayout()
        self.no_conflicts = QLabel("No conflicts.")
        for part in (self.waiting_title, self.waiting, self.failed_title, self.failed):
            self.body.addWidget(part)
        self.body.addWidget(self.retry_button)
        self.body.addWidget(self.conflicts_title)
        self.body.addWidget(self.no_conflicts)
        self.body.addLayout(self.conflicts_area)
        self.body.addStretch()
        self.boxes: list[ConflictBox] = []
        self.overview: SyncOverview | None = None
        self.sync_button.clicked.connect(controller.sync_now)
        self.stop_button.clicked.connect(controller.cancel)
        self.retry_button.clicked.connect(self._retry)
        controller.sig_started.connect(self._started)
        controller.sig_progress.connect(self._progress)
        controller.sig_finished.connect(self._finished)

    def refresh(self) -> None:
        reading = Operation(self, self.sync.overview, name="sync.overview").read_only()
        reading.success(self._show).failure(self._problem).run()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()

    def _show(self, overview: SyncOverview) -> None:
        self.overview = overview
        _fill(
            self.waiting,
            [
                [i.label, in_words(i.queued_at), str(i.attempts), i.reason or ""]
                for i in overview.waiting
            ],
        )
        _fill(
            self.failed, [[i.label, in_words(i.queued_at), i.reason or ""] for i in overview.failed]
        )
        self.waiting_title.setText(f"Waiting to be sent ({len(overview.waiting)})")
        self.failed_title.setText(f"Refused by the central store ({len(overview.failed)})")
        self.retry_button.setEnabled(bool(overview.failed))
        for box in self.boxes:
            box.setParent(None)
            box.deleteLater()
        self.boxes = []
        for case in overview.conflicts:
            box = ConflictBox(case, lambda _checked=False, c=case: self._save(c.case_id))
            self.conflicts_area.addWidget(box)
            self.boxes.append(box)
        self.no_conflicts.setVisible(not overview.conflicts)
        self.conflicts_title.setText(f"Conflicts to settle ({len(overview.conflicts)})")

    def box_for(self, case_id: str) -> ConflictBox | None:
        return next((b for b in self.boxes if b.case.case_id == case_id), None)

    def _save(self, case_id: str) -> None:
        box = self.box_for(case_id)
        if box is None:
            return
        choices = box.chosen()
        if len(choices) != len(box.choices):
            self.summary.setText("⚠ Choose a value for every field of the case first.")
            return
        box.save.setEnabled(False)
        settling = resolve_conflict(self, self.sync, case_id, choices)
        settling.success(lambda _: self._saved()).failure(self._problem).run()

    def _saved(self) -> None:
        self.summary.setText("Your choices are saved and go to the central store at the next sync.")
        self.refresh()
        self.controller.refresh_status()

    def _retry(self) -> None:
        if self.overview is None:
            return
        rows = sorted({index.row() for index in self.failed.selectedIndexes()})
        seqs = [self.overview.failed[r].seq for r in rows] or [i.seq for i in self.overview.failed]
        retrying = retry_refused(self, self.sync, seqs)
        retrying.success(lambda _: self._saved()).failure(self._problem).run()

    def _problem(self, error: Exception) -> None:
        self.summary.setText("⚠ The sync list could not be read or saved; nothing was changed.")

    def _started(self) -> None:
        self.sync_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.summary.setText("Syncing…")

    def _progress(self, progress: SyncProgress) -> None:
        if progress.stage == "sending":
            total = progress.done + progress.remaining
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(progress.done)
            self.summary.setText(f"Sending: {progress.done} of {total}…")
        else:
            self.summary.setText(f"Receiving: {progress.done} cases…")

    def _finished(self, summary: SyncSummary) -> None:
        self.sync_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.progress.setVisible(False)
        self.summary.setText("\n".join(summary.lines()))
        self.refresh()
