"""Entries of the approver registry: which certificate may approve batches for which agency, and when.

An entry is keyed by the SHA-256 fingerprint of the approver's certificate, so a renewed
certificate needs a new entry. It also records the subject, issuer, serial number and the
SHA-256 of the public key (SubjectPublicKeyInfo), for people reading the registry and its audit
trail, and the window in which the approver may approve.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """Return the SHA-256 fingerprint of the certificate's DER, as lower-case hex."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def key_fingerprint(certificate: x509.Certificate) -> str:
    """Return the SHA-256 of the certificate's SubjectPublicKeyInfo DER, as lower-case hex."""
    digest = hashes.Hash(hashes.SHA256())
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest.update(spki)
    return digest.finalize().hex()


def approver_entry(certificate: x509.Certificate, *, valid_from: datetime | None = None,
                   valid_until: datetime | None = None) -> dict[str, Any]:
    """Describe an approver by certificate; the window defaults to the certificate's validity.

    Raises ValueError when the window is empty or a bound is a naive datetime.
    """
    start = valid_from or certificate.not_valid_before_utc
    end = valid_until or certificate.not_valid_after_utc
    if start.utcoffset() is None or end.utcoffset() is None:
        raise ValueError("the approval window needs timezone-aware times")
    if end <= start:
        raise ValueError("the approval window ends before it starts")
    return {
        "fingerprint": certificate_fingerprint(certificate),
        "key_fingerprint": key_fingerprint(certificate),
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "serial": format(certificate.serial_number, "x"),
        "valid_from": start.astimezone(UTC).isoformat(),
        "valid_until": end.astimezone(UTC).isoformat(),
        "added_at": datetime.now(UTC).isoformat(),
    }


def within_window(entry: dict[str, Any], moment: datetime) -> bool:
    """Return whether ``moment`` lies in the entry's approval window (both ends included)."""
    return datetime.fromisoformat(entry["valid_from"]) <= moment <= datetime.fromisoformat(entry["valid_until"])
