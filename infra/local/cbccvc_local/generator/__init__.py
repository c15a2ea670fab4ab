"""Seeded generator of synthetic agency HR exports, for the demo, the tests and the benchmark.

All people are synthetic. ``generate_export`` returns the rows, the planted faults (with the
finding code each must yield), the population register the emulator serves, and the agency's
organisation units. ``GeneratedExport`` writes them as xlsx or CSV, JSON and CSV files.
"""

from cbccvc_local.generator.export import (
    FIRST_DATA_ROW,
    HEADERS,
    SHEET_NAME,
    Cell,
    Fault,
    FileFormat,
    GeneratedExport,
    column_letter,
)
from cbccvc_local.generator.faults import FAULT_KINDS, ROWS_FOR_ALL_KINDS, FaultKind
from cbccvc_local.generator.generate import (
    DEFAULT_AGENCY_CODE,
    DEFAULT_AGENCY_NAME,
    DEFAULT_FAULT_RATE,
    DEFAULT_PROVINCE_CODE,
    build_units,
    generate_export,
    modify_rows,
)
from cbccvc_local.generator.people import DEFAULT_AS_OF, OrgUnit

__all__ = [
    "DEFAULT_AGENCY_CODE",
    "DEFAULT_AGENCY_NAME",
    "DEFAULT_AS_OF",
    "DEFAULT_FAULT_RATE",
    "DEFAULT_PROVINCE_CODE",
    "FAULT_KINDS",
    "FIRST_DATA_ROW",
    "HEADERS",
    "ROWS_FOR_ALL_KINDS",
    "SHEET_NAME",
    "Cell",
    "Fault",
    "FaultKind",
    "FileFormat",
    "GeneratedExport",
    "OrgUnit",
    "build_units",
    "column_letter",
    "generate_export",
    "modify_rows",
]
