"""Who may see which case, as a table of role × case kind, checked through every door:
reading one case, pulling changes, and pushing a change to it. Plus the doors with no key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from asb_desktop.sync import protocol as p
from tests.central.central_support import (
    BACKENDS,
    DIRECTORY,
    Device,
    Server,
    admin,
    case_document,
    op,
    query,
    running_central,
)

EMPLOYEE = {"anonymous": False, "name": "Ann Example", "is_employee": True}

# Each kind of case: who records it, and what it looks like.
CASE_KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    "patch_north": ("s-rec", {"estate": "EST-NORTH"}),  # assigned to s-ho
    "patch_south": ("s-rec", {"estate": "EST-SOUTH"}),  # no officer on EST-SOUTH: unassigned
    "scheme_oak": ("s-rec", {"supported_scheme": "SCH-OAK"}),  # assigned to s-sc
    "employee_north": ("s-rec", {"estate": "EST-NORTH", "complainant": EMPLOYEE}),  # s-tl
    "unassigned": ("s-rec", {}),
    "recorded_by_eo": ("s-eo", {"estate": "EST-SOUTH"}),
}

# Role (user) → the kinds they may see. Everything not listed must be refused.
MAY_SEE: dict[str, set[str]] = {
    "s-ho": {"patch_north"},  # housing officer: assigned to them
    "s-ho2": set(),  # housing officer on the same patch, not assigned: nothing
    "s-eo": {"recorded_by_eo"},  # enforcement officer: recorded by them
    "s-sc": {"scheme_oak"},  # scheme co-ordinator: their scheme
    "s-tl": {"patch_north", "employee_north"},  # team leader: their patch, employee cases too
    "s-tl2": {"patch_south", "recorded_by_eo"},  # team leader of EST-SOUTH
    "s-hm": {"patch_north", "employee_north"},  # housing manager: their patch
    "s-dir": {"patch_north", "patch_south", "employee_north", "recorded_by_eo"},  # director
    "s-hr": set(),  # HR/OD manager: only their own cases
    # The recorder sees what they recorded, except the employee case once it is stored (5.9).
    "s-rec": {"patch_north", "patch_south", "scheme_oak", "unassigned"},
}
TABLE = [(user, kind) for user in MAY_SEE for kind in CASE_KINDS]

# Who may settle a field conflict (access.may_settle): the assigned officer, leaders whose
# patches hold the case's estate, and, while a case is assigned to no one, whoever recorded it.
# The same as seeing, but for the recorder of a case assigned to someone else.
MAY_SETTLE: dict[str, set[str]] = dict(MAY_SEE, **{"s-rec": {"patch_south", "unassigned"}})


class World:
    def __init__(self, server: Server) -> None:
        self.server = server
        recorders = {user for user, _ in CASE_KINDS.values()}
        self.devices = {user: Device(server, user) for user in MAY_SEE.keys() | recorders}
        self.cases: dict[str, dict[str, Any]] = {}
        for kind, (user, changes) in CASE_KINDS.items():
            doc = case_document(**changes)
            [result] = self.devices[user].push(op(doc))
            assert result["status"] == "applied", result
            self.cases[kind] = result["document"]
        self.pulled = {user: self._pull_ids(device) for user, device in self.devices.items()}

    @staticmethod
    def _pull_ids(device: Device) -> set[str]:
        ids: set[str] = set()
        since = 0
        while True:
            page = device.pull(since, limit=3)
            ids |= {c["case_id"] for c in page["cases"]}
            since = page["checkpoint"]
            if not page["more"]:
                return ids


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with running_central(request.param, tmp_path_factory.mktemp("access")) as server:
        yield World(server)


def test_the_expected_assignments_hold(world: World) -> None:
    assigned = {kind: doc["assigned_to"] for kind, doc in world.cases.items()}
    assert assigned == {
        "patch_north": "s-ho",
        "patch_south": None,
        "scheme_oak": "s-sc",
        "employee_north": "s-tl",
        "unassigned": None,
        "recorded_by_eo": None,
    }


@pytest.mark.parametrize(("user", "kind"), TABLE)
def test_reading_one_case(world: World, user: str, kind: str) -> None:
    response = world.devices[user].http.get(f"/v1/cases/{world.cases[kind]['id']}")
    if kind in MAY_SEE[user]:
        assert response.status_code == 200, response.text
        assert response.json()["document"]["id"] == world.cases[kind]["id"]
    else:
        assert response.status_code == 403, response.text
        assert "document" not in response.text
    refused = query(
        world.server,
        "SELECT count(*) FROM case_reads WHERE case_id = :c AND user_id = :u AND device_id = :d "
        "AND via = 'read' AND refused",
        c=world.cases[kind]["id"],
        u=user,
        d=world.devices[user].device_id,
    )
    assert refused[0][0] == (0 if kind in MAY_SEE[user] else 1)  # a refusal is logged too


@pytest.mark.parametrize(("user", "kind"), TABLE)
def test_pulling(world: World, user: str, kind: str) -> None:
    assert (world.cases[kind]["id"] in world.pulled[user]) == (kind in MAY_SEE[user])


@pytest.mark.parametrize(("user", "kind"), TABLE)
def test_pushing_a_change(world: World, user: str, kind: str) -> None:
    """A device of one user presenting a case it may not see is refused, and nothing changes."""
    current = world.cases[kind]
    edited = dict(current, frequency=f"edited by {user}")
    [result] = world.devices[user].push(op(edited))
    if kind in MAY_SEE[user]:
        assert result["status"] == "applied", result
    else:
        assert (result["status"], result["code"]) == ("forbidden", 403)
        assert result["document"] is None
        logged = query(
            world.server,
            "SELECT count(*) FROM case_reads WHERE case_id = :c AND user_id = :u "
            "AND via = 'push' AND refused",
            c=current["id"],
            u=user,
        )
        assert logged[0][0] == 1
        changes = query(
            world.server,
            "SELECT count(*) FROM case_audit WHERE case_id = :c AND user_id = :u",
            c=current["id"],
            u=user,
        )
        assert changes[0][0] == (1 if user == CASE_KINDS[kind][0] else 0)


def test_a_new_case_cannot_be_recorded_in_another_users_name(world: World) -> None:
    doc = case_document(estate="EST-NORTH", recorded_by="s-tl")
    [result] = world.devices["s-ho"].push(op(doc))
    assert result["code"] == 403
    missing = world.devices["s-tl"].http.get(f"/v1/cases/{doc['id']}")
    assert missing.status_code == 404


@pytest.fixture(scope="module")
def conflicted(world: World) -> dict[str, int]:
    """One open conflict on each kind of case, made by someone who may see it."""
    ids: dict[str, int] = {}
    for kind, document in world.cases.items():
        seer = next(user for user, kinds in MAY_SEE.items() if kind in kinds)
        stale = dict(document, frequency=f"a conflict on {kind}")
        [result] = world.devices[seer].push(op(stale))  # no base: every difference conflicts
        [conflict] = [c for c in result["conflicts"] if c["field"] == "frequency"]
        ids[kind] = conflict["id"]
    return ids


@pytest.mark.parametrize(("user", "kind"), TABLE)
def test_who_may_settle_a_conflict(
    world: World, conflicted: dict[str, int], user: str, kind: str
) -> None:
    """Each conflict served says whether its reader may settle it, and a settling op from
    someone who may not is refused with the conflict left open."""
    device = world.devices[user]
    response = device.http.get(f"/v1/cases/{world.cases[kind]['id']}")
    if kind not in MAY_SEE[user]:
        assert response.status_code == 403
        return
    state = response.json()
    [conflict] = [c for c in state["conflicts"] if c["id"] == conflicted[kind]]
    assert conflict["may_settle"] == (kind in MAY_SETTLE[user])
    if kind in MAY_SETTLE[user]:
        return  # settling it here would close it for the rest of the table
    choice = op(state["document"], state["revision"], resolves=[conflict["id"]])
    [result] = device.push(choice)
    assert (result["status"], result["code"]) == ("forbidden", 403), result
    assert "may settle its conflicts" in result["error"]["message"]
    still = query(
        world.server, "SELECT resolved_at FROM case_conflicts WHERE id = :i", i=conflict["id"]
    )
    assert still[0][0] is None


def test_a_conflict_is_settled_by_the_cases_officer(
    world: World, conflicted: dict[str, int]
) -> None:
    officer = world.devices["s-ho"]
    state = officer.http.get(f"/v1/cases/{world.cases['patch_north']['id']}").json()
    ids = [c["id"] for c in state["conflicts"]]
    assert conflicted["patch_north"] in ids
    [result] = officer.push(op(state["document"], state["revision"], resolves=ids))
    assert result["status"] == "applied", result
    after = officer.http.get(f"/v1/cases/{world.cases['patch_north']['id']}").json()
    assert after["conflicts"] == []


NO_KEY = [
    None,
    "Bearer",
    "Bearer not-a-token",
    "Basic czpz",
    "Bearer " + "A" * 43,
]


@pytest.mark.parametrize("authorization", NO_KEY)
def test_no_or_unknown_token_gets_401_everywhere(world: World, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    case_id = world.cases["patch_north"]["id"]
    with httpx.Client(base_url=world.server.url, headers=headers, timeout=60) as http:
        answers = [
            http.get(f"/v1/cases/{case_id}"),
            http.get("/v1/changes"),
            http.get("/v1/directory"),
            http.get("/v1/me"),
            http.post("/v1/push", json={"ops": [op(case_document())]}),
        ]
    for response in answers:
        assert response.status_code == 401, response.text
        assert response.json()["error"]["field"] == "Authorization"


def revocation_of(response: httpx.Response) -> dict[str, Any]:
    """A 410 revocation answer's `revoked` part (and its shape checked)."""
    assert response.status_code == 410, response.text
    body = p.RevokedBody.model_validate_json(response.content)
    return body.revoked.model_dump(mode="json")


def test_a_lost_device_is_told_at_once_and_nothing_more_is_taken(world: World) -> None:
    device = Device(world.server, "s-tl")
    case_id = world.cases["employee_north"]["id"]
    assert device.http.get(f"/v1/cases/{case_id}").status_code == 200
    said = admin(world.server.db_url, "revoke-device", device.device_id)
    assert said.startswith("1 device revoked (lost)")
    for response in (
        device.http.get(f"/v1/cases/{case_id}"),
        device.http.get("/v1/changes"),
        device.http.post("/v1/push", json={"ops": [op(case_document())]}),
    ):
        revoked = revocation_of(response)
        assert revoked["mode"] == "lost"
        assert revoked["device_id"] == device.device_id
        proof = p.revocation_proof(p.token_hash(device.token), device.device_id, "lost")
        assert revoked["proof"] == proof
    other = world.devices["s-tl"]  # the same user's other laptop still works
    assert other.http.get(f"/v1/cases/{case_id}").status_code == 200
    # An unknown token is a 401, never a revocation answer.
    stranger = httpx.Client(base_url=world.server.url, headers={"Authorization": "Bearer nope"})
    assert stranger.get("/v1/changes").status_code == 401
    assert stranger.post("/v1/revoked", json={"unsent": 0}).status_code == 401
    assert device.http.post("/v1/revoked", json={"unsent": 2}).status_code == 204
    history = admin(world.server.db_url, "device", "history", device.device_id)
    events = [line.split("\t")[1] for line in history.splitlines()]
    assert events == ["revoked_lost", "told_to_delete", "deleting_local_store"]
    assert '{"unsent": 2}' in history


def test_a_retired_device_may_push_until_it_is_told(world: World) -> None:
    device = Device(world.server, "s-rec")
    said = admin(world.server.db_url, "revoke-device", "--retire", device.device_id)
    assert "(retire)" in said and "send its unsent changes once" in said
    [answer] = device.push(op(case_document(estate="EST-NORTH")))
    assert answer["status"] == "applied", answer
    revoked = revocation_of(device.http.get("/v1/changes"))
    assert revoked["mode"] == "retire"
    late = device.http.post("/v1/push", json={"ops": [op(case_document())]})
    assert revocation_of(late)["mode"] == "retire"  # told: nothing more is taken
    listed = admin(world.server.db_url, "device", "list", "--user", "s-rec")
    assert f"{device.device_id}\ts-rec\tt\trevoked (retire)" in listed and ", told " in listed


def test_revoking_all_of_a_users_devices(world: World) -> None:
    first, second = Device(world.server, "s-hm"), Device(world.server, "s-hm")
    said = admin(world.server.db_url, "revoke-device", "--user", "s-hm")
    assert said.startswith("3 devices revoked (lost)")  # these two and the table's own
    for device in (first, second, world.devices["s-hm"]):
        assert revocation_of(device.http.get("/v1/me"))["mode"] == "lost"


def test_a_user_removed_from_the_directory_is_locked_out(world: World, tmp_path: Path) -> None:
    device = Device(world.server, "s-hr")
    assert device.http.get("/v1/me").status_code == 200
    smaller = dict(DIRECTORY, staff=[s for s in DIRECTORY["staff"] if s["id"] != "s-hr"])
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(smaller), encoding="utf-8")
    admin(world.server.db_url, "directory", "import", str(path))
    assert device.http.get("/v1/me").status_code == 401
    listed = admin(world.server.db_url, "user", "list")
    assert "s-hr\tRae Holt\thr_od_manager\t\t  (inactive)" in listed
