"""Removing cases from a laptop's store (store/purge.py) on a real SQCipher store: everything of
the case goes, its audit rows lose their documents, and the chain still verifies; a redaction
no removal names is found."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text

from asb_desktop.app import open_services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.audit import REDACTED, AuditWriter, verify
from asb_desktop.store.purge import checkpoint_log, remove_cases
from asb_desktop.store.tables import audit_log, cases, outbox
from asb_desktop.support.synthetic import synthetic_cases


def test_a_removed_case_leaves_no_document_and_the_chain_verifies(data_dir: Path) -> None:
    services = open_services(data_dir)
    documents = synthetic_cases(3)
    ids = services.casework.import_documents(
        [LabelledDocument(f"record {i}", d) for i, d in enumerate(documents)]
    )
    gone, *kept = ids
    with services.store.write() as conn:
        removed = remove_cases(
            conn,
            AuditWriter(conn, actor="local:officer"),
            {gone: "reassigned", "not-here": "access"},
            now=datetime.now(UTC),
        )
    assert removed == [gone]
    assert checkpoint_log(services.store)
    with services.store.read() as conn:
        assert set(conn.execute(select(cases.c.id)).scalars()) == set(kept)
        assert conn.execute(select(outbox).where(outbox.c.case_id == gone)).first() is None
        rows = conn.execute(
            select(audit_log.c.seq, audit_log.c.action, audit_log.c.before, audit_log.c.after)
            .where(audit_log.c.case_id == gone)
            .order_by(audit_log.c.seq)
        ).all()
        assert [r.action for r in rows] == ["case.imported", "case.removed_from_laptop"]
        assert (rows[0].before, rows[0].after) == (REDACTED, REDACTED)
        assert json.loads(rows[1].after) == {"reason": "reassigned", "redacted": [rows[0].seq]}
        assert verify(conn).intact
        name = documents[0]["complainant"].get("name")
        if name:
            everything = conn.execute(text("SELECT before, after FROM audit_log")).all()
            assert not any(name in (b or "") + (a or "") for b, a in everything)
    services.close()


def test_a_redaction_no_removal_names_breaks_the_chain(data_dir: Path) -> None:
    services = open_services(data_dir)
    services.casework.import_documents(
        [LabelledDocument(f"record {i}", d) for i, d in enumerate(synthetic_cases(2))]
    )
    with services.store.write() as conn:
        conn.execute(
            text("UPDATE audit_log SET before = :r, after = :r WHERE seq = 2"), {"r": REDACTED}
        )
    with services.store.read() as conn:
        check = verify(conn)
    assert not check.intact and check.broken_at == 2
    services.close()
