"""The approve stage against moto: what an approval must prove before a batch may be synced."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cbccvc.approval.registry import certificate_fingerprint
from cbccvc.approval.service import ApproveService
from cbccvc.models import BatchKeys
from cbccvc.signing.cms import sign_detached
from cbccvc.sync.queue import SyncQueue
from cbccvc_local.pipeline import SAMPLE_EXPORT, LocalPipeline

pytestmark = pytest.mark.integration


def _validated_batch(pipeline: LocalPipeline, data: bytes | None = None, name: str = SAMPLE_EXPORT.name) -> str:
    outcome = pipeline.upload_export(data or SAMPLE_EXPORT.read_bytes(), name)
    assert outcome["state"] == "validated"
    batch_id: str = outcome["batch_id"]
    return batch_id


def _second_batch(pipeline: LocalPipeline) -> str:
    # A CSV export of a few sample people gives a second, different batch of the same agency.
    first = _validated_batch(pipeline)
    records = pipeline.store.get(BatchKeys("H46", first).records)
    assert records
    rows = ["Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Mã đơn vị"]
    for person in pipeline.emulator.store.dump()["population"][:3]:
        year, month, day = person["birth_date"].split("-")
        gender = "Nam" if person["gender"] == "male" else "Nữ"
        rows.append(f"{person['full_name']},{day}/{month}/{year},{gender},{person['personal_id']},000.00.01.H46")
    return _validated_batch(pipeline, ("\r\n".join(rows) + "\r\n").encode("utf-8-sig"), "ba-nguoi.csv")


def test_tampered_manifest_rejected(pipeline: LocalPipeline) -> None:
    batch_id = _validated_batch(pipeline)
    keys = BatchKeys("H46", batch_id)
    tampered = pipeline.manifest(batch_id).replace(b'"record_count":276', b'"record_count":277')
    pipeline.store.put(keys.manifest, tampered)
    outcome = pipeline.sign_and_upload(batch_id)
    assert outcome["state"] == "rejected"
    assert outcome["reason_code"] == "MANIFEST_TAMPERED"


def test_changed_records_rejected(pipeline: LocalPipeline) -> None:
    batch_id = _validated_batch(pipeline)
    keys = BatchKeys("H46", batch_id)
    pipeline.store.put(keys.records, pipeline.store.get(keys.records) + b"\n")
    outcome = pipeline.sign_and_upload(batch_id)
    assert outcome["reason_code"] == "RECORDS_CHANGED"


def test_unregistered_signer_rejected(pipeline: LocalPipeline) -> None:
    batch_id = _validated_batch(pipeline)
    certificate = pipeline.pki.approver_signer().certificate
    assert pipeline.state.remove_approver("H46", certificate_fingerprint(certificate), actor="test")
    outcome = pipeline.sign_and_upload(batch_id)
    assert outcome["reason_code"] == "SIGNER_NOT_AUTHORISED"
    actions = [entry["action"] for entry in pipeline.state.list_audit("H46")]
    assert actions == ["approver_added", "approver_removed"]


def test_signature_replayed_on_other_batch(pipeline: LocalPipeline) -> None:
    first = _validated_batch(pipeline)
    second = _second_batch(pipeline)
    signature = sign_detached(pipeline.manifest(first), pipeline.pki.approver_signer())
    outcome = pipeline.upload_signature(second, signature)
    assert outcome["reason_code"] == "SIG_CONTENT_MISMATCH"
    assert pipeline.batch(second)["state"] == "rejected"
    assert pipeline.batch(first)["state"] == "validated"


def test_garbage_signature_rejected(pipeline: LocalPipeline) -> None:
    batch_id = _validated_batch(pipeline)
    outcome = pipeline.upload_signature(batch_id, b"\x30\x82garbage")
    assert outcome["reason_code"] == "SIG_MALFORMED"


def test_backdated_signature_rejected(pipeline: LocalPipeline) -> None:
    batch_id = _validated_batch(pipeline)
    # Ten minutes back is before the manifest, yet inside the demo certificate's validity (it starts an hour
    # before issue), so only the manifest check can reject it.
    signature = sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer(),
                              signing_time=datetime.now(UTC) - timedelta(minutes=10))
    outcome = pipeline.upload_signature(batch_id, signature)
    assert outcome["reason_code"] == "SIGNING_TIME_BEFORE_MANIFEST"


def test_expired_manifest_rejected(pipeline: LocalPipeline) -> None:
    batch_id = _validated_batch(pipeline)
    key = f"{BatchKeys('H46', batch_id).approval_prefix}phe-duyet.p7s"
    pipeline.store.put(key, sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer()))
    service = ApproveService(store=pipeline.store, state=pipeline.state,
                             queue=SyncQueue(pipeline.stack.client("sqs"), pipeline.stack.sync_queue_url),
                             trust_anchors_prefix="config/trust-anchors/", crl_prefix="config/crls/")
    outcome = service.process_signature(key, now=datetime.now(UTC) + timedelta(days=30))
    assert outcome.reason_code == "MANIFEST_EXPIRED"


def test_approval_key_layout_checked(pipeline: LocalPipeline) -> None:
    results = pipeline.dispatcher.upload("approvals/H46/phe-duyet.p7s", b"x")
    assert results[0]["approvals"][0]["reason_code"] == "APPROVAL_KEY_INVALID"


def test_second_approval_changes_nothing(pipeline: LocalPipeline) -> None:
    batch_id = _validated_batch(pipeline)
    assert pipeline.sign_and_upload(batch_id)["state"] == "approved"
    pipeline.run_sync()
    outcome = pipeline.sign_and_upload(batch_id, name="lan-hai.p7s")
    assert outcome["state"] == "synced"
    assert outcome["reason_code"] == "BATCH_NOT_APPROVABLE"
    agency = pipeline.state.get_agency("H46") or {}
    assert agency["batches_approved"] == 1


def test_decision_written_for_approver(pipeline: LocalPipeline) -> None:
    batch_id = _validated_batch(pipeline)
    rejected = pipeline.sign_and_upload(batch_id, signer=pipeline.pki.revoked_approver_signer(), name="sai.p7s")
    assert rejected["reason_code"] == "CERT_REVOKED"
    notice = json.loads(pipeline.store.get(BatchKeys("H46", batch_id).approval_result))
    assert notice["outcome"] == "rejected"
    assert notice["code"] == "CERT_REVOKED"
    assert notice["message"]

    accepted = pipeline.sign_and_upload(batch_id, name="DUNG.P7S")
    assert accepted["state"] == "approved"
    notice = json.loads(pipeline.store.get(BatchKeys("H46", batch_id).approval_result))
    assert notice["outcome"] == "approved"
    assert notice["code"] == "APPROVAL_ACCEPTED"
