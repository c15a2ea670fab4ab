"""The sync stage: send an approved batch to the national databases.

A ``plan`` message (sent on approval) moves the batch to ``syncing``, sends the agency's
organisation tree, runs the pilot test sync if the agency has not passed one, then splits
the staged records into chunks and queues one ``chunk`` message per chunk. Each ``chunk``
message sends the records whose content changed since the last version the national database
acknowledged, then the Party data of those people, records each result, and completes the
chunk; the last chunk to complete finishes the batch.

Errors are sorted by reaction: a retriable error (429, 5xx, timeout) propagates, so SQS
redelivers the message and, after its last attempt, moves it to the dead-letter queue; a fatal
error (4xx) is recorded on the records or the batch; one rejected record is recorded and the
chunk goes on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from cbccvc.models import BatchKeys, BatchState, agency_of_batch, sha256_hex
from cbccvc.national.errors import FatalApiError, RetriableApiError
from cbccvc.national.ports import (
    Approval,
    NationalCbccvc,
    OrgUnit,
    PartyMemberRecord,
    PartyRegistry,
    ProfileRecord,
    RecordResult,
)
from cbccvc.observability import logger, metrics
from cbccvc.privacy import PersonKeyer
from cbccvc.reporting.sync_report import write_sync_report
from cbccvc.state.repository import StateRepository, utc_now_iso
from cbccvc.storage import ObjectStore
from cbccvc.sync.queue import SyncMessage, SyncQueue
from cbccvc.validation.staging import StagedRecord, decode_records, encode_records

SUCCESS_STATUSES = frozenset({"accepted", "duplicate"})


@dataclass(frozen=True, slots=True)
class SyncOptions:
    chunk_size: int
    pilot_size: int


@dataclass(slots=True)
class ChunkOutcome:
    synced: int = 0
    unchanged: int = 0
    superseded: int = 0
    failed: int = 0
    party_synced: int = 0
    party_failed: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def counts(self) -> dict[str, int]:
        return {"records_synced": self.synced, "records_unchanged": self.unchanged,
                "records_superseded": self.superseded, "records_failed": self.failed,
                "party_synced": self.party_synced, "party_failed": self.party_failed}


def idempotency_key(person_key: str, record_hash: str) -> str:
    """One key per person and record version, so a resent record is stored once."""
    return f"{person_key}-{record_hash[:24]}"


class SyncService:
    def __init__(self, *, store: ObjectStore, state: StateRepository, queue: SyncQueue, national: NationalCbccvc,
                 party: PartyRegistry, keyer: PersonKeyer, options: SyncOptions) -> None:
        self.store = store
        self.state = state
        self.queue = queue
        self.national = national
        self.party = party
        self.keyer = keyer
        self.options = options

    def handle_sqs_message(self, body: str, receipt_handle: str) -> None:
        """Handle one SQS message; on a retriable failure, delay its redelivery by the server's Retry-After.

        Every failure is re-raised, so the batch processor reports the message as failed and SQS
        redelivers it, then moves it to the dead-letter queue after the queue's last attempt.
        """
        try:
            message = SyncMessage.model_validate_json(body)
        except ValidationError:
            logger.error("sync_message_invalid", size=len(body))
            raise
        try:
            self.handle(message)
        except RetriableApiError as error:
            logger.warning("sync_retry_later", endpoint=error.endpoint, status=error.status,
                           retry_after=error.retry_after)
            if error.retry_after:
                self.queue.delay_redelivery(receipt_handle, math.ceil(error.retry_after))
            raise

    def handle(self, message: SyncMessage) -> None:
        logger.append_keys(batch_id=message.batch_id, agency_code=agency_of_batch(message.batch_id))
        if message.type == "plan":
            self.plan(message.batch_id)
        elif message.chunk is not None:
            self.run_chunk(message.batch_id, message.chunk)

    # --- plan -----------------------------------------------------------------------------

    def plan(self, batch_id: str) -> None:
        batch = self.state.get_batch(batch_id)
        if batch is None:
            logger.error("sync_batch_not_found")
            return
        agency_code = batch["agency_code"]
        state = BatchState(batch["state"])
        if state is BatchState.APPROVED:
            now = utc_now_iso()
            self.state.transition(batch_id, agency_code, from_states=[BatchState.APPROVED],
                                  to_state=BatchState.SYNCING, updates={"sync_started_at": now},
                                  agency_counters={"batches_syncing": 1}, agency_updates={"last_sync_started_at": now})
        elif state is not BatchState.SYNCING:
            logger.info("sync_plan_skipped", state=state.value)
            return

        keys = BatchKeys(agency_code, batch_id)
        records_bytes = self.store.get(keys.records)
        # The approval covers the manifest, which names the SHA-256 of the staged records; records
        # changed in S3 after the approval must never reach the national database.
        if sha256_hex(records_bytes) != batch.get("records_sha256"):
            self._fail(batch_id, agency_code, "RECORDS_CHANGED")
            return
        approval = self._approval(batch, keys)
        if not self._sync_org_units(batch_id, agency_code):
            return
        records = list(decode_records(records_bytes))
        if not self._pilot_passed(batch_id, agency_code, approval, records):
            return

        chunks = []
        for number, start in enumerate(range(0, len(records), self.options.chunk_size)):
            chunk_bytes = encode_records(records[start:start + self.options.chunk_size])
            self.store.put(keys.chunk(number), chunk_bytes, content_type="application/x-ndjson")
            chunks.append({"first_index": start, "size": min(self.options.chunk_size, len(records) - start),
                           "sha256": sha256_hex(chunk_bytes)})
        self.state.create_chunks(batch_id, chunks)
        self.state.update_batch(batch_id, {"chunks_total": len(chunks)})
        self.queue.send_chunks(batch_id, list(range(len(chunks))))
        logger.info("sync_planned", chunks=len(chunks), records=len(records))

    def _approval(self, batch: dict[str, Any], keys: BatchKeys) -> Approval:
        manifest = self.store.get(keys.manifest)
        # The evidence copies are the bytes the approve stage verified. The upload under approvals/
        # can be replaced after the approval by anyone who may upload there.
        signature = self.store.get(batch["approval"]["signature_evidence_key"])
        seal_key = batch["approval"].get("seal_key")
        seal = self.store.get(seal_key) if seal_key else None
        return Approval.from_bytes(manifest, signature, seal)

    def _sync_org_units(self, batch_id: str, agency_code: str) -> bool:
        units = _parents_first(self.state.get_org_units(agency_code).values())
        if not units:
            return True
        try:
            results = self.national.sync_org_units(agency_code, units)
        except FatalApiError as error:
            self._fail(batch_id, agency_code, "ORG_UNITS_REJECTED", count=len(units), codes=error.error_code or "-")
            return False
        rejected = [result for result in results if result.status == "rejected"]
        logger.info("org_units_synced", units=len(units), rejected=len(rejected))
        if rejected:
            codes = ", ".join(result.code for result in rejected[:20])
            self._fail(batch_id, agency_code, "ORG_UNITS_REJECTED", count=len(rejected), codes=codes)
            return False
        return True

    def _pilot_passed(self, batch_id: str, agency_code: str, approval: Approval,
                      records: Sequence[StagedRecord]) -> bool:
        """Run the 1–10 record test sync unless the agency already passed one."""
        agency = self.state.get_agency(agency_code) or {}
        if agency.get("pilot_status") == "passed":
            return True
        sample = records[: self.options.pilot_size]
        profiles = [self._profile(record) for record in sample]
        try:
            pilot = self.national.send_test_sync(agency_code, batch_id, approval, profiles)
        except FatalApiError as error:
            self._record_pilot(agency_code, batch_id, "failed", None)
            self._fail(batch_id, agency_code, "PILOT_FAILED", count=len(sample), failed=len(sample),
                       codes=error.error_code or str(error.status))
            return False
        failures = [result for result in pilot.results if result.status not in SUCCESS_STATUSES]
        status = "failed" if failures else "passed"
        self._record_pilot(agency_code, batch_id, status, pilot.pilot_id)
        logger.info("pilot_finished", status=status, records=len(sample), failed=len(failures))
        if failures:
            codes = ", ".join(sorted({result.error_code or "-" for result in failures}))
            self._fail(batch_id, agency_code, "PILOT_FAILED", count=len(sample), failed=len(failures), codes=codes)
            return False
        return True

    def _record_pilot(self, agency_code: str, batch_id: str, status: str, pilot_id: str | None) -> None:
        self.state.update_agency(agency_code, {}, {"pilot_status": status, "pilot_at": utc_now_iso(),
                                                   "pilot_batch_id": batch_id, "pilot_id": pilot_id or ""})

    def _fail(self, batch_id: str, agency_code: str, code: str, **params: Any) -> None:
        moved = self.state.transition(
            batch_id, agency_code, from_states=[BatchState.SYNCING], to_state=BatchState.FAILED,
            updates={"failure": {"code": code, "params": {name: str(value) for name, value in params.items()}}},
            agency_counters={"batches_failed": 1, "batches_syncing": -1},
        )
        logger.warning("sync_failed", code=code, moved=moved)
        metrics.add_metric(name="BatchesFailed", unit="Count", value=1)

    # --- chunks ---------------------------------------------------------------------------

    def run_chunk(self, batch_id: str, number: int) -> None:
        chunk = self.state.get_chunk(batch_id, number)
        if chunk is None:
            logger.error("sync_chunk_not_found", chunk=number)
            return
        if chunk["status"] == "done":
            logger.info("sync_chunk_already_done", chunk=number)
            self._finish_if_complete(batch_id)
            return
        batch = self.state.get_batch(batch_id)
        if batch is None or batch["state"] != BatchState.SYNCING:
            logger.warning("sync_chunk_batch_not_syncing", chunk=number)
            return
        agency_code = batch["agency_code"]
        keys = BatchKeys(agency_code, batch_id)
        chunk_bytes = self.store.get(keys.chunk(number))
        if sha256_hex(chunk_bytes) != chunk.get("sha256"):
            self._fail(batch_id, agency_code, "RECORDS_CHANGED")
            return
        records = list(decode_records(chunk_bytes))
        outcome = self._send_records(batch, self._approval(batch, keys), records, int(chunk.get("first_index", 0)))

        # Results first, then the chunk's completion: a crash in between redelivers the message,
        # which rewrites the same results and then completes the chunk.
        self.state.put_record_results(batch_id, outcome.results)
        completed = self.state.complete_chunk(batch_id, number, outcome.counts())
        logger.info("sync_chunk_done", extra={"chunk": number, "completed": completed, **outcome.counts()})
        metrics.add_metric(name="RecordsSynced", unit="Count", value=outcome.synced)
        metrics.add_metric(name="RecordsFailed", unit="Count", value=outcome.failed)
        self._finish_if_complete(batch_id)

    def _send_records(self, batch: dict[str, Any], approval: Approval, records: Sequence[StagedRecord],
                      first_index: int) -> ChunkOutcome:
        batch_id = batch["batch_id"]
        # Upload order decides which version is newer: the batch item's creation time (UTC,
        # microseconds) orders uploads, whatever order the batches are approved in.
        created_at = batch.get("created_at", "")
        outcome = ChunkOutcome()
        person_keys = [self.keyer.key(record.record["personal_id"]) for record in records]
        known = self.state.get_people(person_keys)
        to_send: list[_Pending] = []
        for offset, (record, person_key) in enumerate(zip(records, person_keys, strict=True)):
            pending = _Pending(index=first_index + offset, record=record, person_key=person_key)
            stored = known.get(person_key)
            status = _status_against_checkpoint(stored, record, batch_id, created_at)
            if status is None:
                to_send.append(pending)
                continue
            outcome.count(status)
            outcome.results.append(pending.result(status))
        if to_send:
            self._send_profiles(batch, approval, to_send, outcome)
        return outcome

    def _send_profiles(self, batch: dict[str, Any], approval: Approval, to_send: Sequence[_Pending],
                       outcome: ChunkOutcome) -> None:
        batch_id = batch["batch_id"]
        agency_code = batch["agency_code"]
        profiles = [self._profile(pending.record, pending.person_key) for pending in to_send]
        try:
            results = self.national.send_profiles(agency_code, batch_id, approval, profiles)
        except FatalApiError as error:
            logger.error("profiles_rejected", status=error.status, error_code=error.error_code, records=len(profiles))
            results = [RecordResult(idempotency_key=profile.idempotency_key, status="rejected",
                                    error_code=error.error_code or f"HTTP_{error.status}") for profile in profiles]

        acknowledged: list[_Pending] = []
        for pending, profile, result in zip(to_send, profiles, results, strict=True):
            pending.key = profile.idempotency_key
            if result.status in SUCCESS_STATUSES:
                acknowledged.append(pending)
            else:
                outcome.count("failed")
                outcome.results.append(pending.result("failed", error_code=result.error_code or "REJECTED"))
        party_failed = self._send_party(agency_code, acknowledged, outcome)

        # The checkpoint moves only for people whose record, and Party data if any, the national
        # databases acknowledged; anyone else is sent again with the next batch.
        now = utc_now_iso()
        checkpoint = []
        for pending in acknowledged:
            outcome.count("synced")
            outcome.results.append(pending.result("synced", party_status=pending.party_status,
                                                  party_error_code=pending.party_error_code))
            if pending.index in party_failed:
                continue
            checkpoint.append({"person_key": pending.person_key, "record_hash": pending.record.record_hash,
                               "batch_id": batch_id, "batch_created_at": batch.get("created_at", ""),
                               "agency_code": agency_code, "idempotency_key": pending.key, "synced_at": now})
        self.state.put_people(checkpoint)

    def _send_party(self, agency_code: str, acknowledged: Sequence[_Pending], outcome: ChunkOutcome) -> set[int]:
        """Send the Party data of acknowledged members; return the indexes whose Party data failed.

        A retriable error propagates before any checkpoint is written, so the redelivered chunk
        sends the records (answered as duplicates) and the Party data again.
        """
        members = [pending for pending in acknowledged if pending.record.record.get("party_join_date")]
        if not members:
            return set()
        party_records = [
            PartyMemberRecord(
                idempotency_key=f"party-{pending.key}",
                personal_id=pending.record.record["personal_id"],
                join_date=pending.record.record["party_join_date"],
                official_date=pending.record.record.get("party_official_date"),
                card_number=pending.record.record.get("party_card_number"),
            )
            for pending in members
        ]
        try:
            results = self.party.sync_members(agency_code, party_records)
        except FatalApiError as error:
            logger.error("party_rejected", status=error.status, error_code=error.error_code, records=len(members))
            code = error.error_code or f"HTTP_{error.status}"
            results = [RecordResult(idempotency_key=record.idempotency_key, status="rejected", error_code=code)
                       for record in party_records]
        failed: set[int] = set()
        for pending, result in zip(members, results, strict=True):
            if result.status in SUCCESS_STATUSES:
                outcome.party_synced += 1
                pending.party_status = "synced"
            else:
                outcome.party_failed += 1
                pending.party_status = "failed"
                pending.party_error_code = result.error_code or "REJECTED"
                failed.add(pending.index)
        return failed

    def _profile(self, record: StagedRecord, person_key: str | None = None) -> ProfileRecord:
        key = person_key or self.keyer.key(record.record["personal_id"])
        return ProfileRecord(idempotency_key=idempotency_key(key, record.record_hash),
                             personal_id=record.record["personal_id"], record_hash=record.record_hash,
                             data=record.record)

    # --- finishing ------------------------------------------------------------------------

    def _finish_if_complete(self, batch_id: str) -> None:
        """Finish the batch once every chunk is done; only one of concurrent callers moves it."""
        batch = self.state.get_batch(batch_id)
        if batch is None or batch["state"] != BatchState.SYNCING:
            return
        chunks = self.state.list_chunks(batch_id)
        if len(chunks) != int(batch.get("chunks_total", -1)) or any(chunk["status"] != "done" for chunk in chunks):
            return
        totals = {name: sum(int(chunk.get(name, 0)) for chunk in chunks) for name in COUNT_NAMES}
        final, counter = _final_state(totals)
        agency_code = batch["agency_code"]
        finished_at = datetime.now(UTC).isoformat()
        keys = BatchKeys(agency_code, batch_id)
        write_sync_report(self.store, keys, {**batch, **totals}, self.state.list_record_results(batch_id))
        agency_updates = {"last_sync_at": finished_at}
        if final is not BatchState.FAILED:
            agency_updates["last_successful_sync_at"] = finished_at
        moved = self.state.transition(
            batch_id, agency_code, from_states=[BatchState.SYNCING], to_state=final,
            updates={**totals, "sync_finished_at": finished_at, "sync_report_key": keys.sync_report_json},
            agency_counters={counter: 1, "batches_syncing": -1, "records_synced": totals["records_synced"],
                             "records_unchanged": totals["records_unchanged"],
                             "records_superseded": totals["records_superseded"],
                             "records_failed": totals["records_failed"]},
            agency_updates=agency_updates,
        )
        logger.info("sync_finished", extra={"state": final.value, "moved": moved, **totals})


COUNT_NAMES = ("records_synced", "records_unchanged", "records_superseded", "records_failed", "party_synced",
               "party_failed")


def _final_state(totals: dict[str, int]) -> tuple[BatchState, str]:
    if totals["records_failed"] == 0:
        return BatchState.SYNCED, "batches_synced"
    if totals["records_synced"] + totals["records_unchanged"] + totals["records_superseded"] > 0:
        return BatchState.PARTIAL, "batches_partial"
    return BatchState.FAILED, "batches_failed"


def _status_against_checkpoint(stored: dict[str, Any] | None, record: StagedRecord, batch_id: str,
                               created_at: str) -> str | None:
    """Return why a record needs no sending (synced, unchanged, superseded), or None to send it."""
    if stored is None:
        return None
    if stored.get("batch_id") == batch_id and stored["record_hash"] == record.record_hash:
        # This batch's own earlier attempt of the chunk got the acknowledgement.
        return "synced"
    if stored.get("batch_id") != batch_id and stored.get("batch_created_at", "") > created_at:
        # A batch created later already set this person's data; sending this older version
        # would overwrite newer data at the national database.
        return "superseded"
    if stored["record_hash"] == record.record_hash:
        return "unchanged"
    return None


@dataclass(slots=True)
class _Pending:
    """One staged record on its way through a chunk."""

    index: int
    record: StagedRecord
    person_key: str
    key: str | None = None
    party_status: str | None = None
    party_error_code: str | None = None

    def result(self, status: str, *, error_code: str | None = None, party_status: str | None = None,
               party_error_code: str | None = None) -> dict[str, Any]:
        return {"index": self.index, "row": self.record.row, "sheet": self.record.sheet, "status": status,
                "person_key": self.person_key, "idempotency_key": self.key, "error_code": error_code,
                "party_status": party_status, "party_error_code": party_error_code}


def _parents_first(units: Any) -> list[OrgUnit]:
    """Order units so every parent comes before its children (units with unknown parents first)."""
    by_code = {unit["code"]: unit for unit in units}
    ordered: list[OrgUnit] = []
    placed: set[str] = set()

    def place(code: str, trail: frozenset[str]) -> None:
        if code in placed or code in trail:
            return
        unit = by_code[code]
        parent = unit.get("parent_code")
        if parent and parent in by_code:
            place(parent, trail | {code})
        placed.add(code)
        ordered.append(OrgUnit(code=code, name=unit["name"], parent_code=parent or None,
                               commune_code=unit.get("commune_code") or None))

    for code in sorted(by_code):
        place(code, frozenset())
    return ordered
