"""`asb-central subject-access` on a real central store (SQLite and PostgreSQL), and the
disclosure log's merge: the person's own data from every case holding them and nobody else's,
a disclosure on each case included that laptops pull, and disclosures recorded on either side
merged as a set."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

from asb_central import cli
from tests.central.central_support import Device, Server, admin, case_document, op, query
from tests.reports.report_pdf_checks import all_text

OTHERS = ("Marker Perpetrator", "MARKER-DESC", "Hidden Close", "Ann Other", "Elm Row",
          "07700 900111", "Marker Witness", "MARKER-ACCOUNT")  # fmt: skip


def _cases() -> list[dict[str, Any]]:
    others = {
        "involved": [
            {
                "name": "Marker Perpetrator",
                "address": "9 Hidden Close",
                "description": "MARKER-DESC",
            }
        ],
        "estate": "EST-NORTH",
    }
    mine = case_document(
        complainant={"anonymous": False, "name": "Zoë Nguyễn", "address": "3 Oak Road, Testtown",
                     "phone": "07700 930558"},
        incidents=[{"id": "inc-1", "occurred_at": "2026-03-09T22:00:00Z",
                    "description": "Marker Perpetrator shouted at Zoë",
                    "how_it_made_them_feel": "SUBJECT-IMPACT"}],
        **others,
    )  # fmt: skip
    seen = case_document(
        complainant={"anonymous": False, "name": "Ann Other", "address": "1 Elm Row",
                     "phone": "07700 900111"},
        witnesses=[
            {"name": "zoe nguyen", "address": "3 oak road testtown", "account": "SUBJECT-ACCOUNT"},
            {"name": "Marker Witness", "address": "5 Lane", "account": "MARKER-ACCOUNT"},
        ],
        **others,
    )  # fmt: skip
    elsewhere = case_document(
        witnesses=[{"name": "Zoë Nguyễn", "address": "22 Far Street"}], **others
    )
    return [mine, seen, elsewhere]


def _run(db_url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--db", db_url, *args])
    return code, out.getvalue(), err.getvalue()


def _document(central: Server, case_id: str) -> dict[str, Any]:
    [row] = query(central, "SELECT document FROM cases WHERE id = :i", i=case_id)
    return json.loads(row[0])


def test_subject_access_over_the_organisation(central: Server, tmp_path: Path) -> None:
    officer = Device(central, "s-ho")
    cases = _cases()
    answers = officer.push(*(op(c) for c in cases))
    assert all(a["status"] == "applied" for a in answers), answers
    folder = tmp_path / "request"
    said = admin(central.db_url, "subject-access", "--name", "ZOE NGUYEN", "--address",
                 "3 Oak Road Testtown", "-o", str(folder), "--by", "s-dir")  # fmt: skip
    assert "the person is in 2 cases" in said
    assert f"{answers[2]['reference']} has a witness with the same name" in said

    held = json.loads((folder / "subject-access.json").read_text(encoding="utf-8"))
    pdf_text = all_text((folder / "subject-access.pdf").read_bytes())
    as_json = json.dumps(held, ensure_ascii=False)
    assert [c["reference"] for c in held["cases"]] == [a["reference"] for a in answers[:2]]
    for text in (as_json, pdf_text):
        for mine in ("Zoë Nguyễn", "07700 930558", "SUBJECT-IMPACT", "SUBJECT-ACCOUNT"):
            assert mine in text, mine
        for theirs in OTHERS:
            assert theirs.lower() not in text.lower(), theirs
    assert "OFFICIAL-SENSITIVE" in pdf_text

    for case in cases[:2]:
        [entry] = _document(central, case["id"])["disclosures"]
        assert (entry["by"], entry["to"], entry["profile"]) == (
            "s-dir",
            "ZOE NGUYEN",
            "subject_access",
        )
    assert _document(central, cases[2]["id"])["disclosures"] == []
    actions = query(central, "SELECT action FROM case_audit WHERE case_id = :i", i=cases[0]["id"])
    assert [a[0] for a in actions][-1] == "disclosed"
    # Laptops take it at their next pull.
    pulled = {c["case_id"]: c["document"] for c in officer.pull()["cases"]}
    assert len(pulled[cases[0]["id"]]["disclosures"]) == 1

    # A laptop that had not pulled it records its own disclosure on its older copy: both kept,
    # and the same entry sent again is not doubled.
    own = {"at": "2026-11-30T10:00:00Z", "by": "s-ho", "to": "PC Dawson",
           "profile": "third_party", "what": "summary_pdf"}  # fmt: skip
    stale = dict(answers[0]["document"], disclosures=[own])
    [merged] = officer.push(op(stale, answers[0]["revision"]))
    assert merged["status"] == "applied", merged
    kept = _document(central, cases[0]["id"])["disclosures"]
    assert [d["to"] for d in kept] == ["ZOE NGUYEN", "PC Dawson"]
    [again] = officer.push(op(dict(merged["document"], disclosures=[own]), answers[0]["revision"]))
    assert len(_document(central, cases[0]["id"])["disclosures"]) == 2, again

    code, _, err = _run(central.db_url, "subject-access", "--name", "Zoë Nguyễn", "--address",
                        "3 Oak Road", "-o", str(folder))  # fmt: skip
    assert code == 2 and "already there" in err and "Traceback" not in err


def test_nobody_found_and_bad_input(central: Server, tmp_path: Path) -> None:
    folder = tmp_path / "none"
    said = admin(central.db_url, "subject-access", "--name", "No One", "--address", "Nowhere",
                 "-o", str(folder))  # fmt: skip
    assert "no case holds this person" in said
    held = json.loads((folder / "subject-access.json").read_text())
    assert held["nothing_held"] is True
    assert "We hold no anti-social behaviour case information" in all_text(
        (folder / "subject-access.pdf").read_bytes()
    )
    code, _, err = _run(central.db_url, "subject-access", "--name", "A", "--address", " ",
                        "-o", str(tmp_path / "x"))  # fmt: skip
    assert code == 2 and "address" in err
    code, _, err = _run(central.db_url, "subject-access", "--name", "A", "--address", "B",
                        "-o", str(tmp_path / "no" / "such"))  # fmt: skip
    assert code == 2 and "there is no folder" in err
