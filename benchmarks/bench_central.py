"""Central store benchmarks against PostgreSQL (all traffic on 127.0.0.1). Prints medians.

    ASB_TEST_POSTGRES_DSN=postgresql+psycopg://asb:asb@127.0.0.1:5432/asb_test \\
        python benchmarks/bench_central.py [--runs 3] [--cases 10000] [--batch 250] \\
        [--devices 200] [--workers 4] [--per-device 20]

1. One device pushes N cases in batches, beside its anchor in the same run: one COPY of the
   same documents (compact JSON) into a plain PostgreSQL table (issue 17: <= 10x). Wall time is
   the measure; the CPU time each took is printed too (the server process and its PostgreSQL
   backends; the COPY's process and its backend), since on a shared machine it moves less.
2. Many devices (200) sync at once against `serve --workers 4`: each pushes its cases, each
   batch sent twice as a lost acknowledgement would make a laptop do, then changes half of
   them, then pulls until it has every case it may see. A 5xx or a lost connection is retried
   as a laptop retries (backoff with jitter) and counted. Afterwards every case and every
   change must be there: cases and ops stored once, an audit row per change, revisions,
   references unique and without gaps, every device's pull holding its own cases.
3. A team leader pulls all N cases (pages of 1000), then pulls with nothing new (median of
   200 calls) while the N cases are stored.

Each run uses a freshly created database, dropped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from asb_central import cli, people  # noqa: E402
from asb_central.db import Database  # noqa: E402

STAFF = 200  # officers in the directory: one device each in the crowd
ESTATES = [f"EST-{i}" for i in range(5)]


def staff_id(i: int) -> str:
    return f"s-{i:03d}"


def directory() -> dict[str, Any]:
    staff = [
        {"id": staff_id(i), "name": f"Officer {i}", "roles": ["housing_officer"],
         "patches": [ESTATES[i % len(ESTATES)]]}
        for i in range(STAFF)
    ]  # fmt: skip
    staff.append(
        {"id": "s-tl", "name": "Team Leader", "roles": ["team_leader"], "patches": ESTATES}
    )
    return {
        "format": "asb-directory/1",
        "staff": staff,
        "estates": [{"code": e, "name": e} for e in ESTATES],
        "schemes": [],
    }


def document(estate: str, recorder: str) -> dict[str, Any]:
    return {
        "format": "asb-case/1",
        "id": str(uuid.uuid4()),
        "received_at": "2026-03-10T09:30:00Z",
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "estate": estate,
        "complainant": {"anonymous": False, "name": "A. Resident", "phone": "01234 567890"},
        "incidents": [
            {
                "id": f"inc-{n}",
                "occurred_at": "2026-03-09T22:00:00Z",
                "description": "Loud music and shouting from the flat above until the early hours",
                "how_it_made_them_feel": "Exhausted and anxious",
                "location": "Block C",
            }
            for n in range(2)
        ],
        "frequency": "Most nights for three weeks",
        "recorded_by": recorder,
    }


def op(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "case_id": doc["id"],
        "base_revision": None,
        "document": doc,
    }


@contextlib.contextmanager
def fresh_database(dsn: str) -> Iterator[str]:
    url = make_url(dsn)
    server = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"asb_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process of this machine so far (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_pids(db_url: str) -> list[int]:
    """The PostgreSQL server processes serving connections to this database (same machine)."""
    url = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(row[0]) for row in rows]


class ServerCpu:
    """CPU time of the server process and of its database backends between start and stop
    (a backend that opens meanwhile counts whole; one that closes meanwhile is missed)."""

    def __init__(self, db_url: str, server_pid: int) -> None:
        self.db_url, self.server_pid = db_url, server_pid
        self.before = {pid: cpu_seconds(pid) for pid in [server_pid, *backend_pids(db_url)]}

    def stop(self) -> tuple[float, float]:
        """(the server process's CPU seconds, its backends')."""
        pids = {*self.before, *backend_pids(self.db_url)} - {self.server_pid}
        server = cpu_seconds(self.server_pid) - self.before[self.server_pid]
        return server, sum(cpu_seconds(pid) - self.before.get(pid, 0.0) for pid in pids)


@contextlib.contextmanager
def serving(db_url: str, workers: int) -> Iterator[tuple[str, int]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [sys.executable, "-m", "asb_central.cli", "--db", db_url, "serve",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-access-log"]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(REPO))
    log = tempfile.TemporaryFile()  # noqa: SIM115 (read on failure; an unread pipe stalls the server)
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        yield base, process.pid
    except BaseException:
        log.seek(0)
        print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
        raise
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def prepare(db_url: str) -> None:
    with contextlib.redirect_stdout(open(os.devnull, "w")):
        cli.main(["--db", db_url, "init-db"])
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(directory(), f)
        cli.main(["--db", db_url, "directory", "import", f.name])
    os.unlink(f.name)


def enrol(db_url: str, base: str, user_id: str) -> httpx.Client:
    db = Database(db_url)
    code = people.create_enrolment_code(db, user_id)
    db.dispose()
    token = httpx.post(f"{base}/v1/enrol", json={"code": code}).json()["token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120)


class Retries:
    """5xx answers and lost connections, each retried as a laptop retries (sync_run.backoff)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.server_errors = 0
        self.statuses: dict[int, int] = {}
        self.lost = 0

    def call(self, send: Any) -> httpx.Response:
        for attempt in range(1, 12):
            try:
                response: httpx.Response = send()
            except httpx.TransportError:
                with self.lock:
                    self.lost += 1
            else:
                if response.status_code < 500:
                    response.raise_for_status()
                    return response
                with self.lock:
                    self.server_errors += 1
                    self.statuses[response.status_code] = (
                        self.statuses.get(response.status_code, 0) + 1
                    )
            delay = min(4.0, 0.25 * 2 ** (attempt - 1))
            time.sleep(random.uniform(delay / 2, delay))
        raise RuntimeError(f"a request still failed after 11 attempts ({self.statuses})")


NO_RETRY = Retries()


def push(
    client: httpx.Client, ops: list[dict[str, Any]], retries: Retries = NO_RETRY
) -> list[dict[str, Any]]:
    if retries is NO_RETRY:
        response = client.post("/v1/push", json={"ops": ops})
        response.raise_for_status()
    else:
        response = retries.call(lambda: client.post("/v1/push", json={"ops": ops}))
    results: list[dict[str, Any]] = response.json()["results"]
    if any(r["status"] != "applied" for r in results):
        raise RuntimeError(f"an op was not applied: {results[0]}")
    return results


def copy_anchor(db_url: str, documents: list[dict[str, Any]]) -> tuple[float, float]:
    """The anchor: the same documents, as compact JSON, in one COPY into a plain table (encoding,
    sending and committing them; no checks, no merge, no audit). (wall, CPU) seconds, the CPU
    this process's and its backend's."""
    url = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS copy_anchor (id text PRIMARY KEY, document text)")
        conn.execute("TRUNCATE copy_anchor")
        conn.commit()
        backend = int(conn.execute("SELECT pg_backend_pid()").fetchone()[0])  # type: ignore[index]
        cpu = time.process_time() + cpu_seconds(backend)
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy("COPY copy_anchor (id, document) FROM STDIN") as copy,
        ):
            for doc in documents:
                copy.write_row(
                    (doc["id"], json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
                )
        conn.commit()
        elapsed = time.perf_counter() - started
        cpu = time.process_time() + cpu_seconds(backend) - cpu
        conn.execute("DROP TABLE copy_anchor")
        conn.commit()
    return elapsed, cpu


class OneDevice(NamedTuple):
    push: float  # wall seconds
    anchor: float
    push_cpu: float  # the server's process and backends
    backends_cpu: float  # the backends' part of it
    anchor_cpu: float
    full_pull: float
    empty_pull: float


def one_device(dsn: str, cases: int, batch: int) -> OneDevice:
    """The push of `cases` cases and its COPY anchor, then a full pull by a team leader and the
    median empty pull."""
    with fresh_database(dsn) as db_url:
        prepare(db_url)
        with serving(db_url, workers=1) as (base, server_pid):
            client = enrol(db_url, base, staff_id(0))
            ops = [op(document("EST-0", staff_id(0))) for _ in range(cases)]
            anchor, anchor_cpu = copy_anchor(db_url, [o["document"] for o in ops])
            server_cpu = ServerCpu(db_url, server_pid)
            started = time.perf_counter()
            for i in range(0, cases, batch):
                push(client, ops[i : i + batch])
            elapsed = time.perf_counter() - started
            server, backends = server_cpu.stop()
            stored = count(db_url, "SELECT count(*) FROM cases")
            assert stored == cases, f"{stored} stored of {cases}"
            leader = enrol(db_url, base, "s-tl")
            started = time.perf_counter()
            since, pulled = 0, 0
            while True:
                page = leader.get("/v1/changes", params={"since": since, "limit": 1000}).json()
                pulled += len(page["cases"])
                since = page["checkpoint"]
                if not page["more"]:
                    break
            full = time.perf_counter() - started
            assert pulled == cases, f"pulled {pulled} of {cases}"
            empty = empty_pulls(leader, since)
            return OneDevice(elapsed, anchor, server + backends, backends, anchor_cpu, full, empty)


def empty_pulls(client: httpx.Client, checkpoint: int) -> float:
    timings = []
    for _ in range(200):
        started = time.perf_counter()
        response = client.get("/v1/changes", params={"since": checkpoint})
        timings.append(time.perf_counter() - started)
        assert response.json()["cases"] == []
    return statistics.median(timings)


def count(db_url: str, sql: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        value = int(conn.execute(text(sql)).scalar_one())
    engine.dispose()
    return value


def edited(result: dict[str, Any]) -> dict[str, Any]:
    """A second change to a pushed case, made on the revision the push answered."""
    document = {k: v for k, v in result["document"].items() if k != "reference"}
    document["frequency"] = "Every night now, and at weekends"
    return {"op_id": str(uuid.uuid4()), "case_id": result["case_id"],
            "base_revision": result["revision"], "document": document}  # fmt: skip


def pull_all(client: httpx.Client, retries: Retries) -> set[str]:
    since, seen = 0, set()
    while True:
        params = {"since": since, "limit": 500}
        page = retries.call(lambda: client.get("/v1/changes", params=params)).json()  # noqa: B023
        seen |= {c["case_id"] for c in page["cases"]}
        since = page["checkpoint"]
        if not page["more"]:
            return seen


def many_devices(
    dsn: str, devices: int, workers: int, per_device: int, batch: int
) -> tuple[float, Retries, str]:
    with fresh_database(dsn) as db_url:
        prepare(db_url)
        with serving(db_url, workers=workers) as (base, _):
            clients = [enrol(db_url, base, staff_id(i)) for i in range(devices)]
            plans = [
                [op(document(ESTATES[i % len(ESTATES)], staff_id(i))) for _ in range(per_device)]
                for i in range(devices)
            ]
            answers: list[list[dict[str, Any]]] = [[] for _ in range(devices)]
            pulled: list[set[str]] = [set() for _ in range(devices)]
            errors: list[BaseException] = []
            retries = Retries()
            gate = threading.Barrier(devices)

            def device(i: int) -> None:
                try:
                    gate.wait()
                    for j in range(0, per_device, batch):
                        chunk = plans[i][j : j + batch]
                        first = push(clients[i], chunk, retries)
                        again = push(clients[i], chunk, retries)  # the acknowledgement "was lost"
                        if first != again:
                            raise RuntimeError("a repeated op got a different answer")
                        answers[i] += first
                    changes = [edited(r) for r in answers[i][::2]]
                    for j in range(0, len(changes), batch):
                        push(clients[i], changes[j : j + batch], retries)
                    pulled[i] = pull_all(clients[i], retries)
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=device, args=(i,)) for i in range(devices)]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            for client in clients:
                client.close()
            if errors:
                raise errors[0]
            total = devices * per_device
            changes = sum(len(a[::2]) for a in answers)
            sent = {o["case_id"] for plan in plans for o in plan}
            answered = [r for a in answers for r in a]
            references = sorted(r["reference"] for r in answered)
            checks = {
                "cases stored": count(db_url, "SELECT count(*) FROM cases") == total,
                "distinct cases stored": count(db_url, "SELECT count(DISTINCT id) FROM cases")
                == total,
                "ops stored once": count(db_url, "SELECT count(*) FROM ops") == total + changes,
                "audit row per change": count(db_url, "SELECT count(*) FROM case_audit")
                == total + changes,
                "changed cases at revision 2": count(
                    db_url, "SELECT count(*) FROM cases WHERE revision = 2"
                )
                == changes,
                "every case answered": {r["case_id"] for r in answered} == sent,
                "references without gaps": references
                == [f"ASB-2026-{n:06d}" for n in range(1, total + 1)],
                "each device pulled its own cases": all(
                    {o["case_id"] for o in plans[i]} <= pulled[i] for i in range(devices)
                ),
            }
            failed = [name for name, ok in checks.items() if not ok]
            verdict = "all checks pass" if not failed else f"FAILED: {', '.join(failed)}"
            summary = f"{total:,} cases and {changes:,} changes, {len(checks)} checks: {verdict}"
            return elapsed, retries, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default=os.environ.get("ASB_TEST_POSTGRES_DSN"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-device", type=int, default=20)
    parser.add_argument("--skip-one", action="store_true", help="only the devices at once")
    parser.add_argument("--skip-crowd", action="store_true", help="only the one device")
    args = parser.parse_args()
    if not args.dsn:
        sys.exit("set ASB_TEST_POSTGRES_DSN (or --dsn) to a PostgreSQL database URL")
    if args.devices > STAFF:
        sys.exit(f"at most {STAFF} devices (one officer each in the directory)")

    if not args.skip_one:
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        runs = [one_device(args.dsn, args.cases, args.batch) for _ in range(args.runs)]
        pushes, anchors = [r.push for r in runs], [r.anchor for r in runs]
        fulls, pulls = [r.full_pull for r in runs], [r.empty_pull for r in runs]
        ratios = [t / a for t, a in zip(pushes, anchors, strict=True)]
        cpu_ratios = [r.push_cpu / r.anchor_cpu for r in runs]
        print(f"push {args.cases:,} cases, one device, batches of {args.batch}: "
              f"median {statistics.median(pushes):.2f} s "
              f"({args.cases / statistics.median(pushes):.0f} cases/s; runs "
              f"{', '.join(f'{t:.2f}' for t in pushes)})")  # fmt: skip
        print(f"  anchor, one COPY of the same documents: median "
              f"{statistics.median(anchors):.3f} s (runs {', '.join(f'{a:.3f}' for a in anchors)})")  # fmt: skip
        print(f"  ratio: median {statistics.median(ratios):.1f}x "
              f"(runs {', '.join(f'{r:.1f}' for r in ratios)}); target <= 10x")  # fmt: skip
        print(f"  CPU: server and its backends median "
              f"{statistics.median(r.push_cpu for r in runs):.2f} s (backends "
              f"{statistics.median(r.backends_cpu for r in runs):.2f} s), the COPY's "
              f"{statistics.median(r.anchor_cpu for r in runs):.3f} s; ratio median "
              f"{statistics.median(cpu_ratios):.1f}x "
              f"(runs {', '.join(f'{r:.1f}' for r in cpu_ratios)})")  # fmt: skip
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        print(
            f"pull all {args.cases:,} cases as a team leader, pages of 1000: median "
            f"{statistics.median(fulls):.2f} s (runs {', '.join(f'{t:.2f}' for t in fulls)})"
        )
        print(f"empty pull with {args.cases:,} cases stored: median "
              f"{statistics.median(pulls) * 1000:.1f} ms "
              f"(runs {', '.join(f'{p * 1000:.1f}' for p in pulls)} ms)")  # fmt: skip

    if not args.skip_crowd:
        crowd = [
            many_devices(args.dsn, args.devices, args.workers, args.per_device, 10)
            for _ in range(args.runs)
        ]
        print(f"{args.devices} devices syncing at once, serve --workers {args.workers} on "
              f"PostgreSQL, each batch sent twice: median "
              f"{statistics.median(t for t, _, _ in crowd):.2f} s "
              f"(runs {', '.join(f'{t:.2f}' for t, _, _ in crowd)})")  # fmt: skip
        for _, retries, verdict in crowd:
            print(f"  {verdict}; {retries.server_errors} 5xx and {retries.lost} lost "
                  "connections, each retried until answered")  # fmt: skip


if __name__ == "__main__":
    main()
