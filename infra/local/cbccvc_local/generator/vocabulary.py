"""Word lists and staffing templates the generator draws synthetic people from.

Names are common Vietnamese surnames, middle names and given names; weights are rough shares,
not statistics. Unit templates and staff roles describe a typical provincial-level People's
Committee: departments staffed by civil servants (ranks ``NN.NNN``) and public service units
(schools, hospitals, archives, press) staffed by public employees (titles ``V.SS.GG.NN``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Surname → rough relative frequency.
SURNAMES: dict[str, float] = {
    "Nguyễn": 38.0,
    "Trần": 11.0,
    "Lê": 9.5,
    "Phạm": 7.0,
    "Hoàng": 5.1,
    "Huỳnh": 3.0,
    "Phan": 4.5,
    "Vũ": 2.5,
    "Võ": 3.0,
    "Đặng": 2.1,
    "Bùi": 2.0,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1.0,
    "Lý": 0.5,
    "Trương": 1.0,
    "Đoàn": 0.8,
    "Đinh": 0.7,
    "Lâm": 0.4,
    "Mai": 0.5,
    "Trịnh": 0.5,
    "Lưu": 0.3,
    "Cao": 0.4,
    "Hà": 0.4,
    "Lương": 0.3,
}

MALE_MIDDLE_NAMES: tuple[str, ...] = (
    "Văn",
    "Hữu",
    "Đức",
    "Minh",
    "Quang",
    "Công",
    "Thành",
    "Xuân",
    "Ngọc",
    "Anh",
    "Tiến",
    "Đình",
)
FEMALE_MIDDLE_NAMES: tuple[str, ...] = (
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Kim",
    "Thùy",
    "Phương",
    "Diệu",
    "Bảo",
    "Mỹ",
)
# A second middle name, used for some women ("Nguyễn Thị Thu Hương").
FEMALE_SECOND_MIDDLE_NAMES: tuple[str, ...] = ("Thu", "Thanh", "Kim", "Minh", "Hồng", "Ngọc", "Lệ")

MALE_GIVEN_NAMES: tuple[str, ...] = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hùng",
    "Huy",
    "Khoa",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thành",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hiếu",
    "Khánh",
    "Lâm",
    "Nhật",
    "Quý",
    "Tài",
    "Toàn",
    "Hoàng",
    "Khải",
    "Lộc",
    "Nghĩa",
)
FEMALE_GIVEN_NAMES: tuple[str, ...] = (
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hằng",
    "Hạnh",
    "Hiền",
    "Hoa",
    "Hồng",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuyết",
    "Vân",
    "Vy",
    "Yến",
    "Uyên",
    "Nhi",
    "Thư",
)

# Ethnicity as written in exports → relative frequency among staff of a Huế-like province:
# mostly Kinh, with the groups of the western highlands (Tà Ôi, Cơ Tu, Bru-Vân Kiều) and some
# staff from elsewhere. A few rows use accepted alternative spellings.
ETHNICITIES: dict[str, float] = {
    "Kinh": 93.0,
    "Kinh (Việt)": 1.0,
    "Tà Ôi": 1.6,
    "Tà-ôi": 0.3,
    "Cơ Tu": 1.0,
    "Katu": 0.2,
    "Bru-Vân Kiều": 0.6,
    "Vân Kiều": 0.2,
    "Mường": 0.4,
    "Tày": 0.3,
    "Thái": 0.3,
    "Hoa": 0.3,
    "Nùng": 0.2,
    "Khơ Me": 0.1,
    "Khmer": 0.1,
    "Chăm": 0.1,
    "Ê Đê": 0.1,
    "Mông": 0.1,
    "Dao": 0.1,
}

RELIGIONS: dict[str, float] = {
    "Không": 74.0,
    "Không theo tôn giáo": 4.0,
    "Phật giáo": 16.0,
    "Công giáo": 4.5,
    "Tin Lành": 0.8,
    "Cao Đài": 0.4,
    "Phật giáo Hòa Hảo": 0.3,
}

# Values written in the training columns, by salary group family.
QUALIFICATIONS_BY_LEVEL: dict[str, dict[str, float]] = {
    "senior": {"Thạc sĩ": 50.0, "Tiến sĩ": 10.0, "Đại học": 40.0},
    "graduate": {"Đại học": 80.0, "Thạc sĩ": 18.0, "Tiến sĩ": 2.0},
    "college": {"Cao đẳng": 60.0, "Đại học": 40.0},
    "vocational": {"Trung cấp": 60.0, "Cao đẳng": 30.0, "Đại học": 10.0},
    "basic": {"Sơ cấp": 40.0, "Trung cấp": 30.0, "Chưa qua đào tạo": 30.0},
    "physician": {"Đại học": 50.0, "CKI": 25.0, "CKII": 10.0, "Thạc sĩ": 15.0},
}

GENERAL_EDUCATION: dict[str, float] = {"12/12": 97.0, "12/12 bổ túc": 3.0}

# The next qualification after a course, used by ``modify_rows`` when a salary step cannot rise.
NEXT_QUALIFICATION: dict[str, str] = {
    "Chưa qua đào tạo": "Sơ cấp",
    "Sơ cấp": "Trung cấp",
    "Trung cấp": "Cao đẳng",
    "Cao đẳng": "Đại học",
    "Đại học": "Thạc sĩ",
    "Thạc sĩ": "Tiến sĩ",
    "Tiến sĩ": "Tiến sĩ khoa học",
    "Tiến sĩ khoa học": "Tiến sĩ",
    "CKI": "CKII",
    "CKII": "Tiến sĩ",
}

LEADER_WORDS: tuple[str, ...] = ("Giám đốc", "Trưởng", "Chánh", "Hiệu trưởng", "Tổng biên tập")


@dataclass(frozen=True, slots=True)
class StaffRole:
    """A kind of post in a unit: the rank or title held, the positions and job positions it fills."""

    rank_code: str
    positions: tuple[str, ...]
    job_positions: tuple[str, ...]
    weight: float
    min_age: int = 22
    qualification_level: str | None = None  # overrides the level implied by the salary group


_SUPPORT_ROLES: tuple[StaffRole, ...] = (
    StaffRole("06.031", ("Kế toán",), ("Kế toán",), 2.0),
    StaffRole("02.007", ("Văn thư",), ("Văn thư",), 1.0),
    StaffRole("02.008", ("Văn thư",), ("Văn thư",), 0.5),
    StaffRole("01.005", ("Nhân viên",), ("Nhân viên phục vụ", "Lái xe"), 0.5),
)

STAFF_ROLES: dict[str, tuple[StaffRole, ...]] = {
    "office": (
        StaffRole(
            "01.003",
            ("Chuyên viên",),
            (
                "Chuyên viên tổng hợp",
                "Chuyên viên về tổ chức cán bộ",
                "Chuyên viên pháp chế",
                "Chuyên viên về công nghệ thông tin",
                "Chuyên viên về quản lý đào tạo",
            ),
            40.0,
        ),
        StaffRole(
            "01.002",
            ("Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên"),
            ("Lãnh đạo cấp phòng", "Chuyên viên chính tổng hợp"),
            12.0,
            min_age=35,
        ),
        StaffRole("01.001", ("Giám đốc", "Phó Giám đốc"), ("Lãnh đạo cấp sở",), 2.0, min_age=45),
        StaffRole("01.004", ("Cán sự",), ("Cán sự",), 3.0),
        StaffRole("02.006", ("Chánh Văn phòng", "Phó Chánh Văn phòng"), ("Lãnh đạo văn phòng",), 1.0, min_age=35),
        StaffRole("06.030", ("Kế toán trưởng",), ("Kế toán trưởng",), 1.0, min_age=35),
        *_SUPPORT_ROLES,
    ),
    "finance": (
        StaffRole("01.003", ("Chuyên viên",), ("Chuyên viên quản lý ngân sách", "Chuyên viên quản lý giá"), 20.0),
        StaffRole("06.031", ("Chuyên viên", "Kế toán"), ("Kế toán viên",), 15.0),
        StaffRole("06.030", ("Trưởng phòng", "Phó Trưởng phòng"), ("Lãnh đạo cấp phòng",), 5.0, min_age=35),
        StaffRole("06.029", ("Giám đốc", "Phó Giám đốc"), ("Lãnh đạo cấp sở",), 1.0, min_age=45),
        StaffRole("06.032", ("Kế toán",), ("Kế toán viên trung cấp",), 2.0),
        *_SUPPORT_ROLES,
    ),
    "inspectorate": (
        StaffRole("04.025", ("Thanh tra viên",), ("Thanh tra viên",), 20.0),
        StaffRole(
            "04.024",
            ("Trưởng phòng", "Phó Trưởng phòng", "Thanh tra viên chính"),
            ("Thanh tra viên chính",),
            8.0,
            min_age=35,
        ),
        StaffRole("04.023", ("Chánh Thanh tra", "Phó Chánh Thanh tra"), ("Lãnh đạo thanh tra",), 1.0, min_age=45),
        *_SUPPORT_ROLES,
    ),
    "school_upper": (
        StaffRole("V.07.05.15", ("Giáo viên",), ("Giáo viên trung học phổ thông hạng III",), 30.0),
        StaffRole(
            "V.07.05.14",
            ("Giáo viên", "Tổ trưởng chuyên môn"),
            ("Giáo viên trung học phổ thông hạng II",),
            15.0,
            min_age=30,
        ),
        StaffRole(
            "V.07.05.13",
            ("Hiệu trưởng", "Phó Hiệu trưởng", "Giáo viên"),
            ("Giáo viên trung học phổ thông hạng I",),
            3.0,
            min_age=40,
        ),
        *_SUPPORT_ROLES,
    ),
    "school_lower": (
        StaffRole("V.07.04.32", ("Giáo viên",), ("Giáo viên trung học cơ sở hạng III",), 30.0),
        StaffRole(
            "V.07.04.31",
            ("Giáo viên", "Tổ trưởng chuyên môn"),
            ("Giáo viên trung học cơ sở hạng II",),
            15.0,
            min_age=30,
        ),
        StaffRole(
            "V.07.04.30",
            ("Hiệu trưởng", "Phó Hiệu trưởng"),
            ("Giáo viên trung học cơ sở hạng I",),
            2.0,
            min_age=40,
        ),
        *_SUPPORT_ROLES,
    ),
    "school_primary": (
        StaffRole("V.07.03.29", ("Giáo viên",), ("Giáo viên tiểu học hạng III",), 30.0),
        StaffRole(
            "V.07.03.28",
            ("Giáo viên", "Tổ trưởng chuyên môn"),
            ("Giáo viên tiểu học hạng II",),
            12.0,
            min_age=30,
        ),
        StaffRole("V.07.03.27", ("Hiệu trưởng", "Phó Hiệu trưởng"), ("Giáo viên tiểu học hạng I",), 2.0, min_age=40),
        *_SUPPORT_ROLES,
    ),
    "school_preschool": (
        StaffRole("V.07.02.26", ("Giáo viên",), ("Giáo viên mầm non hạng III",), 30.0),
        StaffRole(
            "V.07.02.25",
            ("Giáo viên", "Tổ trưởng chuyên môn"),
            ("Giáo viên mầm non hạng II",),
            10.0,
            min_age=28,
        ),
        StaffRole("V.07.02.24", ("Hiệu trưởng", "Phó Hiệu trưởng"), ("Giáo viên mầm non hạng I",), 2.0, min_age=40),
        *_SUPPORT_ROLES,
    ),
    "hospital": (
        StaffRole("V.08.01.03", ("Bác sĩ",), ("Bác sĩ",), 15.0, qualification_level="physician"),
        StaffRole(
            "V.08.01.02",
            ("Trưởng khoa", "Phó Trưởng khoa", "Bác sĩ"),
            ("Bác sĩ chính",),
            5.0,
            min_age=35,
            qualification_level="physician",
        ),
        StaffRole(
            "V.08.01.01",
            ("Giám đốc", "Phó Giám đốc"),
            ("Bác sĩ cao cấp",),
            1.0,
            min_age=45,
            qualification_level="physician",
        ),
        StaffRole("V.08.05.12", ("Điều dưỡng", "Điều dưỡng trưởng khoa"), ("Điều dưỡng",), 20.0),
        StaffRole("V.08.06.15", ("Hộ sinh",), ("Hộ sinh",), 4.0),
        StaffRole("V.08.07.18", ("Kỹ thuật viên",), ("Kỹ thuật y",), 5.0),
        *_SUPPORT_ROLES,
    ),
    "disease_control": (
        StaffRole("V.08.01.03", ("Bác sĩ",), ("Bác sĩ y học dự phòng",), 8.0, qualification_level="physician"),
        StaffRole("V.08.10.28", ("Dân số viên",), ("Dân số viên",), 6.0),
        StaffRole("V.08.07.18", ("Kỹ thuật viên",), ("Kỹ thuật y",), 4.0),
        StaffRole("V.08.05.12", ("Điều dưỡng",), ("Điều dưỡng",), 4.0),
        *_SUPPORT_ROLES,
    ),
    "archives": (
        StaffRole("V.01.02.02", ("Lưu trữ viên",), ("Lưu trữ viên",), 10.0),
        StaffRole(
            "V.01.02.01",
            ("Giám đốc", "Phó Giám đốc", "Lưu trữ viên chính"),
            ("Lưu trữ viên chính",),
            3.0,
            min_age=35,
        ),
        *_SUPPORT_ROLES,
    ),
    "library": (
        StaffRole("V.10.02.06", ("Thư viện viên",), ("Thư viện viên hạng III",), 10.0),
        StaffRole(
            "V.10.02.05",
            ("Giám đốc", "Phó Giám đốc", "Thư viện viên"),
            ("Thư viện viên hạng II",),
            3.0,
            min_age=35,
        ),
        StaffRole("V.10.02.07", ("Thư viện viên",), ("Thư viện viên hạng IV",), 2.0),
        *_SUPPORT_ROLES,
    ),
    "press": (
        StaffRole("V.11.02.06", ("Phóng viên",), ("Phóng viên hạng III",), 12.0),
        StaffRole("V.11.02.05", ("Phóng viên", "Trưởng phòng"), ("Phóng viên hạng II",), 4.0, min_age=32),
        StaffRole("V.11.01.03", ("Biên tập viên",), ("Biên tập viên hạng III",), 8.0),
        StaffRole("V.11.01.02", ("Biên tập viên", "Phó Trưởng phòng"), ("Biên tập viên hạng II",), 3.0, min_age=32),
        StaffRole("V.11.01.01", ("Giám đốc", "Phó Giám đốc"), ("Biên tập viên hạng I",), 1.0, min_age=45),
        *_SUPPORT_ROLES,
    ),
}


@dataclass(frozen=True, slots=True)
class UnitTemplate:
    """A unit of the synthetic organisation tree and how many staff it employs (relative)."""

    key: str
    name: str
    kind: str
    parent_key: str | None
    staff_weight: float
    # Whether the name takes the agency's locality ("Thanh tra thành phố", "Thư viện tỉnh").
    with_locality: bool = False


ROOT_KEY = "root"

# Units every generated agency has. The root (the agency itself) is added from its name.
CORE_UNITS: tuple[UnitTemplate, ...] = (
    UnitTemplate("office", "Văn phòng Ủy ban nhân dân", "office", ROOT_KEY, 4.0),
    UnitTemplate("home_affairs", "Sở Nội vụ", "office", ROOT_KEY, 4.0),
    UnitTemplate("finance", "Sở Tài chính", "finance", ROOT_KEY, 5.0),
    UnitTemplate("inspectorate", "Thanh tra", "inspectorate", ROOT_KEY, 3.0, with_locality=True),
    UnitTemplate("education", "Sở Giáo dục và Đào tạo", "office", ROOT_KEY, 3.0),
    UnitTemplate("upper_school", "Trường Trung học phổ thông số 1", "school_upper", "education", 14.0),
    UnitTemplate("health", "Sở Y tế", "office", ROOT_KEY, 3.0),
    UnitTemplate("hospital", "Bệnh viện Đa khoa", "hospital", "health", 16.0, with_locality=True),
    UnitTemplate("culture", "Sở Văn hóa và Thể thao", "office", ROOT_KEY, 3.0),
)

# Three of these are added per seed, so the tree has the root and 12 units below it.
OPTIONAL_UNITS: tuple[UnitTemplate, ...] = (
    UnitTemplate("lower_school", "Trường Trung học cơ sở số 1", "school_lower", "education", 10.0),
    UnitTemplate("primary_school", "Trường Tiểu học số 1", "school_primary", "education", 8.0),
    UnitTemplate("preschool", "Trường Mầm non số 1", "school_preschool", "education", 6.0),
    UnitTemplate("disease_control", "Trung tâm Kiểm soát bệnh tật", "disease_control", "health", 5.0),
    UnitTemplate("archives", "Trung tâm Lưu trữ lịch sử", "archives", "home_affairs", 2.0),
    UnitTemplate("library", "Thư viện", "library", "culture", 2.0, with_locality=True),
    UnitTemplate("broadcasting", "Đài Phát thanh và Truyền hình", "press", ROOT_KEY, 4.0, with_locality=True),
)
OPTIONAL_UNIT_COUNT = 3
ROOT_STAFF_WEIGHT = 2.0
