"""1,000 cases pushed through a line that drops, stalls, fails and cuts, and a server killed and
restarted mid-batch: the central store ends with each case once and every change made."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from asb_desktop.domain.case import Incident
from asb_desktop.domain.document import COMPUTED_KEYS, parse_timestamp
from tests.sync.fault_proxy import CUT, DELAY, DROP, ERROR_500, KILL, PASS, FaultProxy
from tests.sync.sync_support import (
    BACKENDS,
    DIRECTORY,
    Laptop,
    Server,
    admin,
    fresh_database,
    query,
)

CASES = 1000


class Restartable:
    """The real service, which the proxy may kill (SIGKILL) and start again on a new port.

    The proxy restarts it from its own thread: once `stop()` has run, a restart still under way
    starts nothing, so no server outlives the test."""

    def __init__(self, db_url: str, workdir: Path) -> None:
        self.db_url, self.workdir, self.restarts = db_url, workdir, 0
        self._lock = threading.Lock()
        self._stopped = False
        self.server = Server(db_url, workdir / "server-0.log")

    def restart(self) -> int:
        with self._lock:
            self.server.kill()
            if not self._stopped:
                self.restarts += 1
                self.server = Server(self.db_url, self.workdir / f"server-{self.restarts}.log")
            return self.server.port

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self.server.stop()


@pytest.fixture(params=BACKENDS)
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Restartable]:
    import json

    with fresh_database(request.param, tmp_path) as db_url:
        admin(db_url, "init-db")
        (tmp_path / "directory.json").write_text(json.dumps(DIRECTORY), encoding="utf-8")
        admin(db_url, "directory", "import", str(tmp_path / "directory.json"))
        running = Restartable(db_url, tmp_path)
        try:
            yield running
        finally:
            running.stop()


# Every fault surely happens to some push; beyond these, faults come at random.
SCRIPT = {2: DELAY, 3: KILL, 4: CUT, 5: ERROR_500, 6: DROP, 9: KILL, 10: CUT}


def faulty_plan() -> Callable[[int, str], str]:
    chance = random.Random(20261124)
    pushes = 0

    def plan(_number: int, request: str) -> str:
        nonlocal pushes
        if request not in ("POST /v1/push", "GET /v1/changes"):
            return PASS
        if request == "POST /v1/push":
            pushes += 1
            if pushes in SCRIPT:
                return SCRIPT[pushes]
        roll = chance.random()
        for action, upto in ((DROP, 0.08), (ERROR_500, 0.18), (CUT, 0.30), (DELAY, 0.34)):
            if roll < upto:
                return action
        return PASS

    return plan


def facts(document: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in document.items() if k not in COMPUTED_KEYS}


def test_a_thousand_cases_arrive_once_through_faults_and_restarts(
    service: Restartable, tmp_path: Path
) -> None:
    proxy = FaultProxy(service.server.port, faulty_plan(), delay=2.5, restart=service.restart)
    laptop = Laptop(tmp_path / "laptop", batch_size=100)
    try:
        laptop.enrol(service.server, "s-ho", url=proxy.url)
        ids = laptop.record(CASES, estate="EST-NORTH")
        laptop.sync_until_done()
        edited, grown = ids[:100], ids[100:150]
        for case_id in edited:
            laptop.edit(case_id, frequency="most nights since March")
        for case_id in grown:
            case = laptop.casework.case(case_id)
            assert case is not None
            extra = Incident(
                id=f"{case_id}-late", description="Shouting in the stairwell",
                occurred_at=parse_timestamp("2026-03-12T23:00:00Z", "t"),
            )  # fmt: skip
            changed = replace(case, incidents=(*case.incidents, extra))
            laptop.casework.update(changed, action="case.incident_added")
        laptop.sync_until_done()

        assert {DROP, ERROR_500, CUT, DELAY, KILL} <= set(proxy.counts), proxy.counts
        assert service.restarts == 2, "\n".join(map(str, proxy.log))
        server = service.server
        assert query(server, "SELECT count(*) FROM cases")[0][0] == CASES
        creates = query(server, "SELECT count(*) FROM case_audit WHERE action = 'create'")
        assert creates[0][0] == CASES
        assert query(server, "SELECT count(*) FROM case_conflicts")[0][0] == 0
        stored_ops = {row[0] for row in query(server, "SELECT op_id FROM ops")}
        assert stored_ops == laptop.sent_op_ids()
        assert set(laptop.outbox_states()) <= {"sent", "superseded"}
        central = {
            row[0]: (row[1], row[2], row[3])
            for row in query(server, "SELECT id, reference, revision, document FROM cases")
        }
        import json

        for case_id, (reference, revision, document) in laptop.local_cases().items():
            c_reference, c_revision, c_document = central[case_id]
            assert (reference, revision) == (c_reference, c_revision)
            assert facts(json.loads(c_document)) == facts(document)
            expected = 2 if case_id in edited or case_id in grown else 1
            assert c_revision == expected, case_id
        later = json.loads(central[grown[0]][2])
        assert [i["description"] for i in later["incidents"]][-1] == "Shouting in the stairwell"
        assert json.loads(central[edited[0]][2])["frequency"] == "most nights since March"
    finally:
        proxy.close()
        laptop.close()
