"""``cbccvc approvers``: the approver registry in DynamoDB (moto), every change audited, used by the approve stage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
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
