"""Change cells of an export the way an HR officer would, to show that only changed records are resent."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import python_calamine
import xlsxwriter

from cbccvc.intake.readers import decode_text, file_extension, read_export

CHANGED_POSITION_SUFFIX = " (kiêm nhiệm)"


def change_positions(data: bytes, file_name: str, rows: Sequence[int]) -> bytes:
    """Return a copy of the export whose position cell, on each given row, has a suffix appended.

    ``rows`` are 1-based sheet rows, as in the validation report. Supports .xlsx and .csv.
    """
    table = read_export(data, file_name)[0]
    column = table.columns["position"].index
    targets = set(rows)
    if file_extension(file_name) == ".csv":
        return _change_csv(data, column, targets)
    return _change_xlsx(data, table.sheet, column, targets)


def _change_csv(data: bytes, column: int, rows: set[int]) -> bytes:
    lines = list(csv.reader(io.StringIO(decode_text(data), newline="")))
    for number in rows:
        lines[number - 1][column] += CHANGED_POSITION_SUFFIX
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode("utf-8-sig")


def _change_xlsx(data: bytes, sheet_name: str | None, column: int, rows: set[int]) -> bytes:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    output = io.BytesIO()
    target = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
    date_format = target.add_format({"num_format": "dd/mm/yyyy"})
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        first_row, first_column = sheet.start or (0, 0)
        written = target.add_worksheet(name)
        for offset, row in enumerate(sheet.to_python(skip_empty_area=True)):
            number = first_row + offset + 1
            for position, value in enumerate(row):
                changed = name == sheet_name and number in rows and first_column + position == column
                cell = f"{value}{CHANGED_POSITION_SUFFIX}" if changed else value
                _write(written, first_row + offset, first_column + position, cell, date_format)
    target.close()
    return output.getvalue()


def _write(sheet: Any, row: int, column: int, value: Any, date_format: Any) -> None:
    if value in ("", None):
        return
    if isinstance(value, datetime | date):
        sheet.write_datetime(row, column, value, date_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, str(value))
