"""Form pieces shared by the screens: labelled fields with an error line beside them, radio
choices, and repeating cards (people involved, witnesses). Values are plain Python, so a page's
whole state is a dict that can be kept as a draft and put back."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.ui.date_time_field import DateTimeField as DateTimeField  # pages import it here
from asb_desktop.ui.keyboard import focus_for_keys

ERROR_PREFIX = "⚠ "  # the words carry the meaning; the colour only helps


def plain(label: str) -> str:
    return label.replace("&", "").rstrip(":").strip()


class ChoiceGroup(QWidget):
    """Radio buttons for one choice; value() is the chosen option's data or None.

    One stop in the Tab order (the chosen option, or the first while none is), and the arrow
    keys move through the options and choose the one they land on, as on Windows: the first
    arrow in a group with nothing chosen chooses too, rather than moving focus silently. A
    label's Alt+letter (the group as its buddy) lands on the same option Tab would."""

    sig_changed = Signal()
    """The choice changed."""

    def __init__(self, options: Sequence[tuple[str, str]], *, name: str, vertical: bool = True):
        super().__init__()
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a buddy; Tab stops at an option
        layout: QVBoxLayout | QHBoxLayout = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for value, text in options:
            button = QRadioButton(text)
            button.setAccessibleName(f"{name}: {plain(text)}")
            button.installEventFilter(self)
            self.group.addButton(button)
            self.buttons[value] = button
            layout.addWidget(button)
        if not vertical:
            layout.addStretch()
        self.group.buttonToggled.connect(self._toggled)
        self._one_stop()

    def options(self) -> list[QRadioButton]:
        return list(self.buttons.values())

    def stop(self) -> QRadioButton:
        """The option Tab and the label's Alt+letter land on."""
        return next((b for b in self.options() if b.isChecked()), self.options()[0])

    def _one_stop(self) -> None:
        stop = self.stop()
        for button in self.options():
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if button is stop else Qt.FocusPolicy.ClickFocus
            )

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The label's Alt+letter (or a click beside the options) lands on the stop."""
        self.stop().setFocus(event.reason())

    def _toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._one_stop()
            self.sig_changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        step = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Left: -1,
        }.get(Qt.Key(event.key()))
        options = self.options()
        modifiers = event.modifiers()
        plain_key = modifiers in (Qt.KeyboardModifier.NoModifier, _KEYPAD)
        if step is None or watched not in options or not plain_key:
            return False
        target = options[(options.index(watched) + step) % len(options)]
        target.setChecked(True)
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def value(self) -> str | None:
        return next((v for v, b in self.buttons.items() if b.isChecked()), None)

    def set_value(self, value: str | None) -> None:
        if value in self.buttons:
            self.buttons[value].setChecked(True)


_KEYPAD = Qt.KeyboardModifier.KeypadModifier


def get_value(widget: QWidget) -> Any:
    if isinstance(widget, ChoiceGroup | CardList | CheckList):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, DateTimeField):
        return widget.value()  # None when what is typed cannot be read: the form refuses it
    raise TypeError(type(widget).__name__)


def set_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, ChoiceGroup):
        widget.set_value(value)
    elif isinstance(widget, CardList | CheckList):
        widget.set_value(value if isinstance(value, list) else [])
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(value or "")
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value or "")
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        widget.setCurrentIndex(max(index, 0))
    elif isinstance(widget, DateTimeField):
        widget.set_value(value)


def changed_signal(widget: QWidget) -> Any:
    if isinstance(widget, ChoiceGroup | CardList | CheckList | DateTimeField):
        return widget.sig_changed
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    raise TypeError(type(widget).__name__)


class FieldRow(QWidget):
    """An input with its error line right under it, so the problem is said beside the field."""

    def __init__(self, field: QWidget, hint: str | None = None) -> None:
        super().__init__()
        # As tall as the field wants and no taller: spare height on a page goes below the form,
        # not into a gap around a text box that cannot grow.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        self.field = field
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setProperty("role", "hint")
            layout.addWidget(note)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        self.error.hide()
        layout.addWidget(self.error)

    def show_error(self, message: str | None) -> None:
        self.error.setText(ERROR_PREFIX + message if message else "")
        self.error.setVisible(bool(message))
        description = message or ""
        self.field.setAccessibleDescription(description)


def add_row(
    form: QFormLayout, label: str, field: QWidget, *, hint: str | None = None
) -> tuple[QLabel, FieldRow]:
    """A labelled row: the label is the field's buddy (Alt+key) and its accessible name."""
    caption = QLabel(label)
    caption.setWordWrap(len(label) > 40)
    caption.setBuddy(field)
    if not field.accessibleName():
        field.setAccessibleName(plain(label))
    row = FieldRow(field, hint)
    form.addRow(caption, row)
    return caption, row


def text_box(lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 14)
    box.setMaximumHeight(box.fontMetrics().lineSpacing() * (lines + 3) + 14)
    return box


def combo(options: Sequence[tuple[Any, str]]) -> QComboBox:
    box = QComboBox()
    for value, text in options:
        box.addItem(text, value)
    return box


class CheckList(QGroupBox):
    """Any number of options ticked (vulnerabilities, kinds of ASB); value() is the ticked
    options' data, in the order offered. The title's Alt+letter lands on the first option.

    One stop in the Tab order (the first option), as a choice group is: the arrow keys move
    between the options (Up and Down by rows of the grid), Space ticks or unticks."""

    sig_changed = Signal()
    """An option was ticked or unticked."""

    def __init__(
        self, title: str, options: Sequence[tuple[str, str]], *, name: str, columns: int = 3
    ) -> None:
        super().__init__(title)
        self.setAccessibleName(name)
        grid = QGridLayout(self)
        self.columns = columns
        self.boxes: dict[str, QCheckBox] = {}
        for index, (value, text) in enumerate(options):
            box = QCheckBox(text)
            box.setAccessibleName(f"{name}: {plain(text)}")
            box.toggled.connect(lambda *_: self.sig_changed.emit())
            if index:
                box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # reached by the arrows
            box.installEventFilter(self)
            self.boxes[value] = box
            grid.addWidget(box, index // columns, index % columns)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            steps = {
                Qt.Key.Key_Left: -1,
                Qt.Key.Key_Right: 1,
                Qt.Key.Key_Up: -self.columns,
                Qt.Key.Key_Down: self.columns,
            }
            step = steps.get(Qt.Key(event.key()))
            boxes = list(self.boxes.values())
            if step is not None and watched in boxes:
                index = boxes.index(watched) + step
                if 0 <= index < len(boxes):
                    boxes[index].setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    def options(self) -> list[QCheckBox]:
        return list(self.boxes.values())

    def value(self) -> list[str]:
        return [value for value, box in self.boxes.items() if box.isChecked()]

    def set_value(self, values: Sequence[str]) -> None:
        for value, box in self.boxes.items():
            blocked = box.blockSignals(True)
            box.setChecked(value in values)
            box.blockSignals(blocked)
        self.sig_changed.emit()


class CardList(QWidget):
    """Zero or more people (involved, witnesses), each a small form of its own."""

    sig_changed = Signal()
    """A card was added, removed or edited."""
    sig_cards_changed = Signal()
    """A card was added or removed: the Tab order must be laid again."""

    def __init__(
        self,
        fields: Sequence[tuple[str, str, str]],
        *,
        noun: str,
        add_text: str,
        plural: str | None = None,
        choices: dict[str, Sequence[tuple[str, str]]] | None = None,
        placeholders: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.fields = fields  # (key, label, kind: "line" | "text" | "check" | "checks")
        self.choices = choices or {}  # a "checks" field's options
        self.placeholders = placeholders or {}  # a line's example, shown while it is empty
        self.noun = noun
        self.cards: list[tuple[QGroupBox, dict[str, QWidget]]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel(
            f"No {plural or noun + 's'} added yet. Use “{plain(add_text)}” if there are any."
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.holder = QVBoxLayout()
        layout.addLayout(self.holder)
        self.add_button = QPushButton(add_text)
        self.add_button.setAccessibleName(plain(add_text))
        self.add_button.clicked.connect(lambda: self.add_card(focus=True))
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch()
        layout.addLayout(row)

    def add_card(self, values: dict[str, Any] | None = None, *, focus: bool = False) -> None:
        number = len(self.cards) + 1
        box = QGroupBox(f"{self.noun.capitalize()} {number}")
        form = QFormLayout(box)
        inputs: dict[str, QWidget] = {}
        for key, label, kind in self.fields:
            field: QWidget
            if kind == "check":
                field = QCheckBox(label)
                field.setAccessibleName(f"{self.noun.capitalize()} {number}: {label}")
                form.addRow(field)
            elif kind == "checks":
                field = CheckList(
                    label, self.choices[key], name=f"{self.noun.capitalize()} {number}: {label}"
                )
                form.addRow(field)
            else:
                field = text_box(2) if kind == "text" else QLineEdit()
                if isinstance(field, QLineEdit) and key in self.placeholders:
                    field.setPlaceholderText(self.placeholders[key])
                field.setAccessibleName(f"{self.noun.capitalize()} {number}: {plain(label)}")
                caption = QLabel(label)
                caption.setBuddy(field)
                form.addRow(caption, field)
            set_value(field, (values or {}).get(key))
            changed_signal(field).connect(lambda *_: self.sig_changed.emit())
            inputs[key] = field
        remove = QPushButton(f"Remove {self.noun} {number}")
        remove.setAccessibleName(f"Remove {self.noun} {number}")
        remove.clicked.connect(lambda: self.remove_card(box))
        remove_row = QHBoxLayout()  # as wide as its words, like the other buttons
        remove_row.addWidget(remove)
        remove_row.addStretch(1)
        form.addRow(remove_row)
        box.setProperty("remove_button", remove)
        self.holder.addWidget(box)
        self.cards.append((box, inputs))
        self.sig_cards_changed.emit()
        self.empty.setVisible(False)
        if focus:
            focus_for_keys(next(iter(inputs.values())))
        self.sig_changed.emit()

    def remove_card(self, box: QGroupBox) -> None:
        kept = [(b, i) for b, i in self.cards if b is not box]
        values = [{k: get_value(w) for k, w in i.items()} for _, i in kept]
        self.set_value(values)
        focus_for_keys(self.add_button)
        self.sig_changed.emit()

    def value(self) -> list[dict[str, Any]]:
        return [{k: get_value(w) for k, w in inputs.items()} for _, inputs in self.cards]

    def set_value(self, items: list[dict[str, Any]]) -> None:
        for box, _ in self.cards:
            self.holder.removeWidget(box)
            box.deleteLater()
        self.cards = []
        blocked = self.blockSignals(True)
        for item in items:
            self.add_card(item if isinstance(item, dict) else {})
        self.blockSignals(blocked)
        self.empty.setVisible(not self.cards)


def focus_chain(layout: QLayout) -> list[QWidget]:
    """The widgets Tab should visit, in the order the layout shows them."""
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget = item.widget()
        inner: QLayout | None = item.layout()
        if isinstance(widget, ChoiceGroup | CheckList):  # every option: the stop moves with it
            found += widget.options()
            continue
        if widget is not None:
            focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            if focusable and not isinstance(widget, QScrollArea):
                found.append(widget)
            inner = widget.layout()
            if isinstance(widget, QScrollArea):
                content = widget.widget()
                inner = content.layout() if content is not None else None
        if inner is not None:
            found += focus_chain(inner)
    return found


def set_tab_order(chain: Sequence[QWidget]) -> None:
    for first, second in itertools.pairwise(chain):
        QWidget.setTabOrder(first, second)


def banner(text: str = "", *, role: str = "info") -> QLabel:
    """A sentence the officer must read (routing, a 5.x notice); never colour alone."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("role", role)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setFrameShape(QLabel.Shape.StyledPanel)
    label.setMargin(8)
    return label
