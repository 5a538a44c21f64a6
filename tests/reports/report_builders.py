"""Synthetic, valid case documents for the summary tests and benchmarks (no real data).

Documents go through `case_from_document`, `evaluate` and `case_to_document`, so they are exactly
what the project produces; the keys later work will add are then set on the result.
Named uniquely because tests/ has no packages (one import namespace for all test folders).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.directory import parse_directory
from asb_desktop.domain.document import case_from_document, case_to_document, format_timestamp
from asb_desktop.domain.procedure import evaluate

DIRECTORY = parse_directory(
    {
        "format": "asb-directory/1",
        "staff": [
            {
                "id": "s-ha",
                "name": "Hana Ali",
                "roles": ["housing_officer"],
                "patches": ["EST-NORTH"],
            },
            {"id": "s-tl", "name": "Tom Lee", "roles": ["team_leader"], "patches": ["EST-NORTH"]},
            {
                "id": "s-ic",
                "name": "Iris Cole",
                "roles": ["scheme_coordinator"],
                "schemes": ["SCH-OAK"],
            },
        ],
    }
)
CALENDAR = WorkingDayCalendar()
RECEIVED = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)

# The complainant's details a third-party summary must leave out (5.6).
NAME = "Zoë O'Brien-Łukasiewicz"
ADDRESS = "14 Larch Walk, Northfields, NF2 7QP"
PHONE = "07700 900461"
EMAIL = "zoe.obrien@example.org"
FEEL = "Frightened to open the front door after dark"
EFFECT = "Sleeping at her sister's flat twice a week since then"
MEASURES = "Fitted a doorbell camera and moved the children's bedroom"
WITNESS_ADDRESS = "3 Rowan Court, Northfields"
WITNESS_CONTACT = "07700 900777"

LONG_TEXT = (
    "The group gathered by the bin store again & shouted at passers-by <loudly>; one of them "
    "kicked the communal door until the closer broke. Neighbours on the second floor heard it "
    "too and one of them came down to look. "
)


def incident(n: int, *, long_text: bool = False) -> dict[str, Any]:
    occurred = RECEIVED - timedelta(days=2 * n + 1, hours=n % 5)
    words = LONG_TEXT * (4 if long_text else 1)
    return {
        "id": f"inc-{n}",
        "occurred_at": format_timestamp(occurred),
        "location": f"Block {n % 4 + 1}, Larch Walk stairwell",
        "description": f"Incident {n}. {words}".strip(),
        "how_it_made_them_feel": f"{FEEL} (incident {n})",
        "effect_since": f"{EFFECT} (incident {n})",
        "measures_taken": f"{MEASURES} (incident {n})",
    }


def case_document(
    *,
    incidents: int = 3,
    long_text: bool = False,
    anonymous: bool = False,
    reference: str | None = "ASB-2026-000123",
    source: str = "third_party",
    consent: tuple[str, str | None] = ("not_asked", None),
    complainant_name: str = NAME,
    case_id: str | None = None,
    extras: bool = True,
    colleague_harassment: bool = True,
    managed: bool = False,
) -> dict[str, Any]:
    """A full, valid document: a third-party report on the Northfields estate by default."""
    complainant: dict[str, Any] = {"anonymous": anonymous, "is_employee": False}
    if not anonymous:
        complainant.update(name=complainant_name, address=ADDRESS, phone=PHONE, email=EMAIL)
    raw: dict[str, Any] = {
        "format": "asb-case/1",
        "id": case_id or str(uuid.uuid4()),
        "received_at": format_timestamp(RECEIVED),
        "channel": "telephone",
        "source": (
            {
                "kind": "third_party",
                "organisation": "police",
                "organisation_name": "Northfields SNT",
                "contact": "PC 4411 Rhodes",
            }
            if source == "third_party"
            else {"kind": "direct"}
        ),
        "severity": "serious",
        "estate": "EST-NORTH",
        "complainant": complainant,
        "incidents": [incident(n, long_text=long_text) for n in range(1, incidents + 1)],
        "frequency": "Most weekends since last summer; worse in school holidays.",
        "involved": [
            {
                "name": "Unknown male, about 20",
                "address": None,
                "description": "Tall, grey tracksuit, often with a black dog",
                "is_employee": False,
            },
            {
                "name": "Jordan Pike",
                "address": "22 Larch Walk",
                "description": "Seen kicking the door",
                "is_employee": False,
            },
        ],
        "targeting": {
            "targeted": True,
            "reason": "Believes it is because she reported them before",
        },
        "hate_strands": ["race"],
        "witnesses": [
            {
                "name": "Siobhán Dvořák",
                "address": WITNESS_ADDRESS,
                "contact": WITNESS_CONTACT,
                "account": "Saw the door being kicked from her window",
            },
            {
                "name": "Nguyễn Văn An",
                "address": None,
                "contact": None,
                "account": "Heard shouting & banging",
            },
        ],
        "consent_to_share": {"status": consent[0], "basis": consent[1]},
        "colleague_harassment": colleague_harassment,
        "recorded_by": "Hana Ali",
    }
    if anonymous:
        raw["anonymity"] = {
            "reassured": True,
            "information_gathered": True,
            "action_and_support_discussed": True,
            "no_undue_pressure": True,
            "limitations_explained": False,
        }
    if extras:
        add_extras(raw)
    if managed:
        add_management(raw)
    case = replace(case_from_document(raw), reference=reference)
    return case_to_document(case, evaluate(case, DIRECTORY, CALENDAR))


def add_extras(document: dict[str, Any]) -> None:
    """How the case has been handled: first response, entries, SRA, manual assignment."""
    document["first_response"] = {
        "at": format_timestamp(RECEIVED + timedelta(hours=5)),
        "by": "Hana Ali",
        "summary": "Called back; agreed a home visit on Thursday.",
    }
    document["entries"] = [
        {
            "id": "e1",
            "kind": "contact",
            "at": format_timestamp(RECEIVED + timedelta(hours=5)),
            "by": "Hana Ali",
            "text": "Phoned the complainant; she is very worried about the children.",
        },
        {
            "id": "e2",
            "kind": "action",
            "at": format_timestamp(RECEIVED + timedelta(days=1)),
            "by": "Hana Ali",
            "text": "Asked repairs to fix the communal door closer (job 55120).",
        },
        {
            "id": "e3",
            "kind": "note",
            "at": format_timestamp(RECEIVED + timedelta(days=2)),
            "by": "Tom Lee",
            "text": "Discussed at team meeting; consider an acceptable behaviour contract.",
        },
    ]
    document["staff_risk_assessment"] = {
        "completed_at": format_timestamp(RECEIVED + timedelta(hours=30)),
        "participants": [
            "Tom Lee (line manager)",
            "H&S adviser",
            "HR/OD manager",
            "Housing manager",
        ],
        "decision": "Visits to the block in pairs until further notice",
        "agreed": True,
        "director_decision": None,
    }
    document["manual_assignment"] = {
        "staff_id": "s-tl",
        "staff_name": "Tom Lee",
        "by": "Tom Lee",
        "at": format_timestamp(RECEIVED + timedelta(hours=2)),
        "reason": "Colleague harassment: team leader takes the case",
    }


VULNERABILITY = "Mental health"  # how the complainant's vulnerability prints
ADJUSTMENTS = "Large print letters; calls after 4pm with an interpreter (Polish)"
WITNESS_VULNERABILITY = "Sensory impairment"
INVOLVED_ADJUSTMENTS = "Contact through his support worker only"
RISK_NOTES = "Household afraid to leave the flat after dark"
PLAN_ACTION = "Install a door entry camera at the block"


def add_management(document: dict[str, Any]) -> None:
    """Issue 13: two kinds of ASB, an NSIR category, two risk assessments (the latest high), an
    agreed action plan (one action done late, one overdue, one to do), two updates given, and
    vulnerabilities with adjustments for the complainant, a person involved and a witness."""
    document["asb_types"] = ["harassment_intimidation", "damage_vandalism"]
    document["nsir_category"] = "personal"
    high = {
        "harm_person": "serious",
        "harm_household": "some",
        "vulnerable": "yes",
        "repeat": "often",
        "escalating": "yes",
        "hate": "no",
        "daily_life": "some",
        "retaliation": "no",
    }
    document["risk_assessments"] = [
        {
            "id": "ra1",
            "at": format_timestamp(RECEIVED + timedelta(hours=3)),
            "by": "s-ha",
            "answers": {**high, "escalating": "no", "harm_person": "some", "vulnerable": "no"},
            "score": 7,
            "level": "medium",
            "notes": "First call",
        },
        {
            "id": "ra2",
            "at": format_timestamp(RECEIVED + timedelta(days=1)),
            "by": "s-tl",
            "answers": high,
            "score": 14,
            "level": "high",
            "notes": RISK_NOTES,
        },
    ]
    document["action_plan"] = {
        "agreed_at": format_timestamp(RECEIVED + timedelta(hours=6)),
        "agreed_with": "The complainant, by phone",
        "actions": [
            {
                "id": "a1",
                "what": "Write to the household at 22 Larch Walk about the door",
                "who": "s-ha",
                "due_at": format_timestamp(RECEIVED + timedelta(hours=20)),
                "done_at": format_timestamp(RECEIVED + timedelta(hours=26)),
            },
            {
                "id": "a2",
                "what": PLAN_ACTION,
                "who": "s-tl",
                "due_at": format_timestamp(RECEIVED + timedelta(days=1)),
                "done_at": None,
            },
            {
                "id": "a3",
                "what": "Keep a diary of incidents",
                "who": "complainant",
                "due_at": format_timestamp(RECEIVED + timedelta(days=20)),
                "done_at": None,
            },
        ],
    }
    document.setdefault("entries", []).extend(
        {
            "id": f"u{n}",
            "kind": "update",
            "at": format_timestamp(RECEIVED + timedelta(days=n)),
            "by": "Hana Ali",
            "text": f"Told the complainant where things stand (update {n}).",
        }
        for n in (1, 2)
    )
    complainant = document["complainant"]
    complainant["vulnerabilities"] = ["mental_health", "language"]
    if not complainant.get("anonymous"):
        complainant["adjustments"] = ADJUSTMENTS
    document["involved"][1]["vulnerabilities"] = ["learning_disability"]
    document["involved"][1]["adjustments"] = INVOLVED_ADJUSTMENTS
    document["witnesses"][0]["vulnerabilities"] = ["sensory_impairment"]


def audit_trail(count: int = 6) -> list[dict[str, Any]]:
    actions = [
        "created the case",
        "changed severity",
        "added an incident",
        "assigned the case",
        "recorded a contact",
        "recorded an action",
    ]
    return [
        {
            "at": RECEIVED + timedelta(hours=i),
            "actor": "Hana Ali" if i % 2 else "Tom Lee",
            "action": actions[i % len(actions)],
        }
        for i in range(count)
    ]
