"""Staged records: the Parquet file the validate stage writes, the JSON lines of sync chunks, record hashes."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import polars as pl

from cbccvc.validation.staging import (
    PARQUET_MAGIC,
    StagedRecord,
    decode_records,
    encode_records,
    encode_staged,
    record_hash,
    staged_frame,
)


def _frame() -> pl.DataFrame:
    return pl.DataFrame({
        "full_name": ["Nguyễn Văn An", 'Trần "Bình"\n'],
        "birth_date": [date(1985, 9, 5), date(1990, 11, 20)],
        "religion": [None, "Không"],
        "salary_step": pl.Series([3, None], dtype=pl.Int64),
    })


def test_staging_round_trip() -> None:
    data = encode_staged([staged_frame(_frame(), [5, 6], "Danh sách")])
    assert data.startswith(PARQUET_MAGIC)
    first, second = decode_records(data)
    assert (first.row, first.sheet) == (5, "Danh sách")
    assert first.record == {"full_name": "Nguyễn Văn An", "birth_date": "1985-09-05", "salary_step": 3}
    assert second.record == {"full_name": 'Trần "Bình"\n', "birth_date": "1990-11-20", "religion": "Không"}


def test_staging_hash_is_canonical_json() -> None:
    (record, _) = decode_records(encode_staged([staged_frame(_frame(), [5, 6], None)]))
    canonical = json.dumps(record.record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert record.record_hash == hashlib.sha256(canonical).hexdigest()
    assert record.record_hash == record_hash(record.record)


def test_staging_same_bytes_each_time() -> None:
    frames = [staged_frame(_frame(), [5, 6], "Danh sách")]
    assert encode_staged(frames) == encode_staged(frames)


def test_staging_sheets_with_different_fields() -> None:
    other = pl.DataFrame({"full_name": ["Lê Thị Mai"], "gender": ["female"]})
    data = encode_staged([staged_frame(_frame(), [5, 6], "Khối tỉnh"), staged_frame(other, [3], "Khối xã")])
    records = list(decode_records(data))
    assert [(record.sheet, record.row) for record in records] == [("Khối tỉnh", 5), ("Khối tỉnh", 6), ("Khối xã", 3)]
    assert records[2].record == {"full_name": "Lê Thị Mai", "gender": "female"}


def test_staging_chunk_lines_keep_hashes() -> None:
    records = list(decode_records(encode_staged([staged_frame(_frame(), [5, 6], "Danh sách")])))
    assert list(decode_records(encode_records(records))) == records


def test_staging_reads_earlier_lines() -> None:
    record = {"full_name": "Nguyễn Văn An", "birth_date": "1985-09-05"}
    line = json.dumps({"record": record, "record_hash": "0" * 64, "row": 5, "sheet": None}).encode()
    (decoded,) = decode_records(line + b"\n")
    assert decoded == StagedRecord(row=5, sheet=None, record_hash=record_hash(record), record=record)
