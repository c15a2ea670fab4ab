"""The 12-digit personal identification number (số định danh cá nhân, the CCCD card number).

Structure ``PPP G YY RRRRRR`` from Decree 137/2015/NĐ-CP Art. 13 and Thông tư 07/2016/TT-BCA
Art. 7 (kept by the Law on Identity 2023, Art. 12):

- ``PPP``: code of the province where the birth was registered, or of a country for births
  registered abroad. That annex list was not obtained, so unknown prefixes are only a warning.
- ``G``: century of birth and gender;
- ``YY``: last two digits of the birth year;
- ``RRRRRR``: a random sequence. The number has no check digit.

The prefix never changes when provinces merge, so it must be read with the pre-2025 list of 63
provinces below, never with the 34 provinces of 1 July 2025.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Gender = Literal["male", "female"]

PERSONAL_ID_PATTERN = re.compile(r"[0-9]{12}")

# Birth-registration province prefixes (Thông tư 07/2016/TT-BCA): the pre-2025 two-digit GSO
# province codes with a leading 0.
BIRTH_REGISTRATION_PREFIXES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "TP. Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

# Fourth digit → (first year of the birth century, gender): even digits are male, odd female.
GENDER_CENTURY_DIGIT: dict[str, tuple[int, Gender]] = {
    "0": (1900, "male"),
    "1": (1900, "female"),
    "2": (2000, "male"),
    "3": (2000, "female"),
    "4": (2100, "male"),
    "5": (2100, "female"),
    "6": (2200, "male"),
    "7": (2200, "female"),
    "8": (2300, "male"),
    "9": (2300, "female"),
}


@dataclass(frozen=True, slots=True)
class DecodedId:
    """Prefix, gender and birth year encoded in the digits of a 12-digit personal ID."""

    prefix: str
    gender: Gender
    birth_year: int
    century_start: int


def decode_personal_id(pid: str) -> DecodedId | None:
    """Decode a 12-digit personal ID; return None unless ``pid`` is exactly 12 ASCII digits.

    The prefix is returned even when it is not one of the 63 province codes, because a birth
    registered abroad carries a country code there.
    """
    if not PERSONAL_ID_PATTERN.fullmatch(pid):
        return None
    century_start, gender = GENDER_CENTURY_DIGIT[pid[3]]
    return DecodedId(
        prefix=pid[:3],
        gender=gender,
        birth_year=century_start + int(pid[4:6]),
        century_start=century_start,
    )


def compose_personal_id(prefix: str, gender: Gender, birth_year: int, serial: int) -> str:
    """Build the 12-digit personal ID for a birth-registration prefix, gender, birth year and serial.

    Raises ValueError when a part cannot be encoded (prefix not 3 digits, year outside 1900–2399,
    serial outside 0–999999).
    """
    if not re.fullmatch(r"[0-9]{3}", prefix):
        raise ValueError(f"prefix {prefix!r} is not 3 digits")
    if not 1900 <= birth_year <= 2399:
        raise ValueError(f"birth year {birth_year} is outside 1900-2399")
    if not 0 <= serial <= 999_999:
        raise ValueError(f"serial {serial} is outside 0-999999")
    century_index = (birth_year - 1900) // 100
    digit = 2 * century_index + (1 if gender == "female" else 0)
    return f"{prefix}{digit}{birth_year % 100:02d}{serial:06d}"
