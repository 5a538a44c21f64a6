"""`asb-desktop list` shows each case's risk level and kind of ASB, and `--overdue` says beneath
each case WHICH deadline is overdue (domain/deadlines.py): the first response (5.3), the staff
risk assessment (5.9.1), the next update to the complainant, an action of the plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.conftest import DEMO_DIRECTORY, Cli
from tests.cli.test_import_export import _case

RECEIVED = "2026-01-05T09:00:00Z"  # long past: every clock has run out by now
INCIDENTS = [
    {
        "id": "inc-1",
        "occurred_at": "2026-01-04T22:15:00Z",
        "location": "Stairwell",
        "description": "Shouting and banging",
    }
]
RESPONDED = {"at": "2026-01-05T14:00:00Z", "by": "s-ha", "summary": "Called back"}
MANAGED = _case(
    RECEIVED,
    incidents=INCIDENTS,
    first_response=RESPONDED,
    asb_types=["noise", "drugs"],
    nsir_category="nuisance",
    risk_assessments=[
        {
            "id": "ra-1",
            "at": "2026-01-05T15:00:00Z",
            "by": "s-ha",
            "answers": {},
            "score": 14,
            "level": "high",
            "notes": None,
        }
    ],
    action_plan={
        "agreed_at": "2026-01-05T15:30:00Z",
        "agreed_with": "The complainant, by phone",
        "actions": [
            {
                "id": "act-1",
                "what": "Write to the flat above about the noise",
                "who": "s-ha",
                "due_at": "2026-01-09T17:00:00Z",
                "done_at": "2026-01-08T10:00:00Z",
            },
            {
                "id": "act-2",
                "what": "Fit a sound monitor in the bedroom",
                "who": "s-ha",
                "due_at": "2026-01-20T17:00:00Z",
                "done_at": None,
            },
        ],
    },
)
COLLEAGUE = _case(
    RECEIVED,
    incidents=INCIDENTS,
    colleague_harassment=True,
    risk_assessments=[
        {"id": "ra-2", "at": "2026-01-05T15:00:00Z", "by": "s-ha", "answers": {},
         "score": 2, "level": "standard", "notes": None}
    ],
)  # fmt: skip


def _rows(cli: Cli, tmp_path: Path, *args: str) -> list[str]:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([MANAGED, COLLEAGUE]), encoding="utf-8")
    cli.run("import", str(batch))
    return cli.run("list", *args).stdout.splitlines()


def _block(lines: list[str], case: dict[str, Any]) -> list[str]:
    """The case's row and the indented lines beneath it."""
    short = case["id"].split("-")[0].upper()
    start = next(i for i, line in enumerate(lines) if short in line)
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return lines[start:end]


def test_each_row_shows_the_risk_level_and_the_kind_of_asb(cli: Cli, tmp_path: Path) -> None:
    lines = _rows(cli, tmp_path)
    assert "RISK" in lines[0] and "KIND OF ASB" in lines[0]
    managed = _block(lines, MANAGED)
    assert len(managed) == 1  # without --overdue, one line a case
    assert " HIGH " in managed[0] and "drugs, noise" in managed[0]  # as stored, sorted
    colleague = _block(lines, COLLEAGUE)[0]
    assert " standard " in colleague and "not classified" in colleague
    assert "2 cases." in lines


def test_overdue_says_which_deadline_is_overdue(cli: Cli, tmp_path: Path) -> None:
    lines = _rows(cli, tmp_path, "--overdue")
    managed = _block(lines, MANAGED)
    said = "\n".join(managed[1:])
    assert "overdue: next update to the complainant: " in said
    assert "overdue: action “Fit a sound monitor in the bedroom”: " in said
    assert "Write to the flat above" not in said  # done on time: not overdue
    assert "first response" not in said  # responded on the day
    assert all("overdue" in line for line in managed[1:])
    colleague = "\n".join(_block(lines, COLLEAGUE)[1:])
    assert "overdue: first response (5.3): " in colleague
    assert "overdue: staff risk assessment (5.9.1): overdue by " in colleague
    assert "2 cases." in lines
