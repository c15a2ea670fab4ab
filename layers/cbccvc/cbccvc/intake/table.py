"""A sheet of an agency export, column by column, with the cell addresses the agency sees."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from cbccvc.intake.sheet import SheetData, cell_text, is_number
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
    """One recognised column: its field, where it is, and its cells as text.

    ``values`` is a String series with null for an empty cell. ``numbers`` contains the row
    indexes whose cell was a number, for the fields where that changes a result (see
    ``NUMBER_SENSITIVE_TEXT`` in ``intake.tables``). ``formula_errors`` maps a row index to
    the error a formula cell showed ("#N/A"), which reads as an empty cell otherwise.
    """

    field: str
    index: int  # 0-based column index in the sheet
    header: str  # the header as the agency wrote it
    values: pl.Series
    numbers: frozenset[int] = frozenset()
    formula_errors: dict[int, str] = dataclasses.field(default_factory=dict)
    # True where the cell is empty or white space only; computed on first use when not given.
    blank: pl.Series | None = None

    @classmethod
    def of_cells(cls, field_name: str, index: int, header: str, cells: Sequence[Any]) -> Column:
        """Build a column from Python cell values (numbers, dates, text), as readers and tests have them."""
        values = pl.Series(field_name, [cell_text(cell) for cell in cells], dtype=pl.String)
        numbers = frozenset(position for position, cell in enumerate(cells) if is_number(cell))
        return cls(field=field_name, index=index, header=header, values=values, numbers=numbers)

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    def blank_mask(self) -> pl.Series:
        """Return True where the cell is empty or white space only (as ``str.isspace`` counts it)."""
        if self.blank is None:
            self.blank = ~filled(self.values)
        return self.blank


# A character that is neither white space for Python's str.isspace (Unicode White_Space and
# \x1c-\x1f) nor invisible (``values.INVISIBLE_CHARACTERS``: zero-width characters, byte
# order mark, soft hyphen): a cell of only those is blank.
NOT_WHITESPACE = r"[^\s\x1c-\x1f\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}]"


def filled(values: pl.Series) -> pl.Series:
    """True where a cell contains something other than white space."""
    return values.str.contains(NOT_WHITESPACE).fill_null(False)


@dataclass(slots=True)
class Table:
    """The data rows of one sheet, after header detection.

    ``row_numbers[i]`` is the 1-based Excel (or CSV line) number of data row ``i``; every
    column's ``values`` has the same length as ``row_numbers``. ``findings`` are what reading
    found (damaged rows, converted legacy fonts, ignored columns); an error among them blocks
    its row.
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
    # The sheet the table was read from, for the annotated copy of a large file.
    source: SheetData | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.row_numbers)

    def blocked_indexes(self) -> set[int]:
        """Return the indexes of the data rows that a reading finding blocks."""
        error_rows = {finding.row for finding in self.findings
                      if finding.severity is Severity.ERROR and finding.row is not None}
        if not error_rows:
            return set()
        return {index for index, row in enumerate(self.row_numbers) if row in error_rows}
