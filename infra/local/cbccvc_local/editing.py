"""Change cells of an export the way an HR officer would, to show that only changed records are resent.

Supported: .xlsx/.xlsm workbooks (rewritten with every sheet, hidden ones kept hidden), delimited
text (.csv, .tsv, .txt, rewritten as UTF-8 with the same delimiter) and JSON exports. Other formats
raise ``UneditableExportError`` so the demo can skip the step and say why.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

import python_calamine
import xlsxwriter

from cbccvc.schema import build_header_index, fold_header

CHANGED_POSITION_SUFFIX = " (kiêm nhiệm)"
_HEADER_SEARCH_ROWS = 30
_TEXT_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})
_WORKBOOK_EXTENSIONS = frozenset({".xlsx", ".xlsm"})


class UneditableExportError(ValueError):
    """The export's format or layout cannot be edited by this tool."""


def change_positions(data: bytes, file_name: str, rows: Sequence[int]) -> bytes:
    """Return a copy of the export whose position cell, on each given row, has a suffix appended.

    ``rows`` are the row numbers of the validation report: 1-based sheet rows for workbooks,
    line numbers for delimited text, record numbers for JSON.
    """
    extension = PurePosixPath(file_name).suffix.lower()
    targets = set(rows)
    if extension in _WORKBOOK_EXTENSIONS:
        return _change_workbook(data, targets)
    if extension in _TEXT_EXTENSIONS:
        return _change_delimited(data, targets)
    if extension == ".json":
        return _change_json(data, targets)
    raise UneditableExportError(f"cannot edit {extension or 'a file without extension'} exports")


def _position_column(header_row: Sequence[Any]) -> int | None:
    index = build_header_index()
    for position, cell in enumerate(header_row):
        if isinstance(cell, str) and index.get(fold_header(cell)) == "position":
            return position
    return None


def _find_header(rows: Sequence[Sequence[Any]]) -> tuple[int, int]:
    """Return (row offset of the header, column of the position header)."""
    for offset, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        column = _position_column(row)
        if column is not None:
            return offset, column
    raise UneditableExportError("no position column (Chức vụ) found in the header")


def _change_workbook(data: bytes, rows: set[int]) -> bytes:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    hidden = {metadata.name for metadata in workbook.sheets_metadata
              if metadata.visible != python_calamine.SheetVisibleEnum.Visible}
    output = io.BytesIO()
    target = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
    date_format = target.add_format({"num_format": "dd/mm/yyyy"})
    edited = False
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        first_row, first_column = sheet.start or (0, 0)
        cells = sheet.to_python(skip_empty_area=True)
        written = target.add_worksheet(name)
        if name in hidden:
            written.hide()
        column = None
        if name not in hidden and not edited:
            try:
                _, found = _find_header(cells)
                column = first_column + found
            except UneditableExportError:
                column = None
        for offset, row in enumerate(cells):
            number = first_row + offset + 1
            for position, value in enumerate(row):
                changed = column is not None and number in rows and first_column + position == column
                cell = f"{value}{CHANGED_POSITION_SUFFIX}" if changed else value
                _write(written, first_row + offset, first_column + position, cell, date_format)
        edited = edited or column is not None
    target.close()
    if not edited:
        raise UneditableExportError("no sheet with a position column (Chức vụ)")
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


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258")


def _change_delimited(data: bytes, rows: set[int]) -> bytes:
    text = _decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = list(csv.reader(io.StringIO(text, newline=""), dialect))
    _, column = _find_header(lines)
    for number in rows:
        if number - 1 < len(lines) and column < len(lines[number - 1]):
            lines[number - 1][column] += CHANGED_POSITION_SUFFIX
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode("utf-8-sig")


def _change_json(data: bytes, rows: set[int]) -> bytes:
    payload = json.loads(_decode(data))
    records = payload
    if isinstance(payload, dict) and len(payload) >= 1:
        lists = [value for value in payload.values() if isinstance(value, list)]
        records = lists[0] if len(lists) == 1 else None
    if not isinstance(records, list):
        raise UneditableExportError("the JSON export is not an array of records")
    keys = list(dict.fromkeys(key for record in records if isinstance(record, dict) for key in record))
    column = _position_column(keys)
    if column is None:
        raise UneditableExportError("no position key (Chức vụ) in the JSON records")
    key = keys[column]
    for number in rows:
        record = records[number - 1] if 0 < number <= len(records) else None
        if isinstance(record, dict):
            record[key] = f"{record.get(key, '')}{CHANGED_POSITION_SUFFIX}"
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
