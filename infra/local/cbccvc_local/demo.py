"""``make demo``: the whole pipeline on the bundled sample or on an agency's own file.

Steps: start moto and the emulator, create the resources of ``template.yaml``, register the
agency, its units and the demo approver; upload the export and validate it; sign and approve
the manifest; sync through the queue (pilot first); upload the same file again and deliver
an S3 event twice (nothing new happens); change three rows and upload again (exactly those
three are sent); write the daily report; copy the reports to ``.local/demo`` and print a
Vietnamese summary. Everything started is stopped at the end.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.x509.oid import NameOID

from cbccvc.cli.translation import translate_argparse
from cbccvc.intake.readers import UnreadableFileError
from cbccvc.intake.units import read_units
from cbccvc.messages import render
from cbccvc.models import BatchKeys
from cbccvc.validation.staging import decode_records
from cbccvc_local.editing import UneditableExportError, change_positions
from cbccvc_local.pipeline import (
    DEFAULT_AGENCY_CODE,
    DEFAULT_AGENCY_NAME,
    LOCAL_DIRECTORY,
    SAMPLE_EXPORT,
    LocalPipeline,
    load_sample_population,
    load_sample_units,
    running_pipeline,
)
from cbccvc_local.seeding import population_from_export, units_from_export

CHANGED_ROWS = 3
# A file the demo writes in its output folder, so a later run knows the folder is its own.
OUTPUT_MARKER = ".cbccvc-demo"
DEFAULT_OUTPUT = LOCAL_DIRECTORY / "demo"


def say(code: str, **params: Any) -> None:
    # The pipeline redirects stdout to its log file while it runs, so the demo writes to the terminal directly.
    print(render(code, **params), file=sys.__stdout__, flush=True)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    translate_argparse()
    parser = argparse.ArgumentParser(prog="make demo", description=render("demo.description"))
    parser.add_argument("--file", type=Path, help=render("demo.option_file"))
    parser.add_argument("--agency", default=DEFAULT_AGENCY_CODE, help=render("demo.option_agency"))
    parser.add_argument("--units", type=Path, help=render("demo.option_units"))
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=render("demo.option_output"))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    started = time.monotonic()
    export_path: Path = arguments.file or SAMPLE_EXPORT
    if not export_path.is_file():
        say("demo.file_not_found", file=export_path)
        return 2
    data = export_path.read_bytes()
    own_file = arguments.file is not None
    try:
        population = population_from_export(data, export_path.name) if own_file else load_sample_population()
        units = _units(arguments, data, export_path.name, own_file)
    except UnreadableFileError as error:
        say("demo.failed", reason=render(error.code, **error.params))
        return 1

    output: Path = arguments.output
    if not _prepare_output(output):
        say("demo.output_not_empty", directory=output)
        return 2
    with running_pipeline(agency_code=arguments.agency, population=population,
                          log_path=output / "lambda.log") as pipeline:
        say("demo.started", moto=pipeline.stack.endpoint_url, emulator=pipeline.emulator.url)
        if own_file:
            say("demo.population_from_file")
        agency_name = DEFAULT_AGENCY_NAME if not own_file else render("demo.own_agency_name", agency=arguments.agency)
        pipeline.register_agency(agency_name, units)
        pipeline.trust_demo_pki()
        code = run_steps(pipeline, data, export_path.name, output)
    say("demo.finished", seconds=f"{time.monotonic() - started:.1f}")
    return code


def _prepare_output(output: Path) -> bool:
    """Empty a folder an earlier demo run wrote, or create a new one; refuse any other non-empty folder.

    The marker file tells the demo's own folders apart, so ``--output`` can never delete a
    user's files.
    """
    if output.exists() and any(output.iterdir()):
        own_folder = (output / OUTPUT_MARKER).is_file() or output.resolve() == DEFAULT_OUTPUT.resolve()
        if not own_folder:
            return False
        shutil.rmtree(output)
    output.mkdir(parents=True, exist_ok=True)
    (output / OUTPUT_MARKER).write_text("cbccvc demo output\n", encoding="utf-8")
    return True


def _units(arguments: argparse.Namespace, data: bytes, file_name: str, own_file: bool) -> list[dict[str, Any]]:
    if arguments.units is not None:
        return read_units(arguments.units.read_bytes(), arguments.units.name)
    if not own_file:
        return load_sample_units()
    units = units_from_export(data, file_name)
    say("demo.units_from_file", count=len(units))
    return units


def run_steps(pipeline: LocalPipeline, data: bytes, file_name: str, output: Path) -> int:
    """Run the agency's steps on one export; return the process exit code."""
    batch_id = upload_and_validate(pipeline, data, file_name, output)
    if batch_id is None:
        return 1
    if not approve_and_sync(pipeline, batch_id, output):
        return 1

    accepted_before = len(pipeline.emulator_state()["profiles"])
    pipeline.upload_export(data, file_name)
    pipeline.redeliver_upload_event(file_name)
    pipeline.run_sync()
    say("demo.duplicates", accepted=len(pipeline.emulator_state()["profiles"]))
    if len(pipeline.emulator_state()["profiles"]) != accepted_before:
        return 1

    change_rows(pipeline, batch_id, data, file_name, output)
    daily = pipeline.fire_daily_report()
    for key in (daily["xlsx"], daily["html"], daily["json"]):
        _download(pipeline, key, output / "bao-cao-ngay" / Path(key).name)
    say("demo.daily_report", date=date.fromisoformat(daily["date"]).strftime("%d/%m/%Y"),
        agencies=len(pipeline.state.list_agencies()))
    say("demo.outputs")
    for path in sorted(output.rglob("*")):
        if path.is_file() and path.suffix in {".xlsx", ".html", ".json", ".log"}:
            print(f"  {path}", file=sys.__stdout__)
    return 0


def upload_and_validate(pipeline: LocalPipeline, data: bytes, file_name: str, output: Path) -> str | None:
    outcome = pipeline.upload_export(data, file_name)
    say("demo.uploaded", file=file_name, bucket=pipeline.stack.bucket,
        key=f"incoming/{pipeline.agency_code}/{file_name}")
    batch_id: str = outcome["batch_id"]
    batch = pipeline.batch(batch_id)
    keys = BatchKeys(pipeline.agency_code, batch_id)
    # The report folder holds the JSON and XLSX reports and the annotated copy of the agency's file.
    report_prefix = keys.report_json.rsplit("/", 1)[0] + "/"
    for stored in pipeline.store.list(report_prefix):
        _download(pipeline, stored.key, output / stored.key.rsplit("/", 1)[1])
    if outcome["state"] != "validated":
        rejection = batch.get("rejection", {})
        say("demo.batch_rejected", batch_id=batch_id, reason=render(rejection.get("code", "FILE_DAMAGED"),
                                                                    **rejection.get("params", {})))
        return None
    say("demo.validated", batch_id=batch_id, rows=outcome["rows"], valid=outcome["valid"], invalid=outcome["invalid"])
    _download(pipeline, keys.manifest, output / "ban-ke-manifest.json")
    return batch_id


def approve_and_sync(pipeline: LocalPipeline, batch_id: str, output: Path) -> bool:
    signer = pipeline.pki.approver_signer()
    approval = pipeline.sign_and_upload(batch_id, signer=signer)
    names = signer.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    say("demo.signed", subject=names[0].value if names else signer.certificate.subject.rfc4514_string())
    if approval["state"] != "approved":
        batch = pipeline.batch(batch_id)
        rejection = batch.get("rejection", {})
        say("demo.approval_rejected", reason=render(rejection.get("code", "SIG_INVALID"),
                                                    **rejection.get("params", {})))
        return False
    say("demo.approved")
    pipeline.run_sync()
    batch = pipeline.batch(batch_id)
    agency = pipeline.state.get_agency(pipeline.agency_code) or {}
    if agency.get("pilot_batch_id") == batch_id:
        say("demo.pilot", count=min(5, int(batch.get("record_count", 0))),
            status=render(f"pilot.{agency.get('pilot_status', 'failed')}"))
    say("demo.synced", batch_id=batch_id, state=render(f"state.{batch['state']}"),
        synced=int(batch.get("records_synced", 0)), unchanged=int(batch.get("records_unchanged", 0)),
        failed=int(batch.get("records_failed", 0)))
    keys = BatchKeys(pipeline.agency_code, batch_id)
    if batch.get("sync_report_key"):
        _download(pipeline, keys.sync_report_xlsx, output / "ket-qua-dong-bo.xlsx")
    return batch["state"] in {"synced", "partial"}


def change_rows(pipeline: LocalPipeline, batch_id: str, data: bytes, file_name: str, output: Path) -> None:
    """Change the position of a few synced people, upload again, and show that only they are sent."""
    staged = list(decode_records(pipeline.store.get(BatchKeys(pipeline.agency_code, batch_id).records)))
    rows = [record.row for record in staged if record.record.get("position")][:CHANGED_ROWS]
    if len(rows) < CHANGED_ROWS:
        say("demo.changed_skipped", count=CHANGED_ROWS)
        return
    try:
        changed = change_positions(data, file_name, rows)
    except UneditableExportError:
        say("demo.changed_skipped_format", file=file_name)
        return
    changed_name = f"{Path(file_name).stem} (cập nhật){Path(file_name).suffix}"
    before = len(pipeline.emulator_state()["profiles"])
    outcome = pipeline.upload_export(changed, changed_name)
    if outcome["state"] != "validated":
        return
    new_batch = outcome["batch_id"]
    pipeline.sign_and_upload(new_batch)
    pipeline.run_sync()
    sent = len(pipeline.emulator_state()["profiles"]) - before
    say("demo.changed", count=len(rows), rows=", ".join(str(row) for row in rows), sent=sent)
    if pipeline.batch(new_batch).get("sync_report_key"):
        _download(pipeline, BatchKeys(pipeline.agency_code, new_batch).sync_report_xlsx,
                  output / "ket-qua-dong-bo-lan-2.xlsx")


def _download(pipeline: LocalPipeline, key: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pipeline.store.get(key))


if __name__ == "__main__":
    sys.exit(main())
