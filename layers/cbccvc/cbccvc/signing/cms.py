"""Detached CMS (PKCS #7) signatures over batch manifests: the signer abstraction and signing.

An approver approves a batch by signing its manifest bytes. The signature is a DER ContentInfo
holding SignedData (RFC 5652) without encapsulated content, with one SignerInfo whose signed
attributes are content-type, signing-time, message-digest and the ESS signing-certificate-v2
attribute (RFC 5035) that binds the signer's certificate. Verification lives in
``cbccvc.signing.verification`` and is re-exported here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cbccvc.signing.algorithms import (
    SIGNING_DIGESTS,
    SignatureAlgorithm,
    SignatureScheme,
    compute_digest,
    new_hash,
)
from cbccvc.signing.errors import SignerKeyError
from cbccvc.signing.result import ReasonCode, VerificationResult, WarningCode
from cbccvc.signing.verification import verify_detached

__all__ = [
    "KeySigner",
    "ReasonCode",
    "SignatureAlgorithm",
    "SignatureScheme",
    "Signer",
    "VerificationResult",
    "WarningCode",
    "sign_detached",
    "verify_detached",
]

SignerPrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@runtime_checkable
class Signer(Protocol):
    """A source of approval signatures: a key in memory today, a PKCS #11 token or a KMS key later."""

    @property
    def certificate(self) -> x509.Certificate:
        """The signer's own certificate."""
        ...

    @property
    def chain(self) -> Sequence[x509.Certificate]:
        """Intermediate CA certificates to embed, from the signer's issuer upwards (no root needed)."""
        ...

    @property
    def algorithm(self) -> SignatureAlgorithm:
        """The digest and signature scheme this signer produces."""
        ...

    def sign_digest_input(self, data: bytes) -> bytes:
        """Sign ``data`` (the DER of the signed attributes), hashing it with ``algorithm.digest``."""
        ...


class KeySigner:
    """A signer backed by a private key in memory (for example one loaded from a PKCS #12 file).

    RSA keys sign with RSASSA-PSS by default, with MGF1 over the same hash and a salt as long as
    the hash. ``rsa_scheme=SignatureScheme.RSASSA_PKCS1V15`` produces the legacy padding that
    older tokens use.
    EC keys sign with ECDSA and a hash matched to the curve size (SHA-256 up to 256 bits, SHA-384
    up to 384 bits, SHA-512 above). Raises SignerKeyError when the key does not fit the certificate.
    """

    def __init__(
        self,
        private_key: SignerPrivateKey,
        certificate: x509.Certificate,
        chain: Sequence[x509.Certificate] = (),
        *,
        digest: str | None = None,
        rsa_scheme: SignatureScheme = SignatureScheme.RSASSA_PSS,
    ) -> None:
        if private_key.public_key() != certificate.public_key():
            raise SignerKeyError("the private key does not belong to the certificate", "reason.key_not_certified")
        if digest is not None and digest not in SIGNING_DIGESTS:
            raise SignerKeyError(f"digest {digest!r} is not one of {sorted(SIGNING_DIGESTS)}",
                                 "reason.digest_unsupported", digest=digest)

        self._private_key = private_key
        self._certificate = certificate
        self._chain = tuple(chain)
        self._algorithm = _algorithm_for_key(private_key, digest, rsa_scheme)

    @property
    def certificate(self) -> x509.Certificate:
        return self._certificate

    @property
    def chain(self) -> Sequence[x509.Certificate]:
        return self._chain

    @property
    def algorithm(self) -> SignatureAlgorithm:
        return self._algorithm

    def sign_digest_input(self, data: bytes) -> bytes:
        hash_algorithm = new_hash(self._algorithm.digest)
        key = self._private_key
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algorithm))
        if self._algorithm.scheme is SignatureScheme.RSASSA_PSS:
            pss = padding.PSS(mgf=padding.MGF1(new_hash(self._algorithm.digest)), salt_length=padding.PSS.DIGEST_LENGTH)
            return key.sign(data, pss, hash_algorithm)
        return key.sign(data, padding.PKCS1v15(), hash_algorithm)


def sign_detached(content: bytes, signer: Signer, *, signing_time: datetime | None = None) -> bytes:
    """Sign ``content`` and return a DER ContentInfo(SignedData) without the content itself.

    ``signing_time`` (timezone-aware; now by default) is truncated to whole seconds, because the
    signing-time attribute carries no fractions. The certificates set contains the signer's
    certificate followed by ``signer.chain``. Which digest is used is the signer's choice (KeySigner
    offers only SHA-256, SHA-384 and SHA-512). Raises ValueError for a naive ``signing_time``.
    """
    when = (signing_time or datetime.now(UTC)).replace(microsecond=0)
    if when.utcoffset() is None:
        raise ValueError("signing_time must be timezone-aware")

    algorithm = signer.algorithm
    signer_cert = _to_asn1(signer.certificate)
    content_digest = compute_digest(algorithm.digest, content)
    signed_attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "signing_time", "values": [_signing_time_value(when)]},
            {"type": "message_digest", "values": [content_digest]},
            {"type": "signing_certificate_v2", "values": [_signing_certificate_v2(signer_cert)]},
        ]
    )

    # The signature covers the DER of the attributes as a SET OF (tag 0x31), not the [0] IMPLICIT
    # form they take inside SignerInfo (RFC 5652, section 5.4).
    signature = signer.sign_digest_input(signed_attrs.dump())

    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": signer_cert.issuer,
                        "serial_number": signer_cert.serial_number,
                    }
                }
            ),
            "digest_algorithm": algorithm.digest_algorithm_identifier(),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algorithm.signature_algorithm_identifier(),
            "signature": signature,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algorithm.digest_algorithm_identifier()],
            "encap_content_info": {"content_type": "data"},
            "certificates": [signer_cert, *(_to_asn1(cert) for cert in signer.chain)],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def _algorithm_for_key(
    private_key: SignerPrivateKey, digest: str | None, rsa_scheme: SignatureScheme
) -> SignatureAlgorithm:
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        return SignatureAlgorithm(digest or _digest_for_curve(private_key.curve), SignatureScheme.ECDSA)
    if isinstance(private_key, rsa.RSAPrivateKey):
        if rsa_scheme is SignatureScheme.ECDSA:
            raise SignerKeyError("an RSA key cannot sign with ECDSA", "reason.rsa_with_ecdsa")
        return SignatureAlgorithm(digest or "sha256", rsa_scheme)
    raise SignerKeyError(f"unsupported key type {type(private_key).__name__}; use RSA or EC",
                         "reason.key_type_unsupported", kind=type(private_key).__name__)


def _digest_for_curve(curve: ec.EllipticCurve) -> str:
    if curve.key_size <= 256:
        return "sha256"
    if curve.key_size <= 384:
        return "sha384"
    return "sha512"


def _signing_time_value(when: datetime) -> cms.Time:
    # RFC 5652, section 11.3: UTCTime for years 1950 to 2049, GeneralizedTime otherwise.
    if 1950 <= when.astimezone(UTC).year <= 2049:
        return cms.Time({"utc_time": when})
    return cms.Time({"generalized_time": when})


def _signing_certificate_v2(cert: asn1_x509.Certificate) -> tsp.SigningCertificateV2:
    # The hash algorithm is left at its default, SHA-256, so DER omits it.
    return tsp.SigningCertificateV2(
        {
            "certs": [
                {
                    "cert_hash": hashlib.sha256(cert.dump()).digest(),
                    "issuer_serial": {
                        "issuer": [asn1_x509.GeneralName({"directory_name": cert.issuer})],
                        "serial_number": cert.serial_number,
                    },
                }
            ]
        }
    )


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
