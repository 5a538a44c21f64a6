"""The sync client's connection: kept alive between calls, and never waiting on Nagle.

A request goes out as two writes (headers, then body). With Nagle's algorithm on, the body
waits until the headers are acknowledged, and the server delays that acknowledgement (about
40 ms on Linux) on a connection past its first few packets: every push on a reused connection
stalled by that much (issue 17; `benchmarks/bench_sync.py` prints the stall check). The socket
must have TCP_NODELAY set, and the connection must be the same one from call to call.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx

from tests.sync.sync_support import Laptop, Server


def _socket_of(response: httpx.Response) -> socket.socket:
    found: socket.socket = response.extensions["network_stream"].get_extra_info("socket")
    return found


def test_the_sync_connection_is_reused_and_sends_without_delay(
    central: Server, laptop_factory: Callable[..., Laptop]
) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    laptop.record(1, estate="EST-NORTH")
    assert laptop.sync.sync().ok
    engine = laptop.sync.engine
    settings = engine.settings()
    assert settings is not None
    http = engine.client(settings)._http
    first = _socket_of(http.get("/health"))
    assert first.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    assert laptop.sync.sync().ok  # a sync with nothing to do, on the same connection
    second = _socket_of(http.get("/health"))
    assert second.getsockname() == first.getsockname()
    assert second.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
