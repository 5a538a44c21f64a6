"""The sync fixtures: a real central service and real laptops (tests/sync/fixtures.py)."""

from tests.sync.fixtures import central, laptop_factory  # noqa: F401
