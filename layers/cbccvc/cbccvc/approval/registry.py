"""Entries of the approver registry: which certificate may approve batches for which agency."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """Return the SHA-256 fingerprint of the certificate's DER, as lower-case hex."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def approver_entry(certificate: x509.Certificate, *, valid_from: datetime | None = None,
                   valid_until: datetime | None = None) -> dict[str, Any]:
    """Describe an approver by certificate; the window defaults to the certificate's validity."""
    start = valid_from or certificate.not_valid_before_utc
    end = valid_until or certificate.not_valid_after_utc
    return {
        "fingerprint": certificate_fingerprint(certificate),
        "subject": certificate.subject.rfc4514_string(),
        "serial": format(certificate.serial_number, "x"),
        "valid_from": start.astimezone(UTC).isoformat(),
        "valid_until": end.astimezone(UTC).isoformat(),
        "added_at": datetime.now(UTC).isoformat(),
    }
