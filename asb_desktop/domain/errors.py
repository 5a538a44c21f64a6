"""Errors that say what is wrong and where, in words an officer or administrator can act on."""

from __future__ import annotations

from collections.abc import Iterable


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


class Problems:
    """Where a check collects what is wrong: every problem counted, the first `keep` kept, so a
    file with a million problems costs a counter, not a million sentences."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.kept: list[InputError] = []
        self.count = 0

    def add(self, field: str, problem: str) -> None:
        self.count += 1
        if len(self.kept) < self.keep:
            self.kept.append(InputError(field, problem))

    def extend(self, errors: Iterable[InputError]) -> None:
        for error in errors:
            self.add(error.field, error.problem)

    def __bool__(self) -> bool:
        return self.count > 0


class InvalidDocument(InputError):
    """Every problem found in one document (or one change to a case), by field.

    It is an InputError about its first problem, so a caller that only wants one field still
    gets it; `problems` holds all that were kept and `count` how many there were in all."""

    def __init__(
        self, problems: Iterable[InputError], count: int = 0, *, record: str | None = None
    ) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("an InvalidDocument needs at least one problem")
        self.count = max(count, len(self.problems))
        first = self.problems[0]
        super().__init__(first.field, first.problem, record=record)

    @classmethod
    def of(cls, problems: Problems, *, record: str | None = None) -> InvalidDocument:
        return cls(problems.kept, problems.count, record=record)

    def lines(self) -> list[str]:
        """One line per problem kept, each naming the record (when known) and the field."""
        return [str(p.in_record(self.record) if self.record else p) for p in self.problems]

    def _message(self) -> str:
        text = "; ".join(self.lines())
        more = self.count - len(self.problems)
        return text + (f"; and {more:,} more problem{'s' if more != 1 else ''}" if more else "")

    def in_record(self, record: str) -> InvalidDocument:
        return InvalidDocument(self.problems, self.count, record=record)


class ProcedureError(ValueError):
    """An action the procedure does not allow, e.g. a 5.5 referral with no failed attempt."""
