"""A guard against a PySide6 6.12.0 fault on CPython 3.11: calls into Qt give back references
to None (every C++ method returning nothing: setText, setVisible, toggle, …) and, more rarely,
to True/False, that they never took. After enough calls (typing a long report is enough) a count
reaches zero and Python aborts with "none_dealloc" or "bool_dealloc", at once or at exit. From
3.12 None, True and False are immortal (PEP 683) and none of this can happen.

On 3.11 the guard raises the counts of those three never-freed constants far above anything a
session can spend, and checks from a timer that they stay there. Remove it once PySide6 is fixed
or the desktop requires Python 3.12.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QTimer

NEEDED = sys.version_info < (3, 12)
LOW_WATER = 1 << 30
RAISE_TO = 1 << 40  # no session makes a trillion calls
CHECK_EVERY_MS = 10_000

_timer: QTimer | None = None


def top_up() -> None:
    for constant in (None, True, False):
        if sys.getrefcount(constant) < LOW_WATER:
            # The count is the first field of every CPython object; these three are static
            # objects that are never freed, so a high count costs nothing.
            ctypes.c_ssize_t.from_address(id(constant)).value += RAISE_TO


def install() -> None:
    """Once per process, on the GUI thread (the timer lives there)."""
    global _timer
    if not NEEDED or _timer is not None:
        return
    top_up()
    _timer = QTimer()
    _timer.setInterval(CHECK_EVERY_MS)
    _timer.timeout.connect(top_up)
    _timer.start()
