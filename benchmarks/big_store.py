"""The scaling run's store alone at a million cases, built in minutes rather than hours.

Importing a million synthetic cases through the app would take hours on a laptop, so the
100,000-case store (built by import, benchmarks/bench_ui.py) is copied page by page (SQLite's
backup API: a consistent snapshot while others use it) and its case rows and search entries are
repeated under new ids until the target. Every repeat is a new case as the app would read it:
a UUID-shaped id of its own (also inside its stored document), a unique search key and its own
search entry; the other columns are the original's, so the queries and indexes meet the same
spread of values at ten times the rows. The audit log and outbox keep the 100,000 store's rows.

Only this fixture, never the app, writes with the journal off, no syncing, secure delete off and
a 4 GB page cache, in one transaction: the case table's 21 indexes are dropped, the rows repeated
(20,000 to a statement), and the indexes built again by sorting (repeating 10,000 rows to
100,000 took 9 s of CPU so, 13 s with the indexes kept and filled row by row). Afterwards the store goes back to WAL, FTS5's integrity check
proves the search index matches, and the app's own `Store.open` (migrations at head), counts,
pages and case reader read it. On 2 shared cores at load 13 to 17: 1,000,000 rows in 854 s
wall, 215 s CPU (copy 65 s, rows 151 s, indexes 500 s, writing out 94 s, checks 40 s).
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

CHUNK = 20_000  # rows repeated per statement: SQLite holds a self-copy's rows in memory first
BUILDER_PRAGMAS = (
    "PRAGMA journal_mode = OFF",
    "PRAGMA synchronous = OFF",
    "PRAGMA secure_delete = OFF",
    "PRAGMA foreign_keys = OFF",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA threads = 2",  # CREATE INDEX sorts on a second core when one is free
    "PRAGMA cache_size = -4194304",  # 4 GB: every index's pages stay in memory while rows go in
)


def keyed(path: Path, pragma_key: str) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f'PRAGMA key = "{pragma_key}"')
    conn.execute("PRAGMA cipher_compatibility = 4")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def snapshot(source: Path, target: Path, pragma_key: str) -> None:
    """target/cases.db: a consistent page copy of source/cases.db (same key), plus its key files."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("key.hex", "store.json"):
        shutil.copy2(source / name, target / name)
    src, dst = keyed(source / "cases.db", pragma_key), None
    try:
        dst = sqlcipher3.connect(str(target / "cases.db"), isolation_level=None)
        dst.execute(f'PRAGMA key = "{pragma_key}"')
        dst.execute("PRAGMA cipher_compatibility = 4")
        src.backup(dst)
    finally:
        src.close()
        if dst is not None:
            dst.close()


def repeat_rows(
    path: Path,
    pragma_key: str,
    rows_wanted: int,
    budget_s: float,
    say: Callable[[str], None],
) -> int:
    """Repeat the store's case rows and search entries until `rows_wanted` or `budget_s`."""
    conn = keyed(path, pragma_key)
    try:
        for pragma in BUILDER_PRAGMAS:
            conn.execute(pragma)
        columns = [r[1] for r in conn.execute("PRAGMA table_info(cases)")]
        base, top_key, top_row = conn.execute(
            "SELECT count(*), max(search_key), max(rowid) FROM cases"
        ).fetchone()
        picked = ", ".join(_copied(c) for c in columns)
        copy_rows = (
            # MATERIALIZED: each row's new id drawn once, for its column and its document alike.
            "WITH original AS MATERIALIZED (SELECT lower(hex(randomblob(16))) AS new, * "
            "FROM cases WHERE rowid BETWEEN :first AND :last) "
            f"INSERT INTO cases ({', '.join(columns)}) SELECT {picked} FROM original"
        )
        copy_search = (
            "INSERT INTO case_search (rowid, body) SELECT c.search_key + :shift, s.body "
            "FROM cases AS c JOIN case_search AS s ON s.rowid = c.search_key "
            "WHERE c.rowid BETWEEN :first AND :last"
        )
        rows, copy, started = int(base), 1, time.perf_counter()
        conn.execute("BEGIN")
        # Built again once at the end by sorting (faster than 22 random inserts a row).
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' "
            "AND sql IS NOT NULL"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        while rows < rows_wanted and time.perf_counter() - started < budget_s:
            for first in range(1, top_row + 1, CHUNK):
                if rows >= rows_wanted or time.perf_counter() - started >= budget_s:
                    break
                last = min(first + CHUNK - 1, top_row, first + rows_wanted - rows - 1)
                params: dict[str, Any] = {"shift": copy * top_key, "first": first, "last": last}
                rows += conn.execute(copy_rows, params).rowcount
                conn.execute(copy_search, params)
            say(f"  store alone: {rows:,} rows after {time.perf_counter() - started:.0f} s")
            copy += 1
        for _, sql in indexes:
            conn.execute(sql)
        say(f"  store alone: {len(indexes)} indexes built again by "
            f"{time.perf_counter() - started:.0f} s; writing the pages out")  # fmt: skip
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
        say(f"  store alone: {rows:,} rows built in {time.perf_counter() - started:.0f} s")
        return rows
    finally:
        conn.close()


def _copied(column: str) -> str:
    """What the repeat puts in `column`, from the original row and its `new` hex digits."""
    uuid_shaped = (
        "substr(new, 1, 8) || '-' || substr(new, 9, 4) || '-' || substr(new, 13, 4) || '-' || "
        "substr(new, 17, 4) || '-' || substr(new, 21)"
    )
    if column == "id":
        return uuid_shaped
    if column == "document":
        return f"replace(document, id, {uuid_shaped})"  # the document names its case's id
    if column == "reference":
        return "CASE WHEN reference IS NULL THEN NULL ELSE reference || '/' || :shift END"
    if column == "search_key":
        return "search_key + :shift"
    return column


def search_index_checked(path: Path, pragma_key: str) -> None:
    """FTS5's own integrity check: every case's entry in the index and nothing else."""
    conn = keyed(path, pragma_key)
    try:
        conn.execute("INSERT INTO case_search (case_search, rank) VALUES ('integrity-check', 1)")
        missing = conn.execute(
            "SELECT count(*) FROM cases WHERE search_key NOT IN (SELECT rowid FROM case_search)"
        ).fetchone()[0]
        entries, cases = conn.execute(
            "SELECT (SELECT count(*) FROM case_search), (SELECT count(*) FROM cases)"
        ).fetchone()
        if missing or entries != cases:
            raise RuntimeError(
                f"search entries: {entries:,} for {cases:,} cases; {missing:,} without"
            )
    finally:
        conn.close()


def build(source: Path, target: Path, rows_wanted: int, budget_s: float) -> int:
    """target (a /tmp/asb-bench-* folder): source's store repeated to `rows_wanted` rows; the
    rows reached. Reused while its `complete` file is there."""
    sys.path[:0] = [str(Path(__file__).resolve().parent)]
    import bench_ui

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if not (target / "complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        pragma_key = bench_ui.key_for(source).key(creating=False, source_hint=None).pragma_value
        started = time.perf_counter()
        snapshot(source, target, pragma_key)
        say(f"  store alone: 100,000-case store copied in {time.perf_counter() - started:.0f} s")
        rows = repeat_rows(target / "cases.db", pragma_key, rows_wanted, budget_s, say)
        checked = time.perf_counter()
        search_index_checked(target / "cases.db", pragma_key)
        say(f"  store alone: search index checked in {time.perf_counter() - checked:.0f} s")
        read_by_the_app(target, rows)
        (target / "complete").write_text(f"{rows} rows in {time.perf_counter() - started:.0f} s\n")
    return int((target / "complete").read_text().split()[0])


def read_by_the_app(folder: Path, rows: int) -> None:
    """Open the store as the app does (migrations at head) and read it through its own code."""
    import bench_ui

    from asb_desktop.app import services_for
    from asb_desktop.store.cases import CaseFilter
    from asb_desktop.store.database import Store
    from asb_desktop.store.migrations import HEAD_REVISION

    services = services_for(Store.open(folder, bench_ui.key_for(folder)), actor="bench")
    try:
        work = services.casework
        counted = work.count_cases(CaseFilter())
        if counted != rows:
            raise RuntimeError(f"the app counts {counted:,} cases, the builder made {rows:,}")
        with services.store.read() as conn:
            stamped = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            last = conn.exec_driver_sql("SELECT id FROM cases ORDER BY rowid DESC LIMIT 1").scalar()
        if stamped != HEAD_REVISION:
            raise RuntimeError(f"the store is at migration {stamped}, head is {HEAD_REVISION}")
        page = work.list_cases(CaseFilter(state="open"), limit=200)
        after = work.list_cases(CaseFilter(state="open"), after=page[-1].mark, limit=200)
        case = work.case(str(last))
        if case is None or case.id != last or not after:
            raise RuntimeError("the app could not read a repeated case")
        found = work.count_cases(CaseFilter(state="open", search="Murphy"))
        print(f"  store alone: the app reads it: {counted:,} cases, migration {stamped}, "
              f"pages of {len(page)} and {len(after)}, case {last} opens, "
              f"{found:,} open cases found by 'Murphy'", file=sys.stderr, flush=True)  # fmt: skip
    finally:
        services.close()
