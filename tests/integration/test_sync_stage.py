"""The sync stage against moto and the emulator: fatal, retriable and pilot failures."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest

from cbccvc.models import BatchKeys
from cbccvc.validation.staging import decode_records
from cbccvc_local.editing import change_positions
from cbccvc_local.pipeline import SAMPLE_EXPORT, LocalPipeline

pytestmark = pytest.mark.integration


def _approved_batch(pipeline: LocalPipeline) -> str:
    outcome = pipeline.upload_export(SAMPLE_EXPORT.read_bytes(), SAMPLE_EXPORT.name)
    batch_id: str = outcome["batch_id"]
    assert pipeline.sign_and_upload(batch_id)["state"] == "approved"
    return batch_id


def test_pilot_failure_sends_nothing(pipeline: LocalPipeline) -> None:
    pipeline.emulator.add_faults([{"path_prefix": "/cbccvc/v1/test-sync", "kind": "status", "status": 422,
                                   "count": 1}])
    batch_id = _approved_batch(pipeline)
    pipeline.run_sync()
    batch = pipeline.batch(batch_id)
    assert batch["state"] == "failed"
    assert batch["failure"]["code"] == "PILOT_FAILED"
    assert pipeline.emulator.state()["counts"]["profiles"] == 0
    agency = pipeline.state.get_agency("H46") or {}
    assert agency["pilot_status"] == "failed"
    assert agency["batches_failed"] == 1


def test_org_units_rejected_stops_batch(pipeline: LocalPipeline) -> None:
    pipeline.emulator.add_faults([{"path_prefix": "/cbccvc/v1/org-units", "kind": "status", "status": 400,
                                   "count": 1}])
    batch_id = _approved_batch(pipeline)
    pipeline.run_sync()
    batch = pipeline.batch(batch_id)
    assert batch["state"] == "failed"
    assert batch["failure"]["code"] == "ORG_UNITS_REJECTED"
    assert pipeline.emulator.state()["counts"]["test_profiles"] == 0


def test_fatal_profiles_error_recorded(pipeline: LocalPipeline) -> None:
    pipeline.emulator.add_faults([{"path_prefix": "/cbccvc/v1/profiles:batch", "kind": "status", "status": 422,
                                   "count": 1}])
    batch_id = _approved_batch(pipeline)
    pipeline.run_sync()
    batch = pipeline.batch(batch_id)
    assert batch["state"] == "failed"
    assert int(batch["records_failed"]) == int(batch["record_count"])
    report = json.loads(pipeline.store.get(BatchKeys("H46", batch_id).sync_report_json))
    assert len(report["problems"]) == int(batch["record_count"])
    assert {problem["code"] for problem in report["problems"]} == {"RECORD_REJECTED"}
    results = pipeline.state.list_record_results(batch_id)
    assert {result["status"] for result in results} == {"failed"}


def test_persistent_outage_goes_to_dead_letter_queue(pipeline: LocalPipeline) -> None:
    pipeline.emulator.add_faults([{"path_prefix": "/cbccvc/v1/profiles:batch", "kind": "status", "status": 500,
                                   "count": 1000}])
    batch_id = _approved_batch(pipeline)
    pipeline.run_sync()
    batch = pipeline.batch(batch_id)
    assert batch["state"] == "syncing"
    assert int(batch.get("chunks_done", 0)) == 0
    sqs = pipeline.stack.client("sqs")
    dead = sqs.receive_message(QueueUrl=pipeline.stack.dead_letter_queue_url, MaxNumberOfMessages=10)
    bodies = [json.loads(message["Body"]) for message in dead.get("Messages", [])]
    assert bodies == [{"type": "chunk", "batch_id": batch_id, "chunk": 0}]

    # A redrive after the outage finishes the batch.
    pipeline.emulator.clear_faults()
    sqs.send_message(QueueUrl=pipeline.stack.sync_queue_url, MessageBody=dead["Messages"][0]["Body"])
    pipeline.run_sync()
    assert pipeline.batch(batch_id)["state"] == "synced"


def test_older_batch_never_overwrites_newer(pipeline: LocalPipeline) -> None:
    data = SAMPLE_EXPORT.read_bytes()
    older = pipeline.upload_export(data, "thang-11.xlsx")
    staged = list(decode_records(pipeline.store.get(BatchKeys("H46", older["batch_id"]).records)))
    rows = [record.row for record in staged[:3]]
    newer = pipeline.upload_export(change_positions(data, SAMPLE_EXPORT.name, rows), "thang-12.xlsx")

    assert pipeline.sign_and_upload(newer["batch_id"])["state"] == "approved"
    pipeline.run_sync()
    assert pipeline.sign_and_upload(older["batch_id"])["state"] == "approved"
    pipeline.run_sync()

    older_batch = pipeline.batch(older["batch_id"])
    assert older_batch["state"] == "synced"
    assert int(older_batch["records_superseded"]) == len(staged)
    assert int(older_batch["records_synced"]) == 0
    changed_ids = {record.record["personal_id"] for record in staged[:3]}
    latest = {profile["personal_id"]: profile["batch_id"] for profile in pipeline.emulator.state()["profiles"]}
    assert {latest[personal_id] for personal_id in changed_ids} == {newer["batch_id"]}


def test_party_outage_retried_not_lost(pipeline: LocalPipeline) -> None:
    # Four 503s outlast one delivery's retries, so the chunk fails once and is redelivered.
    pipeline.emulator.add_faults([{"path_prefix": "/party/v1/members:sync", "kind": "status", "status": 503,
                                   "count": 4}])
    batch_id = _approved_batch(pipeline)
    pipeline.run_sync()
    batch = pipeline.batch(batch_id)
    staged = list(decode_records(pipeline.store.get(BatchKeys("H46", batch_id).records)))
    members = sum(1 for record in staged if record.record.get("party_join_date"))
    assert batch["state"] == "synced"
    assert int(batch["party_synced"]) == members
    assert pipeline.emulator.state()["counts"]["party_records"] == members


def test_party_rejection_reported_and_retried(pipeline: LocalPipeline) -> None:
    pipeline.emulator.add_faults([{"path_prefix": "/party/v1/members:sync", "kind": "status", "status": 422,
                                   "count": 1}])
    batch_id = _approved_batch(pipeline)
    pipeline.run_sync()
    batch = pipeline.batch(batch_id)
    assert int(batch["party_failed"]) > 0
    report = json.loads(pipeline.store.get(BatchKeys("H46", batch_id).sync_report_json))
    assert {problem["code"] for problem in report["problems"]} == {"PARTY_REJECTED"}
    assert len(report["problems"]) == int(batch["party_failed"])


def test_records_changed_after_approval_not_sent(pipeline: LocalPipeline) -> None:
    batch_id = _approved_batch(pipeline)
    keys = BatchKeys("H46", batch_id)
    staged = pl.read_parquet(io.BytesIO(pipeline.store.get(keys.records)))
    forged = io.BytesIO()
    staged.with_columns(pl.col("position").str.replace("Giáo viên", "Giám đốc (giả mạo)")).write_parquet(forged)
    pipeline.store.put(keys.records, forged.getvalue())
    pipeline.run_sync()
    batch = pipeline.batch(batch_id)
    assert batch["state"] == "failed"
    assert batch["failure"]["code"] == "RECORDS_CHANGED"
    assert pipeline.emulator.state()["counts"]["profiles"] == 0
