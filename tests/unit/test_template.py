"""``cbccvc template``: the workbook read back (headers, comments, formats, dropdowns) and validated once filled in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cbccvc.catalogs import admin_units
from cbccvc.cli.main import main
from cbccvc.reporting.template_workbook import build_template, catalog_lists, template_fields
from cbccvc.schema import DEFAULT_MANDATORY_FIELDS, FIELDS


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mau") / "mau.xlsx"
    assert main(["template", "--output", str(path)]) == 0
    return path


def _validations(sheet: Any) -> dict[str, Any]:
    """Column letter → data validation of the data sheet."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
    return found


def _letter(header: str, sheet: Any) -> str:
    for cell in sheet[1]:
        if cell.value == header:
            return str(cell.column_letter)
    raise AssertionError(header)


def test_template_sheets_and_headers(template_path: Path) -> None:
    workbook = openpyxl.load_workbook(template_path)
    assert workbook.sheetnames == ["Danh sách", "Hướng dẫn", "Danh mục"]
    assert [workbook[name].sheet_state for name in workbook.sheetnames] == ["visible", "visible", "hidden"]
    data = workbook["Danh sách"]
    assert [cell.value for cell in data[1]] == [spec.header for spec in template_fields()]
    assert len(template_fields()) == len(FIELDS)
    assert data.freeze_panes == "A2"
    personal_id = data[_letter("Số định danh cá nhân", data) + "1"]
    assert "12" in personal_id.comment.text
    help_rows = list(workbook["Hướng dẫn"].iter_rows(min_row=4, values_only=True))
    assert len(help_rows) == len(FIELDS)
    mandatory = {row[1] for row in help_rows if row[3] == "Có"}
    assert mandatory == {spec.header for spec in FIELDS if spec.name in DEFAULT_MANDATORY_FIELDS}


def test_template_text_formats(template_path: Path) -> None:
    workbook = openpyxl.load_workbook(template_path)
    data = workbook["Danh sách"]
    for header in ("Số định danh cá nhân", "Số CMND cũ", "Nơi ở hiện nay (mã xã)", "Mã ngạch/chức danh nghề nghiệp",
                   "Ngày sinh", "Số sổ BHXH"):
        letter = _letter(header, data)
        assert data.column_dimensions[letter].number_format == "@", header


def test_template_dropdowns(template_path: Path) -> None:
    workbook = openpyxl.load_workbook(template_path)
    data = workbook["Danh sách"]
    validations = _validations(data)
    expected = {
        "Dân tộc": "DM_DanToc", "Tôn giáo": "DM_TonGiao", "Nơi ở hiện nay (mã xã)": "DM_Xa",
        "Quê quán (mã xã)": "DM_Xa", "Nơi sinh (mã xã)": "DM_Xa", "Mã ngạch/chức danh nghề nghiệp": "DM_Ngach",
        "Giáo dục phổ thông": "DM_GDPT", "Trình độ chuyên môn": "DM_ChuyenMon", "Học hàm": "DM_HocHam",
        "Lý luận chính trị": "DM_LLCT", "Quản lý nhà nước": "DM_QLNN", "Quân hàm cao nhất": "DM_QuanHam",
    }
    for header, name in expected.items():
        validation = validations[_letter(header, data)]
        assert (validation.type, validation.formula1) == ("list", name), header
        assert str(validation.sqref).endswith("1048576")
    gender = validations[_letter("Giới tính", data)]
    assert (gender.type, gender.formula1, gender.errorStyle) == ("list", '"Nam,Nữ"', None)  # None is "stop"
    pid = validations[_letter("Số định danh cá nhân", data)]
    assert (pid.type, pid.operator, pid.formula1) == ("textLength", "equal", "12")

    # Each defined name points at its list on the hidden sheet.
    catalog = workbook["Danh mục"]
    communes = workbook.defined_names["DM_Xa"].attr_text
    column = communes.split("!")[1].split(":")[0].strip("$").rstrip("0123456789").strip("$")
    entries = [row[0] for row in catalog.iter_rows(min_row=2, min_col=openpyxl.utils.column_index_from_string(column),
                                                   max_col=openpyxl.utils.column_index_from_string(column),
                                                   values_only=True) if row[0]]
    assert len(entries) == len(admin_units.current_communes()) == 3321
    assert communes.endswith(f"${len(entries) + 1}")
    assert entries[0].startswith("00004 – ")


def test_template_province_filter() -> None:
    template = build_template(mandatory_fields=DEFAULT_MANDATORY_FIELDS, province_code="46")
    hue = [commune for commune in admin_units.current_communes().values() if commune.province_code == "46"]
    assert template.communes == len(hue) == 40
    lists = catalog_lists("46")
    assert all(entry.endswith("Thành phố Huế") for entry in lists["residence_commune"].entries)


def test_template_unknown_province(tmp_path: Path) -> None:
    assert main(["template", "--province", "99", "--output", str(tmp_path / "x.xlsx")]) == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_template_unwritable(tmp_path: Path) -> None:
    assert main(["template", "--output", str(tmp_path / "khong-co" / "x.xlsx")]) == 1


def test_template_filled_copy_validates(template_path: Path, tmp_path: Path) -> None:
    """Values picked from the dropdowns pass `cbccvc validate`; a wrong one is reported at its cell."""
    workbook = openpyxl.load_workbook(template_path)
    data = workbook["Danh sách"]
    rows: list[dict[str, object]] = [
        {"Họ và tên": "Nguyễn Văn An", "Ngày sinh": "15/03/1985", "Giới tính": "Nam",
         "Số định danh cá nhân": "046085000123", "Dân tộc": "Kinh", "Tôn giáo": "Không",
         "Nơi ở hiện nay (mã xã)": "00004 – Phường Ba Đình, Thành phố Hà Nội",
         "Quê quán (mã xã)": "00001", "Mã đơn vị": "000.00.01.H46", "Chức vụ": "Chuyên viên",
         "Mã ngạch/chức danh nghề nghiệp": "01.003 – Chuyên viên", "Bậc lương": 3, "Hệ số lương": 3.0,
         "Trình độ chuyên môn": "Thạc sĩ", "Quân hàm cao nhất": "Thiếu úy", "Số sổ BHXH": "4612345678"},
        {"Họ và tên": "Lê Thị Mai", "Ngày sinh": "02/01/1990", "Giới tính": "Nữ",
         "Số định danh cá nhân": "046190000124", "Dân tộc": "Tày", "Tôn giáo": "Phật giáo",
         "Nơi ở hiện nay (mã xã)": "99999", "Mã đơn vị": "000.00.01.H46", "Chức vụ": "Chuyên viên"},
    ]
    for row_number, row in enumerate(rows, start=2):
        for header, value in row.items():
            data[f"{_letter(header, data)}{row_number}"] = value
    filled = tmp_path / "da-dien.xlsx"
    workbook.save(filled)

    assert main(["validate", str(filled), "--output", str(tmp_path)]) == 3
    report = json.loads((tmp_path / "da-dien.bao-cao-kiem-tra.json").read_text(encoding="utf-8"))
    errors = {(finding["sheet"], finding["cell"], finding["code"]) for finding in report["findings"]
              if finding["severity"] == "error"}
    assert errors == {("Danh sách", f"{_letter('Nơi ở hiện nay (mã xã)', data)}3", "COMMUNE_UNKNOWN")}
    assert report["summary"]["valid"] == 1
    assert report["summary"]["rows"] == 2  # the instructions sheet contains no records
    # The hidden catalog sheet lists no people, so it gets no "hidden sheet skipped" warning.
    assert "SHEET_HIDDEN_SKIPPED" not in {finding["code"] for finding in report["findings"]}

    # Unhidden, the catalog sheet is left out too: it has neither a name nor an ID column.
    workbook["Danh mục"].sheet_state = "visible"
    unhidden = tmp_path / "bo-an.xlsx"
    workbook.save(unhidden)
    assert main(["validate", str(unhidden), "--output", str(tmp_path)]) == 3
    report = json.loads((tmp_path / "bo-an.bao-cao-kiem-tra.json").read_text(encoding="utf-8"))
    assert report["summary"]["rows"] == 2
    assert {finding["sheet"] for finding in report["findings"]} <= {"Danh sách", None}
