"""The emulator's check of an approval, as the national API would make it: both signatures, then the seal's owner.

``ApprovalSignatureVerifier`` is an ``ApprovalVerifier`` for ``Emulator(approval_verifier=...)``.
It accepts an approval when the approver's signature and the agency's seal each verify over the
manifest against the trust anchors with the CA's CRLs (revocation is required), the seal's
certificate names the manifest's agency in organizationIdentifier, and the two signers differ.
``verify_detached`` bounds what a hostile signature costs here as in the approve stage: its size,
its number of certificates, same-name issuers and the time path validation may take.
It returns, for the 422 response and the emulator's record, one of the codes:

    APPROVAL_UNREADABLE          base64 or the manifest JSON does not decode
    SIGNATURE_INVALID:<reason>   the approver's signature fails (<reason> is a ReasonCode)
    SEAL_MISSING                 no seal
    SEAL_INVALID:<reason>        the seal fails
    SEAL_WRONG_AGENCY            the seal belongs to another agency, or names none
    SEAL_SAME_SIGNER             the seal was made with the approver's certificate
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any

from cryptography import x509

from cbccvc.approval.seal import seal_agency
from cbccvc.signing.result import VerificationResult
from cbccvc.signing.verification import verify_detached


class ApprovalSignatureVerifier:
    """Verifies approvals against fixed trust anchors and a source of current CRLs."""

    def __init__(self, trust_roots: Sequence[x509.Certificate], crls: Callable[[], Sequence[bytes]]) -> None:
        self._roots = list(trust_roots)
        self._crls = crls

    def __call__(self, approval: dict[str, Any]) -> str | None:
        try:
            manifest = base64.b64decode(approval["manifest_b64"], validate=True)
            signature = base64.b64decode(approval["signature_b64"], validate=True)
            seal_b64 = approval.get("seal_b64")
            seal = base64.b64decode(seal_b64, validate=True) if seal_b64 else None
            agency_code = json.loads(manifest)["agency_code"]
        except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
            return "APPROVAL_UNREADABLE"

        signature_result = self._verify(signature, manifest)
        if not signature_result.valid:
            return f"SIGNATURE_INVALID:{signature_result.reason_code}"
        if seal is None:
            return "SEAL_MISSING"
        return self._check_seal(self._verify(seal, manifest), signature_result, agency_code)

    @staticmethod
    def _check_seal(seal: VerificationResult, signature: VerificationResult, agency_code: str) -> str | None:
        if not seal.valid:
            return f"SEAL_INVALID:{seal.reason_code}"
        if seal.signer_certificate is None or seal_agency(seal.signer_certificate) != agency_code:
            return "SEAL_WRONG_AGENCY"
        if seal.signer_fingerprint_sha256 == signature.signer_fingerprint_sha256:
            return "SEAL_SAME_SIGNER"
        return None

    def _verify(self, signature: bytes, manifest: bytes) -> VerificationResult:
        return verify_detached(signature, manifest, trust_roots=self._roots, crls=self._crls(), require_revocation=True)
