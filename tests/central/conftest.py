"""Fixtures for the central store tests: one real server per test module and backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.central.central_support import BACKENDS, Server, running_central


@pytest.fixture(scope="module", params=BACKENDS)
def central(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp(f"central-{request.param}")
    with running_central(request.param, workdir) as server:
        yield server
