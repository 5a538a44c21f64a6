"""`asb-desktop erase-person CASE PERSON --reason TEXT` and `asb-desktop rectify CASE PERSON
FIELD VALUE --reason TEXT [--replace-mentions]`: for a laptop-only install's administrator
(services/erasure.py). With a central store, the same commands are `asb-central`'s.

Only argparse at import time; the work is in the handlers.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from asb_desktop.cli.common import EXIT_OK, CommandError, add_command
from asb_desktop.cli.store_access import run_with_store

if TYPE_CHECKING:
    from asb_desktop.app import Services

PERSON_HELP = "complainant, involved:N or witness:N (N from 1, as the summary lists them)"


def register(commands: Any) -> None:
    erase = add_command(
        commands,
        "erase-person",
        help="anonymise a person in a case: name, contacts, needs and every mention "
        "(a laptop-only install's administrator)",
    )
    erase.add_argument("case", help="the case's reference or id")
    erase.add_argument("person", help=PERSON_HELP)
    erase.set_defaults(handler=_erase)
    rectify = add_command(
        commands,
        "rectify",
        help="correct one detail of a person in a case (a laptop-only install's administrator)",
    )
    rectify.add_argument("case", help="the case's reference or id")
    rectify.add_argument("person", help=PERSON_HELP)
    rectify.add_argument("field", help="name, address, phone, email, contact, description, ...")
    rectify.add_argument("value", help="the corrected value")
    rectify.add_argument(
        "--replace-mentions",
        action="store_true",
        help="also put the new value wherever the old one was typed in the case's text",
    )
    rectify.set_defaults(handler=_rectify)
    for command in (erase, rectify):
        command.add_argument("--reason", required=True, help="why (kept in the audit)")


def _run(args: argparse.Namespace, work: Any) -> int:
    def done(services: Services) -> int:
        from asb_desktop.domain.errors import InputError
        from asb_desktop.services.casework import CaseRefused
        from asb_desktop.services.erasure import LocalErasure, NotAllowed

        try:
            print(work(LocalErasure(services.casework)))
        except NotAllowed as refusal:
            raise CommandError(str(refusal)) from None
        except InputError as error:
            raise CommandError(f"{error}; nothing was changed", code=2) from None
        except CaseRefused as refused:
            raise CommandError(f"{refused}; nothing was changed") from None
        return EXIT_OK

    return run_with_store(args, done)


def _erase(args: argparse.Namespace) -> int:
    return _run(args, lambda e: e.erase(args.case, args.person, reason=args.reason))


def _rectify(args: argparse.Namespace) -> int:
    return _run(
        args,
        lambda e: e.rectify(
            args.case, args.person, args.field, args.value, reason=args.reason,
            mentions=args.replace_mentions,
        ),
    )  # fmt: skip
