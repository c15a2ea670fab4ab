"""``cbccvc approvers``: manage who may approve batches for an agency (operators).

``add`` registers an approver's certificate for an agency with an approval window, ``list``
shows the registered approvers, ``remove`` withdraws one by certificate fingerprint, and
``history`` shows every change with who made it. Each change is written together with its audit
item in one DynamoDB transaction.
"""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3

from cbccvc.approval.registry import approver_entry
from cbccvc.cli.output import fail, say
from cbccvc.messages import render
from cbccvc.models import AGENCY_CODE_PATTERN
from cbccvc.signing.certpath import check_signer_profile
from cbccvc.signing.errors import KeyFileError
from cbccvc.signing.keys import load_pem_certificates
from cbccvc.state.repository import StateRepository

# Dates without a time are read in Vietnam's time zone (UTC+7, no daylight saving time).
VIETNAM_TIME = timezone(timedelta(hours=7))


def register(commands: Any) -> None:
    parser = commands.add_parser("approvers", help=render("approvers.help"), description=render("approvers.help"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="<thao tác>")

    add = actions.add_parser("add", help=render("approvers.add_help"))
    add.add_argument("certificate", type=Path, help=render("approvers.certificate"))
    add.add_argument("--valid-from", metavar="NGÀY", help=render("approvers.valid_from"))
    add.add_argument("--valid-until", metavar="NGÀY", help=render("approvers.valid_until"))
    add.set_defaults(run=run_add)

    show = actions.add_parser("list", help=render("approvers.list_help"))
    show.set_defaults(run=run_list)

    remove = actions.add_parser("remove", help=render("approvers.remove_help"))
    remove.add_argument("fingerprint", help=render("approvers.fingerprint"))
    remove.set_defaults(run=run_remove)

    history = actions.add_parser("history", help=render("approvers.history_help"))
    history.set_defaults(run=run_history)

    for action in (add, show, remove, history):
        action.add_argument("--agency", required=True, help=render("cli.agency_code"))
        action.add_argument("--table", default=os.environ.get("TABLE_NAME"), help=render("cli.table"))
    for action in (add, remove):
        action.add_argument("--actor", default=None, help=render("approvers.actor"))


def run_add(arguments: argparse.Namespace) -> int:
    state = _repository(arguments)
    if isinstance(state, int):
        return state
    entry = _entry(arguments)
    if isinstance(entry, int):
        return entry
    state.put_approver(arguments.agency, entry, actor=_actor(arguments.actor))
    say("approvers.added", subject=entry["subject"], agency=arguments.agency, valid_from=entry["valid_from"],
        valid_until=entry["valid_until"], fingerprint=entry["fingerprint"])
    return 0


def _entry(arguments: argparse.Namespace) -> dict[str, Any] | int:
    """Build the registry entry from the certificate file and window; an int is the exit code of a failure."""
    try:
        certificate = load_pem_certificates(arguments.certificate.read_bytes())[0]
    except OSError:
        return fail("cli.file_not_found", file=arguments.certificate)
    except KeyFileError:
        return fail("sign.cert_unreadable", file=arguments.certificate)
    profile = check_signer_profile(certificate)
    if profile is not None:
        return fail("approvers.not_signing_certificate", file=arguments.certificate, reason=render(profile))
    try:
        valid_from = _moment(arguments.valid_from, end_of_day=False)
        valid_until = _moment(arguments.valid_until, end_of_day=True)
    except ValueError as error:
        return fail("approvers.date_invalid", value=str(error))
    try:
        return approver_entry(certificate, valid_from=valid_from, valid_until=valid_until)
    except ValueError:
        return fail("approvers.window_invalid")


def run_list(arguments: argparse.Namespace) -> int:
    state = _repository(arguments)
    if isinstance(state, int):
        return state
    approvers = state.list_approvers(arguments.agency)
    if not approvers:
        say("approvers.none", agency=arguments.agency)
    for entry in approvers:
        say("approvers.line", fingerprint=entry["fingerprint"], subject=entry.get("subject", ""),
            serial=entry.get("serial", ""), valid_from=entry["valid_from"], valid_until=entry["valid_until"])
    return 0


def run_remove(arguments: argparse.Namespace) -> int:
    state = _repository(arguments)
    if isinstance(state, int):
        return state
    fingerprint = arguments.fingerprint.strip().lower().replace(":", "")
    if not state.remove_approver(arguments.agency, fingerprint, actor=_actor(arguments.actor)):
        return fail("approvers.not_found", fingerprint=fingerprint, agency=arguments.agency)
    say("approvers.removed", fingerprint=fingerprint, agency=arguments.agency)
    return 0


def run_history(arguments: argparse.Namespace) -> int:
    state = _repository(arguments)
    if isinstance(state, int):
        return state
    entries = state.list_audit(arguments.agency)
    if not entries:
        say("approvers.history_empty", agency=arguments.agency)
    for entry in entries:
        say("approvers.history_line", at=entry["at"], action=render(f"approvers.{entry['action']}"),
            actor=entry.get("actor", ""), subject=entry.get("subject", "-"), fingerprint=entry["fingerprint"])
    return 0


def _repository(arguments: argparse.Namespace) -> StateRepository | int:
    if not arguments.table:
        return fail("cli.table_missing")
    if not AGENCY_CODE_PATTERN.match(arguments.agency):
        return fail("cli.agency_code_invalid", code=arguments.agency)
    return StateRepository(boto3.client("dynamodb"), arguments.table)


def _moment(value: str | None, *, end_of_day: bool) -> datetime | None:
    """Read an ISO 8601 date or date-time; a bare date means the start (or end) of that day in Vietnam."""
    if value is None:
        return None
    try:
        if "T" in value or " " in value.strip():
            moment = datetime.fromisoformat(value)
            return moment if moment.utcoffset() is not None else moment.replace(tzinfo=VIETNAM_TIME)
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(value) from None
    return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=VIETNAM_TIME)


def _actor(actor_option: str | None) -> str:
    """Return who makes the change: --actor, else the operating-system user running the command."""
    if actor_option:
        return actor_option
    try:
        return getpass.getuser()
    except OSError:
        return "unknown"
