"""A laptop process killed (SIGKILL) in the middle of `asb-desktop sync` resumes on the next run
without losing or duplicating anything."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from asb_desktop.store.audit import verify
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.store.tables import cases, outbox
from tests.paths import REPO
from tests.sync.fault_proxy import DELAY, PASS, FaultProxy
from tests.sync.sync_support import admin, case_document, query, running_central

CASES = 300
PASSPHRASE = "a long test passphrase"


def desktop(data: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        ASB_DESKTOP_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # no keyring: token in the DB
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "asb_desktop", "--data-dir", str(data), *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    return process


def finish(process: subprocess.Popen[str]) -> str:
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, out
    return out


def test_a_laptop_killed_mid_sync_resumes_without_loss_or_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = {"on": True}
    with running_central("sqlite", tmp_path) as server:
        proxy = FaultProxy(
            server.port,
            lambda _n, request: DELAY if slow["on"] and request == "POST /v1/push" else PASS,
            delay=0.4,
        )
        data = tmp_path / "laptop"
        documents = [case_document(estate="EST-NORTH") for _ in range(CASES)]
        (tmp_path / "cases.json").write_text(json.dumps(documents), encoding="utf-8")
        finish(desktop(data, "import", str(tmp_path / "cases.json")))
        code = admin(server.db_url, "enrol-device", "--user", "s-ho").strip()
        enrolled = finish(desktop(data, "enrol", proxy.url, code))
        assert "kept in the encrypted case database" in enrolled  # no keyring on this machine

        running = desktop(data, "sync", "--batch-size", "20")
        deadline = time.monotonic() + 60
        while query(server, "SELECT count(*) FROM cases")[0][0] < 60:
            if running.poll() is not None:
                raise AssertionError(f"sync ended before it was killed: {finish(running)}")
            assert time.monotonic() < deadline, "sync made no progress in 60 s"
            time.sleep(0.05)
        running.send_signal(signal.SIGKILL)
        running.wait()
        stored = query(server, "SELECT count(*) FROM cases")[0][0]
        assert 60 <= stored < CASES  # killed part-way

        slow["on"] = False
        out = finish(desktop(data, "sync"))
        assert "All changes sent." in out
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
