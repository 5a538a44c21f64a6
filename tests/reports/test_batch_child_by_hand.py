"""The summaries' child is started by the window; run by hand with something else on its
standard input, it says so in a sentence, exits non-zero, and writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asb_desktop.support.child_pipe import SUMMARIES_CHILD


@pytest.mark.parametrize(
    "given", [b"garbage\n", b"\x00" * 8 + b"x", b"\x00\x00\x00\x00\x00\x00\x00\x05hello"]
)
def test_the_child_run_by_hand_says_what_it_is(tmp_path: Path, given: bytes) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asb_desktop", SUMMARIES_CHILD],
        input=given,
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "ASB_DESKTOP_DATA_DIR": str(tmp_path / "data")},
        timeout=120,
    )
    said = done.stderr.decode()
    assert done.returncode == 2, said
    assert "Traceback" not in said
    assert "is started by the window's Summaries of this list" in said
    assert list(tmp_path.iterdir()) == []
