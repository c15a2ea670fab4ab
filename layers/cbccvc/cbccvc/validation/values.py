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

from cbccvc.catalogs.cccd import BIRTH_REGISTRATION_PREFIXES

# Excel's 1900 date system counts days from 1899-12-30, because it treats 1900 as a leap year
# (serial 60 is the non-existent 29 February 1900, and serials below it count from 1899-12-31).
# The 1904 system (Excel for Mac before 2011, and workbooks saved with that option) counts
# from 1904-01-01.
EXCEL_EPOCH_1900 = date(1899, 12, 30)
EXCEL_EPOCH_1904 = date(1904, 1, 1)
_PHANTOM_LEAP_DAY = 60
# Characters that take no space on screen and that text pasted from web pages and Word
# carries: zero-width space, non-joiner and joiner, word joiner, byte order mark (zero-width
# no-break space) and soft hyphen. A cell holding only these is blank.
INVISIBLE_CHARACTERS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_WITHOUT_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE_CHARACTERS, ""))
# Typographic variants agencies paste from Word, mapped to the ASCII form; invisible characters are dropped.
_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2013": "-", "\u2014": "-",
                              "\u00a0": " ", **dict.fromkeys(INVISIBLE_CHARACTERS, "")})
# Maximum length of a full name in the population register's contract (PersonQuery.full_name).
MAX_NAME_CHARS = 100
# Full-width digits, which East Asian input methods type in place of ASCII digits.
_FULLWIDTH_DIGITS = str.maketrans("\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19", "0123456789")
# A time after a date: "05/09/1985 00:00:00", "05/09/1985 0:00 AM", "1985-09-05T00:00:00Z".
_TIME_PART = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2}) ?([/.\-]) ?(\d{1,2}) ?\2 ?(\d{4}|\d{2})" + _TIME_PART + "$")
_YEAR_FIRST_DATE = re.compile(r"^(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})" + _TIME_PART + "$")
_WORDED_DATE = re.compile(r"^(?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4})$")
_SERIAL_TEXT = re.compile(r"^[0-9]{5}(?:\.[0-9]+)?$")
# Serial numbers between 1 (1900-01-01) and 80,000 (year 2119) cover any plausible HR date.
_MAX_SERIAL = 80_000
# A number in this range in a date column is a year alone, not a serial date (which would fall in 1905).
_YEAR_ONLY = range(1900, 2101)
_NAME_ALLOWED = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*$")


def is_blank(value: Any) -> bool:
    """Tell whether a cell is empty, white space only or invisible characters only."""
    return value is None or value == "" or (
        isinstance(value, str) and not value.translate(_WITHOUT_INVISIBLE).strip())


def is_ascii_digits(text: str) -> bool:
    """Tell whether ``text`` is ASCII digits 0–9 only (``str.isdigit`` also accepts ² and other scripts' digits)."""
    return text.isascii() and text.isdigit()


def normalise_text(value: Any) -> str:
    """Return NFC text with typographic quotes and dashes made plain and spaces collapsed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).translate(_TYPOGRAPHIC)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A full name as read: ``reason`` is why it is no name (None when it is one).

    ``replaced`` is True when reading changed characters the agency typed, beyond case and
    spaces: invisible characters were dropped, or compatibility characters such as the "ﬁ"
    ligature or full-width letters were replaced by the letters they stand for (NFKC).
    """

    text: str
    reason: str | None = None
    replaced: bool = False


def normalise_name(value: Any) -> NormalisedName:
    """Return the name with each word capitalised, and a reason code if it is not a name."""
    plain = normalise_text(value)
    # NFKC leaves Vietnamese letters as NFC has them, so only compatibility characters change.
    text = normalise_text(unicodedata.normalize("NFKC", plain))
    replaced = text != plain or (isinstance(value, str) and any(char in value for char in INVISIBLE_CHARACTERS))
    if len(text) > MAX_NAME_CHARS:
        return NormalisedName(text, "too_long", replaced)
    if not _NAME_ALLOWED.match(text):
        return NormalisedName(text, "characters", replaced)
    if len(text.split()) < 2:
        return NormalisedName(text, "single_word", replaced)
    words = [_capitalise_word(word) for word in text.split(" ")]
    return NormalisedName(" ".join(words), None, replaced)


def _capitalise_word(word: str) -> str:
    # "h'nhi" → "H'Nhi", "nguyễn" → "Nguyễn"; str.title() handles both. A word typed with Caps
    # Lock on ("nGUYỄN") is capitalised the same way; other mixed case ("H'Hen") is kept.
    if word.islower() or word.isupper() or (word[:1].islower() and word[1:].isupper()):
        return word.title()
    return word[:1].upper() + word[1:]


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date cell read day first.

    ``code`` is the failure code when ``value`` is None, or a warning code about a date that
    was read (a two-digit year). ``alternative`` is the month-first reading of a text date: the
    only valid one for DATE_MONTH_FIRST ("12/25/1985"), or the other possible one when day and
    month are both 12 or less ("05/09/1985" could be 9 May).
    """

    value: date | None
    code: str | None = None
    alternative: date | None = None

    @property
    def ambiguous(self) -> bool:
        return self.value is not None and self.alternative is not None


def parse_date(value: Any, *, epoch: date = EXCEL_EPOCH_1900, century_pivot: int | None = None) -> ParsedDate:
    """Parse a date written day first (dd/mm/yyyy), as ISO, in words, or stored by Excel.

    ``epoch`` is the workbook's date system, for dates stored as plain serial numbers. A
    two-digit year ``yy`` is 20yy up to ``century_pivot`` (by default this year's two digits)
    and 19yy above it, with a DATE_TWO_DIGIT_YEAR warning.
    """
    if isinstance(value, datetime):
        return ParsedDate(value.date())
    if isinstance(value, date):
        return ParsedDate(value)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return ParsedDate(None, "DATE_INVALID")
    if isinstance(value, int | float):
        return _parse_excel_serial(float(value), epoch)
    return _parse_date_text(normalise_text(value), epoch, century_pivot)


def _parse_date_text(text: str, epoch: date, century_pivot: int | None) -> ParsedDate:
    match = _DAY_FIRST_DATE.match(text)
    if match:
        first, _, second, year_text = match.groups()
        return _day_first(int(first), int(second), year_text, century_pivot)
    match = _YEAR_FIRST_DATE.match(text)
    if match:
        year, _, month, day = match.groups()
        return _make_date(int(year), int(month), int(day))
    match = _WORDED_DATE.match(_fold(text))
    if match:
        day, month, year = match.groups()
        return _make_date(int(year), int(month), int(day))
    if is_ascii_digits(text) and len(text) == 8:
        return _compact_date(text)
    if _SERIAL_TEXT.match(text):
        # Text that looks like an Excel serial: read as one, with a warning, since "31118" may be a typo.
        serial = _parse_excel_serial(float(text), epoch)
        return ParsedDate(serial.value, "DATE_SERIAL_TEXT") if serial.value is not None else serial
    return ParsedDate(None, "DATE_INVALID")


def _day_first(first: int, second: int, year_text: str, century_pivot: int | None) -> ParsedDate:
    year, code = int(year_text), None
    if len(year_text) == 2:
        pivot = date.today().year % 100 if century_pivot is None else century_pivot
        year += 2000 if year <= pivot else 1900
        code = "DATE_TWO_DIGIT_YEAR"
    day_first = _valid_date(year, second, first)
    month_first = _valid_date(year, first, second) if first != second else None
    if day_first is not None:
        return ParsedDate(day_first, code, alternative=month_first)
    if month_first is not None:
        return ParsedDate(None, "DATE_MONTH_FIRST", alternative=month_first)
    return ParsedDate(None, "DATE_INVALID")


def _compact_date(text: str) -> ParsedDate:
    """Read eight digits as yyyymmdd when that is a date of the 1900s or 2000s, else as ddmmyyyy."""
    if text[:2] in ("19", "20"):
        as_iso = _valid_date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if as_iso is not None:
            return ParsedDate(as_iso)
    return _make_date(int(text[4:]), int(text[2:4]), int(text[:2]))


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _make_date(year: int, month: int, day: int) -> ParsedDate:
    parsed = _valid_date(year, month, day)
    return ParsedDate(parsed) if parsed else ParsedDate(None, "DATE_INVALID")


def _parse_excel_serial(serial: float, epoch: date = EXCEL_EPOCH_1900) -> ParsedDate:
    if serial != serial or not 1 <= serial < _MAX_SERIAL:  # noqa: PLR0124 - NaN is not equal to itself
        return ParsedDate(None, "DATE_INVALID")
    days = int(serial)  # a fraction is the time of day
    if days in _YEAR_ONLY and serial == days:
        return ParsedDate(None, "DATE_INVALID")
    if epoch == EXCEL_EPOCH_1900 and days <= _PHANTOM_LEAP_DAY:
        if days == _PHANTOM_LEAP_DAY:
            return ParsedDate(None, "DATE_INVALID")
        days += 1
    return ParsedDate(epoch + timedelta(days=days))


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
    # The text had full-width digits, read as the ASCII digits they show.
    converted: bool = False


def parse_personal_id(value: Any) -> ParsedId:
    """Read a 12-digit personal ID, repairing what Excel does to numbers where it can.

    An ID typed into a Number or General cell loses its leading zeros. Every birth-registration
    prefix starts with 0 (001–096), so 11 digits get one zero back with a warning. 10 digits get
    two when that gives a known prefix (001–009). Digits lost to scientific notation
    cannot come back, so the ID is rejected: as text ("1.23457E+11", "1,23457E+11"), or as a
    number of 12 or more digits with at most six significant ones, which is what Excel keeps
    when a General cell shows 1.23457E+11 and the file goes through CSV. A real ID ends in six
    zeros once in a million.
    """
    if isinstance(value, bool):
        return ParsedId(None, "PID_FORMAT")
    if isinstance(value, float):
        if not value.is_integer():
            return ParsedId(None, "PID_FORMAT")
        return _from_number(str(int(value)))
    if isinstance(value, int):
        return _from_number(str(value))
    text = normalise_text(value).replace(" ", "").lstrip("'")
    # Full-width digits are what an East Asian input method types for 0–9 and show the same
    # digits, so they are read as those digits with a warning. Any other non-ASCII digit (², ٣,
    # ३) is no digit an officer copies from an identity card, and the ID is rejected.
    ascii_text = text.translate(_FULLWIDTH_DIGITS)
    parsed = _from_text(ascii_text)
    if ascii_text != text and parsed.value is not None:
        return ParsedId(parsed.value, parsed.code, converted=True)
    return parsed


def _from_text(text: str) -> ParsedId:
    if _SCIENTIFIC.match(text):
        return ParsedId(None, "PID_SCIENTIFIC")
    if _WHOLE_NUMBER_TEXT.match(text):  # "79185012345.0": a number cell written out by a program
        return _from_number(text.split(".", 1)[0])
    if _GROUPED_DIGITS.match(text):
        text = text.replace(".", "").replace(",", "")
    if not is_ascii_digits(text):
        return ParsedId(None, "PID_FORMAT")
    if len(text) == 12:
        return ParsedId(text)
    if text.startswith("0"):
        return ParsedId(None, "PID_FORMAT")  # a zero is still there, so a digit is missing elsewhere
    return _restore_leading_zeros(text)


_SCIENTIFIC = re.compile(r"^[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+$")
_WHOLE_NUMBER_TEXT = re.compile(r"^[0-9]+\.0+$")
_GROUPED_DIGITS = re.compile(r"^[0-9]{1,3}(?:([.,])[0-9]{3})(?:\1[0-9]{3})*$")
# Digits Excel's General format keeps when it shows a number in scientific notation (1.23457E+11).
_SCIENTIFIC_DIGITS = 6


def _from_number(digits: str) -> ParsedId:
    if len(digits) >= 12 and len(digits.rstrip("0")) <= _SCIENTIFIC_DIGITS:
        return ParsedId(None, "PID_SCIENTIFIC")
    if len(digits) == 12:
        return ParsedId(digits)
    return _restore_leading_zeros(digits)


def _restore_leading_zeros(digits: str) -> ParsedId:
    if len(digits) == 11:
        return ParsedId("0" + digits, "PID_LEADING_ZERO_RESTORED")
    if len(digits) == 10 and "00" + digits[0] in BIRTH_REGISTRATION_PREFIXES:
        return ParsedId("00" + digits, "PID_LEADING_ZERO_RESTORED")
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
