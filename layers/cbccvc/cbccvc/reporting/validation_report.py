"""The validation report of a batch, as JSON for machines and XLSX for the HR officer.

Every finding carries its code, severity, sheet, cell, the column header as the agency wrote
it and a Vietnamese message saying what is wrong and how to fix it. Counts by code and by
column head the report. Findings may quote cell values the agency uploaded, which is why the
report goes back to the agency only and its content never goes to logs.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter

from cbccvc.messages import LABELS, Language, label, render
from cbccvc.models import Finding, Severity
from cbccvc.reporting.spreadsheet import neutralise

REPORT_VERSION = 1
# Columns of the details sheet that get their own format.
SEVERITY_COLUMN = 4
MESSAGE_COLUMN = 6


@dataclass(frozen=True, slots=True)
class ValidationReport:
    batch_id: str
    agency_code: str
    file_name: str
    generated_at: str
    rows: int
    staged: int
    invalid: int
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "warning")

    def counts_by_code(self) -> dict[str, int]:
        return dict(Counter(finding.code for finding in self.findings).most_common())

    def counts_by_column(self) -> dict[str, int]:
        counter = Counter(finding.header for finding in self.findings if finding.header)
        return dict(counter.most_common())

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "batch_id": self.batch_id,
            "agency_code": self.agency_code,
            "file_name": self.file_name,
            "generated_at": self.generated_at,
            "summary": {
                "rows": self.rows,
                "valid": self.staged,
                "invalid": self.invalid,
                "errors": self.errors,
                "warnings": self.warnings,
                "by_code": self.counts_by_code(),
                "by_column": self.counts_by_column(),
            },
            "findings": [_finding_dict(finding) for finding in self.findings],
        }

    def to_json(self) -> bytes:
        # Sorted keys and fixed separators make the bytes reproducible, since the manifest
        # carries their hash.
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")

    def to_xlsx(self) -> bytes:
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                                "strings_to_urls": False})
        _write_summary(workbook, self)
        _write_details(workbook, self)
        workbook.close()
        return buffer.getvalue()


def build_report(*, batch_id: str, agency_code: str, file_name: str, generated_at: str, rows: int, staged: int,
                 invalid: int, findings: Sequence[Finding]) -> ValidationReport:
    ordered = sorted(findings, key=lambda finding: (
        finding.sheet or "", finding.row or 0, finding.column or "", finding.code))
    return ValidationReport(batch_id=batch_id, agency_code=agency_code, file_name=file_name,
                            generated_at=generated_at, rows=rows, staged=staged, invalid=invalid,
                            findings=tuple(ordered))


# Parameters that carry a reason code rather than text, and the label family that words them.
_WORDED_PARAMS = {"reason": "name_reason"}


def finding_message(finding: Finding, language: Language = Language.VI) -> str:
    """Render the finding's message: what is wrong and how to fix it."""
    params = {"header": finding.header or "", **finding.params}
    for name, family in _WORDED_PARAMS.items():
        key = f"{family}.{params.get(name)}"
        if key in LABELS:
            params[name] = label(key, language)
    return render(finding.code, language, **params)


def rows_by_severity(findings: Sequence[Finding]) -> tuple[int, int]:
    """Return how many rows have an error, and how many have warnings only."""
    worst: dict[tuple[str | None, int], Severity] = {}
    for finding in findings:
        if finding.row is None:
            continue
        place = (finding.sheet, finding.row)
        if worst.get(place) != Severity.ERROR:
            worst[place] = finding.severity
    errors = sum(1 for severity in worst.values() if severity == Severity.ERROR)
    return errors, len(worst) - errors


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "sheet": finding.sheet,
        "row": finding.row,
        "column": finding.column,
        "cell": finding.cell,
        "header": finding.header,
        "field": finding.field,
        "message": finding_message(finding),
    }


def _write_summary(workbook: Any, report: ValidationReport) -> None:
    sheet = workbook.add_worksheet(label("validation.sheet_summary"))
    bold = workbook.add_format({"bold": True})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    title = workbook.add_format({"bold": True, "font_size": 14})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    severity_formats = {
        Severity.ERROR: workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "valign": "top"}),
        Severity.WARNING: workbook.add_format({"bg_color": "#FFEB9C", "font_color": "#7F6000", "valign": "top"}),
    }
    _fit_page_width(sheet)
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, 3, 90)
    sheet.write_string(0, 0, label("validation.title"), title)
    rows_with_errors, rows_with_warnings = rows_by_severity(report.findings)
    facts = [
        ("validation.file", report.file_name),
        ("validation.agency", report.agency_code),
        ("validation.batch", report.batch_id),
        ("validation.generated_at", report.generated_at),
        ("validation.rows", report.rows),
        ("validation.valid", report.staged),
        ("validation.invalid", report.invalid),
        ("validation.rows_with_errors", rows_with_errors),
        ("validation.rows_with_warnings", rows_with_warnings),
        ("validation.errors", report.errors),
        ("validation.warnings", report.warnings),
    ]
    row = 2
    for key, value in facts:
        sheet.write_string(row, 0, label(key), bold)
        _write_cell(sheet, row, 1, value)
        row += 1
    row += 1
    if report.rows:  # a file rejected before its rows were read has no marked-up copy to point to
        sheet.merge_range(row, 0, row, 3, "", wrap)
        what_next = label("validation.what_next", annotated=_annotated_name(report.file_name))
        sheet.write_string(row, 0, neutralise(what_next), wrap)
        sheet.set_row(row, 32)

    row += 2
    examples = _first_by_code(report.findings)
    for column, key in enumerate(("by_code", "count", "severity_column", "example")):
        sheet.write_string(row, column, label(f"validation.{key}"), head)
    for code, count in report.counts_by_code().items():
        row += 1
        example = examples[code]
        sheet.write_string(row, 0, code)
        sheet.write_number(row, 1, count)
        sheet.write_string(row, 2, label(f"severity.{example.severity.value}"), severity_formats[example.severity])
        place = f"{example.cell}: " if example.cell else ""
        sheet.write_string(row, 3, neutralise(place + finding_message(example)), wrap)

    row += 2
    sheet.write_string(row, 0, label("validation.by_column"), head)
    sheet.write_string(row, 1, label("validation.count"), head)
    for header, count in report.counts_by_column().items():
        row += 1
        _write_cell(sheet, row, 0, header)
        sheet.write_number(row, 1, count)


def _fit_page_width(sheet: Any) -> None:
    """Print (or export to PDF) the sheet landscape, as wide as one page."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def _first_by_code(findings: Sequence[Finding]) -> dict[str, Finding]:
    first: dict[str, Finding] = {}
    for finding in findings:
        first.setdefault(finding.code, finding)
    return first


def _annotated_name(file_name: str) -> str:
    from cbccvc.reporting.annotated_workbook import annotated_file_name  # noqa: PLC0415 - it imports this module

    return annotated_file_name(file_name)


def _write_details(workbook: Any, report: ValidationReport) -> None:
    sheet = workbook.add_worksheet(label("validation.sheet_details"))
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    top = workbook.add_format({"valign": "top"})
    severity_formats = {
        Severity.ERROR: workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "valign": "top"}),
        Severity.WARNING: workbook.add_format({"bg_color": "#FFEB9C", "font_color": "#7F6000", "valign": "top"}),
    }
    _fit_page_width(sheet)
    sheet.repeat_rows(0)
    headers = [label(f"validation.{key}") for key in ("sheet", "row", "cell", "column", "severity", "code", "message")]
    widths = [16, 8, 8, 28, 10, 28, 100]
    for column, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.write_string(0, column, header, bold)
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    for row, finding in enumerate(report.findings, start=1):
        severity = label(f"severity.{finding.severity.value}")
        message = finding_message(finding)
        cells = [finding.sheet or "", finding.row, finding.cell or "", finding.header or "", severity, finding.code,
                 message]
        # Spreadsheet programs do not always grow a row to fit wrapped text, so the height is set.
        lines = 1 + len(message) // int(widths[MESSAGE_COLUMN] * 1.1)
        if lines > 1:
            sheet.set_row(row, 15 * lines)
        for column, value in enumerate(cells):
            cell_format = top
            if column == SEVERITY_COLUMN:
                cell_format = severity_formats[finding.severity]
            elif column == MESSAGE_COLUMN:
                cell_format = wrap
            _write_cell(sheet, row, column, value, cell_format)
    if report.findings:
        sheet.autofilter(0, 0, len(report.findings), len(headers) - 1)


def _write_cell(sheet: Any, row: int, column: int, value: Any, cell_format: Any = None) -> None:
    if value is None:
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, column, value, cell_format)
        return
    sheet.write_string(row, column, neutralise(str(value)), cell_format)
