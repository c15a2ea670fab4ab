"""Evidence bundles: written for every approved batch, and checked again offline by ``cbccvc verify-evidence``."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cbccvc.approval.evidence import (
    ANCHORS_FILE,
    MANIFEST_FILE,
    REVOCATION_INDEX_FILE,
    SEAL_FILE,
    SIGNATURE_FILE,
    VERIFICATION_FILE,
    ZIP_FILE,
    EvidenceBundle,
    EvidenceError,
)
from cbccvc.approval.evidence_check import verify_bundle
from cbccvc.cli.main import main
from cbccvc.signing.cms import sign_detached
from cbccvc_local.pipeline import LocalPipeline
from cbccvc_local.pki import DemoPki, ensure_demo_pki
from tests.integration.approval_support import small_batch

pytestmark = pytest.mark.integration


def _download(pipeline: LocalPipeline, batch_id: str, target: Path) -> Path:
    prefix = pipeline.batch(batch_id)["approval"]["evidence_prefix"]
    for stored in pipeline.store.list(prefix):
        path = target / stored.key.removeprefix(prefix)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pipeline.store.get(stored.key))
    return target


def _record(evidence: Path) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((evidence / VERIFICATION_FILE).read_text(encoding="utf-8"))
    return record


def _write_record(evidence: Path, record: object) -> None:
    (evidence / VERIFICATION_FILE).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _codes(evidence: Path, pki: DemoPki) -> list[str]:
    report = verify_bundle(EvidenceBundle.load(evidence), trust_anchors=pki.load_roots())
    return [finding.code for finding in report.findings]


def _fields(evidence: Path, pki: DemoPki) -> list[str]:
    report = verify_bundle(EvidenceBundle.load(evidence), trust_anchors=pki.load_roots())
    return [finding.params.get("field", "") for finding in report.findings]


@pytest.fixture
def evidence(pipeline: LocalPipeline, tmp_path: Path) -> Path:
    batch_id = small_batch(pipeline, 0)
    assert pipeline.sign_and_upload(batch_id)["state"] == "approved"
    return _download(pipeline, batch_id, tmp_path / "evidence")


@pytest.fixture
def anchors(pipeline: LocalPipeline) -> list[str]:
    return ["--trust-anchors", str(pipeline.pki.root_cert)]


def test_evidence_written_on_approval(pipeline: LocalPipeline, evidence: Path) -> None:
    record = _record(evidence)
    batch = pipeline.batch(record["batch_id"])

    assert (evidence / MANIFEST_FILE).read_bytes() == pipeline.manifest(record["batch_id"])
    assert (evidence / SEAL_FILE).is_file()
    assert batch["approval"]["seal_key"] == batch["approval"]["evidence_prefix"] + SEAL_FILE
    assert batch["approval"]["signature_evidence_key"] == batch["approval"]["evidence_prefix"] + SIGNATURE_FILE
    assert record["evidence_prefix"] == batch["approval"]["evidence_prefix"]
    assert record["signature"]["signer_fingerprint"] == batch["approval"]["signer_fingerprint"]
    assert "2.5.4.97=H46" in record["seal"]["signer_subject"]  # organizationIdentifier names the agency
    kinds = {item["kind"] for item in json.loads((evidence / "revocation/index.json").read_text(encoding="utf-8"))}
    assert kinds == {"crl", "ocsp"}
    with zipfile.ZipFile(evidence / ZIP_FILE) as archive:
        assert {MANIFEST_FILE, SIGNATURE_FILE, SEAL_FILE, VERIFICATION_FILE} <= set(archive.namelist())


def test_verify_evidence_folder(evidence: Path, anchors: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-evidence", str(evidence), *anchors]) == 0
    assert capsys.readouterr().out.strip()


def test_verify_evidence_zip(evidence: Path, anchors: list[str]) -> None:
    assert main(["verify-evidence", str(evidence / ZIP_FILE), *anchors]) == 0


def test_verify_evidence_needs_anchors(evidence: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-evidence", str(evidence)]) == 2
    assert "--trust-anchors" in capsys.readouterr().err


def test_verify_evidence_ignores_bundled_anchors(evidence: Path, pipeline: LocalPipeline, tmp_path: Path) -> None:
    # A forged bundle: the forger's own PKI signs a changed manifest, and its root is the bundle's anchor.
    forger = ensure_demo_pki(tmp_path / "forger-pki")
    manifest = (evidence / MANIFEST_FILE).read_bytes().replace(b'"record_count":2', b'"record_count":999')
    (evidence / MANIFEST_FILE).write_bytes(manifest)
    (evidence / SIGNATURE_FILE).write_bytes(sign_detached(manifest, forger.approver_signer()))
    (evidence / SEAL_FILE).write_bytes(sign_detached(manifest, forger.revoked_approver_signer()))
    (evidence / ANCHORS_FILE).write_bytes(forger.root_cert.read_bytes())

    report = verify_bundle(EvidenceBundle.load(evidence), trust_anchors=pipeline.pki.load_roots())

    assert report.signature.reason_code == "CERT_UNTRUSTED"
    assert "EVIDENCE_SIGNATURE_INVALID" in [finding.code for finding in report.findings]
    assert main(["verify-evidence", str(evidence), "--trust-anchors", str(pipeline.pki.root_cert)]) == 1


def test_verify_evidence_changed_manifest(evidence: Path, pipeline: LocalPipeline, anchors: list[str]) -> None:
    manifest = evidence / MANIFEST_FILE
    manifest.write_bytes(manifest.read_bytes().replace(b'"record_count":2', b'"record_count":9'))

    codes = _codes(evidence, pipeline.pki)

    assert "EVIDENCE_SIGNATURE_INVALID" in codes
    assert "manifest_sha256" in _fields(evidence, pipeline.pki)
    assert main(["verify-evidence", str(evidence), *anchors]) == 1


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        target = record
        *parents, name = path.split(".")
        for parent in parents:
            target = target[parent]
        target[name] = value

    return change


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("batch_id", "H46-00000000000000000000"),
        ("agency_code", "H01"),
        ("record_count", 999),
        ("records_sha256", "0" * 64),
        ("report_sha256", "0" * 64),
        ("signature.signer_subject", "CN=Người Khác,C=VN"),
        ("signature.signing_time", "2026-01-01T00:00:00+00:00"),
        ("signature.signer_fingerprint", "0" * 64),
        ("signature.chain_subjects", []),
        ("signature.signature_sha256", "0" * 64),
        ("approver.subject", "CN=Người Khác,C=VN"),
        ("approver.serial", "01"),
        ("seal.signer_subject", "CN=Con Dấu Khác,C=VN"),
    ],
)
def test_verify_evidence_changed_record(evidence: Path, pipeline: LocalPipeline, field: str, value: object) -> None:
    record = _record(evidence)
    _set(field, value)(record)
    _write_record(evidence, record)

    assert field in _fields(evidence, pipeline.pki)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("verified_at", "2099-01-01T00:00:00+00:00"),
        ("revocation_max_age_seconds", "abc"),
        ("revocation_max_age_seconds", 1e300),
        ("evidence_prefix", "batches/H01/khac/evidence/x/"),
        ("signature.signature_key", "approvals/H01/khac/x.p7s"),
        ("revocation_fetch_failed", "không phải danh sách"),
    ],
)
def test_verify_evidence_invalid_field(evidence: Path, pipeline: LocalPipeline, field: str, value: object) -> None:
    record = _record(evidence)
    _set(field, value)(record)
    _write_record(evidence, record)

    report = verify_bundle(EvidenceBundle.load(evidence), trust_anchors=pipeline.pki.load_roots())

    assert {"code": "EVIDENCE_FIELD_INVALID", "field": field} in [
        {"code": finding.code, "field": finding.params.get("field")} for finding in report.findings
    ]


def test_verify_evidence_unexpected_field(evidence: Path, pipeline: LocalPipeline) -> None:
    record = _record(evidence)
    record["signature"]["approved_by_minister"] = True
    _write_record(evidence, record)

    assert _codes(evidence, pipeline.pki) == ["EVIDENCE_FIELD_UNEXPECTED"]


def test_verify_evidence_without_seal(evidence: Path, pipeline: LocalPipeline) -> None:
    (evidence / SEAL_FILE).unlink()

    codes = _codes(evidence, pipeline.pki)

    assert codes == ["EVIDENCE_SEAL_MISSING", "EVIDENCE_FIELD_INVALID"]  # verification.json still records a seal


def test_verify_evidence_other_anchors(evidence: Path, tmp_path: Path) -> None:
    other = ensure_demo_pki(tmp_path / "other-pki")

    report = verify_bundle(EvidenceBundle.load(evidence), trust_anchors=other.load_roots())

    assert report.signature.reason_code == "CERT_UNTRUSTED"
    assert main(["verify-evidence", str(evidence), "--trust-anchors", str(other.root_cert)]) == 1


def test_verify_evidence_without_revocation_data(evidence: Path, pipeline: LocalPipeline) -> None:
    for path in (evidence / "revocation").glob("*.der"):
        path.unlink()
    (evidence / REVOCATION_INDEX_FILE).write_text("[]", encoding="utf-8")

    report = verify_bundle(EvidenceBundle.load(evidence), trust_anchors=pipeline.pki.load_roots())

    assert report.signature.reason_code == "CERT_REVOCATION_UNKNOWN"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (VERIFICATION_FILE, b"[1, 2]"),
        (VERIFICATION_FILE, b"{not json"),
        (REVOCATION_INDEX_FILE, b'["revocation/01-crl.der"]'),
        (REVOCATION_INDEX_FILE, b'[{"file": "revocation/99-crl.der", "kind": "crl"}]'),
        (ANCHORS_FILE, b"-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n"),
    ],
)
def test_verify_evidence_malformed_file(evidence: Path, anchors: list[str], capsys: pytest.CaptureFixture[str],
                                        name: str, content: bytes) -> None:
    (evidence / name).write_bytes(content)

    with pytest.raises(EvidenceError):
        EvidenceBundle.load(evidence)
    assert main(["verify-evidence", str(evidence), *anchors]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_verify_evidence_unreadable(tmp_path: Path, pipeline: LocalPipeline) -> None:
    broken = tmp_path / "evidence.zip"
    broken.write_bytes(b"not a zip")

    assert main(["verify-evidence", str(broken), "--trust-anchors", str(pipeline.pki.root_cert)]) == 1
