"""`asb-desktop subject-access`: everything this laptop's store holds about one person, for a
laptop-only install (an organisation with a central store runs `asb-central subject-access`).

Writes `subject-access.pdf` and `subject-access.json` into the folder given (a folder per
request; the names carry no person's name), and never over files already there. A person found in no case is a valid answer: both files say that nothing is held. Each
case included gets a disclosure (`to`: the person, profile and what `subject_access`), recorded
once both files are whole on disk and before they are put in place.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asb_desktop.cli.common import EXIT_OK, EXIT_USAGE, CommandError, add_command
from asb_desktop.cli.store_access import run_with_store
from asb_desktop.domain.wording import counted

if TYPE_CHECKING:
    from asb_desktop.app import Services


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "subject-access",
        help="one PDF and one JSON of everything held about a person (a subject access request)",
    )
    parser.add_argument("--name", required=True, help="the person's name, as they give it")
    parser.add_argument("--address", required=True, help="their address, as they give it")
    parser.add_argument(
        "-o", "--output", metavar="DIR", type=Path, required=True, help="the folder to write in"
    )
    parser.set_defaults(handler=run)


def output_paths(folder: Path) -> tuple[Path, Path]:
    return folder / "subject-access.pdf", folder / "subject-access.json"


def run(args: argparse.Namespace) -> int:
    from asb_desktop.cli.files import check_output_folder
    from asb_desktop.domain.subject_access import Subject

    subject = Subject(name=args.name, address=args.address)
    problem = subject.problem()
    if problem is not None:
        raise CommandError(f"{problem}; nothing was written.", code=EXIT_USAGE)
    check_output_folder(args.output)
    for path in output_paths(args.output):
        if path.exists():
            raise CommandError(
                f"{path} is already there: give a new folder for this request (or move the old "
                "files away); nothing was written."
            )
    return run_with_store(args, lambda services: _answer(services, args, subject))


def _answer(services: Services, args: argparse.Namespace, subject: Any) -> int:
    from asb_desktop.cli.files import os_error_words, write_pair
    from asb_desktop.domain.disclosure import DisclosureProfile, DisclosureWhat
    from asb_desktop.domain.errors import ProcedureError
    from asb_desktop.domain.subject_access import find_subject, subject_access_document
    from asb_desktop.domain.timestamps import format_timestamp
    from asb_desktop.reports.subject_access import build_subject_access_pdf
    from asb_desktop.services.disclosures import record_disclosures

    work = services.casework
    now = work.clock()
    pdf_path, json_path = output_paths(args.output)
    found = find_subject(work.documents(), subject)
    produced_by = services.officer.display_name()
    document = subject_access_document(
        found, subject, produced_at=format_timestamp(now), produced_by=produced_by
    )
    pdf = build_subject_access_pdf(document, produced_by=produced_by, produced_at=now)
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def record() -> None:
        try:
            record_disclosures(
                work,
                found.case_ids,
                to=subject.name,
                profile=DisclosureProfile.SUBJECT_ACCESS,
                what=DisclosureWhat.SUBJECT_ACCESS,
            )
        except ProcedureError as error:
            raise CommandError(f"{error} Nothing was written.", cause=error) from None

    made = not args.output.exists()
    if made:
        args.output.mkdir()  # one new folder, in a folder that is there (checked before)
    try:
        write_pair([(pdf_path, pdf), (json_path, data)], before_rename=record)
    except BaseException as error:
        if made and not any(args.output.iterdir()):
            args.output.rmdir()
        if not isinstance(error, OSError):
            raise
        raise CommandError(
            f"the subject access files could not be written in {args.output}: "
            f"{os_error_words(error)}; nothing was written and nothing was recorded.",
            cause=error,
        ) from None
    if found.cases:
        print(
            f"Wrote {pdf_path} and {json_path}: the person is in {counted(len(found.cases), 'case')}; "
            "each records this disclosure."
        )
    else:
        print(f"Wrote {pdf_path} and {json_path}: no case holds this person (both say so).")
    for partial in found.partial:
        label = partial.reference or f"case {partial.case_id}"
        other = "another address" if partial.matched == "name" else "another name"
        print(
            f"Not included: {label} has a {partial.role} with the same {partial.matched} and "
            f"{other}; check it by hand."
        )
    return EXIT_OK
