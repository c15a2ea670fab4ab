"""Errors raised while preparing to sign. Verification does not raise them: it returns a result."""


class SigningError(Exception):
    """Base class for errors that stop a manifest from being signed."""


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
