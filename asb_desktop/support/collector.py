"""Python's cycle collector paused while a page of rows or documents is made.

The collector runs each time 700 more containers (dicts, lists, tuples) are alive than before,
and each run walks every container still young. Reading a page of stored documents makes tens of
thousands of them, all alive until the page is written, so without a pause most of an export's
CPU went on collections that found nothing (a page of parsed JSON holds no cycles): orjson read
a document in 11 µs with the collector paused, 55 µs without.

The window turns automatic collection off for good (`ui/garbage.py`); there `paused` does
nothing, and it never turns collection on that it did not turn off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside (only for work that makes no cycles); a collection that
    fell due meanwhile runs at the next allocation after."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
