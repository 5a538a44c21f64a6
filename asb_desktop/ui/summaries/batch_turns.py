"""A batch of summaries on a worker thread without stalling the window.

The worker and the GUI thread share one interpreter lock. A thread that wants it waits for the
holder's turn to end, five milliseconds by default, and the GUI thread wants it several times
for every event it hands to Python (each Qt call from a slot lets it go and takes it back):
with a batch running, that added up to 25-50 ms gaps in the event loop. For the batch's
length, turns are 1 ms. And the documents the batch has read are kept out of the cycle
collector's young generations (`gc.freeze`): the window collects on the GUI thread
(ui/garbage.py), and walking 500 freshly read documents there stalled it for 100-250 ms;
they are freed by reference counting as always, and handed back to the collector at the end.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TURN_S = 0.001


@contextmanager
def responsive_batch() -> Iterator[Callable[[], None]]:
    """Short turns for the batch's length; yields `settle`, to call once the documents are
    read (it moves every object alive then out of the collector's young generations)."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, TURN_S))
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
        sys.setswitchinterval(previous)
