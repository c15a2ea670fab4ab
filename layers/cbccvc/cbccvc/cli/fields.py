"""Read the --mandatory option: field names ("personal_id") or column headers ("Số CCCD"), comma-separated."""

from __future__ import annotations

import sys

from cbccvc.cli.output import fail
from cbccvc.intake.headers import match_header
from cbccvc.messages import render
from cbccvc.schema import DEFAULT_MANDATORY_FIELDS, FIELDS_BY_NAME


def parse_mandatory(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Return the fields ``text`` names, in order without repeats, and the items that name no field.

    An item is a field name of the schema or a header as an export writes it, matched like the
    headers of a file (any case, with or without diacritics, known abbreviations).
    """
    fields: list[str] = []
    unknown: list[str] = []
    # A comma separates items; a semicolon, which Vietnamese Excel uses as list separator, does too.
    for item in (part.strip() for part in text.replace(";", ",").split(",")):
        if not item:
            continue
        field_name: str | None = item
        if item not in FIELDS_BY_NAME:
            matched = match_header(item)
            field_name = matched[0] if matched else None
        if field_name is None:
            unknown.append(item)
        elif field_name not in fields:
            fields.append(field_name)
    return tuple(fields), unknown


def default_mandatory_headers() -> str:
    """Return the headers of the default mandatory columns, as the help text lists them."""
    return ", ".join(FIELDS_BY_NAME[name].header for name in DEFAULT_MANDATORY_FIELDS)


def dropped_core_headers(fields: tuple[str, ...]) -> list[str]:
    """Return the headers of the default mandatory columns that ``fields`` leaves out."""
    return [FIELDS_BY_NAME[name].header for name in DEFAULT_MANDATORY_FIELDS if name not in fields]


def checked_mandatory(text: str) -> tuple[str, ...] | None:
    """Read --mandatory for a command: the fields, or None after an error naming the unknown items.

    A list that leaves out default mandatory columns is accepted with a warning on stderr,
    since the upload may still require them.
    """
    mandatory, unknown = parse_mandatory(text)
    if unknown:
        fail("report.mandatory_unknown", names=", ".join(f"«{name}»" for name in unknown),
             known=", ".join(FIELDS_BY_NAME[name].header for name in FIELDS_BY_NAME))
        return None
    dropped = dropped_core_headers(mandatory)
    if dropped:
        print(render("cli.mandatory_dropped", headers=", ".join(f"«{header}»" for header in dropped)),
              file=sys.stderr, flush=True)
    return mandatory
