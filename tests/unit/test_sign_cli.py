"""``cbccvc sign`` with a PKCS#12 file when no terminal can ask for the password."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cbccvc.cli.main import main
from cbccvc_local.pki import DemoPki

MANIFEST = json.dumps({"batch_id": "H46-0001", "agency_code": "H46"}).encode()


def _manifest(tmp_path: Path) -> Path:
    path = tmp_path / "manifest.json"
    path.write_bytes(MANIFEST)
    return path


def test_sign_cli_piped_password(demo_pki: DemoPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.isatty", lambda _fd: False)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo_pki.password}\n"))
    manifest = _manifest(tmp_path)
    assert main(["sign", str(manifest), "--p12", str(demo_pki.approver_p12)]) == 0
    assert (tmp_path / "manifest.json.p7s").stat().st_size > 0


def test_sign_cli_no_password(demo_pki: DemoPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("os.isatty", lambda _fd: False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["sign", str(_manifest(tmp_path)), "--p12", str(demo_pki.approver_p12)]) == 1
    assert "--password-env" in capsys.readouterr().err
    assert not (tmp_path / "manifest.json.p7s").exists()


def test_sign_cli_wrong_password(demo_pki: DemoPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MAT_KHAU", "sai")
    assert main(["sign", str(_manifest(tmp_path)), "--p12", str(demo_pki.approver_p12), "--password-env",
                 "MAT_KHAU"]) == 1
    assert "sai mật khẩu" in capsys.readouterr().err


def test_sign_cli_aws_without_region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "khong-co"))
    assert main(["approvers", "list", "--agency", "H46", "--table", "bang"]) == 1
    error = capsys.readouterr().err
    assert "AWS_DEFAULT_REGION" in error
    assert "Traceback" not in error


def test_sign_cli_report_refused(demo_pki: DemoPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "bao-cao-kiem-tra.json"
    report.write_text(json.dumps({"batch_id": "H46-0001", "findings": []}), encoding="utf-8")
    monkeypatch.setenv("MAT_KHAU", demo_pki.password)
    assert main(["sign", str(report), "--p12", str(demo_pki.approver_p12), "--password-env", "MAT_KHAU"]) == 1
    assert "manifest.json" in capsys.readouterr().err
    assert not (tmp_path / "bao-cao-kiem-tra.json.p7s").exists()


def test_validate_cli_units_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "ds.csv"
    export.write_text("Họ và tên,Ngày sinh\n", encoding="utf-8")
    assert main(["validate", str(export), "--units", str(tmp_path / "khong-co.csv")]) == 1
    assert "khong-co.csv" in capsys.readouterr().err
