"""Seed the emulator from an agency's own export, for demo runs on a file of the user's.

The sample population register covers only the bundled sample's people. For another file,
the register is filled with the identities the file itself states, and the unit list with
the unit codes it uses, so the run shows the rest of the pipeline; matching is then simulated.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cbccvc.intake.readers import read_export
from cbccvc.validation.engine import ValidationContext, validate_table


def _records(data: bytes, file_name: str) -> list[dict[str, Any]]:
    context = ValidationContext(agency_code="LOCAL", mandatory_fields=(), org_units=None,
                                today=datetime.now(UTC).date())
    records: list[dict[str, Any]] = []
    for table in read_export(data, file_name):
        records.extend(validate_table(table, context).record_dicts())
    return records


def population_from_export(data: bytes, file_name: str) -> list[dict[str, Any]]:
    """Return register entries for every row with a well-formed ID, a name and a date of birth."""
    people: dict[str, dict[str, Any]] = {}
    for record in _records(data, file_name):
        personal_id = record.get("personal_id")
        name = record.get("full_name")
        birth = record.get("birth_date")
        if personal_id and name and birth:
            people.setdefault(personal_id, {"personal_id": personal_id, "full_name": name,
                                            "birth_date": birth.isoformat(), "gender": record.get("gender") or "male"})
    return list(people.values())


def units_from_export(data: bytes, file_name: str) -> list[dict[str, Any]]:
    """Return one unit per distinct unit code in the file, named by the file's unit name column."""
    units: dict[str, dict[str, Any]] = {}
    for record in _records(data, file_name):
        code = record.get("unit_code")
        if code:
            units.setdefault(code, {"code": code, "name": record.get("unit_name") or code, "parent_code": None,
                                    "commune_code": None})
    return list(units.values())
