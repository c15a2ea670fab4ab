"""Finding codes and their severities.

An error blocks the record (at file level, the whole file); a warning is reported and the
record is still staged. Severities follow the product's rule table: identity, dates, codes
and catalog membership that the national database keys on are errors; plausibility checks
the law does not fix (age at recruitment, Party card format, unknown ID prefix) are warnings.
"""

from __future__ import annotations

from cbccvc.models import Severity

E = Severity.ERROR
W = Severity.WARNING

# File-level codes reject the whole upload.
FILE_LEVEL_CODES: frozenset[str] = frozenset({
    "FILE_DAMAGED", "FILE_ENCODING_UNKNOWN", "FILE_JSON_INVALID", "FILE_JSON_NOT_RECORDS",
    "FILE_FORMAT_UNSUPPORTED", "FILE_EMPTY", "SHEETS_ONLY_HIDDEN", "FILE_TOO_LARGE", "HEADER_NOT_FOUND",
    "HEADER_MISSING_REQUIRED", "HEADER_MISSING_REQUIRED_SHEET",
    "AGENCY_UNKNOWN", "KEY_INVALID", "NO_VALID_RECORDS", "POPULATION_SERVICE_DOWN",
})

SEVERITY: dict[str, Severity] = {
    **dict.fromkeys(FILE_LEVEL_CODES, E),
    "REQUIRED_MISSING": E,
    "NAME_INVALID": E,
    "NAME_CHARACTERS_REPLACED": W,
    "DATE_INVALID": E,
    "DATE_IN_FUTURE": E,
    "AGE_OUT_OF_RANGE": W,
    "GENDER_INVALID": E,
    "PID_FORMAT": E,
    "PID_SCIENTIFIC": E,
    "PID_LEADING_ZERO_RESTORED": W,
    "PID_DIGITS_CONVERTED": W,
    "PID_PREFIX_UNKNOWN": W,
    "PID_CENTURY_INVALID": E,
    "PID_GENDER_MISMATCH": E,
    "PID_YEAR_MISMATCH": E,
    "PID_DUPLICATE": E,
    "ROW_DUPLICATE": W,
    "PERSON_DUPLICATE_SUSPECTED": W,
    "OLD_ID_FORMAT": W,
    "ETHNICITY_UNKNOWN": E,
    "RELIGION_UNKNOWN": W,
    "COMMUNE_UNKNOWN": E,
    "COMMUNE_LEGACY_MAPPED": W,
    "COMMUNE_LEGACY_AMBIGUOUS": E,
    "UNIT_UNKNOWN": E,
    "UNITS_NOT_CONFIGURED": W,
    "UNITS_NOT_GIVEN": W,
    "POSITION_MISSING": W,
    "RANK_UNKNOWN": E,
    "SALARY_STEP_INVALID": E,
    "SALARY_COEFFICIENT_INVALID": E,
    "NUMBER_INVALID": E,
    "PARTY_DATES_ORDER": E,
    "PARTY_JOIN_UNDERAGE": W,
    "PARTY_OFFICIAL_WITHOUT_JOIN": E,
    "PARTY_CARD_FORMAT": W,
    "RECRUITMENT_UNDERAGE": W,
    "SERVICE_DATES_ORDER": E,
    "VALUE_NOT_IN_LIST": W,
    "POPULATION_NOT_FOUND": E,
    "POPULATION_MISMATCH": E,
    "POPULATION_UNAVAILABLE": E,
    "POPULATION_QUERY_INVALID": E,
    # Added with the schema fields of 2C-BNV/2008 items 4, 15.2, 17, 18 and 26, and the code checks.
    "DATE_BEFORE_BIRTH": E,
    "SOCIAL_INSURANCE_FORMAT": W,
    "ETHNICITY_CODE_GIVEN": W,
    "ETHNICITY_CODE_AMBIGUOUS": E,
    "RANK_FORMAT": E,
    "PARTY_PROBATION_SHORT": W,
    # Reading the file (messages in messages/intake.py).
    "FILE_PASSWORD_PROTECTED": E,
    "FILE_TOO_MANY_CELLS": E,
    "FILE_LEGACY_ENCODING": W,
    "CELL_LEGACY_FONT": W,
    "CELL_TOO_LONG": E,
    "ROW_TOO_MANY_CELLS": E,
    "ROW_TOO_FEW_CELLS": W,
    "ROWS_NOT_RECORDS": W,
    "DATE_MONTH_FIRST": E,
    "DATE_ORDER_AMBIGUOUS": W,
    "DATE_TWO_DIGIT_YEAR": W,
    "DATE_SERIAL_TEXT": W,
    "CELL_FORMULA_ERROR": E,
    "COLUMN_NOT_RECOGNISED": W,
    "COLUMN_DUPLICATE_FIELD": W,
    "COLUMNS_NOT_RECOGNISED_MORE": W,
    "COLUMNS_DROPPED": W,
    "CELL_FORMULA_ERROR_IGNORED": W,
    "CSV_QUOTE_UNCLOSED": E,
    "ROW_DATE_UNREADABLE": E,
    "SHEET_HIDDEN_SKIPPED": W,
}
