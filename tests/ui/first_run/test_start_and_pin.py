"""First run and start, as an officer meets them: nothing of the lock screen drawn beside the
walk-through; the PIN page refuses what it says it refuses, in its own words; a passphrase that
is too short, typed differently twice or wrong is asked again with the reason, and Cancel
closes the app with a sentence. Real widgets, key events, a real encrypted store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget, QWizard
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.ui import launch
from asb_desktop.ui.first_run.first_run_wizard import FirstRunWizard
from asb_desktop.ui.launch import Cancelled, PassphraseDialog, open_with_prompt
from asb_desktop.ui.main_window import MainWindow
from tests.ui.driving import settle, type_text
from tests.ui.first_run.test_first_run import open_store, start

GOOD = "a long test passphrase"


@pytest.fixture
def fresh(data_dir: Path) -> Iterator[Services]:
    services = open_store(data_dir)
    yield services
    services.close()


def shown_words(window: MainWindow) -> list[str]:
    """Every label of the window's own body (the status bar aside) a person can see."""
    status = window.statusBar()
    return [
        label.text()
        for label in window.findChildren(QLabel)
        if label.window() is window
        and label.isVisibleTo(window)
        and label.text()
        and not status.isAncestorOf(label)
    ]


def active(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=30_000)


def alt(qtbot: QtBot, widget: QWidget, letter: str, until: Callable[[], bool]) -> None:
    """Alt+letter; a button so reached is pressed a moment later (Qt animates the click)."""
    target = QApplication.focusWidget() or widget
    key = getattr(Qt.Key, f"Key_{letter.upper()}")
    qtbot.keyClick(target, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(until, timeout=30_000)
    settle(qtbot)


def test_nothing_of_the_lock_screen_is_drawn_beside_the_walk_through(
    qtbot: QtBot, fresh: Services
) -> None:
    window = start(qtbot, fresh)
    assert window.first_run is not None and window.first_run.isVisible()
    assert shown_words(window) == ["Welcome to ASB Desktop"]  # was: the PIN text, its "it." showing
    window.first_run.reject()  # closed early: the lock screen asks for the PIN itself
    assert window.lock_screen.pin.isVisibleTo(window) and window.lock_screen.setting_up
    assert any("Choose a PIN of 4 to 12 digits" in words for words in shown_words(window))
    window.close()
    settle(qtbot)


def test_the_pin_page_refuses_what_it_says_it_refuses(qtbot: QtBot, fresh: Services) -> None:
    window = start(qtbot, fresh)
    wizard = window.first_run
    assert isinstance(wizard, FirstRunWizard)
    active(qtbot, wizard)
    assert QApplication.focusWidget() is wizard.who.name, "the first question, not Next"
    alt(qtbot, wizard, "n", until=lambda: wizard.currentPage() is wizard.pin)  # Next, not Name
    advice = wizard.pin.advice.text()
    for pin, words in (
        ("1234", "digits counting up or down (such as 1234 or 9876)"),
        ("9876", "digits counting up or down (such as 1234 or 9876)"),
        ("1111", "the same digit repeated (such as 1111)"),
    ):
        assert words in advice, "the page says it first"
        type_text(wizard.pin.pin, pin)
        type_text(wizard.pin.again, pin)
        wizard.pin.error.clear()
        alt(qtbot, wizard, "n", until=lambda: bool(wizard.pin.error.text()))
        assert wizard.currentPage() is wizard.pin, f"{pin} was accepted"
        assert words in wizard.pin.error.text()
        assert wizard.pin.pin.text() == wizard.pin.again.text() == "", "typed afresh"
        assert QApplication.focusWidget() is wizard.pin.pin
    type_text(wizard.pin.pin, "5791")
    type_text(wizard.pin.again, "5791")
    alt(qtbot, wizard, "n", until=lambda: wizard.currentPage() is wizard.key)
    with qtbot.waitSignal(wizard.sig_done, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).setFocus()
        qtbot.keyClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.Key.Key_Space)
    settle(qtbot)
    assert fresh.lock.check("5791") and not fresh.lock.check("1234")
    active(qtbot, window)
    assert QApplication.focusWidget() is window.caseload.search, "ready to find a case"
    window.close()
    settle(qtbot)


def press_return(qtbot: QtBot, dialog: PassphraseDialog) -> None:
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)


def test_a_short_or_mismatched_passphrase_is_asked_again_with_the_reason(qtbot: QtBot) -> None:
    dialog = PassphraseDialog(creating=True)
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.text
    type_text(dialog.text, "too short")
    press_return(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.problem.text() == (
        "⚠ A passphrase is at least 10 characters long; this one is 9 characters. Type it again."
    )
    dialog.text.clear()
    type_text(dialog.text, GOOD)
    type_text(dialog.again, GOOD + "!")
    press_return(qtbot, dialog)
    assert dialog.isVisible() and "not the same" in dialog.problem.text()
    assert QApplication.focusWidget() is dialog.again and dialog.again.text() == ""
    type_text(dialog.again, GOOD)
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        press_return(qtbot, dialog)
    assert dialog.passphrase() == GOOD


def when_asked(qtbot: QtBot, steps: list[Callable[[QWidget], bool]]) -> list[str]:
    """Answer the modal dialogs the code under test opens, one step each, as they appear;
    a step returns True once it has answered its dialog. Returns the problems shown."""
    seen: list[str] = []
    timer = QTimer(QApplication.instance(), interval=10)  # owned by Qt, never by the GC

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or not steps or not modal.isVisible():
            return
        if isinstance(modal, PassphraseDialog):
            seen.append(modal.problem.text())
        if steps[0](modal):
            steps.pop(0)
        if not steps:
            timer.stop()
            timer.deleteLater()

    timer.timeout.connect(poll)
    timer.start()
    return seen


def answer(text: str, again: str | None = None) -> Callable[[QWidget], bool]:
    def step(modal: QWidget) -> bool:
        assert isinstance(modal, PassphraseDialog)
        modal.text.clear()
        type_text(modal.text, text)
        if again is not None:
            modal.again.clear()
            type_text(modal.again, again)
        QTimer.singleShot(0, lambda: press_return(qtbot_for_steps[0], modal))
        return True

    return step


qtbot_for_steps: list[QtBot] = []


def cancel(modal: QWidget) -> bool:
    assert isinstance(modal, PassphraseDialog)
    qtbot_for_steps[0].keyClick(modal, Qt.Key.Key_Escape)
    return True


def close_message(modal: QWidget) -> bool:
    assert isinstance(modal, QMessageBox)
    said.append(modal.text())
    modal.accept()
    return True


said: list[str] = []


@pytest.fixture
def no_keyring(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    qtbot_for_steps[:] = [qtbot]
    said.clear()


def test_start_asks_again_until_the_passphrase_is_right_and_cancel_quits_cleanly(
    qtbot: QtBot, data_dir: Path, no_keyring: None, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = when_asked(qtbot, [answer("too short"), answer(GOOD, GOOD)])
    services = open_with_prompt(data_dir)  # a new store: chosen, typed twice
    assert services is not None
    services.close()
    assert seen[0] == "" and seen[1].startswith("⚠ A passphrase is at least 10 characters")

    seen = when_asked(qtbot, [answer("the wrong passphrase"), answer(GOOD)])
    services = open_with_prompt(data_dir)  # opening it: a wrong one is asked again
    assert services is not None
    services.close()
    assert seen[1] == "⚠ " + launch.WRONG_PASSPHRASE

    when_asked(qtbot, [cancel])
    with pytest.raises(Cancelled):
        open_with_prompt(data_dir)

    when_asked(qtbot, [cancel, close_message])
    assert launch.run_gui(data_dir) == 0  # Cancel: a clean exit, said in a sentence
    assert said == [launch.CANCELLED]
    assert launch.CANCELLED in capsys.readouterr().err
