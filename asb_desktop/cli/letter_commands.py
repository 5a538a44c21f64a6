"""`asb-desktop letter CASE --kind acknowledgement|update|closure -o FILE [--docx] [--text TEXT]`:
a letter to the complainant, merged from the case and the organisation's wording (presets).

The output path is checked before the store is opened. The file is written whole under a hidden
name beside FILE, the letter is then recorded on the case (an entry and a disclosure to the
complainant), then the file is renamed into place: a failure leaves no file and records nothing.
Refused in a sentence (exit 1) for an anonymous complainant (5.8) and when the adjustments agreed
with the complainant rule letters out; large print is honoured.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asb_desktop.cli.common import EXIT_OK, EXIT_USAGE, CommandError, add_command
from asb_desktop.cli.store_access import run_with_store

if TYPE_CHECKING:
    from asb_desktop.app import Services

KINDS = ("acknowledgement", "update", "closure")


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "letter",
        help="a letter to the complainant (acknowledgement, update or closure), as PDF or DOCX",
    )
    parser.add_argument("case", help="the case id or its reference (ASB-YYYY-NNNNNN)")
    parser.add_argument("--kind", choices=KINDS, required=True, help="which letter")
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, required=True, help="the file to write"
    )
    parser.add_argument(
        "--docx", action="store_true", help="a Word document to edit before sending (not a PDF)"
    )
    parser.add_argument(
        "--text",
        metavar="TEXT",
        help="your own paragraph, after the opening one (for an update: what has happened)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from asb_desktop.cli.files import check_output_file

    output: Path = args.output
    suffix = ".docx" if args.docx else ".pdf"
    if output.suffix.lower() not in (".pdf", ".docx") and not output.is_dir():
        raise CommandError(
            f"{output} should end in {suffix}, the kind of file written; nothing was written.",
            code=EXIT_USAGE,
        )
    if output.suffix.lower() in (".pdf", ".docx") and output.suffix.lower() != suffix:
        other = "--docx makes a Word document (.docx)" if args.docx else "without --docx"
        raise CommandError(
            f"{output} ends in {output.suffix}, but {other}"
            f"{' a PDF is made (.pdf)' if not args.docx else ''}; nothing was written.",
            code=EXIT_USAGE,
        )
    check_output_file(output, example=f"letter{suffix}")

    def missing(folder: Path) -> int:
        from asb_desktop.cli.store_access import no_store

        raise CommandError(f"no case with id or reference {args.case!r}: {no_store(folder)}")

    return run_with_store(args, lambda services: _letter(services, args), missing=missing)


def _letter(services: Services, args: argparse.Namespace) -> int:
    from asb_desktop.cli.files import os_error_words
    from asb_desktop.domain.errors import ProcedureError
    from asb_desktop.domain.letters import LetterKind
    from asb_desktop.reports.letters import produce_letter
    from asb_desktop.services.letters import LetterRequest

    case = services.casework.case(args.case)
    if case is None:
        raise CommandError(f"no case with id or reference {args.case!r}; nothing was written.")
    request = LetterRequest(case.id, LetterKind(args.kind), docx=args.docx, extra=args.text)
    branding = services.branding()
    path: Path = args.output
    try:
        letter, warnings = produce_letter(
            services.casework,
            request,
            path,
            branding=branding,
            wording=_presets(services).letter_wording,
            officer=services.officer.display_name(),
        )
    except ProcedureError as error:
        raise CommandError(f"{error} Nothing was written.", cause=error) from None
    except OSError as error:
        raise CommandError(
            f"{path} could not be written: {os_error_words(error)}; nothing was written there "
            "and nothing was recorded on the case.",
            cause=error,
        ) from None
    for warning in warnings:
        print(f"asb-desktop letter: warning: {warning}", file=sys.stderr)
    size = " in large print" if letter.large_print else ""
    print(f"Wrote the {args.kind} letter{size} to {path}.")
    entry = "an update given to" if letter.kind is LetterKind.UPDATE else "a contact with"
    print(f"Recorded on the case as {entry} the complainant, and in its disclosure log.")
    return EXIT_OK


def _presets(services: Services) -> Any:
    """The organisation's presets as the window reads them (a bad file: the built-in wording)."""
    from asb_desktop.support.presets import PresetError, load_presets

    if services.presets.source is not None:
        return services.presets
    try:
        return load_presets()
    except PresetError as error:
        print(
            f"asb-desktop letter: warning: {error}; the built-in letter wording is used.",
            file=sys.stderr,
        )
        return services.presets
