"""Read the visible worksheets of an .xlsx, .xlsm, .xlsb, .xls or .ods workbook with python-calamine.

python-calamine (0.9) returns dates for date-formatted cells, converting Excel serial numbers
with the workbook's own date system, but leaves a date typed into a General or Number cell as
a plain number. Such numbers are dates in the workbook's date system, so the reader takes the
1904 flag (``<workbookPr date1904="1"/>`` in ``xl/workbook.xml``) from the .xlsx package and
puts the epoch on each grid.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from datetime import date
from typing import Any

import fastexcel
import python_calamine

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid, RowDamage
from cbccvc.intake.headers import MergedRange
from cbccvc.intake.xlsx_parts import SheetExtent, sheet_entries, sheet_extent
from cbccvc.intake.xlsx_stream import MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, read_sparse_sheet
from cbccvc.validation.values import EXCEL_EPOCH_1900, EXCEL_EPOCH_1904

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An .xlsx saved with a password is an OLE compound file holding an "EncryptedPackage" stream;
# its directory names the stream in UTF-16LE.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](?:1|true)[\"']")
# The workbook part is small; reading more of a damaged package is not worth it.
_WORKBOOK_PART_LIMIT = 1 << 20


def read_workbook(data: bytes, file_name: str, *, include_hidden: bool = False) -> list[Grid]:
    """Return one grid per visible worksheet (and hidden one, when asked, flagged ``hidden``), in workbook order."""
    if data.startswith(OLE_MAGIC) and _ENCRYPTED_PACKAGE in data:
        raise UnreadableFileError("FILE_PASSWORD_PROTECTED", file=file_name)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as error:
        raise UnreadableFileError("FILE_PASSWORD_PROTECTED", file=file_name) from error
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error

    epoch = workbook_epoch(data)
    oversized = oversized_sheets(data)
    grids: list[Grid] = []
    for metadata in workbook.sheets_metadata:
        hidden = metadata.visible != python_calamine.SheetVisibleEnum.Visible
        if hidden and not include_hidden:
            continue
        if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        if metadata.name in oversized:
            grid = read_large_sheet(data, metadata.name, oversized[metadata.name], epoch=epoch, file_name=file_name)
            grid.hidden = hidden
            grids.append(grid)
            continue
        try:
            sheet = workbook.get_sheet_by_name(metadata.name)
            rows, damage = _sheet_rows(sheet, data, metadata.name)
            merged = sheet.merged_cell_ranges or []
        except python_calamine.PasswordError as error:
            raise UnreadableFileError("FILE_PASSWORD_PROTECTED", file=file_name) from error
        except (python_calamine.CalamineError, ValueError, OSError) as error:
            raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error
        first_row, first_column = sheet.start or (0, 0)
        grids.append(Grid(
            sheet=metadata.name,
            rows=rows,
            row_numbers=list(range(first_row + 1, first_row + 1 + len(rows))),
            first_column=first_column,
            merged=[
                MergedRange(max(top - first_row, 0), max(left - first_column, 0), bottom - first_row,
                            right - first_column)
                for (top, left), (bottom, right) in merged
                if bottom >= first_row and right >= first_column
            ],
            date_epoch=epoch,
            hidden=hidden,
            damage=damage,
        ))
    return grids


def _sheet_rows(sheet: python_calamine.CalamineSheet, data: bytes,
                name: str) -> tuple[list[list[Any]], list[RowDamage]]:
    """Return a sheet's rows from its first used cell, and the rows python-calamine could not convert.

    python-calamine raises OverflowError for a whole sheet when a duration-formatted cell
    ("[h]:mm:ss") contains a number too large for Python's timedelta, such as an ID. Such a
    sheet is read row by row. A failing row is read again as text with fastexcel, which leaves
    that cell empty, and gets a ROW_DATE_UNREADABLE finding.
    """
    try:
        return sheet.to_python(skip_empty_area=True), []
    except OverflowError:
        pass
    first_row, first_column = sheet.start or (0, 0)
    rows: list[list[Any]] = []
    damage: list[RowDamage] = []
    iterator = sheet.iter_rows()  # from row 1 and column A, not from the first used cell
    index = 0
    while True:
        try:
            row: list[Any] | None = next(iterator)
        except StopIteration:
            break
        except OverflowError:
            row = None
        if index >= first_row:
            if row is None:
                damage.append(RowDamage(len(rows), "ROW_DATE_UNREADABLE"))
                row = _row_as_text(data, name, index)
            rows.append(row[first_column:])
        index += 1
    return rows, damage


def _row_as_text(data: bytes, name: str, index: int) -> list[Any]:
    """Return one row (0-based sheet row ``index``) as fastexcel writes it: text, with dates as ISO text."""
    try:
        loaded = fastexcel.read_excel(data).load_sheet(name, header_row=None, skip_rows=index, n_rows=1,
                                                       dtypes="string")
        frame = loaded.to_polars()
    except (fastexcel.FastExcelError, OSError, ValueError):
        return []
    if frame.height == 0:
        return []
    positions = [column.absolute_index for column in loaded.available_columns()]
    row: list[Any] = [""] * (max(positions, default=-1) + 1)
    for position, value in zip(positions, frame.row(0), strict=True):
        row[position] = value.removesuffix(" 00:00:00") if isinstance(value, str) else ""
    return row


def workbook_epoch(data: bytes) -> date:
    """Return the epoch of the workbook's date system: 1904-01-01 when an .xlsx sets date1904."""
    if not data.startswith(ZIP_MAGIC):
        # NOTE: an .xls (BIFF) keeps the flag in its DATEMODE record, which is not read, so a
        # date typed as a plain number in a 1904-system .xls is read in the 1900 system.
        return EXCEL_EPOCH_1900
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package, package.open("xl/workbook.xml") as part:
            head = part.read(_WORKBOOK_PART_LIMIT)
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError, NotImplementedError):
        return EXCEL_EPOCH_1900
    return EXCEL_EPOCH_1904 if _DATE1904.search(head) else EXCEL_EPOCH_1900


def oversized_sheets(data: bytes) -> dict[str, str]:
    """Return the worksheets of an .xlsx package too large for calamine's readers: name → package part.

    A sheet is too large when its used range spans more than ``MAX_SHEET_CELLS`` cells or
    ``MAX_SHEET_COLUMNS`` columns (see ``xlsx_stream``).
    """
    if not data.startswith(ZIP_MAGIC):
        return {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            oversized = {}
            for entry in sheet_entries(archive):
                if not (entry.worksheet and entry.part):
                    continue
                extent = sheet_extent(archive, entry.part, MAX_SHEET_CELLS)
                if extent is not None and _too_large(extent):
                    oversized[entry.name] = entry.part
            return oversized
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return {}


def _too_large(extent: SheetExtent) -> bool:
    return extent.cells > MAX_SHEET_CELLS or extent.columns > MAX_SHEET_COLUMNS


def read_large_sheet(data: bytes, name: str, part: str, *, epoch: date, file_name: str) -> Grid:
    """Read one worksheet cell by cell (``xlsx_stream``), with its formula errors on the grid."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sparse = read_sparse_sheet(archive, part, name=name, epoch=epoch, file_name=file_name)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error
    sparse.grid.errors = sparse.errors
    return sparse.grid
