"""The approve stage: verify an approver's signature over a batch manifest, then start the sync.

Checks, in order: the signature key names a batch of that agency in an approvable state; the
stored manifest, staged records and report are still the bytes the manifest was built from;
the signed manifest names this batch and has not expired; the CMS signature, its certificate
path and revocation; the signer is a registered approver of the agency; the manifest's nonce
was never used before. Any failure marks the batch rejected at the approval stage with a
reason code, and a later valid signature can still approve it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509

from cbccvc.models import BatchKeys, BatchState, Manifest, sha256_hex
from cbccvc.observability import logger, metrics
from cbccvc.signing.keys import load_pem_certificates
from cbccvc.signing.verification import verify_detached
from cbccvc.state.repository import StateRepository
from cbccvc.storage import ObjectNotFoundError, ObjectStore
from cbccvc.sync.queue import SyncQueue

APPROVALS_PREFIX = "approvals/"
# Tolerated difference between the signer's clock and the pipeline's.
CLOCK_SKEW = timedelta(minutes=5)
# A batch may be approved from these states: freshly validated, or after an earlier signature was rejected.
APPROVABLE_STATES = (BatchState.VALIDATED, BatchState.REJECTED)
# States in which a repeated approval event only re-sends the sync start (the first send may have failed).
ALREADY_APPROVED_STATES = (BatchState.APPROVED,)


@dataclass(frozen=True, slots=True)
class ApprovalKey:
    agency_code: str
    batch_id: str
    key: str


def parse_approval_key(key: str) -> ApprovalKey | None:
    """Split ``approvals/{agency}/{batch}/{name}.p7s``; None if the key has another form."""
    parts = key.split("/")
    if len(parts) != 4 or parts[0] + "/" != APPROVALS_PREFIX or not parts[3].lower().endswith(".p7s"):
        return None
    return ApprovalKey(agency_code=parts[1], batch_id=parts[2], key=key)


@dataclass(frozen=True, slots=True)
class ApproveOutcome:
    batch_id: str | None
    state: str
    reason_code: str | None = None


class _ApprovalRejectedError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}


class ApproveService:
    def __init__(self, *, store: ObjectStore, state: StateRepository, queue: SyncQueue,
                 trust_anchors_prefix: str, crl_prefix: str) -> None:
        self.store = store
        self.state = state
        self.queue = queue
        self.trust_anchors_prefix = trust_anchors_prefix
        self.crl_prefix = crl_prefix

    def process_signature(self, key: str, *, now: datetime | None = None) -> ApproveOutcome:
        approval = parse_approval_key(key)
        if approval is None:
            logger.error("approval_key_invalid", code="APPROVAL_KEY_INVALID")
            return ApproveOutcome(batch_id=None, state="ignored", reason_code="APPROVAL_KEY_INVALID")
        logger.append_keys(batch_id=approval.batch_id, agency_code=approval.agency_code)

        batch = self.state.get_batch(approval.batch_id)
        if batch is None or batch["agency_code"] != approval.agency_code:
            logger.error("approval_batch_not_found", code="BATCH_NOT_FOUND")
            return ApproveOutcome(batch_id=approval.batch_id, state="ignored", reason_code="BATCH_NOT_FOUND")
        state = BatchState(batch["state"])
        if state in ALREADY_APPROVED_STATES:
            self.queue.send_plan(approval.batch_id)
            logger.info("approval_repeated_sync_restarted")
            return ApproveOutcome(batch_id=approval.batch_id, state=state.value)
        if state not in APPROVABLE_STATES or (
            state is BatchState.REJECTED and batch.get("rejection", {}).get("stage") != "approval"
        ):
            logger.warning("approval_batch_not_approvable", state=state.value)
            return ApproveOutcome(batch_id=approval.batch_id, state=state.value, reason_code="BATCH_NOT_APPROVABLE")

        try:
            details = self._verify(approval, batch, now or datetime.now(UTC))
        except _ApprovalRejectedError as rejection:
            return self._reject(approval, state, rejection)
        return self._approve(approval, state, details)

    # --- verification ---------------------------------------------------------------------

    def _verify(self, approval: ApprovalKey, batch: dict[str, Any], now: datetime) -> dict[str, Any]:
        keys = BatchKeys(approval.agency_code, approval.batch_id)
        manifest_bytes = self._read(keys.manifest, "MANIFEST_TAMPERED")
        if sha256_hex(manifest_bytes) != batch.get("manifest_sha256"):
            raise _ApprovalRejectedError("MANIFEST_TAMPERED")
        manifest = Manifest.model_validate(json.loads(manifest_bytes))
        if manifest.batch_id != approval.batch_id or manifest.agency_code != approval.agency_code:
            raise _ApprovalRejectedError("MANIFEST_MISMATCH", signed_batch=manifest.batch_id,
                                         signed_agency=manifest.agency_code)
        if sha256_hex(self._read(keys.records, "RECORDS_CHANGED")) != manifest.records_sha256:
            raise _ApprovalRejectedError("RECORDS_CHANGED")
        if sha256_hex(self._read(keys.report_json, "REPORT_CHANGED")) != manifest.report_sha256:
            raise _ApprovalRejectedError("REPORT_CHANGED")
        if now > manifest.expires_at:
            raise _ApprovalRejectedError("MANIFEST_EXPIRED", expires_at=manifest.expires_at.isoformat())

        roots = self._trust_anchors()
        if not roots:
            raise _ApprovalRejectedError("TRUST_NOT_CONFIGURED")
        signature = self._read(approval.key, "SIG_MALFORMED")
        result = verify_detached(signature, manifest_bytes, trust_roots=roots, crls=self._crls())
        if not result.valid:
            logger.warning("signature_rejected", code=result.reason_code, detail=result.detail)
            raise _ApprovalRejectedError(result.reason_code or "SIG_INVALID", **result.params)

        # A signature cannot predate the manifest it signs. Checking this limits how far a holder
        # of an expired or revoked key can backdate the signing time the signer states.
        if result.signing_time is not None and result.signing_time < manifest.created_at - CLOCK_SKEW:
            raise _ApprovalRejectedError("SIGNING_TIME_BEFORE_MANIFEST", signing_time=result.signing_time.isoformat(),
                                         created_at=manifest.created_at.isoformat())

        fingerprint = result.signer_fingerprint_sha256 or ""
        approver = self.state.get_approver(approval.agency_code, fingerprint)
        if approver is None:
            raise _ApprovalRejectedError("SIGNER_NOT_AUTHORISED", signer=result.signer_subject or "",
                                         serial=result.signer_serial or "", agency=approval.agency_code)
        window_start = datetime.fromisoformat(approver["valid_from"])
        window_end = datetime.fromisoformat(approver["valid_until"])
        if not window_start <= now <= window_end:
            raise _ApprovalRejectedError("SIGNER_AUTHORISATION_EXPIRED", signer=result.signer_subject or "",
                                         valid_from=approver["valid_from"], valid_until=approver["valid_until"])
        if not self.state.claim_nonce(manifest.nonce, approval.batch_id):
            raise _ApprovalRejectedError("MANIFEST_REPLAYED")

        return {
            "signature_key": approval.key,
            "signer_subject": result.signer_subject,
            "signer_serial": result.signer_serial,
            "signer_fingerprint": fingerprint,
            "signing_time": result.signing_time.isoformat() if result.signing_time else None,
            "signature_algorithm": result.signature_algorithm,
            "legacy_padding": result.legacy_padding,
            "warnings": list(result.warnings),
            "verified_at": now.isoformat(),
        }

    def _read(self, key: str, missing_code: str) -> bytes:
        try:
            return self.store.get(key)
        except ObjectNotFoundError as error:
            logger.error("approval_object_missing", object_key=key, code=missing_code)
            raise _ApprovalRejectedError(missing_code) from error

    def _trust_anchors(self) -> list[x509.Certificate]:
        roots: list[x509.Certificate] = []
        for stored in self.store.list(self.trust_anchors_prefix):
            roots.extend(load_pem_certificates(self.store.get(stored.key)))
        return roots

    def _crls(self) -> list[bytes]:
        return [self.store.get(stored.key) for stored in self.store.list(self.crl_prefix)]

    # --- outcomes -------------------------------------------------------------------------

    def _approve(self, approval: ApprovalKey, state: BatchState, details: dict[str, Any]) -> ApproveOutcome:
        moved = self.state.transition(
            approval.batch_id, approval.agency_code,
            from_states=[state], to_state=BatchState.APPROVED,
            updates={"approval": details, "rejection": None},
            agency_counters={"batches_approved": 1},
            agency_updates={"last_approved_at": details["verified_at"]},
        )
        if moved:
            self.queue.send_plan(approval.batch_id)
            metrics.add_metric(name="BatchesApproved", unit="Count", value=1)
        logger.info("batch_approved", moved=moved)
        return ApproveOutcome(batch_id=approval.batch_id, state=BatchState.APPROVED.value)

    def _reject(self, approval: ApprovalKey, state: BatchState,
                rejection: _ApprovalRejectedError) -> ApproveOutcome:
        self.state.transition(
            approval.batch_id, approval.agency_code,
            from_states=[state], to_state=BatchState.REJECTED,
            updates={"rejection": {"stage": "approval", "code": rejection.code, "params": rejection.params,
                                   "signature_key": approval.key}},
            agency_counters={"approvals_rejected": 1},
        )
        logger.warning("approval_rejected", code=rejection.code)
        metrics.add_metric(name="ApprovalsRejected", unit="Count", value=1)
        return ApproveOutcome(batch_id=approval.batch_id, state=BatchState.REJECTED.value,
                              reason_code=rejection.code)
