"""The organisation's case-management presets, held by the central store too.

The laptops read the organisation's preset file (`asb-desktop.defaults.json`, format
`asb-desktop-defaults/1`: support/presets.py). The central store works the same fields out
(`next_update_due_at`, `case_review`, the Case Review decision's due time), so it must use the
same numbers: the administrator gives it the same file,

    asb-central presets import FILE     (the organisation's asb-desktop.defaults.json)
    asb-central presets show

and the numbers (`domain.case_policy.CENTRAL_PRESET_KEYS`; the laptop-only keys, such as the
central store's address, are left alone) are kept in the `settings` table, so every worker
uses them. Importing recomputes every open case at once (`reassess_all`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from asb_central.db import Database, SetupError
from asb_central.tables import settings
from asb_desktop.domain.case_policy import (
    CENTRAL_PRESET_KEYS,
    DEFAULT_POLICY,
    CasePolicy,
    policy_from_presets,
    preset_values,
)

SETTING = "case_policy_presets"
FORMAT = "asb-desktop-defaults/1"
MAX_FILE_BYTES = 64 * 1024


def organisation_policy(conn: Connection, base: CasePolicy = DEFAULT_POLICY) -> CasePolicy:
    """`base` with the organisation's case-management numbers as last imported."""
    raw = conn.execute(select(settings.c.value).where(settings.c.key == SETTING)).scalar()
    if not raw:
        return base
    try:
        return policy_from_presets(json.loads(raw), base)
    except (ValueError, TypeError):
        return base  # checked when imported; a hand-edited row falls back to the defaults


def read_preset_file(path: Path) -> CasePolicy:
    """The case-management numbers of a preset file; SetupError naming the file and the key."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SetupError(f"{path}: a preset file is at most {MAX_FILE_BYTES} bytes")
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SetupError(f"cannot read {path}: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise SetupError(f'{path}: not a preset file ("format" must be "{FORMAT}")')
    try:
        return policy_from_presets(raw)
    except ValueError as exc:
        raise SetupError(f"{path}: {exc}") from None


def store_policy(db: Database, policy: CasePolicy) -> None:
    text = json.dumps(preset_values(policy), sort_keys=True)
    with db.write() as conn:
        found = conn.execute(select(settings.c.key).where(settings.c.key == SETTING)).scalar()
        if found is None:
            conn.execute(insert(settings).values(key=SETTING, value=text))
        else:
            conn.execute(update(settings).where(settings.c.key == SETTING).values(value=text))


def add_parser(commands: Any) -> None:
    presets = commands.add_parser("presets", help="the organisation's case-management numbers")
    sub = presets.add_subparsers(dest="presets_command", required=True)
    load = sub.add_parser("import", help="take them from the organisation's preset file")
    load.add_argument("file", type=Path, help="asb-desktop.defaults.json")
    sub.add_parser("show", help="print the numbers in use")


def run(db: Database, args: argparse.Namespace) -> list[str]:
    """The lines to print; `import` stores the numbers (the caller recomputes the cases)."""
    if args.presets_command == "import":
        store_policy(db, read_preset_file(args.file))
    with db.read() as conn:
        policy = organisation_policy(conn)
    chosen = preset_values(policy)
    lines = [
        f"{key}: {json.dumps(getattr(policy, name))}" + ("" if key in chosen else " (default)")
        for key, (name, _) in CENTRAL_PRESET_KEYS.items()
    ]
    return lines
