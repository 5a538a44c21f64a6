"""A table of figures: each cell that holds a count carries what it counts (a `Slice`), and
Return, Enter or a double-click on it asks for the cases behind it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from asb_desktop.domain.team_figures import Slice

FIGURE = Qt.ItemDataRole.UserRole


class FigureTable(QTableWidget):
    sig_figure = Signal(object, str)  # the Slice, and the figure in words

    def __init__(self, name: str, headings: Sequence[str]) -> None:
        super().__init__(0, len(headings))
        self.setAccessibleName(name)
        self.setHorizontalHeaderLabels(list(headings))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.cellActivated.connect(self._activated)
        self.cellDoubleClicked.connect(self._activated)

    def set_rows(self, rows: Sequence[Sequence[tuple[str, Slice | None, str]]]) -> None:
        """Each row's cells: (text, what it counts or None, the figure in words)."""
        self.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for column, (text, where, words) in enumerate(cells):
                item = QTableWidgetItem(text)
                if where is not None:
                    item.setData(FIGURE, (where, words))
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                    item.setToolTip(f"{words}: press Return to list the cases")
                self.setItem(r, column, item)
        self.fit_height()
        if rows and self.currentRow() < 0:
            self.setCurrentCell(0, min(1, self.columnCount() - 1))
        if not self.hasFocus():
            self.clearSelection()  # shown once the table has the keys

    def fit_height(self) -> None:
        """Wide and tall enough for every cell: the screen scrolls, never the table inside it."""
        self.resizeColumnsToContents()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(height + 2)
        width = sum(self.columnWidth(c) for c in range(self.columnCount()))
        self.setMinimumWidth(width + 2 * self.frameWidth() + 2)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def figure_at(self, row: int, column: int) -> tuple[Slice, str] | None:
        item = self.item(row, column)
        found = item.data(FIGURE) if item is not None else None
        return found if isinstance(found, tuple) else None

    def _activated(self, row: int, column: int) -> None:
        found = self.figure_at(row, column)
        if found is not None:
            self.sig_figure.emit(*found)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        item = self.currentItem()
        if item is not None:
            item.setSelected(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Only the table with the keys shows its chosen cell: with a highlighted cell in every
        table, nothing said which one Return would open. The cell is kept for coming back."""
        super().focusOutEvent(event)
        self.clearSelection()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self._activated(self.currentRow(), self.currentColumn())
            return
        super().keyPressEvent(event)
