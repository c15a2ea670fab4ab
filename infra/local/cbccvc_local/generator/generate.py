"""Build a synthetic agency export from a seed: org units, people, rows, planted faults."""

from __future__ import annotations

import random
from datetime import date

from cbccvc.catalogs.admin_units import current_communes
from cbccvc.catalogs.ranks import RANKS, SALARY_SCALES, expected_coefficient
from cbccvc_local.generator import vocabulary
from cbccvc_local.generator.export import COLUMN_INDEX, FIRST_DATA_ROW, HEADERS, GeneratedExport, person_row
from cbccvc_local.generator.faults import FaultPlanter, plan_faults, prepare_people
from cbccvc_local.generator.people import DEFAULT_AS_OF, OrgUnit, PersonFactory
from cbccvc_local.generator.vocabulary import ROOT_KEY, UnitTemplate

DEFAULT_AGENCY_CODE = "H46"
DEFAULT_AGENCY_NAME = "Ủy ban nhân dân thành phố Huế"
DEFAULT_PROVINCE_CODE = "46"
DEFAULT_FAULT_RATE = 0.08


def generate_export(
    *,
    seed: int,
    rows: int,
    agency_code: str = DEFAULT_AGENCY_CODE,
    agency_name: str = DEFAULT_AGENCY_NAME,
    fault_rate: float = DEFAULT_FAULT_RATE,
    province_code: str = DEFAULT_PROVINCE_CODE,
    as_of: date = DEFAULT_AS_OF,
) -> GeneratedExport:
    """Generate ``rows`` staff records of one agency, with faults planted in ``fault_rate`` of them.

    The same arguments always give the same export. ``province_code`` is a 2025 province code;
    residence communes and most birth-registration prefixes come from that province.
    """
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    units = build_units(rng, agency_code=agency_code, agency_name=agency_name, province_code=province_code)
    factory = PersonFactory(rng, as_of=as_of, province_code=province_code, units=units)
    plan = plan_faults(rng, rows, fault_rate)

    people = [factory.make() for _ in range(rows)]
    prepare_people(plan, people, factory)
    table = [person_row(sequence, person) for sequence, person in enumerate(people, start=1)]

    unit_codes = frozenset(unit.code for unit in units)
    faults = FaultPlanter(rng, agency_code=agency_code, unit_codes=unit_codes, as_of=as_of).plant(plan, people, table)
    not_registered = {index for fault in plan if fault.kind.key == "population_missing" for index in fault.indexes}
    register = [person.register_entry() for index, person in enumerate(people) if index not in not_registered]

    return GeneratedExport(
        agency_code=agency_code,
        agency_name=agency_name,
        headers=list(HEADERS),
        rows=table,
        people=register,
        faults=faults,
        units=list(units),
        as_of=as_of,
    )


def build_units(rng: random.Random, *, agency_code: str, agency_name: str, province_code: str) -> tuple[OrgUnit, ...]:
    """Build the agency's organisation tree: the agency itself and 12 units below it.

    Unit codes follow our own convention, shaped like the electronic identifiers of Decision
    20/2020/QĐ-TTg: ``000.00.00.<agency>`` for the agency, ``000.00.NN.<agency>`` for a unit
    directly below it and ``000.NN.MM.<agency>`` for unit MM below unit NN. They are not real
    identifiers.
    """
    locality = "thành phố" if "thành phố" in agency_name.lower() else "tỉnh"
    communes = sorted(code for code, info in current_communes().items() if info.province_code == province_code)
    if not communes:
        raise ValueError(f"province code {province_code!r} is not one of the 34 provinces of 2025")
    optional = rng.sample(vocabulary.OPTIONAL_UNITS, vocabulary.OPTIONAL_UNIT_COUNT)
    templates = [*vocabulary.CORE_UNITS, *(unit for unit in vocabulary.OPTIONAL_UNITS if unit in optional)]

    root = OrgUnit(
        f"000.00.00.{agency_code}",
        agency_name,
        None,
        rng.choice(communes),
        "office",
        vocabulary.ROOT_STAFF_WEIGHT,
    )
    codes: dict[str, str] = {ROOT_KEY: root.code}
    units = [root]
    child_counts: dict[str, int] = {}
    # Units directly below the agency first, so every parent has its code before its children.
    for template in sorted(templates, key=lambda item: item.parent_key != ROOT_KEY):
        parent_key = template.parent_key or ROOT_KEY
        serial = child_counts[parent_key] = child_counts.get(parent_key, 0) + 1
        if parent_key == ROOT_KEY:
            code = f"000.00.{serial:02d}.{agency_code}"
        else:
            parent_serial = codes[parent_key].split(".")[2]
            code = f"000.{parent_serial}.{serial:02d}.{agency_code}"
        codes[template.key] = code
        name = _unit_name(template, locality)
        commune = rng.choice(communes)
        units.append(OrgUnit(code, name, codes[parent_key], commune, template.kind, template.staff_weight))
    return tuple(units)


def _unit_name(template: UnitTemplate, locality: str) -> str:
    return f"{template.name} {locality}" if template.with_locality else template.name


def modify_rows(export: GeneratedExport, count: int, seed: int) -> list[int]:
    """Change a non-identity field in ``count`` clean rows (in place); return their xlsx row numbers.

    A row moves to the next salary step (with its coefficient) when its group has one, otherwise
    its qualification rises one level. The changed rows stay free of findings, so a later sync
    should re-send exactly these records.
    """
    first_row = FIRST_DATA_ROW["xlsx"]
    faulty_rows = {int(fault["row"]) for fault in export.faults}
    clean = [index for index in range(len(export.rows)) if index + first_row not in faulty_rows]
    if not 0 <= count <= len(clean):
        raise ValueError(f"cannot change {count} rows: the export has {len(clean)} clean rows")
    chosen = sorted(random.Random(seed).sample(clean, count))  # noqa: S311 - test data, not security
    for index in chosen:
        _change_row(export.rows[index])
    return [index + first_row for index in chosen]


def _change_row(row: list[str | int | float | None]) -> None:
    rank = RANKS[str(row[COLUMN_INDEX["rank_code"]])]
    if rank.salary_group is None:
        raise ValueError(f"rank {rank.code} has no salary group")
    step = row[COLUMN_INDEX["salary_step"]]
    if not isinstance(step, int):
        raise TypeError(f"salary step {step!r} is not an integer")
    if step < SALARY_SCALES[rank.salary_group].steps:
        row[COLUMN_INDEX["salary_step"]] = step + 1
        row[COLUMN_INDEX["salary_coefficient"]] = float(expected_coefficient(rank.salary_group, step + 1))
        return
    qualification = str(row[COLUMN_INDEX["qualification"]])
    row[COLUMN_INDEX["qualification"]] = vocabulary.NEXT_QUALIFICATION.get(qualification, "Thạc sĩ")
