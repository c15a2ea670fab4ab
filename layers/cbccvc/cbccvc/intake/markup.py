"""Read the ".xls" files that are markup, not workbooks: HTML tables and Excel's XML Spreadsheet 2003.

Many web HR systems export an HTML page with a ``<table>`` under an .xls name, which Excel
opens as a sheet. Older ones write "XML Spreadsheet 2003" (SpreadsheetML). python-calamine
reads neither, so they are parsed here.

- HTML: each ``<tr>`` is a row, ``colspan``/``rowspan`` cells are merged blocks, ``<br>`` is a
  line break. Excel puts every table on the sheet one under the other, and a text block
  outside a table (a title in ``<h3>`` or ``<p>``) takes a row of its own, so rows are numbered
  that way. All tables of the page make one grid.
- SpreadsheetML: each visible ``Worksheet`` is a grid; ``ss:Index`` skips rows and cells,
  ``ss:MergeAcross``/``ss:MergeDown`` are merged blocks, and typed ``Data`` keeps numbers and
  dates as such.
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid
from cbccvc.intake.headers import MergedRange
from cbccvc.validation.values import EXCEL_EPOCH_1900, EXCEL_EPOCH_1904

_SPREADSHEET_NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"
_EXCEL_NAMESPACE = "urn:schemas-microsoft-com:office:excel"
_SS = "{" + _SPREADSHEET_NAMESPACE + "}"
_X = "{" + _EXCEL_NAMESPACE + "}"
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "caption"})
_CELL_TAGS = frozenset({"td", "th"})
# A span larger than this is damage, not layout; it is cut to keep the grid small.
MAX_SPAN = 1_000
# Stands for <br> while white space is collapsed (a private-use character, never in real text).
_LINE_BREAK = "\ue000"


def is_markup(text: str) -> bool:
    """Tell whether decoded file text is HTML or SpreadsheetML rather than delimited text."""
    head = text[:2_048].lstrip().lower()
    return head.startswith(("<?xml", "<html", "<!doctype html", "<table", "<meta", "<head", "<body"))


def read_markup(text: str, file_name: str) -> list[Grid]:
    """Return the grids of an HTML or SpreadsheetML export."""
    if _SPREADSHEET_NAMESPACE in text[:65_536]:
        return _read_spreadsheetml(text, file_name)
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    if not parser.rows:
        raise UnreadableFileError("FILE_DAMAGED", file=file_name)
    return [parser.grid()]


class _TableParser(HTMLParser):
    """Collect table rows into a grid, placing cells around the blocks that row spans hold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Any]] = []
        self.row_numbers: list[int] = []
        self.merged: list[MergedRange] = []
        self._next_row_number = 1
        self._occupied: set[tuple[int, int]] = set()
        self._table_depth = 0
        self._row: list[Any] | None = None
        self._cell: list[str] | None = None
        self._cell_spans = (1, 1)
        self._block_text: list[str] = []

    def grid(self) -> Grid:
        width = max((len(row) for row in self.rows), default=0)
        rows = [row + [""] * (width - len(row)) for row in self.rows]
        return Grid(sheet=None, rows=rows, row_numbers=self.row_numbers, merged=self.merged)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._end_block()
            self._table_depth += 1
        elif tag == "tr" and self._table_depth == 1:
            self._end_row()
            self._row = []
        elif tag in _CELL_TAGS and self._table_depth == 1 and self._row is not None:
            self._end_cell()
            values = dict(attrs)
            self._cell = []
            self._cell_spans = (_span(values.get("rowspan")), _span(values.get("colspan")))
        elif tag == "br":
            self._text(_LINE_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._table_depth:
            if self._table_depth == 1:
                self._end_row()
            self._table_depth -= 1
        elif tag == "tr" and self._table_depth == 1:
            self._end_row()
        elif tag in _CELL_TAGS and self._table_depth == 1:
            self._end_cell()
        elif tag in _BLOCK_TAGS and not self._table_depth:
            self._end_block()

    def handle_data(self, data: str) -> None:
        self._text(data)

    def close(self) -> None:
        super().close()
        self._end_row()
        self._end_block()

    def _text(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif not self._table_depth:
            self._block_text.append(data)

    def _end_block(self) -> None:
        if "".join(self._block_text).strip():
            self._next_row_number += 1  # Excel gives a text block outside the tables a row of its own
        self._block_text = []

    def _end_cell(self) -> None:
        if self._cell is None or self._row is None:
            return
        row_index = len(self.rows)
        column = len(self._row)
        while (row_index, column) in self._occupied:
            self._row.append("")
            column += 1
        # HTML collapses white space, source line breaks included; only <br> breaks a line.
        text = " ".join("".join(self._cell).split()).replace(f" {_LINE_BREAK} ", "\n").replace(_LINE_BREAK, "\n")
        self._row.append(text)
        rows, columns = self._cell_spans
        if rows > 1 or columns > 1:
            self.merged.append(MergedRange(row_index, column, row_index + rows - 1, column + columns - 1))
            for row_offset in range(rows):
                for column_offset in range(columns):
                    if row_offset or column_offset:
                        self._occupied.add((row_index + row_offset, column + column_offset))
            self._row.extend([""] * (columns - 1))
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is None:
            return
        row_index = len(self.rows)
        while (row_index, len(self._row)) in self._occupied:
            self._row.append("")
        self.rows.append(self._row)
        self.row_numbers.append(self._next_row_number)
        self._next_row_number += 1
        self._row = None


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_SPAN)
    except ValueError:
        return 1


# --- SpreadsheetML (XML Spreadsheet 2003) ------------------------------------------------------

_INTEGER = re.compile(r"^-?\d+$")


def _read_spreadsheetml(text: str, file_name: str) -> list[Grid]:
    try:
        root = ElementTree.fromstring(text.lstrip("\ufeff"))  # noqa: S314 - expat resolves no external entity
    except ElementTree.ParseError as error:
        raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error
    epoch = EXCEL_EPOCH_1904 if root.find(f"{_X}ExcelWorkbook/{_X}Date1904") is not None else EXCEL_EPOCH_1900
    grids = []
    for sheet in root.iter(f"{_SS}Worksheet"):
        visible = sheet.find(f"{_X}WorksheetOptions/{_X}Visible")
        if visible is not None and (visible.text or "").strip() in {"SheetHidden", "SheetVeryHidden"}:
            continue
        table = sheet.find(f"{_SS}Table")
        rows, merged = _sheet_rows(table) if table is not None else ([], [])
        grids.append(Grid(sheet=sheet.get(f"{_SS}Name"), rows=rows, row_numbers=list(range(1, len(rows) + 1)),
                          merged=merged, date_epoch=epoch))
    return grids


def _sheet_rows(table: ElementTree.Element) -> tuple[list[list[Any]], list[MergedRange]]:
    rows: list[list[Any]] = []
    merged: list[MergedRange] = []
    for row_element in table.iter(f"{_SS}Row"):
        index = _index(row_element, len(rows))
        rows.extend([] for _ in range(index - len(rows)))
        row: list[Any] = []
        for cell in row_element.iter(f"{_SS}Cell"):
            column = _index(cell, len(row))
            row.extend([""] * (column - len(row)))
            row.append(_cell_value(cell))
            across = _extra_cells(cell.get(f"{_SS}MergeAcross"))
            down = _extra_cells(cell.get(f"{_SS}MergeDown"))
            if across or down:
                merged.append(MergedRange(len(rows), column, len(rows) + down, column + across))
                row.extend([""] * across)
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows], merged


def _extra_cells(value: str | None) -> int:
    """Return how many cells a merge adds beyond the first (ss:MergeAcross and ss:MergeDown count those)."""
    if value is None or not _INTEGER.match(value):
        return 0
    return min(max(int(value), 0), MAX_SPAN)


def _index(element: ElementTree.Element, position: int) -> int:
    """Return the 0-based position an element's 1-based ss:Index puts it at (never backwards)."""
    value = element.get(f"{_SS}Index")
    if value is None or not _INTEGER.match(value):
        return position
    return max(position, min(int(value) - 1, position + 100_000))


def _cell_value(cell: ElementTree.Element) -> Any:
    data = cell.find(f"{_SS}Data")
    if data is None:
        return ""
    text = "".join(data.itertext())
    kind = data.get(f"{_SS}Type")
    if kind == "Number":
        try:
            number = float(text)
        except ValueError:
            return text
        return number
    if kind == "DateTime":
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return text
    return text
