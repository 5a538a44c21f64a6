"""The Alembic migrations build exactly the tables the code describes (schema.py), on both backends."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from asb_central.db import database_url, head_revision, upgrade
from asb_central.tables import metadata
from tests.central.central_support import BACKENDS, fresh_database


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_match_the_schema_the_code_uses(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db_url:
        url = database_url(db_url)
        assert upgrade(url) == head_revision()
        assert upgrade(url) == head_revision()  # a second run changes nothing
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                differences = compare_metadata(MigrationContext.configure(conn), metadata)
        finally:
            engine.dispose()
        assert differences == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_database_made_by_the_first_schema_upgrades_with_its_data(
    backend: str, tmp_path: Path
) -> None:
    with fresh_database(backend, tmp_path) as db_url:
        url = database_url(db_url)
        assert upgrade(url, "0001") == "0001"
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO ops (op_id, case_id, device_id, user_id, body_hash, result, "
                        "received_at) VALUES ('o', 'c', 'd', 'u', 'h', '{}', :at)"
                    ),
                    {"at": datetime(2026, 1, 1)},
                )
            assert upgrade(url) == head_revision()
            with engine.connect() as conn:
                kept = conn.execute(text("SELECT op_id, result, facts FROM ops")).all()
        finally:
            engine.dispose()
        assert [tuple(r) for r in kept] == [("o", "{}", None)]
