"""Revoked means gone: a laptop revoked centrally sends what it may (a retired one: its unsent
changes; a lost one: nothing), says so, and deletes its local store, so the case's marker is in
no file of its data folder; a 401 or an answer that does not prove the revocation deletes
nothing. Real laptops (SQLCipher stores) against the real central service on SQLite and
PostgreSQL, and the real `asb-desktop sync` command."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from asb_desktop.app import open_services
from asb_desktop.cli.main import main
from asb_desktop.store.settings import set_setting
from asb_desktop.support.logs import current_log_file
from asb_desktop.sync import protocol as p
from asb_desktop.sync.enrolment import URL_SETTING
from asb_desktop.sync.withdrawal import delete_local_store
from tests.conftest import MemoryKeyring
from tests.sync.sync_support import Laptop, Server, admin, query
from tests.sync.test_sync_removal import (  # log_folder: the log is scanned too (autouse)
    files_holding,
    log_folder,  # noqa: F401
    marker,
    record_marked,
)

Factory = Callable[..., Laptop]


def assert_log_clean(mark: str) -> None:
    log = current_log_file()
    assert log is not None and "sync.withdrawn" in log.read_text(encoding="utf-8")
    assert files_holding(log.parent, mark) == []


def device_of(laptop: Laptop) -> str:
    settings = laptop.sync.engine.settings()
    assert settings is not None
    return settings.device_id


def events(central: Server, device_id: str) -> list[str]:
    history = admin(central.db_url, "device", "history", device_id)
    return [line.split("\t")[1] for line in history.splitlines()]


def test_a_retired_laptop_sends_its_unsent_change_then_deletes_its_store_and_says_so(
    central: Server,
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = admin(central.db_url, "enrol-device", "--user", "s-ho").strip()
    assert main(["--data-dir", str(data_dir), "enrol", central.url, code]) == 0
    mark = marker()
    services = open_services(data_dir)
    try:
        case_id = record_marked(services, mark, estate="EST-NORTH")  # typed, never sent
        device_id = services.sync.engine.settings().device_id  # type: ignore[union-attr]
    finally:
        services.close()
    assert memory_keyring.secrets  # the database key and the device token
    said = admin(central.db_url, "revoke-device", "--retire", device_id)
    assert "(retire)" in said
    capsys.readouterr()

    assert main(["--data-dir", str(data_dir), "sync"]) == 1

    err = capsys.readouterr().err
    assert "This laptop was withdrawn from the central store by its administrator" in err
    assert "as retired" in err and "1 change was sent first." in err
    assert "Nothing typed on this laptop is lost" in err
    assert f"the case database in {data_dir} was deleted." in err
    [(stored,)] = query(central, "SELECT document FROM cases WHERE id = :id", id=case_id)
    assert mark in stored  # the unsent change reached the central store first
    assert not data_dir.exists() or files_holding(data_dir, mark) == []
    assert not (data_dir / "cases.db").exists() and not (data_dir / "store.json").exists()
    assert memory_keyring.secrets == {}  # its key and token are gone from the keyring
    assert_log_clean(mark)
    assert events(central, device_id) == [
        "revoked_retire",
        "told_to_delete",
        "deleting_local_store",
    ]
    # The folder is as before the first run: a command finds no store, and none is refused.
    assert main(["--data-dir", str(data_dir), "sync"]) == 1
    assert "Not connected to a central store yet." in capsys.readouterr().out


def test_a_lost_laptop_sends_nothing_and_deletes_what_it_held(
    central: Server, laptop_factory: Factory
) -> None:
    leader, officer = laptop_factory("leader", actor="s-tl"), laptop_factory("officer")
    leader.enrol(central, "s-tl")
    officer.enrol(central, "s-ho")
    mark = marker()
    case_id = record_marked(leader, mark, estate="EST-NORTH")  # the patch officer's: s-ho
    leader.sync_until_done()
    officer.sync_until_done()
    assert case_id in officer.local_cases()
    officer.edit(case_id, frequency="typed on the stolen laptop")
    device_id = device_of(officer)
    admin(central.db_url, "revoke-device", device_id)

    summary = officer.sync.sync()  # an automatic sync, as the thief opens the lid

    assert summary.withdrawn == "lost" and not summary.ok
    assert summary.sent == 0 and summary.unsent == 1
    [words] = summary.lines()
    assert "as lost or stolen" in words
    assert "1 change could not be sent and is deleted with it" in words
    [(stored,)] = query(central, "SELECT document FROM cases WHERE id = :id", id=case_id)
    assert "typed on the stolen laptop" not in stored  # nothing was taken from it
    officer.close()
    removed = delete_local_store(officer.folder)
    assert "cases.db" in removed
    assert not officer.folder.exists() or files_holding(officer.folder, mark) == []
    assert_log_clean(mark)
    assert events(central, device_id) == ["revoked_lost", "told_to_delete", "deleting_local_store"]
    leader.sync_until_done()  # the leader's laptop is untouched
    assert case_id in leader.local_cases()


def test_a_401_deletes_nothing_and_asks_to_connect_again(
    central: Server, laptop_factory: Factory
) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    [case_id] = laptop.record(1, estate="EST-NORTH")
    laptop.sync.engine.vault.save("an-unknown-token-" + uuid.uuid4().hex)  # a restored store
    laptop.sync.engine.forget_client()

    summary = laptop.sync.sync()

    assert summary.withdrawn is None and summary.error_kind == "auth"
    assert "connect it again" in (summary.error or "")
    assert summary.status and summary.status.needs_sign_in and summary.status.waiting == 1
    assert case_id in laptop.local_cases()
    assert (laptop.folder / "cases.db").stat().st_size > 0
    automatic = laptop.sync.sync()
    assert automatic.skipped and "connect this laptop again" in automatic.skipped
    laptop.enrol(central, "s-ho")
    assert laptop.sync.sync().sent == 1  # connected again, nothing lost


class _Forger(BaseHTTPRequestHandler):
    """Answers every call with a revocation for the right device but a made-up proof."""

    device_id = ""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        fake = p.revocation_proof(p.token_hash("not this laptop's token"), self.device_id, "lost")
        body = json.dumps(
            {
                "error": {"message": "revoked", "field": None},
                "revoked": {"device_id": self.device_id, "mode": "lost", "proof": fake},
            }
        ).encode()
        self.send_response(410)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def forger() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Forger)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_revocation_that_is_not_proved_deletes_nothing(
    central: Server, laptop_factory: Factory, forger: ThreadingHTTPServer
) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    [case_id] = laptop.record(1, estate="EST-NORTH")
    _Forger.device_id = device_of(laptop)
    with laptop.store.write() as conn:  # the laptop now talks to a server that is not its own
        set_setting(conn, URL_SETTING, f"http://127.0.0.1:{forger.server_address[1]}")

    summary = laptop.sync.sync(force=True)

    assert summary.withdrawn is None and not summary.ok
    assert "did not prove it for this laptop: nothing was deleted" in (summary.error or "")
    assert case_id in laptop.local_cases()
