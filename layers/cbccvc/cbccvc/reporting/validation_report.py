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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from cbccvc.messages import LABELS, Language, label, render
from cbccvc.models import Finding, Severity
from cbccvc.reporting.spreadsheet import neutralise, neutralised
from cbccvc.reporting.xlsx_writer import Sheet, Style, Workbook, xml_text

REPORT_VERSION = 1
# Columns of the details sheet that get their own format.
SEVERITY_COLUMN = 4
MESSAGE_COLUMN = 6


# Reports show times as agencies read them.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

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
    # Exact repeats of an earlier row, left out: rows = staged + invalid + dropped.
    dropped: int = 0
    _frame: pl.DataFrame | None = field(default=None, init=False, repr=False, compare=False)

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

    def to_dict(self, *, include_findings: bool = True) -> dict[str, Any]:
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
                "dropped": self.dropped,
                "errors": self.errors,
                "warnings": self.warnings,
                "by_code": self.counts_by_code(),
                "by_column": self.counts_by_column(),
            },
            "findings": [_finding_dict(finding, message) for finding, message in zip(
                self.findings, self.messages(), strict=True)] if include_findings else [],
        }

    def to_json(self) -> bytes:
        # Sorted keys and fixed separators make the bytes reproducible, since the manifest
        # carries their hash. One finding per line keeps the file readable, and lets polars
        # write the lines (json.dumps with ``indent`` runs in pure Python). The lines are
        # joined as bytes, in slices, so 500,000 findings take their size about twice.
        members: dict[str, list[bytes]] = {
            name: [_json(value).encode("utf-8")] for name, value in self.to_dict(include_findings=False).items()}
        members["findings"] = _json_lines(self.findings_frame())
        parts = [b"{"]
        for position, name in enumerate(sorted(members)):
            parts.append((b"," if position else b"") + _json(name).encode("utf-8") + b":")
            parts.extend(members[name])
        parts.append(b"}")
        return b"".join(parts)

    def to_xlsx(self) -> bytes:
        workbook = Workbook()
        _write_summary(workbook, self)
        _write_details(workbook, self)
        return workbook.to_bytes()

    def findings_frame(self) -> pl.DataFrame:
        """Return the findings as columns (those of the JSON report), to write them all at once.

        Each finding's Vietnamese message is rendered once here, for the JSON and the XLSX.
        """
        if self._frame is None:
            frame = pl.DataFrame({
                "cell": [finding.cell for finding in self.findings],
                "code": [finding.code for finding in self.findings],
                "column": [finding.column for finding in self.findings],
                "field": [finding.field for finding in self.findings],
                "header": [finding.header for finding in self.findings],
                "message": _messages(self.findings),
                "row": pl.Series([finding.row for finding in self.findings], dtype=pl.Int64),
                "severity": [finding.severity.value for finding in self.findings],
                "sheet": [finding.sheet for finding in self.findings],
            }, schema_overrides=dict.fromkeys(("cell", "code", "column", "field", "header", "message", "severity",
                                               "sheet"), pl.String))
            object.__setattr__(self, "_frame", frame)
        assert self._frame is not None  # noqa: S101 - set just above
        return self._frame

    def messages(self) -> list[str]:
        """Return each finding's Vietnamese message."""
        return self.findings_frame()["message"].to_list()


def build_report(*, batch_id: str, agency_code: str, file_name: str, generated_at: str, rows: int, staged: int,
                 invalid: int, findings: Sequence[Finding], dropped: int = 0) -> ValidationReport:
    ordered = sorted(findings, key=lambda finding: (
        finding.sheet or "", finding.row or 0, _column_order(finding.column), finding.code))
    return ValidationReport(batch_id=batch_id, agency_code=agency_code, file_name=file_name,
                            generated_at=generated_at, rows=rows, staged=staged, invalid=invalid,
                            findings=tuple(ordered), dropped=dropped)


def _column_order(letters: str | None) -> tuple[int, str]:
    """Sort columns as a sheet does: Z before AA."""
    return (len(letters), letters) if letters else (0, "")


# Parameters that carry a code rather than text, and the label family that words them.
_WORDED_PARAMS = {"reason": "name_reason", "extension": "extension"}


def finding_message(finding: Finding, language: Language = Language.VI) -> str:
    """Render the finding's message: what is wrong and how to fix it."""
    return render(finding.code, language, **message_params(finding, language))


def message_params(finding: Finding, language: Language) -> dict[str, Any]:
    """Return the finding's parameters as its message shows them: codes worded, numbers localised."""
    params = {"header": finding.header or "", **finding.params}
    for name, family in _WORDED_PARAMS.items():
        key = f"{family}.{params.get(name)}"
        if key in LABELS:
            params[name] = label(key, language)
    return localised_numbers(params, language)


def localised_numbers(params: dict[str, Any], language: Language) -> dict[str, Any]:
    """Write decimal numbers with the language's decimal mark: "4,33" in Vietnamese, "4.33" in English."""
    if language is not Language.VI:
        return params
    return {name: str(value).replace(".", ",") if isinstance(value, Decimal | float) else value
            for name, value in params.items()}


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


# Findings rendered or written per slice, so no step keeps every finding's text in memory at once.
_SLICE_ROWS = 20_000


def _messages(findings: Sequence[Finding]) -> pl.Series:
    """Return each finding's Vietnamese message, built in slices of Python strings."""
    slices = [pl.Series([finding_message(finding) for finding in findings[start:start + _SLICE_ROWS]],
                        dtype=pl.String)
              for start in range(0, len(findings), _SLICE_ROWS)]
    return pl.concat(slices) if slices else pl.Series([], dtype=pl.String)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _finding_dict(finding: Finding, message: str) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "sheet": finding.sheet,
        "row": finding.row,
        "column": finding.column,
        "cell": finding.cell,
        "header": finding.header,
        "field": finding.field,
        "message": message,
    }


_HEAD = Style(bold=True, fill="DDEBF7", border=True)
_BOLD = Style(bold=True)
_TITLE = Style(bold=True, font_size=14)
_WRAP = Style(wrap=True, top=True)
_TOP = Style(top=True)
_SEVERITY_STYLES = {
    Severity.ERROR: Style(fill="FFC7CE", font_color="9C0006", top=True),
    Severity.WARNING: Style(fill="FFEB9C", font_color="7F6000", top=True),
}


def _write_summary(workbook: Workbook, report: ValidationReport) -> None:
    sheet = workbook.add_sheet(label("validation.sheet_summary"))
    head, bold, title, wrap = (sheet.style(style) for style in (_HEAD, _BOLD, _TITLE, _WRAP))
    severity_styles = {severity: sheet.style(style) for severity, style in _SEVERITY_STYLES.items()}
    for column, width in enumerate((42, 14, 10, 90)):
        sheet.set_width(column, width)
    sheet.write_row(0, [(label("validation.title"), title)])
    rows_with_errors, rows_with_warnings = rows_by_severity(report.findings)
    facts = [
        ("validation.file", report.file_name),
        ("validation.agency", report.agency_code),
        ("validation.batch", report.batch_id),
        ("validation.generated_at", _vietnam_time(report.generated_at)),
        ("validation.rows", report.rows),
        ("validation.valid", report.staged),
        ("validation.invalid", report.invalid),
        ("validation.dropped", report.dropped),
        ("validation.rows_with_errors", rows_with_errors),
        ("validation.rows_with_warnings", rows_with_warnings),
        ("validation.errors", report.errors),
        ("validation.warnings", report.warnings),
    ]
    row = 2
    for key, value in facts:
        sheet.write_row(row, [(label(key), bold), (_cell(value), 0)])
        row += 1
    row += 1
    if report.rows:  # a file rejected before its rows were read has no marked-up copy to point to
        what_next = label("validation.what_next", annotated=_annotated_name(report.file_name))
        sheet.write_row(row, [(neutralise(what_next), wrap), (None, wrap), (None, wrap), (None, wrap)], height=32)
        sheet.merge(row, 0, 3)

    row += 2
    examples = _first_by_code(report.findings)
    sheet.write_row(row, [(label(f"validation.{key}"), head)
                          for key in ("by_code", "count", "severity_column", "example")])
    for code, count in report.counts_by_code().items():
        row += 1
        example = examples[code]
        place = f"{example.cell}: " if example.cell else ""
        sheet.write_row(row, [(code, 0), (count, 0),
                              (label(f"severity.{example.severity.value}"), severity_styles[example.severity]),
                              (neutralise(place + finding_message(example)), wrap)])

    row += 2
    sheet.write_row(row, [(label("validation.by_column"), head), (label("validation.count"), head)])
    for header, count in report.counts_by_column().items():
        row += 1
        sheet.write_row(row, [(_cell(header), 0), (count, 0)])


def _first_by_code(findings: Sequence[Finding]) -> dict[str, Finding]:
    first: dict[str, Finding] = {}
    for finding in findings:
        first.setdefault(finding.code, finding)
    return first


def _annotated_name(file_name: str) -> str:
    from cbccvc.reporting.annotated_workbook import annotated_file_name  # noqa: PLC0415 - it imports this module

    return annotated_file_name(file_name)


def _write_details(workbook: Workbook, report: ValidationReport) -> None:
    sheet = workbook.add_sheet(label("validation.sheet_details"))
    head = sheet.style(Style(bold=True, fill="DDEBF7", border=True, wrap=True))
    headers = [label(f"validation.{key}") for key in ("sheet", "row", "cell", "column", "severity", "code", "message")]
    widths = [16, 8, 8, 28, 10, 28, 100]
    for column, width in enumerate(widths):
        sheet.set_width(column, width)
    sheet.write_row(0, [(header, head) for header in headers])
    sheet.freeze_first_row = True
    sheet.repeat_first_row = True
    if not report.findings:
        return
    sheet.write_rows_xml(_detail_row_slices(sheet, report.findings_frame(), int(widths[MESSAGE_COLUMN] * 1.1)),
                         last_row=len(report.findings), last_column=len(headers) - 1)
    sheet.autofilter = (len(report.findings), len(headers) - 1)


def _detail_row_slices(sheet: Sheet, findings: pl.DataFrame, per_line: int) -> Iterator[str]:
    """Yield the XML of the details rows slice by slice; the styles are registered before the first."""
    top, wrap = sheet.style(_TOP), sheet.style(_WRAP)
    severity_style = {severity.value: sheet.style(style) for severity, style in _SEVERITY_STYLES.items()}

    def slices() -> Iterator[str]:
        for start in range(0, findings.height, _SLICE_ROWS):
            yield _detail_rows(findings.slice(start, _SLICE_ROWS), start, per_line=per_line, top=top, wrap=wrap,
                                   severity_style=severity_style)

    return slices()


def _detail_rows(findings: pl.DataFrame, offset: int, *, per_line: int, top: int, wrap: int,
                 severity_style: dict[str, int]) -> str:
    """Return the XML of the details rows of ``findings``, the first of them on row ``offset`` + 2."""
    severity_label = {severity.value: label(f"severity.{severity.value}") for severity in Severity}
    number = (pl.int_range(pl.len()) + 2 + offset).cast(pl.String)
    lines = pl.col("message").str.len_chars() // per_line + 1
    row_start = pl.concat_str([
        pl.lit('<row r="'), number,
        pl.when(lines > 1).then(pl.format('" ht="{}" customHeight="1">', lines * 15)).otherwise(pl.lit('">')),
    ])

    def text_cell(letter: str, value: pl.Expr, style: int | pl.Expr) -> pl.Expr:
        style_text = pl.lit(str(style)) if isinstance(style, int) else style.cast(pl.String)
        return pl.concat_str([pl.lit(f'<c r="{letter}'), number, pl.lit('" s="'), style_text,
                              pl.lit('" t="inlineStr"><is><t xml:space="preserve">'), value.fill_null(""),
                              pl.lit("</t></is></c>")])

    # A finding about the whole file has no row: its cell is left blank.
    row_number = pl.concat_str([pl.lit('<c r="B'), number, pl.lit(f'" s="{top}"><v>'), pl.col("row").cast(pl.String),
                                pl.lit("</v></c>")])
    row_cell = row_number.fill_null(pl.concat_str([pl.lit('<c r="B'), number, pl.lit(f'" s="{top}"/>')]))
    xml = findings.select(pl.concat_str([
        row_start,
        text_cell("A", xml_text(neutralised(pl.col("sheet"))), top),
        row_cell,
        text_cell("C", pl.col("cell"), top),
        text_cell("D", xml_text(neutralised(pl.col("header"))), top),
        text_cell("E", pl.col("severity").replace_strict(severity_label),
                  pl.col("severity").replace_strict(severity_style, return_dtype=pl.Int64)),
        text_cell("F", pl.col("code"), top),
        text_cell("G", xml_text(neutralised(pl.col("message"))), wrap),
        pl.lit("</row>"),
    ]).alias("xml"))
    return "".join(xml["xml"].to_list())


def _json_lines(findings: pl.DataFrame) -> list[bytes]:
    """Return the JSON array of the findings in parts: one object per finding and line, keys sorted."""
    if findings.height == 0:
        return [b"[]"]
    parts = [b"[\n"]
    ordered = findings.select(sorted(findings.columns))
    for start in range(0, ordered.height, _SLICE_ROWS):
        buffer = io.BytesIO()
        ordered.slice(start, _SLICE_ROWS).write_ndjson(buffer)
        lines = buffer.getvalue().removesuffix(b"\n").replace(b"\n", b",\n")
        parts.append((b",\n" if start else b"") + lines)
    parts.append(b"\n]")
    return parts


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    return neutralise(str(value))


def _vietnam_time(iso: str) -> str:
    """Show an ISO time as officers read it, in Vietnam time: "08:10 ngày 05/12/2026"."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(VIETNAM)
    except ValueError:
        return iso
    return label("daily.generated_at", time=moment.strftime("%H:%M"), date=moment.strftime("%d/%m/%Y"))
