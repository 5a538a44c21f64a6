"""Enrolment that survives a lost answer, and whose address the rate limit counts: against the
real service (`asb-central serve` on 127.0.0.1) and its database, on SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from asb_central.db import database_url, utcnow
from asb_central.people import CLIENT_MAX_FAILURES
from tests.central.central_support import (
    BACKENDS,
    REPO,
    Server,
    admin,
    query,
    running_central,
)


def new_code(server: Server, user: str = "s-ho") -> str:
    return admin(server.db_url, "enrol-device", "--user", user).strip()


def enrol(
    server: Server, code: str, key: str | None = None, *, forwarded: str | None = None
) -> httpx.Response:
    body: dict[str, str] = {"code": code, "device_name": "Laptop 7"}
    if key is not None:
        body["device_key"] = key
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return httpx.post(f"{server.url}/v1/enrol", json=body, headers=headers)


def me(server: Server, token: str) -> httpx.Response:
    return httpx.get(f"{server.url}/v1/me", headers={"Authorization": f"Bearer {token}"})


def execute(server: Server, sql: str, **params: object) -> None:
    engine = create_engine(database_url(server.db_url))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


def devices_of_code(server: Server, code: str) -> list[str]:
    rows = query(
        server,
        "SELECT d.id FROM devices d JOIN enrolment_codes c ON c.user_id = d.user_id "
        "WHERE c.id = :c AND d.created_at >= c.created_at",
        c=code[:4],
    )
    return [r[0] for r in rows]


def listed_state(server: Server, device_id: str) -> str:
    for line in admin(server.db_url, "device", "list").splitlines():
        if line.startswith(device_id):
            return line.split("\t")[3]
    raise AssertionError(f"device {device_id} is not listed")


def key() -> str:
    return secrets.token_urlsafe(32)


# --- a lost answer ------------------------------------------------------------------------------


def test_the_same_code_and_key_again_is_answered_again_for_the_same_device(
    central: Server,
) -> None:
    code, mine = new_code(central), key()
    first = enrol(central, code, mine)  # its answer is "lost": the laptop never saw the token
    assert first.status_code == 201, first.text
    [device_id] = devices_of_code(central, code)
    assert listed_state(central, device_id).startswith("waiting for the laptop's first call")
    again = enrol(central, code, mine)
    assert again.status_code == 201, again.text
    assert again.json()["device_id"] == first.json()["device_id"] == device_id
    assert again.json()["user"]["id"] == "s-ho"
    assert again.json()["token"] != first.json()["token"]
    assert devices_of_code(central, code) == [device_id]  # no second device, no orphan
    assert me(central, first.json()["token"]).status_code == 401  # the lost token is dead
    assert me(central, again.json()["token"]).status_code == 200  # ...this call confirms it
    assert listed_state(central, device_id) == "active"
    confirmed = enrol(central, code, mine)  # once used, the code is spent for good
    assert confirmed.status_code == 401 and "used" in confirmed.json()["error"]["message"]
    assert me(central, again.json()["token"]).status_code == 200


def test_a_used_code_from_another_laptop_or_without_a_key_is_still_refused(
    central: Server,
) -> None:
    code, mine = new_code(central), key()
    assert enrol(central, code, mine).status_code == 201
    for other in (key(), None):
        refused = enrol(central, code, other)
        assert refused.status_code == 401, refused.text
        assert "used" in refused.json()["error"]["message"]
    assert len(devices_of_code(central, code)) == 1
    without = new_code(central)  # a laptop that sends no key gets what it always got
    assert enrol(central, without).status_code == 201
    assert enrol(central, without).status_code == 401


def test_a_device_never_confirmed_stops_when_its_code_expires(central: Server) -> None:
    code, mine = new_code(central), key()
    answer = enrol(central, code, mine)
    assert answer.status_code == 201
    [device_id] = devices_of_code(central, code)
    past = utcnow() - timedelta(seconds=1)
    execute(central, "UPDATE enrolment_codes SET expires_at = :t WHERE id = :i", t=past, i=code[:4])
    execute(central, "UPDATE devices SET confirm_by = :t WHERE id = :i", t=past, i=device_id)
    assert me(central, answer.json()["token"]).status_code == 401
    assert enrol(central, code, mine).status_code == 401  # too late to ask again
    assert listed_state(central, device_id).startswith("never confirmed: not active")


def test_a_wrong_key_counts_as_a_failure_and_a_retry_does_not(central: Server) -> None:
    code, mine = new_code(central), key()
    before = query(central, "SELECT count(*) FROM enrol_failures")[0][0]
    assert enrol(central, code, mine).status_code == 201
    assert enrol(central, code, mine).status_code == 201
    assert query(central, "SELECT count(*) FROM enrol_failures")[0][0] == before
    assert enrol(central, code, key()).status_code == 401
    assert query(central, "SELECT count(*) FROM enrol_failures")[0][0] == before + 1


@pytest.mark.parametrize("bad", ["short", "x" * 129, "has spaces in it and is long enough ok"])
def test_a_malformed_device_key_is_a_422_naming_it(central: Server, bad: str) -> None:
    response = enrol(central, new_code(central), bad)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "device_key"


# --- forwarded headers ----------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_forwarded_for_is_not_believed_by_default(backend: str, tmp_path: Path) -> None:
    """From the server's own host, a new X-Forwarded-For on every try does not get round the
    limit, and a made-up one does not let a good code through while the real address is
    blocked: with no --trusted-proxy, the address is the peer's."""
    with running_central(backend, tmp_path) as server:
        code = new_code(server)
        for i in range(CLIENT_MAX_FAILURES):
            wrong = enrol(server, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", forwarded=f"198.51.100.{i + 1}")
            assert wrong.status_code == 401
        blocked = enrol(server, code, forwarded="203.0.113.77")
        assert blocked.status_code == 429, blocked.text
        clients = query(server, "SELECT DISTINCT client FROM enrol_failures")
        assert [c[0] for c in clients] == ["127.0.0.1"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_forwarded_for_from_a_listed_proxy_names_the_client(backend: str, tmp_path: Path) -> None:
    """Behind a proxy the administrator listed, each client behind it has its own limit."""
    serve = ("--trusted-proxy", "127.0.0.1", "--trusted-proxy", "10.9.0.0/16")
    with running_central(backend, tmp_path, serve_args=serve) as server:
        for _ in range(CLIENT_MAX_FAILURES):
            assert enrol(server, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", forwarded="198.51.100.1").status_code == 401
        assert enrol(server, new_code(server), forwarded="198.51.100.1").status_code == 429
        # Another client behind the same proxy is not blocked; nor is the proxy itself.
        assert enrol(server, new_code(server), forwarded="198.51.100.2").status_code == 201
        assert enrol(server, new_code(server)).status_code == 201
        # A chain: the address the listed proxies were given, not what the client claimed.
        spoofed = "198.51.100.1, 198.51.100.3, 10.9.4.4"
        assert enrol(server, new_code(server), forwarded=spoofed).status_code == 201
        clients = query(server, "SELECT DISTINCT client FROM enrol_failures")
        assert [c[0] for c in clients] == ["198.51.100.1"]


def test_a_trusted_proxy_that_is_not_an_address_is_a_setup_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "asb_central.cli", "--db", str(tmp_path / "c.sqlite3"), "serve",
         "--port", "1", "--trusted-proxy", "proxy.example"],
        capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "--trusted-proxy 'proxy.example' is not an IP address or network" in result.stderr
