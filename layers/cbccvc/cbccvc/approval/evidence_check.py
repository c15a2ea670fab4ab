"""Offline check of an evidence bundle: recompute what verification.json records and report each difference.

``verify_bundle`` verifies both signatures over the bundled manifest against trust anchors the
caller brings, with the bundled revocation data judged at the recorded verification time. The
bundle's own trust-anchors.pem proves nothing, because whoever forges a bundle puts their own root
there. It then checks that the seal belongs to the manifest's agency, and compares every field of
verification.json with the value recomputed from the manifest and the two signature files. Fields
that cannot be recomputed offline are checked for form and consistency only: the verification time
(not in the future), the approver's registry window (it must contain the signing time, but the
registry itself is not in the bundle) and the list of revocation fetches that failed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from pydantic import ValidationError

from cbccvc.approval.evidence import APPROVER_FIELDS, EVIDENCE_FORMAT, EvidenceBundle, manifest_fields, signer_details
from cbccvc.approval.seal import seal_agency
from cbccvc.models import Manifest, sha256_hex
from cbccvc.signing.result import VerificationResult, WarningCode
from cbccvc.signing.revocation import RevocationKind, select_fresh
from cbccvc.signing.verification import CLOCK_SKEW, verify_detached

# The approve stage's default, used when verification.json records no usable limit.
DEFAULT_REVOCATION_MAX_AGE = timedelta(hours=72)
# A recorded freshness limit above this would let a months-old CRL count as current.
MAX_REVOCATION_MAX_AGE = timedelta(days=30)
# Warnings that depend on the signature bytes alone, so an offline check must find the same ones.
# The others depend on the revocation data the approve stage could reach at the time.
_INTRINSIC_WARNINGS = frozenset(
    {WarningCode.SIG_LEGACY_PADDING, WarningCode.SIG_NO_SIGNING_TIME, WarningCode.SIG_CONTENT_ATTACHED}
)
_TOP_FIELDS = frozenset(
    {"format", "batch_id", "agency_code", "record_count", "records_sha256", "report_sha256", "manifest_sha256",
     "verified_at", "revocation_max_age_seconds", "evidence_prefix", "signature", "approver",
     "revocation_fetch_failed", "seal"}
)
_SIGNER_FIELDS = frozenset({*signer_details(VerificationResult(valid=False)), "warnings"})
_SIGNATURE_FIELDS = frozenset({*_SIGNER_FIELDS, "signature_key", "signature_sha256"})
# Maximum length of a value shown in a finding: hashes and subjects fit, lists of subjects are cut.
_MAX_SHOWN = 160


@dataclass(frozen=True, slots=True)
class EvidenceFinding:
    """One problem found in a bundle: a code of ``cbccvc.messages.evidence`` and its parameters."""

    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    """Findings of checking a bundle, with the two verification results."""

    manifest: Manifest | None
    verified_at: datetime
    signature: VerificationResult
    seal: VerificationResult | None
    findings: list[EvidenceFinding]

    @property
    def ok(self) -> bool:
        return not self.findings


def verify_bundle(bundle: EvidenceBundle, *, trust_anchors: Sequence[x509.Certificate],
                  now: datetime | None = None) -> EvidenceReport:
    """Check a bundle offline against ``trust_anchors``; ``now`` (default: the clock) bounds the recorded times."""
    findings: list[EvidenceFinding] = []
    recorded = bundle.verification
    verified_at = _verified_at(recorded, now or datetime.now(UTC), findings)
    max_age = _max_age(recorded, findings)
    manifest = _manifest(bundle.manifest, findings)

    selection = select_fresh(
        [(item.source, item.data) for item in bundle.revocation if item.kind is RevocationKind.CRL],
        [(item.source, item.data) for item in bundle.revocation if item.kind is RevocationKind.OCSP],
        now=verified_at,
        max_age=max_age,
    )

    def check(signature: bytes) -> VerificationResult:
        return verify_detached(
            signature,
            bundle.manifest,
            trust_roots=trust_anchors,
            crls=selection.crls,
            ocsp_responses=selection.ocsp_responses,
            require_revocation=True,
            at=verified_at,
            now=verified_at,
            earliest_signing_time=manifest.created_at - CLOCK_SKEW if manifest is not None else None,
        )

    signature = check(bundle.signature)
    if not signature.valid:
        findings.append(EvidenceFinding("EVIDENCE_SIGNATURE_INVALID"))
    seal = check(bundle.seal) if bundle.seal is not None else None
    _check_seal(seal, signature, manifest, findings)
    findings.extend(_RecordCheck(recorded, bundle, manifest).run(signature, seal, verified_at))
    return EvidenceReport(manifest, verified_at, signature, seal, findings)


def _verified_at(recorded: Mapping[str, Any], now: datetime, findings: list[EvidenceFinding]) -> datetime:
    moment = _parse_time(recorded.get("verified_at"))
    if moment is None or moment > now + CLOCK_SKEW:
        findings.append(EvidenceFinding("EVIDENCE_FIELD_INVALID", {"field": "verified_at"}))
        return now
    return moment


def _max_age(recorded: Mapping[str, Any], findings: list[EvidenceFinding]) -> timedelta:
    value = recorded.get("revocation_max_age_seconds")
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        seconds = float(value)
        if 0 < seconds <= MAX_REVOCATION_MAX_AGE.total_seconds():
            return timedelta(seconds=seconds)
    findings.append(EvidenceFinding("EVIDENCE_FIELD_INVALID", {"field": "revocation_max_age_seconds"}))
    return DEFAULT_REVOCATION_MAX_AGE


def _manifest(data: bytes, findings: list[EvidenceFinding]) -> Manifest | None:
    try:
        return Manifest.model_validate(json.loads(data))
    except (json.JSONDecodeError, UnicodeDecodeError, ValidationError):
        findings.append(EvidenceFinding("EVIDENCE_MANIFEST_INVALID"))
        return None


def _check_seal(
    seal: VerificationResult | None,
    signature: VerificationResult,
    manifest: Manifest | None,
    findings: list[EvidenceFinding],
) -> None:
    if seal is None:
        findings.append(EvidenceFinding("EVIDENCE_SEAL_MISSING"))
        return
    if not seal.valid:
        findings.append(EvidenceFinding("EVIDENCE_SEAL_INVALID"))
        return
    agency = seal_agency(seal.signer_certificate) if seal.signer_certificate is not None else None
    if manifest is not None and agency != manifest.agency_code:
        params = {"seal_agency": agency or "-", "agency": manifest.agency_code}
        findings.append(EvidenceFinding("EVIDENCE_SEAL_WRONG_AGENCY", params))
    if seal.signer_fingerprint_sha256 == signature.signer_fingerprint_sha256:
        findings.append(EvidenceFinding("EVIDENCE_SEAL_SAME_SIGNER"))


class _RecordCheck:
    """Compares verification.json, field by field, with what the bundle's files show."""

    def __init__(self, recorded: Mapping[str, Any], bundle: EvidenceBundle, manifest: Manifest | None) -> None:
        self.recorded = recorded
        self.bundle = bundle
        self.manifest = manifest
        self.findings: list[EvidenceFinding] = []

    def run(self, signature: VerificationResult, seal: VerificationResult | None,
            verified_at: datetime) -> list[EvidenceFinding]:
        self._unexpected(self.recorded, _TOP_FIELDS, "")
        if self.manifest is not None:
            expected = manifest_fields(self.manifest, self.bundle.manifest)
        else:
            expected = {"format": EVIDENCE_FORMAT, "manifest_sha256": sha256_hex(self.bundle.manifest)}
        for name, value in expected.items():
            self._compare(name, self.recorded.get(name, _MISSING), value)
        self._check_locations()
        self._check_signature(signature)
        self._check_approver(signature, verified_at)
        self._check_seal_record(seal)
        failed = self.recorded.get("revocation_fetch_failed", _MISSING)
        if not isinstance(failed, list) or not all(isinstance(url, str) for url in failed):
            self._invalid("revocation_fetch_failed")
        return self.findings

    # --- sections -------------------------------------------------------------------------

    def _check_locations(self) -> None:
        if self.manifest is None:
            return
        agency, batch = self.manifest.agency_code, self.manifest.batch_id
        prefix = self.recorded.get("evidence_prefix")
        if not isinstance(prefix, str) or not prefix.startswith(f"batches/{agency}/{batch}/evidence/"):
            self._invalid("evidence_prefix")
        key = _section(self.recorded, "signature").get("signature_key")
        parts = key.split("/") if isinstance(key, str) else []
        if len(parts) != 4 or parts[0] != "approvals" or parts[1].upper() != agency or parts[2] != batch:
            self._invalid("signature.signature_key")

    def _check_signature(self, signature: VerificationResult) -> None:
        recorded = self.recorded.get("signature")
        if not isinstance(recorded, dict):
            self._invalid("signature")
            return
        self._unexpected(recorded, _SIGNATURE_FIELDS, "signature.")
        self._compare("signature.signature_sha256", recorded.get("signature_sha256", _MISSING),
                      sha256_hex(self.bundle.signature))
        if signature.valid:
            self._compare_signer("signature.", recorded, signature)

    def _check_approver(self, signature: VerificationResult, verified_at: datetime) -> None:
        recorded = self.recorded.get("approver")
        if not isinstance(recorded, dict):
            self._invalid("approver")
            return
        self._unexpected(recorded, frozenset(APPROVER_FIELDS), "approver.")
        if not signature.valid:
            return
        self._compare("approver.subject", recorded.get("subject", _MISSING), signature.signer_subject)
        if _serial_number(recorded.get("serial")) != _serial_number(signature.signer_serial):
            self._mismatch("approver.serial", recorded.get("serial"), signature.signer_serial)
        start, end = _parse_time(recorded.get("valid_from")), _parse_time(recorded.get("valid_until"))
        signed_at = signature.signing_time or verified_at
        if start is None or end is None or not start <= signed_at <= end:
            self._invalid("approver.valid_from, approver.valid_until")

    def _check_seal_record(self, seal: VerificationResult | None) -> None:
        recorded = self.recorded.get("seal", _MISSING)
        if seal is None:
            if recorded is not _MISSING:
                self._invalid("seal")
            return
        if not isinstance(recorded, dict):
            self._invalid("seal")
            return
        self._unexpected(recorded, _SIGNER_FIELDS, "seal.")
        if seal.valid:
            self._compare_signer("seal.", recorded, seal)

    def _compare_signer(self, prefix: str, recorded: Mapping[str, Any], result: VerificationResult) -> None:
        for name, value in signer_details(result).items():
            self._compare(prefix + name, recorded.get(name, _MISSING), value)
        warnings = recorded.get("warnings", _MISSING)
        if not isinstance(warnings, list):
            self._invalid(prefix + "warnings")
            return
        recorded_intrinsic = sorted(str(code) for code in warnings if code in _INTRINSIC_WARNINGS)
        found_intrinsic = sorted(code for code in result.warnings if code in _INTRINSIC_WARNINGS)
        self._compare(prefix + "warnings", recorded_intrinsic, found_intrinsic)

    # --- findings -------------------------------------------------------------------------

    def _compare(self, name: str, recorded: object, expected: object) -> None:
        if recorded is _MISSING:
            self.findings.append(EvidenceFinding("EVIDENCE_FIELD_MISSING", {"field": name}))
        elif recorded != expected or type(recorded) is not type(expected):
            self._mismatch(name, recorded, expected)

    def _mismatch(self, name: str, recorded: object, expected: object) -> None:
        params = {"field": name, "recorded": _shown(recorded), "expected": _shown(expected)}
        self.findings.append(EvidenceFinding("EVIDENCE_FIELD_MISMATCH", params))

    def _invalid(self, name: str) -> None:
        self.findings.append(EvidenceFinding("EVIDENCE_FIELD_INVALID", {"field": name}))

    def _unexpected(self, recorded: Mapping[str, Any], known: frozenset[str], prefix: str) -> None:
        for name in sorted(set(recorded) - known):
            self.findings.append(EvidenceFinding("EVIDENCE_FIELD_UNEXPECTED", {"field": prefix + str(name)}))


class _Missing:
    """The value of a field verification.json lacks."""


_MISSING: Any = _Missing()


def _section(recorded: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = recorded.get(name)
    return value if isinstance(value, dict) else {}


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None


def _serial_number(value: object) -> int | None:
    """Read a hex serial number; the registry writes it without, and verification with, a leading zero."""
    if not isinstance(value, str):
        return None
    try:
        return int(value, 16)
    except ValueError:
        return None


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
