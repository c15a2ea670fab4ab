"""Planted faults: realistic mistakes put into a known share of rows, with the finding each yields.

Each faulty row carries exactly one fault, so it yields exactly one finding, except the
duplicate pair: both rows of a reused personal ID are recorded as PID_DUPLICATE. The codes are
the finding codes of the validate stage.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cbccvc.catalogs.admin_units import current_communes, legacy_communes
from cbccvc.catalogs.ranks import RANKS, SALARY_SCALES
from cbccvc.schema import FIELDS_BY_NAME
from cbccvc_local.generator.export import (
    COLUMN_INDEX,
    FIRST_DATA_ROW,
    Cell,
    Fault,
    column_letter,
    format_date,
)
from cbccvc_local.generator.people import MAX_AGE, Person, PersonFactory, add_years, age_on


@dataclass(frozen=True, slots=True)
class FaultKind:
    """One kind of planted fault: the finding code, the field it is reported on, rows it takes."""

    key: str
    code: str
    field: str
    rows: int = 1


FAULT_KINDS: tuple[FaultKind, ...] = (
    FaultKind("pid_format", "PID_FORMAT", "personal_id"),
    FaultKind("pid_gender", "PID_GENDER_MISMATCH", "personal_id"),
    FaultKind("pid_year", "PID_YEAR_MISMATCH", "personal_id"),
    FaultKind("pid_duplicate", "PID_DUPLICATE", "personal_id", rows=2),
    FaultKind("ethnicity", "ETHNICITY_UNKNOWN", "ethnicity"),
    FaultKind("commune", "COMMUNE_UNKNOWN", "residence_commune"),
    FaultKind("unit", "UNIT_UNKNOWN", "unit_code"),
    FaultKind("rank", "RANK_UNKNOWN", "rank_code"),
    FaultKind("salary_step", "SALARY_STEP_INVALID", "salary_step"),
    FaultKind("salary_coefficient", "SALARY_COEFFICIENT_INVALID", "salary_coefficient"),
    FaultKind("party_dates", "PARTY_DATES_ORDER", "party_official_date"),
    FaultKind("birth_date_invalid", "DATE_INVALID", "birth_date"),
    FaultKind("gender_invalid", "GENDER_INVALID", "gender"),
    FaultKind("name_missing", "REQUIRED_MISSING", "full_name"),
    FaultKind("population_name", "POPULATION_MISMATCH", "full_name"),
    FaultKind("population_birth_date", "POPULATION_MISMATCH", "birth_date"),
    FaultKind("population_missing", "POPULATION_NOT_FOUND", "personal_id"),
)

# Rows needed for every kind to appear at least once.
ROWS_FOR_ALL_KINDS = sum(kind.rows for kind in FAULT_KINDS)

UNKNOWN_ETHNICITIES: tuple[str, ...] = ("Việt Nam", "Kinhh", "Kin", "Tày Nùng")
UNKNOWN_RANK_CODES: tuple[str, ...] = ("01.999", "01.030", "V.07.05.99", "16.999")
INVALID_BIRTH_DAYS: tuple[str, ...] = ("31/02", "30/02", "31/04", "31/06", "31/09", "31/11")
COEFFICIENT_OFFSET = 0.33


@dataclass(frozen=True, slots=True)
class PlannedFault:
    """A fault kind and the row indexes (0-based data rows) it is planted in."""

    kind: FaultKind
    indexes: tuple[int, ...]


def plan_faults(rng: random.Random, row_count: int, fault_rate: float) -> list[PlannedFault]:
    """Choose the faulty rows: ``round(row_count * fault_rate)`` rows, each kind in turn.

    Kinds are dealt round-robin from a shuffled order, so every kind appears once the budget
    reaches ``ROWS_FOR_ALL_KINDS`` rows.
    """
    if not 0.0 <= fault_rate <= 1.0:
        raise ValueError(f"fault rate {fault_rate} is outside 0..1")
    budget = min(row_count, round(row_count * fault_rate))
    order = list(FAULT_KINDS)
    rng.shuffle(order)

    kinds: list[FaultKind] = []
    remaining = budget
    while remaining > 0:
        for kind in order:
            if kind.rows <= remaining:
                kinds.append(kind)
                remaining -= kind.rows
            if remaining == 0:
                break

    chosen = rng.sample(range(row_count), budget)
    planned: list[PlannedFault] = []
    for kind in kinds:
        indexes, chosen = tuple(chosen[: kind.rows]), chosen[kind.rows :]
        planned.append(PlannedFault(kind, indexes))
    return planned


def prepare_people(plan: Sequence[PlannedFault], people: list[Person], factory: PersonFactory) -> None:
    """Redraw the people some faults need before rows are laid out (in place).

    The second row of a duplicate pair becomes another person of the same gender and birth
    year, so the reused ID still agrees with its gender and year columns. A row with Party dates
    out of order must belong to a Party member.
    """
    for fault in plan:
        if fault.kind.key == "pid_duplicate":
            original, copy = fault.indexes
            twin = people[original]
            people[copy] = factory.make(gender=twin.gender, birth_year=twin.birth_date.year)
        elif fault.kind.key == "party_dates":
            (index,) = fault.indexes
            people[index] = factory.with_party_membership(people[index])


class FaultPlanter:
    """Puts planned faults into laid-out rows and records the findings they must yield."""

    def __init__(self, rng: random.Random, *, agency_code: str, unit_codes: frozenset[str], as_of: date) -> None:
        self._rng = rng
        self._agency_code = agency_code
        self._unit_codes = unit_codes
        self._as_of = as_of

    def plant(self, plan: Sequence[PlannedFault], people: Sequence[Person], rows: list[list[Cell]]) -> list[Fault]:
        """Apply every planned fault to ``rows`` (in place) and return the faults sorted by row."""
        faults: list[Fault] = []
        for fault in plan:
            kind = fault.kind
            if kind.key == "pid_duplicate":
                original, copy = fault.indexes
                _set(rows[copy], "personal_id", people[original].personal_id)
            else:
                (index,) = fault.indexes
                self._apply(kind.key, people[index], rows[index])
            faults.extend(_record(kind, index) for index in fault.indexes)
        faults.sort(key=lambda fault: (int(fault["row"]), str(fault["column"])))
        return faults

    def _apply(self, key: str, person: Person, row: list[Cell]) -> None:  # noqa: PLR0912 - one branch per kind
        rng = self._rng
        if key == "pid_format":
            _set(row, "personal_id", self._malformed_id(person.personal_id))
        elif key == "pid_gender":
            _set(row, "gender", "Nữ" if person.gender == "male" else "Nam")
        elif key == "pid_year":
            _set(row, "birth_date", format_date(self._shifted_birth_year(person)))
        elif key == "ethnicity":
            _set(row, "ethnicity", rng.choice(UNKNOWN_ETHNICITIES))
        elif key == "commune":
            _set(row, "residence_commune", self._unknown_commune_code())
        elif key == "unit":
            _set(row, "unit_code", self._unknown_unit_code())
        elif key == "rank":
            _set(row, "rank_code", rng.choice([code for code in UNKNOWN_RANK_CODES if code not in RANKS]))
        elif key == "salary_step":
            # Only the step is wrong; the coefficient column keeps the true step's value.
            _set(row, "salary_step", SALARY_SCALES[person.salary_group].steps + rng.randint(1, 2))
        elif key == "salary_coefficient":
            lower = rng.random() < 0.5 and person.salary_coefficient > 2
            offset = -COEFFICIENT_OFFSET if lower else COEFFICIENT_OFFSET
            _set(row, "salary_coefficient", round(person.salary_coefficient + offset, 2))
        elif key == "party_dates":
            if person.party_join_date is None:
                raise ValueError("a PARTY_DATES_ORDER row needs a Party member")
            official = person.party_join_date - timedelta(days=rng.randint(30, 400))
            _set(row, "party_official_date", format_date(official))
        elif key == "birth_date_invalid":
            _set(row, "birth_date", f"{rng.choice(INVALID_BIRTH_DAYS)}/{person.birth_date.year}")
        elif key == "gender_invalid":
            _set(row, "gender", "Nữa" if person.gender == "female" and rng.random() < 0.5 else "X")
        elif key == "name_missing":
            _set(row, "full_name", None)
        elif key == "population_name":
            _set(row, "full_name", misspell(person.full_name, rng))
        elif key == "population_birth_date":
            _set(row, "birth_date", format_date(self._shifted_birth_day(person.birth_date)))
        elif key == "population_missing":
            pass  # the row is untouched; the person is left out of the population register
        else:
            raise ValueError(f"unknown fault kind {key!r}")

    def _malformed_id(self, personal_id: str) -> str:
        rng = self._rng
        variant = rng.randrange(3)
        position = rng.randint(3, 11)
        if variant == 0:
            # One digit dropped. The leading 0 is kept, so this is not a lost-leading-zero case.
            return personal_id[:position] + personal_id[position + 1 :]
        if variant == 1:
            return personal_id[:position] + str(rng.randrange(10)) + personal_id[position:]
        letter = {"0": "O", "1": "l", "5": "S", "8": "B"}.get(personal_id[position], "A")
        return personal_id[:position] + letter + personal_id[position + 1 :]

    def _shifted_birth_year(self, person: Person) -> date:
        years = self._rng.randint(1, 2)
        # Older when that keeps the age in range, younger otherwise. Recruitment and Party
        # admission were drawn at least 20 years after birth, so neither turns under-age.
        if age_on(person.birth_date, self._as_of) + years > MAX_AGE:
            return add_years(person.birth_date, years)
        return add_years(person.birth_date, -years)

    def _shifted_birth_day(self, birth_date: date) -> date:
        if (birth_date.month, birth_date.day) == (12, 31):
            return birth_date - timedelta(days=1)
        if (birth_date.month, birth_date.day) == (1, 1):
            return birth_date + timedelta(days=1)
        return birth_date + timedelta(days=self._rng.choice((-1, 1)))

    def _unknown_commune_code(self) -> str:
        current, legacy = current_communes(), legacy_communes()
        while True:
            code = f"{self._rng.randint(1, 99_999):05d}"
            if code not in current and code not in legacy:
                return code

    def _unknown_unit_code(self) -> str:
        while True:
            code = f"000.00.{self._rng.randint(60, 99):02d}.{self._agency_code}"
            if code not in self._unit_codes:
                return code


def misspell(name: str, rng: random.Random) -> str:
    """Return ``name`` with one letter's diacritics dropped or one letter mistyped."""
    letters = [position for position, char in enumerate(name) if char.isalpha()]
    marked = [position for position in letters if _strip_marks(name[position]) != name[position]]
    if marked and rng.random() < 0.5:
        position = rng.choice(marked)
        replacement = _strip_marks(name[position])
    else:
        position = rng.choice([index for index in letters if name[index].islower()] or letters)
        replacement = rng.choice([char for char in "aeinhotu" if char != name[position].lower()])
    return unicodedata.normalize("NFC", name[:position] + replacement + name[position + 1 :])


def _strip_marks(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(part for part in decomposed if unicodedata.category(part) != "Mn")


def _set(row: list[Cell], field_name: str, value: Cell) -> None:
    row[COLUMN_INDEX[field_name]] = value


def _record(kind: FaultKind, index: int) -> Fault:
    return {
        "row": index + FIRST_DATA_ROW["xlsx"],
        "column": column_letter(kind.field),
        "header": FIELDS_BY_NAME[kind.field].header,
        "field": kind.field,
        "code": kind.code,
    }
