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

from cbccvc.models import BatchKeys, BatchState, agency_of_batch
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
    failed: int = 0
    party_synced: int = 0
    party_failed: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)


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
            self.state.transition(batch_id, agency_code, from_states=[BatchState.APPROVED],
                                  to_state=BatchState.SYNCING, updates={"sync_started_at": utc_now_iso()})
        elif state is not BatchState.SYNCING:
            logger.info("sync_plan_skipped", state=state.value)
            return

        keys = BatchKeys(agency_code, batch_id)
        approval = self._approval(batch, keys)
        if not self._sync_org_units(batch_id, agency_code):
            return
        records = list(decode_records(self.store.get(keys.records)))
        if not self._pilot_passed(batch_id, agency_code, approval, records):
            return

        sizes = []
        for number, start in enumerate(range(0, len(records), self.options.chunk_size)):
            chunk = records[start:start + self.options.chunk_size]
            self.store.put(keys.chunk(number), encode_records(chunk), content_type="application/x-ndjson")
            sizes.append(len(chunk))
        self.state.create_chunks(batch_id, sizes)
        self.state.update_batch(batch_id, {"chunks_total": len(sizes)})
        self.queue.send_chunks(batch_id, list(range(len(sizes))))
        logger.info("sync_planned", chunks=len(sizes), records=len(records))

    def _approval(self, batch: dict[str, Any], keys: BatchKeys) -> Approval:
        manifest = self.store.get(keys.manifest)
        signature = self.store.get(batch["approval"]["signature_key"])
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
            agency_counters={"batches_failed": 1},
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
            return
        batch = self.state.get_batch(batch_id)
        if batch is None or batch["state"] != BatchState.SYNCING:
            logger.warning("sync_chunk_batch_not_syncing", chunk=number)
            return
        agency_code = batch["agency_code"]
        keys = BatchKeys(agency_code, batch_id)
        records = list(decode_records(self.store.get(keys.chunk(number))))
        outcome = self._send_records(batch_id, agency_code, self._approval(batch, keys), records)

        self.state.put_record_results(batch_id, outcome.results)
        now = utc_now_iso()
        agency_updates = {"last_sync_at": now} if outcome.synced or outcome.unchanged else {}
        updated = self.state.complete_chunk(
            batch_id, agency_code, number,
            batch_counters={"records_synced": outcome.synced, "records_unchanged": outcome.unchanged,
                            "records_failed": outcome.failed, "party_synced": outcome.party_synced,
                            "party_failed": outcome.party_failed},
            agency_counters={"records_synced": outcome.synced, "records_unchanged": outcome.unchanged,
                             "records_failed": outcome.failed},
            agency_updates=agency_updates,
        )
        logger.info("sync_chunk_done", chunk=number, synced=outcome.synced, unchanged=outcome.unchanged,
                    failed=outcome.failed)
        metrics.add_metric(name="RecordsSynced", unit="Count", value=outcome.synced)
        metrics.add_metric(name="RecordsFailed", unit="Count", value=outcome.failed)
        if updated is not None and updated.get("chunks_done") == updated.get("chunks_total"):
            self._finish(updated)

    def _send_records(self, batch_id: str, agency_code: str, approval: Approval,
                      records: Sequence[StagedRecord]) -> ChunkOutcome:
        outcome = ChunkOutcome()
        person_keys = [self.keyer.key(record.record["personal_id"]) for record in records]
        known = self.state.get_people(person_keys)
        to_send: list[tuple[StagedRecord, str]] = []
        for record, person_key in zip(records, person_keys, strict=True):
            stored = known.get(person_key)
            if stored is not None and stored["record_hash"] == record.record_hash:
                # Acknowledged before: by an earlier batch (unchanged), or by this batch on an
                # earlier attempt of this chunk that failed after the acknowledgement.
                if stored.get("batch_id") == batch_id:
                    outcome.synced += 1
                    status = "synced"
                else:
                    outcome.unchanged += 1
                    status = "unchanged"
                outcome.results.append(_result(record, person_key, status))
                continue
            to_send.append((record, person_key))

        if to_send:
            self._send_profiles(batch_id, agency_code, approval, to_send, outcome)
        return outcome

    def _send_profiles(self, batch_id: str, agency_code: str, approval: Approval,
                       to_send: Sequence[tuple[StagedRecord, str]], outcome: ChunkOutcome) -> None:
        profiles = [self._profile(record, person_key) for record, person_key in to_send]
        try:
            results = self.national.send_profiles(agency_code, batch_id, approval, profiles)
        except FatalApiError as error:
            logger.error("profiles_rejected", status=error.status, error_code=error.error_code, records=len(profiles))
            results = [RecordResult(idempotency_key=profile.idempotency_key, status="rejected",
                                    error_code=error.error_code or f"HTTP_{error.status}") for profile in profiles]

        acknowledged: list[tuple[StagedRecord, str, str]] = []
        now = utc_now_iso()
        for (record, person_key), profile, result in zip(to_send, profiles, results, strict=True):
            if result.status in SUCCESS_STATUSES:
                acknowledged.append((record, person_key, profile.idempotency_key))
                outcome.synced += 1
                outcome.results.append(_result(record, person_key, "synced", key=profile.idempotency_key))
            else:
                outcome.failed += 1
                outcome.results.append(_result(record, person_key, "failed", key=profile.idempotency_key,
                                               error_code=result.error_code or "REJECTED"))
        # The checkpoint moves only for records the national database acknowledged.
        self.state.put_people(
            {"person_key": person_key, "record_hash": record.record_hash, "batch_id": batch_id,
             "agency_code": agency_code, "idempotency_key": key, "synced_at": now}
            for record, person_key, key in acknowledged
        )
        self._send_party(agency_code, acknowledged, outcome)

    def _send_party(self, agency_code: str, acknowledged: Sequence[tuple[StagedRecord, str, str]],
                    outcome: ChunkOutcome) -> None:
        members = [(record, key) for record, _, key in acknowledged if record.record.get("party_join_date")]
        if not members:
            return
        party_records = [
            PartyMemberRecord(
                idempotency_key=f"party-{key}",
                personal_id=record.record["personal_id"],
                join_date=record.record["party_join_date"],
                official_date=record.record.get("party_official_date"),
                card_number=record.record.get("party_card_number"),
            )
            for record, key in members
        ]
        try:
            results = self.party.sync_members(agency_code, party_records)
        except FatalApiError as error:
            logger.error("party_rejected", status=error.status, error_code=error.error_code, records=len(members))
            outcome.party_failed += len(members)
            return
        by_row = {result["row"]: result for result in outcome.results}
        for (record, _), result in zip(members, results, strict=True):
            entry = by_row[record.row]
            if result.status in SUCCESS_STATUSES:
                outcome.party_synced += 1
                entry["party_status"] = "synced"
            else:
                outcome.party_failed += 1
                entry["party_status"] = "failed"
                entry["party_error_code"] = result.error_code or "REJECTED"

    def _profile(self, record: StagedRecord, person_key: str | None = None) -> ProfileRecord:
        key = person_key or self.keyer.key(record.record["personal_id"])
        return ProfileRecord(idempotency_key=idempotency_key(key, record.record_hash),
                             personal_id=record.record["personal_id"], record_hash=record.record_hash,
                             data=record.record)

    def _finish(self, batch: dict[str, Any]) -> None:
        batch_id = batch["batch_id"]
        agency_code = batch["agency_code"]
        synced = int(batch.get("records_synced", 0))
        unchanged = int(batch.get("records_unchanged", 0))
        failed = int(batch.get("records_failed", 0))
        if failed == 0:
            final, counter = BatchState.SYNCED, "batches_synced"
        elif synced + unchanged > 0:
            final, counter = BatchState.PARTIAL, "batches_partial"
        else:
            final, counter = BatchState.FAILED, "batches_failed"
        finished_at = datetime.now(UTC).isoformat()
        agency_updates = {"last_successful_sync_at": finished_at} if final is not BatchState.FAILED else {}
        keys = BatchKeys(agency_code, batch_id)
        write_sync_report(self.store, keys, batch, self.state.list_record_results(batch_id))
        moved = self.state.transition(
            batch_id, agency_code, from_states=[BatchState.SYNCING], to_state=final,
            updates={"sync_finished_at": finished_at, "sync_report_key": keys.sync_report_json},
            agency_counters={counter: 1}, agency_updates=agency_updates,
        )
        logger.info("sync_finished", state=final.value, synced=synced, unchanged=unchanged, failed=failed,
                    moved=moved)


def _result(record: StagedRecord, person_key: str, status: str, *, key: str | None = None,
            error_code: str | None = None) -> dict[str, Any]:
    return {"row": record.row, "sheet": record.sheet, "status": status, "person_key": person_key,
            "idempotency_key": key, "error_code": error_code}


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
