"""The caseload screen: filters (mine, overdue, serious, scheme, open/closed), search, the table.

Used from the keyboard as much as the mouse: Ctrl+F (or Alt+S) to search, Down to the table,
Alt+T to choose the order (the column headings sort too, for a mouse), and Enter opens the
highlighted case; the first row is highlighted whenever the list loads, so a search then Enter
opens its first match.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.case_management import AsbType
from asb_desktop.domain.case_states import CaseState, Severity
from asb_desktop.domain.directory import Directory
from asb_desktop.store.caseload_page import CaseFilter, SortKey
from asb_desktop.ui.caseload.caseload_model import (
    COLUMNS,
    DUE_COLUMN,
    CaseloadModel,
    column,
    column_of,
)
from asb_desktop.ui.widgets import combo
from asb_desktop.ui.words import label

if TYPE_CHECKING:  # the summaries dialog is loaded when first asked for, not at start
    from datetime import datetime

    from asb_desktop.domain.calendar import WorkingDayCalendar
    from asb_desktop.store.first_page import FirstPage
    from asb_desktop.ui.summaries.list_summaries_dialog import SummariesDialog

STATES = [
    (CaseState.OPEN.value, "Open cases"),
    (CaseState.CLOSED.value, "Closed cases"),
    (None, "All cases"),
]

# Every order the caseload can be in, as words; the first is how it starts. Both directions of
# each sortable column are here, so whatever a click on a heading chose is one of them.
SORTS: list[tuple[SortKey, bool, str]] = [
    (SortKey.RESPONSE_DUE, False, "Response due, soonest first"),
    (SortKey.RESPONSE_DUE, True, "Response due, latest first"),
    (SortKey.RECEIVED, True, "Received, newest first"),
    (SortKey.RECEIVED, False, "Received, oldest first"),
    (SortKey.SEVERITY, True, "Severity, serious first"),
    (SortKey.SEVERITY, False, "Severity, general first"),
    (SortKey.REFERENCE, False, "Reference, first to last"),
    (SortKey.REFERENCE, True, "Reference, last to first"),
    (SortKey.ASSIGNED_TO, False, "Assigned to, by staff id"),
    (SortKey.ASSIGNED_TO, True, "Assigned to, by staff id, reversed"),
    (SortKey.STATE, True, "Status, open first"),
    (SortKey.STATE, False, "Status, closed first"),
]

# Starting widths of the columns in average characters of the table's font (the officer may
# drag them); "Latest incident" takes the rest. Rows are two lines tall and cells wrap at spaces,
# so "Mon 23 Nov 2026, 10:00" and "overdue by 12 working days (Mon 16 Nov 2026, 17:00)" each
# take two lines and every column fits a 1280-pixel-wide screen.
WIDTHS = {
    "Reference": 20,  # ASB-2026-000123 on one line
    "Complainant": 21,
    "Place": 15,
    "Received": 19,  # "Wed 01 Jan 2025," then the time
    "Severity": 13,  # the heading and its sort arrow
    "Risk": 11,  # "Not assessed"
    "Assigned to": 17,
    "Response due": 36,  # "overdue by 483 working days" in bold on the first line
    "Status": 9,
}
ROW_LINES = 2


def fitted_combo(options: Sequence[tuple[object, str]], name: str) -> QComboBox:
    """A drop-down as wide as its longest entry, whatever the row around it would rather."""
    box = combo(options)
    box.setAccessibleName(name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    box.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    return box


class _DownToTable(QObject):
    """Down in the search box moves to the table (its first row is already highlighted)."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.table.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False


class CaseloadScreen(QWidget):
    sig_open_case = Signal(str)
    """The officer opened a case (its id) from the table."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.officer: str | None = None
        self.total = 0
        self.summaries: SummariesDialog | None = None
        self._keep_case: str | None = None  # the highlighted case, kept across a reload
        self._open_when_loaded = False  # Enter was pressed in the search before its answer came
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
        self.state = fitted_combo(STATES, "Which cases")
        bar.addWidget(self.state)
        self.mine = QCheckBox("&Mine")
        self.overdue = QCheckBox("O&verdue")
        self.serious = QCheckBox("Se&rious")
        for box in (self.mine, self.overdue, self.serious):
            bar.addWidget(box)
        scheme_label = QLabel("Sc&heme:")
        self.scheme = fitted_combo([(None, "Any")], "Supported scheme")
        scheme_label.setBuddy(self.scheme)
        bar.addWidget(scheme_label)
        bar.addWidget(self.scheme)
        layout.addLayout(bar)

        under = QHBoxLayout()
        self.count = QLabel("Loading the caseload…")
        self.count.setAccessibleName("How many cases are shown")
        under.addWidget(self.count)
        under.addStretch()
        self.actions_overdue = QCheckBox("&Actions overdue")
        self.actions_overdue.setToolTip("Open cases with an action of the plan past its date.")
        under.addWidget(self.actions_overdue)
        kind_label = QLabel("&Kind of ASB:")
        kinds = [(None, "Any"), *((kind.value, label(kind.value)) for kind in AsbType)]
        self.kind = fitted_combo(kinds, "Kind of ASB")
        kind_label.setBuddy(self.kind)
        under.addWidget(kind_label)
        under.addWidget(self.kind)
        sort_label = QLabel("Sor&t by:")
        self.sort = fitted_combo([(n, text) for n, (_, _, text) in enumerate(SORTS)], "Sort by")
        sort_label.setBuddy(self.sort)
        under.addWidget(sort_label)
        under.addWidget(self.sort)
        layout.addLayout(under)

        self.model = CaseloadModel(services)
        self.table = QTableView()
        self.table.setAccessibleName("Cases")
        self.table.setModel(self.model)
        # Indicator first: enabling sorting sorts by it at once, which the model, already in
        # that order, takes as no change (no wasted read of 100,000 cases at start-up).
        self.table.horizontalHeader().setSortIndicator(DUE_COLUMN, Qt.SortOrder.AscendingOrder)
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
        average = self.table.fontMetrics().averageCharWidth()
        for index, (title, _) in enumerate(COLUMNS):
            if title in WIDTHS:
                self.table.setColumnWidth(index, WIDTHS[title] * average)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().lineSpacing() * ROW_LINES + 10)
        header.setSectionResizeMode(column("Latest incident"), QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(50)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
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
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.open_selected)
        self.search.returnPressed.connect(self._search_entered)
        self.search.installEventFilter(_DownToTable(self.table))

        self.search_timer = QTimer(self, singleShot=True, interval=250)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_edited)
        for box in (self.mine, self.overdue, self.serious, self.actions_overdue):
            box.toggled.connect(self.apply_filter)
        self.state.currentIndexChanged.connect(self.apply_filter)
        self.kind.currentIndexChanged.connect(self.apply_filter)
        self.scheme.currentIndexChanged.connect(self.apply_filter)
        self.model.sig_total.connect(self._show_total)
        self.model.sig_failed.connect(self._failed)
        self.model.sig_loaded.connect(self._loaded)
        self.sort.currentIndexChanged.connect(self._sort_chosen)
        header.sortIndicatorChanged.connect(self._sort_indicator_moved)
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
            actions_overdue_at=(
                self.services.casework.clock() if self.actions_overdue.isChecked() else None
            ),
            asb_type=self.kind.currentData(),
            severity=Severity.SERIOUS.value if self.serious.isChecked() else None,
            supported_scheme=self.scheme.currentData(),
            state=self.state.currentData(),
            search=self.search.text().strip() or None,
            sort=sort,
            descending=descending,
        )

    def apply_filter(self) -> None:
        self.search_timer.stop()
        # A status column says something only when open and closed cases are both listed.
        self.table.setColumnHidden(column("Status"), self.state.currentData() is not None)
        self._keep_case = None  # a new filter, search or order: its first row is highlighted
        self.count.setText("Searching…" if self.search.text().strip() else "Loading…")
        self.model.set_filter(self.current_filter())

    def show_first_page(
        self, first: FirstPage, calendar: WorkingDayCalendar, now: datetime
    ) -> None:
        """`apply_filter` at start, with the first page already read (store/first_page.py:
        the same rows the store would give for this screen's starting filter)."""
        from asb_desktop.store.first_page import FIRST_FILTER

        if self.current_filter() != FIRST_FILTER:  # not the page read: read the screen's own
            self.apply_filter()
            return
        self.set_directory(first.directory)
        self.table.setColumnHidden(column("Status"), self.state.currentData() is not None)
        self._keep_case = None
        self.count.setText("Loading…")
        self.model.show_first_page(
            first.rows, first.directory, calendar, now, self.current_filter()
        )

    def refresh(self) -> None:
        """Read the caseload again (a case changed); the filter, sort and highlighted case stay
        as they are."""
        index = self.table.currentIndex()
        self._keep_case = self.model.case_id(index.row()) if index.isValid() else None
        self.model.set_filter(self.current_filter())

    def _show_total(self, total: int) -> None:
        self.total = total
        noun = "case" if total == 1 else "cases"
        self.count.setText(f"{total:,} {noun} match" + ("es" if total == 1 else ""))

    # --- the order ----------------------------------------------------------------------------

    def _sort_chosen(self, choice: int) -> None:
        """Sort by chose an order: the heading's indicator shows it, and that sorts the model."""
        if choice < 0:
            return
        key, descending, _ = SORTS[choice]
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(column_of(key), order)

    def _sort_indicator_moved(self, section: int, order: Qt.SortOrder) -> None:
        """A heading was clicked (or Sort by moved the indicator): Sort by says the same; a
        column the caseload cannot sort by gets no indicator."""
        key = COLUMNS[section][1]
        where = self.model.where
        if key is None:
            back = Qt.SortOrder.DescendingOrder if where.descending else Qt.SortOrder.AscendingOrder
            self.table.horizontalHeader().setSortIndicator(column_of(where.sort), back)
            return
        descending = order == Qt.SortOrder.DescendingOrder
        choice = next(n for n, (k, d, _) in enumerate(SORTS) if (k, d) == (key, descending))
        if self.sort.currentIndex() != choice:
            self.sort.blockSignals(True)
            self.sort.setCurrentIndex(choice)
            self.sort.blockSignals(False)

    # --- the highlighted row and opening it ------------------------------------------------

    def _loaded(self, rows: int) -> None:
        """A page arrived: highlight the first row (after a refresh, the case that was
        highlighted, if it is still listed), so Enter always has a case to open."""
        if rows and not self.table.currentIndex().isValid():
            ids = [line.case_id for line in self.model.lines]
            row = ids.index(self._keep_case) if self._keep_case in ids else 0
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        if self._open_when_loaded and not self.model.first_page_pending:
            self._open_when_loaded = False
            self.open_selected()

    def _search_edited(self, _text: str) -> None:
        self._open_when_loaded = False  # an Enter before these keys was for other words
        self.search_timer.start()

    def _failed(self, sentence: str) -> None:
        self._open_when_loaded = False
        self.count.setText(sentence)

    def _search_entered(self) -> None:
        """Enter in the search box opens the first match, once the search has answered."""
        if self.search_timer.isActive():
            self.apply_filter()
        if self.model.first_page_pending:
            self._open_when_loaded = True
        else:
            self.open_selected()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_open_case.emit(self.model.case_id(index.row()))

    def open_selected(self) -> None:
        """Open the highlighted case (the first row, until the officer moves)."""
        self._open_index(self.table.currentIndex())

    def print_list(self) -> SummariesDialog:
        """The summaries dialog for the cases the current filter shows (not modal)."""
        if self.summaries is not None and self.summaries.running:
            self.summaries.raise_()
            return self.summaries
        from asb_desktop.ui.summaries.list_summaries_dialog import SummariesDialog

        self.summaries = SummariesDialog(self.services, self.current_filter(), self.total, self)
        self.summaries.show()
        return self.summaries

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
