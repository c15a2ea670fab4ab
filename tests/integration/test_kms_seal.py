"""Signing with AWS KMS keys (moto server) and the dual signature the national API receives."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from cbccvc.cli.main import main
from cbccvc.national.errors import FatalApiError
from cbccvc.national.http import HttpNationalCbccvc
from cbccvc.national.ports import Approval, ProfileRecord
from cbccvc.national.settings import ApiSettings
from cbccvc.signing.algorithms import SignatureScheme
from cbccvc.signing.cms import sign_detached, verify_detached
from cbccvc.signing.errors import KmsSigningError, SignerKeyError
from cbccvc.signing.kms import KmsSigner
from cbccvc.signing.result import ReasonCode
from cbccvc.storage import S3ObjectStore
from cbccvc_local.pipeline import EMULATOR_API_KEY, LocalPipeline
from cbccvc_local.stack import patched_environment
from tests.integration.approval_support import small_batch

pytestmark = pytest.mark.integration

MANIFEST = b'{"agency_code":"H46","batch_id":"H46-kms","record_count":1}'


def _kms_key(pipeline: LocalPipeline, key_spec: str) -> str:
    key_id: str = pipeline.stack.client("kms").create_key(KeySpec=key_spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"][
        "KeyId"
    ]
    return key_id


def _public_key(pipeline: LocalPipeline, key_id: str) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    public_key = load_der_public_key(pipeline.stack.client("kms").get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
    return public_key


def _kms_signer(pipeline: LocalPipeline, key_id: str, **options: Any) -> KmsSigner:
    certificate = pipeline.pki.issue_signing_certificate(_public_key(pipeline, key_id), "Phạm Văn KMS")
    return KmsSigner(pipeline.stack.client("kms"), key_id, certificate, pipeline.pki.load_intermediates(), **options)


def _verify(pipeline: LocalPipeline, signature: bytes, content: bytes = MANIFEST) -> Any:
    return verify_detached(signature, content, trust_roots=pipeline.pki.load_roots(), crls=pipeline.pki.load_crls())


def test_kms_ecdsa_p256(pipeline: LocalPipeline) -> None:
    signer = _kms_signer(pipeline, _kms_key(pipeline, "ECC_NIST_P256"))

    result = _verify(pipeline, sign_detached(MANIFEST, signer))

    assert result.valid, result.reason_code
    assert (result.signature_algorithm, result.digest_algorithm) == ("ecdsa", "sha256")


def test_kms_ecdsa_p384(pipeline: LocalPipeline) -> None:
    signer = _kms_signer(pipeline, _kms_key(pipeline, "ECC_NIST_P384"))

    result = _verify(pipeline, sign_detached(MANIFEST, signer))

    assert result.valid, result.reason_code
    assert result.digest_algorithm == "sha384"


def test_kms_rsa_pkcs1v15(pipeline: LocalPipeline) -> None:
    signer = _kms_signer(pipeline, _kms_key(pipeline, "RSA_2048"), rsa_scheme=SignatureScheme.RSASSA_PKCS1V15)

    result = _verify(pipeline, sign_detached(MANIFEST, signer))

    assert result.valid, result.reason_code
    assert result.legacy_padding


def test_kms_certificate_for_other_key(pipeline: LocalPipeline) -> None:
    other = pipeline.pki.issue_signing_certificate(_public_key(pipeline, _kms_key(pipeline, "ECC_NIST_P256")), "Khác")

    with pytest.raises(SignerKeyError, match="does not certify"):
        KmsSigner(pipeline.stack.client("kms"), _kms_key(pipeline, "ECC_NIST_P256"), other)


def test_kms_encryption_key_refused(pipeline: LocalPipeline) -> None:
    key_id = pipeline.stack.client("kms").create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises((SignerKeyError, KmsSigningError)):
        KmsSigner(pipeline.stack.client("kms"), key_id, pipeline.pki.approver_signer().certificate)


class _CorruptingKms:
    """The moto KMS client, except that every signature comes back with one byte changed."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def get_public_key(self, **arguments: Any) -> Any:
        return self._client.get_public_key(**arguments)

    def sign(self, **arguments: Any) -> Any:
        response = dict(self._client.sign(**arguments))
        signature = bytearray(response["Signature"])
        signature[-3] ^= 0x01
        response["Signature"] = bytes(signature)
        return response


def test_kms_signature_checked_before_use(pipeline: LocalPipeline) -> None:
    key_id = _kms_key(pipeline, "ECC_NIST_P256")
    certificate = pipeline.pki.issue_signing_certificate(_public_key(pipeline, key_id), "Phạm Văn KMS")
    signer = KmsSigner(_CorruptingKms(pipeline.stack.client("kms")), key_id, certificate)

    with pytest.raises(KmsSigningError, match="does not verify"):
        sign_detached(MANIFEST, signer)


@pytest.fixture
def aws_environment(pipeline: LocalPipeline) -> Iterator[None]:
    with patched_environment(pipeline.stack.process_environment()):
        yield


@pytest.mark.usefixtures("aws_environment")
def test_sign_command_with_kms(pipeline: LocalPipeline, tmp_path: Path) -> None:
    key_id = _kms_key(pipeline, "ECC_NIST_P256")
    certificate = pipeline.pki.issue_signing_certificate(_public_key(pipeline, key_id), "Phạm Văn KMS")
    cert_file = tmp_path / "kms-cert.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM) + pipeline.pki.issuing_cert.read_bytes())
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(MANIFEST)

    code = main(["sign", str(manifest), "--kms-key-id", key_id, "--cert", str(cert_file)])

    assert code == 0
    result = _verify(pipeline, (tmp_path / "manifest.json.p7s").read_bytes())
    assert result.valid, result.reason_code
    assert result.signer_subject == certificate.subject.rfc4514_string()
    assert main(["sign", str(manifest), "--kms-key-id", key_id]) == 1


@pytest.mark.usefixtures("aws_environment")
def test_sign_command_unknown_kms_key(pipeline: LocalPipeline, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(MANIFEST)
    cert_file = tmp_path / "cert.pem"
    cert_file.write_bytes(pipeline.pki.issuing_cert.read_bytes())

    assert main(["sign", str(manifest), "--kms-key-id", "khong-co", "--cert", str(cert_file)]) == 1
    error = capsys.readouterr().err
    assert "AWS từ chối yêu cầu với mã NotFoundException" in error
    assert not (tmp_path / "manifest.json.p7s").exists()


# --- Both signatures travel to the national API, which verifies them ---


def _national(pipeline: LocalPipeline) -> HttpNationalCbccvc:
    settings = ApiSettings.model_validate({"base_url": pipeline.emulator.url, "auth_mode": "api_key",
                                           "api_key": EMULATOR_API_KEY, "max_attempts": 1})
    return HttpNationalCbccvc.from_settings(settings)


def _approved(pipeline: LocalPipeline) -> tuple[str, dict[str, Any]]:
    batch_id = small_batch(pipeline, 0)
    assert pipeline.sign_and_upload(batch_id)["state"] == "approved"
    return batch_id, pipeline.batch(batch_id)["approval"]


def test_sync_carries_both_signatures(pipeline: LocalPipeline) -> None:
    batch_id, approval = _approved(pipeline)

    pipeline.run_sync()

    assert pipeline.batch(batch_id)["state"] == "synced"
    sent = pipeline.emulator_state()["approvals"]
    assert sent
    seal = pipeline.store.get(approval["seal_key"])
    for entry in sent:
        assert entry["verdict"] is None
        assert base64.b64decode(entry["approval"]["seal_b64"]) == seal
        assert base64.b64decode(entry["approval"]["signature_b64"]) == pipeline.store.get(approval["signature_key"])


def _rejection(pipeline: LocalPipeline, batch_id: str, approval: Approval) -> str | None:
    """Send one record with ``approval``, expect 422 APPROVAL_INVALID and return the emulator's recorded verdict."""
    record = ProfileRecord.model_validate({
        "idempotency_key": "k" * 24, "personal_id": "001099000001", "record_hash": "0" * 64,
        "data": {"personal_id": "001099000001"},
    })
    with pytest.raises(FatalApiError) as raised:
        _national(pipeline).send_profiles("H46", batch_id, approval, [record])
    assert (raised.value.status, raised.value.error_code) == (422, "APPROVAL_INVALID")
    verdict: str | None = pipeline.emulator_state()["approvals"][-1]["verdict"]
    return verdict


def test_national_api_requires_seal(pipeline: LocalPipeline) -> None:
    batch_id, approval = _approved(pipeline)
    manifest = pipeline.manifest(batch_id)
    signature = pipeline.store.get(approval["signature_key"])

    assert _rejection(pipeline, batch_id, Approval.from_bytes(manifest, signature)) == "SEAL_MISSING"
    approver_as_seal = Approval.from_bytes(manifest, signature, signature)
    assert _rejection(pipeline, batch_id, approver_as_seal) == "SEAL_WRONG_AGENCY"
    forged_seal = Approval.from_bytes(manifest, signature, sign_detached(b"{}", pipeline.pki.approver_signer()))
    assert _rejection(pipeline, batch_id, forged_seal) == f"SEAL_INVALID:{ReasonCode.SIG_CONTENT_MISMATCH}"
    revoked = sign_detached(manifest, pipeline.pki.revoked_approver_signer())
    seal = pipeline.store.get(approval["seal_key"])
    assert _rejection(pipeline, batch_id, Approval.from_bytes(manifest, revoked, seal)) == (
        f"SIGNATURE_INVALID:{ReasonCode.CERT_REVOKED}"
    )
    assert _rejection(pipeline, "H46-khac", Approval.from_bytes(manifest, signature, seal)) == "BATCH_MISMATCH"


def test_seal_certificate_stored(pipeline: LocalPipeline) -> None:
    store = S3ObjectStore(pipeline.stack.client("s3"), pipeline.stack.bucket)
    assert store.exists("config/seals/H46.pem")
    assert pipeline.stack.environments["ApproveFunction"]["SEAL_KEY_ID"] == pipeline.stack.resolver.refs["SealKey"]
