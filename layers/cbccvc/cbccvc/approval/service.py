"""The approve stage: decide an approver's signature over a batch manifest, then start the sync.

Batch states of this stage (``cbccvc.models.BatchState``)::

    validated ──┬─ signature verified, seal applied ─────────────▶ approved ──▶ (sync)
    rejected* ──┤─ approver's fault (``checks`` module) ───────────▶ rejected (stage "approval")
    approval_pending ─┴─ cannot decide yet (revocation unknown,
                         no trust anchors, seal unavailable) ───────▶ approval_pending

    * only a batch rejected at the approval stage; one rejected by validation stays rejected.

A certificate must be valid and unrevoked when the batch is decided, whatever signing time the
signature states (``checks`` module). A pending batch is listed in the state table. It is checked
again, with the same signature, when a CRL arrives under the CRL prefix and on the stage's hourly
schedule. A new signature for it is checked like any other: a valid one approves the batch, one
that waits takes the pending one's place, and a rejected one leaves the batch waiting with its
earlier signature. Agency counters: ``batches_approved`` and ``approvals_rejected`` count
decisions, ``approvals_pending`` is the number of batches waiting now (+1 on entering the state,
-1 on leaving it). Every move is a conditional write, so a repeated event changes nothing twice,
and only the decision whose write moved the batch writes its notice and names its evidence.

Every upload under ``approvals/`` gets a Vietnamese notice: in the batch's
``approval/ket-qua-phe-duyet.json`` when the key names an existing batch of the agency in its
path, else under ``rejections/`` followed by the upload's key. The notice for an upload to a
batch that is already approved also goes under ``rejections/``, so the batch's notice keeps
naming the signature that approved it and its evidence. Signature files end in .p7s or .p7m,
in any case. template.yaml filters on the ``approvals/`` prefix only, because S3 suffix
filters match case-sensitively. Every upload therefore reaches the function, and a file with
another name, such as ``phe-duyet.sig``, gets its notice under ``rejections/`` too.
"""

from __future__ import annotations

import json
import secrets
import unicodedata
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
from cbccvc.approval.evidence import (
    SEAL_FILE,
    SIGNATURE_FILE,
    ZIP_FILE,
    ApprovalRecord,
    EvidenceBundle,
    signer_details,
    verification_record,
)
from cbccvc.approval.seal import Sealer
from cbccvc.messages import Language, render
from cbccvc.models import AGENCY_CODE_PATTERN, BatchKeys, BatchState, sha256_hex
from cbccvc.observability import logger, metrics
from cbccvc.signing.revocation import RevocationFetcher
from cbccvc.state.repository import StateRepository
from cbccvc.storage import ObjectStore
from cbccvc.sync.queue import SyncQueue

APPROVALS_PREFIX = "approvals/"
REJECTIONS_PREFIX = "rejections/"
SIGNATURE_EXTENSIONS = (".p7s", ".p7m")
# A batch may be approved from these states: freshly validated, after an earlier signature was
# rejected, or while an earlier signature waits.
APPROVABLE_STATES = (BatchState.VALIDATED, BatchState.REJECTED, BatchState.APPROVAL_PENDING)
# A decision retries its move this many times when another decision changed the batch meanwhile.
MAX_DECISION_ATTEMPTS = 3
# S3 keys are at most 1024 bytes of UTF-8.
MAX_KEY_BYTES = 1024


@dataclass(frozen=True, slots=True)
class ApprovalKey:
    agency_code: str
    batch_id: str
    key: str


class ApprovalKeyError(Exception):
    """An upload key that names no batch: ``code`` and ``params`` are the notice's message."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def parse_approval_key(key: str) -> ApprovalKey:
    """Split ``approvals/{agency}/{batch}/{name}.p7s``; raise ApprovalKeyError if the key has another form.

    Signing tools also name detached CMS files .p7m, and Windows users type upper case, so the
    extension and the agency code are matched without regard to case. An agency code with any
    character outside ASCII is rejected, even one that NFKC normalisation maps to ASCII (fullwidth
    Ｈ). Otherwise lookalike letters such as Cyrillic Н, and hidden characters such as a zero-width
    space, would make a folder that looks like another agency's.
    """
    parts = key.split("/")
    layout_ok = (
        len(parts) == 4
        and parts[0] + "/" == APPROVALS_PREFIX
        and all(part not in ("", ".", "..") for part in parts[1:])
        and parts[3].lower().endswith(SIGNATURE_EXTENSIONS)
    )
    if not layout_ok:
        raise ApprovalKeyError("APPROVAL_KEY_INVALID", key=key)
    agency = parts[1]
    if not agency.isascii() or unicodedata.normalize("NFKC", agency) != agency:
        # ascii() shows hidden and lookalike characters as \uXXXX escapes.
        raise ApprovalKeyError("APPROVAL_AGENCY_INVALID", agency=ascii(agency)[1:-1])
    if not AGENCY_CODE_PATTERN.match(agency.upper()):
        raise ApprovalKeyError("APPROVAL_KEY_INVALID", key=key)
    return ApprovalKey(agency_code=agency.upper(), batch_id=parts[2], key=key)


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
        found = self._find_batch(key)
        if isinstance(found, ApproveOutcome):
            return found
        approval, batch = found
        if not _approvable(batch):
            return self._not_approvable(approval, batch, BatchState(batch["state"]))

        moment = now or datetime.now(UTC)
        try:
            verified = self.checker.check(approval.agency_code, approval.batch_id, approval.key, batch, moment)
        except ApprovalRejectedError as rejection:
            return self._reject(approval, batch, rejection.code, rejection.params)
        except ApprovalPendingError as pending:
            return self._wait(approval, batch, pending, moment)
        if not self.state.claim_nonce(verified.manifest.nonce, approval.batch_id):
            return self._reject(approval, batch, "MANIFEST_REPLAYED", {})
        return self._approve(approval, BatchState(batch["state"]), verified, moment)

    def _find_batch(self, key: str) -> tuple[ApprovalKey, dict[str, Any]] | ApproveOutcome:
        """Return the upload's batch, or the outcome of an upload that names no batch of its agency."""
        try:
            approval = parse_approval_key(key)
        except ApprovalKeyError as error:
            logger.error("approval_key_invalid", code=error.code)
            self._note_ignored(key, error.code, error.params)
            return ApproveOutcome(batch_id=None, state="ignored", reason_code=error.code)
        logger.append_keys(batch_id=approval.batch_id, agency_code=approval.agency_code)

        batch = self.state.get_batch(approval.batch_id)
        if batch is None or batch["agency_code"] != approval.agency_code:
            # Another agency's batch is "not found" too: its folder belongs to that agency.
            logger.error("approval_batch_not_found", code="BATCH_NOT_FOUND")
            self._note_ignored(key, "BATCH_NOT_FOUND", {"batch_id": approval.batch_id, "agency": approval.agency_code})
            return ApproveOutcome(batch_id=approval.batch_id, state="ignored", reason_code="BATCH_NOT_FOUND")
        return approval, batch

    def _not_approvable(self, approval: ApprovalKey, batch: dict[str, Any], state: BatchState) -> ApproveOutcome:
        """Respond to an upload for a batch that is past approval or not yet validated, changing nothing."""
        approved_key = (batch.get("approval") or {}).get("signature_key")
        if approved_key == approval.key:
            # The event of the signature that approved the batch, delivered again: S3 may repeat
            # events, and the first sync start may have been lost.
            if state is BatchState.APPROVED:
                self.queue.send_plan(approval.batch_id)
                logger.info("approval_repeated_sync_restarted")
            return ApproveOutcome(batch_id=approval.batch_id, state=state.value)
        logger.warning("approval_batch_not_approvable", state=state.value)
        params = {"batch_id": approval.batch_id, "state": render(f"state.{state.value}", Language.VI)}
        if approved_key is not None:
            # The batch's notice names the signature that approved it and its evidence, so the
            # notice for this upload goes beside the upload's key instead.
            self._note_ignored(approval.key, "BATCH_NOT_APPROVABLE", params)
        else:
            self._notify(approval, state, "BATCH_NOT_APPROVABLE", render("BATCH_NOT_APPROVABLE", Language.VI, **params),
                         outcome="ignored")
        return ApproveOutcome(batch_id=approval.batch_id, state=state.value, reason_code="BATCH_NOT_APPROVABLE")

    # --- outcomes -------------------------------------------------------------------------

    def _approve(self, approval: ApprovalKey, state: BatchState, verified: VerifiedApproval,
                 now: datetime) -> ApproveOutcome:
        keys = BatchKeys(approval.agency_code, approval.batch_id)
        signature_sha256 = sha256_hex(verified.signature)
        # One folder per decision: a decision that loses the race below leaves its files unreferenced.
        prefix = f"{keys.evidence_prefix}{signature_sha256[:16]}-{secrets.token_hex(4)}/"
        details = _approval_details(approval.key, prefix, verified, now)
        bundle = _evidence_bundle(verified, approval.key, prefix, now, self.policy)
        for name, data in bundle.files().items():
            self.store.put(prefix + name, data, content_type=_content_type(name))
        self.store.put(prefix + ZIP_FILE, bundle.zip_bytes(), content_type="application/zip")

        for _ in range(MAX_DECISION_ATTEMPTS):
            moved = self.state.transition(
                approval.batch_id, approval.agency_code,
                from_states=[state], to_state=BatchState.APPROVED,
                updates={"approval": details, "rejection": None, "approval_pending": None},
                agency_counters=_leaving(state, {"batches_approved": 1}),
                agency_updates={"last_approved_at": details["verified_at"]},
                **_approval_rejection_only(state),
            )
            if moved:
                break
            # Another decision moved the batch meanwhile. A rejection or a waiting signature gives
            # way to this valid one; an approval does not.
            current = self.state.get_batch(approval.batch_id)
            if current is None or not _approvable(current):
                return self._superseded(approval, current)
            state = BatchState(current["state"])
        else:
            return self._superseded(approval, self.state.get_batch(approval.batch_id))

        self._unlist(approval, state)
        self.queue.send_plan(approval.batch_id)
        metrics.add_metric(name="BatchesApproved", unit="Count", value=1)
        logger.info("batch_approved", sealed=verified.seal is not None)
        message = render("APPROVAL_ACCEPTED", Language.VI, batch_id=approval.batch_id,
                         signer=details.get("signer_subject") or "")
        self._notify(approval, BatchState.APPROVED, "APPROVAL_ACCEPTED", message, outcome="approved",
                     evidence_prefix=prefix)
        return ApproveOutcome(batch_id=approval.batch_id, state=BatchState.APPROVED.value)

    def _reject(self, approval: ApprovalKey, batch: dict[str, Any], code: str,
                params: dict[str, str]) -> ApproveOutcome:
        state = BatchState(batch["state"])
        metrics.add_metric(name="ApprovalsRejected", unit="Count", value=1)
        pending_key = (batch.get("approval_pending") or {}).get("signature_key")
        if state is BatchState.APPROVAL_PENDING and pending_key != approval.key:
            # Another upload must not cancel a signature that waits only for revocation data or the seal.
            logger.warning("approval_rejected_while_pending", code=code)
            message = render("APPROVAL_REJECTED_WHILE_PENDING", Language.VI, reason=_reason(code, params),
                             pending_key=pending_key or "")
            self._notify(approval, state, code, message, outcome="rejected")
            return ApproveOutcome(batch_id=approval.batch_id, state=state.value, reason_code=code)

        moved = self.state.transition(
            approval.batch_id, approval.agency_code,
            from_states=[state], to_state=BatchState.REJECTED,
            updates={"rejection": {"stage": "approval", "code": code, "params": params,
                                   "signature_key": approval.key},
                     "approval_pending": None},
            agency_counters=_leaving(state, {"approvals_rejected": 1}),
            **_approval_rejection_only(state),
        )
        logger.warning("approval_rejected", code=code, moved=moved)
        if not moved:
            return self._superseded(approval, self.state.get_batch(approval.batch_id), code)
        self._unlist(approval, state)
        self._notify(approval, BatchState.REJECTED, code, _reason(code, params), outcome="rejected")
        return ApproveOutcome(batch_id=approval.batch_id, state=BatchState.REJECTED.value, reason_code=code)

    def _wait(self, approval: ApprovalKey, batch: dict[str, Any], pending: ApprovalPendingError,
              now: datetime) -> ApproveOutcome:
        state = BatchState(batch["state"])
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
            **_approval_rejection_only(state),
        )
        logger.warning("approval_pending", code=pending.code, attempts=record["attempts"], moved=moved)
        if not moved:
            return self._superseded(approval, self.state.get_batch(approval.batch_id), pending.code)
        metrics.add_metric(name="ApprovalsPending", unit="Count", value=1)
        message = render("APPROVAL_WAITING", Language.VI, reason=_reason(pending.code, pending.params))
        self._notify(approval, BatchState.APPROVAL_PENDING, pending.code, message, outcome="waiting")
        return ApproveOutcome(batch_id=approval.batch_id, state=BatchState.APPROVAL_PENDING.value,
                              reason_code=pending.code)

    def _superseded(self, approval: ApprovalKey, current: dict[str, Any] | None,
                    code: str | None = None) -> ApproveOutcome:
        """Return the outcome of a decision another one overtook; the winner wrote the notice."""
        state = current["state"] if current is not None else "ignored"
        logger.warning("approval_decision_superseded", state=state, code=code)
        return ApproveOutcome(batch_id=approval.batch_id, state=state, reason_code=code)

    # --- notices --------------------------------------------------------------------------

    def _notify(self, approval: ApprovalKey, batch_state: BatchState, code: str, message: str, *, outcome: str,
                evidence_prefix: str | None = None) -> None:
        """Write the response to an upload beside the batch's report, so the approver learns it without the state table.

        ``outcome`` is what happened to the upload (approved, rejected, waiting, ignored) and
        ``batch_state`` the batch's state afterwards, which a rejected upload may leave unchanged.
        """
        keys = BatchKeys(approval.agency_code, approval.batch_id)
        notice: dict[str, Any] = {
            "batch_id": approval.batch_id, "signature_key": approval.key, "code": code, "outcome": outcome,
            "batch_state": batch_state.value, "message": message, "decided_at": datetime.now(UTC).isoformat(),
        }
        if evidence_prefix is not None:
            notice["evidence_prefix"] = evidence_prefix
        self.store.put(keys.approval_result, json.dumps(notice, ensure_ascii=False, indent=1).encode("utf-8"),
                       content_type="application/json")

    def _note_ignored(self, key: str, code: str, params: dict[str, str]) -> None:
        """Write the response to an upload that names no batch of its agency, under rejections/ and the upload's key."""
        note_key = f"{REJECTIONS_PREFIX}{key}.json"
        if len(note_key.encode("utf-8")) > MAX_KEY_BYTES:
            note_key = f"{REJECTIONS_PREFIX}{APPROVALS_PREFIX}{sha256_hex(key.encode('utf-8'))[:32]}.json"
        note = {"key": key, "code": code, "outcome": "ignored", "message": _reason(code, params),
                "decided_at": datetime.now(UTC).isoformat()}
        self.store.put(note_key, json.dumps(note, ensure_ascii=False, indent=1).encode("utf-8"),
                       content_type="application/json")

    def _unlist(self, approval: ApprovalKey, state: BatchState) -> None:
        if state is BatchState.APPROVAL_PENDING:
            self.state.remove_pending_approval(approval.batch_id)


def _approvable(batch: dict[str, Any]) -> bool:
    state = BatchState(batch["state"])
    if state is BatchState.REJECTED:
        return (batch.get("rejection") or {}).get("stage") == "approval"
    return state in APPROVABLE_STATES


def _approval_rejection_only(state: BatchState) -> dict[str, Any]:
    """Condition a move out of ``rejected`` on an approval-stage rejection: a batch validation rejected stays so."""
    if state is not BatchState.REJECTED:
        return {}
    return {"extra_condition": "rejection.stage = :approval_stage", "extra_values": {":approval_stage": "approval"}}


def _reason(code: str, params: dict[str, str]) -> str:
    try:
        return render(code, Language.VI, **params)
    except KeyError:
        logger.error("approval_message_missing", code=code)
        return render("APPROVAL_REASON_UNKNOWN", Language.VI)


def _leaving(state: BatchState, counters: dict[str, int]) -> dict[str, int]:
    """Add the decrement of the pending gauge when the batch leaves approval_pending."""
    if state is BatchState.APPROVAL_PENDING:
        return {**counters, "approvals_pending": -1}
    return counters


def _approval_details(signature_key: str, evidence_prefix: str, verified: VerifiedApproval,
                      now: datetime) -> dict[str, Any]:
    """Describe the approval for the batch record; the sync reads the signature and seal from the evidence copies."""
    result = verified.result
    details: dict[str, Any] = {
        "signature_key": signature_key,
        "signature_sha256": sha256_hex(verified.signature),
        **signer_details(result),
        "warnings": list(result.warnings),
        "revocation": [item.describe() for item in verified.revocation],
        "verified_at": now.isoformat(),
        "evidence_prefix": evidence_prefix,
        "signature_evidence_key": evidence_prefix + SIGNATURE_FILE,
    }
    if verified.seal_result is not None:
        details["seal"] = signer_details(verified.seal_result)
    if verified.seal is not None:
        details["seal_key"] = evidence_prefix + SEAL_FILE
    return details


def _evidence_bundle(verified: VerifiedApproval, signature_key: str, evidence_prefix: str, now: datetime,
                     policy: ApprovalPolicy) -> EvidenceBundle:
    record = ApprovalRecord(signature_key=signature_key, evidence_prefix=evidence_prefix, verified_at=now,
                            revocation_max_age=policy.revocation_max_age, approver=verified.approver,
                            fetch_failed=verified.fetch_failed)
    document = verification_record(verified.manifest, verified.manifest_bytes, signature=verified.signature,
                                   result=verified.result, seal_result=verified.seal_result, record=record)
    return EvidenceBundle(
        manifest=verified.manifest_bytes,
        signature=verified.signature,
        seal=verified.seal.signature if verified.seal is not None else None,
        trust_anchors=verified.trust_anchors,
        revocation=verified.revocation,
        verification=document,
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
