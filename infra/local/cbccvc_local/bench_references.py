"""Reference validators for the benchmark: frictionless and pandera on polars, with checks equivalent
to the validate stage's where their schema languages can express them.

Both get the same file and the same catalogs as the validate stage. What they cannot express
(a rule that combines fields of one row in frictionless; catalog synonyms in both) is left out,
so both references do less work than the stage, never more.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from cbccvc.catalogs import admin_units, ethnicity, ranks, religions
from cbccvc.intake.units import read_units
from cbccvc.schema import FIELDS_BY_NAME

# Excel row of the header in the generator's xlsx layout (two title rows and a blank row above it).
XLSX_HEADER_ROW = 4
GENDERS = ["Nam", "Nữ"]


def _header(field_name: str) -> str:
    return FIELDS_BY_NAME[field_name].header


def _catalogs(units_path: Path) -> dict[str, list[str]]:
    communes = sorted(set(admin_units.current_communes()) | set(admin_units.legacy_communes()))
    return {
        "ethnicity": sorted({group.name for group in ethnicity.ETHNIC_GROUPS}),
        "religion": sorted({religion.name for religion in religions.RELIGIONS}),
        "rank_code": sorted(ranks.RANKS),
        "current_commune": sorted(admin_units.current_communes()),
        "any_commune": communes,
        "unit_code": sorted(unit["code"] for unit in read_units(units_path.read_bytes(), units_path.name)),
    }


# --- frictionless -----------------------------------------------------------------------------


def frictionless_schema(units_path: Path) -> dict[str, Any]:
    catalogs = _catalogs(units_path)
    date = {"type": "date", "format": "%d/%m/%Y"}
    fields: list[dict[str, Any]] = [
        {"name": "STT", "type": "integer"},
        {"name": _header("full_name"), "type": "string", "constraints": {"required": True,
                                                                          "pattern": r"[^\d]+ [^\d]+.*"}},
        {"name": _header("birth_date"), **date, "constraints": {"required": True}},
        {"name": _header("gender"), "type": "string", "constraints": {"required": True, "enum": GENDERS}},
        {"name": _header("personal_id"), "type": "string", "constraints": {"required": True, "pattern": r"\d{12}"}},
        {"name": _header("old_id_number"), "type": "string", "constraints": {"pattern": r"\d{9}|\d{12}"}},
        {"name": _header("ethnicity"), "type": "string", "constraints": {"enum": catalogs["ethnicity"]}},
        {"name": _header("religion"), "type": "string", "constraints": {"enum": catalogs["religion"]}},
        {"name": _header("hometown_commune"), "type": "string", "constraints": {"enum": catalogs["any_commune"]}},
        {"name": _header("residence_commune"), "type": "string",
         "constraints": {"enum": catalogs["current_commune"]}},
        {"name": _header("unit_code"), "type": "string", "constraints": {"required": True,
                                                                          "enum": catalogs["unit_code"]}},
        {"name": _header("unit_name"), "type": "string"},
        {"name": _header("position"), "type": "string"},
        {"name": _header("job_position"), "type": "string"},
        {"name": _header("rank_code"), "type": "string", "constraints": {"enum": catalogs["rank_code"]}},
        {"name": _header("salary_step"), "type": "integer", "constraints": {"minimum": 1, "maximum": 12}},
        {"name": _header("salary_coefficient"), "type": "number", "constraints": {"minimum": 1, "maximum": 10}},
        {"name": _header("salary_since"), **date},
        {"name": _header("recruitment_date"), **date},
        {"name": _header("education_general"), "type": "string"},
        {"name": _header("qualification"), "type": "string"},
        {"name": _header("political_theory"), "type": "string"},
        {"name": _header("state_management"), "type": "string"},
        {"name": _header("party_join_date"), **date},
        {"name": _header("party_official_date"), **date},
        {"name": _header("party_card_number"), "type": "string", "constraints": {"pattern": r"\d{8}"}},
        {"name": _header("enlistment_date"), **date},
        {"name": _header("discharge_date"), **date},
        {"name": _header("status"), "type": "string"},
    ]
    return {"fields": fields, "primaryKey": [_header("personal_id")]}


def run_frictionless(path: Path, units_path: Path) -> int:
    """Validate the file with frictionless and return the number of errors it found."""
    import frictionless  # noqa: PLC0415 - benchmark-only dependency

    schema = frictionless.Schema.from_descriptor(frictionless_schema(units_path))
    options: dict[str, Any] = {"schema": schema}
    if path.suffix == ".xlsx":
        options["dialect"] = frictionless.Dialect(header_rows=[XLSX_HEADER_ROW])
    # frictionless refuses absolute paths unless they are given relative to a base path.
    resource = frictionless.Resource(path=path.name, basepath=str(path.parent), **options)
    report = frictionless.validate(resource, limit_errors=10_000_000)
    return sum(len(task.errors) for task in report.tasks)


# --- pandera on polars ------------------------------------------------------------------------


def pandera_schema(units_path: Path) -> Any:
    import pandera.polars as pa  # noqa: PLC0415 - benchmark-only dependency
    import polars as pl  # noqa: PLC0415

    catalogs = _catalogs(units_path)
    date_format = "%d/%m/%Y"

    def is_date(data: Any) -> Any:
        column = pl.col(data.key)
        return column.is_null() | column.str.strptime(pl.Date, date_format, strict=False).is_not_null()

    def optional_in(values: list[str]) -> Any:
        return pa.Check(lambda data: pl.col(data.key).is_null() | pl.col(data.key).is_in(values))

    columns = {
        _header("full_name"): pa.Column(str, pa.Check.str_matches(r"^[^\d]+ [^\d]+"), nullable=False),
        _header("birth_date"): pa.Column(str, pa.Check(is_date), nullable=False),
        _header("gender"): pa.Column(str, pa.Check.isin(GENDERS), nullable=False),
        _header("personal_id"): pa.Column(str, pa.Check.str_matches(r"^\d{12}$"), nullable=False, unique=True),
        _header("ethnicity"): pa.Column(str, optional_in(catalogs["ethnicity"]), nullable=True),
        _header("religion"): pa.Column(str, optional_in(catalogs["religion"]), nullable=True),
        _header("hometown_commune"): pa.Column(str, optional_in(catalogs["any_commune"]), nullable=True),
        _header("residence_commune"): pa.Column(str, optional_in(catalogs["current_commune"]), nullable=True),
        _header("unit_code"): pa.Column(str, pa.Check.isin(catalogs["unit_code"]), nullable=False),
        _header("rank_code"): pa.Column(str, optional_in(catalogs["rank_code"]), nullable=True),
        _header("salary_step"): pa.Column(str, nullable=True),
        _header("salary_coefficient"): pa.Column(str, nullable=True),
        **{_header(name): pa.Column(str, pa.Check(is_date), nullable=True)
           for name in ("salary_since", "recruitment_date", "party_join_date", "party_official_date",
                        "enlistment_date", "discharge_date")},
        _header("party_card_number"): pa.Column(str, pa.Check(
            lambda data: pl.col(data.key).is_null() | pl.col(data.key).str.contains(r"^\d{8}$")), nullable=True),
    }

    def id_agrees(data: Any) -> Any:
        # The century/gender digit and birth year in the ID against gender and date of birth.
        personal_id = pl.col(_header("personal_id"))
        digit = personal_id.str.slice(3, 1).cast(pl.Int32, strict=False)
        year = personal_id.str.slice(4, 2).cast(pl.Int32, strict=False) + 1900 + (digit // 2) * 100
        birth = pl.col(_header("birth_date")).str.strptime(pl.Date, date_format, strict=False)
        female = pl.col(_header("gender")) == "Nữ"
        return (digit % 2 == female.cast(pl.Int32)) & (year == birth.dt.year())

    def party_order(data: Any) -> Any:
        joined = pl.col(_header("party_join_date")).str.strptime(pl.Date, date_format, strict=False)
        official = pl.col(_header("party_official_date")).str.strptime(pl.Date, date_format, strict=False)
        return official.is_null() | joined.is_null() | (official >= joined)

    return pa.DataFrameSchema(columns, checks=[pa.Check(id_agrees), pa.Check(party_order)], strict=False)


def run_pandera(path: Path, units_path: Path) -> int:
    """Read the file with polars, validate it with pandera and return the number of failure cases."""
    import pandera.errors  # noqa: PLC0415 - benchmark-only dependency
    import polars as pl  # noqa: PLC0415

    if path.suffix == ".xlsx":
        frame = pl.read_excel(io.BytesIO(path.read_bytes()), engine="calamine",
                              read_options={"header_row": XLSX_HEADER_ROW - 1}, infer_schema_length=0)
    else:
        frame = pl.read_csv(path, infer_schema=False)
    try:
        pandera_schema(units_path).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        return len(errors.failure_cases)
    return 0
