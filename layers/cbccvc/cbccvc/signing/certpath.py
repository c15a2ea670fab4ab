"""Certificate checks for an approval signer: the path to a trust anchor and the signer's own profile.

Path building and validation (chain to the trust roots, validity at a moment, basic constraints and
key usage of issuers, revocation by CRL or OCSP, hash algorithms of certificate signatures) are done
by pyhanko-certvalidator. This module chooses its policy, bounds its running time and turns its
exceptions into reason codes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier
from pyhanko_certvalidator import ValidationContext, find_valid_path
from pyhanko_certvalidator.authority import TrustAnchor
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
from pyhanko_certvalidator.path import ValidationPath
from pyhanko_certvalidator.policy_decl import (
    NO_REVOCATION,
    CertRevTrustPolicy,
    DisallowWeakAlgorithmsPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import CertificateRegistry, TrustManager
from pyhanko_certvalidator.util import CancelableAsyncIterator

from cbccvc.signing.algorithms import key_parameter_problem
from cbccvc.signing.result import ReasonCode
from cbccvc.signing.revocation import read_crl, read_ocsp_response

# When revocation is checked, the signer's certificate must be covered by a CRL or an OCSP
# response, and a CA certificate is checked when it names a CRL distribution point or an OCSP
# responder. Data issued after the validation moment still counts (retroactive), because the
# revocation date inside it, not its thisUpdate, says whether the certificate was revoked then.
_REVOCATION_POLICY = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED,
    ),
    retroactive_revinfo=True,
)
_NO_REVOCATION_POLICY = CertRevTrustPolicy(NO_REVOCATION)

# Hashes no certificate, CRL or OCSP signature in the path may use: pyhanko-certvalidator's
# default list (MD2, MD5, SHA-1) and SHA-224, below the SHA-256 floor of Thông tư 15/2025/TT-BKHCN.
WEAK_CERTIFICATE_HASHES = frozenset({"md2", "md5", "sha1", "sha224"})

# Path building and validation stop after this long and report CERT_PATH_TIMEOUT. A path of a few
# certificates validates in milliseconds, and the approve function may run for 120 s.
PATH_VALIDATION_TIMEOUT = timedelta(seconds=20)

# Extended key usages that allow signing documents. RFC 5280 lets any usage serve when the
# extension is absent, and anyExtendedKeyUsage means the same when present.
DOCUMENT_SIGNING_USAGES = frozenset(
    {
        ExtendedKeyUsageOID.EMAIL_PROTECTION,  # S/MIME and CMS signatures
        ObjectIdentifier("1.3.6.1.5.5.7.3.36"),  # id-kp-documentSigning, RFC 9336
        ObjectIdentifier("1.3.6.1.4.1.311.10.3.12"),  # Microsoft document signing
        # Signing certificates on Vietnamese USB tokens commonly carry clientAuth with emailProtection.
        ExtendedKeyUsageOID.CLIENT_AUTH,
        ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
    }
)

# Vietnam has kept UTC+7 without daylight saving time since 1975.
VIETNAM_TIME = timezone(timedelta(hours=7))


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


class _PathTimeoutError(Exception):
    """Internal: path building or validation passed its deadline."""


def format_time(moment: datetime) -> str:
    """Format a time for people: Vietnam time (UTC+7) as dd/mm/yyyy HH:MM."""
    return moment.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M")


def validate_signer_path(
    signer: x509.Certificate,
    other_certs: Sequence[x509.Certificate],
    *,
    trust_roots: Sequence[x509.Certificate],
    crls: Sequence[bytes],
    moment: datetime,
    ocsp_responses: Sequence[bytes] = (),
    require_revocation: bool = False,
    timeout: timedelta = PATH_VALIDATION_TIMEOUT,
) -> PathCheck:
    """Build and validate a path from ``signer`` to one of ``trust_roots``, as it stood at ``moment``.

    ``other_certs`` are candidate intermediates (those the signature carries). The caller limits
    their number and rejects same-name candidates, because path building tries every combination of
    certificates with a matching name. ``crls`` are DER or PEM CRLs and ``ocsp_responses`` DER OCSP
    responses; an unreadable one is skipped and counted. Revocation is checked when any of them is
    given or ``require_revocation`` is set; without usable data the path then fails with
    CERT_REVOCATION_UNKNOWN. Work past ``timeout`` stops with CERT_PATH_TIMEOUT. Every certificate
    of a valid path must have key parameters ``key_parameter_problem`` accepts (CERT_WEAK_ALGORITHM).
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
    deadline = time.monotonic() + timeout.total_seconds()
    registry = _DeadlineRegistry.build([_to_asn1(cert) for cert in other_certs])
    registry.deadline = deadline
    context = ValidationContext(
        trust_roots=[_to_asn1(root) for root in trust_roots],
        certificate_registry=registry,
        moment=moment,
        allow_fetching=False,
        crls=parsed_crls,
        ocsps=parsed_ocsp,
        revinfo_policy=_REVOCATION_POLICY if check_revocation else _NO_REVOCATION_POLICY,
        algorithm_usage_policy=DisallowWeakAlgorithmsPolicy(weak_hash_algos=WEAK_CERTIFICATE_HASHES),
    )
    failed = {"issuer": issuer}

    try:
        path = asyncio.run(_first_valid_path(context, _to_asn1(signer), deadline, timeout))
    except (_PathTimeoutError, TimeoutError):
        return PathCheck(ReasonCode.CERT_PATH_TIMEOUT, failed, detail="path validation timed out",
                         revocation_checked=check_revocation, unreadable_crls=unreadable)
    except (PathBuildingError, PathValidationError, ValidationError, ValueError) as error:
        # ValueError: asn1crypto found a field it cannot parse in one of the certificates.
        reason, params = _classify_path_error(error)
        return PathCheck(reason, {**failed, **params}, detail=type(error).__name__,
                         revocation_checked=check_revocation, unreadable_crls=unreadable)

    chain = [x509.load_der_x509_certificate(cert.dump()) for cert in path.iter_certs(include_root=True)]
    chain.reverse()
    if any(key_parameter_problem(cert.public_key()) for cert in chain[1:]):
        return PathCheck(ReasonCode.CERT_WEAK_ALGORITHM, failed, detail="CA key parameters",
                         revocation_checked=check_revocation, unreadable_crls=unreadable)
    return PathCheck(
        None,
        {"issuer": issuer},
        chain_subjects=[cert.subject.rfc4514_string() for cert in chain],
        chain=chain,
        revocation_checked=check_revocation,
        unreadable_crls=unreadable,
    )


def check_signer_profile(signer: x509.Certificate) -> ReasonCode | None:
    """Check that ``signer`` is an end-entity certificate meant for signing documents.

    RFC 5280 lets a certificate without a keyUsage extension be used for anything, but every
    signing certificate profile in use carries one, so a missing extension is rejected here too.
    A certificate whose key may sign certificates or CRLs is a CA's, whatever basicConstraints states.
    """
    try:
        key_usage: x509.KeyUsage | None = signer.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        key_usage = None
    if key_usage is None or not (key_usage.digital_signature or key_usage.content_commitment):
        return ReasonCode.CERT_KEY_USAGE
    if key_usage.key_cert_sign or key_usage.crl_sign or _is_ca(signer):
        return ReasonCode.CERT_IS_CA
    if not _allows_document_signing(signer):
        return ReasonCode.CERT_EXTENDED_KEY_USAGE
    return None


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _allows_document_signing(certificate: x509.Certificate) -> bool:
    try:
        usages = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(DOCUMENT_SIGNING_USAGES.intersection(usages))


class _DeadlineRegistry(CertificateRegistry):
    """A certificate registry that stops path building once ``deadline`` (time.monotonic) has passed.

    Path building calls find_potential_issuers for every certificate it adds to a candidate path,
    so this check runs at each step, also while no path has been found yet.
    """

    deadline: float = float("inf")

    def find_potential_issuers(
        self, cert: asn1_x509.Certificate, trust_manager: TrustManager
    ) -> Iterator[TrustAnchor | asn1_x509.Certificate]:
        if time.monotonic() > self.deadline:
            raise _PathTimeoutError
        return super().find_potential_issuers(cert, trust_manager)


class _DeadlinePaths(CancelableAsyncIterator[ValidationPath]):
    """Candidate paths, cut off once ``deadline`` has passed, so validating one path after another stops too."""

    def __init__(self, paths: CancelableAsyncIterator[ValidationPath], deadline: float) -> None:
        self._paths = paths
        self._deadline = deadline

    async def __anext__(self) -> ValidationPath:
        if time.monotonic() > self._deadline:
            raise _PathTimeoutError
        return await self._paths.__anext__()

    async def cancel(self) -> None:
        await self._paths.cancel()


async def _first_valid_path(context: ValidationContext, signer: asn1_x509.Certificate, deadline: float,
                            timeout: timedelta) -> ValidationPath:
    # Without fetching, pyhanko-certvalidator's coroutines never wait on I/O, so asyncio.wait_for
    # alone could not interrupt them: the deadline checks above stop CPU-bound work, and wait_for
    # bounds any wait on I/O.
    paths = _DeadlinePaths(context.path_builder.async_build_paths_lazy(signer), deadline)
    return await asyncio.wait_for(find_valid_path(signer, paths, context), timeout.total_seconds())


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
    if isinstance(error, PathValidationError) and type(error.__context__) is InvalidSignature:
        # A certificate in the path names a trusted CA as its issuer, but that CA's key did not
        # sign it: a CA certificate made to look like a trusted one.
        return ReasonCode.CERT_UNTRUSTED, {}
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
