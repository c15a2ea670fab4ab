"""Cell parsing: dates in the forms agencies write them, and personal IDs damaged by Excel."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cbccvc.models import Severity
from cbccvc.validation.codes import SEVERITY
from cbccvc.validation.values import EXCEL_EPOCH_1904, parse_date, parse_personal_id


@pytest.mark.parametrize(("raw", "expected"), [
    ("05/09/1985", date(1985, 9, 5)),
    ("5/9/1985", date(1985, 9, 5)),
    ("05-9-1985", date(1985, 9, 5)),
    ("5.9.1985", date(1985, 9, 5)),
    ("05 / 09 / 1985", date(1985, 9, 5)),
    ("05/09/1985 00:00:00", date(1985, 9, 5)),
    ("05/09/1985 12:30 PM", date(1985, 9, 5)),
    ("1985-09-05", date(1985, 9, 5)),
    ("1985-09-05T00:00:00Z", date(1985, 9, 5)),
    ("1985/9/5", date(1985, 9, 5)),
    ("Ngày 05 tháng 9 năm 1985", date(1985, 9, 5)),
    ("05091985", date(1985, 9, 5)),
    ("19850905", date(1985, 9, 5)),
    (31295, date(1985, 9, 5)),
    (31295.75, date(1985, 9, 5)),
    (datetime(1985, 9, 5, 10, 30), date(1985, 9, 5)),
    (date(1985, 9, 5), date(1985, 9, 5)),
    ("25/12/1985", date(1985, 12, 25)),
])
def test_parse_date_accepted(raw: object, expected: date) -> None:
    parsed = parse_date(raw)
    assert parsed.value == expected
    assert parsed.code is None


def test_parse_date_serial_text_warned() -> None:
    parsed = parse_date("31295")
    assert parsed.value == date(1985, 9, 5)
    assert parsed.code == "DATE_SERIAL_TEXT"
    assert SEVERITY["DATE_SERIAL_TEXT"] is Severity.WARNING


@pytest.mark.parametrize("raw", ["31/02/1985", "30/02/2000", "29/02/1985", "32/01/1985", "00/01/1985",
                                 "1985", 1985, "abc", "05/09", "", True, 0, -5, 90_000, float("nan")])
def test_parse_date_invalid(raw: object) -> None:
    parsed = parse_date(raw)
    assert parsed.value is None
    assert parsed.code == "DATE_INVALID"


def test_parse_date_month_first_only() -> None:
    parsed = parse_date("12/25/1985")
    assert parsed.value is None
    assert parsed.code == "DATE_MONTH_FIRST"
    assert parsed.alternative == date(1985, 12, 25)


def test_parse_date_ambiguous_day_month() -> None:
    parsed = parse_date("05/09/1985")
    assert parsed.ambiguous
    assert parsed.alternative == date(1985, 5, 9)
    assert not parse_date("05/05/1985").ambiguous
    assert not parse_date("25/09/1985").ambiguous
    assert not parse_date(31295).ambiguous


def test_parse_date_two_digit_year() -> None:
    older = parse_date("05/09/85", century_pivot=25)
    newer = parse_date("05/09/05", century_pivot=25)
    assert older.value == date(1985, 9, 5)
    assert older.code == "DATE_TWO_DIGIT_YEAR"
    assert newer.value == date(2005, 9, 5)
    assert newer.code == "DATE_TWO_DIGIT_YEAR"


def test_parse_date_1904_serial() -> None:
    # 1985-09-05 is serial 31295 in the 1900 system and 29833 in the 1904 system.
    assert parse_date(29833, epoch=EXCEL_EPOCH_1904).value == date(1985, 9, 5)
    assert parse_date("29833", epoch=EXCEL_EPOCH_1904).value == date(1985, 9, 5)


def test_parse_date_1900_leap_bug() -> None:
    assert parse_date(59).value == date(1900, 2, 28)
    assert parse_date(60).code == "DATE_INVALID"
    assert parse_date(61).value == date(1900, 3, 1)


@pytest.mark.parametrize(("raw", "expected", "code"), [
    ("001085012345", "001085012345", None),
    (" 001 085 012 345 ", "001085012345", None),
    ("'001085012345", "001085012345", None),
    ("001.085.012.345", "001085012345", None),
    (79185012345.0, "079185012345", "PID_LEADING_ZERO_RESTORED"),
    (79185012345, "079185012345", "PID_LEADING_ZERO_RESTORED"),
    ("79185012345", "079185012345", "PID_LEADING_ZERO_RESTORED"),
    ("79185012345.0", "079185012345", "PID_LEADING_ZERO_RESTORED"),
    (1085012345.0, "001085012345", "PID_LEADING_ZERO_RESTORED"),
    (123456789012.0, "123456789012", None),
])
def test_parse_personal_id_read(raw: object, expected: str, code: str | None) -> None:
    parsed = parse_personal_id(raw)
    assert parsed.value == expected
    assert parsed.code == code


@pytest.mark.parametrize(("raw", "code"), [
    ("1.23457E+11", "PID_SCIENTIFIC"),
    ("1,23457E+11", "PID_SCIENTIFIC"),
    ("7.9185E+10", "PID_SCIENTIFIC"),
    ("1.2E11", "PID_SCIENTIFIC"),
    (1.23457e11, "PID_SCIENTIFIC"),
    (1.23e11, "PID_SCIENTIFIC"),
    (1.2e12, "PID_SCIENTIFIC"),
    ("07918501234", "PID_FORMAT"),  # a leading zero is there, so a digit is missing elsewhere
    ("0791850123456", "PID_FORMAT"),
    ("0791850l2345", "PID_FORMAT"),
    (3085012345, "PID_FORMAT"),  # two zeros back would give prefix 003, which no province has
    (79185012345.5, "PID_FORMAT"),
    (True, "PID_FORMAT"),
    (1234567, "PID_FORMAT"),
])
def test_parse_personal_id_rejected(raw: object, code: str) -> None:
    parsed = parse_personal_id(raw)
    assert parsed.value is None
    assert parsed.code == code
