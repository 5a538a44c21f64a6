"""`asb-central erase-person` and `rectify` on a real central store (SQLite and PostgreSQL):
the person's details are nowhere in the database afterwards (every text column of every table
dumped), laptops pull the new revision, a laptop's stale copy pushed later has them erased
again, the audit row holds no personal data, and bad input is a sentence with exit 2."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text

from asb_central import cli
from asb_central.db import database_url
from asb_desktop.domain.erasure import ADDRESS_REMOVED, CONTACT_REMOVED, PLACEHOLDER
from tests.central.central_support import Device, Server, admin, case_document, op, query

MARKERS = ("qwertyson", "zoë", "zoe", "7 marker lane", "07700 900555", "07700900555", "qw@ex.org")


def _complainant_case() -> dict[str, Any]:
    return case_document(
        estate="EST-NORTH",
        frequency="weekly",
        complainant={
            "anonymous": False, "name": "Zoë Qwertyson", "address": "7 Marker Lane",
            "phone": "07700 900555", "email": "qw@ex.org", "vulnerabilities": ["mental_health"],
            "adjustments": "Zoë prefers text",
        },
        incidents=[{"id": "inc-1", "occurred_at": "2026-03-09T22:00:00Z",
                    "description": "Loud music next to QWERTYSON's flat; ring 0770 0900 555"}],
        involved=[{"name": "Jon Smyth", "address": None, "description": "tall"}],
    )  # fmt: skip


def _every_text(db_url: str) -> str:
    """Every value of every column of every table, as text (the whole database's content)."""
    engine = create_engine(database_url(db_url))
    try:
        out = []
        with engine.connect() as conn:
            for table in inspect(conn).get_table_names():
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    out.append(" ".join(str(v) for v in row))
        return "\n".join(out).lower()
    finally:
        engine.dispose()


def _file_bytes(db_url: str) -> bytes:
    path = Path(db_url)
    return b"".join(p.read_bytes() for p in (path, Path(f"{db_url}-wal")) if p.exists())


def _command(db_url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--db", db_url, *args])
    return code, out.getvalue(), err.getvalue()


def test_an_erased_complainant_is_nowhere_in_the_central_store(central: Server) -> None:
    officer, leader = Device(central, "s-ho"), Device(central, "s-tl")
    doc = _complainant_case()
    [made] = officer.push(op(doc))
    reference, base = made["reference"], made["revision"]
    note = {"id": "e1", "kind": "note", "at": "2026-03-10T10:00:00Z", "by": "s-ho",
            "text": "Zoë Qwertyson rang"}  # fmt: skip
    [second] = officer.push(op(dict(made["document"], entries=[note]), base))
    # Both change the frequency from the same revision: a conflict keeps both values.
    officer_copy = dict(second["document"], frequency="nightly, says Qwertyson")
    leader.push(op(dict(second["document"], frequency="daily"), second["revision"]))
    [conflicted] = officer.push(op(officer_copy, second["revision"]))
    assert [c["field"] for c in conflicted["conflicts"]] == ["frequency"]
    assert "qwertyson" in _every_text(central.db_url)

    said = admin(central.db_url, "erase-person", reference, "complainant",
                 "--reason", "Erasure request 2026/17", "--by", "s-dir")  # fmt: skip
    assert said.startswith(f"Case {reference}: the complainant removed from it (revision ")
    assert "earlier revisions" in said and "1 conflict rewritten" in said

    dumped = _every_text(central.db_url)
    for marker in MARKERS:
        assert marker not in dumped, marker
    if not central.db_url.startswith("postgresql"):  # the file's free pages too
        raw = _file_bytes(central.db_url)
        assert b"Qwertyson" not in raw and b"QWERTYSON" not in raw and b"Marker Lane" not in raw

    [stored] = query(central, "SELECT document, complainant_key FROM cases WHERE id = :i",
                     i=doc["id"])  # fmt: skip
    document = json.loads(stored[0])
    assert document["complainant"]["name"] == PLACEHOLDER and stored[1] is None
    assert document["complainant"]["vulnerabilities"] == []
    assert document["incidents"][0]["description"] == (
        f"Loud music next to {PLACEHOLDER}'s flat; ring {CONTACT_REMOVED}"
    )
    assert document["involved"][0]["name"] == "Jon Smyth"
    [audit] = query(central, "SELECT person, action, field, reason, by FROM case_erasures")
    assert tuple(audit) == ("complainant", "erase", None, "Erasure request 2026/17", "s-dir")

    # The laptops pull the new revision.
    pulled = {c["case_id"]: c for c in leader.pull()["cases"]}
    assert pulled[doc["id"]]["document"]["complainant"]["name"] == PLACEHOLDER

    # A laptop that had not taken it sends its old copy with a new note: the note is kept,
    # the person is erased from it again, and nothing of them is stored.
    stale = dict(officer_copy, severity="serious")
    stale["entries"] = [note, {**note, "id": "e2", "text": "Called Zoë back at 7 Marker Lane"}]
    [answer] = officer.push(op(stale, second["revision"]))
    assert answer["status"] == "applied", answer
    kept = answer["document"]
    assert kept["complainant"]["name"] == PLACEHOLDER and kept["severity"] == "serious"
    assert kept["entries"][1]["text"] == f"Called {PLACEHOLDER} back at {ADDRESS_REMOVED}"
    dumped = _every_text(central.db_url)
    for marker in MARKERS:
        assert marker not in dumped, marker


def test_a_misspelt_name_is_corrected_with_its_mentions(central: Server) -> None:
    officer = Device(central, "s-ho")
    doc = _complainant_case()
    doc["incidents"][0]["description"] = "Jon Smyth shouted; Smyth's car"
    [made] = officer.push(op(doc))
    said = admin(central.db_url, "rectify", made["reference"], "involved:1", "name", "Jon Smith",
                 "--replace-mentions", "--reason", "Spelling confirmed by the tenant")  # fmt: skip
    assert "involved person 1 corrected in it" in said and "2 mentions" in said
    pulled = {c["case_id"]: c for c in officer.pull()["cases"]}
    document = pulled[doc["id"]]["document"]
    assert document["involved"][0]["name"] == "Jon Smith"
    assert document["incidents"][0]["description"] == "Jon Smith shouted; Smith's car"
    assert pulled[doc["id"]]["revision"] == made["revision"] + 1
    rows = query(central, "SELECT action, field FROM case_erasures WHERE case_id = :i", i=doc["id"])
    assert [tuple(r) for r in rows] == [("rectify", "name")]


def test_bad_input_is_a_sentence_and_exit_2(central: Server) -> None:
    officer = Device(central, "s-ho")
    [made] = officer.push(op(_complainant_case()))
    ref = made["reference"]
    for args, words in [
        (("erase-person", "ASB-1999-000001", "complainant", "--reason", "x"),
         "no case 'ASB-1999-000001' in the central store"),
        (("erase-person", ref, "perpetrator", "--reason", "x"), "is not a person of a case"),
        (("erase-person", ref, "witness:1", "--reason", "x"), "the case has 0 witnesses"),
        (("erase-person", ref, "complainant", "--reason", "  "), "field --reason: say why"),
        (("rectify", ref, "complainant", "colour", "red", "--reason", "x"),
         "'colour' cannot be corrected for the complainant"),
    ]:  # fmt: skip
        code, out, err = _command(central.db_url, *args)
        assert code == 2 and out == "", (args, out)
        assert words in err and "Traceback" not in err, (args, err)
    before = query(central, "SELECT revision FROM cases WHERE reference = :r", r=ref)
    admin(central.db_url, "erase-person", ref, "complainant", "--reason", "Request")
    code, _, err = _command(central.db_url, "erase-person", ref, "complainant", "--reason", "x")
    assert code == 2 and "the complainant has already been removed from this case" in err
    after = query(central, "SELECT revision FROM cases WHERE reference = :r", r=ref)
    assert after[0][0] == before[0][0] + 1  # the refused second try changed nothing
