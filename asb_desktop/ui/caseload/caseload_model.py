"""The caseload as a lazy table model: pages of 200 rows fetched off the GUI thread as the
officer scrolls, so 100,000 cases never load at once and the window never waits on the disk."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from asb_desktop.app import Services
from asb_desktop.domain.case_states import CaseState
from asb_desktop.domain.directory import Directory
from asb_desktop.domain.due_words import describe_due
from asb_desktop.store.caseload_page import CaseFilter, CaseRow, PageMark, SortKey
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.words import case_label, day, label, when

if TYPE_CHECKING:
    from asb_desktop.domain.calendar import WorkingDayCalendar

PAGE_SIZE = 200
# Each column's heading and what sorting by it sorts on (None: not sortable).
COLUMNS: tuple[tuple[str, SortKey | None], ...] = (
    ("Reference", SortKey.REFERENCE),
    ("Complainant", None),
    ("Place", None),
    ("Latest incident", None),
    ("Received", SortKey.RECEIVED),
    ("Severity", SortKey.SEVERITY),
    ("Risk", None),
    ("Assigned to", SortKey.ASSIGNED_TO),
    ("Response due", SortKey.RESPONSE_DUE),
    ("Status", SortKey.STATE),
)
ANONYMOUS = "Anonymous"
NO_NAME = "Name not given"
Index = QModelIndex | QPersistentModelIndex


def column(heading: str) -> int:
    """The column showing this heading."""
    return [title for title, _ in COLUMNS].index(heading)


def column_of(key: SortKey) -> int:
    """The column that sorts by this key."""
    return [sort for _, sort in COLUMNS].index(key)


DUE_COLUMN = column("Response due")
RISK_COLUMN = column("Risk")
RISK_WORDS = {"standard": "Standard", "medium": "Medium", "high": "⚠ High"}
# Cells that may be longer than their column: the whole text is their tooltip.
LONG_COLUMNS = frozenset({column("Complainant"), column("Place"), column("Latest incident")})


@dataclass(frozen=True)
class Line:
    """A caseload row as shown: every cell already in words."""

    case_id: str
    cells: tuple[str, ...]
    overdue: bool
    high_risk: bool = False


@dataclass(frozen=True)
class Page:
    generation: int
    lines: list[Line]
    total: int | None
    after: PageMark | None = None
    """The last row's place in the order: the next page starts after it (keyset)."""


def places_of(directory: Directory) -> dict[str, str]:
    """Estate and scheme codes to the names the directory gives them."""
    return {e.code: e.name for e in directory.estates} | {s.code: s.name for s in directory.schemes}


def place(row: CaseRow, places: dict[str, str]) -> str:
    """Where the case is: its supported scheme if it has one, else its estate, by name (the
    code only when the directory does not know it)."""
    code = row.supported_scheme or row.estate
    return places.get(code, code) if code else ""


def complainant(row: CaseRow) -> str:
    """Who reported it: never a name for an anonymous complainant (5.8)."""
    if row.anonymous:
        return ANONYMOUS
    return row.complainant_name or NO_NAME


def describe(
    row: CaseRow,
    names: dict[str, str],
    places: dict[str, str],
    now: datetime,
    services: Services,
    risk: str | None = None,
) -> Line:
    return describe_row(row, names, places, now, services.casework.calendar(), risk)


def describe_row(
    row: CaseRow,
    names: dict[str, str],
    places: dict[str, str],
    now: datetime,
    calendar: WorkingDayCalendar,
    risk: str | None = None,
) -> Line:
    """A caseload row in words, its deadlines counted in `calendar`'s working days."""
    if row.state != CaseState.OPEN.value:
        due = "closed"
        overdue = False
    elif row.responded_at is not None:
        met = row.responded_at <= row.response_due_at
        due = f"responded {day(row.responded_at)} ({'met' if met else 'missed'})"
        overdue = False
    else:
        words = describe_due(row.response_due_at, now, calendar)
        due = f"{words} ({when(row.response_due_at)})"
        overdue = now > row.response_due_at
    assigned = names.get(row.assigned_to or "", row.assigned_to or "awaiting assignment")
    return Line(
        case_id=row.id,
        cells=(
            case_label(row.reference, row.id),
            complainant(row),
            place(row, places),
            row.latest_incident or "",
            when(row.received_at),
            label(row.severity),
            RISK_WORDS.get(risk or "", "Not assessed"),
            assigned,
            due,
            label(row.state),
        ),
        overdue=overdue,
        high_risk=risk == "high",
    )


class CaseloadModel(QAbstractTableModel):
    sig_loaded = Signal(int)
    """A page arrived; carries the number of rows now shown."""
    sig_total = Signal(int)
    """The number of cases matching the filter is known."""
    sig_failed = Signal(str)
    """The caseload could not be read; carries a sentence for the officer."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.where = CaseFilter()
        self.lines: list[Line] = []
        self.total: int | None = None
        self._generation = 0
        self._fetching = False
        self._exhausted = False
        self._after: PageMark | None = None

    # --- what is shown ------------------------------------------------------------------------

    def set_filter(self, where: CaseFilter) -> None:
        """Start again from the first page with a new filter, search or sort."""
        self.where = where
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self.lines = []
        self.total = None
        self._exhausted = False
        self._fetching = False
        self._after = None
        self.endResetModel()
        self._fetch(count=True)

    def show_first_page(
        self,
        rows: list[CaseRow],
        directory: Directory,
        calendar: WorkingDayCalendar,
        now: datetime,
        where: CaseFilter,
    ) -> None:
        """The first page of `where`, read at start before the services were made
        (store/first_page.py): shown as a page read here would be; `sig_loaded` is the
        caller's to send once the window shows, and the count is read by `fetch_count`."""
        names = {s.id: s.name for s in directory.staff}
        places = places_of(directory)
        lines = [describe_row(r, names, places, now, calendar, r.risk_level) for r in rows]
        self.where = where
        self._generation += 1
        self.beginResetModel()
        self.lines = lines
        self.total = None
        self._fetching = False
        self._exhausted = len(rows) < PAGE_SIZE
        self._after = rows[-1].mark if rows else None
        self.endResetModel()

    def announce_loaded(self) -> None:
        """Say the page shown by `show_first_page` has arrived, as a page read here says it."""
        self.sig_loaded.emit(len(self.lines))

    def fetch_count(self) -> None:
        """Count the cases the filter shown matches (after `show_first_page`)."""
        generation, where, services = self._generation, self.where, self.services

        def total() -> Page:
            return Page(generation, [], services.casework.count_cases(where))

        counting = Operation(self, total, name="caseload.count").read_only()
        counting.success(self._counted).failure(self._failed).run()

    @property
    def first_page_pending(self) -> bool:
        """The first page of the filter shown is still being read."""
        return self._fetching and not self.lines

    def _fetch(self, *, count: bool = False) -> None:
        if self._fetching or self._exhausted:
            return
        self._fetching = True
        generation, where, after = self._generation, self.where, self._after
        services = self.services
        now = services.casework.clock()

        def page() -> Page:
            directory = services.casework.directory()
            names = {s.id: s.name for s in directory.staff}
            places = places_of(directory)
            # From where the page before ended, through the order's index: a page deep in the
            # caseload costs what the first does (no OFFSET counting past the rows before it).
            rows = services.casework.list_cases(where, after=after, limit=PAGE_SIZE)
            lines = [describe(r, names, places, now, services, r.risk_level) for r in rows]
            return Page(generation, lines, None, rows[-1].mark if rows else after)

        Operation(self, page, name="caseload.page").read_only().success(self._arrived).failure(
            self._failed
        ).run()
        if count:  # apart, so the first page never waits for the count
            self.fetch_count()

    def _arrived(self, page: Page) -> None:
        if page.generation != self._generation:
            return  # an answer to a filter no longer shown
        self._fetching = False
        if len(page.lines) < PAGE_SIZE:
            self._exhausted = True
        self._after = page.after
        if page.lines:
            start = len(self.lines)
            self.beginInsertRows(QModelIndex(), start, start + len(page.lines) - 1)
            self.lines.extend(page.lines)
            self.endInsertRows()
        self.sig_loaded.emit(len(self.lines))

    def _counted(self, page: Page) -> None:
        if page.generation == self._generation and page.total is not None:
            self.total = page.total
            self.sig_total.emit(page.total)

    def _failed(self, error: Exception) -> None:
        self._fetching = False
        self._exhausted = True
        self.sig_failed.emit("The caseload could not be read from the case database.")

    # --- Qt's model interface -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and bool(self.lines)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._fetch()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return line.cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in LONG_COLUMNS:
            return line.cells[index.column()] or None
        if role == Qt.ItemDataRole.UserRole:
            return line.case_id
        if role == Qt.ItemDataRole.FontRole and (
            (line.overdue and index.column() == DUE_COLUMN)
            or (line.high_risk and index.column() == RISK_COLUMN)
        ):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        key = COLUMNS[column][1]
        if key is None:
            return  # not a column the caseload sorts by (the screen puts the indicator back)
        if (key, descending) == (self.where.sort, self.where.descending):
            return  # the view repeats its sort when set up: no need to read the caseload again
        self.set_filter(replace(self.where, sort=key, descending=descending))

    def case_id(self, row: int) -> str:
        return self.lines[row].case_id
