"""Three-way merge of a laptop's case document into the server's, against the revision it last saw.

All three documents are normalised fact dicts (as `case_to_document` writes them, without the
computed keys), so "changed" means changed in substance, not in spelling.

- Top-level fields (`severity`, `complainant`, `estate`, …) are units: the side that changed one
  since the base wins; if both changed it differently, the server's value stays and a conflict
  with both values is recorded. Nothing is overwritten silently.
- `incidents` (entries with ids) merge by union by id; an incident edited on both sides
  differently is a conflict named `incidents[<id>]`. Omitting an incident never deletes it.
- `attachments` (evidence: each names its bytes by hash) merge by id like incidents.
- `risk_assessments` merge by id like incidents (append-only: the same id is the same one).
- `case_review_applications` merge by id like incidents: an application recorded on one laptop
  and decided on another keeps both steps; one whose steps were filled in differently on both
  sides is a conflict named `case_review_applications[<id>]`.
- `action_plan`: its `agreed_at` and `agreed_with` are units; its `actions` merge by id, an
  action changed on both sides differently being a conflict named `action_plan.actions[<id>]`.
- A person's `vulnerabilities` (the complainant, and each person involved or witness while the
  two sides list the same people) merge as a set: what either side added is kept, what one side
  removed since the base is removed; the rest of the person is a unit as before.
- `resolution_attempts` and `disclosures` (append-only entries without ids) merge by union of
  distinct entries: a disclosure recorded on either side is kept.
- `reopenings` (append-only, no ids) merge as a set by their entries: two laptops reopening the
  same case offline keep both reopenings; `status` and `closure` are units like the rest.
- `retention`: only its `legal_hold` merges (`destroy_after` is worked out again). A hold set
  anywhere holds: a laptop that set one since the base (or has no base) sets it here; only the
  central store releases one (`asb-central retention release`), so a laptop's false never
  lifts the server's true.
- With no base (the laptop never saw a server revision of a case the server has), every field
  that differs is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asb_desktop.domain.document import COMPUTED_KEYS, FACT_KEYS

# Lists of entries with ids: the same entry added on two laptops is one entry; different ones
# are all kept (union by id).
ENTRY_LISTS = frozenset(
    {"incidents", "entries", "risk_assessments", "case_review_applications", "attachments"}
)
PEOPLE_LISTS = frozenset({"involved", "witnesses"})
NEEDS = "vulnerabilities"
APPEND_ONLY_LISTS = frozenset({"resolution_attempts", "reopenings", "disclosures"})
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


def _merge_set(base: Any, server: Any, device: Any) -> list[Any]:
    """Three-way set merge: the server's, plus what the device added, less what it removed."""
    b, s, d = set(base or []), set(server or []), set(device or [])
    return sorted((s | (d - b)) - (b - d))


def _plain(person: Any) -> Any:
    return {k: v for k, v in person.items() if k != NEEDS} if isinstance(person, dict) else person


def _merge_person(name: str, base: Any, server: Any, device: Any, has_base: bool,
                  out: Merge) -> Any:  # fmt: skip
    """The person but their vulnerabilities is a unit (a conflict shows both whole values);
    their vulnerabilities merge as a set."""
    if not (isinstance(server, dict) and isinstance(device, dict)):
        return _pick(name, base, server, device, has_base, out)
    origin = base if isinstance(base, dict) else {}
    s, d = _plain(server), _plain(device)
    if d != s and has_base and s == _plain(origin):
        out.changed.append(name)
        plain = d
    elif d == s or (has_base and d == _plain(origin)):
        plain = s
    else:
        out.conflicts.append(Conflict(field=name, server_value=server, device_value=device))
        return server
    needs = _merge_set(origin.get(NEEDS), server.get(NEEDS), device.get(NEEDS))
    if needs != sorted(server.get(NEEDS) or []):
        out.changed.append(name)
    return {**plain, NEEDS: needs}


def _people(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(p, dict) for p in value)


def _merge_people(name: str, base: Any, server: Any, device: Any, has_base: bool,
                  out: Merge) -> Any:  # fmt: skip
    """While both sides list the same people, each one's vulnerabilities merge as a set;
    otherwise the list is a unit."""
    if device == server or not (_people(server) and _people(device)):
        return _pick(name, base, server, device, has_base, out)
    plain = [_plain(p) for p in server]
    if plain != [_plain(p) for p in device]:
        return _pick(name, base, server, device, has_base, out)
    same = has_base and _people(base) and [_plain(p) for p in base] == plain
    bases = base if same else [{}] * len(plain)
    merged = [
        {**_plain(s), NEEDS: _merge_set(b.get(NEEDS), s.get(NEEDS), d.get(NEEDS))}
        for b, s, d in zip(bases, server, device, strict=True)
    ]
    if merged != server:
        out.changed.append(name)
    return merged


_NO_PLAN: dict[str, Any] = {"agreed_at": None, "agreed_with": None, "actions": []}


def _merge_plan(base: Any, server: Any, device: Any, has_base: bool, out: Merge) -> Any:
    if server is None and device is None:
        return None
    b, s, d = base or _NO_PLAN, server or _NO_PLAN, device or _NO_PLAN
    merged = {
        key: _pick(f"action_plan.{key}", b.get(key), s.get(key), d.get(key), has_base, out)
        for key in ("agreed_at", "agreed_with")
    }
    merged["actions"] = _merge_entries(
        "action_plan.actions", b.get("actions"), s.get("actions"), d.get("actions"), has_base, out
    )
    return merged


def _held(retention: Any) -> bool:
    return isinstance(retention, dict) and retention.get("legal_hold") is True


def _merge_retention(base: Any, server: Any, device: Any, has_base: bool, out: Merge) -> Any:
    kept = server if isinstance(server, dict) else {"legal_hold": False}
    if _held(device) and not _held(server) and not (has_base and _held(base)):
        out.changed.append("retention")
        return {**kept, "legal_hold": True}
    return kept


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
        elif name == "complainant":
            out.facts[name] = _merge_person(name, b, s, d, has_base, out)
        elif name in PEOPLE_LISTS:
            out.facts[name] = _merge_people(name, b, s, d, has_base, out)
        elif name == "action_plan":
            out.facts[name] = _merge_plan(b, s, d, has_base, out)
        elif name == "retention":
            out.facts[name] = _merge_retention(b, s, d, has_base, out)
        else:
            out.facts[name] = _pick(name, b, s, d, has_base, out)
    # Entries changed in place count as a change of their list.
    out.changed = sorted({c.split("[", 1)[0].split(".", 1)[0] for c in out.changed})
    return out
