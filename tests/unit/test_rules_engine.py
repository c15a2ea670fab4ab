"""The validation rules on small tables: each case gives cells and expects (row, column, code) verdicts.

Tables are built directly (no file reading), so a case names exactly the columns it needs.
Columns are laid out A, B, C… in the order the case lists them and data start on row 2.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from typing import Any

import pytest

from cbccvc.catalogs import admin_units
from cbccvc.intake.table import Column, Table, column_letter
from cbccvc.schema import FIELDS_BY_NAME
from cbccvc.validation.codes import SEVERITY
from cbccvc.validation.duplicates import check_duplicates
from cbccvc.validation.engine import (
    TableResult,
    ValidationContext,
    progress_listener,
    validate_table,
)
from cbccvc.validation.service import prepare_outputs

TODAY = date(2026, 3, 1)
# A man born 15/03/1985, birth registered in Huế (prefix 046): century/gender digit 0, year 85.
PID_MAN_1985 = "046085000123"
PERSON = {"full_name": "Nguyễn Văn An", "birth_date": "15/03/1985", "gender": "Nam", "personal_id": PID_MAN_1985}


def make_table(columns: dict[str, list[Any]], *, sheet: str | None = "Danh sách", first_row: int = 2) -> Table:
    size = len(next(iter(columns.values())))
    return Table(
        file_name="kiem-tra.xlsx", sheet=sheet, header_row=first_row - 1,
        row_numbers=list(range(first_row, first_row + size)),
        columns={name: Column.of_cells(name, position, FIELDS_BY_NAME[name].header, values)
                 for position, (name, values) in enumerate(columns.items())},
    )


def check(columns: dict[str, list[Any]], *, mandatory: tuple[str, ...] = (),
          units: frozenset[str] | None = None) -> TableResult:
    context = ValidationContext(agency_code="H46", mandatory_fields=mandatory, org_units=units, today=TODAY)
    return validate_table(make_table(columns), context)


def one_row(**cells: Any) -> dict[str, list[Any]]:
    """The base person with ``cells`` added or replaced, as a one-row table."""
    return {name: [value] for name, value in {**PERSON, **cells}.items()}


def verdicts(result: TableResult) -> set[tuple[int | None, str | None, str]]:
    return {(finding.row, finding.column, finding.code) for finding in result.findings}


def codes(result: TableResult) -> set[str]:
    return {finding.code for finding in result.findings}


def letter_of(columns: dict[str, list[Any]], field_name: str) -> str:
    return column_letter(list(columns).index(field_name))


# --- the base person is clean ----------------------------------------------------------------------


def test_rules_clean_person() -> None:
    result = check(one_row(), mandatory=("personal_id", "full_name", "birth_date", "gender"))
    assert result.findings == []
    assert result.blocked_flags() == [False]
    assert result.record(0).get("personal_id") == PID_MAN_1985
    assert result.record(0).get("birth_date") == date(1985, 3, 15)


# --- personal ID -------------------------------------------------------------------------------------

PID_CASES = [
    ("valid", PID_MAN_1985, {}, set()),
    ("leading_zero_lost_int", 46085000123, {}, {"PID_LEADING_ZERO_RESTORED"}),
    ("leading_zero_lost_float", 46085000123.0, {}, {"PID_LEADING_ZERO_RESTORED"}),
    ("scientific", "4,6085E+10", {}, {"PID_SCIENTIFIC"}),
    ("too_short", "12345", {}, {"PID_FORMAT"}),
    ("letters", "04608500012A", {}, {"PID_FORMAT"}),
    ("fraction", 46085000123.5, {}, {"PID_FORMAT"}),
    ("prefix_unknown", "003085000123", {}, {"PID_PREFIX_UNKNOWN"}),
    ("century_future", "046485000123", {}, {"PID_CENTURY_INVALID", "PID_YEAR_MISMATCH"}),
    ("gender_mismatch", "046185000123", {}, {"PID_GENDER_MISMATCH"}),
    ("year_mismatch", "046086000123", {}, {"PID_YEAR_MISMATCH"}),
    ("born_2000s", "046305000123", {"birth_date": "02/01/2005", "gender": "Nữ"}, set()),
]


@pytest.mark.parametrize(("raw", "cells", "expected"), [case[1:] for case in PID_CASES],
                         ids=[case[0] for case in PID_CASES])
def test_rules_personal_id(raw: Any, cells: dict[str, Any], expected: set[str]) -> None:
    columns = one_row(personal_id=raw, **cells)
    result = check(columns)
    assert verdicts(result) == {(2, letter_of(columns, "personal_id"), code) for code in expected}
    blocking = any(SEVERITY[code] == "error" for code in expected)
    assert result.blocked_flags() == [blocking]


def test_rules_personal_id_restored_value() -> None:
    result = check(one_row(personal_id=46085000123))
    assert result.record(0).get("personal_id") == PID_MAN_1985


OLD_ID_CASES = [
    ("blank", "", None, set()),
    ("nine_digits", "123456789", "123456789", set()),
    ("twelve_digits", "046085000999", "046085000999", set()),
    ("number_lost_zero", 12345678, "012345678", set()),
    ("number_lost_zero_float", 12345678.0, "012345678", set()),
    ("too_short", "12345", "12345", {"OLD_ID_FORMAT"}),
    ("letters", "AB1234567", "AB1234567", {"OLD_ID_FORMAT"}),
]


@pytest.mark.parametrize(("raw", "stored", "expected"), [case[1:] for case in OLD_ID_CASES],
                         ids=[case[0] for case in OLD_ID_CASES])
def test_rules_old_id(raw: Any, stored: str | None, expected: set[str]) -> None:
    columns = one_row(old_id_number=raw)
    result = check(columns)
    assert verdicts(result) == {(2, "E", code) for code in expected}
    assert result.record(0).get("old_id_number") == stored
    assert result.blocked_flags() == [False]  # the old number is secondary: a warning at most


# --- names and text normalisation ----------------------------------------------------------------

NAME_CASES = [
    ("spaces_and_case", "  nguyễn   văn  an ", "Nguyễn Văn An", None),
    ("decomposed_unicode", unicodedata.normalize("NFD", "Nguyễn Thị Bích"), "Nguyễn Thị Bích", None),
    ("upper_case", "TRẦN THỊ HOA", "Trần Thị Hoa", None),
    ("typographic_apostrophe", "h’nhi niê", "H'Nhi Niê", None),
    ("digit", "Nguyễn Văn 2", None, "characters"),
    ("single_word", "An", None, "single_word"),
]


@pytest.mark.parametrize(("raw", "stored", "reason"), [case[1:] for case in NAME_CASES],
                         ids=[case[0] for case in NAME_CASES])
def test_rules_full_name(raw: str, stored: str | None, reason: str | None) -> None:
    result = check(one_row(full_name=raw))
    if reason is None:
        assert result.findings == []
        assert result.record(0).get("full_name") == stored
        assert unicodedata.is_normalized("NFC", result.record(0).get("full_name"))
    else:
        (finding,) = result.findings
        assert (finding.row, finding.column, finding.code) == (2, "A", "NAME_INVALID")
        assert finding.params["reason"] == reason


def test_rules_texts_normalised() -> None:
    columns = one_row(unit_name="  Trường  THPT   số 1 ", position="Giáo viên – chủ nhiệm")
    result = check(columns)
    assert result.record(0).get("unit_name") == "Trường THPT số 1"
    assert result.record(0).get("position") == "Giáo viên - chủ nhiệm"


@pytest.mark.parametrize(("raw", "expected"), [("Nam", "male"), ("nữ", "female"), ("NU", "female"), ("X", None)])
def test_rules_gender(raw: str, expected: str | None) -> None:
    result = check(one_row(gender=raw, personal_id="046185000123" if expected == "female" else PID_MAN_1985))
    assert result.record(0).get("gender") == expected
    assert ((2, "C", "GENDER_INVALID") in verdicts(result)) is (expected is None)


def test_rules_mandatory_missing_blocks() -> None:
    columns = {name: [PERSON[name], PERSON[name]] for name in PERSON}
    columns["full_name"] = ["", "Lê Thị Mai"]
    columns["personal_id"] = [PID_MAN_1985, "046185000124"]
    columns["gender"] = ["Nam", "Nữ"]
    result = check(columns, mandatory=("full_name",))
    assert verdicts(result) == {(2, "A", "REQUIRED_MISSING")}
    assert result.blocked_flags() == [True, False]


# --- catalogs ------------------------------------------------------------------------------------

ETHNICITY_CASES = [
    ("name", "Kinh", "Kinh", set()),
    ("upper_case", "KINH", "Kinh", set()),
    ("no_diacritics", "Tay", "Tày", set()),
    ("synonym_khmer", "Khmer", "Khơ Me", set()),
    ("synonym_hmong", "H'Mông", "Mông", set()),
    ("hyphenated", "Ê-đê", "Ê Đê", set()),
    ("code_same_in_both_lists", "01", "Kinh", {"ETHNICITY_CODE_GIVEN"}),
    ("code_as_number", 1.0, "Kinh", {"ETHNICITY_CODE_GIVEN"}),
    ("code_only_in_2008", "55", "Người nước ngoài", {"ETHNICITY_CODE_GIVEN"}),
    ("code_ambiguous", "04", None, {"ETHNICITY_CODE_AMBIGUOUS"}),
    ("code_unknown", "77", None, {"ETHNICITY_UNKNOWN"}),
    ("name_unknown", "Việt Nam", None, {"ETHNICITY_UNKNOWN"}),
]


@pytest.mark.parametrize(("raw", "name", "expected"), [case[1:] for case in ETHNICITY_CASES],
                         ids=[case[0] for case in ETHNICITY_CASES])
def test_rules_ethnicity(raw: Any, name: str | None, expected: set[str]) -> None:
    columns = one_row(ethnicity=raw)
    result = check(columns)
    assert verdicts(result) == {(2, "E", code) for code in expected}
    record = result.record(0)
    if name is not None:
        assert record["ethnicity"] == name
        assert record["ethnicity_list"] == "QD-1019-TCTK-2008"
    else:
        assert "ethnicity_code" not in record
        assert result.blocked_flags() == [True]


RELIGION_CASES = [
    ("none", "Không", "99", set()),
    ("no_diacritics", "phat giao", "01", set()),
    ("synonym", "Đạo Thiên Chúa", "02", set()),
    ("unknown", "Thờ cúng tổ tiên", None, {"RELIGION_UNKNOWN"}),
]


@pytest.mark.parametrize(("raw", "code", "expected"), [case[1:] for case in RELIGION_CASES],
                         ids=[case[0] for case in RELIGION_CASES])
def test_rules_religion(raw: str, code: str | None, expected: set[str]) -> None:
    result = check(one_row(religion=raw))
    assert verdicts(result) == {(2, "E", finding_code) for finding_code in expected}
    assert result.record(0).get("religion_code") == code
    assert result.blocked_flags() == [False]  # an unknown religion is a warning


LEVEL_CASES = [
    ("education_general", "12/12", "12/12"),
    ("education_general", "12/12 bổ túc", "12/12 bổ túc"),
    ("qualification", "ThS", "Thạc sĩ"),
    ("qualification", "tiến sỹ", "Tiến sĩ"),
    ("academic_title", "PGS", "Phó giáo sư"),
    ("political_theory", "Trung cấp LLCT", "Trung cấp"),
    ("state_management", "cvc", "Chuyên viên chính"),
    ("highest_military_rank", "đại uý", "Đại úy"),
    ("highest_military_rank", "THIEU TA", "Thiếu tá"),
]


@pytest.mark.parametrize(("field_name", "raw", "canonical"), LEVEL_CASES)
def test_rules_levels_accepted(field_name: str, raw: str, canonical: str) -> None:
    result = check(one_row(**{field_name: raw}))
    assert result.findings == []
    assert result.record(0).get(field_name) == canonical


@pytest.mark.parametrize("field_name", ["education_general", "qualification", "academic_title", "political_theory",
                                        "state_management", "highest_military_rank"])
def test_rules_levels_unknown(field_name: str) -> None:
    result = check(one_row(**{field_name: "Xuất sắc"}))
    assert verdicts(result) == {(2, "E", "VALUE_NOT_IN_LIST")}
    assert result.blocked_flags() == [False]


SALARY_CASES = [
    ("exact", "01.003", 3, "3.00", set()),
    ("decimal_comma", "01.003", "3", "3,00", set()),
    ("within_tolerance", "01.003", 3, 3.004, set()),
    ("off_by_a_cent", "01.003", 3, 3.01, {("G", "SALARY_COEFFICIENT_INVALID")}),
    ("step_above_group", "01.003", 10, 5.31, {("F", "SALARY_STEP_INVALID")}),
    ("step_zero", "01.003", 0, 2.01, {("F", "SALARY_STEP_INVALID")}),
    ("step_not_a_number", "01.003", "ba", 3.0, {("F", "NUMBER_INVALID")}),
    ("title_code", " v.07.04.32 ", 1, 2.34, set()),
    ("picked_from_dropdown", "01.003 – Chuyên viên", 3, 3.0, set()),
    ("rank_shape_wrong", "01003", 3, 3.0, {("E", "RANK_FORMAT")}),
    ("rank_name_instead", "Chuyên viên", 3, 3.0, {("E", "RANK_FORMAT")}),
    ("rank_not_in_catalog", "01.999", 3, 3.0, {("E", "RANK_UNKNOWN")}),
    ("group_a0_top_step", "V.07.02.26", 10, 4.89, set()),
]


@pytest.mark.parametrize(("rank", "step", "coefficient", "expected"), [case[1:] for case in SALARY_CASES],
                         ids=[case[0] for case in SALARY_CASES])
def test_rules_rank_and_salary(rank: Any, step: Any, coefficient: Any, expected: set[tuple[str, str]]) -> None:
    columns = one_row(rank_code=rank, salary_step=step, salary_coefficient=coefficient)
    result = check(columns)
    assert verdicts(result) == {(2, column, code) for column, code in expected}
    assert result.blocked_flags() == [bool(expected)]


def test_rules_rank_stored_as_code() -> None:
    result = check(one_row(rank_code="01.003 - Chuyên viên", salary_step=1, salary_coefficient=2.34))
    assert result.record(0).get("rank_code") == "01.003"
    assert result.record(0).get("salary_coefficient") == "2.34"


# --- administrative units ------------------------------------------------------------------------

CURRENT = "00004"  # Phường Ba Đình, a code both lists share
MAPPED = "00001"  # a pre-2025 commune merged whole into 00097
SPLIT = "00007"  # a pre-2025 commune split between several new ones
UNKNOWN = "99999"


def test_rules_commune_fixtures_hold() -> None:
    current, legacy = admin_units.current_communes(), admin_units.legacy_communes()
    assert CURRENT in current
    assert MAPPED in legacy
    assert MAPPED not in current
    assert admin_units.current_successors(MAPPED) == (("00097",), True)
    assert SPLIT in legacy
    assert SPLIT not in current
    assert len(admin_units.current_successors(SPLIT)[0]) > 1
    assert UNKNOWN not in current
    assert UNKNOWN not in legacy


COMMUNE_CASES = [
    ("residence_current", "residence_commune", CURRENT, CURRENT, "2025-07", set()),
    ("residence_number_cell", "residence_commune", 4.0, CURRENT, "2025-07", set()),
    ("residence_dropdown", "residence_commune", "00004 – Phường Ba Đình, Thành phố Hà Nội", CURRENT, "2025-07", set()),
    ("residence_legacy_mapped", "residence_commune", MAPPED, "00097", "2025-07", {"COMMUNE_LEGACY_MAPPED"}),
    ("residence_legacy_split", "residence_commune", SPLIT, SPLIT, "pre-2025-07", {"COMMUNE_LEGACY_AMBIGUOUS"}),
    ("residence_unknown", "residence_commune", UNKNOWN, UNKNOWN, None, {"COMMUNE_UNKNOWN"}),
    ("hometown_legacy_kept", "hometown_commune", MAPPED, MAPPED, "pre-2025-07", set()),
    ("hometown_split_kept", "hometown_commune", SPLIT, SPLIT, "pre-2025-07", set()),
    ("hometown_unknown", "hometown_commune", "abc", "abc", None, {"COMMUNE_UNKNOWN"}),
    ("birthplace_legacy_kept", "birthplace_commune", MAPPED, MAPPED, "pre-2025-07", set()),
    ("birthplace_current", "birthplace_commune", CURRENT, CURRENT, "2025-07", set()),
    ("birthplace_unknown", "birthplace_commune", UNKNOWN, UNKNOWN, None, {"COMMUNE_UNKNOWN"}),
]


@pytest.mark.parametrize(("field_name", "raw", "stored", "version", "expected"), [case[1:] for case in COMMUNE_CASES],
                         ids=[case[0] for case in COMMUNE_CASES])
def test_rules_communes(field_name: str, raw: Any, stored: str, version: str | None, expected: set[str]) -> None:
    result = check(one_row(**{field_name: raw}))
    assert verdicts(result) == {(2, "E", code) for code in expected}
    record = result.record(0)
    assert record[field_name] == stored
    assert record.get(f"{field_name}_list") == version


def test_rules_commune_mapped_names_new_unit() -> None:
    result = check(one_row(residence_commune=MAPPED))
    (finding,) = result.findings
    assert finding.params["new_code"] == "00097"
    assert finding.severity == "warning"
    assert result.blocked_flags() == [False]


# --- other identifiers ---------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "stored", "expected"), [
    ("0123456789", "0123456789", set()),
    (123456789, "0123456789", set()),
    ("01 2345 6789", "0123456789", set()),
    ("12345", "12345", {"SOCIAL_INSURANCE_FORMAT"}),
])
def test_rules_social_insurance(raw: Any, stored: str, expected: set[str]) -> None:
    result = check(one_row(social_insurance_number=raw))
    assert verdicts(result) == {(2, "E", code) for code in expected}
    assert result.record(0).get("social_insurance_number") == stored
    assert result.blocked_flags() == [False]


def test_rules_unit_codes() -> None:
    columns = one_row(unit_code="000.00.01.H46")
    assert check(columns, units=frozenset({"000.00.01.H46"})).findings == []
    assert verdicts(check(columns, units=frozenset({"000.00.02.H46"}))) == {(2, "E", "UNIT_UNKNOWN")}


def test_rules_position_missing() -> None:
    result = check(one_row(position="", job_position=""))
    assert verdicts(result) == {(2, "E", "POSITION_MISSING")}


# --- Party, armed forces and other dates ------------------------------------------------------------

DATE_CASES = [
    ("party_ok", {"party_join_date": "01/01/2010", "party_official_date": "01/01/2011"}, set()),
    ("party_probation_short", {"party_join_date": "01/01/2010", "party_official_date": "01/06/2010"},
     {("party_official_date", "PARTY_PROBATION_SHORT")}),
    ("party_order", {"party_join_date": "01/01/2010", "party_official_date": "01/01/2009"},
     {("party_official_date", "PARTY_DATES_ORDER")}),
    ("party_official_alone", {"party_join_date": "", "party_official_date": "01/01/2011"},
     {("party_official_date", "PARTY_OFFICIAL_WITHOUT_JOIN")}),
    ("party_underage", {"party_join_date": "01/01/2003", "party_official_date": "01/01/2004"},
     {("party_join_date", "PARTY_JOIN_UNDERAGE")}),
    ("party_card_ok", {"party_join_date": "01/01/2010", "party_card_number": "12345678"}, set()),
    ("party_card_short", {"party_join_date": "01/01/2010", "party_card_number": "1234567"},
     {("party_card_number", "PARTY_CARD_FORMAT")}),
    ("service_ok", {"enlistment_date": "01/03/2004", "discharge_date": "01/03/2006"}, set()),
    ("service_order", {"enlistment_date": "01/03/2006", "discharge_date": "01/03/2004"},
     {("discharge_date", "SERVICE_DATES_ORDER")}),
    ("enlisted_before_birth", {"enlistment_date": "01/03/1980", "discharge_date": "01/03/1982"},
     {("enlistment_date", "DATE_BEFORE_BIRTH"), ("discharge_date", "DATE_BEFORE_BIRTH")}),
    ("recruited_underage", {"recruitment_date": "01/09/2002"}, {("recruitment_date", "RECRUITMENT_UNDERAGE")}),
    ("recruited_before_birth", {"recruitment_date": "01/09/1984"}, {("recruitment_date", "DATE_BEFORE_BIRTH")}),
    ("social_org_ok", {"social_org_join_date": "26/03/2001"}, set()),
    ("social_org_before_birth", {"social_org_join_date": "26/03/1980"},
     {("social_org_join_date", "DATE_BEFORE_BIRTH")}),
]


@pytest.mark.parametrize(("cells", "expected"), [case[1:] for case in DATE_CASES], ids=[case[0] for case in DATE_CASES])
def test_rules_life_dates(cells: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    columns = one_row(**cells)
    result = check(columns)
    assert verdicts(result) == {(2, letter_of(columns, name), code) for name, code in expected}
    assert result.blocked_flags() == [any(SEVERITY[code] == "error" for _, code in expected)]


# --- file-level checks ---------------------------------------------------------------------------


def _two_rows(first: dict[str, Any], second: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [first[name], second[name]] for name in first}


def test_rules_duplicate_identical_rows_dropped() -> None:
    result = check(_two_rows(PERSON, PERSON))
    check_duplicates([result])
    assert verdicts(result) == {(3, "D", "ROW_DUPLICATE")}
    assert result.dropped_flags() == [False, True]
    assert result.blocked_flags() == [False, False]
    assert result.findings[0].params["first_row"] == "2"


def test_rules_duplicate_id_different_data() -> None:
    other = {**PERSON, "full_name": "Nguyễn Văn Ân"}
    result = check(_two_rows(PERSON, other))
    check_duplicates([result])
    assert verdicts(result) == {(2, "D", "PID_DUPLICATE"), (3, "D", "PID_DUPLICATE")}
    assert result.blocked_flags() == [True, True]
    assert result.findings[0].params["rows"] == "2, 3"


def test_rules_duplicate_person_suspected() -> None:
    other = {**PERSON, "personal_id": "046085000999"}
    result = check(_two_rows(PERSON, other))
    check_duplicates([result])
    assert verdicts(result) == {(2, "A", "PERSON_DUPLICATE_SUSPECTED"), (3, "A", "PERSON_DUPLICATE_SUSPECTED")}
    assert result.blocked_flags() == [False, False]


def _sheet(sheet: str, person: dict[str, Any], first_row: int) -> TableResult:
    context = ValidationContext(agency_code="H46", mandatory_fields=(), org_units=None, today=TODAY)
    return validate_table(make_table(one_row(**person), sheet=sheet, first_row=first_row), context)


def test_rules_duplicate_across_sheets_identical() -> None:
    first, second = _sheet("Khối tỉnh", PERSON, 5), _sheet("Khối xã", PERSON, 7)
    check_duplicates([first, second])
    assert first.findings == []
    (finding,) = second.findings
    assert (finding.sheet, finding.row, finding.column, finding.code) == ("Khối xã", 7, "D", "ROW_DUPLICATE")
    assert finding.params["first_row"] == "5 (Khối tỉnh)"
    assert second.dropped_flags() == [True]


def test_rules_duplicate_across_sheets_different() -> None:
    first = _sheet("Khối tỉnh", PERSON, 5)
    second = _sheet("Khối xã", {**PERSON, "birth_date": "16/03/1985"}, 7)
    check_duplicates([first, second])
    assert {(f.sheet, f.row, f.code) for f in first.findings + second.findings} == {
        ("Khối tỉnh", 5, "PID_DUPLICATE"), ("Khối xã", 7, "PID_DUPLICATE")}
    assert first.blocked_flags() == [True]
    assert second.blocked_flags() == [True]
    assert first.findings[0].params["rows"] == "5 (Khối tỉnh), 7 (Khối xã)"


# --- progress -------------------------------------------------------------------------------------


def test_rules_progress_events_per_check() -> None:
    events: list[tuple[str, dict[str, Any]]] = []
    with progress_listener(lambda event, params: events.append((event, params))):
        result = check(one_row(ethnicity="Kinh"))
        check_duplicates([result])
    column_events = [params for event, params in events if event == "column_check"]
    assert len(column_events) == column_events[0]["steps"] > 10
    assert any(params["headers"] == "Dân tộc" for params in column_events)
    assert events[-1] == ("file_check", {"tables": 1})
    events.clear()
    check(one_row())
    assert events == []  # no listener outside the block


def test_rules_duplicate_counts_add_up() -> None:
    # Two exact repeats: one of a valid row (dropped), one of a row with an invalid date (invalid).
    invalid_twin = {**PERSON, "personal_id": "046085000999", "birth_date": "31/02/1985"}
    result = check({name: [PERSON[name], PERSON[name], invalid_twin[name], invalid_twin[name]] for name in PERSON})
    check_duplicates([result])
    outputs = prepare_outputs([result], batch_id="H46-x", agency_code="H46", file_name="ds.xlsx",
                              generated_at="2026-03-01T00:00:00+00:00")
    summary = json.loads(outputs.report_json)["summary"]
    assert result.dropped_flags() == [False, True, False, True]
    assert (outputs.rows, outputs.staged, outputs.invalid, outputs.dropped) == (4, 1, 2, 1)
    assert summary["rows"] == summary["valid"] + summary["invalid"] + summary["dropped"]
