"""Headless sync commands: `asb-desktop enrol URL CODE [--ca-bundle FILE]` and `asb-desktop sync`.

Only argparse at import time (cli.py imports this on every start); the work is in the handlers.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_OK, EXIT_FAILED = 0, 1


def register(commands: Any) -> None:
    enrol = commands.add_parser(
        "enrol", help="connect this laptop to a central store with a one-time code"
    )
    enrol.add_argument("url", help="the central store's address, e.g. https://asb.example.org")
    enrol.add_argument("code", help="the one-time code from `asb-central enrol-device`")
    enrol.add_argument(
        "--ca-bundle", help="PEM file of your organisation's certificate authority, if it has one"
    )
    enrol.set_defaults(handler=_enrol)
    sync = commands.add_parser(
        "sync", help="send waiting changes to the central store and receive the caseload"
    )
    sync.add_argument(
        "--batch-size", type=int, default=250, help="changes per request (1-500; default 250)"
    )
    sync.set_defaults(handler=_sync)


def _services(args: argparse.Namespace) -> Any:
    from asb_desktop.app import open_services

    return open_services(args.data_dir)


def _enrol(args: argparse.Namespace) -> int:
    from asb_desktop.sync.client import SyncError

    services = _services(args)
    try:
        user = services.sync.enrol(args.url, args.code, ca_bundle=args.ca_bundle)
        location = _where(services)
    except (ValueError, SyncError) as error:
        print(f"asb-desktop: {error} Nothing was changed.", file=sys.stderr)
        return EXIT_FAILED
    finally:
        services.close()
    print(f"Connected to {args.url.rstrip('/')} as {user.name} ({user.id}).")
    print(f"The device token is kept in {location}.")
    return EXIT_OK


def _where(services: Any) -> str:
    from asb_desktop.store.settings import get_setting
    from asb_desktop.sync.vault import LOCATION_SETTING

    with services.store.read() as conn:
        where = get_setting(conn, LOCATION_SETTING)
    return "this computer's keyring" if where == "keyring" else "the encrypted case database"


def _sync(args: argparse.Namespace) -> int:
    if not 1 <= args.batch_size <= 500:
        print("asb-desktop: --batch-size must be between 1 and 500", file=sys.stderr)
        return 2
    from asb_desktop.sync.service import SyncService

    services = _services(args)
    sync = SyncService(services.casework, batch_size=args.batch_size)
    try:
        summary = sync.sync(force=True)
    finally:
        sync.engine.forget_client()
        services.close()
    for line in summary.lines():
        print(line)
    return EXIT_OK if summary.ok else EXIT_FAILED
