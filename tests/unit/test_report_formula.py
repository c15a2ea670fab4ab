"""Formula text in an agency's file comes back inert in every spreadsheet the product writes."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from cbccvc.cli.main import main
from cbccvc.reporting.daily_report import build_daily_report, render_xlsx
from cbccvc.reporting.spreadsheet import neutralise

LINK = '=HYPERLINK("http://127.0.0.1/x","Bấm vào đây")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _assert_inert(content: bytes) -> list[str]:
    """No cell holds a formula and no text starts with a formula trigger; return every text seen."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    texts: list[str] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS), (sheet.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    return texts


def _export(path: Path) -> None:
    workbook = xlsxwriter.Workbook(path, {"strings_to_formulas": False})
    sheet = workbook.add_worksheet("Danh sách")
    headers = ["Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Mã đơn vị", "Tên đơn vị", "Chức vụ"]
    rows = [
        [LINK, "15/03/1985", "Nam", "046085000123", "000.00.01.H46", "+cmd|' /C calc'!A0", "@SUM(1+1)"],
        ["Lê Thị Mai", "02/01/1990", "Nữ", "-046190000124", "000.00.01.H46", "Sở Nội vụ", "Chuyên viên"],
    ]
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            sheet.write_string(row_number, column, value)
    workbook.close()


def test_report_formula_inert_in_validate_outputs(tmp_path: Path) -> None:
    source = tmp_path / "xuat.xlsx"
    _export(source)
    output = tmp_path / "bao-cao"
    assert main(["validate", str(source), "--output", str(output)]) == 3

    annotated = output / "xuat - danh dau loi.xlsx"
    texts = _assert_inert(annotated.read_bytes())
    assert "'" + LINK in texts
    assert "'+cmd|' /C calc'!A0" in texts
    assert "'@SUM(1+1)" in texts
    assert "'-046190000124" in texts
    summary_texts = _assert_inert((output / "xuat.bao-cao-kiem-tra.xlsx").read_bytes())
    assert any(LINK in text for text in summary_texts)  # quoted inside a message, never at the start


def test_report_formula_inert_in_csv_rendering(tmp_path: Path) -> None:
    source = tmp_path / "xuat.csv"
    source.write_text(f"Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Mã đơn vị\n\"{LINK.replace('"', '""')}\","
                      "15/03/1985,Nam,046085000123,000.00.01.H46\n", encoding="utf-8")
    assert main(["validate", str(source), "--output", str(tmp_path)]) == 3
    texts = _assert_inert((tmp_path / "xuat - danh dau loi.xlsx").read_bytes())
    assert "'" + LINK in texts


def test_report_formula_inert_in_daily_report() -> None:
    agencies = [{"agency_code": "H46", "name": LINK, "batches_received": 1}]
    report = build_daily_report(agencies, now=datetime(2026, 3, 1, tzinfo=UTC), timezone="Asia/Ho_Chi_Minh",
                                stale_after_days=7)
    texts = _assert_inert(render_xlsx(report))
    assert "'" + LINK in texts


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_report_formula_neutralise(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert neutralise("Bình thường") == "Bình thường"
    assert neutralise(5) == 5
