"""Evidence upload throughput over loopback (issue 15) beside a plain HTTP upload of the same bytes.

    python benchmarks/bench_upload.py [--runs 5] [--megabytes 50] [--postgres]

1. upload: one attachment's bytes from a laptop's SQLCipher store to a real central server
   (`asb-central serve` on 127.0.0.1, SQLite, or PostgreSQL with --postgres and
   ASB_TEST_POSTGRES_DSN): the offer (each 1 MiB chunk's SHA-256), every chunk read from the
   encrypted store, sent, hashed and stored centrally, then the whole file hashed and marked
   complete: one `sync` run (the case's small change first, then the bytes, then a pull).
2. plain: the same bytes, already in memory, in one HTTP PUT to a bare `http.server` on
   127.0.0.1 that writes the body to a file and fsyncs it (the floor: one request, no hashing,
   no database, no encryption).

Each run uploads a new random file (the same bytes twice would be kept once and cost nothing);
the two are interleaved, so a loaded machine slows both alike. Prints the medians (MB/s) and
the ratio of the times. Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from asb_desktop.services.attachments import attach  # noqa: E402
from tests.central.central_support import running_central  # noqa: E402
from tests.sync.sync_support import Laptop  # noqa: E402

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def bare_server(folder: Path) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            length = int(self.headers["Content-Length"])
            with (folder / "upload.bin").open("wb") as out:
                left = length
                while left:
                    block = self.rfile.read(min(left, 1 << 20))
                    out.write(block)
                    left -= len(block)
                out.flush()
                os.fsync(out.fileno())
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--postgres", action="store_true", help="the central store on PostgreSQL")
    args = parser.parse_args()
    size = int(args.megabytes * 1e6)
    backend = "postgres" if args.postgres else "sqlite"
    with tempfile.TemporaryDirectory(prefix="asb-bench-upload-") as tmp:
        work = Path(tmp)
        with running_central(backend, work) as central:
            laptop = Laptop(work / "laptop")
            laptop.enrol(central, "s-ho")
            [case_id] = laptop.record(1, estate="EST-NORTH")
            laptop.sync.sync(force=True)
            plain_server = bare_server(work)
            plain_url = f"http://127.0.0.1:{plain_server.server_address[1]}/upload"
            ours, plain = [], []
            with httpx.Client(timeout=120) as bare:
                for run in range(args.runs):
                    path = work / f"video-{run}.mp4"
                    data = MP4_HEAD + os.urandom(size - len(MP4_HEAD))
                    path.write_bytes(data)
                    attach(laptop.casework, case_id, path)
                    started = time.perf_counter()  # one sync: the case's change, then the bytes
                    summary = laptop.sync.sync(force=True)
                    ours.append(time.perf_counter() - started)
                    assert summary.evidence_sent == 1, summary.lines()
                    started = time.perf_counter()
                    bare.put(plain_url, content=data).raise_for_status()
                    plain.append(time.perf_counter() - started)
                    print(
                        f"run {run + 1}: upload {size / ours[-1] / 1e6:.1f} MB/s, "
                        f"plain {size / plain[-1] / 1e6:.1f} MB/s"
                    )
            plain_server.shutdown()
            laptop.close()
    upload_s, plain_s = statistics.median(ours), statistics.median(plain)
    print(f"\n{args.megabytes:g} MB, {args.runs} runs, central on {backend}:")
    print(f"  evidence upload (chunks, hashes, SQLCipher, central database): "
          f"median {upload_s:.2f} s = {size / upload_s / 1e6:.1f} MB/s")  # fmt: skip
    print(f"  plain HTTP PUT to http.server, written and fsynced:            "
          f"median {plain_s:.2f} s = {size / plain_s / 1e6:.1f} MB/s")  # fmt: skip
    print(f"  ratio (upload time / plain time): {upload_s / plain_s:.2f}x")


if __name__ == "__main__":
    main()
