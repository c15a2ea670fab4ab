"""Civil-servant ranks (ngạch), public-employee professional titles and the salary scales.

Sources:

- Salary scales: Decree 204/2004/NĐ-CP tables. A3.1, A2.1, A2.2 and A1 were checked against a
  published copy of the tables. ⚠️ The other groups come from a public HR seed. That seed lists
  6.44 for A2.1 step 8 in the public-employee table, a typo: the step formula gives 6.78.
- Rank codes ``NN.NNN`` (2-digit sector + 3-digit serial): Decree 204/2004 tables, Thông tư
  02/2021/TT-BNV for clerical ranks (02.006–02.008), ⚠️ public HR code for the rest.
- Title codes ``V.SS.GG.NN``: teachers from Thông tư 01–04/2021/TT-BGDĐT ⚠️ as carried by public
  code (one public source disagrees on the group of primary-school class I); health, archives,
  press and library examples ⚠️ from public code.

Entries marked ⚠️ in a comment carry a salary group the sources above do not state; the group is
our best reading of the Decree 204/2004 tables. The complete catalog is spread over many sector
circulars; MoHA's shared catalog should replace this list when an agency obtains it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

RANK_CODE_SHAPE = r"[0-9]{2}\.[0-9]{3}"
TITLE_CODE_SHAPE = r"V\.[0-9]{2}\.[0-9]{2}\.[0-9]{2}"

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class SalaryScale:
    """One salary group: coefficient of step ``n`` is ``first + (n - 1) * increment``."""

    group: str
    steps: int
    first: Decimal
    increment: Decimal

    @property
    def top(self) -> Decimal:
        """Coefficient of the last step."""
        return self.first + (self.steps - 1) * self.increment


def _scale(group: str, steps: int, first: str, increment: str) -> SalaryScale:
    return SalaryScale(group, steps, Decimal(first), Decimal(increment))


# Decree 204/2004/NĐ-CP. "C2"/"C3" are the civil-servant groups (Bảng 2); "C2-VC"/"C3-VC" are
# the public-employee groups of the same name (Bảng 3), which have different coefficients.
SALARY_SCALES: dict[str, SalaryScale] = {
    scale.group: scale
    for scale in (
        _scale("A3.1", 6, "6.20", "0.36"),
        _scale("A3.2", 6, "5.75", "0.36"),
        _scale("A2.1", 8, "4.40", "0.34"),
        _scale("A2.2", 8, "4.00", "0.34"),
        _scale("A1", 9, "2.34", "0.33"),
        _scale("A0", 10, "2.10", "0.31"),
        _scale("B", 12, "1.86", "0.20"),
        _scale("C1", 12, "1.65", "0.18"),
        _scale("C2", 12, "1.50", "0.18"),  # ⚠️
        _scale("C3", 12, "1.35", "0.18"),  # ⚠️
        _scale("C2-VC", 12, "2.00", "0.18"),  # ⚠️
        _scale("C3-VC", 12, "1.50", "0.18"),  # ⚠️
    )
}


class SalaryStepError(ValueError):
    """A salary step outside the steps of its group."""


def expected_coefficient(group: str, step: int) -> Decimal:
    """Return the Decree 204/2004 coefficient of ``step`` in ``group``, quantised to 0.01.

    Raises KeyError for an unknown group and SalaryStepError for a step outside 1..steps.
    """
    scale = SALARY_SCALES[group]
    if not 1 <= step <= scale.steps:
        raise SalaryStepError(f"step {step} is outside 1..{scale.steps} of group {group}")
    coefficient = scale.first + (step - 1) * scale.increment
    return coefficient.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class RankTitle:
    """A civil-servant rank (``kind="rank"``) or a public-employee professional title."""

    code: str
    name: str
    salary_group: str | None
    kind: Literal["rank", "title"]


def _rank(code: str, name: str, group: str | None) -> RankTitle:
    return RankTitle(code, name, group, "rank")


def _title(code: str, name: str, group: str | None) -> RankTitle:
    return RankTitle(code, name, group, "title")


_ENTRIES: tuple[RankTitle, ...] = (
    # General administration (Decree 204/2004; 01.004 and 01.005 ⚠️ public HR software).
    _rank("01.001", "Chuyên viên cao cấp", "A3.1"),
    _rank("01.002", "Chuyên viên chính", "A2.1"),
    _rank("01.003", "Chuyên viên", "A1"),
    _rank("01.004", "Cán sự", "B"),
    _rank("01.005", "Nhân viên", "C1"),
    # Clerical ranks (Thông tư 02/2021/TT-BNV).
    _rank("02.006", "Văn thư viên chính", "A2.1"),
    _rank("02.007", "Văn thư viên", "A1"),
    _rank("02.008", "Văn thư viên trung cấp", "B"),
    # Enforcement of judgments (⚠️ codes and groups from public code).
    _rank("03.017", "Chấp hành viên tỉnh", "A2.1"),  # ⚠️ group
    _rank("03.230", "Thẩm tra viên cao cấp", "A3.1"),  # ⚠️ group
    _rank("03.299", "Chấp hành viên cao cấp", "A3.1"),  # ⚠️ group
    # Inspection (⚠️ public code).
    _rank("04.023", "Thanh tra viên cao cấp", "A3.1"),
    _rank("04.024", "Thanh tra viên chính", "A2.1"),
    _rank("04.025", "Thanh tra viên", "A1"),
    # Finance: accounting, tax, audit (06.030 and 06.031 Decree 204/2004; the rest ⚠️ public code).
    _rank("06.029", "Kế toán viên cao cấp", "A3.2"),
    _rank("06.030", "Kế toán viên chính", "A2.2"),
    _rank("06.031", "Kế toán viên", "A1"),
    _rank("06.032", "Kế toán viên trung cấp", "B"),
    _rank("06.036", "Kiểm soát viên cao cấp thuế", "A3.1"),  # ⚠️ group
    _rank("06.037", "Kiểm soát viên chính thuế", "A2.1"),  # ⚠️ group
    _rank("06.041", "Kiểm toán viên cao cấp", "A3.1"),  # ⚠️ group
    _rank("06.042", "Kiểm toán viên chính", "A2.1"),  # ⚠️ group
    # Banking, customs, planning appraisal, market control, statistics (⚠️ public code).
    _rank("07.044", "Kiểm soát viên cao cấp ngân hàng", "A3.1"),  # ⚠️ group
    _rank("07.045", "Kiểm soát viên chính ngân hàng", "A2.1"),  # ⚠️ group
    _rank("08.049", "Kiểm tra viên cao cấp hải quan", "A3.1"),  # ⚠️ group
    _rank("08.050", "Kiểm tra viên chính hải quan", "A2.1"),  # ⚠️ group
    _rank("12.084", "Thẩm kế viên cao cấp", "A3.1"),  # ⚠️ group
    _rank("12.085", "Thẩm kế viên chính", "A2.1"),  # ⚠️ group
    _rank("21.187", "Kiểm soát viên cao cấp thị trường", "A3.1"),  # ⚠️ group
    _rank("21.188", "Kiểm soát viên chính thị trường", "A2.1"),  # ⚠️ group
    _rank("23.261", "Thống kê viên cao cấp", "A3.1"),  # ⚠️ group
    _rank("23.262", "Thống kê viên chính", "A2.1"),  # ⚠️ group
    # Legacy numeric public-employee codes (Decree 204/2004 Bảng 3, groups A3/A2/A1; the
    # sub-groups A3.1/A2.1 are ⚠️ our reading). They still appear in older exports.
    _title("13.090", "Nghiên cứu viên cao cấp", "A3.1"),
    _title("13.091", "Nghiên cứu viên chính", "A2.1"),
    _title("13.092", "Nghiên cứu viên", "A1"),
    _title("13.093", "Kỹ sư cao cấp", "A3.1"),
    _title("13.094", "Kỹ sư chính", "A2.1"),
    _title("13.095", "Kỹ sư", "A1"),
    _title("13.096", "Kỹ thuật viên", "B"),  # ⚠️ code and group
    _title("15.109", "Giáo sư - Giảng viên cao cấp", "A3.1"),  # ⚠️ group
    _title("16.118", "Bác sĩ", "A1"),  # ⚠️ group
    _title("17.170", "Thư viện viên", "A1"),  # ⚠️ group
    # Teachers (Thông tư 01–04/2021/TT-BGDĐT, ⚠️ via public code).
    _title("V.07.02.24", "Giáo viên mầm non hạng I", "A2.2"),
    _title("V.07.02.25", "Giáo viên mầm non hạng II", "A1"),
    _title("V.07.02.26", "Giáo viên mầm non hạng III", "A0"),
    _title("V.07.03.27", "Giáo viên tiểu học hạng I", "A2.1"),
    _title("V.07.03.28", "Giáo viên tiểu học hạng II", "A2.2"),
    _title("V.07.03.29", "Giáo viên tiểu học hạng III", "A1"),
    _title("V.07.04.30", "Giáo viên trung học cơ sở hạng I", "A2.1"),
    _title("V.07.04.31", "Giáo viên trung học cơ sở hạng II", "A2.2"),
    _title("V.07.04.32", "Giáo viên trung học cơ sở hạng III", "A1"),
    _title("V.07.05.13", "Giáo viên trung học phổ thông hạng I", "A2.1"),
    _title("V.07.05.14", "Giáo viên trung học phổ thông hạng II", "A2.2"),
    _title("V.07.05.15", "Giáo viên trung học phổ thông hạng III", "A1"),
    # Pre-2021 code still found in historical salary records.
    _title("V.07.03.08", "Giáo viên tiểu học hạng III (trước 2021)", "A0"),  # ⚠️ group
    # Health (⚠️ public code; groups ⚠️ our reading of the health-title circulars).
    _title("V.08.01.01", "Bác sĩ cao cấp (hạng I)", "A3.1"),  # ⚠️ group
    _title("V.08.01.02", "Bác sĩ chính (hạng II)", "A2.1"),  # ⚠️ group
    _title("V.08.01.03", "Bác sĩ (hạng III)", "A1"),  # ⚠️ group
    _title("V.08.05.12", "Điều dưỡng hạng III", "A1"),  # ⚠️ group; older texts call it hạng IV
    _title("V.08.06.15", "Hộ sinh hạng III", "A1"),  # ⚠️ group
    _title("V.08.07.18", "Kỹ thuật y hạng III", "A1"),  # ⚠️ group
    _title("V.08.10.28", "Dân số viên hạng III", "A1"),  # ⚠️ group
    # Archives (⚠️ public code).
    _title("V.01.02.01", "Lưu trữ viên chính", "A2.1"),  # ⚠️ group
    _title("V.01.02.02", "Lưu trữ viên", "A1"),  # ⚠️ group
    # Libraries (⚠️ public code).
    _title("V.10.02.05", "Thư viện viên hạng II", "A2.1"),  # ⚠️ group
    _title("V.10.02.06", "Thư viện viên hạng III", "A1"),  # ⚠️ group
    _title("V.10.02.07", "Thư viện viên hạng IV", "B"),  # ⚠️ group
    # Press: editors and reporters (⚠️ public code).
    _title("V.11.01.01", "Biên tập viên hạng I", "A3.1"),  # ⚠️ group
    _title("V.11.01.02", "Biên tập viên hạng II", "A2.1"),  # ⚠️ group
    _title("V.11.01.03", "Biên tập viên hạng III", "A1"),  # ⚠️ group
    _title("V.11.02.04", "Phóng viên hạng I", "A3.1"),  # ⚠️ group
    _title("V.11.02.05", "Phóng viên hạng II", "A2.1"),  # ⚠️ group
    _title("V.11.02.06", "Phóng viên hạng III", "A1"),  # ⚠️ group
)

RANKS: dict[str, RankTitle] = {entry.code: entry for entry in _ENTRIES}

_SPACING_AND_CASE = str.maketrans({",": ".", " ": None, "\t": None, "\u00a0": None, "v": "V"})


def normalise_rank_code(text: str) -> str:
    """Fix the spacing and case slips of a rank or title code, nothing else.

    Removes spaces, upper-cases the leading V and reads a comma as a dot, so " v.07.04.32 "
    and "01,003" give "V.07.04.32" and "01.003". A code missing its dot ("01003") is left
    as it is and stays unknown.
    """
    return text.strip().translate(_SPACING_AND_CASE)


def lookup_rank(text: str) -> RankTitle | None:
    """Find the rank or title with the code in ``text``; None when the code is not in the catalog."""
    return RANKS.get(normalise_rank_code(text))
