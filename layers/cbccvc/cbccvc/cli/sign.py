"""``cbccvc sign``: an approver signs a batch manifest with the key in a PKCS #12 file."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any

from cbccvc.cli.output import fail, say
from cbccvc.messages import render
from cbccvc.signing.errors import KeyFileError, ManifestError
from cbccvc.signing.sign_command import sign_manifest_file


def register(commands: Any) -> None:
    parser = commands.add_parser("sign", help=render("cli.sign_help"), description=render("cli.sign_help"))
    parser.add_argument("manifest", type=Path, help=render("cli.sign_manifest"))
    parser.add_argument("--p12", type=Path, required=True, help=render("cli.sign_p12"))
    parser.add_argument("--password-env", metavar="BIẾN", help=render("cli.sign_password_env"))
    parser.add_argument("--output", type=Path, help=render("cli.sign_output"))
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    if not arguments.manifest.is_file():
        return fail("cli.file_not_found", file=arguments.manifest)
    if not arguments.p12.is_file():
        return fail("cli.file_not_found", file=arguments.p12)
    password = _password(arguments.password_env)
    try:
        target = sign_manifest_file(arguments.manifest, arguments.p12, password, arguments.output)
    except ManifestError:
        return fail("cli.sign_not_manifest", file=arguments.manifest)
    except KeyFileError:
        return fail("cli.sign_key_unreadable", file=arguments.p12)
    except OSError as error:
        return fail("cli.file_write_failed", file=arguments.output or arguments.manifest, reason=error.strerror)
    say("cli.sign_done", signature=target)
    return 0


def _password(variable: str | None) -> str | None:
    # The password never goes on the command line, where other users can read it from the process list.
    if variable:
        return os.environ.get(variable)
    if os.isatty(0):
        return getpass.getpass(render("cli.sign_password_prompt"))
    return None
