"""The cells of one sheet (or of a text file) as read, before header detection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cbccvc.intake.headers import MergedRange
from cbccvc.validation.values import EXCEL_EPOCH_1900


@dataclass(frozen=True, slots=True)
class RowDamage:
    """A finding a reader makes about one row it could read only in part.

    ``index`` is the row's index in the grid (or frame), ``position`` the 0-based position of
    the cell at fault when known, and ``code`` a finding code of the catalog.
    """

    index: int
    code: str
    position: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Grid:
    """The rows of one sheet, with the row number the agency sees for each.

    ``row_numbers[i]`` is the 1-based sheet row (or the CSV line where the record starts) of
    ``rows[i]``; ``first_column`` is the 0-based sheet column of ``rows[i][0]``.
    """

    sheet: str | None
    rows: list[list[Any]]
    row_numbers: list[int]
    first_column: int = 0
    merged: list[MergedRange] = field(default_factory=list)
    # A delimited text file, where a row with more or fewer cells than the header is damage.
    delimited: bool = False
    date_epoch: date = EXCEL_EPOCH_1900
    # A hidden worksheet: not read for records, only checked for a table to warn about.
    hidden: bool = False
    # Rows the reader could read only in part, each with the finding to report on it.
    damage: list[RowDamage] = field(default_factory=list)
    # Rows the reader cut at the grid's width: row index → position of the first non-empty cell cut off.
    overflow: dict[int, int] = field(default_factory=dict)
    # Exact number of cells of each row before cutting (delimited text only), when some row was cut.
    widths: list[int] | None = None
    # Formula errors in grid coordinates, when the reader found them itself (else read from the package).
    errors: dict[tuple[int, int], str] | None = None
    # Columns the reader left out (JSON keys past its column limit that name no field).
    dropped_columns: int = 0
