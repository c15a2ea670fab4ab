"""The annotated copy of an upload, read back with openpyxl: fills, comments, row summaries, widths, sheets."""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import pytest
import xlsxwriter

from cbccvc.intake.readers import read_export
from cbccvc.messages import Language, label
from cbccvc.models import Finding, Severity
from cbccvc.reporting import annotated_workbook
from cbccvc.reporting.annotated_workbook import (
    annotated_file_name,
    build_annotated_workbook,
    column_index,
)

ERROR_RGB = "FFFFC7CE"
WARNING_RGB = "FFFFEB9C"
HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân"]


def _finding(code: str, severity: Severity, row: int, column: str | None, sheet: str | None = "Danh sách",
             **params: object) -> Finding:
    return Finding(code=code, severity=severity, row=row, column=column, sheet=sheet, header="Số định danh cá nhân",
                   field="personal_id", params=dict(params))


def _workbook() -> bytes:
    """Two visible sheets with a title block, a hidden sheet, set widths and typed cells."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Danh sách")
    sheet.set_column(1, 1, 31.5)
    sheet.set_column(4, 4, 19)
    sheet.write_string(0, 0, "DANH SÁCH CBCCVC")
    for column, header in enumerate(HEADERS):
        sheet.write_string(2, column, header)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_number(3, 0, 1)
    sheet.write_string(3, 1, "Nguyễn Văn An")
    sheet.write_datetime(3, 2, date(1985, 3, 15), date_format)
    sheet.write_string(3, 3, "Nam")
    sheet.write_string(3, 4, "12345")
    sheet.write_number(4, 0, 2)
    sheet.write_string(4, 1, "Lê Thị Mai")
    sheet.write_string(4, 2, "02/01/1990")
    sheet.write_string(4, 3, "Nữ")
    other = workbook.add_worksheet("Khối xã")
    for column, header in enumerate(HEADERS):
        other.write_string(0, column, header)
    other.write_string(1, 1, "Trần Văn Bình")
    hidden = workbook.add_worksheet("Ẩn")
    hidden.write_string(0, 0, "ghi chú")
    hidden.hide()
    workbook.close()
    return buffer.getvalue()


def _load(content: bytes | None) -> openpyxl.Workbook:
    assert content is not None
    return openpyxl.load_workbook(io.BytesIO(content))


def test_report_annotated_marks_cells() -> None:
    findings = [
        _finding("PID_FORMAT", Severity.ERROR, 4, "E", value="12345"),
        _finding("PID_PREFIX_UNKNOWN", Severity.WARNING, 4, "E", prefix="123"),
        _finding("GENDER_INVALID", Severity.WARNING, 5, "D", value="Nữ"),
        _finding("REQUIRED_MISSING", Severity.ERROR, 5, "E", header="Số định danh cá nhân"),
        _finding("POSITION_MISSING", Severity.WARNING, 2, None, sheet="Khối xã"),
        Finding("UNITS_NOT_CONFIGURED", Severity.WARNING),
    ]
    workbook = _load(build_annotated_workbook(_workbook(), "Danh sách.xlsx", findings,
                                              header_rows={"Danh sách": 3, "Khối xã": 1}))
    assert workbook.sheetnames == ["Danh sách", "Khối xã", "Ẩn", "Kết quả kiểm tra"]
    assert workbook["Ẩn"].sheet_state == "hidden"
    sheet = workbook["Danh sách"]

    # Values are kept; an error wins over a warning on the same cell; both messages are in the comment.
    assert sheet["B4"].value == "Nguyễn Văn An"
    assert sheet["E4"].value == "12345"
    assert sheet["C4"].value.date() == date(1985, 3, 15)
    assert sheet["E4"].fill.fgColor.rgb == ERROR_RGB
    assert "PID_FORMAT" in sheet["E4"].comment.text
    assert "PID_PREFIX_UNKNOWN" in sheet["E4"].comment.text
    assert sheet["D5"].fill.fgColor.rgb == WARNING_RGB
    assert "GENDER_INVALID" in sheet["D5"].comment.text
    # A blank cell past the row's last value still gets its mark.
    assert sheet["E5"].value is None
    assert sheet["E5"].fill.fgColor.rgb == ERROR_RGB
    assert "REQUIRED_MISSING" in sheet["E5"].comment.text
    # Clean cells stay plain.
    assert sheet["B5"].comment is None
    assert sheet["B5"].fill.fgColor.rgb != ERROR_RGB

    # The row summary column, after the last column, with its header on the header row.
    assert sheet["F3"].value == "Kết quả kiểm tra dòng"
    assert sheet["F4"].value.startswith("1 lỗi, 1 cảnh báo")
    assert "E4" in sheet["F4"].value
    assert sheet["F4"].fill.fgColor.rgb == ERROR_RGB
    assert sheet["F5"].value.startswith("1 lỗi, 1 cảnh báo")
    assert sheet.freeze_panes == "A4"

    # Widths come from the source's <col> elements.
    assert abs(sheet.column_dimensions["B"].width - 31.5) < 0.8
    assert abs(sheet.column_dimensions["E"].width - 19) < 0.8

    # A finding with no column appears in the row summary only.
    second = workbook["Khối xã"]
    assert second["F2"].value.startswith("0 lỗi, 1 cảnh báo")
    assert "POSITION_MISSING" in second["F2"].value
    assert all(cell.comment is None for row in second.iter_rows() for cell in row)

    # The last sheet explains colours and lists findings about the whole file.
    texts = [row[0].value for row in workbook["Kết quả kiểm tra"].iter_rows() if row[0].value]
    assert any("UNITS_NOT_CONFIGURED" in text for text in texts)


def test_report_annotated_csv() -> None:
    text = "Họ và tên;Ngày sinh;Giới tính;Số định danh cá nhân\r\nNguyễn Văn An;15/03/1985;Nam;12345\r\n"
    findings = [_finding("PID_FORMAT", Severity.ERROR, 2, "D", sheet=None, value="12345")]
    workbook = _load(build_annotated_workbook(text.encode("utf-8-sig"), "xuat.csv", findings))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "Họ và tên"
    assert sheet["D2"].value == "12345"  # text stays text
    assert sheet["D2"].fill.fgColor.rgb == ERROR_RGB
    assert "PID_FORMAT" in sheet["D2"].comment.text
    assert sheet["E1"].value == "Kết quả kiểm tra dòng"


def test_report_annotated_json_rows_shift() -> None:
    records = [{"Họ và tên": "Nguyễn Văn An", "Ngày sinh": "15/03/1985", "Giới tính": "Nam",
                "Số định danh cá nhân": "12345", "Khác": {"a": 1}}]
    findings = [_finding("PID_FORMAT", Severity.ERROR, 1, "D", sheet=None, value="12345")]
    workbook = _load(build_annotated_workbook(json.dumps(records).encode(), "xuat.json", findings))
    sheet = workbook.worksheets[0]
    assert sheet["D1"].value == "Số định danh cá nhân"
    assert sheet["D2"].fill.fgColor.rgb == ERROR_RGB  # record 1 sits on row 2
    assert sheet["E2"].value == '{"a": 1}'
    texts = [row[0].value for row in workbook.worksheets[-1].iter_rows() if row[0].value]
    assert any("JSON" in text for text in texts)


def test_report_annotated_unreadable() -> None:
    assert build_annotated_workbook(b"PK\x03\x04 broken", "hong.xlsx", []) is None
    assert build_annotated_workbook(b"{", "hong.json", []) is None
    assert build_annotated_workbook(b"%PDF", "a.pdf", []) is None


def test_report_annotated_name() -> None:
    assert annotated_file_name("Danh sách CBCCVC.xlsx") == "Danh sách CBCCVC - danh dau loi.xlsx"
    assert annotated_file_name("thu muc/xuat.csv") == "xuat - danh dau loi.xlsx"
    assert annotated_file_name('a:b*?".json') == "ab - danh dau loi.xlsx"


def test_report_column_index() -> None:
    assert [column_index(letters) for letters in ("A", "Z", "AA", "AZ", "BA")] == [0, 25, 26, 51, 52]


def test_report_annotated_csv_multiline_record() -> None:
    """A quoted cell spanning two lines: the next record keeps its CSV line number as its row."""
    text = ('Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân\n"Nguyễn\nVăn An",15/03/1985,Nam,046085000123\n'
            "Lê Thị Mai,02/01/1990,Nữ,12345\n")
    findings = [_finding("PID_FORMAT", Severity.ERROR, 4, "D", sheet=None, value="12345")]
    workbook = _load(build_annotated_workbook(text.encode(), "xuat.csv", findings))
    sheet = workbook.worksheets[0]
    assert sheet["A2"].value == "Nguyễn\nVăn An"
    assert sheet["D4"].value == "12345"
    assert sheet["D4"].fill.fgColor.rgb == ERROR_RGB
    assert sheet.freeze_panes == "A2"


def test_report_annotated_large_file_partial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(annotated_workbook, "FULL_COPY_MAX_ROWS", 2)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Danh sách")
    sheet.write_string(0, 0, "DANH SÁCH CBCCVC")
    sheet.write_row(1, 0, HEADERS)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for row in range(2, 7):
        sheet.write_number(row, 0, row - 1)
        sheet.write_string(row, 1, f"Nguyễn Văn {chr(ord('A') + row)}")
        sheet.write_datetime(row, 2, date(1985, 3, row), date_format)
        sheet.write_string(row, 3, "Nam")
        sheet.write_string(row, 4, "046085000123")
    workbook.close()
    data = buffer.getvalue()
    tables = read_export(data, "Danh sách.xlsx")
    findings = [_finding("PID_DUPLICATE", Severity.ERROR, 5, "E", count=5, rows="3, 4, 5, 6, 7")]

    copy = _load(build_annotated_workbook(data, "Danh sách.xlsx", findings, tables=tables))
    marked = copy["Danh sách"]
    assert marked["A1"].value == "DANH SÁCH CBCCVC"
    assert marked["B2"].value == "Họ và tên"
    assert marked["B5"].value == "Nguyễn Văn E"
    assert marked["A5"].value == 3  # a number cell stays a number
    assert marked["C5"].value.date() == date(1985, 3, 4)  # and a date cell a date
    assert marked["E5"].fill.fgColor.rgb == ERROR_RGB
    assert marked["B3"].value is None  # a row without findings is left out
    assert marked["B7"].value is None
    texts = [row[0].value for row in copy["Kết quả kiểm tra"].iter_rows() if row[0].value]
    assert label("annotated.legend_partial", Language.VI, rows=2) in texts
