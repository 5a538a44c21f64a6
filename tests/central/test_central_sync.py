"""Push and pull against the real service: stored once, numbered, recomputed, merged, audited."""

from __future__ import annotations

import random
import re
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.central.central_support import (
    BACKENDS,
    Device,
    Server,
    case_document,
    op,
    query,
    running_central,
)


def test_a_new_case_gets_its_reference_and_computed_fields(central: Server) -> None:
    officer = Device(central, "s-rec")
    doc = case_document(
        estate="EST-NORTH",
        severity="serious",
        reference="ASB-1999-999999",
        assigned_to="someone-else",
        received_at="2026-03-10T09:30:00Z",
    )
    [result] = officer.push(op(doc))
    assert result["status"] == "applied" and result["code"] == 200
    assert re.fullmatch(r"ASB-2026-\d{6}", result["reference"])
    served = result["document"]
    assert served["reference"] == result["reference"]
    assert served["assignment_rule"] == "patch_officer"
    assert served["assigned_to"] == "s-ho"  # first-listed housing officer on EST-NORTH
    assert served["assigned_to_name"] == "Hana Ali"
    assert served["response_due_at"] == "2026-03-11T17:00:00+00:00"  # serious: 1 working day
    assert served["recorded_by"] == "s-rec"  # filled in from the device's user
    assert result["revision"] == 1


def test_references_count_up_per_london_year(central: Server) -> None:
    officer = Device(central, "s-rec")
    # 23:30 UTC on 31 December 2025 is still 2025 in London (GMT in winter)...
    late = case_document(received_at="2026-01-01T00:30:00+01:00")
    # ...and 00:30 London time on 1 January 2027 is 2027 whatever offset it was written with.
    early = case_document(received_at="2026-12-31T19:30:00-05:00")
    first, second = officer.push(op(late), op(early))
    assert first["reference"] == "ASB-2025-000001"
    assert second["reference"] == "ASB-2027-000001"
    [third] = officer.push(op(case_document(received_at="2025-06-01T12:00:00+01:00")))
    assert third["reference"] == "ASB-2025-000002"


def test_the_same_op_again_gets_the_first_answer_and_is_stored_once(central: Server) -> None:
    officer = Device(central, "s-rec")
    doc = case_document()
    sent = op(doc)
    [first] = officer.push(sent)
    [again] = officer.push(sent)
    assert again == first
    assert query(central, "SELECT count(*) FROM cases WHERE id = :i", i=doc["id"])[0][0] == 1
    audit = query(central, "SELECT count(*) FROM case_audit WHERE case_id = :i", i=doc["id"])
    assert audit[0][0] == 1


def test_a_different_body_under_a_used_op_id_is_409_for_that_op_only(central: Server) -> None:
    officer = Device(central, "s-rec")
    doc = case_document()
    sent = op(doc)
    officer.push(sent)
    changed = dict(sent, document=dict(doc, severity="serious"))
    other = op(case_document())
    reused, fine = officer.push(changed, other)
    assert reused["status"] == "op_id_reused" and reused["code"] == 409
    assert reused["error"]["field"] == "op_id"
    assert fine["status"] == "applied"
    stored = query(central, "SELECT document FROM cases WHERE id = :i", i=doc["id"])[0][0]
    assert '"severity":"general"' in stored


def test_another_users_op_id_is_refused(central: Server) -> None:
    officer, colleague = Device(central, "s-rec"), Device(central, "s-ho")
    sent = op(case_document(estate="EST-NORTH"))
    officer.push(sent)
    [result] = colleague.push(sent)
    assert result["code"] == 409 and result["document"] is None


def test_one_bad_op_names_its_field_and_the_rest_are_stored(central: Server) -> None:
    officer = Device(central, "s-rec")
    bad = case_document(severity="urgent")
    no_incident_id = case_document(
        incidents=[{"occurred_at": "2026-03-09T22:00:00Z", "description": "x"}]
    )
    mismatched = op(case_document())
    mismatched["document"]["id"] = case_document()["id"]
    good = case_document()
    results = officer.push(op(bad), op(no_incident_id), mismatched, op(good))
    assert [r["code"] for r in results] == [422, 422, 422, 200]
    assert results[0]["error"]["field"] == "document.severity"
    assert "urgent" in results[0]["error"]["message"]
    assert results[1]["error"]["field"] == "document.incidents[0].id"
    assert results[2]["error"]["field"] == "document.id"
    assert query(central, "SELECT count(*) FROM cases WHERE id = :i", i=bad["id"])[0][0] == 0


def test_pull_serves_changes_in_batches_with_a_checkpoint(central: Server) -> None:
    leader = Device(central, "s-tl2")  # EST-SOUTH: no other test module puts cases there
    start = leader.pull()
    assert start["directory"]["format"] == "asb-directory/1"
    assert [s["id"] for s in start["directory"]["staff"]][:2] == ["s-ho", "s-ho2"]
    docs = [case_document(estate="EST-SOUTH") for _ in range(5)]
    leader.push(*[op(d) for d in docs])
    seen: list[str] = []
    since = start["checkpoint"]
    while True:
        page = leader.pull(since, limit=2)
        assert page["directory"] is None  # unchanged since the first pull
        seen += [c["case_id"] for c in page["cases"]]
        assert page["checkpoint"] >= since
        since = page["checkpoint"]
        if not page["more"]:
            break
    assert seen == [d["id"] for d in docs]
    empty = leader.pull(since)
    assert empty["cases"] == [] and empty["checkpoint"] == since and not empty["more"]


def test_concurrent_pushes_lose_and_duplicate_nothing(central: Server) -> None:
    devices = [Device(central, "s-rec") for _ in range(6)]
    docs = [
        [case_document(received_at="2024-05-01T10:00:00+01:00") for _ in range(8)] for _ in devices
    ]
    results: list[list[dict[str, Any]]] = [[] for _ in devices]

    def send(i: int) -> None:
        for doc in docs[i]:
            results[i] += devices[i].push(op(doc))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(devices))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [r for rs in results for r in rs]
    assert all(r["status"] == "applied" for r in flat)
    references = sorted(r["reference"] for r in flat)
    assert references == [f"ASB-2024-{n:06d}" for n in range(1, 49)]
    numbers = [r["change_number"] for r in flat]
    assert len(set(numbers)) == len(numbers)


def test_edits_from_two_laptops_merge_and_surface_the_conflict(central: Server) -> None:
    officer, leader = Device(central, "s-ho"), Device(central, "s-tl")
    doc = case_document(estate="EST-NORTH", frequency="weekly")
    [created] = officer.push(op(doc))
    base = created["revision"]
    incident = {"occurred_at": "2026-03-11T21:00:00Z", "description": "Shouting"}
    mine = dict(doc, frequency="every night", targeting={"targeted": True, "reason": "race"})
    mine["incidents"] = [*doc["incidents"], dict(incident, id="inc-officer")]
    theirs = dict(doc, frequency="twice a week", severity="serious")
    theirs["incidents"] = [*doc["incidents"], dict(incident, id="inc-leader")]
    [first] = leader.push(op(theirs, base))
    assert first["conflicts"] == []
    [second] = officer.push(op(mine, base))
    merged = second["document"]
    assert [i["id"] for i in merged["incidents"]] == ["inc-1", "inc-leader", "inc-officer"]
    assert merged["severity"] == "serious"  # only the leader changed it
    assert merged["targeting"] == {"targeted": True, "reason": "race"}  # only the officer did
    assert merged["frequency"] == "twice a week"  # both did: the server's value stays...
    [conflict] = second["conflicts"]  # ...and both values are kept for the officer to choose
    assert conflict["field"] == "frequency"
    assert conflict["server_value"] == "twice a week"
    assert conflict["device_value"] == "every night"
    pulled = [c for c in officer.pull()["cases"] if c["case_id"] == doc["id"]]
    assert [c["field"] for c in pulled[0]["conflicts"]] == ["frequency"]
    choice = dict(merged, frequency="every night")
    [resolved] = officer.push(op(choice, second["revision"], resolves=[conflict["id"]]))
    assert resolved["document"]["frequency"] == "every night"
    pulled = [c for c in leader.pull()["cases"] if c["case_id"] == doc["id"]]
    assert pulled[0]["conflicts"] == []
    assert pulled[0]["document"]["frequency"] == "every night"


def test_an_op_without_a_base_never_overwrites_silently(central: Server) -> None:
    officer = Device(central, "s-ho")
    doc = case_document(estate="EST-NORTH")
    officer.push(op(doc))
    [result] = officer.push(op(dict(doc, severity="serious")))  # base_revision null
    assert result["document"]["severity"] == "general"
    assert [c["field"] for c in result["conflicts"]] == ["severity"]


def test_a_base_ahead_of_the_server_is_refused(central: Server) -> None:
    officer = Device(central, "s-ho")
    doc = case_document(estate="EST-NORTH")
    officer.push(op(doc))
    [result] = officer.push(op(doc, 7))
    assert result["code"] == 422 and result["error"]["field"] == "base_revision"


def test_reads_and_changes_are_logged_with_device_and_user(central: Server) -> None:
    officer = Device(central, "s-ho")
    doc = case_document(estate="EST-NORTH")
    [created] = officer.push(op(doc))
    officer.push(op(dict(doc, severity="serious"), created["revision"]))
    response = officer.http.get(f"/v1/cases/{doc['id']}")
    assert response.status_code == 200
    assert response.json()["document"]["severity"] == "serious"
    audit = query(
        central,
        "SELECT revision, device_id, user_id, action, changed_fields FROM case_audit "
        "WHERE case_id = :i ORDER BY revision",
        i=doc["id"],
    )
    assert [(a.revision, a.device_id, a.user_id, a.action) for a in audit] == [
        (1, officer.device_id, "s-ho", "create"),
        (2, officer.device_id, "s-ho", "update"),
    ]
    assert audit[1].changed_fields == '["severity"]'
    reads = query(
        central, "SELECT user_id, device_id, via FROM case_reads WHERE case_id = :i", i=doc["id"]
    )
    assert ("s-ho", officer.device_id, "read") in [tuple(r) for r in reads]


def test_several_ops_on_one_case_in_one_batch_apply_in_order(central: Server) -> None:
    officer = Device(central, "s-ho")
    doc = case_document(estate="EST-NORTH")
    serious = dict(doc, severity="serious")
    unbased = dict(doc, frequency="hourly")  # no base: a conflict on a case made in this batch
    second = dict(serious, frequency="daily")
    created, updated, clash, last = officer.push(
        op(doc), op(serious, 1), op(unbased), op(second, 2)
    )
    assert [r["revision"] for r in (created, updated, clash, last)] == [1, 2, 3, 4]
    assert [c["field"] for c in clash["conflicts"]] == ["frequency", "severity"]
    assert last["document"]["severity"] == "serious"
    assert last["document"]["frequency"] == "daily"
    audit = query(central, "SELECT revision FROM case_audit WHERE case_id = :i", i=doc["id"])
    assert sorted(r[0] for r in audit) == [1, 2, 3, 4]


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_worker_processes_number_references_without_gaps(backend: str, tmp_path: Path) -> None:
    """Two uvicorn worker processes, several devices at once: each case once, no gaps."""
    with running_central(backend, tmp_path, workers=2) as server:
        devices = [Device(server, "s-rec") for _ in range(4)]
        docs = [[case_document() for _ in range(12)] for _ in devices]
        answers: list[list[dict[str, Any]]] = [[] for _ in devices]

        def send(i: int) -> None:
            for j in range(0, 12, 3):
                batch = [op(d) for d in docs[i][j : j + 3]]
                answers[i] += devices[i].push(*batch)
                assert devices[i].push(*batch) == answers[i][-3:]  # a lost ack, resent

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(devices))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        references = sorted(r["reference"] for rs in answers for r in rs)
        assert references == [f"ASB-2026-{n:06d}" for n in range(1, 49)]
        assert query(server, "SELECT count(*) FROM cases")[0][0] == 48
        assert query(server, "SELECT count(*) FROM ops")[0][0] == 48


def test_random_offline_edits_from_two_laptops_never_lose_anything(central: Server) -> None:
    """Two laptops edit one case from stale and fresh bases, at random: every incident ever sent
    is kept, a field only moves to a value some laptop sent, and every edit that did not win is
    a recorded conflict with both values."""
    rng = random.Random(4)
    laptops = [Device(central, "s-ho"), Device(central, "s-tl")]
    doc = case_document(estate="EST-NORTH", frequency="weekly")
    [first] = laptops[0].push(op(doc))
    history = {1: first["document"]}  # revision -> document as the server served it
    current = first["document"]
    sent_incidents = {"inc-1"}
    choices = {"frequency": ["weekly", "daily", "hourly"], "severity": ["general", "serious"]}
    for step in range(30):
        base_revision = rng.choice(sorted(history))
        base = history[base_revision]
        edit = {k: v for k, v in base.items()}
        field = rng.choice(sorted(choices))
        edit[field] = rng.choice(choices[field])
        if rng.random() < 0.5:
            new_id = f"inc-step-{step}"
            sent_incidents.add(new_id)
            incident = {"id": new_id, "occurred_at": "2026-03-11T21:00:00Z", "description": "x"}
            edit["incidents"] = [*base["incidents"], incident]
        [result] = rng.choice(laptops).push(op(edit, base_revision))
        assert result["status"] == "applied", result
        served = result["document"]
        ids = {i["id"] for i in served["incidents"]}
        assert ids >= {i["id"] for i in edit["incidents"]} | {i["id"] for i in current["incidents"]}
        before, wanted, kept = current[field], edit[field], served[field]
        assert kept in (before, wanted)
        if kept != before:
            assert before == base[field]  # the server only moves when its value was the base
        if wanted not in (kept, base[field]):
            pairs = [(c["server_value"], c["device_value"]) for c in result["conflicts"]]
            assert (before, wanted) in pairs
        current = served
        history[result["revision"]] = served
    assert {i["id"] for i in current["incidents"]} == sent_incidents


def test_an_edit_made_before_the_first_ack_builds_on_its_own_op(central: Server) -> None:
    officer = Device(central, "s-ho")
    doc = case_document(estate="EST-NORTH")
    recorded = op(doc)
    edited = op(dict(doc, severity="serious", frequency="nightly"), base_op_id=recorded["op_id"])
    first, second = officer.push(recorded, edited)  # the laptop knew no revision for either
    assert second["status"] == "applied" and second["conflicts"] == []
    assert (second["revision"], second["document"]["severity"]) == (2, "serious")
    orphan = op(case_document(), base_op_id=str(uuid.uuid4()))
    unknown = op(dict(doc, frequency="daily"), base_op_id=str(uuid.uuid4()))
    foreign = op(case_document(estate="EST-NORTH"))
    officer.push(foreign)
    wrong_case = op(dict(doc, frequency="daily"), base_op_id=foreign["op_id"])
    results = officer.push(orphan, unknown, wrong_case)
    assert [r["error"]["field"] for r in results] == ["base_op_id"] * 3
    assert "push it first" in results[0]["error"]["message"]
    assert "another case" in results[2]["error"]["message"]
    assert first["revision"] == 1


def test_an_edit_building_on_a_conflicting_op_does_not_overwrite_the_kept_value(
    central: Server,
) -> None:
    """The officer's "nightly" lost to the leader's "daily" (a conflict). Their next edit, made
    before hearing so, still says "nightly": that is no new decision, so "daily" stays."""
    officer, leader = Device(central, "s-ho"), Device(central, "s-tl")
    doc = case_document(estate="EST-NORTH", frequency="weekly")
    [created] = officer.push(op(doc))
    leader.push(op(dict(doc, frequency="daily"), created["revision"]))
    lost = op(dict(doc, frequency="nightly"), created["revision"])
    [clash] = officer.push(lost)
    assert [c["field"] for c in clash["conflicts"]] == ["frequency"]
    later = op(dict(doc, frequency="nightly", severity="serious"), base_op_id=lost["op_id"])
    [result] = officer.push(later)
    assert result["document"]["frequency"] == "daily"
    assert result["document"]["severity"] == "serious"
    assert result["conflicts"] == []
    pulled = [c for c in officer.pull()["cases"] if c["case_id"] == doc["id"]]
    assert [c["field"] for c in pulled[0]["conflicts"]] == ["frequency"]  # still open


def test_a_conflict_says_who_set_each_value_and_on_which_device(central: Server) -> None:
    """The value kept is credited to whoever gave the field that value (not to the last person
    to touch the case), the other to the op's user and device, by the central store's names."""
    officer = Device(central, "s-ho", name="Laptop A")
    leader = Device(central, "s-tl", name="Laptop B")
    director = Device(central, "s-dir", name="Director's tablet")
    doc = case_document(estate="EST-NORTH", frequency="weekly")
    [created] = officer.push(op(doc))
    [set_by_leader] = leader.push(op(dict(doc, frequency="twice a week"), created["revision"]))
    director.push(op(dict(doc, frequency="twice a week", severity="serious"),
                     set_by_leader["revision"]))  # fmt: skip
    edited = dict(doc["incidents"][0], description="Loud music until 3am")
    [second] = officer.push(
        op(dict(doc, frequency="every night", incidents=[edited]), created["revision"])
    )
    # The incident: only the officer changed it, so no conflict there.
    [conflict] = second["conflicts"]
    assert conflict["field"] == "frequency"
    assert (conflict["server_value"], conflict["device_value"]) == ("twice a week", "every night")
    assert (conflict["server_user_id"], conflict["server_user_name"]) == ("s-tl", "Tom Lee")
    assert conflict["server_device_id"] == leader.device_id
    assert conflict["server_device_name"] == "Laptop B"
    assert (conflict["user_id"], conflict["user_name"]) == ("s-ho", "Hana Ali")
    assert (conflict["device_id"], conflict["device_name"]) == (officer.device_id, "Laptop A")
    assert conflict["may_settle"] is True  # the case's officer
    for reader, may in ((leader, True), (director, True)):
        [state] = [c for c in reader.pull()["cases"] if c["case_id"] == doc["id"]]
        [served] = state["conflicts"]
        assert served["server_device_name"] == "Laptop B" and served["device_name"] == "Laptop A"
        assert served["may_settle"] is may
    # A value nobody changed since the case was made is the recorder's.
    [stale] = leader.push(op(dict(second["document"], channel="website")))  # no base
    [channel] = [c for c in stale["conflicts"] if c["field"] == "channel"]
    assert (channel["server_user_id"], channel["server_device_id"]) == ("s-ho", officer.device_id)
    assert channel["server_user_name"] == "Hana Ali"
    assert (channel["user_id"], channel["device_name"]) == ("s-tl", "Laptop B")
    stored = query(
        central,
        "SELECT server_user_id, server_device_id FROM case_conflicts WHERE id = :i",
        i=conflict["id"],
    )
    assert tuple(stored[0]) == ("s-tl", leader.device_id)


def _pull_all(device: Device, since: int) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    """Pull until `more` is false: (checkpoint, cases, gone); `gone` only on the last page."""
    cases: list[dict[str, Any]] = []
    while True:
        page = device.pull(since, limit=1000)
        cases += page["cases"]
        if page["more"]:
            assert page["gone"] == []
        since = page["checkpoint"]
        if not page["more"]:
            return since, cases, page["gone"]


def test_a_case_the_device_held_and_may_no_longer_see_is_named_until_its_checkpoint(
    central: Server,
) -> None:
    """Tombstones: the pull's last page names the cases served to this device that it may no
    longer see (`device_cases`), again until a pull's `since` reaches the checkpoint it came
    with (the laptop stored it, so it removed them); a case seen again is named no more."""
    recorder, officer = Device(central, "s-rec"), Device(central, "s-ho")
    doc = case_document(estate="EST-NORTH")
    [made] = recorder.push(op(doc))
    assert made["document"]["assigned_to"] == "s-ho"
    start, cases, gone = _pull_all(officer, 0)
    assert doc["id"] in {c["case_id"] for c in cases} and gone == []
    moved = dict(made["document"])
    moved["manual_assignment"] = {
        "staff_id": "s-ho2", "by": "s-rec", "at": "2026-03-11T10:00:00Z", "reason": "Workload",
    }  # fmt: skip
    [answer] = recorder.push(op(moved, base_revision=made["revision"]))
    assert answer["status"] == "applied" and answer["document"]["assigned_to"] == "s-ho2"

    told, cases, gone = _pull_all(officer, start)
    assert doc["id"] not in {c["case_id"] for c in cases}
    assert {"case_id": doc["id"], "reason": "reassigned"} in gone
    _, _, again = _pull_all(officer, start)  # the answer was lost: named again
    assert {"case_id": doc["id"], "reason": "reassigned"} in again
    recorder.push(op(case_document(estate="EST-NORTH")))  # the change numbers move on
    moved_on, _, still = _pull_all(officer, told)  # at `told`: named again, to be sure
    assert moved_on > told and {"case_id": doc["id"], "reason": "reassigned"} in still
    after, _, later = _pull_all(officer, moved_on)  # past it: the laptop stored it
    assert doc["id"] not in {g["case_id"] for g in later}
    held = "SELECT count(*) FROM device_cases WHERE case_id = :c AND device_id = :d"
    assert query(central, held, c=doc["id"], d=officer.device_id)[0][0] == 0

    back = dict(answer["document"])
    back["manual_assignment"] = {**moved["manual_assignment"], "staff_id": "s-ho"}
    [returned] = recorder.push(op(back, base_revision=answer["revision"]))
    assert returned["document"]["assigned_to"] == "s-ho"
    _, cases, gone = _pull_all(officer, after)
    assert doc["id"] in {c["case_id"] for c in cases}
    assert doc["id"] not in {g["case_id"] for g in gone}


def test_a_case_now_involving_an_employee_is_named_gone_to_its_recorder(central: Server) -> None:
    officer = Device(central, "s-ho2")
    doc = case_document(estate="EST-NORTH")
    [made] = officer.push(op(doc))
    since, _, _ = _pull_all(officer, 0)
    employee = dict(made["document"])
    employee["complainant"] = {**employee["complainant"], "is_employee": True}
    [answer] = officer.push(op(employee, base_revision=made["revision"]))
    assert answer["status"] == "applied"
    _, _, gone = _pull_all(officer, since)
    assert {"case_id": doc["id"], "reason": "employee"} in gone
