"""The scaling run (issue 17): each local measure and its anchor at 1,000, 10,000 and 100,000
cases, and the store's own measures at 1,000,000, written to docs/scaling.json and
docs/scaling.csv and drawn in docs/scaling.png (benchmarks/scaling_chart.py, Matplotlib).

    python3 benchmarks/scaling.py [--sizes 1000,10000,100000] [--big 1000000]
        [--big-budget 900] [--runs 3] [--no-launch] [--no-import] [--out docs]
    python3 benchmarks/scaling.py --chart-only    # redraw docs/scaling.png from scaling.json
    python3 benchmarks/scaling.py --merge A/scaling.json B/scaling.json   # parts run side by side

Each size runs benchmarks/bench_local.py (list, export, caseload pages, counts, save) and
benchmarks/bench_launch.py in a fresh process; importing 10,000 cases is measured once. The
store alone at --big: the 100,000-case store with its case rows and search entries repeated
under new ids (benchmarks/big_store.py: minutes, where importing a million would take hours),
built once into /tmp/asb-bench-local-big-<N> and reused; then its pages (--runs times) and
list and counts (once each: a million rows) run on it. If the build outlasts --big-budget it
stops and the size reached is the one reported. Nothing here is pass/fail.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


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


def big_store(size: int, budget_s: float) -> int:
    """/tmp/asb-bench-local-<rows>: the 100,000-case store repeated to `size` rows
    (benchmarks/big_store.py); returns the rows reached."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    import bench_ui
    import big_store as builder

    source = Path("/tmp/asb-bench-local-100000")
    bench_ui.build_store(source, 100_000)
    work = Path(f"/tmp/asb-bench-local-big-{size}")
    rows = builder.build(source, work, size, budget_s)
    target = Path(f"/tmp/asb-bench-local-{rows}")
    if target != work and not target.exists():
        target.symlink_to(work)
    return rows


def chart(results: list[dict[str, Any]], path: Path, meta: dict[str, Any]) -> None:
    import scaling_chart

    scaling_chart.draw(results, path, scaling_chart.subtitle_of(meta))


def write(out: Path, meta: dict[str, Any], results: list[dict[str, Any]]) -> None:
    """scaling.json (the run and every figure), scaling.csv (the figures), scaling.png."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "scaling.json").write_text(json.dumps({**meta, "results": results}, indent=2))
    with (out / "scaling.csv").open("w", newline="", encoding="utf-8") as f:
        fields = ["cases", "scope", "measure", "value", "anchor", "ratio", "unit", "runs"]
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(results)
    chart(results, out / "scaling.png", meta)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--big", type=int, default=1_000_000, help="rows for the store alone")
    parser.add_argument("--big-budget", type=float, default=900, help="seconds to build it")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-launch", action="store_true")
    parser.add_argument("--no-import", dest="import_10k", action="store_false")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--chart-only", action="store_true", help="redraw from scaling.json")
    parser.add_argument("--commit", help="the commit measured (default: git's HEAD)")
    parser.add_argument("--merge", nargs="+", type=Path, metavar="JSON",
                        help="write --out from parts of one run run side by side")  # fmt: skip
    args = parser.parse_args()
    if args.chart_only:
        found = json.loads((args.out / "scaling.json").read_text())
        chart(found["results"], args.out / "scaling.png", found)
        return
    if args.merge:
        parts = [json.loads(path.read_text()) for path in args.merge]
        when = ("started", "at", "seconds")
        merged = {**parts[0], "parts": [{k: p[k] for k in when} for p in parts]}
        merged["loads"] = [load for p in parts for load in p["loads"]]
        merged["steps"] = [step for p in parts for step in p["steps"]]
        merged["seconds"] = max(p["seconds"] for p in parts)
        merged["at"] = max(p["at"] for p in parts)
        merged.update(next(({"big_store": p["big_store"]} for p in parts if "big_store" in p), {}))
        write(args.out, merged, [row for p in parts for row in p["results"]])
        return
    runs = ["--runs", str(args.runs)]
    results: list[dict[str, Any]] = []
    began = time.perf_counter()
    meta: dict[str, Any] = {
        "machine": f"{os.cpu_count()} cores",
        "commit": args.commit
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "loads": [],
        "steps": [],
    }

    def keep(cases: int, figures: dict[str, Any], scope: str, step: str, since: float) -> None:
        for measure, figure in figures.items():
            results.append({"cases": cases, "measure": measure, "scope": scope, **figure})
        meta["steps"].append({"step": step, "seconds": round(time.perf_counter() - since)})
        save()

    def save() -> None:
        meta["loads"].append(round(os.getloadavg()[0], 1))
        meta["at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        meta["seconds"] = round(time.perf_counter() - began)
        write(args.out, meta, results)

    for cases in (int(s) for s in args.sizes.split(",") if s):
        print(f"== {cases:,} cases", flush=True)
        since = time.perf_counter()
        found = run("bench_local.py", cases, *runs, "--only", "list,export,page,count,save")
        keep(cases, found, "app", f"{cases:,}: list, export, pages, counts, save", since)
        if not args.no_launch:
            since = time.perf_counter()
            keep(cases, run("bench_launch.py", cases, *runs), "app", f"{cases:,}: launch", since)
    if args.import_10k:
        print("== import 10,000 cases", flush=True)
        since = time.perf_counter()
        found = run("bench_local.py", 1000, "--only", "import", "--import-runs", "1")
        keep(10_000, found, "app", "import 10,000", since)
    if args.big:
        since = time.perf_counter()
        rows = big_store(args.big, args.big_budget)
        meta["big_store"] = (Path(f"/tmp/asb-bench-local-{rows}") / "complete").read_text().strip()
        meta["steps"].append({"step": f"the store alone: {rows:,} rows built or reused",
                              "seconds": round(time.perf_counter() - since)})  # fmt: skip
        print(f"== the store alone, {rows:,} rows", flush=True)
        for only, times in (("page", args.runs), ("list,count", 1)):
            since = time.perf_counter()
            found = run("bench_local.py", rows, "--runs", str(times), "--only", only)
            keep(rows, found, "store", f"{rows:,} store alone: {only}", since)
    print(f"wrote {args.out / 'scaling.json'}, scaling.csv and scaling.png", flush=True)


if __name__ == "__main__":
    main()
