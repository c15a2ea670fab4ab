"""The cells of one sheet (or of a text file) as text columns, the form every reader hands on.

Each position of the sheet is a polars String column, with null for an empty cell, so table
building and every check run over columns. A cell's text is what the agency sees written:
numbers without a trailing ".0" and without exponent ("79185012345", "2.67"), dates as ISO
text ("1985-09-05", "1985-09-05 10:30:00"), booleans as "true"/"false". The fast workbook
reader (fastexcel) writes cells this way and the other readers convert their Python values
with ``cell_text`` the same way, so a check sees the same text from either.

Text loses one fact that a few checks need: whether the cell was a number. A number cell of
11 digits is an ID that lost its leading zero, while the same digits typed as text are not.
``CellMarks`` keeps those facts for the cells where they change a result, and the formula
errors (#N/A, #REF!) that readers would otherwise show as empty cells.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

import polars as pl

from cbccvc.intake.grid import Grid, RowDamage
from cbccvc.intake.headers import MergedRange
from cbccvc.validation.values import EXCEL_EPOCH_1900

# Every integer below this is exactly a float.
_EXACT_INTEGERS = 2**53


def position_name(position: int) -> str:
    """Return the frame column name of a 0-based position in the sheet's used range."""
    return f"c{position}"


def cell_text(value: Any) -> str | None:  # noqa: PLR0911 - one return per cell type
    """Return a Python cell value as the text the frame holds, or None for an empty cell."""
    if value is None:
        return None
    if value.__class__ is str:
        return value or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, datetime):
        return value.isoformat(" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value) or None


def float_text(value: float) -> str:
    """Write a float without exponent and without a trailing ".0", as spreadsheets show numbers."""
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < _EXACT_INTEGERS:
        return str(int(value))
    # Above 2**53 a float has no more digits than its repr shows. int() would write out binary
    # digits that were never typed (1.8e308 as 17976931348623157081…), so the rest are zeros.
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text.removesuffix(".0") if value.is_integer() else text


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class CellMarks(Protocol):
    """Facts about cells that their text does not carry."""

    def number_rows(self, position: int, rows: Sequence[int]) -> set[int]:
        """Return which of the frame ``rows`` of column ``position`` hold a number cell."""

    def formula_errors(self) -> dict[tuple[int, int], str]:
        """Return (frame row, position) → error value ("#N/A") of every formula error cell."""

    def cell_kinds(self, rows: Sequence[int]) -> dict[int, dict[int, str]]:
        """Return, for each of the frame ``rows``, position → "number", "date" or "boolean" of its typed cells.

        A "date" may also be a number cell a workbook shows as a date; the caller reads its text.
        """


@dataclass(slots=True)
class KnownMarks:
    """Marks collected while converting Python values, complete for every cell."""

    numbers: dict[int, set[int]] = field(default_factory=dict)  # position → frame rows
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    booleans: dict[int, set[int]] = field(default_factory=dict)  # position → frame rows
    dates: dict[int, set[int]] = field(default_factory=dict)  # position → frame rows

    def number_rows(self, position: int, rows: Sequence[int]) -> set[int]:
        known = self.numbers.get(position)
        return {row for row in rows if row in known} if known else set()

    def formula_errors(self) -> dict[tuple[int, int], str]:
        return self.errors

    def cell_kinds(self, rows: Sequence[int]) -> dict[int, dict[int, str]]:
        kinds: dict[int, dict[int, str]] = {}
        for kind, marked in (("number", self.numbers), ("boolean", self.booleans), ("date", self.dates)):
            for position, frame_rows in marked.items():
                for row in rows:
                    if row in frame_rows:
                        kinds.setdefault(row, {})[position] = kind
        return kinds


@dataclass(slots=True)
class SheetData:
    """One sheet's cells as text columns, with where they sit and what their text does not say.

    ``frame`` has one String column per position of the used range (``position_name``),
    ``row_numbers[i]`` is the 1-based sheet row (or the CSV line where the record starts) of
    frame row ``i``, and ``first_column`` is the 0-based sheet column of position 0.
    """

    sheet: str | None
    frame: pl.DataFrame
    row_numbers: list[int]
    first_column: int = 0
    merged: list[MergedRange] = field(default_factory=list)
    # A delimited text file, where a row with more or fewer cells than the header is damage.
    delimited: bool = False
    date_epoch: date = EXCEL_EPOCH_1900
    marks: CellMarks = field(default_factory=KnownMarks)
    # Returns the exact number of cells of the given frame rows; only delimited files need it.
    row_widths: Callable[[Sequence[int]], list[int]] | None = None
    # Rows the reader could read only in part, with their findings (frame row indexes).
    damage: list[RowDamage] = field(default_factory=list)
    # Rows the reader cut at the frame's width: frame row → position of the first non-empty cell cut off.
    overflow: dict[int, int] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return self.frame.width

    def head(self, count: int, start: int = 0) -> list[list[str]]:
        """Return ``count`` rows from frame row ``start`` as lists of text ("" for an empty cell).

        Header detection reads them.
        """
        head = self.frame.slice(start, count)
        return [["" if value is None else value for value in row] for row in head.iter_rows()]

    def first_filled_row(self) -> int:
        """Return the first frame row with a non-blank cell (0 when there is none).

        Header detection starts there, as python-calamine's used range does, so empty rows above
        the header do not count against the rows it looks at.
        """
        for window in (self.frame.head(_FIRST_ROWS), self.frame):
            if window.height == 0 or window.width == 0:
                return 0
            filled = window.select(pl.any_horizontal(pl.col(name).str.contains(_NOT_BLANK).fill_null(False)
                                                     for name in window.columns).alias("filled"))["filled"]
            rows = filled.arg_true()
            if len(rows):
                return int(rows[0])
        return 0


# Rows looked at first for the first non-blank row; nearly every sheet has one among them.
_FIRST_ROWS = 64
# A character that is neither white space nor invisible (as ``table.NOT_WHITESPACE``).
_NOT_BLANK = r"[^\s\x1c-\x1f\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}]"


def frame_from_rows(rows: Sequence[Sequence[Any]], marks: KnownMarks | None = None) -> pl.DataFrame:
    """Convert rows of Python cell values to text columns, recording number cells in ``marks``."""
    width = max((len(row) for row in rows), default=0)
    columns: dict[str, list[str | None]] = {}
    for position in range(width):
        texts: list[str | None] = []
        numbers: set[int] = set()
        typed: dict[int, str] = {}
        for index, row in enumerate(rows):
            value = row[position] if position < len(row) else None
            if value is not None and value.__class__ is not str:
                if is_number(value):
                    numbers.add(index)
                elif isinstance(value, bool):
                    typed[index] = "boolean"
                elif isinstance(value, date | time | timedelta):
                    typed[index] = "date"
            texts.append(cell_text(value))
        if marks is not None:
            if numbers:
                marks.numbers[position] = numbers
            for index, kind in typed.items():
                (marks.booleans if kind == "boolean" else marks.dates).setdefault(position, set()).add(index)
        columns[position_name(position)] = texts
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def sheet_from_rows(rows: Sequence[Sequence[Any]], *, sheet: str | None, row_numbers: Iterable[int],
                    first_column: int = 0, merged: Sequence[MergedRange] = (), delimited: bool = False,
                    date_epoch: date = EXCEL_EPOCH_1900,
                    errors: dict[tuple[int, int], str] | None = None, damage: Sequence[RowDamage] = (),
                    overflow: dict[int, int] | None = None, widths: Sequence[int] | None = None) -> SheetData:
    """Build the sheet data of rows read as Python values (the readers other than the fast ones).

    ``widths`` are the rows' exact cell counts when the reader cut some rows (``overflow``).
    """
    marks = KnownMarks(errors=dict(errors or {}))
    frame = frame_from_rows(rows, marks)
    cells = list(widths) if widths is not None else [len(row) for row in rows]
    return SheetData(
        sheet=sheet, frame=frame, row_numbers=list(row_numbers), first_column=first_column, merged=list(merged),
        delimited=delimited, date_epoch=date_epoch, marks=marks,
        row_widths=(lambda indexes: [cells[index] for index in indexes]) if delimited else None,
        damage=list(damage), overflow=dict(overflow or {}),
    )


def sheet_from_grid(grid: Grid, errors: dict[tuple[int, int], str] | None = None) -> SheetData:
    """Build the sheet data of a reader's grid; ``errors`` are its formula errors in grid coordinates."""
    return sheet_from_rows(grid.rows, sheet=grid.sheet, row_numbers=grid.row_numbers, first_column=grid.first_column,
                           merged=grid.merged, delimited=grid.delimited, date_epoch=grid.date_epoch,
                           errors=errors if errors is not None else grid.errors, damage=grid.damage,
                           overflow=grid.overflow, widths=grid.widths)
