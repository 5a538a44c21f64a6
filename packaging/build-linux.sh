#!/usr/bin/env bash
# Build ASB Desktop for Linux: a one-folder app in dist/asb-desktop/, a tarball beside it, its
# size, a check that no unused Qt module slipped in, and the frozen self-test run off screen.
#
#   bash packaging/build-linux.sh          (from the repository root of a clean clone)
#
# Installs the app's dependencies and PyInstaller from PyPI into the current Python if missing
# (set PYTHON=/path/to/python3 to use another interpreter, e.g. a venv's). Exit code 0 only when
# the build, the bundle check and the frozen self-test all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
PYINSTALLER_REQUIREMENT="${PYINSTALLER_REQUIREMENT:-pyinstaller>=6,<7}"

version="$("$PYTHON" -c 'import re, pathlib; print(re.search(r"__version__ = \"(.+?)\"", pathlib.Path("asb_desktop/__init__.py").read_text()).group(1))')"
arch="$(uname -m)"
bundle="dist/asb-desktop"
tarball="dist/asb-desktop-${version}-linux-${arch}.tar.gz"

echo "== dependencies"
"$PYTHON" -m pip install -q -e .
"$PYTHON" -c "import PyInstaller" 2>/dev/null || "$PYTHON" -m pip install -q "$PYINSTALLER_REQUIREMENT"
"$PYTHON" -m PyInstaller --version | sed 's/^/PyInstaller /'

echo "== build ($version, $arch)"
started=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/asb-desktop.spec
echo "built in $(( $(date +%s) - started )) s"

echo "== desktop entry, icon, installer script"
cp packaging/linux/asb-desktop.desktop packaging/icons/asb-desktop.png packaging/linux/install.sh "$bundle/"
cp packaging/asb-desktop.defaults.example.json "$bundle/"

echo "== Qt inside the bundle"
"$PYTHON" packaging/check_bundle.py "$bundle"

echo "== tarball"
tar -C dist --owner=0 --group=0 --numeric-owner -czf "$tarball" asb-desktop
echo "bundle size: $(du -sh "$bundle" | cut -f1) ($(du -sb "$bundle" | cut -f1) bytes), tarball: $(du -h "$tarball" | cut -f1) -> $tarball"

echo "== frozen self-test (QT_QPA_PLATFORM=offscreen, outside the source tree, no Python on PATH)"
bundle_path="$(pwd)/$bundle"
(
  cd /
  env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen \
    timeout 300 "$bundle_path/asb-desktop" self-test
)
