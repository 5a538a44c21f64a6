"""The cases behind one figure: a list, newest first; Return opens the chosen case's workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.team_figures import RISK_LABELS
from asb_desktop.domain.wording import counted
from asb_desktop.store.team_figures import FigureCase
from asb_desktop.ui.words import case_label

CASE_ID = Qt.ItemDataRole.UserRole


class CaseTable(QTableWidget):
    sig_open = Signal(str)

    def case_id(self, row: int) -> str:
        item = self.item(row, 0)
        return str(item.data(CASE_ID)) if item is not None else ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.sig_open.emit(self.case_id(self.currentRow()))
            return
        super().keyPressEvent(event)


class CaseListDialog(QDialog):
    sig_open_case = Signal(str)

    def __init__(
        self,
        words: str,
        found: list[FigureCase],
        total: int,
        names: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Cases: {words}")
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        heading = QLabel(words)
        heading.setProperty("role", "subheading")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        shown = counted(total, "case")
        if len(found) < total:
            shown += f"; the newest {len(found):,} are listed"
        self.summary = QLabel(f"{shown}. Press Return to open the chosen case.")
        self.summary.setProperty("role", "hint")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = CaseTable(len(found), 6)
        self.table.setAccessibleName(f"Cases: {words}")
        self.table.setHorizontalHeaderLabels(
            ["Reference", "Received", "Officer", "Severity", "State", "Risk"]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, case in enumerate(found):
            cells = (
                case_label(case.reference, case.id),  # as the caseload names it
                case.received_at.astimezone(LONDON).strftime("%-d %b %Y %H:%M"),
                names.get(case.assigned_to or "", "Not assigned"),
                case.severity.capitalize(),
                case.state.capitalize(),
                RISK_LABELS.get(case.risk_level or "none", case.risk_level or ""),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(CASE_ID, case.id)
                self.table.setItem(row, column, item)
        if found:
            self.table.selectRow(0)
        self.table.sig_open.connect(self._open)
        self.table.cellDoubleClicked.connect(lambda r, _c: self._open(self.table.case_id(r)))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.setFocus()

    def case_ids(self) -> list[str]:
        return [self.table.case_id(r) for r in range(self.table.rowCount())]

    def _open(self, case_id: str) -> None:
        self.accept()
        self.sig_open_case.emit(case_id)
