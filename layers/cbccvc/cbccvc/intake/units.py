"""Read an agency's organisation tree (the unit list agency IT registers) from CSV or XLSX.

Columns are matched by meaning, like record headers: "Mã đơn vị", "Tên đơn vị",
"Mã đơn vị cấp trên" and "Mã xã" (the commune of the unit's seat).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import python_calamine

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.readers import decode_text, file_extension
from cbccvc.intake.spreadsheets import read_workbook
from cbccvc.schema import fold_header

_UNIT_HEADERS = {
    "ma don vi": "code",
    "ten don vi": "name",
    "ma don vi cap tren": "parent_code",
    "ma xa": "commune_code",
}


class UnitListError(ValueError):
    """The unit list cannot be used; the message names the file and what is missing."""


def read_units(data: bytes, file_name: str) -> list[dict[str, Any]]:
    """Return the units as dicts with code, name, parent_code and commune_code (None when empty).

    Raises UnitListError when the file cannot be read as a unit list.
    """
    try:
        rows = _unit_rows(data, file_name)
    except (UnreadableFileError, python_calamine.CalamineError, csv.Error) as error:
        raise UnitListError(f"{file_name}: the unit list cannot be read ({type(error).__name__})") from error
    if not rows:
        raise UnitListError(f"{file_name}: the unit list is empty")
    positions = {_UNIT_HEADERS[fold_header(cell)]: index for index, cell in enumerate(rows[0])
                 if fold_header(cell) in _UNIT_HEADERS}
    missing = [name for name in ("code", "name") if name not in positions]
    if missing:
        raise UnitListError(f"{file_name}: missing columns {', '.join(missing)} (expected Mã đơn vị, Tên đơn vị)")
    units = []
    for row in rows[1:]:
        values = {name: (row[index].strip() if index < len(row) else "") for name, index in positions.items()}
        if not values["code"]:
            continue
        commune = values.get("commune_code")
        units.append({
            "code": values["code"],
            "name": values["name"],
            "parent_code": values.get("parent_code") or None,
            "commune_code": commune.zfill(5) if commune else None,
        })
    return units


def _unit_rows(data: bytes, file_name: str) -> list[list[str]]:
    if file_extension(file_name) in {".xlsx", ".xls", ".ods"}:
        grids = read_workbook(data, file_name)
        return [[_text(cell) for cell in row] for row in grids[0].rows] if grids else []
    return list(csv.reader(io.StringIO(decode_text(data), newline="")))


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
