"""``cbccvc agency``: register an agency and its organisation tree in the state table (operators)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from cbccvc.cli.output import aws_failure, fail, say
from cbccvc.intake.units import UnitListError, read_units
from cbccvc.messages import label, render
from cbccvc.models import AGENCY_CODE_PATTERN
from cbccvc.state.repository import StateRepository


def register(commands: Any) -> None:
    parser = commands.add_parser("agency", help=render("cli.agency_help"), description=render("cli.agency_help"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="<thao tác>")
    add = actions.add_parser("register", help=render("cli.agency_register_help"),
                             description=render("cli.agency_register_help"))
    add.add_argument("code", metavar=label("metavar.agency"), help=render("cli.agency_code"))
    add.add_argument("name", metavar=label("metavar.name"), help=render("cli.agency_name"))
    add.add_argument("--units", type=Path, metavar=label("metavar.file"), help=render("cli.validate_units"))
    add.add_argument("--table", metavar=label("metavar.table"), default=os.environ.get("TABLE_NAME"),
                     help=render("cli.table"))
    add.set_defaults(run=run_register)
    show = actions.add_parser("list", help=render("cli.agency_list_help"), description=render("cli.agency_list_help"))
    show.add_argument("--table", metavar=label("metavar.table"), default=os.environ.get("TABLE_NAME"),
                      help=render("cli.table"))
    show.set_defaults(run=run_list)


def _repository(table: str | None) -> StateRepository | None:
    if not table:
        return None
    return StateRepository(boto3.client("dynamodb"), table)


def _aws_failure(error: BotoCoreError | ClientError) -> int:
    return aws_failure(error, "DynamoDB")


def run_register(arguments: argparse.Namespace) -> int:
    try:
        return _register(arguments)
    except (BotoCoreError, ClientError) as error:
        return _aws_failure(error)


def run_list(arguments: argparse.Namespace) -> int:
    try:
        return _list(arguments)
    except (BotoCoreError, ClientError) as error:
        return _aws_failure(error)


def _register(arguments: argparse.Namespace) -> int:
    state = _repository(arguments.table)
    if state is None:
        return fail("cli.table_missing")
    if not AGENCY_CODE_PATTERN.match(arguments.code):
        return fail("cli.agency_code_invalid", code=arguments.code)
    units: list[dict[str, Any]] = []
    if arguments.units is not None:
        try:
            units = read_units(arguments.units.read_bytes(), arguments.units.name)
        except (UnitListError, OSError):
            return fail("cli.units_unreadable", file=arguments.units)
    created = state.register_agency(arguments.code, arguments.name)
    state.put_org_units(arguments.code, units)
    say("cli.agency_registered" if created else "cli.agency_updated", code=arguments.code, units=len(units))
    return 0


def _list(arguments: argparse.Namespace) -> int:
    state = _repository(arguments.table)
    if state is None:
        return fail("cli.table_missing")
    for agency in state.list_agencies():
        units = len(state.get_org_units(agency["agency_code"]))
        say("cli.agency_line", code=agency["agency_code"], name=agency.get("name", ""), units=units)
    return 0
