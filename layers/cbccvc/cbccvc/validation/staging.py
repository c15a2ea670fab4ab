"""Staged records: the clean, matched records of a batch, one JSON line per record.

The file's SHA-256 goes into the manifest, so an approval binds to these exact bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from cbccvc.models import canonical_json, sha256_hex


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def serialise_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return the record with dates as ISO text and without empty fields."""
    return {name: _json_value(value) for name, value in record.items() if value is not None}


def record_hash(record: Mapping[str, Any]) -> str:
    """Hash the content of a record (not its row), so an unchanged person hashes the same."""
    return sha256_hex(canonical_json(record))


@dataclass(frozen=True, slots=True)
class StagedRecord:
    row: int
    sheet: str | None
    record_hash: str
    record: dict[str, Any]

    def to_line(self) -> bytes:
        return canonical_json({"row": self.row, "sheet": self.sheet, "record_hash": self.record_hash,
                               "record": self.record}) + b"\n"


def encode_records(records: list[StagedRecord]) -> bytes:
    return b"".join(record.to_line() for record in records)


def decode_records(data: bytes) -> Iterator[StagedRecord]:
    for line in data.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        yield StagedRecord(row=item["row"], sheet=item.get("sheet"), record_hash=item["record_hash"],
                           record=item["record"])
