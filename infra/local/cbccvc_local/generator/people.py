"""Synthetic staff records: one ``Person`` per export row, consistent with the catalogs.

Every value of a clean person passes the validate stage's checks. The personal ID encodes the
birth-registration prefix, gender and birth year. The salary coefficient is the Decree 204/2004
value for the step. Recruitment and Party admission come after the 18th birthday. The
residence commune is a 2025 code of the agency's province, and the hometown is a 2025 code or
a pre-2025 code that moved whole into one 2025 commune.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from typing import Literal

from vietnam_provinces import Province, ProvinceCode

from cbccvc.catalogs.admin_units import current_communes, current_successors, legacy_communes
from cbccvc.catalogs.cccd import BIRTH_REGISTRATION_PREFIXES, compose_personal_id
from cbccvc.catalogs.ranks import RANKS, SALARY_SCALES, expected_coefficient
from cbccvc_local.generator import vocabulary
from cbccvc_local.generator.vocabulary import StaffRole

Gender = Literal["male", "female"]

GENDER_LABELS: dict[Gender, str] = {"male": "Nam", "female": "Nữ"}
STATUS_WORKING = "Đang công tác"

# Reference date of every generated export: ages, service years and "not in the future" are
# measured against it, so a seed gives the same file on any day. Later than every generated date.
DEFAULT_AS_OF = date(2026, 7, 1)

MIN_AGE = 22
MAX_AGE = 60
FEMALE_SHARE = 0.56
HOME_PREFIX_SHARE = 0.7
OLD_ID_SHARE = 0.10
PARTY_MEMBER_SHARE = 0.35
LEADER_PARTY_MEMBER_SHARE = 0.9
HOMETOWN_IN_PROVINCE_SHARE = 0.7
HOMETOWN_LEGACY_SHARE = 0.5
MILITARY_SERVICE_SHARE = 0.08
# Party admission is drawn from the 20th birthday on, so shifting a birth date by up to two
# years (a planted fault) never makes the admission look under-age.
PARTY_MIN_AGE = 20
PARTY_PROBATION_MONTHS = 12
# Recruitment is drawn from the 21st birthday on, for the same reason.
RECRUITMENT_MIN_AGE = 21


@dataclass(frozen=True, slots=True)
class OrgUnit:
    """A unit of the agency's organisation tree. ``kind`` selects its staff roles."""

    code: str
    name: str
    parent_code: str | None
    commune_code: str
    kind: str
    staff_weight: float


# Not frozen: a frozen dataclass with this many fields is measurably slower to build, and the
# generator builds 100,000 of them for the benchmark.
@dataclass(slots=True)
class Person:
    """The true data of one synthetic staff member, before any planted fault."""

    full_name: str
    gender: Gender
    birth_date: date
    personal_id: str
    old_id_number: str | None
    ethnicity: str
    religion: str
    hometown_commune: str
    residence_commune: str
    unit: OrgUnit
    role: StaffRole
    position: str
    job_position: str
    salary_step: int
    salary_coefficient: float
    salary_since: date
    recruitment_date: date
    education_general: str
    qualification: str
    political_theory: str | None
    state_management: str | None
    party_join_date: date | None
    party_official_date: date | None
    party_card_number: str | None
    enlistment_date: date | None
    discharge_date: date | None

    @property
    def salary_group(self) -> str:
        group = RANKS[self.role.rank_code].salary_group
        if group is None:
            raise ValueError(f"rank {self.role.rank_code} has no salary group")
        return group

    def register_entry(self) -> dict[str, str]:
        """Return this person as the population register stores them."""
        return {
            "personal_id": self.personal_id,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat(),
            "gender": self.gender,
        }


def add_years(day: date, years: int) -> date:
    """Return the same calendar day ``years`` later (28 Feb for 29 Feb in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """Return the same day ``months`` later, clamped to the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th day")


def age_on(birth_date: date, on: date) -> int:
    """Return the age in whole years on ``on``."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - before_birthday


@dataclass(frozen=True, slots=True)
class _Weighted:
    """Values with cumulative weights, for fast repeated ``random.choices``."""

    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, weights: dict[str, float]) -> _Weighted:
        return cls(tuple(weights), tuple(accumulate(weights.values())))

    def pick(self, rng: random.Random) -> str:
        # The same draw random.choices makes, without its per-call argument handling.
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass(frozen=True, slots=True)
class _ProvincePools:
    """Codes drawn from for one province, sorted so draws do not depend on set order."""

    home_prefixes: tuple[str, ...]
    residence_codes: tuple[str, ...]
    national_current_codes: tuple[str, ...]
    province_legacy_codes: tuple[str, ...]
    national_legacy_codes: tuple[str, ...]


@cache
def _province_pools(province_code: str) -> _ProvincePools:
    communes = current_communes()
    if not any(info.province_code == province_code for info in communes.values()):
        raise ValueError(f"province code {province_code!r} is not one of the 34 provinces of 2025")
    legacy_provinces = Province.from_code(ProvinceCode(int(province_code))).get_legacy_sources()
    legacy_codes = {f"{province.code.value:02d}" for province in legacy_provinces}
    home_prefixes = tuple(sorted(prefix for prefix in BIRTH_REGISTRATION_PREFIXES if prefix[1:] in legacy_codes))

    # A legacy hometown code must be unambiguous: absent from the 2025 list and moved whole
    # into a single 2025 commune, so no row draws a "legacy, needs a person" finding.
    mappable_legacy = sorted(code for code in legacy_communes() if code not in communes and current_successors(code)[1])
    legacy_info = legacy_communes()
    return _ProvincePools(
        home_prefixes=home_prefixes,
        residence_codes=tuple(sorted(code for code, info in communes.items() if info.province_code == province_code)),
        national_current_codes=tuple(sorted(communes)),
        province_legacy_codes=tuple(
            code for code in mappable_legacy if legacy_info[code].province_code in legacy_codes
        ),
        national_legacy_codes=tuple(mappable_legacy),
    )


@dataclass(frozen=True, slots=True)
class _Staffing:
    units: tuple[OrgUnit, ...]
    unit_cumulative: tuple[float, ...]


class PersonFactory:
    """Draws synthetic people for one agency from a seeded random generator.

    Personal IDs are unique across everything the factory draws, including people whose row
    later carries a planted fault.
    """

    def __init__(self, rng: random.Random, *, as_of: date, province_code: str, units: tuple[OrgUnit, ...]) -> None:
        self._rng = rng
        self._as_of = as_of
        self._pools = _province_pools(province_code)
        self._all_prefixes = tuple(sorted(BIRTH_REGISTRATION_PREFIXES))
        self._used_ids: set[str] = set()
        self._staffing = _Staffing(units, tuple(accumulate(unit.staff_weight for unit in units)))
        self._surnames = _Weighted.of(vocabulary.SURNAMES)
        self._ethnicities = _Weighted.of(vocabulary.ETHNICITIES)
        self._religions = _Weighted.of(vocabulary.RELIGIONS)
        self._general_education = _Weighted.of(vocabulary.GENERAL_EDUCATION)
        self._qualifications = {
            level: _Weighted.of(weights) for level, weights in vocabulary.QUALIFICATIONS_BY_LEVEL.items()
        }
        self._earliest_birth = add_years(as_of, -(MAX_AGE + 1)) + timedelta(days=1)
        self._latest_birth = add_years(as_of, -MIN_AGE)

    def make(self, *, gender: Gender | None = None, birth_year: int | None = None) -> Person:
        """Draw one person; ``gender`` and ``birth_year`` fix those attributes when given."""
        rng = self._rng
        if gender is None:
            gender = "female" if rng.random() < FEMALE_SHARE else "male"
        birth_date = self._birth_date(birth_year)
        age = age_on(birth_date, self._as_of)

        # The post: unit, then a role open at this age, then the position it fills.
        staffing = self._staffing
        unit = staffing.units[bisect(staffing.unit_cumulative, rng.random() * staffing.unit_cumulative[-1])]
        role = self._role(unit, age)
        position = rng.choice(role.positions)
        is_leader = any(word in position for word in vocabulary.LEADER_WORDS)

        recruitment_date = self._random_date(
            add_years(birth_date, RECRUITMENT_MIN_AGE), self._as_of - timedelta(days=90)
        )
        step, coefficient, salary_since = self._salary(role, recruitment_date)
        party_join, party_official, party_card = self._party(birth_date, is_leader)
        enlistment, discharge = self._military(gender, birth_date, recruitment_date)

        return Person(
            full_name=self._full_name(gender),
            gender=gender,
            birth_date=birth_date,
            personal_id=self.new_personal_id(gender, birth_date.year),
            old_id_number=f"{rng.randrange(10**9):09d}" if rng.random() < OLD_ID_SHARE else None,
            ethnicity=self._ethnicities.pick(rng),
            religion=self._religions.pick(rng),
            hometown_commune=self._hometown(),
            residence_commune=rng.choice(self._pools.residence_codes),
            unit=unit,
            role=role,
            position=position,
            job_position=rng.choice(role.job_positions),
            salary_step=step,
            salary_coefficient=coefficient,
            salary_since=salary_since,
            recruitment_date=recruitment_date,
            education_general=self._general_education.pick(rng),
            qualification=self._qualification(role),
            political_theory=self._political_theory(is_leader, party_join is not None),
            state_management=self._state_management(role, is_leader),
            party_join_date=party_join,
            party_official_date=party_official,
            party_card_number=party_card,
            enlistment_date=enlistment,
            discharge_date=discharge,
        )

    def with_party_membership(self, person: Person) -> Person:
        """Return ``person`` as a Party member (unchanged if already one)."""
        if person.party_join_date is not None:
            return person
        join, official, card = self._party(person.birth_date, is_leader=False, force=True)
        return replace(person, party_join_date=join, party_official_date=official, party_card_number=card)

    def new_personal_id(self, gender: Gender, birth_year: int) -> str:
        """Draw an unused, structurally valid personal ID (random tail never 000000)."""
        rng = self._rng
        while True:
            prefix_pool = self._pools.home_prefixes if rng.random() < HOME_PREFIX_SHARE else self._all_prefixes
            candidate = compose_personal_id(rng.choice(prefix_pool), gender, birth_year, rng.randint(1, 999_999))
            if candidate not in self._used_ids:
                self._used_ids.add(candidate)
                return candidate

    # --- attribute draws ---

    def _random_date(self, start: date, end: date) -> date:
        end = max(end, start)
        return date.fromordinal(self._rng.randint(start.toordinal(), end.toordinal()))

    def _birth_date(self, birth_year: int | None) -> date:
        if birth_year is None:
            return self._random_date(self._earliest_birth, self._latest_birth)
        start = max(date(birth_year, 1, 1), self._earliest_birth)
        end = min(date(birth_year, 12, 31), self._latest_birth)
        return self._random_date(start, end)

    def _full_name(self, gender: Gender) -> str:
        rng = self._rng
        surname = self._surnames.pick(rng)
        if gender == "male":
            middle = rng.choice(vocabulary.MALE_MIDDLE_NAMES)
            given = rng.choice(vocabulary.MALE_GIVEN_NAMES)
        else:
            middle = rng.choice(vocabulary.FEMALE_MIDDLE_NAMES)
            if rng.random() < 0.2:
                second = rng.choice(vocabulary.FEMALE_SECOND_MIDDLE_NAMES)
                if second != middle:
                    middle = f"{middle} {second}"
            given = rng.choice(vocabulary.FEMALE_GIVEN_NAMES)
        return f"{surname} {middle} {given}"

    def _role(self, unit: OrgUnit, age: int) -> StaffRole:
        roles, cumulative = _roles_open_at(unit.kind, age)
        return roles[bisect(cumulative, self._rng.random() * cumulative[-1])]

    def _salary(self, role: StaffRole, recruitment_date: date) -> tuple[int, float, date]:
        rng = self._rng
        group = RANKS[role.rank_code].salary_group
        if group is None:
            raise ValueError(f"rank {role.rank_code} has no salary group")
        scale = SALARY_SCALES[group]
        # Steps rise every 3 years in the A groups and every 2 years in B and C.
        interval_years = 3 if group.startswith("A") else 2
        service_years = (self._as_of - recruitment_date).days / 365.25
        # Senior posts are reached by promotion, which restarts the step count.
        years_in_rank = rng.uniform(0, service_years) if role.min_age > MIN_AGE else service_years
        step = min(scale.steps, 1 + int(years_in_rank // interval_years))
        coefficient = float(expected_coefficient(group, step))
        earliest_since = max(recruitment_date, self._as_of - timedelta(days=interval_years * 365))
        salary_since = recruitment_date if step == 1 else self._random_date(earliest_since, self._as_of)
        return step, coefficient, salary_since

    def _party(
        self, birth_date: date, is_leader: bool, *, force: bool = False
    ) -> tuple[date | None, date | None, str | None]:
        rng = self._rng
        share = LEADER_PARTY_MEMBER_SHARE if is_leader else PARTY_MEMBER_SHARE
        if not force and rng.random() >= share:
            return None, None, None
        earliest = add_years(birth_date, PARTY_MIN_AGE)
        latest = add_months(self._as_of, -(PARTY_PROBATION_MONTHS + 1))
        if latest < earliest:
            return None, None, None
        join = self._random_date(earliest, latest)
        official = add_months(join, PARTY_PROBATION_MONTHS)
        return join, official, f"{rng.randrange(10**8):08d}"

    def _military(self, gender: Gender, birth_date: date, recruitment_date: date) -> tuple[date | None, date | None]:
        rng = self._rng
        if gender != "male" or rng.random() >= MILITARY_SERVICE_SHARE:
            return None, None
        enlistment = self._random_date(add_years(birth_date, 18), add_years(birth_date, 20))
        discharge = add_years(enlistment, 2)
        if discharge >= recruitment_date:
            return None, None
        return enlistment, discharge

    def _hometown(self) -> str:
        rng = self._rng
        in_province = rng.random() < HOMETOWN_IN_PROVINCE_SHARE
        if rng.random() < HOMETOWN_LEGACY_SHARE:
            pool = self._pools.province_legacy_codes if in_province else self._pools.national_legacy_codes
            if pool:
                return rng.choice(pool)
        pool = self._pools.residence_codes if in_province else self._pools.national_current_codes
        return rng.choice(pool)

    def _qualification(self, role: StaffRole) -> str:
        level = role.qualification_level or _qualification_level(RANKS[role.rank_code].salary_group)
        return self._qualifications[level].pick(self._rng)

    def _political_theory(self, is_leader: bool, is_party_member: bool) -> str | None:
        rng = self._rng
        draw = rng.random()
        if is_leader:
            return "Cao cấp" if draw < 0.6 else "Trung cấp"
        if is_party_member and draw >= 0.8:
            return None
        if is_party_member and draw >= 0.5:
            return "Trung cấp"
        if is_party_member or draw < 0.3:
            return "Sơ cấp"
        return None

    def _state_management(self, role: StaffRole, is_leader: bool) -> str | None:
        rng = self._rng
        rank = RANKS[role.rank_code]
        if rank.kind == "rank":
            group = rank.salary_group or ""
            if group == "A1":
                return "Chuyên viên" if rng.random() < 0.7 else "Chưa qua bồi dưỡng"
            return _CIVIL_SERVANT_STATE_MANAGEMENT.get(group[:2], "Chưa qua bồi dưỡng")
        if is_leader:
            return "Chuyên viên chính" if rng.random() < 0.5 else "Chuyên viên"
        return "Chưa qua bồi dưỡng" if rng.random() < 0.4 else None


# State-management training a civil servant of a salary group family usually has.
_CIVIL_SERVANT_STATE_MANAGEMENT: dict[str, str] = {
    "A3": "Chuyên viên cao cấp",
    "A2": "Chuyên viên chính",
    "A0": "Cán sự",
    "B": "Cán sự",
}


@cache
def _roles_open_at(kind: str, age: int) -> tuple[tuple[StaffRole, ...], tuple[float, ...]]:
    roles = tuple(role for role in vocabulary.STAFF_ROLES[kind] if role.min_age <= age)
    return roles, tuple(accumulate(role.weight for role in roles))


def _qualification_level(group: str | None) -> str:
    if group is None:
        return "graduate"
    if group.startswith(("A3", "A2")):
        return "senior"
    if group == "A1":
        return "graduate"
    if group == "A0":
        return "college"
    if group == "B":
        return "vocational"
    return "basic"
