"""An import works out each case's ASB Case Review, and again that of each complainant's other
open cases, from their stored cases read once for the whole file (not once a case): the same
counts as a case saved alone, in a bounded number of statements. On a real encrypted store."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from asb_desktop.app import Services, services_for
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.audit import entries_for_case
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from tests.paths import REPO

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
DEMO = json.loads((REPO / "resources" / "demo" / "directory.json").read_text(encoding="utf-8"))


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="s-tl", clock=lambda: NOW)
    services.casework.import_directory(DEMO)
    yield services
    services.close()


def report(person: int, *, days_ago: int, incidents: int = 1) -> dict[str, Any]:
    received = NOW - timedelta(days=days_ago)
    return {
        "format": "asb-case/1",
        "id": str(uuid.uuid4()),
        "received_at": received.isoformat(),
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "estate": "EST-NORTH",
        "complainant": {
            "anonymous": False,
            "name": f"Resident {person}",
            "address": f"Flat {person}, Mill Lane",
        },
        "incidents": [
            {
                "id": f"inc-{n}",
                "occurred_at": (received - timedelta(hours=n + 1)).isoformat(),
                "description": "Noise",
            }
            for n in range(incidents)
        ],
    }


def imported(services: Services, documents: list[dict[str, Any]]) -> list[str]:
    return services.casework.import_documents(
        [LabelledDocument(f"record {i + 1}", d) for i, d in enumerate(documents)]
    )


def counted_statements(services: Services) -> list[str]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(services.store.engine, "before_cursor_execute", count)
    return seen


def test_each_review_counts_the_complainants_stored_and_imported_cases(services: Services) -> None:
    earlier = imported(services, [report(p, days_ago=30) for p in range(4)])
    later = imported(
        services,
        [report(p, days_ago=d, incidents=2) for p in range(4) for d in (5, 3)]
        + [report(9, days_ago=1)],
    )
    for case_id in earlier + later:
        stored = services.casework.document(case_id, as_of_now=False) or {}
        worked_out_alone = services.casework.document(case_id) or {}
        assert stored["case_review"] == worked_out_alone["case_review"], case_id
    # Each earlier case counts its own report and the four of its complainant's imported ones.
    first = services.casework.document(earlier[0], as_of_now=False) or {}
    assert first["case_review"]["qualifying_reports"] == 5
    with services.store.read() as conn:
        assert [e.action for e in entries_for_case(conn, earlier[0])][-1] == "case.reassessed"
    lone = services.casework.document(later[-1], as_of_now=False) or {}
    assert lone["case_review"]["qualifying_reports"] == 1


def test_an_import_asks_for_the_complainants_cases_once_not_once_a_case(
    services: Services,
) -> None:
    imported(services, [report(p, days_ago=40) for p in range(60)])
    statements = counted_statements(services)
    imported(services, [report(p, days_ago=d) for p in range(60) for d in (9, 2)])
    # 120 cases of 60 complainants, each with a stored case to work out again: asked once a
    # case (or once a complainant) it would be 120 (or 60) queries.
    by_complainant = [s for s in statements if "cases.complainant_key" in s]
    assert 1 <= len(by_complainant) <= 3, by_complainant


def test_a_case_saved_twice_is_refused_by_its_id_and_the_first_kept(services: Services) -> None:
    from asb_desktop.domain.document import case_from_document
    from asb_desktop.store.cases import DuplicateCaseError

    case = case_from_document(report(1, days_ago=2))
    first = services.casework.record(case)
    statements = counted_statements(services)
    with pytest.raises(DuplicateCaseError, match=case.id):
        services.casework.record(case)
    assert services.casework.document(case.id, as_of_now=False) == first
    looked = [n for n, s in enumerate(statements) if "WHERE cases.id IN" in s]
    inserted = [n for n, s in enumerate(statements) if s.startswith("INSERT INTO cases ")]
    assert inserted and looked and inserted[0] < looked[0], "refused by the key, then said"
