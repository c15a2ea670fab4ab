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

import python_calamine

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid
from cbccvc.intake.headers import MergedRange
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
    grids: list[Grid] = []
    for metadata in workbook.sheets_metadata:
        hidden = metadata.visible != python_calamine.SheetVisibleEnum.Visible
        if hidden and not include_hidden:
            continue
        if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        try:
            sheet = workbook.get_sheet_by_name(metadata.name)
            rows = sheet.to_python(skip_empty_area=True)
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
        ))
    return grids


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
