"""What an approval must prove before a batch may be synced, and the agency seal applied after it.

Checks, in order:
1. the stored manifest, staged records and report are still the bytes the manifest was built from;
2. the signed manifest names this batch and has not expired;
3. the signature file is at most 64 KiB (checked before it is read), and its CMS signature is valid;
4. the signing time lies neither in the future nor before the manifest (more than the clock skew);
5. the signer's certificate is valid and unrevoked at the decision time, not at the signing time
   the signer states: a signing time can be backdated, so a stolen key whose certificate was
   revoked, or a certificate that expired, approves nothing;
6. the signer is a registered approver of the agency, within their approval window at the signing
   time (at the decision time when the signature states none).
Then the agency's seal is applied to the same manifest and verified like the approver's signature.

A failure the approver caused rejects the approval (ApprovalRejectedError). A failure the
approver cannot fix, and that may clear by itself or through the operators, makes the approval
wait (ApprovalPendingError): unknown revocation status (no fresh CRL or OCSP response), path
validation that did not finish in time, no trust anchors configured, or a seal that cannot be
applied or does not verify.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from pydantic import ValidationError

from cbccvc.approval.registry import within_window
from cbccvc.approval.seal import Seal, Sealer, SealUnavailableError
from cbccvc.models import BatchKeys, Manifest, sha256_hex
from cbccvc.observability import logger
from cbccvc.signing.certpath import format_time
from cbccvc.signing.keys import load_pem_certificates
from cbccvc.signing.result import ReasonCode, VerificationResult, WarningCode
from cbccvc.signing.revocation import (
    FetchOutcome,
    RevocationFetcher,
    RevocationItem,
    RevocationSelection,
    select_fresh,
)
from cbccvc.signing.verification import (
    MAX_SIGNATURE_BYTES,
    embedded_certificates,
    signature_der,
    verify_detached,
)
from cbccvc.state.repository import StateRepository
from cbccvc.storage import ObjectNotFoundError, ObjectStore

# Tolerated difference between the signer's clock and the pipeline's.
CLOCK_SKEW = timedelta(minutes=5)
# Revocation data issued longer ago than this is not relied on. CAs publish CRLs at least daily
# with a nextUpdate days ahead; three days leaves room for a missed publication.
DEFAULT_REVOCATION_MAX_AGE = timedelta(hours=72)
# Results that may change without a new signature: the approval waits and is checked again.
PENDING_REASONS = frozenset({ReasonCode.CERT_REVOCATION_UNKNOWN, ReasonCode.CERT_PATH_TIMEOUT})


class ApprovalRejectedError(Exception):
    """The approval is rejected with ``code``; a new signature may still approve the batch."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}


class ApprovalPendingError(Exception):
    """The approval cannot be decided now; it waits with ``code`` and is checked again later."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}


@dataclass(frozen=True, slots=True)
class ApprovalPolicy:
    """Locations of the approve stage's trust configuration, and the freshness limit of revocation data."""

    trust_anchors_prefix: str = "config/trust-anchors/"
    crl_prefix: str = "config/crls/"
    revocation_max_age: timedelta = DEFAULT_REVOCATION_MAX_AGE


@dataclass(frozen=True, slots=True)
class VerifiedApproval:
    """Everything a successful check established, for the batch record and the evidence bundle."""

    manifest: Manifest
    manifest_bytes: bytes
    # The signature as verified (DER, also when the upload was PEM): the evidence copy, which the sync sends.
    signature: bytes
    result: VerificationResult
    approver: dict[str, Any]
    trust_anchors: list[x509.Certificate]
    revocation: list[RevocationItem]
    seal: Seal | None = None
    seal_result: VerificationResult | None = None
    fetch_failed: list[str] = field(default_factory=list)


class ApprovalChecker:
    def __init__(
        self,
        *,
        store: ObjectStore,
        state: StateRepository,
        policy: ApprovalPolicy,
        fetcher: RevocationFetcher | None = None,
        sealer: Sealer | None = None,
    ) -> None:
        self.store = store
        self.state = state
        self.policy = policy
        self.fetcher = fetcher
        self.sealer = sealer

    def check(self, agency_code: str, batch_id: str, signature_key: str, batch: dict[str, Any],
              now: datetime) -> VerifiedApproval:
        """Run every check for the signature at ``signature_key``.

        Raises ApprovalRejectedError or ApprovalPendingError; returns what was verified otherwise.
        """
        manifest_bytes, manifest = self._check_batch_files(agency_code, batch_id, batch, now)

        roots = self._trust_anchors()
        if not roots:
            raise ApprovalPendingError("TRUST_NOT_CONFIGURED")
        signature = self._read_signature(signature_key)
        revocation, fetch = self._revocation(embedded_certificates(signature) + roots, now)
        result = verify_detached(
            signature,
            manifest_bytes,
            trust_roots=roots,
            crls=revocation.crls,
            ocsp_responses=revocation.ocsp_responses,
            require_revocation=True,
            at=now,
            now=now,
            earliest_signing_time=manifest.created_at - CLOCK_SKEW,
        )
        result = _with_revocation_warnings(result, len(revocation.stale), len(fetch.failed))
        if result.reason_code == ReasonCode.SIG_TIME_TOO_EARLY and result.signing_time is not None:
            raise ApprovalRejectedError("SIGNING_TIME_BEFORE_MANIFEST", signing_time=format_time(result.signing_time),
                                        created_at=format_time(manifest.created_at))
        undecided = result.reason_code in PENDING_REASONS
        if not result.valid and not undecided:
            logger.warning("signature_rejected", code=result.reason_code, detail=result.detail)
            raise ApprovalRejectedError(result.reason_code or ReasonCode.SIG_INVALID, **result.params)

        approver = self._check_registry(agency_code, result, now)
        if undecided:
            logger.info("approval_undecided", code=result.reason_code, stale=len(revocation.stale),
                        fetch_failed=len(fetch.failed))
            raise ApprovalPendingError(result.reason_code or ReasonCode.CERT_REVOCATION_UNKNOWN, **result.params)

        verified = VerifiedApproval(manifest, manifest_bytes, signature, result, approver, roots,
                                    list(revocation.fresh), fetch_failed=list(fetch.failed))
        return self._seal(agency_code, verified, now)

    # --- the batch's files ----------------------------------------------------------------

    def _check_batch_files(self, agency_code: str, batch_id: str, batch: dict[str, Any],
                           now: datetime) -> tuple[bytes, Manifest]:
        keys = BatchKeys(agency_code, batch_id)
        manifest_bytes = self._read(keys.manifest, "MANIFEST_TAMPERED")
        if sha256_hex(manifest_bytes) != batch.get("manifest_sha256"):
            raise ApprovalRejectedError("MANIFEST_TAMPERED")
        try:
            manifest = Manifest.model_validate(json.loads(manifest_bytes))
        except (json.JSONDecodeError, UnicodeDecodeError, ValidationError):
            raise ApprovalRejectedError("MANIFEST_TAMPERED") from None
        if manifest.batch_id != batch_id or manifest.agency_code != agency_code:
            raise ApprovalRejectedError("MANIFEST_MISMATCH", signed_batch=manifest.batch_id,
                                        signed_agency=manifest.agency_code)
        if sha256_hex(self._read(keys.records, "RECORDS_CHANGED")) != manifest.records_sha256:
            raise ApprovalRejectedError("RECORDS_CHANGED")
        if sha256_hex(self._read(keys.report_json, "REPORT_CHANGED")) != manifest.report_sha256:
            raise ApprovalRejectedError("REPORT_CHANGED")
        if now > manifest.expires_at:
            raise ApprovalRejectedError("MANIFEST_EXPIRED", expires_at=format_time(manifest.expires_at))
        return manifest_bytes, manifest

    # --- the signer -----------------------------------------------------------------------

    def _check_registry(self, agency_code: str, result: VerificationResult, now: datetime) -> dict[str, Any]:
        approver = self.state.get_approver(agency_code, result.signer_fingerprint_sha256 or "")
        if approver is None:
            raise ApprovalRejectedError("SIGNER_NOT_AUTHORISED", signer=result.signer_subject or "",
                                        serial=result.signer_serial or "", agency=agency_code)
        # The window is the person's right to approve, so it is judged when they signed. The signing
        # time cannot lie in the future or before the manifest, because verify_detached checks both.
        signed_at = result.signing_time or now
        if not within_window(approver, signed_at):
            raise ApprovalRejectedError(
                "SIGNER_AUTHORISATION_EXPIRED", signer=result.signer_subject or "",
                valid_from=format_time(datetime.fromisoformat(approver["valid_from"])),
                valid_until=format_time(datetime.fromisoformat(approver["valid_until"])),
                signing_time=format_time(signed_at),
            )
        return approver

    # --- the seal -------------------------------------------------------------------------

    def _seal(self, agency_code: str, verified: VerifiedApproval, now: datetime) -> VerifiedApproval:
        if self.sealer is None:
            return verified
        try:
            seal = self.sealer.seal(agency_code, verified.manifest_bytes)
        except SealUnavailableError as error:
            logger.error("seal_unavailable", code=error.code)
            raise ApprovalPendingError(error.code, **error.params) from error

        revocation, fetch = self._revocation([seal.certificate, *seal.chain, *verified.trust_anchors], now)
        result = verify_detached(
            seal.signature,
            verified.manifest_bytes,
            trust_roots=verified.trust_anchors,
            crls=revocation.crls,
            ocsp_responses=revocation.ocsp_responses,
            require_revocation=True,
            now=now,
        )
        if not result.valid:
            logger.error("seal_invalid", code=result.reason_code, detail=result.detail)
            # The reason code stays in the batch record for the operators; the notice names no code.
            raise ApprovalPendingError("SEAL_INVALID", reason=result.reason_code or "", agency=agency_code)
        merged = _unique_items([*verified.revocation, *revocation.fresh])
        return replace(verified, seal=seal, seal_result=result, revocation=merged,
                       fetch_failed=list(dict.fromkeys([*verified.fetch_failed, *fetch.failed])))

    # --- configuration and revocation data ------------------------------------------------

    def _revocation(self, certificates: list[x509.Certificate],
                    now: datetime) -> tuple[RevocationSelection, FetchOutcome]:
        stored = [(item.key, self.store.get(item.key)) for item in self.store.list(self.policy.crl_prefix)]
        fetched = self.fetcher.fetch(certificates) if self.fetcher is not None else FetchOutcome()
        selection = select_fresh(
            [*stored, *fetched.crls], fetched.ocsp_responses, now=now, max_age=self.policy.revocation_max_age
        )
        if selection.unreadable:
            logger.warning("revocation_data_unreadable", count=len(selection.unreadable))
        return selection, fetched

    def _trust_anchors(self) -> list[x509.Certificate]:
        roots: list[x509.Certificate] = []
        for stored in self.store.list(self.policy.trust_anchors_prefix):
            roots.extend(load_pem_certificates(self.store.get(stored.key)))
        return roots

    def _read_signature(self, key: str) -> bytes:
        """Read the uploaded signature, refusing a file over the size limit before reading it."""
        try:
            size = self.store.head(key).size
        except ObjectNotFoundError as error:
            logger.error("approval_object_missing", object_key=key, code="SIG_MALFORMED")
            raise ApprovalRejectedError("SIG_MALFORMED") from error
        if size > MAX_SIGNATURE_BYTES:
            logger.warning("signature_too_large", size=size)
            raise ApprovalRejectedError(ReasonCode.SIG_TOO_LARGE.value, size_kib=-(-size // 1024),
                                        max_kib=MAX_SIGNATURE_BYTES // 1024)
        # verify_detached checks the size again, in case the object was replaced since.
        return signature_der(self._read(key, "SIG_MALFORMED"))

    def _read(self, key: str, missing_code: str) -> bytes:
        try:
            return self.store.get(key)
        except ObjectNotFoundError as error:
            logger.error("approval_object_missing", object_key=key, code=missing_code)
            raise ApprovalRejectedError(missing_code) from error


def _with_revocation_warnings(result: VerificationResult, stale: int, failed: int) -> VerificationResult:
    if stale:
        result = result.with_warning(WarningCode.REVOCATION_STALE, stale_count=str(stale))
    if failed:
        result = result.with_warning(WarningCode.REVOCATION_FETCH_FAILED, failed_count=str(failed))
    return result


def _unique_items(items: list[RevocationItem]) -> list[RevocationItem]:
    seen: dict[str, RevocationItem] = {}
    for item in items:
        seen.setdefault(sha256_hex(item.data), item)
    return list(seen.values())
