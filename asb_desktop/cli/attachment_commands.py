"""`asb-desktop attach CASE FILE [--incident ID] [--scrub|--no-scrub]`, `asb-desktop attachments
CASE` and `asb-desktop attachment get CASE ID -o FILE`: evidence on a case (services/attachments.py).

Only argparse at import time; the work is in the handlers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asb_desktop.cli.common import EXIT_OK, CommandError, add_command
from asb_desktop.cli.store_access import run_with_store

if TYPE_CHECKING:
    from asb_desktop.app import Services


def register(commands: Any) -> None:
    attach = add_command(
        commands,
        "attach",
        help="attach a photo, recording, video, PDF or office document to a case (kept "
        "encrypted; a photo's location and camera details removed unless --no-scrub)",
    )
    attach.add_argument("case", help="the case's reference or id")
    attach.add_argument("file", type=Path, help="the file to attach")
    attach.add_argument("--incident", metavar="ID", help="the incident it is evidence of")
    scrub = attach.add_mutually_exclusive_group()
    scrub.add_argument(
        "--scrub",
        dest="scrub",
        action="store_true",
        default=None,
        help="remove a photo's location and camera details (the default for photos)",
    )
    scrub.add_argument(
        "--no-scrub", dest="scrub", action="store_false", help="keep the photo exactly as given"
    )
    attach.set_defaults(handler=_attach)
    listing = add_command(commands, "attachments", help="list the evidence attached to a case")
    listing.add_argument("case", help="the case's reference or id")
    listing.set_defaults(handler=_list)
    attachment = add_command(commands, "attachment", help="get an attachment's bytes back")
    actions = attachment.add_subparsers(dest="action", required=True, metavar="ACTION")
    get = add_command(actions, "get", help="write an attachment to a new file")
    get.add_argument("case", help="the case's reference or id")
    get.add_argument("id", help="the attachment's id (from asb-desktop attachments)")
    get.add_argument("-o", "--output", type=Path, required=True, help="the file to write (new)")
    get.set_defaults(handler=_get)


def _run(args: argparse.Namespace, work: Any) -> int:
    def done(services: Services) -> int:
        from asb_desktop.domain.errors import InputError, ProcedureError
        from asb_desktop.services.casework import CaseRefused

        try:
            work(services)
        except ProcedureError as refusal:
            raise CommandError(str(refusal)) from None
        except (InputError, CaseRefused) as refused:
            raise CommandError(f"{refused}; nothing was attached") from None
        return EXIT_OK

    return run_with_store(args, done)


def _attach(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.exists():
        raise CommandError(f"{path}: no such file; nothing was attached.")
    if not path.is_file():
        raise CommandError(f"{path} is not a file; nothing was attached.")

    def work(services: Services) -> None:
        from asb_desktop.domain.attachment import kind_words, size_words
        from asb_desktop.services.attachments import attach

        added = attach(
            services.casework, args.case, path, incident_id=args.incident, scrub=args.scrub
        )
        scrubbed = (
            "location and camera details removed"
            if added.scrubbed
            else "stored as given (not scrubbed)"
        )
        print(
            f"Attached {added.name} to {args.case}: {kind_words(added.media_type)}, "
            f"{size_words(added.size)}, {scrubbed}; id {added.id}, SHA-256 {added.sha256}."
        )

    return _run(args, work)


def _list(args: argparse.Namespace) -> int:
    def work(services: Services) -> None:
        from asb_desktop.domain.attachment import kind_words, size_words
        from asb_desktop.domain.calendar import LONDON
        from asb_desktop.domain.wording import counted
        from asb_desktop.services.attachments import listed

        found = listed(services.casework, args.case)
        names = services.casework.names()
        if not found:
            print(f"Case {args.case} has no attachments.")
            return
        print(
            f"{'ID':<36}  {'NAME':<28} {'KIND':<22} {'SIZE':<10} {'ADDED (LONDON)':<16} "
            f"{'BY':<16} {'SHA-256':<12} SCRUBBED"
        )
        for item in found:
            a = item.attachment
            when = a.added_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
            if a.scrubbed:
                scrubbed = "yes: location and camera details removed"
            elif a.media_type.startswith("image/"):
                scrubbed = "no: kept as given"
            else:
                scrubbed = "no: not a photo, stored as given"
            if not item.here:
                scrubbed += " (bytes not on this laptop)"
            print(
                f"{a.id:<36}  {_cut(a.name, 28):<28} {kind_words(a.media_type):<22} "
                f"{size_words(a.size):<10} {when:<16} {_cut(names(a.added_by), 16):<16} "
                f"{a.sha256[:12]:<12} {scrubbed}"
            )
        print(f"{counted(len(found), 'attachment')}.")

    return _run(args, work)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _get(args: argparse.Namespace) -> int:
    from asb_desktop.cli.files import check_output_file, os_error_words

    output: Path = args.output
    check_output_file(output, example="evidence.jpg")
    if output.exists():
        raise CommandError(f"{output} already exists; nothing was written (choose a new name).")

    def work(services: Services) -> None:
        from asb_desktop.services.attachments import read_back

        _fetch_if_away(services, args.case, args.id)
        handle, temporary = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.name}.", suffix=".partial"
        )
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in read_back(services.casework, args.case, args.id):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.link(temporary, output)  # never over a file that appeared meanwhile
        except FileExistsError:
            raise CommandError(f"{output} already exists; nothing was written.") from None
        except OSError as error:
            raise CommandError(
                f"{output} could not be written: {os_error_words(error)}; nothing was written "
                "there."
            ) from None
        finally:
            Path(temporary).unlink(missing_ok=True)
        print(f"Wrote attachment {args.id} to {output}.", file=sys.stderr)

    return _run(args, work)


def _fetch_if_away(services: Services, case_ref: str, attachment_id: str) -> None:
    """Bytes this laptop does not hold (the case came by sync) are fetched from the central
    store first, checked by hash; offline, a sentence says so and nothing is written."""
    from asb_desktop.services.attachments import listed
    from asb_desktop.sync.client import SyncError

    here = {item.attachment.id: item.here for item in listed(services.casework, case_ref)}
    if here.get(attachment_id, True):
        return  # here already, or no such attachment: read_back says which
    try:
        fetched = services.sync.download_attachment(case_ref, attachment_id)
    except SyncError as error:
        raise CommandError(
            f"The bytes of attachment {attachment_id} are not on this laptop and could not be "
            f"fetched from the central store: {error} Nothing was written."
        ) from None
    print(f"Fetched {fetched:,} bytes of attachment {attachment_id} from the central store.",
          file=sys.stderr)  # fmt: skip
