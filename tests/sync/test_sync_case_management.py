"""The contract's additions of December 2026 through a real central store (SQLite and
PostgreSQL): two laptops add actions, risk assessments and vulnerabilities offline and both end
with all of them, merged by id (a person's vulnerabilities as a set); the worked-out keys come
back from the central store, the ASB Case Review counting the complainant's cases there."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from asb_desktop.domain.case import Complainant, Entry, EntryKind, FirstResponse
from asb_desktop.domain.case_management import (
    ActionPlan,
    PlanAction,
    RiskAssessment,
    RiskLevel,
    Vulnerability,
)
from asb_desktop.domain.document import parse_timestamp
from tests.sync.sync_support import Laptop, Server, query

Factory = Callable[..., Laptop]
AT = parse_timestamp("2026-03-11T10:00:00Z", "at")


def change(laptop: Laptop, case_id: str, **changes: object) -> None:
    case = laptop.casework.case(case_id)
    assert case is not None
    laptop.casework.update(replace(case, **changes), action="case.edited")


def add_work(laptop: Laptop, case_id: str, tag: str, level: RiskLevel, need: Vulnerability) -> None:
    """An action, a risk assessment and a vulnerability of the complainant, as one laptop adds
    them offline."""
    case = laptop.casework.case(case_id)
    assert case is not None
    plan = case.action_plan or ActionPlan(agreed_at=AT, agreed_with="Ann, at home")
    action = PlanAction(f"act-{tag}", f"Action from {tag}", "s-ho", AT + timedelta(days=7))
    assessment = RiskAssessment(f"ra-{tag}", AT + timedelta(hours=len(tag)), "s-ho", level, 0)
    complainant = replace(
        case.complainant, vulnerabilities=case.complainant.vulnerabilities | {need}
    )
    laptop.casework.update(
        replace(
            case,
            action_plan=replace(plan, actions=(*plan.actions, action)),
            risk_assessments=(*case.risk_assessments, assessment),
            complainant=complainant,
        ),
        action="case.edited",
    )


def test_actions_and_risk_assessments_added_offline_on_two_laptops_merge_by_id(
    central: Server, laptop_factory: Factory
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH", asb_types=["noise"], nsir_category="personal")
    change(a, case_id, first_response=FirstResponse(AT, "s-ho", "Rang Ann"))
    a.sync.sync()
    b.sync.sync()
    add_work(a, case_id, "a", RiskLevel.MEDIUM, Vulnerability.AGE)
    add_work(b, case_id, "bb", RiskLevel.HIGH, Vulnerability.LANGUAGE)
    assert a.sync.sync().conflicts == 0
    assert b.sync.sync().conflicts == 0
    a.sync.sync()

    [[server_text]] = query(central, f"SELECT document FROM cases WHERE id = '{case_id}'")
    on_server = json.loads(server_text)
    for document in (a.local_cases()[case_id][2], b.local_cases()[case_id][2], on_server):
        assert [x["id"] for x in document["action_plan"]["actions"]] == ["act-a", "act-bb"]
        assert [x["id"] for x in document["risk_assessments"]] == ["ra-a", "ra-bb"]
        assert document["complainant"]["vulnerabilities"] == ["age", "language"]
        assert document["action_plan"]["agreed_with"] == "Ann, at home"
        assert (document["asb_types"], document["nsir_category"]) == (["noise"], "personal")
        # Worked out by the central store: the latest assessment (b's, an hour later) is high,
        # so the next update is 5 working days after the response (Wednesday 11 March).
        assert document["risk_level"] == "high"
        assert document["next_update_due_at"] == "2026-03-18T17:00:00+00:00"
        assert document == on_server


def test_an_action_done_on_one_laptop_and_an_update_given_on_the_other_both_arrive(
    central: Server, laptop_factory: Factory
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    change(a, case_id, first_response=FirstResponse(AT, "s-ho", "Rang Ann"))
    add_work(a, case_id, "a", RiskLevel.STANDARD, Vulnerability.AGE)
    a.sync.sync()
    b.sync.sync()
    case = a.casework.case(case_id)
    assert case is not None and case.action_plan is not None
    done = replace(case.action_plan.actions[0], done_at=AT + timedelta(days=2))
    change(a, case_id, action_plan=replace(case.action_plan, actions=(done,)))
    told = Entry("upd-b", EntryKind.UPDATE, AT + timedelta(days=3), "s-ho", "Told Ann")
    change(b, case_id, entries=(told,))
    a.sync.sync()
    assert b.sync.sync().conflicts == 0
    a.sync.sync()
    for laptop in (a, b):
        document = laptop.local_cases()[case_id][2]
        assert document["action_plan"]["actions"][0]["done_at"] == "2026-03-13T10:00:00+00:00"
        assert [e["id"] for e in document["entries"]] == ["upd-b"]
        # Ten working days after the update of Saturday 14 March: Friday 27 March.
        assert document["next_update_due_at"] == "2026-03-27T17:00:00+00:00"


def test_the_central_store_counts_the_complainants_reports_across_laptops(
    central: Server, laptop_factory: Factory
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    # Reports of the last days (the Case Review looks back six months from now).
    recent = datetime.now(UTC) - timedelta(days=3)
    when = {
        "received_at": recent.isoformat(),
        "incidents": [
            {
                "id": "inc-1",
                "occurred_at": (recent - timedelta(hours=5)).isoformat(),
                "description": "Shouting",
            }
        ],
    }
    [first] = a.record(1, estate="EST-NORTH", **when)
    change(a, first, complainant=Complainant(False, "Zoë Dvořák", "4 Élan Court, Northfields"))
    [second] = b.record(1, estate="EST-NORTH", **when)
    change(b, second, complainant=Complainant(False, "ZOE DVORAK", "4 elan court, northfields"))
    [anonymous] = b.record(1, estate="EST-NORTH", **when)
    change(b, anonymous, complainant=Complainant(True))
    a.sync.sync()
    b.sync.sync()
    reviews = {
        case_id: json.loads(text)["case_review"]
        for case_id, text in query(central, "SELECT id, document FROM cases")
    }
    # The first case reached the central store alone; the second counts both reports.
    assert reviews[first] == {"qualifying_reports": 1, "eligible": False}
    assert reviews[second] == {"qualifying_reports": 2, "eligible": False}
    assert reviews[anonymous] == {"qualifying_reports": 0, "eligible": False}
    assert b.local_cases()[second][2]["case_review"] == reviews[second]
    keys = dict(query(central, "SELECT id, complainant_key FROM cases"))
    assert keys[first] == keys[second] is not None and keys[anonymous] is None
