"""The demo PKI: created once, reused, and CRLs re-issued when stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cbccvc_local.certificates import make_crl
from cbccvc_local.pki import CRL_LIFETIME, ensure_demo_pki


def test_pki_creates_all_files(tmp_path: Path) -> None:
    pki = ensure_demo_pki(tmp_path / "pki")

    assert all(path.exists() for path in pki.all_files())
    assert (pki.approver_key.stat().st_mode & 0o777) == 0o600
    assert pki.load_roots()[0].subject.rfc4514_string() == "C=VN,O=CBCCVC Demo,CN=CBCCVC Demo Root CA"


def test_pki_reused(tmp_path: Path) -> None:
    first = ensure_demo_pki(tmp_path)
    before = first.approver_p12.read_bytes()

    second = ensure_demo_pki(tmp_path)

    assert second.approver_p12.read_bytes() == before
    assert second.load_roots() == first.load_roots()


def test_pki_recreated_when_incomplete(tmp_path: Path) -> None:
    first = ensure_demo_pki(tmp_path)
    old_root = first.load_roots()
    first.revoked_approver_p12.unlink()

    second = ensure_demo_pki(tmp_path)

    assert second.revoked_approver_p12.exists()
    assert second.load_roots() != old_root


def test_pki_approver_profile(tmp_path: Path) -> None:
    pki = ensure_demo_pki(tmp_path)
    approver = pki.approver_signer().certificate

    usage = approver.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment
    assert approver.public_key().key_size == 2048  # type: ignore[union-attr]
    assert approver.not_valid_after_utc - approver.not_valid_before_utc >= timedelta(days=730)
    assert approver.issuer == pki.load_intermediates()[0].subject


def test_pki_crl_lists_revoked_approver(tmp_path: Path) -> None:
    pki = ensure_demo_pki(tmp_path)
    crl = x509.load_der_x509_crl(pki.issuing_crl_der.read_bytes())
    revoked_serial = pki.revoked_approver_signer().certificate.serial_number

    assert crl.get_revoked_certificate_by_serial_number(revoked_serial) is not None
    assert crl.get_revoked_certificate_by_serial_number(pki.approver_signer().certificate.serial_number) is None
    assert crl.next_update_utc is not None
    assert crl.next_update_utc - crl.last_update_utc == CRL_LIFETIME
    assert x509.load_pem_x509_crl(pki.issuing_crl_pem.read_bytes()) == crl


def test_pki_stale_crl_reissued(tmp_path: Path) -> None:
    pki = ensure_demo_pki(tmp_path)
    now = datetime.now(UTC)
    stale = make_crl(
        pki.load_issuing_ca(),
        [],
        crl_number=7,
        this_update=now - timedelta(days=9),
        next_update=now - timedelta(days=2),
    )
    pki.issuing_crl_der.write_bytes(stale.public_bytes(serialization.Encoding.DER))

    ensure_demo_pki(tmp_path)

    fresh = x509.load_der_x509_crl(pki.issuing_crl_der.read_bytes())
    assert fresh.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 8
    assert fresh.next_update_utc is not None
    assert fresh.next_update_utc > now + timedelta(days=6)
    revoked_serial = pki.revoked_approver_signer().certificate.serial_number
    assert fresh.get_revoked_certificate_by_serial_number(revoked_serial) is not None
