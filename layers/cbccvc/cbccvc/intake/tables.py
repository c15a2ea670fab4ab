"""Turn a sheet into a column table: find the header, keep the record rows, repair what reading can.

Rows kept as records are those with a value under a recognised header: blank rows, rows that
only carry a row number (templates numbered in advance) and a column-number row under the
header ("1 2 3 …") are not records. Trailing rows with no digit under the ID and date of birth
headers and at most three filled cells (the signature block: "Người lập biểu", "Thủ trưởng đơn
vị", place and date) are left out with one warning, unless the row names a person (a full name
beside a gender or a unit code). A value merged down over several rows belongs to each of them.
The header is looked for from the sheet's first non-blank row.

Repairs and findings made here run over whole columns (polars), with Python only for each
distinct value that needs it, so a 100,000-row file costs a few column passes:

- text typed with a legacy Vietnamese font (TCVN3, VNI) is converted, with a warning;
- a cell longer than any real field value is cut, with an error on its row;
- a column whose header names no field, or a field an earlier column names, is a warning,
  because its data is not synced;
- a row the reader could read only in part (an unclosed quote in CSV) is an error;
- in a delimited text file, a row with more cells than the header (a delimiter inside an
  unquoted value shifts every later column) is an error, and a row with fewer a warning.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from cbccvc.intake.headers import (
    HEADER_SEARCH_ROWS,
    ROW_NUMBER_HEADERS,
    HeaderMatch,
    MergedRange,
    find_header,
    is_column_number_row,
)
from cbccvc.intake.legacy_encodings import convert_value, detect_legacy
from cbccvc.intake.sheet import SheetData, position_name
from cbccvc.intake.table import NOT_WHITESPACE, Column, Table, column_letter
from cbccvc.messages import LABELS
from cbccvc.models import Finding
from cbccvc.schema import fold_header
from cbccvc.validation.codes import SEVERITY

# No field of a record is longer than this; the longest real values, unit names, stay under 300.
MAX_CELL_CHARS = 1_000
# Legacy-font detection reads this many distinct candidate values of a column.
LEGACY_SAMPLE_VALUES = 500
# Fields that every real record fills and a signature block never does.
KEY_FIELDS = ("personal_id", "birth_date")
FOOTER_MAX_CELLS = 3
# The header of the annotated copy's result column, in both languages, folded.
_ANNOTATION_HEADERS = frozenset(fold_header(text) for text in (LABELS["annotated.row_summary"].vi,
                                                                LABELS["annotated.row_summary"].en))
# Unrecognised columns warned about one by one; the rest get one warning, quoting a few headers.
MAX_UNRECOGNISED_NOTED = 20
MAX_HEADERS_QUOTED = 10
# Gender values (folded as lower case) that make a row under the table a person, not a signature.
_GENDER_WORDS = ("nam", "nữ", "nu", "m", "f", "male", "female")
# Fields written with digits only: legacy-font detection leaves their columns alone.
DIGIT_FIELDS = frozenset({"personal_id", "old_id_number", "social_insurance_number", "party_card_number"})
# Fields whose check gives another result for a number cell than for the same digits typed as
# text, and the texts for which it does (a number is written without ".0" and without exponent):
# - an ID of 12 or more digits with at most six significant ones is what Excel keeps of a number
#   shown as 1.23457E+11, while the same text is a valid ID;
# - a 9-digit social insurance number stored as a number lost its leading zero;
# - a date column reads a number as an Excel serial (1 to 9999 days, a date before 1928), and
#   eight digits as text as a compact date ("19850905").
NUMBER_SENSITIVE_TEXT: dict[str, str] = {
    "personal_id": r"^[1-9]\d{5}0{6,}$",
    "social_insurance_number": r"^\d{9}$",
    **dict.fromkeys(
        ("birth_date", "recruitment_date", "salary_since", "party_join_date", "party_official_date",
         "enlistment_date", "discharge_date", "social_org_join_date"),
        r"^\d{1,4}(?:\.\d+)?$|^\d{8}$",
    ),
}
# Text with a character outside ASCII but none above U+00FF: it may be TCVN3 or VNI read as Latin-1.
_LEGACY_CANDIDATE = r"^[\x00-\xff]*[\x80-\xff][\x00-\xff]*$"


def table_from_sheet(sheet: SheetData, file_name: str) -> Table | None:
    """Return the sheet's table, or None when no header row names at least three known fields."""
    header = find_sheet_header(sheet)
    if header is None:
        return None
    frame = sheet.frame
    start = header.last_row + 1
    if start < frame.height and is_column_number_row(_row_texts(frame, start)):
        start += 1
    frame, merge_sources = _fill_merged_down(sheet, frame, start)

    positions = sorted(header.fields)
    filled_rows, legacy, long = _scan(frame, positions, start)
    # Digits look the same in every legacy font, so an ID column is never converted (a
    # superscript digit, a Latin-1 character, would make the whole column read as TCVN3).
    legacy = {position for position in legacy if header.fields[position] not in DIGIT_FIELDS}
    record_indexes = _record_indexes(filled_rows, positions, start)
    footer = _footer_indexes(frame, record_indexes, header)
    if footer:
        record_indexes = record_indexes[:-len(footer)]
    records = _rows(frame, record_indexes)
    filled_records = _rows(filled_rows, [index - start for index in record_indexes])

    table = Table(
        file_name=file_name,
        sheet=sheet.sheet,
        header_row=sheet.row_numbers[header.last_row],
        row_numbers=[sheet.row_numbers[index] for index in record_indexes],
        columns={},
        unrecognised_headers=[text for position, text in _unrecognised(header)],
        headers_found=[text for text in header.texts if text],
        date_epoch=sheet.date_epoch,
        source=sheet,
    )
    errors = _errors_by_position(sheet, record_indexes)
    for position in positions:
        field_name = header.fields[position]
        column = Column(field=field_name, index=sheet.first_column + position, header=header.texts[position],
                        values=records[position_name(position)].alias(field_name),
                        numbers=_number_rows(sheet, field_name, position, records, record_indexes=record_indexes,
                                             merge_source=merge_sources.get(position)),
                        formula_errors=errors.get(position, {}),
                        blank=~filled_records[position_name(position)])
        table.columns[field_name] = column
        _repair_column(table, column, legacy=position in legacy, long=position in long)
    _note_legacy_headers(table, header)
    _note_unrecognised(table, header, sheet.first_column)
    _note_duplicate_headers(table, header, sheet)
    _note_damage(table, sheet, start)
    if sheet.delimited:
        _check_row_widths(table, sheet, records, record_indexes, header)
    if footer:
        _add(table, "ROWS_NOT_RECORDS", row=sheet.row_numbers[footer[0]],
             rows=", ".join(str(sheet.row_numbers[index]) for index in footer))
    return table


def find_sheet_header(sheet: SheetData) -> HeaderMatch | None:
    """Find the header among the first rows from the sheet's first non-blank row; rows are frame rows."""
    top = sheet.first_filled_row()
    head = sheet.head(HEADER_SEARCH_ROWS + 1, start=top)
    merged = [MergedRange(block.first_row - top, block.first_column, block.last_row - top, block.last_column)
              for block in sheet.merged if block.first_row >= top]
    header = find_header(head, merged)
    if header is not None:
        header.last_row += top
    return header


def _rows(frame: pl.DataFrame, indexes: list[int]) -> pl.DataFrame:
    """Return the frame rows ``indexes`` (ascending), as a slice when they follow each other."""
    if not indexes:
        return frame.clear()
    if indexes[-1] - indexes[0] + 1 == len(indexes):
        return frame.slice(indexes[0], len(indexes))
    return frame[indexes]


def _row_texts(frame: pl.DataFrame, index: int) -> list[str]:
    return ["" if value is None else value for value in frame.row(index)]


def _is_filled(name: str) -> pl.Expr:
    """Non-blank: neither empty nor white space only."""
    return pl.col(name).str.contains(NOT_WHITESPACE).fill_null(False)


def _scan(frame: pl.DataFrame, positions: list[int], start: int) -> tuple[pl.DataFrame, set[int], set[int]]:
    """Look at every cell of the recognised columns from row ``start`` once, in parallel queries.

    Returns which cells are non-blank, the positions holding a value that may be legacy-font
    text, and those holding an over-long value. Legacy-font text read as Latin-1 has a
    character outside ASCII and none above U+00FF: Unicode Vietnamese almost always has a
    letter above it (ă ơ ư đ, or one with a dot below or a hook).
    """
    rows = frame.slice(start).lazy()
    names = [position_name(position) for position in positions]
    filled_rows, found = pl.collect_all([
        rows.select(_is_filled(name) for name in names),
        rows.select(
            *(pl.col(name).str.contains(_LEGACY_CANDIDATE).any().alias(f"legacy{name}") for name in names),
            *((pl.col(name).str.len_bytes() > MAX_CELL_CHARS).any().alias(f"long{name}") for name in names),
        ),
    ])
    flags = found.row(0) if found.height else (False,) * (2 * len(names))
    legacy = {position for position, hit in zip(positions, flags[:len(names)], strict=True) if hit}
    long = {position for position, hit in zip(positions, flags[len(names):], strict=True) if hit}
    return filled_rows, legacy, long


def _record_indexes(filled_rows: pl.DataFrame, positions: list[int], start: int) -> list[int]:
    """Return the frame rows from ``start`` with a value under a recognised header."""
    if filled_rows.height == 0 or not positions:
        return []
    has_value = filled_rows.select(pl.any_horizontal(pl.all()).alias("has_value"))["has_value"]
    return (has_value.arg_true() + start).to_list()


def _fill_merged_down(sheet: SheetData, frame: pl.DataFrame, start: int) -> tuple[pl.DataFrame, dict[int, list[int]]]:
    """Copy the value of each one-column block merged over data rows into every empty cell of the block.

    Returns the filled frame and, for each filled position, the frame row each row's value now
    comes from. A covered cell has no cell of its own in the file, so facts about its value
    (was it a number?) are read from the block's first cell.
    """
    by_column: dict[int, list[tuple[int, int]]] = {}
    for block in sheet.merged:
        if block.first_column != block.last_column or block.first_row < start or block.last_row <= block.first_row:
            continue
        if block.first_column >= frame.width or block.first_row >= frame.height:
            continue
        by_column.setdefault(block.first_column, []).append((block.first_row, min(block.last_row, frame.height - 1)))
    if not by_column:
        return frame, {}
    filled = []
    sources: dict[int, list[int]] = {}
    for position, blocks in by_column.items():
        source = list(range(frame.height))
        for first, last in blocks:
            source[first + 1:last + 1] = [first] * (last - first)
        name = position_name(position)
        values = frame[name]
        gathered = values.gather(source)
        filled.append(values.fill_null(gathered).alias(name))
        # A covered cell with a value of its own keeps it, and its own source.
        own = values.is_not_null().arg_true().to_list()
        for row in own:
            source[row] = row
        sources[position] = source
    return frame.with_columns(filled), sources


def _footer_indexes(frame: pl.DataFrame, record_indexes: list[int], header: HeaderMatch) -> list[int]:
    """Return the trailing record rows that are a signature block, not records."""
    key_positions = [position for position, name in header.fields.items() if name in KEY_FIELDS]
    if not key_positions or not record_indexes:
        return []
    # The block is a few rows: look at the last rows first, and at all only if every one qualifies.
    person = _is_person(header)
    for tail in (64, len(record_indexes)):
        indexes = record_indexes[-tail:]
        rows = frame[indexes]
        filled = pl.sum_horizontal([_is_filled(name).cast(pl.Int32) for name in rows.columns])
        has_key = pl.any_horizontal([pl.col(position_name(position)).str.contains(r"\d").fill_null(False)
                                     for position in key_positions])
        candidate = rows.select((~has_key & ~person & (filled <= FOOTER_MAX_CELLS)).alias("footer"))["footer"].to_list()
        footer: list[int] = []
        for index, is_footer in zip(reversed(indexes), reversed(candidate), strict=True):
            if not is_footer:
                break
            footer.append(index)
        if len(footer) < len(indexes) or tail >= len(record_indexes):
            break
    if len(footer) == len(record_indexes):
        return []  # no row has an ID or a date of birth: leave the findings to the checks
    return sorted(footer)


def _is_person(header: HeaderMatch) -> pl.Expr:
    """True for a row that names a person: a full name with a gender or a unit code (one word, as codes are).

    A signature block has names too (the officers who sign), but under the signature lines,
    not beside a gender or a unit code.
    """
    positions = {name: position for position, name in header.fields.items()}
    if "full_name" not in positions:
        return pl.lit(False)
    named = _is_filled(position_name(positions["full_name"]))
    described = pl.lit(False)
    if "gender" in positions:
        gender = pl.col(position_name(positions["gender"])).str.strip_chars().str.to_lowercase()
        described = described | gender.is_in(_GENDER_WORDS).fill_null(False)
    if "unit_code" in positions:
        described = described | pl.col(position_name(positions["unit_code"])).str.contains(r"^\s*\S+\s*$").fill_null(
            False)
    return named & described


def _errors_by_position(sheet: SheetData, record_indexes: list[int]) -> dict[int, dict[int, str]]:
    """Return position → table row index → formula error, for the record rows."""
    errors = sheet.marks.formula_errors()
    if not errors:
        return {}
    table_index = {frame_row: index for index, frame_row in enumerate(record_indexes)}
    by_position: dict[int, dict[int, str]] = {}
    for (frame_row, position), value in errors.items():
        index = table_index.get(frame_row)
        if index is not None:
            by_position.setdefault(position, {})[index] = value
    return by_position


def _number_rows(sheet: SheetData, field_name: str, position: int, records: pl.DataFrame, *,
                 record_indexes: list[int], merge_source: list[int] | None) -> frozenset[int]:
    """Return the table rows of a number-sensitive field whose cell was a number, where the text leaves it open.

    ``merge_source`` maps each frame row of the position to the row its value was copied from.
    """
    pattern = NUMBER_SENSITIVE_TEXT.get(field_name)
    if pattern is None or not record_indexes:
        return frozenset()
    values = records[position_name(position)]
    open_rows = values.str.contains(pattern).fill_null(False).arg_true().to_list()
    if not open_rows:
        return frozenset()
    frame_rows = [record_indexes[index] for index in open_rows]
    if merge_source is not None:
        frame_rows = [merge_source[row] for row in frame_rows]
    numbers = sheet.marks.number_rows(position, sorted(set(frame_rows)))
    return frozenset(index for index, frame_row in zip(open_rows, frame_rows, strict=True) if frame_row in numbers)


def _repair_column(table: Table, column: Column, *, legacy: bool, long: bool) -> None:
    """Convert legacy-font text and cut over-long cells, looking at each distinct value once."""
    if legacy:
        values = column.values
        candidates = values.filter(values.str.contains(_LEGACY_CANDIDATE).fill_null(False)).unique().sort()
        _convert_legacy_font(table, column, candidates.to_list())
    if long:
        long_mask = (column.values.str.len_chars() > MAX_CELL_CHARS).fill_null(False)
        if long_mask.any():
            _cut_long_cells(table, column, long_mask)


def _convert_legacy_font(table: Table, column: Column, candidates: list[str]) -> None:
    # Sorted candidates make the sample, and so the decision, the same on every run.
    encoding = detect_legacy(candidates[:LEGACY_SAMPLE_VALUES]) if candidates else None
    if encoding is None:
        return
    conversions = {value: converted for value in candidates
                   if (converted := convert_value(value, encoding)) is not None}
    if not conversions:
        return
    converted_cells = int(column.values.is_in(list(conversions)).sum())
    column.values = column.values.replace(conversions)
    if converted_cells:
        _add(table, "CELL_LEGACY_FONT", row=table.header_row or None, column=column, encoding=encoding.value,
             cells=converted_cells)


def _note_legacy_headers(table: Table, header: HeaderMatch) -> None:
    """Warn once when only the header row was typed with a legacy font."""
    if not header.legacy or any(finding.code == "CELL_LEGACY_FONT" for finding in table.findings):
        return
    position, encoding = min(header.legacy.items())
    column = table.columns[header.fields[position]]
    _add(table, "CELL_LEGACY_FONT", row=table.header_row or None, column=column, encoding=encoding.value, cells=0)


def _cut_long_cells(table: Table, column: Column, long_mask: pl.Series) -> None:
    for index in long_mask.arg_true().to_list():
        _add(table, "CELL_TOO_LONG", row=table.row_numbers[index], column=column,
             length=len(column.values[index]), limit=MAX_CELL_CHARS)
    column.values = pl.select(
        pl.when(pl.lit(long_mask)).then(pl.lit(column.values).str.slice(0, MAX_CELL_CHARS))
        .otherwise(pl.lit(column.values)).alias(column.field)
    ).to_series()


def _unrecognised(header: HeaderMatch) -> list[tuple[int, str]]:
    """Return the header positions that name no field.

    Row-number columns ("STT") are left out, and so is the result column of the product's own
    annotated copy, which an officer may fix and upload again.
    """
    return [(position, text) for position, text in enumerate(header.texts)
            if text and position not in header.fields and position not in header.duplicates
            and fold_header(text) not in ROW_NUMBER_HEADERS and fold_header(text) not in _ANNOTATION_HEADERS]


def _note_duplicate_headers(table: Table, header: HeaderMatch, sheet: SheetData) -> None:
    """Warn about each column whose header names a field an earlier column already has: it is not read.

    A header merged over several columns names one field, not one per column, so its other
    columns get no warning.
    """
    for position, field_name in sorted(header.duplicates.items()):
        column = table.columns[field_name]
        first = column.index - sheet.first_column
        if _merged_together(sheet, header, first, position):
            continue
        table.findings.append(Finding(
            code="COLUMN_DUPLICATE_FIELD", severity=SEVERITY["COLUMN_DUPLICATE_FIELD"], sheet=table.sheet,
            column=column_letter(sheet.first_column + position), header=header.texts[position], field=field_name,
            params={"letter": column_letter(sheet.first_column + position), "first": column.letter},
        ))


def _merged_together(sheet: SheetData, header: HeaderMatch, first: int, second: int) -> bool:
    rows = range(header.last_row - header.rows + 1, header.last_row + 1)
    return any(block.first_column <= min(first, second) and max(first, second) <= block.last_column
               and any(block.first_row <= row <= block.last_row for row in rows)
               for block in sheet.merged)


def _note_damage(table: Table, sheet: SheetData, start: int) -> None:
    """Report the rows of the data area that the reader could read only in part."""
    for damage in sheet.damage:
        if damage.index < start or damage.index >= len(sheet.row_numbers):
            continue
        letter = column_letter(sheet.first_column + damage.position) if damage.position is not None else None
        _add(table, damage.code, row=sheet.row_numbers[damage.index], letter=letter, **damage.params)


def _note_unrecognised(table: Table, header: HeaderMatch, first_column: int) -> None:
    """Warn about each column whose header names no field: its data is not synced.

    Past ``MAX_UNRECOGNISED_NOTED`` columns, one more warning counts the rest, so a file of
    hundreds of extra columns (a JSON export of every attribute) does not bury the report.
    """
    unrecognised = _unrecognised(header)
    if len(unrecognised) > MAX_UNRECOGNISED_NOTED:
        rest = unrecognised[MAX_UNRECOGNISED_NOTED:]
        table.findings.append(Finding(
            code="COLUMNS_NOT_RECOGNISED_MORE", severity=SEVERITY["COLUMNS_NOT_RECOGNISED_MORE"], sheet=table.sheet,
            params={"count": len(rest), "headers": ", ".join(f"«{text}»" for _, text in rest[:MAX_HEADERS_QUOTED])
                    + (", …" if len(rest) > MAX_HEADERS_QUOTED else "")},
        ))
        unrecognised = unrecognised[:MAX_UNRECOGNISED_NOTED]
    for position, text in unrecognised:
        table.findings.append(Finding(
            code="COLUMN_NOT_RECOGNISED", severity=SEVERITY["COLUMN_NOT_RECOGNISED"], sheet=table.sheet,
            column=column_letter(first_column + position), header=text,
            params={"letter": column_letter(first_column + position)},
        ))


def _check_row_widths(table: Table, sheet: SheetData, records: pl.DataFrame, record_indexes: list[int],
                      header: HeaderMatch) -> None:
    """Report rows with more cells than the header (error) or fewer (warning)."""
    if sheet.row_widths is None or not record_indexes:
        return
    named = [position for position, text in enumerate(header.texts) if text]
    width = (named[-1] + 1) if named else 0
    beyond = [position_name(position) for position in range(width, records.width)]
    suspects = pl.lit(False)
    if beyond:
        suspects = pl.any_horizontal([_is_filled(name) for name in beyond])
    if width:
        suspects = suspects | pl.col(position_name(width - 1)).is_null()
    indexes = records.with_row_index("index").filter(suspects)["index"].to_list()
    if sheet.overflow:
        # Rows the reader cut: their extra cells lie beyond the frame.
        cut = {index for index, frame_row in enumerate(record_indexes) if frame_row in sheet.overflow}
        indexes = sorted(set(indexes) | cut)
    if not indexes:
        return
    widths = sheet.row_widths([record_indexes[index] for index in indexes])
    for index, cells in zip(indexes, widths, strict=True):
        row_number = table.row_numbers[index]
        if cells > width:
            row = records.row(index)
            extra = next((position for position in range(width, min(cells, len(row)))
                          if row[position] is not None and row[position].strip()), None)
            if extra is None:
                extra = sheet.overflow.get(record_indexes[index])
            if extra is not None:
                _add(table, "ROW_TOO_MANY_CELLS", row=row_number, letter=column_letter(sheet.first_column + extra),
                     cells=cells, expected=width)
        elif cells < width:
            _add(table, "ROW_TOO_FEW_CELLS", row=row_number, letter=column_letter(sheet.first_column + cells),
                 cells=cells, expected=width)


def _add(table: Table, code: str, *, row: int | None, column: Column | None = None, letter: str | None = None,
         **params: Any) -> None:
    table.findings.append(Finding(
        code=code,
        severity=SEVERITY[code],
        row=row,
        column=column.letter if column else letter,
        sheet=table.sheet,
        header=column.header if column else None,
        field=column.field if column else None,
        params=params,
    ))

