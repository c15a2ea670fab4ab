"""Read the --mandatory option: field names ("personal_id") or column headers ("Số CCCD"), comma-separated."""

from __future__ import annotations

from cbccvc.intake.headers import match_header
from cbccvc.schema import FIELDS_BY_NAME


def parse_mandatory(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Return the fields ``text`` names, in order without repeats, and the items that name no field.

    An item is a field name of the schema or a header as an export writes it, matched like the
    headers of a file (any case, with or without diacritics, known abbreviations).
    """
    fields: list[str] = []
    unknown: list[str] = []
    for item in (part.strip() for part in text.split(",")):
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
