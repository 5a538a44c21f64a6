"""Case summary PDF speed (issue 17): one 20-incident summary beside the same text on a bare
ReportLab canvas (target <= 2x), and 500 summaries made the way the window makes them while the
GUI thread's event loop is watched (target: no gap over 16 ms). Medians of several runs.

The anchor of the one summary is the summary's own text: every line it shows, read back from its
PDF (untimed), drawn line after line with drawString in the same embedded font onto a bare
canvas and saved; the same characters and lines, with none of the layout. Runs alternate with the summary's, so a loaded machine slows both alike.

The batch runs as Summaries of this list runs it, with Python's garbage collected on the GUI
thread as the window collects it (ui/garbage.py): `SummariesProcess` (ui/summaries/
batch_process.py) starts the child process, an `Operation` reads the documents on a worker (from
JSON, as the store hands them over, with the dialog's short turns) and packs them, the child
makes and writes the PDFs, and its progress comes back over the pipe to the GUI thread, which
moves a progress bar and a label. A precise 1 ms QTimer on the GUI thread records the gaps
between its ticks; the longest gap is the longest the window could not answer. Its anchor is the
same timer over an idle event loop (no batch, the same process) for as long as the batch took,
right after it: on a loaded machine the longest gap grows with the time watched, so a shorter
idle window would flatter the anchor. Gaps over 16 ms are counted in both. `--in-process` adds, run by
run, the batch as it was before the child: `write_summaries` on the Operation's worker thread,
progress through a queued signal (the before/after in one run).

    QT_QPA_PLATFORM=offscreen python3 benchmarks/bench_reports.py [--runs 15] [--batch-runs 3]
        [--batch 500] [--incidents 8] [--skip-batch] [--in-process] [--single-saves N]

`--single-saves N` first times Print summary's Save N times each way, interleaved: the PDF
made in a child process started ahead (as the dialog does since issue 17) and on the worker
thread itself (as before), the same timer watching; anchor: an idle loop watched as long.
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


def _batch_in_child(app: Any, documents: list[str]) -> tuple[float, list[float]]:
    """One batch as the dialog runs it (child process), the GUI thread's gaps recorded;
    (seconds, gaps)."""
    from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

    from asb_desktop.support.summaries_job import JobSettings, pack_job
    from asb_desktop.ui.summaries.batch_process import SummariesProcess
    from asb_desktop.ui.summaries.batch_turns import responsive_batch

    window = QWidget()
    bar, label = QProgressBar(window), QLabel(window)

    def progress(done: int, total: int) -> None:  # what SummariesDialog._progress does
        bar.setRange(0, max(total, 1))
        bar.setValue(done)
        label.setText(f"Made {done:,} of {total:,} summaries…")

    outcome: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="asb-bench-") as folder:

        def read_job(ids: Any) -> Any:  # as list_summaries_dialog.batch_job
            with responsive_batch():
                settings = JobSettings(
                    profile=Profile.INTERNAL.value,
                    produced_by="Bench Mark",
                    produced_at=PRODUCED_AT,
                    out_dir=Path(folder),
                    single_file=None,
                )
                cases = ((json.loads(documents[int(i)]), []) for i in ids)
                return settings, pack_job(settings, cases)

        batch = SummariesProcess(window, sentence=repr)
        batch.sig_progress.connect(progress)
        batch.sig_finished.connect(outcome.append)
        batch.sig_failed.connect(outcome.append)

        def start() -> None:
            batch.start(lambda: [str(n) for n in range(len(documents))], read_job)

        started = time.perf_counter()
        gaps = _gaps_while(app, lambda: bool(outcome), start)
        seconds = time.perf_counter() - started
        if not hasattr(outcome[0], "paths") or len(outcome[0].paths) != len(documents):
            raise SystemExit(f"the batch failed: {outcome[0]!r}")
    window.deleteLater()
    return seconds, gaps


def _relay() -> Any:
    """The queued signal the in-process batch used (made on the GUI thread)."""
    from PySide6.QtCore import QObject, Signal

    class Relay(QObject):
        sig_progress = Signal(int, int)

    return Relay()


def _batch_in_process(app: Any, documents: list[str]) -> tuple[float, list[float]]:
    """One batch as it ran before the child: on an Operation's worker thread; (seconds, gaps)."""
    from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

    from asb_desktop.ui.operations import Operation
    from asb_desktop.ui.summaries.batch_turns import responsive_batch

    window = QWidget()
    bar, label = QProgressBar(window), QLabel(window)
    relay = _relay()

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


def _report(name: str, count: int, incidents: int, results: list[Any]) -> None:
    times = [r[0] for r in results]
    worst = [r[1] for r in results]
    p99 = [r[2] for r in results]
    idle = [r[3] for r in results]
    over, idle_over = [r[4] for r in results], [r[5] for r in results]
    longest, anchor = statistics.median(worst), statistics.median(idle)
    print(
        f"{count} summaries of {incidents} incidents, one file each, {name}: median "
        f"{statistics.median(times):.1f} s over {len(results)} runs "
        f"({', '.join(f'{t:.1f}' for t in times)}). GUI thread, 1 ms timer: longest gap median "
        f"{_ms(longest)} (runs: {', '.join(_ms(w) for w in worst)}), p99 "
        f"{_ms(statistics.median(p99))}; idle loop's longest gap {_ms(anchor)} "
        f"(runs: {', '.join(_ms(i) for i in idle)}): {longest / anchor:.1f}x; gaps over 16 ms "
        f"{over} (idle {idle_over}); target: no gap "
        f"over {STALL_TARGET_MS:.0f} ms "
        f"({'met' if max(worst) <= STALL_TARGET_MS / 1000 else 'NOT met'})"
    )


def _one_save(app: Any, window: Any, path: Path, maker: Any) -> tuple[float, list[float]]:
    """Print summary's Save as the dialog runs it: `write_summary` on an Operation's worker,
    the PDF made by `maker` (the child, or None: in this process, as before); (seconds, gaps)."""
    from asb_desktop.reports import write_summary
    from asb_desktop.ui.operations import Operation

    document, trail = rb.case_document(incidents=20), rb.audit_trail(20)
    outcome: list[Any] = []

    def work() -> Any:
        return write_summary(
            document,
            path,
            profile=Profile.INTERNAL,
            produced_by="Bench Mark",
            produced_at=PRODUCED_AT,
            audit_trail=trail,
            maker=maker or build_case_summary,
        )

    def start() -> None:
        Operation(window, work, name="bench.summary").read_only().success(outcome.append).failure(
            outcome.append
        ).run()

    started = time.perf_counter()
    gaps = _gaps_while(app, lambda: bool(outcome), start)
    seconds = time.perf_counter() - started
    if not hasattr(outcome[0], "pages"):
        raise SystemExit(f"the summary failed: {outcome[0]!r}")
    return seconds, gaps


def single_saves(runs: int) -> None:
    """Print summary's Save (one 20-incident summary, written by an Operation's worker in the
    window's process, as the dialog does), the GUI thread's gaps recorded, run by run: the PDF
    made in a child process (as shipped: started ahead, when the dialog opens) and on the worker
    itself (before); then an idle loop watched as long as the longer of the two (the anchor)."""
    from PySide6.QtWidgets import QApplication, QWidget

    from asb_desktop.reports.summary_child import SummaryMaker

    app = QApplication.instance() or QApplication([])
    window = QWidget()
    maker = SummaryMaker()
    maker.warm()  # as the dialog does when it opens
    ways = {"child": maker, "worker": None}
    results: dict[str, list[tuple[float, float, int]]] = {"child": [], "worker": [], "idle": []}
    with tempfile.TemporaryDirectory(prefix="asb-bench-") as folder:
        _one_save(app, window, Path(folder) / "warm.pdf", None)  # fonts, caches: not timed
        _gaps_while(app, maker.ready, lambda: None)  # the officer choosing; the child loads
        for run in range(runs):
            longest = 0.0
            for name, way in ways.items():
                seconds, gaps = _one_save(app, window, Path(folder) / f"{name}-{run}.pdf", way)
                results[name].append((seconds, max(gaps), _over(gaps)))
                longest = max(longest, seconds)
            idle = _gaps_while(app, _after(longest), lambda: None)
            results["idle"].append((longest, max(idle), _over(idle)))
            _gaps_while(app, maker.ready, lambda: None)  # the next child loads, as between Saves
    maker.close()
    window.deleteLater()
    print(f"load average after the saves: {_load()}")
    anchor = statistics.median(r[1] for r in results["idle"])
    for name, said in (
        ("child", "PDF made in a child process (as shipped)"),
        ("worker", "PDF made on the worker thread (before)"),
        ("idle", "idle loop, as long as the longer Save (anchor)"),
    ):
        rows = results[name]
        worst = statistics.median(r[1] for r in rows)
        print(
            f"Print summary's Save, one 20-incident summary, {said}: median "
            f"{statistics.median(r[0] for r in rows) * 1000:.0f} ms over {len(rows)} runs; GUI "
            f"thread's longest gap median {_ms(worst)} (runs: "
            f"{', '.join(_ms(r[1]) for r in rows)}), {worst / anchor:.1f}x the idle loop's; "
            f"gaps over 16 ms {[r[2] for r in rows]}"
        )


def _after(seconds: float) -> Any:
    ends = time.perf_counter() + seconds
    return lambda: time.perf_counter() > ends


def batch(count: int, incidents: int, runs: int, in_process: bool = False) -> None:
    from PySide6.QtWidgets import QApplication

    from asb_desktop.ui.garbage import collect_on_gui_thread

    app = QApplication.instance() or QApplication([])
    collect_on_gui_thread(app)  # as the window runs (ui/launch.py): no collection on a worker
    documents = [  # stored JSON: the worker reads them, as the dialog reads the store
        json.dumps(rb.case_document(incidents=incidents, reference=f"ASB-2026-{n:06d}"))
        for n in range(count)
    ]
    ways = [("in a child process (as shipped)", _batch_in_child)]
    if in_process:
        ways.append(("on a worker thread (before the child)", _batch_in_process))
    results: dict[str, list[Any]] = {name: [] for name, _ in ways}
    for _ in range(runs):
        for name, run in ways:  # interleaved, so a change in load touches both
            gc.collect()  # what the window's collector did since launch: only the batch's is new
            seconds, gaps = run(app, documents)
            ends = time.perf_counter() + seconds
            idle = _gaps_while(app, lambda e=ends: time.perf_counter() > e, lambda: None)
            quantile = statistics.quantiles(gaps, n=100)[98]
            results[name].append(
                (seconds, max(gaps), quantile, max(idle), _over(gaps), _over(idle))
            )
    print(f"load average at the end: {_load()}")
    for name, _ in ways:
        _report(name, count, incidents, results[name])


def _over(gaps: list[float]) -> int:
    return sum(gap > STALL_TARGET_MS / 1000 for gap in gaps)


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ")[0]
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--incidents", type=int, default=8)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--single-saves", type=int, default=0, metavar="N")
    args = parser.parse_args()
    print(f"load average at start: {_load()}")
    if args.single_saves:
        single_saves(args.single_saves)  # first: its first run is ReportLab's first import
    one_summary(args.runs)
    if not args.skip_batch:
        batch(args.batch, args.incidents, args.batch_runs, args.in_process)


if __name__ == "__main__":
    main()
