"""Keyed hashing and masking of personal ID numbers.

Personal ID numbers never appear in clear in DynamoDB keys or logs. DynamoDB items are keyed
by an HMAC-SHA-256 of the ID under a key that is itself derived through KMS, so the derived
key exists only in the function's memory and one KMS call per cold start suffices.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

# Changing the label re-keys every person item, so it carries a version.
_DERIVATION_LABEL = b"cbccvc-sync/person-id-key/v1"


class PersonKeyer:
    """Turns a personal ID into a stable pseudonymous key."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("the person key secret must be at least 32 bytes")
        self._secret = secret

    @classmethod
    def from_kms(cls, kms_client: Any, key_id: str) -> PersonKeyer:
        """Derive the HMAC secret with KMS GenerateMac (HMAC_SHA_256 key) over a fixed label."""
        response = kms_client.generate_mac(KeyId=key_id, Message=_DERIVATION_LABEL, MacAlgorithm="HMAC_SHA_256")
        return cls(response["Mac"])

    def key(self, personal_id: str) -> str:
        """Return the hex HMAC-SHA-256 of the ID, truncated to 128 bits."""
        digest = hmac.new(self._secret, personal_id.encode("ascii"), hashlib.sha256).hexdigest()
        return digest[:32]


def mask_personal_id(personal_id: str) -> str:
    """Mask an ID for display to operators: the province prefix and the last two digits stay."""
    if len(personal_id) < 6:
        return "*" * len(personal_id)
    return personal_id[:3] + "*" * (len(personal_id) - 5) + personal_id[-2:]
