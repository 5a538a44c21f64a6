"""`asb-desktop subject-access` on a real store: the person's own data from every case that holds
them (as complainant, as a witness), nobody else's, each case recording the disclosure."""

from __future__ import annotations

import json
from pathlib import Path

from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY
from tests.reports.report_pdf_checks import all_text

SUBJECT = {"name": "Zoë O'Brien-Łukasiewicz", "address": "108 Park View, Testtown TT4 1AA"}
# Other people's details: none of these may reach either file.
OTHERS = (
    "Marker Perpetrator",
    "MARKER-PERP-DESC",
    "Hidden Close",
    "Other Complainant",
    "Elm Row",
    "07700 900111",
    "other@example.org",
    "Marker Witness",
    "Secret Lane",
    "07700 900999",
    "MARKER-WITNESS-ACCOUNT",
    "OTHER-IMPACT",
)


def _cases() -> list[dict]:
    """Zoë complains in the first case, is a witness (typed in capitals, no accents) in the
    second, shares only her name with a witness of the third; other people everywhere."""
    cases = synthetic_cases(3, seed=31)
    for case in cases:
        case["complainant"] = {
            "anonymous": False,
            "name": "Other Complainant",
            "address": "1 Elm Row, Testtown TT1 1AA",
            "phone": "07700 900111",
            "email": "other@example.org",
        }
        case["involved"] = [
            {
                "name": "Marker Perpetrator",
                "address": "9 Hidden Close",
                "description": "MARKER-PERP-DESC",
            }
        ]
        case["witnesses"] = []
        for incident in case["incidents"]:
            incident["how_it_made_them_feel"] = "OTHER-IMPACT"
    first, second, third = cases
    first["complainant"] = {
        **SUBJECT,
        "anonymous": False,
        "phone": "07700 930558",
        "email": "zoe@example.org",
        "vulnerabilities": ["mental_health"],
        "adjustments": "Call after 10am",
    }
    first["incidents"][0]["description"] = "Marker Perpetrator shouted at Zoë from 9 Hidden Close"
    first["incidents"][0]["how_it_made_them_feel"] = "SUBJECT-IMPACT frightened"
    second["witnesses"] = [
        {
            "name": "ZOE O'BRIEN LUKASIEWICZ",
            "address": "108 park view testtown tt4 1aa",
            "contact": "07700 930558",
            "account": "SUBJECT-ACCOUNT: I saw Marker Perpetrator kick the door",
        },
        {
            "name": "Marker Witness",
            "address": "5 Secret Lane",
            "contact": "07700 900999",
            "account": "MARKER-WITNESS-ACCOUNT",
        },
    ]
    third["witnesses"] = [{"name": SUBJECT["name"], "address": "22 Other Street"}]
    return cases


def _disclosures(cli) -> dict[str, list[dict]]:
    return {d["id"]: d["disclosures"] for d in cli.export()}


def test_subject_access_holds_their_data_and_no_one_elses(cli, tmp_path: Path) -> None:
    cases = _cases()
    batch = tmp_path / "cases.json"
    batch.write_text(json.dumps(cases), encoding="utf-8")
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    cli.run("import", str(batch))
    folder = tmp_path / "request"
    done = cli.run(
        "subject-access", "--name", "zoe o'brien-lukasiewicz", "--address",
        "108 Park View Testtown TT4 1AA", "-o", str(folder),
    )  # fmt: skip
    assert "2 cases" in done.stdout
    assert f"case {cases[2]['id']} has a witness with the same name" in done.stdout

    held = json.loads((folder / "subject-access.json").read_text(encoding="utf-8"))
    pdf_text = all_text((folder / "subject-access.pdf").read_bytes())
    as_json = json.dumps(held, ensure_ascii=False)
    assert [c["id"] for c in held["cases"]] == [cases[0]["id"], cases[1]["id"]]
    assert [c["roles"] for c in held["cases"]] == [["complainant"], ["witness"]]
    for text in (as_json, pdf_text):
        for mine in (
            "Zoë O'Brien-Łukasiewicz",
            "07700 930558",
            "SUBJECT-IMPACT",
            "SUBJECT-ACCOUNT",
        ):
            assert mine in text, mine
        for theirs in OTHERS:
            assert theirs.lower() not in text.lower(), theirs
        assert "[withheld]" in text
    assert "zoe@example.org" in as_json and "Call after 10am" in as_json

    recorded = _disclosures(cli)
    for case in cases[:2]:
        [entry] = recorded[case["id"]]
        assert entry["to"] == "zoe o'brien-lukasiewicz"
        assert (entry["profile"], entry["what"]) == ("subject_access", "subject_access")
    assert recorded[cases[2]["id"]] == []  # a partial match is not included, nor recorded

    said = cli.fails(
        "subject-access", "--name", "Zoë", "--address", "108 Park View", "-o", str(folder)
    )
    assert "already there" in said and "nothing was written" in said


def test_no_data_held_is_an_answer_and_bad_input_a_sentence(cli, tmp_path: Path) -> None:
    batch = tmp_path / "cases.json"
    batch.write_text(json.dumps(synthetic_cases(1, seed=3)), encoding="utf-8")
    cli.run("import", str(batch))
    folder = tmp_path / "nothing"
    done = cli.run(
        "subject-access", "--name", "No One", "--address", "1 Nowhere", "-o", str(folder)
    )
    assert "no case holds this person" in done.stdout
    held = json.loads((folder / "subject-access.json").read_text())
    assert held["nothing_held"] is True and held["cases"] == []
    assert "We hold no anti-social behaviour case information" in all_text(
        (folder / "subject-access.pdf").read_bytes()
    )
    said = cli.fails("subject-access", "--name", " ", "--address", "x", "-o", str(folder), code=2)
    assert "name" in said
    said = cli.fails("subject-access", "--name", "A", "--address", "B", "-o", "/no/such/place")
    assert "there is no folder /no/such" in said
