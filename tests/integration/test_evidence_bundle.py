"""Evidence bundles: written for every approved batch, and checked again offline by ``cbccvc verify-evidence``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from cbccvc.approval.evidence import (
    MANIFEST_FILE,
    SEAL_FILE,
    SIGNATURE_FILE,
    VERIFICATION_FILE,
    ZIP_FILE,
    EvidenceBundle,
    verify_bundle,
)
from cbccvc.cli.main import main
from cbccvc.models import BatchKeys
from cbccvc_local.pipeline import LocalPipeline
from cbccvc_local.pki import ensure_demo_pki
from tests.integration.approval_support import small_batch

pytestmark = pytest.mark.integration


def _download(pipeline: LocalPipeline, batch_id: str, target: Path) -> Path:
    prefix = BatchKeys("H46", batch_id).evidence_prefix
    for stored in pipeline.store.list(prefix):
        path = target / stored.key.removeprefix(prefix)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pipeline.store.get(stored.key))
    return target


@pytest.fixture
def evidence(pipeline: LocalPipeline, tmp_path: Path) -> Path:
    batch_id = small_batch(pipeline, 0)
    assert pipeline.sign_and_upload(batch_id)["state"] == "approved"
    return _download(pipeline, batch_id, tmp_path / "evidence")


def test_evidence_written_on_approval(pipeline: LocalPipeline, evidence: Path) -> None:
    record = json.loads((evidence / VERIFICATION_FILE).read_text(encoding="utf-8"))
    batch = pipeline.batch(record["batch_id"])

    assert (evidence / MANIFEST_FILE).read_bytes() == pipeline.manifest(record["batch_id"])
    assert (evidence / SEAL_FILE).is_file()
    assert batch["approval"]["seal_key"].endswith(SEAL_FILE)
    assert record["signature"]["signer_fingerprint"] == batch["approval"]["signer_fingerprint"]
    assert "2.5.4.97=H46" in record["seal"]["signer_subject"]  # organizationIdentifier names the agency
    kinds = {item["kind"] for item in json.loads((evidence / "revocation/index.json").read_text(encoding="utf-8"))}
    assert kinds == {"crl", "ocsp"}
    with zipfile.ZipFile(evidence / ZIP_FILE) as archive:
        assert {MANIFEST_FILE, SIGNATURE_FILE, SEAL_FILE, VERIFICATION_FILE} <= set(archive.namelist())


def test_verify_evidence_folder(evidence: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-evidence", str(evidence)]) == 0
    assert capsys.readouterr().out.strip()


def test_verify_evidence_zip(evidence: Path) -> None:
    assert main(["verify-evidence", str(evidence / ZIP_FILE)]) == 0


def test_verify_evidence_changed_manifest(evidence: Path) -> None:
    manifest = evidence / MANIFEST_FILE
    manifest.write_bytes(manifest.read_bytes().replace(b'"record_count":2', b'"record_count":9'))

    report = verify_bundle(EvidenceBundle.load(evidence))

    codes = [finding.code for finding in report.findings]
    assert "EVIDENCE_MANIFEST_CHANGED" in codes
    assert "EVIDENCE_SIGNATURE_INVALID" in codes
    assert main(["verify-evidence", str(evidence)]) == 1


def test_verify_evidence_without_seal(evidence: Path) -> None:
    (evidence / SEAL_FILE).unlink()

    report = verify_bundle(EvidenceBundle.load(evidence))

    assert [finding.code for finding in report.findings] == ["EVIDENCE_SEAL_MISSING"]


def test_verify_evidence_other_anchors(evidence: Path, tmp_path: Path) -> None:
    other = ensure_demo_pki(tmp_path / "other-pki")

    report = verify_bundle(EvidenceBundle.load(evidence), trust_anchors=other.load_roots())

    assert report.signature.reason_code == "CERT_UNTRUSTED"
    assert main(["verify-evidence", str(evidence), "--trust-anchors", str(other.root_cert)]) == 1


def test_verify_evidence_without_revocation_data(evidence: Path) -> None:
    for path in (evidence / "revocation").glob("*.der"):
        path.unlink()
    (evidence / "revocation/index.json").write_text("[]", encoding="utf-8")

    report = verify_bundle(EvidenceBundle.load(evidence))

    assert report.signature.reason_code == "CERT_REVOCATION_UNKNOWN"


def test_verify_evidence_unreadable(tmp_path: Path) -> None:
    broken = tmp_path / "evidence.zip"
    broken.write_bytes(b"not a zip")

    assert main(["verify-evidence", str(broken)]) == 1
