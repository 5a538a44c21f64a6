"""Sync benchmarks (issues 5 and 17): the real central service (uvicorn) on PostgreSQL, a real
SQLCipher laptop store, the real sync engine; each figure beside its anchor, timed in the same
run, interleaved.

Run on purpose:
    ASB_BENCH_POSTGRES_DSN=postgresql+psycopg://asb:asb@127.0.0.1:5432/asb_test \\
        python3 benchmarks/bench_sync.py [--cases 10000,30000] [--runs 3] [--ui-cases 0]

(ASB_TEST_POSTGRES_DSN is used when ASB_BENCH_POSTGRES_DSN is not set; with neither, SQLite is
used, there is no COPY anchor, and the figures say so.) Prints medians; nothing is pass/fail.

- N queued cases synced (push and pull back), beside one COPY of the same documents (compact
  JSON) into a plain PostgreSQL table; target <= 15x at 10,000 and at 30,000, and linear
  between them (the cost per case at the larger size over the smaller: 1.0 is linear).
- A sync with nothing to do, beside one loopback round trip of the same HTTP stack (a GET the
  server answers without its database, on the same kept-alive connection); target <= 2x.
- The stall check: a POST on a reused connection with the client's TCP_NODELAY as shipped, and
  with it turned off (Nagle's algorithm holds the body until the headers are acknowledged, and
  the server delays that acknowledgement: about 40 ms a request).
- The UI thread's longest gap between 10 ms heartbeats during a sync (--ui-cases; 0 skips it).

`--idle-only`: the sync with nothing to do alone (the N cases are still pushed first, untimed, so
the central store holds them and the device has been served them); no COPY, no stall check.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, select

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from asb_central.cli import main as central_cli  # noqa: E402
from asb_desktop.app import services_for  # noqa: E402
from asb_desktop.services.casework import LabelledDocument  # noqa: E402
from asb_desktop.store.database import Store  # noqa: E402
from asb_desktop.store.keys import DatabaseKey, FixedKey  # noqa: E402
from asb_desktop.store.tables import outbox  # noqa: E402
from asb_desktop.support.synthetic import synthetic_cases  # noqa: E402
from asb_desktop.sync.service import SyncService  # noqa: E402

DIRECTORY = REPO / "resources" / "demo" / "directory.json"
USER = "s-hm"  # a housing manager over every patch: sees every case it pushes


def central(*args: str) -> str:
    """Run an `asb-central` command in this process; its standard output."""
    buffer, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(errors):
        code = central_cli(list(args))
    if code != 0:
        raise SystemExit(f"asb-central {args[2]} failed: {errors.getvalue()}")
    return buffer.getvalue()


@contextlib.contextmanager
def database(workdir: Path) -> Iterator[tuple[str, str]]:
    dsn = os.environ.get("ASB_BENCH_POSTGRES_DSN") or os.environ.get("ASB_TEST_POSTGRES_DSN")
    if not dsn:
        yield str(workdir / f"central-{uuid.uuid4().hex[:6]}.sqlite3"), "SQLite"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(dsn)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"asb_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False), "PostgreSQL"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def service(db_url: str, workdir: Path) -> Iterator[str]:
    central("--db", db_url, "init-db")
    central("--db", db_url, "directory", "import", str(DIRECTORY))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "asb_central.cli", "--db", db_url, "serve",
         "--port", str(port), "--no-access-log"],
        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=str(REPO)),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    SERVER_PID[:] = [process.pid]
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


SERVER_PID: list[int] = []  # the running `asb-central serve`'s


def laptop(folder: Path, url: str, db_url: str, cases: int) -> tuple[SyncService, Store]:
    store = Store.open(folder, FixedKey(DatabaseKey.raw(secrets.token_bytes(32))))
    services = services_for(store, actor="local:bench")
    services.casework.import_directory(json.loads(DIRECTORY.read_text()))
    documents = synthetic_cases(cases, seed=len(str(folder)))
    services.casework.import_documents(
        [LabelledDocument(f"record {i}", d) for i, d in enumerate(documents)]
    )
    sync = SyncService(services.casework)
    code = central("--db", db_url, "enrol-device", "--user", USER).strip()
    sync.enrol(url, code)
    return sync, store


def copy_anchor(db_url: str, documents: list[dict[str, Any]]) -> float | None:
    """One COPY of the documents, as compact JSON, into a plain table; None on SQLite."""
    if db_url.startswith("sqlite"):
        return None
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE copy_anchor (id text PRIMARY KEY, document text)")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY copy_anchor (id, document) FROM STDIN") as copy:
            for d in documents:
                copy.write_row((d["id"], json.dumps(d, ensure_ascii=False, separators=(",", ":"))))
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE copy_anchor")
        conn.commit()
    return elapsed


def reused_round_trips(client: httpx.Client, path: str, times: int) -> list[float]:
    """One request at a time on the client's kept-alive connection."""
    found = []
    for _ in range(times):
        started = time.perf_counter()
        client.get(path)
        found.append(time.perf_counter() - started)
    return found


def stall_check(url: str) -> tuple[float, float, bool, bool]:
    """(median POST on a reused connection as shipped, the same with the client's TCP_NODELAY
    off, the client's and the server's TCP_NODELAY as found). The server's is read from the
    accepted socket of a bare asyncio server, which is what uvicorn's connections are."""
    import asyncio
    import threading

    found: list[float] = []
    shipped = False
    for nodelay in (None, 0):
        with httpx.Client(base_url=url) as client:
            response = client.get("/health")
            sock = response.extensions["network_stream"].get_extra_info("socket")
            if nodelay is None:
                shipped = bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            else:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, nodelay)
            times = []
            for _ in range(20):
                started = time.perf_counter()
                client.post("/no-such-path", content=b'{"ops": []}')
                times.append(time.perf_counter() - started)
            found.append(statistics.median(times))
    server_side: list[bool] = []

    async def serve_once() -> None:
        ready = asyncio.Event()

        async def accepted(_r: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            raw = writer.get_extra_info("socket")
            server_side.append(bool(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)))
            writer.close()
            ready.set()

        server = await asyncio.start_server(accepted, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        await asyncio.to_thread(lambda: socket.create_connection(("127.0.0.1", port)).close())
        await ready.wait()
        server.close()

    thread = threading.Thread(target=lambda: asyncio.run(serve_once()))
    thread.start()
    thread.join()
    return found[0], found[1], shipped, server_side == [True]


@dataclass
class SizeRun:
    full: list[float] = field(default_factory=list)
    anchor: list[float] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds, summed over the runs
    cpu: dict[str, float] = field(default_factory=dict)  # the same phases' CPU (their thread's)
    laptop_cpu: list[float] = field(default_factory=list)  # this process's, each full sync
    server_cpu: list[tuple[float, float]] = field(default_factory=list)  # server's, backends'


PHASES: dict[str, float] = {}  # where a full sync's time goes (see timed_phases)
PHASES_CPU: dict[str, float] = {}  # the CPU time of the thread that ran each phase
IDLE_CPU: list[float] = []  # the process's CPU time in each sync with nothing to do
IDLE_STATEMENTS: list[int] = []  # the laptop store's SQL statements in each
IDLE_WRITES: list[int] = []  # of which writes (INSERT, UPDATE, DELETE)
IDLE_PULL: list[float] = []  # the GET /v1/changes inside each (request, answer and its parsing)
STATEMENTS: list[str] = []


IDLE_TRANSACTIONS: list[int] = []  # and the transactions they ran in
_TRANSACTION_WORDS = ("BEGIN", "COMMIT", "ROLLBACK", "END")


def _counted(sql: str) -> None:
    STATEMENTS.append(sql)


def _trace(dbapi_connection: Any, *_rest: Any) -> None:
    """Every statement SQLite runs on this connection, whether it came through SQLAlchemy or
    the driver's own cursor (store/driver.py), is counted."""
    dbapi_connection.set_trace_callback(_counted)


def _first_word(sql: str) -> str:
    return sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""


PHASE_ORDER = (
    "choose and freeze batches",
    "push round trips (sender thread)",
    "wait for and commit answers",
    "  of which commit answers",
    "pull round trips",
    "apply pulled pages",
    "reading answers (push and pull)",
)


def timed_phases() -> None:
    """Time the engine's steps in place (the engine's own functions, wrapped): choosing and
    freezing batches, the push round trips (on the sender thread, overlapping the rest),
    committing answers, the pull round trips and applying them. Where one of them grows
    faster than the number of cases, that is the superlinear part."""
    import asb_desktop.sync.sync_run as engine
    from asb_desktop.sync.client import SyncClient

    def wrap(owner: Any, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return inner(*args, **kwargs)
            finally:
                PHASES[label] = PHASES.get(label, 0.0) + time.perf_counter() - started
                PHASES_CPU[label] = PHASES_CPU.get(label, 0.0) + time.thread_time() - cpu

        setattr(owner, name, timed)

    wrap(engine, "next_batch", "choose and freeze batches")
    wrap(engine, "choose_batch", "choose and freeze batches")  # in the answer's transaction
    wrap(SyncClient, "push_sent", "push round trips (sender thread)")
    # A push's answer is read on the engine's thread (inside committing answers), a pull's
    # inside its round trip.
    wrap(SyncClient, "_parse", "reading answers (push and pull)")
    wrap(engine.SyncEngine, "_collect", "wait for and commit answers")
    wrap(engine, "record_in", "  of which commit answers")
    wrap(SyncClient, "changes", "pull round trips")
    wrap(engine, "apply_changes", "apply pulled pages")


def _writes(statements: list[str]) -> int:
    return sum(_first_word(s) in ("INSERT", "UPDATE", "DELETE") for s in statements)


def _server_cpu(db_url: str) -> Any:
    """The CPU meter of bench_central.py for the server and its PostgreSQL backends (None on
    SQLite, whose work is the server process's own)."""
    if db_url.startswith("sqlite"):
        return None
    from bench_central import ServerCpu  # benchmarks/ is this script's folder

    return ServerCpu(db_url, SERVER_PID[0])


def bench_queued(
    root: Path, sizes: list[int], runs: int, *, idle_only: bool = False, idle_runs: int = 20
) -> tuple[dict[int, SizeRun], list[float], list[float], list[float], str]:
    """Per size: full syncs and their COPY anchors; then idle syncs, interleaved one for one
    with bare loopback round trips and /health round trips on the sync's own connection."""
    results = {n: SizeRun() for n in sizes}
    idle, bare, health, backends = [], [], [], set()
    for run in range(runs):
        for cases in sizes:
            with database(root) as (db_url, backend), service(db_url, root) as url:
                backends.add(backend)
                sync, store = laptop(root / f"laptop-{run}-{cases}", url, db_url, cases)
                anchor = None
                if not idle_only:
                    with store.read() as conn:
                        payloads = conn.execute(select(outbox.c.payload))
                        documents = [json.loads(t) for (t,) in payloads]
                    anchor = copy_anchor(db_url, documents)
                    del documents
                PHASES.clear()
                PHASES_CPU.clear()
                server_cpu = _server_cpu(db_url)
                started, cpu = time.perf_counter(), time.process_time()
                summary = sync.sync(force=True)
                results[cases].full.append(time.perf_counter() - started)
                results[cases].laptop_cpu.append(time.process_time() - cpu)
                if server_cpu is not None:
                    results[cases].server_cpu.append(server_cpu.stop())
                for label, spent in PHASES.items():
                    results[cases].phases[label] = results[cases].phases.get(label, 0.0) + spent
                for label, spent in PHASES_CPU.items():
                    results[cases].cpu[label] = results[cases].cpu.get(label, 0.0) + spent
                if anchor is not None:
                    results[cases].anchor.append(anchor)
                assert summary.ok and summary.sent == cases, summary.lines()
                http = sync.engine.client(sync.engine.settings())._http  # type: ignore[arg-type]
                event.listen(store.engine, "checkout", _trace)
                for _ in range(idle_runs):
                    STATEMENTS.clear()
                    pulled = PHASES.get("pull round trips", 0.0)
                    started, cpu = time.perf_counter(), time.process_time()
                    quiet = sync.sync()
                    idle.append(time.perf_counter() - started)
                    IDLE_CPU.append(time.process_time() - cpu)
                    IDLE_PULL.append(PHASES.get("pull round trips", 0.0) - pulled)
                    words = [_first_word(sql) for sql in STATEMENTS]
                    IDLE_TRANSACTIONS.append(words.count("BEGIN"))
                    IDLE_STATEMENTS.append(sum(w not in _TRANSACTION_WORDS for w in words))
                    IDLE_WRITES.append(_writes(STATEMENTS))
                    assert quiet.ok and quiet.sent == 0
                    bare += reused_round_trips(http, "/no-such-path", 1)
                    health += reused_round_trips(http, "/health", 1)
                sync.engine.forget_client()
                store.close()
    return results, idle, bare, health, ", ".join(sorted(backends))


def bench_ui(root: Path, cases: int) -> tuple[float, float, int, float]:
    """The longest and 99th-percentile gap between 10 ms heartbeats while a sync runs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from asb_desktop.ui.operations import wait_for_operations
    from asb_desktop.ui.sync.sync_controller import SyncController

    app = QApplication.instance() or QApplication([])
    with database(root) as (db_url, _kind), service(db_url, root) as url:
        sync, store = laptop(root / "laptop-ui", url, db_url, cases)
        controller = SyncController(sync)
        gaps: list[float] = []
        clock = QElapsedTimer()
        heartbeat = QTimer()
        heartbeat.setInterval(10)

        def beat() -> None:
            gaps.append(clock.restart())

        heartbeat.timeout.connect(beat)
        done: list[object] = []
        controller.sig_finished.connect(done.append)
        clock.start()
        heartbeat.start()
        started = time.perf_counter()
        controller.sync_now()
        while not done:
            app.processEvents()
            time.sleep(0.001)
        took = time.perf_counter() - started
        heartbeat.stop()
        wait_for_operations()
        sync.engine.forget_client()
        store.close()
    gaps.sort()
    return float(gaps[-1]), float(gaps[int(len(gaps) * 0.99)]), len(gaps), took


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.2f} ms"


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _print_idle(idle: list[float], bare: list[float], health: list[float]) -> None:
    ratio = statistics.median(idle) / statistics.median(bare)
    print(f"sync with nothing to do: median {_ms(idle)} (max {max(idle) * 1000:.1f} ms over "
          f"{len(idle)}); anchor, one loopback round trip on the same connection: median "
          f"{_ms(bare)} (GET /health, one SELECT 1: {_ms(health)}); ratio {ratio:.1f}x  "
          f"target <= 2x; load {_load()}")  # fmt: skip
    rest = [t - pull for t, pull in zip(idle, IDLE_PULL, strict=True)]
    print(f"  its GET /v1/changes (request, answer, parsing): median {_ms(IDLE_PULL)}; the rest "
          f"(the laptop's store, logging): median {_ms(rest)}")  # fmt: skip
    print(f"  the laptop's part: CPU {_ms(IDLE_CPU)} (this process, both threads), "
          f"{statistics.median(IDLE_STATEMENTS):.0f} SQL statements on its store "
          f"({statistics.median(IDLE_WRITES):.0f} of them writes) in "
          f"{statistics.median(IDLE_TRANSACTIONS):.0f} transactions")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="10000,30000", help="sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ui-cases", type=int, default=10_000, help="0: no UI heartbeat run")
    parser.add_argument(
        "--idle-only", action="store_true", help="only the sync with nothing to do (see above)"
    )
    parser.add_argument("--idle-runs", type=int, default=20, help="idle syncs per size and run")
    args = parser.parse_args()
    sizes = [int(n) for n in args.cases.split(",")]
    timed_phases()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        results, idle, bare, health, kind = bench_queued(
            root, sizes, args.runs, idle_only=args.idle_only, idle_runs=args.idle_runs
        )
        print(f"central store on {kind}, {args.runs} run(s), load {_load()}")
        if args.idle_only:
            _print_idle(idle, bare, health)
            return
        per_case: dict[int, float] = {}
        for cases, found in results.items():
            full = statistics.median(found.full)
            per_case[cases] = full / cases
            runs = ", ".join(f"{t:.1f}" for t in found.full)
            print(
                f"{cases:,} queued cases synced (push + pull): median {full:.2f} s (runs: {runs})"
            )
            if found.anchor:
                anchor = statistics.median(found.anchor)
                ratios = [t / a for t, a in zip(found.full, found.anchor, strict=True)]
                print(f"  anchor, one COPY of the same documents: median {anchor:.3f} s; ratio "
                      f"median {statistics.median(ratios):.1f}x (runs "
                      f"{', '.join(f'{r:.1f}' for r in ratios)})  target <= 15x")  # fmt: skip
            laptop_cpu = statistics.median(found.laptop_cpu)
            line = (f"  CPU: this laptop's process median {laptop_cpu:.2f} s "
                    f"({laptop_cpu * 1000 / cases:.2f} ms a case, both threads)")  # fmt: skip
            if found.server_cpu:
                server = statistics.median(s for s, _ in found.server_cpu)
                backends = statistics.median(b for _, b in found.server_cpu)
                line += (f"; the central store's process {server:.2f} s, its PostgreSQL "
                         f"backends {backends:.2f} s")  # fmt: skip
            print(line)
        print("  where the time goes, ms per case (summed over runs / cases), wall / its "
              "thread's CPU:")  # fmt: skip
        for label in PHASE_ORDER:
            row = "  ".join(
                f"{found.phases.get(label, 0.0) * 1000 / (cases * args.runs):6.2f} / "
                f"{found.cpu.get(label, 0.0) * 1000 / (cases * args.runs):5.2f} at {cases:,}"
                for cases, found in results.items()
            )
            print(f"    {label:34s} {row}")
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            growth = per_case[large] / per_case[small]
            print(f"  growth: per case {per_case[small] * 1000:.2f} ms at {small:,}, "
                  f"{per_case[large] * 1000:.2f} ms at {large:,}: {growth:.2f} (1.0 is linear)")  # fmt: skip
        _print_idle(idle, bare, health)
        with database(root) as (db_url, _kind), service(db_url, root) as url:
            shipped, nagle, client_nodelay, server_nodelay = stall_check(url)
        print(f"stall check, a POST on a reused connection: {shipped * 1000:.2f} ms as shipped "
              f"(client TCP_NODELAY {'on' if client_nodelay else 'OFF'}, server's asyncio "
              f"sockets {'on' if server_nodelay else 'OFF'}); {nagle * 1000:.2f} ms with the "
              "client's TCP_NODELAY off (Nagle + delayed ACK)")  # fmt: skip
        if args.ui_cases:
            longest, p99, beats, took = bench_ui(root, args.ui_cases)
            print(
                f"UI heartbeat (10 ms) during a {args.ui_cases:,}-case sync of {took:.1f} s: "
                f"longest gap {longest:.0f} ms, 99th percentile {p99:.0f} ms over {beats} beats"
                "  target: no block > 100 ms"
            )


if __name__ == "__main__":
    main()
