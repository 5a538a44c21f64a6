"""The cycle collector's pause (export, list and summaries): the collector comes back in the
state it was in, after nested and overlapping pauses on two threads."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from asb_desktop.support.collector import paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_pause_ends_with_the_collector_on_again(collector_on: None) -> None:
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is not over
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_overlapping_pauses_on_two_threads_share_one(collector_on: None) -> None:
    inside, leave = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other() -> None:
        with paused():
            inside.set()
            leave.wait(10)
            seen.append(gc.isenabled())

    thread = threading.Thread(target=other)
    with paused():
        thread.start()
        assert inside.wait(10)
    # This thread's pause is over, the other's is not: still off for it.
    assert not gc.isenabled()
    leave.set()
    thread.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_a_failure_inside_still_ends_the_pause(collector_on: None) -> None:
    with pytest.raises(ValueError), paused():
        raise ValueError("inside")
    assert gc.isenabled()
