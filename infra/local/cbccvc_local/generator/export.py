"""The generated export: rows in the agency file layout, and the files written from them.

Layout of the xlsx file, as an HR package typically exports it: two title rows, a blank row,
the header row (row 4) and the data from row 5, on a sheet named "Danh sách". Dates are
dd/mm/yyyy text. Personal IDs, old ID numbers, Party card numbers and commune codes are text
cells, so their leading zeros survive. Salary steps and coefficients are numbers. The CSV
variant is UTF-8 with a byte order mark, comma-separated, with the header on row 1.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from cbccvc.schema import FIELDS, FieldKind
from cbccvc_local.generator.people import DEFAULT_AS_OF, GENDER_LABELS, STATUS_WORKING, OrgUnit, Person

Cell = str | int | float | None
FileFormat = Literal["xlsx", "csv"]
Fault = dict[str, str | int]

SHEET_NAME = "Danh sách"
LIST_TITLE = "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
SEQUENCE_HEADER = "STT"
HEADERS: tuple[str, ...] = (SEQUENCE_HEADER, *(spec.header for spec in FIELDS))
# Column position of each field. Column A contains the sequence number and the fields follow.
COLUMN_INDEX: dict[str, int] = {spec.name: position for position, spec in enumerate(FIELDS, start=1)}
# 1-based spreadsheet row of the first record, as Excel numbers it.
FIRST_DATA_ROW: dict[FileFormat, int] = {"xlsx": 5, "csv": 2}
UNIT_HEADERS: tuple[str, ...] = ("Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Mã xã")

_TEXT_KINDS = (FieldKind.TEXT, FieldKind.CODE, FieldKind.DATE)


def column_letter(field_name: str) -> str:
    """Return the spreadsheet column letter of a field ("B" for full_name)."""
    return xl_col_to_name(COLUMN_INDEX[field_name])


def format_date(day: date | None) -> str | None:
    """Write a date as the dd/mm/yyyy text agencies use."""
    return None if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def person_row(sequence: int, person: Person) -> list[Cell]:
    """Lay one person out as an export row, in ``HEADERS`` order."""
    values: dict[str, Cell] = {
        "full_name": person.full_name,
        "birth_date": format_date(person.birth_date),
        "gender": GENDER_LABELS[person.gender],
        "personal_id": person.personal_id,
        "old_id_number": person.old_id_number,
        "ethnicity": person.ethnicity,
        "religion": person.religion,
        "hometown_commune": person.hometown_commune,
        "residence_commune": person.residence_commune,
        "unit_code": person.unit.code,
        "unit_name": person.unit.name,
        "position": person.position,
        "job_position": person.job_position,
        "rank_code": person.role.rank_code,
        "salary_step": person.salary_step,
        "salary_coefficient": person.salary_coefficient,
        "salary_since": format_date(person.salary_since),
        "recruitment_date": format_date(person.recruitment_date),
        "education_general": person.education_general,
        "qualification": person.qualification,
        "political_theory": person.political_theory,
        "state_management": person.state_management,
        "party_join_date": format_date(person.party_join_date),
        "party_official_date": format_date(person.party_official_date),
        "party_card_number": person.party_card_number,
        "enlistment_date": format_date(person.enlistment_date),
        "discharge_date": format_date(person.discharge_date),
        "status": STATUS_WORKING,
    }
    return [sequence, *(values.get(spec.name, "") for spec in FIELDS)]


@dataclass(slots=True)
class GeneratedExport:
    """A synthetic agency export with its planted faults, population register and org units.

    ``faults`` rows are 1-based xlsx row numbers (title rows included); ``faults_for("csv")``
    gives the same faults with CSV row numbers. ``people`` is the population register: the
    true identity of every person in the export except those planted as not found.
    """

    agency_code: str
    agency_name: str
    headers: list[str]
    rows: list[list[Cell]]
    people: list[dict[str, str]]
    faults: list[Fault]
    units: list[OrgUnit]
    as_of: date = field(default=DEFAULT_AS_OF)

    def faults_for(self, file_format: FileFormat = "xlsx") -> list[Fault]:
        """Return the faults with row numbers of the given file layout."""
        shift = FIRST_DATA_ROW[file_format] - FIRST_DATA_ROW["xlsx"]
        return [{**fault, "row": int(fault["row"]) + shift} for fault in self.faults]

    def write_xlsx(self, path: Path | str) -> Path:
        """Write the export as an Excel workbook (streamed, so memory stays flat at 100,000 rows)."""
        target = Path(path)
        workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
        # A fixed creation time keeps the file byte-identical for the same seed.
        workbook.set_properties({"created": datetime.combine(self.as_of, time())})
        try:
            _write_sheet(workbook, self.agency_name, self.headers, self.rows)
        finally:
            workbook.close()
        return target

    def write_csv(self, path: Path | str) -> Path:
        """Write the export as UTF-8 CSV with a byte order mark; coefficients as "3.00"."""
        target = Path(path)
        with target.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(self.headers)
            writer.writerows(_csv_cells(row) for row in self.rows)
        return target

    def write_faults(self, path: Path | str, *, file_format: FileFormat = "xlsx") -> Path:
        """Write the planted faults as JSON, with row numbers of the given file layout."""
        return _write_json(Path(path), self.faults_for(file_format))

    def write_population(self, path: Path | str) -> Path:
        """Write the population register as JSON."""
        return _write_json(Path(path), self.people)

    def write_units(self, path: Path | str) -> Path:
        """Write the organisation tree as UTF-8 CSV (code, name, parent code, commune code)."""
        target = Path(path)
        with target.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(UNIT_HEADERS)
            for unit in self.units:
                writer.writerow((unit.code, unit.name, unit.parent_code or "", unit.commune_code))
        return target


def _write_json(target: Path, payload: object) -> Path:
    target.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


def _csv_cells(row: Iterable[Cell]) -> list[str]:
    cells: list[str] = []
    for value in row:
        if value is None:
            cells.append("")
        elif isinstance(value, float):
            cells.append(f"{value:.2f}")
        else:
            cells.append(str(value))
    return cells


def _write_sheet(workbook: xlsxwriter.Workbook, agency_name: str, headers: list[str], rows: list[list[Cell]]) -> None:
    sheet = workbook.add_worksheet(SHEET_NAME)
    title_format = workbook.add_format({"bold": True, "align": "center"})
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "border": 1, "align": "center"})
    text_format = workbook.add_format({"num_format": "@"})
    coefficient_format = workbook.add_format({"num_format": "0.00"})

    # Columns must be set up before the first row in constant-memory mode.
    sheet.set_column(0, 0, 5)
    for position, spec in enumerate(FIELDS, start=1):
        width = 28 if spec.name in ("full_name", "unit_name", "job_position") else 16
        sheet.set_column(position, position, width, text_format if spec.kind in _TEXT_KINDS else None)

    last_title_column = min(len(headers) - 1, 8)
    sheet.merge_range(0, 0, 0, last_title_column, agency_name.upper(), title_format)
    sheet.merge_range(1, 0, 1, last_title_column, LIST_TITLE, title_format)
    header_row = FIRST_DATA_ROW["xlsx"] - 2
    for position, header in enumerate(headers):
        sheet.write_string(header_row, position, header, header_format)

    coefficient_column = COLUMN_INDEX["salary_coefficient"]
    first_row = FIRST_DATA_ROW["xlsx"] - 1
    write_string, write_number = sheet.write_string, sheet.write_number
    for offset, row in enumerate(rows):
        row_number = first_row + offset
        for position, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(row_number, position, value, text_format)
            elif position == coefficient_column:
                write_number(row_number, position, value, coefficient_format)
            else:
                write_number(row_number, position, value)
