"""Turn a grid into a column table: find the header, keep the record rows, repair what reading can.

Rows kept as records are those with a value under a recognised header: blank rows, rows that
only carry a row number (templates numbered in advance) and a column-number row under the
header ("1 2 3 …") are not records. Trailing rows with no digit under the ID and date of birth
headers and at most three filled cells (the signature block: "Người lập biểu", "Thủ trưởng đơn
vị", place and date) are left out with one warning. A value merged down over several rows
belongs to each of them.

Repairs and findings made here, per column so that a 100,000-row file costs one pass per
column plus work per distinct value:

- text typed with a legacy Vietnamese font (TCVN3, VNI) is converted, with a warning;
- a cell longer than any real field value is cut, with an error on its row;
- in a delimited text file, a row with more cells than the header (a delimiter inside an
  unquoted value shifts every later column) is an error, and a row with fewer a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from cbccvc.intake.grid import Grid
from cbccvc.intake.headers import (
    ROW_NUMBER_HEADERS,
    HeaderMatch,
    find_header,
    is_column_number_row,
)
from cbccvc.intake.legacy_encodings import convert_value, detect_legacy, may_be_legacy
from cbccvc.intake.table import Column, Table, column_letter
from cbccvc.models import Finding
from cbccvc.schema import fold_header
from cbccvc.validation.codes import SEVERITY

# No field of a record is longer than this; the longest real values, unit names, stay under 300.
MAX_CELL_CHARS = 1_000
# Legacy-font detection reads this many distinct candidate values of a column.
LEGACY_SAMPLE_VALUES = 500
# Fields that every real record fills and a signature block never does.
KEY_FIELDS = ("personal_id", "birth_date")
FOOTER_MAX_CELLS = 3


def table_from_grid(grid: Grid, file_name: str) -> Table | None:
    """Return the grid's table, or None when no header row names at least three known fields."""
    header = find_header(grid.rows, grid.merged)
    if header is None:
        return None
    rows = grid.rows
    start = header.last_row + 1
    if start < len(rows) and is_column_number_row(rows[start]):
        start += 1
    _fill_merged_down(grid, start)

    positions = sorted(header.fields)
    padded = _padded(rows, start, positions[-1] + 1)
    field_cells = itemgetter(*positions)
    record_indexes = [index for index in range(start, len(rows)) if _has_value(field_cells(padded[index]))]
    footer = _footer_indexes(rows, record_indexes, header)
    if footer:
        record_indexes = record_indexes[:-len(footer)]
    kept_rows = [padded[index] for index in record_indexes]

    table = Table(
        file_name=file_name,
        sheet=grid.sheet,
        header_row=grid.row_numbers[header.last_row],
        row_numbers=[grid.row_numbers[index] for index in record_indexes],
        columns={},
        unrecognised_headers=[
            text for position, text in enumerate(header.texts)
            if text and position not in header.fields and fold_header(text) not in ROW_NUMBER_HEADERS
        ],
        headers_found=[text for text in header.texts if text],
        date_epoch=grid.date_epoch,
    )
    for position in positions:
        values = list(map(itemgetter(position), kept_rows))
        column = Column(field=header.fields[position], index=grid.first_column + position,
                        header=header.texts[position], values=values)
        table.columns[column.field] = column
        _repair_column(table, column)
    _note_legacy_headers(table, header)
    if grid.delimited:
        _check_row_widths(table, [rows[index] for index in record_indexes], header, grid.first_column)
    if footer:
        _add(table, "ROWS_NOT_RECORDS", row=grid.row_numbers[footer[0]],
             rows=", ".join(str(grid.row_numbers[index]) for index in footer))
    return table


def _padded(rows: list[list[Any]], start: int, width: int) -> list[list[Any]]:
    """Return ``rows`` with the data rows shorter than ``width`` padded with empty cells (a copy only if needed)."""
    if all(len(row) >= width for row in rows[start:]):
        return rows
    return [row if index < start or len(row) >= width else [*row, *[""] * (width - len(row))]
            for index, row in enumerate(rows)]


def _has_value(cells: Sequence[Any]) -> bool:
    for cell in cells:
        if cell is None or cell == "" or (cell.__class__ is str and cell.isspace()):
            continue
        return True
    return False


def _fill_merged_down(grid: Grid, start: int) -> None:
    """Copy the value of each one-column block merged over data rows into every row of the block."""
    for block in grid.merged:
        if block.first_column != block.last_column or block.first_row < start or block.last_row <= block.first_row:
            continue
        column = block.first_column
        top = grid.rows[block.first_row] if block.first_row < len(grid.rows) else []
        if column >= len(top):
            continue
        value = top[column]
        for index in range(block.first_row + 1, min(block.last_row, len(grid.rows) - 1) + 1):
            row = grid.rows[index]
            if column < len(row) and row[column] in ("", None):
                row[column] = value


def _footer_indexes(rows: list[list[Any]], record_indexes: list[int], header: HeaderMatch) -> list[int]:
    """Return the trailing record rows that are a signature block, not records."""
    key_positions = [position for position, name in header.fields.items() if name in KEY_FIELDS]
    if not key_positions:
        return []
    footer: list[int] = []
    for index in reversed(record_indexes):
        row = rows[index]
        filled = sum(1 for cell in row if cell is not None and str(cell).strip())
        has_key = any(position < len(row) and _looks_like_key(row[position]) for position in key_positions)
        if has_key or filled > FOOTER_MAX_CELLS:
            break
        footer.append(index)
    if len(footer) == len(record_indexes):
        return []  # no row has an ID or a date of birth: leave the findings to the checks
    return sorted(footer)


def _looks_like_key(cell: Any) -> bool:
    """Tell whether a cell could hold an ID or a date: a number, a date, or text with a digit."""
    if isinstance(cell, str):
        return any(char.isdigit() for char in cell)
    return cell is not None


def _repair_column(table: Table, column: Column) -> None:
    """Convert legacy-font text and cut over-long cells, looking at each distinct value once."""
    distinct = set(column.values)
    texts = [value for value in distinct if value.__class__ is str and not value.isascii()]
    candidates = sorted(value for value in texts if may_be_legacy(value))
    _convert_legacy_font(table, column, candidates)
    long_values = {value for value in distinct if value.__class__ is str and len(value) > MAX_CELL_CHARS}
    if long_values:
        _cut_long_cells(table, column, long_values)


def _convert_legacy_font(table: Table, column: Column, candidates: list[str]) -> None:
    # Sorted candidates make the sample, and so the decision, the same on every run.
    encoding = detect_legacy(candidates[:LEGACY_SAMPLE_VALUES]) if candidates else None
    converted_cells = 0
    if encoding is not None:
        conversions = {value: converted for value in candidates
                       if (converted := convert_value(value, encoding)) is not None}
        if conversions:
            values = column.values
            for index, value in enumerate(values):
                if value.__class__ is str and value in conversions:
                    values[index] = conversions[value]
                    converted_cells += 1
    if encoding is not None and converted_cells:
        _add(table, "CELL_LEGACY_FONT", row=table.header_row or None, column=column, encoding=encoding.value,
             cells=converted_cells)


def _note_legacy_headers(table: Table, header: HeaderMatch) -> None:
    """Warn once when only the header row was typed with a legacy font."""
    if not header.legacy or any(finding.code == "CELL_LEGACY_FONT" for finding in table.findings):
        return
    position, encoding = min(header.legacy.items())
    column = table.columns[header.fields[position]]
    _add(table, "CELL_LEGACY_FONT", row=table.header_row or None, column=column, encoding=encoding.value, cells=0)


def _cut_long_cells(table: Table, column: Column, long_values: set[str]) -> None:
    values = column.values
    for index, value in enumerate(values):
        if value.__class__ is str and value in long_values:
            _add(table, "CELL_TOO_LONG", row=table.row_numbers[index], column=column, length=len(value),
                 limit=MAX_CELL_CHARS)
            values[index] = value[:MAX_CELL_CHARS]


def _check_row_widths(table: Table, rows: list[list[Any]], header: HeaderMatch, first_column: int) -> None:
    named = [position for position, text in enumerate(header.texts) if text]
    width = (named[-1] + 1) if named else 0
    if all(len(row) == width for row in rows):
        return
    for row_number, row in zip(table.row_numbers, rows, strict=True):
        if len(row) > width:
            extra = next((position for position in range(width, len(row)) if str(row[position]).strip()), None)
            if extra is not None:
                _add(table, "ROW_TOO_MANY_CELLS", row=row_number, letter=column_letter(first_column + extra),
                     cells=len(row), expected=width)
        elif len(row) < width:
            _add(table, "ROW_TOO_FEW_CELLS", row=row_number, letter=column_letter(first_column + len(row)),
                 cells=len(row), expected=width)


def _add(table: Table, code: str, *, row: int | None, column: Column | None = None, letter: str | None = None,
         **params: Any) -> None:
    table.findings.append(Finding(
        code=code,
        severity=SEVERITY[code],
        row=row,
        column=column.letter if column else letter,
        sheet=table.sheet,
        header=column.header if column else None,
        field=column.field if column else None,
        params=params,
    ))
