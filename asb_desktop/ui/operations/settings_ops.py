"""User actions on settings and the lock: who the officer is, nation, idle lock, directory, PIN."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject

from asb_desktop.services.lock import Lock
from asb_desktop.ui.changes import Changed
from asb_desktop.ui.operations import Operation

T = TypeVar("T")

# Settings decide who is who and when responses are due, so the caseload is read again too.
SETTINGS_CHANGED = Changed(cases=True, settings=True)


def change_setting(parent: QObject, work: Callable[[], T], *, name: str) -> Operation[T]:
    return Operation(parent, work, name=name, changes=SETTINGS_CHANGED)


def set_pin(parent: QObject, lock: Lock, pin: str) -> Operation[None]:
    # Nothing a screen shows depends on the PIN itself.
    return Operation(parent, lambda: lock.set_pin(pin), name="lock.set_pin", changes=Changed())


def check_pin(parent: QObject, lock: Lock, pin: str) -> Operation[bool]:
    return Operation(parent, lambda: lock.check(pin), name="lock.check_pin").read_only()
