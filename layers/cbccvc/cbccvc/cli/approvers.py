"""``cbccvc approvers``: manage who may approve batches for an agency (operators).

``add`` registers an approver's certificate for an agency with an approval window, ``list``
shows the registered approvers, ``remove`` withdraws one by certificate fingerprint, and
``history`` shows every change with who made it. Each change is written together with its audit
item in one DynamoDB transaction.

``add`` takes the end-entity certificate from a PEM file that may also hold its CA certificates,
or from a DER file. It rejects a certificate the approve stage would reject for what it is:
expired, self-signed, a CA's, not meant for signing documents, or with a key below the rules of
``cbccvc.signing.algorithms``. It also rejects an agency that is not registered, and warns when the
certificate is already registered for another agency. It does not check the path to the trust
anchors, which the approve stage does with the configured ones.
"""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cbccvc.approval.registry import approver_entry
from cbccvc.cli.output import fail, say
from cbccvc.messages import label, render
from cbccvc.models import AGENCY_CODE_PATTERN
from cbccvc.signing.algorithms import MIN_EC_BITS, MIN_RSA_BITS, key_parameter_problem
from cbccvc.signing.certpath import check_signer_profile, format_time
from cbccvc.signing.result import ReasonCode
from cbccvc.state.repository import StateRepository

# Dates without a time are read in Vietnam's time zone (UTC+7, no daylight saving time).
VIETNAM_TIME = timezone(timedelta(hours=7))
# Messages for the reasons a certificate cannot be registered, worded for the operator registering it.
_PROFILE_REASONS = {
    ReasonCode.CERT_KEY_USAGE: "approvers.reason_key_usage",
    ReasonCode.CERT_EXTENDED_KEY_USAGE: "approvers.reason_extended_key_usage",
    ReasonCode.CERT_IS_CA: "approvers.reason_ca",
}


def register(commands: Any) -> None:
    parser = commands.add_parser("approvers", help=render("approvers.help"), description=render("approvers.help"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="<thao tác>")

    add = actions.add_parser("add", help=render("approvers.add_help"), description=render("approvers.add_help"))
    add.add_argument("certificate", type=Path, metavar=label("metavar.certificate"),
                     help=render("approvers.certificate"))
    add.add_argument("--valid-from", metavar="NGÀY", help=render("approvers.valid_from"))
    add.add_argument("--valid-until", metavar="NGÀY", help=render("approvers.valid_until"))
    add.set_defaults(run=run_add)

    show = actions.add_parser("list", help=render("approvers.list_help"), description=render("approvers.list_help"))
    show.set_defaults(run=run_list)

    remove = actions.add_parser("remove", help=render("approvers.remove_help"),
                                description=render("approvers.remove_help"))
    remove.add_argument("fingerprint", metavar=label("metavar.fingerprint"), help=render("approvers.fingerprint"))
    remove.set_defaults(run=run_remove)

    history = actions.add_parser("history", help=render("approvers.history_help"),
                                 description=render("approvers.history_help"))
    history.set_defaults(run=run_history)

    for action in (add, show, remove, history):
        action.add_argument("--agency", required=True, metavar=label("metavar.agency"), help=render("cli.agency_code"))
        action.add_argument("--table", metavar=label("metavar.table"), default=os.environ.get("TABLE_NAME"),
                            help=render("cli.table"))
    for action in (add, remove):
        action.add_argument("--actor", default=None, metavar=label("metavar.name"), help=render("approvers.actor"))


def run_add(arguments: argparse.Namespace) -> int:
    state = _repository(arguments)
    if isinstance(state, int):
        return state
    if state.get_agency(arguments.agency) is None:
        return fail("approvers.agency_unknown", agency=arguments.agency)
    built = _entry(arguments)
    if isinstance(built, int):
        return built
    entry, certificate = built
    elsewhere = _registered_elsewhere(state, arguments.agency, entry["fingerprint"])
    if elsewhere:
        say("approvers.registered_elsewhere", agencies=", ".join(elsewhere))
    if datetime.fromisoformat(entry["valid_until"]) > certificate.not_valid_after_utc:
        say("approvers.window_beyond_certificate", not_after=format_time(certificate.not_valid_after_utc))
    state.put_approver(arguments.agency, entry, actor=_actor(arguments.actor))
    say("approvers.added", subject=entry["subject"], agency=arguments.agency, valid_from=_shown(entry["valid_from"]),
        valid_until=_shown(entry["valid_until"]), fingerprint=entry["fingerprint"])
    return 0


def _entry(arguments: argparse.Namespace) -> tuple[dict[str, Any], x509.Certificate] | int:
    """Build the registry entry from the certificate file and window; an int is the exit code of a failure."""
    certificate = _certificate(arguments.certificate)
    if isinstance(certificate, int):
        return certificate
    try:
        valid_from = _moment(arguments.valid_from, end_of_day=False)
        valid_until = _moment(arguments.valid_until, end_of_day=True)
    except ValueError as error:
        return fail("approvers.date_invalid", value=str(error))
    try:
        entry = approver_entry(certificate, valid_from=valid_from, valid_until=valid_until)
    except ValueError:
        return fail("approvers.window_invalid")
    return entry, certificate


def _certificate(path: Path) -> x509.Certificate | int:
    """Read the approver's certificate from ``path`` and check it can approve; an int is the exit code of a failure."""
    try:
        data = path.read_bytes()
    except OSError:
        return fail("cli.file_not_found", file=path)
    certificates = _read_certificates(data)
    if not certificates:
        return fail("approvers.cert_unreadable", file=path)
    certificate = _end_entity(certificates)
    if certificate is None:
        return fail("approvers.no_single_end_entity", file=path, count=len(certificates))
    problem = _registration_problem(certificate)
    if problem is not None:
        code, params = problem
        return fail("approvers.not_signing_certificate", file=path, reason=render(code, **params))
    return certificate


def _read_certificates(data: bytes) -> list[x509.Certificate]:
    """Read every certificate of a PEM file, or the one certificate of a DER file; empty when none parse."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        return []


def _end_entity(certificates: list[x509.Certificate]) -> x509.Certificate | None:
    """Return the one certificate that is not a CA's, or the file's only certificate; None when ambiguous."""
    if len(certificates) == 1:
        return certificates[0]
    candidates = [cert for cert in certificates if check_signer_profile(cert) is not ReasonCode.CERT_IS_CA]
    return candidates[0] if len(candidates) == 1 else None


def _registration_problem(certificate: x509.Certificate) -> tuple[str, dict[str, Any]] | None:
    """Return the message code and parameters of why ``certificate`` cannot approve, or None."""
    if certificate.not_valid_after_utc <= datetime.now(UTC):
        return "approvers.reason_expired", {"not_after": format_time(certificate.not_valid_after_utc)}
    if certificate.subject == certificate.issuer:
        return "approvers.reason_self_signed", {}
    profile = check_signer_profile(certificate)
    if profile is not None:
        return _PROFILE_REASONS[profile], {}
    key = _key_problem(certificate)
    if key is not None:
        return "approvers.reason_key", {"key": key}
    return None


def _key_problem(certificate: x509.Certificate) -> str | None:
    public_key = certificate.public_key()
    if isinstance(public_key, rsa.RSAPublicKey) and public_key.key_size < MIN_RSA_BITS:
        return f"RSA {public_key.key_size} bit"
    if isinstance(public_key, ec.EllipticCurvePublicKey) and public_key.curve.key_size < MIN_EC_BITS:
        return f"ECDSA {public_key.curve.key_size} bit"
    if not isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        return type(public_key).__name__.removesuffix("PublicKey")
    return key_parameter_problem(public_key)


def _registered_elsewhere(state: StateRepository, agency_code: str, fingerprint: str) -> list[str]:
    """Return the other agencies the certificate may already approve for."""
    others = [str(item["agency_code"]) for item in state.list_agencies() if item.get("agency_code") != agency_code]
    return [code for code in others if state.get_approver(code, fingerprint) is not None]


def run_list(arguments: argparse.Namespace) -> int:
    state = _repository(arguments)
    if isinstance(state, int):
        return state
    approvers = state.list_approvers(arguments.agency)
    if not approvers:
        say("approvers.none", agency=arguments.agency)
    for entry in approvers:
        say("approvers.line", fingerprint=entry["fingerprint"], subject=entry.get("subject", ""),
            serial=entry.get("serial", ""), valid_from=_shown(entry["valid_from"]),
            valid_until=_shown(entry["valid_until"]))
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
        say("approvers.history_line", at=_shown(entry["at"]), action=render(f"approvers.{entry['action']}"),
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


def _shown(moment: str) -> str:
    """Show a stored ISO 8601 time in Vietnam time."""
    return format_time(datetime.fromisoformat(moment))


def _actor(actor_option: str | None) -> str:
    """Return who makes the change: --actor, else the operating-system user running the command."""
    if actor_option:
        return actor_option
    try:
        return getpass.getuser()
    except OSError:
        return "unknown"
