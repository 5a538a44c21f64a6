"""The closing's keys at the central store: reopenings merge as a set of entries (two laptops
reopening offline keep both), `closure` is a unit; a real server stores the keys and refuses a
closed case opened again without a reopening, or a new incident on a closed case."""

from __future__ import annotations

import copy
from typing import Any

from asb_central.merge import merge
from tests.central.central_support import Device, Server, case_document, op

CLOSED = {"state": "closed", "reason": "Quiet", "at": "2026-03-12T10:00:00Z", "outcome": "resolved"}
TOLD = {"at": "2026-03-12T11:00:00+00:00", "by": "s-ha", "how": "letter"}


def reopening(who: str, why: str) -> dict[str, Any]:
    return {
        "at": "2026-03-20T10:00:00+00:00",
        "by": who,
        "reason": why,
        "closed_at": "2026-03-12T10:00:00+00:00",
        "outcome": "resolved",
        "closure": None,
    }


def test_reopenings_on_two_laptops_are_both_kept() -> None:
    base: dict[str, Any] = {"status": CLOSED, "reopenings": [], "closure": None}
    opened = {"state": "open", "reason": None, "at": None, "outcome": None}
    server = {**base, "status": opened, "reopenings": [reopening("s-ha", "Music again")]}
    device = {**base, "status": opened, "reopenings": [reopening("s-tl", "Rang in")]}
    merged = merge(base, server, device)
    assert [r["by"] for r in merged.facts["reopenings"]] == ["s-ha", "s-tl"]
    assert merged.facts["status"] == opened and merged.conflicts == []
    assert merged.changed == ["reopenings"]
    same = merge(base, server, copy.deepcopy(server))
    assert len(same.facts["reopenings"]) == 1  # the same reopening once


def test_the_closure_is_a_unit_two_different_changes_are_a_conflict() -> None:
    base: dict[str, Any] = {"status": CLOSED, "closure": None}
    told = {"complainant_told": TOLD, "satisfaction": None}
    by_phone = {"complainant_told": {**TOLD, "how": "telephone"}, "satisfaction": None}
    assert merge(base, {**base, "closure": told}, base).facts["closure"] == told
    clash = merge(base, {**base, "closure": told}, {**base, "closure": by_phone})
    assert [c.field for c in clash.conflicts] == ["closure"]


def test_the_central_store_keeps_the_keys_and_applies_the_rules(central: Server) -> None:
    officer = Device(central, "s-ho")
    document = case_document(estate="EST-NORTH", status=CLOSED, closure={"complainant_told": TOLD})
    [created] = officer.push(op(document))
    assert created["status"] == "applied", created
    held = officer.http.get(f"/v1/cases/{document['id']}").json()
    assert held["document"]["closure"]["complainant_told"]["how"] == "letter"
    assert held["document"]["status"]["outcome"] == "resolved"

    bare = copy.deepcopy(document)
    bare["status"], bare["closure"] = {"state": "open"}, None
    [refused] = officer.push(op(bare, base_revision=created["revision"]))
    assert refused["status"] == "invalid", refused
    assert "reopened with a reason" in refused["error"]["message"]

    later = copy.deepcopy(document)
    later["incidents"].append(
        {"id": "inc-2", "occurred_at": "2026-03-19T22:00:00Z", "description": "Again"}
    )
    [new_report] = officer.push(op(later, base_revision=created["revision"]))
    assert new_report["status"] == "invalid", new_report
    assert "A report after closure is a new case" in new_report["error"]["message"]

    bare["reopenings"] = [reopening("s-ha", "Music again")]
    [reopened] = officer.push(op(bare, base_revision=created["revision"]))
    assert reopened["status"] == "applied", reopened
    assert reopened["document"]["status"]["state"] == "open"
    assert reopened["document"]["next_update_due_at"] is None  # no first response yet
    assert reopened["document"]["reopenings"][0]["reason"] == "Music again"
