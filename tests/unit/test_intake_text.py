"""Reading CSV and JSON exports: encodings, delimiters, damaged rows and record shapes."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date, timedelta

import pytest

from cbccvc.intake.legacy_encodings import encode_tcvn3, encode_vni
from cbccvc.intake.readers import UnreadableFileError, read_export
from cbccvc.intake.table import Table
from cbccvc.messages import Language, label
from cbccvc.models import Finding, Severity
from cbccvc.reporting.validation_report import message_params
from cbccvc.schema import DEFAULT_MANDATORY_FIELDS
from cbccvc.validation.service import ValidateOptions, check_tables

HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Mã đơn vị", "Hệ số lương"]
PEOPLE = [
    ["Nguyễn Văn An", "05/09/1985", "Nam", "001085012345", "U01", "3,00"],
    ["Trần Thị Bình", "20/11/1990", "Nữ", "079190054321", "U01", "2,34"],
]
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    """Write rows as Excel does: values holding the delimiter in double quotes, CRLF line ends."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def check(tables: list[Table]) -> list[Finding]:
    options = ValidateOptions(mandatory_fields=DEFAULT_MANDATORY_FIELDS, max_rows=10_000,
                              manifest_validity=timedelta(days=14), today=date(2025, 6, 1))
    results = check_tables(tables, agency_code="T01", options=options, org_units=None)
    return [finding for result in results for finding in result.findings]


def cells(findings: list[Finding], code: str) -> list[tuple[int | None, str | None]]:
    return [(finding.row, finding.column) for finding in findings if finding.code == code]


def to_windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 does: letters with a tone mark become the base letter and a combining mark."""
    encoded = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            encoded += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tone = "".join(mark for mark in decomposed if mark in _TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in _TONE_MARKS))
            encoded += (base + tone).encode("cp1258")
    return bytes(encoded)


def assert_people_read(table: Table) -> None:
    assert table.columns["full_name"].values.to_list() == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert table.columns["gender"].values.to_list() == ["Nam", "Nữ"]
    assert table.row_numbers == [2, 3]


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","),
    ("utf-8-sig", ";"),
    ("utf-16", "\t"),  # Excel's "Unicode Text": UTF-16LE with a BOM, tab-separated
    ("utf-16-le", "\t"),
    ("utf-16-be", ","),
])
def test_csv_unicode_encodings(encoding: str, delimiter: str) -> None:
    data = csv_text([HEADER, *PEOPLE], delimiter).encode(encoding)
    tables = read_export(data, "ds.csv")
    assert_people_read(tables[0])
    assert tables[0].columns["salary_coefficient"].values.to_list() == ["3,00", "2,34"]
    assert tables[0].findings == []


def test_csv_windows_1258_normalised() -> None:
    data = to_windows_1258(csv_text([HEADER, *PEOPLE]))
    assert b"\xde" in data  # the tilde of "Nguyễn" is a separate byte
    tables = read_export(data, "ds.csv")
    assert_people_read(tables[0])
    assert tables[0].findings == []


def test_csv_tcvn3_bytes() -> None:
    text = csv_text([HEADER, *PEOPLE])
    data = encode_tcvn3(text).encode("latin-1")
    tables = read_export(data, "ds.csv")
    assert_people_read(tables[0])
    assert [(finding.code, finding.row, finding.params["encoding"]) for finding in tables[0].findings] == [
        ("FILE_LEGACY_ENCODING", None, "TCVN3 (ABC)")]
    assert tables[0].findings[0].params["fonts"] == ".VnTime, .VnArial"
    assert cells(check(tables), "NAME_INVALID") == []


def test_csv_vni_bytes() -> None:
    data = encode_vni(csv_text([HEADER, *PEOPLE], ";")).encode("latin-1")
    tables = read_export(data, "ds.csv")
    assert_people_read(tables[0])
    assert [finding.code for finding in tables[0].findings] == ["FILE_LEGACY_ENCODING"]
    assert tables[0].findings[0].params["encoding"] == "VNI"
    assert tables[0].findings[0].params["fonts"] == "VNI-Times, VNI-Helve"


def test_csv_utf8_with_legacy_mojibake() -> None:
    # Excel's "CSV UTF-8" of a sheet typed in .VnTime: valid UTF-8 holding TCVN3 characters.
    rows = [HEADER, *([encode_tcvn3(value) if index == 0 else value for index, value in enumerate(person)]
                      for person in PEOPLE)]
    tables = read_export(csv_text(rows).encode("utf-8"), "ds.csv")
    assert [value.casefold() for value in tables[0].columns["full_name"].values] == [
        "nguyễn văn an", "trần thị bình"]
    assert cells(tables[0].findings, "CELL_LEGACY_FONT") == [(1, "A")]


def test_csv_quoted_delimiters_and_line_breaks() -> None:
    text = ('Họ và tên;Ngày sinh;Giới tính;Số định danh cá nhân;Mã đơn vị;Hệ số lương\r\n'
            '"Nguyễn Văn An";05/09/1985;Nam;001085012345;"U01; phòng\r\nTổ chức";"3,00"\r\n'
            'Trần Thị Bình;20/11/1990;Nữ;079190054321;U01;2,34\r\n')
    table = read_export(text.encode(), "ds.csv")[0]
    assert table.columns["unit_code"].values.to_list() == ["U01; phòng\r\nTổ chức", "U01"]
    assert table.row_numbers == [2, 4]  # the second record starts on line 4
    assert table.findings == []


def test_csv_comma_inside_quotes_sniffed() -> None:
    rows = ['"Họ và tên","Ngày sinh","Giới tính","Số định danh cá nhân","Mã đơn vị","Hệ số lương"',
            '"Nguyễn Văn An","05/09/1985","Nam","001085012345","U01","3,00"',
            '"Trần Thị Bình","20/11/1990","Nữ","079190054321","U01","2,34"']
    table = read_export("\n".join(rows).encode(), "ds.csv")[0]
    assert table.columns["salary_coefficient"].values.to_list() == ["3,00", "2,34"]


def test_csv_ragged_rows() -> None:
    text = csv_text([HEADER,
                     ["Nguyễn Văn An", "05/09/1985", "Nam", "001085012345", "U01", "3", "00"],
                     ["Trần Thị Bình", "20/11/1990", "Nữ", "079190054321"],
                     ["Lê Văn Cường", "01/02/1978", "Nam", "001078000777", "U01", "2.34", ""]])
    tables = read_export(text.encode(), "ds.csv")
    findings = check(tables)
    assert cells(findings, "ROW_TOO_MANY_CELLS") == [(2, "G")]
    assert cells(findings, "ROW_TOO_FEW_CELLS") == [(3, "E")]
    assert tables[0].blocked_indexes() == {0}


def test_csv_nul_bytes() -> None:
    data = csv_text([HEADER, *PEOPLE]).encode().replace(b"An", b"A\x00n")
    table = read_export(data, "ds.csv")[0]
    assert table.columns["full_name"].values.to_list()[0] == "Nguyễn Văn An"


def test_csv_huge_cell() -> None:
    rows = [HEADER, ["Nguyễn Văn An", "05/09/1985", "Nam", "001085012345", "U" * 200_000, "3,00"], PEOPLE[1]]
    tables = read_export(csv_text(rows).encode(), "ds.csv")
    assert cells(check(tables), "CELL_TOO_LONG") == [(2, "E")]


def test_csv_binary_content() -> None:
    data = bytes(range(256)) * 40
    with pytest.raises(UnreadableFileError) as caught:
        read_export(data, "ds.csv")
    assert caught.value.code == "FILE_ENCODING_UNKNOWN"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"\x00\x00"])
def test_csv_empty(data: bytes) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_export(data, "ds.csv")
    assert caught.value.code == "FILE_EMPTY"


def test_csv_header_not_found_lists_headers() -> None:
    text = csv_text([["Tên", "Tuổi", "Chức vụ"], ["An", "40", "Trưởng phòng"]])
    with pytest.raises(UnreadableFileError) as caught:
        read_export(text.encode(), "ds.csv")
    assert caught.value.code == "HEADER_NOT_FOUND"
    assert caught.value.params["found"] == "Tên, Tuổi, Chức vụ"
    assert "Họ và tên" in caught.value.params["expected"]
    assert "Số định danh cá nhân" in caught.value.params["expected"]


def test_unsupported_extension() -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_export(b"%PDF-1.7", "ds.pdf")
    assert caught.value.code == "FILE_FORMAT_UNSUPPORTED"


def json_records() -> list[dict[str, object]]:
    return [dict(zip(HEADER, person, strict=True)) for person in PEOPLE]


@pytest.mark.parametrize("shape", ["array", "records", "data_with_total"])
def test_json_shapes(shape: str) -> None:
    records = json_records()
    payload = {"array": records, "records": {"records": records},
               "data_with_total": {"total": 2, "data": records}}[shape]
    tables = read_export(json.dumps(payload, ensure_ascii=False).encode(), "ds.json")
    assert tables[0].columns["full_name"].values.to_list() == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert tables[0].row_numbers == [1, 2]


def test_json_values_typed() -> None:
    records = json_records()
    records[0]["Số định danh cá nhân"] = 1085012345  # a number: the leading zeros are gone
    records[1]["Hệ số lương"] = None
    records[1]["Ghi chú"] = {"nguồn": "HRM"}
    tables = read_export(json.dumps(records).encode(), "ds.json")
    assert tables[0].columns["salary_coefficient"].values.to_list() == ["3,00", None]
    findings = check(tables)
    assert cells(findings, "PID_LEADING_ZERO_RESTORED") == [(1, "D")]


@pytest.mark.parametrize(("payload", "code"), [
    (b"{not json", "FILE_JSON_INVALID"),
    (b'{"a": [{"x": 1}], "b": [{"y": 2}]}', "FILE_JSON_NOT_RECORDS"),
    (b'[1, 2, 3]', "FILE_JSON_NOT_RECORDS"),
    (b'"text"', "FILE_JSON_NOT_RECORDS"),
    (b"[]", "FILE_EMPTY"),
    (b'{"records": []}', "FILE_EMPTY"),
    (b"[" * 100_000, "FILE_JSON_INVALID"),
])
def test_json_rejected(payload: bytes, code: str) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_export(payload, "ds.json")
    assert caught.value.code == code


def test_unsupported_no_extension_worded() -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_export(b"Ho va ten,Ngay sinh\n", "danh-sach")
    finding = Finding(code=caught.value.code, severity=Severity.ERROR, params=caught.value.params)
    assert caught.value.code == "FILE_FORMAT_UNSUPPORTED"
    assert message_params(finding, Language.VI)["extension"] == label("extension.none", Language.VI)
    assert message_params(finding, Language.EN)["extension"] == label("extension.none", Language.EN)


@pytest.mark.parametrize("line_end", ["\r", "\n", "\r\n"])
def test_csv_line_ends(line_end: str) -> None:
    text = line_end.join(";".join(row) for row in [HEADER, *PEOPLE]) + line_end
    table = read_export(text.encode(), "ds.csv")[0]
    assert_people_read(table)
    assert table.findings == []


def test_csv_quote_inside_value() -> None:
    rows = [",".join(HEADER), 'Nguyễn Văn "An",05/09/1985,Nam,001085012345,U01,"3,00"',
            "Trần Thị Bình,20/11/1990,Nữ,079190054321,U01,2.34"]
    table = read_export("\n".join(rows).encode(), "ds.csv")[0]
    assert table.columns["full_name"].values.to_list() == ['Nguyễn Văn "An"', "Trần Thị Bình"]
    assert table.columns["salary_coefficient"].values.to_list() == ["3,00", "2.34"]


def test_csv_row_wider_than_first_rows() -> None:
    rows = [HEADER, *PEOPLE, ["Lê Văn Cường", "01/02/1978", "Nam", "001078000777", "U01", "2.34", "", "", "x"]]
    tables = read_export(csv_text(rows).encode(), "ds.csv")
    assert cells(check(tables), "ROW_TOO_MANY_CELLS") == [(4, "I")]
