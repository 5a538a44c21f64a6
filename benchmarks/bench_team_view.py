"""The team view's first paint with 100,000 cases (issue 16), beside the same counts as plain SQL.

Run on purpose:  QT_QPA_PLATFORM=offscreen python3 benchmarks/bench_team_view.py [--runs 9]
Prints medians; nothing here is a pass/fail test. Target: first paint <= 150 ms.

- first paint: in the real main window (1366x768, exposed, signed in as a Team Leader), from
  Ctrl+T to the first paint event of the screen's "Overdue now, by officer" list once it holds
  real figures (the headline: the period's cases by state and overdue work by officer), driven
  by the GUI event loop; the clock stops when that paint's event-loop turn returns. Each run is
  a first opening: the screen built anew.
- the anchor: the same counts as plain SQL (the statements read before that paint, compiled
  once, run straight on one connection of the same SQLCipher store), interleaved run by run
  with the window's. Both warm: the file in the OS cache, two uncounted runs of each first.
- also: every table filled and painted (beside all the figures' statements as plain SQL), the
  charts drawn after it, the longest the GUI thread went without an event-loop turn from
  Ctrl+T to the charts drawn (and from every table painted to the charts drawn: the charts'
  part), CPU time (time.process_time: every thread of this process, the
  readers' too) beside wall time, and the machine's load.

The period is every day from the first case to today, so all 100,000 cases are counted. The
store (synthetic cases with first responses, risk, kinds of ASB, actions and closings; a few
minutes to build) is kept in /tmp/asb-bench-team-100k, its random key beside it (synthetic data
only); the bench sets a PIN on it and marks today's reminders seen.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CACHE = Path("/tmp/asb-bench-team-100k")
COUNT = 100_000
PIN = "482916"  # the synthetic store's only
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


def statements_of(read) -> list[str]:
    """What `read(conn)` runs, compiled to SQL text with its values (nothing is run)."""
    from sqlalchemy.dialects import sqlite

    captured: list[str] = []

    class Nothing:
        def __iter__(self):
            return iter(())

        def one(self):
            return (0, 0, 0, 0, 0, 0)

        def scalar_one(self):
            return 0

    class Capture:
        def execute(self, statement):
            compiled = statement.compile(
                dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
            )
            captured.append(str(compiled))
            return Nothing()

    read(Capture())
    return captured


def headline_statements(period, now) -> list[str]:
    """What the screen reads before its first paint: the period's cases by state and the open
    cases' overdue work by officer (before the headline, the first paint waited for it all)."""
    from asb_desktop.store import team_figures

    if not hasattr(team_figures, "state_counts"):
        return all_statements(period, now)
    return statements_of(
        lambda conn: (
            team_figures.state_counts(conn, period),
            team_figures.overdue_counts(conn, now),
        )
    )


def all_statements(period, now) -> list[str]:
    """Every statement the screen runs for all its tables."""
    from asb_desktop.domain.team_figures import trend_months
    from asb_desktop.store import team_figures

    def read(conn) -> None:
        if hasattr(team_figures, "state_counts"):
            team_figures.state_counts(conn, period)
        team_figures.open_counts(conn, now)
        team_figures.period_counts(conn, period)
        team_figures.month_counts(conn, trend_months(now), now)

    return statements_of(read)


def plain_sql(conn, statements: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds for the statements, on one connection kept open (warm)."""
    started, cpu = time.perf_counter(), time.process_time()
    for statement in statements:
        conn.exec_driver_sql(statement).fetchall()
    return time.perf_counter() - started, time.process_time() - cpu


def wait_for(app, condition, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        app.processEvents()
        if condition():
            return
        if time.perf_counter() > deadline:
            raise TimeoutError("the team view did not show its figures in time")
        time.sleep(0.0002)


def prepare_store(services) -> None:
    """The window opens signed in (a PIN set), today's reminders already seen, so Ctrl+T
    reaches the team view at once."""
    from asb_desktop.services.reminders import london_day, mark_seen

    if not services.lock.has_pin():
        services.lock.set_pin(PIN)
    mark_seen(services.casework, london_day(datetime.now(UTC)))


def count_every_case(period) -> None:
    """The screen opens on the financial year so far; here on the first case's day instead
    (its From day's default), so its first paint counts all the cases, as the anchor does."""
    from asb_desktop.ui.team import team_screen

    team_screen.financial_year_start = lambda _today: period.first


def open_window(app, services):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialog

    from asb_desktop.ui.main_window import MainWindow

    window = MainWindow(services)
    ready: list[bool] = []
    window.sig_ready.connect(lambda: ready.append(True))
    window.resize(1366, 768)
    window.show()
    QTest.qWaitForWindowExposed(window)
    wait_for(app, lambda: bool(ready))
    for widget in app.topLevelWidgets():  # today's reminders, if shown anyway
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.close()
    settle(app, 1.0)
    return window


def settle(app, seconds: float) -> None:
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        app.processEvents()
        time.sleep(0.005)


class Watch:
    """Paint events of the team screen's first figures (the overdue list) and of its last
    table (cases by officer) once each holds real figures; and the longest time the GUI thread
    went without an event-loop turn (a zero timer's ticks)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        watch = self

        class Painted(QObject):
            def eventFilter(self, watched, event):
                if event.type() == QEvent.Type.Paint:
                    watch.seen_paint(watched)
                return False

        self.filter = Painted()
        self.screen = None
        self.first_painted = self.all_painted = False
        self.last_tick = time.perf_counter()
        self.longest_gap = 0.0
        self.gaps: list[tuple[float, float]] = []  # (when a turn ended, how long it was)
        self.timer = QTimer()
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        self.longest_gap = max(self.longest_gap, now - self.last_tick)
        self.gaps.append((now, now - self.last_tick))
        self.last_tick = now

    def longest_after(self, moment: float) -> float:
        """The longest turn that ended after `moment` (the charts' part)."""
        return max((gap for when, gap in self.gaps if when > moment), default=0.0)

    def follow(self, screen) -> None:
        self.screen = screen
        screen.overdue.viewport().installEventFilter(self.filter)
        screen.officer_table.viewport().installEventFilter(self.filter)

    def seen_paint(self, widget) -> None:
        screen = self.screen
        if widget is screen.overdue.viewport() and (
            getattr(screen, "headline", None) is not None or screen.figures is not None
        ):
            self.first_painted = True
        if widget is screen.officer_table.viewport() and screen.figures is not None:
            self.all_painted = True

    def stop(self) -> None:
        self.timer.stop()


def forget_team_screen(app, window) -> None:
    """So the next Ctrl+T is a first opening: the screen built and its figures read anew."""
    if window.team is not None:
        holder = window.screens.scroll_area(window.team) or window.team
        window.show_screen("caseload")
        window.screens.removeWidget(holder)
        holder.deleteLater()
        window.team = None
    settle(app, 0.3)


def first_opening(app, window) -> dict[str, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    forget_team_screen(app, window)
    watch = Watch()
    settle(app, 0.05)
    watch.longest_gap = 0.0
    watch.gaps.clear()
    watch.last_tick = time.perf_counter()
    started, cpu = time.perf_counter(), time.process_time()
    QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    screen = window.team
    assert screen is not None, "Ctrl+T did not open the team view"
    watch.follow(screen)  # before any event is handled: the figures arrive through the loop
    wait_for(app, lambda: watch.first_painted)
    first, first_cpu = time.perf_counter(), time.process_time()
    wait_for(app, lambda: watch.all_painted)
    every, every_cpu = time.perf_counter(), time.process_time()
    if hasattr(screen, "charts_drawn"):  # drawn to images on a worker
        wait_for(app, screen.charts_drawn)
    else:  # before: drawn on the GUI thread by Matplotlib's Qt canvas
        wait_for(app, lambda: "months" in screen.charts)
        canvases = [screen.charts[key].canvas for key in ("officers", "months")]
        wait_for(app, lambda: not any(getattr(c, "_draw_pending", False) for c in canvases))
    app.processEvents()  # the drawn charts painted
    drawn = time.perf_counter()
    watch.stop()
    return {
        "paint": first - started,
        "paint_cpu": first_cpu - cpu,
        "tables": every - started,
        "tables_cpu": every_cpu - cpu,
        "charts": drawn - every,
        "gap": watch.longest_gap,
        "gap_charts": watch.longest_after(every),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--folder", type=Path, default=CACHE)
    args = parser.parse_args()
    build_store(args.folder, args.count)
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

    from PySide6.QtWidgets import QApplication

    from asb_desktop.app import services_for
    from asb_desktop.store.database import Store

    app = QApplication.instance() or QApplication([])
    services = services_for(Store.open(args.folder, key_for(args.folder)), actor="bench")
    prepare_store(services)
    period = whole_period(services)
    count_every_case(period)
    window = open_window(app, services)
    load_before = os.getloadavg()
    with services.store.engine.connect() as conn:
        runs: dict[str, list[float]] = {}

        def one_each(counted: bool) -> None:
            now = datetime.now(UTC)
            found = {}
            found["sql"], found["sql_cpu"] = plain_sql(conn, headline_statements(period, now))
            found["sql_all"], found["sql_all_cpu"] = plain_sql(conn, all_statements(period, now))
            found.update(first_opening(app, window))
            if counted:
                for key, value in found.items():
                    runs.setdefault(key, []).append(value)

        for _ in range(2):  # warm: the file in the OS cache, Matplotlib loaded
            one_each(False)
        for _ in range(args.runs):  # one of each in turn, so a busy machine slows both alike
            one_each(True)
    load_after = os.getloadavg()
    m = {key: median_ms(values) for key, values in runs.items()}
    print(f"cases: {args.count:,}, period {period.first} to {period.last}, runs: {args.runs}")
    print(f"load average (1/5/15 min): before {load_before}, after {load_after}")
    print(
        f"first paint, Ctrl+T to the figures painted: {m['paint']:7.1f} ms wall "
        f"{m['paint_cpu']:6.1f} ms CPU   target <= 150 ms"
    )
    print(
        f"same counts as plain SQL (anchor):         {m['sql']:7.1f} ms wall "
        f"{m['sql_cpu']:6.1f} ms CPU"
    )
    print(
        f"ratio:                                     {m['paint'] / m['sql']:7.2f}x wall "
        f"{m['paint_cpu'] / m['sql_cpu']:6.2f}x CPU"
    )
    print(
        f"every table painted:                       {m['tables']:7.1f} ms wall "
        f"{m['tables_cpu']:6.1f} ms CPU"
    )
    print(
        f"all the figures' statements as plain SQL:  {m['sql_all']:7.1f} ms wall "
        f"{m['sql_all_cpu']:6.1f} ms CPU"
    )
    print(f"charts drawn after the tables:             {m['charts']:7.1f} ms")
    print(f"longest GUI turn, Ctrl+T to charts drawn:  {m['gap']:7.1f} ms")
    print(f"longest GUI turn while the charts drew:    {m['gap_charts']:7.1f} ms")
    print(
        "all runs (ms): " + json.dumps({k: [round(v * 1000) for v in vs] for k, vs in runs.items()})
    )
    window.close()
    services.close()


if __name__ == "__main__":
    main()
