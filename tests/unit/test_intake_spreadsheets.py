"""Reading real workbooks written by xlsxwriter (and xlwt, and by hand for .ods) as agencies send them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import xlsxwriter

from cbccvc.intake.readers import UnreadableFileError, read_export
from cbccvc.intake.table import Table
from cbccvc.models import Finding
from cbccvc.schema import DEFAULT_MANDATORY_FIELDS
from cbccvc.validation.service import ValidateOptions, check_tables, read_checked_export
from cbccvc.validation.values import EXCEL_EPOCH_1900, EXCEL_EPOCH_1904

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Mã đơn vị"]
# Synthetic people whose IDs agree with their gender and birth year (prefix 001 Hà Nội, 079 TP HCM).
PEOPLE = [
    [1, "Nguyễn Văn An", "05/09/1985", "Nam", "001085012345", "U01"],
    [2, "Trần Thị Bình", "20/11/1990", "Nữ", "079190054321", "U01"],
    [3, "Lê Hoàng Cường", "01/02/1978", "Nam", "001078000777", "U02"],
]
TODAY = date(2025, 6, 1)

Writer = Callable[[Any, Any], None]


def workbook(write: Writer, options: dict[str, Any] | None = None) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **(options or {})})
    write(book, book.add_worksheet("Danh sách"))
    book.close()
    return buffer.getvalue()


def plain_sheet(rows: list[list[Any]], *, start_row: int = 0) -> Writer:
    def write(_book: Any, sheet: Any) -> None:
        for offset, row in enumerate(rows):
            sheet.write_row(start_row + offset, 0, row)
    return write


def check(tables: list[Table]) -> list[Finding]:
    options = ValidateOptions(mandatory_fields=DEFAULT_MANDATORY_FIELDS, max_rows=10_000,
                              manifest_validity=timedelta(days=14), today=TODAY)
    results = check_tables(tables, agency_code="T01", options=options, org_units=None)
    return [finding for result in results for finding in result.findings]


def cells(findings: list[Finding], code: str) -> list[tuple[str | None, int | None, str | None]]:
    return [(finding.sheet, finding.row, finding.column) for finding in findings if finding.code == code]


def test_xlsx_title_rows_above_header() -> None:
    def write(book: Any, sheet: Any) -> None:
        sheet.merge_range("A1:F1", "DANH SÁCH CÁN BỘ, CÔNG CHỨC", book.add_format({"bold": True}))
        sheet.write("A2", "Đơn vị: Sở Nội vụ")
        sheet.write_row(3, 0, HEADERS)
        for offset, person in enumerate(PEOPLE):
            sheet.write_row(4 + offset, 0, person)

    tables = read_export(workbook(write), "ds.xlsx")
    table = tables[0]
    assert table.header_row == 4
    assert table.row_numbers == [5, 6, 7]
    assert table.columns["full_name"].letter == "B"
    assert table.columns["personal_id"].letter == "E"
    assert check(tables) == [f for f in check(tables) if f.code == "UNITS_NOT_CONFIGURED"]


def test_xlsx_merged_two_row_header() -> None:
    def write(book: Any, sheet: Any) -> None:
        merged = book.add_format({"align": "center"})
        sheet.write("A1", "DANH SÁCH")
        for column, text in enumerate(HEADERS[:5]):
            sheet.merge_range(2, column, 3, column, text, merged)
        sheet.merge_range("F3:H3", "Ngạch/chức danh", merged)
        sheet.write_row("F4", ["Mã ngạch", "Bậc", "Hệ số"])
        sheet.merge_range("I3:I4", "Mã đơn vị", merged)
        sheet.merge_range("J3:K3", "Quê quán", merged)
        sheet.write_row("J4", ["Mã xã", "Tên xã"])
        sheet.write_row(4, 0, [*PEOPLE[0][:5], "01.003", 3, 3.0, "U01", "00004", "Ba Đình"])

    table = read_export(workbook(write), "ds.xlsx")[0]
    assert table.header_row == 4
    assert table.row_numbers == [5]
    letters = {name: column.letter for name, column in table.columns.items()}
    assert letters["rank_code"] == "F"
    assert letters["salary_step"] == "G"
    assert letters["salary_coefficient"] == "H"
    assert letters["unit_code"] == "I"
    assert letters["hometown_commune"] == "J"
    assert letters["full_name"] == "B"
    assert table.columns["hometown_commune"].values.to_list() == ["00004"]


def test_csv_two_row_header_without_merges() -> None:
    text = ("Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Mã đơn vị,Quê quán,\n"
            ",,,,,Mã xã,Tên xã\n"
            "Nguyễn Văn An,05/09/1985,Nam,001085012345,U01,00004,Ba Đình\n")
    table = read_export(text.encode(), "ds.csv")[0]
    assert table.header_row == 2
    assert table.row_numbers == [3]
    assert table.columns["hometown_commune"].letter == "F"


def test_xlsx_several_sheets_and_hidden_ones() -> None:
    def write(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, HEADERS)
        sheet.write_row(1, 0, PEOPLE[0])
        second = book.add_worksheet("Đơn vị 2")
        second.write("A1", "Phòng Tổ chức")
        second.write_row(2, 0, HEADERS)
        second.write_row(3, 0, PEOPLE[1])
        second.write_row(4, 0, PEOPLE[2])
        hidden = book.add_worksheet("Ẩn")
        hidden.write_row(0, 0, HEADERS)
        hidden.write_row(1, 0, PEOPLE[2])
        hidden.hide()
        very_hidden = book.add_worksheet("Rất ẩn")
        very_hidden.write_row(0, 0, HEADERS)
        very_hidden.write_row(1, 0, PEOPLE[2])
        very_hidden.very_hidden()
        notes = book.add_worksheet("Hướng dẫn")
        notes.write("A1", "Ghi đủ các cột")

    tables = read_export(workbook(write), "ds.xlsx")
    assert [table.sheet for table in tables] == ["Danh sách", "Đơn vị 2"]
    assert [table.row_numbers for table in tables] == [[2], [4, 5]]


def test_xlsx_pid_number_cells() -> None:
    def write(_book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, HEADERS)
        # A Number cell drops the leading zero; a 12-digit General cell shows 1.23457E+11 but keeps
        # every digit; a value re-read from that display keeps six.
        rows = [
            [1, "Nguyễn Văn An", "05/09/1985", "Nam", 1085012345, "U01"],
            [2, "Trần Thị Bình", "20/11/1990", "Nữ", 79190054321, "U01"],
            [3, "Lê Hoàng Cường", "01/02/1978", "Nam", 123457000000, "U02"],
            [4, "Phạm Thị Dung", "01/02/1978", "Nữ", "1.23457E+11", "U02"],
        ]
        for offset, row in enumerate(rows):
            sheet.write_row(1 + offset, 0, row)

    tables = read_export(workbook(write), "ds.xlsx")
    findings = check(tables)
    assert cells(findings, "PID_LEADING_ZERO_RESTORED") == [("Danh sách", 2, "E"), ("Danh sách", 3, "E")]
    assert cells(findings, "PID_SCIENTIFIC") == [("Danh sách", 4, "E"), ("Danh sách", 5, "E")]
    restored = [finding.params["restored"] for finding in findings if finding.code == "PID_LEADING_ZERO_RESTORED"]
    assert restored == ["001085012345", "079190054321"]


@pytest.mark.parametrize(("date_1904", "epoch"), [(False, EXCEL_EPOCH_1900), (True, EXCEL_EPOCH_1904)])
def test_xlsx_date_systems(date_1904: bool, epoch: date) -> None:
    birth = datetime(1985, 9, 5)
    serial = (birth.date() - epoch).days

    def write(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, HEADERS)
        sheet.write_row(1, 0, PEOPLE[0])
        sheet.write_datetime(1, 2, birth, book.add_format({"num_format": "dd/mm/yyyy"}))
        sheet.write_row(2, 0, PEOPLE[0][:2])
        sheet.write_number(2, 2, serial)  # a date typed into a General cell stays a number
        sheet.write_row(2, 3, PEOPLE[0][3:])

    tables = read_export(workbook(write, {"date_1904": date_1904}), "ds.xlsx")
    assert tables[0].date_epoch == epoch
    findings = check(tables)
    assert cells(findings, "DATE_INVALID") == []
    assert cells(findings, "PID_YEAR_MISMATCH") == []
    assert cells(findings, "ROW_DUPLICATE") == [("Danh sách", 3, "E")]  # same person, same date both ways


def test_xlsx_month_first_dates_flagged() -> None:
    rows = [HEADERS,
            [1, "Nguyễn Văn An", "12/25/1985", "Nam", "001085012345", "U01"],
            [2, "Trần Thị Bình", "11/05/1990", "Nữ", "079190054321", "U01"],
            [3, "Lê Hoàng Cường", "28/02/1978", "Nam", "001078000777", "U02"],
            [4, "Phạm Văn Dũng", "31/02/1978", "Nam", "001078000778", "U02"]]
    findings = check(read_export(workbook(plain_sheet(rows)), "ds.xlsx"))
    assert cells(findings, "DATE_MONTH_FIRST") == [("Danh sách", 2, "C")]
    assert cells(findings, "DATE_ORDER_AMBIGUOUS") == [("Danh sách", 3, "C")]
    assert cells(findings, "DATE_INVALID") == [("Danh sách", 5, "C")]


def test_xlsx_ambiguous_dates_alone_not_flagged() -> None:
    rows = [HEADERS, [2, "Trần Thị Bình", "11/05/1990", "Nữ", "079190054321", "U01"]]
    findings = check(read_export(workbook(plain_sheet(rows)), "ds.xlsx"))
    assert cells(findings, "DATE_ORDER_AMBIGUOUS") == []


def test_xlsx_two_digit_year_and_time() -> None:
    rows = [HEADERS,
            [1, "Nguyễn Văn An", "05/09/85", "Nam", "001085012345", "U01"],
            [2, "Trần Thị Bình", "20/11/1990 00:00:00", "Nữ", "079190054321", "U01"]]
    findings = check(read_export(workbook(plain_sheet(rows)), "ds.xlsx"))
    assert cells(findings, "DATE_TWO_DIGIT_YEAR") == [("Danh sách", 2, "C")]
    assert cells(findings, "DATE_INVALID") == []
    assert cells(findings, "PID_YEAR_MISMATCH") == []


def test_xlsx_column_number_row_and_footer() -> None:
    def write(_book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, HEADERS)
        sheet.write_row(1, 0, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])
        for offset, person in enumerate(PEOPLE):
            sheet.write_row(2 + offset, 0, person)
        sheet.write_row(5, 0, [4])  # numbered in advance, never filled
        sheet.write("B8", "Người lập biểu")
        sheet.write("E8", "Thủ trưởng đơn vị")
        sheet.write("E11", "Nguyễn Văn Trưởng")

    tables = read_export(workbook(write), "ds.xlsx")
    assert tables[0].row_numbers == [3, 4, 5]
    findings = check(tables)
    assert cells(findings, "ROWS_NOT_RECORDS") == [("Danh sách", 8, None)]
    assert cells(findings, "REQUIRED_MISSING") == []


def test_xlsx_value_merged_down_fills_rows() -> None:
    def write(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, HEADERS)
        for offset, person in enumerate(PEOPLE):
            sheet.write_row(1 + offset, 0, person[:5])
        sheet.merge_range("F2:F4", "U01", book.add_format({"valign": "vcenter"}))

    table = read_export(workbook(write), "ds.xlsx")[0]
    assert table.columns["unit_code"].values.to_list() == ["U01", "U01", "U01"]


def test_xlsx_legacy_font_cells_converted() -> None:
    rows = [HEADERS,
            [1, "NguyÔn V¨n An", "05/09/1985", "Nam", "001085012345", "U01"],
            [2, "TrÇn ThÞ B×nh", "20/11/1990", "N÷", "079190054321", "U01"],
            [3, "Lª Hoµng C­êng", "01/02/1978", "Nam", "001078000777", "U02"]]
    tables = read_export(workbook(plain_sheet(rows)), "ds.xlsx")
    table = tables[0]
    assert table.columns["full_name"].values.to_list() == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường"]
    assert table.columns["gender"].values.to_list() == ["Nam", "Nữ", "Nam"]
    findings = check(tables)
    assert cells(findings, "CELL_LEGACY_FONT") == [("Danh sách", 1, "B"), ("Danh sách", 1, "D")]
    assert {finding.params["encoding"] for finding in findings if finding.code == "CELL_LEGACY_FONT"} == {
        "TCVN3 (ABC)"}
    assert cells(findings, "NAME_INVALID") == []
    assert cells(findings, "GENDER_INVALID") == []


def test_xlsx_legacy_font_headers_vni() -> None:
    rows = [["STT", "Hoï vaø teân", "Ngaøy sinh", "Giôùi tính", "Soá ñònh danh caù nhaân", "Maõ ñôn vò"],
            [1, "Nguyeãn Vaên An", "05/09/1985", "Nam", "001085012345", "U01"],
            [2, "Traàn Thò Bình", "20/11/1990", "Nöõ", "079190054321", "U01"]]
    table = read_export(workbook(plain_sheet(rows)), "ds.xlsx")[0]
    assert table.columns["full_name"].header == "Họ và tên"
    assert table.columns["full_name"].values.to_list() == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert table.columns["gender"].values.to_list() == ["Nam", "Nữ"]


def test_xlsx_unicode_names_left_alone() -> None:
    rows = [HEADERS,
            [1, "Tô Thành Tâm", "05/09/1985", "Nam", "001085012345", "U01"],
            [2, "Lê Hà", "20/11/1990", "Nữ", "079190054321", "U01"]]
    tables = read_export(workbook(plain_sheet(rows)), "ds.xlsx")
    assert tables[0].columns["full_name"].values.to_list() == ["Tô Thành Tâm", "Lê Hà"]
    assert tables[0].findings == []


def test_xlsx_huge_cell_cut_and_blocked() -> None:
    rows = [HEADERS, [1, "Nguyễn Văn An " * 200, "05/09/1985", "Nam", "001085012345", "U01"], PEOPLE[1]]
    tables = read_export(workbook(plain_sheet(rows)), "ds.xlsx")
    assert len(tables[0].columns["full_name"].values[0]) == 1_000
    assert tables[0].blocked_indexes() == {0}
    assert cells(check(tables), "CELL_TOO_LONG") == [("Danh sách", 2, "B")]


def test_xlsx_only_headers_is_empty() -> None:
    data = workbook(plain_sheet([HEADERS]))
    options = ValidateOptions(mandatory_fields=DEFAULT_MANDATORY_FIELDS, max_rows=10,
                              manifest_validity=timedelta(days=1))
    with pytest.raises(UnreadableFileError) as caught:
        read_checked_export(data, "ds.xlsx", options)
    assert caught.value.code == "FILE_EMPTY"


def test_xlsx_empty_workbook() -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_export(workbook(lambda _book, _sheet: None), "ds.xlsx")
    assert caught.value.code == "FILE_EMPTY"


def test_xlsx_truncated_zip() -> None:
    data = workbook(plain_sheet([HEADERS, *PEOPLE]))
    with pytest.raises(UnreadableFileError) as caught:
        read_export(data[: len(data) // 2], "ds.xlsx")
    assert caught.value.code == "FILE_DAMAGED"


@pytest.mark.parametrize("data", [b"\x00" * 64, b"\x8b\x1f" * 300, b"PK\x03\x04 not really a zip"])
def test_xlsx_not_a_workbook(data: bytes) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_export(data, "ds.xlsx")
    assert caught.value.code in {"FILE_DAMAGED", "FILE_EMPTY"}


def test_xlsx_password_protected() -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    encrypted = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(workbook(plain_sheet([HEADERS, *PEOPLE])))).encrypt("mat-khau", encrypted)
    with pytest.raises(UnreadableFileError) as caught:
        read_export(encrypted.getvalue(), "ds.xlsx")
    assert caught.value.code == "FILE_PASSWORD_PROTECTED"


def test_workbook_under_csv_name() -> None:
    tables = read_export(workbook(plain_sheet([HEADERS, *PEOPLE])), "ds.csv")
    assert tables[0].sheet == "Danh sách"
    assert len(tables[0]) == 3


def test_xls_read() -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Danh sach")
    sheet.write_merge(0, 0, 0, 5, "DANH SÁCH")
    for column, text in enumerate(HEADERS):
        sheet.write(2, column, text)
    people = [[*PEOPLE[0][:4], 1085012345, PEOPLE[0][5]], *PEOPLE[1:]]  # the first ID in a Number cell
    for offset, person in enumerate(people):
        for column, value in enumerate(person):
            sheet.write(3 + offset, column, value)
    buffer = io.BytesIO()
    book.save(buffer)

    tables = read_export(buffer.getvalue(), "ds.xls")
    assert tables[0].header_row == 3
    assert tables[0].row_numbers == [4, 5, 6]
    assert cells(check(tables), "PID_LEADING_ZERO_RESTORED") == [("Danh sach", 4, "E")]


def test_ods_read() -> None:
    tables = read_export(_ods([HEADERS, *PEOPLE]), "ds.ods")
    assert tables[0].sheet == "Danh sách"
    assert tables[0].row_numbers == [2, 3, 4]
    assert tables[0].columns["full_name"].values.to_list()[1] == "Trần Thị Bình"


def _ods(rows: list[list[Any]]) -> bytes:
    """Write a minimal OpenDocument spreadsheet, the way LibreOffice stores text and numbers."""
    def cell(value: Any) -> str:
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>' \
                   "</table:table-cell>"
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(value) for value in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Danh sách">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        package.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_xls_html_table() -> None:
    page = """<html><head><meta charset="utf-8"></head><body>
    <h3>DANH SÁCH CÁN BỘ</h3>
    <table border="1">
      <tr><th rowspan="2">STT</th><th rowspan="2">Họ và<br>tên</th><th rowspan="2">Ngày sinh</th>
          <th rowspan="2">Giới tính</th><th rowspan="2">Số định danh cá nhân</th><th colspan="2">Ngạch</th>
          <th rowspan="2">Mã đơn vị</th></tr>
      <tr><th>Mã ngạch</th><th>Bậc</th></tr>
      <tr><td>1</td><td>Nguyễn   Văn
          An</td><td>05/09/1985</td><td>Nam</td><td>001085012345</td><td>01.003</td><td>3</td><td>U01</td></tr>
      <tr><td>2</td><td>Trần Thị Bình</td><td>20/11/1990</td><td>Nữ</td><td>079190054321</td><td>01.003</td>
          <td>2</td><td>U01</td></tr>
    </table></body></html>"""
    tables = read_export(page.encode("utf-8"), "ds.xls")
    table = tables[0]
    assert table.header_row == 3
    assert table.row_numbers == [4, 5]
    assert table.columns["full_name"].values.to_list() == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert table.columns["full_name"].header == "Họ và tên"
    assert table.columns["rank_code"].letter == "F"
    assert table.columns["salary_step"].letter == "G"
    assert table.columns["unit_code"].letter == "H"


def test_xls_spreadsheetml_2003() -> None:
    document = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:x="urn:schemas-microsoft-com:office:excel"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <ExcelWorkbook xmlns="urn:schemas-microsoft-com:office:excel"><Date1904/></ExcelWorkbook>
 <Worksheet ss:Name="Danh sách"><Table>
  <Row><Cell ss:MergeAcross="4"><Data ss:Type="String">DANH SÁCH</Data></Cell></Row>
  <Row ss:Index="3"><Cell><Data ss:Type="String">Họ và tên</Data></Cell>
   <Cell><Data ss:Type="String">Ngày sinh</Data></Cell>
   <Cell><Data ss:Type="String">Giới tính</Data></Cell><Cell><Data ss:Type="String">Số định danh cá nhân</Data></Cell>
   <Cell><Data ss:Type="String">Mã đơn vị</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">Nguyễn Văn An</Data></Cell>
   <Cell><Data ss:Type="DateTime">1985-09-05T00:00:00.000</Data></Cell><Cell><Data ss:Type="String">Nam</Data></Cell>
   <Cell><Data ss:Type="Number">1085012345</Data></Cell><Cell><Data ss:Type="String">U01</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">Trần Thị Bình</Data></Cell><Cell><Data ss:Type="Number">31735</Data></Cell>
   <Cell ss:Index="4"><Data ss:Type="String">079190054321</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="Ẩn"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet>
</Workbook>"""
    tables = read_export(document.encode("utf-8"), "ds.xls")
    assert [table.sheet for table in tables] == ["Danh sách"]
    table = tables[0]
    assert table.header_row == 3
    assert table.row_numbers == [4, 5]
    assert table.date_epoch == EXCEL_EPOCH_1904
    findings = check(tables)
    assert cells(findings, "PID_LEADING_ZERO_RESTORED") == [("Danh sách", 4, "D")]
    assert cells(findings, "REQUIRED_MISSING") == [("Danh sách", 5, "C"), ("Danh sách", 5, "E")]
    assert cells(findings, "DATE_INVALID") == []


def test_xls_tab_separated_text() -> None:
    text = "\t".join(HEADERS) + "\r\n" + "\r\n".join("\t".join(str(value) for value in person) for person in PEOPLE)
    tables = read_export(text.encode("utf-16"), "ds.xls")
    assert tables[0].row_numbers == [2, 3, 4]


def test_xlsx_header_not_found() -> None:
    data = workbook(plain_sheet([["Tên", "Tuổi"], ["An", 40]]))
    with pytest.raises(UnreadableFileError) as caught:
        read_export(data, "ds.xlsx")
    assert caught.value.code == "HEADER_NOT_FOUND"
    assert caught.value.params["found"] == "Tên, Tuổi"


def test_xlsx_legacy_font_header_only() -> None:
    rows = [["STT", "Hä vµ tªn", "Ngµy sinh", "Giíi tÝnh", "Sè ®Þnh danh c¸ nh©n", "M· ®¬n vÞ"], PEOPLE[0]]
    tables = read_export(workbook(plain_sheet(rows)), "ds.xlsx")
    assert [(finding.code, finding.column, finding.params["cells"]) for finding in tables[0].findings] == [
        ("CELL_LEGACY_FONT", "B", 0)]
    assert tables[0].columns["full_name"].header == "Họ và tên"


def test_xlsx_unknown_column_warned() -> None:
    rows = [[*HEADERS, "Ghi chú", "Hệ số phụ cấp"], [*PEOPLE[0], "nghỉ phép", 0.2]]
    tables = read_export(workbook(plain_sheet(rows)), "ds.xlsx")
    ignored = [(finding.sheet, finding.row, finding.column, finding.header) for finding in tables[0].findings
               if finding.code == "COLUMN_NOT_RECOGNISED"]
    assert ignored == [("Danh sách", None, "G", "Ghi chú"), ("Danh sách", None, "H", "Hệ số phụ cấp")]
    assert all(finding.severity == "warning" for finding in tables[0].findings)


def test_xlsx_party_group_header() -> None:
    def write(_book: Any, sheet: Any) -> None:
        sheet.write_row(0, 6, ["Đảng viên", "Đảng viên", "Đảng viên"])
        sheet.write_row(1, 0, [*HEADERS, "Ngày vào", "Ngày chính thức", "Số thẻ"])
        sheet.write_row(2, 0, [*PEOPLE[0], "01/01/2012", "01/01/2011", "12345678"])

    tables = read_export(workbook(write), "ds.xlsx")
    letters = {name: column.letter for name, column in tables[0].columns.items()}
    assert (letters["party_join_date"], letters["party_official_date"], letters["party_card_number"]) == ("G", "H", "I")
    assert cells(check(tables), "PARTY_DATES_ORDER") == [("Danh sách", 3, "H")]


def test_xlsx_formula_errors_reported() -> None:
    def write(_book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, HEADERS)
        sheet.write_row(1, 0, PEOPLE[0])
        sheet.write_row(2, 0, PEOPLE[1])
        sheet.write_formula(1, 1, "=VLOOKUP(A1,Z:Z,2,0)", None, "#N/A")
        sheet.write_formula(2, 4, "=#REF!", None, "#REF!")

    findings = check(read_export(workbook(write), "ds.xlsx"))
    assert cells(findings, "CELL_FORMULA_ERROR") == [("Danh sách", 2, "B"), ("Danh sách", 3, "E")]
    assert [finding.params["value"] for finding in findings if finding.code == "CELL_FORMULA_ERROR"] == [
        "#N/A", "#REF!"]
    assert cells(findings, "REQUIRED_MISSING") == []


def test_xlsx_hidden_sheet_with_records_warned() -> None:
    def write(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, HEADERS)
        sheet.write_row(1, 0, PEOPLE[0])
        hidden = book.add_worksheet("Ẩn")
        hidden.write_row(0, 0, HEADERS)
        hidden.write_row(1, 0, PEOPLE[1])
        hidden.write_row(2, 0, PEOPLE[2])
        hidden.hide()
        notes = book.add_worksheet("Ghi chú ẩn")
        notes.write("A1", "Không có bảng")
        notes.hide()

    tables = read_export(workbook(write), "ds.xlsx")
    warned = [(finding.sheet, finding.params["rows"]) for finding in tables[0].findings
              if finding.code == "SHEET_HIDDEN_SKIPPED"]
    assert warned == [("Ẩn", 2)]
    assert [table.sheet for table in tables] == ["Danh sách"]


def test_header_not_found_lists_mandatory_only() -> None:
    data = workbook(plain_sheet([["Tên", "Tuổi"], ["An", 40]]))
    with pytest.raises(UnreadableFileError) as caught:
        read_export(data, "ds.xlsx", ("personal_id", "full_name"))
    assert caught.value.params["expected"] == "Số định danh cá nhân, Họ và tên"
