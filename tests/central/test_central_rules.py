"""One rule or limit broken at a time, on hypothesis-made documents: refused by `asb-desktop
import` (the real command, in a child process), by the central store (a real server on
127.0.0.1) and by the window's save (the service the window calls), each naming the same field
in the same words, and nothing stored anywhere. Then what import accepts, the central store
accepts."""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asb_desktop.app import Services, services_for
from asb_desktop.domain.directory import parse_directory
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.validation import check_change, check_document
from asb_desktop.services.casework import CaseRefused
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from tests.central.central_support import (
    DIRECTORY,
    Device,
    Server,
    admin,
    case_document,
    op,
    query,
)
from tests.cli.conftest import Cli

# The central test directory, with the two roles of the 5.9.1 group it lacks.
GROUP_DIRECTORY: dict[str, Any] = copy.deepcopy(DIRECTORY)
GROUP_DIRECTORY["staff"] += [
    {"id": "s-lm", "name": "Lia Marsh", "roles": ["line_manager"]},
    {"id": "s-hsa", "name": "Sam Patel", "roles": ["health_safety_adviser"]},
]
RULES_DIRECTORY = parse_directory(GROUP_DIRECTORY)
WHOLE_GROUP = ["s-lm", "s-hsa", "s-hr", "s-hm"]

SAY = ["Loud music until 3am", "Shouting on the stairs", "Bins set alight", "Dog barking"]
NAMES = ["Ann Example", "Zoë O'Brien-Łukasiewicz", "Kofi Adebayo", "Nguyễn Thị Lan"]
FEEDBACK = [
    "Feedback given on the action taken",
    "Told the complainant the outcome",
    "Updated complainant after the visit",
]


def iso(moment: datetime) -> str:
    return moment.isoformat()


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case document that breaks nothing, whatever hypothesis picks."""
    received = draw(
        st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC))
    )
    anonymous = draw(st.booleans())
    complainant: dict[str, Any] = {"anonymous": True}
    if not anonymous:
        complainant = {"anonymous": False, "name": draw(st.sampled_from(NAMES))}
    incidents = [
        {
            "id": f"inc-{i}",
            "occurred_at": iso(received - timedelta(hours=draw(st.integers(1, 500)))),
            "description": draw(st.sampled_from(SAY)),
            "location": draw(st.sampled_from([None, "Stairwell B", "Car park"])),
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    return {
        "format": "asb-case/1",
        "id": str(draw(st.uuids(version=4))),
        "received_at": iso(received),
        "channel": draw(st.sampled_from(["telephone", "writing", "in_person", "website"])),
        "source": {"kind": "direct"},
        "severity": draw(st.sampled_from(["serious", "general"])),
        "estate": draw(st.sampled_from([None, "EST-NORTH", "EST-SOUTH"])),
        "complainant": complainant,
        "incidents": incidents,
        "frequency": draw(st.sampled_from(["Weekly", "Most nights since May"])),
    }


def _after(doc: dict[str, Any], **delta: float) -> str:
    return iso(datetime.fromisoformat(doc["received_at"]) + timedelta(**delta))


def _attempt(doc: dict[str, Any], days: float, *, successful: bool) -> dict[str, Any]:
    return {"at": _after(doc, days=days), "by": "s-sc", "description": "Warning letter",
            "successful": successful}  # fmt: skip


def _referral(doc: dict[str, Any], staff: str | None = None) -> dict[str, Any]:
    return {"to_role": "housing_officer", "reason": "Persistent ASB", "at": _after(doc, days=2),
            "by": "s-sc", "to_staff_id": staff}  # fmt: skip


def _scheme(doc: dict[str, Any], *attempts: dict[str, Any]) -> None:
    doc["supported_scheme"] = "SCH-OAK"
    doc["resolution_attempts"] = list(attempts)


def _assessment(doc: dict[str, Any], participants: list[str], *, agreed: bool) -> None:
    doc["colleague_harassment"] = True
    doc["staff_risk_assessment"] = {
        "completed_at": _after(doc, hours=20),
        "participants": participants,
        "agreed": agreed,
        "decision": "Visits in pairs" if agreed else None,
    }


Draw = Callable[[st.SearchStrategy[Any]], Any]
# name -> (break one thing in doc; returns (field, words the problem says)), paths it can take
Breaker = Callable[[dict[str, Any], Draw], tuple[str, str]]
BREAKERS: dict[str, Breaker] = {}
NOT_THE_WINDOW = {"nested"}  # the window's forms cannot nest a value
ALONE_AT_THE_CENTRE = {"too-big"}  # pushed on its own: several would pass the body limit


def breaker(name: str) -> Callable[[Breaker], Breaker]:
    def register(fn: Breaker) -> Breaker:
        BREAKERS[name] = fn
        return fn

    return register


@breaker("5.5-no-attempt")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    _scheme(doc)
    doc["referral"] = _referral(doc)
    return "referral", "no attempt is recorded"


@breaker("5.5-only-successful")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    _scheme(doc, _attempt(doc, 1, successful=True))
    doc["referral"] = _referral(doc)
    return "referral", "every attempt recorded succeeded"


@breaker("5.5-failed-after-referral")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    _scheme(doc, _attempt(doc, draw(st.floats(2.1, 30)), successful=False))
    doc["referral"] = _referral(doc)
    return "referral", "dated after the referral"


@breaker("5.5-to-a-line-manager")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    _scheme(doc, _attempt(doc, 1, successful=False))
    doc["referral"] = _referral(doc, draw(st.sampled_from(["s-lm", "s-hm", "s-tl"])))
    return "referral.to_staff_id", "is not a Housing Officer"


@breaker("5.5-to-no-such-staff")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    _scheme(doc, _attempt(doc, 1, successful=False))
    doc["referral"] = _referral(doc, "s-" + draw(st.text("abcxyz", min_size=5, max_size=8)))
    return "referral.to_staff_id", "is not in the staff directory"


@breaker("5.5-attempts-without-a-scheme")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    doc["resolution_attempts"] = [_attempt(doc, 1, successful=False)]
    return "resolution_attempts", "for supported scheme cases (5.5)"


@breaker("5.9-employee-to-a-housing-officer")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    if draw(st.booleans()):
        doc["complainant"]["is_employee"] = True
    else:
        doc["colleague_harassment"] = True  # the harassed colleague is an employee involved
    doc["manual_assignment"] = {"staff_id": draw(st.sampled_from(["s-ho", "s-ho2", "s-eo"])),
                                "by": "s-tl", "at": _after(doc, hours=1), "reason": "Cover"}  # fmt: skip
    return "manual_assignment.staff_id", "Team Leader as a minimum (5.9)"


@breaker("5.8-feedback-contact")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    doc["complainant"] = {"anonymous": True}
    doc["entries"] = [{"id": "e-1", "kind": "contact", "at": _after(doc, days=1), "by": "s-ho",
                       "text": draw(st.sampled_from(FEEDBACK))}]  # fmt: skip
    return "entries[0].text", "no feedback on the investigation"


@breaker("5.8-feedback-first-response")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    doc["complainant"] = {"anonymous": True}
    doc["first_response"] = {"at": _after(doc, hours=2), "by": "s-ho",
                             "summary": draw(st.sampled_from(FEEDBACK))}  # fmt: skip
    return "first_response.summary", "no feedback on the investigation"


@breaker("5.9.1-one-participant")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    _assessment(doc, [draw(st.sampled_from([*WHOLE_GROUP, "s-tl", "Someone"]))], agreed=True)
    return "staff_risk_assessment.participants", "The 5.9.1 review is carried out by"


@breaker("5.9.1-no-director")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    _assessment(doc, draw(st.permutations(WHOLE_GROUP)), agreed=False)
    return "staff_risk_assessment.director_decision", "Director of Operations' decision"


@breaker("control-character")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    char = draw(st.sampled_from(["\x00", "\x07", "\x08", "\x1b", "\r", "\x7f", "\x01"]))
    doc["incidents"][0]["description"] = "Shout" + char + "ing"
    return "incidents[0].description", "holds a control character"


@breaker("lone-surrogate")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    doc["frequency"] = "Weekly " + chr(draw(st.integers(0xD800, 0xDFFF)))
    return "frequency", "lone surrogate"


@breaker("text-too-long")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    doc["frequency"] = "x" * draw(st.integers(100_001, 100_100))
    return "frequency", "is longer than 100,000 characters"


@breaker("code-too-long")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    doc["estate"] = "E" * draw(st.integers(201, 300))
    return "estate", "is longer than 200 characters"


@breaker("too-many-incidents")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    one = doc["incidents"][0]
    doc["incidents"] = [{**one, "id": f"inc-{i}"} for i in range(draw(st.integers(1001, 1010)))]
    return "incidents", "at most 1,000 are allowed"


@breaker("nested")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    deep: Any = "x"
    for _ in range(draw(st.integers(17, 40))):
        deep = {"a": deep}
    doc["frequency"] = deep
    return "frequency" + ".a" * 16, "is nested more than 16 levels deep"


@breaker("too-big")
def _(doc: dict[str, Any], draw: Draw) -> tuple[str, str]:
    doc["witnesses"] = [{"name": f"W{i}", "account": "x" * 90_000} for i in range(26)]
    return "(document)", "bytes as stored and sent"


@st.composite
def broken_sets(draw: st.DrawFn) -> list[tuple[str, dict[str, Any], str, str]]:
    """Every breaker once, each on a valid document of its own: (name, document, field, words)."""
    found = []
    for name, breaks in BREAKERS.items():
        doc = draw(valid_documents())
        field, words = breaks(doc, draw)
        found.append((name, doc, field, words))
    return found


def expected_problem(doc: dict[str, Any], field: str, words: str) -> str:
    """What the domain says of the document, checked to be the one problem meant."""
    checked = check_document(doc)
    problems = list(checked.problems.kept)
    if not problems:
        problems = check_change(None, case_from_document(doc), RULES_DIRECTORY)
    if field.startswith("frequency.a"):  # nested: and the shape (must be a string) as well
        problems = problems[:1]
    assert [p.field for p in problems] == [field], problems
    assert words in problems[0].problem, problems[0].problem
    return problems[0].problem


# --- the three paths ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def officer(central: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Device]:
    path = tmp_path_factory.mktemp("group") / "directory.json"
    path.write_text(json.dumps(GROUP_DIRECTORY), encoding="utf-8")
    admin(central.db_url, "directory", "import", str(path))
    device = Device(central, "s-tl")
    yield device
    device.http.close()


@pytest.fixture(scope="module")
def group_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("group-file") / "directory.json"
    path.write_text(json.dumps(GROUP_DIRECTORY), encoding="utf-8")
    return path


def import_refusals(cli: Cli, tmp: Path, docs: list[dict[str, Any]]) -> str:
    path = tmp / f"{uuid.uuid4()}.json"
    path.write_text(json.dumps(docs), encoding="utf-8")  # ASCII: surrogates travel escaped
    done = cli.run("import", str(path), ok=False)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "nothing was imported" in done.stderr
    return done.stderr


def window_refusal(services: Services, doc: dict[str, Any]) -> CaseRefused:
    case = case_from_document(doc)  # as the form would hand it over
    with pytest.raises(CaseRefused) as caught:
        services.actions.record_report(case)
    return caught.value


def push_ascii(device: Device, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A push written as ASCII JSON, so a lone surrogate travels escaped (as `\\ud800`)."""
    body = json.dumps({"ops": ops}).encode("ascii")
    response = device.http.post(
        "/v1/push", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def stored_centrally(server: Server, ids: list[str]) -> int:
    rows = query(server, "SELECT id FROM cases")
    return len({row[0] for row in rows} & set(ids))


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)  # fmt: skip
@given(broken=broken_sets())
def test_each_broken_rule_is_refused_in_the_same_words_by_import_centre_and_window(
    broken: list[tuple[str, dict[str, Any], str, str]],
    central: Server,
    officer: Device,
    group_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    tmp = tmp_path_factory.mktemp("rules")
    expected = [expected_problem(doc, field, words) for _, doc, field, words in broken]

    # 1. asb-desktop import: one file holding every broken document; every one named.
    cli = Cli(tmp / "cli-data")
    cli.run("directory", "import", str(group_file))
    said = import_refusals(cli, tmp, [doc for _, doc, _, _ in broken])
    for number, ((name, _, field, _), problem) in enumerate(zip(broken, expected, strict=True)):
        assert f"record {number + 1}, field {field}: {problem}" in said, name
    assert cli.export() == []

    # 2. The central store: one push for all but the huge one, which goes alone.
    together = [(n, d, e) for (n, d, _, _), e in zip(broken, expected, strict=True)
                if n not in ALONE_AT_THE_CENTRE]  # fmt: skip
    alone = [(n, d, e) for (n, d, _, _), e in zip(broken, expected, strict=True)
             if n in ALONE_AT_THE_CENTRE]  # fmt: skip
    results = push_ascii(officer, [op(doc) for _, doc, _ in together])
    results += [push_ascii(officer, [op(doc)])[0] for _, doc, _ in alone]
    for (name, _doc, problem), result in zip(together + alone, results, strict=True):
        field = next(f for n, _, f, _ in broken if n == name)
        assert (result["status"], result["code"]) == ("invalid", 422), name
        assert result["error"]["field"] == f"document.{field}", name
        assert f"document.{field}: {problem}" in result["error"]["message"], name
    assert stored_centrally(central, [doc["id"] for _, doc, _, _ in broken]) == 0

    # 3. The window's save: the service the New report guide calls.
    store = Store.open(tmp / "window-data", KeyProvider(tmp / "window-data"))
    services = services_for(store, actor="s-tl", clock=lambda: datetime(2028, 1, 1, tzinfo=UTC))
    try:
        services.casework.import_directory(GROUP_DIRECTORY)
        for (name, doc, field, _), problem in zip(broken, expected, strict=True):
            if name in NOT_THE_WINDOW:
                continue
            refusal = window_refusal(services, doc)
            assert [(p.field, p.problem) for p in refusal.problems] == [(field, problem)], name
            assert problem.rstrip(".") in str(refusal), name
            assert services.casework.document(doc["id"]) is None, name
    finally:
        services.close()


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(docs=st.lists(valid_documents(), min_size=1, max_size=5, unique_by=lambda d: d["id"]))
def test_what_import_accepts_the_central_store_accepts(
    docs: list[dict[str, Any]], officer: Device
) -> None:
    for doc in docs:
        assert check_document(doc).ok
    results = officer.push(*[op(doc) for doc in docs])
    assert [r["status"] for r in results] == ["applied"] * len(docs), results


def test_a_change_at_the_centre_may_not_add_a_problem(central: Server, officer: Device) -> None:
    doc = case_document(complainant={"anonymous": True})
    [created] = officer.push(op(doc))
    assert created["status"] == "applied"
    told = copy.deepcopy(doc)
    told["entries"] = [{"id": "e-9", "kind": "contact", "at": _after(doc, days=1), "by": "s-tl",
                        "text": "Told the complainant the outcome"}]  # fmt: skip
    [changed] = officer.push(op(told, base_revision=created["revision"]))
    assert (changed["status"], changed["error"]["field"]) == ("invalid", "document.entries[0].text")
    noted = copy.deepcopy(doc)
    noted["entries"] = [{"id": "e-9", "kind": "note", "at": _after(doc, days=1), "by": "s-tl",
                         "text": "Told the complainant the outcome"}]  # fmt: skip
    [fine] = officer.push(op(noted, base_revision=created["revision"]))
    assert fine["status"] == "applied"


def test_open_cases_follow_the_nation_at_the_centre_closed_ones_keep_theirs(
    central: Server, officer: Device
) -> None:
    """St Andrew's Day (Monday 30 November 2026) is a bank holiday in Scotland only."""
    opened = case_document(received_at="2026-11-27T10:00:00Z")  # general: 3 working days
    closed = case_document(received_at="2026-11-27T10:00:00Z",
                           status={"state": "closed", "reason": "Resolved",
                                   "at": "2026-11-27T12:00:00Z"})  # fmt: skip
    results = officer.push(op(opened), op(closed))
    assert [r["document"]["response_due_at"] for r in results] == ["2026-12-02T17:00:00+00:00"] * 2
    said = admin(central.db_url, "init-db", "--nation", "scotland")
    try:
        assert re.search(r"; [\d,]+ cases? recomputed", said), said
        for doc, due in (
            (opened, "2026-12-03T17:00:00+00:00"),
            (closed, "2026-12-02T17:00:00+00:00"),
        ):
            response = officer.http.get(f"/v1/cases/{doc['id']}")
            assert response.json()["document"]["response_due_at"] == due
    finally:
        admin(central.db_url, "init-db", "--nation", "england_and_wales")
