"""Errors that say what is wrong and where, in words an officer or administrator can act on."""

from __future__ import annotations


class InputError(ValueError):
    """A value in a document or form is wrong. `field` is a dotted path such as `incidents[0].id`."""

    def __init__(self, field: str, problem: str, *, record: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.record = record
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.record}, field {self.field}" if self.record else f"field {self.field}"
        return f"{where}: {self.problem}"

    def in_record(self, record: str) -> InputError:
        """The same error, told about the record (e.g. "record 3 (id …)") it was found in."""
        return InputError(self.field, self.problem, record=record)


class ProcedureError(ValueError):
    """An action the procedure does not allow, e.g. a 5.5 referral with no failed attempt."""
