"""Schemathesis drives every operation of /openapi.json against the running service, with valid
and invalid inputs: no server error, and every answer matches the published schema."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.central.central_support import BACKENDS, Device, Server, running_central


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Device]]:
    with running_central(request.param, tmp_path_factory.mktemp("fuzz")) as server:
        device = Device(server, "s-tl")
        yield server, device
        device.http.close()


@pytest.fixture
def api_schema(fuzzed: tuple[Server, Device]) -> schemathesis.BaseSchema:
    server, device = fuzzed
    loaded = schemathesis.openapi.from_url(f"{server.url}/openapi.json")

    @loaded.auth()
    class DeviceToken:
        """The enrolled device's bearer token, known to schemathesis as the API's auth."""

        def get(self, case: Any, context: schemathesis.AuthContext) -> str:
            return str(device.token)

        def set(self, case: Any, data: str, context: schemathesis.AuthContext) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("ASB_FUZZ_EXAMPLES", "40")),  # more for a deeper run
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_holds_its_contract(case: Any) -> None:
    case.call_and_validate()
