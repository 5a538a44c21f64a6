"""Sync benchmarks (issue 5): the real central service (uvicorn) on PostgreSQL, a real SQLCipher
laptop store, the real sync engine.

Run on purpose:
    ASB_BENCH_POSTGRES_DSN=postgresql+psycopg://asb:asb@127.0.0.1:5432/asb_test \
        python3 benchmarks/bench_sync.py [--cases 10000] [--runs 3]

(ASB_TEST_POSTGRES_DSN is used when ASB_BENCH_POSTGRES_DSN is not set; with neither, SQLite is
used and the figures say so.) Prints medians; nothing here is pass/fail.
Targets: 10,000 queued cases synced ≤ 30 s; a sync with nothing to do ≤ 100 ms; the UI thread
never blocked over 100 ms during a sync (a 10 ms QTimer heartbeat measures the longest gap).
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
from pathlib import Path

import httpx

from asb_central.cli import main as central_cli
from asb_desktop.app import services_for
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.support.synthetic import synthetic_cases
from asb_desktop.sync.service import SyncService

REPO = Path(__file__).resolve().parents[1]
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


def bench_queued(root: Path, cases: int, runs: int) -> tuple[list[float], list[float], str]:
    full, idle, backends = [], [], set()
    for run in range(runs):
        with database(root) as (db_url, backend), service(db_url, root) as url:
            backends.add(backend)
            sync, store = laptop(root / f"laptop-{run}", url, db_url, cases)
            started = time.perf_counter()
            summary = sync.sync(force=True)
            full.append(time.perf_counter() - started)
            assert summary.ok and summary.sent == cases, summary.lines()
            for _ in range(20):
                started = time.perf_counter()
                quiet = sync.sync()
                idle.append(time.perf_counter() - started)
                assert quiet.ok and quiet.sent == 0
            sync.engine.forget_client()
            store.close()
    return full, idle, ", ".join(sorted(backends))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ui-cases", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        full, idle, kind = bench_queued(root, args.cases, args.runs)
        print(f"central store on {kind}, {args.runs} run(s)")
        print(
            f"{args.cases:,} queued cases synced (push + pull): median "
            f"{statistics.median(full):.1f} s (runs: {', '.join(f'{t:.1f}' for t in full)})"
            "  target ≤ 30 s"
        )
        print(
            f"sync with nothing to do: median {statistics.median(idle) * 1000:.1f} ms "
            f"(max {max(idle) * 1000:.1f} ms over {len(idle)})  target ≤ 100 ms"
        )
        longest, p99, beats, took = bench_ui(root, args.ui_cases)
        print(
            f"UI heartbeat (10 ms) during a {args.ui_cases:,}-case sync of {took:.1f} s: "
            f"longest gap {longest:.0f} ms, 99th percentile {p99:.0f} ms over {beats} beats"
            "  target: no block > 100 ms"
        )


if __name__ == "__main__":
    main()
