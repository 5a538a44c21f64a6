"""Each layer imports only the layers below it (docs/architecture.md):

    domain ← support ← store ← services ← sync / reports ← app ← ui ← cli

and the central service only `asb_desktop.domain` and the wire protocol. Imports inside
functions count too: a lazy import is still an arrow. Read from the source, so nothing runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import REPO

RANKS = {
    "domain": 0,
    "support": 1,
    "store": 2,
    "services": 3,
    "sync": 4,
    "reports": 4,
    "app": 5,
    "ui": 6,
    "cli": 7,
}
PROTOCOL = "asb_desktop.sync.protocol"
DESKTOP_ONLY = ("PySide6", "shiboken6", "sqlcipher3", "reportlab", "keyring")
NO_QT_BELOW_UI = ("PySide6", "shiboken6")
PURE_DOMAIN_FORBIDS = (*DESKTOP_ONLY, "sqlalchemy", "alembic", "httpx", "fastapi", "platformdirs")


def layer_of(module: str) -> str | None:
    """The layer a module of ours belongs to ('central' for the central service)."""
    parts = module.split(".")
    if parts[0] == "asb_central":
        return "central"
    if parts[0] != "asb_desktop" or len(parts) == 1:
        return None  # the package itself (its version) and outside modules
    return parts[1] if parts[1] in RANKS else None


def imports_of(source: str, module: str) -> list[tuple[int, str]]:
    """(line, imported module) for every import statement, at any depth."""
    package = module.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            # `from asb_desktop.sync import protocol` names a module, not only a package
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def problem(importer: str, imported: str) -> str | None:
    """Why `importer` may not import `imported`, or None when it may."""
    source_layer, target_layer = layer_of(importer), layer_of(imported)
    top = imported.split(".")[0]
    if source_layer == "central":
        if top in DESKTOP_ONLY:
            return f"the central service must install without {top}"
        if target_layer in (None, "central"):
            return None
        if target_layer == "domain" or imported.startswith(PROTOCOL):
            return None
        if imported == "asb_desktop.sync":
            return None  # the package holding the protocol; its own imports are checked
        return "the central service shares only domain/ and the wire protocol"
    if source_layer is None:
        return None
    if importer.startswith(PROTOCOL) and target_layer not in (None, "domain"):
        return "the wire protocol is shared with the central service: it imports only domain/"
    if source_layer == "domain" and top in PURE_DOMAIN_FORBIDS:
        return f"domain/ is pure Python: no {top}"
    if RANKS[source_layer] < RANKS["ui"] and top in NO_QT_BELOW_UI:
        return f"{source_layer}/ is below the window: no {top}"
    if target_layer == "central":
        return "the desktop never imports the central service"
    if target_layer is None or target_layer == source_layer:
        return None
    if RANKS[target_layer] >= RANKS[source_layer]:
        return f"{source_layer}/ may not import {target_layer}/ (a layer above or beside it)"
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def violations() -> list[str]:
    found = []
    for package in ("asb_desktop", "asb_central"):
        for path in sorted((REPO / package).rglob("*.py")):
            module = module_name(path)
            for line, imported in imports_of(path.read_text(encoding="utf-8"), module):
                why = problem(module, imported)
                if why:
                    found.append(f"{path.relative_to(REPO)}:{line} imports {imported}: {why}")
    return found


def test_no_module_imports_a_layer_above_it() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("asb_desktop.store.cases", "asb_desktop.ui.main_window"),
        ("asb_desktop.domain.case", "asb_desktop.store.tables"),
        ("asb_desktop.services.casework", "asb_desktop.app"),
        ("asb_desktop.sync.service", "asb_desktop.reports.summary"),
        ("asb_desktop.ui.main_window", "asb_desktop.cli.main"),
        ("asb_desktop.domain.case", "sqlalchemy"),
        ("asb_desktop.services.casework", "PySide6.QtCore"),
        ("asb_desktop.sync.protocol", "asb_desktop.store.tables"),
        ("asb_central.api", "asb_desktop.services.casework"),
        ("asb_central.api", "keyring"),
        ("asb_desktop.store.cases", "asb_central.tables"),
    ],
)
def test_an_upward_or_sideways_import_is_caught(importer: str, imported: str) -> None:
    assert problem(importer, imported) is not None


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("asb_desktop.ui.main_window", "asb_desktop.app"),
        ("asb_desktop.cli.selftest", "asb_desktop.ui.main_window"),
        ("asb_desktop.services.casework", "asb_desktop.store.cases"),
        ("asb_desktop.store.settings", "asb_desktop.support.config"),
        ("asb_central.api", "asb_desktop.sync.protocol"),
        ("asb_central.push_handler", "asb_desktop.domain.procedure"),
    ],
)
def test_a_downward_import_is_allowed(importer: str, imported: str) -> None:
    assert problem(importer, imported) is None


def test_a_lazy_import_inside_a_function_counts() -> None:
    source = "def later():\n    from asb_desktop.ui.main_window import MainWindow\n"
    found = imports_of(source, "asb_desktop.store.cases")
    assert (2, "asb_desktop.ui.main_window") in found
