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

from cbccvc.messages import Language, label, render
from cbccvc.models import Finding
from cbccvc.reporting.spreadsheet import neutralise

REPORT_VERSION = 1


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


def finding_message(finding: Finding, language: Language = Language.VI) -> str:
    params = {"header": finding.header or "", **finding.params}
    return render(finding.code, language, **params)


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
    title = workbook.add_format({"bold": True, "font_size": 14})
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 1, 60)
    sheet.write_string(0, 0, label("validation.title"), title)
    facts = [
        ("validation.file", report.file_name),
        ("validation.agency", report.agency_code),
        ("validation.batch", report.batch_id),
        ("validation.generated_at", report.generated_at),
        ("validation.rows", report.rows),
        ("validation.valid", report.staged),
        ("validation.invalid", report.invalid),
        ("validation.errors", report.errors),
        ("validation.warnings", report.warnings),
    ]
    row = 2
    for key, value in facts:
        sheet.write_string(row, 0, label(key), bold)
        _write_cell(sheet, row, 1, value)
        row += 1

    row += 1
    sheet.write_string(row, 0, label("validation.by_code"), bold)
    sheet.write_string(row, 1, label("validation.count"), bold)
    for code, count in report.counts_by_code().items():
        row += 1
        sheet.write_string(row, 0, code)
        sheet.write_number(row, 1, count)

    row += 2
    sheet.write_string(row, 0, label("validation.by_column"), bold)
    sheet.write_string(row, 1, label("validation.count"), bold)
    for header, count in report.counts_by_column().items():
        row += 1
        _write_cell(sheet, row, 0, header)
        sheet.write_number(row, 1, count)


def _write_details(workbook: Any, report: ValidationReport) -> None:
    sheet = workbook.add_worksheet(label("validation.sheet_details"))
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    error_format = workbook.add_format({"font_color": "#9C0006"})
    headers = [label(f"validation.{key}") for key in ("sheet", "row", "cell", "column", "severity", "code", "message")]
    widths = [16, 8, 8, 28, 10, 28, 100]
    for column, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.write_string(0, column, header, bold)
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    for row, finding in enumerate(report.findings, start=1):
        severity = label(f"severity.{finding.severity.value}")
        cells = [finding.sheet or "", finding.row, finding.cell or "", finding.header or "", severity, finding.code,
                 finding_message(finding)]
        for column, value in enumerate(cells):
            highlight = error_format if finding.severity == "error" and column == 4 else None
            _write_cell(sheet, row, column, value, highlight)
    if report.findings:
        sheet.autofilter(0, 0, len(report.findings), len(headers) - 1)


def _write_cell(sheet: Any, row: int, column: int, value: Any, cell_format: Any = None) -> None:
    if value is None:
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, column, value, cell_format)
        return
    sheet.write_string(row, column, neutralise(str(value)), cell_format)
