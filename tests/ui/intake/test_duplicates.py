"""Before saving: open cases with the same complainant, address or person involved, the ASB Case
Review threshold, and adding the report to an existing case as a new incident."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.main_window import MainWindow
from tests.ui.conftest import NOW
from tests.ui.driving import settle
from tests.ui.reporting import (
    classify,
    complainant,
    frequency,
    go_on,
    how_direct,
    incident,
    no_targeting_or_witnesses,
    start_report,
    to_review,
)

NAME = "Zoë O'Brien-Łukasiewicz"


def earlier_report(
    case_id: str, received: datetime, *, name: str = NAME, state: str = "open"
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": "asb-case/1",
        "id": case_id,
        "received_at": received.isoformat(),
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "estate": "EST-NORTH",
        "complainant": {
            "anonymous": False,
            "name": name,
            "address": "Flat 4, 12 Mill Lane, Testtown TT1 1AA",
        },
        "incidents": [
            {
                "id": case_id[:-1] + "f",
                "occurred_at": (received - timedelta(hours=3)).isoformat(),
                "description": "Loud music until 3am",
            }
        ],
        "frequency": "Weekly",
    }
    if state == "closed":
        document["status"] = {"state": "closed", "reason": "Resolved", "at": received.isoformat()}
    return document


def test_possible_duplicates_and_adding_the_report_as_an_incident(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    open_id = "11111111-1111-4111-8111-111111111111"
    services.casework.import_documents(
        [
            LabelledDocument("a", earlier_report(open_id, NOW - timedelta(days=20))),
            LabelledDocument(
                "b",
                earlier_report(
                    "22222222-2222-4222-8222-222222222222",
                    NOW - timedelta(days=90),
                    state="closed",
                ),
            ),
            LabelledDocument(
                "c",
                earlier_report("33333333-3333-4333-8333-333333333333", NOW - timedelta(days=400)),
            ),
            LabelledDocument(
                "d",
                earlier_report(
                    "44444444-4444-4444-8444-444444444444",
                    NOW - timedelta(days=5),
                    name="Ewa Nowak",
                ),
            ),
        ]
    )
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, NAME)
    incident(wizard, qtbot, NOW - timedelta(hours=2), "Music again, and threats on the stairs")
    frequency(wizard, qtbot)
    go_on(wizard, qtbot, 5)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "general", "EST-NORTH")
    to_review(wizard, qtbot)
    review = wizard.review
    shown = [b.accessibleName() for b in review.duplicate_buttons]
    # Open cases only: same name (two of them) or the same address (Ewa Nowak's report).
    assert len(shown) == 3, review.duplicates_title.text()
    assert review.duplicates_title.text() == "Possible duplicates: 3 open cases"
    assert not review.review_notice.isHidden()
    assert review.review_notice.text().startswith(
        "This complainant has made 3 reports in the last 6 months, this one included"
    )
    newest_same_name = next(
        b for b in review.duplicate_buttons if "Local 11111111" in b.accessibleName()
    )
    newest_same_name.click()
    settle(qtbot)
    assert wizard.stack.currentWidget() is wizard.done
    assert wizard.done.heading.text() == "Report added to case 11111111 as a new incident"
    assert services.casework.document(wizard.draft_id) is None, "no second case"
    stored = services.casework.document(open_id)
    assert stored is not None
    assert [i["description"] for i in stored["incidents"]] == [
        "Loud music until 3am",
        "Music again, and threats on the stairs",
    ]
    assert services.drafts.list() == []


def test_the_case_review_notice_counts_reports_not_cases(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """One earlier case holding two reports (the second added to it as an incident, with its
    own reported_at) and this report: three reports, two cases; the notice is shown."""
    case_id = "55555555-5555-4555-8555-555555555555"
    document = earlier_report(case_id, NOW - timedelta(days=40))
    second = NOW - timedelta(days=10)
    document["incidents"].append(
        {
            "id": "55555555-5555-4555-8555-55555555555e",
            "occurred_at": (second - timedelta(hours=5)).isoformat(),
            "reported_at": second.isoformat(),
            "description": "Shouting on the landing",
        }
    )
    services.casework.import_documents([LabelledDocument("a", document)])
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, NAME)
    incident(wizard, qtbot, NOW - timedelta(hours=2), "Music again")
    frequency(wizard, qtbot)
    go_on(wizard, qtbot, 5)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "general", "EST-NORTH")
    to_review(wizard, qtbot)
    review = wizard.review
    qtbot.waitUntil(lambda: "checking" not in review.duplicates_title.text(), timeout=30_000)
    assert review.duplicates_title.text() == "Possible duplicates: 1 open case"
    assert not review.review_notice.isHidden()
    assert review.review_notice.text().startswith(
        "This complainant has made 3 reports in the last 6 months, this one included"
    )
