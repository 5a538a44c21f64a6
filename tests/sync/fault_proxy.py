"""A small HTTP/1.1 proxy on 127.0.0.1 that misbehaves on purpose, between laptop and server.

Per request a plan picks what happens: pass it on, drop the connection before forwarding,
answer 500 itself, delay it (past the client's timeout), cut the line after the server answered
(the server committed, the client never hears), kill the server while it works on the request
and start it again, or hold the request until the test releases it (then pass it on). Threads, one per client connection; each request is forwarded on a fresh
upstream connection, so the server's keep-alive never hides a fault.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

PASS, DROP, ERROR_500, DELAY, CUT, KILL = "pass", "drop", "500", "delay", "cut", "kill"
HOLD = "hold"
HOLD_LIMIT_S = 600  # a held request nobody releases is dropped then, so no thread waits forever

Plan = Callable[[int, str], str]
"""(request number, "METHOD /path") -> one of the actions above."""


def _read_message(sock: socket.socket) -> bytes | None:
    """One HTTP message with a Content-Length body (what httpx and uvicorn send here)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


def _error_500() -> bytes:
    body = b'{"error":{"message":"injected failure: try again","field":null}}'
    head = (
        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class FaultProxy:
    def __init__(
        self,
        upstream_port: int,
        plan: Plan,
        *,
        delay: float = 3.0,
        restart: Callable[[], int] | None = None,
    ) -> None:
        self.upstream_port = upstream_port
        self.plan = plan
        self.delay = delay
        self.restart = restart  # kills and restarts the server; returns its new port
        self.counts: dict[str, int] = {}
        self.log: list[tuple[int, str, str]] = []
        self._number = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        self._kill_owed = False
        self.holding = threading.Event()
        """Set once a request is held: it has been read whole and has not reached the server."""
        self._released = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def release(self) -> None:
        """Held requests go on to the server (and any request planned HOLD from now on)."""
        self._released.set()

    def close(self) -> None:
        self._closed = True
        self._released.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            while True:
                try:
                    request = _read_message(client)
                except OSError:
                    return
                if request is None:
                    return
                line = request.split(b"\r\n", 1)[0].decode("latin-1")
                method, target = line.split(" ")[:2]
                with self._lock:
                    self._number += 1
                    action = self.plan(self._number, f"{method} {target.split('?')[0]}")
                    self.counts[action] = self.counts.get(action, 0) + 1
                    self.log.append((self._number, line.split(" ")[1][:20], action))
                if not self._handle(client, request, action):
                    return

    def _handle(self, client: socket.socket, request: bytes, action: str) -> bool:
        """Carry out one request's fate; False when the client connection is finished."""
        if action == DROP:
            return False
        if action == ERROR_500:
            client.sendall(_error_500())
            return True
        if action == DELAY:
            time.sleep(self.delay)
        if action == HOLD:
            self.holding.set()
            if not self._released.wait(HOLD_LIMIT_S) or self._closed:
                return False
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
        except OSError:
            # The server is down (still restarting): the client sees the line close, and a
            # kill planned for now falls on the next request that reaches the server.
            self._kill_owed = self._kill_owed or action == KILL
            return False
        if self._kill_owed and b"/v1/push" in request[:40]:
            action, self._kill_owed = KILL, False
        with upstream:
            upstream.sendall(request)
            if action == KILL and self.restart is not None:
                time.sleep(0.05)  # the server is now working on the batch
                self.upstream_port = self.restart()
                return False
            try:
                response = _read_message(upstream)
            except OSError:
                response = None
        if response is None or action == CUT:
            return False
        with contextlib.suppress(OSError):
            client.sendall(response)
            return True
        return False
