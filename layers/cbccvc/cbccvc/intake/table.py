"""A sheet of an agency export, column by column, with the cell addresses the agency sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cbccvc.models import Finding, Severity
from cbccvc.validation.values import EXCEL_EPOCH_1900


def column_letter(index: int) -> str:
    """Return the Excel column letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(slots=True)
class Column:
    """One recognised column: its field, where it is, and its raw cell values."""

    field: str
    index: int  # 0-based column index in the sheet
    header: str  # the header as the agency wrote it
    values: list[Any]

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(slots=True)
class Table:
    """The data rows of one sheet, after header detection.

    ``row_numbers[i]`` is the 1-based Excel (or CSV line) number of data row ``i``; every
    column's ``values`` has the same length as ``row_numbers``. ``findings`` are what reading
    found (damaged rows, converted legacy fonts); an error among them blocks its row.
    """

    file_name: str
    sheet: str | None
    header_row: int
    row_numbers: list[int]
    columns: dict[str, Column]
    unrecognised_headers: list[str] = field(default_factory=list)
    # Headers found on the header row, in sheet order, for error messages.
    headers_found: list[str] = field(default_factory=list)
    # Epoch of the workbook's date system, for dates stored as plain serial numbers.
    date_epoch: date = EXCEL_EPOCH_1900
    findings: list[Finding] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.row_numbers)

    def blocked_rows(self) -> list[bool]:
        """Return, for each data row, whether a reading finding blocks it."""
        blocked = [False] * len(self.row_numbers)
        error_rows = {finding.row for finding in self.findings
                      if finding.severity is Severity.ERROR and finding.row is not None}
        if error_rows:
            for index, row in enumerate(self.row_numbers):
                if row in error_rows:
                    blocked[index] = True
        return blocked
