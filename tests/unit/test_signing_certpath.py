"""Path validation of an approval signer: its time limit, and the emulator's verifier under a path-building attack."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cbccvc.signing.certpath import validate_signer_path
from cbccvc.signing.cms import sign_detached
from cbccvc.signing.result import ReasonCode
from cbccvc_local.certificates import IssuedCertificate
from cbccvc_local.emulator_approval import ApprovalSignatureVerifier
from cbccvc_local.pki import DemoPki, ensure_demo_pki

MANIFEST = b'{"agency_code":"H46","batch_id":"H46-0001"}'


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return ensure_demo_pki(tmp_path_factory.mktemp("pki"))


def _same_name_issuers(issuing_ca: IssuedCertificate, count: int) -> list[x509.Certificate]:
    """Self-issued CA certificates that copy the issuing CA's name, without key identifiers to tell them apart.

    Each one is a candidate issuer of the signer and of every other one.
    """
    now = datetime.now(UTC)
    issuers = []
    for _ in range(count):
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(issuing_ca.certificate.subject)
            .issuer_name(issuing_ca.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        )
        issuers.append(builder.sign(key, hashes.SHA256()))
    return issuers


def test_certpath_times_out(pki: DemoPki) -> None:
    # Nine same-name candidates make path building try their 9! orders, for minutes; the limit stops it.
    issuing = pki.load_issuing_ca()
    others = [*_same_name_issuers(issuing, 9), issuing.certificate]

    check = validate_signer_path(pki.approver_signer().certificate, others, trust_roots=pki.load_roots(),
                                 crls=pki.load_crls(), moment=datetime.now(UTC), timeout=timedelta(seconds=1))

    assert check.reason == ReasonCode.CERT_PATH_TIMEOUT
    assert check.params["issuer"] == issuing.certificate.subject.rfc4514_string()


def test_certpath_no_time_left(pki: DemoPki) -> None:
    check = validate_signer_path(pki.approver_signer().certificate, pki.load_intermediates(),
                                 trust_roots=pki.load_roots(), crls=pki.load_crls(), moment=datetime.now(UTC),
                                 timeout=timedelta(0))

    assert check.reason == ReasonCode.CERT_PATH_TIMEOUT


def test_certpath_within_time(pki: DemoPki) -> None:
    check = validate_signer_path(pki.approver_signer().certificate, pki.load_intermediates(),
                                 trust_roots=pki.load_roots(), crls=pki.load_crls(), moment=datetime.now(UTC))

    assert check.reason is None
    assert len(check.chain) == 3


def test_emulator_rejects_same_name_issuers(pki: DemoPki, tmp_path: Path) -> None:
    issuing = pki.load_issuing_ca()
    signature = cms.ContentInfo.load(sign_detached(MANIFEST, pki.approver_signer()))
    signed_data = signature["content"]
    fakes = [cms.CertificateChoices({"certificate": cms.Certificate.load(
        cert.public_bytes(serialization.Encoding.DER))}) for cert in _same_name_issuers(issuing, 8)]
    signed_data["certificates"] = [*fakes, *signed_data["certificates"]]
    attack = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump(force=True)
    verifier = ApprovalSignatureVerifier(pki.load_roots(), pki.load_crls)

    verdict = verifier({"manifest_b64": base64.b64encode(MANIFEST).decode(),
                        "signature_b64": base64.b64encode(attack).decode()})

    assert verdict == f"SIGNATURE_INVALID:{ReasonCode.CERT_PATH_AMBIGUOUS}"
