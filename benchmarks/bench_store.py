"""Store benchmarks (issue 2), each beside the same work on a plain SQLite file.

Run on purpose:  python3 benchmarks/bench_store.py [--cases 100000] [--runs 7]
Prints medians; nothing here is a pass/fail test. Targets: open ≤ 50 ms; save one full report
≤ 15 ms and ≤ 1.5× plain; import 10,000 ≤ 20 s; first page of 100,000 filtered by officer and
overdue ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from asb_desktop.domain.document import case_from_document
from asb_desktop.services.casework import Casework, LabelledDocument
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import DATABASE_FILE, Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.store.sqlcipher_engine import create_plain_engine
from asb_desktop.support.synthetic import synthetic_case, synthetic_cases

DIRECTORY = Path(__file__).resolve().parents[1] / "resources" / "demo" / "directory.json"
KEY = FixedKey(DatabaseKey.raw(secrets.token_bytes(32)))


def open_encrypted(folder: Path) -> Store:
    return Store.open(folder, KEY)


def open_plain(folder: Path) -> Store:
    folder.mkdir(parents=True, exist_ok=True)
    return Store.from_engine(create_plain_engine(folder / DATABASE_FILE), folder)


OPENERS: dict[str, Callable[[Path], Store]] = {"encrypted": open_encrypted, "plain": open_plain}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def casework(store: Store) -> Casework:
    work = Casework(store, actor="bench")
    import json

    work.import_directory(json.loads(DIRECTORY.read_text()))
    return work


def bench_open(root: Path, runs: int) -> dict[str, float]:
    result = {}
    for kind, opener in OPENERS.items():
        folder = root / f"open-{kind}"
        opener(folder).close()
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            store = opener(folder)
            with store.read() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM cases").scalar()
            samples.append(time.perf_counter() - started)
            store.close()
        result[kind] = median_ms(samples)
    return result


def bench_save(root: Path, runs: int) -> dict[str, float]:
    import random

    result = {}
    for kind, opener in OPENERS.items():
        store = opener(root / f"save-{kind}")
        work = casework(store)
        rng = random.Random(5)
        cases = [case_from_document(synthetic_case(rng, incidents=3)) for _ in range(runs * 20)]
        work.record(cases.pop())  # warm the pool and caches
        samples = []
        for case in cases:
            started = time.perf_counter()
            work.record(case)
            samples.append(time.perf_counter() - started)
        result[kind] = median_ms(samples)
        store.close()
    return result


def bench_import(root: Path, count: int, runs: int) -> dict[str, float]:
    result = {}
    for kind, opener in OPENERS.items():
        samples = []
        for run in range(runs):
            store = opener(root / f"import-{kind}-{run}")
            work = casework(store)
            documents = [
                LabelledDocument(f"record {i}", d)
                for i, d in enumerate(synthetic_cases(count, seed=run))
            ]
            started = time.perf_counter()
            work.import_documents(documents)
            samples.append(time.perf_counter() - started)
            store.close()
        result[kind] = statistics.median(samples)
    return result


def bench_list(root: Path, count: int, runs: int) -> dict[str, float]:
    result = {}
    for kind, opener in OPENERS.items():
        store = opener(root / f"list-{kind}")
        work = casework(store)
        for start in range(0, count, 10_000):
            batch = synthetic_cases(min(10_000, count - start), seed=100 + start)
            work.import_documents([LabelledDocument(f"r{i}", d) for i, d in enumerate(batch)])
        where = CaseFilter(assigned_to="s-ha", overdue_at=datetime.now(UTC))
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            rows = work.list_cases(where, limit=50)
            samples.append(time.perf_counter() - started)
        assert rows, "the filter should find overdue cases for s-ha"
        result[kind] = median_ms(samples)
        store.close()
    return result


def report(name: str, figures: dict[str, float], unit: str) -> None:
    ratio = figures["encrypted"] / figures["plain"] if figures["plain"] else float("nan")
    print(
        f"{name:<44} encrypted {figures['encrypted']:9.2f} {unit}   plain {figures['plain']:9.2f} "
        f"{unit}   ratio {ratio:4.2f}×",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000, help="cases for the list benchmark")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--import-runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; medians")
    with tempfile.TemporaryDirectory(prefix="asb-bench-") as tmp:
        root = Path(tmp)
        report("open the store", bench_open(root, args.runs * 3), "ms")
        report("save one full report (3 incidents)", bench_save(root, args.runs), "ms")
        report("import 10,000 cases", bench_import(root, 10_000, args.import_runs), "s ")
        report(
            f"list first page of {args.cases:,} (officer+overdue)",
            bench_list(root, args.cases, args.runs * 3),
            "ms",
        )


if __name__ == "__main__":
    main()
