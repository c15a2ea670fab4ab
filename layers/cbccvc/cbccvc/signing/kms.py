"""Signing with an AWS KMS asymmetric key: agency seals, and approvers whose key lives in KMS.

The signed attributes (a few hundred bytes) are sent with MessageType RAW, far under KMS's
4,096-byte limit, so KMS hashes them itself. Every signature KMS returns is verified against the
key's public key (GetPublicKey) before it is used, which catches a certificate issued for another
key and an emulator that signs differently from KMS (moto 5.2 hashes DIGEST messages a second
time and pads RSASSA-PSS with the maximum salt length, where KMS uses the hash length).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from cbccvc.aws_reasons import aws_reason
from cbccvc.signing.algorithms import SignatureAlgorithm, SignatureScheme, signature_verifies
from cbccvc.signing.errors import KmsSigningError, SignerKeyError

# KMS Sign accepts at most this many bytes with MessageType RAW.
KMS_RAW_MESSAGE_LIMIT = 4096

# KMS key spec → the digest its signatures use (Thông tư 15/2025/TT-BKHCN allows these sizes).
_EC_DIGESTS = {"ECC_NIST_P256": "sha256", "ECC_NIST_P384": "sha384", "ECC_NIST_P521": "sha512"}
_RSA_SPECS = frozenset({"RSA_2048", "RSA_3072", "RSA_4096"})


class KmsSigner:
    """A Signer whose private key is an AWS KMS key with KeyUsage SIGN_VERIFY.

    EC keys (NIST P-256, P-384, P-521) sign with ECDSA; RSA keys with RSASSA-PSS by default
    (salt as long as the hash, as KMS does) or PKCS #1 v1.5 when ``rsa_scheme`` asks for it.
    Raises SignerKeyError when the key cannot make approval signatures or the certificate is
    not for this key, and KmsSigningError when KMS cannot be reached.
    """

    def __init__(
        self,
        kms_client: Any,
        key_id: str,
        certificate: x509.Certificate,
        chain: Sequence[x509.Certificate] = (),
        *,
        rsa_scheme: SignatureScheme = SignatureScheme.RSASSA_PSS,
    ) -> None:
        try:
            description = kms_client.get_public_key(KeyId=key_id)
        except (ClientError, BotoCoreError) as error:
            reason, params = aws_reason(error)
            raise KmsSigningError(f"cannot read the public key of KMS key {key_id}: {type(error).__name__}", reason,
                                  **params) from error
        if description.get("KeyUsage") != "SIGN_VERIFY":
            raise SignerKeyError(f"KMS key {key_id} is not a signing key (KeyUsage {description.get('KeyUsage')})",
                                 "reason.kms_not_signing_key", key=key_id, usage=description.get("KeyUsage"))

        public_key = load_der_public_key(description["PublicKey"])
        if public_key != certificate.public_key():
            raise SignerKeyError(f"the certificate does not certify KMS key {key_id}", "reason.kms_key_not_certified",
                                 key=key_id)
        if not isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise SignerKeyError(f"KMS key {key_id} is neither RSA nor EC", "reason.kms_key_spec",
                                 spec=type(public_key).__name__)

        self._client = kms_client
        self._key_id = key_id
        self._public_key = public_key
        self._certificate = certificate
        self._chain = tuple(chain)
        # CustomerMasterKeySpec is the older name of KeySpec; KMS returns both, moto 5.2 only the older one.
        key_spec = description.get("KeySpec") or description.get("CustomerMasterKeySpec", "")
        self._algorithm, self._kms_algorithm = _algorithms_for(key_spec, rsa_scheme)
        if self._kms_algorithm not in description.get("SigningAlgorithms", []):
            raise SignerKeyError(f"KMS key {key_id} does not offer {self._kms_algorithm}",
                                 "reason.kms_algorithm_missing", key=key_id, algorithm=self._kms_algorithm)

    @property
    def certificate(self) -> x509.Certificate:
        return self._certificate

    @property
    def chain(self) -> Sequence[x509.Certificate]:
        return self._chain

    @property
    def algorithm(self) -> SignatureAlgorithm:
        return self._algorithm

    @property
    def key_id(self) -> str:
        return self._key_id

    def sign_digest_input(self, data: bytes) -> bytes:
        if len(data) > KMS_RAW_MESSAGE_LIMIT:
            raise KmsSigningError(f"{len(data)} bytes to sign exceed KMS's RAW limit of {KMS_RAW_MESSAGE_LIMIT}",
                                  "reason.kms_too_large", size=len(data), limit=KMS_RAW_MESSAGE_LIMIT)
        try:
            response = self._client.sign(
                KeyId=self._key_id, Message=data, MessageType="RAW", SigningAlgorithm=self._kms_algorithm
            )
        except (ClientError, BotoCoreError) as error:
            reason, params = aws_reason(error)
            raise KmsSigningError(f"KMS did not sign with key {self._key_id}: {type(error).__name__}", reason,
                                  **params) from error
        signature: bytes = response["Signature"]
        if not self._verifies(signature, data):
            raise KmsSigningError(f"the signature KMS returned for key {self._key_id} does not verify",
                                  "reason.kms_bad_signature", key=self._key_id)
        return signature

    def _verifies(self, signature: bytes, data: bytes) -> bool:
        return signature_verifies(self._public_key, self._algorithm, signature, data)

def _algorithms_for(key_spec: str, rsa_scheme: SignatureScheme) -> tuple[SignatureAlgorithm, str]:
    """Return the CMS algorithm and the KMS SigningAlgorithm name for a key spec."""
    digest = _EC_DIGESTS.get(key_spec)
    if digest is not None:
        return SignatureAlgorithm(digest, SignatureScheme.ECDSA), f"ECDSA_SHA_{digest.removeprefix('sha')}"
    if key_spec in _RSA_SPECS:
        if rsa_scheme is SignatureScheme.RSASSA_PSS:
            return SignatureAlgorithm("sha256", SignatureScheme.RSASSA_PSS), "RSASSA_PSS_SHA_256"
        if rsa_scheme is SignatureScheme.RSASSA_PKCS1V15:
            return SignatureAlgorithm("sha256", SignatureScheme.RSASSA_PKCS1V15), "RSASSA_PKCS1_V1_5_SHA_256"
        raise SignerKeyError("an RSA key cannot sign with ECDSA", "reason.rsa_with_ecdsa")
    raise SignerKeyError(f"KMS key spec {key_spec!r} cannot make approval signatures; use ECC_NIST_P256 or RSA",
                         "reason.kms_key_spec", spec=key_spec)
