"""Verification of detached CMS approval signatures, returning a VerificationResult and never raising.

Checks run in this order, and the first failure decides the reason code:
1. the file is at most MAX_SIGNATURE_BYTES long (SIG_TOO_LARGE);
2. the bytes, or the DER inside a PEM "PKCS7" or "CMS" armour, are a ContentInfo holding SignedData
   (SIG_MALFORMED);
3. exactly one SignerInfo (SIG_MULTIPLE_SIGNERS);
4. at most MAX_EMBEDDED_CERTIFICATES certificates, no two different ones with the same subject
   (SIG_TOO_MANY_CERTIFICATES, CERT_PATH_AMBIGUOUS): path building tries every combination of
   same-name candidates, so these bound its work before it starts;
5. signed attributes with content-type and message-digest are present (SIG_NO_SIGNED_ATTRS), and
   the content type is id-data in both the attribute and the SignedData (SIG_MALFORMED);
6. the digest algorithm, and any hash the signature algorithm names, is allowed (SIG_WEAK_DIGEST);
7. the message-digest attribute equals the digest of the content (SIG_CONTENT_MISMATCH);
8. the signer's certificate is in the signature, found by issuer and serial or by subject key
   identifier, and matches the ESS signing-certificate (v1 or v2) attribute when there is one
   (SIG_SIGNER_CERT_MISSING). The signature math needs its public key, so this runs first;
9. the signature over the DER of the signed attributes is valid (SIG_INVALID,
   SIG_ALGORITHM_UNSUPPORTED, SIG_LEGACY_PADDING_REJECTED);
10. the key is long enough and its curve or public exponent is allowed (SIG_WEAK_KEY,
    SIG_KEY_UNSUPPORTED);
11. the signing time is neither in the future nor before the earliest time the caller allows
    (SIG_TIME_INVALID, SIG_TIME_TOO_EARLY);
12. the signer's certificate is an end-entity certificate for signing documents (CERT_KEY_USAGE,
    CERT_EXTENDED_KEY_USAGE, CERT_IS_CA);
13. the certificate path validates to the trust roots (CERT_* codes), within a time limit
    (CERT_PATH_TIMEOUT).
An unexpected parse error anywhere is logged and reported as SIG_MALFORMED.
"""

from __future__ import annotations

import hmac
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from asn1crypto import algos, cms, pem, tsp
from asn1crypto import x509 as asn1_x509
from asn1crypto.core import Asn1Value
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cbccvc.observability import logger
from cbccvc.signing.algorithms import (
    ECDSA_OIDS,
    MIN_EC_BITS,
    MIN_RSA_BITS,
    RSA_PKCS1V15_OIDS,
    SignatureScheme,
    compute_digest,
    hash_in_signature_oid,
    is_allowed_digest,
    key_parameter_problem,
    new_hash,
)
from cbccvc.signing.certpath import (
    PATH_VALIDATION_TIMEOUT,
    check_signer_profile,
    format_time,
    validate_signer_path,
)
from cbccvc.signing.result import ReasonCode, VerificationResult, WarningCode

# A signing time this far past the verification time is accepted as clock skew.
CLOCK_SKEW = timedelta(minutes=5)
# A detached signature with its certificate chain is a few kilobytes; 64 KiB leaves room for long
# chains and unsigned attributes without letting one file cost the verifier much memory or time.
MAX_SIGNATURE_BYTES = 64 * 1024
# Signer, intermediates and perhaps the root: real chains have three to five certificates.
MAX_EMBEDDED_CERTIFICATES = 10
# PEM labels that signing tools put around a CMS signature (openssl cms and openssl smime -outform PEM).
_PEM_LABELS = ("CMS", "PKCS7")

# asn1crypto raises these for bytes that do not parse as the ASN.1 structure asked for.
_PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)

# The [0] IMPLICIT tag of signedAttrs inside SignerInfo, and the SET OF tag the signature covers.
_SET_OF_TAG = 0x31

# Fuller names of digest algorithms for message parameters ("sha1" is shown as "SHA-1").
_DIGEST_LABELS = {
    "md2": "MD2",
    "md5": "MD5",
    "sha1": "SHA-1",
    "sha224": "SHA-224",
    "sha256": "SHA-256",
    "sha384": "SHA-384",
    "sha512": "SHA-512",
}


@dataclass(frozen=True, slots=True)
class _Policy:
    trust_roots: Sequence[x509.Certificate]
    crls: Sequence[bytes]
    ocsp_responses: Sequence[bytes]
    require_revocation: bool
    at: datetime | None
    now: datetime | None
    earliest_signing_time: datetime | None
    allow_legacy_pkcs1v15: bool
    min_rsa_bits: int
    min_ec_bits: int
    path_timeout: timedelta


@dataclass(frozen=True, slots=True)
class _EmbeddedCert:
    asn1: asn1_x509.Certificate
    cert: x509.Certificate


class _Rejected(Exception):
    """Internal: stops the checks with the result to return."""

    def __init__(self, result: VerificationResult) -> None:
        super().__init__(result.reason_code)
        self.result = result


def _reject(result: VerificationResult, reason: ReasonCode, *, detail: str | None, **params: str) -> NoReturn:
    raise _Rejected(result.rejected(reason, detail, **params))


def verify_detached(
    signature: bytes,
    content: bytes,
    *,
    trust_roots: Sequence[x509.Certificate],
    crls: Sequence[bytes] = (),
    ocsp_responses: Sequence[bytes] = (),
    require_revocation: bool = False,
    at: datetime | None = None,
    now: datetime | None = None,
    earliest_signing_time: datetime | None = None,
    allow_legacy_pkcs1v15: bool = True,
    min_rsa_bits: int = MIN_RSA_BITS,
    min_ec_bits: int = MIN_EC_BITS,
    path_timeout: timedelta = PATH_VALIDATION_TIMEOUT,
) -> VerificationResult:
    """Verify a detached CMS signature over ``content`` and return what was found.

    ``at`` is the verification time. The certificate path (validity and revocation) is validated
    at ``at`` when given, else at the signing time the signature states, else now. ``now``
    (default: the clock, or ``at``) is the time a signing time may not lie more than five minutes
    after, and ``earliest_signing_time`` the time it may not lie before. ``crls`` are DER or PEM
    CRLs and ``ocsp_responses`` DER OCSP responses. When any are given, or ``require_revocation``
    is set, the signer's certificate must be covered by one of them, else the result is
    CERT_REVOCATION_UNKNOWN. Otherwise revocation is not checked and the result carries the
    REVOCATION_NOT_CHECKED warning. The caller chooses fresh enough data
    (``cbccvc.signing.revocation.select_fresh``). Path validation stops after ``path_timeout``
    with CERT_PATH_TIMEOUT. Bad signature bytes never raise; only a naive ``at``, ``now`` or
    ``earliest_signing_time`` (a caller bug) raises ValueError.

    NOTE: the signing-time attribute is stated by the signer, not by a time-stamping authority.
    Without ``at``, someone holding the key of an expired or revoked certificate can backdate it
    and pass the checks at the signing time; the approve stage passes its decision time as ``at``.
    """
    for moment in (at, now, earliest_signing_time):
        if moment is not None and moment.utcoffset() is None:
            raise ValueError("at, now and earliest_signing_time must be timezone-aware")
    policy = _Policy(
        trust_roots, crls, ocsp_responses, require_revocation, at, now, earliest_signing_time,
        allow_legacy_pkcs1v15, min_rsa_bits, min_ec_bits, path_timeout,
    )  # fmt: skip
    try:
        return _verify(signature, content, policy)
    except _Rejected as rejection:
        return rejection.result
    except (*_PARSE_ERRORS, UnsupportedAlgorithm) as error:
        # A structure or algorithm the checks did not foresee. The type and the place are logged,
        # never the values, because certificates carry the signer's name.
        frame = traceback.extract_tb(error.__traceback__)[-1]
        place = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
        logger.warning("signature_parse_error", error=type(error).__name__, place=place)
        return VerificationResult(valid=False).rejected(
            ReasonCode.SIG_MALFORMED, detail=f"unexpected {type(error).__name__} at {place}"
        )


def signature_der(signature: bytes) -> bytes:
    """Return the DER of a PEM-armoured CMS signature ("PKCS7" or "CMS" label), or ``signature`` unchanged."""
    if not pem.detect(signature):
        return signature
    try:
        label, _, der = pem.unarmor(signature)
    except ValueError:
        return signature
    return der if label in _PEM_LABELS else signature


def _verify(signature: bytes, content: bytes, policy: _Policy) -> VerificationResult:
    result = VerificationResult(valid=False)
    if len(signature) > MAX_SIGNATURE_BYTES:
        _reject(result, ReasonCode.SIG_TOO_LARGE, detail=f"{len(signature)} bytes",
                size_kib=str(-(-len(signature) // 1024)), max_kib=str(MAX_SIGNATURE_BYTES // 1024))

    signed_data = _load_signed_data(signature_der(signature))
    if signed_data is None:
        _reject(result, ReasonCode.SIG_MALFORMED, detail="not a ContentInfo with SignedData")
    signer_infos = list(signed_data["signer_infos"])
    if not signer_infos:
        _reject(result, ReasonCode.SIG_MALFORMED, detail="no SignerInfo")
    if len(signer_infos) > 1:
        # An approval is one person's decision; with several signers, which one approves would
        # depend on the DER order of the SET OF SignerInfos.
        _reject(result, ReasonCode.SIG_MULTIPLE_SIGNERS, detail=f"{len(signer_infos)} SignerInfos",
                signer_count=str(len(signer_infos)))

    embedded = _embedded_certificates(signed_data)
    if embedded is None:
        _reject(result, ReasonCode.SIG_MALFORMED, detail="an embedded certificate does not parse")
    _check_embedded_limits(embedded, result)
    return _run_checks(signer_infos[0], signed_data, content, embedded, policy)


def _check_embedded_limits(embedded: list[_EmbeddedCert], result: VerificationResult) -> None:
    if len(embedded) > MAX_EMBEDDED_CERTIFICATES:
        _reject(result, ReasonCode.SIG_TOO_MANY_CERTIFICATES, detail=f"{len(embedded)} certificates",
                certificate_count=str(len(embedded)), max_count=str(MAX_EMBEDDED_CERTIFICATES))
    by_subject: dict[bytes, bytes] = {}
    for item in embedded:
        subject, der = item.asn1.subject.dump(), item.asn1.dump()
        if by_subject.setdefault(subject, der) != der:
            _reject(result, ReasonCode.CERT_PATH_AMBIGUOUS, detail="two certificates share a subject name")


def _run_checks(
    info: cms.SignerInfo,
    signed_data: cms.SignedData,
    content: bytes,
    embedded: list[_EmbeddedCert],
    policy: _Policy,
) -> VerificationResult:
    result = VerificationResult(valid=False)

    attributes = _signed_attributes(info, result)
    content_type = _single_value(attributes, "content_type", result)
    message_digest = _single_value(attributes, "message_digest", result)
    if content_type is None or message_digest is None:
        _reject(result, ReasonCode.SIG_NO_SIGNED_ATTRS, detail="content-type or message-digest missing")
    if content_type.native != signed_data["encap_content_info"]["content_type"].native:
        _reject(result, ReasonCode.SIG_MALFORMED, detail="content-type attribute mismatch")
    if content_type.native != "data":
        # A manifest is plain data; another type (a time-stamp token, say) gives the bytes another meaning.
        _reject(result, ReasonCode.SIG_MALFORMED, detail="content type is not id-data")

    digest_name = info["digest_algorithm"]["algorithm"].native
    signature_oid = info["signature_algorithm"]["algorithm"].native
    result = replace(result, digest_algorithm=digest_name, signature_algorithm=_scheme_label(signature_oid))
    _check_digest_algorithms(info, digest_name, result)

    result = _check_content(signed_data, content, digest_name, message_digest.native, result)

    signer = _find_signer(info, embedded, result)
    result = replace(
        result,
        signer_subject=signer.cert.subject.rfc4514_string(),
        signer_serial=_serial_hex(signer.cert.serial_number),
        signer_fingerprint_sha256=signer.cert.fingerprint(hashes.SHA256()).hex(),
        signer_certificate=signer.cert,
    )
    _check_signing_certificate_attributes(attributes, signer, result)

    result = _check_signature(info, signer.cert, policy, result)
    _check_key(signer.cert, policy, result)

    signing_time = _signing_time(attributes, result)
    result = replace(result, signing_time=signing_time)
    if signing_time is None:
        result = result.with_warning(WarningCode.SIG_NO_SIGNING_TIME)
    reference = policy.now or policy.at or datetime.now(UTC)
    _check_signing_time(signing_time, reference, policy, result)

    profile_reason = check_signer_profile(signer.cert)
    if profile_reason is not None:
        _reject(result, profile_reason, detail="signer certificate profile")

    moment = policy.at or signing_time or reference
    result = _check_path(signer, embedded, moment, policy, result)
    return replace(result, valid=True)


def _check_signing_time(signing_time: datetime | None, reference: datetime, policy: _Policy,
                        result: VerificationResult) -> None:
    # Runs before the path check, so a wrong clock is reported as such and not as a certificate
    # that was not yet (or no longer) valid at the stated time.
    if signing_time is None:
        return
    if signing_time > reference + CLOCK_SKEW:
        _reject(result, ReasonCode.SIG_TIME_INVALID, detail="signing time is in the future",
                signing_time=format_time(signing_time))
    earliest = policy.earliest_signing_time
    if earliest is not None and signing_time < earliest:
        _reject(result, ReasonCode.SIG_TIME_TOO_EARLY, detail="signing time before the earliest allowed",
                signing_time=format_time(signing_time), earliest=format_time(earliest))


def embedded_certificates(signature: bytes) -> list[x509.Certificate]:
    """Return the certificates a CMS signature carries; empty when the bytes do not parse or carry too many."""
    if len(signature) > MAX_SIGNATURE_BYTES:
        return []
    signed_data = _load_signed_data(signature_der(signature))
    if signed_data is None:
        return []
    found = _embedded_certificates(signed_data) or []
    return [item.cert for item in found] if len(found) <= MAX_EMBEDDED_CERTIFICATES else []


def _load_signed_data(signature: bytes) -> cms.SignedData | None:
    try:
        info = cms.ContentInfo.load(signature, strict=True)
        if info["content_type"].native != "signed_data":
            return None
        signed_data = info["content"]
        # Parse every field now, so a bad encoding is reported here and not at a later field access.
        signed_data.native  # noqa: B018
    except _PARSE_ERRORS:
        return None
    if not isinstance(signed_data, cms.SignedData):
        return None
    return signed_data


def _embedded_certificates(signed_data: cms.SignedData) -> list[_EmbeddedCert] | None:
    certificates = signed_data["certificates"]
    if certificates.native is None:
        return []
    found: list[_EmbeddedCert] = []
    for choice in certificates:
        if choice.name != "certificate":
            continue  # attribute certificates and other formats do not identify signers
        try:
            cert = x509.load_der_x509_certificate(choice.chosen.dump())
            cert.extensions  # noqa: B018 - parses the extensions now, so later checks cannot fail
        except (ValueError, x509.InvalidVersion):
            return None
        found.append(_EmbeddedCert(choice.chosen, cert))
    return found


def _signed_attributes(info: cms.SignerInfo, result: VerificationResult) -> dict[str, list[Asn1Value]]:
    signed_attrs = info["signed_attrs"]
    if signed_attrs.native is None or len(signed_attrs) == 0:
        _reject(result, ReasonCode.SIG_NO_SIGNED_ATTRS, detail="no signed attributes")

    attributes: dict[str, list[Asn1Value]] = {}
    for attribute in signed_attrs:
        name = attribute["type"].native
        if name in attributes:
            # RFC 5652, section 5.3: each attribute type appears at most once.
            _reject(result, ReasonCode.SIG_MALFORMED, detail=f"duplicate attribute {name}")
        attributes[name] = list(attribute["values"])
    return attributes


def _single_value(attributes: dict[str, list[Asn1Value]], name: str, result: VerificationResult) -> Asn1Value | None:
    values = attributes.get(name)
    if values is None:
        return None
    if len(values) != 1:
        _reject(result, ReasonCode.SIG_MALFORMED, detail=f"attribute {name} needs one value")
    return values[0]


def _check_digest_algorithms(info: cms.SignerInfo, digest_name: str, result: VerificationResult) -> None:
    named = [digest_name, *_hashes_in_signature_algorithm(info["signature_algorithm"], result)]
    for name in named:
        if not is_allowed_digest(name):
            _reject(
                result,
                ReasonCode.SIG_WEAK_DIGEST,
                detail=f"digest {name} is not allowed",
                digest_algorithm=_DIGEST_LABELS.get(name, name),
            )


def _hashes_in_signature_algorithm(algorithm: algos.SignedDigestAlgorithm, result: VerificationResult) -> list[str]:
    name = algorithm["algorithm"].native
    if name != "rsassa_pss":
        named = hash_in_signature_oid(name)
        return [named] if named else []

    parameters = algorithm["parameters"]
    if not isinstance(parameters, algos.RSASSAPSSParams):
        _reject(result, ReasonCode.SIG_MALFORMED, detail="RSASSA-PSS parameters missing")
    mask_generation = parameters["mask_gen_algorithm"]
    if mask_generation["algorithm"].native != "mgf1":
        _reject(result, ReasonCode.SIG_ALGORITHM_UNSUPPORTED, detail="PSS mask generation is not MGF1")
    return [
        parameters["hash_algorithm"]["algorithm"].native,
        mask_generation["parameters"]["algorithm"].native,
    ]


def _check_content(
    signed_data: cms.SignedData,
    content: bytes,
    digest_name: str,
    stated_digest: object,
    result: VerificationResult,
) -> VerificationResult:
    encapsulated = signed_data["encap_content_info"]["content"]
    if encapsulated.native is not None:
        if encapsulated.native != content:
            _reject(result, ReasonCode.SIG_CONTENT_MISMATCH, detail="encapsulated content differs")
        result = result.with_warning(WarningCode.SIG_CONTENT_ATTACHED)

    actual = compute_digest(digest_name, content)
    if not isinstance(stated_digest, bytes) or not hmac.compare_digest(actual, stated_digest):
        _reject(result, ReasonCode.SIG_CONTENT_MISMATCH, detail="message-digest differs")
    return result


def _find_signer(info: cms.SignerInfo, embedded: list[_EmbeddedCert], result: VerificationResult) -> _EmbeddedCert:
    sid = info["sid"]
    for candidate in embedded:
        if sid.name == "issuer_and_serial_number":
            issuer_serial = sid.chosen
            if (
                candidate.asn1.issuer == issuer_serial["issuer"]
                and candidate.asn1.serial_number == issuer_serial["serial_number"].native
            ):
                return candidate
        elif sid.name == "subject_key_identifier" and candidate.asn1.key_identifier == sid.chosen.native:
            return candidate
    _reject(result, ReasonCode.SIG_SIGNER_CERT_MISSING, detail=f"no certificate matches the {sid.name}")


def _check_signing_certificate_attributes(
    attributes: dict[str, list[Asn1Value]], signer: _EmbeddedCert, result: VerificationResult
) -> None:
    """Check the ESS signing-certificate attributes, v1 (RFC 2634) and v2 (RFC 5035), against the signer's certificate.

    The first ESSCertID names the signing certificate; further ones may name its issuers.
    """
    for name, attribute_class in (("signing_certificate", tsp.SigningCertificate),
                                  ("signing_certificate_v2", tsp.SigningCertificateV2)):
        values = attributes.get(name)
        if values is None:
            continue
        if len(values) != 1 or not isinstance(values[0], attribute_class) or len(values[0]["certs"]) == 0:
            _reject(result, ReasonCode.SIG_MALFORMED, detail=f"bad {name} attribute")
        first = values[0]["certs"][0]
        # ESSCertID (v1) hashes with SHA-1 by definition; it identifies a certificate, it signs nothing.
        hash_name = "sha1" if name == "signing_certificate" else first["hash_algorithm"]["algorithm"].native
        if name == "signing_certificate_v2" and not is_allowed_digest(hash_name):
            _reject(
                result,
                ReasonCode.SIG_WEAK_DIGEST,
                detail="signing-certificate-v2 uses a weak hash",
                digest_algorithm=_DIGEST_LABELS.get(hash_name, hash_name),
            )
        if not hmac.compare_digest(compute_digest(hash_name, signer.asn1.dump()), first["cert_hash"].native):
            _reject(result, ReasonCode.SIG_SIGNER_CERT_MISSING, detail=f"{name} names another certificate")
        if not _issuer_serial_matches(first["issuer_serial"], signer.asn1):
            _reject(result, ReasonCode.SIG_SIGNER_CERT_MISSING, detail=f"{name} names another issuer and serial")


def _issuer_serial_matches(issuer_serial: Asn1Value, cert: asn1_x509.Certificate) -> bool:
    """Return whether an optional ESS IssuerSerial names ``cert`` (an absent one names any)."""
    if issuer_serial.native is None:
        return True
    if issuer_serial["serial_number"].native != cert.serial_number:
        return False
    names = [name.chosen for name in issuer_serial["issuer"] if name.name == "directory_name"]
    return not names or any(name == cert.issuer for name in names)


@dataclass(frozen=True, slots=True)
class _SignatureInput:
    """Inputs of one signature check: the signature, the bytes it may cover and the digest name."""

    signature: bytes
    candidates: list[bytes]
    digest_name: str


def _check_signature(
    info: cms.SignerInfo, cert: x509.Certificate, policy: _Policy, result: VerificationResult
) -> VerificationResult:
    try:
        public_key = cert.public_key()
    except UnsupportedAlgorithm:
        _reject(result, ReasonCode.SIG_ALGORITHM_UNSUPPORTED, detail="unsupported public key type")

    signed_attrs = info["signed_attrs"]
    # RFC 5652, section 5.4: the signature covers the DER of the attributes as a SET OF. The
    # received bytes are tried too, for signers whose encoder differs from asn1crypto's DER.
    candidates = [signed_attrs.untag().dump(force=True)]
    received = bytes([_SET_OF_TAG]) + signed_attrs.dump()[1:]
    if received != candidates[0]:
        candidates.append(received)
    digest_name = info["digest_algorithm"]["algorithm"].native
    signed = _SignatureInput(info["signature"].native, candidates, digest_name)

    algorithm = info["signature_algorithm"]
    signature_oid = algorithm["algorithm"].native
    if signature_oid == "rsassa_pss":
        if not isinstance(public_key, rsa.RSAPublicKey):
            _reject(result, ReasonCode.SIG_INVALID, detail="RSASSA-PSS with a non-RSA key")
        _verify_pss(public_key, algorithm["parameters"], signed, result)
        return result

    named_hash = hash_in_signature_oid(signature_oid)
    if named_hash is not None and named_hash != digest_name:
        _reject(result, ReasonCode.SIG_ALGORITHM_UNSUPPORTED, detail="signature hash differs from digest")

    if signature_oid in RSA_PKCS1V15_OIDS:
        if not isinstance(public_key, rsa.RSAPublicKey):
            _reject(result, ReasonCode.SIG_INVALID, detail="RSA signature with a non-RSA key")
        result = replace(result, legacy_padding=True)
        if not policy.allow_legacy_pkcs1v15:
            _reject(result, ReasonCode.SIG_LEGACY_PADDING_REJECTED, detail="PKCS #1 v1.5 not allowed")
        _verify_rsa(public_key, padding.PKCS1v15(), signed, result)
        return result.with_warning(WarningCode.SIG_LEGACY_PADDING)

    if signature_oid in ECDSA_OIDS:
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            _reject(result, ReasonCode.SIG_INVALID, detail="ECDSA signature with a non-EC key")
        _verify_ecdsa(public_key, signed, result)
        return result

    _reject(
        result,
        ReasonCode.SIG_ALGORITHM_UNSUPPORTED,
        detail=f"signature algorithm {signature_oid}",
        signature_algorithm=str(signature_oid),
    )


def _verify_pss(
    public_key: rsa.RSAPublicKey,
    parameters: algos.RSASSAPSSParams,
    signed: _SignatureInput,
    result: VerificationResult,
) -> None:
    # RFC 4056, section 3: the PSS hash must be the SignerInfo digest algorithm.
    if parameters["hash_algorithm"]["algorithm"].native != signed.digest_name:
        _reject(result, ReasonCode.SIG_ALGORITHM_UNSUPPORTED, detail="PSS hash differs from digest")
    if parameters["trailer_field"].native != "trailer_field_bc":
        _reject(result, ReasonCode.SIG_ALGORITHM_UNSUPPORTED, detail="PSS trailer field is not 0xBC")

    mgf_hash = new_hash(parameters["mask_gen_algorithm"]["parameters"]["algorithm"].native)
    try:
        pss = padding.PSS(mgf=padding.MGF1(mgf_hash), salt_length=parameters["salt_length"].native)
    except (ValueError, TypeError, OverflowError):
        # OverflowError: a salt length too large for a C integer.
        _reject(result, ReasonCode.SIG_INVALID, detail="bad PSS salt length")
    _verify_rsa(public_key, pss, signed, result)


def _verify_rsa(
    public_key: rsa.RSAPublicKey,
    scheme: padding.AsymmetricPadding,
    signed: _SignatureInput,
    result: VerificationResult,
) -> None:
    for data in signed.candidates:
        try:
            public_key.verify(signed.signature, data, scheme, new_hash(signed.digest_name))
        except (InvalidSignature, ValueError, OverflowError):
            continue
        return
    _reject(result, ReasonCode.SIG_INVALID, detail="RSA signature does not verify")


def _verify_ecdsa(public_key: ec.EllipticCurvePublicKey, signed: _SignatureInput, result: VerificationResult) -> None:
    for data in signed.candidates:
        try:
            public_key.verify(signed.signature, data, ec.ECDSA(new_hash(signed.digest_name)))
        except InvalidSignature:
            continue
        return
    _reject(result, ReasonCode.SIG_INVALID, detail="ECDSA signature does not verify")


def _check_key(cert: x509.Certificate, policy: _Policy, result: VerificationResult) -> None:
    public_key = cert.public_key()
    if isinstance(public_key, rsa.RSAPublicKey):
        key_type, bits, minimum = "RSA", public_key.key_size, policy.min_rsa_bits
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        key_type, bits, minimum = "ECDSA", public_key.curve.key_size, policy.min_ec_bits
    else:
        return  # _check_signature accepts only RSA and EC keys
    if bits < minimum:
        _reject(
            result,
            ReasonCode.SIG_WEAK_KEY,
            detail=f"{key_type} key of {bits} bits",
            key_type=key_type,
            key_bits=str(bits),
            min_bits=str(minimum),
        )
    problem = key_parameter_problem(public_key)
    if problem is not None:
        _reject(result, ReasonCode.SIG_KEY_UNSUPPORTED, detail=f"{key_type} key with {problem}",
                key_type=key_type, key_parameter=problem)


def _signing_time(attributes: dict[str, list[Asn1Value]], result: VerificationResult) -> datetime | None:
    value = _single_value(attributes, "signing_time", result)
    if value is None:
        return None
    if not isinstance(value, cms.Time) or not isinstance(value.native, datetime):
        _reject(result, ReasonCode.SIG_MALFORMED, detail="bad signing-time attribute")
    return value.native


def _check_path(
    signer: _EmbeddedCert,
    embedded: list[_EmbeddedCert],
    moment: datetime,
    policy: _Policy,
    result: VerificationResult,
) -> VerificationResult:
    others = [item.cert for item in embedded if item is not signer]
    check = validate_signer_path(
        signer.cert,
        others,
        trust_roots=policy.trust_roots,
        crls=policy.crls,
        ocsp_responses=policy.ocsp_responses,
        require_revocation=policy.require_revocation,
        moment=moment,
        timeout=policy.path_timeout,
    )
    if check.unreadable_crls:
        result = result.with_warning(WarningCode.CRL_UNREADABLE, crl_count=str(check.unreadable_crls))
    if not check.revocation_checked:
        result = result.with_warning(WarningCode.REVOCATION_NOT_CHECKED)
    if check.reason is not None:
        _reject(result, check.reason, detail=check.detail, **check.params)
    return replace(
        result,
        chain_subjects=check.chain_subjects,
        certificate_chain=check.chain,
        params={**result.params, **check.params},
    )


def _scheme_label(signature_oid: str) -> str:
    if signature_oid == "rsassa_pss":
        return SignatureScheme.RSASSA_PSS.value
    if signature_oid in RSA_PKCS1V15_OIDS:
        return SignatureScheme.RSASSA_PKCS1V15.value
    if signature_oid in ECDSA_OIDS:
        return SignatureScheme.ECDSA.value
    return str(signature_oid)


def _serial_hex(serial: int) -> str:
    text = format(serial, "x")
    return text if len(text) % 2 == 0 else "0" + text
