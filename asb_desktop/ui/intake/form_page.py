"""What every page of the New report guide shares: bound fields, values, problems shown inline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from asb_desktop.domain.directory import Directory
from asb_desktop.ui.intake.report_case import Missing
from asb_desktop.ui.widgets import (
    FieldRow,
    add_row,
    changed_signal,
    focus_chain,
    get_value,
    set_value,
)


class IntakePage(QWidget):
    title = ""
    intro = ""

    sig_changed = Signal()
    """Something on this page was typed, ticked or chosen."""

    def __init__(self, directory: Directory) -> None:
        super().__init__()
        self.directory = directory
        self.inputs: dict[str, QWidget] = {}
        self.rows: dict[str, FieldRow] = {}
        self.layout_ = QVBoxLayout(self)
        self.setMaximumWidth(1000)
        heading = QLabel(self.title)
        heading.setProperty("role", "heading")
        heading.setAccessibleName(self.title)
        self.layout_.addWidget(heading)
        if self.intro:
            intro = QLabel(self.intro)
            intro.setWordWrap(True)
            self.layout_.addWidget(intro)

    def form(self) -> QFormLayout:
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)
        return form

    def bind(self, key: str, widget: QWidget, row: FieldRow | None = None) -> QWidget:
        self.inputs[key] = widget
        if row is not None:
            self.rows[key] = row
        changed_signal(widget).connect(lambda *_: self.sig_changed.emit())
        return widget

    def field(
        self, form: QFormLayout, key: str, label: str, widget: QWidget, hint: str | None = None
    ) -> QWidget:
        _, row = add_row(form, label, widget, hint=hint)
        return self.bind(key, widget, row)

    def values(self) -> dict[str, Any]:
        return {key: get_value(widget) for key, widget in self.inputs.items()}

    def load(self, values: dict[str, Any]) -> None:
        for key, widget in self.inputs.items():
            if key in values:
                blocked = widget.blockSignals(True)
                set_value(widget, values[key])
                widget.blockSignals(blocked)

    def missing(self, values: dict[str, Any], now: datetime) -> list[Missing]:
        return []

    def show_problems(self, problems: list[Missing]) -> None:
        """Say each problem beside its field; nothing the officer typed is touched."""
        by_field = {p.field: p.message for p in problems}
        for key, row in self.rows.items():
            row.show_error(by_field.get(key))

    def first_input(self) -> QWidget | None:
        """Where the officer starts on arriving: the first field Tab would stop at."""
        for widget in focus_chain(self.layout_):
            usable = widget.isVisibleTo(self) and widget.isEnabled() and not widget.focusProxy()
            if usable and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                return widget
        return None

    def first_field(self, problems: list[Missing]) -> QWidget | None:
        for problem in problems:
            row = self.rows.get(problem.field)
            if row is not None:
                return row.field
        return None

    def refresh(self, values: dict[str, Any]) -> None:
        """Show or hide what depends on the answers so far (the whole form's values)."""

    def set_directory(self, directory: Directory) -> None:
        self.directory = directory
