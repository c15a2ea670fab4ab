"""The outcome of verifying an approval signature, as data the approve step stores and reports."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from cryptography import x509


class ReasonCode(StrEnum):
    """Reason a signature was rejected. Each code has a message in ``cbccvc.messages.approval``."""

    SIG_TOO_LARGE = "SIG_TOO_LARGE"
    SIG_MALFORMED = "SIG_MALFORMED"
    SIG_MULTIPLE_SIGNERS = "SIG_MULTIPLE_SIGNERS"
    SIG_TOO_MANY_CERTIFICATES = "SIG_TOO_MANY_CERTIFICATES"
    SIG_NO_SIGNED_ATTRS = "SIG_NO_SIGNED_ATTRS"
    SIG_WEAK_DIGEST = "SIG_WEAK_DIGEST"
    SIG_CONTENT_MISMATCH = "SIG_CONTENT_MISMATCH"
    SIG_SIGNER_CERT_MISSING = "SIG_SIGNER_CERT_MISSING"
    SIG_ALGORITHM_UNSUPPORTED = "SIG_ALGORITHM_UNSUPPORTED"
    SIG_INVALID = "SIG_INVALID"
    SIG_LEGACY_PADDING_REJECTED = "SIG_LEGACY_PADDING_REJECTED"
    SIG_WEAK_KEY = "SIG_WEAK_KEY"
    SIG_KEY_UNSUPPORTED = "SIG_KEY_UNSUPPORTED"
    SIG_TIME_INVALID = "SIG_TIME_INVALID"
    SIG_TIME_TOO_EARLY = "SIG_TIME_TOO_EARLY"
    CERT_UNTRUSTED = "CERT_UNTRUSTED"
    CERT_EXPIRED = "CERT_EXPIRED"
    CERT_NOT_YET_VALID = "CERT_NOT_YET_VALID"
    CERT_REVOKED = "CERT_REVOKED"
    CERT_REVOCATION_UNKNOWN = "CERT_REVOCATION_UNKNOWN"
    CERT_WEAK_ALGORITHM = "CERT_WEAK_ALGORITHM"
    CERT_KEY_USAGE = "CERT_KEY_USAGE"
    CERT_EXTENDED_KEY_USAGE = "CERT_EXTENDED_KEY_USAGE"
    CERT_IS_CA = "CERT_IS_CA"
    CERT_PATH_AMBIGUOUS = "CERT_PATH_AMBIGUOUS"
    CERT_PATH_INVALID = "CERT_PATH_INVALID"
    CERT_PATH_TIMEOUT = "CERT_PATH_TIMEOUT"


class WarningCode(StrEnum):
    """Findings that do not reject a signature. Each code has a message in the catalog too."""

    SIG_LEGACY_PADDING = "SIG_LEGACY_PADDING"
    SIG_NO_SIGNING_TIME = "SIG_NO_SIGNING_TIME"
    SIG_CONTENT_ATTACHED = "SIG_CONTENT_ATTACHED"
    REVOCATION_NOT_CHECKED = "REVOCATION_NOT_CHECKED"
    CRL_UNREADABLE = "CRL_UNREADABLE"
    REVOCATION_STALE = "REVOCATION_STALE"
    REVOCATION_FETCH_FAILED = "REVOCATION_FETCH_FAILED"


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """Findings of verifying one detached CMS signature.

    ``params`` contains the values every message template of ``reason_code`` and of each code in
    ``warnings`` names, as strings. ``detail`` is a short English technical note for operators
    (an exception class or the failing check); it never contains certificate names.
    """

    valid: bool
    reason_code: str | None = None
    signer_subject: str | None = None
    signer_serial: str | None = None
    signer_fingerprint_sha256: str | None = None
    signing_time: datetime | None = None
    digest_algorithm: str | None = None
    signature_algorithm: str | None = None
    legacy_padding: bool = False
    chain_subjects: list[str] = field(default_factory=list)
    # The signer's certificate, and the validated path from it to the trust anchor (empty if invalid).
    signer_certificate: x509.Certificate | None = None
    certificate_chain: list[x509.Certificate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    detail: str | None = None

    def rejected(self, reason: ReasonCode, detail: str | None = None, **params: str) -> VerificationResult:
        """Return a copy of this result rejected with ``reason``, keeping what was learned so far."""
        return replace(
            self,
            valid=False,
            reason_code=reason.value,
            params={**self.params, **params},
            detail=detail,
        )

    def with_warning(self, warning: WarningCode, **params: str) -> VerificationResult:
        """Return a copy of this result with one more warning code and its message parameters."""
        return replace(self, warnings=[*self.warnings, warning.value], params={**self.params, **params})
