"""The audit log's hash chain, and migrations run on open."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from asb_desktop.app import open_services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.cases import CaseFilter, list_cases
from asb_desktop.store.database import Store
from asb_desktop.store.migrate import MIGRATIONS_DIR, current_revision
from asb_desktop.store.migrations import HEAD_REVISION
from asb_desktop.support.synthetic import synthetic_cases


def _imported(data_dir: Path, count: int):
    services = open_services(data_dir)
    services.casework.import_documents(
        [LabelledDocument(f"record {i}", d) for i, d in enumerate(synthetic_cases(count))]
    )
    return services


def test_every_change_is_audited_and_the_chain_verifies(data_dir: Path) -> None:
    services = _imported(data_dir, 3)
    check = services.casework.verify_audit()
    assert check.intact and check.rows == 3
    history = services.casework.history(services.casework.documents()[0]["id"])
    assert [entry.action for entry in history] == ["case.imported"]
    services.close()


def test_a_changed_audit_row_is_found(data_dir: Path) -> None:
    services = _imported(data_dir, 4)
    with services.store.write() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE seq = 3"))
    check = services.casework.verify_audit()
    assert not check.intact and check.broken_at == 3
    assert "changed" in (check.problem or "")
    services.close()


def test_a_deleted_audit_row_is_found(data_dir: Path) -> None:
    services = _imported(data_dir, 4)
    with services.store.write() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    check = services.casework.verify_audit()
    assert check.broken_at == 3 and "removed" in (check.problem or "")
    services.close()


def test_head_revision_constant_matches_the_scripts() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_a_database_made_by_the_first_version_is_upgraded_on_open(data_dir: Path) -> None:
    store = Store.open(data_dir)
    with store.write() as conn:
        # Rebuild the file as the first release left it: only the first migration applied.
        for (name,) in conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'case_search_%'"
            )
        ).all():
            conn.execute(text(f'DROP TABLE IF EXISTS "{name}"'))
    with store.write() as conn:
        from alembic import command

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('kept', 'yes')"))
        conn.execute(
            text(
                "INSERT INTO cases (id, received_at, severity, state, assignment_rule, "
                "response_due_at, anonymous, involves_employee, document, revision, created_at, "
                "updated_at) VALUES ('c-1', '2026-01-05T09:00:00+00:00', 'general', 'open', "
                "'unassigned', '2026-01-08T17:00:00+00:00', 0, 0, '{}', 1, 'x', 'x')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO case_search (case_id, body) VALUES ('c-1', 'Siobhán Murphy, Mill Lane')"
            )
        )
    store.close()
    reopened = Store.open(data_dir)
    with reopened.read() as conn:
        assert current_revision(conn) == HEAD_REVISION
        assert conn.execute(text("SELECT value FROM settings WHERE key='kept'")).scalar() == "yes"
        # The first version's search entries are still found after the index was re-keyed.
        found = list_cases(conn, CaseFilter(search="siobhan mill"))
        assert [row.id for row in found] == ["c-1"]
    reopened.close()
