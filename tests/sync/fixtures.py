"""Fixtures for the sync tests (and the Sync page's): a real central service per module and backend,
real laptops. Each conftest that needs them imports them from here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sync.sync_support import BACKENDS, Laptop, Server, running_central


@pytest.fixture(scope="module", params=BACKENDS)
def central(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp(f"sync-central-{request.param}")
    with running_central(request.param, workdir) as server:
        yield server


@pytest.fixture
def laptop_factory(tmp_path: Path) -> Iterator[Callable[..., Laptop]]:
    made: list[Laptop] = []

    def make(name: str = "laptop", **options: object) -> Laptop:
        laptop = Laptop(tmp_path / name, **options)  # type: ignore[arg-type]
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.close()
