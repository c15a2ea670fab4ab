"""The Excel template agencies fill in: the headers the validate stage reads, with dropdown lists.

Sheets: "Danh sách" (the header row, one comment per header saying how to write the column,
Text format for IDs, codes and dates, and data validation on every data row), "Hướng dẫn"
(the same instructions as a table) and the hidden "Danh mục" holding the catalog lists that
the dropdowns reference. The 3,321 communes are far too many for an inline list (Excel caps
those at 255 characters), so every list lives on the hidden sheet behind a defined name.

Dropdown entries for coded columns read "code – name"; the validate stage takes the code
before the dash, so a value picked from a list validates as the bare code would.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter

from cbccvc.catalogs import admin_units, education, ethnicity, ranks, religions
from cbccvc.messages import Language, label, render
from cbccvc.reporting.spreadsheet import neutralise
from cbccvc.schema import FIELDS, DataGroup, FieldKind, FieldSpec
from cbccvc.validation.engine import MILITARY_RANKS

# Data validation and formats cover every data row of a sheet (Excel's last row is 1,048,576).
LAST_ROW = 1_048_575
CODE_NAME_SEPARATOR = " – "
GROUP_ORDER: tuple[DataGroup, ...] = tuple(DataGroup)
_COMMUNE_FIELDS_CURRENT = ("residence_commune",)
_COMMUNE_FIELDS_LEGACY = ("hometown_commune", "birthplace_commune")
_LENGTH_FIELDS = {"personal_id": 12, "social_insurance_number": 10, "party_card_number": 8}
_HINTED_FIELDS = frozenset({"full_name", "personal_id", "old_id_number", "unit_code", "rank_code", "religion",
                            "social_insurance_number", "party_card_number"})


@dataclass(frozen=True, slots=True)
class CatalogList:
    """One dropdown list: its defined name, its title on the catalog sheet, and its entries."""

    name: str
    title_key: str
    entries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TemplateWorkbook:
    content: bytes
    fields: int
    communes: int


def catalog_lists(province_code: str | None = None) -> dict[str, CatalogList]:
    """Return the dropdown lists keyed by the field they serve (communes optionally of one province).

    Raises KeyError when ``province_code`` is not one of the 34 provinces.
    """
    provinces = admin_units.current_provinces()
    if province_code is not None and province_code not in provinces:
        raise KeyError(province_code)
    communes = tuple(
        f"{commune.code}{CODE_NAME_SEPARATOR}{commune.name}, {commune.province_name}"
        for commune in sorted(admin_units.current_communes().values(), key=lambda item: item.code)
        if province_code is None or commune.province_code == province_code
    )
    commune_list = CatalogList("DM_Xa", "template.list_commune", communes)
    lists = {
        "province": CatalogList("DM_Tinh", "template.list_province", tuple(
            f"{code}{CODE_NAME_SEPARATOR}{name}" for code, name in sorted(provinces.items()))),
        "ethnicity": CatalogList("DM_DanToc", "template.list_ethnicity",
                                 tuple(group.name for group in ethnicity.ETHNIC_GROUPS)),
        "religion": CatalogList("DM_TonGiao", "template.list_religion",
                                tuple(religion.name for religion in religions.RELIGIONS)),
        "rank_code": CatalogList("DM_Ngach", "template.list_rank", tuple(
            f"{entry.code}{CODE_NAME_SEPARATOR}{entry.name}" for entry in ranks.RANKS.values())),
        "education_general": CatalogList("DM_GDPT", "template.list_education_general", education.GENERAL_EDUCATION),
        "qualification": CatalogList("DM_ChuyenMon", "template.list_qualification", education.QUALIFICATIONS),
        "academic_title": CatalogList("DM_HocHam", "template.list_academic_title", education.ACADEMIC_TITLES),
        "political_theory": CatalogList("DM_LLCT", "template.list_political_theory", education.POLITICAL_THEORY),
        "state_management": CatalogList("DM_QLNN", "template.list_state_management", education.STATE_MANAGEMENT),
        "highest_military_rank": CatalogList("DM_QuanHam", "template.list_military_rank", MILITARY_RANKS),
    }
    for field_name in (*_COMMUNE_FIELDS_CURRENT, *_COMMUNE_FIELDS_LEGACY):
        lists[field_name] = commune_list
    return lists


def template_fields() -> list[FieldSpec]:
    """Return the schema's fields in template order: by data group, then as the schema lists them."""
    return sorted(FIELDS, key=lambda spec: GROUP_ORDER.index(spec.group))


def build_template(*, mandatory_fields: Sequence[str], province_code: str | None = None,
                   language: Language = Language.VI) -> TemplateWorkbook:
    """Build the template workbook; raises KeyError for an unknown ``province_code``."""
    lists = catalog_lists(province_code)
    fields = template_fields()
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    writer = _TemplateWriter(workbook, fields, frozenset(mandatory_fields), lists, language)
    writer.write()
    workbook.close()
    communes = len(lists["residence_commune"].entries)
    return TemplateWorkbook(content=buffer.getvalue(), fields=len(fields), communes=communes)


class _TemplateWriter:
    def __init__(self, workbook: Any, fields: list[FieldSpec], mandatory: frozenset[str],
                 lists: dict[str, CatalogList], language: Language) -> None:
        self.workbook = workbook
        self.fields = fields
        self.mandatory = mandatory
        self.lists = lists
        self.language = language
        self.text = workbook.add_format({"num_format": "@"})
        self.integer = workbook.add_format({"num_format": "0"})
        self.decimal = workbook.add_format({"num_format": "0.00"})
        header = {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "border": 1}
        self.header_required = workbook.add_format({**header, "bg_color": "#F8CBAD"})
        self.header_optional = workbook.add_format({**header, "bg_color": "#DDEBF7"})
        self.bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    def write(self) -> None:
        data = self.workbook.add_worksheet(label("template.sheet_data", self.language))
        help_sheet = self.workbook.add_worksheet(label("template.sheet_help", self.language))
        catalog = self.workbook.add_worksheet(label("template.sheet_lists", self.language))
        self._write_catalog(catalog)
        self._write_data_sheet(data)
        self._write_help(help_sheet)
        catalog.hide()
        data.activate()

    def _write_catalog(self, sheet: Any) -> None:
        """Write one column per distinct list (title on row 1, entries below) and a defined name for each."""
        distinct: dict[str, CatalogList] = {}
        for catalog in self.lists.values():
            distinct.setdefault(catalog.name, catalog)
        sheet_name = label("template.sheet_lists", self.language)
        for column, catalog in enumerate(distinct.values()):
            sheet.write_string(0, column, label(catalog.title_key, self.language), self.bold)
            width = max((len(entry) for entry in catalog.entries), default=10)
            sheet.set_column(column, column, min(max(width, 12), 60))
            for row, entry in enumerate(catalog.entries, start=1):
                sheet.write_string(row, column, neutralise(entry))
            letter = xlsxwriter.utility.xl_col_to_name(column)
            last = max(len(catalog.entries), 1) + 1
            self.workbook.define_name(catalog.name, f"='{sheet_name}'!${letter}$2:${letter}${last}")

    def _write_data_sheet(self, sheet: Any) -> None:
        sheet.set_row(0, 45)
        sheet.freeze_panes(1, 0)
        for column, spec in enumerate(self.fields):
            required = spec.name in self.mandatory
            sheet.write_string(0, column, spec.header, self.header_required if required else self.header_optional)
            sheet.write_comment(0, column, self._hint(spec, required=required),
                                {"author": "cbccvc", "x_scale": 2.5, "y_scale": 1.6})
            sheet.set_column(column, column, max(14, min(len(spec.header) + 4, 36)), self._column_format(spec))
            self._add_validation(sheet, column, spec)

    def _column_format(self, spec: FieldSpec) -> Any:
        # Dates stay text too: a date typed into a Date cell is read with the computer's locale
        # (month first on an English Windows), while the validate stage reads text day first.
        if spec.kind in {FieldKind.CODE, FieldKind.DATE}:
            return self.text
        if spec.kind is FieldKind.INTEGER:
            return self.integer
        if spec.kind is FieldKind.DECIMAL:
            return self.decimal
        return None

    def _add_validation(self, sheet: Any, column: int, spec: FieldSpec) -> None:
        options: dict[str, Any] | None = None
        if spec.name == "gender":
            options = {"validate": "list", "source": ["Nam", "Nữ"], "error_type": "stop"}
        elif spec.name in self.lists:
            options = {"validate": "list", "source": f"={self.lists[spec.name].name}", "error_type": "warning",
                       "error_title": render("template.error_title", self.language),
                       "error_message": render("template.error_message", self.language)}
        elif spec.name in _LENGTH_FIELDS:
            digits = _LENGTH_FIELDS[spec.name]
            options = {"validate": "length", "criteria": "==", "value": digits, "error_type": "warning",
                       "error_message": render("template.length_error", self.language, digits=digits)}
        if options is not None:
            sheet.data_validation(1, column, LAST_ROW, column, options)

    def _hint(self, spec: FieldSpec, *, required: bool) -> str:
        lines = [f"{spec.header} ({label('template.mandatory', self.language).lower()}: "
                 f"{label('template.yes' if required else 'template.no', self.language).lower()})"]
        lines.append(render(_hint_key(spec, listed=spec.name in self.lists), self.language))
        return "\n".join(lines)

    def _write_help(self, sheet: Any) -> None:
        sheet.write_string(0, 0, label("template.title", self.language), self.workbook.add_format(
            {"bold": True, "font_size": 14}))
        columns = ("template.column", "template.header", "template.group", "template.mandatory", "template.how")
        widths = (8, 40, 36, 10, 80)
        for position, (key, width) in enumerate(zip(columns, widths, strict=True)):
            sheet.write_string(2, position, label(key, self.language), self.bold)
            sheet.set_column(position, position, width)
        for row, spec in enumerate(self.fields, start=3):
            required = spec.name in self.mandatory
            sheet.write_string(row, 0, xlsxwriter.utility.xl_col_to_name(row - 3))
            sheet.write_string(row, 1, spec.header)
            sheet.write_string(row, 2, label(f"group.{spec.group.value}", self.language))
            sheet.write_string(row, 3, label("template.yes" if required else "template.no", self.language))
            sheet.write_string(row, 4, render(_hint_key(spec, listed=spec.name in self.lists), self.language),
                               self.wrap)


def _hint_key(spec: FieldSpec, *, listed: bool) -> str:
    if spec.name in _HINTED_FIELDS:
        return f"template.hint.{spec.name}"
    if spec.name in _COMMUNE_FIELDS_CURRENT:
        return "template.hint.commune_current"
    if spec.name in _COMMUNE_FIELDS_LEGACY:
        return "template.hint.commune_legacy"
    if listed or spec.name == "gender":
        return "template.hint.list"
    return f"template.hint.{spec.kind.value}"
