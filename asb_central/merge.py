"""Three-way merge of a laptop's case document into the server's, against the revision it last saw.

All three documents are normalised fact dicts (as `case_to_document` writes them, without the
computed keys), so "changed" means changed in substance, not in spelling.

- Top-level fields (`severity`, `complainant`, `estate`, …) are units: the side that changed one
  since the base wins; if both changed it differently, the server's value stays and a conflict
  with both values is recorded. Nothing is overwritten silently.
- `incidents` (entries with ids) merge by union by id; an incident edited on both sides
  differently is a conflict named `incidents[<id>]`. Omitting an incident never deletes it.
- `resolution_attempts` (append-only entries without ids) merge by union of distinct entries.
- With no base (the laptop never saw a server revision of a case the server has), every field
  that differs is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asb_desktop.domain.document import COMPUTED_KEYS, FACT_KEYS

# Lists of entries with ids: the same entry added on two laptops is one entry; different ones
# are all kept (union by id).
ENTRY_LISTS = frozenset({"incidents", "entries"})
APPEND_ONLY_LISTS = frozenset({"resolution_attempts"})
NOT_MERGED = COMPUTED_KEYS | {"format", "id", "recorded_by"}
MERGED_FIELDS = tuple(sorted(FACT_KEYS - NOT_MERGED))


@dataclass(frozen=True)
class Conflict:
    field: str
    server_value: Any
    device_value: Any


@dataclass
class Merge:
    facts: dict[str, Any]
    conflicts: list[Conflict] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def _pick(name: str, base: Any, server: Any, device: Any, has_base: bool, out: Merge) -> Any:
    if device == server:
        return server
    if has_base and server == base:
        out.changed.append(name)
        return device
    if has_base and device == base:
        return server
    out.conflicts.append(Conflict(field=name, server_value=server, device_value=device))
    return server


def _by_id(entries: list[dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in entries or []}


def _merge_entries(
    name: str, base: Any, server: Any, device: Any, has_base: bool, out: Merge
) -> Any:
    base_by, device_by = _by_id(base), _by_id(device)
    merged = []
    for entry in server or []:
        key = entry["id"]
        theirs = device_by.get(key)
        if theirs is None:
            merged.append(entry)
            continue
        origin = base_by.get(key)
        merged.append(
            _pick(f"{name}[{key}]", origin, entry, theirs, has_base and origin is not None, out)
        )
    known = {entry["id"] for entry in server or []}
    added = [entry for entry in device or [] if entry["id"] not in known]
    if added:
        out.changed.append(name)
    return merged + added


def _merge_append_only(name: str, server: Any, device: Any, out: Merge) -> Any:
    merged = list(server or [])
    for entry in device or []:
        if entry not in merged:
            merged.append(entry)
    if len(merged) != len(server or []):
        out.changed.append(name)
    return merged


def merge(base: dict[str, Any] | None, server: dict[str, Any], device: dict[str, Any]) -> Merge:
    """The facts to keep, the conflicts to record, and which fields the device changed."""
    out = Merge(facts=dict(server))
    has_base = base is not None
    origin = base or {}
    for name in MERGED_FIELDS:
        b, s, d = origin.get(name), server.get(name), device.get(name)
        if name in ENTRY_LISTS:
            out.facts[name] = _merge_entries(name, origin.get(name), s, d, has_base, out)
        elif name in APPEND_ONLY_LISTS:
            out.facts[name] = _merge_append_only(name, s, d, out)
        else:
            out.facts[name] = _pick(name, b, s, d, has_base, out)
    # Entries changed in place count as a change of their list.
    out.changed = sorted({c.split("[", 1)[0] for c in out.changed})
    return out
