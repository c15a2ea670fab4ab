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
        found: dict[int, set[int]] = {}
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
                found[row] = set()
                continue
            end = self.xml.find(b"</row>", start)
            offset = end if end >= 0 else start
            found[row] = {column_number(letters) for attributes, letters in _CELL_START.findall(self.xml, start, end)
                          if (kind := _CELL_TYPE.search(attributes)) is None or kind.group(1) == b"n"}
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
