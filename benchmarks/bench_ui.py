"""Desktop benchmarks (issue 3), with 100,000 synthetic cases stored.

Run on purpose:  QT_QPA_PLATFORM=offscreen python3 benchmarks/bench_ui.py [--runs 5]
Prints medians; nothing here is a pass/fail test. Targets: a usable main window ≤ 1.5 s after
launch (process start to window shown with its first caseload page); caseload first page and a
search ≤ 150 ms; the GUI thread never blocked > 100 ms while saving a report or searching.

The 100,000-case store is built once (a few minutes) into /tmp/asb-bench-ui-100k and reused;
its random key sits beside it in key.hex (synthetic data only).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

START = time.time()  # the child's start-up figure counts from here, before any import
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CACHE = Path("/tmp/asb-bench-ui-100k")
COUNT = 100_000
DIRECTORY = Path(__file__).resolve().parents[1] / "resources" / "demo" / "directory.json"


def key_for(folder: Path):
    from asb_desktop.store.keys import DatabaseKey, FixedKey

    return FixedKey(DatabaseKey.raw(bytes.fromhex((folder / "key.hex").read_text())))


def build_store(folder: Path, count: int) -> None:
    """Once: a store holding `count` synthetic cases, the demo directory, a PIN and an officer."""
    from asb_desktop.app import services_for
    from asb_desktop.services.casework import LabelledDocument
    from asb_desktop.store.database import Store
    from asb_desktop.support.synthetic import synthetic_cases

    if (folder / "complete").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "key.hex").write_text(secrets.token_hex(32))
    services = services_for(Store.open(folder, key_for(folder)), actor="bench")
    services.casework.import_directory(json.loads(DIRECTORY.read_text()))
    services.lock.set_pin("2468")
    services.actions.set_officer("s-ha")
    started = time.perf_counter()
    documents = synthetic_cases(count, seed=3)
    for first in range(0, count, 5000):
        batch = documents[first : first + 5000]
        services.casework.import_documents(
            [LabelledDocument(f"r{first + i}", d) for i, d in enumerate(batch)]
        )
        print(f"  built {first + len(batch):,} cases", file=sys.stderr, flush=True)
    services.close()
    (folder / "complete").write_text(f"{time.perf_counter() - started:.0f} s")


def median_ms(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples) * 1000:7.1f} ms  (runs: "
        + ", ".join(f"{s * 1000:.0f}" for s in samples)
        + ")"
    )


# --- the child: process start to a usable window -----------------------------------------------


def child_startup(folder: Path) -> None:
    """`python3 -m asb_desktop`'s start (ui/launch.run_gui) less the key prompt and the
    presets file: the store opened for the window, its first page shown, then the services."""
    from PySide6.QtWidgets import QApplication

    from asb_desktop.store.database import Store
    from asb_desktop.ui.launch import close_services, window_services
    from asb_desktop.ui.main_window import MainWindow

    app = QApplication(sys.argv)
    store, first_page = Store.open_for_window(folder, key_for(folder))
    services, first_page = window_services(store, first_page, None, actor="bench")
    window = MainWindow(services, first_page)
    window.resize(1366, 768)

    def loaded(rows: int) -> None:
        if rows and window.isVisible():
            print(f"READY {time.time():.6f} {rows}", flush=True)
            app.quit()

    window.caseload.model.sig_loaded.connect(loaded)
    window.show()
    app.exec()
    close_services(services, withdrawn=False)


def bench_startup(folder: Path, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        launched = time.time()
        done = subprocess.run(
            [sys.executable, __file__, "--child-startup", str(folder)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        line = next(x for x in done.stdout.splitlines() if x.startswith("READY"))
        samples.append(float(line.split()[1]) - launched)
    return samples


# --- in-process: caseload pages, search, and the GUI thread's longest stall -----------------


class Heartbeat:
    """A 5 ms timer on the GUI thread; the longest gap between its ticks is the longest block."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.worst


def wait_for(app, condition, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        app.processEvents()
        time.sleep(0.0005)
        if time.perf_counter() > deadline:
            raise TimeoutError("the GUI never got its answer")


def bench_in_process(folder: Path, runs: int) -> dict[str, list[float]]:
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from asb_desktop.app import services_for
    from asb_desktop.store.cases import CaseFilter
    from asb_desktop.store.database import Store
    from asb_desktop.ui.main_window import MainWindow
    from asb_desktop.ui.operations import pending_operations, wait_for_operations

    app = QApplication.instance() or QApplication(sys.argv)
    services = services_for(Store.open(folder, key_for(folder)), actor="bench")
    window = MainWindow(services)
    window.resize(1366, 768)
    window.show()
    model = window.caseload.model
    wait_for(app, lambda: bool(model.lines) and pending_operations() == 0)
    beat = Heartbeat()
    figures: dict[str, list[float]] = {
        "first page": [],
        "search": [],
        "stall searching": [],
        "stall saving": [],
    }
    words = ["Murphy", "Zoë Dvořák", "stairwell", "Canal Side", "Nobody-Such"]
    for run in range(runs):
        for name, where in (
            ("first page", CaseFilter(state="open", descending=bool(run % 2))),
            # As the caseload searches: open cases (its default), soonest due first.
            ("search", CaseFilter(state="open", search=words[run % len(words)])),
        ):
            beat.start()
            started = time.perf_counter()
            model.set_filter(where)
            wait_for(app, lambda: bool(model.lines) or model._exhausted)
            figures[name].append(time.perf_counter() - started)
            wait_for(app, lambda: pending_operations() == 0)
            if name == "search":
                figures["stall searching"].append(beat.stop())
            beat.stop()
        # Saving: a full report through the real guide's save, on the writer thread.
        wizard = window.new_report.wizard
        window.show_screen("new_report")
        wait_for(app, lambda: pending_operations() == 0)
        wizard.start()
        values = _report_values(services.casework.clock())
        for page in wizard.pages:
            page.load(values)
        wizard._go(len(wizard.pages) - 1)
        wait_for(app, lambda: pending_operations() == 0)
        beat.start()
        wizard.save_report()
        wait_for(app, lambda w=wizard: w.stack.currentWidget() is w.done)
        wait_for(app, lambda: pending_operations() == 0)
        figures["stall saving"].append(beat.stop())
        window.show_screen("caseload")
        model.set_filter(replace(model.where, search=None))
        wait_for(app, lambda: pending_operations() == 0)
    window.close()
    wait_for_operations()
    services.close()
    return figures


def _report_values(now):
    moment = now.isoformat()
    return {
        "received_at": moment,
        "channel": "telephone",
        "source_kind": "direct",
        "name": "Zoë O'Brien-Łukasiewicz",
        "address": "Flat 4, 12 Mill Lane, Testtown TT1 1AA",
        "phone": "07700 900123",
        "occurred_at": moment,
        "location": "Stairwell, Block C",
        "description": "Loud music and shouting until 3am",
        "feel": "Frightened",
        "effect_since": "Not sleeping",
        "measures": "Keeps a diary",
        "frequency": "Most nights",
        "severity": "general",
        "estate": "EST-NORTH",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cases", type=int, default=COUNT)
    parser.add_argument("--child-startup", type=Path)
    args = parser.parse_args()
    if args.child_startup:
        child_startup(args.child_startup)
        return
    folder = CACHE if args.cases == COUNT else Path(f"/tmp/asb-bench-ui-{args.cases}")
    build_store(folder, args.cases)
    print(f"ASB Desktop UI benchmarks, {args.cases:,} cases stored, {args.runs} runs")
    print(f"launch to usable window ........ {median_ms(bench_startup(folder, args.runs))}")
    figures = bench_in_process(folder, args.runs)
    print(f"caseload first page ............ {median_ms(figures['first page'])}")
    print(f"caseload search ................ {median_ms(figures['search'])}")
    print(f"longest GUI stall, searching ... {median_ms(figures['stall searching'])}")
    print(f"longest GUI stall, saving ...... {median_ms(figures['stall saving'])}")


if __name__ == "__main__":
    main()
