"""Small, valid cases, documents and directories that each test changes in one place."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from asb_desktop.domain.case import (
    Case,
    Channel,
    Complainant,
    Incident,
    Severity,
    Source,
    SourceKind,
)
from asb_desktop.domain.directory import Directory, parse_directory

CASE_ID = "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"

# Staff order matters: "first-listed" means first in this list.
DIRECTORY_DOCUMENT: dict[str, Any] = {
    "format": "asb-directory/1",
    "staff": [
        {"id": "s-ha", "name": "Hana Ali", "roles": ["housing_officer"], "patches": ["EST-NORTH"]},
        {"id": "s-hb", "name": "Hugo Bell", "roles": ["housing_officer"], "patches": ["EST-NORTH"]},
        {"id": "s-hs", "name": "Sara Hunt", "roles": ["housing_officer"], "patches": ["EST-SOUTH"]},
        {"id": "s-tl", "name": "Tom Lee", "roles": ["team_leader"], "patches": ["EST-WEST"]},
        {
            "id": "s-tn",
            "name": "Nia Tran",
            "roles": ["team_leader", "line_manager"],
            "patches": ["EST-NORTH", "EST-SOUTH"],
        },
        {
            "id": "s-ic",
            "name": "Iris Cole",
            "roles": ["scheme_coordinator"],
            "schemes": ["SCH-OAK"],
        },
        {
            "id": "s-id",
            "name": "Ian Dodd",
            "roles": ["scheme_coordinator"],
            "schemes": ["SCH-ELM", "SCH-OAK"],
        },
        {"id": "s-eo", "name": "Ed Owen", "roles": ["enforcement_officer"]},
    ],
    "estates": [
        {"code": "EST-NORTH", "name": "Northfields"},
        {"code": "EST-SOUTH", "name": "Southmead"},
    ],
    "schemes": [
        {"code": "SCH-OAK", "name": "Oak Court", "kind": "independent_living"},
        {"code": "SCH-ELM", "name": "Elm House", "kind": None},
    ],
}


def directory(**changes: Any) -> Directory:
    """The demo directory, with top-level keys replaced by `changes`."""
    doc = copy.deepcopy(DIRECTORY_DOCUMENT)
    doc.update(changes)
    return parse_directory(doc)


def at(text: str) -> datetime:
    """An aware moment from ISO text that must carry its own offset."""
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, text
    return moment


def case(**changes: Any) -> Case:
    """A direct, general, non-anonymous case on no estate, received on a Tuesday morning."""
    base = Case(
        id=CASE_ID,
        received_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC),
        channel=Channel.TELEPHONE,
        source=Source(kind=SourceKind.DIRECT),
        severity=Severity.GENERAL,
        complainant=Complainant(anonymous=False, name="Ann Example"),
        incidents=(
            Incident(
                id="inc-1",
                occurred_at=datetime(2026, 3, 9, 22, 0, tzinfo=UTC),
                description="Loud music until 3am",
            ),
        ),
    )
    return replace(base, **changes)


def case_document(**changes: Any) -> dict[str, Any]:
    """A minimal valid `asb-case/1` document; top-level keys replaced by `changes`."""
    doc: dict[str, Any] = {
        "format": "asb-case/1",
        "id": CASE_ID,
        "received_at": "2026-03-10T09:30:00Z",
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "complainant": {"anonymous": False, "name": "Ann Example"},
        "incidents": [
            {
                "id": "inc-1",
                "occurred_at": "2026-03-09T22:00:00+00:00",
                "description": "Loud music until 3am",
            }
        ],
    }
    doc.update(copy.deepcopy(changes))
    return doc
