"""The Sync page: what is waiting to go, what the central store refused and why, and field
conflicts to settle side by side, one choice per field. Data comes from the sync service through
the background helper; the page never touches the store or the network itself."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.domain.wording import counted
from asb_desktop.sync.outbox_review import (
    DEVICE,
    SERVER,
    CaseConflicts,
    GivenUp,
    OutboxItem,
    SyncOverview,
    value_in_words,
)
from asb_desktop.sync.status_words import SyncSummary, in_words
from asb_desktop.sync.sync_run import SyncProgress
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.operations.sync_ops import give_up_refused, resolve_conflict, retry_refused
from asb_desktop.ui.sync.sync_controller import SyncController


def _table(headings: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headings))
    table.setHorizontalHeaderLabels(headings)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    # The case reference and the time are never cut ("ASB-2025-00…" names no case): those
    # columns are as wide as their longest entry; the last column (the reason) takes the rest.
    for column in range(len(headings) - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    table.setWordWrap(True)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setVisible(False)
    return table


MOST_ROWS_SHOWN = 8  # a longer list scrolls inside its table, so the conflicts stay in reach


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    _fit_height(table)


def _fit_height(table: QTableWidget) -> None:
    """As tall as its rows (one empty row's worth when empty, at most MOST_ROWS_SHOWN rows), so
    two short lists do not push the conflicts below the window's edge."""
    table.resizeRowsToContents()
    shown = range(min(max(table.rowCount(), 1), MOST_ROWS_SHOWN))
    rows = sum(table.rowHeight(r) if r < table.rowCount() else 30 for r in shown)
    scroll = table.horizontalScrollBar().sizeHint().height()
    height = table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + scroll
    table.setFixedHeight(height)


def field_label(field: str) -> str:
    if field.startswith("incidents["):
        return "An incident"
    if "[" in field:
        return f"An entry in {field.split('[', 1)[0].replace('_', ' ')}"
    return field.replace("_", " ").capitalize()


def _plain(text: str, *, wrap: bool = True) -> QLabel:
    """A label that shows text as typed: a case's words are never read as rich text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


# Why a case must leave this laptop (store/purge.py's reasons), for the refused list.
LEAVING = {
    "reassigned": "Yes: handed to another officer",
    "employee": "Yes: now involves an employee (5.9)",
    "access": "Yes: no longer yours to see",
    "removed": "Yes: no longer kept centrally",
    "closed": "Yes: closed longer than the period",
}


def leaving_words(item: OutboxItem) -> str:
    if item.leaving is None:
        return "No"
    return LEAVING.get(item.leaving, LEAVING["access"])


def _no_mnemonic(text: str) -> str:
    return text.replace("&", "&&")


class ConflictBox(QGroupBox):
    """One case's conflicting fields: both values, each with who set it and on which device,
    and a choice per field for whoever may make it (the central store says who)."""

    def __init__(self, case: CaseConflicts, on_save: Callable[..., None]) -> None:
        super().__init__(f"{case.label}: changed in two places at once")
        self.case = case
        self.setAccessibleName(f"Conflicts on {case.label}")
        grid = QGridLayout(self)
        headings = ("Field", "Kept on the central store", "Not kept", "")
        for column, text in enumerate(headings):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.choices: dict[int, QButtonGroup] = {}
        self.sources: dict[int, tuple[QLabel, QLabel]] = {}
        by_id = {choice.conflict.id: choice for choice in case.choices}
        for row, conflict in enumerate(case.fields, start=1):
            name = field_label(conflict.field)
            grid.addWidget(QLabel(name), row, 0, alignment=Qt.AlignmentFlag.AlignTop)
            choice = by_id.get(conflict.id)
            sides = (
                (conflict.server_value, choice.kept if choice else None, "kept"),
                (conflict.device_value, choice.other if choice else None, "not kept"),
            )
            labels = []
            for column, (value, source, which) in enumerate(sides, start=1):
                cell = QVBoxLayout()
                cell.addWidget(_plain(value_in_words(value)))
                if source is not None:
                    said = _plain(f"{source.words()}.")
                    said.setProperty("role", "note")
                    said.setAccessibleName(f"{name}: who set the value {which}")
                    cell.addWidget(said)
                    labels.append(said)
                cell.addStretch()
                grid.addLayout(cell, row, column)
            if len(labels) == 2:
                self.sources[conflict.id] = (labels[0], labels[1])
            if choice is not None and not choice.may_settle:
                continue
            keep_words = f"Keep {choice.kept.owner()}" if choice else "Keep the kept value"
            use_words = f"Use {choice.other.owner()}" if choice else "Use the other value"
            keep = QRadioButton(_no_mnemonic(keep_words))
            use = QRadioButton(_no_mnemonic(use_words))
            if choice is not None:
                keep.setAccessibleName(f"{name}: keep the value {choice.kept.words().lower()}")
                use.setAccessibleName(f"{name}: use the value {choice.other.words().lower()}")
            group = QButtonGroup(self)
            group.addButton(keep)
            group.addButton(use)
            keep.setProperty("choice", SERVER)
            use.setProperty("choice", DEVICE)
            pair = QVBoxLayout()
            pair.addWidget(keep)
            pair.addWidget(use)
            pair.addStretch()
            grid.addLayout(pair, row, 3)
            self.choices[conflict.id] = group
        self.waiting: QLabel | None = None
        self.save = QPushButton("Save choices")
        self.save.setAccessibleName(f"Save choices for {case.label}")
        self.save.clicked.connect(on_save)
        last = len(case.fields) + 1
        if self.choices:
            grid.addWidget(self.save, last, 3)
        else:
            self.save.setVisible(False)
            words = case.who_settles or "You cannot choose between these values."
            self.waiting = _plain(f"{words} Both values are kept until then.")
            self.waiting.setAccessibleName(f"Who may settle {case.label}")
            grid.addWidget(self.waiting, last, 0, 1, 4)

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
        self.failed = _table(
            ["Case", "Changed", "Must leave this laptop", "Why"], "Refused changes"
        )
        self.retry_button = QPushButton("Send selected &again")
        # A refused change keeps its case here although the case must leave: the officer may
        # give the change up (after a question), and the case then leaves at once.
        self.give_up_button = QPushButton("&Give up this change")
        self.give_up_button.setToolTip(
            "For a case that must leave this laptop: drop its refused change (not sent), and "
            "let the case go"
        )
        self.give_up_button.setEnabled(False)
        self.give_up_hint = _plain(
            "A case that must leave this laptop stays while it has a refused change: choose the "
            "change in the list, then Give up this change (Alt+G) to let the case go, or Send "
            "selected again once it has been put right."
        )
        self.give_up_hint.setVisible(False)
        self.conflicts_title = QLabel("Conflicts to settle")
        self.conflicts_area = QVBoxLayout()
        self.no_conflicts = QLabel("No conflicts.")
        for part in (self.waiting_title, self.waiting, self.failed_title, self.failed):
            self.body.addWidget(part)
        refused_actions = QHBoxLayout()
        refused_actions.addWidget(self.retry_button)
        refused_actions.addWidget(self.give_up_button)
        refused_actions.addStretch()
        self.body.addLayout(refused_actions)
        self.body.addWidget(self.give_up_hint)
        self.body.addWidget(self.conflicts_title)
        self.body.addWidget(self.no_conflicts)
        self.body.addLayout(self.conflicts_area)
        self.body.addStretch()
        self.boxes: list[ConflictBox] = []
        self.overview: SyncOverview | None = None
        self.sync_button.clicked.connect(controller.sync_now)
        self.stop_button.clicked.connect(controller.cancel)
        self.retry_button.clicked.connect(self._retry)
        self.give_up_button.clicked.connect(self._give_up)
        self.failed.itemSelectionChanged.connect(self._selection_changed)
        self.failed.currentCellChanged.connect(lambda *_cells: self._selection_changed())
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
            self.failed,
            [
                [i.label, in_words(i.queued_at), leaving_words(i), i.reason or ""]
                for i in overview.failed
            ],
        )
        self.give_up_hint.setVisible(any(item.leaving for item in overview.failed))
        self._selection_changed()
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

    def _chosen_refused(self) -> list[OutboxItem]:
        if self.overview is None:
            return []
        rows = sorted({index.row() for index in self.failed.selectedIndexes()})
        if not rows and self.failed.currentRow() >= 0:  # reached by Tab: the row under the cursor
            rows = [self.failed.currentRow()]
        return [self.overview.failed[r] for r in rows if r < len(self.overview.failed)]

    def _selection_changed(self) -> None:
        leaving = [item for item in self._chosen_refused() if item.leaving is not None]
        self.give_up_button.setEnabled(bool(leaving))

    def _give_up(self) -> None:
        items = [item for item in self._chosen_refused() if item.leaving is not None]
        if not items:
            return
        which = items[0].label if len(items) == 1 else counted(len(items), "case")
        question = QMessageBox(self)
        question.setObjectName("give_up_question")
        question.setIcon(QMessageBox.Icon.Warning)
        question.setWindowTitle("Give up this change?")
        question.setText(f"Give up the refused change to {which}?")
        question.setInformativeText(
            "The central store refused it, so it was never sent. Given up, it is not sent, the "
            "case then leaves this laptop, and what you typed in that change is lost. This "
            "cannot be undone."
        )
        give_up = question.addButton("&Give up the change", QMessageBox.ButtonRole.DestructiveRole)
        keep = question.addButton("&Keep it", QMessageBox.ButtonRole.RejectRole)
        question.setDefaultButton(keep)
        question.setEscapeButton(keep)
        question.finished.connect(
            lambda _result: self._gave_up_asked(question.clickedButton() is give_up, items)
        )
        question.open()

    def _gave_up_asked(self, confirmed: bool, items: list[OutboxItem]) -> None:
        if not confirmed:
            self.summary.setText("Nothing was given up.")
            return
        giving_up = give_up_refused(self, self.sync, [item.seq for item in items])
        giving_up.success(self._given_up).failure(self._problem).run()

    def _given_up(self, done: GivenUp) -> None:
        words = f"{counted(done.changes, 'refused change', 'refused changes')} given up"
        if done.removed:
            words += f"; {counted(done.removed, 'case')} removed from this laptop"
        self.summary.setText(words + ".")
        self.refresh()
        self.controller.refresh_status()

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
