"""The window's services, made after its first page is on screen (issue 17).

The services, and SQLAlchemy under them, took a third of a start to import. A store opened for
the window on the driver alone (`Store.open_for_window`) shows its first page first; this
stands in for the services until then. What the window needs before they exist (the data
folder, the store, the organisation's presets, the notices) it has already; anything else
asked of it makes the services there and then (waiting for a load already under way), so
nothing the officer does is ever refused for being early. `load_behind` makes them on a
thread of their own, so the window stays responsive meanwhile."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from asb_desktop.app import Services
    from asb_desktop.store.database import Store
    from asb_desktop.support.presets import Presets

# Loaded on the thread too, for the window's own use once the services are made (the lock
# screen, today's reminders, the start-up facts), so that does not stall the window either.
ALSO_LOADED = (
    "asb_desktop.ui.lock.lock_screen",
    "asb_desktop.ui.reminders",
    "asb_desktop.services.team_view",
)


def _now() -> datetime:
    return datetime.now(UTC)  # services/casework.now_utc, not imported for it


class LateServices:
    def __init__(
        self,
        store: Store,
        presets: Presets,
        build: Callable[[], Services],
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`clock`: the services' clock (the first page's deadlines are said as of it)."""
        self.store = store
        self.clock: Callable[[], datetime] = clock or _now
        self.data_dir: Path = store.data_dir
        self.presets = presets
        self.notices: list[str] = []
        self._build = build
        self._made: Services | None = None
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def services(self) -> Services:
        """The services, made now if no one has made them yet (raises what making them met)."""
        with self._lock:
            if self._made is None and self._error is None:
                try:
                    self._made = self._build()
                except BaseException as error:
                    self._error = error
            if self._error is not None:
                raise self._error
            assert self._made is not None
            return self._made

    def load_behind(self) -> None:
        """Make the services on a thread of their own (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._load, name="services-load", daemon=True)
            self._thread.start()

    def _load(self) -> None:
        try:
            self.services()
            for name in ALSO_LOADED:
                importlib.import_module(name)
        except BaseException:  # kept: the window hears of it from `problem`, and says it
            return

    @property
    def ready(self) -> bool:
        """Made (or failed) and the thread done: the window may go on."""
        thread = self._thread
        done = thread is None or not thread.is_alive()
        return done and (self._made is not None or self._error is not None)

    @property
    def problem(self) -> BaseException | None:
        return self._error

    def close(self) -> None:
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            made = self._made
        if made is not None:
            made.close()
        else:
            self.store.close()

    def __getattr__(self, name: str) -> Any:
        # Only for what is not set above: everything else is the services' own.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.services(), name)
