"""``cbccvc approvers``: the approver registry in DynamoDB (moto), every change audited, used by the approve stage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cbccvc.approval.registry import certificate_fingerprint
from cbccvc.cli.main import main
from cbccvc_local.certificates import TestCertificateKind, make_test_certificate
from cbccvc_local.pipeline import LocalPipeline
from cbccvc_local.stack import patched_environment
from tests.integration.approval_support import recorded_rejection, small_batch

pytestmark = pytest.mark.integration


@pytest.fixture
def cli(pipeline: LocalPipeline) -> Iterator[list[str]]:
    """Run the CLI against the local stack: its endpoint, credentials and table."""
    with patched_environment(pipeline.stack.process_environment()):
        yield ["--agency", "H46", "--table", pipeline.stack.table]


def _pem(pipeline: LocalPipeline, tmp_path: Path, name: str = "approver.pem") -> Path:
    path = tmp_path / name
    path.write_bytes(pipeline.pki.approver_signer().certificate.public_bytes(serialization.Encoding.PEM))
    return path


def test_approvers_remove_then_add(pipeline: LocalPipeline, cli: list[str], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    fingerprint = certificate_fingerprint(pipeline.pki.approver_signer().certificate)

    assert main(["approvers", "remove", fingerprint, *cli, "--actor", "van-hanh"]) == 0
    batch_id = small_batch(pipeline, 0)
    assert pipeline.sign_and_upload(batch_id)["reason_code"] == "SIGNER_NOT_AUTHORISED"
    assert main(["approvers", "add", str(_pem(pipeline, tmp_path)), *cli, "--actor", "van-hanh"]) == 0

    assert pipeline.sign_and_upload(batch_id, name="lan-hai.p7s")["state"] == "approved"
    capsys.readouterr()
    assert main(["approvers", "list", *cli]) == 0
    assert fingerprint in capsys.readouterr().out
    audit = pipeline.state.list_audit("H46")
    assert [entry["action"] for entry in audit] == ["approver_added", "approver_removed", "approver_added"]
    assert [entry["actor"] for entry in audit[1:]] == ["van-hanh", "van-hanh"]
    assert audit[1]["subject"] == pipeline.pki.approver_signer().certificate.subject.rfc4514_string()
    assert main(["approvers", "history", *cli]) == 0
    assert capsys.readouterr().out.count(fingerprint) == 3


def test_approvers_window_ended(pipeline: LocalPipeline, cli: list[str], tmp_path: Path) -> None:
    pem = _pem(pipeline, tmp_path)
    assert main(["approvers", "add", str(pem), *cli, "--valid-from", "2025-01-01", "--valid-until", "2025-12-31"]) == 0
    entry = pipeline.state.get_approver("H46", certificate_fingerprint(pipeline.pki.approver_signer().certificate))
    assert entry is not None
    assert entry["valid_until"] == "2025-12-31T16:59:59.999999+00:00"  # the end of that day in Vietnam
    batch_id = small_batch(pipeline, 0)

    pipeline.sign_and_upload(batch_id)

    assert recorded_rejection(pipeline, batch_id) == "SIGNER_AUTHORISATION_EXPIRED"


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (["--valid-from", "2026-13-01"], 1),
        (["--valid-from", "2026-02-01", "--valid-until", "2026-01-01"], 1),
    ],
)
def test_approvers_add_refuses_bad_window(pipeline: LocalPipeline, cli: list[str], tmp_path: Path,
                                          arguments: list[str], code: int) -> None:
    assert main(["approvers", "add", str(_pem(pipeline, tmp_path)), *cli, *arguments]) == code
    assert len(pipeline.state.list_audit("H46")) == 1


def test_approvers_add_refuses_ca_certificate(pipeline: LocalPipeline, cli: list[str], tmp_path: Path) -> None:
    issued = make_test_certificate(TestCertificateKind.CA_SIGNER, pipeline.pki.load_issuing_ca())
    pem = tmp_path / "ca.pem"
    pem.write_bytes(issued.certificate.public_bytes(serialization.Encoding.PEM))

    assert main(["approvers", "add", str(pem), *cli]) == 1
    assert len(pipeline.state.list_approvers("H46")) == 1


def test_approvers_remove_unknown(cli: list[str]) -> None:
    assert main(["approvers", "remove", "00" * 32, *cli]) == 1


def test_approvers_need_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TABLE_NAME", raising=False)

    assert main(["approvers", "list", "--agency", "H46"]) == 1


def _write(path: Path, *certificates: x509.Certificate,
           encoding: serialization.Encoding = serialization.Encoding.PEM) -> Path:
    path.write_bytes(b"".join(certificate.public_bytes(encoding) for certificate in certificates))
    return path


def test_approvers_add_picks_end_entity(pipeline: LocalPipeline, cli: list[str], tmp_path: Path) -> None:
    issued = make_test_certificate(TestCertificateKind.VALID, pipeline.pki.load_issuing_ca())
    roots_first = _write(tmp_path / "chain.pem", *pipeline.pki.load_roots(), *pipeline.pki.load_intermediates(),
                         issued.certificate)

    assert main(["approvers", "add", str(roots_first), *cli]) == 0
    assert pipeline.state.get_approver("H46", certificate_fingerprint(issued.certificate)) is not None


def test_approvers_add_reads_der(pipeline: LocalPipeline, cli: list[str], tmp_path: Path) -> None:
    issued = make_test_certificate(TestCertificateKind.VALID, pipeline.pki.load_issuing_ca())
    der = _write(tmp_path / "approver.cer", issued.certificate, encoding=serialization.Encoding.DER)

    assert main(["approvers", "add", str(der), *cli]) == 0
    assert pipeline.state.get_approver("H46", certificate_fingerprint(issued.certificate)) is not None


@pytest.mark.parametrize(
    "kind",
    [
        TestCertificateKind.EXPIRED,
        TestCertificateKind.SELF_SIGNED,
        TestCertificateKind.CA_SIGNER,
        TestCertificateKind.SERVER_AUTH_ONLY,
        TestCertificateKind.WRONG_KEY_USAGE,
        TestCertificateKind.RSA_1024,
        TestCertificateKind.EC_SECP256K1,
    ],
)
def test_approvers_add_rejects_certificate(pipeline: LocalPipeline, cli: list[str], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str], kind: TestCertificateKind) -> None:
    issued = make_test_certificate(kind, pipeline.pki.load_issuing_ca())

    assert main(["approvers", "add", str(_write(tmp_path / "bad.pem", issued.certificate)), *cli]) == 1
    assert pipeline.state.get_approver("H46", certificate_fingerprint(issued.certificate)) is None
    assert "Traceback" not in capsys.readouterr().err


def test_approvers_add_rejects_two_end_entities(pipeline: LocalPipeline, cli: list[str], tmp_path: Path) -> None:
    issuing = pipeline.pki.load_issuing_ca()
    first, second = (make_test_certificate(TestCertificateKind.VALID, issuing).certificate for _ in range(2))

    assert main(["approvers", "add", str(_write(tmp_path / "two.pem", first, second)), *cli]) == 1


def test_approvers_add_rejects_unknown_agency(pipeline: LocalPipeline, tmp_path: Path) -> None:
    with patched_environment(pipeline.stack.process_environment()):
        code = main(["approvers", "add", str(_pem(pipeline, tmp_path)), "--agency", "ZZZ9",
                     "--table", pipeline.stack.table])

    assert code == 1
    assert pipeline.state.list_approvers("ZZZ9") == []


def test_approvers_add_warns_other_agency(pipeline: LocalPipeline, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    pipeline.state.register_agency("H01", "Cơ quan khác (demo)")
    capsys.readouterr()
    with patched_environment(pipeline.stack.process_environment()):
        code = main(["approvers", "add", str(_pem(pipeline, tmp_path)), "--agency", "H01",
                     "--table", pipeline.stack.table])

    assert code == 0
    assert "H46" in capsys.readouterr().out  # the demo approver is registered for H46 already
    fingerprint = certificate_fingerprint(pipeline.pki.approver_signer().certificate)
    assert pipeline.state.get_approver("H01", fingerprint) is not None
