"""The ASB Case Review through the real `asb-desktop` command: an application waiting for its
decision past its 10 working days is said by `list --overdue`; an application and its steps
go through export and import on another laptop unchanged; a step dated before the one it
follows is refused by import in a sentence naming the field, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import DEMO_DIRECTORY, Cli
from tests.cli.test_import_export import _case
from tests.cli.test_list_casework import INCIDENTS, RECEIVED, RESPONDED, _block

WAITING = {"id": "app-2", "applied_at": "2026-01-07T10:00:00Z", "applied_by": "complainant",
           "received_by": "s-ha"}  # fmt: skip
DECIDED = {
    "id": "app-1",
    "applied_at": "2026-01-06T10:00:00Z",
    "applied_by": "Cllr Dee Patel",
    "received_by": "s-ha",
    "threshold_met": True,
    "decision": "Three reports: the review goes ahead",
    "decided_at": "2026-01-06T15:00:00Z",
    "decided_by": "s-ha",
    "outcome": "Mediation and a noise monitor",
    "outcome_at": "2026-01-06T16:00:00Z",
}
APPLIED = _case(
    RECEIVED,
    incidents=INCIDENTS,
    first_response=RESPONDED,
    case_review_applications=[DECIDED, WAITING],
)


def test_an_undecided_application_is_overdue_in_list(cli: Cli, tmp_path: Path) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([APPLIED]), encoding="utf-8")
    cli.run("import", str(batch))
    said = "\n".join(_block(cli.run("list", "--overdue").stdout.splitlines(), APPLIED)[1:])
    # Applied Wednesday 7 January 2026: due 17:00 on Wednesday 21 January.
    assert "overdue: decision on the ASB Case Review application: overdue by " in said

    exported = tmp_path / "out.json"
    cli.run("export", "--output", str(exported))
    [document] = json.loads(exported.read_text(encoding="utf-8"))
    assert document["case_review_decision_due_at"] == "2026-01-21T17:00:00+00:00"
    other = Cli(tmp_path / "other-laptop")
    other.run("directory", "import", str(DEMO_DIRECTORY))
    other.run("import", str(exported))
    again = tmp_path / "again.json"
    other.run("export", "--output", str(again))
    [back] = json.loads(again.read_text(encoding="utf-8"))
    assert back["case_review_applications"] == document["case_review_applications"]
    assert back["case_review_applications"][0]["outcome"] == DECIDED["outcome"]
    assert back["case_review_applications"][0]["decided_at"] == "2026-01-06T15:00:00+00:00"
    assert back["case_review_applications"][1]["threshold_met"] is None


def test_import_refuses_a_decision_before_its_application(cli: Cli, tmp_path: Path) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    early = dict(DECIDED, decided_at="2026-01-05T10:00:00Z", outcome=None, outcome_at=None)
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([_case(RECEIVED, case_review_applications=[early])]), "utf-8")
    refused = cli.run("import", str(batch), ok=False)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "case_review_applications[0].decided_at" in refused.stderr
    assert "cannot be made before the application" in refused.stderr
    assert "0 cases." in cli.run("list").stdout
