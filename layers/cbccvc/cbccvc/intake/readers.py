"""Read an agency export (.xlsx, .xlsm, .xls, .ods, .csv, .tsv, .txt, .json) into tables of recognised columns.

The content decides how a file is read, and the extension only where the content does not.
A workbook saved under a .csv name is still read as a workbook. HR programs also write HTML
tables, XML Spreadsheet 2003 and tab-separated text under an .xls name, and each is read as
what it is.

Large files take the fast paths: fastexcel for .xlsx and .xlsm, polars for delimited text.
Everything else (and a file a fast path cannot read the same way) is read into Python values
first and converted to the same text columns, so the checks see one form (``SheetData``).
A file the product cannot read raises ``UnreadableFileError`` with a finding code, so the
validate stage rejects the batch with a Vietnamese reason and keeps the original upload.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath
from typing import Any

import polars as pl

from cbccvc.intake.delimited import (
    choose_delimiter,
    parse_with_polars,
    read_delimited_sheet,
    read_delimited_text,
    sample_text,
)
from cbccvc.intake.encodings import DecodedText, decode_export_text, decode_text
from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid
from cbccvc.intake.headers import HEADER_SEARCH_ROWS, cell_text
from cbccvc.intake.json_records import MAX_COLUMNS as JSON_MAX_COLUMNS
from cbccvc.intake.json_records import read_json_records
from cbccvc.intake.markup import is_markup, read_markup
from cbccvc.intake.sheet import SheetData, sheet_from_grid, sheet_from_rows
from cbccvc.intake.spreadsheets import OLE_MAGIC, ZIP_MAGIC, read_workbook
from cbccvc.intake.table import Table
from cbccvc.intake.tables import table_from_sheet
from cbccvc.intake.xlsx_fast import read_xlsx_sheets
from cbccvc.intake.xlsx_parts import CellReferenceMissing, SheetXml, read_part, sheet_entries
from cbccvc.models import Finding
from cbccvc.schema import DEFAULT_MANDATORY_FIELDS, FIELDS_BY_NAME
from cbccvc.validation.codes import SEVERITY

__all__ = [
    "HEADER_SEARCH_ROWS",
    "JSON_EXTENSIONS",
    "NO_EXTENSION",
    "SPREADSHEET_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "UnreadableFileError",
    "decode_text",
    "file_extension",
    "read_export",
    "read_grids",
    "read_sheets",
    "table_from_rows",
]

SPREADSHEET_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
TEXT_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
JSON_EXTENSIONS = frozenset({".json"})
# The ``extension`` of FILE_FORMAT_UNSUPPORTED for a name without one; reports word it.
NO_EXTENSION = "none"
# A byte other than white space, NUL or a byte order mark: the file is not empty.
_SOMETHING = re.compile(rb"[^\x00\t\r\n \xef\xbb\xbf\xff\xfe]")
# Headers listed in a HEADER_NOT_FOUND finding.
MAX_HEADERS_LISTED = 30


def file_extension(file_name: str) -> str:
    return PurePosixPath(file_name).suffix.lower()


def read_export(data: bytes, file_name: str,
                mandatory_fields: Sequence[str] = DEFAULT_MANDATORY_FIELDS) -> list[Table]:
    """Read every visible sheet with records; raise UnreadableFileError when there is none.

    ``mandatory_fields`` are named in the HEADER_NOT_FOUND message as the headers a file needs.
    """
    sheets, hidden, file_findings = read_sheets(data, file_name)
    try:
        return _tables(sheets, hidden, file_findings, file_name, mandatory_fields)
    except CellReferenceMissing:
        # A cell the fast path looked up in the sheet's XML is not there (cells written without
        # references): python-calamine reads such a workbook by cell order.
        sheets, hidden, file_findings = read_sheets(data, file_name, fast=False)
        return _tables(sheets, hidden, file_findings, file_name, mandatory_fields)


def _tables(sheets: list[SheetData], hidden: list[SheetData], file_findings: list[Finding], file_name: str,
            mandatory_fields: Sequence[str]) -> list[Table]:
    hidden_findings = _hidden_sheet_findings(hidden, file_name)
    visible_content = any(_has_content(sheet) for sheet in sheets)
    if not visible_content and not hidden_findings:
        raise UnreadableFileError("FILE_EMPTY", file=file_name)

    tables: list[Table] = []
    headers_seen: list[str] = []
    for sheet in sheets:
        table = table_from_sheet(sheet, file_name)
        if table is None:
            headers_seen.extend(text for text in _first_nonempty_row(sheet) if text)
            continue
        tables.append(table)
    # A sheet whose header names neither a name nor an ID column lists no people (the template's
    # catalog sheet, a list of units): where another sheet lists people, it is left out.
    people = [table for table in tables if _lists_people(table)]
    if people:
        tables = people
    if not tables and hidden_findings:
        # The records exist, on sheets the reader skips: report that rather than "no header".
        raise UnreadableFileError(
            "SHEETS_ONLY_HIDDEN", file=file_name,
            sheets=", ".join(f"«{finding.params['sheet']}»" for finding in hidden_findings),
            rows=sum(finding.params["rows"] for finding in hidden_findings))
    if not tables:
        raise UnreadableFileError(
            "HEADER_NOT_FOUND",
            file=file_name,
            found=", ".join(headers_seen[:MAX_HEADERS_LISTED]) or "-",
            expected=", ".join(FIELDS_BY_NAME[name].header for name in mandatory_fields),
        )
    tables[0].findings[:0] = [*file_findings, *hidden_findings]
    return tables


def read_sheets(data: bytes, file_name: str, *,
                fast: bool = True) -> tuple[list[SheetData], list[SheetData], list[Finding]]:
    """Return the visible sheets of an export, its hidden worksheets, and the findings about the whole file.

    ``fast`` False reads a workbook with python-calamine even where fastexcel could read it.
    """
    extension = file_extension(file_name)
    known = SPREADSHEET_EXTENSIONS | TEXT_EXTENSIONS | JSON_EXTENSIONS
    if extension not in known:
        raise UnreadableFileError("FILE_FORMAT_UNSUPPORTED", file=file_name, extension=extension or NO_EXTENSION)
    if not _SOMETHING.search(data):
        raise UnreadableFileError("FILE_EMPTY", file=file_name)
    if data.startswith(ZIP_MAGIC) and fast:
        sheets = read_xlsx_sheets(data, file_name)
        if sheets is not None:
            return sheets.visible, sheets.hidden, []
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        grids = read_workbook(data, file_name, include_hidden=True)
        errors = _workbook_errors(data)
        visible = [_sheet_of(grid, errors) for grid in grids if not grid.hidden]
        hidden = [_sheet_of(grid, errors) for grid in grids if grid.hidden]
        return visible, hidden, []

    spreadsheet = extension in SPREADSHEET_EXTENSIONS
    if not spreadsheet and extension not in JSON_EXTENSIONS:
        return _read_text_file(data, file_name)
    decoded = _decode(data, file_name, spreadsheet=spreadsheet)
    findings = _encoding_findings(decoded, file_name)
    if extension in JSON_EXTENSIONS:
        grid = read_json_records(decoded.text, file_name)
        if grid.dropped_columns:
            findings.append(Finding(code="COLUMNS_DROPPED", severity=SEVERITY["COLUMNS_DROPPED"],
                                    params={"file": file_name, "count": grid.dropped_columns,
                                            "limit": JSON_MAX_COLUMNS}))
        return [_sheet_of(grid)], [], findings
    if spreadsheet and is_markup(decoded.text):
        return [_sheet_of(grid) for grid in read_markup(decoded.text, file_name)], [], findings
    return [read_delimited_sheet(decoded.text, file_name, decoded.utf8)], [], findings


def _read_text_file(data: bytes, file_name: str) -> tuple[list[SheetData], list[SheetData], list[Finding]]:
    """Read a .csv, .tsv or .txt file: polars parses the bytes while Python checks how they are encoded.

    Most files are UTF-8 already in NFC form; then the bytes polars parsed in a second thread
    are the text, and the parse is kept. Otherwise the text is parsed again once decoded.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = _decode(data, file_name, spreadsheet=False)
        return [read_delimited_sheet(decoded.text, file_name, decoded.utf8)], [], _encoding_findings(decoded, file_name)
    sample = sample_text(data)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv") as pool:
        parsed = pool.submit(parse_with_polars, data, choose_delimiter(sample), sample)
        decoded = _decode(data, file_name, spreadsheet=False)
        sheet = parsed.result()
    if sheet is None or decoded.utf8 is None:
        sheet = read_delimited_sheet(decoded.text, file_name, decoded.utf8)
    return [sheet], [], _encoding_findings(decoded, file_name)


def read_grids(data: bytes, file_name: str) -> tuple[list[Grid], list[Finding]]:
    """Return the grids of an export as Python values (one per visible worksheet), for the annotated copy."""
    extension = file_extension(file_name)
    known = SPREADSHEET_EXTENSIONS | TEXT_EXTENSIONS | JSON_EXTENSIONS
    if extension not in known:
        raise UnreadableFileError("FILE_FORMAT_UNSUPPORTED", file=file_name, extension=extension or NO_EXTENSION)
    if not data.strip(b"\x00\t\r\n \xef\xbb\xbf\xff\xfe"):
        raise UnreadableFileError("FILE_EMPTY", file=file_name)
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return read_workbook(data, file_name), []

    spreadsheet = extension in SPREADSHEET_EXTENSIONS
    decoded = _decode(data, file_name, spreadsheet=spreadsheet)
    findings = _encoding_findings(decoded, file_name)
    if extension in JSON_EXTENSIONS:
        return [read_json_records(decoded.text, file_name)], findings
    if spreadsheet and is_markup(decoded.text):
        return read_markup(decoded.text, file_name), findings
    return [read_delimited_text(decoded.text, file_name)], findings


def _encoding_findings(decoded: DecodedText, file_name: str) -> list[Finding]:
    if decoded.legacy is None:
        return []
    return [Finding(code="FILE_LEGACY_ENCODING", severity=SEVERITY["FILE_LEGACY_ENCODING"],
                    params={"file": file_name, "encoding": decoded.legacy.value,
                            "fonts": decoded.legacy.fonts})]


def _sheet_of(grid: Grid, errors: dict[str, dict[tuple[int, int], str]] | None = None) -> SheetData:
    """Convert a grid of Python values, moving the sheet's formula errors into grid coordinates."""
    if grid.errors is not None:
        grid_errors = grid.errors
    else:
        first_row = grid.row_numbers[0] - 1 if grid.row_numbers else 0
        sheet_errors = (errors or {}).get(grid.sheet or "", {})
        grid_errors = {(row - first_row, column - grid.first_column): value
                       for (row, column), value in sheet_errors.items()
                       if row >= first_row and column >= grid.first_column}
    return sheet_from_grid(grid, grid_errors)


def _workbook_errors(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Return each worksheet's formula errors in sheet coordinates (an .xlsx package only)."""
    if not data.startswith(ZIP_MAGIC):
        # NOTE: python-calamine reads a formula error of an .xls or .ods as an empty cell, and
        # those formats are not parsed here, so the cell is reported as missing there.
        return {}
    errors: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in sheet_entries(archive):
                xml = read_part(archive, entry.part) if entry.part and entry.worksheet else None
                if xml is not None:
                    errors[entry.name] = SheetXml(xml).formula_errors()
    except (zipfile.BadZipFile, OSError, ValueError, CellReferenceMissing):
        return {}
    return errors


def _lists_people(table: Table) -> bool:
    return "personal_id" in table.columns or "full_name" in table.columns


def _hidden_sheet_findings(hidden: Sequence[SheetData], file_name: str) -> list[Finding]:
    """Warn about each hidden worksheet that lists people, because it is not read."""
    findings = []
    for sheet in hidden:
        table = table_from_sheet(sheet, file_name)
        if table is not None and len(table) and _lists_people(table):
            findings.append(Finding(code="SHEET_HIDDEN_SKIPPED", severity=SEVERITY["SHEET_HIDDEN_SKIPPED"],
                                    sheet=sheet.sheet, params={"sheet": sheet.sheet or "", "rows": len(table)}))
    return findings


def _decode(data: bytes, file_name: str, *, spreadsheet: bool) -> DecodedText:
    try:
        return decode_export_text(data, file_name)
    except UnreadableFileError as error:
        if spreadsheet:
            # A binary file under a workbook's name that is no workbook: damaged, not mis-encoded.
            raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error
        raise


def table_from_rows(
    rows: Sequence[Sequence[Any]],
    *,
    file_name: str,
    sheet: str | None,
    first_row: int = 0,
    first_column: int = 0,
) -> Table | None:
    """Find the header row among ``rows`` and build a column table; None if no header.

    ``first_row`` and ``first_column`` are the 0-based sheet coordinates of ``rows[0][0]``,
    so cell addresses match what the agency sees in Excel.
    """
    data = sheet_from_rows(rows, sheet=sheet, row_numbers=range(first_row + 1, first_row + 1 + len(rows)),
                           first_column=first_column)
    return table_from_sheet(data, file_name)


def _has_content(sheet: SheetData) -> bool:
    if sheet.frame.height == 0 or sheet.frame.width == 0:
        return False
    # The first rows nearly always have content, which spares a pass over a large file.
    for frame in (sheet.frame.head(HEADER_SEARCH_ROWS + 1), sheet.frame):
        filled = pl.any_horizontal(pl.col(name).str.strip_chars().str.len_bytes().fill_null(0).gt(0).any()
                                   for name in frame.columns)
        if frame.select(filled).item():
            return True
    return False


def _first_nonempty_row(sheet: SheetData) -> list[str]:
    for row in sheet.head(1, start=sheet.first_filled_row()):
        return [cell_text(cell) for cell in row]
    return []
