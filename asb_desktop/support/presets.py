"""Organisation-wide defaults that IT sets once for every laptop: `asb-desktop.defaults.json`.

IT puts one small JSON file either beside the executable (for a copied folder or a network
share) or in the system configuration folder (for a managed install), so officers never have to
type the central store's address or choose a bank-holiday nation. Example:

    {
      "format": "asb-desktop-defaults/1",
      "organisation_name": "Connexus Housing",
      "organisation_logo": "connexus-logo.png",
      "central_store_url": "https://asb.connexus.example/",
      "bank_holiday_nation": "england_and_wales",
      "idle_lock_minutes": 5,
      "locked": ["central_store_url"],
      "update_working_days": 10,
      "update_working_days_high_risk": 5,
      "case_review_threshold": 3,
      "case_review_window_months": 6,
      "case_review_one_hate_incident": false,
      "case_review_same_place_reporters": 5,
      "case_review_decision_working_days": 10,
      "attachment_max_mb": 200,
      "scrub_photos": true,
      "letter_acknowledgement": "Thank you for reporting anti-social behaviour on {received_date}. ...",
      "letter_update": "We are writing to update you on case {reference}. ...",
      "letter_closure": "We closed your case {reference} on {closed_date}. The outcome: {outcome}.",
      "letter_sign_off": "Yours sincerely"
    }

Every key but "format" is optional. A relative logo path is read beside the preset file.
"locked" names settings an officer may not change in Settings. The case-management numbers
(the update cadence, the ASB Case Review's threshold and window, one hate incident being
enough) are the organisation's alone: Settings never offers them. The file holds no secrets and no
personal data by design: credentials are refused, so it can be world-readable.

Where it is looked for, first found wins (no merging, so what applies is always one file):
1. the file named by ASB_DESKTOP_DEFAULTS (an error if that file is missing);
2. `asb-desktop.defaults.json` beside the executable of a frozen build;
3. the system configuration folder(s) of platformdirs' `site_config_dir("ASB Desktop")`:
   `C:\\ProgramData\\ASB Desktop`, `/Library/Application Support/ASB Desktop`, or each folder
   of XDG_CONFIG_DIRS (default `/etc/xdg/ASB Desktop`).

The letters to the complainant (acknowledgement, update, closure) print the organisation's
name and logo above `letter_acknowledgement`, `letter_update` and `letter_closure`: text, at most
4,000 characters, paragraphs parted by a blank line, with `{placeholders}` filled from the case
(`{reference}`, `{received_date}`, `{officer}`, `{organisation}`, `{next_update_date}`,
`{closed_date}`, `{outcome}`; domain/letters.py PLACEHOLDERS). `letter_sign_off` ("Yours
sincerely") closes each. A key not given keeps the built-in wording (domain/letters.py).

A bad file raises PresetError naming the file and the key: the app should say so in a sentence
and go on with its built-in defaults, so one typo never locks officers out.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from asb_desktop.domain.calendar import Nation
from asb_desktop.domain.case_policy import DEFAULT_POLICY, CasePolicy
from asb_desktop.domain.letter_wording import DEFAULT_WORDING, LetterWording, template_problem
from asb_desktop.support.config import APP_NAME

PRESET_FILE_NAME = "asb-desktop.defaults.json"
PRESET_ENV = "ASB_DESKTOP_DEFAULTS"
FORMAT = "asb-desktop-defaults/1"
# The idle-lock choices Settings offers (asb_desktop.services.lock.IDLE_CHOICES); keep the two equal.
IDLE_CHOICES = (1, 2, 5, 10, 15, 30)
LOCKABLE = (
    "organisation_name",
    "organisation_logo",
    "central_store_url",
    "bank_holiday_nation",
    "idle_lock_minutes",
)
# The organisation's numbers for the case-management rules (domain/case_policy.py): key -> the
# CasePolicy field and the whole numbers allowed.
POLICY_NUMBERS: dict[str, tuple[str, range]] = {
    "update_working_days": ("update_working_days", range(1, 61)),
    "update_working_days_high_risk": ("update_working_days_high_risk", range(1, 61)),
    "case_review_threshold": ("review_threshold", range(1, 21)),
    "case_review_window_months": ("review_window_months", range(1, 25)),
    "closed_cases_on_laptop_days": ("closed_days_on_laptop", range(1, 3651)),
    # 0 (the default) leaves the same-place threshold off.
    "case_review_same_place_reporters": ("review_place_reporters", range(0, 51)),
    "case_review_decision_working_days": ("review_decision_working_days", range(1, 61)),
    "retention_years": ("retention_years", range(1, 101)),
    "attachment_max_mb": ("attachment_max_mb", range(1, 2001)),
}
POLICY_FLAGS = {
    "case_review_one_hate_incident": "review_one_hate_incident",
    "scrub_photos": "scrub_photos",
}
# The letters' wording: key -> the LetterWording field (domain/letters.py).
LETTER_WORDING = {
    "letter_acknowledgement": "acknowledgement",
    "letter_update": "update",
    "letter_closure": "closure",
    "letter_sign_off": "sign_off",
}
MAX_LETTER_WORDING = 4000
KNOWN_KEYS = ("format", *LOCKABLE, "locked", *POLICY_NUMBERS, *POLICY_FLAGS, *LETTER_WORDING)
MAX_FILE_BYTES = 64 * 1024
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_NAME_LENGTH = 120
_LOGO_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class PresetError(ValueError):
    """A preset file that cannot be used; the message names the file and the key."""

    def __init__(self, source: Path | str, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{source}: {problem}")


DEFAULT_ORGANISATION_NAME = "Connexus"
"""The organisation printed on summaries when no preset names one."""


@dataclass(frozen=True)
class Presets:
    """What the organisation chose; None means "not preset: the app's own default applies"."""

    source: Path | None = None
    organisation_name: str | None = None
    organisation_logo: Path | None = None
    central_store_url: str | None = None
    bank_holiday_nation: Nation | None = None
    idle_lock_minutes: int | None = None
    locked: frozenset[str] = frozenset()
    case_policy: CasePolicy = DEFAULT_POLICY
    letter_wording: LetterWording = DEFAULT_WORDING

    def is_locked(self, setting: str) -> bool:
        """Whether Settings must show this setting read-only ("set by your organisation")."""
        return setting in self.locked

    def summary(self) -> dict[str, str]:
        """Every preset value as text, for diagnostics (a preset file holds no secrets)."""
        shown: dict[str, str] = {"source": str(self.source) if self.source else "(none)"}
        for key in LOCKABLE:
            value = getattr(self, key)
            if value is not None:
                shown[key] = str(value.value if isinstance(value, Nation) else value)
        if self.locked:
            shown["locked"] = ", ".join(sorted(self.locked))
        for key, name in [*((k, n) for k, (n, _) in POLICY_NUMBERS.items()), *POLICY_FLAGS.items()]:
            value = getattr(self.case_policy, name)
            if value != getattr(DEFAULT_POLICY, name):
                shown[key] = str(value)
        for key, name in LETTER_WORDING.items():
            if getattr(self.letter_wording, name) != getattr(DEFAULT_WORDING, name):
                shown[key] = "(the organisation's own wording)"
        return shown


def candidate_paths(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Where a preset file is looked for, in order (see the module docstring)."""
    environ = os.environ if environ is None else environ
    paths: list[Path] = []
    named = environ.get(PRESET_ENV)
    if named:
        paths.append(Path(named).expanduser())
    if getattr(sys, "frozen", False):
        paths.append(Path(sys.executable).resolve().parent / PRESET_FILE_NAME)
    system = platformdirs.site_config_dir(APP_NAME, appauthor=False, multipath=True)
    paths.extend(Path(folder) / PRESET_FILE_NAME for folder in system.split(os.pathsep) if folder)
    return paths


def load_presets(
    paths: list[Path] | None = None, environ: Mapping[str, str] | None = None
) -> Presets:
    """The organisation's presets from the first file found; empty Presets when there is none."""
    environ = os.environ if environ is None else environ
    named = environ.get(PRESET_ENV)
    if paths is None:
        paths = candidate_paths(environ)
        if named and not Path(named).expanduser().is_file():
            raise PresetError(named, f"named by {PRESET_ENV} but there is no such file")
    for path in paths:
        if path.is_file():
            return read_preset_file(path)
    return Presets()


def read_preset_file(path: Path) -> Presets:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PresetError(path, f"is {size} bytes; a preset file is at most {MAX_FILE_BYTES}")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise PresetError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise PresetError(
            path, f"cannot be read ({error.strerror or type(error).__name__})"
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise PresetError(path, f"is not valid JSON ({error.msg} at line {error.lineno})") from None
    return parse_presets(raw, path)


def parse_presets(raw: object, source: Path) -> Presets:
    """Check every key; raise PresetError naming the first problem."""
    if not isinstance(raw, dict):
        raise PresetError(source, "must hold one JSON object ({...})")
    unknown = sorted(set(raw) - set(KNOWN_KEYS))
    if unknown:
        raise PresetError(
            source, f"unknown key {unknown[0]!r} (known keys: {', '.join(KNOWN_KEYS)})"
        )
    if raw.get("format") != FORMAT:
        raise PresetError(source, f'"format" must be "{FORMAT}"')
    return Presets(
        source=source,
        organisation_name=_name(raw.get("organisation_name"), source),
        organisation_logo=_logo(raw.get("organisation_logo"), source),
        central_store_url=_url(raw.get("central_store_url"), source),
        bank_holiday_nation=_nation(raw.get("bank_holiday_nation"), source),
        idle_lock_minutes=_idle(raw.get("idle_lock_minutes"), source),
        locked=_locked(raw.get("locked"), raw, source),
        case_policy=_case_policy(raw, source),
        letter_wording=_letter_wording(raw, source),
    )


def _letter_wording(raw: Mapping[str, object], source: Path) -> LetterWording:
    chosen: dict[str, str] = {}
    for key, name in LETTER_WORDING.items():
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise PresetError(source, f'"{key}" must be non-empty text')
        if len(value) > MAX_LETTER_WORDING:
            raise PresetError(
                source, f'"{key}" is {len(value)} characters; at most {MAX_LETTER_WORDING}'
            )
        if any((ord(c) < 32 and c not in "\n\t") or ord(c) == 127 for c in value):
            raise PresetError(source, f'"{key}" contains control characters')
        problem = template_problem(value)
        if problem is not None:
            raise PresetError(source, f'"{key}" {problem}')
        chosen[name] = value.strip()
    return LetterWording(**chosen)


def _case_policy(raw: Mapping[str, object], source: Path) -> CasePolicy:
    chosen: dict[str, object] = {}
    for key, (name, allowed) in POLICY_NUMBERS.items():
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise PresetError(
                source, f'"{key}" must be a whole number from {allowed[0]} to {allowed[-1]}'
            )
        chosen[name] = value
    for key, name in POLICY_FLAGS.items():
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, bool):
            raise PresetError(source, f'"{key}" must be true or false')
        chosen[name] = value
    return CasePolicy(**chosen)  # type: ignore[arg-type]


def _name(value: object, source: Path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise PresetError(source, '"organisation_name" must be non-empty text')
    text = " ".join(value.split())
    if len(text) > MAX_NAME_LENGTH:
        raise PresetError(
            source, f'"organisation_name" is {len(text)} characters; at most {MAX_NAME_LENGTH}'
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise PresetError(source, '"organisation_name" contains control characters')
    return text


def _logo(value: object, source: Path) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise PresetError(source, '"organisation_logo" must be the path of a PNG or JPEG file')
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = source.parent / path
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
        size = path.stat().st_size
    except OSError:
        raise PresetError(source, f'"organisation_logo": no readable file at {path}') from None
    if not any(head.startswith(signature) for signature in _LOGO_SIGNATURES):
        raise PresetError(source, f'"organisation_logo": {path.name} is not a PNG or JPEG image')
    if size > MAX_LOGO_BYTES:
        raise PresetError(
            source, f'"organisation_logo": {path.name} is {size} bytes; at most {MAX_LOGO_BYTES}'
        )
    return path


def _url(value: object, source: Path) -> str | None:
    if value is None:
        return None
    where = '"central_store_url"'
    if not isinstance(value, str):
        raise PresetError(source, f"{where} must be text such as https://asb.example.org/")
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        raise PresetError(source, f"{where} is not a valid web address") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise PresetError(source, f"{where} must start with https:// and name a server")
    if parts.scheme == "http" and parts.hostname not in _LOCAL_HOSTS:
        raise PresetError(source, f"{where} must use https:// (http is allowed for localhost only)")
    if parts.username or parts.password:
        raise PresetError(source, f"{where} must not contain a user name or password")
    if parts.query or parts.fragment:
        raise PresetError(source, f"{where} must not have a ?query or #fragment")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = f"{host}:{port}" if port else host
    return f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}/"


def _nation(value: object, source: Path) -> Nation | None:
    if value is None:
        return None
    choices = ", ".join(n.value for n in Nation)
    if not isinstance(value, str):
        raise PresetError(source, f'"bank_holiday_nation" must be one of: {choices}')
    try:
        return Nation(value)
    except ValueError:
        raise PresetError(source, f'"bank_holiday_nation" must be one of: {choices}') from None


def _idle(value: object, source: Path) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in IDLE_CHOICES:
        choices = ", ".join(str(c) for c in IDLE_CHOICES)
        raise PresetError(source, f'"idle_lock_minutes" must be one of: {choices}')
    return value


def _locked(value: object, raw: Mapping[str, object], source: Path) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PresetError(source, '"locked" must be a list of setting names')
    for name in value:
        if name not in LOCKABLE:
            raise PresetError(
                source, f'"locked": {name!r} cannot be locked (lockable: {", ".join(LOCKABLE)})'
            )
        if raw.get(name) is None:
            raise PresetError(source, f'"locked": {name!r} is locked but not given a value')
    return frozenset(value)
