"""Detached CMS signatures interoperate with OpenSSL 3 in both directions, using the demo PKI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cbccvc.signing.cms import ReasonCode, WarningCode, sign_detached, verify_detached
from cbccvc_local.certificates import TestCertificateKind, make_test_certificate
from cbccvc_local.pki import ISSUING_CRL_URL, DemoPki, ensure_demo_pki

OPENSSL = shutil.which("openssl")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(OPENSSL is None, reason="the openssl command is not installed"),
]

MANIFEST = b'{"agency": "HUE", "batch_id": "b-0042", "records": 7, "sha256": "ab12"}\n'


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return ensure_demo_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "manifest.json"
    path.write_bytes(MANIFEST)
    return path


def openssl(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    assert OPENSSL is not None
    return subprocess.run(  # noqa: S603 - fixed program, arguments built by the tests
        [OPENSSL, *map(str, arguments)], capture_output=True, text=True, check=False, timeout=60
    )


def openssl_verify(ca_file: Path, signature: Path, manifest: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return openssl(
        "cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", manifest,
        "-CAfile", ca_file, "-purpose", "any", "-out", "/dev/null", *extra,
    )  # fmt: skip


def openssl_sign(pki: DemoPki, manifest: Path, output: Path, *extra: str) -> None:
    completed = openssl(
        "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-nosmimecap",
        "-in", manifest, "-out", output, "-signer", pki.approver_cert, "-inkey", pki.approver_key,
        "-passin", f"pass:{pki.password}", "-certfile", pki.issuing_cert, *extra,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr


def test_openssl_accepts_rsa_pss(pki: DemoPki, manifest: Path, tmp_path: Path) -> None:
    signature = tmp_path / "manifest.json.p7s"
    signature.write_bytes(sign_detached(MANIFEST, pki.approver_signer()))

    completed = openssl_verify(pki.root_cert, signature, manifest)

    assert completed.returncode == 0, completed.stderr


def test_openssl_accepts_ecdsa(pki: DemoPki, manifest: Path, tmp_path: Path) -> None:
    issuing_ca = pki.load_issuing_ca()
    issued = make_test_certificate(TestCertificateKind.EC_P256, issuing_ca, crl_url=ISSUING_CRL_URL)
    signature = tmp_path / "manifest.json.p7s"
    signature.write_bytes(sign_detached(MANIFEST, issued.signer(chain=[issuing_ca.certificate])))

    completed = openssl_verify(pki.root_cert, signature, manifest)

    assert completed.returncode == 0, completed.stderr


def test_openssl_rejects_tampered(pki: DemoPki, manifest: Path, tmp_path: Path) -> None:
    signature = tmp_path / "manifest.json.p7s"
    signature.write_bytes(sign_detached(MANIFEST, pki.approver_signer()))
    manifest.write_bytes(MANIFEST.replace(b'"records": 7', b'"records": 8'))

    completed = openssl_verify(pki.root_cert, signature, manifest)

    assert completed.returncode != 0


def test_openssl_crl_check_rejects_revoked(pki: DemoPki, manifest: Path, tmp_path: Path) -> None:
    # OpenSSL reads the demo CRLs and finds the revoked approver on them, as verify_detached does.
    good = tmp_path / "good.p7s"
    good.write_bytes(sign_detached(MANIFEST, pki.approver_signer()))
    revoked = tmp_path / "revoked.p7s"
    revoked.write_bytes(sign_detached(MANIFEST, pki.revoked_approver_signer()))
    # openssl cms has no -CRLfile option; CRLs in the -CAfile file are loaded into its store.
    store = tmp_path / "root-and-crls.pem"
    store.write_bytes(pki.root_cert.read_bytes() + pki.issuing_crl_pem.read_bytes() + pki.root_crl_pem.read_bytes())

    accepted = openssl_verify(store, good, manifest, "-crl_check_all")
    rejected = openssl_verify(store, revoked, manifest, "-crl_check_all")

    assert accepted.returncode == 0, accepted.stderr
    assert rejected.returncode != 0
    assert "revoked" in rejected.stderr


def test_verify_openssl_pkcs1v15(pki: DemoPki, manifest: Path, tmp_path: Path) -> None:
    output = tmp_path / "openssl.p7s"
    openssl_sign(pki, manifest, output)

    result = verify_detached(output.read_bytes(), MANIFEST, trust_roots=pki.load_roots(), crls=pki.load_crls())

    assert result.valid, result.reason_code
    assert result.legacy_padding
    assert result.signature_algorithm == "rsassa_pkcs1v15"
    assert WarningCode.SIG_LEGACY_PADDING in result.warnings
    assert result.signer_subject == pki.approver_signer().certificate.subject.rfc4514_string()


def test_verify_openssl_pss(pki: DemoPki, manifest: Path, tmp_path: Path) -> None:
    output = tmp_path / "openssl-pss.p7s"
    openssl_sign(pki, manifest, output, "-keyopt", "rsa_padding_mode:pss")

    result = verify_detached(output.read_bytes(), MANIFEST, trust_roots=pki.load_roots(), crls=pki.load_crls())

    assert result.valid, result.reason_code
    assert not result.legacy_padding
    assert result.signature_algorithm == "rsassa_pss"


def test_verify_openssl_tampered(pki: DemoPki, manifest: Path, tmp_path: Path) -> None:
    output = tmp_path / "openssl.p7s"
    openssl_sign(pki, manifest, output)

    result = verify_detached(output.read_bytes(), MANIFEST + b" ", trust_roots=pki.load_roots())

    assert result.reason_code == ReasonCode.SIG_CONTENT_MISMATCH


def test_verify_openssl_sha1(pki: DemoPki, manifest: Path, tmp_path: Path) -> None:
    output = tmp_path / "openssl-sha1.p7s"
    completed = openssl(
        "cms", "-sign", "-binary", "-md", "sha1", "-outform", "DER", "-nosmimecap",
        "-in", manifest, "-out", output, "-signer", pki.approver_cert, "-inkey", pki.approver_key,
        "-passin", f"pass:{pki.password}",
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr

    result = verify_detached(output.read_bytes(), MANIFEST, trust_roots=pki.load_roots(), crls=pki.load_crls())

    assert result.reason_code == ReasonCode.SIG_WEAK_DIGEST


def test_verify_openssl_revoked(pki: DemoPki, manifest: Path, tmp_path: Path) -> None:
    output = tmp_path / "openssl-revoked.p7s"
    completed = openssl(
        "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-nosmimecap",
        "-in", manifest, "-out", output, "-signer", pki.revoked_approver_cert,
        "-inkey", pki.revoked_approver_key, "-passin", f"pass:{pki.password}", "-certfile", pki.issuing_cert,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr

    result = verify_detached(output.read_bytes(), MANIFEST, trust_roots=pki.load_roots(), crls=pki.load_crls())

    assert result.reason_code == ReasonCode.CERT_REVOKED
