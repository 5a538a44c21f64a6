"""Enrolling through a line that loses the answer: a real laptop, the real central service, and
a fault proxy between them that lets the server take the code and then cuts the line, or drops
the laptop's first authenticated call."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from asb_desktop.store.settings import get_setting
from asb_desktop.sync.client import Refused, Unreachable
from asb_desktop.sync.enrolment import KEY_SETTING
from tests.sync.fault_proxy import CUT, DROP, PASS, FaultProxy
from tests.sync.sync_support import Laptop, Server, admin, query

Factory = Callable[..., Laptop]


def fault_first(request_line: str, action: str) -> Callable[[int, str], str]:
    """A plan that does `action` to the first `request_line` and passes everything else."""
    seen = 0

    def plan(_number: int, request: str) -> str:
        nonlocal seen
        if request == request_line:
            seen += 1
            return action if seen == 1 else PASS
        return PASS

    return plan


@pytest.fixture
def proxy_for(central: Server) -> Iterator[Callable[[str, str], FaultProxy]]:
    made: list[FaultProxy] = []

    def make(request_line: str, action: str) -> FaultProxy:
        proxy = FaultProxy(central.port, fault_first(request_line, action))
        made.append(proxy)
        return proxy

    yield make
    for proxy in made:
        proxy.close()


def states(central: Server, user: str) -> list[str]:
    lines = admin(central.db_url, "device", "list", "--user", user).splitlines()
    return [line.split("\t")[3] for line in lines]


def test_a_lost_answer_is_finished_by_trying_the_same_code_again(
    central: Server, laptop_factory: Factory, proxy_for: Callable[[str, str], FaultProxy]
) -> None:
    proxy = proxy_for("POST /v1/enrol", CUT)  # the server took the code; the answer is lost
    laptop = laptop_factory("lost")
    code = admin(central.db_url, "enrol-device", "--user", "s-hm").strip()
    with pytest.raises(Unreachable) as lost:
        laptop.sync.enrol(proxy.url, code, device_name="laptop-lost")
    assert "connect again with the same code" in str(lost.value)
    assert proxy.counts == {CUT: 1}  # the server took the code; the laptop never heard
    assert not laptop.sync.status().connected
    assert [s.split(" until")[0] for s in states(central, "s-hm")] == [
        "waiting for the laptop's first call"
    ]
    with laptop.store.read() as conn:
        kept_key = get_setting(conn, KEY_SETTING)
    assert kept_key  # made before the first try, kept for the retry

    user = laptop.sync.enrol(proxy.url, code, device_name="laptop-lost")  # the same code again
    assert user.id == "s-hm" and laptop.sync.status().connected
    assert states(central, "s-hm") == ["active"]  # one device, confirmed: no orphan
    with laptop.store.read() as conn:
        assert not get_setting(conn, KEY_SETTING)  # the next enrolment makes a new key
    [case_id] = laptop.record(1, estate="EST-NORTH")
    laptop.sync_until_done()
    assert laptop.local_cases()[case_id][0] is not None  # the token works

    other = laptop_factory("other")  # another laptop with the same code is still refused
    with pytest.raises(Refused):
        other.sync.enrol(central.url, code, device_name="laptop-other")
    assert states(central, "s-hm") == ["active"]
    [[devices]] = query(central, "SELECT count(*) FROM devices WHERE user_id = 's-hm'")
    assert devices == 1


def test_a_lost_confirmation_is_made_good_by_the_next_sync(
    central: Server, laptop_factory: Factory, proxy_for: Callable[[str, str], FaultProxy]
) -> None:
    proxy = proxy_for("GET /v1/me", DROP)  # the confirming call never reaches the server
    laptop = laptop_factory("unconfirmed")
    code = admin(central.db_url, "enrol-device", "--user", "s-dir").strip()
    laptop.sync.enrol(proxy.url, code, device_name="laptop-unconfirmed")
    assert proxy.counts.get(DROP) == 1
    assert [s.split(" until")[0] for s in states(central, "s-dir")] == [
        "waiting for the laptop's first call"
    ]
    laptop.sync_until_done()
    assert states(central, "s-dir") == ["active"]
