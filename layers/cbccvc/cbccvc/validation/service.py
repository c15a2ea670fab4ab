"""The validate stage: from an uploaded export to a validated (or rejected) batch.

Steps: read the upload, record the batch (idempotently), read and check the file, match the
people against the National Population Database, write the report, the staged records and
the manifest, then move the batch to ``validated`` or ``rejected``. The original upload is
never modified or deleted.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl
from pydantic import ValidationError

from cbccvc.intake.readers import UnreadableFileError, read_export
from cbccvc.intake.table import Table
from cbccvc.messages import Language, render
from cbccvc.models import (
    AGENCY_CODE_PATTERN,
    BatchKeys,
    BatchState,
    Finding,
    Manifest,
    make_batch_id,
    sha256_hex,
)
from cbccvc.national.errors import FatalApiError, RetriableApiError
from cbccvc.national.ports import PersonQuery, PopulationRegistry
from cbccvc.observability import logger, metrics
from cbccvc.privacy import PersonKeyer
from cbccvc.reporting.annotated_workbook import annotated_report_key, build_annotated_workbook
from cbccvc.reporting.validation_report import ValidationReport, build_report
from cbccvc.schema import FIELDS_BY_NAME
from cbccvc.state.repository import StateRepository
from cbccvc.storage import ObjectStore
from cbccvc.validation.codes import SEVERITY
from cbccvc.validation.duplicates import check_duplicates
from cbccvc.validation.engine import TableResult, ValidationContext, add_finding, load_catalogs, validate_table
from cbccvc.validation.staging import CONTENT_TYPE, encode_staged, staged_frame

INCOMING_PREFIX = "incoming/"
# Notes about uploads that could not become a batch (unknown agency, key of the wrong form).
REJECTIONS_PREFIX = "rejections/"
# The contract of the population API allows at most 500 people per request.
POPULATION_BATCH_SIZE = 500
# The register matches people on these fields: a record needs all three to be matched.
QUERY_FIELDS = ("personal_id", "full_name", "birth_date")
_MATCHED_FIELD_COLUMNS = {"full_name": "full_name", "birth_date": "birth_date"}


@dataclass(frozen=True, slots=True)
class UploadKey:
    agency_code: str
    file_name: str


def parse_upload_key(key: str) -> UploadKey | None:
    """Split ``incoming/{agency}/{file}`` (sub-folders allowed); None if the key has another form."""
    if not key.startswith(INCOMING_PREFIX):
        return None
    parts = key[len(INCOMING_PREFIX):].split("/")
    if len(parts) < 2 or not parts[-1]:
        return None
    # Agency codes are registered in capitals; a folder typed in lower case is the same agency.
    agency_code = parts[0].upper()
    if not AGENCY_CODE_PATTERN.match(agency_code):
        return None
    return UploadKey(agency_code=agency_code, file_name=parts[-1])


@dataclass(frozen=True, slots=True)
class ValidateOutcome:
    batch_id: str | None
    state: str
    rows: int = 0
    valid: int = 0
    invalid: int = 0
    duplicate_event: bool = False


@dataclass(frozen=True, slots=True)
class ValidateOptions:
    mandatory_fields: tuple[str, ...]
    max_rows: int
    manifest_validity: timedelta
    today: date | None = None


class ValidateService:
    """Turns one uploaded export into a batch. Clients are injected."""

    def __init__(
        self,
        *,
        store: ObjectStore,
        state: StateRepository,
        population: PopulationRegistry,
        keyer: PersonKeyer,
        options: ValidateOptions,
    ) -> None:
        self.store = store
        self.state = state
        self.population = population
        self.keyer = keyer
        self.options = options
        load_catalogs()

    def process_upload(self, key: str, version: str | None = None) -> ValidateOutcome:
        """Validate one uploaded object; ``version`` (the S3 version id) tells a new upload from a repeated event."""
        upload = parse_upload_key(key)
        if upload is None:
            logger.error("upload_key_invalid", code="KEY_INVALID")
            self._note_ignored(key, "KEY_INVALID", key=key)
            return ValidateOutcome(batch_id=None, state="ignored")
        logger.append_keys(agency_code=upload.agency_code)
        if self.state.get_agency(upload.agency_code) is None:
            logger.error("agency_unknown", code="AGENCY_UNKNOWN")
            self._note_ignored(key, "AGENCY_UNKNOWN", agency=upload.agency_code, key=key)
            return ValidateOutcome(batch_id=None, state="ignored")

        data = self.store.get(key)
        source_sha256 = sha256_hex(data)
        batch_id = make_batch_id(upload.agency_code, source_sha256)
        logger.append_keys(batch_id=batch_id)
        batch = self._find_or_create_batch(batch_id, upload, key, source_sha256, len(data), version=version)
        if self._may_reopen(batch, key, version):
            batch = self._reopen(batch, upload, key, version)
        if batch["state"] != BatchState.RECEIVED:
            logger.info("duplicate_upload_ignored", state=batch["state"])
            return ValidateOutcome(batch_id=batch_id, state=batch["state"], duplicate_event=True)

        keys = BatchKeys(upload.agency_code, batch_id)
        try:
            tables = read_checked_export(data, upload.file_name, self.options)
        except UnreadableFileError as error:
            return self._reject_file(batch, keys, upload, error)

        results = self._validate(tables, upload.agency_code)
        if not self._match_population(results):
            return self._reject_unmatched(batch, keys, upload, results)
        return self._stage(batch, keys, upload, results)

    def _may_reopen(self, batch: dict[str, Any], key: str, version: str | None) -> bool:
        """Return whether a new upload of a batch's bytes may check the batch again.

        A repeated S3 event (same key and version) never does. A new upload does when the batch
        was rejected at the validate stage (the file had a wrong name, or the population register
        was down), or when its manifest expired before anyone approved it: the only way to
        approve that data is a new manifest. A batch rejected at approval with a live manifest
        keeps waiting for a valid signature instead.
        """
        if (batch.get("source_key"), batch.get("source_version")) == (key, version):
            return False
        state = BatchState(batch["state"])
        rejected_at_validation = state is BatchState.REJECTED and batch.get("rejection", {}).get("stage") == "validate"
        return rejected_at_validation or self._manifest_expired_unapproved(batch, state)

    @staticmethod
    def _manifest_expired_unapproved(batch: dict[str, Any], state: BatchState) -> bool:
        awaiting_approval = state is BatchState.VALIDATED or (
            state is BatchState.REJECTED and batch.get("rejection", {}).get("stage") == "approval")
        expires_at = batch.get("manifest_expires_at")
        if not awaiting_approval or not isinstance(expires_at, str):
            return False
        return datetime.now(UTC) > datetime.fromisoformat(expires_at)

    def _reopen(self, batch: dict[str, Any], upload: UploadKey, key: str, version: str | None) -> dict[str, Any]:
        state = BatchState(batch["state"])
        rejected_at_validation = state is BatchState.REJECTED and batch.get("rejection", {}).get("stage") == "validate"
        updates: dict[str, Any] = {"source_key": key, "source_version": version, "file_name": upload.file_name,
                                   "attempt": int(batch.get("attempt", 1)) + 1, "rejection": None}
        counters: dict[str, int] = {}
        if rejected_at_validation:
            counters["batches_rejected"] = -1
        else:
            # An expired manifest: the next one gets a new nonce and validity window.
            created_at = datetime.now(UTC).replace(microsecond=0)
            updates |= {"manifest_nonce": secrets.token_hex(16), "manifest_created_at": created_at.isoformat(),
                        "manifest_expires_at": (created_at + self.options.manifest_validity).isoformat()}
        moved = self.state.transition(batch["batch_id"], upload.agency_code, from_states=[state],
                                      to_state=BatchState.RECEIVED, updates=updates, agency_counters=counters)
        logger.info("batch_reopened", moved=moved, previous_state=state.value)
        return self.state.get_batch(batch["batch_id"]) or batch

    def _note_ignored(self, key: str, code: str, /, **params: Any) -> None:
        """Leave a Vietnamese note for an upload no batch can be made of, under rejections/."""
        note = {"key": key, "code": code, "message": render(code, Language.VI, **params),
                "at": datetime.now(UTC).isoformat()}
        self.store.put(f"{REJECTIONS_PREFIX}{key.removeprefix(INCOMING_PREFIX)}.json",
                       json.dumps(note, ensure_ascii=False, indent=1).encode("utf-8"), content_type="application/json")

    # --- steps ----------------------------------------------------------------------------

    def _find_or_create_batch(self, batch_id: str, upload: UploadKey, key: str, source_sha256: str,
                              size: int, *, version: str | None) -> dict[str, Any]:
        created_at = datetime.now(UTC).replace(microsecond=0)
        candidate = {
            "batch_id": batch_id,
            "agency_code": upload.agency_code,
            "state": BatchState.RECEIVED.value,
            "source_key": key,
            "source_version": version,
            "file_name": upload.file_name,
            "source_sha256": source_sha256,
            "source_size": size,
            # Fixed at creation so a re-run after a crash writes the same manifest bytes.
            "manifest_nonce": secrets.token_hex(16),
            "manifest_created_at": created_at.isoformat(),
            "manifest_expires_at": (created_at + self.options.manifest_validity).isoformat(),
        }
        if self.state.create_batch(candidate):
            logger.info("batch_received", size=size)
            metrics.add_metric(name="BatchesReceived", unit="Count", value=1)
            return candidate
        existing = self.state.get_batch(batch_id)
        if existing is None:  # pragma: no cover - the conditional put just found it
            raise RuntimeError(f"batch {batch_id} vanished after a conditional put failed")
        return existing

    def _validate(self, tables: Sequence[Table], agency_code: str) -> list[TableResult]:
        units = self.state.get_org_units(agency_code)
        return check_tables(tables, agency_code=agency_code, options=self.options,
                            org_units=frozenset(units) if units else None)

    def _match_population(self, results: Sequence[TableResult]) -> bool:
        """Match every otherwise valid record; a mismatch blocks it with the fields that differ.

        Returns False when the register could not be reached for some records, which are then
        marked POPULATION_UNAVAILABLE: the outage is not the agency's fault, so the caller
        rejects the batch with a reason that says so and the same file may be uploaded again.
        """
        reachable = True
        candidates: list[tuple[TableResult, int, PersonQuery]] = []
        unqueryable: Counter[str] = Counter()
        for result in results:
            people, invalid = _people(result, result.staged_mask().arg_true().to_list())
            candidates.extend((result, index, person) for index, person in people)
            for index, fields in invalid.items():
                _note_unqueryable(result, index, fields)
                unqueryable.update(fields)
        if unqueryable:
            # Field names and counts only: the values are personal data.
            logger.warning("population_query_invalid", error="ValidationError", records_by_field=dict(unqueryable))
        for start in range(0, len(candidates), POPULATION_BATCH_SIZE):
            window = [(result, index) for result, index, _ in candidates[start:start + POPULATION_BATCH_SIZE]]
            queries = [person for _, _, person in candidates[start:start + POPULATION_BATCH_SIZE]]
            try:
                matches = self.population.match(queries)
            except (RetriableApiError, FatalApiError) as error:
                logger.error("population_match_failed", error=type(error).__name__, records=len(window))
                for result, index in window:
                    add_finding(result, index, "personal_id", "POPULATION_UNAVAILABLE")
                reachable = False
                continue
            for (result, index), match in zip(window, matches, strict=True):
                if match.status == "not_found":
                    add_finding(result, index, "personal_id", "POPULATION_NOT_FOUND")
                elif match.status == "mismatch":
                    labels = ", ".join(result.table.columns[name].header for name in match.mismatched_fields
                                       if name in result.table.columns)
                    for name in match.mismatched_fields:
                        add_finding(result, index, _MATCHED_FIELD_COLUMNS[name], "POPULATION_MISMATCH", fields=labels)
        logger.info("population_matched", records=len(candidates), reachable=reachable)
        return reachable

    def _reject_unmatched(self, batch: dict[str, Any], keys: BatchKeys, upload: UploadKey,
                          results: Sequence[TableResult]) -> ValidateOutcome:
        """Reject a batch the population register could not check, with every row finding in the report."""
        findings = [finding for result in results for finding in result.findings]
        params = {"file": upload.file_name}
        findings.append(Finding(code="POPULATION_SERVICE_DOWN", severity=SEVERITY["POPULATION_SERVICE_DOWN"],
                                params=params))
        rows = sum(len(result) for result in results)
        invalid = sum(len(result.blocked) for result in results)
        dropped = sum(len(result.dropped - result.blocked) for result in results)
        report = build_report(batch_id=keys.batch_id, agency_code=upload.agency_code, file_name=upload.file_name,
                              generated_at=batch["manifest_created_at"], rows=rows, staged=0, invalid=invalid,
                              findings=findings, dropped=dropped)
        self._write_report(keys, report, tables=[result.table for result in results])
        return self._reject(batch, keys, "POPULATION_SERVICE_DOWN", rows=rows, invalid=invalid, params=params)

    def _stage(self, batch: dict[str, Any], keys: BatchKeys, upload: UploadKey,
               results: Sequence[TableResult]) -> ValidateOutcome:
        outputs = prepare_outputs(results, batch_id=keys.batch_id, agency_code=upload.agency_code,
                                  file_name=upload.file_name, generated_at=batch["manifest_created_at"])
        rows, invalid, staged_count = outputs.rows, outputs.invalid, outputs.staged
        findings = outputs.report.findings
        report_json = self._write_report(keys, outputs.report, rendered=(outputs.report_json, outputs.report_xlsx),
                                         tables=[result.table for result in results])
        if not staged_count:
            no_records = {"file": upload.file_name, "rows": rows, "invalid": invalid}
            return self._reject(batch, keys, "NO_VALID_RECORDS", rows=rows, invalid=invalid, params=no_records)

        records_bytes = outputs.records
        manifest = Manifest(
            batch_id=keys.batch_id,
            agency_code=upload.agency_code,
            source_key=batch["source_key"],
            source_sha256=batch["source_sha256"],
            record_count=staged_count,
            records_sha256=outputs.records_sha256,
            report_sha256=sha256_hex(report_json),
            created_at=datetime.fromisoformat(batch["manifest_created_at"]),
            expires_at=datetime.fromisoformat(batch["manifest_expires_at"]),
            nonce=batch["manifest_nonce"],
        )
        manifest_bytes = manifest.to_bytes()
        self.store.put(keys.records, records_bytes, content_type=CONTENT_TYPE)
        self.store.put(keys.manifest, manifest_bytes, content_type="application/json")

        counts = {"rows": rows, "valid": staged_count, "invalid": invalid, "dropped": outputs.dropped,
                  "warnings": sum(1 for finding in findings if finding.severity == "warning")}
        moved = self.state.transition(
            keys.batch_id, upload.agency_code,
            from_states=[BatchState.RECEIVED], to_state=BatchState.VALIDATED,
            updates={"counts": counts, "manifest_key": keys.manifest, "manifest_sha256": sha256_hex(manifest_bytes),
                     "records_key": keys.records, "records_sha256": manifest.records_sha256,
                     "report_key": keys.report_json, "report_xlsx_key": keys.report_xlsx,
                     "report_sha256": manifest.report_sha256, "record_count": staged_count},
            agency_counters={"batches_validated": 1},
            agency_updates={"last_batch_id": keys.batch_id, "last_batch_rows": rows,
                            "last_batch_valid": staged_count, "last_batch_invalid": invalid},
        )
        logger.info("batch_validated", rows=rows, valid=staged_count, invalid=invalid, moved=moved,
                    findings=len(findings))
        metrics.add_metric(name="RecordsValid", unit="Count", value=staged_count)
        metrics.add_metric(name="RecordsInvalid", unit="Count", value=invalid)
        return ValidateOutcome(batch_id=keys.batch_id, state=BatchState.VALIDATED.value, rows=rows,
                               valid=staged_count, invalid=invalid)

    def _write_report(self, keys: BatchKeys, report: ValidationReport, *, rendered: tuple[bytes, bytes] | None = None,
                      tables: Sequence[Table] | None = None) -> bytes:
        """Write the JSON and XLSX reports and the annotated copy of the upload beside them.

        ``rendered`` is the report's JSON and XLSX when the caller has them already, and
        ``tables`` the tables read from the upload, which spares reading it twice for a large
        file. The annotated copy re-reads a small upload. An upload it cannot read (a damaged
        file) gets no copy, and the reports give the reason.
        """
        report_json, report_xlsx = rendered or (report.to_json(), report.to_xlsx())
        xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self.store.put(keys.report_json, report_json, content_type="application/json")
        self.store.put(keys.report_xlsx, report_xlsx, content_type=xlsx_type)
        batch = self.state.get_batch(keys.batch_id) or {}
        source_key = batch.get("source_key")
        header_rows = {table.sheet: table.header_row for table in tables} if tables else None
        annotated = (build_annotated_workbook(self.store.get(source_key), report.file_name, report.findings,
                                              header_rows=header_rows, tables=tables)
                     if source_key else None)
        if annotated is not None:
            self.store.put(annotated_report_key(keys, report.file_name), annotated, content_type=xlsx_type)
        logger.info("report_written", findings=len(report.findings), annotated=annotated is not None)
        return report_json

    def _reject_file(self, batch: dict[str, Any], keys: BatchKeys, upload: UploadKey,
                     error: UnreadableFileError) -> ValidateOutcome:
        finding = Finding(code=error.code, severity=SEVERITY[error.code], params=error.params)
        report = build_report(
            batch_id=keys.batch_id, agency_code=upload.agency_code, file_name=upload.file_name,
            generated_at=batch["manifest_created_at"], rows=0, staged=0, invalid=0, findings=[finding],
        )
        self._write_report(keys, report)
        logger.warning("file_rejected", code=error.code)
        return self._reject(batch, keys, error.code, rows=0, invalid=0, params=error.params)

    def _reject(self, batch: dict[str, Any], keys: BatchKeys, code: str, *, rows: int, invalid: int,
                params: dict[str, Any] | None = None) -> ValidateOutcome:
        self.state.transition(
            keys.batch_id, batch["agency_code"],
            from_states=[BatchState.RECEIVED], to_state=BatchState.REJECTED,
            updates={"rejection": {"stage": "validate", "code": code,
                                   "params": {name: str(value) for name, value in (params or {}).items()}},
                     "counts": {"rows": rows, "valid": 0, "invalid": invalid},
                     "report_key": keys.report_json, "report_xlsx_key": keys.report_xlsx},
            agency_counters={"batches_rejected": 1},
            agency_updates={"last_batch_id": keys.batch_id, "last_batch_rows": rows, "last_batch_valid": 0,
                            "last_batch_invalid": invalid},
        )
        metrics.add_metric(name="BatchesRejected", unit="Count", value=1)
        return ValidateOutcome(batch_id=keys.batch_id, state=BatchState.REJECTED.value, rows=rows, invalid=invalid)



def read_checked_export(data: bytes, file_name: str, options: ValidateOptions) -> list[Table]:
    """Read an export and check its shape; raise UnreadableFileError for a file-level rejection."""
    tables = read_export(data, file_name, options.mandatory_fields)
    rows = sum(len(table) for table in tables)
    if rows == 0:
        raise UnreadableFileError("FILE_EMPTY", file=file_name)
    if rows > options.max_rows:
        raise UnreadableFileError("FILE_TOO_LARGE", file=file_name, rows=rows, limit=options.max_rows)
    for table in tables:
        missing = [name for name in options.mandatory_fields if name not in table.columns]
        if missing:
            headers = ", ".join(FIELDS_BY_NAME[name].header for name in missing)
            if table.sheet is not None:
                raise UnreadableFileError("HEADER_MISSING_REQUIRED_SHEET", file=file_name, sheet=table.sheet,
                                          missing=headers)
            raise UnreadableFileError("HEADER_MISSING_REQUIRED", file=file_name, missing=headers)
    return tables


def check_tables(tables: Sequence[Table], *, agency_code: str, options: ValidateOptions,
                 org_units: frozenset[str] | None, no_units_code: str = "UNITS_NOT_CONFIGURED") -> list[TableResult]:
    """Run every row and file-level check; the offline command and the validate stage share it.

    ``no_units_code`` is the warning given without a unit list: the offline command names its
    own fix (``--units``) rather than the stage's (registering the agency's units).
    """
    context = ValidationContext(
        agency_code=agency_code,
        mandatory_fields=options.mandatory_fields,
        org_units=org_units,
        today=options.today or datetime.now(UTC).date(),
    )
    results = [validate_table(table, context) for table in tables]
    check_duplicates(results)
    if org_units is None and results:
        results[0].findings.append(Finding(code=no_units_code, severity=SEVERITY[no_units_code]))
    return results


@dataclass(frozen=True, slots=True)
class BatchOutputs:
    """The staged records and the rendered report of a checked file, as the validate stage writes them."""

    records: bytes  # the staged file (see ``staging``)
    records_sha256: str
    staged: int
    rows: int
    invalid: int
    dropped: int
    report: ValidationReport
    report_json: bytes
    report_xlsx: bytes


def prepare_outputs(results: Sequence[TableResult], *, batch_id: str, agency_code: str, file_name: str,
                    generated_at: str) -> BatchOutputs:
    """Stage the records that pass every check and render the report; the stage, the CLI and the benchmark share it.

    The staged file is written by polars in a second thread (it releases the GIL) while this
    one renders the report in Python.
    """
    rows = sum(len(result) for result in results)
    invalid = sum(len(result.blocked) for result in results)
    # A repeat with an error counts as invalid, so rows = staged + invalid + dropped.
    dropped = sum(len(result.dropped - result.blocked) for result in results)
    staged = rows - invalid - dropped
    findings = [finding for result in results for finding in result.findings]
    if not staged:
        findings.append(Finding(code="NO_VALID_RECORDS", severity=SEVERITY["NO_VALID_RECORDS"],
                                params={"file": file_name, "rows": rows, "invalid": invalid}))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="staging") as pool:
        staging = pool.submit(_staged_file, results)
        report = build_report(batch_id=batch_id, agency_code=agency_code, file_name=file_name,
                              generated_at=generated_at, rows=rows, staged=staged, invalid=invalid,
                              findings=findings, dropped=dropped)
        report_json, report_xlsx = report.to_json(), report.to_xlsx()
        records, records_sha256 = staging.result()
    return BatchOutputs(records=records, records_sha256=records_sha256, staged=staged, rows=rows, invalid=invalid,
                        dropped=dropped, report=report, report_json=report_json, report_xlsx=report_xlsx)


def _staged_file(results: Sequence[TableResult]) -> tuple[bytes, str]:
    """Return the staged file of every table's records, in sheet and row order, and its SHA-256."""
    frames = []
    for result in results:
        mask = result.staged_mask()
        rows = pl.Series(result.table.row_numbers, dtype=pl.Int64).filter(mask)
        frames.append(staged_frame(result.records.filter(mask), rows, result.table.sheet))
    records = encode_staged(frames) if frames else b""
    return records, sha256_hex(records)


def _people(result: TableResult, indexes: list[int]) -> tuple[list[tuple[int, PersonQuery]], dict[int, list[str]]]:
    """Return the population query of each row of ``indexes``, and the fields of each row no query can be built of.

    The register matches on the personal ID, the full name and the date of birth. A row gets no
    query when one of them is missing (a file without the column, when MANDATORY_FIELDS leaves
    it out) or has a value the contract rejects. Building a query does not raise, because
    pydantic's error text quotes the value, a personal datum; only the field names are kept.
    """
    present = [name for name in QUERY_FIELDS if name in result.records.columns]
    rows = result.records.select(present)[indexes] if indexes else result.records.select(present).clear()
    people: list[tuple[int, PersonQuery]] = []
    invalid: dict[int, list[str]] = {}
    for index, row in zip(indexes, rows.iter_rows(named=True), strict=True):
        try:
            people.append((index, PersonQuery(**{name: row.get(name) for name in QUERY_FIELDS})))
        except ValidationError as error:
            errors = error.errors(include_input=False, include_url=False)
            invalid[index] = sorted({str(item["loc"][0]) for item in errors if item["loc"]})
    return people, invalid


def _note_unqueryable(result: TableResult, index: int, fields: Sequence[str]) -> None:
    """Block a row no population query can be built of, naming the fields it lacks or has wrong."""
    named = [name for name in QUERY_FIELDS if name in fields] or list(QUERY_FIELDS)
    headers = ", ".join(result.table.columns[name].header if name in result.table.columns
                        else FIELDS_BY_NAME[name].header for name in named)
    field_name = next((name for name in named if name in result.table.columns), "personal_id")
    add_finding(result, index, field_name, "POPULATION_QUERY_INVALID", fields=headers)
