"""Building blocks for local and test certificates: keys, CAs, end-entity certificates and CRLs.

The demo PKI (``cbccvc_local.pki``) is built from these, and tests use ``make_test_certificate``
to get certificates with one specific defect (expired, wrong key usage, SHA-1 signature, ...).
Nothing here is for production keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from cbccvc.signing.cms import KeySigner, SignatureScheme

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
KeySpec = Literal["rsa1024", "rsa2048", "rsa3072", "rsa2048e3", "ec256", "ec384", "secp256k1"]
CertificateHash = Literal["sha256", "sha224", "sha1"]

# Issued certificates start an hour in the past, so a verifier whose clock runs a little behind
# still finds them valid.
BACKDATE = timedelta(hours=1)

SIGNING_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
CA_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)
# A signing key usage that may also sign certificates and CRLs, as only a CA's may.
CA_AND_SIGNING_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)
# A certificate for encryption only: no digitalSignature, no nonRepudiation.
ENCRYPTION_KEY_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=True,
    data_encipherment=True,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


@dataclass(frozen=True, slots=True)
class IssuedCertificate:
    """A certificate with its private key."""

    certificate: x509.Certificate
    private_key: PrivateKey

    def signer(
        self,
        chain: Sequence[x509.Certificate] = (),
        *,
        rsa_scheme: SignatureScheme = SignatureScheme.RSASSA_PSS,
    ) -> KeySigner:
        """Return a KeySigner for this certificate, embedding ``chain`` in its signatures."""
        return KeySigner(self.private_key, self.certificate, chain, rsa_scheme=rsa_scheme)


def generate_key(spec: KeySpec) -> PrivateKey:
    """Generate a new private key of the given type and size."""
    match spec:
        case "rsa1024" | "rsa2048" | "rsa3072":
            return rsa.generate_private_key(public_exponent=65537, key_size=int(spec.removeprefix("rsa")))
        case "rsa2048e3":
            return rsa.generate_private_key(public_exponent=3, key_size=2048)
        case "ec256":
            return ec.generate_private_key(ec.SECP256R1())
        case "ec384":
            return ec.generate_private_key(ec.SECP384R1())
        case "secp256k1":
            return ec.generate_private_key(ec.SECP256K1())


def name(
    common_name: str,
    organization: str | None = None,
    country: str = "VN",
    *,
    organization_identifier: str | None = None,
) -> x509.Name:
    """Build a subject name: CN, then O when given, then organizationIdentifier when given, then C."""
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if organization_identifier is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, organization_identifier))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    return x509.Name(attributes)


def issue_certificate(
    subject: x509.Name,
    *,
    issuer: IssuedCertificate | None,
    key: PrivateKey | None = None,
    key_spec: KeySpec = "rsa2048",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_usage: x509.KeyUsage | None = SIGNING_KEY_USAGE,
    is_ca: bool = False,
    path_length: int | None = None,
    crl_url: str | None = None,
    ocsp_url: str | None = None,
    hash_name: CertificateHash = "sha256",
    extended_key_usage: Sequence[ObjectIdentifier] | None = None,
    basic_constraints: bool = True,
) -> IssuedCertificate:
    """Issue a certificate for ``subject``, signed by ``issuer`` (self-signed when None).

    A new key of ``key_spec`` is generated unless ``key`` is given. Validity defaults to one hour
    ago until one year ahead. ``key_usage=None`` leaves the extension out, and so do
    ``extended_key_usage=None`` and ``basic_constraints=False`` for theirs.
    ``crl_url`` adds a CRL distribution point and ``ocsp_url`` an OCSP responder (authority
    information access). ``hash_name="sha1"`` makes a SHA-1 signature, which the cryptography
    library refuses to produce, by re-signing the to-be-signed part by hand.
    """
    private_key = key or generate_key(key_spec)
    signing_key = issuer.private_key if issuer else private_key
    issuer_name = issuer.certificate.subject if issuer else subject
    certificate = _build_certificate(
        subject,
        private_key.public_key(),
        issuer_name=issuer_name,
        signing_key=signing_key,
        not_before=not_before,
        not_after=not_after,
        key_usage=key_usage,
        is_ca=is_ca,
        path_length=path_length,
        crl_url=crl_url,
        ocsp_url=ocsp_url,
        hash_algorithm=hashes.SHA224() if hash_name == "sha224" else hashes.SHA256(),
        extended_key_usage=extended_key_usage,
        basic_constraints=basic_constraints,
    )
    if hash_name == "sha1":
        certificate = _resign_with_sha1(certificate, signing_key)
    return IssuedCertificate(certificate, private_key)


def certify_public_key(
    subject: x509.Name,
    public_key: PublicKey,
    *,
    issuer: IssuedCertificate,
    not_after: datetime | None = None,
    key_usage: x509.KeyUsage = SIGNING_KEY_USAGE,
    crl_url: str | None = None,
    ocsp_url: str | None = None,
) -> x509.Certificate:
    """Issue an end-entity signing certificate for a key held elsewhere (a KMS key, a PKCS #11 token)."""
    return _build_certificate(
        subject,
        public_key,
        issuer_name=issuer.certificate.subject,
        signing_key=issuer.private_key,
        not_before=None,
        not_after=not_after,
        key_usage=key_usage,
        is_ca=False,
        path_length=None,
        crl_url=crl_url,
        ocsp_url=ocsp_url,
    )


def _build_certificate(
    subject: x509.Name,
    subject_public_key: PublicKey,
    *,
    issuer_name: x509.Name,
    signing_key: PrivateKey,
    not_before: datetime | None,
    not_after: datetime | None,
    key_usage: x509.KeyUsage | None,
    is_ca: bool,
    path_length: int | None,
    crl_url: str | None,
    ocsp_url: str | None,
    hash_algorithm: hashes.SHA224 | hashes.SHA256 | None = None,
    extended_key_usage: Sequence[ObjectIdentifier] | None = None,
    basic_constraints: bool = True,
) -> x509.Certificate:
    now = datetime.now(UTC)

    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(subject_public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - BACKDATE)
        .not_valid_after(not_after or now + timedelta(days=365))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False)
    )
    if basic_constraints:
        builder = builder.add_extension(x509.BasicConstraints(ca=is_ca, path_length=path_length), critical=True)
    if key_usage is not None:
        builder = builder.add_extension(key_usage, critical=True)
    if extended_key_usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(extended_key_usage)), critical=False)
    if crl_url is not None:
        point = x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)],
            relative_name=None,
            reasons=None,
            crl_issuer=None,
        )
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if ocsp_url is not None:
        access = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    return builder.sign(signing_key, hash_algorithm or hashes.SHA256())


def make_crl(
    issuer: IssuedCertificate,
    revoked: Sequence[tuple[int, datetime]],
    *,
    crl_number: int,
    this_update: datetime,
    next_update: datetime,
    reason: x509.ReasonFlags = x509.ReasonFlags.key_compromise,
) -> x509.CertificateRevocationList:
    """Issue a CRL listing ``revoked`` (serial number, revocation date) pairs with one reason."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(crl_number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.private_key.public_key()),
            critical=False,
        )
    )
    for serial, revoked_at in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(revoked_at)
            .add_extension(x509.CRLReason(reason), critical=False)
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(issuer.private_key, hashes.SHA256())


class TestCertificateKind(StrEnum):
    """A certificate with one defect that verification must catch, for tests."""

    __test__ = False  # not a pytest test class, despite the name

    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    WRONG_KEY_USAGE = "wrong_key_usage"
    NO_KEY_USAGE = "no_key_usage"
    CA_SIGNER = "ca_signer"
    SELF_SIGNED = "self_signed"
    RSA_1024 = "rsa_1024"
    SHA1_SIGNED = "sha1_signed"
    SHA224_SIGNED = "sha224_signed"
    EC_P256 = "ec_p256"
    EC_SECP256K1 = "ec_secp256k1"
    RSA_EXPONENT_3 = "rsa_exponent_3"
    SERVER_AUTH_ONLY = "server_auth_only"
    CLIENT_AND_EMAIL_USAGE = "client_and_email_usage"
    CERT_SIGN_WITHOUT_CA = "cert_sign_without_ca"


# Changes each kind makes to a valid signing certificate (see make_test_certificate).
_KIND_OPTIONS: dict[TestCertificateKind, dict[str, Any]] = {
    TestCertificateKind.WRONG_KEY_USAGE: {"key_usage": ENCRYPTION_KEY_USAGE},
    TestCertificateKind.NO_KEY_USAGE: {"key_usage": None},
    TestCertificateKind.CA_SIGNER: {"key_usage": CA_KEY_USAGE, "is_ca": True},
    TestCertificateKind.RSA_1024: {"key_spec": "rsa1024"},
    TestCertificateKind.SHA1_SIGNED: {"hash_name": "sha1"},
    TestCertificateKind.SHA224_SIGNED: {"hash_name": "sha224"},
    TestCertificateKind.EC_P256: {"key_spec": "ec256"},
    TestCertificateKind.EC_SECP256K1: {"key_spec": "secp256k1"},
    TestCertificateKind.RSA_EXPONENT_3: {"key_spec": "rsa2048e3"},
    TestCertificateKind.SERVER_AUTH_ONLY: {"extended_key_usage": [ExtendedKeyUsageOID.SERVER_AUTH]},
    TestCertificateKind.CLIENT_AND_EMAIL_USAGE: {
        "extended_key_usage": [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION],
    },
    TestCertificateKind.CERT_SIGN_WITHOUT_CA: {"key_usage": CA_AND_SIGNING_KEY_USAGE, "basic_constraints": False},
}


def make_test_certificate(
    kind: TestCertificateKind,
    issuer: IssuedCertificate,
    *,
    common_name: str = "Nguyễn Văn Kiểm Thử",
    crl_url: str | None = None,
    ocsp_url: str | None = None,
) -> IssuedCertificate:
    """Issue a signing certificate from ``issuer`` (or self-signed) with the defect ``kind`` names.

    Expired certificates ended a day ago, not-yet-valid ones start tomorrow; the rest are valid
    from an hour ago for a year. SELF_SIGNED ignores ``issuer``. CLIENT_AND_EMAIL_USAGE is a valid
    signing certificate with the extended key usages of Vietnamese USB tokens.
    """
    now = datetime.now(UTC)
    options: dict[str, Any] = dict(_KIND_OPTIONS.get(kind, {}))
    if kind is TestCertificateKind.EXPIRED:
        options.update(not_before=now - timedelta(days=400), not_after=now - timedelta(days=1))
    elif kind is TestCertificateKind.NOT_YET_VALID:
        options.update(not_before=now + timedelta(days=1), not_after=now + timedelta(days=400))
    return issue_certificate(
        name(common_name, "Cơ quan kiểm thử (demo)"),
        issuer=None if kind is TestCertificateKind.SELF_SIGNED else issuer,
        crl_url=crl_url,
        ocsp_url=ocsp_url,
        **options,
    )


def _resign_with_sha1(certificate: x509.Certificate, signing_key: PrivateKey) -> x509.Certificate:
    parsed = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    if isinstance(signing_key, rsa.RSAPrivateKey):
        algorithm = algos.SignedDigestAlgorithm({"algorithm": "sha1_rsa"})
    else:
        algorithm = algos.SignedDigestAlgorithm({"algorithm": "sha1_ecdsa"})

    tbs = parsed["tbs_certificate"]
    tbs["signature"] = algorithm
    to_be_signed = tbs.dump(force=True)
    if isinstance(signing_key, rsa.RSAPrivateKey):
        signature = signing_key.sign(to_be_signed, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303
    else:
        signature = signing_key.sign(to_be_signed, ec.ECDSA(hashes.SHA1()))  # noqa: S303

    rebuilt = asn1_x509.Certificate(
        {"tbs_certificate": tbs, "signature_algorithm": algorithm, "signature_value": signature}
    )
    return x509.load_der_x509_certificate(rebuilt.dump())
