#!/usr/bin/env bash
# Install the unpacked ASB Desktop tarball system-wide (run as root from inside the unpacked
# folder): the app in /opt/asb-desktop, a menu entry, the icon, and `asb-desktop` on the PATH.
# Remove with: rm -rf /opt/asb-desktop /usr/share/applications/asb-desktop.desktop \
#   /usr/share/icons/hicolor/256x256/apps/asb-desktop.png /usr/local/bin/asb-desktop
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prefix="${PREFIX:-/opt/asb-desktop}"
rm -rf "$prefix"
mkdir -p "$prefix"
cp -a "$here/." "$prefix/"
install -Dm644 "$here/asb-desktop.desktop" /usr/share/applications/asb-desktop.desktop
install -Dm644 "$here/asb-desktop.png" /usr/share/icons/hicolor/256x256/apps/asb-desktop.png
ln -sf "$prefix/asb-desktop" /usr/local/bin/asb-desktop
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
echo "ASB Desktop installed in $prefix. Check it with: asb-desktop self-test"
