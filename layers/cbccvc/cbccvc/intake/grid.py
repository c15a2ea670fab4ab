"""The cells of one sheet (or of a text file) as read, before header detection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cbccvc.intake.headers import MergedRange
from cbccvc.validation.values import EXCEL_EPOCH_1900


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
