"""The lock: after the idle time the window shows only this, until the officer's PIN is given.
On first run the same screen asks the officer to choose a PIN."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.services.lock import (
    MAX_PIN_LENGTH,
    MIN_PIN_LENGTH,
    PIN_ADVICE,
    Lock,
    PinError,
    check_new_pin,
)
from asb_desktop.ui.operations.settings_ops import check_pin, set_pin

ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Any key, click, scroll or mouse movement anywhere in the app restarts the idle clock."""

    sig_idle = Signal()
    """No input for the configured time."""

    def __init__(self, minutes: int) -> None:
        super().__init__()
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.sig_idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.set_interval_ms(minutes * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        self.timer.setInterval(ms)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_PIN_LENGTH)
    field.setValidator(QRegularExpressionValidator(r"\d*"))
    field.setAccessibleName(name)
    field.setMaximumWidth(240)
    return field


class LockScreen(QWidget):
    sig_unlocked = Signal()
    """The right PIN was given (or a new PIN was chosen)."""

    def __init__(self, lock: Lock) -> None:
        super().__init__()
        self.lock = lock
        self.setting_up = False
        self.changing = False  # the current PIN first, then a new one
        outer = QVBoxLayout(self)
        outer.addStretch()
        self.heading = QLabel("ASB Desktop is locked")
        self.heading.setProperty("role", "heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.heading)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.explain)
        form = QFormLayout()
        self.pin = pin_field("PIN")
        self.again = pin_field("PIN again")
        self.pin_label = QLabel("&PIN:")
        self.pin_label.setBuddy(self.pin)
        self.again_label = QLabel("PIN &again:")
        self.again_label.setBuddy(self.again)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.again_label, self.again)
        holder = QWidget()
        holder.setLayout(form)
        holder.setMaximumWidth(420)
        outer.addWidget(holder, 0, Qt.AlignmentFlag.AlignHCenter)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setAccessibleName("Problem")
        outer.addWidget(self.error)
        self.button = QPushButton("&Unlock")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        outer.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch()
        self.pin.returnPressed.connect(self.submit)
        self.again.returnPressed.connect(self.submit)

    def ask_to_change(self) -> None:
        """Changing the PIN: the current one first, then the new one twice."""
        self.ask(setting_up=False)
        self.changing = True
        self.heading.setText("Change your PIN")
        self.explain.setText("Enter your current PIN first.")
        self.button.setText("&Next")

    def wait_for_first_run(self) -> None:
        """Behind the first-run walk-through: only a heading, no text for the walk-through to
        cover half of and no fields, until the walk-through is finished (or closed, when this
        screen asks for the PIN itself)."""
        self.changing = False
        self.setting_up = True
        self.heading.setText("Welcome to ASB Desktop")
        self.explain.clear()
        self.error.clear()
        for widget in (self.explain, self.pin, self.pin_label, self.again, self.again_label):
            widget.hide()
        self.button.hide()

    def ask(self, *, setting_up: bool) -> None:
        self.changing = False
        for widget in (self.explain, self.pin, self.pin_label, self.button):
            widget.show()
        self.setting_up = setting_up
        self.pin.clear()
        self.again.clear()
        self.error.clear()
        self.again.setVisible(setting_up)
        self.again_label.setVisible(setting_up)
        if setting_up:
            self.heading.setText("Choose a PIN")
            self.explain.setText(
                f"Choose a PIN of {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits. ASB Desktop locks "
                "itself when left idle, hiding all case data, and this PIN unlocks it. "
                + PIN_ADVICE
            )
            self.button.setText("&Set PIN")
        else:
            self.heading.setText("ASB Desktop is locked")
            self.explain.setText("Case data is hidden. Enter your PIN to carry on.")
            self.button.setText("&Unlock")
        self.button.setEnabled(True)
        self.pin.setFocus()

    def submit(self) -> None:
        pin = self.pin.text()
        lock = self.lock
        if self.setting_up:
            try:
                check_new_pin(pin)
            except PinError as error:
                self.error.setText("⚠ " + str(error))
                self.pin.clear()  # a new PIN is typed twice afresh
                self.again.clear()
                self.pin.setFocus()
                return
            if pin != self.again.text():
                self.error.setText("⚠ The two PINs are not the same.")
                return
            self.button.setEnabled(False)
            set_pin(self, lock, pin).success(self._accepted).failure(self._set_failed).run()
        else:
            self.button.setEnabled(False)
            check_pin(self, lock, pin).success(self._checked).failure(self._set_failed).run()

    def _checked(self, ok: bool) -> None:
        self.button.setEnabled(True)
        if ok and self.changing:
            self.ask(setting_up=True)
            self.heading.setText("Choose a new PIN")
        elif ok:
            self._accepted(None)
        else:
            self.pin.clear()
            self.error.setText("⚠ That PIN is not right. Try again.")
            self.pin.setFocus()

    def _accepted(self, _: object) -> None:
        self.pin.clear()
        self.again.clear()
        self.error.clear()
        self.sig_unlocked.emit()

    def _set_failed(self, error: Exception) -> None:
        self.button.setEnabled(True)
        self.error.setText(
            "⚠ "
            + (
                str(error)
                if isinstance(error, PinError)
                else "The PIN could not be checked against the case database."
            )
        )
