"""One small form per workspace action: labelled fields, an error said in words, and the
action run on the writer thread. A refused action keeps everything typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.domain.errors import InputError, ProcedureError
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.operations.case_ops import case_action
from asb_desktop.ui.widgets import DateTimeField, add_row, banner, combo, get_value, text_box


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "line"  # line | text | check | choice | moment
    options: Sequence[tuple[Any, str]] = field(default_factory=tuple)
    hint: str | None = None
    faults: Sequence[str] = ()
    """Words of a refusal that are about this field: focus goes to it when the action is
    refused with a sentence containing one of them (case ignored)."""


def _input(spec: Field) -> QWidget:
    if spec.kind == "text":
        return text_box(4)
    if spec.kind == "check":
        return QCheckBox(spec.label)
    if spec.kind == "choice":
        return combo(spec.options)
    if spec.kind == "moment":
        return DateTimeField()
    return QLineEdit()


def moment(value: Any) -> datetime:
    """A date-and-time field's value (kept as ISO text in the dialog's values) as a moment."""
    return datetime.fromisoformat(value)


def user_sentence(error: Exception) -> str:
    if isinstance(error, ProcedureError | InputError):
        return str(error)
    return "The case database could not be written; nothing was changed."


class ActionDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        name: str,
        title: str,
        fields: Sequence[Field],
        submit: Callable[[dict[str, Any]], Any],
        on_done: Callable[[Any], None],
        submit_text: str = "&Save",
        intro: str | None = None,
        now: datetime | None = None,
        live: Callable[[dict[str, Any]], str] | None = None,
    ) -> None:
        """`live`: words worked out from the values as the officer chooses (a score), shown
        under the form and said again on every change of a choice."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.name = name
        """The action's code word in the log ("case.first_response")."""
        self.submit = submit
        self.on_done = on_done
        layout = QVBoxLayout(self)
        if intro:
            layout.addWidget(banner(intro, role="info"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.inputs: dict[str, QWidget] = {}
        self.fields = tuple(fields)
        for spec in fields:
            widget = _input(spec)
            if isinstance(widget, DateTimeField) and now is not None:
                widget.set_moment(now)
            if spec.kind == "check":
                widget.setAccessibleName(spec.label)
                form.addRow(widget)
            else:
                add_row(form, spec.label, widget, hint=spec.hint)
            self.inputs[spec.key] = widget
        layout.addLayout(form)
        self.live = QLabel()
        self.live.setWordWrap(True)
        self.live.setAccessibleName("Worked out")
        self.live.setVisible(live is not None)
        layout.addWidget(self.live)
        if live is not None:
            follow = live

            def refresh() -> None:
                self.live.setText(follow(self.values()))

            for widget in self.inputs.values():
                if isinstance(widget, QComboBox):
                    widget.currentIndexChanged.connect(refresh)
            refresh()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        self.error.setAccessibleName("Problem")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(submit_text)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("&Cancel")
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if self.fields:
            focus_for_keys(self.inputs[self.fields[0].key])

    def values(self) -> dict[str, Any]:
        return {key: get_value(widget) for key, widget in self.inputs.items()}

    def run(self) -> None:
        for widget in self.inputs.values():  # a date that cannot be read is never sent on
            if isinstance(widget, DateTimeField) and (problem := widget.problem()):
                self.error.setText(f"⚠ {widget.editor.accessibleName()}: {problem}")
                self.error.show()
                widget.setFocus()
                widget.make_room()
                return
        self.ok.setEnabled(False)
        values = self.values()
        work = case_action(self, lambda: self.submit(values), name=self.name)
        work.success(self._done).failure(self._failed).run()

    def _done(self, result: Any) -> None:
        self.on_done(result)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.ok.setEnabled(True)
        sentence = user_sentence(error)
        self.error.setText("⚠ " + sentence)
        self.error.show()
        at_fault = self.field_at_fault(sentence)
        focus_for_keys(at_fault)  # nothing typed is selected

    def field_at_fault(self, sentence: str) -> QWidget:
        """The field a refusal is about; else the first one left blank; else the first."""
        words = sentence.lower()
        for spec in self.fields:
            if any(fault.lower() in words for fault in spec.faults):
                return self.inputs[spec.key]
        for spec in self.fields:
            value = get_value(self.inputs[spec.key])
            if spec.kind in ("line", "text") and not str(value).strip():
                return self.inputs[spec.key]
        return self.inputs[self.fields[0].key]
