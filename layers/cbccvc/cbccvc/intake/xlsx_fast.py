"""Read the worksheets of an .xlsx or .xlsm workbook into text columns with fastexcel.

fastexcel (Rust calamine into Arrow) reads 100,000 rows of 29 columns in about a second and a
half, where building Python objects for every cell takes twice that. It writes every cell as
text, with numbers and dates the way ``cell_text`` does, and leaves out three facts the checks
need: number cells (an ID that lost its leading zero), formula errors (#N/A reads as empty)
and merged blocks. Those come from each sheet's XML (``SheetXml``), which a second thread
decompresses while fastexcel reads; zlib and fastexcel both release the GIL.

fastexcel writes a date-formatted number that is no date Excel shows (0, −1, 0.5, 26062019)
as a date before 1900 or after 9999 ("+73255-05-19"), and one too large for any date (an ID
in a date column) as an empty cell. Such cells are written as the number they hold, as the
other readers give them, so the checks report an invalid date with the number as typed. They
are found in the XML when a column shows such a date, or when fewer cells have a value than
the XML holds values.

A sheet whose used range is too large for calamine (a stray cell far from the table) is read
cell by cell instead (``xlsx_stream``).

``read_xlsx_sheets`` returns None when this path cannot read the file (a damaged package, a
password, cells without references). The caller then reads it with python-calamine, which
also reports why a damaged file cannot be read.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import fastexcel
import polars as pl

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.headers import MergedRange
from cbccvc.intake.sheet import SheetData, float_text, position_name, sheet_from_grid
from cbccvc.intake.spreadsheets import oversized_sheets, read_large_sheet, workbook_epoch
from cbccvc.intake.xlsx_parts import CellReferenceMissing, SheetEntry, SheetXml, read_part, sheet_entries
from cbccvc.intake.xlsx_stream import date_styles, excel_datetime

# fastexcel writes a cell formatted as a date (no time of day) with a midnight time.
_MIDNIGHT = " 00:00:00"
# Pattern of fastexcel's text for a date-formatted number that is no date Excel shows: a year
# before 1900 (0, negative numbers, fractions of a day) or a signed year past 9999.
_NO_DATE_TEXT = r"^(?:[+-][0-9]|1[0-8][0-9]{2}-[0-9]{2}-[0-9]{2})"


@dataclass(slots=True)
class XlsxMarks:
    """Number cells and formula errors of one sheet, read from its XML on demand."""

    xml: SheetXml
    first_column: int

    def number_rows(self, position: int, rows: Sequence[int]) -> set[int]:
        # Frame row i is sheet row i, because the frame starts at the sheet's first row.
        return self.xml.number_cells(self.first_column + position, rows)

    def formula_errors(self) -> dict[tuple[int, int], str]:
        return {(row, column - self.first_column): value
                for (row, column), value in self.xml.formula_errors().items() if column >= self.first_column}

    def cell_kinds(self, rows: Sequence[int]) -> dict[int, dict[int, str]]:
        return {row: {column - self.first_column: kind for column, kind in columns.items()}
                for row, columns in self.xml.typed_columns(rows).items()}


@dataclass(slots=True)
class _XmlLoader:
    """Decompresses the worksheet parts in a thread while the main thread reads cells."""

    data: bytes
    parts: list[str]
    results: dict[str, SheetXml | None] = field(default_factory=dict)
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="xlsx-xml", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        # The scans for merged blocks, formula errors and values read the whole XML, so they run here too.
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            for part in self.parts:
                xml = read_part(archive, part)
                sheet_xml = SheetXml(xml) if xml is not None else None
                if sheet_xml is not None:
                    sheet_xml.merged()
                    sheet_xml.value_count()
                    try:
                        sheet_xml.formula_errors()
                    except CellReferenceMissing:
                        sheet_xml = None
                self.results[part] = sheet_xml

    def get(self, part: str) -> SheetXml | None:
        if self.thread is not None:
            self.thread.join()
        return self.results.get(part)


@dataclass(slots=True)
class FastSheets:
    """The sheets read by the fast path: visible ones for the tables, hidden ones only to warn about."""

    visible: list[SheetData]
    hidden: list[SheetData]


def read_xlsx_sheets(data: bytes, file_name: str = "") -> FastSheets | None:
    """Return every worksheet of an .xlsx package as sheet data, or None to use the python-calamine reader.

    Raises UnreadableFileError for a sheet too large to read at all (``xlsx_stream``).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [entry for entry in sheet_entries(archive) if entry.worksheet and entry.part]
            styles = date_styles(archive)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    if not entries:
        return None
    oversized = oversized_sheets(data)
    loader = _XmlLoader(data, [entry.part for entry in entries if entry.part and entry.name not in oversized])
    loader.start()
    epoch = workbook_epoch(data)
    try:
        reader = fastexcel.read_excel(data)
        visible: list[SheetData] = []
        hidden: list[SheetData] = []
        for entry in entries:
            if entry.name in oversized:
                sheet: SheetData | None = sheet_from_grid(read_large_sheet(
                    data, entry.name, oversized[entry.name], epoch=epoch, file_name=file_name))
            else:
                sheet = _read_sheet(reader, entry, loader, epoch, styles)
            if sheet is None:
                return None
            (hidden if entry.hidden else visible).append(sheet)
    except UnreadableFileError:
        raise
    except (fastexcel.FastExcelError, CellReferenceMissing, OSError, ValueError):
        return None
    finally:
        if loader.thread is not None:
            loader.thread.join()
    return FastSheets(visible, hidden)


def _read_sheet(reader: fastexcel.ExcelReader, entry: SheetEntry, loader: _XmlLoader, epoch: date,
                styles: frozenset[int]) -> SheetData | None:
    loaded = reader.load_sheet(entry.name, header_row=None, dtypes="string", skip_rows=0)
    columns = loaded.available_columns()
    frame = loaded.to_polars()
    first_column = columns[0].absolute_index if columns else 0
    frame = frame.rename({column.name: position_name(index) for index, column in enumerate(columns)})
    frame, no_date_text = _without_midnight(frame)
    sheet_xml = loader.get(entry.part or "")
    if sheet_xml is None:
        return None
    if styles and (no_date_text or _values_lost(frame, sheet_xml)):
        frame = _with_serials(frame, sheet_xml, styles, epoch, first_column)
    merged = [MergedRange(block.first_row, block.first_column - first_column, block.last_row,
                          block.last_column - first_column)
              for block in sheet_xml.merged() if block.last_column >= first_column]
    merged = [MergedRange(block.first_row, max(block.first_column, 0), block.last_row, block.last_column)
              for block in merged]
    return SheetData(sheet=entry.name, frame=frame, row_numbers=list(range(1, frame.height + 1)),
                     first_column=first_column, merged=merged, date_epoch=epoch,
                     marks=XlsxMarks(sheet_xml, first_column))


def _without_midnight(frame: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    """Write date cells ("1985-09-05 00:00:00") as dates alone, like the other readers do.

    Also returns whether a cell shows a date fastexcel made of a number that is no date.
    """
    if frame.width == 0:
        return frame, False
    flags = frame.select(
        *(pl.col(name).str.ends_with(_MIDNIGHT).any().alias(f"midnight{name}") for name in frame.columns),
        *(pl.col(name).str.contains(_NO_DATE_TEXT).any().alias(f"nodate{name}") for name in frame.columns),
    ).row(0)
    changed = [name for name, flag in zip(frame.columns, flags[:frame.width], strict=True) if flag]
    no_date = any(flag for flag in flags[frame.width:])
    if not changed:
        return frame, no_date
    pattern = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
    return frame.with_columns(pl.col(name).str.replace(pattern, "$1") for name in changed), no_date


def _values_lost(frame: pl.DataFrame, sheet_xml: SheetXml) -> bool:
    """Tell whether fewer cells have a value than the XML contains values (formula errors read as empty)."""
    filled = sum(frame.height - frame[name].null_count() for name in frame.columns)
    return filled < sheet_xml.value_count() - len(sheet_xml.formula_errors())


def _with_serials(frame: pl.DataFrame, sheet_xml: SheetXml, styles: frozenset[int], epoch: date,
                  first_column: int) -> pl.DataFrame:
    """Write each date-formatted number that is no date as the number it holds."""
    by_position: dict[int, dict[int, str]] = {}
    for (row, column), serial in sheet_xml.styled_numbers(styles).items():
        position = column - first_column
        if 0 <= position < frame.width and row < frame.height and isinstance(excel_datetime(serial, epoch), float):
            by_position.setdefault(position, {})[row] = float_text(serial)
    if not by_position:
        return frame
    columns = []
    for position, texts in by_position.items():
        name = position_name(position)
        rows = sorted(texts)
        columns.append(frame[name].scatter(rows, pl.Series([texts[row] for row in rows], dtype=pl.String)))
    return frame.with_columns(columns)
