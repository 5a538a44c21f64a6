"""Central store benchmarks against PostgreSQL (all traffic on 127.0.0.1). Prints medians.

    ASB_TEST_POSTGRES_DSN=postgresql+psycopg://asb:asb@127.0.0.1:5432/asb_test \\
        python benchmarks/bench_central.py [--runs 3] [--cases 10000] [--batch 200]

1. One device pushes N cases in batches (target: 10,000 in <= 20 s).
2. 50 devices push at once against `serve --workers 2`, each batch sent twice as a lost
   acknowledgement would make a laptop do: every case must be stored exactly once, every op
   answered, references unique and without gaps.
3. A team leader pulls all N cases (pages of 1000), then pulls with nothing new (target
   <= 20 ms, median of 200 calls) while the N cases are stored.

Each run uses a freshly created database, dropped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
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
from typing import Any

import httpx
import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from asb_central import cli, people  # noqa: E402
from asb_central.db import Database  # noqa: E402

DEVICES = 50
ESTATES = [f"EST-{i}" for i in range(5)]


def directory() -> dict[str, Any]:
    staff = [
        {"id": f"s-{i:02d}", "name": f"Officer {i}", "roles": ["housing_officer"],
         "patches": [ESTATES[i % len(ESTATES)]]}
        for i in range(DEVICES)
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


@contextlib.contextmanager
def serving(db_url: str, workers: int) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [sys.executable, "-m", "asb_central.cli", "--db", db_url, "serve",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-access-log"]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


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


def push(client: httpx.Client, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = client.post("/v1/push", json={"ops": ops})
    response.raise_for_status()
    results: list[dict[str, Any]] = response.json()["results"]
    if any(r["status"] != "applied" for r in results):
        raise RuntimeError(f"an op was not applied: {results[0]}")
    return results


def one_device(dsn: str, cases: int, batch: int) -> tuple[float, float, float]:
    """(push time, full pull time by a team leader, empty pull median) over `cases` cases."""
    with fresh_database(dsn) as db_url:
        prepare(db_url)
        with serving(db_url, workers=1) as base:
            client = enrol(db_url, base, "s-00")
            ops = [op(document("EST-0", "s-00")) for _ in range(cases)]
            started = time.perf_counter()
            for i in range(0, cases, batch):
                push(client, ops[i : i + batch])
            elapsed = time.perf_counter() - started
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
            return elapsed, full, empty_pulls(leader, since)


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


def many_devices(dsn: str, per_device: int, batch: int) -> tuple[float, str]:
    with fresh_database(dsn) as db_url:
        prepare(db_url)
        with serving(db_url, workers=2) as base:
            clients = [enrol(db_url, base, f"s-{i:02d}") for i in range(DEVICES)]
            plans = [
                [op(document(ESTATES[i % len(ESTATES)], f"s-{i:02d}")) for _ in range(per_device)]
                for i in range(DEVICES)
            ]
            answers: list[list[dict[str, Any]]] = [[] for _ in range(DEVICES)]
            errors: list[BaseException] = []
            gate = threading.Barrier(DEVICES)

            def device(i: int) -> None:
                try:
                    gate.wait()
                    for j in range(0, per_device, batch):
                        chunk = plans[i][j : j + batch]
                        first = push(clients[i], chunk)
                        again = push(clients[i], chunk)  # the acknowledgement "was lost"
                        if first != again:
                            raise RuntimeError("a repeated op got a different answer")
                        answers[i] += first
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=device, args=(i,)) for i in range(DEVICES)]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            if errors:
                raise errors[0]
            total = DEVICES * per_device
            sent = {o["case_id"] for plan in plans for o in plan}
            answered = [r for a in answers for r in a]
            references = sorted(r["reference"] for r in answered)
            checks = {
                "cases stored": count(db_url, "SELECT count(*) FROM cases") == total,
                "distinct cases stored": count(db_url, "SELECT count(DISTINCT id) FROM cases")
                == total,
                "ops stored once": count(db_url, "SELECT count(*) FROM ops") == total,
                "audit rows": count(db_url, "SELECT count(*) FROM case_audit") == total,
                "every case answered": {r["case_id"] for r in answered} == sent,
                "references without gaps": references
                == [f"ASB-2026-{n:06d}" for n in range(1, total + 1)],
            }
            failed = [name for name, ok in checks.items() if not ok]
            verdict = "all checks pass" if not failed else f"FAILED: {', '.join(failed)}"
            return elapsed, f"{total} cases, {len(checks)} checks: {verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default=os.environ.get("ASB_TEST_POSTGRES_DSN"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--per-device", type=int, default=40)
    args = parser.parse_args()
    if not args.dsn:
        sys.exit("set ASB_TEST_POSTGRES_DSN (or --dsn) to a PostgreSQL database URL")

    runs = [one_device(args.dsn, args.cases, args.batch) for _ in range(args.runs)]
    pushes, fulls, pulls = ([r[i] for r in runs] for i in range(3))
    print(f"push {args.cases} cases, one device, batches of {args.batch}: "
          f"median {statistics.median(pushes):.2f} s "
          f"({args.cases / statistics.median(pushes):.0f} cases/s; runs "
          f"{', '.join(f'{t:.2f}' for t in pushes)}; target <= 20 s)")  # fmt: skip
    print(
        f"pull all {args.cases} cases as a team leader, pages of 1000: "
        f"median {statistics.median(fulls):.2f} s (runs {', '.join(f'{t:.2f}' for t in fulls)})"
    )
    print(f"empty pull with {args.cases} cases stored: median {statistics.median(pulls) * 1000:.1f} ms "
          f"(runs {', '.join(f'{p * 1000:.1f}' for p in pulls)} ms; target <= 20 ms)")  # fmt: skip

    crowd = [many_devices(args.dsn, args.per_device, 10) for _ in range(args.runs)]
    print(f"{DEVICES} devices at once, serve --workers 2, each batch sent twice: "
          f"median {statistics.median(t for t, _ in crowd):.2f} s; "
          f"{'; '.join(v for _, v in crowd)}")  # fmt: skip


if __name__ == "__main__":
    main()
