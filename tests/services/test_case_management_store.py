"""The contract's additions of December 2026 on a real encrypted store: every outstanding
deadline counts for "overdue" (the caseload filter and `list --overdue`), the ASB Case Review
counts the reports of every stored case of the same complainant, and import -> export -> import
on another laptop keeps every new key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from asb_desktop.app import Services, services_for
from asb_desktop.domain.case import Entry, EntryKind, FirstResponse, Incident
from asb_desktop.domain.case_management import ActionPlan, PlanAction
from asb_desktop.domain.document import case_from_document, parse_timestamp
from asb_desktop.services.casework import LabelledDocument, parse_json_records
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from tests.domain.test_case_management_document import managed
from tests.paths import REPO

KEY = FixedKey(DatabaseKey.raw(b"m" * 32))


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def __call__(self) -> datetime:
        return self.now


def open_laptop(folder: Path, clock: Clock) -> Services:
    services = services_for(Store.open(folder, KEY), actor="local:test", clock=clock)
    services.casework.import_directory(
        json.loads((REPO / "resources" / "demo" / "directory.json").read_text())
    )
    return services


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # a Monday


@pytest.fixture
def laptop(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    services = open_laptop(tmp_path / "a", clock)
    yield services
    services.close()


def new_case(case_id: str, received: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "format": "asb-case/1",
        "id": case_id,
        "received_at": received.isoformat(),
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "estate": "EST-NORTH",
        "complainant": {"anonymous": False, "name": "Zoë Dvořák", "address": "4 Élan Court"},
        "incidents": [
            {"id": case_id[:-2] + "e1", "occurred_at": received.isoformat(), "description": "Noise"}
        ],
        **extra,
    }


def put(services: Services, *documents: dict[str, Any]) -> None:
    services.casework.import_documents(
        [LabelledDocument(f"record {i + 1}", d) for i, d in enumerate(documents)]
    )


def overdue(services: Services) -> set[str]:
    where = CaseFilter(overdue_at=services.casework.clock())
    rows = services.casework.list_cases(where)
    assert services.casework.count_cases(where) == len(rows)
    return {row.id for row in rows}


CASE_A = "a0000000-0000-4000-8000-0000000000a1"
CASE_B = "b0000000-0000-4000-8000-0000000000b1"
CASE_C = "c0000000-0000-4000-8000-0000000000c1"


def test_a_staff_risk_assessment_49_hours_late_is_overdue_though_the_response_was_made(
    laptop: Services, clock: Clock
) -> None:
    received = clock.now - timedelta(hours=49)
    put(
        laptop,
        new_case(
            CASE_A,
            received,
            colleague_harassment=True,
            first_response={"at": received.isoformat(), "by": "s-ha", "summary": "Rang"},
        ),
    )
    assert overdue(laptop) == {CASE_A}
    clock.now = received + timedelta(hours=47)
    assert overdue(laptop) == set()


def test_an_overdue_action_and_an_overdue_update_make_a_case_overdue(
    laptop: Services, clock: Clock
) -> None:
    received = clock.now - timedelta(days=1)
    put(laptop, new_case(CASE_A, received), new_case(CASE_B, received))
    for case_id in (CASE_A, CASE_B):
        case = laptop.casework.case(case_id)
        assert case is not None
        answered = FirstResponse(at=clock.now, by="s-ha", summary="Rang")
        laptop.casework.update(replace(case, first_response=answered), action="case.responded")
    assert overdue(laptop) == set()
    case = laptop.casework.case(CASE_A)
    assert case is not None
    plan = ActionPlan(
        agreed_at=clock.now,
        agreed_with="Zoë",
        actions=(
            PlanAction("act-1", "Write to the neighbour", "s-ha", clock.now + timedelta(days=2)),
        ),
    )
    laptop.casework.update(replace(case, action_plan=plan), action="case.plan_agreed")
    clock.now += timedelta(days=3)  # the action is late; the update is not yet due
    assert overdue(laptop) == {CASE_A}
    done = replace(plan.actions[0], done_at=clock.now)
    case = laptop.casework.case(CASE_A)
    assert case is not None
    laptop.casework.update(
        replace(case, action_plan=replace(plan, actions=(done,))), action="case.action_done"
    )
    assert overdue(laptop) == set()
    clock.now += timedelta(days=12)  # ten working days after the response have gone by
    assert overdue(laptop) == {CASE_A, CASE_B}
    case = laptop.casework.case(CASE_B)
    assert case is not None
    told = Entry("upd-1", EntryKind.UPDATE, clock.now, "s-ha", "Told Zoë the letter went")
    laptop.casework.update(replace(case, entries=(told,)), action="case.updated")
    assert overdue(laptop) == {CASE_A}
    document = laptop.casework.document(CASE_B)
    assert document is not None and document["next_update_due_at"] is not None


def test_the_case_review_counts_reports_across_the_complainants_stored_cases(
    laptop: Services, clock: Clock
) -> None:
    first = clock.now - timedelta(days=50)
    put(laptop, new_case(CASE_A, first))
    assert laptop.casework.document(CASE_A)["case_review"] == {  # type: ignore[index]
        "qualifying_reports": 1,
        "eligible": False,
    }
    # Two more complaints added to the first case as incidents, one reported too late.
    case = laptop.casework.case(CASE_A)
    assert case is not None
    later = (
        Incident(
            "i-2", first + timedelta(days=10), "Shouting", reported_at=first + timedelta(days=11)
        ),
        Incident("i-3", first + timedelta(days=1), "Old", reported_at=first + timedelta(days=40)),
    )
    laptop.casework.update(replace(case, incidents=(*case.incidents, *later)), action="case.edited")
    assert laptop.casework.document(CASE_A)["case_review"]["qualifying_reports"] == 2  # type: ignore[index]
    # A new case of the same complainant, her name typed without accents or capitals.
    spelled = new_case(CASE_B, clock.now - timedelta(days=2))
    spelled["complainant"] = {"anonymous": False, "name": "zoe dvorak", "address": "4 ELAN COURT"}
    put(laptop, spelled)
    for case_id in (CASE_A, CASE_B):  # the first case follows at once (worked out again)
        assert laptop.casework.document(case_id)["case_review"] == {  # type: ignore[index]
            "qualifying_reports": 3,
            "eligible": True,
        }
    # An anonymous report of the same behaviour counts for no one.
    anonymous = new_case(CASE_C, clock.now - timedelta(days=1))
    anonymous["complainant"] = {"anonymous": True}
    put(laptop, anonymous)
    assert laptop.casework.document(CASE_C)["case_review"]["qualifying_reports"] == 0  # type: ignore[index]
    assert laptop.casework.document(CASE_B)["case_review"]["qualifying_reports"] == 3  # type: ignore[index]


def test_one_import_file_counts_its_own_cases_of_the_same_complainant(
    laptop: Services, clock: Clock
) -> None:
    put(
        laptop,
        new_case(CASE_A, clock.now - timedelta(days=30)),
        new_case(CASE_B, clock.now - timedelta(days=20)),
        new_case(CASE_C, clock.now - timedelta(days=10)),
    )
    for case_id in (CASE_A, CASE_B, CASE_C):
        assert laptop.casework.document(case_id)["case_review"]["eligible"] is True  # type: ignore[index]


def test_import_export_import_on_another_laptop_keeps_every_new_key(
    laptop: Services, clock: Clock, tmp_path: Path
) -> None:
    clock.now = parse_timestamp("2026-03-26T09:00:00Z", "now")
    original = managed()
    put(laptop, original)
    exported = laptop.casework.documents()
    text = json.dumps(exported, ensure_ascii=False)
    other = open_laptop(tmp_path / "b", clock)
    try:
        other.casework.import_documents(parse_json_records(text, "cases.json"))
        again = other.casework.documents()
    finally:
        other.close()
    assert again == exported
    [document] = again
    # Every fact the file gave, new keys included, is the case stored on the second laptop.
    assert replace(case_from_document(document), recorded_by=None) == case_from_document(original)
    for key in ("asb_types", "nsir_category", "risk_assessments", "action_plan", "entries"):
        assert document[key], key
    assert document["complainant"]["vulnerabilities"] == ["age", "mental_health"]
    assert document["complainant"]["adjustments"] == original["complainant"]["adjustments"]
    assert document["involved"][0]["vulnerabilities"] == ["substance_misuse"]
    assert document["witnesses"][0]["adjustments"] == "Polish"
    assert document["incidents"][1]["reported_at"] == "2026-03-23T09:00:00+00:00"
    assert document["risk_level"] == "high"
    assert document["next_update_due_at"] == "2026-03-24T17:00:00+00:00"
    assert document["case_review"] == {"qualifying_reports": 2, "eligible": False}
    assert CASE_A not in overdue(laptop)
    assert overdue(laptop) == {document["id"]}  # the update due on the 24th is late
