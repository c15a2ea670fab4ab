"""Ethnic groups of Vietnam (dân tộc): the 54 groups plus the "foreigner" entry.

Two official code lists exist and disagree from code 04 on (04 is Mường in 2008, Hoa in 1979):

- Decision 1019/QĐ-TCTK of 12 Nov 2008 (``code_2008``). Codes 01–20 match the GSO document and
  the QCVN 109 annex; ⚠️ codes 21–55 are taken from a public HR codebase that agrees with the
  official entries 01–20.
- Decision 121-TCTK/PPCĐ of 2 Mar 1979 (``code_1979``). Codes 01–11 match the Đà Nẵng statistics
  office page; ⚠️ codes 12–49 are unverified recollection and 50–54 are corroborated only by a
  public HTML form.

Which list MoHA's national database uses is not published, so values are matched by name (with
the synonyms below) and the list version travels with every stored code. Ethnic origin is
sensitive personal data under Law 91/2025/QH15: never log the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from cbccvc.catalogs.text import fold_compact

ETHNIC_LIST_VERSION = "QD-1019-TCTK-2008"


@dataclass(frozen=True, slots=True)
class EthnicGroup:
    """One ethnic group with its codes in the 2008 and 1979 lists."""

    code_2008: str
    code_1979: str | None
    name: str


ETHNIC_GROUPS: tuple[EthnicGroup, ...] = (
    EthnicGroup("01", "01", "Kinh"),
    EthnicGroup("02", "02", "Tày"),
    EthnicGroup("03", "03", "Thái"),
    EthnicGroup("04", "06", "Mường"),
    EthnicGroup("05", "05", "Khơ Me"),
    EthnicGroup("06", "04", "Hoa"),
    EthnicGroup("07", "07", "Nùng"),
    EthnicGroup("08", "08", "Mông"),
    EthnicGroup("09", "09", "Dao"),
    EthnicGroup("10", "10", "Gia Rai"),
    EthnicGroup("11", "12", "Ê Đê"),
    EthnicGroup("12", "13", "Ba Na"),
    EthnicGroup("13", "15", "Sán Chay"),
    EthnicGroup("14", "17", "Chăm"),
    EthnicGroup("15", "16", "Cơ Ho"),
    EthnicGroup("16", "14", "Xơ Đăng"),
    EthnicGroup("17", "18", "Sán Dìu"),
    EthnicGroup("18", "19", "Hrê"),
    EthnicGroup("19", "21", "Ra Glai"),
    EthnicGroup("20", "20", "Mnông"),
    EthnicGroup("21", "24", "Thổ"),
    EthnicGroup("22", "22", "Xtiêng"),
    EthnicGroup("23", "29", "Khơ Mú"),
    EthnicGroup("24", "23", "Bru-Vân Kiều"),
    EthnicGroup("25", "26", "Cơ Tu"),
    EthnicGroup("26", "25", "Giáy"),
    EthnicGroup("27", "31", "Tà Ôi"),
    EthnicGroup("28", "28", "Mạ"),
    EthnicGroup("29", "27", "Giẻ-Triêng"),
    EthnicGroup("30", "30", "Co"),
    EthnicGroup("31", "32", "Chơ Ro"),
    EthnicGroup("32", "34", "Xinh Mun"),
    EthnicGroup("33", "35", "Hà Nhì"),
    EthnicGroup("34", "36", "Chu Ru"),
    EthnicGroup("35", "37", "Lào"),
    EthnicGroup("36", "38", "La Chí"),
    EthnicGroup("37", "33", "Kháng"),
    EthnicGroup("38", "40", "Phù Lá"),
    EthnicGroup("39", "41", "La Hủ"),
    EthnicGroup("40", "39", "La Ha"),
    EthnicGroup("41", "46", "Pà Thẻn"),
    EthnicGroup("42", "42", "Lự"),
    EthnicGroup("43", "11", "Ngái"),
    EthnicGroup("44", "44", "Chứt"),
    EthnicGroup("45", "43", "Lô Lô"),
    EthnicGroup("46", "45", "Mảng"),
    EthnicGroup("47", "47", "Cơ Lao"),
    EthnicGroup("48", "49", "Bố Y"),
    EthnicGroup("49", "48", "Cống"),
    EthnicGroup("50", "50", "Si La"),
    EthnicGroup("51", "51", "Pu Péo"),
    EthnicGroup("52", "54", "Rơ Măm"),
    EthnicGroup("53", "52", "Brâu"),
    EthnicGroup("54", "53", "Ơ Đu"),
    # The 1979 list has no entry for foreigners.
    EthnicGroup("55", None, "Người nước ngoài"),
)

# Other spellings seen in exports, keyed by the canonical name. Spacing, hyphens, apostrophes,
# case and diacritics are folded away before matching, so "Khơ-me", "Gié-Triêng" and "Cờ Lao"
# need no entry of their own. The derogatory exonym for the Mông is deliberately absent.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Kinh": ("Việt", "Kinh (Việt)"),
    "Khơ Me": ("Khmer",),
    "Hoa": ("Hán", "Hoa (Hán)"),
    "Mông": ("H'Mông", "Mông (H'mông)"),
    "Sán Chay": ("Cao Lan", "Sán Chỉ", "Cao Lan-Sán Chỉ", "Sán Chay (Cao Lan-Sán Chỉ)"),
    "Ba Na": ("Bahnar",),
    "Gia Rai": ("Jrai",),
    "Xơ Đăng": ("Xê Đăng",),
    "Ra Glai": ("Raglai",),
    "Xtiêng": ("Stiêng",),
    "Bru-Vân Kiều": ("Vân Kiều",),
    "Cơ Tu": ("Katu",),
    "Người nước ngoài": ("Nước ngoài",),
}


@cache
def _index() -> dict[str, EthnicGroup]:
    """Build the folded name → group index once; raise if two names fold to the same key."""
    by_name = {group.name: group for group in ETHNIC_GROUPS}
    index: dict[str, EthnicGroup] = {}
    for group in ETHNIC_GROUPS:
        for text in (group.name, *_SYNONYMS.get(group.name, ())):
            key = fold_compact(text)
            existing = index.setdefault(key, group)
            if existing is not group:
                raise RuntimeError(f"ethnic names {existing.name!r} and {group.name!r} fold to {key!r}")
    unknown = set(_SYNONYMS) - set(by_name)
    if unknown:
        raise RuntimeError(f"synonyms given for names not in the list: {sorted(unknown)}")
    return index


def lookup_ethnicity(text: str) -> EthnicGroup | None:
    """Find the ethnic group named by ``text``; None when the name is not in the catalog."""
    return _index().get(fold_compact(text))


@cache
def ethnic_group_by_code_2008() -> dict[str, EthnicGroup]:
    """Return the 2008 code → group mapping."""
    return {group.code_2008: group for group in ETHNIC_GROUPS}
