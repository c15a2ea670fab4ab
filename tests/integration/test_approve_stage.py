"""The approve stage against moto: what an approval must prove before a batch may be synced."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from asn1crypto import pem

from cbccvc.approval.evidence import SIGNATURE_FILE, VERIFICATION_FILE
from cbccvc.approval.registry import approver_entry, certificate_fingerprint
from cbccvc.approval.seal import KmsSealer
from cbccvc.approval.service import ApproveOutcome, ApproveService
from cbccvc.models import BatchKeys
from cbccvc.signing.cms import KeySigner, sign_detached
from cbccvc.sync.queue import SyncQueue
from cbccvc_local.certificates import TestCertificateKind, make_test_certificate
from cbccvc_local.pipeline import SAMPLE_EXPORT, LocalPipeline
from tests.integration.approval_support import notice, small_batch

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


def _service(pipeline: LocalPipeline) -> ApproveService:
    """Build the approve stage as one more Lambda invocation would, with the stack's seal key."""
    return ApproveService(store=pipeline.store, state=pipeline.state,
                          queue=SyncQueue(pipeline.stack.client("sqs"), pipeline.stack.sync_queue_url),
                          trust_anchors_prefix="config/trust-anchors/", crl_prefix="config/crls/",
                          sealer=KmsSealer(pipeline.stack.client("kms"), pipeline.stack.resolver.refs["SealKey"],
                                           pipeline.store))


def _queued(pipeline: LocalPipeline) -> int:
    attributes = pipeline.stack.client("sqs").get_queue_attributes(
        QueueUrl=pipeline.stack.sync_queue_url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


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
    note = json.loads(pipeline.store.get("rejections/approvals/H46/phe-duyet.p7s.json"))
    assert note["code"] == "APPROVAL_KEY_INVALID"


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("approvals/H46/{batch}//phe-duyet.p7s", "APPROVAL_KEY_INVALID"),
        ("approvals/H46/{batch}/../{batch}/phe-duyet.p7s", "APPROVAL_KEY_INVALID"),
        ("approvals/H46/{batch}/ky/phe-duyet.p7s", "APPROVAL_KEY_INVALID"),
        ("approvals/\uff2846/{batch}/phe-duyet.p7s", "APPROVAL_AGENCY_INVALID"),
        ("approvals/\u041d46/{batch}/phe-duyet.p7s", "APPROVAL_AGENCY_INVALID"),
        ("approvals/H46\u200b/{batch}/phe-duyet.p7s", "APPROVAL_AGENCY_INVALID"),
        ("approvals/H46/{lower}/phe-duyet.p7s", "BATCH_NOT_FOUND"),
        ("approvals/H01/{batch}/phe-duyet.p7s", "BATCH_NOT_FOUND"),
        ("approvals/H46/{batch}/phe-duyet.sig", "APPROVAL_KEY_INVALID"),
        ("approvals/H46/{batch}/phe-duyet.pdf", "APPROVAL_KEY_INVALID"),
    ],
    ids=["double_slash", "dot_dot", "sub_folder", "fullwidth_h", "cyrillic_en", "zero_width_space", "lower_batch",
         "other_agency", "sig_suffix", "pdf_suffix"],
)
def test_wrong_upload_answered(pipeline: LocalPipeline, template: str, code: str) -> None:
    batch_id = small_batch(pipeline, 0)
    key = template.format(batch=batch_id, lower=batch_id.lower())
    signature = sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer())

    results = pipeline.dispatcher.upload(key, signature)

    assert results[0]["approvals"][0]["reason_code"] == code
    note = json.loads(pipeline.store.get(f"rejections/{key}.json"))
    assert (note["code"], note["key"]) == (code, key)
    assert note["message"]
    assert pipeline.batch(batch_id)["state"] == "validated"
    assert not pipeline.store.exists(BatchKeys("H46", batch_id).approval_result)


def test_upper_case_p7m_approves(pipeline: LocalPipeline) -> None:
    batch_id = small_batch(pipeline, 0)

    assert pipeline.sign_and_upload(batch_id, name="PHE-DUYET.P7M")["state"] == "approved"


def test_pem_signature_approves(pipeline: LocalPipeline) -> None:
    batch_id = small_batch(pipeline, 0)
    der = sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer())

    outcome = pipeline.upload_signature(batch_id, pem.armor("CMS", der), name="phe-duyet.p7m")

    assert outcome["state"] == "approved"
    approval = pipeline.batch(batch_id)["approval"]
    assert pipeline.store.get(approval["signature_evidence_key"]) == der  # the verified DER, not the PEM upload


def test_second_approval_changes_nothing(pipeline: LocalPipeline) -> None:
    batch_id = _validated_batch(pipeline)
    assert pipeline.sign_and_upload(batch_id)["state"] == "approved"
    pipeline.run_sync()
    outcome = pipeline.sign_and_upload(batch_id, name="lan-hai.p7s")
    assert outcome["state"] == "synced"
    assert outcome["reason_code"] == "BATCH_NOT_APPROVABLE"
    agency = pipeline.state.get_agency("H46") or {}
    assert agency["batches_approved"] == 1
    # The batch's notice still names the approval and its evidence. The second upload's notice is beside its key.
    assert notice(pipeline, batch_id)["code"] == "APPROVAL_ACCEPTED"
    assert notice(pipeline, batch_id)["evidence_prefix"]
    note = json.loads(pipeline.store.get(f"rejections/approvals/H46/{batch_id}/lan-hai.p7s.json"))
    assert (note["code"], note["outcome"]) == ("BATCH_NOT_APPROVABLE", "ignored")
    assert "«đã đồng bộ»" in note["message"]


def test_upload_before_validation_ignored(pipeline: LocalPipeline) -> None:
    batch_id = small_batch(pipeline, 0)
    pipeline.state.update_batch(batch_id, {"state": "received"})  # as while the validate stage still runs

    outcome = pipeline.sign_and_upload(batch_id)

    assert (outcome["state"], outcome["reason_code"]) == ("received", "BATCH_NOT_APPROVABLE")
    assert (notice(pipeline, batch_id)["code"], notice(pipeline, batch_id)["batch_state"]) == (
        "BATCH_NOT_APPROVABLE", "received")


def test_upload_to_approved_batch_ignored(pipeline: LocalPipeline) -> None:
    batch_id = small_batch(pipeline, 0)
    assert pipeline.sign_and_upload(batch_id)["state"] == "approved"
    queued = _queued(pipeline)

    junk = pipeline.upload_signature(batch_id, b"junk", name="rac.p7s")
    repeated = pipeline.dispatcher.deliver_s3(pipeline.batch(batch_id)["approval"]["signature_key"])

    assert (junk["state"], junk["reason_code"]) == ("approved", "BATCH_NOT_APPROVABLE")
    assert _queued(pipeline) == queued + 1  # only the repeated event of the approved signature restarts the sync
    assert repeated[0]["approvals"][0] == {"batch_id": batch_id, "state": "approved", "reason_code": None}
    assert (notice(pipeline, batch_id)["code"], notice(pipeline, batch_id)["outcome"]) == (
        "APPROVAL_ACCEPTED", "approved")
    note = json.loads(pipeline.store.get(f"rejections/approvals/H46/{batch_id}/rac.p7s.json"))
    assert note["code"] == "BATCH_NOT_APPROVABLE"


def test_sync_sends_verified_signature(pipeline: LocalPipeline) -> None:
    batch_id = small_batch(pipeline, 0)
    assert pipeline.sign_and_upload(batch_id)["state"] == "approved"
    approval = pipeline.batch(batch_id)["approval"]
    # Someone who may upload replaces the approved file with a valid signature by an unregistered person.
    outsider = make_test_certificate(TestCertificateKind.VALID, pipeline.pki.load_issuing_ca(),
                                     crl_url=pipeline.pki.issuing_crl_url)
    replacement = sign_detached(pipeline.manifest(batch_id),
                                outsider.signer(chain=pipeline.pki.load_intermediates()))
    pipeline.dispatcher.upload(approval["signature_key"], replacement)

    pipeline.run_sync()

    assert pipeline.batch(batch_id)["state"] == "synced"
    verified = pipeline.store.get(approval["signature_evidence_key"])
    sent = [entry for entry in pipeline.emulator_state()["approvals"] if entry["batch_id"] == batch_id]
    assert sent
    assert {base64.b64decode(entry["approval"]["signature_b64"]) for entry in sent} == {verified}


def _interleaved(first: ApproveService, second: ApproveService, second_key: str) -> list[ApproveOutcome]:
    """Make ``first`` run ``second`` to the end after its checks and before it writes its decision."""
    check: Callable[..., Any] = first.checker.check
    outcomes: list[ApproveOutcome] = []

    def checked_then_overtaken(*args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        finally:
            outcomes.append(second.process_signature(second_key))

    first.checker.check = checked_then_overtaken
    return outcomes


@pytest.mark.parametrize("valid_first", [True, False], ids=["valid_first", "garbage_first"])
def test_race_valid_and_garbage(pipeline: LocalPipeline, valid_first: bool) -> None:
    batch_id = small_batch(pipeline, 0)
    prefix = BatchKeys("H46", batch_id).approval_prefix
    valid_key, garbage_key = f"{prefix}dung.p7s", f"{prefix}sai.p7s"
    pipeline.store.put(valid_key, sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer()))
    pipeline.store.put(garbage_key, b"\x30\x82\x00\x10garbage-garbage!")
    first_key, second_key = (valid_key, garbage_key) if valid_first else (garbage_key, valid_key)
    first = _service(pipeline)
    _interleaved(first, _service(pipeline), second_key)

    first.process_signature(first_key)

    batch = pipeline.batch(batch_id)
    assert batch["state"] == "approved"
    assert batch["approval"]["signature_key"] == valid_key
    assert (notice(pipeline, batch_id)["outcome"], notice(pipeline, batch_id)["signature_key"]) == ("approved",
                                                                                                      valid_key)
    assert _queued(pipeline) == 1
    agency = pipeline.state.get_agency("H46") or {}
    assert int(agency["batches_approved"]) == 1


def test_race_two_approvers(pipeline: LocalPipeline) -> None:
    batch_id = small_batch(pipeline, 0)
    prefix = BatchKeys("H46", batch_id).approval_prefix
    deputy = make_test_certificate(TestCertificateKind.VALID, pipeline.pki.load_issuing_ca(),
                                   crl_url=pipeline.pki.issuing_crl_url)
    pipeline.state.put_approver("H46", approver_entry(deputy.certificate), actor="test")
    pipeline.store.put(f"{prefix}a.p7s", sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer()))
    deputy_signer = KeySigner(deputy.private_key, deputy.certificate, pipeline.pki.load_intermediates())
    pipeline.store.put(f"{prefix}b.p7s", sign_detached(pipeline.manifest(batch_id), deputy_signer))
    first = _service(pipeline)
    _interleaved(first, _service(pipeline), f"{prefix}b.p7s")

    first.process_signature(f"{prefix}a.p7s")

    approval = pipeline.batch(batch_id)["approval"]
    record = json.loads(pipeline.store.get(approval["evidence_prefix"] + VERIFICATION_FILE))
    assert approval["signature_key"] == f"{prefix}b.p7s"
    assert record["signature"]["signer_fingerprint"] == approval["signer_fingerprint"]
    assert approval["signature_evidence_key"] == approval["evidence_prefix"] + SIGNATURE_FILE
    assert notice(pipeline, batch_id)["signature_key"] == f"{prefix}b.p7s"
    assert int((pipeline.state.get_agency("H46") or {})["batches_approved"]) == 1


def test_registry_window_at_signing_time(pipeline: LocalPipeline) -> None:
    # The approver's right ends two minutes after they sign. The decision comes ten minutes later
    # (after waiting for revocation data, say) and still counts the signature.
    batch_id = small_batch(pipeline, 0)
    now = datetime.now(UTC)
    certificate = pipeline.pki.approver_signer().certificate
    pipeline.state.put_approver("H46", approver_entry(certificate, valid_from=now - timedelta(days=1),
                                                      valid_until=now + timedelta(minutes=2)), actor="test")
    key = f"{BatchKeys('H46', batch_id).approval_prefix}phe-duyet.p7s"
    pipeline.store.put(key, sign_detached(pipeline.manifest(batch_id), pipeline.pki.approver_signer(),
                                          signing_time=now))

    outcome = _service(pipeline).process_signature(key, now=now + timedelta(minutes=10))

    assert outcome.state == "approved"


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
