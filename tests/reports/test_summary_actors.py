"""Every actor in a printed summary by name: the document and the audit log store ids (a staff
id, or the computer account before an officer was chosen), the reader sees people; and the
status says when the case was referred (5.5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from asb_desktop.domain.document import format_timestamp
from asb_desktop.reports import Profile, build_case_summary
from asb_desktop.services.actors import ActorNames
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import flat_text

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)

NAMES = ActorNames(rb.DIRECTORY, account="local:hana", typed_name=None)


def with_ids(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the app stores it: ids where the builders wrote names."""
    document["recorded_by"] = "local:hana"  # recorded before she chose herself in Settings
    document["first_response"]["by"] = "s-ha"
    for entry in document["entries"]:
        entry["by"] = "s-ha" if entry["by"] == "Hana Ali" else "s-tl"
    document["manual_assignment"]["by"] = "s-tl"
    document["referral"] = {
        "to_role": "enforcement_officer",
        "to_staff_id": "s-ic",
        "reason": "Persistent noise after two warnings",
        "at": format_timestamp(rb.RECEIVED + timedelta(days=3)),
        "by": "s-ha",
    }
    return document


def audit_with_ids() -> list[dict[str, Any]]:
    return [
        {"at": rb.RECEIVED, "actor": "local:hana", "action": "case.recorded"},
        {"at": rb.RECEIVED + timedelta(hours=5), "actor": "s-ha", "action": "case.first_response"},
        {"at": rb.RECEIVED + timedelta(days=1), "actor": "s-tl", "action": "case.reassigned"},
    ]


@pytest.mark.parametrize("profile", list(Profile))
def test_every_actor_is_printed_by_name_and_the_status_says_referred(profile: Profile) -> None:
    document = with_ids(rb.case_document(consent=("given", "consent")))
    result = build_case_summary(
        document,
        profile=profile,
        produced_by="Hana Ali",
        produced_at=PRODUCED_AT,
        audit_trail=audit_with_ids(),
        names=NAMES,
    )
    text = flat_text(result.pdf)
    for staff_id in ("s-ha", "s-tl", "s-ic", "local:"):
        assert staff_id not in text, f"{staff_id} printed where a name belongs"
    assert "First response by Hana Ali" in text
    assert "Recorded by hana (computer account)" in text
    assert "Status Open — Referred to the Enforcement Officer (Iris Cole) on " in text
    assert "Referred to Enforcement Officer Officer Iris Cole On " in text  # 11. Escalations
    assert "Assigned by hand by Tom Lee" in text
    assert re.search(r"10 Mar 2026 14:30 Hana Ali case\.first_response", text)  # the audit trail
    assert document["first_response"]["by"] == "s-ha", "the caller's document is not changed"


def test_without_names_the_stored_ids_are_printed() -> None:
    document = with_ids(rb.case_document())
    result = build_case_summary(
        document, profile=Profile.INTERNAL, produced_by="x", produced_at=PRODUCED_AT
    )
    assert "First response by s-ha" in flat_text(result.pdf)
