"""The window's save path (the services the screens call) asks the same rules as import, pull and
the central store, in the same words; and worked-out facts follow the directory and the nation
for open cases while a closed case keeps what held when it closed. On a real encrypted store."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from asb_desktop.app import Services, services_for
from asb_desktop.domain.calendar import Nation
from asb_desktop.domain.case import EntryKind, ReferralRole
from asb_desktop.domain.case_rules import NO_FEEDBACK_WHEN_ANONYMOUS, REFERRAL_NEEDS_FAILED_ATTEMPT
from asb_desktop.domain.closing import CaseOutcome
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.casework import CaseRefused, LabelledDocument
from asb_desktop.store.audit import entries_for_case
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.store.tables import outbox
from asb_desktop.sync import protocol as p
from asb_desktop.sync.pull import apply_changes
from tests.paths import REPO

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # a Friday; Monday 30 November is St Andrew's Day
DEMO = json.loads((REPO / "resources" / "demo" / "directory.json").read_text(encoding="utf-8"))


def document(**extra: Any) -> dict[str, Any]:
    case_id = str(uuid.uuid4())
    return {
        "format": "asb-case/1",
        "id": case_id,
        "received_at": (NOW - timedelta(hours=1)).isoformat(),
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "estate": "EST-NORTH",
        "complainant": {"anonymous": False, "name": "Kofi Adebayo"},
        "incidents": [
            {
                "id": "inc-1",
                "occurred_at": (NOW - timedelta(hours=3)).isoformat(),
                "description": "Noise",
            }
        ],
        **extra,
    }


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="s-tl", clock=lambda: NOW)
    services.casework.import_directory(DEMO)
    yield services
    services.close()


def imported(services: Services, *documents: dict[str, Any]) -> list[str]:
    return services.casework.import_documents(
        [LabelledDocument(f"record {i + 1}", d) for i, d in enumerate(documents)]
    )


def outbox_count(services: Services) -> int:
    with services.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(outbox)).scalar_one())


# --- the rules, in the window's words ------------------------------------------------------------


def test_a_referral_to_a_line_manager_or_no_one_known_is_refused_by_the_window(
    services: Services,
) -> None:
    [case_id] = imported(
        services,
        document(
            supported_scheme="SCH-OAK",
            resolution_attempts=[
                {
                    "at": (NOW - timedelta(minutes=30)).isoformat(),
                    "by": "s-ic",
                    "description": "Letter",
                    "successful": False,
                }
            ],
        ),
    )
    queued = outbox_count(services)
    with pytest.raises(ProcedureError, match=r"Grace Adeyemi \('s-hm'\) is not a Housing Officer"):
        services.actions.refer(case_id, ReferralRole.HOUSING_OFFICER, "Persistent", "s-hm")
    with pytest.raises(ProcedureError, match="'s-nobody' is not in the staff directory"):
        services.actions.refer(case_id, ReferralRole.HOUSING_OFFICER, "Persistent", "s-nobody")
    assert outbox_count(services) == queued
    services.actions.refer(case_id, ReferralRole.ENFORCEMENT_OFFICER, "Persistent", "s-eo")


def test_a_referral_with_the_failed_attempt_dated_after_it_is_refused_by_the_window(
    services: Services,
) -> None:
    [case_id] = imported(services, document(supported_scheme="SCH-OAK"))
    services.actions.record_resolution_attempt(
        case_id, "Letter", successful=False, at=NOW + timedelta(days=2)
    )
    with pytest.raises(ProcedureError) as caught:
        services.actions.refer(case_id, ReferralRole.HOUSING_OFFICER, "Persistent")
    assert str(caught.value) == (
        f"{REFERRAL_NEEDS_FAILED_ATTEMPT}: the unsuccessful attempts recorded are dated after "
        "the referral."
    )


def test_feedback_to_an_anonymous_complainant_is_refused_by_the_window(services: Services) -> None:
    [case_id] = imported(services, document(complainant={"anonymous": True}))
    queued = outbox_count(services)
    with pytest.raises(CaseRefused) as contact:
        services.actions.add_entry(case_id, EntryKind.CONTACT, "Gave feedback on the visit")
    assert [(p.field, p.problem) for p in contact.value.problems] == [
        ("entries[0].text", NO_FEEDBACK_WHEN_ANONYMOUS)
    ]
    assert str(contact.value) == NO_FEEDBACK_WHEN_ANONYMOUS
    with pytest.raises(CaseRefused, match=r"no feedback on the investigation"):
        services.actions.record_first_response(case_id, "Told the complainant the outcome", NOW)
    assert outbox_count(services) == queued, "nothing stored"
    services.actions.add_entry(case_id, EntryKind.NOTE, "Gave feedback to the police")
    services.actions.record_first_response(case_id, "Visited the stairwell", NOW)


def test_the_5_9_1_group_is_checked_by_the_window(services: Services) -> None:
    [case_id] = imported(services, document(colleague_harassment=True))
    with pytest.raises(ProcedureError, match=r"The 5\.9\.1 review is carried out by"):
        services.actions.complete_risk_assessment(
            case_id, participants=["Tom Lee"], agreed=True, decision="Pairs"
        )
    view = services.actions.complete_risk_assessment(
        case_id, participants=["Grace Adeyemi", "s-hs", "Jo Kowalski"], agreed=True,
        decision="Visits in pairs",
    )  # fmt: skip
    assert view.case.staff_risk_assessment is not None


def test_a_report_adding_an_employee_to_a_case_assigned_to_a_housing_officer_is_refused(
    services: Services,
) -> None:
    [case_id] = imported(services, document())
    services.actions.reassign(case_id, "s-ha", "Covering")
    case = services.casework.case(case_id)
    assert case is not None
    with pytest.raises(CaseRefused, match=r"Team Leader as a minimum \(5\.9\)"):
        services.casework.update(replace(case, colleague_harassment=True), action="case.edited")


def test_the_window_refuses_what_import_refuses_in_the_same_words(services: Services) -> None:
    from asb_desktop.domain.document import case_from_document
    from asb_desktop.services.casework import ImportRejected

    bad = document(frequency="Weekly\x1b[2J")
    with pytest.raises(ImportRejected) as by_import:
        imported(services, bad)
    with pytest.raises(CaseRefused) as by_window:
        services.actions.record_report(case_from_document(bad))
    [problem] = by_window.value.problems
    assert f"record 1, field frequency: {problem.problem}" in str(by_import.value)
    assert problem.problem in str(by_window.value)
    assert services.casework.document(bad["id"]) is None


# --- worked-out facts are never stale ---------------------------------------------------------------


def test_open_cases_follow_a_new_directory_closed_ones_keep_theirs(services: Services) -> None:
    open_id, closed_id, by_hand = imported(services, document(), document(), document())
    services.actions.close(closed_id, "Resolved", CaseOutcome.RESOLVED)
    services.actions.reassign(by_hand, "s-mo", "Knows the family")
    queued = outbox_count(services)
    moved = copy.deepcopy(DEMO)
    moved["staff"] = [s for s in moved["staff"] if s["id"] != "s-ha"]
    moved["staff"].insert(0, {"id": "s-new", "name": "Nell New", "roles": ["housing_officer"],
                              "patches": ["EST-NORTH"]})  # fmt: skip
    services.casework.import_directory(moved)
    documents = {i: services.casework.document(i) or {} for i in (open_id, closed_id, by_hand)}
    assert documents[open_id]["assigned_to"] == "s-new"
    assert documents[closed_id]["assigned_to"] == "s-ha"  # as it was when it closed
    assert documents[by_hand]["assigned_to"] == "s-mo"  # a manual assignment stands
    rows = {r.id: r for r in services.casework.list_cases(CaseFilter())}
    assert rows[open_id].assigned_to == "s-new" and rows[closed_id].assigned_to == "s-ha"
    with services.store.read() as conn:
        assert [e.action for e in entries_for_case(conn, open_id)][-1] == "case.reassessed"
    assert outbox_count(services) == queued, "the central store works these out itself"
    assert services.actions.view(closed_id).outcome.assignment.staff_id == "s-ha"


def test_open_cases_follow_a_new_nation(services: Services) -> None:
    open_id, closed_id = imported(services, document(), document())
    services.actions.close(closed_id, "Resolved", CaseOutcome.RESOLVED)
    england = services.casework.document(open_id) or {}
    assert england["response_due_at"] == "2026-12-02T17:00:00+00:00"
    services.casework.set_nation(Nation.SCOTLAND)  # St Andrew's Day, Monday 30 November
    assert (services.casework.document(open_id) or {})["response_due_at"] == (
        "2026-12-03T17:00:00+00:00"
    )
    assert (services.casework.document(closed_id) or {})["response_due_at"] == (
        "2026-12-02T17:00:00+00:00"
    )
    [row] = services.casework.list_cases(CaseFilter(state="open"))
    assert row.response_due_at == datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


# --- a pulled case -------------------------------------------------------------------------------------


def test_a_pulled_case_that_breaks_a_rule_is_not_taken_in(services: Services) -> None:
    fine = document()
    bad = document(complainant={"anonymous": True},
                   first_response={"at": NOW.isoformat(), "by": "s-ha",
                                   "summary": "Told the complainant the outcome"})  # fmt: skip
    states = []
    for number, doc in enumerate((fine, bad), start=1):
        states.append(
            p.CaseState(case_id=uuid.UUID(doc["id"]), reference=f"ASB-2026-{number:06d}",
                        revision=1, change_number=number,
                        document={**doc, "assignment_rule": "patch_officer",
                                  "response_due_at": "2026-12-02T17:00:00+00:00"})
        )  # fmt: skip
    response = p.ChangesResponse(checkpoint=2, more=False, cases=states, directory_version=1)
    tally = apply_changes(services.store, response, actor="s-tl", now=NOW)
    assert tally.received == 1
    [problem] = tally.problems
    assert problem.startswith("Case ASB-2026-000002 was not taken in (field first_response.summary")
    assert NO_FEEDBACK_WHEN_ANONYMOUS in problem
    assert services.casework.document(bad["id"]) is None
    assert services.casework.document(fine["id"]) is not None


def test_a_pulled_directory_reassigns_the_open_cases(services: Services) -> None:
    [case_id] = imported(services, document())
    moved = copy.deepcopy(DEMO)
    moved["staff"].insert(0, {"id": "s-new", "name": "Nell New", "roles": ["housing_officer"],
                              "patches": ["EST-NORTH"]})  # fmt: skip
    response = p.ChangesResponse(
        checkpoint=5, more=False, cases=[], directory=moved, directory_version=2
    )
    apply_changes(services.store, response, actor="s-tl", now=NOW)
    assert (services.casework.document(case_id) or {})["assigned_to"] == "s-new"
