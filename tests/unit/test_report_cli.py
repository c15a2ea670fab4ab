"""``cbccvc validate``: the reports and annotated copy it writes, and progress lines on large files only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from cbccvc.cli.main import main
from cbccvc.cli.validate_file import PROGRESS_MIN_ROWS
from cbccvc.validation.engine import _CHECK_FIELDS

HEADER = "Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Mã đơn vị,Dân tộc\n"


def _birth(index: int) -> str:
    return f"{1 + index % 28:02d}/{1 + index // 28 % 12:02d}/1985"


def _csv(path: Path, rows: int) -> Path:
    # Distinct dates of birth: the same name and date under many IDs would be suspected duplicates.
    lines = [f"Nguyễn Văn An,{_birth(index)},Nam,046085{index:06d},000.00.01.H46,Kinh\n" for index in range(rows)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_report_cli_small_file_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path / "nho.csv", 3)
    assert main(["validate", str(source)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "nho - danh dau loi.xlsx" in captured.out
    assert (tmp_path / "nho - danh dau loi.xlsx").is_file()
    report = json.loads((tmp_path / "nho.bao-cao-kiem-tra.json").read_text(encoding="utf-8"))
    assert report["summary"]["valid"] == 3


def test_report_cli_progress_on_large_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path / "lon.csv", PROGRESS_MIN_ROWS)
    assert main(["validate", str(source)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("[1/3]")
    assert "5.000" in lines[0]
    checks = [line for line in lines if line.startswith("[2/3]")]
    assert len(checks) == len(_CHECK_FIELDS) + 1  # one line per check, then the file-level check
    assert any("Số định danh cá nhân" in line for line in checks)
    assert lines[-1].startswith("[3/3]")
    assert len(lines) == len(checks) + 3


def test_report_cli_unreadable_file_no_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "hong.xlsx"
    source.write_bytes(b"PK\x03\x04 hong")
    assert main(["validate", str(source)]) == 1
    assert (tmp_path / "hong.bao-cao-kiem-tra.json").is_file()
    assert not (tmp_path / "hong - danh dau loi.xlsx").exists()
    assert capsys.readouterr().err


def test_report_cli_folder_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path)]) == 1
    assert "là một thư mục" in capsys.readouterr().err


def test_report_cli_unknown_mandatory_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path / "nho.csv", 3)
    assert main(["validate", str(source), "--mandatory", "full_name,cot_la"]) == 2
    error = capsys.readouterr().err
    assert "cot_la" in error
    assert "Số định danh cá nhân" in error
    assert not (tmp_path / "nho.bao-cao-kiem-tra.json").exists()


def test_report_cli_mandatory_by_header(tmp_path: Path) -> None:
    source = _csv(tmp_path / "nho.csv", 3)
    # Headers as the template writes them, in any case and without diacritics, name fields too.
    assert main(["validate", str(source), "--mandatory", "Họ và tên, so cccd ,Ngày sinh,full_name"]) == 0


def test_report_cli_template_unknown_mandatory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "--output", str(tmp_path / "mau.xlsx"), "--mandatory", "foo,bar"]) == 2
    assert "«foo», «bar»" in capsys.readouterr().err
    assert not (tmp_path / "mau.xlsx").exists()


def test_report_cli_output_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path / "nho.csv", 3)
    occupied = tmp_path / "bao-cao"
    occupied.write_text("x", encoding="utf-8")
    assert main(["validate", str(source), "--output", str(occupied)]) == 2
    assert "không phải thư mục" in capsys.readouterr().err
    assert occupied.read_text(encoding="utf-8") == "x"


def test_report_cli_mandatory_dropped_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path / "nho.csv", 3)
    # A semicolon separates columns too; leaving out default columns gets a warning, not silence.
    assert main(["validate", str(source), "--mandatory", "Ngày sinh;Mã đơn vị"]) == 0
    error = capsys.readouterr().err
    assert "«Số định danh cá nhân», «Họ và tên», «Giới tính»" in error


def test_report_cli_without_units_names_option(tmp_path: Path) -> None:
    source = _csv(tmp_path / "nho.csv", 3)
    assert main(["validate", str(source)]) == 0
    report = json.loads((tmp_path / "nho.bao-cao-kiem-tra.json").read_text(encoding="utf-8"))
    codes = {finding["code"] for finding in report["findings"]}
    assert "UNITS_NOT_GIVEN" in codes
    assert "UNITS_NOT_CONFIGURED" not in codes


def test_report_cli_time_in_vietnam(tmp_path: Path) -> None:
    source = _csv(tmp_path / "nho.csv", 3)
    assert main(["validate", str(source)]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "nho.bao-cao-kiem-tra.xlsx").worksheets[0]
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    checked = cells["Thời điểm kiểm tra (giờ Việt Nam)"]
    assert re.fullmatch(r"\d\d:\d\d ngày \d\d/\d\d/\d{4}", checked)
