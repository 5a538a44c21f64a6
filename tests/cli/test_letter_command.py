"""`asb-desktop letter` through the real command on a real encrypted store: each letter written
whole and recorded on its case (an entry and a disclosure to the complainant), refused in a
sentence for an anonymous complainant, for adjustments that rule letters out, for a bad path
and an unknown case, with nothing written, no hidden file left and nothing recorded."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.cli.conftest import DEMO_DIRECTORY, Cli, PreparedStores
from tests.reports.report_pdf_checks import flat_text

NOW = datetime.now(UTC)
OPEN = "61616161-6161-4616-8616-616161616161"
CLOSED = "61616161-6161-4616-8616-616161616162"
ANONYMOUS = "61616161-6161-4616-8616-616161616163"
NO_POST = "61616161-6161-4616-8616-616161616164"


def _document(case_id: str, **extra: Any) -> dict[str, Any]:
    received = NOW - timedelta(days=6)
    return {
        "format": "asb-case/1",
        "id": case_id,
        "received_at": received.isoformat(),
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "estate": "EST-NORTH",
        "complainant": {
            "anonymous": False,
            "name": "Zoë Marsh",
            "address": "7 Willow Lane, Northfields, NF2 3CD",
            "adjustments": "Large print, please",
        },
        "incidents": [
            {"id": case_id[:-1] + "e", "occurred_at": received.isoformat(), "description": "Noise"}
        ],
        "frequency": "Weekly",
        "first_response": {"at": (received + timedelta(hours=3)).isoformat(), "by": "s-ha",
                           "summary": "Rang them"},
        **extra,
    }  # fmt: skip


def _seed(cli: Cli) -> None:
    """Four cases made by the real commands, once a session (copied for each test)."""
    closed = _document(CLOSED)
    closed["status"] = {
        "state": "closed",
        "reason": "Quiet for a month",
        "at": (NOW - timedelta(days=1)).isoformat(),
        "outcome": "resolved",
    }
    anonymous = _document(ANONYMOUS)
    anonymous["complainant"] = {"anonymous": True}
    del anonymous["first_response"]
    no_post = _document(NO_POST)
    no_post["complainant"] = {**no_post["complainant"], "adjustments": "Phone only, no letters"}
    cli.data_dir.parent.mkdir(parents=True, exist_ok=True)
    batch = cli.data_dir.parent / "cases.json"
    batch.write_text(json.dumps([_document(OPEN), closed, anonymous, no_post]), encoding="utf-8")
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    cli.run("import", str(batch))


@pytest.fixture
def store(cli: Cli, prepared_stores: PreparedStores) -> Cli:
    prepared_stores.copy("letters", _seed, cli)
    return cli


def _case(cli: Cli, case_id: str) -> dict[str, Any]:
    [document] = json.loads(cli.run("export", "--id", case_id).stdout)
    return document


def test_each_letter_is_written_and_recorded_as_an_entry_and_a_disclosure(
    store: Cli, tmp_path: Path
) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    out = letters / "ack.pdf"
    done = store.run("letter", OPEN, "--kind", "acknowledgement", "-o", str(out))
    assert "large print" in done.stdout and "disclosure log" in done.stdout
    text = flat_text(out.read_bytes())
    assert "Dear Zoë Marsh," in text and "7 Willow Lane" in text
    assert "Your report of anti-social behaviour" in text

    update = letters / "update.docx"
    store.run(
        "letter", OPEN, "--kind", "update", "-o", str(update), "--docx",
        "--text", "We have spoken to your neighbour.",
    )  # fmt: skip
    paragraphs = [p.text for p in Document(str(update)).paragraphs]
    assert "We have spoken to your neighbour." in paragraphs
    closure = letters / "closure.pdf"
    store.run("letter", CLOSED, "--kind", "closure", "-o", str(closure))
    assert "the behaviour you reported has stopped" in flat_text(closure.read_bytes())

    document = _case(store, OPEN)
    kinds = [e["kind"] for e in document["entries"]]
    assert kinds == ["contact", "update"]
    assert [(d["to"], d["profile"], d["what"]) for d in document["disclosures"]] == [
        ("the complainant", "complainant", "letter_pdf"),
        ("the complainant", "complainant", "letter_docx"),
    ]
    assert [d["what"] for d in _case(store, CLOSED)["disclosures"]] == ["letter_pdf"]
    assert sorted(p.name for p in letters.iterdir()) == ["ack.pdf", "closure.pdf", "update.docx"]


@pytest.mark.parametrize(
    ("case_id", "kind", "words"),
    [
        (ANONYMOUS, "acknowledgement", "anonymous: no letter can be sent to them (5.8)"),
        (NO_POST, "acknowledgement", "rule out letters"),
        (OPEN, "closure", "still open"),
        (CLOSED, "update", "The case is closed"),
        ("ASB-2026-999999", "update", "no case with id or reference 'ASB-2026-999999'"),
    ],
    ids=["anonymous", "adjustments", "closure-open", "update-closed", "unknown"],
)
def test_refusals_are_sentences_with_nothing_written_or_recorded(
    store: Cli, tmp_path: Path, case_id: str, kind: str, words: str
) -> None:
    out = tmp_path / "out" / "letter.pdf"
    out.parent.mkdir()
    said = store.fails("letter", case_id, "--kind", kind, "-o", str(out))
    assert words in said and "othing was written" in said
    assert not list(out.parent.iterdir())  # no letter, no hidden part-written file
    if not case_id.startswith("ASB"):
        assert _case(store, case_id)["disclosures"] == []


def test_a_bad_path_is_said_before_the_store_is_opened(store: Cli, tmp_path: Path) -> None:
    said = store.fails(
        "letter", OPEN, "--kind", "acknowledgement", "-o", str(tmp_path / "no/x.pdf")
    )
    assert "there is no folder" in said
    said = store.fails("letter", OPEN, "--kind", "update", "-o", str(tmp_path / "x.pdf"), "--docx",
                       code=2)  # fmt: skip
    assert "ends in .pdf" in said
    assert _case(store, OPEN)["entries"] == []


def test_a_failed_write_records_nothing_and_leaves_no_hidden_file(
    store: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "full"
    folder.mkdir()
    out = folder / "letter.pdf"
    # The disk fills as the letter is flushed (the store's own writes are SQLite's, not these).
    code = (
        "import errno, os, sys\n"
        "def full(fd):\n    raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "os.fsync = full\n"
        "from asb_desktop.cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    done = store.run(
        "letter", OPEN, "--kind", "acknowledgement", "-o", str(out), ok=False, first=("-c", code)
    )
    assert done.returncode == 1, done.stderr
    assert "the disk is full" in done.stderr and "nothing was recorded" in done.stderr
    assert list(folder.iterdir()) == []
    assert _case(store, OPEN)["disclosures"] == []
