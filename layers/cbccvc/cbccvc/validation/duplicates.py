"""File-level checks: repeated IDs and suspected repeated people across every table of one file.

Rows with the same ID and identical data: the first is kept and the repeats are dropped with a
warning. Same ID with different data: every such row is an error, because the product cannot
tell which one is right. Same name and date of birth under different IDs: a warning on each
row. The groups are found over columns (polars); only the rows of a group are looked at one
by one.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from cbccvc.validation.engine import TableResult, add_finding, notify

# A finding about repeated rows names at most this many of them.
MAX_ROWS_NAMED = 10

Place = tuple[TableResult, int]


def check_duplicates(results: Sequence[TableResult]) -> None:
    """Find repeated IDs and suspected repeated people across the tables of one file."""
    notify("file_check", tables=len(results))
    keys = _keys(results)
    if keys is None:
        return
    for occurrences in _groups(keys.filter(pl.col("personal_id").is_not_null()
                                           & pl.col("personal_id").is_duplicated()), ["personal_id"], results):
        _report_repeated_id(occurrences)
    people = keys.filter(pl.col("name").is_not_null() & pl.col("birth_date").is_not_null())
    people = people.filter(pl.struct("name", "birth_date").is_duplicated())
    suspected = people.filter(pl.col("personal_id").n_unique().over("name", "birth_date") > 1)
    for occurrences in _groups(suspected, ["name", "birth_date"], results):
        _report_suspected_person(occurrences)


def _keys(results: Sequence[TableResult]) -> pl.DataFrame | None:
    """Return (table, index, personal_id, folded name, birth_date) of every row of every table."""
    frames = []
    for table_index, result in enumerate(results):
        records = result.records
        frames.append(pl.DataFrame({
            "table": pl.repeat(table_index, len(result), dtype=pl.UInt32, eager=True),
            "index": pl.int_range(len(result), dtype=pl.UInt32, eager=True),
            "personal_id": _column(records, "personal_id", pl.String),
            # NOTE: polars lower-cases where Python would case-fold; the two differ only outside
            # Vietnamese letters (ß, for one).
            "name": _column(records, "full_name", pl.String).str.to_lowercase(),
            "birth_date": _column(records, "birth_date", pl.Date),
        }))
    return pl.concat(frames) if frames else None


def _column(records: pl.DataFrame, name: str, dtype: type[pl.DataType]) -> pl.Series:
    if name in records.columns:
        return records[name]
    return pl.Series(name, [None] * records.height, dtype=dtype)


def _groups(rows: pl.DataFrame, by: list[str], results: Sequence[TableResult]) -> list[list[Place]]:
    """Return the rows grouped by ``by``, each group in table and row order, groups by first row."""
    if rows.height == 0:
        return []
    grouped = (rows.sort("table", "index")
               .group_by(by, maintain_order=True)
               .agg(pl.col("table"), pl.col("index")))
    return [[(results[table], index) for table, index in zip(tables, indexes, strict=True)]
            for tables, indexes in grouped.select("table", "index").iter_rows()]


def _report_repeated_id(occurrences: list[Place]) -> None:
    first_result, first_index = occurrences[0]
    first_record = first_result.record(first_index)
    with_sheet = _spans_sheets(occurrences)
    rows = _places(occurrences, with_sheet=with_sheet)
    if all(result.record(index) == first_record for result, index in occurrences[1:]):
        first_row = _place(first_result, first_index, with_sheet=with_sheet)
        for result, index in occurrences[1:]:
            result.dropped.add(index)
            add_finding(result, index, "personal_id", "ROW_DUPLICATE", first_row=first_row)
        return
    for result, index in occurrences:
        add_finding(result, index, "personal_id", "PID_DUPLICATE", count=len(occurrences), rows=rows)


def _report_suspected_person(occurrences: list[Place]) -> None:
    with_sheet = _spans_sheets(occurrences)
    window = occurrences[:MAX_ROWS_NAMED + 1]
    for result, index in occurrences:
        # Only the first rows are named, so a name shared by thousands of rows stays linear.
        others = [place for place in window if place != (result, index)][:MAX_ROWS_NAMED]
        rows = _places(others, with_sheet=with_sheet, total=len(occurrences) - 1)
        add_finding(result, index, "full_name", "PERSON_DUPLICATE_SUSPECTED", rows=rows)


def _places(occurrences: Sequence[Place], *, with_sheet: bool, total: int | None = None) -> str:
    """Name the first MAX_ROWS_NAMED rows, then how many more there are ("2, 5, 9 (+40)")."""
    named = ", ".join(_place(result, index, with_sheet=with_sheet) for result, index in occurrences[:MAX_ROWS_NAMED])
    more = (len(occurrences) if total is None else total) - min(len(occurrences), MAX_ROWS_NAMED)
    return f"{named} (+{more})" if more > 0 else named


def _spans_sheets(occurrences: Sequence[Place]) -> bool:
    return len({result.table.sheet for result, _ in occurrences}) > 1


def _place(result: TableResult, index: int, *, with_sheet: bool) -> str:
    """Name a row as the agency finds it: "12", or "12 (Sheet2)" when the rows span sheets."""
    row = str(result.table.row_numbers[index])
    return f"{row} ({result.table.sheet})" if with_sheet and result.table.sheet else row
