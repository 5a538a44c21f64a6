"""The ASB Case Review at the central store: applications merge by id (recorded on one laptop,
decided on another: both steps kept; decided differently on both: a conflict named by its id),
are accepted and kept by a real server (SQLite and PostgreSQL), and the server works the Case
Review, the next update and the decision's due time out with the organisation's presets
(`asb-central presets import`), not the built-in defaults."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from asb_central.merge import merge
from asb_desktop.domain.calendar import WorkingDayCalendar, close_of_business, london_day
from tests.central.central_support import Device, Server, admin, case_document, op

APPLIED = {
    "id": "app-1",
    "applied_at": "2026-03-11T10:00:00+00:00",
    "applied_by": "complainant",
    "received_by": "s-rec",
    "threshold_met": None,
    "decision": None,
    "decided_at": None,
    "decided_by": None,
    "outcome": None,
    "outcome_at": None,
}
DECIDED = {
    **APPLIED,
    "threshold_met": True,
    "decision": "Goes ahead",
    "decided_at": "2026-03-12T10:00:00+00:00",
    "decided_by": "s-tl",
}


def test_an_application_made_on_one_laptop_and_decided_on_another_keeps_both() -> None:
    base = case_document(case_review_applications=[APPLIED])
    server = dict(base, case_review_applications=[DECIDED])
    second = {**APPLIED, "id": "app-2", "applied_at": "2026-03-13T10:00:00+00:00"}
    device = dict(base, case_review_applications=[APPLIED, second])
    result = merge(base, server, device)
    assert result.facts["case_review_applications"] == [DECIDED, second]
    assert result.conflicts == [] and result.changed == ["case_review_applications"]
    other = dict(base, case_review_applications=[{**DECIDED, "threshold_met": False}])
    [conflict] = merge(base, server, other).conflicts
    assert conflict.field == "case_review_applications[app-1]"


def recent(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def complaint(**changes: Any) -> dict[str, Any]:
    """Two reports by Ann, made this month: not eligible under the default threshold of 3."""
    return case_document(
        received_at=recent(6),
        estate="EST-NORTH",
        complainant={"anonymous": False, "name": "Ann Example", "address": "2 Canal Side"},
        incidents=[
            {"id": "i-1", "occurred_at": recent(7), "description": "Loud music"},
            {
                "id": "i-2",
                "occurred_at": recent(4),
                "reported_at": recent(3),
                "description": "Again",
            },
        ],
        first_response={"at": recent(5), "by": "s-rec", "summary": "Called her back"},
        **changes,
    )


def working_days_after(moment: str, days: int) -> str:
    day = WorkingDayCalendar().nth_working_day_after(
        london_day(datetime.fromisoformat(moment)), days
    )
    return close_of_business(day).isoformat()


def test_the_central_store_uses_the_organisations_presets(central: Server, tmp_path: Path) -> None:
    officer = Device(central, "s-rec")
    applied_at = recent(1)
    document = complaint(case_review_applications=[{**APPLIED, "applied_at": applied_at}])
    [first] = officer.push(op(document))
    assert first["status"] == "applied", first
    served = first["document"]
    assert served["case_review"] == {"qualifying_reports": 2, "eligible": False}
    assert served["case_review_applications"][0]["applied_at"] == applied_at
    assert served["case_review_decision_due_at"] == working_days_after(applied_at, 10)
    assert served["next_update_due_at"] == working_days_after(recent(5), 10)

    presets = tmp_path / "asb-desktop.defaults.json"
    presets.write_text(
        json.dumps(
            {
                "format": "asb-desktop-defaults/1",
                "central_store_url": "https://asb.example.org/",  # a laptop's key: left alone
                "case_review_threshold": 2,
                "update_working_days": 4,
                "case_review_decision_working_days": 3,
            }
        ),
        encoding="utf-8",
    )
    said = admin(central.db_url, "presets", "import", str(presets))
    assert "case_review_threshold: 2\n" in said and "recomputed" in said
    assert "case_review_window_months: 6 (default)" in admin(central.db_url, "presets", "show")

    note = {"id": "n-1", "kind": "note", "at": recent(0), "by": "s-rec", "text": "Visited"}
    [second] = officer.push(op(dict(document, entries=[note]), first["revision"]))
    assert second["status"] == "applied", second
    served = second["document"]
    assert served["case_review"] == {"qualifying_reports": 2, "eligible": True}
    assert served["case_review_decision_due_at"] == working_days_after(applied_at, 3)
    assert served["next_update_due_at"] == working_days_after(recent(5), 4)


def test_a_preset_file_it_cannot_use_is_refused_in_words(central: Server, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"format": "asb-desktop-defaults/1", "case_review_threshold": 0}),
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match='"case_review_threshold" must be a whole number'):
        admin(central.db_url, "presets", "import", str(bad))
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"format": "asb-directory/1"}), encoding="utf-8")
    with pytest.raises(AssertionError, match="not a preset file"):
        admin(central.db_url, "presets", "import", str(wrong))
