"""Detached CMS signing and verification against real certificates from a demo PKI in a temporary folder."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import algos, cms, pem, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from cbccvc.messages import Language, render
from cbccvc.signing.algorithms import SignatureAlgorithm
from cbccvc.signing.certpath import format_time
from cbccvc.signing.cms import (
    KeySigner,
    ReasonCode,
    SignatureScheme,
    VerificationResult,
    WarningCode,
    sign_detached,
    verify_detached,
)
from cbccvc.signing.errors import SignerKeyError
from cbccvc.signing.verification import MAX_EMBEDDED_CERTIFICATES, MAX_SIGNATURE_BYTES
from cbccvc_local.certificates import (
    CA_KEY_USAGE,
    IssuedCertificate,
    TestCertificateKind,
    issue_certificate,
    make_crl,
    make_test_certificate,
    name,
)
from cbccvc_local.pki import ISSUING_CRL_URL, DemoPki, ensure_demo_pki

MANIFEST = b'{"agency": "HUE", "batch_id": "b-0001", "records": 42, "sha256": "00ff"}'


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return ensure_demo_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def issuing_ca(pki: DemoPki) -> IssuedCertificate:
    return pki.load_issuing_ca()


def verify(pki: DemoPki, signature: bytes, content: bytes = MANIFEST, **options: Any) -> VerificationResult:
    """Verify against the demo root and CRLs, and check that every returned code renders."""
    options.setdefault("trust_roots", pki.load_roots())
    options.setdefault("crls", pki.load_crls())
    result = verify_detached(signature, content, **options)
    for code in [result.reason_code, *result.warnings]:
        if code is not None:
            for language in Language:
                assert render(code, language, **result.params)
    return result


def signer_for(kind: TestCertificateKind, issuing_ca: IssuedCertificate) -> KeySigner:
    issued = make_test_certificate(kind, issuing_ca, crl_url=ISSUING_CRL_URL)
    return issued.signer(chain=[issuing_ca.certificate])


def approver_key(pki: DemoPki) -> rsa.RSAPrivateKey:
    key, _, _ = pkcs12.load_key_and_certificates(pki.approver_p12.read_bytes(), pki.password.encode())
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def hashes_sha1(data: bytes) -> bytes:
    """Return the SHA-1 of ``data``, the hash an ESS signing-certificate (v1) attribute names a certificate by."""
    digest = hashes.Hash(hashes.SHA1())  # noqa: S303 - ESS v1 defines SHA-1 as the certificate identifier
    digest.update(data)
    return digest.finalize()


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def rebuild(signature: bytes, change: Callable[[cms.SignedData], None]) -> bytes:
    """Apply ``change`` to the parsed SignedData and re-encode the ContentInfo."""
    info = cms.ContentInfo.load(signature)
    signed_data = info["content"]
    change(signed_data)
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump(force=True)


def resign(signature: bytes, signer: KeySigner, change: Callable[[cms.SignerInfo, cms.SignedData], None]) -> bytes:
    """Apply ``change`` to the SignerInfo and SignedData, then sign the (changed) signed attributes again."""
    info = cms.ContentInfo.load(signature)
    signed_data = info["content"]
    signer_info = signed_data["signer_infos"][0]
    change(signer_info, signed_data)
    signer_info["signature"] = signer.sign_digest_input(signer_info["signed_attrs"].untag().dump(force=True))
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump(force=True)


def replace_attribute(name: str, value: object) -> Callable[[cms.SignerInfo, cms.SignedData], None]:
    """Return a change for ``resign`` that sets the signed attribute ``name`` (added when absent) to ``value``."""

    def change(signer_info: cms.SignerInfo, signed_data: cms.SignedData) -> None:
        attributes = [attribute for attribute in signer_info["signed_attrs"] if attribute["type"].native != name]
        signer_info["signed_attrs"] = cms.CMSAttributes([*attributes, {"type": name, "values": [value]}])

    return change


def same_name_issuers(issuing_ca: IssuedCertificate, count: int) -> list[x509.Certificate]:
    """Self-issued CA certificates that copy the issuing CA's name, as a path-building attack embeds them."""
    return [
        issue_certificate(issuing_ca.certificate.subject, issuer=None, key_spec="ec256", key_usage=CA_KEY_USAGE,
                          is_ca=True).certificate
        for _ in range(count)
    ]


class WeakDigestSigner:
    """A signer that hashes with a weak digest, as old software did; KeySigner refuses to."""

    def __init__(self, inner: KeySigner, key: rsa.RSAPrivateKey, digest: str) -> None:
        self._inner = inner
        self._key = key
        self._algorithm = SignatureAlgorithm(digest, SignatureScheme.RSASSA_PKCS1V15)

    @property
    def certificate(self) -> x509.Certificate:
        return self._inner.certificate

    @property
    def chain(self) -> Sequence[x509.Certificate]:
        return self._inner.chain

    @property
    def algorithm(self) -> SignatureAlgorithm:
        return self._algorithm

    def sign_digest_input(self, data: bytes) -> bytes:
        weak_hash = {"sha1": hashes.SHA1(), "md5": hashes.MD5()}[self._algorithm.digest]  # noqa: S303
        return self._key.sign(data, padding.PKCS1v15(), weak_hash)


# --- Round trips ---


def test_roundtrip_rsa_pss(pki: DemoPki) -> None:
    signer = pki.approver_signer()
    signature = sign_detached(MANIFEST, signer)

    result = verify(pki, signature)

    assert result.valid
    assert result.reason_code is None
    assert result.signature_algorithm == "rsassa_pss"
    assert result.digest_algorithm == "sha256"
    assert not result.legacy_padding
    assert result.warnings == []
    assert result.signer_fingerprint_sha256 == signer.certificate.fingerprint(hashes.SHA256()).hex()
    assert int(result.signer_serial or "", 16) == signer.certificate.serial_number
    assert result.signer_subject == signer.certificate.subject.rfc4514_string()
    assert len(result.chain_subjects) == 3
    assert result.chain_subjects[-1] == pki.load_roots()[0].subject.rfc4514_string()


def test_roundtrip_ecdsa(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    signature = sign_detached(MANIFEST, signer_for(TestCertificateKind.EC_P256, issuing_ca))

    result = verify(pki, signature)

    assert result.valid
    assert result.signature_algorithm == "ecdsa"
    assert result.digest_algorithm == "sha256"


def test_roundtrip_ecdsa_p384(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    issued = issue_certificate(name("Phạm Demo P384"), issuer=issuing_ca, key_spec="ec384", crl_url=ISSUING_CRL_URL)
    signature = sign_detached(MANIFEST, issued.signer(chain=[issuing_ca.certificate]))

    result = verify(pki, signature)

    assert result.valid
    assert result.digest_algorithm == "sha384"


def test_roundtrip_signing_time_kept(pki: DemoPki) -> None:
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=3)

    result = verify(pki, sign_detached(MANIFEST, pki.approver_signer(), signing_time=when))

    assert result.valid
    assert result.signing_time == when


def test_roundtrip_without_crls_warns(pki: DemoPki) -> None:
    result = verify(pki, sign_detached(MANIFEST, pki.approver_signer()), crls=())

    assert result.valid
    assert result.warnings == [WarningCode.REVOCATION_NOT_CHECKED]


def test_roundtrip_signer_by_key_identifier(pki: DemoPki) -> None:
    signer = pki.approver_signer()
    ski = signer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest

    def use_ski(signed_data: cms.SignedData) -> None:
        signed_data["signer_infos"][0]["sid"] = cms.SignerIdentifier({"subject_key_identifier": ski})

    result = verify(pki, rebuild(sign_detached(MANIFEST, signer), use_ski))

    assert result.valid


# --- Content and signature bytes ---


def test_verify_tampered_content(pki: DemoPki) -> None:
    signature = sign_detached(MANIFEST, pki.approver_signer())

    result = verify(pki, signature, MANIFEST.replace(b"42", b"43"))

    assert not result.valid
    assert result.reason_code == ReasonCode.SIG_CONTENT_MISMATCH


def test_verify_flipped_signature_byte(pki: DemoPki) -> None:
    def flip(signed_data: cms.SignedData) -> None:
        info = signed_data["signer_infos"][0]
        value = bytearray(info["signature"].native)
        value[len(value) // 2] ^= 0x01
        info["signature"] = bytes(value)

    result = verify(pki, rebuild(sign_detached(MANIFEST, pki.approver_signer()), flip))

    assert not result.valid
    assert result.reason_code == ReasonCode.SIG_INVALID


def test_verify_altered_signed_attribute(pki: DemoPki) -> None:
    later = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)

    def change_time(signed_data: cms.SignedData) -> None:
        for attribute in signed_data["signer_infos"][0]["signed_attrs"]:
            if attribute["type"].native == "signing_time":
                attribute["values"] = [cms.Time({"utc_time": later})]

    signature = sign_detached(MANIFEST, pki.approver_signer(), signing_time=later - timedelta(minutes=5))
    result = verify(pki, rebuild(signature, change_time))

    assert result.reason_code == ReasonCode.SIG_INVALID


@pytest.mark.parametrize(
    "mangle",
    [
        lambda sig: b"",
        lambda sig: b"not a signature at all",
        lambda sig: sig[: len(sig) // 2],
        lambda sig: sig[:-1],
        lambda sig: sig + b"\x00",
        lambda sig: b"\x30\x84\xff\xff\xff\xff" + sig,
        lambda sig: cms.ContentInfo({"content_type": "data", "content": b"x"}).dump(),
    ],
    ids=["empty", "text", "half", "truncated", "trailing_byte", "bad_length", "not_signed_data"],
)
def test_verify_malformed(pki: DemoPki, mangle: Callable[[bytes], bytes]) -> None:
    signature = sign_detached(MANIFEST, pki.approver_signer())

    result = verify(pki, mangle(signature))

    assert not result.valid
    assert result.reason_code == ReasonCode.SIG_MALFORMED


def test_verify_random_corruption_never_raises(pki: DemoPki) -> None:
    signature = sign_detached(MANIFEST, pki.approver_signer())
    rng = random.Random(20250815)  # noqa: S311 - a fixed seed makes failures reproducible
    codes: set[str | None] = set()

    for _ in range(200):
        damaged = bytearray(signature)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        result = verify(pki, bytes(damaged))
        codes.add(result.reason_code)

    assert ReasonCode.SIG_MALFORMED in codes
    assert set(codes) <= {*ReasonCode, None}


def test_verify_missing_signer_certificate(pki: DemoPki) -> None:
    signer = pki.approver_signer()

    def drop_signer_cert(signed_data: cms.SignedData) -> None:
        serial = signer.certificate.serial_number
        others = [choice for choice in signed_data["certificates"] if choice.chosen.serial_number != serial]
        signed_data["certificates"] = others

    result = verify(pki, rebuild(sign_detached(MANIFEST, signer), drop_signer_cert))

    assert result.reason_code == ReasonCode.SIG_SIGNER_CERT_MISSING


def test_verify_wrong_certificate_in_ess_attribute(pki: DemoPki) -> None:
    # The SignerInfo is pointed at another certificate of the same CA. The SID is not signed, so
    # only the signed ESS signing-certificate-v2 attribute can catch the swap.
    other = to_asn1(pki.revoked_approver_signer().certificate)

    def swap(signed_data: cms.SignedData) -> None:
        signed_data["signer_infos"][0]["sid"] = cms.SignerIdentifier(
            {"issuer_and_serial_number": {"issuer": other.issuer, "serial_number": other.serial_number}}
        )
        signed_data["certificates"] = [cms.CertificateChoices({"certificate": other})]

    result = verify(pki, rebuild(sign_detached(MANIFEST, pki.approver_signer()), swap))

    assert result.reason_code == ReasonCode.SIG_SIGNER_CERT_MISSING


def test_verify_no_signed_attributes(pki: DemoPki) -> None:
    def drop_attributes(signed_data: cms.SignedData) -> None:
        signed_data["signer_infos"][0]["signed_attrs"] = cms.CMSAttributes([])

    result = verify(pki, rebuild(sign_detached(MANIFEST, pki.approver_signer()), drop_attributes))

    assert result.reason_code == ReasonCode.SIG_NO_SIGNED_ATTRS


def test_verify_attached_content(pki: DemoPki) -> None:
    def attach(content: bytes) -> Callable[[cms.SignedData], None]:
        def change(signed_data: cms.SignedData) -> None:
            signed_data["encap_content_info"] = {"content_type": "data", "content": content}

        return change

    signature = sign_detached(MANIFEST, pki.approver_signer())

    same = verify(pki, rebuild(signature, attach(MANIFEST)))
    other = verify(pki, rebuild(signature, attach(b"{}")))

    assert same.valid
    assert WarningCode.SIG_CONTENT_ATTACHED in same.warnings
    assert other.reason_code == ReasonCode.SIG_CONTENT_MISMATCH


# --- Algorithms and keys ---


@pytest.mark.parametrize("digest", ["sha1", "md5"])
def test_verify_weak_digest(pki: DemoPki, digest: str) -> None:
    signature = sign_detached(MANIFEST, WeakDigestSigner(pki.approver_signer(), approver_key(pki), digest))

    result = verify(pki, signature)

    assert result.reason_code == ReasonCode.SIG_WEAK_DIGEST
    assert result.params["digest_algorithm"] == {"sha1": "SHA-1", "md5": "MD5"}[digest]


def test_verify_pkcs1v15_legacy(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    issued = make_test_certificate(TestCertificateKind.VALID, issuing_ca, crl_url=ISSUING_CRL_URL)
    signer = issued.signer(chain=[issuing_ca.certificate], rsa_scheme=SignatureScheme.RSASSA_PKCS1V15)
    signature = sign_detached(MANIFEST, signer)

    accepted = verify(pki, signature)
    rejected = verify(pki, signature, allow_legacy_pkcs1v15=False)

    assert accepted.valid
    assert accepted.legacy_padding
    assert accepted.signature_algorithm == "rsassa_pkcs1v15"
    assert WarningCode.SIG_LEGACY_PADDING in accepted.warnings
    assert rejected.reason_code == ReasonCode.SIG_LEGACY_PADDING_REJECTED
    assert rejected.legacy_padding


def test_verify_rsa_1024(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    signature = sign_detached(MANIFEST, signer_for(TestCertificateKind.RSA_1024, issuing_ca))

    result = verify(pki, signature)

    assert result.reason_code == ReasonCode.SIG_WEAK_KEY
    assert result.params["key_bits"] == "1024"
    assert result.params["min_bits"] == "2048"


def test_verify_min_ec_bits(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    signature = sign_detached(MANIFEST, signer_for(TestCertificateKind.EC_P256, issuing_ca))

    result = verify(pki, signature, min_ec_bits=384)

    assert result.reason_code == ReasonCode.SIG_WEAK_KEY


# --- Time ---


def test_verify_signing_time_in_future(pki: DemoPki) -> None:
    later = datetime.now(UTC) + timedelta(hours=1)

    result = verify(pki, sign_detached(MANIFEST, pki.approver_signer(), signing_time=later))

    assert result.reason_code == ReasonCode.SIG_TIME_INVALID


def test_verify_signing_time_within_skew(pki: DemoPki) -> None:
    slightly_ahead = datetime.now(UTC) + timedelta(minutes=2)

    result = verify(pki, sign_detached(MANIFEST, pki.approver_signer(), signing_time=slightly_ahead))

    assert result.valid


def test_verify_expired_after_signing() -> None:
    # A CA from three years ago issued a certificate that ended yesterday; the signature states it
    # was made two days ago, while the certificate was still valid.
    now = datetime.now(UTC)
    old_root = issue_certificate(
        name("Old Demo Root CA"),
        issuer=None,
        key_spec="ec256",
        not_before=now - timedelta(days=1100),
        not_after=now + timedelta(days=1000),
        key_usage=CA_KEY_USAGE,
        is_ca=True,
    )
    leaf = issue_certificate(
        name("Đỗ Demo Hết Hạn"),
        issuer=old_root,
        not_before=now - timedelta(days=400),
        not_after=now - timedelta(days=1),
    )
    signature = sign_detached(MANIFEST, leaf.signer(), signing_time=now - timedelta(days=2))

    at_signing = verify_detached(signature, MANIFEST, trust_roots=[old_root.certificate])
    at_now = verify_detached(signature, MANIFEST, trust_roots=[old_root.certificate], at=now)

    assert at_signing.valid
    assert at_now.reason_code == ReasonCode.CERT_EXPIRED


# --- Certificates ---


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (TestCertificateKind.EXPIRED, ReasonCode.CERT_EXPIRED),
        (TestCertificateKind.NOT_YET_VALID, ReasonCode.CERT_NOT_YET_VALID),
        (TestCertificateKind.WRONG_KEY_USAGE, ReasonCode.CERT_KEY_USAGE),
        (TestCertificateKind.NO_KEY_USAGE, ReasonCode.CERT_KEY_USAGE),
        (TestCertificateKind.CA_SIGNER, ReasonCode.CERT_IS_CA),
        (TestCertificateKind.SELF_SIGNED, ReasonCode.CERT_UNTRUSTED),
        (TestCertificateKind.SHA1_SIGNED, ReasonCode.CERT_WEAK_ALGORITHM),
        (TestCertificateKind.SHA224_SIGNED, ReasonCode.CERT_WEAK_ALGORITHM),
        (TestCertificateKind.SERVER_AUTH_ONLY, ReasonCode.CERT_EXTENDED_KEY_USAGE),
        (TestCertificateKind.CERT_SIGN_WITHOUT_CA, ReasonCode.CERT_IS_CA),
        (TestCertificateKind.EC_SECP256K1, ReasonCode.SIG_KEY_UNSUPPORTED),
        (TestCertificateKind.RSA_EXPONENT_3, ReasonCode.SIG_KEY_UNSUPPORTED),
    ],
)
def test_verify_certificate_defect(
    pki: DemoPki, issuing_ca: IssuedCertificate, kind: TestCertificateKind, code: ReasonCode
) -> None:
    signature = sign_detached(MANIFEST, signer_for(kind, issuing_ca))

    result = verify(pki, signature)

    assert not result.valid
    assert result.reason_code == code


def test_verify_token_usages_accepted(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    signature = sign_detached(MANIFEST, signer_for(TestCertificateKind.CLIENT_AND_EMAIL_USAGE, issuing_ca))

    assert verify(pki, signature).valid


def test_verify_expired_params(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    signer = signer_for(TestCertificateKind.EXPIRED, issuing_ca)

    result = verify(pki, sign_detached(MANIFEST, signer))

    assert result.params["not_after"] == format_time(signer.certificate.not_valid_after_utc)


def test_verify_revoked(pki: DemoPki) -> None:
    result = verify(pki, sign_detached(MANIFEST, pki.revoked_approver_signer()))

    assert not result.valid
    assert result.reason_code == ReasonCode.CERT_REVOKED
    assert "revocation_date" in result.params


def test_verify_revoked_without_crls(pki: DemoPki) -> None:
    result = verify(pki, sign_detached(MANIFEST, pki.revoked_approver_signer()), crls=())

    assert result.valid
    assert WarningCode.REVOCATION_NOT_CHECKED in result.warnings


def test_verify_revoked_after_signing(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    issued = make_test_certificate(TestCertificateKind.VALID, issuing_ca, crl_url=ISSUING_CRL_URL)
    now = datetime.now(UTC)
    signature = sign_detached(
        MANIFEST, issued.signer(chain=[issuing_ca.certificate]), signing_time=now - timedelta(minutes=30)
    )
    crl = make_crl(
        issuing_ca,
        [(issued.certificate.serial_number, now - timedelta(minutes=10))],
        crl_number=100,
        this_update=now - timedelta(minutes=5),
        next_update=now + timedelta(days=1),
    )
    crls = [crl.public_bytes(serialization.Encoding.DER), pki.root_crl_der.read_bytes()]

    at_signing = verify(pki, signature, crls=crls)
    at_now = verify(pki, signature, crls=crls, at=now)

    assert at_signing.valid
    assert at_now.reason_code == ReasonCode.CERT_REVOKED


def test_verify_stale_crl(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    now = datetime.now(UTC)
    stale = make_crl(
        issuing_ca,
        [],
        crl_number=5,
        this_update=now - timedelta(days=10),
        next_update=now - timedelta(days=3),
    )
    crls = [stale.public_bytes(serialization.Encoding.DER), pki.root_crl_der.read_bytes()]

    result = verify(pki, sign_detached(MANIFEST, pki.approver_signer()), crls=crls)

    assert result.reason_code == ReasonCode.CERT_REVOCATION_UNKNOWN


def test_verify_unreadable_crl(pki: DemoPki) -> None:
    crls = [*pki.load_crls(), b"not a CRL"]

    result = verify(pki, sign_detached(MANIFEST, pki.approver_signer()), crls=crls)

    assert result.valid
    assert WarningCode.CRL_UNREADABLE in result.warnings
    assert result.params["crl_count"] == "1"


def test_verify_pem_crls(pki: DemoPki) -> None:
    crls = [pki.issuing_crl_pem.read_bytes(), pki.root_crl_pem.read_bytes()]

    result = verify(pki, sign_detached(MANIFEST, pki.revoked_approver_signer()), crls=crls)

    assert result.reason_code == ReasonCode.CERT_REVOKED


def test_verify_untrusted_root(pki: DemoPki, tmp_path: Path) -> None:
    other_pki = ensure_demo_pki(tmp_path / "other")

    result = verify(pki, sign_detached(MANIFEST, pki.approver_signer()), trust_roots=other_pki.load_roots())

    assert result.reason_code == ReasonCode.CERT_UNTRUSTED


def test_verify_no_trust_roots(pki: DemoPki) -> None:
    result = verify(pki, sign_detached(MANIFEST, pki.approver_signer()), trust_roots=[])

    assert result.reason_code == ReasonCode.CERT_UNTRUSTED


def test_verify_missing_intermediate(pki: DemoPki) -> None:
    without_chain = KeySigner(approver_key(pki), pki.approver_signer().certificate)

    result = verify(pki, sign_detached(MANIFEST, without_chain))

    assert result.reason_code == ReasonCode.CERT_UNTRUSTED


# --- Hostile structures ---


def test_verify_too_large(pki: DemoPki) -> None:
    signature = sign_detached(MANIFEST, pki.approver_signer())

    result = verify(pki, signature + b"\x00" * MAX_SIGNATURE_BYTES)

    assert result.reason_code == ReasonCode.SIG_TOO_LARGE


def test_verify_too_many_certificates(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    extra = [make_test_certificate(TestCertificateKind.VALID, issuing_ca).certificate
             for _ in range(MAX_EMBEDDED_CERTIFICATES)]

    def add(signed_data: cms.SignedData) -> None:
        signed_data["certificates"] = [*signed_data["certificates"], *(to_asn1(cert) for cert in extra)]

    result = verify(pki, rebuild(sign_detached(MANIFEST, pki.approver_signer()), add))

    assert result.reason_code == ReasonCode.SIG_TOO_MANY_CERTIFICATES


def test_verify_same_name_issuers(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    fakes = same_name_issuers(issuing_ca, 8)

    def add(signed_data: cms.SignedData) -> None:
        signed_data["certificates"] = [*signed_data["certificates"], *(to_asn1(cert) for cert in fakes)]

    result = verify(pki, rebuild(sign_detached(MANIFEST, pki.approver_signer()), add))

    assert result.reason_code == ReasonCode.CERT_PATH_AMBIGUOUS


def test_verify_duplicate_certificate_allowed(pki: DemoPki) -> None:
    def repeat(signed_data: cms.SignedData) -> None:
        signed_data["certificates"] = [*signed_data["certificates"], *signed_data["certificates"]]

    assert verify(pki, rebuild(sign_detached(MANIFEST, pki.approver_signer()), repeat)).valid


def test_verify_ca_named_like_trusted(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    # The forger's CA copies the issuing CA's name and claims the trusted root, key identifier included, as
    # its issuer. Only the signature on the forged CA certificate tells it apart.
    root = pki.load_roots()[0]
    forged_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    root_key_id = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    forged_certificate = (
        x509.CertificateBuilder()
        .subject_name(issuing_ca.certificate.subject)
        .issuer_name(root.subject)
        .public_key(forged_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(CA_KEY_USAGE, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(forged_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_key_id), critical=False)
        .sign(forged_key, hashes.SHA256())
    )
    forged_ca = IssuedCertificate(forged_certificate, forged_key)
    leaf = make_test_certificate(TestCertificateKind.VALID, forged_ca)

    result = verify(pki, sign_detached(MANIFEST, leaf.signer(chain=[forged_ca.certificate])), crls=())

    assert result.reason_code == ReasonCode.CERT_UNTRUSTED
    assert result.detail == "PathValidationError"


@pytest.mark.parametrize("label", ["PKCS7", "CMS"])
def test_verify_pem_armoured(pki: DemoPki, label: str) -> None:
    signature = pem.armor(label, sign_detached(MANIFEST, pki.approver_signer()))

    assert verify(pki, signature).valid


def test_verify_content_type_not_data(pki: DemoPki) -> None:
    signer = pki.approver_signer()

    def tst_info(signer_info: cms.SignerInfo, signed_data: cms.SignedData) -> None:
        replace_attribute("content_type", "tst_info")(signer_info, signed_data)
        signed_data["encap_content_info"] = {"content_type": "tst_info"}

    result = verify(pki, resign(sign_detached(MANIFEST, signer), signer, tst_info))

    assert result.reason_code == ReasonCode.SIG_MALFORMED


def test_verify_ess_v1_other_certificate(pki: DemoPki) -> None:
    signer = pki.approver_signer()
    other = to_asn1(pki.revoked_approver_signer().certificate)
    ess_v1 = tsp.SigningCertificate({"certs": [{"cert_hash": hashes_sha1(other.dump())}]})
    signature = resign(sign_detached(MANIFEST, signer), signer, replace_attribute("signing_certificate", ess_v1))

    result = verify(pki, signature)

    assert result.reason_code == ReasonCode.SIG_SIGNER_CERT_MISSING


def test_verify_ess_v1_own_certificate(pki: DemoPki) -> None:
    signer = pki.approver_signer()
    ess_v1 = tsp.SigningCertificate({"certs": [{"cert_hash": hashes_sha1(to_asn1(signer.certificate).dump())}]})
    signature = resign(sign_detached(MANIFEST, signer), signer, replace_attribute("signing_certificate", ess_v1))

    result = verify(pki, signature)

    assert result.valid


def test_verify_ess_v2_without_certificates(pki: DemoPki) -> None:
    signer = pki.approver_signer()
    empty = tsp.SigningCertificateV2({"certs": []})
    signature = resign(sign_detached(MANIFEST, signer), signer, replace_attribute("signing_certificate_v2", empty))

    result = verify(pki, signature)

    assert result.reason_code == ReasonCode.SIG_MALFORMED


def test_verify_pss_huge_salt(pki: DemoPki) -> None:
    def huge_salt(signer_info: cms.SignerInfo, signed_data: cms.SignedData) -> None:
        parameters = signer_info["signature_algorithm"]["parameters"].native
        parameters["salt_length"] = 10**30
        signer_info["signature_algorithm"] = algos.SignedDigestAlgorithm(
            {"algorithm": "rsassa_pss", "parameters": algos.RSASSAPSSParams(parameters)}
        )

    signer = pki.approver_signer()
    result = verify(pki, resign(sign_detached(MANIFEST, signer), signer, huge_salt))

    assert result.reason_code == ReasonCode.SIG_INVALID


def test_verify_unexpected_error_is_malformed(pki: DemoPki, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise IndexError("a structure no check foresaw")

    monkeypatch.setattr("cbccvc.signing.verification._check_content", broken)

    result = verify(pki, sign_detached(MANIFEST, pki.approver_signer()))

    assert result.reason_code == ReasonCode.SIG_MALFORMED


# --- Times ---


def test_verify_backdated_revoked_at_decision(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    # A thief backdates the signing time to before the revocation; validated at the decision time, the path fails.
    issued = make_test_certificate(TestCertificateKind.VALID, issuing_ca, crl_url=ISSUING_CRL_URL)
    now = datetime.now(UTC)
    signature = sign_detached(MANIFEST, issued.signer(chain=[issuing_ca.certificate]),
                              signing_time=now - timedelta(minutes=30))
    crl = make_crl(issuing_ca, [(issued.certificate.serial_number, now - timedelta(minutes=1))], crl_number=101,
                   this_update=now, next_update=now + timedelta(days=1))

    result = verify(pki, signature, crls=[crl.public_bytes(serialization.Encoding.DER), pki.root_crl_der.read_bytes()],
                    at=now, now=now)

    assert result.reason_code == ReasonCode.CERT_REVOKED


def test_verify_signing_time_too_early(pki: DemoPki) -> None:
    now = datetime.now(UTC)
    # 1990 is before the certificate's validity: the clock check must come first.
    signature = sign_detached(MANIFEST, pki.approver_signer(), signing_time=datetime(1990, 1, 1, tzinfo=UTC))

    result = verify(pki, signature, at=now, now=now, earliest_signing_time=now - timedelta(hours=1))

    assert result.reason_code == ReasonCode.SIG_TIME_TOO_EARLY


def test_sign_after_2049(pki: DemoPki) -> None:
    moment = datetime(2051, 3, 1, 8, 30, tzinfo=UTC)
    signature = sign_detached(MANIFEST, pki.approver_signer(), signing_time=moment)

    result = verify(pki, signature, now=moment, at=datetime.now(UTC))

    assert result.valid
    assert result.signing_time == moment


# --- Several signers ---


def merge_signers(first: bytes, second: bytes) -> bytes:
    other = cms.ContentInfo.load(second)["content"]

    def add(signed_data: cms.SignedData) -> None:
        signed_data["certificates"] = [*signed_data["certificates"], *other["certificates"]]
        signed_data["signer_infos"] = [*signed_data["signer_infos"], *other["signer_infos"]]

    return rebuild(first, add)


def test_verify_two_valid_signers(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    first = sign_detached(MANIFEST, pki.approver_signer())
    second = sign_detached(MANIFEST, signer_for(TestCertificateKind.EC_P256, issuing_ca))

    result = verify(pki, merge_signers(first, second))

    assert result.reason_code == ReasonCode.SIG_MULTIPLE_SIGNERS
    assert result.params["signer_count"] == "2"


def test_verify_one_bad_signer(pki: DemoPki) -> None:
    first = sign_detached(MANIFEST, pki.approver_signer())
    second = sign_detached(MANIFEST, pki.revoked_approver_signer())

    result = verify(pki, merge_signers(first, second))

    assert result.reason_code == ReasonCode.SIG_MULTIPLE_SIGNERS


# --- Signer construction ---


def test_keysigner_rejects_foreign_key(pki: DemoPki, issuing_ca: IssuedCertificate) -> None:
    other = make_test_certificate(TestCertificateKind.VALID, issuing_ca)

    with pytest.raises(SignerKeyError, match="does not belong"):
        KeySigner(other.private_key, pki.approver_signer().certificate)


def test_keysigner_rejects_sha1(pki: DemoPki) -> None:
    with pytest.raises(SignerKeyError, match="sha1"):
        KeySigner(approver_key(pki), pki.approver_signer().certificate, digest="sha1")


def test_sign_rejects_naive_time(pki: DemoPki) -> None:
    with pytest.raises(ValueError, match="timezone"):
        sign_detached(MANIFEST, pki.approver_signer(), signing_time=datetime(2026, 1, 1))
