"""A TCP proxy on 127.0.0.1 for the evidence tests: it forwards bytes both ways, counts what it
forwarded upstream, and on purpose cuts every connection it carries each time another
`cut_every` bytes have gone up (mid-request: the chunk in flight is lost), or another
`cut_down_every` bytes have come down (mid-answer), or changes one byte of the body of the
request whose first line holds `corrupt` (once)."""

from __future__ import annotations

import contextlib
import socket
import threading


class CuttingProxy:
    def __init__(
        self, upstream_port: int, *, cut_every: int | None = None, corrupt: bytes | None = None,
        cut_down_every: int | None = None,
    ) -> None:  # fmt: skip
        self.upstream_port = upstream_port
        self.cut_every = cut_every
        self.cut_down_every = cut_down_every
        self.downstream_bytes = 0
        self._next_down_cut = cut_down_every
        self.corrupt = corrupt
        self.corrupted = 0
        self.upstream_bytes = 0
        self.cuts = 0
        self._next_cut = cut_every
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):  # wakes the accept() waiting in the other thread
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._cut_all()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            with self._lock:
                self._open |= {client, upstream}
            threading.Thread(target=self._up, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._down, args=(upstream, client), daemon=True).start()

    def _cut_all(self) -> None:
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _up(self, source: socket.socket, target: socket.socket) -> None:
        flip_next = False  # the target request's head has gone: change its body's first byte
        try:
            while data := source.recv(1 << 20):
                if self.corrupt is not None and not self.corrupted:
                    if flip_next and data:
                        data = bytes([data[0] ^ 0xFF]) + data[1:]
                        self.corrupted, flip_next = 1, False
                    elif self.corrupt in data.split(b"\r\n", 1)[0]:
                        head, sep, body = data.partition(b"\r\n\r\n")
                        if body:
                            data = head + sep + bytes([body[0] ^ 0xFF]) + body[1:]
                            self.corrupted = 1
                        else:
                            flip_next = True
                target.sendall(data)
                with self._lock:
                    self.upstream_bytes += len(data)
                    cut = self._next_cut is not None and self.upstream_bytes >= self._next_cut
                    if cut and self.cut_every is not None:
                        self.cuts += 1
                        while self._next_cut is not None and self._next_cut <= self.upstream_bytes:
                            self._next_cut += self.cut_every
                if cut:
                    self._cut_all()
                    return
        except OSError:
            pass
        finally:
            self._end(source, target)

    def _down(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(1 << 20):
                with self._lock:
                    cut = self._next_down_cut is not None and (
                        self.downstream_bytes + len(data) >= self._next_down_cut
                    )
                    if cut and self._next_down_cut is not None:
                        # Only the bytes up to the cut go down, so it falls inside an answer:
                        # cut where a recv happened to end, a whole answer could arrive first.
                        data = data[: self._next_down_cut - self.downstream_bytes]
                    self.downstream_bytes += len(data)
                    if cut and self.cut_down_every is not None:
                        self.cuts += 1
                        while self._next_down_cut <= self.downstream_bytes:
                            self._next_down_cut += self.cut_down_every
                target.sendall(data)
                if cut:
                    self._cut_all()
                    return
        except OSError:
            pass
        finally:
            self._end(source, target)

    def _end(self, *sockets: socket.socket) -> None:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with self._lock:
                self._open.discard(sock)
            sock.close()
