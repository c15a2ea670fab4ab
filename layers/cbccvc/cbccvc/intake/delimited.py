"""Read a delimited text export (comma, semicolon, tab or bar separated) into a grid.

The delimiter chosen is the one under which the first rows contain the header with the most
known column headers. Between equal ones, it is the one giving the most rows of the same
width. Excel writes commas, or semicolons where the Windows list separator is set that way
(common on Vietnamese Windows), and its "Unicode Text" uses tabs. Fields in double quotes may
contain delimiters and line breaks. A row's number is the line its record starts on.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid
from cbccvc.intake.headers import find_header

DELIMITERS = (",", ";", "\t", "|")
# Characters of the start of the text that the delimiter is chosen on.
SNIFF_CHARS = 65_536
# The csv module rejects fields longer than its limit. A very long cell is damage to report at
# its row, not a reason to reject the file, so the limit is far above any real cell.
MAX_FIELD_CHARS = 64 * 1024 * 1024


def read_delimited_text(text: str, file_name: str) -> Grid:
    """Return the grid of a decoded text file; raise UnreadableFileError when it cannot be parsed."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    delimiter = choose_delimiter(text)
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


def choose_delimiter(text: str) -> str:
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[:sample.rindex("\n")]
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
