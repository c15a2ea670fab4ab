"""Administrative units: the 2025 two-level list and the pre-2025 three-level list.

Since 1 July 2025 (Decision 19/2025/QĐ-TTg) Vietnam has 34 provinces with 2-digit codes and
3,321 communes (2,621 xã, 687 phường, 13 đặc khu) with 5-digit codes. Districts are abolished.
Codes are never reissued at the same level, but a surviving commune often keeps the code it had
before, so a 5-digit code can be both a current and a legacy code.

Data comes from the ``vietnam_provinces`` package (GPL-3.0-or-later): the current list is the
NSO catalog (danhmuchanhchinh.nso.gov.vn); the legacy list is the NSO list of 4 Jan 2025; the
old → new crosswalk is the package's copy of the 2025 conversion table ⚠️ whose provenance the
package does not state. Versions before 2026.1.0 carry draft commune codes and must not be used.
The package modules are imported inside the functions and every structure is built on first
use, because importing the package data takes a few tenths of a second.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

CURRENT_LIST_VERSION = "2025-07"
LEGACY_LIST_VERSION = "pre-2025-07"

CommuneKind = Literal["xã", "phường", "đặc khu"]


@dataclass(frozen=True, slots=True)
class CommuneInfo:
    """A commune-level unit of the 2025 list."""

    code: str
    name: str
    province_code: str
    province_name: str
    kind: CommuneKind


@dataclass(frozen=True, slots=True)
class LegacyCommuneInfo:
    """A commune-level unit (xã, phường, thị trấn) of the pre-July-2025 list."""

    code: str
    name: str
    district_name: str
    province_code: str
    province_name: str


def _commune_code(value: int) -> str:
    return f"{value:05d}"


def _province_code(value: int) -> str:
    return f"{value:02d}"


@cache
def current_provinces() -> dict[str, str]:
    """Return the 34 provinces of the 2025 list: 2-digit code → name."""
    from vietnam_provinces import Province  # noqa: PLC0415 - loaded on first use

    return {_province_code(province.code.value): province.name for province in Province.iter_all()}


@cache
def current_communes() -> dict[str, CommuneInfo]:
    """Return the 3,321 communes of the 2025 list, keyed by 5-digit zero-padded code."""
    from vietnam_provinces import Ward  # noqa: PLC0415 - loaded on first use

    provinces = current_provinces()
    communes: dict[str, CommuneInfo] = {}
    for ward in Ward.iter_all():
        province_code = _province_code(ward.province_code.value)
        kind: CommuneKind
        match ward.division_type.value:
            case "xã":
                kind = "xã"
            case "phường":
                kind = "phường"
            case "đặc khu":
                kind = "đặc khu"
            case other:
                raise RuntimeError(f"unexpected commune type {other!r} for code {ward.code.value}")
        code = _commune_code(ward.code.value)
        communes[code] = CommuneInfo(code, ward.name, province_code, provinces[province_code], kind)
    return communes


@cache
def legacy_communes() -> dict[str, LegacyCommuneInfo]:
    """Return the pre-2025 communes (about 10,050), keyed by 5-digit zero-padded code."""
    from vietnam_provinces import legacy  # noqa: PLC0415 - loaded on first use

    provinces = {province.code.value: province.name for province in legacy.Province.iter_all()}
    districts = {district.code.value: district for district in legacy.District.iter_all()}
    communes: dict[str, LegacyCommuneInfo] = {}
    for ward in legacy.Ward.iter_all():
        district = districts[ward.district_code.value]
        province_code = district.province_code.value
        code = _commune_code(ward.code.value)
        communes[code] = LegacyCommuneInfo(
            code, ward.name, district.name, _province_code(province_code), provinces[province_code]
        )
    return communes


@cache
def _successors() -> dict[str, tuple[tuple[str, ...], bool]]:
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW  # noqa: PLC0415 - loaded on first use

    successors: dict[str, tuple[tuple[str, ...], bool]] = {}
    for old_code, entry in OLD_TO_NEW.items():
        new_codes = tuple(_commune_code(new_ward.code) for new_ward in entry.new_wards)
        # Whole-unit moves ("Nhập toàn bộ", "Giữ nguyên", "Đổi tên") have one successor and no
        # partial flag. A commune split by area or population, even with a single row, needs a
        # person to decide where an address now lies.
        whole_unit = len(new_codes) == 1 and not entry.old_ward.is_partly_merged
        successors[_commune_code(old_code)] = (new_codes, whole_unit)
    return successors


def current_successors(legacy_code: str) -> tuple[tuple[str, ...], bool]:
    """Return the current communes a pre-2025 commune went into, and whether it moved as a whole.

    The flag is True only for a one-to-one whole-unit move, which can be mapped automatically.
    A code absent from the crosswalk (unknown, or a legacy unit the table does not list) gives
    ``((), False)``.
    """
    return _successors().get(legacy_code, ((), False))


_DIGITS = re.compile(r"[0-9]{1,5}")
_EXCEL_INTEGER_TEXT = re.compile(r"([0-9]{1,5})\.0+")


def normalise_commune_code(value: str | float | None) -> str | None:
    """Normalise a commune code cell to 5 zero-padded digits; None when it is not a code.

    Accepts "1", "00001", the Excel numbers 1 and 1.0, and the text "1.0" that some readers make
    of an Excel number. Anything else (letters, more than 5 digits, fractions) gives None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        text = str(int(value))
    else:
        text = value.strip()
        excel_integer = _EXCEL_INTEGER_TEXT.fullmatch(text)
        if excel_integer:
            text = excel_integer.group(1)
    if not _DIGITS.fullmatch(text):
        return None
    return text.zfill(5)
