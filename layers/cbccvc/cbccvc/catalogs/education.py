"""Value sets for education, professional qualification, political theory and state management.

No official code tables were found ❌. The canonical values below are those seen across public
CBCCVC software and the 2C-BNV/2008 resume form (items 15.1–15.4) ⚠️; the abbreviations and
alternative spellings accepted for each value are our own additions. Each ``lookup_*`` returns
the canonical value, or None when the text is not one of the accepted spellings.
"""

from __future__ import annotations

import re
from functools import cache

from cbccvc.catalogs.text import fold

# Canonical values (what the validate stage stores).
GENERAL_EDUCATION_GRADES: tuple[str, ...] = ("12/12", "11/12", "10/12", "9/12", "10/10", "9/10", "8/10")
# Complementary education (bổ túc văn hóa) is written after the grade: "12/12 bổ túc".
GENERAL_EDUCATION_COMPLEMENTARY_SUFFIX = "bổ túc"
GENERAL_EDUCATION: tuple[str, ...] = (
    *GENERAL_EDUCATION_GRADES,
    *(f"{grade} {GENERAL_EDUCATION_COMPLEMENTARY_SUFFIX}" for grade in GENERAL_EDUCATION_GRADES),
)

QUALIFICATIONS: tuple[str, ...] = (
    "Tiến sĩ khoa học",
    "Tiến sĩ",
    "Thạc sĩ",
    "CKII",
    "CKI",
    "Đại học",
    "Cao đẳng",
    "Trung cấp",
    "Sơ cấp",
    "Chưa qua đào tạo",
)

ACADEMIC_TITLES: tuple[str, ...] = ("Giáo sư", "Phó giáo sư")

POLITICAL_THEORY: tuple[str, ...] = ("Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân", "Chưa qua đào tạo")

STATE_MANAGEMENT: tuple[str, ...] = (
    "Chuyên viên cao cấp",
    "Chuyên viên chính",
    "Chuyên viên",
    "Cán sự",
    "Chưa qua bồi dưỡng",
)

_QUALIFICATION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Tiến sĩ khoa học": ("TSKH",),
    "Tiến sĩ": ("TS",),
    "Thạc sĩ": ("ThS", "Cao học"),
    "CKII": (
        "CK II",
        "CK2",
        "Chuyên khoa II",
        "Chuyên khoa cấp II",
        "Chuyên khoa 2",
        "BSCKII",
        "Bác sĩ chuyên khoa II",
        "Dược sĩ chuyên khoa II",
    ),
    "CKI": (
        "CK I",
        "CK1",
        "Chuyên khoa I",
        "Chuyên khoa cấp I",
        "Chuyên khoa 1",
        "BSCKI",
        "Bác sĩ chuyên khoa I",
        "Dược sĩ chuyên khoa I",
    ),
    "Đại học": ("ĐH", "Cử nhân", "Kỹ sư", "Bác sĩ", "Dược sĩ", "Kiến trúc sư"),
    "Cao đẳng": ("CĐ",),
    "Trung cấp": ("Trung cấp chuyên nghiệp", "Trung học chuyên nghiệp", "THCN"),
    "Chưa qua đào tạo": ("Chưa đào tạo", "Không"),
}

_ACADEMIC_TITLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Giáo sư": ("GS",),
    "Phó giáo sư": ("PGS",),
}

_POLITICAL_THEORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Chưa qua đào tạo": ("Chưa đào tạo", "Không"),
}

_STATE_MANAGEMENT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Chuyên viên cao cấp": ("CVCC",),
    "Chuyên viên chính": ("CVC",),
    "Chuyên viên": ("CV",),
    "Chưa qua bồi dưỡng": ("Chưa bồi dưỡng", "Không"),
}

# "sỹ" is an accepted spelling of "sĩ" (Tiến sỹ, Thạc sỹ, Bác sỹ).
_SY_SPELLING = re.compile(r"\bsy\b")
# Words that exports put around the level itself: "Trung cấp lý luận chính trị", "QLNN ngạch
# chuyên viên chính", "Chương trình chuyên viên".
_POLITICAL_THEORY_WORDS = re.compile(r"\b(ly luan chinh tri|llct|chinh tri)\b")
_STATE_MANAGEMENT_WORDS = re.compile(r"\b(quan ly nha nuoc|qlnn|ngach|chuong trinh|tuong duong)\b")
_GRADE = re.compile(r"\b0?([0-9]{1,2}) ?/ ?([0-9]{2})\b")
_COMPLEMENTARY = re.compile(r"\b(bo tuc( van hoa)?|btvh|bt)\b")


def _key(text: str, noise: re.Pattern[str] | None = None) -> str:
    folded = _SY_SPELLING.sub("si", fold(text))
    if noise is not None:
        folded = noise.sub(" ", folded)
    return " ".join(folded.replace("(", " ").replace(")", " ").split())


def _build(
    values: tuple[str, ...], synonyms: dict[str, tuple[str, ...]], noise: re.Pattern[str] | None = None
) -> dict[str, str]:
    index: dict[str, str] = {}
    for value in values:
        for text in (value, *synonyms.get(value, ())):
            index[_key(text, noise)] = value
    return index


@cache
def _qualification_index() -> dict[str, str]:
    return _build(QUALIFICATIONS, _QUALIFICATION_SYNONYMS)


@cache
def _academic_title_index() -> dict[str, str]:
    return _build(ACADEMIC_TITLES, _ACADEMIC_TITLE_SYNONYMS)


@cache
def _political_theory_index() -> dict[str, str]:
    return _build(POLITICAL_THEORY, _POLITICAL_THEORY_SYNONYMS, _POLITICAL_THEORY_WORDS)


@cache
def _state_management_index() -> dict[str, str]:
    return _build(STATE_MANAGEMENT, _STATE_MANAGEMENT_SYNONYMS, _STATE_MANAGEMENT_WORDS)


def lookup_general_education(text: str) -> str | None:
    """Return the canonical general-education level ("12/12", "9/12 bổ túc", …) or None.

    Accepts "12/12", "12 / 12", "12/12 (bổ túc)", "Bổ túc 12/12", "12/12 BTVH".
    """
    folded = fold(text)
    grade = _GRADE.search(folded)
    if grade is None:
        return None
    level = f"{int(grade.group(1))}/{int(grade.group(2))}"
    if level not in GENERAL_EDUCATION_GRADES:
        return None
    rest = (folded[: grade.start()] + " " + folded[grade.end() :]).replace("(", " ").replace(")", " ")
    rest_words = " ".join(rest.split())
    if not rest_words:
        return level
    if _COMPLEMENTARY.fullmatch(rest_words) or _COMPLEMENTARY.fullmatch(rest_words.replace("he ", "")):
        return f"{level} {GENERAL_EDUCATION_COMPLEMENTARY_SUFFIX}"
    return None


def lookup_qualification(text: str) -> str | None:
    """Return the canonical highest professional qualification ("Thạc sĩ", "CKI", …) or None."""
    return _qualification_index().get(_key(text))


def lookup_academic_title(text: str) -> str | None:
    """Return the canonical academic title ("Giáo sư" or "Phó giáo sư") or None."""
    return _academic_title_index().get(_key(text))


def lookup_political_theory(text: str) -> str | None:
    """Return the canonical political-theory level ("Sơ cấp" … "Cử nhân") or None."""
    return _political_theory_index().get(_key(text, _POLITICAL_THEORY_WORDS))


def lookup_state_management(text: str) -> str | None:
    """Return the canonical state-management training level ("Chuyên viên chính", …) or None."""
    return _state_management_index().get(_key(text, _STATE_MANAGEMENT_WORDS))
