"""The disclosure log through a real central store (SQLite and PostgreSQL): two laptops record
disclosures of the same case offline and both end with both (a set of entries, no conflict);
a subject access run centrally reaches both laptops at their next sync."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from asb_desktop.domain.case import Complainant
from asb_desktop.domain.disclosure import DisclosureProfile, DisclosureWhat
from asb_desktop.services.disclosures import record_disclosures
from tests.sync.sync_support import Laptop, Server, admin, query

Factory = Callable[..., Laptop]


def _given(laptop: Laptop, case_id: str, to: str) -> None:
    record_disclosures(
        laptop.casework, [case_id], to=to,
        profile=DisclosureProfile.THIRD_PARTY, what=DisclosureWhat.SUMMARY_PDF,
    )  # fmt: skip


def _recipients(document: dict) -> list[str]:
    return sorted(d["to"] for d in document["disclosures"])


def test_disclosures_recorded_on_two_laptops_and_centrally_all_reach_everyone(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    a.edit(
        case_id, complainant=Complainant(anonymous=False, name="Resident 0", address="3 Oak Road")
    )
    a.sync.sync()
    b.sync.sync()
    _given(a, case_id, "PC Dawson")
    _given(b, case_id, "Testtown council")
    assert a.sync.sync().conflicts == 0
    assert b.sync.sync().conflicts == 0
    a.sync.sync()
    [[stored]] = query(central, f"SELECT document FROM cases WHERE id = '{case_id}'")
    for document in (json.loads(stored), a.local_cases()[case_id][2], b.local_cases()[case_id][2]):
        assert _recipients(document) == ["PC Dawson", "Testtown council"]

    # The central store's subject access for the complainant reaches both laptops.
    admin(central.db_url, "subject-access", "--name", "resident 0", "--address", "3 OAK ROAD",
          "-o", str(tmp_path / "request"), "--by", "s-dir")  # fmt: skip
    a.sync.sync()
    b.sync.sync()
    for laptop in (a, b):
        [*_, latest] = laptop.local_cases()[case_id][2]["disclosures"]
        assert (latest["to"], latest["profile"], latest["by"]) == (
            "resident 0", "subject_access", "s-dir",
        )  # fmt: skip
