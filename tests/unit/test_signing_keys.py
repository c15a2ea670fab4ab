"""Loading approver keys from PKCS #12 and PEM files, and signing a manifest file with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbccvc.signing.cms import ReasonCode, verify_detached
from cbccvc.signing.errors import KeyFileError, ManifestError
from cbccvc.signing.keys import load_pem_certificates, load_pkcs12
from cbccvc.signing.sign_command import sign_manifest_file
from cbccvc_local.pki import DemoPki, ensure_demo_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return ensure_demo_pki(tmp_path_factory.mktemp("pki"))


def test_pkcs12_loads_key_and_chain(pki: DemoPki) -> None:
    signer = load_pkcs12(pki.approver_p12.read_bytes(), b"demo")

    assert signer.certificate == load_pem_certificates(pki.approver_cert.read_bytes())[0]
    assert list(signer.chain) == pki.load_intermediates()


def test_pkcs12_wrong_password(pki: DemoPki) -> None:
    with pytest.raises(KeyFileError):
        load_pkcs12(pki.approver_p12.read_bytes(), b"wrong")


def test_pkcs12_damaged(pki: DemoPki) -> None:
    with pytest.raises(KeyFileError):
        load_pkcs12(pki.approver_p12.read_bytes()[:200], b"demo")


def test_pem_certificates_in_order(pki: DemoPki) -> None:
    certificates = load_pem_certificates(pki.chain.read_bytes())

    assert certificates == [*pki.load_intermediates(), *pki.load_roots()]


def test_pem_certificates_none(pki: DemoPki) -> None:
    with pytest.raises(KeyFileError):
        load_pem_certificates(b"no certificate here")


def test_sign_command_writes_p7s(pki: DemoPki, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(b'{"batch_id": "b-0001", "records": 3}')

    written = sign_manifest_file(manifest, pki.approver_p12, "demo", None)

    assert written == tmp_path / "manifest.json.p7s"
    result = verify_detached(
        written.read_bytes(), manifest.read_bytes(), trust_roots=pki.load_roots(), crls=pki.load_crls()
    )
    assert result.valid
    assert sorted(tmp_path.iterdir()) == sorted([manifest, written])  # no temporary file left


def test_sign_command_output_path(pki: DemoPki, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(b'{"batch_id": "b-0002"}')
    target = tmp_path / "approval.p7s"

    written = sign_manifest_file(manifest, pki.approver_p12, "demo", target)

    assert written == target
    tampered = verify_detached(written.read_bytes(), b'{"batch_id": "b-0003"}', trust_roots=pki.load_roots())
    assert tampered.reason_code == ReasonCode.SIG_CONTENT_MISMATCH


@pytest.mark.parametrize("content", [b"not json", b"[1, 2]", b"\xff\xfe"], ids=["text", "array", "binary"])
def test_sign_command_rejects_non_manifest(pki: DemoPki, tmp_path: Path, content: bytes) -> None:
    manifest = tmp_path / "report.xlsx"
    manifest.write_bytes(content)

    with pytest.raises(ManifestError):
        sign_manifest_file(manifest, pki.approver_p12, "demo", None)

    assert not (tmp_path / "report.xlsx.p7s").exists()


def test_sign_command_wrong_password(pki: DemoPki, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(b"{}")

    with pytest.raises(KeyFileError):
        sign_manifest_file(manifest, pki.approver_p12, "wrong", None)
