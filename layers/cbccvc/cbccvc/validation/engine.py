"""Validate the tables of an export column by column.

Most columns repeat few distinct values (ethnic groups, commune, unit and rank codes, dates
of the same years), so each column check parses and looks up every distinct value once and
maps the result back onto the rows. Only checks that combine fields of one row (the ID
against gender and birth year, the coefficient against rank and step) run per row, on
values already parsed.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from cbccvc.catalogs import admin_units, cccd, education, ethnicity, ranks, religions
from cbccvc.catalogs.text import fold
from cbccvc.intake.table import Table
from cbccvc.models import Finding
from cbccvc.schema import FIELDS_BY_NAME
from cbccvc.validation import values as parse
from cbccvc.validation.codes import SEVERITY

# Working age bounds for a plausibility warning on the date of birth, in years.
MIN_STAFF_AGE = 16
MAX_STAFF_AGE = 75
ADULT_AGE = 18
# Coefficients are published with two decimals; accept rounding in the third.
COEFFICIENT_TOLERANCE = Decimal("0.005")
_GENDER_LABEL = {"male": "Nam", "female": "Nữ"}

# A finding about repeated rows names at most this many of them.
MAX_ROWS_NAMED = 10
# Party probation lasts 12 months (Điều lệ Đảng, Article 5); shorter is only a warning.
PARTY_PROBATION_MONTHS = 12
# The social insurance book number (số sổ BHXH) has 10 digits ⚠️ (2C-BNV/2008 item 26, not verified).
SOCIAL_INSURANCE_DIGITS = 10

TEXT_FIELDS = ("unit_name", "position", "job_position", "status")
# Military ranks (cấp bậc quân hàm) of the People's Army and the People's Police. The names come from
# the Law on Officers of the Vietnam People's Army 1999 (Article 10), the Law on Military Service 2015
# (Article 8) and the Law on the People's Public Security 2018 (Article 21).
MILITARY_RANKS: tuple[str, ...] = (
    "Binh nhì", "Binh nhất", "Hạ sĩ", "Trung sĩ", "Thượng sĩ",
    "Chuẩn úy", "Thiếu úy", "Trung úy", "Thượng úy", "Đại úy",
    "Thiếu tá", "Trung tá", "Thượng tá", "Đại tá",
    "Thiếu tướng", "Trung tướng", "Thượng tướng", "Đại tướng",
)
_MILITARY_RANK_INDEX = {fold(name): name for name in MILITARY_RANKS}


def lookup_military_rank(text: str) -> str | None:
    """Return the canonical military rank named by ``text`` (case and diacritics ignored), or None."""
    return _MILITARY_RANK_INDEX.get(fold(text))


CATALOG_VALUE_FIELDS: dict[str, Callable[[str], str | None]] = {
    "education_general": education.lookup_general_education,
    "qualification": education.lookup_qualification,
    "academic_title": education.lookup_academic_title,
    "political_theory": education.lookup_political_theory,
    "state_management": education.lookup_state_management,
    "highest_military_rank": lookup_military_rank,
}
_ALLOWED_VALUES: dict[str, tuple[str, ...]] = {
    "education_general": education.GENERAL_EDUCATION_GRADES,
    "qualification": education.QUALIFICATIONS,
    "academic_title": education.ACADEMIC_TITLES,
    "political_theory": education.POLITICAL_THEORY,
    "state_management": education.STATE_MANAGEMENT,
    "highest_military_rank": MILITARY_RANKS,
}
DATE_FIELDS = ("birth_date", "recruitment_date", "salary_since", "party_join_date", "party_official_date",
               "enlistment_date", "discharge_date", "social_org_join_date")
# Dates of events in a person's life: none can precede the date of birth.
LIFE_EVENT_DATE_FIELDS = ("recruitment_date", "salary_since", "party_join_date", "party_official_date",
                          "enlistment_date", "discharge_date", "social_org_join_date")
# A catalog entry picked from the template's dropdown: "00004 – Phường Ba Đình", "01.003 - Chuyên viên".
_CODE_WITH_NAME = re.compile(r"^\s*(\S+)\s+[-–—]\s+\S.*$")


@dataclass(slots=True)
class ValidationContext:
    agency_code: str
    mandatory_fields: tuple[str, ...]
    # Unit codes of the agency's organisation tree; None when none is registered.
    org_units: frozenset[str] | None
    today: date


@dataclass(slots=True)
class TableResult:
    """Normalised records of one table, which of them are blocked, and the findings."""

    table: Table
    records: list[dict[str, Any]]
    blocked: list[bool]
    # Rows dropped as exact repeats of an earlier row: neither staged nor counted invalid.
    dropped: list[bool]
    findings: list[Finding] = field(default_factory=list)


# --- progress ---------------------------------------------------------------------------------

# A listener gets an event name and its fields: ("column_check", step, steps, sheet, headers) before
# each check of a table, ("file_check", tables) before the file-level checks.
ProgressListener = Callable[[str, dict[str, Any]], None]
_PROGRESS: ContextVar[ProgressListener | None] = ContextVar("validation_progress", default=None)


@contextmanager
def progress_listener(listener: ProgressListener) -> Iterator[None]:
    """Send progress events of the checks run inside the block to ``listener``.

    The offline command uses it to show progress on large files; the validate stage runs
    without one. Events come per check (one check covers one or a few columns), never per row.
    """
    token = _PROGRESS.set(listener)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def _notify(event: str, **params: Any) -> None:
    listener = _PROGRESS.get()
    if listener is not None:
        listener(event, params)


# The fields each check reads, in the order the checks run, for progress messages.
_CHECK_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("check_mandatory", ()),
    ("check_personal_id", ("personal_id",)),
    ("check_full_name", ("full_name",)),
    ("check_dates", DATE_FIELDS),
    ("check_gender", ("gender",)),
    ("check_id_against_person", ("personal_id", "gender", "birth_date")),
    ("check_birth_date_plausible", ("birth_date",)),
    ("check_life_event_dates", LIFE_EVENT_DATE_FIELDS),
    ("check_old_id", ("old_id_number",)),
    ("check_social_insurance", ("social_insurance_number",)),
    ("check_ethnicity", ("ethnicity",)),
    ("check_religion", ("religion",)),
    ("check_communes", ("birthplace_commune", "hometown_commune", "residence_commune")),
    ("check_unit", ("unit_code",)),
    ("check_texts", TEXT_FIELDS),
    ("check_rank_and_salary", ("rank_code", "salary_step", "salary_coefficient")),
    ("check_catalog_values", tuple(CATALOG_VALUE_FIELDS)),
    ("check_party", ("party_join_date", "party_official_date", "party_card_number")),
    ("check_recruitment_and_service", ("recruitment_date", "enlistment_date", "discharge_date")),
)


class _TableCheck:
    """Runs every column and row check over one table, collecting findings."""

    def __init__(self, table: Table, context: ValidationContext) -> None:
        self.table = table
        self.context = context
        size = len(table)
        self.records: list[dict[str, Any]] = [{} for _ in range(size)]
        self.blocked = table.blocked_rows()
        self.dropped = [False] * size
        self.findings: list[Finding] = list(table.findings)

    # --- collecting -----------------------------------------------------------------------

    def add(self, index: int, field_name: str, code: str, **params: Any) -> None:
        column = self.table.columns.get(field_name)
        severity = SEVERITY[code]
        self.findings.append(Finding(
            code=code,
            severity=severity,
            row=self.table.row_numbers[index],
            column=column.letter if column else None,
            sheet=self.table.sheet,
            header=column.header if column else FIELDS_BY_NAME[field_name].header,
            field=field_name,
            params=params,
        ))
        if severity == "error":
            self.blocked[index] = True

    def column_values(self, field_name: str) -> Sequence[Any] | None:
        column = self.table.columns.get(field_name)
        return column.values if column else None

    def set_all(self, field_name: str, results: Sequence[Any]) -> None:
        for record, value in zip(self.records, results, strict=True):
            record[field_name] = value

    # --- running --------------------------------------------------------------------------

    def run(self) -> TableResult:
        """Run the checks in order: later checks read the values earlier ones parsed."""
        for step, (method_name, field_names) in enumerate(_CHECK_FIELDS, start=1):
            headers = [self.table.columns[name].header for name in field_names if name in self.table.columns]
            _notify("column_check", step=step, steps=len(_CHECK_FIELDS), sheet=self.table.sheet,
                    headers=", ".join(headers))
            getattr(self, method_name)()
        return TableResult(self.table, self.records, self.blocked, self.dropped, self.findings)

    def check_mandatory(self) -> None:
        for field_name in self.context.mandatory_fields:
            column_values = self.column_values(field_name)
            if column_values is None:
                continue  # a missing mandatory column rejects the file before the engine runs
            for index, raw in enumerate(column_values):
                if parse.is_blank(raw):
                    self.add(index, field_name, "REQUIRED_MISSING", header=self._header(field_name))

    def _header(self, field_name: str) -> str:
        column = self.table.columns.get(field_name)
        return column.header if column else FIELDS_BY_NAME[field_name].header

    def check_personal_id(self) -> None:
        column_values = self.column_values("personal_id")
        if column_values is None:
            return
        for index, raw in enumerate(column_values):
            if parse.is_blank(raw):
                self.records[index]["personal_id"] = None
                continue
            parsed = parse.parse_personal_id(raw)
            self.records[index]["personal_id"] = parsed.value
            if parsed.value is None:
                self.add(index, "personal_id", parsed.code or "PID_FORMAT", value=parse.normalise_text(raw))
                continue
            if parsed.code:
                self.add(index, "personal_id", parsed.code, value=parse.normalise_text(raw), restored=parsed.value)
            prefix = parsed.value[:3]
            if prefix not in cccd.BIRTH_REGISTRATION_PREFIXES:
                self.add(index, "personal_id", "PID_PREFIX_UNKNOWN", prefix=prefix)
            century_digit = parsed.value[3]
            century_start, _ = cccd.GENDER_CENTURY_DIGIT[century_digit]
            if century_start > self.context.today.year - MIN_STAFF_AGE:
                self.add(index, "personal_id", "PID_CENTURY_INVALID", digit=century_digit,
                         century=f"{century_start}–{century_start + 99}")

    def check_full_name(self) -> None:
        column_values = self.column_values("full_name")
        if column_values is None:
            return
        results = _map_distinct(column_values, _parse_name)
        for index, (raw, (name, reason)) in enumerate(zip(column_values, results, strict=True)):
            if parse.is_blank(raw):
                self.records[index]["full_name"] = None
                continue
            self.records[index]["full_name"] = name
            if reason:
                self.add(index, "full_name", "NAME_INVALID", value=name, reason=reason)

    def check_dates(self) -> None:
        """Read every date column day first; flag month-first dates and, beside them, ambiguous ones.

        Dates stored as plain numbers are serials of the workbook's date system. A column where
        some text date is valid only month first ("12/25/1985") was probably written month
        first throughout, so its dates that read both ways ("05/09/1985") get a warning too.
        """
        parse_cell = functools.partial(parse.parse_date, epoch=self.table.date_epoch,
                                       century_pivot=self.context.today.year % 100)
        for field_name in DATE_FIELDS:
            column_values = self.column_values(field_name)
            if column_values is not None:
                self._check_date_column(field_name, column_values, _map_distinct(column_values, parse_cell))

    def _check_date_column(self, field_name: str, column_values: Sequence[Any],
                           results: Sequence[parse.ParsedDate]) -> None:
        today = self.context.today
        month_first_seen = any(parsed.code == "DATE_MONTH_FIRST" for parsed in results)
        for index, (raw, parsed) in enumerate(zip(column_values, results, strict=True)):
            if parse.is_blank(raw):
                self.records[index][field_name] = None
                continue
            value = parsed.value
            self.records[index][field_name] = value
            shown = parse.normalise_text(raw)
            if value is None:
                if parsed.code == "DATE_MONTH_FIRST" and parsed.alternative is not None:
                    self.add(index, field_name, "DATE_MONTH_FIRST", value=shown,
                             alternative=_format_date(parsed.alternative))
                else:
                    self.add(index, field_name, parsed.code or "DATE_INVALID", value=shown)
                continue
            if parsed.code:
                self.add(index, field_name, parsed.code, value=shown, read=_format_date(value))
            if month_first_seen and parsed.ambiguous and parsed.alternative is not None:
                self.add(index, field_name, "DATE_ORDER_AMBIGUOUS", value=shown, read=_format_date(value),
                         alternative=_format_date(parsed.alternative))
            if value > today:
                self.add(index, field_name, "DATE_IN_FUTURE", value=_format_date(value))

    def check_gender(self) -> None:
        column_values = self.column_values("gender")
        if column_values is None:
            return
        results = _map_distinct(column_values, parse.parse_gender)
        for index, (raw, gender) in enumerate(zip(column_values, results, strict=True)):
            self.records[index]["gender"] = gender
            if gender is None and not parse.is_blank(raw):
                self.add(index, "gender", "GENDER_INVALID", value=parse.normalise_text(raw))

    def check_id_against_person(self) -> None:
        """The century/gender digit and the birth year in the ID must agree with the row."""
        if "personal_id" not in self.table.columns:
            return
        for index, record in enumerate(self.records):
            personal_id = record.get("personal_id")
            if personal_id is None:
                continue
            decoded = cccd.decode_personal_id(personal_id)
            if decoded is None:
                continue
            gender = record.get("gender")
            if gender is not None and gender != decoded.gender:
                self.add(index, "personal_id", "PID_GENDER_MISMATCH",
                         id_gender=_GENDER_LABEL[decoded.gender], gender=_GENDER_LABEL[gender])
            birth_date = record.get("birth_date")
            if birth_date is not None and birth_date.year != decoded.birth_year:
                self.add(index, "personal_id", "PID_YEAR_MISMATCH",
                         id_year=decoded.birth_year, birth_year=birth_date.year)

    def check_birth_date_plausible(self) -> None:
        today = self.context.today
        for index, record in enumerate(self.records):
            birth_date = record.get("birth_date")
            if birth_date is None or birth_date > today:
                continue
            age = _age_on(birth_date, today)
            if not MIN_STAFF_AGE <= age <= MAX_STAFF_AGE:
                self.add(index, "birth_date", "AGE_OUT_OF_RANGE", value=_format_date(birth_date), age=age,
                         minimum=MIN_STAFF_AGE, maximum=MAX_STAFF_AGE)

    def check_old_id(self) -> None:
        column_values = self.column_values("old_id_number")
        if column_values is None:
            return
        for index, raw in enumerate(column_values):
            if parse.is_blank(raw):
                self.records[index]["old_id_number"] = None
                continue
            text = parse.parse_code(raw).replace(" ", "")
            if len(text) == 8 and text.isdigit():
                text = "0" + text  # a Number cell drops the leading zero of 9-digit CMND numbers
            self.records[index]["old_id_number"] = text
            if not (text.isdigit() and len(text) in (9, 12)):
                self.add(index, "old_id_number", "OLD_ID_FORMAT", value=text)

    def check_life_event_dates(self) -> None:
        """No event of a person's working life can come before the date of birth."""
        if "birth_date" not in self.table.columns:
            return
        present = [name for name in LIFE_EVENT_DATE_FIELDS if name in self.table.columns]
        for index, record in enumerate(self.records):
            birth = record.get("birth_date")
            if birth is None:
                continue
            for field_name in present:
                day = record.get(field_name)
                if day is not None and day < birth:
                    self.add(index, field_name, "DATE_BEFORE_BIRTH", value=_format_date(day),
                             birth=_format_date(birth), header=self._header(field_name))

    def check_social_insurance(self) -> None:
        column_values = self.column_values("social_insurance_number")
        if column_values is None:
            return
        for index, raw in enumerate(column_values):
            if parse.is_blank(raw):
                self.records[index]["social_insurance_number"] = None
                continue
            text = parse.parse_code(raw).replace(" ", "")
            if isinstance(raw, int | float) and text.isdigit() and len(text) == SOCIAL_INSURANCE_DIGITS - 1:
                text = "0" + text  # a Number cell drops the leading zero of the province part
            self.records[index]["social_insurance_number"] = text
            if not (text.isdigit() and len(text) == SOCIAL_INSURANCE_DIGITS):
                self.add(index, "social_insurance_number", "SOCIAL_INSURANCE_FORMAT", value=text,
                         digits=SOCIAL_INSURANCE_DIGITS)

    def check_ethnicity(self) -> None:
        column_values = self.column_values("ethnicity")
        if column_values is None:
            return
        results = _map_distinct(column_values, _lookup_ethnicity)
        for index, (raw, (named, code)) in enumerate(zip(column_values, results, strict=True)):
            record = self.records[index]
            if parse.is_blank(raw):
                record["ethnicity"] = None
                continue
            group = named if code is None else self._ethnicity_from_code(index, code)
            if group is None:
                record["ethnicity"] = parse.normalise_text(raw)
                if code is None:
                    self.add(index, "ethnicity", "ETHNICITY_UNKNOWN", value=parse.normalise_text(raw))
                continue
            record["ethnicity"] = group.name
            record["ethnicity_code"] = group.code_2008
            record["ethnicity_list"] = ethnicity.ETHNIC_LIST_VERSION

    def _ethnicity_from_code(self, index: int, code: str) -> ethnicity.EthnicGroup | None:
        """Read a numeric ethnicity code, which the 1979 and 2008 lists number differently.

        Where both lists name the same group the code is accepted (as the 2008 code) with a
        warning to write the name; where they differ, guessing would misfile a sensitive
        attribute, so the row is blocked until the agency writes the name.
        """
        by_2008 = ethnicity.ethnic_group_by_code_2008().get(code)
        by_1979 = _ethnic_groups_by_code_1979().get(code)
        if by_2008 is None and by_1979 is None:
            self.add(index, "ethnicity", "ETHNICITY_UNKNOWN", value=code)
            return None
        if by_2008 is not None and by_1979 is not None and by_2008 is not by_1979:
            self.add(index, "ethnicity", "ETHNICITY_CODE_AMBIGUOUS", value=code, name_2008=by_2008.name,
                     name_1979=by_1979.name)
            return None
        group = by_2008 or by_1979
        if group is not None:
            self.add(index, "ethnicity", "ETHNICITY_CODE_GIVEN", value=code, name=group.name)
        return group

    def check_religion(self) -> None:
        column_values = self.column_values("religion")
        if column_values is None:
            return
        results = _map_distinct(column_values, lambda raw: religions.lookup_religion(parse.normalise_text(raw)))
        for index, (raw, religion) in enumerate(zip(column_values, results, strict=True)):
            record = self.records[index]
            if parse.is_blank(raw):
                record["religion"] = None
                continue
            if religion is None:
                record["religion"] = parse.normalise_text(raw)
                self.add(index, "religion", "RELIGION_UNKNOWN", value=parse.normalise_text(raw))
                continue
            record["religion"] = religion.name
            record["religion_code"] = religion.code

    def check_communes(self) -> None:
        current = admin_units.current_communes()
        legacy = admin_units.legacy_communes()
        # Birthplace and hometown are written with the units of their time (2C-BNV/2008 items 4–5).
        self._check_commune_column("birthplace_commune", current, legacy, legacy_allowed=True)
        self._check_commune_column("hometown_commune", current, legacy, legacy_allowed=True)
        self._check_commune_column("residence_commune", current, legacy, legacy_allowed=False)

    def _check_commune_column(self, field_name: str, current: dict[str, Any], legacy: dict[str, Any],
                              *, legacy_allowed: bool) -> None:
        column_values = self.column_values(field_name)
        if column_values is None:
            return
        codes = _map_distinct(column_values, _commune_code)
        for index, (raw, code) in enumerate(zip(column_values, codes, strict=True)):
            record = self.records[index]
            if parse.is_blank(raw):
                record[field_name] = None
                continue
            shown = _code_part(parse.parse_code(raw))
            if code is not None and code in current:
                record[field_name] = code
                record[f"{field_name}_list"] = admin_units.CURRENT_LIST_VERSION
            elif code is not None and code in legacy and legacy_allowed:
                # Birthplace and hometown are written with the units of their time.
                record[field_name] = code
                record[f"{field_name}_list"] = admin_units.LEGACY_LIST_VERSION
            elif code is not None and code in legacy:
                self._convert_legacy_commune(index, field_name, code, shown, current)
            else:
                record[field_name] = shown
                self.add(index, field_name, "COMMUNE_UNKNOWN", value=shown)

    def _convert_legacy_commune(self, index: int, field_name: str, code: str, shown: str,
                                current: dict[str, Any]) -> None:
        record = self.records[index]
        successors, whole_unit = admin_units.current_successors(code)
        if whole_unit and len(successors) == 1:
            new_code = successors[0]
            record[field_name] = new_code
            record[f"{field_name}_list"] = admin_units.CURRENT_LIST_VERSION
            self.add(index, field_name, "COMMUNE_LEGACY_MAPPED", value=shown, new_code=new_code,
                     new_name=current[new_code].name)
            return
        record[field_name] = code
        record[f"{field_name}_list"] = admin_units.LEGACY_LIST_VERSION
        candidates = ", ".join(f"{successor} {current[successor].name}" for successor in successors
                               if successor in current)
        self.add(index, field_name, "COMMUNE_LEGACY_AMBIGUOUS", value=shown, candidates=candidates or "-")

    def check_unit(self) -> None:
        column_values = self.column_values("unit_code")
        if column_values is None:
            return
        units = self.context.org_units
        for index, raw in enumerate(column_values):
            if parse.is_blank(raw):
                self.records[index]["unit_code"] = None
                continue
            code = parse.parse_code(raw)
            self.records[index]["unit_code"] = code
            if units is not None and code not in units:
                self.add(index, "unit_code", "UNIT_UNKNOWN", value=code)

    def check_texts(self) -> None:
        for field_name in TEXT_FIELDS:
            column_values = self.column_values(field_name)
            if column_values is None:
                continue
            results = _map_distinct(column_values, _optional_text)
            self.set_all(field_name, results)
        if "position" not in self.table.columns and "job_position" not in self.table.columns:
            return
        for index, record in enumerate(self.records):
            if not record.get("position") and not record.get("job_position"):
                self.add(index, "position", "POSITION_MISSING")

    def check_rank_and_salary(self) -> None:
        rank_values = self.column_values("rank_code")
        step_values = self.column_values("salary_step")
        coefficient_values = self.column_values("salary_coefficient")
        size = len(self.table)
        rank_results = _map_distinct(rank_values, _lookup_rank) if rank_values is not None else [None] * size
        step_results = _map_distinct(step_values, _optional_integer) if step_values is not None else [None] * size
        coefficient_results = (
            _map_distinct(coefficient_values, _optional_decimal) if coefficient_values is not None else [None] * size
        )
        for index in range(size):
            record = self.records[index]
            rank = rank_results[index]
            step = step_results[index]
            coefficient = coefficient_results[index]
            if rank_values is not None:
                record["rank_code"] = self._checked_rank(index, rank_values[index], rank)
            if step_values is not None:
                record["salary_step"] = self._checked_number(index, "salary_step", step_values[index], step)
            if coefficient_values is not None:
                checked = self._checked_number(index, "salary_coefficient", coefficient_values[index], coefficient)
                record["salary_coefficient"] = f"{checked:.2f}" if isinstance(checked, Decimal) else None
            if isinstance(rank, ranks.RankTitle):
                self._check_scale(index, rank, step, coefficient)

    def _checked_rank(self, index: int, raw: Any, rank: Any) -> str | None:
        if parse.is_blank(raw):
            return None
        if rank is None:
            written = _code_part(parse.normalise_text(raw))
            code_shape = _RANK_SHAPE.fullmatch(ranks.normalise_rank_code(written))
            self.add(index, "rank_code", "RANK_UNKNOWN" if code_shape else "RANK_FORMAT", value=written)
            return written
        code: str = rank.code
        return code

    def _checked_number(self, index: int, field_name: str, raw: Any, number: Any) -> Any:
        if parse.is_blank(raw):
            return None
        if number is None:
            self.add(index, field_name, "NUMBER_INVALID", value=parse.normalise_text(raw))
        return number

    def _check_scale(self, index: int, rank: ranks.RankTitle, step: int | None,
                     coefficient: Decimal | None) -> None:
        group = rank.salary_group
        scale = ranks.SALARY_SCALES.get(group) if group else None
        if scale is None or step is None:
            return
        if not 1 <= step <= scale.steps:
            self.add(index, "salary_step", "SALARY_STEP_INVALID", value=step, group=group, max_step=scale.steps)
            return
        if coefficient is None:
            return
        expected = ranks.expected_coefficient(scale.group, step)
        if abs(coefficient - expected) > COEFFICIENT_TOLERANCE:
            self.add(index, "salary_coefficient", "SALARY_COEFFICIENT_INVALID", value=f"{coefficient:.2f}",
                     step=step, group=group, expected=f"{expected:.2f}")

    def check_catalog_values(self) -> None:
        for field_name, lookup in CATALOG_VALUE_FIELDS.items():
            column_values = self.column_values(field_name)
            if column_values is None:
                continue
            results = _map_distinct(column_values, functools.partial(_lookup_text, lookup=lookup))
            for index, (raw, canonical) in enumerate(zip(column_values, results, strict=True)):
                if parse.is_blank(raw):
                    self.records[index][field_name] = None
                    continue
                self.records[index][field_name] = canonical or parse.normalise_text(raw)
                if canonical is None:
                    self.add(index, field_name, "VALUE_NOT_IN_LIST", value=parse.normalise_text(raw),
                             allowed=_allowed_values(field_name))

    def check_party(self) -> None:
        card_values = self.column_values("party_card_number")
        for index, record in enumerate(self.records):
            joined = record.get("party_join_date")
            official = record.get("party_official_date")
            birth = record.get("birth_date")
            if official is not None and joined is None and "party_join_date" in self.table.columns:
                self.add(index, "party_official_date", "PARTY_OFFICIAL_WITHOUT_JOIN")
            if joined is not None and official is not None and official < joined:
                self.add(index, "party_official_date", "PARTY_DATES_ORDER", official=_format_date(official),
                         joined=_format_date(joined))
            elif joined is not None and official is not None and official < _add_months(joined, PARTY_PROBATION_MONTHS):
                self.add(index, "party_official_date", "PARTY_PROBATION_SHORT", official=_format_date(official),
                         joined=_format_date(joined), months=PARTY_PROBATION_MONTHS)
            if birth is not None and joined is not None and _is_minor_on(birth, joined):
                self.add(index, "party_join_date", "PARTY_JOIN_UNDERAGE", joined=_format_date(joined),
                         birth=_format_date(birth))
            if card_values is None:
                continue
            raw = card_values[index]
            if parse.is_blank(raw):
                record["party_card_number"] = None
                continue
            card = parse.parse_code(raw).replace(" ", "")
            record["party_card_number"] = card
            if not (card.isdigit() and len(card) == 8):
                self.add(index, "party_card_number", "PARTY_CARD_FORMAT", value=card)

    def check_recruitment_and_service(self) -> None:
        for index, record in enumerate(self.records):
            birth = record.get("birth_date")
            recruited = record.get("recruitment_date")
            if birth is not None and recruited is not None and _is_minor_on(birth, recruited):
                self.add(index, "recruitment_date", "RECRUITMENT_UNDERAGE", recruited=_format_date(recruited),
                         birth=_format_date(birth))
            enlisted = record.get("enlistment_date")
            discharged = record.get("discharge_date")
            if enlisted is not None and discharged is not None and discharged < enlisted:
                self.add(index, "discharge_date", "SERVICE_DATES_ORDER", discharged=_format_date(discharged),
                         enlisted=_format_date(enlisted))


def validate_table(table: Table, context: ValidationContext) -> TableResult:
    """Run every column and row check over one table."""
    return _TableCheck(table, context).run()


# --- file-level checks ------------------------------------------------------------------------


def check_duplicates(results: Sequence[TableResult]) -> None:
    """Find repeated IDs and suspected repeated people across every table of one file.

    Rows with the same ID and identical data: the first is kept and the repeats are dropped
    with a warning. Same ID with different data: every such row is an error, because the
    product cannot tell which one is right. Same name and date of birth under different IDs:
    a warning on each row.
    """
    _notify("file_check", tables=len(results))
    by_id: dict[str, list[tuple[TableResult, int]]] = defaultdict(list)
    by_person: dict[tuple[str, date], list[tuple[TableResult, int]]] = defaultdict(list)
    for result in results:
        for index, record in enumerate(result.records):
            personal_id = record.get("personal_id")
            if personal_id:
                by_id[personal_id].append((result, index))
            name = record.get("full_name")
            birth = record.get("birth_date")
            if name and birth:
                by_person[(name.casefold(), birth)].append((result, index))

    for occurrences in by_id.values():
        if len(occurrences) > 1:
            _report_repeated_id(occurrences)
    for occurrences in by_person.values():
        ids = {result.records[index].get("personal_id") for result, index in occurrences}
        if len(ids) > 1:
            _report_suspected_person(occurrences)


def _report_repeated_id(occurrences: list[tuple[TableResult, int]]) -> None:
    first_result, first_index = occurrences[0]
    first_record = first_result.records[first_index]
    with_sheet = _spans_sheets(occurrences)
    rows = _places(occurrences, with_sheet=with_sheet)
    if all(result.records[index] == first_record for result, index in occurrences[1:]):
        first_row = _place(first_result, first_index, with_sheet=with_sheet)
        for result, index in occurrences[1:]:
            result.dropped[index] = True
            add_finding(result, index, "personal_id", "ROW_DUPLICATE", first_row=first_row)
        return
    for result, index in occurrences:
        add_finding(result, index, "personal_id", "PID_DUPLICATE", count=len(occurrences), rows=rows)


def _report_suspected_person(occurrences: list[tuple[TableResult, int]]) -> None:
    with_sheet = _spans_sheets(occurrences)
    window = occurrences[:MAX_ROWS_NAMED + 1]
    for result, index in occurrences:
        # Only the first rows are named, so a name shared by thousands of rows stays linear.
        others = [place for place in window if place != (result, index)][:MAX_ROWS_NAMED]
        rows = _places(others, with_sheet=with_sheet, total=len(occurrences) - 1)
        add_finding(result, index, "full_name", "PERSON_DUPLICATE_SUSPECTED", rows=rows)


def _places(occurrences: Sequence[tuple[TableResult, int]], *, with_sheet: bool, total: int | None = None) -> str:
    """Name the first MAX_ROWS_NAMED rows, then how many more there are ("2, 5, 9 (+40)")."""
    named = ", ".join(_place(result, index, with_sheet=with_sheet) for result, index in occurrences[:MAX_ROWS_NAMED])
    more = (len(occurrences) if total is None else total) - min(len(occurrences), MAX_ROWS_NAMED)
    return f"{named} (+{more})" if more > 0 else named


def _spans_sheets(occurrences: Sequence[tuple[TableResult, int]]) -> bool:
    return len({result.table.sheet for result, _ in occurrences}) > 1


def _place(result: TableResult, index: int, *, with_sheet: bool) -> str:
    """Name a row as the agency finds it: "12", or "12 (Sheet2)" when the rows span sheets."""
    row = str(result.table.row_numbers[index])
    return f"{row} ({result.table.sheet})" if with_sheet and result.table.sheet else row


def add_finding(result: TableResult, index: int, field_name: str, code: str, **params: Any) -> None:
    """Add a finding at a row of ``result``; an error blocks the record."""
    column = result.table.columns.get(field_name)
    severity = SEVERITY[code]
    result.findings.append(Finding(
        code=code, severity=severity, row=result.table.row_numbers[index],
        column=column.letter if column else None, sheet=result.table.sheet,
        header=column.header if column else None, field=field_name, params=params,
    ))
    if severity == "error":
        result.blocked[index] = True


# --- helpers ----------------------------------------------------------------------------------


def _map_distinct[T](column_values: Sequence[Any], function: Callable[[Any], T]) -> list[T]:
    """Apply ``function`` once per distinct cell value and return the per-row results."""
    cache: dict[Hashable, T] = {}
    results: list[T] = []
    append = results.append
    for raw in column_values:
        key = (type(raw), raw)
        try:
            value = cache[key]
        except KeyError:
            value = cache[key] = function(raw)
        append(value)
    return results


def _parse_name(raw: Any) -> tuple[str, str | None]:
    if parse.is_blank(raw):
        return "", None
    return parse.normalise_name(raw)


def _optional_text(raw: Any) -> str | None:
    return None if parse.is_blank(raw) else parse.normalise_text(raw)


def _optional_integer(raw: Any) -> int | None:
    return None if parse.is_blank(raw) else parse.parse_integer(raw)


def _optional_decimal(raw: Any) -> Decimal | None:
    return None if parse.is_blank(raw) else parse.parse_decimal(raw)


_RANK_SHAPE = re.compile(f"{ranks.RANK_CODE_SHAPE}|{ranks.TITLE_CODE_SHAPE}")


def _code_part(text: str) -> str:
    """Return the code of a "code – name" entry picked from a template dropdown, else the text."""
    match = _CODE_WITH_NAME.match(text)
    return match.group(1) if match else text


def _lookup_rank(raw: Any) -> ranks.RankTitle | None:
    return None if parse.is_blank(raw) else ranks.lookup_rank(_code_part(parse.normalise_text(raw)))


def _commune_code(raw: Any) -> str | None:
    if isinstance(raw, str):
        return admin_units.normalise_commune_code(_code_part(raw))
    return admin_units.normalise_commune_code(raw)


def _lookup_ethnicity(raw: Any) -> tuple[ethnicity.EthnicGroup | None, str | None]:
    """Return the group named by ``raw``, or (None, two-digit code) when ``raw`` is a numeric code."""
    if parse.is_blank(raw):
        return None, None
    text = parse.parse_code(raw)
    if text.isdigit() and len(text) <= 2:
        return None, text.zfill(2)
    return ethnicity.lookup_ethnicity(parse.normalise_text(raw)), None


@functools.cache
def _ethnic_groups_by_code_1979() -> dict[str, ethnicity.EthnicGroup]:
    return {group.code_1979: group for group in ethnicity.ETHNIC_GROUPS if group.code_1979 is not None}


def _lookup_text(raw: Any, lookup: Callable[[str], str | None]) -> str | None:
    return None if parse.is_blank(raw) else lookup(parse.normalise_text(raw))


def _allowed_values(field_name: str) -> str:
    return ", ".join(_ALLOWED_VALUES[field_name])


def _is_minor_on(birth: date, day: date) -> bool:
    """Under 18 on ``day``; a day before birth is reported as DATE_BEFORE_BIRTH instead."""
    return birth <= day and _age_on(birth, day) < ADULT_AGE


def _add_months(day: date, months: int) -> date:
    """Return the same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")

