"""Composition root: builds the services once and hands them to the GUI or the commands."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asb_desktop.casework import Casework
from asb_desktop.config import local_user, resolve_data_dir
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider, PassphrasePrompt


@dataclass
class Services:
    data_dir: Path
    store: Store
    casework: Casework

    def close(self) -> None:
        self.store.close()


def open_services(
    data_dir: str | Path | None = None,
    *,
    prompt: PassphrasePrompt | None = None,
    actor: str | None = None,
) -> Services:
    """Open the encrypted store for this data folder; raises StoreError/KeyUnavailableError."""
    folder = resolve_data_dir(data_dir)
    store = Store.open(folder, KeyProvider(folder, prompt=prompt))
    return Services(
        data_dir=folder, store=store, casework=Casework(store, actor=actor or local_user())
    )
