"""The parts of an .xlsx package that the cell readers do not expose: sheet list, widths, merges, cell types.

Attributes are read with patterns rather than an XML parser, so a hostile file cannot expand
entities here, and only the bytes needed are looked at.

``SheetXml`` keeps one worksheet's XML and finds what fastexcel's text columns lose: which
cells contain numbers, which contain formula errors, and which blocks are merged. A cell is found by
its ``r="E12"`` reference, which Excel, LibreOffice and every library we know write on every
cell; a sheet written without references raises ``CellReferenceMissing`` so the reader falls
back to python-calamine.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import unescape

from cbccvc.intake.headers import MergedRange

_ATTRIBUTE = re.compile(r'([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_SHEET_ELEMENT = re.compile(r"<(?:\w+:)?sheet\b([^>]*)/?>")
_RELATIONSHIP_ELEMENT = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)/?>")
_COL_ELEMENT = re.compile(r"<(?:\w+:)?col\b([^>]*)/?>")
_MERGE_ELEMENT = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?[\"']")
_CELL_TYPE = re.compile(rb"\bt\s*=\s*[\"'](\w+)[\"']")
_CELL_REFERENCE = re.compile(rb"\br\s*=\s*[\"']([A-Za-z]+)(\d+)[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_CELL_STYLE = re.compile(rb"\bs\s*=\s*[\"'](\d{1,9})[\"']")
# A cell value below 1, of seven digits or more, or with an exponent: no serial of a date Excel shows.
_ODD_VALUE = re.compile(rb"<(?:\w+:)?v>(-[^<]*|0(?:\.[0-9]*)?|[0-9]{7,}(?:\.[0-9]*)?|[0-9.]+[eE][^<]*)</(?:\w+:)?v>")
# A cell's start tag with a value after it: its column letters and its other attributes.
_CELL_START = re.compile(rb"<(?:\w+:)?c\b([^>]*?\br\s*=\s*[\"']([A-Za-z]+)\d+[\"'][^>]*?)(?<!/)>")
_ERROR_TYPES = (b't="e"', b"t='e'")
# How much of a sheet's XML is read to find its <cols> element, which precedes <sheetData>.
COLS_SEARCH_BYTES = 1 << 20


class CellReferenceMissing(ValueError):
    """A worksheet's cells carry no ``r`` reference, so cells cannot be found by address."""


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """A sheet of the workbook: its name, whether it is hidden, and its part in the package."""

    name: str
    hidden: bool
    part: str | None  # "xl/worksheets/sheet1.xml"; None when the relationship is missing
    worksheet: bool  # False for chart sheets, dialog sheets and macro sheets


def column_number(letters: bytes | str) -> int:
    """Return the 0-based index of an Excel column ("A" → 0, "AA" → 26)."""
    number = 0
    for char in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        number = number * 26 + (ord(char) - ord("A") + 1)
    return number - 1


def sheet_entries(archive: zipfile.ZipFile) -> list[SheetEntry]:
    """Return the workbook's sheets in order, read from xl/workbook.xml and its relationships."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return []
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        targets = relationship_targets(archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace"))
    entries: list[SheetEntry] = []
    for attributes in elements(_SHEET_ELEMENT, archive.read("xl/workbook.xml").decode("utf-8", "replace")):
        relation = next((value for key, value in attributes.items() if key.endswith(":id")), "")
        target = targets.get(relation)
        part = None
        if target is not None:
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        entries.append(SheetEntry(
            name=unescape(attributes.get("name", "")),
            hidden=attributes.get("state", "visible") in {"hidden", "veryHidden"},
            part=part if part in names else None,
            worksheet=part is not None and "/worksheets/" in part,
        ))
    return entries


def relationship_targets(text: str) -> dict[str, str]:
    return {attributes["Id"]: attributes["Target"] for attributes in elements(_RELATIONSHIP_ELEMENT, text)
            if "Id" in attributes and "Target" in attributes}


def elements(pattern: re.Pattern[str], text: str) -> Iterable[dict[str, str]]:
    for match in pattern.finditer(text):
        yield {name: double or single for name, double, single in _ATTRIBUTE.findall(match.group(1))}


def column_widths(data: bytes) -> dict[str, dict[int, float]]:
    """Read each sheet's column widths (0-based column → width in characters) from the .xlsx parts.

    Of each sheet's XML only the start is read, where <cols> precedes the cell data.
    """
    widths: dict[str, dict[int, float]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in sheet_entries(archive):
            if entry.part is not None and entry.worksheet:
                widths[entry.name] = _sheet_widths(archive, entry.part)
    return widths


def _sheet_widths(archive: zipfile.ZipFile, part: str) -> dict[int, float]:
    with archive.open(part) as stream:
        head = stream.read(COLS_SEARCH_BYTES).decode("utf-8", "replace")
    head = head.split("<sheetData", 1)[0]
    widths: dict[int, float] = {}
    for attributes in elements(_COL_ELEMENT, head):
        try:
            first, last, width = int(attributes["min"]), int(attributes["max"]), float(attributes["width"])
        except (KeyError, ValueError):
            continue
        # The file stores the width with the cell padding (5 pixels of a 7-pixel character).
        # xlsxwriter adds the padding itself, so it is taken off here.
        width = 0.0 if attributes.get("hidden") in {"1", "true"} else max(width - 5 / 7, 0.5)
        # A <col> may span to column 16384; only the columns a sheet can hold data in matter.
        for column in range(first - 1, min(last, first + 512)):
            widths[column] = width
    return widths


def read_part(archive: zipfile.ZipFile, part: str) -> bytes | None:
    """Return a part's bytes, or None when the package is damaged there."""
    try:
        return archive.read(part)
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError, NotImplementedError):
        return None


@dataclass(slots=True)
class SheetXml:
    """One worksheet's XML, to find merged blocks, formula errors and number cells by address.

    Coordinates passed in and returned are 0-based sheet coordinates.
    """

    xml: bytes
    _merged: list[MergedRange] | None = field(default=None, init=False)
    _errors: dict[tuple[int, int], str] | None = field(default=None, init=False)
    _values: int | None = field(default=None, init=False)

    def value_count(self) -> int:
        """Return how many cells hold a value: a <v> element or an inline string (<is>)."""
        if self._values is None:
            self._values = self.xml.count(b"<v>") + self.xml.count(b"<is>")
        return self._values

    def styled_numbers(self, styles: frozenset[int]) -> dict[tuple[int, int], float]:
        """Return (row, column) → number of the number cells with a style of ``styles`` whose value may be no date.

        Only values below 1, of seven digits or more, or with an exponent are looked at: every
        serial Excel shows as a date lies between them.
        """
        found: dict[tuple[int, int], float] = {}
        for match in _ODD_VALUE.finditer(self.xml):
            start = max(self.xml.rfind(b"<c ", 0, match.start()), self.xml.rfind(b":c ", 0, match.start()))
            end = self.xml.find(b">", start)
            if start < 0 or end < 0 or end > match.start():
                continue
            tag = self.xml[start:end]
            kind = _CELL_TYPE.search(tag)
            style = _CELL_STYLE.search(tag)
            if (kind is not None and kind.group(1) != b"n") or style is None or int(style.group(1)) not in styles:
                continue
            reference = _CELL_REFERENCE.search(tag)
            if reference is None:
                raise CellReferenceMissing("a date-formatted cell has no reference")
            try:
                number = float(match.group(1))
            except ValueError:
                continue
            found[(int(reference.group(2)) - 1, column_number(reference.group(1)))] = number
        return found

    def merged(self) -> list[MergedRange]:
        """Return the merged blocks, from the <mergeCells> element after the cell data."""
        if self._merged is None:
            end = self.xml.rfind(b"sheetData>")
            tail = self.xml[end:] if end >= 0 else b""
            blocks = []
            for first_letters, first_row, last_letters, last_row in _MERGE_ELEMENT.findall(tail):
                top, left = int(first_row) - 1, column_number(first_letters)
                bottom = int(last_row) - 1 if last_row else top
                right = column_number(last_letters) if last_letters else left
                blocks.append(MergedRange(min(top, bottom), min(left, right), max(top, bottom), max(left, right)))
            self._merged = blocks
        return self._merged

    def formula_errors(self) -> dict[tuple[int, int], str]:
        """Return (row, column) → error value ("#N/A", "#REF!") of every cell holding a formula error."""
        if self._errors is None:
            self._errors = self._find_errors()
        return self._errors

    def _find_errors(self) -> dict[tuple[int, int], str]:
        errors: dict[tuple[int, int], str] = {}
        # Writers quote attributes alike throughout a file: look for the other quote only when it is used.
        markers = _ERROR_TYPES if b"t='" in self.xml[:65_536] else _ERROR_TYPES[:1]
        for marker in markers:
            position = self.xml.find(marker)
            while position >= 0:
                start = self.xml.rfind(b"<", 0, position)
                end = self.xml.find(b">", position)
                reference = _CELL_REFERENCE.search(self.xml, start, end)
                if reference is None:
                    raise CellReferenceMissing("a formula error cell has no reference")
                close = self.xml.find(b"</", end)
                value = _VALUE.search(self.xml, end, close + 64 if close >= 0 else end + 256)
                text = value.group(1).decode("utf-8", "replace") if value else "#N/A"
                errors[(int(reference.group(2)) - 1, column_number(reference.group(1)))] = unescape(text)
                position = self.xml.find(marker, end)
        return errors

    def number_cells(self, column: int, rows: Sequence[int]) -> set[int]:
        """Return which of ``rows`` (ascending or not) hold a number in ``column``.

        A cell is a number when its type attribute is absent or "n" (date cells are numbers with
        a date format, but fastexcel writes those as dates, so no caller asks about them).
        """
        letters = _letters(column).encode("ascii")
        found: set[int] = set()
        offset = 0
        for row in sorted(rows):
            position = self._find_reference(letters + str(row + 1).encode("ascii"), offset)
            if position < 0:
                position = self._find_reference(letters + str(row + 1).encode("ascii"), 0)
                if position < 0:
                    raise CellReferenceMissing(f"no cell {_letters(column)}{row + 1}")
            offset = position
            start = self.xml.rfind(b"<", 0, position)
            end = self.xml.find(b">", position)
            kind = _CELL_TYPE.search(self.xml, start, end)
            if kind is None or kind.group(1) == b"n":
                found.add(row)
        return found

    def number_columns(self, rows: Sequence[int]) -> dict[int, set[int]]:
        """Return, for each of ``rows`` (0-based), the columns whose cell contains a number or a date."""
        return {row: {column for column, kind in columns.items() if kind == "number"}
                for row, columns in self.typed_columns(rows).items()}

    def typed_columns(self, rows: Sequence[int]) -> dict[int, dict[int, str]]:
        """Return, for each of ``rows`` (0-based), column → "number" (a number or a date) or "boolean"."""
        found: dict[int, dict[int, str]] = {}
        offset = 0
        for row in sorted(rows):
            start = -1
            for quote in (b'"', b"'"):
                start = self.xml.find(b"<row r=" + quote + str(row + 1).encode("ascii") + quote, offset)
                if start < 0:
                    start = self.xml.find(b"<row r=" + quote + str(row + 1).encode("ascii") + quote)
                if start >= 0:
                    break
            if start < 0:
                found[row] = {}
                continue
            end = self.xml.find(b"</row>", start)
            offset = end if end >= 0 else start
            kinds: dict[int, str] = {}
            for attributes, letters in _CELL_START.findall(self.xml, start, end):
                kind = _CELL_TYPE.search(attributes)
                if kind is None or kind.group(1) == b"n":
                    kinds[column_number(letters)] = "number"
                elif kind.group(1) == b"b":
                    kinds[column_number(letters)] = "boolean"
            found[row] = kinds
        return found

    def _find_reference(self, reference: bytes, offset: int) -> int:
        for quote in (b'"', b"'"):
            position = self.xml.find(b" r=" + quote + reference + quote, offset)
            if position >= 0:
                return position
        return -1


def _letters(column: int) -> str:
    letters = ""
    number = column + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# --- the used range of a worksheet ------------------------------------------------------------

_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]{1,3})?(\d+)?(?::([A-Za-z]{1,3})(\d+))?[\"']")
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br\s*=\s*[\"'](\d{1,9})[\"']")
# Bytes of a worksheet's XML read for its <dimension> element, which precedes <sheetData>.
DIMENSION_SEARCH_BYTES = 65_536
# XML bytes a cell takes at most, allowing for long inline text: `<c r="XFD1048576" s="99" t="s"><v>123456</v></c>`
# is 50 bytes.
MAX_BYTES_PER_CELL = 2_048
# Excel's largest sheet: 1,048,576 rows of 16,384 columns.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


@dataclass(frozen=True, slots=True)
class SheetExtent:
    """How many rows and columns a worksheet's used range spans (its bounding box)."""

    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def sheet_extent(archive: zipfile.ZipFile, part: str, limit: int) -> SheetExtent | None:
    """Return the used range of a worksheet, or None when the package is damaged there.

    The <dimension> element gives it; Excel, LibreOffice and the libraries we know write it.
    A sheet without one (or with a one-cell one over a larger part) is scanned: its last row
    number, and whether any cell lies beyond the column that keeps the range within ``limit``
    cells. A <dimension> is trusted when the part's size fits it (``MAX_BYTES_PER_CELL``):
    a hand-made package that states a small range over a million rows is scanned too.
    """
    try:
        with archive.open(part) as stream:
            head = stream.read(DIMENSION_SEARCH_BYTES)
        size = archive.getinfo(part).file_size
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError, NotImplementedError):
        return None
    match = _DIMENSION.search(head.split(b"sheetData", 1)[0])
    if match is not None:
        extent = _dimension_extent(match)
        # A part far larger than its stated range can hold lies about the range: it is scanned.
        plausible = extent is not None and size <= extent.cells * MAX_BYTES_PER_CELL + DIMENSION_SEARCH_BYTES
        if extent is not None and plausible and (extent.cells > 1 or size <= DIMENSION_SEARCH_BYTES):
            return extent
    xml = read_part(archive, part)
    return None if xml is None else scanned_extent(xml, limit)


def _dimension_extent(match: re.Match[bytes]) -> SheetExtent | None:
    first_letters, first_row, last_letters, last_row = match.groups()
    if first_letters is None or first_row is None:
        return None
    top, left = int(first_row), column_number(first_letters)
    bottom = int(last_row) if last_row else top
    right = column_number(last_letters) if last_letters else left
    return SheetExtent(rows=abs(bottom - top) + 1, columns=abs(right - left) + 1)


def scanned_extent(xml: bytes, limit: int) -> SheetExtent:
    """Return a bound of a worksheet's used range read from its rows and cell references.

    The rows are the largest row number. The columns are the width that keeps the range within
    ``limit`` cells, or Excel's full width when some cell lies beyond that width.
    """
    rows = max((int(number) for number in _ROW_NUMBER.findall(xml)), default=1)
    allowed = max(limit // max(rows, 1), 1)
    if allowed >= MAX_COLUMNS:
        return SheetExtent(rows=rows, columns=MAX_COLUMNS)
    beyond = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br\s*=\s*[\"'](?:" + _letters_from(allowed).encode("ascii")
                        + rb")[0-9]")
    return SheetExtent(rows=rows, columns=MAX_COLUMNS if beyond.search(xml) else allowed)


def _letters_from(column: int) -> str:
    """Return a pattern matching the letters of every column from ``column`` (0-based) on."""
    letters = _letters(column)
    alternatives = [f"[A-Za-z]{{{len(letters) + 1},}}"]
    for index, letter in enumerate(letters):
        if letter != "Z":
            rest = len(letters) - index - 1
            alternatives.append(letters[:index] + f"[{chr(ord(letter) + 1)}-Z]" + (f"[A-Z]{{{rest}}}" if rest else ""))
    alternatives.append(letters)
    return "|".join(alternatives)
