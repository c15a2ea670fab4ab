"""Evidence bundles: everything needed to show, later and offline, that a batch was approved and sealed.

For every approval the approve stage writes, under its own folder
``batches/{agency}/{batch}/evidence/{decision}/`` (``{decision}`` starts with the first 16 hex
digits of the signature's SHA-256, so concurrent decisions never share files):

    manifest.json            the manifest exactly as signed
    approver-signature.p7s   the approver's detached CMS signature (DER), as verified
    seal.p7s                 the agency's seal over the same manifest (absent when not sealed)
    approver-chain.pem       the approver's validated certificate path, signer first
    seal-chain.pem           the seal's validated certificate path, signer first
    trust-anchors.pem        the trust anchors the verification used
    revocation/NN-crl.der    CRLs, and revocation/NN-ocsp.der OCSP responses, given to path validation
    revocation/index.json    where each revocation file came from and the period it covers
    verification.json        the recorded result: signers, times, algorithms, registry entry, warnings
    evidence.zip             all of the above in one file

The batch record names the folder of the decision that approved the batch; folders of decisions
that lost a race with another one are left unreferenced. ``cbccvc.approval.evidence_check``
checks a bundle again offline.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cbccvc.models import Manifest, sha256_hex
from cbccvc.signing.result import VerificationResult
from cbccvc.signing.revocation import (
    RevocationItem,
    RevocationKind,
    read_crl,
    read_ocsp_response,
)

EVIDENCE_FORMAT = "cbccvc-evidence/2"
MANIFEST_FILE = "manifest.json"
SIGNATURE_FILE = "approver-signature.p7s"
SEAL_FILE = "seal.p7s"
SIGNATURE_CHAIN_FILE = "approver-chain.pem"
SEAL_CHAIN_FILE = "seal-chain.pem"
ANCHORS_FILE = "trust-anchors.pem"
VERIFICATION_FILE = "verification.json"
REVOCATION_INDEX_FILE = "revocation/index.json"
ZIP_FILE = "evidence.zip"
# A zip member larger than this is not read: evidence files are a few hundred kilobytes at most,
# and a CRL of a large CA a few megabytes.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
# Fields of the approver's registry entry that verification.json keeps.
APPROVER_FIELDS = ("subject", "serial", "valid_from", "valid_until")


class EvidenceError(Exception):
    """A bundle cannot be read: missing files, a damaged zip or unreadable JSON.

    ``code`` is a message of ``cbccvc.messages.evidence`` and ``params`` its parameters.
    """

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def signer_details(result: VerificationResult) -> dict[str, Any]:
    """Describe the signer and algorithms of a verified signature, for the batch record and verification.json."""
    return {
        "signer_subject": result.signer_subject,
        "signer_serial": result.signer_serial,
        "signer_fingerprint": result.signer_fingerprint_sha256,
        "signing_time": result.signing_time.isoformat() if result.signing_time else None,
        "signature_algorithm": result.signature_algorithm,
        "digest_algorithm": result.digest_algorithm,
        "legacy_padding": result.legacy_padding,
        "chain_subjects": list(result.chain_subjects),
    }


def manifest_fields(manifest: Manifest, manifest_bytes: bytes) -> dict[str, Any]:
    """Return the verification.json fields that the manifest alone determines."""
    return {
        "format": EVIDENCE_FORMAT,
        "batch_id": manifest.batch_id,
        "agency_code": manifest.agency_code,
        "record_count": manifest.record_count,
        "records_sha256": manifest.records_sha256,
        "report_sha256": manifest.report_sha256,
        "manifest_sha256": sha256_hex(manifest_bytes),
    }


@dataclass(frozen=True, slots=True)
class ApprovalRecord:
    """Facts the approve stage established, beyond the two signatures, for verification.json."""

    signature_key: str
    evidence_prefix: str
    verified_at: datetime
    revocation_max_age: timedelta
    approver: Mapping[str, Any]
    fetch_failed: Sequence[str] = ()


def verification_record(manifest: Manifest, manifest_bytes: bytes, *, signature: bytes, result: VerificationResult,
                        seal_result: VerificationResult | None, record: ApprovalRecord) -> dict[str, Any]:
    """Build verification.json; ``cbccvc.approval.evidence_check`` recomputes every field it can."""
    document: dict[str, Any] = {
        **manifest_fields(manifest, manifest_bytes),
        "verified_at": record.verified_at.isoformat(),
        "revocation_max_age_seconds": int(record.revocation_max_age.total_seconds()),
        "evidence_prefix": record.evidence_prefix,
        "signature": {
            "signature_key": record.signature_key,
            "signature_sha256": sha256_hex(signature),
            **signer_details(result),
            "warnings": list(result.warnings),
        },
        "approver": {name: record.approver.get(name) for name in APPROVER_FIELDS},
        "revocation_fetch_failed": list(record.fetch_failed),
    }
    if seal_result is not None:
        document["seal"] = {**signer_details(seal_result), "warnings": list(seal_result.warnings)}
    return document


@dataclass(frozen=True, slots=True)
class EvidenceBundle:
    """The contents of one evidence bundle."""

    manifest: bytes
    signature: bytes
    seal: bytes | None
    trust_anchors: list[x509.Certificate]
    revocation: list[RevocationItem]
    verification: dict[str, Any]
    signature_chain: list[x509.Certificate] = field(default_factory=list)
    seal_chain: list[x509.Certificate] = field(default_factory=list)

    def files(self) -> dict[str, bytes]:
        """Return the bundle as file name → bytes, in the layout the module docstring lists (no zip)."""
        files = {
            MANIFEST_FILE: self.manifest,
            SIGNATURE_FILE: self.signature,
            SIGNATURE_CHAIN_FILE: _pem(self.signature_chain),
            ANCHORS_FILE: _pem(self.trust_anchors),
            VERIFICATION_FILE: _json(self.verification),
        }
        if self.seal is not None:
            files[SEAL_FILE] = self.seal
            files[SEAL_CHAIN_FILE] = _pem(self.seal_chain)
        index = []
        for number, item in enumerate(self.revocation, start=1):
            name = f"revocation/{number:02d}-{item.kind.value}.der"
            files[name] = item.data
            index.append({"file": name, **item.describe()})
        files[REVOCATION_INDEX_FILE] = _json(index)
        return files

    def zip_bytes(self) -> bytes:
        """Return every file of the bundle in one zip archive."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files().items():
                archive.writestr(name, data)
        return buffer.getvalue()

    @classmethod
    def load(cls, path: Path) -> EvidenceBundle:
        """Read a bundle from a folder or a zip file. Raises EvidenceError when it cannot be read."""
        if path.is_dir():
            try:
                files = {
                    item.relative_to(path).as_posix(): item.read_bytes()
                    for item in path.rglob("*")
                    if item.is_file() and item.name != ZIP_FILE
                }
            except OSError as error:
                raise EvidenceError("evidence.error_folder", file=str(path)) from error
        else:
            files = _read_zip(path)
        return cls.from_files(files)

    @classmethod
    def from_files(cls, files: Mapping[str, bytes]) -> EvidenceBundle:
        """Build a bundle from file name → bytes. Raises EvidenceError for missing or unreadable files."""
        verification = _json_file(files, VERIFICATION_FILE)
        if not isinstance(verification, dict):
            raise EvidenceError("evidence.error_json", file=VERIFICATION_FILE)
        index = _json_file(files, REVOCATION_INDEX_FILE) if REVOCATION_INDEX_FILE in files else []
        return cls(
            manifest=_required(files, MANIFEST_FILE),
            signature=_required(files, SIGNATURE_FILE),
            seal=files.get(SEAL_FILE),
            trust_anchors=_certificates(files, ANCHORS_FILE),
            revocation=_revocation_items(files, index),
            verification=verification,
            signature_chain=_certificates(files, SIGNATURE_CHAIN_FILE),
            seal_chain=_certificates(files, SEAL_CHAIN_FILE),
        )


def _required(files: Mapping[str, bytes], name: str) -> bytes:
    if name not in files:
        raise EvidenceError("evidence.error_missing_file", file=name)
    return files[name]


def _json_file(files: Mapping[str, bytes], name: str) -> Any:
    try:
        return json.loads(_required(files, name))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise EvidenceError("evidence.error_json", file=name) from error


def _revocation_items(files: Mapping[str, bytes], index: object) -> list[RevocationItem]:
    if not isinstance(index, list) or not all(isinstance(entry, dict) for entry in index):
        raise EvidenceError("evidence.error_json", file=REVOCATION_INDEX_FILE)
    items = []
    for entry in index:
        name = entry.get("file")
        if not isinstance(name, str):
            raise EvidenceError("evidence.error_json", file=REVOCATION_INDEX_FILE)
        reader = read_crl if entry.get("kind") == RevocationKind.CRL.value else read_ocsp_response
        item = reader(_required(files, name), str(entry.get("source", name)))
        if item is not None:
            items.append(item)
    return items


def _read_zip(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            files = {}
            for member in archive.infolist():
                if member.is_dir():
                    continue
                if member.file_size > MAX_MEMBER_BYTES:
                    raise EvidenceError("evidence.error_member_too_large", file=member.filename,
                                        limit_mib=str(MAX_MEMBER_BYTES // (1024 * 1024)))
                files[member.filename] = archive.read(member)
            return files
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise EvidenceError("evidence.error_zip", file=path.name) from error


def _certificates(files: Mapping[str, bytes], name: str) -> list[x509.Certificate]:
    data = files.get(name, b"")
    if not data.strip():
        return []
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise EvidenceError("evidence.error_pem", file=name) from error


def _pem(certificates: Sequence[x509.Certificate]) -> bytes:
    return b"".join(certificate.public_bytes(serialization.Encoding.PEM) for certificate in certificates)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
