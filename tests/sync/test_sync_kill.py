"""A laptop process killed (SIGKILL) in the middle of `asb-desktop sync` resumes on the next run
without losing or duplicating anything."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from asb_desktop.store.audit import verify
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.store.tables import cases, outbox
from tests.child_processes import Child, started
from tests.paths import REPO
from tests.sync.fault_proxy import HOLD, PASS, FaultProxy
from tests.sync.sync_support import Server, admin, case_document, query, running_central

CASES = 300
BATCH = 20
HELD_PUSH = 4
PASSPHRASE = "a long test passphrase"
FINISH_S = 600  # a loaded machine takes seconds; this is for a hang


def desktop(data: Path, *args: str) -> contextlib.AbstractContextManager[Child]:
    """`asb-desktop` as a child process, ended on leaving the `with` block whatever happens."""
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        ASB_DESKTOP_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # no keyring: token in the DB
    )
    return started(
        [sys.executable, "-m", "asb_desktop", "--data-dir", str(data), *args],
        env=env, stderr=subprocess.STDOUT,
    )  # fmt: skip


def count_cases(server: Server) -> int:
    return int(query(server, "SELECT count(*) FROM cases")[0][0])


def finish(data: Path, *args: str) -> str:
    with desktop(data, *args) as child:
        out = child.finish(FINISH_S)
    assert child.process.returncode == 0, out
    return out


def hold_the_fourth_push() -> Callable[[int, str], str]:
    pushes = 0

    def plan(_number: int, request: str) -> str:
        nonlocal pushes
        if request != "POST /v1/push":
            return PASS
        pushes += 1
        return HOLD if pushes == HELD_PUSH else PASS

    return plan


def test_a_laptop_killed_mid_sync_resumes_without_loss_or_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_central("sqlite", tmp_path) as server:
        proxy = FaultProxy(server.port, hold_the_fourth_push())
        try:
            data = tmp_path / "laptop"
            documents = [case_document(estate="EST-NORTH") for _ in range(CASES)]
            (tmp_path / "cases.json").write_text(json.dumps(documents), encoding="utf-8")
            finish(data, "import", str(tmp_path / "cases.json"))
            code = admin(server.db_url, "enrol-device", "--user", "s-ho").strip()
            enrolled = finish(data, "enrol", proxy.url, code)
            assert "kept in the encrypted case database" in enrolled  # no keyring here

            # Killed while a push is on the line: three batches stored and acknowledged, the
            # fourth sent whole and held by the proxy, so the kill always lands at that point.
            with desktop(data, "sync", "--batch-size", str(BATCH)) as running:
                assert proxy.holding.wait(FINISH_S), f"no fourth push: {running.printed()}"
                assert count_cases(server) == (HELD_PUSH - 1) * BATCH
                running.process.send_signal(signal.SIGKILL)
                running.process.wait()
            # The push in flight still reaches the server, which stores it; the laptop never
            # heard the answer, so it will send those changes again.
            proxy.release()
            deadline = time.monotonic() + FINISH_S
            while count_cases(server) < HELD_PUSH * BATCH:
                assert time.monotonic() < deadline, "the held push never reached the server"
                time.sleep(0.05)
            assert count_cases(server) == HELD_PUSH * BATCH < CASES  # killed part-way

            out = finish(data, "sync")
            assert "All changes sent." in out
        finally:
            proxy.close()

        assert query(server, "SELECT count(*) FROM cases")[0][0] == CASES
        creates = query(server, "SELECT count(*) FROM case_audit WHERE action = 'create'")
        assert creates[0][0] == CASES
        assert query(server, "SELECT count(*) FROM case_conflicts")[0][0] == 0
        central_ops = {row[0] for row in query(server, "SELECT op_id FROM ops")}
        references = dict(query(server, "SELECT id, reference FROM cases"))

    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", PASSPHRASE)
    store = Store.open(data, KeyProvider(data))
    try:
        with store.read() as conn:
            states = conn.execute(outbox.select()).mappings().all()
            local = dict(conn.execute(cases.select().with_only_columns(cases.c.id, cases.c.reference)).all())  # fmt: skip
            assert verify(conn).intact
    finally:
        store.close()
    assert {row["state"] for row in states} == {"sent"}
    assert {row["op_id"] for row in states} == central_ops
    assert local == references
