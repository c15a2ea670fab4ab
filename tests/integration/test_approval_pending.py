"""Approvals that wait: unknown revocation status and a missing seal hold the batch in approval_pending
until a new CRL or the hourly schedule lets the approve stage decide, with the agency counters kept right."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from cbccvc.approval.seal import SEALS_PREFIX
from cbccvc.messages import Language, render
from cbccvc.models import BatchKeys
from cbccvc_local.certificates import make_crl
from cbccvc_local.pipeline import LocalPipeline
from tests.conftest import load_event
from tests.integration.approval_support import small_batch

pytestmark = pytest.mark.integration

CRL_PREFIX = "config/crls/"


def _cut_off_revocation_data(pipeline: LocalPipeline) -> None:
    """Remove the stored CRLs and make the CA's publication point fail, as when the CA is unreachable."""
    for stored in list(pipeline.store.list(CRL_PREFIX)):
        pipeline.stack.client("s3").delete_object(Bucket=pipeline.stack.bucket, Key=stored.key)
    pipeline.emulator.add_faults([{"path_prefix": "/pki/", "kind": "status", "status": 503, "count": 1000}])


def _counters(pipeline: LocalPipeline) -> dict[str, int]:
    agency = pipeline.state.get_agency("H46") or {}
    return {name: int(agency.get(name, 0)) for name in ("approvals_pending", "batches_approved", "approvals_rejected")}


def _recheck_on_schedule(pipeline: LocalPipeline) -> list[dict[str, Any]]:
    result = pipeline.dispatcher.invoke("ApproveFunction", load_event("eventbridge-approval-recheck.json"))
    approvals: list[dict[str, Any]] = result["approvals"]
    return approvals


def test_pending_until_crl_arrives(pipeline: LocalPipeline) -> None:
    _cut_off_revocation_data(pipeline)
    batch_id = small_batch(pipeline, 0)

    outcome = pipeline.sign_and_upload(batch_id)

    assert outcome["state"] == "approval_pending"
    assert outcome["reason_code"] == "CERT_REVOCATION_UNKNOWN"
    pending = pipeline.batch(batch_id)["approval_pending"]
    assert pending["code"] == "CERT_REVOCATION_UNKNOWN"
    assert render(pending["code"], Language.VI, **pending["params"])
    assert [item["batch_id"] for item in pipeline.state.list_pending_approvals()] == [batch_id]
    assert _counters(pipeline) == {"approvals_pending": 1, "batches_approved": 0, "approvals_rejected": 0}

    # The operators publish the CA's CRL; its arrival re-checks the waiting approval.
    results = pipeline.dispatcher.upload(f"{CRL_PREFIX}issuing-ca.crl", pipeline.pki.issuing_crl_der.read_bytes())
    # Still waiting: the issuing CA's own certificate needs the root CA's CRL too.
    assert [outcome["state"] for outcome in results[0]["approvals"]] == ["approval_pending"]
    results = pipeline.dispatcher.upload(f"{CRL_PREFIX}root-ca.crl", pipeline.pki.root_crl_der.read_bytes())

    assert results[0]["approvals"] == [{"batch_id": batch_id, "state": "approved", "reason_code": None}]
    assert pipeline.batch(batch_id)["state"] == "approved"
    assert "approval_pending" not in pipeline.batch(batch_id)
    assert pipeline.state.list_pending_approvals() == []
    assert _counters(pipeline) == {"approvals_pending": 0, "batches_approved": 1, "approvals_rejected": 0}
    pipeline.run_sync()
    assert pipeline.batch(batch_id)["state"] == "synced"


def test_pending_counts_attempts(pipeline: LocalPipeline) -> None:
    _cut_off_revocation_data(pipeline)
    batch_id = small_batch(pipeline, 0)
    pipeline.sign_and_upload(batch_id)

    outcomes = _recheck_on_schedule(pipeline)

    assert [outcome["state"] for outcome in outcomes] == ["approval_pending"]
    assert int(pipeline.batch(batch_id)["approval_pending"]["attempts"]) == 2
    assert _counters(pipeline)["approvals_pending"] == 1


def test_stale_crl_is_unavailable(pipeline: LocalPipeline) -> None:
    _cut_off_revocation_data(pipeline)
    now = datetime.now(UTC)
    # Still before its nextUpdate, but issued longer ago than the 72-hour freshness limit.
    stale = make_crl(pipeline.pki.load_issuing_ca(), [], crl_number=50, this_update=now - timedelta(days=4),
                     next_update=now + timedelta(days=3))
    pipeline.store.put(f"{CRL_PREFIX}issuing-ca.crl", stale.public_bytes(serialization.Encoding.DER))
    pipeline.store.put(f"{CRL_PREFIX}root-ca.crl", pipeline.pki.root_crl_der.read_bytes())
    batch_id = small_batch(pipeline, 0)

    outcome = pipeline.sign_and_upload(batch_id)

    assert outcome["reason_code"] == "CERT_REVOCATION_UNKNOWN"
    # The CA's publication point is back: the scheduled re-check fetches a current CRL and decides.
    pipeline.emulator.clear_faults()
    outcomes = _recheck_on_schedule(pipeline)
    assert [outcome["state"] for outcome in outcomes] == ["approved"]
    sources = {item["source"] for item in pipeline.batch(batch_id)["approval"]["revocation"]}
    assert any(source.startswith(pipeline.pki.publication_url) for source in sources)


def test_rejected_upload_keeps_pending(pipeline: LocalPipeline) -> None:
    _cut_off_revocation_data(pipeline)
    batch_id = small_batch(pipeline, 0)
    pipeline.sign_and_upload(batch_id)
    pending_key = pipeline.batch(batch_id)["approval_pending"]["signature_key"]
    pipeline.emulator.clear_faults()

    revoked = pipeline.sign_and_upload(batch_id, signer=pipeline.pki.revoked_approver_signer(), name="thu-hoi.p7s")
    junk = pipeline.upload_signature(batch_id, b"junk", name="rac.p7s")

    assert (revoked["state"], revoked["reason_code"]) == ("approval_pending", "CERT_REVOKED")
    assert (junk["state"], junk["reason_code"]) == ("approval_pending", "SIG_MALFORMED")
    assert pipeline.batch(batch_id)["approval_pending"]["signature_key"] == pending_key
    assert [item["signature_key"] for item in pipeline.state.list_pending_approvals()] == [pending_key]
    notice = json.loads(pipeline.store.get(BatchKeys("H46", batch_id).approval_result))
    assert (notice["code"], notice["outcome"], notice["batch_state"]) == ("SIG_MALFORMED", "rejected",
                                                                          "approval_pending")
    assert _counters(pipeline) == {"approvals_pending": 1, "batches_approved": 0, "approvals_rejected": 0}
    # The CA is reachable again: the waiting signature, not the rejected uploads, approves the batch.
    assert [outcome["state"] for outcome in _recheck_on_schedule(pipeline)] == ["approved"]
    assert pipeline.batch(batch_id)["approval"]["signature_key"] == pending_key


def test_pending_until_seal_configured(pipeline: LocalPipeline) -> None:
    pipeline.stack.client("s3").delete_object(Bucket=pipeline.stack.bucket, Key=f"{SEALS_PREFIX}H46.pem")
    batch_id = small_batch(pipeline, 0)

    outcome = pipeline.sign_and_upload(batch_id)

    assert outcome["state"] == "approval_pending"
    assert outcome["reason_code"] == "SEAL_NOT_CONFIGURED"
    pipeline.certify_seal()
    assert [outcome["state"] for outcome in _recheck_on_schedule(pipeline)] == ["approved"]
    assert _counters(pipeline) == {"approvals_pending": 0, "batches_approved": 1, "approvals_rejected": 0}


def test_seal_for_other_agency_waits(pipeline: LocalPipeline) -> None:
    # The certificate stored for H46 is the seal certificate issued to agency H01.
    pipeline.agency_code = "H01"
    try:
        pipeline.state.register_agency("H01", "Cơ quan khác (demo)")
        pipeline.certify_seal()
    finally:
        pipeline.agency_code = "H46"
    pipeline.store.put(f"{SEALS_PREFIX}H46.pem", pipeline.store.get(f"{SEALS_PREFIX}H01.pem"))
    batch_id = small_batch(pipeline, 0)

    outcome = pipeline.sign_and_upload(batch_id)

    assert outcome["reason_code"] == "SEAL_NOT_CONFIGURED"
