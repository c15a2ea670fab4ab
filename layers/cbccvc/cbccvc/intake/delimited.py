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

Columns are kept up to the header's last one and ``COLUMN_MARGIN`` more: a line of 16,384
commas (Excel's export of one stray cell in column XFD) would otherwise make a column of every
position for every row. A row cut there keeps its exact width and where its first cut-off
value was, for the row-width check.

A quote that opens a field and is never closed makes the csv module read every following line
into that field. A field spanning lines that look like records (as many delimiters as half a
record has) is such a quote: its line is read again with the quote as a plain character, the
row gets a CSV_QUOTE_UNCLOSED error, and reading goes on from the next line.

Excel's way of keeping leading zeros in CSV, ``="046195688555"``, is read as the text inside.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid, RowDamage
from cbccvc.intake.headers import HEADER_SEARCH_ROWS, find_header
from cbccvc.intake.sheet import SheetData, position_name, sheet_from_grid

DELIMITERS = (",", ";", "\t", "|")
# Characters of the start of the text that the delimiter is chosen on.
SNIFF_CHARS = 65_536
# The csv module rejects fields longer than its limit. A very long cell is damage to report at
# its row, not a reason to reject the file, so the limit is far above any real cell.
MAX_FIELD_CHARS = 64 * 1024 * 1024
# Positions kept right of the header's last one, so a row a little too wide is still shown whole.
COLUMN_MARGIN = 8
# Positions kept of a file without a header row (it is rejected; only its first rows are shown).
NO_HEADER_COLUMNS = 256
# Unclosed quotes read again before the rest of the file is left as the csv module reads it.
MAX_QUOTE_REPAIRS = 100
# Excel's ="…" form of a value it must not read as a number.
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)
_EXCEL_TEXT_PATTERN = r'(?s)^="(.*)"$'
# The ASCII unit separator, a control character text exports rarely contain. Lines are split by
# reading the text as one column separated by it; a text that contains it is split in Python.
_UNIT_SEPARATOR = b"\x1f"
# Line ends as the csv module splits on them: \r\n, \n or a lone \r.
_LINE_END = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")


def read_delimited_sheet(text: str, file_name: str, utf8: bytes | None = None) -> SheetData:
    """Return the sheet data of a decoded text file; ``utf8`` is ``text`` encoded, when the caller has it.

    Raises UnreadableFileError when the file cannot be parsed.
    """
    delimiter = choose_delimiter(text)
    sheet = parse_with_polars(utf8 if utf8 is not None else text.encode("utf-8"), delimiter, _sample(text))
    if sheet is not None:
        return sheet
    return sheet_from_grid(read_delimited_text(text, file_name, delimiter))


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
        sample_rows = [row for _, row in _records(_sample(sample), delimiter)]
    except csv.Error:
        return None
    # One column more than the widest of the first rows (or than the columns kept): a wider row makes polars raise.
    width = min(max((len(row) for row in sample_rows), default=0), column_limit(sample_rows)) + 1
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
    if b'="' in utf8:
        frame = _without_excel_text(frame)
    widths = _LineWidths(utf8, delimiter)
    return SheetData(sheet=None, frame=frame, row_numbers=list(range(1, frame.height + 1)), delimited=True,
                     row_widths=widths.widths)


def _without_excel_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Read Excel's ="046195688555" cells as the text inside the quotes."""
    flags = frame.select(pl.col(name).str.starts_with('="').any() for name in frame.columns).row(0)
    changed = [name for name, flag in zip(frame.columns, flags, strict=True) if flag]
    return frame.with_columns(pl.col(name).str.replace(_EXCEL_TEXT_PATTERN, "$1") for name in changed)


def column_limit(rows: Sequence[Sequence[str]]) -> int:
    """Return how many positions of each row to keep: up to the header's last text and ``COLUMN_MARGIN`` more.

    The header is looked for among the first rows from the first non-blank one, as the table
    is. Without one, a row keeps up to its last value, at most ``NO_HEADER_COLUMNS`` positions.
    """
    window: list[Sequence[str]] = []
    for row in rows:
        last = _last_value(row)
        if window or last >= 0:
            window.append(row[:last + 1])
        if len(window) > HEADER_SEARCH_ROWS:
            break
    header = find_header(window)
    if header is None:
        return min(max((len(row) for row in window), default=0), NO_HEADER_COLUMNS) + COLUMN_MARGIN
    return max(position for position, text in enumerate(header.texts) if text) + 1 + COLUMN_MARGIN


def _last_value(row: Sequence[str]) -> int:
    """Return the position of a row's last non-blank cell, -1 for a blank row."""
    for position in range(len(row) - 1, -1, -1):
        if row[position].strip():
            return position
    return -1


class _LineWidths:
    """Counts the cells of single lines: by their delimiters, or with the csv module where a line has a quote.

    The lines are split and their delimiters counted for the whole text at once, in polars,
    on the first call.
    """

    def __init__(self, utf8: bytes, delimiter: str) -> None:
        self.utf8 = utf8
        self.delimiter = delimiter
        self.lines: pl.DataFrame | None = None

    def _split(self) -> pl.DataFrame:
        if _UNIT_SEPARATOR not in self.utf8:
            # One column split on a byte the text lacks and no quoting: one row per line, an
            # empty line as null, "\r\n" ends taken off.
            lines = pl.read_csv(self.utf8, has_header=False, infer_schema=False, separator="\x1f", quote_char=None,
                                schema={"line": pl.String})["line"].fill_null("")
        else:
            text = self.utf8.decode("utf-8-sig")
            lines = pl.Series("line", [line.removesuffix("\r") for line in text.split("\n")])
        return pl.DataFrame(lines).with_columns(
            cells=pl.col("line").str.count_matches(self.delimiter, literal=True) + 1,
            quoted=pl.col("line").str.contains('"', literal=True),
            blank=pl.col("line").str.strip_chars().str.strip_chars("\ufeff") == "",
        )

    def widths(self, indexes: Sequence[int]) -> list[int]:
        if self.lines is None:
            self.lines = self._split()
        rows = pl.Series("row", list(indexes), dtype=pl.Int64)
        requested = self.lines.select(pl.col("cells", "quoted", "blank").gather(rows))
        counts: list[int] = requested["cells"].to_list()
        # A line with a quote may have delimiters inside quoted values; a blank line has no cell.
        for position in (requested["quoted"] | requested["blank"]).arg_true().to_list():
            line = self.lines["line"][indexes[position]]
            counts[position] = len(next(_reader(line, self.delimiter), []))
        return counts


def read_delimited_text(text: str, file_name: str, delimiter: str | None = None) -> Grid:
    """Return the grid of a decoded text file; raise UnreadableFileError when it cannot be parsed.

    Rows are cut after ``column_limit`` positions. The grid records each cut row's exact width
    and the position of its first cut-off value, and the rows whose quote was never closed.
    """
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    delimiter = delimiter or choose_delimiter(text)
    try:
        reader = _reader(text, delimiter)
        rows = list(reader)
        if reader.line_num == len(rows):  # no record spans two lines: record i is on line i + 1
            row_numbers = list(range(1, len(rows) + 1))
            damage: list[RowDamage] = []
        else:
            rows, row_numbers, damage = _records_repairing_quotes(text, delimiter, _record_delimiters(rows))
    except csv.Error as error:
        raise UnreadableFileError("FILE_DAMAGED", file=file_name) from error
    if '="' in text:
        rows = [[_excel_text(cell) for cell in row] for row in rows]
    widths = [len(row) for row in rows]
    limit = column_limit(rows)
    overflow: dict[int, int] = {}
    for index, row in enumerate(rows):
        if len(row) > limit:
            extra = next((position for position in range(limit, len(row)) if row[position].strip()), None)
            if extra is not None:
                overflow[index] = extra
            rows[index] = row[:limit]
    return Grid(sheet=None, rows=rows, row_numbers=row_numbers, delimited=True, damage=damage, overflow=overflow,
                widths=widths)


def _excel_text(cell: str) -> str:
    if cell.startswith('="'):
        match = _EXCEL_TEXT.match(cell)
        if match:
            return match.group(1)
    return cell


def _record_delimiters(rows: list[list[str]]) -> int:
    """Return how many delimiters a line inside a field must have to look like a record: half a usual row's."""
    widths = Counter(len(row) for row in rows[:HEADER_SEARCH_ROWS * 10] if len(row) > 1)
    usual = widths.most_common(1)[0][0] if widths else 2
    return max(2, (usual - 1) // 2)


def _records_repairing_quotes(text: str, delimiter: str,
                              minimum: int) -> tuple[list[list[str]], list[int], list[RowDamage]]:
    """Parse every record with the line it starts on, reading a line again where its quote is never closed.

    A field holding a line break followed by a line of at least ``minimum`` delimiters swallowed
    records: its line is read with quotes as plain characters, and parsing starts again on the
    next line.
    """
    lines = [line for line in _LINE_END.split(text) if line]
    rows: list[list[str]] = []
    row_numbers: list[int] = []
    damage: list[RowDamage] = []
    start = 0
    repairs = 0
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), delimiter=delimiter, quotechar='"', doublequote=True)
        line = start + 1
        restart = None
        for cells in reader:
            row = cells
            position = _swallowing_field(row, delimiter, minimum)
            if position is not None:
                damage.append(RowDamage(len(rows), "CSV_QUOTE_UNCLOSED", position))
                if repairs < MAX_QUOTE_REPAIRS:
                    repairs += 1
                    row = next(csv.reader([lines[line - 1]], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
                    restart = line
            rows.append(row)
            row_numbers.append(line)
            if restart is not None:
                break
            line = start + reader.line_num + 1
        if restart is None:
            break
        start = restart
    return rows, row_numbers, damage


def _swallowing_field(row: list[str], delimiter: str, minimum: int) -> int | None:
    """Return the position of a field that contains lines looking like records, if any."""
    for position, value in enumerate(row):
        if "\n" not in value and "\r" not in value:
            continue
        if any(line.count(delimiter) >= minimum for line in value.splitlines()[1:]):
            return position
    return None


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
