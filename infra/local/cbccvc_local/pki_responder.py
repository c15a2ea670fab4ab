"""The demo CAs' publication point: their CRLs over HTTP and an OCSP responder (RFC 6960).

The local emulator serves these under ``/pki/`` (``GET /pki/root-ca.crl``,
``GET /pki/issuing-ca.crl``, ``POST /pki/ocsp``), at the URLs the demo certificates name, so the
approve stage can fetch revocation data the way it would from a real CA.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asn1crypto import keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from cbccvc_local.pki import ISSUING_CRL_NAME, ROOT_CRL_NAME, DemoPki

# How long an OCSP response may be relied on (its nextUpdate).
OCSP_VALIDITY = timedelta(days=1)
# The CRL reason every demo revocation carries, as the demo CRL states it.
_REVOCATION_REASON = x509.ReasonFlags.key_compromise


class DemoPkiResponder:
    """Serves the current CRL files of a demo PKI and signs OCSP responses with the issuing CA's key.

    NOTE: the demo CA keeps no list of the certificates it issued, so the responder returns
    "good" for every serial of its own that is not on its CRL, where a real responder returns
    "unknown" for serials it never issued.
    """

    def __init__(self, pki: DemoPki) -> None:
        self._pki = pki

    def crl(self, file_name: str) -> bytes | None:
        """Return the DER CRL published as ``file_name``, or None for an unknown name."""
        paths = {ROOT_CRL_NAME: self._pki.root_crl_der, ISSUING_CRL_NAME: self._pki.issuing_crl_der}
        path = paths.get(file_name)
        return path.read_bytes() if path is not None else None

    def ocsp(self, request_der: bytes) -> bytes:
        """Return the DER OCSPResponse to a DER OCSPRequest for one certificate."""
        try:
            request = ocsp.load_der_ocsp_request(request_der)
        except ValueError:
            return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)

        issuing = self._pki.load_issuing_ca()
        if not _names_issuer(request, issuing.certificate):
            return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)

        now = datetime.now(UTC).replace(microsecond=0)
        revoked_at = self._pki.revoked_serials().get(request.serial_number)
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=request.serial_number,
            algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.GOOD if revoked_at is None else ocsp.OCSPCertStatus.REVOKED,
            this_update=now - timedelta(minutes=1),
            next_update=now + OCSP_VALIDITY,
            revocation_time=revoked_at,
            revocation_reason=_REVOCATION_REASON if revoked_at is not None else None,
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, issuing.certificate)
        response = builder.sign(issuing.private_key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)


def _names_issuer(request: ocsp.OCSPRequest, issuer: x509.Certificate) -> bool:
    """Check that the request's CertID hashes name ``issuer`` (RFC 6960, section 4.1.1)."""
    algorithm = request.hash_algorithm
    name_hash = hashes.Hash(algorithm)
    name_hash.update(issuer.subject.public_bytes())
    key_hash = hashes.Hash(algorithm)
    key_hash.update(_subject_public_key_bits(issuer))
    return name_hash.finalize() == request.issuer_name_hash and key_hash.finalize() == request.issuer_key_hash


def _subject_public_key_bits(certificate: x509.Certificate) -> bytes:
    # The key hash covers the BIT STRING value of subjectPublicKey, without tag, length and the
    # unused-bits octet; for EC keys that is the uncompressed point.
    der = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    info = keys.PublicKeyInfo.load(der)
    bits: bytes = info["public_key"].contents[1:]
    return bits


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)
