"""Signing with a PKCS #11 token: the USB tokens officials hold their signing keys on.

The private key never leaves the token. RSA keys sign the signed attributes with the token's
hash-and-sign RSASSA-PSS mechanism (CKM_SHA256_RSA_PKCS_PSS and its SHA-384/512 forms; MGF1 with
the same hash, salt as long as the hash), or PKCS #1 v1.5 on request. EC keys sign a digest made
here with CKM_ECDSA, because many tokens offer no hash-and-sign ECDSA; the raw r‖s the token
returns is DER-encoded as CMS expects. Every token signature is verified against the
certificate before it is used, so a certificate that does not belong to the key is caught.

Uses python-pkcs11, imported when a token is opened, so the Lambda layer does not need it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cbccvc.signing.algorithms import SignatureAlgorithm, SignatureScheme, compute_digest, new_hash, signature_verifies
from cbccvc.signing.errors import SignerKeyError, TokenError

_CURVE_DIGESTS = {256: "sha256", 384: "sha384", 521: "sha512"}


class Pkcs11Signer:
    """A Signer over a private key object of an open PKCS #11 session (see ``open_pkcs11_signer``)."""

    def __init__(
        self,
        private_key: Any,
        certificate: x509.Certificate,
        chain: Sequence[x509.Certificate] = (),
        *,
        rsa_scheme: SignatureScheme = SignatureScheme.RSASSA_PSS,
    ) -> None:
        public_key = certificate.public_key()
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            digest = _CURVE_DIGESTS.get(public_key.curve.key_size)
            if digest is None:
                raise SignerKeyError(f"EC curve {public_key.curve.name} is not supported", "reason.curve_unsupported",
                                     curve=public_key.curve.name)
            self._algorithm = SignatureAlgorithm(digest, SignatureScheme.ECDSA)
        elif isinstance(public_key, rsa.RSAPublicKey):
            if rsa_scheme is SignatureScheme.ECDSA:
                raise SignerKeyError("an RSA key cannot sign with ECDSA", "reason.rsa_with_ecdsa")
            self._algorithm = SignatureAlgorithm("sha256", rsa_scheme)
        else:
            raise SignerKeyError("the certificate's key is neither RSA nor EC", "reason.key_type_unsupported",
                                 kind=type(public_key).__name__)
        self._private_key = private_key
        self._public_key = public_key
        self._certificate = certificate
        self._chain = tuple(chain)

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
        from pkcs11 import MGF, Mechanism  # noqa: PLC0415 - optional dependency, see the module docstring
        from pkcs11.exceptions import PKCS11Error  # noqa: PLC0415
        from pkcs11.util.ec import encode_ecdsa_signature  # noqa: PLC0415

        digest = self._algorithm.digest
        suffix = digest.removeprefix("sha")
        try:
            if self._algorithm.scheme is SignatureScheme.ECDSA:
                raw = self._private_key.sign(compute_digest(digest, data), mechanism=Mechanism.ECDSA)
                signature: bytes = encode_ecdsa_signature(raw)
            elif self._algorithm.scheme is SignatureScheme.RSASSA_PSS:
                parameters = (Mechanism[f"SHA{suffix}"], MGF[f"SHA{suffix}"], new_hash(digest).digest_size)
                signature = self._private_key.sign(
                    data, mechanism=Mechanism[f"SHA{suffix}_RSA_PKCS_PSS"], mechanism_param=parameters
                )
            else:
                signature = self._private_key.sign(data, mechanism=Mechanism[f"SHA{suffix}_RSA_PKCS"])
        except PKCS11Error as error:
            raise TokenError(f"signing on the token failed: {type(error).__name__}", "reason.token_refused",
                             error=type(error).__name__) from error
        self._check(signature, data)
        return signature

    def _check(self, signature: bytes, data: bytes) -> None:
        if not signature_verifies(self._public_key, self._algorithm, signature, data):
            raise SignerKeyError(
                "the token's signature does not verify with the certificate: wrong key or certificate",
                "reason.signature_not_verified",
            )

@contextmanager
def open_pkcs11_signer(
    module_path: str,
    *,
    token_label: str,
    pin: str,
    key_label: str | None = None,
    key_id: bytes | None = None,
    certificate: x509.Certificate | None = None,
    chain: Sequence[x509.Certificate] = (),
    rsa_scheme: SignatureScheme = SignatureScheme.RSASSA_PSS,
) -> Iterator[Pkcs11Signer]:
    """Log in to the token and yield a signer for its private key; log out when the block ends.

    The key is found by ``key_label`` and/or ``key_id`` (either may be omitted when the token holds
    one private key). The certificate is ``certificate`` when given, else the token's certificate
    object with the key's id (or label). Raises TokenError when the module, token, key or
    certificate is not found or the PIN is refused.
    """
    import pkcs11  # noqa: PLC0415 - optional dependency, see the module docstring
    from pkcs11.exceptions import PKCS11Error  # noqa: PLC0415

    try:
        library = pkcs11.lib(module_path)
    except (OSError, RuntimeError) as error:
        # python-pkcs11 raises a plain PKCS11Error (a RuntimeError) for a module it cannot load.
        raise TokenError(f"cannot load PKCS#11 module: {type(error).__name__}", "reason.token_module") from error
    try:
        token = library.get_token(token_label=token_label)
        session = token.open(user_pin=pin)
    except (OSError, RuntimeError) as error:
        # python-pkcs11 raises RuntimeError subclasses (PKCS11Error) and OSError for a missing module.
        raise TokenError(f"cannot open token {token_label!r}: {type(error).__name__}", _open_reason(error),
                         error=type(error).__name__) from error
    try:
        try:
            key = session.get_key(object_class=pkcs11.ObjectClass.PRIVATE_KEY, label=key_label, id=key_id)
            signer_certificate = certificate or _token_certificate(session, key)
        except PKCS11Error as error:
            raise TokenError(
                f"no single private key matches on token {token_label!r}: {type(error).__name__}", "reason.token_key"
            ) from error
        yield Pkcs11Signer(key, signer_certificate, chain, rsa_scheme=rsa_scheme)
    finally:
        session.close()


def _token_certificate(session: Any, key: Any) -> x509.Certificate:
    import pkcs11  # noqa: PLC0415

    attribute, value = (pkcs11.Attribute.ID, key.id) if key.id else (pkcs11.Attribute.LABEL, key.label)
    objects = list(session.get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE, attribute: value}))
    if len(objects) != 1:
        raise TokenError(f"{len(objects)} certificates on the token match the key; pass the certificate file",
                         "reason.token_certificates", count=len(objects))
    return x509.load_der_x509_certificate(objects[0][pkcs11.Attribute.VALUE])


def _open_reason(error: Exception) -> str:
    """Return the catalog reason for a failure to load the module or open the token's session."""
    name = type(error).__name__
    if isinstance(error, OSError):
        return "reason.token_module"
    if name in {"NoSuchToken", "TokenNotPresent", "TokenNotRecognised", "SlotIDInvalid"}:
        return "reason.token_not_found"
    if name in {"PinIncorrect", "PinLocked", "PinExpired", "PinInvalid", "PinLenRange"}:
        return "reason.token_pin"
    return "reason.token_open"
