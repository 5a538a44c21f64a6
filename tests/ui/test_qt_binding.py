"""The Qt binding must not leak references to None: PySide6 6.12.0 did, on every Qt call that
returns nothing, and a long session then aborted Python ("none_dealloc")."""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(40_000):
    label.setText("x")
    label.setVisible(False)
print(before - sys.getrefcount(None))
"""


def test_void_qt_calls_do_not_spend_references_to_none() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert int(done.stdout.strip()) < 100  # a leak would be 40,000 or more
