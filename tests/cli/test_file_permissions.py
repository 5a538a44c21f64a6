"""The data folder is the owner's alone: the folder 0700, the database, its -wal and -shm files
and store.json 0600 (POSIX), whatever the umask, and a store made 0644 by 0.1.0 is tightened."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from tests.cli.conftest import DEMO_DIRECTORY, Cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_a_new_store_is_owner_only(cli: Cli, umask: int, monkeypatch) -> None:
    cli.umask = umask
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    assert mode(cli.data_dir) == 0o700
    assert mode(cli.data_dir / "cases.db") == 0o600
    assert mode(cli.data_dir / "store.json") == 0o600
    # The -wal and -shm files exist only while the store is open: open it here and look
    # (store.json says the key is a passphrase, so no keyring is asked).
    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", cli.env["ASB_DESKTOP_PASSPHRASE"])
    store = Store.open(cli.data_dir, KeyProvider(cli.data_dir))
    try:
        with store.read() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        for name in ("cases.db-wal", "cases.db-shm"):
            assert mode(cli.data_dir / name) == 0o600, name
    finally:
        store.close()


def test_a_store_made_world_readable_is_tightened_on_the_next_command(cli: Cli) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    for name in ("cases.db", "store.json"):
        os.chmod(cli.data_dir / name, 0o644)  # as release 0.1.0 left them
    assert "Audit log intact" in cli.run("verify-audit").stdout
    assert mode(cli.data_dir / "cases.db") == 0o600
    assert mode(cli.data_dir / "store.json") == 0o600
