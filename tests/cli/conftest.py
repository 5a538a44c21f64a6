from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.paths import REPO

PASSPHRASE = "test passphrase for the cli"


class Cli:
    """Runs the real `asb-desktop` command in a child process, as an administrator would."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.umask: int | None = None
        self.env = {
            **os.environ,
            "ASB_DESKTOP_DATA_DIR": str(data_dir),
            "ASB_DESKTOP_PASSPHRASE": PASSPHRASE,
            # No OS keyring in a child process here: the passphrase path is used.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }

    def run(
        self, *args: str, ok: bool = True, first: Sequence[str] = (), **child: Any
    ) -> subprocess.CompletedProcess[str]:
        """`asb-desktop ARGS` (or, with `first`, `python3 FIRST... ARGS`, e.g. `-c CODE` that
        prepares something and then calls the real main())."""
        options: dict[str, Any] = {
            "env": self.env,
            "stdin": subprocess.DEVNULL,  # never a terminal: nothing is asked
            "stdout": subprocess.PIPE,
            "stderr": subprocess.PIPE,
            "text": True,
            "timeout": 300,
            "umask": -1 if self.umask is None else self.umask,
        }
        done = subprocess.run(
            [sys.executable, *(first or ("-m", "asb_desktop")), *args], **{**options, **child}
        )
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    def fails(self, *args: str, code: int = 1, **options: Any) -> str:
        """Run a command that must fail: the exit code, and one sentence (no traceback) on
        stderr, which is returned."""
        done = self.run(*args, ok=False, **options)
        assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr + (done.stdout or ""), done.stderr
        assert done.stderr.strip(), "a failed command says why"
        return done.stderr

    def export(self) -> list[dict[str, Any]]:
        return json.loads(self.run("export").stdout)


@pytest.fixture
def cli(data_dir: Path) -> Cli:
    return Cli(data_dir)


DEMO_DIRECTORY = REPO / "resources" / "demo" / "directory.json"


class PreparedStores:
    """Stores made once a session by the real commands (`make(cli)` runs them on a Cli of its
    own), each copied into a test's data folder: a test that needs a store of 150 cases but is
    not about making one pays milliseconds instead of seconds of child processes.

    A store belongs to its folder (store/place.py), and a copy would be told it has moved (a
    notice, an audit row, its sync link cut), so each copy is bound to its new folder, as the
    command that made it there would have bound it; nothing else in it differs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[str, Path] = {}

    def copy(self, name: str, make: Callable[[Cli], object], cli: Cli) -> None:
        if name not in self.made:
            maker = Cli(self.root / name / "data")
            make(maker)
            self.made[name] = maker.data_dir
        shutil.copytree(self.made[name], cli.data_dir)
        _bind_to_folder(cli.data_dir)


def _bind_to_folder(data_dir: Path) -> None:
    from asb_desktop.store.database import Store
    from asb_desktop.store.keys import DatabaseKey, FixedKey
    from asb_desktop.store.place import moved_here

    store = Store.open(data_dir, FixedKey(DatabaseKey.passphrase(PASSPHRASE)))
    try:
        moved_here(store)
    finally:
        store.close()


@pytest.fixture(scope="session")
def prepared_stores(tmp_path_factory: pytest.TempPathFactory) -> PreparedStores:
    return PreparedStores(tmp_path_factory.mktemp("prepared-stores"))
