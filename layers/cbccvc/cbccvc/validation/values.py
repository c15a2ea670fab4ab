"""Parsing and normalisation of single cell values.

Each function takes a raw cell (str, int, float, date, datetime or "" from the readers) and
returns a normalised value or a failure code. They hold no state, so the engine can call
them once per distinct value of a column and reuse the result.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

# Excel's 1900 date system counts days from 1899-12-30 (it treats 1900 as a leap year).
EXCEL_EPOCH_1900 = date(1899, 12, 30)
# Typographic variants agencies paste from Word, mapped to the ASCII form.
_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2013": "-", "\u2014": "-",
                              "\u00a0": " ", "\u200b": ""})
_DATE_PATTERN = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_NAME_ALLOWED = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*$")


def is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def normalise_text(value: Any) -> str:
    """Return NFC text with typographic quotes and dashes made plain and spaces collapsed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).translate(_TYPOGRAPHIC)
    return " ".join(text.split())


def normalise_name(value: Any) -> tuple[str, str | None]:
    """Return the name with each word capitalised, and a reason code if it is not a name."""
    text = normalise_text(value)
    if not _NAME_ALLOWED.match(text):
        return text, "characters"
    if len(text.split()) < 2:
        return text, "single_word"
    words = [_capitalise_word(word) for word in text.split(" ")]
    return " ".join(words), None


def _capitalise_word(word: str) -> str:
    # "h'nhi" → "H'Nhi", "nguyễn" → "Nguyễn"; str.title() handles both.
    return word.title() if word.islower() or word.isupper() else word[:1].upper() + word[1:]


@dataclass(frozen=True, slots=True)
class ParsedDate:
    value: date | None
    code: str | None = None  # finding code when value is None


def parse_date(value: Any) -> ParsedDate:  # noqa: PLR0911 - one return per accepted form
    """Parse a date written day first (dd/mm/yyyy), as ISO, or stored by Excel."""
    if isinstance(value, datetime):
        return ParsedDate(value.date())
    if isinstance(value, date):
        return ParsedDate(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _parse_excel_serial(float(value))
    text = normalise_text(value)
    match = _DATE_PATTERN.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return _make_date(year, month, day)
    match = _ISO_DATE_PATTERN.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return _make_date(year, month, day)
    if text.replace(".", "", 1).isdigit():
        return _parse_excel_serial(float(text))
    return ParsedDate(None, "DATE_INVALID")


def _make_date(year: int, month: int, day: int) -> ParsedDate:
    try:
        return ParsedDate(date(year, month, day))
    except ValueError:
        return ParsedDate(None, "DATE_INVALID")


def _parse_excel_serial(serial: float) -> ParsedDate:
    # Serials between 1 (1900-01-01) and 80,000 (year 2119) cover any plausible HR date.
    if not 1 <= serial < 80_000:
        return ParsedDate(None, "DATE_INVALID")
    return ParsedDate(EXCEL_EPOCH_1900 + timedelta(days=int(serial)))


def parse_gender(value: Any) -> str | None:
    """Return "male" or "female" for the usual spellings of Nam / Nữ, None otherwise."""
    folded = _fold(normalise_text(value))
    return _GENDERS.get(folded)


_GENDERS = {"nam": "male", "nu": "female", "m": "male", "f": "female", "male": "male", "female": "female"}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


@dataclass(frozen=True, slots=True)
class ParsedId:
    value: str | None
    code: str | None = None  # failure code when value is None, or a warning code when restored


def parse_personal_id(value: Any) -> ParsedId:
    """Read a 12-digit personal ID, repairing what Excel does to numbers where it can.

    An ID typed into a Number cell loses its leading zero (one zero for most provinces'
    prefixes 001–096); 11 digits are restored with a warning. Scientific notation means
    digits were lost, so it is rejected.
    """
    if isinstance(value, float):
        if not value.is_integer():
            return ParsedId(None, "PID_FORMAT")
        digits = str(int(value))
        return _restore_leading_zero(digits)
    if isinstance(value, int) and not isinstance(value, bool):
        return _restore_leading_zero(str(value))
    text = normalise_text(value).replace(" ", "").replace(".", "")
    if re.fullmatch(r"\d(?:,\d+)?E\+?\d+", text, flags=re.IGNORECASE):
        return ParsedId(None, "PID_SCIENTIFIC")
    if len(text) == 12 and text.isdigit():
        return ParsedId(text)
    return ParsedId(None, "PID_FORMAT")


def _restore_leading_zero(digits: str) -> ParsedId:
    if len(digits) == 12:
        return ParsedId(digits)
    if len(digits) == 11:
        return ParsedId("0" + digits, "PID_LEADING_ZERO_RESTORED")
    return ParsedId(None, "PID_FORMAT")


def parse_decimal(value: Any) -> Decimal | None:
    """Parse a number written with a dot or a Vietnamese decimal comma ("3,00")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = normalise_text(value).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_integer(value: Any) -> int | None:
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def parse_code(value: Any) -> str:
    """Return a code cell as text; numbers stored by Excel lose their ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise_text(value)
