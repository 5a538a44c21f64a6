"""The three-way merge of the contract's additions: risk assessments and action-plan actions by
id (like incidents), the plan's agreement as units, a person's vulnerabilities as a set."""

from __future__ import annotations

from typing import Any

from asb_central.merge import merge


def assessment(key: str, level: str = "standard") -> dict[str, Any]:
    return {
        "id": key,
        "at": "2026-03-10T10:00:00+00:00",
        "by": "s-ha",
        "answers": {},
        "score": 0,
        "level": level,
        "notes": None,
    }


def action(key: str, what: str = "Write a letter", done: str | None = None) -> dict[str, Any]:
    return {
        "id": key,
        "what": what,
        "who": "s-ha",
        "due_at": "2026-03-13T17:00:00+00:00",
        "done_at": done,
    }


def plan(*actions: dict[str, Any], agreed_with: str = "Ann") -> dict[str, Any]:
    return {
        "agreed_at": "2026-03-10T16:00:00+00:00",
        "agreed_with": agreed_with,
        "actions": list(actions),
    }


def person(name: str, *needs: str) -> dict[str, Any]:
    return {
        "name": name,
        "address": None,
        "description": None,
        "is_employee": False,
        "vulnerabilities": sorted(needs),
        "adjustments": None,
    }


BASE: dict[str, Any] = {
    "complainant": {"anonymous": False, "name": "Ann", "vulnerabilities": ["age"]},
    "involved": [person("Ben")],
    "witnesses": [],
    "risk_assessments": [assessment("r-1")],
    "action_plan": plan(action("a-1")),
}


def test_risk_assessments_added_on_two_laptops_are_all_kept() -> None:
    server = dict(BASE, risk_assessments=[assessment("r-1"), assessment("r-2", "high")])
    device = dict(BASE, risk_assessments=[assessment("r-1"), assessment("r-3", "medium")])
    result = merge(BASE, server, device)
    assert [a["id"] for a in result.facts["risk_assessments"]] == ["r-1", "r-2", "r-3"]
    assert result.conflicts == [] and result.changed == ["risk_assessments"]


def test_actions_added_on_two_laptops_and_one_marked_done_merge_by_id() -> None:
    server = dict(
        BASE,
        action_plan=plan(action("a-1", done="2026-03-12T10:00:00+00:00"), action("a-2", "Visit")),
    )
    device = dict(BASE, action_plan=plan(action("a-1"), action("a-3", "Fit a camera")))
    result = merge(BASE, server, device)
    facts = result.facts["action_plan"]
    assert [a["id"] for a in facts["actions"]] == ["a-1", "a-2", "a-3"]
    assert (
        facts["actions"][0]["done_at"] == "2026-03-12T10:00:00+00:00"
    )  # only the server changed it
    assert result.conflicts == [] and result.changed == ["action_plan"]


def test_one_action_changed_differently_on_both_sides_is_a_conflict_named_by_its_id() -> None:
    server = dict(BASE, action_plan=plan(action("a-1", "Write to Ben")))
    device = dict(BASE, action_plan=plan(action("a-1", "Write to Ben's landlord")))
    result = merge(BASE, server, device)
    [conflict] = result.conflicts
    assert conflict.field == "action_plan.actions[a-1]"
    assert result.facts["action_plan"]["actions"][0]["what"] == "Write to Ben"


def test_the_plan_agreed_on_one_laptop_reaches_the_other() -> None:
    base = dict(BASE, action_plan=None)
    device = dict(BASE, action_plan=plan(action("a-9")))
    result = merge(base, dict(base), device)
    assert result.facts["action_plan"] == plan(action("a-9"))
    assert result.changed == ["action_plan"]
    assert merge(base, dict(base), dict(base)).facts["action_plan"] is None
    server = dict(BASE, action_plan=plan(action("a-1"), agreed_with="Ann and her son"))
    device = dict(BASE, action_plan=plan(action("a-1"), agreed_with="Ann, by telephone"))
    [conflict] = merge(BASE, server, device).conflicts
    assert conflict.field == "action_plan.agreed_with"


def test_a_persons_vulnerabilities_merge_as_a_set() -> None:
    server = dict(
        BASE,
        complainant={**BASE["complainant"], "vulnerabilities": ["age", "language"]},
        involved=[person("Ben", "mental_health")],
    )
    device = dict(
        BASE,
        complainant={**BASE["complainant"], "vulnerabilities": ["mental_health"]},
        involved=[person("Ben", "substance_misuse")],
    )
    result = merge(BASE, server, device)
    # The device removed "age" and added "mental_health"; the server added "language".
    assert result.facts["complainant"]["vulnerabilities"] == ["language", "mental_health"]
    assert result.facts["involved"] == [person("Ben", "mental_health", "substance_misuse")]
    assert result.conflicts == []
    assert result.changed == ["complainant", "involved"]


def test_the_rest_of_a_person_is_still_a_unit_and_a_conflict_shows_both_whole() -> None:
    server = dict(BASE, complainant={**BASE["complainant"], "name": "Ann Smith"})
    device = dict(
        BASE,
        complainant={
            **BASE["complainant"],
            "name": "Anne Smith",
            "vulnerabilities": ["age", "language"],
        },
    )
    result = merge(BASE, server, device)
    [conflict] = result.conflicts
    assert conflict.field == "complainant"
    assert conflict.device_value["vulnerabilities"] == ["age", "language"]
    assert result.facts["complainant"] == server["complainant"]
    one_side = dict(BASE, complainant={**BASE["complainant"], "name": "Ann Smith"})
    added = dict(BASE, complainant={**BASE["complainant"], "vulnerabilities": ["age", "carer"]})
    merged = merge(BASE, one_side, added)
    assert merged.facts["complainant"] == {
        **one_side["complainant"],
        "vulnerabilities": ["age", "carer"],
    }
    assert merged.conflicts == []
