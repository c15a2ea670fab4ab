"""The approve stage: decide an approver's signature over a batch manifest, then start the sync.

Batch states of this stage (``cbccvc.models.BatchState``)::

    validated ──┬─ signature verified, seal applied ─────────────▶ approved ──▶ (sync)
    rejected* ──┤─ approver's fault (``checks`` module) ───────────▶ rejected (stage "approval")
    approval_pending ─┴─ cannot decide yet (revocation unknown,
                         no trust anchors, seal unavailable) ───────▶ approval_pending

    * only a batch rejected at the approval stage; one rejected by validation stays rejected.

A pending batch is listed in the state table. It is checked again, with the same signature, when
a CRL arrives under the CRL prefix and on the stage's hourly schedule. A new signature for it is
checked like any other. Agency counters: ``batches_approved`` and ``approvals_rejected`` count
decisions, ``approvals_pending`` is the number of batches waiting now (+1 on entering the
state, -1 on leaving it). Every move is a conditional write, so a repeated event changes
nothing twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from cbccvc.approval.checks import (
    ApprovalChecker,
    ApprovalPendingError,
    ApprovalPolicy,
    ApprovalRejectedError,
    VerifiedApproval,
)
from cbccvc.approval.evidence import EVIDENCE_FORMAT, SEAL_FILE, ZIP_FILE, EvidenceBundle
from cbccvc.approval.seal import Sealer
from cbccvc.messages import Language, render
from cbccvc.models import BatchKeys, BatchState, sha256_hex
from cbccvc.observability import logger, metrics
from cbccvc.signing.result import VerificationResult
from cbccvc.signing.revocation import RevocationFetcher
from cbccvc.state.repository import StateRepository
from cbccvc.storage import ObjectStore
from cbccvc.sync.queue import SyncQueue

APPROVALS_PREFIX = "approvals/"
SIGNATURE_EXTENSIONS = (".p7s", ".p7m")
# A batch may be approved from these states: freshly validated, after an earlier signature was
# rejected, or while an earlier signature waits.
APPROVABLE_STATES = (BatchState.VALIDATED, BatchState.REJECTED, BatchState.APPROVAL_PENDING)
# States in which a repeated approval event only re-sends the sync start (the first send may have failed).
ALREADY_APPROVED_STATES = (BatchState.APPROVED,)


@dataclass(frozen=True, slots=True)
class ApprovalKey:
    agency_code: str
    batch_id: str
    key: str


def parse_approval_key(key: str) -> ApprovalKey | None:
    """Split ``approvals/{agency}/{batch}/{name}.p7s``; None if the key has another form.

    Signing tools also name detached CMS files .p7m, and Windows users type upper case, so the
    extension and the agency code are matched without regard to case.
    """
    parts = key.split("/")
    if len(parts) != 4 or parts[0] + "/" != APPROVALS_PREFIX:
        return None
    if not parts[3].lower().endswith(SIGNATURE_EXTENSIONS):
        return None
    return ApprovalKey(agency_code=parts[1].upper(), batch_id=parts[2], key=key)


@dataclass(frozen=True, slots=True)
class ApproveOutcome:
    batch_id: str | None
    state: str
    reason_code: str | None = None


class ApproveService:
    def __init__(
        self,
        *,
        store: ObjectStore,
        state: StateRepository,
        queue: SyncQueue,
        trust_anchors_prefix: str,
        crl_prefix: str,
        policy: ApprovalPolicy | None = None,
        fetcher: RevocationFetcher | None = None,
        sealer: Sealer | None = None,
    ) -> None:
        """Build the stage; ``policy`` sets the freshness limit (its prefixes give way to the two arguments)."""
        self.store = store
        self.state = state
        self.queue = queue
        self.policy = replace(policy or ApprovalPolicy(), trust_anchors_prefix=trust_anchors_prefix,
                              crl_prefix=crl_prefix)
        self.checker = ApprovalChecker(store=store, state=state, policy=self.policy, fetcher=fetcher, sealer=sealer)

    def handle_object_created(self, key: str, *, now: datetime | None = None) -> list[ApproveOutcome]:
        """Handle an S3 ObjectCreated key: a new CRL re-checks pending approvals, anything else is a signature."""
        if key.startswith(self.policy.crl_prefix):
            logger.info("crl_arrived", object_key=key)
            return self.recheck_pending(now=now)
        return [self.process_signature(key, now=now)]

    def recheck_pending(self, *, now: datetime | None = None) -> list[ApproveOutcome]:
        """Check every waiting approval again with its signature; drop listings of batches no longer waiting.

        NOTE: the batches are checked one after another in one invocation, each with its own CRL and
        OCSP fetches, so hundreds of waiting batches could outlast the function's 120 s timeout.
        """
        outcomes = []
        for listing in self.state.list_pending_approvals():
            batch = self.state.get_batch(listing["batch_id"])
            if batch is None or batch["state"] != BatchState.APPROVAL_PENDING:
                self.state.remove_pending_approval(listing["batch_id"])
                continue
            outcomes.append(self.process_signature(batch["approval_pending"]["signature_key"], now=now))
        logger.info("pending_approvals_rechecked", count=len(outcomes),
                    approved=sum(1 for outcome in outcomes if outcome.state == BatchState.APPROVED))
        return outcomes

    def process_signature(self, key: str, *, now: datetime | None = None) -> ApproveOutcome:
        approval = parse_approval_key(key)
        if approval is None:
            logger.error("approval_key_invalid", code="APPROVAL_KEY_INVALID")
            return ApproveOutcome(batch_id=None, state="ignored", reason_code="APPROVAL_KEY_INVALID")
        logger.append_keys(batch_id=approval.batch_id, agency_code=approval.agency_code)

        batch = self.state.get_batch(approval.batch_id)
        refusal = self._refusal(approval, batch)
        if refusal is not None or batch is None:
            return refusal or ApproveOutcome(batch_id=approval.batch_id, state="ignored", reason_code="BATCH_NOT_FOUND")
        state = BatchState(batch["state"])

        moment = now or datetime.now(UTC)
        try:
            verified = self.checker.check(approval.agency_code, approval.batch_id, approval.key, batch, moment)
        except ApprovalRejectedError as rejection:
            return self._reject(approval, state, rejection.code, rejection.params)
        except ApprovalPendingError as pending:
            return self._wait(approval, batch, state, pending, moment)
        if not self.state.claim_nonce(verified.manifest.nonce, approval.batch_id):
            return self._reject(approval, state, "MANIFEST_REPLAYED", {})
        return self._approve(approval, state, verified, moment)

    def _refusal(self, approval: ApprovalKey, batch: dict[str, Any] | None) -> ApproveOutcome | None:
        """Return the outcome for a batch that cannot be approved now, or None when its signature is to be checked."""
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
        return None

    # --- outcomes -------------------------------------------------------------------------

    def _approve(self, approval: ApprovalKey, state: BatchState, verified: VerifiedApproval,
                 now: datetime) -> ApproveOutcome:
        keys = BatchKeys(approval.agency_code, approval.batch_id)
        details = _approval_details(approval.key, verified, now)
        bundle = _evidence_bundle(verified, details, self.policy)
        for name, data in bundle.files().items():
            self.store.put(keys.evidence_prefix + name, data, content_type=_content_type(name))
        self.store.put(keys.evidence_prefix + ZIP_FILE, bundle.zip_bytes(), content_type="application/zip")
        details["evidence_prefix"] = keys.evidence_prefix
        if verified.seal is not None:
            details["seal_key"] = keys.evidence_prefix + SEAL_FILE

        moved = self.state.transition(
            approval.batch_id, approval.agency_code,
            from_states=[state], to_state=BatchState.APPROVED,
            updates={"approval": details, "rejection": None, "approval_pending": None},
            agency_counters=_leaving(state, {"batches_approved": 1}),
            agency_updates={"last_approved_at": details["verified_at"]},
        )
        if moved:
            self._unlist(approval, state)
            self.queue.send_plan(approval.batch_id)
            metrics.add_metric(name="BatchesApproved", unit="Count", value=1)
        logger.info("batch_approved", moved=moved, sealed=verified.seal is not None)
        self._notify(approval, "APPROVAL_ACCEPTED", {"batch_id": approval.batch_id,
                                                     "signer": details.get("signer_subject") or ""})
        return ApproveOutcome(batch_id=approval.batch_id, state=BatchState.APPROVED.value)

    def _reject(self, approval: ApprovalKey, state: BatchState, code: str, params: dict[str, str]) -> ApproveOutcome:
        moved = self.state.transition(
            approval.batch_id, approval.agency_code,
            from_states=[state], to_state=BatchState.REJECTED,
            updates={"rejection": {"stage": "approval", "code": code, "params": params,
                                   "signature_key": approval.key},
                     "approval_pending": None},
            agency_counters=_leaving(state, {"approvals_rejected": 1}),
        )
        if moved:
            self._unlist(approval, state)
        logger.warning("approval_rejected", code=code)
        metrics.add_metric(name="ApprovalsRejected", unit="Count", value=1)
        self._notify(approval, code, params)
        return ApproveOutcome(batch_id=approval.batch_id, state=BatchState.REJECTED.value, reason_code=code)

    def _wait(self, approval: ApprovalKey, batch: dict[str, Any], state: BatchState,
              pending: ApprovalPendingError, now: datetime) -> ApproveOutcome:
        previous = batch.get("approval_pending") or {}
        waiting_already = state is BatchState.APPROVAL_PENDING
        same_signature = waiting_already and previous.get("signature_key") == approval.key
        record = {
            "code": pending.code,
            "params": pending.params,
            "signature_key": approval.key,
            "since": previous.get("since", now.isoformat()) if same_signature else now.isoformat(),
            "last_checked_at": now.isoformat(),
            "attempts": int(previous.get("attempts", 0)) + 1 if same_signature else 1,
        }
        # Listed before the move, so a crash in between leaves a listing the next re-check drops,
        # never a waiting batch that nothing lists.
        self.state.put_pending_approval(approval.batch_id, approval.agency_code, approval.key)
        moved = self.state.transition(
            approval.batch_id, approval.agency_code,
            from_states=[state], to_state=BatchState.APPROVAL_PENDING,
            updates={"approval_pending": record, "rejection": None},
            agency_counters={} if waiting_already else {"approvals_pending": 1},
        )
        logger.warning("approval_pending", code=pending.code, attempts=record["attempts"], moved=moved)
        metrics.add_metric(name="ApprovalsPending", unit="Count", value=1)
        self._notify(approval, pending.code, pending.params, waiting=True)
        return ApproveOutcome(batch_id=approval.batch_id, state=BatchState.APPROVAL_PENDING.value,
                              reason_code=pending.code)

    def _notify(self, approval: ApprovalKey, code: str, params: dict[str, str], *, waiting: bool = False) -> None:
        """Write the decision beside the batch's report, so the approver learns it without the state table."""
        keys = BatchKeys(approval.agency_code, approval.batch_id)
        try:
            message = render(code, Language.VI, **params)
        except KeyError:
            logger.error("approval_message_missing", code=code)
            message = code
        notice = {"batch_id": approval.batch_id, "signature_key": approval.key, "code": code,
                  "outcome": "waiting" if waiting else ("approved" if code == "APPROVAL_ACCEPTED" else "rejected"),
                  "message": render("APPROVAL_WAITING", Language.VI, reason=message) if waiting else message,
                  "decided_at": datetime.now(UTC).isoformat()}
        self.store.put(keys.approval_result, json.dumps(notice, ensure_ascii=False, indent=1).encode("utf-8"),
                       content_type="application/json")

    def _unlist(self, approval: ApprovalKey, state: BatchState) -> None:
        if state is BatchState.APPROVAL_PENDING:
            self.state.remove_pending_approval(approval.batch_id)


def _leaving(state: BatchState, counters: dict[str, int]) -> dict[str, int]:
    """Add the decrement of the pending gauge when the batch leaves approval_pending."""
    if state is BatchState.APPROVAL_PENDING:
        return {**counters, "approvals_pending": -1}
    return counters


def _approval_details(signature_key: str, verified: VerifiedApproval, now: datetime) -> dict[str, Any]:
    result = verified.result
    details: dict[str, Any] = {
        "signature_key": signature_key,
        **_signer_details(result),
        "warnings": list(result.warnings),
        "revocation": [item.describe() for item in verified.revocation],
        "verified_at": now.isoformat(),
    }
    if verified.seal_result is not None:
        details["seal"] = _signer_details(verified.seal_result)
    return details


def _signer_details(result: VerificationResult) -> dict[str, Any]:
    return {
        "signer_subject": result.signer_subject,
        "signer_serial": result.signer_serial,
        "signer_fingerprint": result.signer_fingerprint_sha256,
        "signing_time": result.signing_time.isoformat() if result.signing_time else None,
        "signature_algorithm": result.signature_algorithm,
        "digest_algorithm": result.digest_algorithm,
        "legacy_padding": result.legacy_padding,
        "chain_subjects": list(result.chain_subjects),
    }


def _evidence_bundle(verified: VerifiedApproval, details: dict[str, Any], policy: ApprovalPolicy) -> EvidenceBundle:
    manifest = verified.manifest
    record: dict[str, Any] = {
        "format": EVIDENCE_FORMAT,
        "batch_id": manifest.batch_id,
        "agency_code": manifest.agency_code,
        "record_count": manifest.record_count,
        "records_sha256": manifest.records_sha256,
        "report_sha256": manifest.report_sha256,
        "manifest_sha256": sha256_hex(verified.manifest_bytes),
        "verified_at": details["verified_at"],
        "revocation_max_age_seconds": int(policy.revocation_max_age.total_seconds()),
        "signature": {name: value for name, value in details.items() if name not in ("revocation", "seal")},
        "approver": {name: verified.approver.get(name) for name in ("subject", "serial", "valid_from", "valid_until")},
        "revocation_fetch_failed": verified.fetch_failed,
    }
    if "seal" in details:
        record["seal"] = details["seal"]
    return EvidenceBundle(
        manifest=verified.manifest_bytes,
        signature=verified.signature,
        seal=verified.seal.signature if verified.seal is not None else None,
        trust_anchors=verified.trust_anchors,
        revocation=verified.revocation,
        verification=record,
        signature_chain=verified.result.certificate_chain,
        seal_chain=verified.seal_result.certificate_chain if verified.seal_result is not None else [],
    )


def _content_type(name: str) -> str:
    if name.endswith(".json"):
        return "application/json"
    if name.endswith(".p7s"):
        return "application/pkcs7-signature"
    if name.endswith(".pem"):
        return "application/x-pem-file"
    if name.endswith("-crl.der"):
        return "application/pkix-crl"
    if name.endswith("-ocsp.der"):
        return "application/ocsp-response"
    return "application/octet-stream"
