"""Keyboard rules for the whole application, and the words to check them with.

An officer presses Alt and a letter to jump to a field or press a button. When no label or
button on screen has that letter, Qt hands the key press to the focused field, and a text box
types the letter into the name or statement being taken. `install_keyboard_rules` puts one
event filter on the application that drops such a key press instead; it is installed where the
QApplication is made (`ui/launch.py`'s `set_up_application`, and the UI tests' conftest).

`mnemonic_clashes` lists the letters that more than one visible label or button of a window
claims: the tests use it on every page and dialog.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabBar, QWidget

_NOT_ALT_ALONE = (
    Qt.KeyboardModifier.ControlModifier  # Ctrl+Alt is AltGr on Windows: it types ł, €, ő…
    | Qt.KeyboardModifier.MetaModifier
)


def is_stray_alt_key(event: QKeyEvent) -> bool:
    """Alt with a key that would type a character: it reaches a widget only when no mnemonic or
    shortcut took it, so it must not type."""
    modifiers = event.modifiers()
    if not modifiers & Qt.KeyboardModifier.AltModifier or modifiers & _NOT_ALT_ALONE:
        return False
    text = event.text()
    return bool(text) and text.isprintable()


class AltLetterGuard(QObject):
    """Drops an Alt+letter that no mnemonic matched, before any widget can type it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return is_stray_alt_key(event)
        return False


_guards: dict[int, AltLetterGuard] = {}


def install_keyboard_rules(app: QApplication) -> AltLetterGuard | None:
    """Install the Alt+letter guard once on this application. On macOS, Option (which Qt calls
    Alt) is how accented letters are typed and Mac apps have no mnemonics, so it stays off."""
    if sys.platform == "darwin":
        return None
    guard = _guards.get(id(app))
    if guard is None:
        guard = AltLetterGuard(app)
        app.installEventFilter(guard)
        _guards[id(app)] = guard
    return guard


def focus_for_keys(widget: QWidget) -> None:
    """Put the focus where the officer goes on typing, drawn as after a key press (Qt draws the
    focus frame of a tick box, choice or button only once the keyboard has moved the focus),
    without selecting what a field holds: the next key adds to it, never replaces it."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)  # Qt clears the window's flag here, so:
    window = widget.window()
    if window is not None:
        window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    focus = QApplication.focusWidget()
    (focus or widget).update()


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" ("&&" is a literal ampersand), lower case, or None."""
    index = 0
    while (index := text.find("&", index)) != -1:
        following = text[index + 1 : index + 2]
        if following != "&":
            return following.lower() or None
        index += 2
    return None


def visible_mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Every mnemonic letter shown in this window and what claims it (the text, & and all).

    Counted: buttons, check boxes and radio buttons, labels (a label with "&" and no buddy is
    claimed under "no buddy", since Qt would draw the "&"), group box titles and tab titles.
    Only what is on screen counts, as Qt does: a hidden page's mnemonics are not live."""
    found: dict[str, list[str]] = defaultdict(list)
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        if widget.window() is not window or not widget.isVisible():
            continue
        texts: list[str] = []
        if isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.RichText:
            letter = mnemonic(widget.text())
            if letter and widget.buddy() is None:
                found["no buddy"].append(widget.text())
                continue
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
        for text in texts:
            letter = mnemonic(text)
            if letter:
                found[letter].append(text)
    return dict(found)


def mnemonic_clashes(window: QWidget) -> dict[str, list[str]]:
    """The letters claimed more than once in this window (and labels missing a buddy)."""
    return {
        letter: texts
        for letter, texts in visible_mnemonics(window).items()
        if len(texts) > 1 or letter == "no buddy"
    }
