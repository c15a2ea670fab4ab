"""Evidence bundles: everything needed to show, later and offline, that a batch was approved and sealed.

For every approved batch the approve stage writes, under ``batches/{agency}/{batch}/evidence/``:

    manifest.json            the manifest exactly as signed
    approver-signature.p7s   the approver's detached CMS signature
    seal.p7s                 the agency's seal over the same manifest (absent when not sealed)
    approver-chain.pem       the approver's validated certificate path, signer first
    seal-chain.pem           the seal's validated certificate path, signer first
    trust-anchors.pem        the trust anchors the verification used
    revocation/NN-crl.der    CRLs, and revocation/NN-ocsp.der OCSP responses, given to path validation
    revocation/index.json    where each revocation file came from and the period it covers
    verification.json        the recorded result: signers, times, algorithms, registry entry, warnings
    evidence.zip             all of the above in one file

``verify_bundle`` checks a bundle again without AWS: both signatures over the manifest, their
paths to the trust anchors (the bundled ones, or ones the caller brings), revocation with the
bundled data judged at the recorded verification time, and that the seal belongs to the
manifest's agency.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pydantic import ValidationError

from cbccvc.approval.seal import seal_agency
from cbccvc.models import Manifest, sha256_hex
from cbccvc.signing.result import VerificationResult
from cbccvc.signing.revocation import (
    RevocationItem,
    RevocationKind,
    read_crl,
    read_ocsp_response,
    select_fresh,
)
from cbccvc.signing.verification import verify_detached

EVIDENCE_FORMAT = "cbccvc-evidence/1"
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


class EvidenceError(Exception):
    """A bundle cannot be read: missing files, a damaged zip or unreadable JSON."""


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
            files = {
                item.relative_to(path).as_posix(): item.read_bytes()
                for item in path.rglob("*")
                if item.is_file() and item.name != ZIP_FILE
            }
        else:
            files = _read_zip(path)
        return cls.from_files(files)

    @classmethod
    def from_files(cls, files: Mapping[str, bytes]) -> EvidenceBundle:
        try:
            verification = json.loads(files[VERIFICATION_FILE])
            index = json.loads(files.get(REVOCATION_INDEX_FILE, b"[]"))
            return cls(
                manifest=files[MANIFEST_FILE],
                signature=files[SIGNATURE_FILE],
                seal=files.get(SEAL_FILE),
                trust_anchors=_certificates(files.get(ANCHORS_FILE, b"")),
                revocation=_revocation_items(files, index),
                verification=verification,
                signature_chain=_certificates(files.get(SIGNATURE_CHAIN_FILE, b"")),
                seal_chain=_certificates(files.get(SEAL_CHAIN_FILE, b"")),
            )
        except KeyError as error:
            raise EvidenceError(f"the bundle lacks {error.args[0]}") from error
        except (json.JSONDecodeError, UnicodeDecodeError, TypeError) as error:
            raise EvidenceError("the bundle's JSON files cannot be read") from error


@dataclass(frozen=True, slots=True)
class EvidenceFinding:
    """One problem found in a bundle: a code of ``cbccvc.messages.evidence`` and its parameters."""

    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    """What checking a bundle found."""

    manifest: Manifest | None
    verified_at: datetime
    signature: VerificationResult
    seal: VerificationResult | None
    findings: list[EvidenceFinding]
    bundled_anchors_used: bool

    @property
    def ok(self) -> bool:
        return not self.findings


def verify_bundle(bundle: EvidenceBundle, *, trust_anchors: Sequence[x509.Certificate] | None = None) -> EvidenceReport:
    """Check a bundle offline; ``trust_anchors`` replaces the bundled anchors when given."""
    findings: list[EvidenceFinding] = []
    recorded = bundle.verification
    verified_at = _recorded_time(recorded.get("verified_at")) or datetime.now(UTC)
    max_age = timedelta(seconds=float(recorded.get("revocation_max_age_seconds", 72 * 3600)))
    anchors = list(trust_anchors) if trust_anchors is not None else bundle.trust_anchors

    manifest = _manifest(bundle.manifest, findings)
    if recorded.get("manifest_sha256") != sha256_hex(bundle.manifest):
        findings.append(EvidenceFinding("EVIDENCE_MANIFEST_CHANGED"))

    selection = select_fresh(
        [(item.source, item.data) for item in bundle.revocation if item.kind is RevocationKind.CRL],
        [(item.source, item.data) for item in bundle.revocation if item.kind is RevocationKind.OCSP],
        now=verified_at,
        max_age=max_age,
    )

    def check(signature: bytes) -> VerificationResult:
        return verify_detached(
            signature,
            bundle.manifest,
            trust_roots=anchors,
            crls=selection.crls,
            ocsp_responses=selection.ocsp_responses,
            require_revocation=True,
            now=verified_at,
        )

    signature = check(bundle.signature)
    if not signature.valid:
        findings.append(EvidenceFinding("EVIDENCE_SIGNATURE_INVALID", {"reason": signature.reason_code or ""}))
    elif signature.signer_fingerprint_sha256 != recorded.get("signature", {}).get("signer_fingerprint"):
        findings.append(EvidenceFinding("EVIDENCE_RECORD_MISMATCH", {"part": SIGNATURE_FILE}))

    seal = check(bundle.seal) if bundle.seal is not None else None
    _check_seal(seal, signature, manifest, findings)
    return EvidenceReport(manifest, verified_at, signature, seal, findings, trust_anchors is None)


def _check_seal(
    seal: VerificationResult | None,
    signature: VerificationResult,
    manifest: Manifest | None,
    findings: list[EvidenceFinding],
) -> None:
    if seal is None:
        findings.append(EvidenceFinding("EVIDENCE_SEAL_MISSING"))
        return
    if not seal.valid:
        findings.append(EvidenceFinding("EVIDENCE_SEAL_INVALID", {"reason": seal.reason_code or ""}))
        return
    agency = seal_agency(seal.signer_certificate) if seal.signer_certificate is not None else None
    if manifest is not None and agency != manifest.agency_code:
        params = {"seal_agency": agency or "-", "agency": manifest.agency_code}
        findings.append(EvidenceFinding("EVIDENCE_SEAL_WRONG_AGENCY", params))
    if seal.signer_fingerprint_sha256 == signature.signer_fingerprint_sha256:
        findings.append(EvidenceFinding("EVIDENCE_SEAL_SAME_SIGNER"))


def _manifest(data: bytes, findings: list[EvidenceFinding]) -> Manifest | None:
    try:
        return Manifest.model_validate(json.loads(data))
    except (json.JSONDecodeError, UnicodeDecodeError, ValidationError):
        findings.append(EvidenceFinding("EVIDENCE_MANIFEST_INVALID"))
        return None


def _recorded_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None


def _revocation_items(files: Mapping[str, bytes], index: list[dict[str, Any]]) -> list[RevocationItem]:
    items = []
    for entry in index:
        reader = read_crl if entry.get("kind") == RevocationKind.CRL.value else read_ocsp_response
        item = reader(files[entry["file"]], str(entry.get("source", entry["file"])))
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
                    raise EvidenceError(f"{member.filename} is larger than {MAX_MEMBER_BYTES} bytes")
                files[member.filename] = archive.read(member)
            return files
    except (zipfile.BadZipFile, OSError) as error:
        raise EvidenceError(f"{path.name} is neither a folder nor a readable zip file") from error


def _certificates(data: bytes) -> list[x509.Certificate]:
    if not data.strip():
        return []
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise EvidenceError("a PEM file of the bundle cannot be read") from error


def _pem(certificates: Sequence[x509.Certificate]) -> bytes:
    return b"".join(certificate.public_bytes(serialization.Encoding.PEM) for certificate in certificates)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
