"""The record schema: the fields an agency export carries and how their headers are written.

Fields are grouped by the data groups of Decree 27/2026/NĐ-CP (Article 5). The official list
of 194 fields and their mandatory flags is in the Decree's appendix, which is not public, so
which fields are mandatory is configuration (``Settings.mandatory_fields``); the default set
below is the smallest one a sync can be keyed on.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class DataGroup(StrEnum):
    """Data groups of Decree 27/2026/NĐ-CP, Article 5 (only those an export carries)."""

    BASIC = "basic"
    RECRUITMENT = "recruitment"
    TRAINING = "training"
    POSITION_SALARY = "position_salary"
    PARTY = "party"
    ARMED_FORCES = "armed_forces"


class FieldKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    CODE = "code"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One record field: its canonical name, the header in the product's template, and aliases."""

    name: str
    header: str
    group: DataGroup
    kind: FieldKind = FieldKind.TEXT
    aliases: tuple[str, ...] = ()
    # Sensitive personal data under Law 91/2025/QH15 (ethnic origin, religion, political
    # membership, health): never logged and never shown in reports beyond counts.
    sensitive: bool = False
    extra: dict[str, str] = field(default_factory=dict)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("full_name", "Họ và tên", DataGroup.BASIC,
              aliases=("Họ tên", "Họ và tên khai sinh", "Họ, tên", "Ho va ten", "Họ và tên CBCCVC",
                       "Họ và tên đầy đủ", "Họ tên đầy đủ", "Họ và tên cán bộ")),
    FieldSpec("birth_date", "Ngày sinh", DataGroup.BASIC, FieldKind.DATE,
              aliases=("Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày", "NS", "NTNS",
                       "Ngày sinh đầy đủ")),
    FieldSpec("gender", "Giới tính", DataGroup.BASIC, aliases=("Giới", "Nam/Nữ", "GT")),
    FieldSpec("personal_id", "Số định danh cá nhân", DataGroup.BASIC, FieldKind.CODE,
              aliases=("Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân", "CCCD/CMND",
                       "Số CCCD/CMND", "Mã định danh", "Số ĐDCN", "Số CCCD/ĐDCN", "Số ĐDCN/CCCD",
                       "CCCD/ĐDCN", "ĐDCN", "Số định danh", "Mã số định danh cá nhân", "Mã định danh cá nhân",
                       "Số định danh cá nhân/CCCD", "Số CMND/CCCD", "Căn cước công dân", "Số thẻ căn cước",
                       "Số thẻ CCCD", "Số căn cước/CCCD")),
    FieldSpec("old_id_number", "Số CMND cũ", DataGroup.BASIC, FieldKind.CODE,
              aliases=("CMND", "Số CMND", "Số chứng minh nhân dân")),
    FieldSpec("ethnicity", "Dân tộc", DataGroup.BASIC, sensitive=True),
    FieldSpec("religion", "Tôn giáo", DataGroup.BASIC, sensitive=True),
    FieldSpec("hometown_commune", "Quê quán (mã xã)", DataGroup.BASIC, FieldKind.CODE,
              aliases=("Mã xã quê quán", "Quê quán mã xã", "Quê quán")),
    FieldSpec("residence_commune", "Nơi ở hiện nay (mã xã)", DataGroup.BASIC, FieldKind.CODE,
              aliases=("Mã xã nơi ở hiện nay", "Nơi ở hiện nay mã xã", "Nơi ở hiện nay", "Mã xã thường trú")),
    FieldSpec("unit_code", "Mã đơn vị", DataGroup.POSITION_SALARY, FieldKind.CODE,
              aliases=("Mã cơ quan", "Mã đơn vị công tác", "Mã ĐV")),
    FieldSpec("unit_name", "Tên đơn vị", DataGroup.POSITION_SALARY,
              aliases=("Đơn vị công tác", "Cơ quan, đơn vị", "Tên cơ quan")),
    FieldSpec("position", "Chức vụ", DataGroup.POSITION_SALARY,
              aliases=("Chức vụ hiện tại", "Chức vụ (chức danh) hiện tại", "Chức danh")),
    FieldSpec("job_position", "Vị trí việc làm", DataGroup.POSITION_SALARY, aliases=("VTVL",)),
    FieldSpec("rank_code", "Mã ngạch/chức danh nghề nghiệp", DataGroup.POSITION_SALARY, FieldKind.CODE,
              aliases=("Mã ngạch", "Mã CDNN", "Mã ngạch/CDNN", "Mã số ngạch", "Mã chức danh nghề nghiệp")),
    FieldSpec("salary_step", "Bậc lương", DataGroup.POSITION_SALARY, FieldKind.INTEGER, aliases=("Bậc",)),
    FieldSpec("salary_coefficient", "Hệ số lương", DataGroup.POSITION_SALARY, FieldKind.DECIMAL,
              aliases=("Hệ số", "HSL")),
    FieldSpec("salary_since", "Ngày hưởng lương", DataGroup.POSITION_SALARY, FieldKind.DATE,
              aliases=("Ngày hưởng", "Thời điểm hưởng")),
    FieldSpec("recruitment_date", "Ngày tuyển dụng", DataGroup.RECRUITMENT, FieldKind.DATE,
              aliases=("Ngày vào cơ quan", "Ngày được tuyển dụng")),
    FieldSpec("education_general", "Giáo dục phổ thông", DataGroup.TRAINING,
              aliases=("Trình độ giáo dục phổ thông", "Trình độ văn hóa", "GDPT")),
    FieldSpec("qualification", "Trình độ chuyên môn", DataGroup.TRAINING,
              aliases=("Trình độ chuyên môn cao nhất", "Học vị", "TĐCM")),
    FieldSpec("political_theory", "Lý luận chính trị", DataGroup.TRAINING,
              aliases=("Trình độ lý luận chính trị", "LLCT")),
    FieldSpec("state_management", "Quản lý nhà nước", DataGroup.TRAINING,
              aliases=("Trình độ quản lý nhà nước", "QLNN")),
    FieldSpec("party_join_date", "Ngày vào Đảng", DataGroup.PARTY, FieldKind.DATE, sensitive=True,
              # The last three are a group header "Đảng viên" or "Đảng" over its column "Ngày vào".
              aliases=("Ngày kết nạp Đảng", "Ngày vào Đảng CSVN", "Ngày kết nạp", "Ngày vào Đảng viên",
                       "Đảng viên ngày vào", "Đảng ngày vào")),
    FieldSpec("party_official_date", "Ngày chính thức", DataGroup.PARTY, FieldKind.DATE, sensitive=True,
              aliases=("Ngày vào Đảng chính thức", "Ngày công nhận chính thức", "Ngày chính thức vào Đảng")),
    FieldSpec("party_card_number", "Số thẻ đảng viên", DataGroup.PARTY, FieldKind.CODE, sensitive=True,
              aliases=("Số thẻ Đảng", "Số thẻ ĐV", "Đảng viên số thẻ", "Đảng số thẻ")),
    FieldSpec("enlistment_date", "Ngày nhập ngũ", DataGroup.ARMED_FORCES, FieldKind.DATE),
    FieldSpec("discharge_date", "Ngày xuất ngũ", DataGroup.ARMED_FORCES, FieldKind.DATE),
    FieldSpec("status", "Tình trạng", DataGroup.RECRUITMENT,
              aliases=("Trạng thái", "Tình trạng công tác")),
    # 2C-BNV/2008 items 4, 15.2 (học hàm), 17, 18 and 26 (the validation helper's additions).
    FieldSpec("birthplace_commune", "Nơi sinh (mã xã)", DataGroup.BASIC, FieldKind.CODE,
              aliases=("Mã xã nơi sinh", "Nơi sinh mã xã")),
    FieldSpec("social_insurance_number", "Số sổ BHXH", DataGroup.BASIC, FieldKind.CODE,
              aliases=("Số BHXH", "Mã số BHXH", "Số sổ bảo hiểm xã hội", "Mã số bảo hiểm xã hội")),
    FieldSpec("academic_title", "Học hàm", DataGroup.TRAINING, aliases=("Học hàm cao nhất",)),
    FieldSpec("social_org_join_date", "Ngày tham gia tổ chức chính trị – xã hội", DataGroup.PARTY, FieldKind.DATE,
              sensitive=True,
              aliases=("Ngày tham gia tổ chức chính trị - xã hội", "Ngày tham gia tổ chức CT-XH",
                       "Ngày tham gia TCCT-XH")),
    FieldSpec("highest_military_rank", "Quân hàm cao nhất", DataGroup.ARMED_FORCES,
              aliases=("Quân hàm", "Cấp bậc quân hàm cao nhất")),
)

FIELDS_BY_NAME: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}

# The smallest set a record can be synced on (12-digit ID, name, date of birth, gender,
# employing unit). Agencies may configure more.
DEFAULT_MANDATORY_FIELDS: tuple[str, ...] = ("personal_id", "full_name", "birth_date", "gender", "unit_code")

SENSITIVE_FIELDS: frozenset[str] = frozenset(spec.name for spec in FIELDS if spec.sensitive)
PARTY_FIELDS: tuple[str, ...] = tuple(spec.name for spec in FIELDS if spec.group is DataGroup.PARTY)


def fold_header(text: str) -> str:
    """Fold a column header for matching: no diacritics, lower case, single spaces, no punctuation.

    "HỌ VÀ TÊN", "Họ và tên " and "ho va ten" all fold to "ho va ten". The letter đ has no
    Unicode decomposition, so it is mapped to d by hand. Header detection folds every cell of
    a sheet's first rows, so text made only of Latin, Vietnamese and common punctuation
    characters is folded through a per-character table (the same result, a few times faster).
    """
    if _FOLD_TABLE_LIMIT.issuperset(text):
        return " ".join(text.translate(_FOLD_TABLE).split())
    return _fold_slowly(text)


def _fold_slowly(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    without_marks = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    kept = "".join(char if char.isalnum() else " " for char in without_marks.lower())
    return " ".join(kept.split())


# Latin-1, Latin Extended-A and -B, combining diacritics, Latin Extended Additional (the
# Vietnamese letters) and general punctuation. Folding is per character within these blocks:
# a letter's decomposition and case do not depend on its neighbours there.
_FOLD_BLOCKS = ((0x0000, 0x0250), (0x0300, 0x0370), (0x1E00, 0x1F00), (0x2000, 0x2070))
_FOLD_TABLE = {code: _fold_slowly(chr(code)) or "" for start, end in _FOLD_BLOCKS for code in range(start, end)}
# Characters that fold to nothing but must still separate words fold to a space.
_FOLD_TABLE.update({code: " " for code, folded in _FOLD_TABLE.items()
                    if not folded and unicodedata.category(chr(code)) != "Mn"})
_FOLD_TABLE_LIMIT = frozenset(chr(code) for code in _FOLD_TABLE)


def build_header_index() -> dict[str, str]:
    """Return folded header text → field name for every field's header and aliases."""
    index: dict[str, str] = {}
    for spec in FIELDS:
        for text in (spec.header, *spec.aliases):
            index.setdefault(fold_header(text), spec.name)
    return index
