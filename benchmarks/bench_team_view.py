"""The team view's first paint with 100,000 cases (issue 16), beside the same counts as plain SQL.

Run on purpose:  QT_QPA_PLATFORM=offscreen python3 benchmarks/bench_team_view.py [--runs 7]
Prints medians; nothing here is a pass/fail test. Target: first paint <= 150 ms.

- first paint: the team view built, its figures read (on the worker thread, as in the window)
  and shown, and the screen painted at 1366x768 (the charts follow after the first paint);
- plain SQL (the anchor): the same three aggregate statements, compiled once, run straight on
  the same store's connection, nothing else;
- also: the charts drawn (Matplotlib already loaded), and Matplotlib's one-off import.

The period is every day from the first case to today, so all 100,000 cases are counted. The
store (synthetic cases with first responses, risk, kinds of ASB, actions and closings; a few
minutes to build) is kept in /tmp/asb-bench-team-100k, its random key beside it (synthetic data
only).
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
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CACHE = Path("/tmp/asb-bench-team-100k")
COUNT = 100_000
DIRECTORY = Path(__file__).resolve().parents[1] / "resources" / "demo" / "directory.json"


def key_for(folder: Path):
    from asb_desktop.store.keys import DatabaseKey, FixedKey

    return FixedKey(DatabaseKey.raw(bytes.fromhex((folder / "key.hex").read_text())))


def build_store(folder: Path, count: int) -> None:
    """Once: `count` synthetic cases imported through the real services, the demo directory."""
    from asb_desktop.app import services_for
    from asb_desktop.services.casework import LabelledDocument
    from asb_desktop.store.database import Store
    from asb_desktop.support.synthetic import synthetic_cases
    from asb_desktop.support.synthetic_team import team_mix

    if (folder / "complete").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "key.hex").write_text(secrets.token_hex(32))
    services = services_for(Store.open(folder, key_for(folder)), actor="bench")
    services.casework.import_directory(json.loads(DIRECTORY.read_text()))
    services.actions.set_officer("s-tl")
    started = time.perf_counter()
    documents = team_mix(synthetic_cases(count, seed=3), seed=3, now=datetime.now(UTC))
    for first in range(0, count, 5000):
        batch = documents[first : first + 5000]
        services.casework.import_documents(
            [LabelledDocument(f"r{first + i}", d) for i, d in enumerate(batch)]
        )
        print(f"  built {first + len(batch):,} cases", file=sys.stderr, flush=True)
    services.close()
    (folder / "complete").write_text(f"{time.perf_counter() - started:.0f} s")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def whole_period(services) -> object:
    from sqlalchemy import func, select

    from asb_desktop.domain.figures import Period
    from asb_desktop.store.tables import cases

    with services.store.read() as conn:
        first = conn.execute(select(func.min(cases.c.received_at))).scalar_one()
    return Period(date.fromisoformat(first[:10]), datetime.now(UTC).date())


def plain_sql_statements(period, now) -> list[str]:
    """The three statements the team view runs, compiled to SQL text with their values."""
    from sqlalchemy.dialects import sqlite

    from asb_desktop.domain.team_figures import trend_months
    from asb_desktop.store import team_figures

    captured: list[str] = []

    class Nothing:
        def __iter__(self):
            return iter(())

        def one(self):
            return (0, 0, 0, 0, 0, 0)

    class Capture:
        def execute(self, statement):
            captured.append(
                str(
                    statement.compile(
                        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
                    )
                )
            )
            return Nothing()

    team_figures.period_counts(Capture(), period)  # type: ignore[arg-type]
    team_figures.month_counts(Capture(), trend_months(now), now)  # type: ignore[arg-type]
    team_figures.open_counts(Capture(), now)  # type: ignore[arg-type]
    return captured


def bench_plain_sql(conn, statements: list[str], runs: int) -> list[float]:
    """On one connection kept open (its page cache warm, as the app's reading thread's is)."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        for statement in statements:
            conn.exec_driver_sql(statement).fetchall()
        samples.append(time.perf_counter() - started)
    return samples


def wait_for(app, condition, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("the team view did not show its figures in time")
        time.sleep(0.0005)


def bench_first_paint(app, services, period, runs: int) -> dict[str, list[float]]:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QScrollArea

    from asb_desktop.services.team_view import TeamView
    from asb_desktop.ui.team.team_screen import TeamScreen

    found: dict[str, list[float]] = {"paint": [], "charts": []}
    for run in range(runs + 1):  # the first run is not counted (a first opening's costs)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.resize(1366 - 170, 768 - 60)  # the window less its rail and status bar
        started = time.perf_counter()
        screen = TeamScreen(TeamView(services.casework), services.casework.calendar())
        screen.first_day.setDate(QDate(period.first.year, period.first.month, period.first.day))
        area.setWidget(screen)
        area.show()
        screen.refresh()
        wait_for(app, lambda s=screen: s.figures is not None)
        area.repaint()  # the first paint, the figures in it
        painted = time.perf_counter()
        wait_for(app, lambda s=screen: "months" in s.charts)
        screen.charts["months"].canvas.draw()
        screen.charts["officers"].canvas.draw()
        drawn = time.perf_counter()
        if run:
            found["paint"].append(painted - started)
            found["charts"].append(drawn - painted)
        area.close()
        area.deleteLater()
        app.processEvents()
    return found


def matplotlib_import_ms() -> float:
    """Matplotlib's import in a fresh process beside Qt (what the first opening pays once)."""
    code = (
        "import time, PySide6.QtWidgets;t=time.perf_counter();"
        "from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg;"
        "from matplotlib.figure import Figure;print(time.perf_counter()-t)"
    )
    samples = [float(subprocess.check_output([sys.executable, "-c", code])) for _ in range(3)]
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--folder", type=Path, default=CACHE)
    args = parser.parse_args()
    build_store(args.folder, args.count)

    from PySide6.QtWidgets import QApplication

    from asb_desktop.app import services_for
    from asb_desktop.store.database import Store

    app = QApplication.instance() or QApplication([])
    services = services_for(Store.open(args.folder, key_for(args.folder)), actor="bench")
    period = whole_period(services)
    now = datetime.now(UTC)
    statements = plain_sql_statements(period, now)
    engine = services.store.engine
    with engine.connect() as conn:
        bench_plain_sql(conn, statements, 2)  # warm its page cache, as the window's would be
        bench_first_paint(app, services, period, 0)  # and Matplotlib loaded once (apart)
        # One of each in turn, so a busy machine slows both alike.
        sql: list[float] = []
        ui: dict[str, list[float]] = {"paint": [], "charts": []}
        for _ in range(args.runs):
            sql += bench_plain_sql(conn, statements, 1)
            for key, samples in bench_first_paint(app, services, period, 1).items():
                ui[key] += samples
    first_paint, anchor = median_ms(ui["paint"]), median_ms(sql)
    print(f"cases: {args.count:,}, period {period.first} to {period.last}, runs: {args.runs}")
    print(f"team view first paint (median): {first_paint:7.1f} ms   target <= 150 ms")
    print(f"same counts as plain SQL:       {anchor:7.1f} ms   (anchor, the same store)")
    print(f"ratio:                          {first_paint / anchor:7.2f}x")
    print(f"charts drawn after it (median): {median_ms(ui['charts']):7.1f} ms")
    print(f"Matplotlib's one-off import:    {matplotlib_import_ms():7.1f} ms (first opening only)")
    services.close()


if __name__ == "__main__":
    main()
