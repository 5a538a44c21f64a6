"""Case summary PDF speed (issue 17): one 20-incident summary beside the same text on a bare
ReportLab canvas (target <= 2x), and 500 summaries made the way the window makes them while the
GUI thread's event loop is watched (target: no gap over 16 ms). Medians of several runs.

The anchor of the one summary is the summary's own text: every line it shows, read back from its
PDF (untimed), drawn line after line with drawString in the same embedded font onto a bare
canvas and saved; the same characters and lines, with none of the layout. Runs alternate with the summary's, so a loaded machine slows both alike.

The batch runs as Summaries of this list runs it, with Python's garbage collected on the GUI
thread as the window collects it (ui/garbage.py) and the batch's turns as the dialog sets them
(ui/summaries/batch_turns.py): an `Operation` (the operations helper's worker
thread) calls `write_summaries`, whose progress goes to the GUI thread through a queued signal
that moves a progress bar and a label. A precise 1 ms QTimer on the GUI thread records the gaps
between its ticks; the longest gap is the longest the window could not answer. Its anchor is the
same timer over an idle event loop for one second, in the same run.

    QT_QPA_PLATFORM=offscreen python3 benchmarks/bench_reports.py [--runs 15] [--batch-runs 3]
        [--batch 500] [--incidents 8] [--skip-batch]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "reports")]

import report_builders as rb  # noqa: E402

from asb_desktop.reports import Profile, build_case_summary, write_summaries  # noqa: E402

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
STALL_TARGET_MS = 16.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def summary_lines(pdf: bytes) -> list[str]:
    """Every line of text the summary shows, as poppler's pdftotext reads them back (read
    once, before timing; pypdf where poppler is not installed)."""
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        text = done.stdout.decode("utf-8")
    else:
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return [line for line in text.splitlines() if line.strip()]


def bare_canvas(lines: list[str]) -> bytes:
    """The anchor: the lines drawn one by one on a bare canvas, 9 pt on 12, page after page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from asb_desktop.reports.fonts import REGULAR
    from asb_desktop.reports.styles import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_HEIGHT

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    y = PAGE_HEIGHT - MARGIN_TOP
    canvas.setFont(REGULAR, 9)
    for line in lines:
        if y < MARGIN_BOTTOM:
            canvas.showPage()
            canvas.setFont(REGULAR, 9)
            y = PAGE_HEIGHT - MARGIN_TOP
        canvas.drawString(MARGIN_X, y, line)
        y -= 12
    canvas.save()
    return out.getvalue()


def one_summary(runs: int) -> None:
    document = rb.case_document(incidents=20)
    trail = rb.audit_trail(20)

    def summary() -> Any:
        return build_case_summary(
            document,
            profile=Profile.INTERNAL,
            produced_by="Bench Mark",
            produced_at=PRODUCED_AT,
            audit_trail=trail,
        )

    first = summary()
    lines = summary_lines(first.pdf)
    bare_canvas(lines)
    ours, anchor = [], []
    for _ in range(runs):
        started = time.process_time()
        summary()
        ours.append(time.process_time() - started)
        started = time.process_time()
        bare_canvas(lines)
        anchor.append(time.process_time() - started)
    mine, base = statistics.median(ours), statistics.median(anchor)
    print(
        f"20-incident summary ({first.pages} pages, {len(first.pdf) // 1024} KiB): median "
        f"{_ms(mine)} CPU vs the same text ({len(lines)} lines) on a bare canvas "
        f"{_ms(base)}: {mine / base:.2f}x over {runs} runs (target <= 2x)"
    )


def _gaps_while(app: Any, until: Any, start: Any) -> list[float]:
    """Gaps between the ticks of a precise 1 ms timer on the GUI thread, from `start()` until
    `until()` is true."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    gaps: list[float] = []
    last = [time.perf_counter()]
    loop = QEventLoop()

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        if until():
            loop.quit()

    timer = QTimer(interval=1, timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    timer.start()
    start()
    loop.exec()
    timer.stop()
    return gaps


def _batch_once(app: Any, documents: list[str]) -> tuple[float, list[float]]:
    """One batch through an Operation, the GUI thread's gaps recorded; (seconds, gaps)."""
    from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

    from asb_desktop.ui.operations import Operation
    from asb_desktop.ui.summaries.batch_turns import responsive_batch
    from asb_desktop.ui.summaries.list_summaries_dialog import _Progress

    window = QWidget()
    bar, label = QProgressBar(window), QLabel(window)
    relay = _Progress()

    def progress(done: int, total: int) -> None:  # what SummariesDialog._progress does
        bar.setRange(0, max(total, 1))
        bar.setValue(done)
        label.setText(f"Made {done:,} of {total:,} summaries…")

    relay.sig_progress.connect(progress)
    outcome: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="asb-bench-") as folder:

        def work() -> Any:  # as SummariesDialog.start's work: read, settle, write
            with responsive_batch() as settle:
                read = [json.loads(text) for text in documents]  # as the store hands them over
                settle()
                return write_summaries(
                    read,
                    out_dir=folder,
                    profile=Profile.INTERNAL,
                    produced_by="Bench Mark",
                    produced_at=PRODUCED_AT,
                    on_progress=relay.sig_progress.emit,
                )

        def start() -> None:
            Operation(window, work, name="bench.summaries").read_only().success(
                outcome.append
            ).failure(outcome.append).run()

        started = time.perf_counter()
        gaps = _gaps_while(app, lambda: bool(outcome), start)
        seconds = time.perf_counter() - started
        if not hasattr(outcome[0], "paths") or len(outcome[0].paths) != len(documents):
            raise SystemExit(f"the batch failed: {outcome[0]!r}")
    window.deleteLater()
    return seconds, gaps


def batch(count: int, incidents: int, runs: int) -> None:
    from PySide6.QtWidgets import QApplication

    from asb_desktop.ui.garbage import collect_on_gui_thread

    app = QApplication.instance() or QApplication([])
    collect_on_gui_thread(app)  # as the window runs (ui/launch.py): no collection on a worker
    documents = [  # stored JSON: the worker reads them, as the dialog reads the store
        json.dumps(rb.case_document(incidents=incidents, reference=f"ASB-2026-{n:06d}"))
        for n in range(count)
    ]
    times, worst, p99, idle = [], [], [], []
    for _ in range(runs):
        gc.collect()  # what the window's collector did since launch: only the batch's is new
        seconds, gaps = _batch_once(app, documents)
        times.append(seconds)
        worst.append(max(gaps))
        p99.append(statistics.quantiles(gaps, n=100)[98])
        ends = time.perf_counter() + 1.0
        idle.append(max(_gaps_while(app, lambda e=ends: time.perf_counter() > e, lambda: None)))
    longest, anchor = statistics.median(worst), statistics.median(idle)
    print(
        f"{count} summaries of {incidents} incidents, one file each, through an Operation: median "
        f"{statistics.median(times):.1f} s over {runs} runs "
        f"({', '.join(f'{t:.1f}' for t in times)}). GUI thread, 1 ms timer: longest gap median "
        f"{_ms(longest)} (runs: {', '.join(_ms(w) for w in worst)}), p99 "
        f"{_ms(statistics.median(p99))}; idle loop's longest gap {_ms(anchor)}: "
        f"{longest / anchor:.1f}x; target: no gap over {STALL_TARGET_MS:.0f} ms "
        f"({'met' if max(worst) <= STALL_TARGET_MS / 1000 else 'NOT met'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--incidents", type=int, default=8)
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    one_summary(args.runs)
    if not args.skip_batch:
        batch(args.batch, args.incidents, args.batch_runs)


if __name__ == "__main__":
    main()
