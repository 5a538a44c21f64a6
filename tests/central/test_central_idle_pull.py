"""A pull with nothing new (a sync with nothing to do): the same answer, from one statement.

The central store answers a pull at the last change number from the counter, the directory's
version and whether this device waits to be told of a case gone; that last question is answered
from the partial index `ix_device_cases_told`, which holds only such rows. The answer's bytes
are the ones FastAPI would write for the `ChangesResponse`.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import create_engine, text

from asb_central.access import Caller
from asb_central.db import database_url
from asb_central.pull_handler import where_things_stand
from asb_desktop.sync import protocol as p
from tests.central.central_support import Device, Server, case_document, op


def _pull_all(device: Device, since: int) -> tuple[int, list[dict[str, Any]]]:
    """(checkpoint, gone) of the last page."""
    while True:
        page = device.pull(since, limit=1000)
        since = page["checkpoint"]
        if not page["more"]:
            return since, page["gone"]


def test_a_case_told_gone_is_named_again_at_that_checkpoint_with_nothing_new(
    central: Server,
) -> None:
    """At the checkpoint of the answer that named a case gone, with no change since, the
    answer names it again (the laptop may not have stored that answer); past it, no more."""
    recorder, officer = Device(central, "s-rec"), Device(central, "s-ho")
    [made] = recorder.push(op(case_document(estate="EST-NORTH")))
    start, gone = _pull_all(officer, 0)
    assert gone == []
    moved = dict(made["document"])
    moved["manual_assignment"] = {
        "staff_id": "s-ho2", "by": "s-rec", "at": "2026-03-11T10:00:00Z", "reason": "Workload",
    }  # fmt: skip
    [answer] = recorder.push(op(moved, base_revision=made["revision"]))
    assert answer["status"] == "applied"
    named = {"case_id": made["document"]["id"], "reason": "reassigned"}

    told, gone = _pull_all(officer, start)
    assert named in gone
    again = officer.pull(told)  # nothing numbered since `told`: the quiet answer's question
    assert again["checkpoint"] == told and again["cases"] == [] and not again["more"]
    assert named in again["gone"]
    quiet = officer.pull(told)
    assert named in quiet["gone"]  # still, until a pull comes from past `told`


def test_the_changes_answer_is_the_json_fastapi_writes_for_its_model(central: Server) -> None:
    officer = Device(central, "s-ho")
    first = officer.http.get("/v1/changes", params={"since": 0, "limit": 1000})
    checkpoint = first.json()["checkpoint"]
    quiet = officer.http.get("/v1/changes", params={"since": checkpoint})
    for response in (first, quiet):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        parsed = p.ChangesResponse.model_validate_json(response.content)
        written = TypeAdapter(p.ChangesResponse).dump_json(parsed, by_alias=True)
        assert response.content == written
    assert quiet.json()["cases"] == [] and quiet.json()["directory"] is None


def _plan(server: Server, device_id: str) -> str:
    """The database's own plan for the quiet pull's one statement."""
    url = database_url(server.db_url)
    engine = create_engine(url)
    caller = Caller("s-ho", "x", frozenset(), (), (), device_id=device_id)
    try:
        with engine.connect() as conn:
            compiled = where_things_stand(caller).compile(
                conn, compile_kwargs={"literal_binds": True}
            )
            if conn.dialect.name == "sqlite":
                rows = conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
                return "\n".join(str(row[-1]) for row in rows)
            conn.execute(text("SET enable_seqscan = off"))  # a tiny table: what can serve it
            rows = conn.execute(text(f"EXPLAIN {compiled}")).all()
            return "\n".join(str(row[0]) for row in rows)
    finally:
        engine.dispose()


def test_the_told_question_is_answered_from_its_partial_index(central: Server) -> None:
    officer = Device(central, "s-ho")
    plan = _plan(central, officer.device_id)
    assert "ix_device_cases_told" in plan
    assert "device_cases_pkey" not in plan and "sqlite_autoindex_device_cases" not in plan
