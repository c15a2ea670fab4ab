"""Read a delimited text export (comma, semicolon, tab or bar separated) into a grid.

The delimiter chosen is the one under which the first rows contain the header with the most
known column headers. Between equal ones, it is the one giving the most rows of the same
width. Excel writes commas, or semicolons where the Windows list separator is set that way
(common on Vietnamese Windows), and its "Unicode Text" uses tabs. Fields in double quotes may
contain delimiters and line breaks. A row's number is the line its record starts on.

Files are parsed with polars, which reads 100,000 rows in a few hundredths of a second, into
text columns (``read_delimited_sheet``). Some files polars would parse differently from Python's
csv module: a record spanning lines, a lone carriage return as line end, a quote inside an
unquoted value, a row wider than any of the first rows. Those are parsed with the csv module.
The width of a row is only needed for rows that look short or long, so only those rows are
parsed again one by one.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid
from cbccvc.intake.headers import find_header
from cbccvc.intake.sheet import SheetData, position_name, sheet_from_rows

DELIMITERS = (",", ";", "\t", "|")
# Characters of the start of the text that the delimiter is chosen on.
SNIFF_CHARS = 65_536
# The csv module rejects fields longer than its limit. A very long cell is damage to report at
# its row, not a reason to reject the file, so the limit is far above any real cell.
MAX_FIELD_CHARS = 64 * 1024 * 1024


def read_delimited_sheet(text: str, file_name: str, utf8: bytes | None = None) -> SheetData:
    """Return the sheet data of a decoded text file; ``utf8`` is ``text`` encoded, when the caller has it.

    Raises UnreadableFileError when the file cannot be parsed.
    """
    delimiter = choose_delimiter(text)
    sheet = parse_with_polars(utf8 if utf8 is not None else text.encode("utf-8"), delimiter, _sample(text))
    if sheet is not None:
        return sheet
    grid = read_delimited_text(text, file_name, delimiter)
    return sheet_from_rows(grid.rows, sheet=None, row_numbers=grid.row_numbers, delimited=True)


def sample_text(utf8: bytes) -> str:
    """Return the start of UTF-8 bytes as text, as ``choose_delimiter`` would see it of the whole text."""
    return utf8[:SNIFF_CHARS * 4].decode("utf-8-sig", errors="ignore")[:SNIFF_CHARS + 1]


def parse_with_polars(utf8: bytes, delimiter: str, sample: str) -> SheetData | None:
    """Parse UTF-8 text with polars when it is sure to give what the csv module gives; None otherwise.

    ``sample`` is the start of the text, for the widths of the first rows.
    """
    if not utf8:
        return None
    # A carriage return alone ends a line for the csv module but not for polars.
    returns = utf8.count(b"\r")
    if returns and returns != utf8.count(b"\r\n"):
        return None
    try:
        sample_widths = [len(row) for _, row in _records(_sample(sample), delimiter)]
    except csv.Error:
        return None
    # One column more than the widest of the first rows: a wider row makes polars raise.
    width = max(sample_widths, default=0) + 1
    try:
        frame = pl.read_csv(
            utf8, has_header=False, infer_schema=False, separator=delimiter, quote_char='"',
            truncate_ragged_lines=False, missing_columns="insert",
            schema={position_name(position): pl.String for position in range(width)},
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None
    # A quoted value spanning lines makes rows differ from lines; without a quote there is none.
    if b'"' in utf8 and frame.height != utf8.count(b"\n") + (0 if utf8.endswith(b"\n") else 1):
        return None
    widths = _LineWidths(utf8, delimiter)
    return SheetData(sheet=None, frame=frame, row_numbers=list(range(1, frame.height + 1)), delimited=True,
                     row_widths=widths.widths)


class _LineWidths:
    """Counts the cells of single lines with the csv module, splitting the text only when asked."""

    def __init__(self, utf8: bytes, delimiter: str) -> None:
        self.utf8 = utf8
        self.delimiter = delimiter
        self.lines: list[bytes] | None = None

    def widths(self, indexes: Sequence[int]) -> list[int]:
        if self.lines is None:
            self.lines = self.utf8.split(b"\n")
        counts = []
        for index in indexes:
            line = self.lines[index].removesuffix(b"\r").decode("utf-8-sig")
            counts.append(len(next(_reader(line, self.delimiter), [])))
        return counts


def read_delimited_text(text: str, file_name: str, delimiter: str | None = None) -> Grid:
    """Return the grid of a decoded text file; raise UnreadableFileError when it cannot be parsed."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    delimiter = delimiter or choose_delimiter(text)
    try:
        reader = _reader(text, delimiter)
        rows = list(reader)
        if reader.line_num == len(rows):  # no record spans two lines: record i is on line i + 1
            row_numbers = list(range(1, len(rows) + 1))
        else:
            row_numbers = [line for line, _ in _records(text, delimiter)]
    except csv.Error as error:
        raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error
    return Grid(sheet=None, rows=rows, row_numbers=row_numbers, delimited=True)


def _sample(text: str) -> str:
    """Return the start of the text, cut at a line end."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[:sample.rindex("\n")]
    return sample


def choose_delimiter(text: str) -> str:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    sample = _sample(text)
    best, best_key = ",", (-1, -1.0, -1)
    for delimiter in DELIMITERS:
        try:
            rows = [row for _, row in _records(sample, delimiter)]
        except csv.Error:
            continue
        key = _delimiter_key(rows)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _delimiter_key(rows: list[list[str]]) -> tuple[int, float, int]:
    """Rank a delimiter: known headers found, then the share of rows of the usual width, then that width."""
    header = find_header(rows)
    widths = Counter(len(row) for row in rows if any(cell.strip() for cell in row))
    if not widths:
        return (0, 0.0, 0)
    width, count = widths.most_common(1)[0]
    consistency = count / sum(widths.values()) if width > 1 else 0.0
    return (len(header.fields) if header else 0, consistency, width)


def _reader(text: str, delimiter: str) -> Any:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield each record with the 1-based line it starts on."""
    reader = _reader(text, delimiter)
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1
