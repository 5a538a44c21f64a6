"""Headless sync commands: `asb-desktop enrol URL CODE [--ca-bundle FILE]` and `asb-desktop sync`.

A laptop the central store revoked (its answer proved) is told in a sentence, its case database
is deleted once closed, and `sync` exits non-zero.

Only argparse at import time (cli/main.py imports this on every start); the work is in the
handlers. `enrol` makes a store if there is none; `sync` needs an enrolled one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asb_desktop.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CommandError, add_command
from asb_desktop.cli.store_access import run_with_store

if TYPE_CHECKING:
    from asb_desktop.app import Services


def register(commands: Any) -> None:
    enrol = add_command(
        commands, "enrol", help="connect this laptop to a central store with a one-time code"
    )
    enrol.add_argument("url", help="the central store's address, e.g. https://asb.example.org")
    enrol.add_argument("code", help="the one-time code from `asb-central enrol-device`")
    enrol.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="PEM file of your organisation's certificate authority, if it has one",
    )
    enrol.set_defaults(handler=_enrol)
    sync = add_command(
        commands, "sync", help="send waiting changes to the central store and receive the caseload"
    )
    sync.add_argument(
        "--batch-size", type=int, default=500, help="changes per request (1-500; default 500)"
    )
    sync.set_defaults(handler=_sync)


def _enrol(args: argparse.Namespace) -> int:
    if args.ca_bundle is not None:
        bundle = Path(args.ca_bundle)
        if not bundle.is_file():
            why = "is a folder, not a file" if bundle.is_dir() else "no such file"
            raise CommandError(f"--ca-bundle {bundle}: {why}; nothing was changed.")
    return run_with_store(args, lambda services: _enrolled(services, args), create=True)


def _enrolled(services: Services, args: argparse.Namespace) -> int:
    from asb_desktop.sync.client import SyncError

    try:
        user = services.sync.enrol(args.url, args.code, ca_bundle=args.ca_bundle)
        location = _where(services)
    except (ValueError, SyncError) as error:
        print(f"asb-desktop: {error} Nothing was changed.", file=sys.stderr)
        return EXIT_FAILED
    print(f"Connected to {args.url.rstrip('/')} as {user.name} ({user.id}).")
    print(f"The device token is kept in {location}.")
    return EXIT_OK


def _where(services: Services) -> str:
    from asb_desktop.store.settings import get_setting
    from asb_desktop.sync.vault import LOCATION_SETTING

    with services.store.read() as conn:
        where = get_setting(conn, LOCATION_SETTING)
    return "this computer's keyring" if where == "keyring" else "the encrypted case database"


def _sync(args: argparse.Namespace) -> int:
    if not 1 <= args.batch_size <= 500:
        raise CommandError("--batch-size must be between 1 and 500.", code=EXIT_USAGE)

    def not_enrolled(folder: Path) -> int:
        print(
            f"Not connected to a central store yet. There is no case database in {folder}: "
            "connect this laptop with `asb-desktop enrol URL CODE`."
        )
        return EXIT_FAILED

    withdrawn: list[Path] = []

    def work(services: Services) -> int:
        from asb_desktop.sync.service import SyncService

        sync = SyncService(services.casework, batch_size=args.batch_size)
        try:
            summary = sync.sync(force=True)
        finally:
            sync.engine.forget_client()
        for line in summary.lines():
            print(line, file=sys.stderr if summary.withdrawn else sys.stdout)
        if summary.withdrawn:
            withdrawn.append(services.data_dir)  # deleted once the store is closed
        return EXIT_OK if summary.ok else EXIT_FAILED

    code = run_with_store(args, work, missing=not_enrolled)
    for folder in withdrawn:
        from asb_desktop.sync.withdrawal import delete_local_store

        try:
            delete_local_store(folder)
        except OSError as error:
            raise CommandError(
                f"the case database in {folder} could not all be deleted ({error.strerror}): "
                "delete that folder by hand, and tell your IT service."
            ) from None
        print(f"asb-desktop: the case database in {folder} was deleted.", file=sys.stderr)
    return code
