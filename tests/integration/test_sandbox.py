"""``make sandbox``: a folder standing in for the bucket, driven through the agency's whole workflow."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cbccvc.cli.main import main
from cbccvc_local.pipeline import SAMPLE_EXPORT, LocalPipeline
from cbccvc_local.sandbox import Sandbox

pytestmark = pytest.mark.integration

# Invented people, not in the sample register: the sandbox adds them to it from the file.
EXPORT = ("Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Mã đơn vị,Dân tộc\r\n"
          "Nguyễn Văn An,05/09/1985,Nam,046085012345,000.00.01.H46,Kinh\r\n"
          "Trần Thị Bình,20/11/1990,Nữ,046190054321,000.00.01.H46,Kinh\r\n"
          "Lê Hoàng Cường,01/02/1978,Nam,046078000777,000.00.01.H46,Kinh\r\n")


def test_sandbox_workflow(pipeline: LocalPipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "kho"
    sandbox = Sandbox(pipeline, folder, settle_seconds=0)
    sandbox.prepare()
    assert sandbox.tick() == 0  # nothing to do yet

    (folder / "incoming/H46/xuat.csv").write_text(EXPORT, encoding="utf-8")
    assert sandbox.tick() > 1
    [batch_folder] = (folder / "batches/H46").iterdir()
    report = json.loads((batch_folder / "report/bao-cao-kiem-tra.json").read_text(encoding="utf-8"))
    assert report["summary"]["valid"] == 3
    assert sandbox.tick() == 0  # the same file is not uploaded twice

    # The officer signs the manifest with the CLI and puts the signature in the batch's approvals folder.
    monkeypatch.setenv("MAT_KHAU", pipeline.pki.password)
    assert main(["sign", str(batch_folder / "manifest.json"), "--p12", str(pipeline.pki.approver_p12),
                 "--password-env", "MAT_KHAU"]) == 0
    approvals = folder / "approvals/H46" / batch_folder.name
    approvals.mkdir(parents=True)
    shutil.copy(batch_folder / "manifest.json.p7s", approvals / "phe-duyet.p7s")
    sandbox.tick()

    assert pipeline.batch(batch_folder.name)["state"] == "synced"
    notice = json.loads((batch_folder / "approval/ket-qua-phe-duyet.json").read_text(encoding="utf-8"))
    assert notice["code"] == "APPROVAL_ACCEPTED"
    assert (batch_folder / "sync/ket-qua-dong-bo.xlsx").is_file()
    assert list((folder / "reports/daily").glob("*/*.xlsx"))
    assert len(pipeline.emulator_state()["profiles"]) == 3

    # The same file with one more person: the newcomer is added to the register too.
    (folder / "incoming/H46/xuat-2.csv").write_text(
        EXPORT + "Phạm Thị Dung,03/03/1993,Nữ,046193000888,000.00.01.H46,Kinh\r\n", encoding="utf-8")
    sandbox.tick()
    batches = sorted((folder / "batches/H46").iterdir(), key=lambda path: path.stat().st_mtime)
    report = json.loads((batches[-1] / "report/bao-cao-kiem-tra.json").read_text(encoding="utf-8"))
    assert report["summary"]["valid"] == 4


def test_sandbox_wrong_signature_name(pipeline: LocalPipeline, tmp_path: Path) -> None:
    folder = tmp_path / "kho"
    sandbox = Sandbox(pipeline, folder, settle_seconds=0)
    sandbox.prepare()
    (folder / "approvals/H46/lo-khong-co").mkdir(parents=True)
    (folder / "approvals/H46/lo-khong-co/phe-duyet.sig").write_bytes(b"x")
    sandbox.tick()
    note = json.loads((folder / "rejections/approvals/H46/lo-khong-co/phe-duyet.sig.json").read_text(encoding="utf-8"))
    assert note["code"] == "APPROVAL_KEY_INVALID"


def test_sandbox_sample_matched_for_real(pipeline: LocalPipeline, tmp_path: Path) -> None:
    # The sample's people are in the register, so its planted register faults stay faults.
    folder = tmp_path / "kho"
    sandbox = Sandbox(pipeline, folder, settle_seconds=0)
    sandbox.prepare()
    shutil.copy(SAMPLE_EXPORT, folder / "incoming/H46" / SAMPLE_EXPORT.name)
    sandbox.tick()
    [batch_folder] = (folder / "batches/H46").iterdir()
    report = json.loads((batch_folder / "report/bao-cao-kiem-tra.json").read_text(encoding="utf-8"))
    assert (report["summary"]["valid"], report["summary"]["invalid"]) == (276, 24)


def test_sandbox_waits_for_copy_to_settle(pipeline: LocalPipeline, tmp_path: Path) -> None:
    folder = tmp_path / "kho"
    sandbox = Sandbox(pipeline, folder, settle_seconds=3600)
    sandbox.prepare()
    (folder / "incoming/H46/dang-chep.csv").write_text(EXPORT[:80], encoding="utf-8")  # half copied
    assert sandbox.tick() == 0
    assert not (folder / "batches").exists()
