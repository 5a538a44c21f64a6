"""Where the shipped resources (fonts, logo, icons, schema, demo directory) live.

They sit in the repository's top-level `resources/` folder; an installed copy carries that folder
inside the package as `asb_desktop/resources/` (see setup.py), which is looked at first.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # asb_desktop/
_CANDIDATES = (_PACKAGE / "resources", _PACKAGE.parent / "resources")


def resource_path(*parts: str) -> Path:
    """The first existing `resources/<parts>`; raises FileNotFoundError naming what is missing."""
    for base in _CANDIDATES:
        path = base.joinpath(*parts)
        if path.exists():
            return path
    wanted = "/".join(parts)
    raise FileNotFoundError(f"resources/{wanted} is missing from this installation")
