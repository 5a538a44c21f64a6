from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.paths import REPO


class Cli:
    """Runs the real `asb-desktop` command in a child process, as an administrator would."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.umask: int | None = None
        self.env = {
            **os.environ,
            "ASB_DESKTOP_DATA_DIR": str(data_dir),
            "ASB_DESKTOP_PASSPHRASE": "test passphrase for the cli",
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
