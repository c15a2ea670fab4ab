"""``cbccvc validate``: run the validate stage's checks on a local file, before uploading it.

The checks and the reports are the same as the validate stage's, the annotated copy of the
workbook included. Only the match with the National Population Database is left out, because
it needs the agency's connection. On a large file a progress line per phase goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cbccvc.cli.fields import checked_mandatory, default_mandatory_headers
from cbccvc.cli.output import fail, say
from cbccvc.intake.readers import UnreadableFileError
from cbccvc.intake.table import Table
from cbccvc.intake.units import UnitListError, read_units
from cbccvc.messages import current_language, label, render
from cbccvc.models import Finding, sha256_hex
from cbccvc.reporting.annotated_workbook import annotated_file_name, build_annotated_workbook
from cbccvc.reporting.validation_report import ValidationReport, build_report, message_params
from cbccvc.schema import DEFAULT_MANDATORY_FIELDS
from cbccvc.validation.codes import SEVERITY
from cbccvc.validation.engine import progress_listener
from cbccvc.validation.service import ValidateOptions, check_tables, prepare_outputs, read_checked_export

# Files with fewer rows finish in a moment: no progress lines for them.
PROGRESS_MIN_ROWS = 5_000


def register(commands: Any) -> None:
    parser = commands.add_parser("validate", help=render("cli.validate_help"),
                                 description=render("cli.validate_description"))
    parser.add_argument("file", type=Path, metavar=label("metavar.file"), help=render("cli.validate_file"))
    parser.add_argument("--units", type=Path, metavar=label("metavar.file"), help=render("cli.validate_units"))
    parser.add_argument("--agency", default="LOCAL", metavar=label("metavar.agency"),
                        help=render("cli.validate_agency"))
    parser.add_argument("--output", type=Path, metavar=label("metavar.folder"), help=render("cli.validate_output"))
    parser.add_argument("--mandatory", metavar=label("metavar.fields"), default=",".join(DEFAULT_MANDATORY_FIELDS),
                        help=render("cli.validate_mandatory", default=default_mandatory_headers()))
    parser.set_defaults(run=run)


class Progress:
    """Prints one Vietnamese line per phase to stderr, only for files of ``minimum_rows`` rows or more."""

    def __init__(self, minimum_rows: int = PROGRESS_MIN_ROWS) -> None:
        self.minimum_rows = minimum_rows
        self.enabled = False

    def start(self, rows: int, tables: int) -> None:
        self.enabled = rows >= self.minimum_rows
        self.say("progress.read", rows=f"{rows:,}".replace(",", "."), tables=tables)

    def on_event(self, event: str, params: dict[str, Any]) -> None:
        if event == "column_check":
            sheet = f" ({params['sheet']})" if params.get("sheet") else ""
            self.say("progress.column_check", step=params["step"], steps=params["steps"], sheet=sheet,
                     headers=params["headers"] or label("progress.no_columns"))
        elif event == "file_check":
            self.say("progress.file_check", tables=params["tables"])

    def say(self, message_code: str, /, **params: Any) -> None:
        if self.enabled:
            print(render(message_code, **params), file=sys.stderr, flush=True)


# Exit code of a command given wrong arguments, as argparse uses.
USAGE_ERROR = 2


def run(arguments: argparse.Namespace) -> int:  # noqa: PLR0911 - one return per argument error
    path: Path = arguments.file
    if path.is_dir():
        return fail("report.path_is_folder", file=path)
    if not path.is_file():
        return fail("cli.file_not_found", file=path)
    mandatory = checked_mandatory(arguments.mandatory)
    if mandatory is None:
        return USAGE_ERROR
    directory = arguments.output or path.parent
    if directory.exists() and not directory.is_dir():
        fail("report.output_not_folder", path=directory)
        return USAGE_ERROR
    units = None
    if arguments.units is not None:
        if not arguments.units.is_file():
            return fail("cli.file_not_found", file=arguments.units)
        try:
            units = frozenset(unit["code"] for unit in read_units(arguments.units.read_bytes(), arguments.units.name))
        except (UnitListError, OSError):
            return fail("cli.units_unreadable", file=arguments.units)
    options = ValidateOptions(mandatory_fields=mandatory, max_rows=10_000_000, manifest_validity=timedelta(days=14))
    data = path.read_bytes()
    try:
        return _validate(arguments, path, data, options=options, directory=directory, units=units)
    except OSError as error:
        return fail("cli.file_write_failed", file=error.filename or directory,
                    reason=error.strerror or type(error).__name__)


def _validate(arguments: argparse.Namespace, path: Path, data: bytes, *, options: ValidateOptions, directory: Path,
              units: frozenset[str] | None) -> int:
    batch_id = f"{arguments.agency}-{sha256_hex(data)[:20]}"
    generated_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    try:
        tables = read_checked_export(data, path.name, options)
    except UnreadableFileError as error:
        finding = Finding(code=error.code, severity=SEVERITY[error.code], params=error.params)
        report = build_report(batch_id=batch_id, agency_code=arguments.agency, file_name=path.name,
                              generated_at=generated_at, rows=0, staged=0, invalid=0, findings=[finding])
        _write(report, directory, path, data)
        return fail(error.code, **message_params(finding, current_language()))

    progress = Progress()
    progress.start(sum(len(table) for table in tables), len(tables))
    with progress_listener(progress.on_event):
        results = check_tables(tables, agency_code=arguments.agency, options=options, org_units=units,
                               no_units_code="UNITS_NOT_GIVEN")
    progress.say("progress.writing")
    outputs = prepare_outputs(results, batch_id=batch_id, agency_code=arguments.agency, file_name=path.name,
                              generated_at=generated_at)
    report, rows, invalid = outputs.report, outputs.rows, outputs.invalid
    json_path, xlsx_path, annotated_path = _write(report, directory, path, data, tables=tables,
                                                  rendered=(outputs.report_json, outputs.report_xlsx))
    progress.say("progress.written")
    say("report.validate_summary", file=path.name, rows=rows, valid=outputs.staged, invalid=invalid,
        dropped=outputs.dropped, errors=report.errors, warnings=report.warnings)
    say("cli.validate_population_skipped")
    say("cli.validate_reports", json=json_path, xlsx=xlsx_path)
    if annotated_path is not None:
        say("report.annotated_written", path=annotated_path)
    else:
        say("report.annotated_skipped")
    return 0 if invalid == 0 else 3


def _write(report: ValidationReport, directory: Path, source: Path, data: bytes, *,
           tables: Sequence[Table] = (),
           rendered: tuple[bytes, bytes] | None = None) -> tuple[Path, Path, Path | None]:
    """Write the JSON and XLSX reports (``rendered`` when given) and, when the file can be read, the annotated copy."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{source.stem}.bao-cao-kiem-tra.json"
    xlsx_path = directory / f"{source.stem}.bao-cao-kiem-tra.xlsx"
    report_json, report_xlsx = rendered or (report.to_json(), report.to_xlsx())
    json_path.write_bytes(report_json)
    xlsx_path.write_bytes(report_xlsx)
    header_rows = {table.sheet: table.header_row for table in tables}
    annotated = build_annotated_workbook(data, source.name, report.findings, header_rows=header_rows,
                                         tables=tables)
    if annotated is None:
        return json_path, xlsx_path, None
    annotated_path = directory / annotated_file_name(source.name)
    annotated_path.write_bytes(annotated)
    return json_path, xlsx_path, annotated_path
