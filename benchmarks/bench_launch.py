"""Launch to a usable window (issue 17) beside a bare window, in the same run, interleaved.

    QT_QPA_PLATFORM=offscreen python3 benchmarks/bench_launch.py [--cases 100000] [--runs 7]
        [--json FILE]

1. app: a fresh `python3` process that opens a store of N synthetic cases, builds ASB
   Desktop's main window and shows it; the clock stops when the caseload's first page is on
   screen (benchmarks/bench_ui.py's child, the same as `python3 -m asb_desktop` less the key
   prompt: the store's key is a raw one, so no passphrase KDF runs).
2. anchor: a fresh `python3` process that imports PySide6, builds a bare QMainWindow holding a
   form of 30 labelled fields and shows it; the clock stops once its event loop has run.

Both clocks start just before the process is spawned (the interpreter's own start counts).
The app's modules are compiled to bytecode first, as an installed or frozen app ships them:
without it (PYTHONDONTWRITEBYTECODE is set here) each start compiles a hundred modules anew.
Prints the medians and their ratio (the target is at most 2); nothing here is pass/fail.
`python3 -X importtime` on the child says what a start imports, and from where.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QMainWindow, QWidget
app = QApplication(sys.argv)
window = QMainWindow()
form = QWidget()
layout = QFormLayout(form)
for n in range(30):
    layout.addRow(f"Field {n + 1}:", QLineEdit())
window.setCentralWidget(form)
window.resize(1366, 768)
window.show()
QTimer.singleShot(0, lambda: (print(f"READY {time.time():.6f}", flush=True), app.quit()))
app.exec()
"""


def spawn(command: list[str]) -> float:
    """Seconds from just before the process is spawned to its READY line."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    launched = time.time()
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env)
    ready = [line for line in done.stdout.splitlines() if line.startswith("READY")]
    if not ready:
        raise RuntimeError(f"the child never said READY: {done.stderr[-2000:]}")
    return float(ready[0].split()[1]) - launched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import bench_ui

    for package in (HERE.parent / "asb_desktop", HERE):
        compileall.compile_dir(package, quiet=1)

    folder = Path(f"/tmp/asb-bench-local-{args.cases}")
    bench_ui.build_store(folder, args.cases)
    app_command = [sys.executable, str(HERE / "bench_ui.py"), "--child-startup", str(folder)]
    bare_command = [sys.executable, "-c", BARE]
    spawn(app_command)  # once, unmeasured: the page cache warm for both, as on a second start
    spawn(bare_command)
    app, bare = [], []
    for _ in range(args.runs):
        app.append(spawn(app_command))
        bare.append(spawn(bare_command))
    value, anchor = statistics.median(app) * 1000, statistics.median(bare) * 1000
    print(f"launch to a usable window, {args.cases:,} cases: {value:7.0f} ms   bare window "
          f"(30 fields) {anchor:7.0f} ms   ratio {value / anchor:4.2f}x   (runs: app "
          + ", ".join(f"{s * 1000:.0f}" for s in app) + "; bare "
          + ", ".join(f"{s * 1000:.0f}" for s in bare) + ")", flush=True)  # fmt: skip
    if args.json:
        figure = {"value": value, "anchor": anchor, "ratio": value / anchor, "unit": "ms",
                  "runs": args.runs}  # fmt: skip
        args.json.write_text(json.dumps({"cases": args.cases, "figures": {"launch": figure}}))


if __name__ == "__main__":
    main()
