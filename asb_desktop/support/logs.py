"""Rotating log files for support, with no personal data in them.

The rule: a log line says WHAT happened, never WHO or WHERE or what was said. It may carry
event names ("case.saved"), ids (case UUIDs, ASB-YYYY-NNNNNN references), counts, durations,
code words (an enum value such as "serious"), version numbers and exception TYPES with the code
location they came from. Names, addresses, phone numbers, descriptions, free text and exception
MESSAGES never reach a log file, because a message can quote the document that caused it.

How it is enforced: `PersonalDataFilter` sits on the handler and rewrites each record before any
formatter sees it:
- `log_event(logger, "case.saved", case_id=..., incidents=3, duration_ms=12.5)` is the way to
  log: the event name is kept and each field value is kept only if it looks like one of the safe
  kinds above; anything else becomes "<withheld>". An exception given as a field value
  (`error=error`) is written as its type's name, never its message.
- A %-style message ("Running upgrade %s") keeps its constant template; each argument is
  checked the same way.
- Any other message (an f-string, str(error), a document) is withheld whole, with its length.
- An exception's traceback keeps frames (file, line, function) and exception types; its
  messages are dropped, for the whole chain of causes.

The package's logger has a NullHandler, so where no log is set up (the headless commands) events
go nowhere: Python's last-resort handler would otherwise print warnings to stderr.
The events are listed in docs/logging.md.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import platformdirs

from asb_desktop.support.config import APP_NAME

LOG_DIR_ENV = "ASB_DESKTOP_LOG_DIR"
LOG_FILE_NAME = "asb-desktop.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
WITHHELD = "<withheld>"
FIELDS_ATTRIBUTE = "asb_fields"
_DONE_ATTRIBUTE = "asb_sanitised"
_HANDLER_MARK = "_asb_desktop_log"
TRACEBACK_HEADING = "Traceback (exception messages withheld):"

EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_SAFE_TEXT = (
    re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),  # uuid
    re.compile(r"^ASB-\d{4}-\d{6}$"),  # case reference
    re.compile(r"^[a-z][a-z0-9_-]{0,39}(?:\.[a-z0-9_-]{1,39}){0,4}$"),  # code word, event name
    re.compile(r"^\d+(?:\.\d+){1,3}$"),  # version number
)


def is_safe_value(value: object) -> bool:
    """Whether a value may be written to the log as it is (see the module's rule)."""
    if value is None or isinstance(value, bool | int | float):
        return True
    return isinstance(value, str) and any(p.match(value) for p in _SAFE_TEXT)


def exception_type_name(error: BaseException | type[BaseException]) -> str:
    """The type's name ("ValueError", "asb_desktop.sync.client.Unreachable"): code, not data."""
    kind = error if isinstance(error, type) else type(error)
    return f"{kind.__module__}.{kind.__qualname__}".removeprefix("builtins.")


def _render(value: object) -> str:
    if isinstance(value, BaseException) or (
        isinstance(value, type) and issubclass(value, BaseException)
    ):
        return exception_type_name(value)
    if not is_safe_value(value):
        return WITHHELD
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


def _render_fields(fields: Mapping[str, object]) -> str:
    parts = []
    for key, value in fields.items():
        name = key if isinstance(key, str) and FIELD_NAME.match(key) else "field"
        parts.append(f"{name}={_render(value)}")
    return " ".join(parts)


def log_event(
    logger: logging.Logger, event: str, *, level: int = logging.INFO, **fields: object
) -> None:
    """Log that `event` happened, with ids, counts and durations as fields."""
    logger.log(level, event, extra={FIELDS_ATTRIBUTE: fields})


def since_ms(started: float) -> float:
    """Milliseconds since `started` (a `time.perf_counter()` reading): a `duration_ms` field."""
    return (time.perf_counter() - started) * 1000


def _short_path(filename: str) -> str:
    """A code location without the install folder (which may hold the user's name)."""
    parts = re.split(r"[/\\]", filename)
    for anchor in ("asb_desktop", "site-packages", "_internal"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            start = index if anchor == "asb_desktop" else index + 1
            return "/".join(parts[start:])
    return parts[-1]


def safe_traceback(error: BaseException) -> str:
    """Frames and exception types of the whole chain, as Python prints them, minus messages."""
    described = traceback.TracebackException.from_exception(error, capture_locals=False)
    chain: list[traceback.TracebackException] = []
    seen: set[int] = set()
    current: traceback.TracebackException | None = described
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        if current.__cause__ is not None:
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            current = current.__context__
        else:
            current = None
    lines = [TRACEBACK_HEADING]
    for index, link in enumerate(reversed(chain)):
        if index:
            lines.append("  which led to:")
        for frame in link.stack:
            lines.append(
                f'  File "{_short_path(frame.filename)}", line {frame.lineno}, in {frame.name}'
            )
        exc_type = link.exc_type
        lines.append(f"  {exception_type_name(exc_type) if exc_type else 'exception'}")
    return "\n".join(lines)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record so only the safe kinds of value remain (see the module's rule)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _DONE_ATTRIBUTE, False):
            return True
        record.msg = self._message(record)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info[1])
        elif record.exc_text and not record.exc_text.startswith(TRACEBACK_HEADING):
            record.exc_text = "<traceback withheld>"
        record.exc_info = None
        setattr(record, FIELDS_ATTRIBUTE, None)
        setattr(record, _DONE_ATTRIBUTE, True)
        return True

    @staticmethod
    def _message(record: logging.LogRecord) -> str:
        template, args = record.msg, record.args
        fields = getattr(record, FIELDS_ATTRIBUTE, None)
        if isinstance(template, str) and EVENT_NAME.match(template) and not args:
            rendered = _render_fields(fields) if isinstance(fields, Mapping) else ""
            return f"{template} {rendered}".rstrip()
        if isinstance(template, str) and args:
            try:
                if isinstance(args, Mapping):
                    return template[:300] % {k: _render(v) for k, v in args.items()}
                return template[:300] % tuple(_render(a) for a in args)
            except (TypeError, ValueError, KeyError):
                return "<message withheld: it could not be formatted safely>"
        if not isinstance(template, str):
            return f"<message withheld: a {type(template).__name__} object; log an event instead>"
        return f"<message withheld: free text of {len(template)} characters; log an event instead>"


class _UtcFormatter(logging.Formatter):
    """ISO 8601 UTC times, so lines from laptops in different settings compare directly."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


def default_log_dir() -> Path:
    chosen = os.environ.get(LOG_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def current_log_file() -> Path | None:
    """The file `setup_logging` writes to in this process, if it has been called."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, _HANDLER_MARK, False):
            return Path(handler.baseFilename)  # type: ignore[attr-defined]
    return None


def setup_logging(
    log_dir: Path | None = None,
    *,
    level: int = logging.INFO,
    max_bytes: int = MAX_BYTES,
    backups: int = BACKUP_COUNT,
    catch_uncaught: bool = True,
) -> Path:
    """Start writing the log; call once at start-up (again is harmless). Returns the file."""
    existing = current_log_file()
    if existing is not None:
        return existing
    folder = log_dir or default_log_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / LOG_FILE_NAME
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )
    if os.name == "posix":
        os.chmod(path, 0o600)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(_UtcFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.captureWarnings(True)
    # Migration chatter ("Context impl SQLiteImpl") at every start, and a line per HTTP request
    # of every sync (withheld whole: it holds the address), say nothing to support; sync's own
    # events do.
    for chatty in ("alembic", "httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if catch_uncaught:
        _catch_uncaught()
    return path


def stop_logging() -> None:
    """Close and remove the handler `setup_logging` added (tests; the end of the process)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
            handler.close()


_logger = logging.getLogger("asb_desktop")
# Without any handler Python prints WARNING and above to stderr ("last resort"); the headless
# commands set up no log, and their stderr is for their own messages only.
_logger.addHandler(logging.NullHandler())


def _catch_uncaught() -> None:
    previous = sys.excepthook
    if getattr(previous, _HANDLER_MARK, False):
        return

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            _logger.critical("app.uncaught_exception", exc_info=(kind, error, tb))
        previous(kind, error, tb)

    previous_thread_hook = threading.excepthook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            _logger.critical(
                "app.uncaught_thread_exception",
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )
        previous_thread_hook(args)

    setattr(hook, _HANDLER_MARK, True)
    sys.excepthook = hook
    threading.excepthook = thread_hook


def recent_lines(count: int = 200, path: Path | None = None) -> list[str]:
    """The last `count` lines of the log (empty if there is none yet)."""
    path = path or current_log_file() or default_log_dir() / LOG_FILE_NAME
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - count * 400))
            tail = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    lines = tail.splitlines()
    return lines[-count:] if count > 0 else []


def describe_rule() -> str:
    """The logging rule in one line, for diagnostics and the packaging README."""
    return "logs hold event names, ids, counts, durations and exception types only"


__all__ = [
    "LOG_DIR_ENV",
    "PersonalDataFilter",
    "current_log_file",
    "default_log_dir",
    "describe_rule",
    "exception_type_name",
    "is_safe_value",
    "log_event",
    "recent_lines",
    "safe_traceback",
    "setup_logging",
    "since_ms",
    "stop_logging",
]
