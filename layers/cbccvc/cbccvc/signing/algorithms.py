"""Which hash and signature algorithms approval signatures may use, and how they map to ASN.1.

Source of the rules: Thông tư 15/2025/TT-BKHCN (in force 15 Aug 2025) requires RSA per PKCS #1
v2.1 with RSASSA-PSS for new signatures and keys of at least 2048 bits, or ECDSA with keys of at
least 256 bits, and hashes from the SHA-2 or SHA-3 families (no SHA-1, no MD5). Verifiers still
accept RSA PKCS #1 v1.5 signatures made by older tokens, but flag them as legacy. ECDSA keys must
lie on the NIST curves P-256, P-384 or P-521 (FIPS 186-5), and RSA public exponents must be odd and
at least 65537 (NIST SP 800-56B and FIPS 186-5 bound e below by 2^16 + 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from asn1crypto import algos
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

# Hashes that Thông tư 15/2025/TT-BKHCN lists (FIPS 180-4 and FIPS 202), by asn1crypto name.
ALLOWED_DIGESTS: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sha512_224": hashes.SHA512_224,
    "sha512_256": hashes.SHA512_256,
    "sha3_256": hashes.SHA3_256,
    "sha3_384": hashes.SHA3_384,
    "sha3_512": hashes.SHA3_512,
}

# Every hash this module can compute. The weak ones are here so that tests and diagnostics can
# describe (and verification can reject) signatures that use them.
KNOWN_DIGESTS: dict[str, type[hashes.HashAlgorithm]] = {
    **ALLOWED_DIGESTS,
    "sha224": hashes.SHA224,
    "sha1": hashes.SHA1,
    "md5": hashes.MD5,
}

# Shortest keys Thông tư 15/2025/TT-BKHCN allows, in bits.
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256
# Elliptic curves an ECDSA key may use, by the names the cryptography library gives them.
ALLOWED_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1"})
# The smallest RSA public exponent accepted; a smaller one (3 is the usual) is outside FIPS 186-5.
MIN_RSA_PUBLIC_EXPONENT = 65537

# Hashes a signer may choose for a new signature (the ones every verifier in use supports).
SIGNING_DIGESTS = frozenset({"sha256", "sha384", "sha512"})

# The hash named inside a combined signature algorithm OID ("sha1_rsa" names "sha1").
_HASH_IN_SIGNATURE_OID: dict[str, str] = {
    "md2_rsa": "md2",
    "md5_rsa": "md5",
    "sha1_rsa": "sha1",
    "sha1_ecdsa": "sha1",
    "sha1_dsa": "sha1",
    "sha224_rsa": "sha224",
    "sha224_ecdsa": "sha224",
    "sha224_dsa": "sha224",
    "sha256_rsa": "sha256",
    "sha256_ecdsa": "sha256",
    "sha256_dsa": "sha256",
    "sha384_rsa": "sha384",
    "sha384_ecdsa": "sha384",
    "sha512_rsa": "sha512",
    "sha512_ecdsa": "sha512",
    "sha3_256_ecdsa": "sha3_256",
    "sha3_384_ecdsa": "sha3_384",
    "sha3_512_ecdsa": "sha3_512",
}

# Signature algorithm OIDs that mean RSA PKCS #1 v1.5 (with the hash named or taken from the
# SignerInfo digest algorithm), and ones that mean ECDSA.
RSA_PKCS1V15_OIDS = frozenset(
    {
        "rsassa_pkcs1v15",
        "sha1_rsa",
        "md5_rsa",
        "md2_rsa",
        "sha224_rsa",
        "sha256_rsa",
        "sha384_rsa",
        "sha512_rsa",
    }
)
ECDSA_OIDS = frozenset(
    {
        "ecdsa",
        "sha1_ecdsa",
        "sha224_ecdsa",
        "sha256_ecdsa",
        "sha384_ecdsa",
        "sha512_ecdsa",
        "sha3_256_ecdsa",
        "sha3_384_ecdsa",
        "sha3_512_ecdsa",
    }
)


class SignatureScheme(StrEnum):
    """The padding or signature scheme of an approval signature."""

    RSASSA_PSS = "rsassa_pss"
    RSASSA_PKCS1V15 = "rsassa_pkcs1v15"
    ECDSA = "ecdsa"


def is_allowed_digest(name: str) -> bool:
    """Return whether ``name`` (an asn1crypto digest name) is a hash approval signatures may use."""
    return name in ALLOWED_DIGESTS


def hash_in_signature_oid(signature_oid_name: str) -> str | None:
    """Return the hash a combined signature OID names, or None for OIDs that name no hash."""
    return _HASH_IN_SIGNATURE_OID.get(signature_oid_name)


def key_parameter_problem(public_key: object) -> str | None:
    """Return the key parameter that the rules above do not allow ("secp256k1", "e=3"), or None.

    Only the curve of an EC key and the public exponent of an RSA key are judged here. Key sizes
    are the verifier's policy, and other key types are rejected where signatures are checked.
    """
    if isinstance(public_key, ec.EllipticCurvePublicKey) and public_key.curve.name not in ALLOWED_CURVES:
        return public_key.curve.name
    if isinstance(public_key, rsa.RSAPublicKey):
        exponent = public_key.public_numbers().e
        if exponent < MIN_RSA_PUBLIC_EXPONENT or exponent % 2 == 0:
            return f"e={exponent}"
    return None


def new_hash(name: str) -> hashes.HashAlgorithm:
    """Return a cryptography hash object for a digest name in KNOWN_DIGESTS; KeyError for any other."""
    return KNOWN_DIGESTS[name]()


def compute_digest(name: str, data: bytes) -> bytes:
    """Hash ``data`` with the digest named ``name`` (a key of KNOWN_DIGESTS)."""
    context = hashes.Hash(new_hash(name))
    context.update(data)
    return context.finalize()


@dataclass(frozen=True, slots=True)
class SignatureAlgorithm:
    """The digest and signature scheme a signer uses, with their CMS algorithm identifiers.

    Any digest in KNOWN_DIGESTS is accepted here, because this only describes what a signer does.
    Which digests a signer may choose is decided by the signer (KeySigner allows SIGNING_DIGESTS),
    and verification rejects every digest outside ALLOWED_DIGESTS.
    """

    digest: str
    scheme: SignatureScheme

    def __post_init__(self) -> None:
        if self.digest not in KNOWN_DIGESTS:
            raise ValueError(f"unknown digest {self.digest!r}")

    @property
    def digest_size(self) -> int:
        return new_hash(self.digest).digest_size

    def digest_algorithm_identifier(self) -> algos.DigestAlgorithm:
        return algos.DigestAlgorithm({"algorithm": self.digest})

    def signature_algorithm_identifier(self) -> algos.SignedDigestAlgorithm:
        """Build the SignerInfo signatureAlgorithm field.

        PSS parameters follow RFC 4055: MGF1 with the same hash and a salt as long as the hash.
        """
        match self.scheme:
            case SignatureScheme.RSASSA_PSS:
                parameters = algos.RSASSAPSSParams(
                    {
                        "hash_algorithm": {"algorithm": self.digest},
                        "mask_gen_algorithm": {
                            "algorithm": "mgf1",
                            "parameters": {"algorithm": self.digest},
                        },
                        "salt_length": self.digest_size,
                    }
                )
                return algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": parameters})
            case SignatureScheme.RSASSA_PKCS1V15:
                return algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"})
            case SignatureScheme.ECDSA:
                return algos.SignedDigestAlgorithm({"algorithm": f"{self.digest}_ecdsa"})


def signature_verifies(public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey, algorithm: SignatureAlgorithm,
                       signature: bytes, data: bytes) -> bool:
    """Tell whether ``signature`` over ``data`` verifies with ``public_key`` under ``algorithm``.

    Signers that hand signing to a token or KMS check each signature with this before using it.
    """
    hash_algorithm = new_hash(algorithm.digest)
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hash_algorithm))
        elif algorithm.scheme is SignatureScheme.RSASSA_PSS:
            pss = padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=hash_algorithm.digest_size)
            public_key.verify(signature, data, pss, hash_algorithm)
        else:
            public_key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
    except InvalidSignature:
        return False
    return True
