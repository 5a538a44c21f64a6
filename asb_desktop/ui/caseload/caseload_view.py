"""The caseload screen: filters (mine, overdue, serious, scheme, open/closed), search, the table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.case import CaseState, Severity
from asb_desktop.domain.directory import Directory
from asb_desktop.store.cases import CaseFilter
from asb_desktop.ui.caseload.caseload_model import COLUMNS, CaseloadModel
from asb_desktop.ui.summaries.list_summaries_dialog import SummariesDialog
from asb_desktop.ui.widgets import combo

STATES = [
    (CaseState.OPEN.value, "Open cases"),
    (CaseState.CLOSED.value, "Closed cases"),
    (None, "All cases"),
]


class CaseloadScreen(QWidget):
    sig_open_case = Signal(str)
    """The officer opened a case (its id) from the table."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.officer: str | None = None
        self.total = 0
        self.summaries: SummariesDialog | None = None
        layout = QVBoxLayout(self)
        heading = QLabel("Caseload")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)

        bar = QHBoxLayout()
        search_label = QLabel("&Search:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Names, addresses, places, descriptions (Ctrl+F)")
        self.search.setAccessibleName("Search cases")
        self.search.setClearButtonEnabled(True)
        search_label.setBuddy(self.search)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 2)
        self.state = combo(STATES)
        self.state.setAccessibleName("Which cases")
        bar.addWidget(self.state)
        self.mine = QCheckBox("&Mine")
        self.overdue = QCheckBox("O&verdue")
        self.serious = QCheckBox("Se&rious")
        for box in (self.mine, self.overdue, self.serious):
            bar.addWidget(box)
        scheme_label = QLabel("Sc&heme:")
        self.scheme = combo([(None, "Any")])
        self.scheme.setAccessibleName("Supported scheme")
        scheme_label.setBuddy(self.scheme)
        bar.addWidget(scheme_label)
        bar.addWidget(self.scheme)
        layout.addLayout(bar)

        self.count = QLabel("Loading the caseload…")
        self.count.setAccessibleName("How many cases are shown")
        layout.addWidget(self.count)

        self.model = CaseloadModel(services)
        self.table = QTableView()
        self.table.setAccessibleName("Cases")
        self.table.setModel(self.model)
        # Indicator first: enabling sorting sorts by it at once, which the model, already in
        # that order, takes as no change (no wasted read of 100,000 cases at start-up).
        self.table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        widths = (140, 190, 90, 170, 340, 90)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open_index)
        layout.addWidget(self.table, 1)
        open_row = QHBoxLayout()
        self.open_button = QPushButton("&Open selected case")
        self.open_button.clicked.connect(self.open_selected)
        open_row.addWidget(QLabel("Enter or double-click opens a case."))
        open_row.addStretch()
        self.summaries_button = QPushButton("Summaries of this &list…")
        self.summaries_button.setToolTip("Case summary PDFs of every case this filter shows.")
        self.summaries_button.clicked.connect(self.print_list)
        open_row.addWidget(self.summaries_button)
        open_row.addWidget(self.open_button)
        layout.addLayout(open_row)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.open_selected)

        self.search_timer = QTimer(self, singleShot=True, interval=250)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self.search_timer.start())
        for box in (self.mine, self.overdue, self.serious):
            box.toggled.connect(self.apply_filter)
        self.state.currentIndexChanged.connect(self.apply_filter)
        self.scheme.currentIndexChanged.connect(self.apply_filter)
        self.model.sig_total.connect(self._show_total)
        self.model.sig_failed.connect(self.count.setText)
        self.set_officer(None)

    def set_officer(self, staff_id: str | None) -> None:
        self.officer = staff_id
        self.mine.setEnabled(staff_id is not None)
        self.mine.setToolTip("" if staff_id else "Choose who you are in Settings first.")

    def set_directory(self, directory: Directory) -> None:
        chosen = self.scheme.currentData()
        self.scheme.blockSignals(True)
        self.scheme.clear()
        self.scheme.addItem("Any", None)
        for scheme in directory.schemes:
            self.scheme.addItem(scheme.name, scheme.code)
        self.scheme.setCurrentIndex(max(self.scheme.findData(chosen), 0))
        self.scheme.blockSignals(False)

    def current_filter(self) -> CaseFilter:
        sort = self.model.where.sort
        descending = self.model.where.descending
        return CaseFilter(
            assigned_to=self.officer if self.mine.isChecked() and self.officer else None,
            overdue_at=self.services.casework.clock() if self.overdue.isChecked() else None,
            severity=Severity.SERIOUS.value if self.serious.isChecked() else None,
            supported_scheme=self.scheme.currentData(),
            state=self.state.currentData(),
            search=self.search.text().strip() or None,
            sort=sort,
            descending=descending,
        )

    def apply_filter(self) -> None:
        self.search_timer.stop()
        self.count.setText("Searching…" if self.search.text().strip() else "Loading…")
        self.model.set_filter(self.current_filter())

    def refresh(self) -> None:
        """Read the caseload again (a case changed); the filter and sort stay as they are."""
        self.model.set_filter(self.current_filter())

    def _show_total(self, total: int) -> None:
        self.total = total
        noun = "case" if total == 1 else "cases"
        self.count.setText(f"{total:,} {noun} match" + ("es" if total == 1 else ""))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_open_case.emit(self.model.case_id(index.row()))

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._open_index(rows[0])

    def print_list(self) -> SummariesDialog:
        """The summaries dialog for the cases the current filter shows (not modal)."""
        if self.summaries is not None and self.summaries.running:
            self.summaries.raise_()
            return self.summaries
        self.summaries = SummariesDialog(self.services, self.current_filter(), self.total, self)
        self.summaries.show()
        return self.summaries

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()


_ = COLUMNS
