"""``cbccvc sign``: an approver signs a batch manifest with a PKCS #12 file, a PKCS #11 token or a KMS key."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

import boto3

from cbccvc.cli.output import fail, reason_text, say
from cbccvc.messages import label, render
from cbccvc.signing.errors import KeyFileError, KmsSigningError, ManifestError, SignerKeyError, TokenError
from cbccvc.signing.keys import load_pem_certificates
from cbccvc.signing.kms import KmsSigner
from cbccvc.signing.pkcs11 import open_pkcs11_signer
from cbccvc.signing.sign_command import sign_manifest_file, sign_manifest_with


def register(commands: Any) -> None:
    parser = commands.add_parser("sign", help=render("sign.help"), description=render("sign.description"))
    parser.add_argument("manifest", type=Path, metavar=label("metavar.manifest"), help=render("cli.sign_manifest"))
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--p12", type=Path, metavar=label("metavar.file"), help=render("cli.sign_p12"))
    source.add_argument("--pkcs11-module", metavar="THƯ_VIỆN", help=render("sign.pkcs11_module"))
    source.add_argument("--kms-key-id", metavar="KHÓA", help=render("sign.kms_key_id"))
    parser.add_argument("--password-env", metavar="BIẾN", help=render("cli.sign_password_env"))
    parser.add_argument("--token-label", metavar="NHÃN", help=render("sign.token_label"))
    parser.add_argument("--key-label", metavar="NHÃN", help=render("sign.key_label"))
    parser.add_argument("--pin-env", metavar="BIẾN", help=render("sign.pin_env"))
    parser.add_argument("--cert", type=Path, metavar=label("metavar.file"), help=render("sign.cert"))
    parser.add_argument("--output", type=Path, metavar=label("metavar.file"), help=render("cli.sign_output"))
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    if not arguments.manifest.is_file():
        return fail("cli.file_not_found", file=arguments.manifest)
    try:
        if arguments.p12 is not None:
            return _sign_with_pkcs12(arguments)
        if arguments.pkcs11_module is not None:
            return _sign_with_token(arguments)
        return _sign_with_kms(arguments)
    except ManifestError:
        return fail("cli.sign_not_manifest", file=arguments.manifest)
    except OSError as error:
        return fail("cli.file_write_failed", file=arguments.output or arguments.manifest, reason=error.strerror)


def _sign_with_pkcs12(arguments: argparse.Namespace) -> int:
    if not arguments.p12.is_file():
        return fail("cli.file_not_found", file=arguments.p12)
    if arguments.password_env and arguments.password_env not in os.environ:
        return fail("cli.sign_variable_unset", variable=arguments.password_env)
    password = _secret(arguments.password_env, "cli.sign_password_prompt")
    try:
        target = sign_manifest_file(arguments.manifest, arguments.p12, password, arguments.output)
    except KeyFileError:
        if password is None:
            return fail("cli.sign_password_missing", file=arguments.p12)
        return fail("cli.sign_key_unreadable", file=arguments.p12)
    _say_done(arguments.manifest, target)
    return 0


def _sign_with_token(arguments: argparse.Namespace) -> int:
    if not arguments.token_label:
        return fail("sign.token_label_missing")
    certificates = _certificates(arguments.cert)
    if certificates is None:
        return fail("sign.cert_unreadable", file=arguments.cert)
    if arguments.pin_env and arguments.pin_env not in os.environ:
        return fail("cli.sign_variable_unset", variable=arguments.pin_env)
    pin = _secret(arguments.pin_env, "sign.pin_prompt")
    if pin is None:
        return fail("sign.pin_missing")
    try:
        with open_pkcs11_signer(
            arguments.pkcs11_module,
            token_label=arguments.token_label,
            pin=pin,
            key_label=arguments.key_label,
            certificate=certificates[0] if certificates else None,
            chain=_intermediates(certificates[1:]),
        ) as signer:
            target = sign_manifest_with(arguments.manifest, signer, arguments.output)
    except (TokenError, SignerKeyError) as error:
        return fail("sign.token_failed", token=arguments.token_label, reason=reason_text(error))
    _say_done(arguments.manifest, target)
    return 0


def _sign_with_kms(arguments: argparse.Namespace) -> int:
    certificates = _certificates(arguments.cert)
    if not certificates:
        return fail("sign.kms_cert_missing")
    try:
        signer = KmsSigner(boto3.client("kms"), arguments.kms_key_id, certificates[0], _intermediates(certificates[1:]))
        target = sign_manifest_with(arguments.manifest, signer, arguments.output)
    except (KmsSigningError, SignerKeyError) as error:
        return fail("sign.kms_failed", key=arguments.kms_key_id, reason=reason_text(error))
    _say_done(arguments.manifest, target)
    return 0


def _certificates(path: Path | None) -> list[Any] | None:
    """Read the signer's certificate (first) and its CA certificates from a PEM file; [] without a file."""
    if path is None:
        return []
    try:
        return list(load_pem_certificates(path.read_bytes()))
    except (KeyFileError, OSError):
        return None


def _intermediates(certificates: list[Any]) -> list[Any]:
    # Roots are trust anchors and need not travel in the signature.
    return [certificate for certificate in certificates if certificate.subject != certificate.issuer]


def _secret(variable: str | None, prompt_code: str) -> str | None:
    # Passwords and PINs never go on the command line, where other users can read them from the process list.
    if variable:
        return os.environ.get(variable)
    if os.isatty(0):
        return getpass.getpass(render(prompt_code))
    # No terminal: a password piped in ("echo … | cbccvc sign …") is the first line of stdin.
    line = sys.stdin.readline()
    return line.rstrip("\r\n") if line else None


def _say_done(manifest: Path, signature: Path) -> None:
    """Print where to upload the signature, naming the batch the manifest belongs to."""
    try:
        document = json.loads(manifest.read_bytes())
        destination = f"approvals/{document['agency_code']}/{document['batch_id']}/{signature.name}"
    except (OSError, ValueError, KeyError, TypeError):
        destination = f"approvals/<mã cơ quan>/<mã lô>/{signature.name}"
    say("cli.sign_done", signature=signature, destination=destination)
