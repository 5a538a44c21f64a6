"""`asb-desktop erase-person` and `rectify` on a real store (a laptop-only install): only an
administrator may; the person is gone from the case, its history, its queued changes and the
search index, read through the store's key; the audit still verifies; the summary PDF says
'[person removed]'; bad input is a sentence with a non-zero exit and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from asb_desktop.domain.erasure import PLACEHOLDER
from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY, Cli
from tests.reports.report_pdf_checks import all_text

MARK = "Qwertyson"
CHOOSE = (
    "import sys; from pathlib import Path; from asb_desktop.cli.store_access import open_store;"
    "s = open_store(Path(sys.argv[1])); s.actions.set_officer(sys.argv[2]); s.close()"
)
# Every value of every table of the store, read through its key: does the marker appear?
FIND = (
    "import sys; from pathlib import Path; from sqlalchemy import inspect, text;"
    "from asb_desktop.cli.store_access import open_store; s = open_store(Path(sys.argv[1]));"
    "c = s.store.engine.connect(); t = inspect(c).get_table_names();"
    "rows = [str(v) for n in t for r in c.execute(text(f'SELECT * FROM \"{n}\"')) for v in r];"
    "c.close(); s.close(); print(sum(sys.argv[2].lower() in v.lower() for v in rows))"
)


def _setup(cli: Cli, tmp_path: Path) -> str:
    directory = json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8"))
    directory["staff"].append({"id": "s-ad", "name": "Ada Admin", "roles": ["admin"]})
    (tmp_path / "directory.json").write_text(json.dumps(directory), encoding="utf-8")
    [case] = synthetic_cases(1, seed=7)
    case["complainant"] = {
        "anonymous": False, "name": f"Zoë {MARK}", "address": "7 Marker Lane",
        "phone": "07700 900555",
    }  # fmt: skip
    case["incidents"][0]["description"] = f"Music again; {MARK.upper()} rang us"
    (tmp_path / "case.json").write_text(json.dumps(case), encoding="utf-8")
    cli.run("directory", "import", str(tmp_path / "directory.json"))
    cli.run("import", str(tmp_path / "case.json"))
    return str(case["id"])


def _found(cli: Cli, text: str) -> int:
    return int(cli.run(str(cli.data_dir), text, first=("-c", FIND)).stdout.strip())


def test_an_administrator_erases_the_complainant_from_every_copy_on_the_laptop(
    cli: Cli, tmp_path: Path
) -> None:
    case_id = _setup(cli, tmp_path)
    said = cli.fails("erase-person", case_id, "complainant", "--reason", "Request 17")
    assert "Only an administrator may erase or correct a person" in said
    cli.run(str(cli.data_dir), "s-ha", first=("-c", CHOOSE))
    assert "Only an administrator" in cli.fails(
        "erase-person", case_id, "complainant", "--reason", "Request 17"
    )
    cli.run(str(cli.data_dir), "s-ad", first=("-c", CHOOSE))
    assert _found(cli, MARK) > 0

    done = cli.run("erase-person", case_id, "complainant", "--reason", "Request 17")

    assert done.stdout.startswith(f"Case Local {case_id[:8]}: the complainant removed from it;")
    assert "1 mention in its text replaced" in done.stdout
    for marker in (MARK, "Marker Lane", "900555"):
        assert _found(cli, marker) == 0, marker
    assert cli.run("verify-audit").returncode == 0
    pdf = tmp_path / "erased.pdf"
    cli.run("erase-person", case_id, "involved:1", "--reason", "Request 18")  # a second one
    assert cli.run("verify-audit").returncode == 0  # the first erasure's record is kept
    cli.run("pdf", case_id, "-o", str(pdf))
    text = all_text(pdf.read_bytes())
    assert "details were removed from this case by an administrator" in text
    assert "Removed (erasure)" in text  # the person involved's address and description
    assert PLACEHOLDER in text and MARK.lower() not in text.lower()
    [document] = cli.export()
    assert document["complainant"]["name"] == PLACEHOLDER
    assert document["incidents"][0]["description"] == f"Music again; {PLACEHOLDER} rang us"


def test_a_correction_and_bad_input(cli: Cli, tmp_path: Path) -> None:
    case_id = _setup(cli, tmp_path)
    cli.run(str(cli.data_dir), "s-ad", first=("-c", CHOOSE))
    done = cli.run("rectify", case_id, "complainant", "name", "Zoe Qwerty", "--replace-mentions",
                   "--reason", "Spelling")  # fmt: skip
    assert "name of the complainant corrected; 1 mention in its text replaced" in done.stdout
    [document] = cli.export()
    assert document["complainant"]["name"] == "Zoe Qwerty"
    assert document["incidents"][0]["description"] == "Music again; Qwerty rang us"
    for args, code, words in [
        (["erase-person", "ASB-1999-000001", "complainant", "--reason", "x"], 2,
         "no case 'ASB-1999-000001' here"),
        (["erase-person", case_id, "witness:9", "--reason", "x"], 2, "so there is no witness:9"),
        (["erase-person", case_id, "complainant", "--reason", " "], 2, "--reason: say why"),
        (["rectify", case_id, "complainant", "shoe", "9", "--reason", "x"], 2,
         "'shoe' cannot be corrected for the complainant"),
        (["erase-person", case_id, "complainant"], 2, "the following arguments are required"),
    ]:  # fmt: skip
        assert words in cli.fails(*args, code=code), args
    assert cli.export() == [document]  # nothing changed
