"""`asb-central`: set up and run the central store.

    asb-central [--db URL|FILE] init-db [--nation england_and_wales|scotland|northern_ireland]
    asb-central serve [--host 127.0.0.1] [--port 8443] [--workers 1] [--certfile F --keyfile F]
                      [--trusted-proxy ADDR]...   (X-Forwarded-For is believed only from these)
    asb-central user add --id ID --name NAME --role ROLE [--patch P]... [--scheme S]...
    asb-central user list
    asb-central directory import FILE      (an asb-directory/1 JSON file)
    asb-central enrol-device --user ID     (prints a one-time code: 24 hours, single use)
    asb-central device list [--user ID]
    asb-central revoke-device DEVICE_ID | --user ID [--retire]
                  (lost or stolen by default: nothing more is taken from it; --retire for a
                  leaver's or retired laptop: its unsent changes are taken once. Either way
                  the laptop deletes its local case database at its next contact.)
    asb-central device history DEVICE_ID
    asb-central presets import FILE | show   (the organisation's asb-desktop.defaults.json)
    asb-central retention review [--json] | apply [--dry-run] | hold CASE --reason TEXT |
                release CASE | period [--case-years N] [--reads-months N]   (retention_cli.py)
    asb-central erase-person CASE PERSON --reason TEXT [--by ID]
    asb-central rectify CASE PERSON FIELD VALUE --reason TEXT [--replace-mentions] [--by ID]
      (PERSON: complainant, involved:N or witness:N; see asb_central/erasure.py)
    asb-central subject-access --name NAME --address ADDRESS -o DIR [--by ID]
      (one PDF and one JSON of what is held about a person; asb_central/subject_access.py)
    asb-central figures [--from DATE] [--to DATE] [--json | --csv] [--xlsx FILE]
      (NM01 and the other figures; default this financial year so far; asb_central/figures.py)

The database is `--db`, else $ASB_CENTRAL_DB, else ./asb-central.sqlite3. A plain path means a
SQLite file; PostgreSQL is `postgresql+psycopg://user:password@host/dbname`.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from asb_central import figures, people, presets, retention_cli
from asb_central.db import (
    ENV_DB,
    Database,
    SetupError,
    check_schema,
    database_url,
    upgrade,
)
from asb_central.reassess import reassess_all
from asb_desktop.domain.calendar import Nation
from asb_desktop.domain.directory import Role, StaffMember, parse_directory
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.wording import counted
from asb_desktop.sync import protocol as p


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="asb-central", description="ASB central store")
    parser.add_argument("--db", help="database URL or SQLite file (default: $ASB_CENTRAL_DB)")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init-db", help="create or upgrade the database schema")
    init.add_argument("--nation", choices=[n.value for n in Nation], help="bank holidays to use")

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--certfile", help="TLS certificate (PEM); with --keyfile serves HTTPS")
    serve.add_argument("--keyfile", help="TLS private key (PEM)")
    serve.add_argument("--no-access-log", action="store_true", help="do not log each request")
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDR",
        help="an address (or network, 10.0.0.0/24) of a reverse proxy whose X-Forwarded-For and "
        "X-Forwarded-Proto headers are believed; repeatable; none by default, so every request "
        "is known by the address it really came from",
    )

    user = commands.add_parser("user", help="manage users (staff directory members)")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    add = user_commands.add_parser("add", help="add or update a user")
    add.add_argument("--id", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    add.add_argument("--patch", action="append", default=[])
    add.add_argument("--scheme", action="append", default=[])
    user_commands.add_parser("list", help="list users in directory order")

    directory = commands.add_parser("directory", help="manage the staff directory")
    directory_commands = directory.add_subparsers(dest="directory_command", required=True)
    load = directory_commands.add_parser("import", help="replace it from an asb-directory/1 file")
    load.add_argument("file", type=Path)

    enrol = commands.add_parser("enrol-device", help="print a one-time enrolment code")
    enrol.add_argument("--user", required=True, help="the user (staff id) the device belongs to")

    device = commands.add_parser("device", help="list devices")
    device_commands = device.add_subparsers(dest="device_command", required=True)
    listing = device_commands.add_parser("list")
    listing.add_argument("--user")
    history = device_commands.add_parser("history", help="a device's revocation audit")
    history.add_argument("device_id")

    revoke = commands.add_parser("revoke-device", help="stop a device at its next request")
    revoke.add_argument("device_id", nargs="?")
    revoke.add_argument("--user", help="revoke every device of this user (a lost laptop, a leaver)")
    revoke.add_argument(
        "--retire",
        action="store_true",
        help="a leaver's or retired laptop, still in safe hands: it may send its unsent changes "
        "once before it deletes its local store (default: lost or stolen, nothing more is taken)",
    )
    _erasure_parsers(commands)
    _subject_access_parser(commands)
    retention_cli.add_parser(commands)
    presets.add_parser(commands)
    figures.add_parser(commands)
    return parser


def _erasure_parsers(commands: Any) -> None:
    person = "complainant, involved:N or witness:N (N from 1, as the summary lists them)"
    erase = commands.add_parser("erase-person", help="anonymise a person in a case, everywhere")
    erase.add_argument("case", help="the case's reference (ASB-YYYY-NNNNNN) or id")
    erase.add_argument("person", help=person)
    rectify = commands.add_parser("rectify", help="correct one detail of a person in a case")
    rectify.add_argument("case", help="the case's reference (ASB-YYYY-NNNNNN) or id")
    rectify.add_argument("person", help=person)
    rectify.add_argument("field", help="name, address, phone, email, contact, description, ...")
    rectify.add_argument("value", help="the corrected value")
    rectify.add_argument(
        "--replace-mentions",
        action="store_true",
        help="also put the new value wherever the old one was typed in the case's text",
    )
    for command in (erase, rectify):
        command.add_argument("--reason", required=True, help="why (kept in the audit)")
        command.add_argument("--by", help="who asks, for the audit (default: this account)")


def _erasure(db: Database, args: argparse.Namespace) -> None:
    from asb_central import erasure

    by = (args.by or "").strip() or erasure.default_by()
    if args.command == "erase-person":
        done = erasure.erase(db, args.case, args.person, reason=args.reason, by=by)
        print(done.sentence(erasure.ERASE))
    else:
        done = erasure.rectify(
            db, args.case, args.person, args.field, args.value, reason=args.reason, by=by,
            replace_mentions=args.replace_mentions,
        )  # fmt: skip
        print(done.sentence(erasure.RECTIFY))


def _subject_access_parser(commands: Any) -> None:
    access = commands.add_parser(
        "subject-access", help="one PDF and one JSON of everything held about a person"
    )
    access.add_argument("--name", required=True, help="the person's name, as they give it")
    access.add_argument("--address", required=True, help="their address, as they give it")
    access.add_argument("-o", "--output", required=True, type=Path, help="a new folder to write in")
    access.add_argument(
        "--by", help="who produces it, for the disclosure log (default: this account)"
    )


def _subject_access(db: Database, args: argparse.Namespace) -> None:
    from asb_central import subject_access
    from asb_central.erasure import default_by
    from asb_desktop.domain.subject_access import Subject

    by = (args.by or "").strip() or default_by()
    subject = Subject(name=args.name, address=args.address)
    answer = subject_access.subject_access(db, subject, args.output, by=by)
    for line in subject_access.answer_lines(answer):
        print(line)


def trusted_proxies(values: list[str]) -> list[str]:
    """`--trusted-proxy` values as addresses or networks; anything else is a setup error."""
    out = []
    for value in values:
        text = value.strip()
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise SetupError(
                f"--trusted-proxy {value!r} is not an IP address or network (e.g. 10.0.0.5 or "
                "10.0.0.0/24)"
            ) from None
        out.append(str(network.network_address) if network.num_addresses == 1 else str(network))
    return out


def _serve(url: str, args: argparse.Namespace) -> int:
    import uvicorn

    if bool(args.certfile) != bool(args.keyfile):
        raise SetupError("give both --certfile and --keyfile, or neither")
    proxies = trusted_proxies(args.trusted_proxy)
    db = Database(url)

    check_schema(db)
    db.dispose()
    os.environ[ENV_DB] = url  # the workers build their app from it
    uvicorn.run(
        "asb_central.api:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        access_log=not args.no_access_log,
        log_level="info",
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 (or $FORWARDED_ALLOW_IPS) unless
        # told: a request's address (the enrolment rate limit's key) is the peer's own unless
        # the peer is a proxy the administrator listed.
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies,
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    url = database_url(args.db)
    if args.command == "init-db":
        revision = upgrade(url)
        db = Database(url)
        with db.read() as conn:
            before = people.nation(conn).value
        if args.nation:
            with db.write() as conn:
                people.set_setting(conn, "nation", args.nation)
        with db.read() as conn:
            chosen = people.nation(conn).value
        # Open cases' deadlines follow the nation at once (closed ones keep theirs).
        recomputed = f"; {counted(reassess_all(db), 'case')} recomputed" if chosen != before else ""
        db.dispose()
        print(f"database ready at schema {revision}; bank holidays: {chosen}{recomputed}")
        return 0
    if args.command == "serve":
        return _serve(url, args)
    db = Database(url)

    check_schema(db)
    if args.command == "user" and args.user_command == "add":
        member = StaffMember(
            id=args.id.strip(),
            name=args.name.strip(),
            roles=frozenset(Role(r) for r in args.role),
            patches=tuple(args.patch),
            schemes=tuple(args.scheme),
        )
        if not member.id or not member.name:
            raise InputError("--id/--name", "must not be empty")
        people.add_user(db, member)
        print(f"user {member.id} saved; {counted(reassess_all(db), 'case')} reassigned")
    elif args.command == "user":
        for member, active in people.list_users(db):
            roles = ",".join(sorted(r.value for r in member.roles))
            state = "" if active else "  (inactive)"
            print(f"{member.id}\t{member.name}\t{roles}\t{','.join(member.patches)}"
                  f"\t{','.join(member.schemes)}{state}")  # fmt: skip
    elif args.command == "directory":
        try:
            document = json.loads(args.file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SetupError(f"cannot read {args.file}: {exc}") from None
        parsed = parse_directory(document)
        version = people.import_directory(db, parsed)
        moved = reassess_all(db)
        print(f"directory imported: {len(parsed.staff)} staff (version {version}); "
              f"{counted(moved, 'case')} recomputed")  # fmt: skip
    elif args.command == "enrol-device":
        code = people.create_enrolment_code(db, args.user)
        print(code)
        print("one-time code for the device: valid for 24 hours, works once", file=sys.stderr)
    elif args.command == "device" and args.device_command == "history":
        for at, event, detail in people.device_history(db, args.device_id):
            print(f"{at:%Y-%m-%d %H:%M:%S}\t{event}\t{detail}".rstrip())
    elif args.command == "device":
        for row in people.list_devices(db, args.user):
            print(f"{row.id}\t{row.user_id}\t{row.name}\t{people.device_state(row)}")
    elif args.command == "revoke-device":
        if bool(args.device_id) == bool(args.user):
            raise SetupError("give a DEVICE_ID or --user ID (one of them)")
        mode = p.REVOKED_RETIRE if args.retire else p.REVOKED_LOST
        count = people.revoke_devices(db, device_id=args.device_id, user_id=args.user, mode=mode)
        if count == 0:
            raise SetupError(f"no active device {args.device_id or 'for user ' + args.user}")
        then = (
            "it may send its unsent changes once, then deletes its local case database"
            if args.retire
            else "nothing more is taken from it; it deletes its local case database"
        )
        print(f"{counted(count, 'device')} revoked ({mode}): at its next contact {then}")
    elif args.command in ("erase-person", "rectify"):
        _erasure(db, args)
    elif args.command == "subject-access":
        _subject_access(db, args)
    elif args.command == "retention":
        retention_cli.run(db, args)
    elif args.command == "figures":
        figures.run(db, args)
    elif args.command == "presets":
        for line in presets.run(db, args):
            print(line)
        if args.presets_command == "import":  # open cases follow the numbers at once
            print(f"presets imported; {counted(reassess_all(db), 'case')} recomputed")
    db.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (SetupError, LookupError) as exc:
        message = exc.args[0] if exc.args else str(exc)
        print(f"asb-central: {message}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"asb-central: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        print(f"asb-central: database error ({type(exc).__name__}): {reason}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
