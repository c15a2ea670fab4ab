"""Read a JSON export: records as objects whose keys are the column headers.

Accepted shapes: an array of objects (``[{"Họ và tên": …}, …]``), or an object with exactly
one member holding such an array, whatever its name (``{"records": […]}``, ``{"data": […],
"total": 300}``), as HR systems' APIs wrap their lists. Keys are matched like spreadsheet
headers. JSON has no rows on screen, so records are numbered from 1 in file order and the
header "row" is 0. Values keep their JSON type, so numbers stay numbers. A null is an empty
cell, and a nested object or array is kept as its JSON text.
"""

from __future__ import annotations

import json
from typing import Any

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid


def read_json_records(text: str, file_name: str) -> Grid:
    """Return the records of a JSON export as a grid whose first row contains the keys."""
    try:
        payload = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise UnreadableFileError("FILE_JSON_INVALID", file=file_name) from error
    records = _record_list(payload)
    if records is None:
        raise UnreadableFileError("FILE_JSON_NOT_RECORDS", file=file_name)
    if not records:
        raise UnreadableFileError("FILE_EMPTY", file=file_name)
    headers: list[str] = list(dict.fromkeys(key for item in records for key in item))
    rows: list[list[Any]] = [list(headers)]
    rows.extend([_cell(item.get(header)) for header in headers] for item in records)
    return Grid(sheet=None, rows=rows, row_numbers=list(range(len(rows))))


def _record_list(payload: Any) -> list[dict[str, Any]] | None:
    if isinstance(payload, dict):
        lists = [value for value in payload.values() if isinstance(value, list)]
        if len(lists) != 1:
            return None
        payload = lists[0]
    if isinstance(payload, list) and all(isinstance(item, dict) for item in payload):
        return payload
    return None


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
