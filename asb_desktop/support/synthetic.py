"""Seeded, realistic synthetic case documents for benchmarks, demos and tests. No real people."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

FIRST = [
    "Zoë",
    "Siobhán",
    "Tomasz",
    "Aisha",
    "Gareth",
    "Nguyễn",
    "Olu",
    "Mary",
    "Ravi",
    "Ewa",
    "Declan",
    "Fatima",
    "Liam",
    "Chloe",
    "Antonín",
    "Grace",
    "Yusuf",
    "Megan",
    "Kofi",
    "Ellie",
]
LAST = [
    "O'Brien-Łukasiewicz",
    "Murphy",
    "Dvořák",
    "Khan",
    "Jones",
    "Văn An",
    "Adebayo",
    "Smith",
    "Patel",
    "Nowak",
    "Byrne",
    "Hussain",
    "Walsh",
    "Evans",
    "Novák",
    "Taylor",
    "Ali",
    "Price",
]
STREETS = [
    "Mill Lane",
    "Station Road",
    "Church Street",
    "Oak Court",
    "Elm House",
    "Riverside Walk",
    "Victoria Terrace",
    "Park View",
    "Canal Side",
    "Orchard Close",
]
ESTATES = ["EST-NORTH", "EST-SOUTH", "EST-RIVER"]
SCHEMES = ["SCH-OAK", "SCH-ELM", "SCH-WILLOW"]
BEHAVIOURS = [
    "Loud music and shouting from the flat above until the early hours",
    "Group of youths gathering in the stairwell, smoking cannabis and leaving litter",
    "Neighbour's dog barking for hours and fouling the shared garden",
    "Verbal abuse shouted across the landing when the complainant left for work",
    "Car repeatedly parked across the complainant's drive, blocking access",
    "Door kicked and letterbox rattled late at night",
    "Fly-tipping of furniture and black bags beside the bin store",
    "Threats made on the communal stairs and graffiti sprayed on the front door",
]
FEELINGS = [
    "Frightened and unable to sleep",
    "Anxious about leaving the flat",
    "Angry and worn down",
    "Scared for the children",
    "Humiliated in front of neighbours",
]
EFFECTS = [
    "Has not slept properly for weeks",
    "Avoids the stairwell and uses the lift only",
    "Children stay with their grandmother at weekends",
    "Has taken time off work",
]
MEASURES = [
    "Keeps a diary of incidents",
    "Fitted a door camera",
    "Moved the bedroom to the back",
    "Walks the long way round the estate",
]


def _person(rng: random.Random) -> tuple[str, str]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    address = f"{rng.randint(1, 120)} {rng.choice(STREETS)}, Testtown TT{rng.randint(1, 9)} 1AA"
    return name, address


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def synthetic_case(
    rng: random.Random, *, incidents: int | None = None, start: datetime | None = None
) -> dict[str, Any]:
    """One plausible case document: mostly general, some serious, anonymous, third-party,
    scheme and employee cases in realistic proportions."""
    start = start or datetime(2025, 1, 1, tzinfo=UTC)
    received = start + timedelta(minutes=rng.randint(0, 60 * 24 * 600))
    anonymous = rng.random() < 0.1
    third_party = rng.random() < 0.15
    scheme = rng.choice(SCHEMES) if rng.random() < 0.2 else None
    name, address = _person(rng)
    complainant: dict[str, Any] = {"anonymous": anonymous, "is_employee": rng.random() < 0.03}
    if not anonymous:
        complainant.update(
            name=name,
            address=address,
            phone=f"07700 9{rng.randint(10000, 99999)}",
            email=f"resident{rng.randint(1, 99999)}@example.org",
        )
    count = incidents if incidents is not None else rng.choice([1, 1, 1, 2, 3])
    incident_list = []
    for i in range(count):
        when = received - timedelta(hours=rng.randint(1, 24 * 30) * (i + 1))
        incident_list.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128))),
                "occurred_at": _stamp(when),
                "location": rng.choice(STREETS),
                "description": rng.choice(BEHAVIOURS),
                "how_it_made_them_feel": rng.choice(FEELINGS),
                "effect_since": rng.choice(EFFECTS),
                "measures_taken": rng.choice(MEASURES),
            }
        )
    involved_name, involved_address = _person(rng)
    return {
        "format": "asb-case/1",
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "received_at": _stamp(received),
        "channel": rng.choice(["telephone", "writing", "in_person", "website"]),
        "source": (
            {
                "kind": "third_party",
                "organisation": rng.choice(["police", "mp", "local_authority"]),
                "organisation_name": "Testtown Neighbourhood Policing Team",
                "contact": "PC 1234",
            }
            if third_party
            else {"kind": "direct"}
        ),
        "severity": "serious" if rng.random() < 0.2 else "general",
        "estate": rng.choice(ESTATES),
        "supported_scheme": scheme,
        "complainant": complainant,
        "incidents": incident_list,
        "frequency": rng.choice(
            [
                "Most nights for three months",
                "Weekly since last summer",
                "Twice this week; once last year",
            ]
        ),
        "involved": [
            {
                "name": involved_name if rng.random() < 0.7 else None,
                "address": involved_address,
                "description": "Tall man, grey tracksuit",
                "is_employee": rng.random() < 0.02,
            }
        ],
        "targeting": {
            "targeted": rng.random() < 0.3,
            "reason": "Believes it is because of her religion" if rng.random() < 0.1 else None,
        },
        "hate_strands": ["religion"] if rng.random() < 0.05 else [],
        "witnesses": [
            {
                "name": _person(rng)[0],
                "address": None,
                "contact": "07700 900000",
                "account": "Heard the shouting through the wall",
            }
        ]
        if rng.random() < 0.4
        else [],
        "consent_to_share": (
            {"status": "given", "basis": "consent"}
            if third_party and rng.random() < 0.5
            else {"status": "refused" if third_party else "not_asked", "basis": None}
        ),
        "colleague_harassment": rng.random() < 0.02,
    }


def synthetic_cases(count: int, *, seed: int = 2026, **options: Any) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [synthetic_case(rng, **options) for _ in range(count)]
