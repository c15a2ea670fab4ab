"""The whole pipeline on the bundled sample, through moto, the emulator and the real handlers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cbccvc.models import BatchKeys
from cbccvc.validation.staging import decode_records
from cbccvc_local.editing import change_positions
from cbccvc_local.pipeline import SAMPLE_EXPORT, LocalPipeline

pytestmark = pytest.mark.e2e


def _accepted_ids(pipeline: LocalPipeline) -> list[str]:
    return [profile["personal_id"] for profile in pipeline.emulator_state()["profiles"]]


def _staged(pipeline: LocalPipeline, batch_id: str) -> list[Any]:
    return list(decode_records(pipeline.store.get(BatchKeys(pipeline.agency_code, batch_id).records)))


def test_sample_full_run(pipeline: LocalPipeline, sample_faults: list[dict[str, Any]]) -> None:
    data = SAMPLE_EXPORT.read_bytes()
    faulty_rows = {fault["row"] for fault in sample_faults}

    # Validate: every planted fault is reported at its row and column, and only faulty rows are blocked.
    outcome = pipeline.upload_export(data, SAMPLE_EXPORT.name)
    assert outcome["state"] == "validated"
    assert outcome["rows"] == 300
    assert outcome["invalid"] == len(faulty_rows)
    assert outcome["valid"] == 300 - len(faulty_rows)
    batch_id = outcome["batch_id"]
    report = json.loads(pipeline.store.get(BatchKeys("H46", batch_id).report_json))
    reported = {(finding["row"], finding["column"], finding["code"]) for finding in report["findings"]}
    for fault in sample_faults:
        assert (fault["row"], fault["column"], fault["code"]) in reported
    staged = _staged(pipeline, batch_id)
    assert {record.row for record in staged}.isdisjoint(faulty_rows)

    # Approve and sync: the pilot goes first, then every valid record and no invalid one.
    approval = pipeline.sign_and_upload(batch_id)
    assert approval["state"] == "approved"
    pipeline.run_sync()
    batch = pipeline.batch(batch_id)
    assert batch["state"] == "synced"
    assert int(batch["records_synced"]) == len(staged)
    state = pipeline.emulator_state()
    assert state["counts"]["test_profiles"] == 5
    assert sorted(_accepted_ids(pipeline)) == sorted(record.record["personal_id"] for record in staged)
    assert all(profile["approval_present"] for profile in state["profiles"])
    members = sum(1 for record in staged if record.record.get("party_join_date"))
    assert state["counts"]["party_records"] == members
    agency = pipeline.state.get_agency("H46") or {}
    assert agency["pilot_status"] == "passed"

    # The same file again, and the same S3 event twice: same batch, nothing new sent.
    again = pipeline.upload_export(data, SAMPLE_EXPORT.name)
    assert again["batch_id"] == batch_id
    assert again["duplicate_event"] is True
    redelivered = pipeline.redeliver_upload_event(SAMPLE_EXPORT.name)
    assert redelivered["duplicate_event"] is True
    pipeline.run_sync()
    assert len(_accepted_ids(pipeline)) == len(staged)

    # Three rows changed: a new batch that sends exactly those three records.
    changed_rows = [record.row for record in staged[:3]]
    changed = change_positions(data, SAMPLE_EXPORT.name, changed_rows)
    second = pipeline.upload_export(changed, "Danh sách CBCCVC mẫu (cập nhật).xlsx")
    assert second["state"] == "validated"
    assert second["batch_id"] != batch_id
    assert pipeline.sign_and_upload(second["batch_id"])["state"] == "approved"
    pipeline.run_sync()
    second_batch = pipeline.batch(second["batch_id"])
    assert second_batch["state"] == "synced"
    assert int(second_batch["records_synced"]) == 3
    assert int(second_batch["records_unchanged"]) == len(staged) - 3
    new_profiles = pipeline.emulator_state()["profiles"][len(staged):]
    changed_ids = {record.record["personal_id"] for record in staged[:3]}
    assert {profile["personal_id"] for profile in new_profiles} == changed_ids

    # The daily report counts both batches once each, from the agency's counters.
    result = pipeline.fire_daily_report()
    daily = json.loads(pipeline.store.get(result["json"]))
    (row,) = daily["agencies"]
    assert row["agency_code"] == "H46"
    assert row["batches_received"] == 2
    assert row["batches_synced"] == 2
    assert row["records_synced"] == len(staged) + 3
    assert row["records_unchanged"] == len(staged) - 3
    assert row["pilot_status"] == "passed"
    assert row["status"] == "synced"
    for key in (result["xlsx"], result["html"]):
        assert pipeline.store.exists(key)


def test_sync_survives_throttling(pipeline: LocalPipeline) -> None:
    pipeline.emulator.add_faults([
        {"path_prefix": "/cbccvc/v1/profiles:batch", "kind": "status", "status": 429, "retry_after": 1, "count": 2},
        {"path_prefix": "/cbccvc/v1/profiles:batch", "kind": "status", "status": 503, "count": 1},
    ])
    outcome = pipeline.upload_export(SAMPLE_EXPORT.read_bytes(), SAMPLE_EXPORT.name)
    pipeline.sign_and_upload(outcome["batch_id"])
    pipeline.run_sync()
    batch = pipeline.batch(outcome["batch_id"])
    assert batch["state"] == "synced"
    assert int(batch["records_synced"]) == outcome["valid"]
    assert len(_accepted_ids(pipeline)) == outcome["valid"]
    statuses = [entry["status"] for entry in pipeline.emulator_state()["requests"]
                if entry["path"].startswith("/cbccvc/v1/profiles")]
    assert statuses.count(429) == 2
    assert statuses.count(503) == 1


def test_revoked_signer_then_valid(pipeline: LocalPipeline) -> None:
    outcome = pipeline.upload_export(SAMPLE_EXPORT.read_bytes(), SAMPLE_EXPORT.name)
    batch_id = outcome["batch_id"]
    rejected = pipeline.sign_and_upload(batch_id, signer=pipeline.pki.revoked_approver_signer(), name="thu-hoi.p7s")
    assert rejected["state"] == "rejected"
    assert rejected["reason_code"] == "CERT_REVOKED"
    pipeline.run_sync()
    assert _accepted_ids(pipeline) == []

    approved = pipeline.sign_and_upload(batch_id)
    assert approved["state"] == "approved"
    pipeline.run_sync()
    assert pipeline.batch(batch_id)["state"] == "synced"
