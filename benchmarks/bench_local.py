"""The laptop's own work beside its anchor (issue 17), on a real SQLCipher store of N synthetic
cases, each measure and its anchor interleaved run by run so the machine's load falls on both.

    python3 benchmarks/bench_local.py [--cases 100000] [--runs 5] [--only list,export,...]
        [--json FILE]   also write the figures as JSON (benchmarks/scaling.py reads them)

| measure | what it does | anchor |
| --- | --- | --- |
| list | `asb-desktop list` (all open and closed cases, the table, to /dev/null) | one plain SELECT of the same columns in the same order, all rows fetched |
| export | `asb-desktop export -o FILE` (every case, indented JSON, written whole) | the stored JSON read by one SELECT and written as an array to a file, fsynced (also shown, not the anchor: the same with each document indented by orjson) |
| page | a caseload page (200 rows, in words, as the window shows it) at 50 % and at the last page | the first page |
| count | the caseload's count for each filter | the same count as hand-written SQL on the raw connection |
| save | CPU of saving one full report (3 incidents) through Casework.record | CPU of a one-row commit on the same store (synchronous=FULL) |
| import | importing 10,000 cases into a new store (wall and CPU) | the same documents written as rows of one table in one transaction |

The store is built once into /tmp/asb-bench-local-N (its random key beside it; synthetic data
only) and reused. Prints medians and ratios; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import bench_ui  # noqa: E402  (the store builder and its key)

from asb_desktop.app import Services, services_for  # noqa: E402
from asb_desktop.store.cases import CaseFilter, PageMark  # noqa: E402
from asb_desktop.store.database import Store  # noqa: E402

ROW_SQL = (
    "SELECT id, reference, received_at, severity, state, assignment_rule, assigned_to, "
    "response_due_at, responded_at, supported_scheme, estate, anonymous, complainant_name, "
    "latest_incident, risk_level, asb_types FROM cases ORDER BY response_due_at, id"
)
ALL = ("list", "export", "page", "count", "save", "import")


def store_for(cases: int) -> Path:
    folder = Path(f"/tmp/asb-bench-local-{cases}")
    bench_ui.build_store(folder, cases)
    return folder


def open_services(folder: Path) -> Services:
    return services_for(Store.open(folder, bench_ui.key_for(folder)), actor="bench")


def timed(work: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def raw(services: Services, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    with services.store.read() as conn:
        cursor = conn.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
        return cursor.fetchall()


class Figures:
    def __init__(self) -> None:
        self.found: dict[str, dict[str, Any]] = {}

    def add(self, name: str, measure: list[float], anchor: list[float], unit: str = "ms") -> None:
        scale = 1000 if unit == "ms" else 1
        value, base = statistics.median(measure) * scale, statistics.median(anchor) * scale
        ratio = value / base if base else float("nan")
        self.found[name] = {"value": value, "anchor": base, "ratio": ratio, "unit": unit,
                            "runs": len(measure)}  # fmt: skip
        print(f"{name:<34} {value:10.1f} {unit}   anchor {base:10.1f} {unit}   ratio {ratio:5.2f}x",
              flush=True)  # fmt: skip


# --- list and export, through the commands' own code -----------------------------------------


def bench_list(services: Services, runs: int, figures: Figures) -> None:
    from asb_desktop.cli import case_commands

    args = argparse.Namespace(json=False, overdue=False, officer=None)
    measure, anchor = [], []
    for _ in range(runs):
        with open(os.devnull, "w", encoding="utf-8") as null:
            saved, sys.stdout = sys.stdout, null
            try:
                measure.append(timed(lambda: case_commands._list(services.casework, args))[0])
            finally:
                sys.stdout = saved
        anchor.append(timed(lambda: raw(services, ROW_SQL))[0])
    figures.add("list, all rows", measure, anchor)


def bench_export(services: Services, runs: int, figures: Figures) -> None:
    from asb_desktop.cli import case_commands

    measure, anchor = [], []
    with tempfile.TemporaryDirectory(prefix="asb-bench-export-") as tmp:
        out = Path(tmp) / "cases.json"
        args = argparse.Namespace(id=None, output=out, to=None)

        def plain() -> None:
            rows = raw(services, "SELECT document FROM cases ORDER BY received_at, id")
            with out.with_suffix(".plain").open("w", encoding="utf-8") as f:
                f.write("[\n" + ",\n".join(r[0] for r in rows) + "\n]\n")
                f.flush()
                os.fsync(f.fileno())

        def indented() -> None:
            """The same bytes as the export but for the Case Reviews worked out as of now:
            the stored JSON, each document indented by orjson (in C), fsynced."""
            import orjson

            rows = raw(services, "SELECT document FROM cases ORDER BY received_at, id")
            with out.with_suffix(".indented").open("wb") as f:
                f.write(b"[\n  " + b",\n  ".join(
                    orjson.dumps(orjson.loads(r[0]), option=orjson.OPT_INDENT_2).replace(
                        b"\n", b"\n  ") for r in rows) + b"\n]\n")  # fmt: skip
                f.flush()
                os.fsync(f.fileno())

        reindented: list[float] = []
        for _ in range(runs):
            saved, sys.stderr = sys.stderr, io.StringIO()
            try:
                measure.append(timed(lambda: case_commands._export(services.casework, args))[0])
            finally:
                sys.stderr = saved
            anchor.append(timed(plain)[0])
            reindented.append(timed(indented)[0])
    figures.add("export, all cases", measure, anchor)
    # Not the anchor, and not kept in --json: how much of the export is its format's indenting.
    print(f"  for reference, the stored JSON indented {statistics.median(reindented) * 1000:10.1f} "
          f"ms (the export's bytes but for the Case Reviews as of now)", flush=True)  # fmt: skip


# --- caseload pages and counts ---------------------------------------------------------------


def page_in_words(services: Services, where: CaseFilter, after: PageMark | None) -> list[Any]:
    """What the caseload model's page does off the GUI thread: the rows, then each in words."""
    from asb_desktop.ui.caseload.caseload_model import PAGE_SIZE, describe, places_of

    directory = services.casework.directory()
    names = {s.id: s.name for s in directory.staff}
    places = places_of(directory)
    now = services.casework.clock()
    rows = services.casework.list_cases(where, after=after, limit=PAGE_SIZE)
    [describe(r, names, places, now, services, r.risk_level) for r in rows]
    return rows


def bench_pages(services: Services, runs: int, figures: Figures) -> None:
    from asb_desktop.ui.caseload.caseload_model import PAGE_SIZE

    where = CaseFilter(state="open")  # how the caseload starts: open cases, soonest due first
    total = services.casework.count_cases(where)

    def mark_before(offset: int) -> PageMark | None:
        """The mark a page at `offset` starts after (found once by OFFSET, outside the clock)."""
        if offset <= 0:
            return None
        found = raw(services, "SELECT response_due_at, id FROM cases WHERE state = 'open' "
                    "ORDER BY response_due_at, id LIMIT 1 OFFSET ?", (offset - 1,))  # fmt: skip
        return PageMark(found[0][0], found[0][1])

    depths = {"middle": total // 2, "last": max(total - PAGE_SIZE, 0)}
    marks = {name: mark_before(offset) for name, offset in depths.items()}
    first: list[float] = []
    found: dict[str, list[float]] = {name: [] for name in depths}
    by_offset: list[float] = []
    for _ in range(runs):
        first.append(timed(lambda: page_in_words(services, where, None))[0])
        for name, mark in marks.items():
            found[name].append(timed(lambda m=mark: page_in_words(services, where, m))[0])
        deep = depths["last"]
        by_offset.append(
            timed(lambda d=deep: services.casework.list_cases(where, offset=d, limit=PAGE_SIZE))[0]
        )
    pages = math.ceil(total / PAGE_SIZE)
    for name, samples in found.items():
        figures.add(f"caseload page, {name} of {pages:,}", samples, first)
    figures.add("last page by OFFSET (the old way)", by_offset, first)


COUNTS: dict[str, tuple[CaseFilter, str, tuple[Any, ...]]] = {
    "open": (CaseFilter(state="open"), "SELECT count(*) FROM cases WHERE state = 'open'", ()),
    "officer, open": (
        CaseFilter(state="open", assigned_to="s-ha"),
        "SELECT count(*) FROM cases WHERE assigned_to = 's-ha' AND state = 'open'",
        (),
    ),
    "serious, open": (
        CaseFilter(state="open", severity="serious"),
        "SELECT count(*) FROM cases WHERE state = 'open' AND severity = 'serious'",
        (),
    ),
    "kind of ASB (noise)": (
        CaseFilter(state="open", asb_type="noise"),
        "SELECT count(*) FROM cases WHERE state = 'open' AND asb_types LIKE '%|noise|%'",
        (),
    ),
    "search (Murphy)": (
        CaseFilter(state="open", search="Murphy"),
        "SELECT count(*) FROM cases WHERE state = 'open' AND search_key IN "
        "(SELECT rowid FROM case_search WHERE case_search MATCH ?)",
        ('"murphy"*',),
    ),
}


def bench_counts(services: Services, runs: int, figures: Figures) -> None:
    for name, (where, sql, params) in COUNTS.items():
        measure, anchor = [], []
        for _ in range(2):  # each pooled connection's page cache warm for both, alike
            services.casework.count_cases(where)
            raw(services, sql, params)
        for _ in range(runs):
            measure.append(timed(lambda w=where: services.casework.count_cases(w))[0])
            anchor.append(timed(lambda s=sql, p=params: raw(services, s, p))[0])
        figures.add(f"count, {name}", measure, anchor)


# --- save and import ---------------------------------------------------------------------------


def bench_save(services: Services, runs: int, figures: Figures) -> None:
    import random
    import secrets

    from asb_desktop.domain.document import case_from_document
    from asb_desktop.support.synthetic import synthetic_case

    rng = random.Random(secrets.randbits(64))  # new ids: the cached store is reused
    cases = [case_from_document(synthetic_case(rng, incidents=3)) for _ in range(runs * 10 + 1)]
    services.casework.record(cases.pop())  # warm the caches and the pool
    engine = services.store.engine

    def one_row_commit() -> None:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('bench.anchor', ?)",
                (str(time.time()),),
            )
            connection.commit()
        finally:
            connection.close()

    measure, anchor = [], []
    for case in cases:
        measure.append(timed(lambda c=case: services.casework.record(c))[1])
        anchor.append(timed(one_row_commit)[1])
    figures.add("save one report, CPU", measure, anchor)


def bench_import(runs: int, figures: Figures, count: int = 10_000) -> None:
    import secrets

    from asb_desktop.services.casework import LabelledDocument
    from asb_desktop.store.keys import DatabaseKey, FixedKey
    from asb_desktop.support.synthetic import synthetic_cases

    directory = json.loads((ROOT / "resources" / "demo" / "directory.json").read_text())
    key = FixedKey(DatabaseKey.raw(secrets.token_bytes(32)))
    wall, cpu, anchor = [], [], []
    with tempfile.TemporaryDirectory(prefix="asb-bench-import-") as tmp:
        for run in range(runs):
            documents = synthetic_cases(count, seed=200 + run)
            services = services_for(Store.open(Path(tmp) / f"s{run}", key), actor="bench")
            services.casework.import_directory(directory)
            labelled = [LabelledDocument(f"r{i}", d) for i, d in enumerate(documents)]
            w, c = timed(lambda s=services, d=labelled: s.casework.import_documents(d))
            wall.append(w)
            cpu.append(c)
            rows = [(d["id"], "t", "t", json.dumps(d, ensure_ascii=False)) for d in documents]

            def plain(s: Services = services, r: list[Any] = rows) -> None:
                with s.store.write() as conn:
                    conn.connection.driver_connection.executemany(  # type: ignore[union-attr]
                        "INSERT INTO drafts (id, created_at, updated_at, payload) "
                        "VALUES (?, ?, ?, ?)",
                        r,
                    )

            anchor.append(timed(plain)[0])
            services.close()
    figures.add(f"import {count:,} cases, wall", wall, anchor, unit="s")
    figures.add(f"import {count:,} cases, CPU", cpu, anchor, unit="s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--only", default=",".join(ALL), help=f"some of {', '.join(ALL)}")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    figures = Figures()
    print(f"ASB Desktop local benchmarks: {args.cases:,} cases, {args.runs} runs, medians; "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    if set(chosen) - {"import"}:
        services = open_services(store_for(args.cases))
        try:
            for name, bench in (("list", bench_list), ("export", bench_export),
                                ("page", bench_pages), ("count", bench_counts),
                                ("save", bench_save)):  # fmt: skip
                if name in chosen:
                    bench(services, args.runs, figures)
        finally:
            services.close()
    if "import" in chosen:
        bench_import(args.import_runs, figures)
    if args.json:
        args.json.write_text(json.dumps({"cases": args.cases, "figures": figures.found}, indent=2))


if __name__ == "__main__":
    main()
