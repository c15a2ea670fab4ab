"""``cbccvc``: the command-line tool for agencies and operators, in Vietnamese (CBCCVC_LANG=en for English).

Each sub-command lives in its own module and registers itself with ``register(subparsers)``;
the parsed arguments carry the function that runs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from botocore.exceptions import BotoCoreError, ClientError

from cbccvc.cli import agency, approvers, evidence, sign, template, validate_file
from cbccvc.cli.output import aws_failure
from cbccvc.cli.translation import translate_argparse
from cbccvc.messages import render

COMMANDS = (validate_file, template, sign, agency, approvers, evidence)


def build_parser() -> argparse.ArgumentParser:
    translate_argparse()
    parser = argparse.ArgumentParser(prog="cbccvc", description=render("cli.description"),
                                     epilog=render("cli.exit_codes"))
    commands = parser.add_subparsers(dest="command", required=True, metavar=render("cli.command_metavar"),
                                     title=render("cli.commands_title"))
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        code: int = arguments.run(arguments)
    except (BotoCoreError, ClientError) as error:
        # A command that calls AWS (approvers, agency, sign with KMS) without a region, credentials or network.
        return aws_failure(error)
    return code


if __name__ == "__main__":
    sys.exit(main())
