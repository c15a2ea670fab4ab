"""``cbccvc template``: write the Excel template agencies fill in, with dropdowns for catalog columns."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cbccvc.cli.fields import checked_mandatory, default_mandatory_headers
from cbccvc.cli.output import fail, say
from cbccvc.messages import label, render
from cbccvc.reporting.template_workbook import build_template
from cbccvc.schema import DEFAULT_MANDATORY_FIELDS

DEFAULT_OUTPUT = Path("Mau du lieu CBCCVC.xlsx")


def register(commands: Any) -> None:
    parser = commands.add_parser("template", help=render("template.help"), description=render("template.description"))
    parser.add_argument("--output", type=Path, metavar=label("metavar.file"), default=DEFAULT_OUTPUT,
                        help=render("template.output"))
    parser.add_argument("--province", metavar=label("metavar.code"), help=render("template.province"))
    parser.add_argument("--mandatory", metavar=label("metavar.fields"), default=",".join(DEFAULT_MANDATORY_FIELDS),
                        help=render("cli.validate_mandatory", default=default_mandatory_headers()))
    parser.set_defaults(run=run)


# Exit code of a command given wrong arguments, as argparse uses.
USAGE_ERROR = 2


def run(arguments: argparse.Namespace) -> int:
    province = arguments.province.strip().zfill(2) if arguments.province else None
    mandatory = checked_mandatory(arguments.mandatory)
    if mandatory is None:
        return USAGE_ERROR
    try:
        template = build_template(mandatory_fields=mandatory, province_code=province)
    except KeyError:
        return fail("template.province_unknown", code=arguments.province)
    path: Path = arguments.output
    try:
        path.write_bytes(template.content)
    except OSError:
        return fail("template.write_failed", path=path)
    say("template.written", path=path, fields=template.fields, communes=template.communes)
    return 0
