"""The scaling run (issue 17): each local measure and its anchor at 1,000, 10,000 and 100,000
cases, and the store's own measures at 1,000,000, written to docs/scaling.json and
docs/scaling.csv and drawn in docs/scaling.png (Pillow: log-log, one line a measure).

    python3 benchmarks/scaling.py [--sizes 1000,10000,100000] [--big 1000000]
        [--big-budget 600] [--runs 3] [--out docs]

Each size runs benchmarks/bench_local.py (list, export, caseload pages, counts, save) and
benchmarks/bench_launch.py in a fresh process; importing 10,000 cases is measured once. The
store alone at --big: the 100,000-case store copied and its case rows (with their search
entries) repeated under new ids until --big rows or --big-budget seconds, whichever comes
first (the size reached is what is reported); then list, pages and counts run on it. Building
a million cases through import would take hours on a laptop; repeating rows tests the same
queries and indexes at that size. Nothing here is pass/fail.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STORE_MEASURES = "list,page,count"
# What the chart draws (the CSV and JSON keep every figure).
CHARTED = (
    "launch",
    "list, all rows",
    "export, all cases",
    "caseload page, middle",
    "caseload page, last",
    "last page by OFFSET (the old way)",
    "count, open",
    "count, search (Murphy)",
    "save one report, CPU",
)


def run(script: str, cases: int, *extra: str) -> dict[str, Any]:
    out = Path(f"/tmp/asb-scaling-{script}-{cases}.json")
    out.unlink(missing_ok=True)
    command = [
        sys.executable,
        str(HERE / script),
        "--cases",
        str(cases),
        *extra,
        "--json",
        str(out),
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    subprocess.run(command, check=True, env=env, cwd=ROOT)
    found: dict[str, Any] = json.loads(out.read_text())["figures"]
    return found


def replicated_store(size: int, budget_s: float) -> int:
    """/tmp/asb-bench-local-<rows> built from the 100,000-case store; returns its row count."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    import bench_ui

    from asb_desktop.store.database import Store

    source = Path("/tmp/asb-bench-local-100000")
    bench_ui.build_store(source, 100_000)
    work = Path(f"/tmp/asb-bench-local-big-{size}")
    if not (work / "complete").exists():
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(source, work)
        (work / "complete").unlink()
        store = Store.open(work, bench_ui.key_for(work))
        started = time.perf_counter()
        with store.read() as conn:
            columns = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(cases)")]
            base = conn.exec_driver_sql("SELECT count(*), max(search_key) FROM cases").one()
        rows, top = int(base[0]), int(base[1])
        copy = 1
        while rows < size and time.perf_counter() - started < budget_s:
            picked = ", ".join(
                f"id || '-{copy}'" if c == "id" else
                "NULL" if c == "reference" else
                f"search_key + {copy * top}" if c == "search_key" else c
                for c in columns
            )  # fmt: skip
            with store.write() as conn:
                conn.exec_driver_sql(
                    f"INSERT INTO cases ({', '.join(columns)}) SELECT {picked} FROM cases "
                    "WHERE length(id) = 36"  # the first copy's rows only
                )
                conn.exec_driver_sql(
                    f"INSERT INTO case_search (rowid, body) SELECT rowid + {copy * top}, body "
                    f"FROM case_search WHERE rowid <= {top}"
                )
            rows += int(base[0])
            copy += 1
            print(f"  store alone: {rows:,} rows after {time.perf_counter() - started:.0f} s",
                  file=sys.stderr, flush=True)  # fmt: skip
        store.close()
        (work / "complete").write_text(f"{rows} rows in {time.perf_counter() - started:.0f} s")
    rows = int((work / "complete").read_text().split()[0])
    target = Path(f"/tmp/asb-bench-local-{rows}")
    if target != work and not target.exists():
        target.symlink_to(work)
    return rows


def chart(results: list[dict[str, Any]], path: Path) -> None:
    """Log-log lines: each measure (solid) and its anchor (dotted) against the cases stored."""
    from PIL import Image, ImageDraw, ImageFont

    width, height, left, right, top, bottom = 1460, 860, 110, 470, 60, 90
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 17)
        small = ImageFont.truetype("DejaVuSans.ttf", 14)
    except OSError:
        font = small = ImageFont.load_default()
    series: dict[str, list[tuple[int, float, float]]] = {}
    for row in results:
        name = re.sub(r" of [\d,]+$", "", row["measure"])  # "caseload page, last of 500"
        if name in CHARTED and row["value"] > 0 and row["anchor"] > 0:
            series.setdefault(name, []).append((row["cases"], row["value"], row["anchor"]))
    xs = [c for points in series.values() for c, _, _ in points]
    ys = [v for points in series.values() for _, a, b in points for v in (a, b)]
    if not xs:
        return
    x0, x1 = math.log10(min(xs)), math.log10(max(xs)) + 1e-9
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))

    def at(cases: float, ms: float) -> tuple[float, float]:
        x = left + (math.log10(cases) - x0) / (x1 - x0) * (width - left - right)
        y = height - bottom - (math.log10(ms) - y0) / (y1 - y0) * (height - top - bottom)
        return x, y

    draw.text((left, 18), "ASB Desktop scaling: each measure (solid) and its anchor (dotted), "
              "median ms, log-log", fill="black", font=font)  # fmt: skip
    for decade in range(y0, y1 + 1):
        _, y = at(10**x0, 10**decade)
        draw.line([(left, y), (width - right, y)], fill="#dddddd")
        draw.text((10, y - 9), f"{10**decade:g} ms", fill="black", font=small)
    for cases in sorted(set(xs)):
        x, _ = at(cases, 10**y0)
        draw.line([(x, top), (x, height - bottom)], fill="#dddddd")
        draw.text((x - 30, height - bottom + 10), f"{cases:,}", fill="black", font=small)
    draw.text((left + (width - left - right) // 2 - 40, height - 40), "cases stored",
              fill="black", font=font)  # fmt: skip
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
               "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#637939"]  # fmt: skip
    for n, (name, points) in enumerate(sorted(series.items())):
        colour = colours[n % len(colours)]
        points.sort()
        measured = [at(c, v) for c, v, _ in points]
        anchored = [at(c, a) for c, _, a in points]
        if len(measured) > 1:
            draw.line(measured, fill=colour, width=3)
            for a, b in itertools.pairwise(anchored):
                steps = 12
                for s in range(0, steps, 2):
                    p = (a[0] + (b[0] - a[0]) * s / steps, a[1] + (b[1] - a[1]) * s / steps)
                    q = (a[0] + (b[0] - a[0]) * (s + 1) / steps,
                         a[1] + (b[1] - a[1]) * (s + 1) / steps)  # fmt: skip
                    draw.line([p, q], fill=colour, width=2)
        for x, y in measured:
            draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=colour)
        ratio = points[-1][1] / points[-1][2]
        legend_y = top + n * 26
        draw.line([(width - right + 20, legend_y + 9), (width - right + 50, legend_y + 9)],
                  fill=colour, width=3)  # fmt: skip
        draw.text((width - right + 58, legend_y), f"{name} ({ratio:.1f}x at {points[-1][0]:,})",
                  fill="black", font=small)  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--big", type=int, default=1_000_000, help="rows for the store alone")
    parser.add_argument("--big-budget", type=float, default=600, help="seconds to build it")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-launch", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--chart-only", action="store_true", help="redraw from scaling.json")
    args = parser.parse_args()
    if args.chart_only:
        found = json.loads((args.out / "scaling.json").read_text())["results"]
        chart(found, args.out / "scaling.png")
        return
    runs = ["--runs", str(args.runs)]
    results: list[dict[str, Any]] = []

    def keep(cases: int, figures: dict[str, Any], scope: str) -> None:
        for measure, figure in figures.items():
            results.append({"cases": cases, "measure": measure, "scope": scope, **figure})
        save()

    def save() -> None:
        args.out.mkdir(parents=True, exist_ok=True)
        meta = {"machine": f"{os.cpu_count()} cores", "load": os.getloadavg()[0],
                "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip
        (args.out / "scaling.json").write_text(json.dumps({**meta, "results": results}, indent=2))
        with (args.out / "scaling.csv").open("w", newline="", encoding="utf-8") as f:
            fields = ["cases", "scope", "measure", "value", "anchor", "ratio", "unit", "runs"]
            writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(results)
        chart(results, args.out / "scaling.png")

    for cases in (int(s) for s in args.sizes.split(",") if s):
        print(f"== {cases:,} cases", flush=True)
        keep(cases, run("bench_local.py", cases, *runs, "--only", "list,export,page,count,save"),
             "app")  # fmt: skip
        if not args.no_launch:
            keep(cases, run("bench_launch.py", cases, *runs), "app")
    print("== import 10,000 cases", flush=True)
    keep(10_000, run("bench_local.py", 1000, "--only", "import", "--import-runs", "1"), "app")
    if args.big:
        rows = replicated_store(args.big, args.big_budget)
        print(f"== the store alone, {rows:,} rows", flush=True)
        keep(rows, run("bench_local.py", rows, "--runs", "1", "--only", STORE_MEASURES), "store")
    print(f"wrote {args.out / 'scaling.json'}, scaling.csv and scaling.png", flush=True)


if __name__ == "__main__":
    main()
