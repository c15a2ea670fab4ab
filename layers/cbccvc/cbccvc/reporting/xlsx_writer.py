"""A small .xlsx writer for the validation report: text and number cells, a few fixed styles.

xlsxwriter spends about 5 µs of Python per cell, so a report of 7,000 findings (50,000 cells)
takes a quarter of a second. The report needs little of what xlsxwriter offers: inline
strings, numbers, fills, wrapped text, widths, row heights, one merged block, a frozen header
row, an autofilter, and landscape A4 printing one page wide with the header row repeated.
This module writes those parts of the Office Open XML package (ECMA-376 Part 1, SpreadsheetML)
itself, each row as one string, with elements in the order the schema requires.

Cell text goes through ``spreadsheet.neutralise`` in the caller; here it is escaped for XML,
and control characters XML cannot hold are written as Excel's ``_xHHHH_`` escapes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import polars as pl

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Control characters XML 1.0 cannot hold; "_" before "x" is escaped too, so "_x0001_" typed by a user survives.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
# The same characters for polars, whose regex engine has no look-ahead: a match is a superset.
_ILLEGAL_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]|_x[0-9A-Fa-f]{4}_"
PAPER_A4 = 9


@dataclass(frozen=True, slots=True)
class Style:
    """A cell style: font, fill, border and alignment. Colors are RGB hex without "#"."""

    bold: bool = False
    font_size: float = 11
    font_color: str | None = None
    fill: str | None = None
    border: bool = False
    wrap: bool = False
    top: bool = False


def column_name(index: int) -> str:
    """Return the letters of a 0-based column index (0 → A)."""
    if index < len(_COLUMN_NAMES):
        return _COLUMN_NAMES[index]
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


_COLUMN_NAMES: list[str] = []
_COLUMN_NAMES.extend(column_name(index) for index in range(64))


def xml_text(values: pl.Expr) -> pl.Expr:
    """Escape text for XML over a column, as ``_text`` does for one value."""
    escaped = values.str.replace_many(["&", "<", ">"], ["&amp;", "&lt;", "&gt;"])
    illegal = values.str.contains(_ILLEGAL_PATTERN)
    return pl.when(illegal.fill_null(False)).then(
        escaped.map_elements(_escape_illegal, return_dtype=pl.String)).otherwise(escaped)


def _escape_illegal(value: str) -> str:
    return _ILLEGAL.sub(lambda match: f"_x{ord(match.group()):04X}_", value)


def _text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub(lambda match: f"_x{ord(match.group()):04X}_", value)
    return escape(value)


@dataclass(slots=True)
class Sheet:
    """One worksheet, written row by row in increasing row order."""

    name: str
    styles: dict[Style, int]
    widths: dict[int, float] = field(default_factory=dict)
    # XML of the rows: strings, or iterables of strings produced when the package is written.
    rows: list[str | Iterable[str]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    freeze_first_row: bool = False
    repeat_first_row: bool = False
    autofilter: tuple[int, int] | None = None  # last row and last column (0-based) of an autofilter from A1
    last_row: int = -1
    last_column: int = 0

    def set_width(self, column: int, width: float) -> None:
        self.widths[column] = width

    def style(self, style: Style) -> int:
        """Return the index of a style in the workbook's style table, adding it on first use."""
        return self.styles.setdefault(style, len(self.styles))

    def write_row(self, row: int, cells: Sequence[tuple[str | float | int | None, int]],
                  height: float | None = None) -> None:
        """Write the cells of one row from column A, each a value and a style index (``style``).

        A None value leaves the cell out, or blank when it has a style.
        """
        if row <= self.last_row:
            raise ValueError(f"row {row} written after row {self.last_row}")
        self.last_row = row
        number = row + 1
        parts = [f'<row r="{number}"' + (f' ht="{height:g}" customHeight="1">' if height else ">")]
        for column, (value, index) in enumerate(cells):
            reference = f"{column_name(column)}{number}"
            attribute = f' s="{index}"' if index else ""
            if value is None:
                if index:
                    parts.append(f'<c r="{reference}"{attribute}/>')
                continue
            self.last_column = max(self.last_column, column)
            if isinstance(value, int | float) and not isinstance(value, bool):
                parts.append(f'<c r="{reference}"{attribute}><v>{value!r}</v></c>')
            else:
                parts.append(f'<c r="{reference}"{attribute} t="inlineStr"><is><t xml:space="preserve">'
                             f"{_text(str(value))}</t></is></c>")
        parts.append("</row>")
        self.rows.append("".join(parts))

    def write_rows_xml(self, xml: str | Iterable[str], *, last_row: int, last_column: int) -> None:
        """Add rows built elsewhere as XML (``<row>`` elements after the rows written so far).

        ``xml`` may be an iterable of parts, which is read once, while the package is written, so
        the rows of a large report never sit in memory all at once.
        """
        self.rows.append(xml)
        self.last_row = max(self.last_row, last_row)
        self.last_column = max(self.last_column, last_column)

    def merge(self, row: int, first_column: int, last_column: int) -> None:
        self.merged.append(f"{column_name(first_column)}{row + 1}:{column_name(last_column)}{row + 1}")

    def to_xml(self, active: bool) -> str:
        return "".join(self.xml_parts(active))

    def xml_parts(self, active: bool) -> Iterator[str]:
        """Yield the worksheet's XML in parts, the rows as they were added."""
        dimension = f"A1:{column_name(self.last_column)}{max(self.last_row, 0) + 1}"
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if active else "")
        if self.freeze_first_row:
            view += ('><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                     '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>')
        else:
            view += "/>"
        columns = "".join(f'<col min="{column + 1}" max="{column + 1}" width="{width + 0.7109375:g}" customWidth="1"/>'
                          for column, width in sorted(self.widths.items()))
        yield "".join([
            _HEADER,
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">',
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="{dimension}"/>',
            f"<sheetViews>{view}</sheetViews>",
            '<sheetFormatPr defaultRowHeight="15"/>',
            f"<cols>{columns}</cols>" if columns else "",
            "<sheetData>",
        ])
        for rows in self.rows:
            if isinstance(rows, str):
                yield rows
            else:
                yield from rows
        parts = ["</sheetData>"]
        if self.autofilter is not None:
            last_row, last_column = self.autofilter
            parts.append(f'<autoFilter ref="A1:{column_name(last_column)}{last_row + 1}"/>')
        if self.merged:
            parts.append(f'<mergeCells count="{len(self.merged)}">'
                         + "".join(f'<mergeCell ref="{block}"/>' for block in self.merged) + "</mergeCells>")
        parts.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
        parts.append(f'<pageSetup paperSize="{PAPER_A4}" fitToHeight="0" orientation="landscape"/>')
        parts.append("</worksheet>")
        yield "".join(parts)


class Workbook:
    """Sheets sharing one style table; ``to_bytes`` returns the .xlsx package."""

    def __init__(self) -> None:
        self.sheets: list[Sheet] = []
        # Style 0 is the default; the others are numbered as cells first use them.
        self.styles: dict[Style, int] = {Style(): 0}

    def add_sheet(self, name: str) -> Sheet:
        sheet = Sheet(name=name, styles=self.styles)
        self.sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            package.writestr("[Content_Types].xml", self._content_types())
            package.writestr("_rels/.rels", _HEADER + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
                             f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" '
                             'Target="xl/workbook.xml"/></Relationships>')
            package.writestr("xl/workbook.xml", self._workbook())
            package.writestr("xl/_rels/workbook.xml.rels", self._workbook_relationships())
            package.writestr("xl/styles.xml", self._styles())
            for number, sheet in enumerate(self.sheets, start=1):
                with package.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                    for xml in sheet.xml_parts(active=number == 1):
                        part.write(xml.encode("utf-8"))
        return buffer.getvalue()

    def _content_types(self) -> str:
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="{sheet_type}"/>'
                            for number in range(1, len(self.sheets) + 1))
        return (_HEADER + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/styles.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                f"{overrides}</Types>")

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name={quoteattr(sheet.name)} sheetId="{number}" r:id="rId{number}"/>'
                         for number, sheet in enumerate(self.sheets, start=1))
        names = []
        for index, sheet in enumerate(self.sheets):
            quoted = "'" + sheet.name.replace("'", "''") + "'"
            if sheet.autofilter is not None:
                last_row, last_column = sheet.autofilter
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                             f"{escape(quoted)}!$A$1:${column_name(last_column)}${last_row + 1}</definedName>")
            if sheet.repeat_first_row:
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
                             f"{escape(quoted)}!$1:$1</definedName>")
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (_HEADER + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
                '<bookViews><workbookView/></bookViews>'
                f"<sheets>{sheets}</sheets>{defined}</workbook>")

    def _workbook_relationships(self) -> str:
        sheet_type = f"{_RELATIONSHIPS}/worksheet"
        links = "".join(f'<Relationship Id="rId{number}" Type="{sheet_type}" Target="worksheets/sheet{number}.xml"/>'
                        for number in range(1, len(self.sheets) + 1))
        styles = (f'<Relationship Id="rId{len(self.sheets) + 1}" Type="{_RELATIONSHIPS}/styles" '
                  'Target="styles.xml"/>')
        return _HEADER + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{links}{styles}</Relationships>'

    def _styles(self) -> str:
        ordered = sorted(self.styles, key=self.styles.__getitem__)
        fonts = list(dict.fromkeys((style.bold, style.font_size, style.font_color) for style in ordered))
        fills = list(dict.fromkeys(style.fill for style in ordered if style.fill))
        font_xml = "".join(
            "<font>" + ("<b/>" if bold else "") + f'<sz val="{size:g}"/>'
            + (f'<color rgb="FF{color}"/>' if color else '<color theme="1"/>')
            + '<name val="Calibri"/><family val="2"/></font>'
            for bold, size, color in fonts)
        # The first two fills are reserved by the format (none and gray125).
        fill_xml = ('<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
                    + "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{color}"/>'
                              '<bgColor indexed="64"/></patternFill></fill>' for color in fills))
        border_xml = ("<border><left/><right/><top/><bottom/><diagonal/></border>"
                      "<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/>"
                      "</right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/>"
                      "</bottom><diagonal/></border>")
        xfs = []
        for style in ordered:
            font = fonts.index((style.bold, style.font_size, style.font_color))
            fill = fills.index(style.fill) + 2 if style.fill else 0
            border = 1 if style.border else 0
            attributes = f'numFmtId="0" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
            attributes += ''.join((' applyFont="1"' if font else "", ' applyFill="1"' if fill else "",
                                   ' applyBorder="1"' if border else ""))
            if style.wrap or style.top:
                alignment = "<alignment" + (' vertical="top"' if style.top else "") + (
                    ' wrapText="1"' if style.wrap else "") + "/>"
                xfs.append(f'<xf {attributes} applyAlignment="1">{alignment}</xf>')
            else:
                xfs.append(f"<xf {attributes}/>")
        return (_HEADER + f'<styleSheet xmlns="{_MAIN}">'
                f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
                f'<fills count="{len(fills) + 2}">{fill_xml}</fills>'
                f'<borders count="2">{border_xml}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")
