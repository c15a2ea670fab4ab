"""Validate the tables of an export column by column.

Every check runs over whole columns (polars). Values whose result follows from their form
("046085000123", "05/09/1985", "Nguyễn Văn An") are settled by expressions. The rest go
through the single-cell parsers and catalog lookups once per distinct value, and most columns
repeat few values (ethnic groups, communes, units, ranks). Checks that combine fields of a
row (the ID against gender and birth year, Party dates, the coefficient against rank and
step) compare columns. Findings are built for the failing rows only, so a 100,000-row file
with a few thousand problems costs a few column passes and a few thousand findings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from cbccvc.catalogs import admin_units, cccd, education, ranks
from cbccvc.catalogs.text import fold
from cbccvc.intake.table import Column, Table
from cbccvc.models import Finding
from cbccvc.schema import FIELDS_BY_NAME
from cbccvc.validation import outcomes
from cbccvc.validation import values as parse
from cbccvc.validation.codes import SEVERITY
from cbccvc.validation.columns import (
    Applied,
    apply_distinct,
    cell_value,
    format_dates,
    matches,
)

# Working age bounds for a plausibility warning on the date of birth, in years.
MIN_STAFF_AGE = 16
MAX_STAFF_AGE = 75
ADULT_AGE = 18
# Coefficients are published with two decimals; accept rounding in the third.
COEFFICIENT_TOLERANCE = Decimal("0.005")
_GENDER_LABEL = {"male": "Nam", "female": "Nữ"}

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
COMMUNE_FIELDS = {"birthplace_commune": True, "hometown_commune": True, "residence_commune": False}
# The forms settled without Python. A name of capitalised Latin words is its own normal form:
# Latin capitals and small letters are unchanged by NFC, except the Kelvin and Ångström signs.
_CANONICAL_NAME = (r"^[\p{Lu}&&\p{Latin}&&[^\x{212A}\x{212B}]][\p{Ll}&&\p{Latin}]*"
                   r"(?: [\p{Lu}&&\p{Latin}&&[^\x{212A}\x{212B}]][\p{Ll}&&\p{Latin}]*)+$")
_TWELVE_DIGITS = r"^[0-9]{12}$"
_DAY_MONTH_YEAR = r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$"
_ASCII_DIGITS = r"^[0-9]+$"
# Fourth digit of a personal ID → first year of the birth century.
_CENTURY_START = {digit: start for digit, (start, _) in cccd.GENDER_CENTURY_DIGIT.items()}


@dataclass(slots=True)
class ValidationContext:
    agency_code: str
    mandatory_fields: tuple[str, ...]
    # Unit codes of the agency's organisation tree; None when none is registered.
    org_units: frozenset[str] | None
    today: date


@dataclass(slots=True, eq=False)
class TableResult:
    """Normalised records of one table, which rows are blocked or dropped, and the findings.

    ``records`` has one row per data row of the table and one column per normalised field
    (text, dates, the salary step as an integer), null where the field is empty.
    """

    table: Table
    records: pl.DataFrame
    blocked: set[int]
    # Rows dropped as exact repeats of an earlier row: neither staged nor counted invalid.
    dropped: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    def __len__(self) -> int:
        return self.records.height

    def record(self, index: int) -> dict[str, Any]:
        """Return the non-empty fields of one row."""
        return {name: value for name, value in self.records.row(index, named=True).items() if value is not None}

    def record_dicts(self) -> list[dict[str, Any]]:
        """Return every row's non-empty fields (for small files: a dict per row)."""
        return [{name: value for name, value in row.items() if value is not None}
                for row in self.records.iter_rows(named=True)]

    def blocked_flags(self) -> list[bool]:
        return [index in self.blocked for index in range(len(self))]

    def dropped_flags(self) -> list[bool]:
        return [index in self.dropped for index in range(len(self))]

    def staged_mask(self) -> pl.Series:
        """True for the rows that pass every check and are no repeat: the rows to stage."""
        excluded = sorted(self.blocked | self.dropped)
        mask = pl.Series([True] * len(self))
        return mask.scatter(excluded, False) if excluded else mask


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


def notify(event: str, **params: Any) -> None:
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
    ("check_communes", tuple(COMMUNE_FIELDS)),
    ("check_unit", ("unit_code",)),
    ("check_texts", TEXT_FIELDS),
    ("check_rank_and_salary", ("rank_code", "salary_step", "salary_coefficient")),
    ("check_catalog_values", tuple(CATALOG_VALUE_FIELDS)),
    ("check_party", ("party_join_date", "party_official_date", "party_card_number")),
    ("check_recruitment_and_service", ("recruitment_date", "enlistment_date", "discharge_date")),
)


# Checks that read no value another check parsed and that no check reads the values of.
_INDEPENDENT_CHECKS = ("check_old_id", "check_social_insurance", "check_ethnicity", "check_religion",
                       "check_communes", "check_unit", "check_texts", "check_rank_and_salary",
                       "check_catalog_values")
# Below this many rows the checks run in one thread: a second one would cost more than it saves.
PARALLEL_MIN_ROWS = 10_000


class _TableCheck:
    """Runs every column and row check over one table, collecting findings and normalised columns."""

    def __init__(self, table: Table, context: ValidationContext) -> None:
        self.table = table
        self.context = context
        self.size = len(table)
        self.out: dict[str, pl.Series] = {}
        self.blocked = table.blocked_indexes()
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
            self.blocked.add(index)

    def add_applied(self, field_name: str, applied: Applied) -> None:
        for index, code, params in applied.findings:
            self.add(index, field_name, code, **params)

    def add_where(self, field_name: str, code: str, mask: pl.Series | pl.Expr,
                  params: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                  columns: Sequence[str] = ()) -> None:
        """Add a finding at each row where ``mask`` holds; ``params`` builds them from the row's ``columns``."""
        frame = self.frame(columns).with_row_index("_index").filter(mask)
        for row in frame.iter_rows(named=True):
            self.add(row["_index"], field_name, code, **(params(row) if params else {}))

    def frame(self, names: Sequence[str]) -> pl.DataFrame:
        """Return the normalised columns ``names`` (those computed so far) as a frame."""
        columns = {name: self.out[name] for name in names if name in self.out}
        return pl.DataFrame(columns, height=self.size) if columns else pl.DataFrame(height=self.size)

    def column(self, field_name: str) -> Column | None:
        return self.table.columns.get(field_name)

    def blank(self, field_name: str) -> pl.Series:
        """Return which cells of a field's column are blank (the column must exist)."""
        return self.table.columns[field_name].blank_mask()

    def set_output(self, field_name: str, values: pl.Series) -> None:
        self.out[field_name] = values.alias(field_name)

    def _header(self, field_name: str) -> str:
        column = self.table.columns.get(field_name)
        return column.header if column else FIELDS_BY_NAME[field_name].header

    # --- running --------------------------------------------------------------------------

    def run(self) -> TableResult:
        """Run the checks: those of the person's identity and dates in one thread, the others in a second.

        polars releases the GIL while it works on a column, so the two threads overlap on two
        cores. Within a thread, later checks read the values earlier ones parsed; no check of
        one thread reads the other's. With a progress listener the checks run in order, one at
        a time, so the progress lines come in order.
        """
        if _PROGRESS.get() is not None or self.size < PARALLEL_MIN_ROWS:
            self._run_checks([name for name, _ in _CHECK_FIELDS])
        else:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="checks") as pool:
                others = pool.submit(self._run_checks, _INDEPENDENT_CHECKS)
                self._run_checks([name for name, _ in _CHECK_FIELDS if name not in _INDEPENDENT_CHECKS])
                others.result()
        records = pl.DataFrame([self.out[name] for name in sorted(self.out)], height=self.size) if self.out else (
            pl.DataFrame(height=self.size))
        # Row order, as a reader goes through the sheet, then column and code, so the order
        # does not depend on which thread finished first.
        self.findings.sort(key=lambda finding: (finding.row or 0, _column_order(finding.column), finding.code))
        return TableResult(self.table, records, self.blocked, set(), self.findings)

    def _run_checks(self, method_names: Sequence[str]) -> None:
        steps = {name: (step, fields) for step, (name, fields) in enumerate(_CHECK_FIELDS, start=1)}
        for method_name in method_names:
            step, field_names = steps[method_name]
            headers = [self.table.columns[name].header for name in field_names if name in self.table.columns]
            notify("column_check", step=step, steps=len(_CHECK_FIELDS), sheet=self.table.sheet,
                   headers=", ".join(headers))
            getattr(self, method_name)()

    def check_mandatory(self) -> None:
        """Report blank mandatory cells and formula errors (#N/A, #REF!), which read as blank.

        A formula error blocks the record in a mandatory column. In another column the value is
        left out with a warning, as a blank optional cell would be.
        """
        for field_name, read in self.table.columns.items():
            code = "CELL_FORMULA_ERROR" if field_name in self.context.mandatory_fields else "CELL_FORMULA_ERROR_IGNORED"
            for index, value in sorted(read.formula_errors.items()):
                self.add(index, field_name, code, value=value)
        for field_name in self.context.mandatory_fields:
            column = self.column(field_name)
            if column is None:
                continue  # a missing mandatory column rejects the file before the engine runs
            missing = self.blank(field_name)
            if column.formula_errors:  # the formula error is reported on its own
                missing = missing.scatter(list(column.formula_errors), False)
            for index in missing.arg_true().to_list():
                self.add(index, field_name, "REQUIRED_MISSING", header=self._header(field_name))

    def check_personal_id(self) -> None:
        column = self.column("personal_id")
        if column is None:
            return
        values = column.values
        blank = self.blank("personal_id")
        settled = matches(values, _TWELVE_DIGITS)
        if column.numbers:
            settled = settled.scatter(sorted(column.numbers), False)
        applied = apply_distinct(column, ~blank & ~settled, outcomes.personal_id, [pl.String])
        self.add_applied("personal_id", applied)
        pid = values.zip_with(settled, applied.outputs[0])
        self.set_output("personal_id", pid)

        prefix = pid.str.slice(0, 3)
        unknown_prefix = (pid.is_not_null() & ~prefix.is_in(list(cccd.BIRTH_REGISTRATION_PREFIXES))).fill_null(False)
        for index in unknown_prefix.arg_true().to_list():
            self.add(index, "personal_id", "PID_PREFIX_UNKNOWN", prefix=pid[index][:3])
        latest = self.context.today.year - MIN_STAFF_AGE
        too_late = [digit for digit, start in _CENTURY_START.items() if start > latest]
        future = pid.str.slice(3, 1).is_in(too_late).fill_null(False)
        for index in future.arg_true().to_list():
            digit = pid[index][3]
            start = _CENTURY_START[digit]
            self.add(index, "personal_id", "PID_CENTURY_INVALID", digit=digit, century=f"{start}–{start + 99}")

    def check_full_name(self) -> None:
        column = self.column("full_name")
        if column is None:
            return
        values = column.values
        blank = self.blank("full_name")
        settled = matches(values, _CANONICAL_NAME) & (values.str.len_chars() <= parse.MAX_NAME_CHARS).fill_null(False)
        applied = apply_distinct(column, ~blank & ~settled, outcomes.full_name, [pl.String])
        self.add_applied("full_name", applied)
        self.set_output("full_name", values.zip_with(settled, applied.outputs[0]))

    def check_dates(self) -> None:
        """Read every date column day first; flag month-first dates and, beside them, ambiguous ones.

        Dates stored as plain numbers are serials of the workbook's date system. A column where
        some text date is valid only month first ("12/25/1985") was probably written month
        first throughout, so its dates that read both ways ("05/09/1985") get a warning too.
        """
        parse_cell = functools.partial(outcomes.parsed_date, epoch=self.table.date_epoch,
                                       century_pivot=self.context.today.year % 100)
        for field_name in DATE_FIELDS:
            column = self.column(field_name)
            if column is not None:
                self._check_date_column(field_name, column, parse_cell)

    def _check_date_column(self, field_name: str, column: Column, parse_cell: Callable[[Any], Any]) -> None:
        values = column.values
        blank = self.blank(field_name)
        # A valid dd/mm/yyyy date is read here. Every other cell goes through ``parse.parse_date``
        # once per distinct text, which also names what is wrong with a failing one.
        day_first = values.str.to_date("%d/%m/%Y", strict=False)
        # Year 0 is a date for polars, not for Python.
        settled = (day_first.is_not_null() & values.str.contains(_DAY_MONTH_YEAR)
                   & ~values.str.ends_with("/0000")).fill_null(False)
        if column.numbers:
            settled = settled.scatter(sorted(column.numbers), False)
        applied = apply_distinct(column, ~blank & ~settled, parse_cell, [pl.Date, pl.String, pl.Date])
        value = day_first.zip_with(settled, applied.outputs[0])
        code = applied.outputs[1]
        self.set_output(field_name, value)

        rest = pl.DataFrame({"value": applied.outputs[0], "code": code, "alternative": applied.outputs[2]})
        failing = rest.with_row_index("index").filter(pl.col("code").is_not_null())
        for row in failing.iter_rows(named=True):
            self._date_finding(field_name, column, row)
        if (code == "DATE_MONTH_FIRST").any():
            # Dates of this column that read both ways may be month first too.
            month_first = values.str.to_date("%m/%d/%Y", strict=False)
            alternative = month_first.zip_with(settled & (month_first != day_first).fill_null(False),
                                               applied.outputs[2])
            ambiguous = pl.DataFrame({"value": value, "alternative": alternative}).with_row_index("index").filter(
                pl.col("value").is_not_null() & pl.col("alternative").is_not_null())
            for row in ambiguous.iter_rows(named=True):
                self.add(row["index"], field_name, "DATE_ORDER_AMBIGUOUS",
                         value=parse.normalise_text(cell_value(column, row["index"])),
                         read=_format_date(row["value"]), alternative=_format_date(row["alternative"]))
        future = (value > self.context.today).fill_null(False)
        for index in future.arg_true().to_list():
            self.add(index, field_name, "DATE_IN_FUTURE", value=_format_date(value[index]))

    def _date_finding(self, field_name: str, column: Column, row: dict[str, Any]) -> None:
        index = row["index"]
        shown = parse.normalise_text(cell_value(column, index))
        if row["value"] is None:
            if row["code"] == "DATE_MONTH_FIRST" and row["alternative"] is not None:
                self.add(index, field_name, "DATE_MONTH_FIRST", value=shown,
                         alternative=_format_date(row["alternative"]))
            else:
                self.add(index, field_name, row["code"] or "DATE_INVALID", value=shown)
            return
        self.add(index, field_name, row["code"], value=shown, read=_format_date(row["value"]))

    def check_gender(self) -> None:
        column = self.column("gender")
        if column is None:
            return
        applied = apply_distinct(column, ~self.blank("gender"), outcomes.gender, [pl.String])
        self.add_applied("gender", applied)
        self.set_output("gender", applied.outputs[0])

    def check_id_against_person(self) -> None:
        """The century/gender digit and the birth year in the ID must agree with the row."""
        if "personal_id" not in self.table.columns:
            return
        pid = pl.col("personal_id")
        frame = pl.DataFrame({"personal_id": self.out["personal_id"]}).select(
            pid.str.contains(_TWELVE_DIGITS).fill_null(False).alias("valid"),
            pl.when(pid.str.slice(3, 1).cast(pl.Int32, strict=False) % 2 == 0).then(pl.lit("male"))
            .otherwise(pl.lit("female")).alias("id_gender"),
            (pid.str.slice(3, 1).replace_strict(_CENTURY_START, default=None, return_dtype=pl.Int32)
             + pid.str.slice(4, 2).cast(pl.Int32, strict=False)).alias("id_year"),
        )
        if "gender" in self.out:
            frame = frame.with_columns(self.out["gender"].alias("gender"))
            mismatch = pl.col("valid") & pl.col("gender").is_not_null() & (pl.col("gender") != pl.col("id_gender"))
            for row in frame.with_row_index("index").filter(mismatch).iter_rows(named=True):
                self.add(row["index"], "personal_id", "PID_GENDER_MISMATCH",
                         id_gender=_GENDER_LABEL[row["id_gender"]], gender=_GENDER_LABEL[row["gender"]])
        if "birth_date" in self.out:
            frame = frame.with_columns(self.out["birth_date"].dt.year().alias("birth_year"))
            birth_year = pl.col("birth_year")
            mismatch = pl.col("valid") & birth_year.is_not_null() & (birth_year != pl.col("id_year"))
            for row in frame.with_row_index("index").filter(mismatch).iter_rows(named=True):
                self.add(row["index"], "personal_id", "PID_YEAR_MISMATCH", id_year=row["id_year"],
                         birth_year=row["birth_year"])

    def check_birth_date_plausible(self) -> None:
        if "birth_date" not in self.out:
            return
        today = self.context.today
        birth = self.out["birth_date"]
        age = _age_on(pl.col("birth"), pl.lit(today))
        frame = pl.DataFrame({"birth": birth}).with_columns(age.alias("age")).with_row_index("index")
        implausible = (pl.col("birth") <= pl.lit(today)) & ~pl.col("age").is_between(MIN_STAFF_AGE, MAX_STAFF_AGE)
        for row in frame.filter(implausible).iter_rows(named=True):
            self.add(row["index"], "birth_date", "AGE_OUT_OF_RANGE", value=_format_date(row["birth"]), age=row["age"],
                     minimum=MIN_STAFF_AGE, maximum=MAX_STAFF_AGE)

    def check_life_event_dates(self) -> None:
        """No event of a person's working life can come before the date of birth."""
        if "birth_date" not in self.out:
            return
        birth = self.out["birth_date"]
        for field_name in LIFE_EVENT_DATE_FIELDS:
            if field_name not in self.out:
                continue
            day = self.out[field_name]
            before = (day < birth).fill_null(False)
            for index, earlier, born in zip(before.arg_true().to_list(), format_dates(day.filter(before).to_list()),
                                            format_dates(birth.filter(before).to_list()), strict=True):
                self.add(index, field_name, "DATE_BEFORE_BIRTH", value=earlier, birth=born,
                         header=self._header(field_name))

    def _codes_without_spaces(self, field_name: str, column: Column) -> pl.Series:
        """Return ``parse_code(cell).replace(" ", "")`` of every cell (null for a blank one)."""
        values = column.values
        blank = self.blank(field_name)
        settled = matches(values, _ASCII_DIGITS)
        applied = apply_distinct(column, ~blank & ~settled, outcomes.code_without_spaces, [pl.String])
        return _choose(settled, values, applied.outputs[0])

    def check_old_id(self) -> None:
        column = self.column("old_id_number")
        if column is None:
            return
        text = self._codes_without_spaces("old_id_number", column)
        # A Number cell drops the leading zero of 9-digit CMND numbers.
        text = text.str.pad_start(9, "0").zip_with(text.str.contains(r"^\d{8}$").fill_null(False), text)
        self.set_output("old_id_number", text)
        well_formed = text.str.contains(r"^\d+$") & text.str.len_chars().is_in([9, 12])
        wrong = (text.is_not_null() & ~well_formed).fill_null(False)
        for index in wrong.arg_true().to_list():
            self.add(index, "old_id_number", "OLD_ID_FORMAT", value=text[index])

    def check_social_insurance(self) -> None:
        column = self.column("social_insurance_number")
        if column is None:
            return
        text = self._codes_without_spaces("social_insurance_number", column)
        if column.numbers:
            # A Number cell drops the leading zero of the province part.
            lost_zero = [index for index in sorted(column.numbers)
                         if (value := text[index]) is not None and parse.is_ascii_digits(value)
                         and len(value) == SOCIAL_INSURANCE_DIGITS - 1]
            if lost_zero:
                text = text.scatter(lost_zero, pl.Series(["0" + text[index] for index in lost_zero]))
        self.set_output("social_insurance_number", text)
        wrong = (text.is_not_null() & ~(text.str.contains(r"^\d+$")
                                        & (text.str.len_chars() == SOCIAL_INSURANCE_DIGITS))).fill_null(False)
        for index in wrong.arg_true().to_list():
            self.add(index, "social_insurance_number", "SOCIAL_INSURANCE_FORMAT", value=text[index],
                     digits=SOCIAL_INSURANCE_DIGITS)

    def check_ethnicity(self) -> None:
        column = self.column("ethnicity")
        if column is None:
            return
        applied = apply_distinct(column, ~self.blank("ethnicity"), outcomes.ethnic_group,
                                 [pl.String, pl.String, pl.String])
        self.add_applied("ethnicity", applied)
        for name, values in zip(("ethnicity", "ethnicity_code", "ethnicity_list"), applied.outputs, strict=True):
            self.set_output(name, values)

    def check_religion(self) -> None:
        column = self.column("religion")
        if column is None:
            return
        applied = apply_distinct(column, ~self.blank("religion"), outcomes.religion, [pl.String, pl.String])
        self.add_applied("religion", applied)
        self.set_output("religion", applied.outputs[0])
        self.set_output("religion_code", applied.outputs[1])

    def check_communes(self) -> None:
        current = list(admin_units.current_communes())
        legacy = list(admin_units.legacy_communes())
        for field_name, legacy_allowed in COMMUNE_FIELDS.items():
            column = self.column(field_name)
            if column is None:
                continue
            # A 5-digit code of the current list (or, where allowed, of the pre-2025 one) is kept as written.
            values = column.values
            five_digits = matches(values, r"^[0-9]{5}$")
            in_current = five_digits & values.is_in(current).fill_null(False)
            in_legacy = five_digits & ~in_current & values.is_in(legacy).fill_null(False) if legacy_allowed else (
                pl.repeat(False, self.size, eager=True))
            settled = in_current | in_legacy
            function = functools.partial(outcomes.commune, legacy_allowed=legacy_allowed)
            applied = apply_distinct(column, ~self.blank(field_name) & ~settled, function, [pl.String, pl.String])
            self.add_applied(field_name, applied)
            self.set_output(field_name, values.zip_with(settled, applied.outputs[0]))
            version = pl.repeat(admin_units.CURRENT_LIST_VERSION, self.size, eager=True).zip_with(
                in_current, pl.repeat(admin_units.LEGACY_LIST_VERSION, self.size, eager=True))
            self.set_output(f"{field_name}_list", version.zip_with(settled, applied.outputs[1]))

    def check_unit(self) -> None:
        column = self.column("unit_code")
        if column is None:
            return
        function = functools.partial(outcomes.unit, units=self.context.org_units)
        applied = apply_distinct(column, ~self.blank("unit_code"), function, [pl.String])
        self.add_applied("unit_code", applied)
        self.set_output("unit_code", applied.outputs[0])

    def check_texts(self) -> None:
        for field_name in TEXT_FIELDS:
            column = self.column(field_name)
            if column is None:
                continue
            applied = apply_distinct(column, ~self.blank(field_name), outcomes.optional_text, [pl.String])
            self.set_output(field_name, applied.outputs[0])
        present = [name for name in ("position", "job_position") if name in self.out]
        if not present:
            return
        missing = pl.all_horizontal([self.out[name].is_null() for name in present])
        self.add_where("position", "POSITION_MISSING", missing)

    def check_rank_and_salary(self) -> None:
        rank_key = self._rank_column()
        step = self._number_column("salary_step", outcomes.integer, pl.Int64)
        coefficient = self._number_column("salary_coefficient", outcomes.decimal, pl.String)
        if rank_key is None or step is None:
            return
        # The scale check reads the coefficient as written (3.004), not as stored ("3.00").
        written = pl.Series([None] * self.size, dtype=pl.String)
        if coefficient is not None:
            written = _choose(coefficient.is_not_null(), self.table.columns["salary_coefficient"].values, written)
        frame = pl.DataFrame({"rank": rank_key, "step": step, "coefficient": written})
        candidates = frame.filter(pl.col("rank").is_not_null() & pl.col("step").is_not_null())
        problems = [(row["rank"], row["step"], row["coefficient"], found)
                    for row in candidates.unique().iter_rows(named=True)
                    if (found := _scale_problem(row["rank"], row["step"], row["coefficient"])) is not None]
        if not problems:
            return
        keyed = pl.DataFrame({"rank": [problem[0] for problem in problems],
                              "step": [problem[1] for problem in problems],
                              "coefficient": pl.Series([problem[2] for problem in problems], dtype=pl.String),
                              "slot": list(range(len(problems)))})
        hits = frame.with_row_index("index").join(keyed, on=["rank", "step", "coefficient"], how="inner",
                                                   nulls_equal=True)
        for index, slot in hits.select("index", "slot").iter_rows():
            field_name, code, params = problems[slot][3]
            self.add(index, field_name, code, **params)

    def _rank_column(self) -> pl.Series | None:
        """Check and store the rank codes; return the catalog key of each row (null where unknown)."""
        column = self.column("rank_code")
        if column is None:
            return None
        applied = apply_distinct(column, ~self.blank("rank_code"), outcomes.rank, [pl.String, pl.String])
        self.add_applied("rank_code", applied)
        self.set_output("rank_code", applied.outputs[0])
        return applied.outputs[1]

    def _number_column(self, field_name: str, function: Callable[[Any], outcomes.Outcome],
                       dtype: type[pl.DataType]) -> pl.Series | None:
        column = self.column(field_name)
        if column is None:
            return None
        applied = apply_distinct(column, ~self.blank(field_name), function, [dtype])
        self.add_applied(field_name, applied)
        self.set_output(field_name, applied.outputs[0])
        return applied.outputs[0]

    def check_catalog_values(self) -> None:
        for field_name, lookup in CATALOG_VALUE_FIELDS.items():
            column = self.column(field_name)
            if column is None:
                continue
            function = functools.partial(outcomes.catalog_value, lookup=lookup,
                                         allowed=", ".join(_ALLOWED_VALUES[field_name]))
            applied = apply_distinct(column, ~self.blank(field_name), function, [pl.String])
            self.add_applied(field_name, applied)
            self.set_output(field_name, applied.outputs[0])

    def check_party(self) -> None:
        joined_present = "party_join_date" in self.out
        if "party_official_date" in self.out and joined_present:
            official, joined = pl.col("party_official_date"), pl.col("party_join_date")
            both = ["party_official_date", "party_join_date"]
            self.add_where("party_official_date", "PARTY_OFFICIAL_WITHOUT_JOIN",
                           official.is_not_null() & joined.is_null(), columns=both)
            self.add_where("party_official_date", "PARTY_DATES_ORDER", official < joined, _party_dates, both)
            probation_end = joined.dt.offset_by(f"{PARTY_PROBATION_MONTHS}mo")
            self.add_where("party_official_date", "PARTY_PROBATION_SHORT",
                           (official >= joined) & (official < probation_end),
                           lambda row: {**_party_dates(row), "months": PARTY_PROBATION_MONTHS}, both)
        if joined_present and "birth_date" in self.out:
            self.add_where("party_join_date", "PARTY_JOIN_UNDERAGE",
                           _is_minor_on(pl.col("birth_date"), pl.col("party_join_date")),
                           lambda row: {"joined": _format_date(row["party_join_date"]),
                                        "birth": _format_date(row["birth_date"])},
                           ["party_join_date", "birth_date"])
        column = self.column("party_card_number")
        if column is None:
            return
        card = self._codes_without_spaces("party_card_number", column)
        self.set_output("party_card_number", card)
        wrong = (card.is_not_null() & ~card.str.contains(r"^\d{8}$")).fill_null(False)
        for index in wrong.arg_true().to_list():
            self.add(index, "party_card_number", "PARTY_CARD_FORMAT", value=card[index])

    def check_recruitment_and_service(self) -> None:
        if "recruitment_date" in self.out and "birth_date" in self.out:
            self.add_where("recruitment_date", "RECRUITMENT_UNDERAGE",
                           _is_minor_on(pl.col("birth_date"), pl.col("recruitment_date")),
                           lambda row: {"recruited": _format_date(row["recruitment_date"]),
                                        "birth": _format_date(row["birth_date"])},
                           ["recruitment_date", "birth_date"])
        if "enlistment_date" in self.out and "discharge_date" in self.out:
            self.add_where("discharge_date", "SERVICE_DATES_ORDER",
                           pl.col("discharge_date") < pl.col("enlistment_date"),
                           lambda row: {"discharged": _format_date(row["discharge_date"]),
                                        "enlisted": _format_date(row["enlistment_date"])},
                           ["discharge_date", "enlistment_date"])


def load_catalogs() -> None:
    """Build the catalog indexes the checks look values up in (a few tenths of a second, once per process).

    Each index is built on first use. A Lambda container calls this when it starts, so no
    upload waits for it, and a benchmark of a warm container leaves it out of the timing.
    """
    admin_units.current_communes()
    admin_units.legacy_communes()
    admin_units.current_successors("")
    outcomes.ethnic_group("Kinh")
    outcomes.ethnic_group("01")
    outcomes.religion("Không")
    outcomes.rank("01.003")
    for lookup in CATALOG_VALUE_FIELDS.values():
        lookup("")


def validate_table(table: Table, context: ValidationContext) -> TableResult:
    """Run every column and row check over one table."""
    return _TableCheck(table, context).run()


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
        result.blocked.add(index)


# --- helpers ----------------------------------------------------------------------------------


def _column_order(letters: str | None) -> tuple[int, str]:
    return (len(letters), letters) if letters else (0, "")


def _choose(settled: pl.Series, fast: pl.Series, slow: pl.Series) -> pl.Series:
    return fast.zip_with(settled, slow)


def _age_on(birth: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Whole years from ``birth`` to ``day``."""
    before_birthday = (day.dt.month() < birth.dt.month()) | (
        (day.dt.month() == birth.dt.month()) & (day.dt.day() < birth.dt.day()))
    return day.dt.year().cast(pl.Int32) - birth.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)


def _is_minor_on(birth: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Under 18 on ``day``; a day before birth is reported as DATE_BEFORE_BIRTH instead."""
    return (birth <= day) & (_age_on(birth, day) < ADULT_AGE)


def _scale_problem(rank_key: str, step: int, coefficient_text: str | None) -> tuple[str, str, dict[str, Any]] | None:
    """Check a step and coefficient against the rank's salary scale; return (field, code, params) of a problem."""
    title = ranks.lookup_rank(rank_key)
    group = title.salary_group if title else None
    scale = ranks.SALARY_SCALES.get(group) if group else None
    if scale is None:
        return None
    if not 1 <= step <= scale.steps:
        return "salary_step", "SALARY_STEP_INVALID", {"value": step, "group": group, "max_step": scale.steps}
    if coefficient_text is None:
        return None
    coefficient = outcomes.parsed_decimal(coefficient_text)
    if coefficient is None:
        return None
    expected = ranks.expected_coefficient(scale.group, step)
    if abs(coefficient - expected) > COEFFICIENT_TOLERANCE:
        return "salary_coefficient", "SALARY_COEFFICIENT_INVALID", {
            "value": Decimal(f"{coefficient:.2f}"), "step": step, "group": group,
            "expected": Decimal(f"{expected:.2f}")}
    return None


def _party_dates(row: dict[str, Any]) -> dict[str, Any]:
    return {"official": _format_date(row["party_official_date"]), "joined": _format_date(row["party_join_date"])}


def _format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")
