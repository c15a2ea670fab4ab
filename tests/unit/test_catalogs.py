"""Catalogs: personal-ID decoding, ethnic groups, ranks and salary scales, admin units, value sets."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest

from cbccvc.catalogs import admin_units, cccd, education, ethnicity, ranks, religions
from cbccvc.catalogs.text import fold, fold_compact

# --- text folding ---


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Khơ Me", "kho me"),
        ("KHƠ  ME ", "kho me"),
        ("Khơ-me", "khome"),
        ("H'Mông", "hmong"),
        ("H’Mông", "hmong"),
        ("Đắk Lắk", "dak lak"),
        ("Thủy", "thuy"),
    ],
)
def test_fold_cases(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_compact_ignores_spaces() -> None:
    assert fold_compact("Ê Đê") == fold_compact("Ê-đê") == fold_compact("Êđê") == "ede"


# --- personal ID ---


def test_prefixes_count() -> None:
    assert len(cccd.BIRTH_REGISTRATION_PREFIXES) == 63
    assert all(re.fullmatch(r"0[0-9]{2}", prefix) for prefix in cccd.BIRTH_REGISTRATION_PREFIXES)


def test_gender_century_digits() -> None:
    assert set(cccd.GENDER_CENTURY_DIGIT) == {str(digit) for digit in range(10)}
    assert cccd.GENDER_CENTURY_DIGIT["0"] == (1900, "male")
    assert cccd.GENDER_CENTURY_DIGIT["3"] == (2000, "female")
    assert cccd.GENDER_CENTURY_DIGIT["9"] == (2300, "female")


def test_decode_worked_example() -> None:
    decoded = cccd.decode_personal_id("087084000999")
    assert decoded is not None
    assert decoded.prefix == "087"
    assert cccd.BIRTH_REGISTRATION_PREFIXES[decoded.prefix] == "Đồng Tháp"
    assert decoded.gender == "male"
    assert decoded.birth_year == 1984
    assert decoded.century_start == 1900


def test_decode_female_2000s() -> None:
    decoded = cccd.decode_personal_id("046305123456")
    assert decoded is not None
    assert decoded.gender == "female"
    assert decoded.birth_year == 2005


def test_decode_unknown_prefix_still_decodes() -> None:
    decoded = cccd.decode_personal_id("999090123456")
    assert decoded is not None
    assert decoded.prefix not in cccd.BIRTH_REGISTRATION_PREFIXES


@pytest.mark.parametrize("value", ["08708400099", "0870840009990", "08708400099O", " 87084000999", "", "٠٨٧٠٨٤٠٠٠٩٩٩"])
def test_decode_rejects_malformed(value: str) -> None:
    assert cccd.decode_personal_id(value) is None


def test_compose_round_trip() -> None:
    pid = cccd.compose_personal_id("046", "female", 1987, 42)
    assert pid == "046187000042"
    decoded = cccd.decode_personal_id(pid)
    assert decoded is not None
    assert (decoded.gender, decoded.birth_year) == ("female", 1987)


@pytest.mark.parametrize(("prefix", "year", "serial"), [("46", 1980, 1), ("046", 1899, 1), ("046", 1980, 1_000_000)])
def test_compose_rejects_bad_parts(prefix: str, year: int, serial: int) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the parts differ, the error type is the contract
        cccd.compose_personal_id(prefix, "male", year, serial)


# --- ethnic groups ---


def test_ethnic_groups_codes() -> None:
    groups = ethnicity.ETHNIC_GROUPS
    assert len(groups) == 55
    assert [group.code_2008 for group in groups] == [f"{code:02d}" for code in range(1, 56)]
    codes_1979 = [group.code_1979 for group in groups if group.code_1979 is not None]
    assert sorted(codes_1979) == [f"{code:02d}" for code in range(1, 55)]
    assert ethnicity.ETHNIC_LIST_VERSION == "QD-1019-TCTK-2008"


def test_ethnic_lists_disagree_on_04() -> None:
    by_2008 = ethnicity.ethnic_group_by_code_2008()
    assert by_2008["04"].name == "Mường"
    assert next(group.name for group in ethnicity.ETHNIC_GROUPS if group.code_1979 == "04") == "Hoa"


@pytest.mark.parametrize(
    ("text", "code_2008"),
    [
        ("Kinh", "01"),
        ("Việt", "01"),
        ("Kinh (Việt)", "01"),
        ("KINH", "01"),
        ("Khơ Me", "05"),
        ("Khmer", "05"),
        ("Khơ-me", "05"),
        ("Hoa", "06"),
        ("Hán", "06"),
        ("Mông", "08"),
        ("H'Mông", "08"),
        ("HMông", "08"),
        ("Hmông", "08"),
        ("Gia Rai", "10"),
        ("Jrai", "10"),
        ("Ê Đê", "11"),
        ("Ê-đê", "11"),
        ("Êđê", "11"),
        ("Ba Na", "12"),
        ("Bahnar", "12"),
        ("Sán Chay", "13"),
        ("Cao Lan", "13"),
        ("Sán Chỉ", "13"),
        ("Xơ Đăng", "16"),
        ("Xê Đăng", "16"),
        ("Ra Glai", "19"),
        ("Raglai", "19"),
        ("Mnông", "20"),
        ("M'Nông", "20"),
        ("Xtiêng", "22"),
        ("X'Tiêng", "22"),
        ("Stiêng", "22"),
        ("Bru-Vân Kiều", "24"),
        ("Bru Vân Kiều", "24"),
        ("Vân Kiều", "24"),
        ("Cơ Tu", "25"),
        ("Katu", "25"),
        ("Tà Ôi", "27"),
        ("Tà-ôi", "27"),
        ("Giẻ Triêng", "29"),
        ("Gié-Triêng", "29"),
        ("Chu Ru", "34"),
        ("Churu", "34"),
        ("Cơ Lao", "47"),
        ("Cờ Lao", "47"),
        ("Người nước ngoài", "55"),
    ],
)
def test_lookup_ethnicity_synonyms(text: str, code_2008: str) -> None:
    group = ethnicity.lookup_ethnicity(text)
    assert group is not None
    assert group.code_2008 == code_2008


@pytest.mark.parametrize("text", ["Mèo", "Việt Nam", "Kinhh", "", "01"])
def test_lookup_ethnicity_unknown(text: str) -> None:
    assert ethnicity.lookup_ethnicity(text) is None


# --- ranks and salary scales ---


def test_coefficient_a1_step3() -> None:
    assert ranks.expected_coefficient("A1", 3) == Decimal("3.00")


def test_coefficient_a21_step8() -> None:
    assert ranks.expected_coefficient("A2.1", 8) == Decimal("6.78")


@pytest.mark.parametrize(
    ("group", "steps", "top"),
    [
        ("A3.1", 6, "8.00"),
        ("A3.2", 6, "7.55"),
        ("A2.1", 8, "6.78"),
        ("A2.2", 8, "6.38"),
        ("A1", 9, "4.98"),
        ("A0", 10, "4.89"),
        ("B", 12, "4.06"),
        ("C1", 12, "3.63"),
        ("C2", 12, "3.48"),
        ("C3", 12, "3.33"),
        ("C2-VC", 12, "3.98"),
        ("C3-VC", 12, "3.48"),
    ],
)
def test_salary_scale_top_steps(group: str, steps: int, top: str) -> None:
    scale = ranks.SALARY_SCALES[group]
    assert scale.steps == steps
    assert ranks.expected_coefficient(group, steps) == Decimal(top)
    assert scale.top == Decimal(top)


@pytest.mark.parametrize("step", [0, 10, -1])
def test_coefficient_step_out_of_range(step: int) -> None:
    with pytest.raises(ranks.SalaryStepError):
        ranks.expected_coefficient("A1", step)


def test_coefficient_unknown_group() -> None:
    with pytest.raises(KeyError):
        ranks.expected_coefficient("A4", 1)


def test_ranks_shapes_and_groups() -> None:
    shape = re.compile(f"{ranks.RANK_CODE_SHAPE}|{ranks.TITLE_CODE_SHAPE}")
    for code, entry in ranks.RANKS.items():
        assert shape.fullmatch(code), code
        assert entry.code == code
        assert entry.salary_group is None or entry.salary_group in ranks.SALARY_SCALES, code
    kinds = Counter(entry.kind for entry in ranks.RANKS.values())
    assert kinds["rank"] >= 30
    assert kinds["title"] >= 40


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("01.001", "A3.1"),
        ("01.002", "A2.1"),
        ("01.003", "A1"),
        ("02.008", "B"),
        ("06.030", "A2.2"),
        ("V.07.02.26", "A0"),
        ("V.07.03.27", "A2.1"),
        ("V.07.04.32", "A1"),
        ("V.07.05.14", "A2.2"),
    ],
)
def test_rank_groups_from_sources(code: str, group: str) -> None:
    entry = ranks.RANKS[code]
    assert entry.salary_group == group


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        (" 01.003 ", "01.003"),
        ("01,003", "01.003"),
        ("v.07.04.32", "V.07.04.32"),
        ("V. 07. 04. 32", "V.07.04.32"),
        ("01003", "01003"),
    ],
)
def test_normalise_rank_code(text: str, normalised: str) -> None:
    assert ranks.normalise_rank_code(text) == normalised


def test_lookup_rank_found() -> None:
    entry = ranks.lookup_rank("v.07.05.15")
    assert entry is not None
    assert (entry.code, entry.kind, entry.salary_group) == ("V.07.05.15", "title", "A1")


@pytest.mark.parametrize("text", ["01.999", "01003", "V.07.05.99", ""])
def test_lookup_rank_unknown(text: str) -> None:
    assert ranks.lookup_rank(text) is None


# --- administrative units ---


def test_current_counts() -> None:
    communes = admin_units.current_communes()
    assert len(admin_units.current_provinces()) == 34
    assert len(communes) == 3321
    kinds = Counter(info.kind for info in communes.values())
    assert kinds == {"xã": 2621, "phường": 687, "đặc khu": 13}


def test_current_communes_shape() -> None:
    communes = admin_units.current_communes()
    provinces = admin_units.current_provinces()
    assert all(re.fullmatch(r"[0-9]{5}", code) and info.code == code for code, info in communes.items())
    assert all(info.province_code in provinces for info in communes.values())
    hue = [info for info in communes.values() if info.province_code == "46"]
    assert len(hue) == 40
    assert "Huế" in provinces["46"]


def test_legacy_count() -> None:
    legacy = admin_units.legacy_communes()
    assert 10_000 <= len(legacy) < 10_100
    quan_thanh = legacy["00013"]
    assert quan_thanh.name == "Phường Quán Thánh"
    assert quan_thanh.district_name == "Quận Ba Đình"
    assert quan_thanh.province_code == "01"


def test_successor_whole_unit() -> None:
    # Phường Quán Thánh went whole into Phường Ba Đình.
    assert admin_units.current_successors("00013") == (("00004",), True)


def test_successor_split() -> None:
    # Phường Ngọc Hà was split between Phường Ba Đình and the new Phường Ngọc Hà.
    assert admin_units.current_successors("00016") == (("00004", "00008"), False)


def test_successor_single_but_partial() -> None:
    # Xã Đặng Xá went partly into one new commune: not a whole-unit move.
    assert admin_units.current_successors("00556") == (("00541",), False)


@pytest.mark.parametrize("code", ["99999", "01651", ""])
def test_successor_unknown(code: str) -> None:
    assert admin_units.current_successors(code) == ((), False)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1", "00001"),
        ("00001", "00001"),
        (1.0, "00001"),
        (1, "00001"),
        ("1.0", "00001"),
        (" 19753 ", "19753"),
        (19753, "19753"),
    ],
)
def test_normalise_commune_code(value: str | float, code: str) -> None:
    assert admin_units.normalise_commune_code(value) == code


@pytest.mark.parametrize("value", ["123456", "a1", "", "1.5", 1.5, -1, True, None, float("nan")])
def test_normalise_commune_code_rejects(value: str | float | None) -> None:
    assert admin_units.normalise_commune_code(value) is None


def test_list_versions() -> None:
    assert admin_units.CURRENT_LIST_VERSION == "2025-07"
    assert admin_units.LEGACY_LIST_VERSION == "pre-2025-07"


# --- religions ---


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Không", "99"),
        ("không theo tôn giáo", "99"),
        ("KHÔNG TÔN GIÁO", "99"),
        ("Phật giáo", "01"),
        ("phat giao", "01"),
        ("Công giáo", "02"),
        ("Thiên Chúa giáo", "02"),
        ("Tin lành", "08"),
        ("Cao Đài", "05"),
    ],
)
def test_lookup_religion(text: str, code: str) -> None:
    religion = religions.lookup_religion(text)
    assert religion is not None
    assert religion.code == code


@pytest.mark.parametrize("text", ["Đạo giáo xyz", "", "Có"])
def test_lookup_religion_unknown(text: str) -> None:
    assert religions.lookup_religion(text) is None


# --- education and training value sets ---


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12/12", "12/12"),
        ("12 / 12", "12/12"),
        ("09/12", "9/12"),
        ("10/10", "10/10"),
        ("12/12 (bổ túc)", "12/12 bổ túc"),
        ("Bổ túc 12/12", "12/12 bổ túc"),
        ("12/12 BTVH", "12/12 bổ túc"),
    ],
)
def test_lookup_general_education(text: str, value: str) -> None:
    assert education.lookup_general_education(text) == value


@pytest.mark.parametrize("text", ["7/12", "12/12 chuyên", "Đại học", ""])
def test_lookup_general_education_unknown(text: str) -> None:
    assert education.lookup_general_education(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Tiến sĩ", "Tiến sĩ"),
        ("Tiến sỹ", "Tiến sĩ"),
        ("ThS", "Thạc sĩ"),
        ("Thạc sỹ", "Thạc sĩ"),
        ("Cử nhân", "Đại học"),
        ("Kỹ sư", "Đại học"),
        ("Chuyên khoa II", "CKII"),
        ("CKI", "CKI"),
        ("BSCKI", "CKI"),
        ("Cao đẳng", "Cao đẳng"),
        ("Chưa qua đào tạo", "Chưa qua đào tạo"),
    ],
)
def test_lookup_qualification(text: str, value: str) -> None:
    assert education.lookup_qualification(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sơ cấp", "Sơ cấp"),
        ("Trung cấp lý luận chính trị", "Trung cấp"),
        ("Cao cấp LLCT", "Cao cấp"),
        ("Cử nhân chính trị", "Cử nhân"),
    ],
)
def test_lookup_political_theory(text: str, value: str) -> None:
    assert education.lookup_political_theory(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Chuyên viên", "Chuyên viên"),
        ("QLNN ngạch chuyên viên chính", "Chuyên viên chính"),
        ("Chuyên viên cao cấp", "Chuyên viên cao cấp"),
        ("Cán sự", "Cán sự"),
        ("chưa qua bồi dưỡng", "Chưa qua bồi dưỡng"),
    ],
)
def test_lookup_state_management(text: str, value: str) -> None:
    assert education.lookup_state_management(text) == value


@pytest.mark.parametrize(
    ("lookup", "text"),
    [
        (education.lookup_qualification, "Thợ bậc 3"),
        (education.lookup_political_theory, "Tiến sĩ"),
        (education.lookup_state_management, "Giám đốc"),
        (education.lookup_academic_title, "Thạc sĩ"),
    ],
)
def test_lookup_training_unknown(lookup: Callable[[str], str | None], text: str) -> None:
    assert lookup(text) is None
