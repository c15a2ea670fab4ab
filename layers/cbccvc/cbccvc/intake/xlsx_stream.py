"""Read a worksheet of an .xlsx package cell by cell, for sheets too large for the other readers.

python-calamine and fastexcel (calamine 0.x underneath) allocate the whole rectangle from the
first to the last cell with a value, 32 bytes per cell, before returning anything. One stray
value far from the table makes that rectangle huge: "x" in ZZ100000 is 70 million cells, and
values in XFD3 and A1048576 ask for 512 GiB, which aborts the process. Sheets whose used range
(``xlsx_parts.sheet_extent``) exceeds ``MAX_SHEET_CELLS`` or ``MAX_SHEET_COLUMNS`` are read
here instead, with memory that grows with the cells that hold a value:

- the XML is parsed as a stream (ElementTree's expat, which expands no external entity and
  limits internal entity expansion), keeping only cells with a value;
- rows without a value are left out, and each kept row keeps its sheet row number;
- columns are cut after the header: the header is looked for among the first rows that have
  values, and a cell right of its last header cannot belong to a recognised column. Without a
  header, at most ``NO_HEADER_COLUMNS`` columns are kept, for the annotated copy.

Cells come out as the Python values python-calamine gives: text, numbers as float, booleans,
and dates as datetime for number cells with a date format. A date-formatted number that is no
date Excel can show (below 1, the serial of 1900-01-01, or past 9999-12-31) stays a number,
so the checks report it as an invalid date with the number as written.
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any
from xml.etree import ElementTree

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid
from cbccvc.intake.headers import HEADER_SEARCH_ROWS, MergedRange, cell_text, find_header
from cbccvc.intake.xlsx_parts import MAX_COLUMNS, column_number, read_part
from cbccvc.validation.values import EXCEL_EPOCH_1900

# The largest used range (rows × columns) the fast readers are given: 300,000 rows of 66
# columns. Beyond it, or beyond ``MAX_SHEET_COLUMNS`` columns (polars keeps a column object per
# position), a sheet is read here.
MAX_SHEET_CELLS = 20_000_000
MAX_SHEET_COLUMNS = 1_024
# Maximum cells with a value this reader keeps in memory (an estimated 1 GiB of Python objects).
# A sheet with more is rejected as too large, so the process does not run out of memory.
MAX_STREAM_CELLS = 10_000_000
# Columns kept of a sheet without a header row (its content is only copied, never checked).
NO_HEADER_COLUMNS = 256
# Built-in number formats that show a date or a time (ECMA-376 Part 1, 18.8.30, and the
# East Asian ones Excel adds), as calamine counts them.
_BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)})
# Parts of a custom format code that are no date letters: quoted text, escaped characters,
# and bracketed colours or locales (but not the elapsed-time [h], [m], [s]).
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?![hHmMsS]+\])[^\]]*\]')
_DATE_LETTERS = re.compile(r"[dDmMyYhHsS]")
# Serials Excel can show as a date: 1 (1900-01-01) to 2958465 (9999-12-31), in the 1904 system
# 0 (1904-01-01) to 2957003.
_LAST_DAY = date(9999, 12, 31)
# Excel's 1900 system counts a 29 February 1900 that never was (serial 60).
_PHANTOM_LEAP_DAY = 60


@dataclass(slots=True)
class SparseSheet:
    """A worksheet read by this module: its grid, and its formula errors in grid coordinates."""

    grid: Grid
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(slots=True)
class _Cells:
    """The cells with a value of one sheet, row by row, as they are parsed."""

    rows: dict[int, dict[int, Any]] = field(default_factory=dict)  # 0-based row → column → value
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → "#N/A"
    merged: list[MergedRange] = field(default_factory=list)
    count: int = 0


def read_sparse_sheet(archive: zipfile.ZipFile, part: str, *, name: str, epoch: date,
                      file_name: str) -> SparseSheet:
    """Read one worksheet part cell by cell; raise UnreadableFileError when it is too large or damaged."""
    strings = _shared_strings(archive)
    styles = date_styles(archive)
    try:
        with archive.open(part) as stream:
            cells = _parse_cells(stream, strings, styles, epoch, file_name)
    except UnreadableFileError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, ElementTree.ParseError) as error:
        raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error
    return _sparse_grid(cells, name, epoch)


def _parse_cells(stream: IO[bytes], strings: list[str], date_styles: frozenset[int], epoch: date,
                 file_name: str) -> _Cells:
    cells = _Cells()
    row = -1
    column = -1
    for event, element in _events(stream):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                reference = element.get("r")
                row = int(reference) - 1 if reference and reference.isascii() and reference.isdigit() else row + 1
                column = -1
            continue
        if tag == "c":
            row, column = _cell_place(element.get("r"), row, column)
            _keep_cell(cells, row, column, element, strings=strings, date_styles=date_styles, epoch=epoch)
            if cells.count > MAX_STREAM_CELLS:
                raise UnreadableFileError("FILE_TOO_MANY_CELLS", file=file_name, limit=MAX_STREAM_CELLS)
            element.clear()
        elif tag == "row":
            element.clear()
        elif tag == "mergeCell":
            block = _merged_block(element.get("ref", ""))
            if block is not None:
                cells.merged.append(block)
    return cells


def _events(stream: IO[bytes]) -> Iterator[tuple[str, ElementTree.Element]]:
    # NOTE: ElementTree keeps the root's children until the parse ends; rows are cleared, so
    # what remains is one empty element per row.
    yield from ElementTree.iterparse(stream, events=("start", "end"))  # noqa: S314 - expat resolves no external entity


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_REFERENCE = re.compile(r"^([A-Za-z]{1,3})([0-9]{1,7})$")


def _cell_place(reference: str | None, row: int, column: int) -> tuple[int, int]:
    """Return the 0-based (row, column) of a cell: its reference, or the next place in its row."""
    match = _REFERENCE.match(reference or "")
    if match is None:
        return row, column + 1
    return int(match.group(2)) - 1, min(column_number(match.group(1)), MAX_COLUMNS - 1)


def _keep_cell(cells: _Cells, row: int, column: int, element: ElementTree.Element, *, strings: list[str],
               date_styles: frozenset[int], epoch: date) -> None:
    kind = element.get("t", "n")
    text = _cell_text(element, kind)
    if text is None:
        return
    if kind == "e":
        # A formula error reads as an empty cell, as in the other readers, and is reported.
        cells.errors[(row, column)] = text
        value: Any = None
    else:
        value = _cell_value(kind, text, element.get("s"), strings=strings, date_styles=date_styles, epoch=epoch)
        # A cell of spaces only is blank to every check. Keeping it would make a row of each such cell.
        if value is None or (isinstance(value, str) and not value.strip()):
            return
    cells.rows.setdefault(row, {})[column] = value
    cells.count += 1


def _cell_text(element: ElementTree.Element, kind: str) -> str | None:
    if kind == "inlineStr":
        inline = next((child for child in element if _local(child.tag) == "is"), None)
        return _string_text(inline) if inline is not None else None
    value = next((child for child in element if _local(child.tag) == "v"), None)
    return value.text if value is not None and value.text is not None else None


def _cell_value(kind: str, text: str, style: str | None, *, strings: list[str],  # noqa: PLR0911 - one per cell type
                date_styles: frozenset[int], epoch: date) -> Any:
    if kind == "s":
        index = int(text) if text.isascii() and text.isdigit() else -1
        return strings[index] if 0 <= index < len(strings) else None
    if kind in ("str", "inlineStr"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return text
    try:
        number = float(text)
    except ValueError:
        return text
    if style is not None and style.isascii() and style.isdigit() and int(style) in date_styles:
        return excel_datetime(number, epoch)
    return number


def excel_datetime(serial: float, epoch: date) -> datetime | float:
    """Return the date and time a date-formatted serial shows, or the serial when Excel shows no date for it."""
    if serial != serial:  # noqa: PLR0124 - NaN is not equal to itself
        return serial
    days = int(serial) if serial >= 0 else -1
    if epoch == EXCEL_EPOCH_1900:
        if days < 1 or days == _PHANTOM_LEAP_DAY:
            return serial
        if days < _PHANTOM_LEAP_DAY:
            days += 1
    last = (_LAST_DAY - epoch).days
    if days < 0 or days > last:
        return serial
    seconds = round((serial - int(serial)) * 86_400)
    return datetime(epoch.year, epoch.month, epoch.day) + timedelta(days=days, seconds=seconds)


def _string_text(element: ElementTree.Element) -> str:
    """Return the text of a shared or inline string: its <t> runs, without phonetic runs (<rPh>)."""
    parts: list[str] = []
    _collect_text(element, parts)
    return "".join(parts)


def _collect_text(element: ElementTree.Element, parts: list[str]) -> None:
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag != "rPh":
            _collect_text(child, parts)


def _merged_block(reference: str) -> MergedRange | None:
    first, _, last = reference.partition(":")
    start = _REFERENCE.match(first)
    end = _REFERENCE.match(last or first)
    if start is None or end is None:
        return None
    top, left = int(start.group(2)) - 1, column_number(start.group(1))
    bottom, right = int(end.group(2)) - 1, column_number(end.group(1))
    return MergedRange(min(top, bottom), min(left, right), max(top, bottom), max(left, right))


def _sparse_grid(cells: _Cells, name: str, epoch: date) -> SparseSheet:
    """Lay the kept cells out as a grid: rows with a value, columns up to the header's last one."""
    numbers = sorted(cells.rows)
    if not numbers:
        return SparseSheet(Grid(sheet=name, rows=[], row_numbers=[], date_epoch=epoch))
    first_column = min(min(row) for row in cells.rows.values())
    last_column = _last_column(cells, numbers, first_column)
    kept_rows = [row for row in numbers if any(first_column <= column <= last_column for column in cells.rows[row])]
    width = last_column - first_column + 1
    rows: list[list[Any]] = []
    for row in kept_rows:
        values: list[Any] = [None] * width
        for column, value in cells.rows[row].items():
            if column <= last_column:
                values[column - first_column] = value
        rows.append(values)
    index_of = {row: index for index, row in enumerate(kept_rows)}
    errors = {(index_of[row], column - first_column): value for (row, column), value in cells.errors.items()
              if row in index_of and first_column <= column <= last_column}
    grid = Grid(sheet=name, rows=rows, row_numbers=[row + 1 for row in kept_rows], first_column=first_column,
                merged=_grid_blocks(cells.merged, kept_rows, first_column, last_column), date_epoch=epoch)
    return SparseSheet(grid, errors)


def _last_column(cells: _Cells, numbers: list[int], first_column: int) -> int:
    """Return the last sheet column to keep: that of the header's last text, found in the first rows."""
    window = numbers[:HEADER_SEARCH_ROWS + 1]
    right = max(max(cells.rows[row]) for row in window)
    head = [[cell_text(cells.rows[row].get(column)) for column in range(first_column, right + 1)] for row in window]
    header = find_header(head, _grid_blocks(cells.merged, window, first_column, right))
    if header is None:
        return min(right, first_column + NO_HEADER_COLUMNS - 1)
    last = max(position for position, text in enumerate(header.texts) if text)
    return first_column + last


def _grid_blocks(blocks: list[MergedRange], kept_rows: list[int], first_column: int,
                 last_column: int) -> list[MergedRange]:
    """Move merged blocks into grid coordinates: kept rows only, columns from ``first_column``."""
    moved = []
    for block in blocks:
        top = bisect_left(kept_rows, block.first_row)
        bottom = bisect_right(kept_rows, block.last_row) - 1
        if top > bottom or block.last_column < first_column or block.first_column > last_column:
            continue
        moved.append(MergedRange(top, max(block.first_column - first_column, 0), bottom,
                                 min(block.last_column, last_column) - first_column))
    return moved


# --- shared strings and date styles -------------------------------------------------------------


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    part = _workbook_part(archive, "sharedStrings", "xl/sharedStrings.xml")
    if part is None:
        return []
    strings: list[str] = []
    try:
        with archive.open(part) as stream:
            for _, element in ElementTree.iterparse(stream, events=("end",)):  # noqa: S314 - expat resolves no external entity
                if _local(element.tag) == "si":
                    strings.append(_string_text(element))
                    element.clear()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, ElementTree.ParseError):
        return strings
    return strings


def date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Return the indexes of the cell formats (cellXfs) that show a number as a date or a time."""
    part = _workbook_part(archive, "styles", "xl/styles.xml")
    xml = read_part(archive, part) if part else None
    if xml is None:
        return frozenset()
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 - expat resolves no external entity
    except ElementTree.ParseError:
        return frozenset()
    custom = {int(element.get("numFmtId", "-1")): element.get("formatCode", "")
              for element in root.iter() if _local(element.tag) == "numFmt"
              and element.get("numFmtId", "").isdigit()}
    cell_formats = next((element for element in root if _local(element.tag) == "cellXfs"), None)
    if cell_formats is None:
        return frozenset()
    styles = set()
    for index, element in enumerate(child for child in cell_formats if _local(child.tag) == "xf"):
        format_id = element.get("numFmtId", "0")
        if not format_id.isdigit():
            continue
        number = int(format_id)
        if number in custom:
            if is_date_format(custom[number]):
                styles.add(index)
        elif number in _BUILTIN_DATE_FORMATS:
            styles.add(index)
    return frozenset(styles)


def is_date_format(code: str) -> bool:
    """Tell whether a custom number format code shows a date or a time ("dd/mm/yyyy", "[h]:mm")."""
    return _DATE_LETTERS.search(_FORMAT_LITERALS.sub("", code)) is not None and "General" not in code


def _workbook_part(archive: zipfile.ZipFile, kind: str, default: str) -> str | None:
    """Return the package part of the workbook relationship of ``kind`` ("styles", "sharedStrings")."""
    names = set(archive.namelist())
    relationships = read_part(archive, "xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else None
    if relationships is not None:
        for match in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)>", relationships):
            attributes = dict(re.findall(rb'(\w+)\s*=\s*["\']([^"\']*)["\']', match.group(1)))
            if attributes.get(b"Type", b"").endswith(b"/" + kind.encode("ascii")):
                target = attributes.get(b"Target", b"").decode("utf-8", "replace")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if part in names:
                    return part
    return default if default in names else None
