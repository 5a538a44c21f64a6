"""Each of the team view's figures and the caseload's broad search reads the one index meant for
it (migration 0015 folded two indexes into the caseload orders' ones): the figures from a
covering index alone, in its order (no temporary B-tree), and the broad search of the open
cases in due order from the order's index, which carries the search key. SQLite's planner has
no statistics here (the store never runs ANALYZE), so a small store's plans are a large one's."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event

from asb_desktop.app import open_services
from asb_desktop.domain.figures import Period
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store import cases as case_table
from asb_desktop.store import team_figures
from asb_desktop.store.cases import CaseFilter
from asb_desktop.support.synthetic import synthetic_cases

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import keyring

    from tests.conftest import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    services = open_services(Path(tmp_path_factory.mktemp("plans")) / "data")
    documents = synthetic_cases(60, seed=41)
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(documents)]
    )
    yield services
    services.close()


def plans(services: Any, work: Callable[[Connection], object]) -> list[str]:
    """The plan of each SELECT on cases that `work` runs, its steps joined by " / "."""
    found: list[str] = []
    with services.store.read() as conn:

        def explain(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
            if statement.lstrip().upper().startswith("SELECT") and "FROM cases" in statement:
                rows = conn.connection.driver_connection.execute(
                    "EXPLAIN QUERY PLAN " + statement, params
                ).fetchall()
                found.append(" / ".join(str(r[3]) for r in rows))

        event.listen(conn, "before_cursor_execute", explain)
        try:
            work(conn)
        finally:
            event.remove(conn, "before_cursor_execute", explain)
    assert found
    return found


FIGURES: dict[str, tuple[Callable[[Connection], object], str]] = {
    "period counts": (lambda c: team_figures.period_counts(c, PERIOD), "ix_cases_team_period"),
    "states of the period": (
        lambda c: team_figures.state_counts(c, PERIOD),
        "ix_cases_state_order_received_at",
    ),
    "months": (
        lambda c: team_figures.month_counts(c, ["2025-05", "2025-06"], NOW),
        "ix_cases_order_received_at",
    ),
    "open cases by officer": (
        lambda c: team_figures.open_counts(c, NOW),
        "ix_cases_team_open",
    ),
    "overdue work by officer": (
        lambda c: team_figures.overdue_counts(c, NOW),
        "ix_cases_team_open",
    ),
}


@pytest.mark.parametrize("figure", list(FIGURES))
def test_each_team_figure_reads_one_covering_index_in_its_order(stored: Any, figure: str) -> None:
    work, index = FIGURES[figure]
    for plan in plans(stored, work):
        assert re.search(rf"USING COVERING INDEX {index}\b", plan), plan
        assert "TEMP B-TREE" not in plan, plan


def test_a_broad_search_walks_the_open_cases_due_order_index(
    stored: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_table, "SEARCH_DRIVES_BELOW", 0)  # the walk, not the matches
    where = CaseFilter(state="open", search="road")
    found = plans(stored, lambda c: case_table.list_cases(c, where, limit=20))
    for plan in found:
        assert "USING INDEX ix_cases_state_order_response_due_at (state=?)" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
