"""The agency's seal: a second signature, by the agency itself, applied after the approver's.

Decree 30/2020/NĐ-CP makes an official electronic document valid when it carries both the
competent person's digital signature and the agency's. The pipeline mirrors this: once the
approver's signature over a batch manifest is verified, the approve stage seals the same
manifest bytes with the agency's key in AWS KMS. The seal is a detached CMS SignedData whose
signer is the agency's seal certificate, stored at ``config/seals/{agency}.pem`` (the seal
certificate first, then its CA certificates). Sealing the manifest rather than the approver's
signature keeps each signature checkable on its own by any CMS tool; the evidence bundle keeps
both together. A seal certificate names its agency in the organizationIdentifier attribute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography import x509
from cryptography.x509.oid import NameOID

from cbccvc.signing.cms import sign_detached
from cbccvc.signing.errors import KeyFileError, KmsSigningError, SignerKeyError
from cbccvc.signing.keys import load_pem_certificates
from cbccvc.signing.kms import KmsSigner
from cbccvc.storage import ObjectNotFoundError, ObjectStore

SEALS_PREFIX = "config/seals/"


class SealUnavailableError(Exception):
    """The seal cannot be applied now (missing or wrong certificate, KMS failure); the approval waits."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Seal:
    """A seal signature with the certificates that make it checkable."""

    signature: bytes
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)


class Sealer(Protocol):
    """Applies an agency's seal to manifest bytes."""

    def seal(self, agency_code: str, manifest: bytes) -> Seal:
        """Return the agency's detached CMS seal over ``manifest``; raise SealUnavailableError if it cannot."""
        ...


def seal_agency(certificate: x509.Certificate) -> str | None:
    """Return the agency code a seal certificate names in organizationIdentifier, or None."""
    values = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    if len(values) != 1:
        return None
    value = values[0].value
    return value if isinstance(value, str) else None


class KmsSealer:
    """Seals with one AWS KMS key (ECC_NIST_P256, ECDSA_SHA_256) and each agency's certificate for it."""

    def __init__(self, kms_client: Any, key_id: str, store: ObjectStore, seals_prefix: str = SEALS_PREFIX) -> None:
        self._kms = kms_client
        self._key_id = key_id
        self._store = store
        self._prefix = seals_prefix

    def certificate_key(self, agency_code: str) -> str:
        return f"{self._prefix}{agency_code}.pem"

    def seal(self, agency_code: str, manifest: bytes) -> Seal:
        key = self.certificate_key(agency_code)
        try:
            certificates = load_pem_certificates(self._store.get(key))
        except (ObjectNotFoundError, KeyFileError):
            raise SealUnavailableError("SEAL_NOT_CONFIGURED", agency=agency_code, key=key) from None
        certificate, chain = certificates[0], [cert for cert in certificates[1:] if cert.subject != cert.issuer]
        if seal_agency(certificate) != agency_code:
            raise SealUnavailableError("SEAL_NOT_CONFIGURED", agency=agency_code, key=key)

        try:
            signer = KmsSigner(self._kms, self._key_id, certificate, chain)
            signature = sign_detached(manifest, signer)
        except SignerKeyError:
            # The certificate is for another key, or the key cannot sign: a configuration problem.
            raise SealUnavailableError("SEAL_NOT_CONFIGURED", agency=agency_code, key=key) from None
        except KmsSigningError as error:
            raise SealUnavailableError("SEAL_FAILED", agency=agency_code, detail=type(error).__name__) from error
        return Seal(signature, certificate, chain)
