"""Column headers matched by meaning, and the header row found among title rows."""

from __future__ import annotations

import pytest

from cbccvc.intake.headers import MergedRange, find_header, is_column_number_row, match_header
from cbccvc.intake.legacy_encodings import LegacyEncoding


@pytest.mark.parametrize(("header", "field"), [
    ("Họ và tên", "full_name"),
    ("Họ tên", "full_name"),
    ("HỌ VÀ TÊN", "full_name"),
    ("Ho va ten", "full_name"),
    ("Họ, tên", "full_name"),
    ("  Họ   và\ntên ", "full_name"),
    ("Họ và tên (*)", "full_name"),
    ("Số CCCD", "personal_id"),
    ("Số định danh cá nhân", "personal_id"),
    ("SỐ ĐỊNH DANH\nCÁ NHÂN", "personal_id"),
    ("CCCD/CMND", "personal_id"),
    ("Số CCCD/ĐDCN", "personal_id"),
    ("Số CCCD (12 số)", "personal_id"),
    ("Ngày, tháng, năm sinh", "birth_date"),
    ("Ngày sinh (dd/mm/yyyy)", "birth_date"),
    ("Ngày sinh dd/mm/yyyy", "birth_date"),
    ("Ngày sinh\n(ngày/tháng/năm)", "birth_date"),
    ("Giới tính (Nam/Nữ)", "gender"),
    ("Nam/Nữ", "gender"),
    ("Mã ngạch", "rank_code"),
    ("Hệ số lương [HSL]", "salary_coefficient"),
    ("Quê quán (mã xã)", "hometown_commune"),
])
def test_header_matched(header: str, field: str) -> None:
    assert match_header(header) == (field, None)


@pytest.mark.parametrize("header", ["Ghi chú", "STT", "Mã đơn vị cấp trên", "Ngày tháng năm", ""])
def test_header_not_matched(header: str) -> None:
    assert match_header(header) is None


@pytest.mark.parametrize(("header", "encoding"), [
    ("Hä vµ tªn", LegacyEncoding.TCVN3),
    ("Hoï vaø teân", LegacyEncoding.VNI),
])
def test_header_legacy_font(header: str, encoding: LegacyEncoding) -> None:
    assert match_header(header) == ("full_name", encoding)


def test_find_header_below_title_rows() -> None:
    rows = [["DANH SÁCH CÁN BỘ", "", "", ""],
            ["", "", "", ""],
            ["STT", "Họ và tên", "Ngày sinh", "Giới tính"],
            [1, "Nguyễn Văn An", "05/09/1985", "Nam"]]
    match = find_header(rows)
    assert match is not None
    assert match.last_row == 2
    assert match.fields == {1: "full_name", 2: "birth_date", 3: "gender"}


def test_find_header_needs_three_fields() -> None:
    assert find_header([["Họ và tên", "Ngày sinh", "Ghi chú"], ["An", "05/09/1985", ""]]) is None


def test_find_header_merged_group() -> None:
    rows = [["Họ và tên", "Ngày sinh", "Ngạch/chức danh", "", ""],
            ["", "", "Mã ngạch", "Bậc", "Hệ số"],
            ["Nguyễn Văn An", "05/09/1985", "01.003", 3, 3.0]]
    merged = [MergedRange(0, 0, 1, 0), MergedRange(0, 1, 1, 1), MergedRange(0, 2, 0, 4)]
    match = find_header(rows, merged)
    assert match is not None
    assert match.last_row == 1
    assert match.fields == {0: "full_name", 1: "birth_date", 2: "rank_code", 3: "salary_step",
                            4: "salary_coefficient"}


def test_find_header_prefers_first_of_repeated() -> None:
    header = ["Họ và tên", "Ngày sinh", "Giới tính"]
    rows = [header, ["Nguyễn Văn An", "05/09/1985", "Nam"], header, ["Trần Thị Bình", "20/11/1990", "Nữ"]]
    match = find_header(rows)
    assert match is not None
    assert match.last_row == 0


@pytest.mark.parametrize(("row", "expected"), [
    (["1", "2", "3", "4"], True),
    (["(1)", "(2)", "(3)", ""], True),
    ([1.0, 2.0, 3.0], True),
    (["1", "2"], False),
    ([1, "Nguyễn Văn An", 3], False),
    (["3", "2", "1"], False),
])
def test_column_number_row(row: list[object], expected: bool) -> None:
    assert is_column_number_row(row) is expected


@pytest.mark.parametrize(("header", "field"), [
    ("Hệ số lương hiện hưởng", "salary_coefficient"),
    ("Chức vụ hiện tại", "position"),
    ("Số CCCD mới", "personal_id"),
    ("Đảng viên Ngày vào", "party_join_date"),
    ("Ngày vào Đảng viên", "party_join_date"),
    ("Đảng viên Số thẻ", "party_card_number"),
])
def test_header_contained_or_grouped(header: str, field: str) -> None:
    assert match_header(header) == (field, None)


@pytest.mark.parametrize("header", ["Mã đơn vị cấp trên", "Chức vụ Đảng", "Ngày vào", "Số thẻ",
                                    "Hệ số phụ cấp khu vực"])
def test_header_contained_not_matched(header: str) -> None:
    assert match_header(header) is None


def test_find_header_party_group_over_dates() -> None:
    rows = [["", "", "", "Đảng viên", "Đảng viên", "Đảng viên"],
            ["Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào", "Ngày chính thức", "Số thẻ"],
            ["Nguyễn Văn An", "05/09/1985", "Nam", "01/01/2010", "01/01/2011", "12345678"]]
    match = find_header(rows)
    assert match is not None
    assert match.last_row == 1
    assert match.fields[3] == "party_join_date"
    assert match.fields[4] == "party_official_date"
    assert match.fields[5] == "party_card_number"
