"""``cbccvc validate``: run the validate stage's checks on a local file, before uploading it.

The checks and the report are the same as the validate stage's; only the match with the
National Population Database is left out, because it needs the agency's connection.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cbccvc.cli.output import fail, say
from cbccvc.intake.readers import UnreadableFileError
from cbccvc.intake.units import UnitListError, read_units
from cbccvc.messages import render
from cbccvc.models import Finding, sha256_hex
from cbccvc.reporting.validation_report import build_report
from cbccvc.schema import DEFAULT_MANDATORY_FIELDS
from cbccvc.validation.codes import SEVERITY
from cbccvc.validation.service import ValidateOptions, check_tables, read_checked_export, staged_records


def register(commands: Any) -> None:
    parser = commands.add_parser("validate", help=render("cli.validate_help"),
                                 description=render("cli.validate_description"))
    parser.add_argument("file", type=Path, help=render("cli.validate_file"))
    parser.add_argument("--units", type=Path, help=render("cli.validate_units"))
    parser.add_argument("--agency", default="LOCAL", help=render("cli.validate_agency"))
    parser.add_argument("--output", type=Path, help=render("cli.validate_output"))
    parser.add_argument("--mandatory", default=",".join(DEFAULT_MANDATORY_FIELDS),
                        help=render("cli.validate_mandatory"))
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    path: Path = arguments.file
    if not path.is_file():
        return fail("cli.file_not_found", file=path)
    units = None
    if arguments.units is not None:
        try:
            units = frozenset(unit["code"] for unit in read_units(arguments.units.read_bytes(), arguments.units.name))
        except (UnitListError, OSError):
            return fail("cli.units_unreadable", file=arguments.units)
    options = ValidateOptions(
        mandatory_fields=tuple(name.strip() for name in arguments.mandatory.split(",") if name.strip()),
        max_rows=10_000_000,
        manifest_validity=timedelta(days=14),
    )
    data = path.read_bytes()
    batch_id = f"{arguments.agency}-{sha256_hex(data)[:20]}"
    generated_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    try:
        tables = read_checked_export(data, path.name, options)
    except UnreadableFileError as error:
        finding = Finding(code=error.code, severity=SEVERITY[error.code], params=error.params)
        report = build_report(batch_id=batch_id, agency_code=arguments.agency, file_name=path.name,
                              generated_at=generated_at, rows=0, staged=0, invalid=0, findings=[finding])
        _write(report, arguments.output or path.parent, path)
        return fail(error.code, **error.params)

    results = check_tables(tables, agency_code=arguments.agency, options=options, org_units=units)
    staged = staged_records(results)
    findings = [finding for result in results for finding in result.findings]
    rows = sum(len(result.records) for result in results)
    invalid = sum(sum(result.blocked) for result in results)
    report = build_report(batch_id=batch_id, agency_code=arguments.agency, file_name=path.name,
                          generated_at=generated_at, rows=rows, staged=len(staged), invalid=invalid,
                          findings=findings)
    json_path, xlsx_path = _write(report, arguments.output or path.parent, path)
    say("cli.validate_summary", file=path.name, rows=rows, valid=len(staged), invalid=invalid,
        errors=report.errors, warnings=report.warnings)
    say("cli.validate_population_skipped")
    say("cli.validate_reports", json=json_path, xlsx=xlsx_path)
    return 0 if invalid == 0 else 3


def _write(report: Any, directory: Path, source: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{source.stem}.bao-cao-kiem-tra.json"
    xlsx_path = directory / f"{source.stem}.bao-cao-kiem-tra.xlsx"
    json_path.write_bytes(report.to_json())
    xlsx_path.write_bytes(report.to_xlsx())
    return json_path, xlsx_path
