"""The pull after a push skips the changes that are the cases this push created centrally (each is
held here from the push's answer, as the central store holds it), and only those: a colleague's
case numbered between them is pulled, and a full pull from the start afterwards changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from asb_desktop.store.sync_state import load_state, save_state, sync_conflicts
from asb_desktop.store.tables import audit_log, cases, outbox
from asb_desktop.sync.status_words import SyncSummary
from asb_desktop.sync.sync_run import SHORT_PULL_PAGES, SyncProgress
from tests.sync.sync_support import Laptop, Server, query

Factory = Callable[..., Laptop]


def held(laptop: Laptop) -> dict[str, Any]:
    """Everything a pull could change in the laptop's store."""
    with laptop.store.read() as conn:
        return {
            "cases": sorted(tuple(r) for r in conn.execute(select(cases))),
            "conflicts": sorted(tuple(r) for r in conn.execute(select(sync_conflicts))),
            "outbox": sorted(tuple(r) for r in conn.execute(select(outbox))),
            # A pull from the start brings the directory again, and says so: that row aside.
            "audit": conn.execute(
                select(audit_log.c.seq).where(audit_log.c.action != "directory.pulled")
            ).all(),
            "checkpoint": load_state(conn).checkpoint,
        }


def pulled_by(central: Server, laptop: Laptop) -> set[str]:
    settings = laptop.sync.engine.settings()
    assert settings is not None
    rows = query(
        central,
        "SELECT case_id FROM case_reads WHERE device_id = :d AND via = 'pull'",
        d=settings.device_id,
    )
    return {row.case_id for row in rows}


def test_the_pull_after_a_push_skips_only_the_cases_it_created(
    central: Server, laptop_factory: Factory
) -> None:
    mine = laptop_factory("mine", batch_size=1)  # one case a push: a colleague's lands between
    theirs = laptop_factory("theirs")
    mine.enrol(central, "s-tl")  # team leader of EST-NORTH: sees both officers' cases there
    theirs.enrol(central, "s-ho2")
    mine.sync.sync()
    ids = mine.record(6, estate="EST-NORTH")
    [colleagues] = theirs.record(1, estate="EST-NORTH")
    meanwhile: list[SyncSummary] = []

    def colleague_pushes(step: SyncProgress) -> None:
        # After the first answer: this laptop's second push is on its way and its third queued;
        # the fourth is sent after this, so the colleague's case is numbered before it.
        if step.stage == "sending" and step.done and not meanwhile:
            meanwhile.append(theirs.sync.sync())

    summary = mine.sync.sync(progress=colleague_pushes)
    assert meanwhile and meanwhile[0].ok and meanwhile[0].sent == 1
    assert summary.ok and summary.sent == 6 and summary.received == 1
    local = mine.local_cases()
    assert local[colleagues][0] is not None and local[colleagues][2]["recorded_by"] == "s-ho2"
    served = pulled_by(central, mine)
    assert colleagues in served and not served & set(ids)
    for case_id in ids:
        [[reference, revision]] = query(
            central, "SELECT reference, revision FROM cases WHERE id = :i", i=case_id
        )
        assert local[case_id][:2] == (reference, revision)

    # What the skipped pages would have brought: pulled again from the start, nothing changes.
    before = held(mine)
    with mine.store.write() as conn:
        save_state(conn, checkpoint=0)
    again = mine.sync.sync()
    assert again.ok and again.received == 0
    assert held(mine) == before
    assert set(ids) <= pulled_by(central, mine)


def test_interleaved_changes_cost_no_more_than_a_few_short_pages(laptop_factory: Factory) -> None:
    """A push of 3,000 cases with a colleague's change after every one of them: the pull asks
    for at most SHORT_PULL_PAGES short pages, then full pages as before the skip, and every
    change not created by this push falls in a page asked for."""
    engine = laptop_factory("mine").sync.engine
    engine._created = set(range(1, 6001, 2))  # this push's cases: 1, 3, 5, ...; theirs: 2, 4, ...
    asked: list[tuple[int, int]] = []
    since = 0
    while since < 6000:
        since, limit = engine._past_created(since)
        asked.append((since, limit))
        since += limit
    covered = {n for start, limit in asked for n in range(start + 1, start + limit + 1)}
    assert set(range(2, 6001, 2)) <= covered
    short = [page for page in asked if page[1] < engine.pull_limit]
    assert len(short) <= SHORT_PULL_PAGES
    assert len(asked) <= SHORT_PULL_PAGES + 6000 // engine.pull_limit + 1
