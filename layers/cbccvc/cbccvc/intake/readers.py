"""Read an agency export (.xlsx, .xls, .ods, .csv, .json) into tables of recognised columns.

A file the product cannot read raises ``UnreadableFileError`` with a finding code, so the
validate stage rejects the batch with a Vietnamese reason and keeps the original upload.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

import python_calamine

from cbccvc.intake.table import Column, Table
from cbccvc.schema import FIELDS, build_header_index, fold_header

SPREADSHEET_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
TEXT_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
JSON_EXTENSIONS = frozenset({".json"})
# Header detection looks at the first rows only; title blocks above the header are short.
HEADER_SEARCH_ROWS = 30
# A header row must name at least this many known fields to count as one.
MIN_RECOGNISED_HEADERS = 3

_HEADER_INDEX = build_header_index()


class UnreadableFileError(ValueError):
    """The file cannot be turned into tables; ``code`` is a finding code of the catalog."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def file_extension(file_name: str) -> str:
    return PurePosixPath(file_name).suffix.lower()


def read_export(data: bytes, file_name: str) -> list[Table]:
    """Read every visible sheet that holds records; raise UnreadableFileError otherwise."""
    extension = file_extension(file_name)
    grids: list[tuple[str | None, int, int, list[list[Any]]]]
    if extension in SPREADSHEET_EXTENSIONS:
        grids = _read_spreadsheet(data, file_name)
    elif extension in TEXT_EXTENSIONS:
        grids = [(None, 0, 0, _read_delimited(data, file_name))]
    elif extension in JSON_EXTENSIONS:
        return [_read_json(data, file_name)]
    else:
        raise UnreadableFileError("FILE_FORMAT_UNSUPPORTED", file=file_name, extension=extension or "(none)")

    tables = []
    headers_seen: list[str] = []
    for sheet, first_row, first_column, rows in grids:
        table = table_from_rows(rows, file_name=file_name, sheet=sheet, first_row=first_row,
                                first_column=first_column)
        if table is None:
            headers_seen.extend(cell for cell in _first_nonempty_row(rows) if cell)
            continue
        tables.append(table)
    if not tables:
        raise UnreadableFileError(
            "HEADER_NOT_FOUND",
            file=file_name,
            found=", ".join(headers_seen[:30]) or "-",
            expected=", ".join(spec.header for spec in FIELDS),
        )
    return tables


def table_from_rows(
    rows: Sequence[Sequence[Any]],
    *,
    file_name: str,
    sheet: str | None,
    first_row: int = 0,
    first_column: int = 0,
) -> Table | None:
    """Find the header row among the first rows and build a column table; None if no header.

    ``first_row`` and ``first_column`` are the 0-based sheet coordinates of ``rows[0][0]``,
    so cell addresses match what the agency sees in Excel.
    """
    header_offset, mapping = _find_header(rows)
    if header_offset is None:
        return None
    header_cells = [_cell_text(cell) for cell in rows[header_offset]]
    data_rows = rows[header_offset + 1:]

    row_numbers: list[int] = []
    kept_rows: list[Sequence[Any]] = []
    for offset, row in enumerate(data_rows):
        if all(cell is None or cell == "" for cell in row):
            continue
        row_numbers.append(first_row + header_offset + 2 + offset)
        kept_rows.append(row)

    columns: dict[str, Column] = {}
    for position, field_name in mapping.items():
        values = [row[position] if position < len(row) else "" for row in kept_rows]
        columns[field_name] = Column(field=field_name, index=first_column + position,
                                     header=header_cells[position], values=values)
    unrecognised = [
        text for position, text in enumerate(header_cells)
        if text and position not in mapping and fold_header(text) not in {"stt", "tt", "so tt"}
    ]
    return Table(
        file_name=file_name,
        sheet=sheet,
        header_row=first_row + header_offset + 1,
        row_numbers=row_numbers,
        columns=columns,
        unrecognised_headers=unrecognised,
        headers_found=[text for text in header_cells if text],
    )


def _find_header(rows: Sequence[Sequence[Any]]) -> tuple[int | None, dict[int, str]]:
    best_offset: int | None = None
    best_mapping: dict[int, str] = {}
    for offset, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = _match_headers(row)
        if len(mapping) > len(best_mapping):
            best_offset, best_mapping = offset, mapping
    if len(best_mapping) < MIN_RECOGNISED_HEADERS:
        return None, {}
    return best_offset, best_mapping


def _match_headers(row: Sequence[Any]) -> dict[int, str]:
    """Map column positions to field names; the first column claiming a field wins."""
    mapping: dict[int, str] = {}
    claimed: set[str] = set()
    for position, cell in enumerate(row):
        if not isinstance(cell, str) or not cell.strip():
            continue
        field_name = _HEADER_INDEX.get(fold_header(cell))
        if field_name and field_name not in claimed:
            mapping[position] = field_name
            claimed.add(field_name)
    return mapping


def _cell_text(cell: Any) -> str:
    return " ".join(str(cell).split()) if cell not in (None, "") else ""


def _first_nonempty_row(rows: Sequence[Sequence[Any]]) -> list[str]:
    for row in rows[:HEADER_SEARCH_ROWS]:
        texts = [_cell_text(cell) for cell in row]
        if any(texts):
            return texts
    return []


def _read_spreadsheet(data: bytes, file_name: str) -> list[tuple[str | None, int, int, list[list[Any]]]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error

    grids: list[tuple[str | None, int, int, list[list[Any]]]] = []
    for metadata in workbook.sheets_metadata:
        if metadata.visible != python_calamine.SheetVisibleEnum.Visible:
            continue
        if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        try:
            sheet = workbook.get_sheet_by_name(metadata.name)
            rows = sheet.to_python(skip_empty_area=True)
        except python_calamine.CalamineError as error:
            raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error
        first_row, first_column = sheet.start or (0, 0)
        grids.append((metadata.name, first_row, first_column, rows))
    return grids


def decode_text(data: bytes) -> str:
    """Decode a text export: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258")


def _read_delimited(data: bytes, file_name: str) -> list[list[Any]]:
    try:
        text = decode_text(data)
    except UnicodeDecodeError as error:
        raise UnreadableFileError("FILE_ENCODING_UNKNOWN", file=file_name) from error
    sample = text[:20_000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]


def _read_json(data: bytes, file_name: str) -> Table:
    try:
        payload = json.loads(decode_text(data))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UnreadableFileError("FILE_JSON_INVALID", file=file_name) from error
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise UnreadableFileError("FILE_JSON_NOT_RECORDS", file=file_name)
    headers: list[str] = list(dict.fromkeys(key for item in payload for key in item))
    rows: list[list[Any]] = [headers]
    rows.extend([item.get(header, "") for header in headers] for item in payload)
    table = table_from_rows(rows, file_name=file_name, sheet=None)
    if table is None:
        raise UnreadableFileError("HEADER_NOT_FOUND", file=file_name, found=", ".join(headers[:30]),
                                  expected=", ".join(spec.header for spec in FIELDS))
    # JSON has no rows on screen: number records from 1 instead of the header-relative line.
    table.row_numbers = list(range(1, len(table.row_numbers) + 1))
    return table
