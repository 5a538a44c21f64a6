"""Two laptops change the same case offline: entries merge by union, the field both changed is
kept both ways and shown to the officer, and the officer's choice reaches everyone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from asb_desktop.domain.case import Entry, EntryKind, Incident
from asb_desktop.domain.document import parse_timestamp
from tests.sync.sync_support import Laptop, Server, query

Factory = Callable[..., Laptop]


def add_incident(laptop: Laptop, case_id: str, description: str, **changes: object) -> None:
    case = laptop.casework.case(case_id)
    assert case is not None
    incident = Incident(
        id=f"{case_id[:8]}-{len(description)}",
        occurred_at=parse_timestamp("2026-03-11T21:00:00Z", "t"),
        description=description,
    )
    laptop.casework.update(
        replace(case, incidents=(*case.incidents, incident), **changes), action="case.edited"
    )


def descriptions(laptop: Laptop, case_id: str) -> set[str]:
    return {i["description"] for i in laptop.local_cases()[case_id][2]["incidents"]}


def test_offline_edits_on_two_laptops_merge_and_surface_the_field_conflict(
    central: Server, laptop_factory: Factory
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH", frequency="now and then")
    a.sync.sync()
    b.sync.sync()
    # Both offline: each adds an incident and each changes how often it happens.
    add_incident(a, case_id, "Door kicked at 2am", frequency="every weekend")
    add_incident(b, case_id, "Bins set alight", frequency="most nights")
    assert a.sync.sync().conflicts == 0
    assert b.sync.sync().conflicts == 1
    a.sync.sync()

    everything = {"Loud music", "Door kicked at 2am", "Bins set alight"}
    for laptop in (a, b):
        assert descriptions(laptop, case_id) == everything
        [case] = laptop.sync.overview().conflicts
        [field] = case.fields
        assert case.case_id == case_id and case.label.startswith("ASB-2026-")
        assert (field.field, field.server_value, field.device_value) == (
            "frequency", "every weekend", "most nights",
        )  # fmt: skip
        assert laptop.sync.status().conflicts == 1
        # Nothing silently overwritten: the case keeps the first value until someone chooses.
        assert laptop.local_cases()[case_id][2]["frequency"] == "every weekend"

    b.sync.resolve(case_id, {field.id: "device"})
    assert b.sync.overview().conflicts == []
    b.sync.sync()
    a.sync.sync()
    for laptop in (a, b):
        assert laptop.local_cases()[case_id][2]["frequency"] == "most nights"
        assert laptop.sync.overview().conflicts == []
        assert descriptions(laptop, case_id) == everything
    [[still_open]] = query(central, "SELECT count(*) FROM case_conflicts WHERE resolved_at IS NULL")
    assert still_open == 0


def test_keeping_the_servers_value_closes_the_conflict_without_changing_it(
    central: Server, laptop_factory: Factory
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    a.sync.sync()
    b.sync.sync()
    a.edit(case_id, frequency="daily")
    b.edit(case_id, frequency="weekly")
    a.sync.sync()
    b.sync.sync()
    [case] = b.sync.overview().conflicts
    b.sync.resolve(case_id, {case.fields[0].id: "server"})
    b.sync.sync()
    a.sync.sync()
    for laptop in (a, b):
        assert laptop.local_cases()[case_id][2]["frequency"] == "daily"
        assert laptop.sync.overview().conflicts == []


def test_notes_added_on_two_laptops_merge_by_union(
    central: Server, laptop_factory: Factory
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    a.sync.sync()
    b.sync.sync()
    for laptop, text in ((a, "Phoned the complainant"), (b, "Visited the block")):
        case = laptop.casework.case(case_id)
        assert case is not None
        note = Entry(
            id=f"note-{len(text)}", kind=EntryKind.NOTE, text=text, by="s-ho",
            at=parse_timestamp("2026-03-12T10:00:00Z", "t"),
        )  # fmt: skip
        laptop.casework.update(replace(case, entries=(*case.entries, note)), action="case.note")
    a.sync.sync()
    assert b.sync.sync().conflicts == 0
    a.sync.sync()
    for laptop in (a, b):
        texts = {e["text"] for e in laptop.local_cases()[case_id][2]["entries"]}
        assert texts == {"Phoned the complainant", "Visited the block"}


def test_an_edit_made_while_its_case_was_being_sent_does_not_repeat_a_lost_value(
    central: Server, laptop_factory: Factory
) -> None:
    from asb_desktop.sync.push import next_batch, record_answers

    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    a.sync.sync()
    b.sync.sync()
    b.edit(case_id, frequency="daily")
    b.sync.sync()
    a.edit(case_id, frequency="weekly")  # will lose to b's value: a conflict
    engine = a.sync.engine
    batch = next_batch(a.store, size=10, now=a.casework.clock())  # frozen, on its way...
    a.edit(case_id, involved=())  # ...and the officer edits the case again meanwhile
    settings = engine.settings()
    assert settings is not None
    answer = engine.client(settings).push([op.body for op in batch])
    record_answers(a.store, batch, answer.results, actor="t", now=a.casework.clock())
    assert [len(r.conflicts) for r in answer.results] == [1]
    a.sync.sync()  # the newer edit goes up built on the op, not on the old revision
    [[conflicts]] = query(
        central, "SELECT count(*) FROM case_conflicts WHERE case_id = :i", i=case_id
    )
    assert conflicts == 1  # the lost "weekly" is in the conflict once, not imposed or repeated
    assert a.local_cases()[case_id][2]["frequency"] == "daily"
    mine = [c for c in a.sync.overview().conflicts if c.case_id == case_id]
    assert [len(c.fields) for c in mine] == [1]


def test_an_incident_edited_on_both_laptops_is_settled_by_choosing_one(
    central: Server, laptop_factory: Factory
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    a.sync.sync()
    b.sync.sync()
    for laptop, words in ((a, "Music until 3am"), (b, "Music and shouting")):
        case = laptop.casework.case(case_id)
        assert case is not None
        [first] = case.incidents
        laptop.casework.update(
            replace(case, incidents=(replace(first, description=words),)), action="case.edited"
        )
    a.sync.sync()
    b.sync.sync()
    [case] = [c for c in b.sync.overview().conflicts if c.case_id == case_id]
    [field] = case.fields
    assert field.field.startswith("incidents[")
    assert field.server_value["description"] == "Music until 3am"
    assert field.device_value["description"] == "Music and shouting"
    b.sync.resolve(case_id, {field.id: "device"})
    b.sync.sync()
    a.sync.sync()
    for laptop in (a, b):
        assert descriptions(laptop, case_id) == {"Music and shouting"}


def test_each_value_says_who_set_it_and_on_which_laptop(
    central: Server, laptop_factory: Factory
) -> None:
    """A (the case's officer) and B (a team leader) change one field offline; A syncs first.
    A's Sync page credits the kept value to A on this laptop and the other to B on B's laptop
    (not "on this laptop", not "mine"); B's page the other way round; both may choose."""
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-tl")
    [case_id] = a.record(1, estate="EST-NORTH")
    a.sync.sync()
    b.sync.sync()
    a.edit(case_id, frequency="daily")
    b.edit(case_id, frequency="weekly")
    a.sync.sync()
    assert b.sync.sync().conflicts == 1
    a.sync.sync()

    [on_a] = [c for c in a.sync.overview().conflicts if c.case_id == case_id]
    [choice] = on_a.choices
    assert (choice.conflict.server_value, choice.conflict.device_value) == ("daily", "weekly")
    assert choice.kept.words() == "Set by you, on this laptop"
    assert choice.other.words() == "Set by Tom Lee, on laptop-b"
    assert (choice.kept.owner(), choice.other.owner()) == (
        "yours (this laptop)", "Tom Lee's (laptop-b)",
    )  # fmt: skip
    assert on_a.may_settle  # the case's officer

    [on_b] = [c for c in b.sync.overview().conflicts if c.case_id == case_id]
    [choice] = on_b.choices
    assert choice.kept.words() == "Set by Hana Ali, on laptop-a"
    assert choice.other.words() == "Set by you, on this laptop"
    assert on_b.may_settle  # a team leader for the case's estate


def test_the_same_officer_on_two_laptops_is_told_which_laptop(
    central: Server, laptop_factory: Factory
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    a.sync.sync()
    b.sync.sync()
    a.edit(case_id, frequency="daily")
    b.edit(case_id, frequency="weekly")
    a.sync.sync()
    b.sync.sync()
    a.sync.sync()
    [choice] = next(c for c in a.sync.overview().conflicts if c.case_id == case_id).choices
    assert (choice.kept.owner(), choice.other.owner()) == (
        "yours (this laptop)", "yours (from laptop-b)",
    )  # fmt: skip
    [choice] = next(c for c in b.sync.overview().conflicts if c.case_id == case_id).choices
    assert (choice.kept.owner(), choice.other.owner()) == (
        "yours (from laptop-a)", "yours (this laptop)",
    )  # fmt: skip


def test_only_whoever_may_settle_is_offered_the_choice(
    central: Server, laptop_factory: Factory
) -> None:
    """The recorder of a case assigned to another officer sees both values and who set them,
    but the choice is the officer's (or a team leader's): the laptop does not offer it, and
    the central store refuses it if asked."""
    import json

    from asb_desktop.sync.outbox_review import NotYoursToSettle
    from tests.central.central_support import Device, op

    recorder, officer = laptop_factory("rec"), laptop_factory("ho")
    recorder.enrol(central, "s-rec")
    officer.enrol(central, "s-ho")
    [case_id] = recorder.record(1, estate="EST-NORTH")  # assigned to s-ho (Hana Ali)
    recorder.sync.sync()
    officer.sync.sync()
    officer.edit(case_id, frequency="daily")
    recorder.edit(case_id, frequency="weekly")
    officer.sync.sync()
    assert recorder.sync.sync().conflicts == 1

    [case] = [c for c in recorder.sync.overview().conflicts if c.case_id == case_id]
    assert not case.may_settle
    assert case.who_settles == (
        "Only Hana Ali, the case's officer, or a team leader or manager for its estate can choose."
    )
    [choice] = case.choices
    assert choice.kept.words() == "Set by Hana Ali, on laptop-ho"
    assert choice.other.words() == "Set by you, on this laptop"
    with pytest.raises(NotYoursToSettle):
        recorder.sync.resolve(case_id, {choice.conflict.id: "device"})
    assert recorder.outbox_states().get("pending", 0) == 0  # nothing was queued

    officer.sync.sync()
    [case] = [c for c in officer.sync.overview().conflicts if c.case_id == case_id]
    assert case.may_settle
    # The central store refuses a settling op from the recorder whatever the laptop says.
    other = Device(central, "s-rec")
    state = other.http.get(f"/v1/cases/{case_id}").json()
    [result] = other.push(op(state["document"], state["revision"], resolves=[choice.conflict.id]))
    assert (result["status"], result["code"]) == ("forbidden", 403)
    assert json.dumps(result).count("may settle its conflicts") == 1
    officer.sync.resolve(case_id, {choice.conflict.id: "device"})
    officer.sync.sync()
    recorder.sync.sync()
    assert recorder.local_cases()[case_id][2]["frequency"] == "weekly"
    assert [c for c in recorder.sync.overview().conflicts if c.case_id == case_id] == []
