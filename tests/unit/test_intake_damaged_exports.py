"""Exports that crashed or misled the validate stage once: each reads, and the finding names its cell.

Each case is a file an HR program or a hurried officer could produce. Among them: full-width
digits, invisible characters, cells without references, a stray cell at the far corner of a
sheet, a duration-formatted ID and an unclosed quote.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import openpyxl
import pytest

from cbccvc.intake import spreadsheets
from cbccvc.intake.readers import UnreadableFileError, read_export, read_sheets
from cbccvc.intake.spreadsheets import read_workbook
from cbccvc.intake.xlsx_parts import sheet_extent
from cbccvc.intake.xlsx_stream import MAX_SHEET_CELLS
from cbccvc.models import Finding, Severity
from cbccvc.reporting.annotated_workbook import build_annotated_workbook
from cbccvc.schema import DEFAULT_MANDATORY_FIELDS
from cbccvc.validation.codes import SEVERITY
from cbccvc.validation.service import ValidateOptions, read_checked_export
from cbccvc.validation.values import EXCEL_EPOCH_1900, MAX_NAME_CHARS, is_blank, normalise_name, parse_personal_id
from tests.unit.test_intake_spreadsheets import HEADERS, PEOPLE, cells, check, plain_sheet, workbook


def _rows() -> list[list[Any]]:
    return [list(HEADERS), *(list(person) for person in PEOPLE)]


def _codes(findings: list[Finding]) -> set[str]:
    return {finding.code for finding in findings} - {"UNITS_NOT_CONFIGURED"}


def _rewrite_sheets(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """Return the .xlsx with every worksheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                body = change(body)
            target.writestr(item, body)
    return buffer.getvalue()


# --- personal IDs and names ---------------------------------------------------------------------

def test_damaged_fullwidth_id_read_with_warning() -> None:
    rows = _rows()
    rows[1][4] = "００１０８５０１２３４５"
    tables = read_export(workbook(plain_sheet(rows)), "ds.xlsx")
    findings = check(tables)
    assert cells(findings, "PID_DIGITS_CONVERTED") == [("Danh sách", 2, "E")]
    assert SEVERITY["PID_DIGITS_CONVERTED"] is Severity.WARNING
    assert _codes(findings) == {"PID_DIGITS_CONVERTED"}


@pytest.mark.parametrize("raw", ["00108501234²", "٠٠١٠٨٥٠١٢٣٤٥", "00108501234५"])
def test_damaged_other_digits_rejected(raw: str) -> None:
    parsed = parse_personal_id(raw)
    assert parsed.value is None
    assert parsed.code == "PID_FORMAT"


def test_damaged_long_name_rejected() -> None:
    rows = _rows()
    rows[1][1] = "Nguyễn " + "Văn " * 40 + "An"
    findings = check(read_export(workbook(plain_sheet(rows)), "ds.xlsx"))
    [finding] = [finding for finding in findings if finding.code == "NAME_INVALID"]
    assert (finding.row, finding.column, finding.params["reason"]) == (2, "B", "too_long")
    assert len(finding.params["value"]) == MAX_NAME_CHARS + 1  # cut, with an ellipsis
    assert normalise_name("Nguyễn Văn An").reason is None


def test_damaged_invisible_characters_in_name() -> None:
    rows = _rows()
    rows[2][1] = "Trần\u200b Thị\ufeff Bình"
    rows[3][1] = "Lê Hoàng \ufb01ường"  # the "ﬁ" ligature: replaced by the letters f and i
    findings = check(read_export(workbook(plain_sheet(rows)), "ds.xlsx"))
    assert cells(findings, "NAME_CHARACTERS_REPLACED") == [("Danh sách", 3, "B"), ("Danh sách", 4, "B")]
    replaced = [finding for finding in findings if finding.code == "NAME_CHARACTERS_REPLACED"]
    assert replaced[0].params["read"] == "Trần Thị Bình"
    assert cells(findings, "NAME_INVALID") == []


def test_damaged_invisible_only_cell_is_blank() -> None:
    rows = _rows()
    rows[1][3] = "\u200b\u00ad"
    assert is_blank("\u200b \ufeff")
    findings = check(read_export(workbook(plain_sheet(rows)), "ds.xlsx"))
    assert cells(findings, "REQUIRED_MISSING") == [("Danh sách", 2, "D")]


# --- workbooks ----------------------------------------------------------------------------------

def test_damaged_header_below_blank_rows() -> None:
    tables = read_export(workbook(plain_sheet(_rows(), start_row=40)), "ds.xlsx")
    assert tables[0].header_row == 41
    assert tables[0].row_numbers == [42, 43, 44]
    assert _codes(check(tables)) == set()


def test_damaged_cells_without_references() -> None:
    data = _rewrite_sheets(workbook(plain_sheet(_rows())), lambda xml: re.sub(rb'<c r="[A-Z]+\d+"', b"<c", xml))
    assert b'<c r="' not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    tables = read_export(data, "ds.xlsx")
    assert tables[0].row_numbers == [2, 3, 4]
    assert tables[0].columns["personal_id"].values.to_list() == [person[4] for person in PEOPLE]
    assert _codes(check(tables)) == set()


@pytest.mark.parametrize(("row", "column"), [(1_048_575, 16_383), (5_000, 2_000)])
def test_damaged_stray_far_cell(row: int, column: int) -> None:
    def write(_book: Any, sheet: Any) -> None:
        for offset, values in enumerate(_rows()):
            sheet.write_row(offset, 0, values)
        sheet.write(row, column, "x")

    tables = read_export(workbook(write), "ds.xlsx")
    assert [len(table) for table in tables] == [3]
    assert tables[0].columns["full_name"].values.to_list() == [person[1] for person in PEOPLE]


def test_damaged_duration_formatted_id() -> None:
    def write(book: Any, sheet: Any) -> None:
        for offset, values in enumerate(_rows()):
            sheet.write_row(offset, 0, values)
        sheet.write_number(2, 4, 79190054321, book.add_format({"num_format": "[h]:mm:ss"}))

    data = workbook(write)
    # python-calamine cannot turn the duration into a timedelta: the row is read as text.
    [grid] = read_workbook(data, "ds.xlsx")
    assert [(damage.index, damage.code) for damage in grid.damage] == [(2, "ROW_DATE_UNREADABLE")]
    assert grid.rows[2][1] == "Trần Thị Bình"
    sheets, _, _ = read_sheets(data, "ds.xlsx", fast=False)
    assert [damage.code for damage in sheets[0].damage] == ["ROW_DATE_UNREADABLE"]
    # The fast reader reads the number, which lost its leading zero.
    findings = check(read_export(data, "ds.xlsx"))
    assert cells(findings, "PID_LEADING_ZERO_RESTORED") == [("Danh sách", 3, "E")]


def test_damaged_formula_error_in_optional_column() -> None:
    def write(_book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, [*HEADERS, "Hệ số lương"])
        for offset, person in enumerate(PEOPLE, start=1):
            sheet.write_row(offset, 0, person)
        sheet.write_formula(1, 6, "=1/0", None, "#DIV/0!")
        sheet.write_formula(2, 5, "=NA()", None, "#N/A")

    findings = check(read_export(workbook(write), "ds.xlsx"))
    assert cells(findings, "CELL_FORMULA_ERROR_IGNORED") == [("Danh sách", 2, "G")]
    assert SEVERITY["CELL_FORMULA_ERROR_IGNORED"] is Severity.WARNING
    # "Mã đơn vị" is mandatory: its formula error blocks the record, reported once.
    assert cells(findings, "CELL_FORMULA_ERROR") == [("Danh sách", 3, "F")]
    assert cells(findings, "REQUIRED_MISSING") == []


def test_damaged_duplicate_header_column() -> None:
    rows = [[*HEADERS, "Họ và tên"], *([*person, "Tên khác"] for person in PEOPLE)]
    tables = read_export(workbook(plain_sheet(rows)), "ds.xlsx")
    findings = check(tables)
    [duplicate] = [finding for finding in findings if finding.code == "COLUMN_DUPLICATE_FIELD"]
    assert (duplicate.column, duplicate.params["first"]) == ("G", "B")
    assert tables[0].columns["full_name"].values.to_list() == [person[1] for person in PEOPLE]
    assert cells(findings, "COLUMN_NOT_RECOGNISED") == []


def test_damaged_last_person_not_footer() -> None:
    rows = [*_rows(), [4, "Phạm Văn Dũng", "", "Nam", "", ""], [], ["", "Người lập biểu", "", "", "", ""]]
    tables = read_export(workbook(plain_sheet(rows)), "ds.xlsx")
    assert tables[0].row_numbers == [2, 3, 4, 5]
    assert cells(check(tables), "REQUIRED_MISSING") == [("Danh sách", 5, "C"), ("Danh sách", 5, "E"),
                                                         ("Danh sách", 5, "F")]


# --- text and JSON ------------------------------------------------------------------------------

def _csv(rows: list[list[Any]]) -> str:
    return "".join(",".join(str(cell) for cell in row) + "\r\n" for row in rows)


def test_damaged_csv_unclosed_quote() -> None:
    rows = _rows()
    rows[2][1] = '"Trần Thị Bình'
    tables = read_export(_csv(rows).encode(), "ds.csv")
    assert tables[0].row_numbers == [2, 3, 4]
    findings = check(tables)
    assert cells(findings, "CSV_QUOTE_UNCLOSED") == [(None, 3, "B")]
    assert SEVERITY["CSV_QUOTE_UNCLOSED"] is Severity.ERROR
    # The row after it is read on its own and passes.
    assert tables[0].columns["personal_id"].values.to_list()[2] == PEOPLE[2][4]
    assert {finding.row for finding in findings if finding.severity is Severity.ERROR} == {3}


def test_damaged_csv_very_wide_row() -> None:
    rows = _rows()
    text = _csv(rows[:2]).removesuffix("\r\n") + "," * 200_000 + "z\r\n" + _csv(rows[2:])
    tables = read_export(text.encode(), "ds.csv")
    assert tables[0].row_numbers == [2, 3, 4]
    [wide] = [finding for finding in check(tables) if finding.code == "ROW_TOO_MANY_CELLS"]
    assert wide.row == 2
    assert wide.params["expected"] == len(HEADERS)


def test_damaged_json_keys_and_values() -> None:
    extra = {f"ghi_chu_{index}": index for index in range(1_000)}
    records = [{"Họ và tên": person[1], "Ngày sinh": person[2], "Giới tính": person[3],
                "Số định danh cá nhân": person[4], "Mã đơn vị": person[5], **extra} for person in PEOPLE]
    text = json.dumps(records, ensure_ascii=False)
    # A lone surrogate and an integer longer than Python converts by default.
    text = text.replace('"Lê Hoàng Cường"', '"Lê Hoàng Cường\\ud800"').replace('"001078000777"', "9" * 5_000)
    tables = read_export(text.encode(), "ds.json")
    findings = check(tables)
    [dropped] = [finding for finding in findings if finding.code == "COLUMNS_DROPPED"]
    assert dropped.params["count"] == 1_000 + 5 - 512
    # 507 keys kept that name no field: 20 warned about one by one, one warning for the other 487.
    assert len(cells(findings, "COLUMN_NOT_RECOGNISED")) == 20
    [more] = [finding for finding in findings if finding.code == "COLUMNS_NOT_RECOGNISED_MORE"]
    assert more.params["count"] == 512 - 5 - 20
    assert more.params["headers"].startswith("«ghi_chu_20», «ghi_chu_21»")
    assert "full_name" in tables[0].columns
    assert cells(findings, "PID_FORMAT") == [(None, 3, "D")]
    assert cells(findings, "NAME_INVALID") == [(None, 3, "A")]


def test_damaged_annotated_copy_keeps_long_integer() -> None:
    # A JSON integer of 400 digits fits no spreadsheet number: the copy contains its digits as text.
    text = '[{"Họ và tên": "Nguyễn Văn An", "Ngày sinh": "05/09/1985", "Số định danh cá nhân": ' + "9" * 400 + "}]"
    findings = check(read_export(text.encode(), "ds.json"))
    assert cells(findings, "PID_FORMAT") == [(None, 1, "C")]
    copy = build_annotated_workbook(text.encode(), "ds.json", findings)
    assert copy is not None
    sheet = openpyxl.load_workbook(io.BytesIO(copy)).worksheets[0]
    assert sheet["C2"].value == "9" * 400
    assert "PID_FORMAT" in sheet["C2"].comment.text


@pytest.mark.parametrize(("raw", "read"), [("nGUYỄN vĂN aN", "Nguyễn Văn An"), ("Y H'hen Niê", "Y H'hen Niê"),
                                           ("NGUYỄN VĂN AN", "Nguyễn Văn An")])
def test_damaged_caps_lock_name_capitalised(raw: str, read: str) -> None:
    name = normalise_name(raw)
    assert (name.text, name.reason, name.replaced) == (read, None, False)


def _formula_filled(rows: int) -> bytes:
    """Return the sample workbook with an auto-numbering formula down to ``rows``, its <dimension> left small.

    Each added row contains a formula whose cached value is empty, and a cell of one space.
    """
    filler = b"".join(b'<row r="%d"><c r="A%d" t="str"><f>IF(B%d="","",ROW()-1)</f><v></v></c>'
                      b'<c r="C%d" t="inlineStr"><is><t> </t></is></c></row>' % (row, row, row, row)
                      for row in range(len(PEOPLE) + 2, rows + 1))
    return _rewrite_sheets(workbook(plain_sheet(_rows())),
                           lambda xml: xml.replace(b"</sheetData>", filler + b"</sheetData>"))


def test_damaged_understated_dimension_scanned() -> None:
    data = _formula_filled(60_000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b'<dimension ref="A1:F4"/>' in archive.read("xl/worksheets/sheet1.xml")
        extent = sheet_extent(archive, "xl/worksheets/sheet1.xml", MAX_SHEET_CELLS)
    assert extent is not None
    assert extent.rows == 60_000
    tables = read_export(data, "ds.xlsx")
    assert tables[0].row_numbers == [2, 3, 4]
    assert _codes(check(tables)) == set()


def test_damaged_stream_skips_blank_cells() -> None:
    data = _formula_filled(2_000)
    grid = spreadsheets.read_large_sheet(data, "Danh sách", "xl/worksheets/sheet1.xml", epoch=EXCEL_EPOCH_1900,
                                         file_name="ds.xlsx")
    assert grid.row_numbers == [1, 2, 3, 4]
    assert grid.rows[1][:2] == [1, "Nguyễn Văn An"]


def test_damaged_json_copy_cell_names() -> None:
    records = [{"Họ và tên": person[1], "Ngày sinh": person[2], "Giới tính": person[3],
                "Số định danh cá nhân": person[4], "Mã đơn vị": person[5]} for person in PEOPLE]
    records[1]["Giới tính"] = "X"
    data = json.dumps(records, ensure_ascii=False).encode()
    findings = check(read_export(data, "ds.json"))
    assert cells(findings, "GENDER_INVALID") == [(None, 2, "C")]  # record 2
    copy = build_annotated_workbook(data, "ds.json", findings)
    assert copy is not None
    sheet = openpyxl.load_workbook(io.BytesIO(copy)).worksheets[0]
    assert "GENDER_INVALID" in sheet["C3"].comment.text  # record 2 is on row 3, under the header
    summary = next(cell.value for cell in sheet[3] if isinstance(cell.value, str) and "•" in cell.value)
    assert "• C3 «Giới tính»" in summary


def test_damaged_list_only_on_hidden_sheet() -> None:
    def write(book: Any, sheet: Any) -> None:
        sheet.write("A1", "DANH SÁCH CÁN BỘ, CÔNG CHỨC NĂM 2026")
        data = book.add_worksheet("Data")
        for offset, values in enumerate(_rows()):
            data.write_row(offset, 0, values)
        data.hide()

    with pytest.raises(UnreadableFileError) as raised:
        read_export(workbook(write), "ds.xlsx")
    assert raised.value.code == "SHEETS_ONLY_HIDDEN"
    assert raised.value.params == {"file": "ds.xlsx", "sheets": "«Data»", "rows": 3}


def test_damaged_missing_column_names_sheet() -> None:
    rows = [[value for position, value in enumerate(row) if position != 4] for row in _rows()]  # no ID column
    options = ValidateOptions(mandatory_fields=DEFAULT_MANDATORY_FIELDS, max_rows=10_000,
                              manifest_validity=timedelta(days=14))
    with pytest.raises(UnreadableFileError) as raised:
        read_checked_export(workbook(plain_sheet(rows)), "ds.xlsx", options)
    assert raised.value.code == "HEADER_MISSING_REQUIRED_SHEET"
    assert raised.value.params["sheet"] == "Danh sách"
    assert raised.value.params["missing"] == "Số định danh cá nhân"


def test_damaged_annotated_copy_uploaded_again() -> None:
    # The officer fixes the marked copy and uploads it: its result column is no unknown column.
    rows = _rows()
    rows[1][4] = "12345"
    data = workbook(plain_sheet(rows))
    findings = check(read_export(data, "ds.xlsx"))
    copy = build_annotated_workbook(data, "ds.xlsx", findings)
    assert copy is not None
    again = check(read_export(copy, "ds - danh dau loi.xlsx"))
    assert cells(again, "COLUMN_NOT_RECOGNISED") == []
    assert cells(again, "PID_FORMAT") == [("Danh sách", 2, "E")]
