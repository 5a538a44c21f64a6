"""`asb-desktop list`, `list --overdue`, `list --json` and `export`, through the commands' own
code, are exactly the text an independent rendering of the stored documents gives: each line
built from the document read as a case (not from the row's columns), each Case Review worked
out as of now one case at a time (`Casework.as_of_now`), in the command's order. The store is
varied (references, unassigned, anonymous, closed, responded, risk levels, kinds of ASB, long
names, cases a complainant shares) and the pages are made small so every page boundary is
crossed."""

from __future__ import annotations

import argparse
import json
import random
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from asb_desktop.app import services_for
from asb_desktop.cli import case_commands
from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.case_management import latest_risk_level
from asb_desktop.domain.deadlines import describe_deadline, document_deadlines, overdue_deadlines
from asb_desktop.domain.document import case_from_document, parse_timestamp
from asb_desktop.domain.procedure import describe_due
from asb_desktop.services import case_listing
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store import cases as case_table
from asb_desktop.store.database import Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.store.tables import cases
from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY

KINDS = ["noise", "drugs", "harassment_intimidation", "misuse_of_communal_areas", "hate"]


def _varied(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(7)
    for n, document in enumerate(documents):
        received = parse_timestamp(document["received_at"], "received_at")
        if n % 5 == 1:
            document["asb_types"] = rng.sample(KINDS, rng.randint(1, 4))
        if n % 7 == 2:
            at = (received + timedelta(hours=5)).isoformat()
            document["first_response"] = {"at": at, "by": "s-ha", "summary": "Rang them"}
        if n % 6 == 3:
            level = rng.choice(["standard", "medium", "high"])
            at = (received + timedelta(hours=1)).isoformat()
            document["risk_assessments"] = [
                {"id": f"r{n}", "at": at, "by": "s-ha", "score": 3, "level": level}
            ]
        if n % 11 == 4:
            document["status"] = {"state": "closed", "reason": "Resolved"}
        earlier = documents[n - 3]["complainant"] if n >= 3 else {"anonymous": True}
        if n % 4 == 0 and not earlier["anonymous"]:  # the same person's other case
            document["complainant"] = {**earlier}
        if n % 13 == 5 and not document["complainant"]["anonymous"]:
            document["complainant"]["name"] = "  Maximilian   Alexander Łukasiewicz-Dvořák  "
    return sorted(documents, key=lambda d: d["received_at"])


# Received over 600 days; NOW a day after the last, so deadlines fall before, on and after it,
# and complainants repeat, so Case Reviews count other cases.
DOCUMENTS = _varied(synthetic_cases(160, seed=41))
NOW = parse_timestamp(DOCUMENTS[-1]["received_at"], "received_at") + timedelta(days=1)


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Any:
    key = FixedKey(DatabaseKey.raw(secrets.token_bytes(32)))
    folder = Path(tmp_path_factory.mktemp("golden")) / "data"
    moment = {"now": NOW}
    found = services_for(Store.open(folder, key), actor="test", clock=lambda: moment["now"])
    found.casework.import_directory(json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8")))
    documents = DOCUMENTS
    for first in range(0, len(documents), 20):  # each batch saved soon after it came in: by
        batch = documents[first : first + 20]  # NOW, some Case Reviews have moved on
        last = parse_timestamp(batch[-1]["received_at"], "received_at")
        moment["now"] = last + timedelta(hours=6)
        found.casework.import_documents(
            [LabelledDocument(f"r{first + i}", d) for i, d in enumerate(batch)]
        )
    with found.store.write() as conn:  # some references (synced cases), some unassigned
        ids = sorted(d["id"] for d in documents)
        case_table.set_server_revisions(
            conn, [(i, f"ASB-2026-{n:06d}", 1) for n, i in enumerate(ids[::3])]
        )
        conn.execute(update(cases).where(cases.c.id.in_(ids[1::4])).values(assigned_to=None))
    moment["now"] = NOW
    yield found
    found.close()


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_commands, "LIST_PAGE", 7)
    monkeypatch.setattr(case_listing, "DOCUMENT_PAGE", 9)


def _stored(services: Any, *, row_officer: bool = True) -> list[tuple[str | None, dict[str, Any]]]:
    """(reference, document) of every stored case, as the store holds them; `row_officer`: the
    officer as the row says (as a sync's reassignment left it)."""
    with services.store.read() as conn:
        rows = conn.exec_driver_sql("SELECT reference, assigned_to, document FROM cases").all()
    return [
        (ref, {**json.loads(doc), **({"assigned_to": who} if row_officer else {})})
        for ref, who, doc in rows
    ]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _line(reference: str | None, document: dict[str, Any], calendar: Any) -> str:
    case = case_from_document(document)
    label = reference or f"Local {case.id.split('-')[0].upper()}"
    who = case.complainant
    name = "Anonymous" if who.anonymous else _cut(" ".join((who.name or "(no name)").split()), 24)
    received = case.received_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
    level = latest_risk_level(case.risk_assessments)
    risk = "not assessed" if level is None else "HIGH" if level.value == "high" else level.value
    kinds = ", ".join(k.replace("_", " ") for k in sorted(k.value for k in case.asb_types))
    due_at = parse_timestamp(document["response_due_at"], "response_due_at")
    due = "responded" if case.first_response else describe_due(due_at, NOW, calendar)
    return (
        f"{label:<16} {name:<24} {received:<17} {case.severity.value:<8} {risk:<12} "
        f"{_cut(kinds, 22) if kinds else 'not classified':<22} "
        f"{document['assigned_to'] or '(unassigned)':<14} {due:<30} {case.status.state.value}"
    )


def _listed(services: Any, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    args = argparse.Namespace(
        json="--json" in options, overdue="--overdue" in options, officer=None
    )
    assert case_commands._list(services.casework, args) == 0
    return capsys.readouterr().out


def _by_due(stored: list[tuple[str | None, dict[str, Any]]]) -> list[Any]:
    def due(pair: tuple[str | None, dict[str, Any]]) -> tuple[datetime, str]:
        return parse_timestamp(pair[1]["response_due_at"], "due"), pair[1]["id"]

    return sorted(stored, key=due)


def test_list_is_the_documents_rendered_one_by_one(services: Any, capsys: Any) -> None:
    calendar = services.casework.calendar()
    stored = _by_due(_stored(services))
    lines = [_line(reference, document, calendar) for reference, document in stored]
    shown = _listed(services, capsys).splitlines()
    assert shown[1:-2] == lines
    assert shown[-2] == f"{len(lines)} cases."
    assert shown[-1].startswith("A case with no reference yet")
    words = "\n".join(lines)  # the store is as varied as it says
    for seen in ("HIGH", "medium", "not assessed", "responded", "overdue by", "due next working day",
                 "(unassigned)", "Anonymous", "Local ", "ASB-2026-", "Alexander Łu…", "closed", "…"):  # fmt: skip
        assert seen in words, seen


def test_overdue_list_says_each_overdue_deadline(services: Any, capsys: Any) -> None:
    calendar = services.casework.calendar()
    expected = []
    for reference, document in _by_due(_stored(services)):
        late = overdue_deadlines(document_deadlines(document), NOW)
        if document["status"]["state"] == "open" and late:
            expected.append(_line(reference, document, calendar))
            expected += [f"    overdue: {describe_deadline(d, NOW, calendar)}" for d in late]
    assert len(expected) > 10
    assert _listed(services, capsys, "--overdue").splitlines()[1:-2] == expected


def test_list_json_and_export_are_each_case_as_of_now(
    services: Any, capsys: Any, tmp_path: Path
) -> None:
    casework = services.casework
    stored = [document for _, document in _stored(services, row_officer=False)]
    reviewed = {d["id"]: casework.as_of_now(d) for d in stored}
    changed = [i for i, d in reviewed.items() if d != next(s for s in stored if s["id"] == i)]
    assert changed, "some Case Review moved on since the cases were saved"

    def text(order: list[dict[str, Any]]) -> str:
        return json.dumps([reviewed[d["id"]] for d in order], ensure_ascii=False, indent=2) + "\n"

    assert _listed(services, capsys, "--json") == text(
        [document for _, document in _by_due([(None, d) for d in stored])]
    )
    out = tmp_path / "cases.json"
    args = argparse.Namespace(id=None, output=out, to=None)
    assert case_commands._export(casework, args) == 0
    by_received = sorted(stored, key=lambda d: (parse_timestamp(d["received_at"], "r"), d["id"]))
    assert out.read_text(encoding="utf-8") == text(by_received)
