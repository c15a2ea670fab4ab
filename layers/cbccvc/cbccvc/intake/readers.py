"""Read an agency export (.xlsx, .xls, .ods, .csv, .json) into tables of recognised columns.

The content decides how a file is read, and the extension only where the content does not.
A workbook saved under a .csv name is still read as a workbook. HR programs also write HTML
tables, XML Spreadsheet 2003 and tab-separated text under an .xls name, and each is read as
what it is.
A file the product cannot read raises ``UnreadableFileError`` with a finding code, so the
validate stage rejects the batch with a Vietnamese reason and keeps the original upload.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from cbccvc.intake.delimited import read_delimited_text
from cbccvc.intake.encodings import DecodedText, decode_export_text, decode_text
from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid
from cbccvc.intake.headers import HEADER_SEARCH_ROWS, cell_text
from cbccvc.intake.json_records import read_json_records
from cbccvc.intake.markup import is_markup, read_markup
from cbccvc.intake.spreadsheets import OLE_MAGIC, ZIP_MAGIC, read_workbook
from cbccvc.intake.table import Table
from cbccvc.intake.tables import table_from_grid
from cbccvc.models import Finding
from cbccvc.schema import FIELDS
from cbccvc.validation.codes import SEVERITY

__all__ = [
    "HEADER_SEARCH_ROWS",
    "JSON_EXTENSIONS",
    "SPREADSHEET_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "UnreadableFileError",
    "decode_text",
    "file_extension",
    "read_export",
    "read_grids",
    "table_from_rows",
]

SPREADSHEET_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
TEXT_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
JSON_EXTENSIONS = frozenset({".json"})
# Headers listed in a HEADER_NOT_FOUND finding.
MAX_HEADERS_LISTED = 30


def file_extension(file_name: str) -> str:
    return PurePosixPath(file_name).suffix.lower()


def read_export(data: bytes, file_name: str) -> list[Table]:
    """Read every visible sheet with records; raise UnreadableFileError when there is none."""
    grids, file_findings = read_grids(data, file_name)
    if not any(_has_content(grid) for grid in grids):
        raise UnreadableFileError("FILE_EMPTY", file=file_name)

    tables: list[Table] = []
    headers_seen: list[str] = []
    for grid in grids:
        table = table_from_grid(grid, file_name)
        if table is None:
            headers_seen.extend(text for text in _first_nonempty_row(grid.rows) if text)
            continue
        tables.append(table)
    if not tables:
        raise UnreadableFileError(
            "HEADER_NOT_FOUND",
            file=file_name,
            found=", ".join(headers_seen[:MAX_HEADERS_LISTED]) or "-",
            expected=", ".join(spec.header for spec in FIELDS),
        )
    tables[0].findings[:0] = file_findings
    return tables


def read_grids(data: bytes, file_name: str) -> tuple[list[Grid], list[Finding]]:
    """Return the grids of an export (one per visible worksheet) and the findings about the whole file."""
    extension = file_extension(file_name)
    known = SPREADSHEET_EXTENSIONS | TEXT_EXTENSIONS | JSON_EXTENSIONS
    if extension not in known:
        raise UnreadableFileError("FILE_FORMAT_UNSUPPORTED", file=file_name, extension=extension or "(none)")
    if not data.strip(b"\x00\t\r\n \xef\xbb\xbf\xff\xfe"):
        raise UnreadableFileError("FILE_EMPTY", file=file_name)
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return read_workbook(data, file_name), []

    spreadsheet = extension in SPREADSHEET_EXTENSIONS
    decoded = _decode(data, file_name, spreadsheet=spreadsheet)
    findings = []
    if decoded.legacy is not None:
        findings.append(Finding(code="FILE_LEGACY_ENCODING", severity=SEVERITY["FILE_LEGACY_ENCODING"],
                                params={"file": file_name, "encoding": decoded.legacy.value}))
    if extension in JSON_EXTENSIONS:
        return [read_json_records(decoded.text, file_name)], findings
    if spreadsheet and is_markup(decoded.text):
        return read_markup(decoded.text, file_name), findings
    return [read_delimited_text(decoded.text, file_name)], findings


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
    grid = Grid(sheet=sheet, rows=[list(row) for row in rows],
                row_numbers=list(range(first_row + 1, first_row + 1 + len(rows))), first_column=first_column)
    return table_from_grid(grid, file_name)


def _read_delimited(data: bytes, file_name: str) -> list[list[Any]]:
    """Return the rows of a delimited text file as the reader parses them (one row per record)."""
    grid = read_delimited_text(decode_export_text(data, file_name).text, file_name)
    return list(grid.rows)


def _has_content(grid: Grid) -> bool:
    return any(cell_text(cell) for row in grid.rows for cell in row)


def _first_nonempty_row(rows: Sequence[Sequence[Any]]) -> list[str]:
    for row in rows[:HEADER_SEARCH_ROWS]:
        texts = [cell_text(cell) for cell in row]
        if any(texts):
            return texts
    return []
