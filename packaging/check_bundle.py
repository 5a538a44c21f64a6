"""List the Qt libraries and plugins inside a built bundle and fail on any that should not be there.

Usage: python3 packaging/check_bundle.py dist/asb-desktop
The spec already drops them; this looks at what actually landed in the folder (PyInstaller can
bring a library in as a dependency of something else), so a new import cannot grow the app
unnoticed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qt_selection import KEPT_PLUGINS, KEPT_QT_LIBRARIES, keep_file

_LIBRARY = re.compile(r"^(?:lib)?Qt6([A-Za-z0-9]+)\.(?:so(?:\.\d+)*|dll|dylib)$")
_MODULE = re.compile(r"^(Qt[A-Za-z0-9]+)\.(?:abi3\.so|pyd)$")


def inspect(bundle: Path) -> tuple[list[str], list[str], list[str], list[str]]:
    """(Qt libraries, PySide6 modules, plugins, problems) found in the bundle."""
    libraries, modules, plugins, problems = set(), set(), set(), []
    for path in sorted(bundle.rglob("*")):
        if path.is_dir():
            continue
        relative = path.relative_to(bundle).as_posix()
        library = _LIBRARY.match(path.name)
        if library:
            libraries.add(library.group(1))
            if library.group(1) not in KEPT_QT_LIBRARIES:
                problems.append(f"unexpected Qt library: {relative}")
        module = _MODULE.match(path.name)
        if module and "PySide6" in relative:
            modules.add(module.group(1))
        if "/plugins/" in f"/{relative}":
            folder = relative.split("plugins/", 1)[1].split("/")[0]
            plugins.add(f"{folder}/{path.name}")
            if folder not in KEPT_PLUGINS:
                problems.append(f"unexpected Qt plugin folder: {relative}")
        if not keep_file(relative):
            problems.append(f"excluded by the Qt selection but present: {relative}")
    return sorted(libraries), sorted(modules), sorted(plugins), problems


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print("usage: check_bundle.py BUNDLE_FOLDER", file=sys.stderr)
        return 2
    libraries, modules, plugins, problems = inspect(Path(argv[1]))
    print(f"Qt libraries ({len(libraries)}): {', '.join(libraries)}")
    print(f"PySide6 modules ({len(modules)}): {', '.join(modules)}")
    print(f"Qt plugins ({len(plugins)}): {', '.join(plugins)}")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
