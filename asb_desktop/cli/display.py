"""Whether Qt can open a window here. On Linux (and other X11/Wayland systems) Qt ends the
process, with no exception to catch, when the platform it wants has no display; so the window
and the self-test look first and say so in a sentence (the self-test then draws off screen).
"""

from __future__ import annotations

import os
import re
import sys

_LOCAL_X_DISPLAY = re.compile(r"^(?:unix)?:(\d+)(?:\.\d+)?$")


def missing_display() -> str | None:
    """Why no window can be shown here, in words, or None when one can (or Qt was told which
    platform to use with QT_QPA_PLATFORM, which is then Qt's to check)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("WAYLAND_DISPLAY"):
        return None
    display = os.environ.get("DISPLAY")
    if not display:
        return "there is no display here (DISPLAY and WAYLAND_DISPLAY are unset)"
    if not x_server_answers(display):
        return f"no X server answers on the display DISPLAY names ({display})"
    return None


def x_server_answers(display: str) -> bool:
    """For a local display (":0", "unix:1"): whether its X server's socket accepts a connection.
    A remote display (ssh forwarding, "host:10") is taken on trust."""
    match = _LOCAL_X_DISPLAY.match(display)
    if match is None:
        return True
    import socket

    path = f"/tmp/.X11-unix/X{match.group(1)}"
    for address in ("\0" + path, path):  # Linux's abstract socket first, then the file
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(2)
            try:
                probe.connect(address)
            except OSError:
                continue
            return True
    return False
