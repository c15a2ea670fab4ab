"""The ``cbccvc sign`` step: an approver signs a batch manifest file with a PKCS #12 file, a token or KMS."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from cbccvc.signing.cms import Signer, sign_detached
from cbccvc.signing.errors import ManifestError
from cbccvc.signing.keys import load_pkcs12

SIGNATURE_SUFFIX = ".p7s"


def sign_manifest_file(manifest_path: Path, pkcs12_path: Path, password: str | None, output_path: Path | None) -> Path:
    """Write a detached CMS signature over the manifest's exact bytes and return its path.

    The signature goes to ``output_path``, or to ``<manifest file name>.p7s`` beside the manifest
    (``manifest.json`` → ``manifest.json.p7s``). Raises ManifestError when the file is not a JSON
    object naming a batch, or is the batch's validation report (to catch signing the wrong file).
    Raises KeyFileError for an unreadable PKCS #12 file, and OSError when a file cannot be read or
    written.
    """
    signer = load_pkcs12(pkcs12_path.read_bytes(), password.encode("utf-8") if password is not None else None)
    return sign_manifest_with(manifest_path, signer, output_path)


def sign_manifest_with(manifest_path: Path, signer: Signer, output_path: Path | None) -> Path:
    """Write a detached CMS signature by ``signer`` over the manifest's exact bytes; return its path.

    Where the signature goes and what is raised follow ``sign_manifest_file``; a token or KMS
    signer adds its own errors (TokenError, KmsSigningError, SignerKeyError).
    """
    content = manifest_path.read_bytes()
    _check_manifest(content, manifest_path)
    signature = sign_detached(content, signer)

    target = output_path or manifest_path.with_name(manifest_path.name + SIGNATURE_SUFFIX)
    _write_atomically(target, signature)
    return target


def _check_manifest(content: bytes, path: Path) -> None:
    try:
        document = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{path.name} is not JSON; sign the batch's manifest file") from error
    if not isinstance(document, dict):
        raise ManifestError(f"{path.name} is not a JSON object; sign the batch's manifest file")
    # The batch's validation report (bao-cao-kiem-tra.json) sits beside the manifest and names the
    # batch too. Only the report has findings, so they distinguish the two.
    if "batch_id" not in document or "findings" in document:
        raise ManifestError(f"{path.name} is not a batch manifest; sign the batch's manifest.json")


def _write_atomically(target: Path, data: bytes) -> None:
    # A half-written .p7s would be uploaded as a broken approval, so write a temporary file in
    # the same folder and rename it over the target.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(target)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
