"""Read a JSON export: records as objects whose keys are the column headers.

Accepted shapes: an array of objects (``[{"Họ và tên": …}, …]``), or an object with exactly
one member holding such an array, whatever its name (``{"records": […]}``, ``{"data": […],
"total": 300}``), as HR systems' APIs wrap their lists. Keys are matched like spreadsheet
headers. JSON has no rows on screen, so records are numbered from 1 in file order and the
header "row" is 0. Values keep their JSON type, so numbers and booleans stay what they are. A
null is an empty cell, and a nested object or array is kept as its JSON text.

JSON allows values that text cells cannot contain, and these are read rather than rejected: an
escaped lone surrogate ("\\ud800") becomes U+FFFD, which the checks report, and an integer too long for
Python's int conversion (over 4,300 digits) is kept as its digits in text. Keys that name no
field beyond the first ``MAX_COLUMNS`` columns are left out (``Grid.dropped_columns``), so a
file of thousands of distinct keys does not make a column of each for every record.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.grid import Grid
from cbccvc.intake.headers import match_header

# Columns kept of a JSON export; keys that name a field are always kept.
MAX_COLUMNS = 512
# An escaped UTF-16 surrogate, which json.loads turns into a lone surrogate unless it is half of a pair.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# Digits kept as a number: more than any real value, fewer than Python's conversion limit.
_MAX_INTEGER_DIGITS = 1_000


def read_json_records(text: str, file_name: str) -> Grid:
    """Return the records of a JSON export as a grid whose first row contains the keys."""
    payload = _load(text, file_name)
    if _SURROGATE_ESCAPE.search(text):
        payload = _without_lone_surrogates(payload)
    records = _record_list(payload)
    if records is None:
        raise UnreadableFileError("FILE_JSON_NOT_RECORDS", file=file_name)
    if not records:
        raise UnreadableFileError("FILE_EMPTY", file=file_name)
    keys: list[str] = list(dict.fromkeys(key for item in records for key in item))
    headers = _kept_keys(keys)
    rows: list[list[Any]] = [list(headers)]
    rows.extend([_cell(item.get(header)) for header in headers] for item in records)
    return Grid(sheet=None, rows=rows, row_numbers=list(range(len(rows))), dropped_columns=len(keys) - len(headers))


def _load(text: str, file_name: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise UnreadableFileError("FILE_JSON_INVALID", file=file_name) from error
    except ValueError:
        pass  # an integer past Python's digit limit: read again keeping long integers as text
    try:
        return json.loads(text, parse_int=_integer)
    except (ValueError, RecursionError) as error:
        raise UnreadableFileError("FILE_JSON_INVALID", file=file_name) from error


def _integer(digits: str) -> int | str:
    return int(digits) if len(digits.lstrip("-")) <= _MAX_INTEGER_DIGITS else digits


def _without_lone_surrogates(value: Any) -> Any:
    """Replace each lone surrogate in every key and text by U+FFFD (UTF-8 cannot encode one)."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(item) for key, item in value.items()}
    return value


def _kept_keys(keys: list[str]) -> list[str]:
    """Return the keys to make columns of, in file order: those naming a field, and others up to ``MAX_COLUMNS``."""
    if len(keys) <= MAX_COLUMNS:
        return keys
    known = {key for key in keys if match_header(key) is not None}
    room = max(MAX_COLUMNS - len(known), 0)
    kept_keys: list[str] = []
    for key in keys:
        if key in known:
            kept_keys.append(key)
        elif room:
            kept_keys.append(key)
            room -= 1
    return kept_keys


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
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
