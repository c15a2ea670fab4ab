"""Read the worksheets of an .xlsx or .xlsm workbook into text columns with fastexcel.

fastexcel (Rust calamine into Arrow) reads 100,000 rows of 29 columns in about a second and a
half, where building Python objects for every cell takes twice that. It writes every cell as
text, with numbers and dates the way ``cell_text`` does, and leaves out three facts the checks
need: number cells (an ID that lost its leading zero), formula errors (#N/A reads as empty)
and merged blocks. Those come from each sheet's XML (``SheetXml``), which a second thread
decompresses while fastexcel reads; zlib and fastexcel both release the GIL.

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

from cbccvc.intake.headers import MergedRange
from cbccvc.intake.sheet import SheetData, position_name
from cbccvc.intake.spreadsheets import workbook_epoch
from cbccvc.intake.xlsx_parts import CellReferenceMissing, SheetEntry, SheetXml, read_part, sheet_entries

# fastexcel writes a cell formatted as a date (no time of day) with a midnight time.
_MIDNIGHT = " 00:00:00"


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
        # The scans for merged blocks and formula errors read the whole XML, so they run here too.
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            for part in self.parts:
                xml = read_part(archive, part)
                sheet_xml = SheetXml(xml) if xml is not None else None
                if sheet_xml is not None:
                    sheet_xml.merged()
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


def read_xlsx_sheets(data: bytes) -> FastSheets | None:
    """Return every worksheet of an .xlsx package as sheet data, or None to use the python-calamine reader."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [entry for entry in sheet_entries(archive) if entry.worksheet and entry.part]
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    if not entries:
        return None
    loader = _XmlLoader(data, [entry.part for entry in entries if entry.part])
    loader.start()
    epoch = workbook_epoch(data)
    try:
        reader = fastexcel.read_excel(data)
        visible: list[SheetData] = []
        hidden: list[SheetData] = []
        for entry in entries:
            sheet = _read_sheet(reader, entry, loader, epoch)
            if sheet is None:
                return None
            (hidden if entry.hidden else visible).append(sheet)
    except (fastexcel.FastExcelError, CellReferenceMissing, OSError, ValueError):
        return None
    finally:
        if loader.thread is not None:
            loader.thread.join()
    return FastSheets(visible, hidden)


def _read_sheet(reader: fastexcel.ExcelReader, entry: SheetEntry, loader: _XmlLoader, epoch: date) -> SheetData | None:
    loaded = reader.load_sheet(entry.name, header_row=None, dtypes="string", skip_rows=0)
    columns = loaded.available_columns()
    frame = loaded.to_polars()
    first_column = columns[0].absolute_index if columns else 0
    frame = frame.rename({column.name: position_name(index) for index, column in enumerate(columns)})
    frame = _without_midnight(frame)
    sheet_xml = loader.get(entry.part or "")
    if sheet_xml is None:
        return None
    merged = [MergedRange(block.first_row, block.first_column - first_column, block.last_row,
                          block.last_column - first_column)
              for block in sheet_xml.merged() if block.last_column >= first_column]
    merged = [MergedRange(block.first_row, max(block.first_column, 0), block.last_row, block.last_column)
              for block in merged]
    return SheetData(sheet=entry.name, frame=frame, row_numbers=list(range(1, frame.height + 1)),
                     first_column=first_column, merged=merged, date_epoch=epoch,
                     marks=XlsxMarks(sheet_xml, first_column))


def _without_midnight(frame: pl.DataFrame) -> pl.DataFrame:
    """Write date cells ("1985-09-05 00:00:00") as dates alone, like the other readers do."""
    changed = [name for name in frame.columns if frame[name].str.ends_with(_MIDNIGHT).any()]
    if not changed:
        return frame
    pattern = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
    return frame.with_columns(pl.col(name).str.replace(pattern, "$1") for name in changed)
