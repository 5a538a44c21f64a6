"""What the synthetic generator leaves out and the team view counts (synthetic data only, for
its tests, its benchmark and a store to look at): NSIR categories, kinds of ASB, first responses
(some late), risk assessments, action plans with actions past due, and closed cases."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

NSIR = ("personal", "nuisance", "environmental", None)
KINDS = ("noise", "verbal_abuse", "drugs", "vehicles", "litter_dumping", "harassment_intimidation")
LEVELS = ("standard", "medium", "high")


def team_mix(documents: list[dict[str, Any]], *, seed: int, now: datetime) -> list[dict[str, Any]]:
    """The documents, changed in place (and returned)."""
    rng = random.Random(seed)
    for document in documents:
        received = datetime.fromisoformat(document["received_at"])
        if received > now:
            continue
        document["nsir_category"] = rng.choice(NSIR)
        document["asb_types"] = sorted(rng.sample(KINDS, rng.randint(0, 2)))
        officer = "s-ha"
        if not document["complainant"]["anonymous"] and rng.random() < 0.7:
            at = min(received + timedelta(hours=rng.randint(1, 150)), now)
            document["first_response"] = {"at": at.isoformat(), "by": officer, "summary": "Rang"}
        if rng.random() < 0.4:
            at = min(received + timedelta(hours=rng.randint(2, 72)), now)
            document["risk_assessments"] = [
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "at": at.isoformat(),
                    "by": officer,
                    "answers": {},
                    "score": rng.randint(0, 30),
                    "level": rng.choice(LEVELS),
                    "notes": None,
                }
            ]
        if rng.random() < 0.25:
            agreed = min(received + timedelta(days=2), now)
            document["action_plan"] = {
                "agreed_at": agreed.isoformat(),
                "agreed_with": "the complainant",
                "actions": [
                    {
                        "id": str(uuid.UUID(int=rng.getrandbits(128))),
                        "what": "Visit the neighbour",
                        "who": officer,
                        "due_at": (agreed + timedelta(days=rng.randint(1, 60))).isoformat(),
                        "done_at": None,
                    }
                ],
            }
        if rng.random() < 0.3 and received < now - timedelta(days=40):
            closed = received + timedelta(days=rng.randint(30, 39))
            document["status"] = {
                "state": "closed",
                "reason": "The behaviour stopped",
                "at": closed.isoformat(),
                "outcome": "resolved",
            }
    return documents
