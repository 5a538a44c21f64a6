"""Python's cycle collector paused while a page of rows, documents or a summary is made.

The collector runs each time 700 more containers (dicts, lists, tuples) are alive than before,
and each run walks every container still young. Reading a page of stored documents, or building
a summary, makes tens of thousands of them, all alive until the page or file is written and
then freed by reference counting, so without a pause most of an export's CPU (and a tenth of a
summary's) went on collections that found nothing: orjson read a document in 11 µs with the
collector paused, 55 µs without.

Nested and threaded pauses share one: the collector comes back, in the state it was in before
the first, when the last ends. The window turns automatic collection off for good
(`ui/garbage.py`); there a pause changes nothing.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"depth": 0, "was_enabled": False}


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside (only for work that makes no cycles worth collecting
    meanwhile); a collection that fell due runs at the next allocation after."""
    with _lock:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_enabled"]:
                gc.enable()
