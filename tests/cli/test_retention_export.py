"""`asb-desktop export` writes `retention`: the legal hold as imported, and the last day a closed
case is kept worked out again (the organisation's period; what an import says is ignored)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import DEMO_DIRECTORY, Cli
from tests.cli.test_import_export import _case

CLOSED = {"state": "closed", "reason": "Resolved", "at": "2027-01-15T12:00:00Z"}


def test_export_says_until_when_each_closed_case_is_kept(cli: Cli, tmp_path: Path) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    open_case = _case("2027-01-04T10:00:00Z")
    closed = _case("2027-01-04T10:00:00Z", status=CLOSED,
                   retention={"legal_hold": False, "destroy_after": "2000-01-01"})  # fmt: skip
    held = _case("2027-01-04T10:00:00Z", status=CLOSED, retention={"legal_hold": True})
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([open_case, closed, held]), encoding="utf-8")
    cli.run("import", str(batch))

    exported = {document["id"]: document["retention"] for document in cli.export()}

    assert exported[open_case["id"]] == {"legal_hold": False, "destroy_after": None}
    assert exported[closed["id"]] == {"legal_hold": False, "destroy_after": "2033-01-15"}
    assert exported[held["id"]] == {"legal_hold": True, "destroy_after": None}
    wrong = _case("2027-01-04T10:00:00Z", retention={"legal_hold": "yes"})
    batch.write_text(json.dumps([wrong]), encoding="utf-8")
    said = cli.fails("import", str(batch))
    assert "record 1, field retention.legal_hold: must be true or false" in said
