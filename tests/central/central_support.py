"""Running the real central service for tests: a fresh database, uvicorn on 127.0.0.1, clients.

Named uniquely because tests/ has no packages (all test folders share one import namespace).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from asb_central import cli
from asb_central.db import database_url
from tests.paths import REPO

ENV_DSN = "ASB_TEST_POSTGRES_DSN"

DIRECTORY: dict[str, Any] = {
    "format": "asb-directory/1",
    "staff": [
        {"id": "s-ho", "name": "Hana Ali", "roles": ["housing_officer"], "patches": ["EST-NORTH"]},
        {
            "id": "s-ho2",
            "name": "Hugo Bell",
            "roles": ["housing_officer"],
            "patches": ["EST-NORTH"],
        },
        {"id": "s-eo", "name": "Ed Owen", "roles": ["enforcement_officer"]},
        {
            "id": "s-sc",
            "name": "Iris Cole",
            "roles": ["scheme_coordinator"],
            "schemes": ["SCH-OAK"],
        },
        {"id": "s-tl", "name": "Tom Lee", "roles": ["team_leader"], "patches": ["EST-NORTH"]},
        {"id": "s-tl2", "name": "Nia Tran", "roles": ["team_leader"], "patches": ["EST-SOUTH"]},
        {"id": "s-hm", "name": "Mo Khan", "roles": ["housing_manager"], "patches": ["EST-NORTH"]},
        {
            "id": "s-dir",
            "name": "Dee Reid",
            "roles": ["director_of_operations"],
            "patches": ["EST-NORTH", "EST-SOUTH"],
        },
        {"id": "s-hr", "name": "Rae Holt", "roles": ["hr_od_manager"]},
        {"id": "s-rec", "name": "Rob Case", "roles": ["housing_officer"]},
    ],
    "estates": [
        {"code": "EST-NORTH", "name": "Northfields"},
        {"code": "EST-SOUTH", "name": "Southmead"},
    ],
    "schemes": [{"code": "SCH-OAK", "name": "Oak Court", "kind": "independent_living"}],
}


def admin(db_url: str, *args: str) -> str:
    """Run an `asb-central` command in this process (the real CLI code); return its stdout."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--db", db_url, *args])
    if code != 0:
        raise AssertionError(f"asb-central {args[0]} failed: {err.getvalue()}")
    return out.getvalue()


def query(server: Server, sql: str, **params: Any) -> list[Any]:
    """Look straight into the central database, to check what was (not) stored."""
    engine = create_engine(database_url(server.db_url))
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())
    finally:
        engine.dispose()


def postgres_dsn() -> str:
    dsn = os.environ.get(ENV_DSN)
    if not dsn:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {ENV_DSN} is not set: PostgreSQL tests must run in CI")
        pytest.skip(f"set {ENV_DSN} to run the PostgreSQL tests")
    return dsn


@contextlib.contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[str]:
    """A new, empty database for one test module: a SQLite file, or a uniquely named PG database."""
    if backend == "sqlite":
        yield str(workdir / "central.sqlite3")
        return
    import psycopg

    url = make_url(postgres_dsn())
    server = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"asb_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


HEALTH_DEADLINE_S = 180  # a loaded 2-core CI machine starts uvicorn in seconds; this is for hangs
STOP_DEADLINE_S = 60


class Server:
    """`asb-central serve` as a subprocess on 127.0.0.1, in a process group of its own (uvicorn's
    worker processes with it), so whatever happens the whole group is ended: `stop()` asks it to
    shut down and kills what is left, `kill()` kills at once, and a server that never answers
    /health is killed before the error is raised."""

    def __init__(
        self,
        db_url: str,
        log: Path,
        *,
        workers: int = 1,
        tls: tuple[Path, Path] | None = None,
        serve_args: tuple[str, ...] = (),
    ) -> None:
        self.db_url = db_url
        self.log = log
        self._args = [
            "--db", db_url, "serve", "--host", "127.0.0.1", "--workers", str(workers),
            "--no-access-log",
        ]  # fmt: skip
        if tls:
            self._args += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
        self._args += serve_args
        verify: Any = ssl.create_default_context(cafile=str(tls[0])) if tls else True
        self._scheme = "https" if tls else "http"
        for _ in range(3):
            self._start()
            try:
                if self._wait(verify):
                    return
            except BaseException:
                self.kill()
                raise
            self.kill()  # the free port was taken by someone else meanwhile: another port
        raise AssertionError(f"server could not get a free port:\n{self._log_text()}")

    def _start(self) -> None:
        self.port = free_port()
        self.url = f"{self._scheme}://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=str(REPO))
        env.pop("FORWARDED_ALLOW_IPS", None)  # uvicorn's own setting must not decide for us
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "asb_central.cli", *self._args, "--port", str(self.port)],
            stdout=self._log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip

    def _log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def _wait(self, verify: Any) -> bool:
        """True once /health answers; False if the port was in use; raises on anything else."""
        deadline = time.monotonic() + HEALTH_DEADLINE_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self._log_text()
                if "address already in use" in log.lower():
                    return False
                raise AssertionError(f"server exited: {log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/health", timeout=5, verify=verify).status_code == 200:
                    return True
            time.sleep(0.1)
        raise AssertionError(
            f"server did not answer /health within {HEALTH_DEADLINE_S} s:\n{self._log_text()}"
        )

    def _end_group(self, graceful: bool) -> None:
        """End the server and every process of its group; the log file is closed."""
        try:
            if graceful and self.process.poll() is None:
                self.process.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=STOP_DEADLINE_S)
            # The group id stays reserved while any member lives, so this reaches only what is
            # left of this server (a worker the parent did not take down with it).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        finally:
            self._log_file.close()

    def kill(self) -> None:
        """SIGKILL, as a crash or a pulled plug would."""
        self._end_group(graceful=False)

    def stop(self) -> None:
        self._end_group(graceful=True)
        log = self._log_text()
        assert "Traceback" not in log, f"the server logged an exception:\n{log}"
        assert "unexpected" not in log, f"the server hit an unexpected error:\n{log}"


class Device:
    """An enrolled laptop: an httpx client carrying its bearer token."""

    def __init__(self, server: Server, user_id: str, name: str = "t") -> None:
        code = admin(server.db_url, "enrol-device", "--user", user_id).strip()
        response = httpx.post(
            f"{server.url}/v1/enrol", json={"code": code, "device_name": name}, timeout=60
        )
        assert response.status_code == 201, response.text
        body = response.json()
        self.user_id = user_id
        self.device_id = body["device_id"]
        self.token = body["token"]
        self.http = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=60
        )

    def push(self, *ops: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.http.post("/v1/push", json={"ops": list(ops)})
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def pull(self, since: int = 0, limit: int = 200) -> dict[str, Any]:
        response = self.http.get("/v1/changes", params={"since": since, "limit": limit})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def case_document(**changes: Any) -> dict[str, Any]:
    """A minimal valid case document with a new id; top-level keys replaced by `changes`."""
    doc: dict[str, Any] = {
        "format": "asb-case/1",
        "id": str(uuid.uuid4()),
        "received_at": "2026-03-10T09:30:00Z",
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "complainant": {"anonymous": False, "name": "Ann Example"},
        "incidents": [
            {"id": "inc-1", "occurred_at": "2026-03-09T22:00:00Z", "description": "Loud music"}
        ],
    }
    doc.update(copy.deepcopy(changes))
    return doc


def op(document: dict[str, Any], base_revision: int | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "case_id": document["id"],
        "base_revision": base_revision,
        "document": document,
        **extra,
    }


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextlib.contextmanager
def running_central(
    backend: str, workdir: Path, *, workers: int = 1, serve_args: tuple[str, ...] = ()
) -> Iterator[Server]:
    """A fresh database, initialised with DIRECTORY, served by a real uvicorn process
    (`asb-central serve` with `serve_args` added)."""
    with fresh_database(backend, workdir) as db_url:
        admin(db_url, "init-db")
        directory_file = workdir / "directory.json"
        directory_file.write_text(json.dumps(DIRECTORY), encoding="utf-8")
        admin(db_url, "directory", "import", str(directory_file))
        server = Server(db_url, workdir / "server.log", workers=workers, serve_args=serve_args)
        try:
            yield server
        finally:
            server.stop()
