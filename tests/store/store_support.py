"""Shared by the store tests and the kept-store script (upgrade_stores/make_store.py).

Real SQLCipher files under a fixed test key, Alembic run to a chosen revision on a store's own
connection, the models-versus-migrations comparison, and a sample of content written through
today's services (cases, a note, a draft, a setting, audit rows, outbox ops and sync's rows).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, text

from asb_desktop.app import Services
from asb_desktop.domain.calendar import Nation
from asb_desktop.domain.case import EntryKind
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.store.migrate import MIGRATIONS_DIR
from asb_desktop.store.sqlcipher_engine import create_sqlcipher_engine
from asb_desktop.store.sync_state import InflightOp, freeze, save_state, set_bases
from asb_desktop.store.sync_state import upsert_conflicts as add_conflicts
from asb_desktop.store.tables import metadata
from asb_desktop.support.synthetic import synthetic_cases

# A test key, published on purpose: it guards synthetic cases only, never a real store.
TEST_KEY = DatabaseKey.raw(hashlib.sha256(b"ASB Desktop test store key (not a secret)").digest())
TEST_KEYS = FixedKey(TEST_KEY)

# The full-text search index is an FTS5 virtual table with shadow tables SQLite makes itself;
# SQLAlchemy cannot describe it, so the comparison leaves it out and tests check it directly.
SEARCH_INDEX = "case_search"


def engine_for(path: Path) -> Engine:
    """An engine on a real SQLCipher file under the test key, with the store's own pragmas."""
    return create_sqlcipher_engine(path, TEST_KEY)


def alembic_config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def revisions() -> list[tuple[str, str | None]]:
    """Every (revision, the revision before it) in versions/, oldest first."""
    found: list[tuple[str, str | None]] = []
    for script in ScriptDirectory.from_config(alembic_config()).walk_revisions():
        down = script.down_revision
        assert down is None or isinstance(down, str), f"{script.revision} merges branches"
        found.insert(0, (script.revision, down))
    return found


def migrate_to(conn: Connection, revision: str) -> None:
    """Run the migrations up to `revision` inside the connection's transaction."""
    command.upgrade(alembic_config(conn), revision)


def _modelled(name: str | None, type_: str, _parent: Any) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_INDEX))


def schema_differences(conn: Connection, described: MetaData = metadata) -> list[Any]:
    """What Alembic's autogenerate would change to make the file match store/tables.py."""
    context = MigrationContext.configure(
        conn, opts={"include_name": _modelled, "compare_type": True}
    )
    return list(compare_metadata(context, described))


def table_names(conn: Connection) -> set[str]:
    rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
    return set(rows)


def column_names(conn: Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(text(f'PRAGMA table_info("{table}")'))]


def indexes(conn: Connection, table: str) -> dict[str, list[str]]:
    """Named indexes of a table (not SQLite's automatic ones) and their columns in order."""
    found: dict[str, list[str]] = {}
    for row in conn.execute(text(f'PRAGMA index_list("{table}")')):
        name = row[1]
        if not name.startswith("sqlite_autoindex"):
            found[name] = [c[2] for c in conn.execute(text(f'PRAGMA index_info("{name}")'))]
    return found


# --- content written through today's services ---------------------------------------------------

SAMPLE_CLOCK = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)
SAMPLE_ACTOR = "officer.test"


def write_sample_content(services: Services) -> dict[str, Any]:
    """A handful of synthetic cases and what an officer and sync leave beside them; returns what
    a later release should read back (see upgrade_stores/). The services' clock should be fixed."""
    documents = synthetic_cases(5, seed=101)
    documents[0]["complainant"] = {"anonymous": False, "name": "Siobhán Quinlivan-Ōtake"}
    documents[1]["asb_types"] = ["noise", "drugs"]
    at = documents[1]["received_at"]
    documents[1]["risk_assessments"] = [  # from another system: answers as given
        {"id": "ra-1", "at": at, "by": "s-ho", "answers": {}, "score": 12, "level": "high"}
    ]
    documents[1]["action_plan"] = {
        "agreed_at": at,
        "agreed_with": "the complainant",
        "actions": [{"id": "act-1", "what": "Visit the neighbour", "who": "s-ho",
                     "due_at": at, "done_at": None}],
    }  # fmt: skip
    ids = services.casework.import_documents(
        [LabelledDocument(f"record {i}", d) for i, d in enumerate(documents)]
    )
    services.actions.add_entry(ids[0], EntryKind.NOTE, "Rang back; the noise stopped on Friday.")
    services.casework.set_nation(Nation.SCOTLAND)
    draft_id = "5d7a1c2e-0000-4000-8000-00000000d1af"
    draft = {"anonymous": False, "name": "Zoë Dvořák", "description": "Bins set alight", "page": 2}
    services.drafts.save(draft_id, draft)
    with services.store.write() as conn:
        seq = conn.execute(
            text("SELECT max(seq) FROM outbox WHERE case_id = :c"), {"c": ids[1]}
        ).scalar_one()
        op_id = conn.execute(
            text("SELECT op_id FROM outbox WHERE seq = :s"), {"s": seq}
        ).scalar_one()
        freeze(conn, [InflightOp(op_id, seq, ids[1], {"op_id": op_id})], SAMPLE_CLOCK)
        add_conflicts(
            conn,
            [
                {
                    "id": 7,
                    "case_id": ids[2],
                    "field": "severity",
                    "server_value": json.dumps("serious"),
                    "device_value": json.dumps("general"),
                    "op_id": "9b0c5f1e-0000-4000-8000-0000000c0f11",
                    "user_id": "officer.other",
                    "at": "2026-08-31T16:00:00+00:00",
                }
            ],
        )
        set_bases(conn, {ids[3]: "9b0c5f1e-0000-4000-8000-0000000ba5e0"})
        save_state(conn, checkpoint=41, directory_version=3, failures=0)
    search = "quinlivan"
    return {
        "cases": {d["id"]: d for d in services.casework.documents()},
        "drafts": {draft_id: draft},
        "settings": {"bank_holiday_nation": Nation.SCOTLAND.value},
        "audit_rows": services.casework.verify_audit().rows,
        "outbox_ops": _all(services, "SELECT op_id FROM outbox ORDER BY seq"),
        "inflight_ops": [op_id],
        "conflicts": [7],
        "checkpoint": 41,
        "search": {
            "text": search,
            "finds": [row.id for row in services.casework.list_cases(CaseFilter(search=search))],
        },
    }


def _all(services: Services, query: str) -> list[Any]:
    with services.store.read() as conn:
        return list(conn.execute(text(query)).scalars())
