"""``cbccvc verify-evidence``: check a batch's evidence bundle offline and print the result in Vietnamese.

The bundle is one decision's folder ``batches/{agency}/{batch}/evidence/{decision}/`` downloaded
from S3, or its ``evidence.zip``. The trust anchors must come from the caller (``--trust-anchors``),
never from the bundle. No AWS access is needed. The exit code is 0 when both signatures and every
other check hold, 1 otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cbccvc.approval.evidence import EvidenceBundle, EvidenceError
from cbccvc.approval.evidence_check import EvidenceReport, verify_bundle
from cbccvc.cli.output import fail, say
from cbccvc.messages import label, render
from cbccvc.signing.certpath import format_time
from cbccvc.signing.errors import KeyFileError
from cbccvc.signing.keys import load_pem_certificates
from cbccvc.signing.result import ReasonCode, VerificationResult

# Reasons whose approve-stage message describes a waiting batch, mapped to messages for an offline check.
_OFFLINE_REASONS: dict[str, str] = {
    ReasonCode.CERT_REVOCATION_UNKNOWN: "evidence.revocation_unknown",
    ReasonCode.CERT_PATH_TIMEOUT: "evidence.path_timeout",
}


# Exit code of a command given wrong arguments, as argparse uses.
USAGE_ERROR = 2

def register(commands: Any) -> None:
    parser = commands.add_parser("verify-evidence", help=render("evidence.help"),
                                 description=render("evidence.description"))
    parser.add_argument("bundle", type=Path, metavar=label("metavar.bundle"), help=render("evidence.bundle"))
    # Checked in run(), so that a missing option gets a Vietnamese message rather than argparse's.
    parser.add_argument("--trust-anchors", type=Path, metavar=label("metavar.file"),
                        help=render("evidence.trust_anchors"))
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    if arguments.trust_anchors is None:
        fail("evidence.trust_anchors_required")
        return USAGE_ERROR
    if not arguments.bundle.exists():
        return fail("cli.file_not_found", file=arguments.bundle)
    try:
        anchors = load_pem_certificates(arguments.trust_anchors.read_bytes())
    except OSError:
        return fail("cli.file_not_found", file=arguments.trust_anchors)
    except KeyFileError:
        return fail("sign.cert_unreadable", file=arguments.trust_anchors)
    try:
        bundle = EvidenceBundle.load(arguments.bundle)
    except EvidenceError as error:
        return fail("evidence.unreadable", file=arguments.bundle, reason=render(error.code, **error.params))

    report = verify_bundle(bundle, trust_anchors=anchors)
    _print(report)
    return 0 if report.ok else 1


def _print(report: EvidenceReport) -> None:
    if report.manifest is not None:
        manifest = report.manifest
        say("evidence.manifest", batch_id=manifest.batch_id, agency=manifest.agency_code,
            records=manifest.record_count, records_sha256=manifest.records_sha256)
    say("evidence.verified_at", time=format_time(report.verified_at))
    _print_signature("evidence.role_signature", report.signature)
    if report.seal is not None:
        _print_signature("evidence.role_seal", report.seal)
    for finding in report.findings:
        say(finding.code, **finding.params)
    say("evidence.result_ok" if report.ok else "evidence.result_failed", count=len(report.findings))


def _print_signature(role_code: str, result: VerificationResult) -> None:
    role = render(role_code)
    if result.valid:
        signing_time = format_time(result.signing_time) if result.signing_time else "-"
        say("evidence.signature_valid", role=role, subject=result.signer_subject or "-", time=signing_time,
            algorithm=f"{result.signature_algorithm}/{result.digest_algorithm}")
        for warning in result.warnings:
            say(warning, **result.params)
    else:
        code = result.reason_code or ReasonCode.SIG_INVALID
        reason = render(_OFFLINE_REASONS.get(code, code), **_with_defaults(result))
        say("evidence.signature_invalid", role=role, reason=reason)


def _with_defaults(result: VerificationResult) -> dict[str, str]:
    # A rejected result carries the parameters its reason's message names. The issuer is added
    # as a fallback, because most certificate messages name it.
    return {"issuer": "-", **result.params}
