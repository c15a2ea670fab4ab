"""The agency's own workbook with every failing cell marked: the report an HR officer works from.

Each cell with a finding gets a red (error) or yellow (warning) fill and a comment holding the
Vietnamese message, and a last column sums up the problems of each row. A last sheet explains
the colours and lists the findings about the whole file.

The copy keeps the agency's cell values, sheet names and column widths, not their formatting.
The cells come from the intake reader's grids (python-calamine reads values only), so each row
sits at the row number its findings give, and the workbook is rewritten with xlsxwriter. The
widths come from the ``<col>`` elements of the .xlsx itself. A CSV or JSON upload becomes one
sheet holding its table. Text that a spreadsheet would run as a formula is neutralised, like in
every file the product writes: a string cell is inert as written, but an officer who edits it
and presses Enter would turn it into a live formula.

A file of more than ``FULL_COPY_MAX_ROWS`` data rows is copied in part. For each sheet with a
table, the copy has the rows down to the header row and the rows with a finding, each at its
own row number, so it still points at the cells to fix. xlsxwriter writes about 150,000 cells a
second, so copying every row of a 100,000-row file would take longer than checking it. That
copy is built from the sheets the validate stage read (``Table.source``), not read again;
number, date and boolean cells keep their type (an .xlsx cell's XML says which, and the other
readers noted it), other cells are written as text. Sheets without a table are left out. The
last sheet says so.

A copy that cannot be built (a value no spreadsheet cell can contain) is left out, and
``build_annotated_workbook`` logs the error type. The reports still list every finding.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath
from typing import Any

import python_calamine
import xlsxwriter

from cbccvc.intake import readers
from cbccvc.intake.sheet import CellMarks
from cbccvc.intake.spreadsheets import OLE_MAGIC, ZIP_MAGIC, read_workbook
from cbccvc.intake.table import Table
from cbccvc.intake.xlsx_parts import column_widths
from cbccvc.messages import Language, label
from cbccvc.models import BatchKeys, Finding, Severity
from cbccvc.observability import logger
from cbccvc.reporting.spreadsheet import neutralise
from cbccvc.reporting.validation_report import finding_message

ANNOTATED_SUFFIX = " - danh dau loi.xlsx"
ERROR_FILL = "#FFC7CE"
ERROR_FONT = "#9C0006"
WARNING_FILL = "#FFEB9C"
WARNING_FONT = "#7F6000"
# Width (in characters) of columns whose width the source does not give: fitted to the text of
# the first rows, within these bounds.
MIN_WIDTH = 6.0
MAX_WIDTH = 50.0
WIDTH_SAMPLE_ROWS = 200
SUMMARY_COLUMN_WIDTH = 80.0
# Excel's limits on a sheet name and on a cell's text.
SHEET_NAME_LIMIT = 31
CELL_TEXT_LIMIT = 32_767
PAPER_A3 = 8  # xlsxwriter's paper index
# Row height (points) per line of the 9-point summary text, and Excel's largest row height.
SUMMARY_LINE_HEIGHT = 12.0
MAX_ROW_HEIGHT = 409.0
# Above this many data rows in all tables, the copy contains the header rows and the rows with findings only.
FULL_COPY_MAX_ROWS = 5_000
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")

_INVALID_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


@dataclass(slots=True)
class SourceSheet:
    """The values of one sheet of the upload, where they sit, and how wide its columns were."""

    name: str
    finding_sheet: str | None  # the sheet name findings carry (None for CSV and JSON)
    rows: list[list[Any]]
    # The row number findings use for each of ``rows``: the 1-based sheet row or CSV line, or
    # for JSON the record number (0 for the header row).
    row_numbers: list[int]
    first_column: int = 0  # 0-based sheet column of rows[i][0]
    hidden: bool = False
    widths: dict[int, float] = field(default_factory=dict)
    # JSON record N is drawn on row N + 1, below the header row.
    row_shift: int = 0

    def grid_row(self, row_number: int) -> int:
        """Return the 0-based row of the copy where the row numbered ``row_number`` is drawn."""
        return row_number - 1 + self.row_shift


def annotated_file_name(file_name: str) -> str:
    """Return the annotated copy's name: "<original stem> - danh dau loi.xlsx"."""
    stem = PurePosixPath(file_name.replace("\\", "/")).stem or "tep"
    safe = "".join(char for char in stem if char.isprintable() and char not in '/\\:*?"<>|').strip()
    return f"{safe or 'tep'}{ANNOTATED_SUFFIX}"


def build_annotated_workbook(data: bytes, file_name: str, findings: Sequence[Finding],
                             language: Language = Language.VI,
                             header_rows: Mapping[str | None, int] | None = None, *,
                             tables: Sequence[Table] | None = None) -> bytes | None:
    """Return the annotated copy of the upload as .xlsx bytes; None when the upload cannot be read.

    ``header_rows`` maps each table's sheet (None for CSV and JSON) to its 1-based header row,
    as the intake reader found it. Without it, the upload is read again to find them.
    ``tables`` are the tables the validate stage read; a large file is copied in part from them.
    """
    try:
        return _annotated_workbook(data, file_name, findings, language, header_rows=header_rows, tables=tables)
    except (OverflowError, ValueError, UnicodeError) as error:
        # Values only: the error text may quote a cell of the upload.
        logger.warning("annotated_copy_skipped", error=type(error).__name__)
        return None


def _annotated_workbook(data: bytes, file_name: str, findings: Sequence[Finding], language: Language, *,
                        header_rows: Mapping[str | None, int] | None,
                        tables: Sequence[Table] | None) -> bytes | None:
    is_json = readers.file_extension(file_name) in readers.JSON_EXTENSIONS
    if tables and sum(len(table) for table in tables) > FULL_COPY_MAX_ROWS and all(table.source for table in tables):
        sheets = _partial_sheets(data, tables, findings, language, is_json=is_json)
        header_rows = {table.sheet: table.header_row for table in tables}
        return _AnnotatedWriter(sheets, findings, language, header_rows, is_json=is_json,
                                partial=True).write()
    source_sheets = read_source_sheets(data, file_name, language)
    if source_sheets is None:
        return None
    if header_rows is None:
        header_rows = find_header_rows(data, file_name)
    return _AnnotatedWriter(source_sheets, findings, language, header_rows, is_json=is_json).write()


def _partial_sheets(data: bytes, tables: Sequence[Table], findings: Sequence[Finding], language: Language, *,
                    is_json: bool) -> list[SourceSheet]:
    """Return, for each table, its rows down to the header row and its rows with findings, with cell types."""
    rows_by_sheet: dict[str | None, set[int]] = defaultdict(set)
    for finding in findings:
        if finding.row is not None:
            rows_by_sheet[finding.sheet].add(finding.row)
    widths = _xlsx_column_widths(data) if data.startswith(ZIP_MAGIC) else {}
    sheets = []
    for table in tables:
        source = table.source
        if source is None:  # pragma: no cover - the caller checked
            continue
        wanted = rows_by_sheet.get(table.sheet, set())
        indexes = [index for index, number in enumerate(source.row_numbers)
                   if number <= table.header_row or number in wanted]
        rows = [list(row) for row in source.frame[indexes].iter_rows()] if indexes else []
        _restore_cell_types(rows, indexes, source.marks)
        sheets.append(SourceSheet(
            name=table.sheet or label("annotated.data_sheet", language), finding_sheet=table.sheet, rows=rows,
            row_numbers=[source.row_numbers[index] for index in indexes], first_column=source.first_column,
            widths=widths.get(table.sheet or "", {}), row_shift=1 if is_json else 0,
        ))
    return sheets


def _restore_cell_types(rows: list[list[Any]], indexes: Sequence[int], marks: CellMarks) -> None:
    """Turn the text of number, date and boolean cells back into numbers, dates and booleans (in place)."""
    kinds = marks.cell_kinds(indexes)
    for row, index in zip(rows, indexes, strict=True):
        for position, kind in kinds.get(index, {}).items():
            if 0 <= position < len(row) and isinstance(row[position], str):
                text = row[position]
                row[position] = text.lower() == "true" if kind == "boolean" else _typed(text)


def _typed(text: str) -> Any:
    """Return a number or date cell's text as the value it was ("1985-09-05" → date, "2.67" → 2.67)."""
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        if _ISO_DATETIME.match(text):
            return datetime.fromisoformat(text)
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def find_header_rows(data: bytes, file_name: str) -> dict[str | None, int]:
    """Return each table's sheet → 1-based header row, read exactly as the validate stage reads it."""
    try:
        tables = readers.read_export(data, file_name)
    except readers.UnreadableFileError:
        return {}
    return {table.sheet: table.header_row for table in tables}


def read_source_sheets(data: bytes, file_name: str, language: Language = Language.VI) -> list[SourceSheet] | None:
    """Read the upload with the intake reader's grids, so every row sits where its findings point.

    Hidden worksheets, which the reader skips because they hold no records, are read too so the
    copy keeps every sheet. Returns None when the upload cannot be read.
    """
    try:
        if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
            return _workbook_sheets(data, file_name)
        grids, _ = readers.read_grids(data, file_name)
    except (readers.UnreadableFileError, python_calamine.CalamineError, ValueError, OSError, zipfile.BadZipFile):
        return None
    is_json = readers.file_extension(file_name) in readers.JSON_EXTENSIONS
    return [
        SourceSheet(label("annotated.data_sheet", language), None, grid.rows, grid.row_numbers,
                    row_shift=1 if is_json else 0)
        for grid in grids
    ]


def _workbook_sheets(data: bytes, file_name: str) -> list[SourceSheet]:
    """Return the workbook's worksheets in order, hidden ones too, as the intake reader reads them."""
    widths = _xlsx_column_widths(data) if data.startswith(ZIP_MAGIC) else {}
    return [
        SourceSheet(name=grid.sheet or "", finding_sheet=grid.sheet, rows=grid.rows, row_numbers=grid.row_numbers,
                    first_column=grid.first_column, hidden=grid.hidden, widths=widths.get(grid.sheet or "", {}))
        for grid in read_workbook(data, file_name, include_hidden=True)
    ]


# --- column widths of an .xlsx ------------------------------------------------------------------


def _xlsx_column_widths(data: bytes) -> dict[str, dict[int, float]]:
    """Read each sheet's column widths (0-based column → width in characters) from the .xlsx parts."""
    try:
        return column_widths(data)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return {}


# --- writing ------------------------------------------------------------------------------------


def column_index(letters: str) -> int:
    """Return the 0-based index of an Excel column ("A" → 0, "AA" → 26)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + (ord(char) - ord("A") + 1)
    return number - 1


@dataclass(slots=True)
class _RowFindings:
    by_column: dict[int, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    all: list[Finding] = field(default_factory=list)


class _AnnotatedWriter:
    """Writes the sheets row by row (xlsxwriter's constant-memory mode) with fills and comments."""

    def __init__(self, sheets: list[SourceSheet], findings: Sequence[Finding], language: Language,
                 header_rows: Mapping[str | None, int], *, is_json: bool, partial: bool = False) -> None:
        self.sheets = sheets
        self.header_rows = header_rows
        self.language = language
        self.is_json = is_json
        self.partial = partial
        self.file_findings = [finding for finding in findings if finding.row is None]
        self.by_sheet: dict[str | None, dict[int, _RowFindings]] = defaultdict(dict)
        for finding in findings:
            if finding.row is None:
                continue
            rows = self.by_sheet[finding.sheet]
            entry = rows.setdefault(finding.row, _RowFindings())
            entry.all.append(finding)
            if finding.column:
                entry.by_column[column_index(finding.column)].append(finding)
        self.buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self.buffer, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False,
        })
        self._formats: dict[tuple[str, str | None], Any] = {}

    def write(self) -> bytes:
        used_names: set[str] = set()
        first_visible = None
        for sheet in self.sheets:
            worksheet = self.workbook.add_worksheet(_unique_sheet_name(sheet.name, used_names))
            self._write_sheet(worksheet, sheet)
            if sheet.hidden:
                worksheet.hide()
            elif first_visible is None:
                first_visible = worksheet
        summary = self.workbook.add_worksheet(_unique_sheet_name(label("annotated.summary_sheet", self.language),
                                                                 used_names))
        self._write_summary_sheet(summary)
        (first_visible or summary).activate()
        self.workbook.close()
        return self.buffer.getvalue()

    # --- one sheet ----------------------------------------------------------------------------

    def _write_sheet(self, worksheet: Any, sheet: SourceSheet) -> None:
        findings = self.by_sheet.get(sheet.finding_sheet, {})
        width = max((len(row) for row in sheet.rows), default=0)
        summary_column = sheet.first_column + width
        header_row = self._header_row(sheet)
        self._set_widths(worksheet, sheet, width, summary_column)
        # Printed (or exported to PDF), a sheet fits the page width and repeats its header row.
        worksheet.set_landscape()
        worksheet.set_paper(PAPER_A3)
        worksheet.fit_to_pages(1, 0)
        if header_row is not None:
            worksheet.freeze_panes(header_row + 1, 0)
            worksheet.repeat_rows(header_row)

        for row, row_number in zip(sheet.rows, sheet.row_numbers, strict=True):
            grid_row = sheet.grid_row(row_number)
            entry = findings.get(row_number)
            if entry:
                # Constant-memory mode needs the height before the row's cells; readers do not
                # grow a row to fit wrapped text on their own.
                worksheet.set_row(grid_row, self._summary_height(entry.all))
            if grid_row == header_row:
                worksheet.write_string(grid_row, summary_column, label("annotated.row_summary", self.language),
                                       self._format("header", None))
            for position, value in enumerate(row):
                column = sheet.first_column + position
                cell_findings = entry.by_column.get(column, []) if entry else []
                self._write_cell(worksheet, grid_row, column, value, cell_findings)
            if entry:
                self._write_row_cells_beyond(worksheet, grid_row, sheet.first_column + len(row), summary_column,
                                             entry)
                self._write_row_summary(worksheet, grid_row, summary_column, entry.all)

    def _write_row_cells_beyond(self, worksheet: Any, grid_row: int, start: int, end: int,
                                entry: _RowFindings) -> None:
        """Mark findings on cells past the row's last value (a blank required cell at the row end)."""
        for column in sorted(entry.by_column):
            if start <= column < end:
                self._write_cell(worksheet, grid_row, column, None, entry.by_column[column])

    def _write_cell(self, worksheet: Any, row: int, column: int, value: Any, findings: list[Finding]) -> None:
        severity = _worst(findings)
        kind, written = _cell_kind(value)
        cell_format = self._format(kind, severity) if (severity or kind != "plain") else None
        if written is None:
            if severity:
                worksheet.write_blank(row, column, None, cell_format)
        elif kind == "text":
            worksheet.write_string(row, column, neutralise(written)[:CELL_TEXT_LIMIT], cell_format)
        elif kind == "boolean":
            worksheet.write_boolean(row, column, written, cell_format)
        elif kind in {"date", "datetime", "time"}:
            worksheet.write_datetime(row, column, written, cell_format)
        else:
            worksheet.write_number(row, column, written, cell_format)
        if findings:
            text = "\n".join(self._finding_line(finding) for finding in findings)
            lines = sum(1 + len(line) // 60 for line in text.split("\n"))
            worksheet.write_comment(row, column, text[:CELL_TEXT_LIMIT], {
                "author": "cbccvc", "x_scale": 3.2, "y_scale": min(1.0 + 0.55 * lines, 12.0), "font_size": 9,
            })

    def _summary_height(self, findings: list[Finding]) -> float:
        text = self._summary_text(findings)
        # About 1.4 characters of the 9-point summary font fit in one unit of column width.
        per_line = int(SUMMARY_COLUMN_WIDTH * 1.4)
        lines = sum(1 + len(line) // per_line for line in text.split("\n"))
        return min(max(15.0, SUMMARY_LINE_HEIGHT * lines + 3), MAX_ROW_HEIGHT)

    def _summary_text(self, findings: list[Finding]) -> str:
        errors = sum(1 for finding in findings if finding.severity == Severity.ERROR)
        warnings = len(findings) - errors
        lines = [label("annotated.row_counts", self.language, errors=errors, warnings=warnings)]
        lines.extend(self._finding_line(finding, with_cell=True) for finding in findings)
        return "\n".join(lines)

    def _write_row_summary(self, worksheet: Any, row: int, column: int, findings: list[Finding]) -> None:
        worksheet.write_string(row, column, neutralise(self._summary_text(findings))[:CELL_TEXT_LIMIT],
                               self._format("summary", _worst(findings)))

    def _finding_line(self, finding: Finding, *, with_cell: bool = False) -> str:
        """Word a finding for a comment or the row summary: severity, code (as in the report) and message."""
        severity = label(f"severity.{finding.severity.value}", self.language)
        cell = finding.cell
        if self.is_json and finding.column and finding.row is not None:
            cell = f"{finding.column}{finding.row + 1}"  # the copy's own cell: record N is on row N + 1
        place = f"{cell} «{finding.header}» " if with_cell and cell else ""
        return f"• {place}{severity} {finding.code}: {finding_message(finding, self.language)}"

    def _header_row(self, sheet: SourceSheet) -> int | None:
        """Return the 0-based grid row of the sheet's header row, if the sheet holds a table."""
        header_row = self.header_rows.get(sheet.finding_sheet)
        return None if header_row is None else sheet.grid_row(header_row)

    def _set_widths(self, worksheet: Any, sheet: SourceSheet, width: int, summary_column: int) -> None:
        fitted = _fitted_widths(sheet, width)
        for column in range(sheet.first_column, summary_column):
            chosen = sheet.widths.get(column, fitted.get(column, MIN_WIDTH))
            worksheet.set_column(column, column, chosen, None, {"hidden": True} if chosen == 0 else {})
        worksheet.set_column(summary_column, summary_column, SUMMARY_COLUMN_WIDTH)

    # --- the last sheet -----------------------------------------------------------------------

    def _write_summary_sheet(self, worksheet: Any) -> None:
        worksheet.set_column(0, 0, 110)
        bold = self._format("header", None)
        lines: list[tuple[str, Any]] = [
            (label("annotated.summary_sheet", self.language), self._format("title", None)),
            (label("annotated.legend_error", self.language), self._format("plain", "error")),
            (label("annotated.legend_warning", self.language), self._format("plain", "warning")),
            (label("annotated.legend_comment", self.language,
                   column=label("annotated.row_summary", self.language)), None),
            (label("annotated.legend_values", self.language), None),
        ]
        if self.is_json:
            lines.append((label("annotated.legend_json", self.language), None))
        if self.partial:
            lines.append((label("annotated.legend_partial", self.language, rows=FULL_COPY_MAX_ROWS), None))
        lines.append(("", None))
        lines.append((label("annotated.file_findings", self.language), bold))
        if self.file_findings:
            lines.extend((self._finding_line(finding), self._format("wrap", None)) for finding in self.file_findings)
        elif not any(self.by_sheet.values()):
            lines.append((label("annotated.no_findings", self.language), None))
        else:
            lines.append(("-", None))
        for row, (text, cell_format) in enumerate(lines):
            if text:
                worksheet.write_string(row, 0, neutralise(text), cell_format)

    # --- formats ------------------------------------------------------------------------------

    def _format(self, kind: str, severity: str | None) -> Any:
        key = (kind, severity)
        if key not in self._formats:
            properties: dict[str, Any] = {"valign": "top"}
            properties.update(_KIND_FORMATS.get(kind, {}))
            if severity == Severity.ERROR:
                properties.update({"bg_color": ERROR_FILL, "font_color": ERROR_FONT, "border": 1,
                                   "border_color": ERROR_FONT})
            elif severity == Severity.WARNING:
                properties.update({"bg_color": WARNING_FILL, "font_color": WARNING_FONT, "border": 1,
                                   "border_color": WARNING_FONT})
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]


_KIND_FORMATS: dict[str, dict[str, Any]] = {
    "date": {"num_format": "dd/mm/yyyy"},
    "datetime": {"num_format": "dd/mm/yyyy hh:mm"},
    "time": {"num_format": "hh:mm:ss"},
    "duration": {"num_format": "[h]:mm:ss"},
    "header": {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True},
    "summary": {"text_wrap": True, "font_size": 9},
    "title": {"bold": True, "font_size": 14},
    "wrap": {"text_wrap": True},
}


# Integers from here on have more digits than a spreadsheet number keeps (15).
_EXACT_INTEGER_LIMIT = 10**15


def _cell_kind(value: Any) -> tuple[str, Any]:  # noqa: PLR0911 - one return per cell type
    """Return how to write a cell value and the value to write (None for an empty cell)."""
    if value is None or value == "":
        return "plain", None
    if isinstance(value, bool):
        return "boolean", value
    if isinstance(value, int) and abs(value) >= _EXACT_INTEGER_LIMIT:
        return "text", str(value)  # a spreadsheet number keeps 15 digits; this one's digits are kept as text
    if isinstance(value, int | float):
        return ("number", value) if math.isfinite(value) else ("text", str(value))
    if isinstance(value, datetime):
        return ("date", value) if value.time() == time() else ("datetime", value)
    if isinstance(value, date):
        return "date", value
    if isinstance(value, time):
        return "time", value
    if isinstance(value, timedelta):
        return "duration", value.total_seconds() / 86_400
    if isinstance(value, dict | list):
        return "text", json.dumps(value, ensure_ascii=False)
    return "text", str(value)


def _worst(findings: Sequence[Finding]) -> str | None:
    if not findings:
        return None
    return Severity.ERROR if any(finding.severity == Severity.ERROR for finding in findings) else Severity.WARNING


def _fitted_widths(sheet: SourceSheet, width: int) -> dict[int, float]:
    longest = [0] * width
    for row in sheet.rows[:WIDTH_SAMPLE_ROWS]:
        for position, value in enumerate(row):
            if value not in (None, ""):
                longest[position] = max(longest[position], len(str(value)))
    return {sheet.first_column + position: min(max(MIN_WIDTH, length * 1.1 + 2), MAX_WIDTH)
            for position, length in enumerate(longest)}


def _unique_sheet_name(name: str, used: set[str]) -> str:
    base = _INVALID_SHEET_CHARACTERS.sub("_", name).strip("'")[:SHEET_NAME_LIMIT] or "Sheet"
    candidate, number = base, 2
    while candidate.casefold() in used:
        suffix = f" ({number})"
        candidate = base[:SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    used.add(candidate.casefold())
    return candidate


def annotated_report_key(keys: BatchKeys, file_name: str) -> str:
    """Return the S3 key of a batch's annotated copy, beside its other reports."""
    return f"{keys.report_json.rsplit('/', 1)[0]}/{annotated_file_name(file_name)}"
