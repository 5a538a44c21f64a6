"""`asb-central` administration and device enrolment, against the real service and database."""

from __future__ import annotations

import json
import re
import ssl
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from asb_central.db import database_url, utcnow
from asb_central.people import CLIENT_MAX_FAILURES, CODE_MAX_FAILURES
from tests.central.central_support import (
    REPO,
    Device,
    Server,
    admin,
    case_document,
    op,
    query,
    running_central,
)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asb_central.cli", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


def enrol(server: Server, code: str) -> httpx.Response:
    body = {"code": code, "device_name": "Laptop 7"}
    return httpx.post(f"{server.url}/v1/enrol", json=body, timeout=60)


def execute(server: Server, sql: str, **params: object) -> None:
    engine = create_engine(database_url(server.db_url))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


def test_a_code_is_exchanged_once_for_a_token_whose_hash_alone_is_stored(central: Server) -> None:
    code = admin(central.db_url, "enrol-device", "--user", "s-ho").strip()
    assert len(code) == 19 and code.count("-") == 3
    first = enrol(central, code.lower().replace("-", " "))  # forgiving about case and spacing
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["user"]["id"] == "s-ho" and body["user"]["roles"] == ["housing_officer"]
    assert len(body["token"]) == 43  # 256 bits, base64url
    stored = query(central, "SELECT token_hash FROM devices WHERE id = :d", d=body["device_id"])
    assert body["token"] not in stored[0][0]
    bearer = {"Authorization": f"Bearer {body['token']}"}
    me = httpx.get(f"{central.url}/v1/me", headers=bearer, timeout=60)
    assert me.json()["device_name"] == "Laptop 7"
    again = enrol(central, code)
    assert again.status_code == 401
    assert "used" in again.json()["error"]["message"]


def test_an_expired_code_is_refused(central: Server) -> None:
    code = admin(central.db_url, "enrol-device", "--user", "s-ho").strip()
    execute(
        central,
        "UPDATE enrolment_codes SET expires_at = :t WHERE id = :i",
        t=utcnow() - timedelta(seconds=1),
        i=code[:4],
    )
    assert enrol(central, code).status_code == 401


def test_a_code_is_burned_after_wrong_secrets(central: Server) -> None:
    code = admin(central.db_url, "enrol-device", "--user", "s-ho").strip()
    wrong = code[:5] + ("0000" if code[5:9] != "0000" else "1111") + code[9:]
    for _ in range(CODE_MAX_FAILURES):
        assert enrol(central, wrong).status_code == 401
    assert enrol(central, code).status_code == 401  # the right secret, too late


def test_enrolment_of_an_unknown_user_is_an_admin_error(central: Server) -> None:
    result = run_cli("--db", central.db_url, "enrol-device", "--user", "nobody")
    assert result.returncode == 2
    assert "no active user with id 'nobody'" in result.stderr


def test_user_add_and_list(central: Server) -> None:
    admin(
        central.db_url,
        "user", "add", "--id", "s-new", "--name", "Nell Ward", "--role", "enforcement_officer",
        "--patch", "EST-NORTH",
    )  # fmt: skip
    listed = admin(central.db_url, "user", "list").splitlines()
    assert listed[-1] == "s-new\tNell Ward\tenforcement_officer\tEST-NORTH\t"
    device = Device(central, "s-new")
    directory = device.http.get("/v1/directory").json()
    assert directory["staff"][-1]["id"] == "s-new"


def test_a_bad_directory_file_names_the_field_and_changes_nothing(
    central: Server, tmp_path: Path
) -> None:
    bad = {"format": "asb-directory/1", "staff": [{"id": "x", "name": "X", "roles": ["chief"]}]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    before = admin(central.db_url, "user", "list")
    result = run_cli("--db", central.db_url, "directory", "import", str(path))
    assert result.returncode == 2
    assert "staff[0].roles[0]" in result.stderr and "'chief' is not a known role" in result.stderr
    assert admin(central.db_url, "user", "list") == before
    path.write_text("{not json", encoding="utf-8")
    result = run_cli("--db", central.db_url, "directory", "import", str(path))
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_revoking_an_unknown_device_is_an_admin_error(central: Server) -> None:
    result = run_cli("--db", central.db_url, "revoke-device", "no-such-device")
    assert result.returncode == 2 and "no active device" in result.stderr


def test_response_due_follows_the_configured_nation(central: Server) -> None:
    """St Andrew's Day (Monday 30 November 2026) is a bank holiday in Scotland only."""
    recorder = Device(central, "s-rec")
    friday = case_document(received_at="2026-11-27T10:00:00Z")  # general: 3 working days
    [england] = recorder.push(op(friday))
    assert england["document"]["response_due_at"] == "2026-12-02T17:00:00+00:00"
    admin(central.db_url, "init-db", "--nation", "scotland")
    try:
        [scotland] = recorder.push(op(case_document(received_at="2026-11-27T10:00:00Z")))
        assert scotland["document"]["response_due_at"] == "2026-12-03T17:00:00+00:00"
    finally:
        admin(central.db_url, "init-db", "--nation", "england_and_wales")


def test_a_directory_change_reassigns_stored_cases(central: Server) -> None:
    recorder = Device(central, "s-rec")
    doc = case_document(estate="EST-SOUTH")
    [created] = recorder.push(op(doc))
    assert created["document"]["assigned_to"] is None  # no housing officer on EST-SOUTH yet
    said = admin(
        central.db_url,
        "user", "add", "--id", "s-south", "--name", "Sam South", "--role", "housing_officer",
        "--patch", "EST-SOUTH",
    )  # fmt: skip
    assert re.search(r"saved; [\d,]+ cases? reassigned", said), said
    newcomer = Device(central, "s-south")
    [state] = [c for c in newcomer.pull()["cases"] if c["case_id"] == doc["id"]]
    assert state["document"]["assigned_to"] == "s-south"
    assert state["revision"] == 2
    audit = query(
        central,
        "SELECT user_id, device_id, changed_fields FROM case_audit "
        "WHERE case_id = :c AND action = 'reassess'",
        c=doc["id"],
    )
    assert [tuple(a) for a in audit] == [
        ("asb-central-admin", "central", '["assigned_to","assigned_to_name"]')
    ]


def test_failures_from_one_address_are_rate_limited(central: Server) -> None:
    """Last in this module: it locks 127.0.0.1 out of enrolment for 15 minutes."""
    code = admin(central.db_url, "enrol-device", "--user", "s-ho").strip()
    responses = [enrol(central, "ZZZZ-ZZZZ-ZZZZ-ZZZZ") for _ in range(CLIENT_MAX_FAILURES + 1)]
    assert responses[-1].status_code == 429
    assert "wait 15 minutes" in responses[-1].json()["error"]["message"]
    assert enrol(central, code).status_code == 429  # even a good code, until the window passes


def test_serve_refuses_a_database_that_was_not_initialised(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "empty.sqlite3"), "serve", "--port", "1")
    assert result.returncode == 2
    assert "run `asb-central init-db` first" in result.stderr


def test_init_db_is_repeatable_and_sets_the_nation(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    assert "england_and_wales" in run_cli("--db", db, "init-db").stdout
    again = run_cli("--db", db, "init-db", "--nation", "scotland")
    assert again.returncode == 0 and "bank holidays: scotland" in again.stdout


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_serve_speaks_tls_when_given_a_certificate(
    certificate: tuple[Path, Path], tmp_path: Path
) -> None:
    with running_central("sqlite", tmp_path) as plain:
        server = Server(plain.db_url, tmp_path / "tls.log", tls=certificate)
        try:
            assert server.url.startswith("https://")
            trusted = ssl.create_default_context(cafile=str(certificate[0]))
            health = httpx.get(f"{server.url}/health", verify=trusted, timeout=60)
            assert health.json() == {"status": "ok", "api": "v1"}
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"{server.url}/health", timeout=60)  # an unknown CA is refused
        finally:
            server.stop()


def test_an_unreachable_database_is_reported_in_a_sentence() -> None:
    with_port = "postgresql+psycopg://asb:asb@127.0.0.1:1/none"
    for args in (["init-db"], ["user", "list"], ["serve", "--port", "1"]):
        result = run_cli("--db", with_port, *args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("asb-central:") and "Traceback" not in result.stderr
