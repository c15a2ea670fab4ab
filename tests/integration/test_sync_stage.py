"""The sync stage against moto and the emulator: fatal, retriable and pilot failures."""

from __future__ import annotations

import json

import pytest

from cbccvc.models import BatchKeys
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
