"""Certificate checks for an approval signer: the path to a trust anchor and the signer's own profile.

Path building and validation (chain to the trust roots, validity at a moment, basic constraints and
key usage of issuers, revocation by CRL or OCSP) are done by pyhanko-certvalidator. This module
only chooses its policy and turns its exceptions into reason codes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    DisallowedAlgorithmError,
    ExpiredError,
    InsufficientRevinfoError,
    InvalidCertificateError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
    ValidationError,
)
from pyhanko_certvalidator.policy_decl import (
    NO_REVOCATION,
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from cbccvc.signing.result import ReasonCode
from cbccvc.signing.revocation import read_crl, read_ocsp_response

# When revocation is checked, the signer's certificate must be covered by a CRL or an OCSP
# response, and a CA certificate is checked when it names a CRL distribution point or an OCSP
# responder. Data issued after the signing time still counts (retroactive), because the
# revocation date inside it, not its thisUpdate, says whether the certificate was revoked then.
_REVOCATION_POLICY = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED,
    ),
    retroactive_revinfo=True,
)
_NO_REVOCATION_POLICY = CertRevTrustPolicy(NO_REVOCATION)


@dataclass(frozen=True, slots=True)
class PathCheck:
    """The outcome of validating the signer's certificate path; ``reason`` is None when valid."""

    reason: ReasonCode | None
    params: dict[str, str] = field(default_factory=dict)
    detail: str | None = None
    chain_subjects: list[str] = field(default_factory=list)
    chain: list[x509.Certificate] = field(default_factory=list)
    revocation_checked: bool = False
    unreadable_crls: int = 0


def format_time(moment: datetime) -> str:
    """Format a time for message parameters: ISO 8601 to the second, with its UTC offset."""
    return moment.isoformat(sep=" ", timespec="seconds")


def validate_signer_path(
    signer: x509.Certificate,
    other_certs: Sequence[x509.Certificate],
    *,
    trust_roots: Sequence[x509.Certificate],
    crls: Sequence[bytes],
    moment: datetime,
    ocsp_responses: Sequence[bytes] = (),
    require_revocation: bool = False,
) -> PathCheck:
    """Build and validate a path from ``signer`` to one of ``trust_roots``, as it stood at ``moment``.

    ``other_certs`` are candidate intermediates (those the signature carries). ``crls`` are DER or
    PEM CRLs and ``ocsp_responses`` DER OCSP responses; an unreadable one is skipped and counted.
    Revocation is checked when any of them is given or ``require_revocation`` is set; without
    usable data the path then fails with CERT_REVOCATION_UNKNOWN.
    """
    issuer = signer.issuer.rfc4514_string()
    if not trust_roots:
        # An empty list would make pyhanko-certvalidator fall back to the operating system's TLS
        # trust store, which must never decide who may approve a batch.
        return PathCheck(ReasonCode.CERT_UNTRUSTED, {"issuer": issuer}, detail="no trust roots configured")

    parsed_crls = [parsed for parsed in (_parse_crl(data) for data in crls) if parsed is not None]
    parsed_ocsp = [parsed for parsed in (_parse_ocsp(data) for data in ocsp_responses) if parsed is not None]
    unreadable = len(crls) - len(parsed_crls) + len(ocsp_responses) - len(parsed_ocsp)
    check_revocation = require_revocation or bool(crls) or bool(ocsp_responses)
    context = ValidationContext(
        trust_roots=[_to_asn1(root) for root in trust_roots],
        other_certs=[_to_asn1(cert) for cert in other_certs],
        moment=moment,
        allow_fetching=False,
        crls=parsed_crls,
        ocsps=parsed_ocsp,
        revinfo_policy=_REVOCATION_POLICY if check_revocation else _NO_REVOCATION_POLICY,
    )
    validator = CertificateValidator(_to_asn1(signer), validation_context=context)

    try:
        path = asyncio.run(validator.async_validate_path())
    except (PathBuildingError, PathValidationError, ValidationError, ValueError) as error:
        # ValueError: asn1crypto found a field it cannot parse in one of the certificates.
        reason, params = _classify_path_error(error)
        return PathCheck(
            reason,
            {"issuer": issuer, **params},
            detail=type(error).__name__,
            revocation_checked=check_revocation,
            unreadable_crls=unreadable,
        )

    chain = [x509.load_der_x509_certificate(cert.dump()) for cert in path.iter_certs(include_root=True)]
    chain.reverse()
    return PathCheck(
        None,
        {"issuer": issuer},
        chain_subjects=[cert.subject.rfc4514_string() for cert in chain],
        chain=chain,
        revocation_checked=check_revocation,
        unreadable_crls=unreadable,
    )


def check_signer_profile(signer: x509.Certificate) -> ReasonCode | None:
    """Check that ``signer`` is an end-entity certificate meant for signatures.

    RFC 5280 lets a certificate without a keyUsage extension be used for anything, but every
    signing certificate profile in use carries one, so a missing extension is rejected here too.
    """
    try:
        key_usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return ReasonCode.CERT_KEY_USAGE
    if not (key_usage.digital_signature or key_usage.content_commitment):
        return ReasonCode.CERT_KEY_USAGE

    try:
        constraints = signer.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return None
    if constraints.ca:
        return ReasonCode.CERT_IS_CA
    return None


# pyhanko-certvalidator errors whose reason code needs no parameters. None of these classes
# derives from another, so the order does not matter.
_PLAIN_REASONS: tuple[tuple[type[Exception], ReasonCode], ...] = (
    (PathBuildingError, ReasonCode.CERT_UNTRUSTED),
    # Raised instead of PathBuildingError when no path exists and the certificate is self-signed.
    (InvalidCertificateError, ReasonCode.CERT_UNTRUSTED),
    (InsufficientRevinfoError, ReasonCode.CERT_REVOCATION_UNKNOWN),
    (DisallowedAlgorithmError, ReasonCode.CERT_WEAK_ALGORITHM),
)


def _classify_path_error(error: Exception) -> tuple[ReasonCode, dict[str, str]]:
    if isinstance(error, RevokedError):
        return ReasonCode.CERT_REVOKED, {
            "revocation_date": format_time(error.revocation_dt),
            "revocation_reason": str(error.reason.native),
        }
    if isinstance(error, ExpiredError):
        return ReasonCode.CERT_EXPIRED, {"not_after": format_time(error.expired_dt)}
    if isinstance(error, NotYetValidError):
        return ReasonCode.CERT_NOT_YET_VALID, {"not_before": format_time(error.valid_from)}
    for error_class, reason in _PLAIN_REASONS:
        if isinstance(error, error_class):
            return reason, {}
    return ReasonCode.CERT_PATH_INVALID, {}


def _parse_crl(data: bytes) -> asn1_crl.CertificateList | None:
    item = read_crl(data, "")
    return asn1_crl.CertificateList.load(item.data) if item is not None else None


def _parse_ocsp(data: bytes) -> asn1_ocsp.OCSPResponse | None:
    item = read_ocsp_response(data, "")
    return asn1_ocsp.OCSPResponse.load(item.data) if item is not None else None


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
