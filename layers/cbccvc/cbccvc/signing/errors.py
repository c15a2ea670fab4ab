"""Errors raised while preparing to sign. Verification does not raise them: it returns a result."""


from typing import Any


class SigningError(Exception):
    """Base class for errors that stop a manifest from being signed.

    The text is English, for logs. ``reason`` is the catalog code of the same reason for users
    ("reason.token_pin"), with ``params`` to fill it; None where the error has none.
    """

    def __init__(self, text: str, reason: str | None = None, **params: Any) -> None:
        super().__init__(text)
        self.reason = reason
        self.params = params


class SignerKeyError(SigningError):
    """The private key, certificate or algorithm choice cannot make an approval signature."""


class KeyFileError(SigningError):
    """A PKCS #12 or PEM file cannot be read (wrong password, damaged file, missing parts)."""


class ManifestError(SigningError):
    """The file to sign is not a batch manifest (not a JSON object)."""


class KmsSigningError(SigningError):
    """AWS KMS did not sign (access denied, throttling, key disabled), or its signature did not verify."""


class TokenError(SigningError):
    """A PKCS #11 token could not be used: module, token, PIN, key or certificate not found or refused."""
