"""Case summary PDF speed: one 20-incident summary (target <= 100 ms) and 500 summaries
(target <= 45 s), medians of several runs.

The batch runs in a worker thread, as the GUI runs it, while the main thread ticks every 10 ms
the way Qt's event loop would; the worst tick delay shows whether a window would stay responsive.

    python benchmarks/bench_reports.py [--runs 15] [--batch-runs 3] [--batch 500] [--incidents 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "reports")]

import report_builders as rb  # noqa: E402

from asb_desktop.reports import Profile, build_case_summary, write_summaries  # noqa: E402

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)


def one_summary(runs: int) -> None:
    document = rb.case_document(incidents=20)
    trail = rb.audit_trail(20)
    build_case_summary(document, profile="internal", produced_by="B", produced_at=PRODUCED_AT)
    wall, cpu, pages = [], [], 0
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        result = build_case_summary(
            document,
            profile=Profile.INTERNAL,
            produced_by="Bench Mark",
            produced_at=PRODUCED_AT,
            audit_trail=trail,
        )
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
        pages = result.pages
    print(
        f"20-incident summary ({pages} pages, {len(result.pdf) // 1024} KiB): "
        f"median {statistics.median(wall) * 1000:.0f} ms wall, "
        f"{statistics.median(cpu) * 1000:.0f} ms CPU over {runs} runs "
        f"(min {min(wall) * 1000:.0f}, max {max(wall) * 1000:.0f}) — target <= 100 ms"
    )


def _one_batch(documents: list[dict], delays: list[float]) -> float:
    """Seconds for one batch in a worker thread; the main thread's tick delays go to `delays`."""
    with tempfile.TemporaryDirectory(prefix="asb-bench-") as folder:
        finished = threading.Event()
        outcome = []

        def work() -> None:
            outcome.append(
                write_summaries(
                    documents,
                    out_dir=folder,
                    profile=Profile.INTERNAL,
                    produced_by="Bench Mark",
                    produced_at=PRODUCED_AT,
                )
            )
            finished.set()

        start = time.perf_counter()
        worker = threading.Thread(target=work)
        worker.start()
        while not finished.is_set():
            tick = time.perf_counter()
            time.sleep(0.010)
            delays.append(time.perf_counter() - tick - 0.010)
        worker.join()
        seconds = time.perf_counter() - start
        assert len(outcome[0].paths) == len(documents)
    return seconds


def batch(count: int, incidents: int, runs: int) -> None:
    documents = [
        rb.case_document(incidents=incidents, reference=f"ASB-2026-{n:06d}") for n in range(count)
    ]
    delays: list[float] = []
    times = [_one_batch(documents, delays) for _ in range(runs)]
    print(
        f"{count} summaries of {incidents} incidents, one file each: median "
        f"{statistics.median(times):.1f} s over {runs} runs "
        f"({', '.join(f'{t:.1f}' for t in times)}) — target <= 45 s; "
        f"main-thread tick delay p99 {statistics.quantiles(delays, n=100)[98] * 1000:.0f} ms, "
        f"worst {max(delays) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--incidents", type=int, default=8)
    args = parser.parse_args()
    one_summary(args.runs)
    batch(args.batch, args.incidents, args.batch_runs)


if __name__ == "__main__":
    main()
