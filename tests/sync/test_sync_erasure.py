"""A person erased on the central store leaves every laptop that holds the case at its next
sync: the new copy comes down, and the old details are in no file of the data folder and
nowhere in the store when read (cases, search index, outbox, changes in flight, conflicts,
drafts, audit); a laptop's unsent change that mentioned them goes up erased (the erasure wins)
and the officer is told which. Real laptops (SQLCipher) and the real central service on SQLite
and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import inspect, text

from asb_desktop.domain.case import Entry, EntryKind
from asb_desktop.domain.erasure import PLACEHOLDER
from asb_desktop.store.audit import verify
from tests.central.test_central_erasure import _every_text as central_text
from tests.sync.sync_support import Laptop, Server, admin
from tests.sync.test_sync_removal import files_holding, marker, record_marked

Factory = Callable[..., Laptop]


def store_text(laptop: Laptop) -> str:
    """Every value of every table of the laptop's store, read through its key (the search
    index's own tables and blocks included), lower case."""
    out = []
    with laptop.store.read() as conn:
        names = inspect(conn).get_table_names()
        for table in names:
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    out.append(
                        bytes(value).decode("utf-8", "replace")
                        if isinstance(value, (bytes, memoryview))
                        else str(value)
                    )
    return "\n".join(out).lower()


def assert_nowhere(laptop: Laptop, central: Server, *marks: str) -> None:
    for mark in marks:
        assert files_holding(laptop.folder, mark) == []
        assert mark.lower() not in store_text(laptop), mark
        assert mark.lower() not in central_text(central.db_url), mark
    with laptop.store.read() as conn:
        assert verify(conn).intact
    wal = laptop.folder / "cases.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def _reference(laptop: Laptop, case_id: str) -> str:
    reference = laptop.local_cases()[case_id][0]
    assert reference is not None
    return reference


def test_an_erased_complainant_leaves_the_laptops_that_hold_the_case(
    central: Server, laptop_factory: Factory
) -> None:
    officer, leader = laptop_factory("officer", actor="s-ho"), laptop_factory("lead", actor="s-tl")
    officer.enrol(central, "s-ho")
    leader.enrol(central, "s-tl")
    mark, phone = marker(), "07700 900987"
    case_id = record_marked(
        officer, mark, estate="EST-NORTH", complainant={"phone": phone}, frequency="weekly"
    )
    officer.sync_until_done()
    leader.sync_until_done()
    # A conflict whose officer's value names the complainant: kept on the laptop too.
    leader.edit(case_id, frequency="daily")
    officer.edit(case_id, frequency=f"nightly, says {mark}")
    leader.sync_until_done()
    officer.sync_until_done()
    assert mark in store_text(officer)

    said = admin(central.db_url, "erase-person", _reference(officer, case_id), "complainant",
                 "--reason", "Erasure request")  # fmt: skip
    assert "the complainant removed from it" in said

    summary = officer.sync.sync(force=True)

    assert summary.ok, summary.lines()
    words = [line for line in summary.lines() if "was removed from it by the administrator" in line]
    assert len(words) == 1 and "None of the changes made on this laptop" not in words[0]
    assert words[0].startswith(f"Case {_reference(officer, case_id)}: the complainant was removed")
    assert mark not in words[0]
    document = officer.local_cases()[case_id][2]
    assert document["complainant"]["name"] == PLACEHOLDER
    assert document["incidents"][0]["description"] == f"Loud music, said {PLACEHOLDER}"
    assert_nowhere(officer, central, mark, phone, "900987")
    leader.sync.sync(force=True)
    assert_nowhere(leader, central, mark, phone)
    again = officer.sync.sync(force=True)  # said once
    assert not any("removed from it" in line for line in again.lines())


def test_an_unsent_change_naming_the_erased_person_goes_up_erased_and_the_officer_is_told(
    central: Server, laptop_factory: Factory
) -> None:
    officer = laptop_factory("officer", actor="s-ho")
    officer.enrol(central, "s-ho")
    mark = marker()
    case_id = record_marked(officer, mark, estate="EST-NORTH")
    officer.sync_until_done()
    admin(central.db_url, "erase-person", _reference(officer, case_id), "complainant",
          "--reason", "Erasure request")  # fmt: skip
    # Typed offline before the laptop heard of it: a note naming them, and another that does not.
    case = officer.casework.case(case_id)
    assert case is not None
    now = datetime.now(UTC)
    notes = (
        Entry(id="n1", kind=EntryKind.NOTE, at=now, by="s-ho", text=f"Rang Resident {mark}"),
        Entry(id="n2", kind=EntryKind.NOTE, at=now, by="s-ho", text="Visited the block"),
    )
    officer.casework.update(replace(case, entries=case.entries + notes), action="case.edited")

    summary = officer.sync.sync(force=True)

    assert summary.ok and summary.sent == 1, summary.lines()
    [words] = [line for line in summary.lines() if "removed from it" in line]
    assert "Your changes of " in words and "mentioned them" in words, words
    document = officer.local_cases()[case_id][2]
    texts = [e["text"] for e in document["entries"]]
    assert texts == [f"Rang {PLACEHOLDER}", "Visited the block"]  # the officer's work kept
    assert_nowhere(officer, central, mark)
