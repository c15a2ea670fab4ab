"""Religions (tôn giáo).

No official code table was found. The codes below are the ones a public HR system uses ⚠️.
The 2C-BNV/2008 filling guide requires "Không" rather than a blank for people without a
religion, so "Không" and its variants map to code 99. Religion is sensitive personal data under Law
91/2025/QH15: never log the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from cbccvc.catalogs.text import fold


@dataclass(frozen=True, slots=True)
class Religion:
    """A religion of the catalog."""

    code: str
    name: str


RELIGIONS: tuple[Religion, ...] = (
    Religion("00", "Chưa xác định"),
    Religion("01", "Phật giáo"),
    Religion("02", "Công giáo"),
    Religion("03", "Phật giáo Hòa Hảo"),
    Religion("04", "Hồi giáo"),
    Religion("05", "Cao Đài"),
    Religion("06", "Minh Sư đạo"),
    Religion("07", "Minh Lý đạo"),
    Religion("08", "Tin Lành"),
    Religion("09", "Tịnh độ Cư sĩ Phật hội Việt Nam"),
    Religion("10", "Tứ Ân Hiếu Nghĩa"),
    Religion("11", "Bửu Sơn Kỳ Hương"),
    Religion("12", "Baha'i"),
    Religion("13", "Bà La Môn"),
    Religion("14", "Mặc Môn"),
    Religion("15", "Khác"),
    Religion("99", "Không"),
)

# Spellings seen in exports, keyed by code. Apart from the "Không" variants these are our own
# additions (common everyday names of the same religion).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "01": ("Đạo Phật",),
    "02": ("Thiên Chúa giáo", "Đạo Thiên Chúa", "Công giáo La Mã"),
    "03": ("Hòa Hảo", "Đạo Hòa Hảo"),
    "04": ("Đạo Hồi", "Islam"),
    "05": ("Đạo Cao Đài",),
    "08": ("Đạo Tin Lành",),
    "09": ("Tịnh độ Cư sĩ Phật hội VN",),
    "15": ("Tôn giáo khác",),
    "99": ("Không theo tôn giáo", "Không tôn giáo", "Không theo đạo", "Không có"),
}


@cache
def _index() -> dict[str, Religion]:
    by_code = {religion.code: religion for religion in RELIGIONS}
    index: dict[str, Religion] = {}
    for religion in RELIGIONS:
        for text in (religion.name, *_SYNONYMS.get(religion.code, ())):
            index[fold(text)] = by_code[religion.code]
    return index


def lookup_religion(text: str) -> Religion | None:
    """Find the religion named by ``text`` (case and diacritics ignored); None when unknown."""
    return _index().get(fold(text))
