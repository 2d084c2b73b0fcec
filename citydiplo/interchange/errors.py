"""Errors of imports and reference loads, named the way a person fixes them: file, row, column, reason.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class RowError:
    file: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class ImportFailed(Exception):
    """Raised when any row is wrong: the import is rolled back whole and every error is reported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(
            "\n".join(str(e) for e in errors[:50])
            + (f"\n… and {len(errors) - 50} more" if len(errors) > 50 else "")
        )
