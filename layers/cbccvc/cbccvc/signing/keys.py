"""Loading approvers' keys and certificates from PKCS #12 and PEM files."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from cbccvc.signing.cms import KeySigner
from cbccvc.signing.errors import KeyFileError


def load_pkcs12(data: bytes, password: bytes | None) -> KeySigner:
    """Load a PKCS #12 (.p12/.pfx) file into a KeySigner: its key, certificate and chain.

    The extra certificates become the chain, minus self-signed ones (roots are trust anchors
    and need not travel in the signature). Raises KeyFileError for a wrong password, a damaged
    file, a file without key or certificate, or a key that is neither RSA nor EC.
    """
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError as error:
        raise KeyFileError("cannot read the PKCS #12 file: wrong password or damaged file") from error
    if key is None or certificate is None:
        raise KeyFileError("the PKCS #12 file lacks the private key or the signer's certificate")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyFileError(f"the PKCS #12 key is {type(key).__name__}; approval signatures need RSA or EC")

    chain = [cert for cert in extra if cert.subject != cert.issuer]
    return KeySigner(key, certificate, chain)


def load_pem_certificates(data: bytes) -> list[x509.Certificate]:
    """Load every certificate in PEM ``data``, in file order. Raises KeyFileError when none parse."""
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise KeyFileError("no PEM certificate could be read") from error
