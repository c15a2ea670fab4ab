"""Synthetic export generator: determinism, clean-row consistency, planted faults, files, CLI."""

from __future__ import annotations

import copy
import csv
import json
import random
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from cbccvc.catalogs.admin_units import current_communes, legacy_communes, normalise_commune_code
from cbccvc.catalogs.cccd import BIRTH_REGISTRATION_PREFIXES, decode_personal_id
from cbccvc.catalogs.ethnicity import lookup_ethnicity
from cbccvc.catalogs.ranks import SALARY_SCALES, expected_coefficient, lookup_rank
from cbccvc.schema import FIELDS
from cbccvc_local.generator import (
    FAULT_KINDS,
    FIRST_DATA_ROW,
    HEADERS,
    SHEET_NAME,
    GeneratedExport,
    generate_export,
    modify_rows,
)
from cbccvc_local.generator.__main__ import main
from cbccvc_local.generator.export import COLUMN_INDEX
from cbccvc_local.generator.faults import misspell

GENDERS = {"Nam": "male", "Nữ": "female"}


@pytest.fixture(scope="module")
def export() -> GeneratedExport:
    return generate_export(seed=2025, rows=400)


@pytest.fixture(scope="module")
def sheet_rows(export: GeneratedExport, tmp_path_factory: pytest.TempPathFactory) -> list[list[object]]:
    path = export.write_xlsx(tmp_path_factory.mktemp("xlsx") / "Danh sách.xlsx")
    workbook = CalamineWorkbook.from_path(str(path))
    return [list(row) for row in workbook.get_sheet_by_name(SHEET_NAME).to_python(skip_empty_area=False)]


def _clean_indexes(export: GeneratedExport) -> list[int]:
    faulty = {int(fault["row"]) for fault in export.faults}
    return [index for index in range(len(export.rows)) if index + FIRST_DATA_ROW["xlsx"] not in faulty]


def _value(row: Sequence[object], field: str) -> object:
    return row[COLUMN_INDEX[field]]


def _parse_date(text: object) -> date:
    return datetime.strptime(str(text), "%d/%m/%Y").date()


# --- determinism ---


def test_generator_same_seed_same_export() -> None:
    first = generate_export(seed=11, rows=150)
    second = generate_export(seed=11, rows=150)
    assert first.rows == second.rows
    assert first.people == second.people
    assert first.faults == second.faults
    assert first.units == second.units


def test_generator_other_seed_differs() -> None:
    assert generate_export(seed=11, rows=50).rows != generate_export(seed=12, rows=50).rows


# --- clean rows ---


def test_clean_ids_match_birth_and_gender(export: GeneratedExport) -> None:
    for index in _clean_indexes(export):
        row = export.rows[index]
        decoded = decode_personal_id(str(_value(row, "personal_id")))
        assert decoded is not None
        assert decoded.prefix in BIRTH_REGISTRATION_PREFIXES
        assert decoded.gender == GENDERS[str(_value(row, "gender"))]
        assert decoded.birth_year == _parse_date(_value(row, "birth_date")).year
        assert not str(_value(row, "personal_id")).endswith("000000")


def test_clean_coefficients_match_scale(export: GeneratedExport) -> None:
    for index in _clean_indexes(export):
        row = export.rows[index]
        rank = lookup_rank(str(_value(row, "rank_code")))
        assert rank is not None
        assert rank.salary_group is not None
        step = _value(row, "salary_step")
        assert isinstance(step, int)
        expected = expected_coefficient(rank.salary_group, step)
        assert Decimal(str(_value(row, "salary_coefficient"))) == expected


def test_clean_dates_in_order(export: GeneratedExport) -> None:
    for index in _clean_indexes(export):
        row = export.rows[index]
        birth = _parse_date(_value(row, "birth_date"))
        eighteenth = birth.replace(year=birth.year + 18, day=min(birth.day, 28))
        assert _parse_date(_value(row, "recruitment_date")) >= eighteenth
        assert _parse_date(_value(row, "salary_since")) <= export.as_of
        joined = _value(row, "party_join_date")
        if joined is not None:
            assert _parse_date(joined) >= eighteenth
            assert _parse_date(_value(row, "party_official_date")) > _parse_date(joined)
            assert len(str(_value(row, "party_card_number"))) == 8


def test_clean_residence_in_province(export: GeneratedExport) -> None:
    communes = current_communes()
    for index in _clean_indexes(export):
        residence = str(_value(export.rows[index], "residence_commune"))
        assert communes[residence].province_code == "46"


def test_clean_ids_unique_and_registered(export: GeneratedExport) -> None:
    register = {person["personal_id"]: person for person in export.people}
    clean = _clean_indexes(export)
    ids = Counter(str(_value(export.rows[index], "personal_id")) for index in clean)
    assert max(ids.values()) == 1
    for index in clean:
        row = export.rows[index]
        person = register[str(_value(row, "personal_id"))]
        assert person["full_name"] == _value(row, "full_name")
        assert person["birth_date"] == _parse_date(_value(row, "birth_date")).isoformat()


# --- planted faults ---


def test_fault_count_and_order(export: GeneratedExport) -> None:
    rows = [int(fault["row"]) for fault in export.faults]
    assert len(rows) == round(len(export.rows) * 0.08)
    assert rows == sorted(rows)
    assert len(set(rows)) == len(rows)
    assert {str(fault["code"]) for fault in export.faults} == {kind.code for kind in FAULT_KINDS}


def test_fault_rate_zero() -> None:
    assert generate_export(seed=3, rows=100, fault_rate=0.0).faults == []


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_fault_rate_out_of_range(rate: float) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the error type is the contract
        generate_export(seed=3, rows=10, fault_rate=rate)


def test_unknown_province_rejected() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the error type is the contract
        generate_export(seed=3, rows=10, province_code="99")


def test_xlsx_layout(sheet_rows: list[list[object]], export: GeneratedExport) -> None:
    assert str(sheet_rows[0][0]) == "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ"
    assert str(sheet_rows[1][0]) == "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
    assert all(cell == "" for cell in sheet_rows[2])
    assert sheet_rows[3] == list(HEADERS)
    assert len(sheet_rows) == len(export.rows) + 4
    assert [spec.header for spec in FIELDS] == list(HEADERS[1:])


def test_xlsx_keeps_leading_zeros(sheet_rows: list[list[object]], export: GeneratedExport) -> None:
    column = COLUMN_INDEX["personal_id"]
    for offset, row in enumerate(export.rows):
        assert sheet_rows[offset + 4][column] == row[column]


def test_faults_point_at_cells(sheet_rows: list[list[object]], export: GeneratedExport) -> None:  # noqa: PLR0912
    register = {person["personal_id"]: person for person in export.people}
    unit_codes = {unit.code for unit in export.units}
    duplicate_ids: Counter[str] = Counter()
    for fault in export.faults:
        row = sheet_rows[int(fault["row"]) - 1]
        column = _column_index(str(fault["column"]))
        assert sheet_rows[3][column] == fault["header"]
        assert COLUMN_INDEX[str(fault["field"])] == column
        assert row[0] == int(fault["row"]) - 4  # the STT column
        cell = row[column]
        code = fault["code"]
        if code == "PID_FORMAT":
            assert decode_personal_id(str(cell)) is None
        elif code == "PID_GENDER_MISMATCH":
            decoded = decode_personal_id(str(cell))
            assert decoded is not None
            assert decoded.gender != GENDERS[str(_sheet_value(row, "gender"))]
        elif code == "PID_YEAR_MISMATCH":
            decoded = decode_personal_id(str(cell))
            assert decoded is not None
            assert decoded.birth_year != _parse_date(_sheet_value(row, "birth_date")).year
        elif code == "PID_DUPLICATE":
            duplicate_ids[str(cell)] += 1
        elif code == "ETHNICITY_UNKNOWN":
            assert lookup_ethnicity(str(cell)) is None
        elif code == "COMMUNE_UNKNOWN":
            normalised = normalise_commune_code(str(cell))
            assert normalised not in current_communes()
            assert normalised not in legacy_communes()
        elif code == "UNIT_UNKNOWN":
            assert cell not in unit_codes
        elif code == "RANK_UNKNOWN":
            assert lookup_rank(str(cell)) is None
        elif code == "SALARY_STEP_INVALID":
            rank = lookup_rank(str(_sheet_value(row, "rank_code")))
            assert rank is not None
            assert rank.salary_group is not None
            assert int(str(cell).split(".")[0]) > SALARY_SCALES[rank.salary_group].steps
        elif code == "SALARY_COEFFICIENT_INVALID":
            rank = lookup_rank(str(_sheet_value(row, "rank_code")))
            assert rank is not None
            assert rank.salary_group is not None
            step = int(float(str(_sheet_value(row, "salary_step"))))
            assert abs(float(str(cell)) - float(expected_coefficient(rank.salary_group, step))) > 0.3
        elif code == "PARTY_DATES_ORDER":
            assert _parse_date(cell) < _parse_date(_sheet_value(row, "party_join_date"))
        elif code == "DATE_INVALID":
            with pytest.raises(ValueError):  # noqa: PT011 - strptime raises ValueError for 31/02
                _parse_date(cell)
        elif code == "GENDER_INVALID":
            assert cell not in GENDERS
        elif code == "REQUIRED_MISSING":
            assert cell == ""
        elif code == "POPULATION_MISMATCH":
            person = register[str(_sheet_value(row, "personal_id"))]
            if fault["field"] == "full_name":
                assert person["full_name"] != cell
            else:
                true_birth = date.fromisoformat(person["birth_date"])
                written_birth = _parse_date(cell)
                assert written_birth != true_birth
                assert written_birth.year == true_birth.year
        elif code == "POPULATION_NOT_FOUND":
            assert str(cell) not in register
            assert decode_personal_id(str(cell)) is not None
        else:
            pytest.fail(f"unexpected code {code}")
    assert duplicate_ids
    assert set(duplicate_ids.values()) == {2}


def test_register_excludes_not_found(export: GeneratedExport) -> None:
    not_found = [fault for fault in export.faults if fault["code"] == "POPULATION_NOT_FOUND"]
    assert not_found
    register_ids = {person["personal_id"] for person in export.people}
    assert len(register_ids) == len(export.people)
    assert len(export.people) == len(export.rows) - len(not_found)
    for fault in not_found:
        row = export.rows[int(fault["row"]) - FIRST_DATA_ROW["xlsx"]]
        assert _value(row, "personal_id") not in register_ids


def test_register_keeps_true_values(export: GeneratedExport) -> None:
    register = {person["personal_id"]: person for person in export.people}
    for fault in export.faults:
        if fault["code"] != "PID_GENDER_MISMATCH":
            continue
        row = export.rows[int(fault["row"]) - FIRST_DATA_ROW["xlsx"]]
        person = register[str(_value(row, "personal_id"))]
        assert person["gender"] != GENDERS[str(_value(row, "gender"))]


def test_misspell_changes_name() -> None:
    rng = random.Random(5)  # noqa: S311 - test data
    for name in ("Nguyễn Văn An", "Lê Thị Hà", "Trần Minh Tuấn"):
        for _ in range(20):
            typo = misspell(name, rng)
            assert typo != name
            assert len(typo) == len(name)
            assert not any(char.isdigit() for char in typo)


# --- files ---


def test_csv_layout(export: GeneratedExport, tmp_path: Path) -> None:
    path = export.write_csv(tmp_path / "export.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    assert table[0] == list(HEADERS)
    assert len(table) == len(export.rows) + 1
    for fault in export.faults_for("csv"):
        row = table[int(fault["row"]) - 1]
        assert row[0] == str(int(fault["row"]) - 1)
        assert table[0][_column_index(str(fault["column"]))] == fault["header"]
    coefficient = table[1][COLUMN_INDEX["salary_coefficient"]]
    assert len(coefficient.split(".")[1]) == 2


def test_faults_json_rows_by_format(export: GeneratedExport, tmp_path: Path) -> None:
    xlsx_faults = json.loads(export.write_faults(tmp_path / "x.json").read_text(encoding="utf-8"))
    csv_faults = json.loads(export.write_faults(tmp_path / "c.json", file_format="csv").read_text(encoding="utf-8"))
    assert xlsx_faults == export.faults
    assert [fault["row"] for fault in csv_faults] == [int(fault["row"]) - 3 for fault in xlsx_faults]


def test_units_csv(export: GeneratedExport, tmp_path: Path) -> None:
    path = export.write_units(tmp_path / "units.csv")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    assert table[0] == ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Mã xã"]
    units = table[1:]
    assert 6 <= len(units) <= 13
    codes = {unit[0] for unit in units}
    assert units[0][2] == ""
    assert all(unit[2] in codes for unit in units[1:])
    assert all(unit[3] in current_communes() for unit in units)
    used = {str(_value(export.rows[index], "unit_code")) for index in _clean_indexes(export)}
    assert used <= codes


def test_population_json(export: GeneratedExport, tmp_path: Path) -> None:
    people = json.loads(export.write_population(tmp_path / "population.json").read_text(encoding="utf-8"))
    assert people == export.people
    assert set(people[0]) == {"personal_id", "full_name", "birth_date", "gender"}


# --- modify_rows ---


def test_modify_rows_changes_clean_rows() -> None:
    export = generate_export(seed=8, rows=200)
    before = copy.deepcopy(export.rows)
    changed = modify_rows(export, 10, seed=1)
    assert len(changed) == 10
    faulty = {int(fault["row"]) for fault in export.faults}
    assert not faulty & set(changed)
    first = FIRST_DATA_ROW["xlsx"]
    for index, (old, new) in enumerate(zip(before, export.rows, strict=True)):
        assert (old != new) == (index + first in changed)
    for row_number in changed:
        row = export.rows[row_number - first]
        assert row[COLUMN_INDEX["personal_id"]] == before[row_number - first][COLUMN_INDEX["personal_id"]]
        rank = lookup_rank(str(_value(row, "rank_code")))
        assert rank is not None
        assert rank.salary_group is not None
        step = _value(row, "salary_step")
        assert isinstance(step, int)
        assert Decimal(str(_value(row, "salary_coefficient"))) == expected_coefficient(rank.salary_group, step)


def test_modify_rows_too_many() -> None:
    export = generate_export(seed=8, rows=20)
    with pytest.raises(ValueError):  # noqa: PT011 - the error type is the contract
        modify_rows(export, 20, seed=1)


# --- scale and CLI ---


def test_generator_100k_rows() -> None:
    export = generate_export(seed=100, rows=100_000)
    assert len(export.rows) == 100_000
    assert len(export.faults) == 8_000
    assert len({str(row[COLUMN_INDEX["personal_id"]]) for row in export.rows}) > 99_000


def test_cli_writes_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--rows", "40", "--seed", "4", "--out", str(tmp_path / "out"), "--format", "csv"])
    assert code == 0
    printed = capsys.readouterr().out.split("\n")
    paths = [Path(line) for line in printed if line]
    names = sorted(path.name for path in paths)
    assert names == ["Danh sách CBCCVC mẫu.csv", "faults.json", "population.json", "units.csv"]
    assert all(path.is_file() for path in paths)


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _sheet_value(row: Sequence[object], field: str) -> object:
    return row[COLUMN_INDEX[field]]
