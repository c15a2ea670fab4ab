"""Printing for the command-line tool: every line comes from the message catalog."""

from __future__ import annotations

import sys
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from cbccvc.aws_reasons import aws_reason
from cbccvc.messages import render
from cbccvc.signing.errors import SigningError


def say(message_code: str, /, **params: Any) -> None:
    print(render(message_code, **params), flush=True)


def fail(message_code: str, /, **params: Any) -> int:
    """Print an error message to stderr and return the exit code for a failed command."""
    print(render(message_code, **params), file=sys.stderr, flush=True)
    return 1



def reason_text(error: SigningError) -> str:
    """Word why signing failed in the user's language; the English text of the error is for logs."""
    if error.reason is None:
        return render("reason.aws_other", error=type(error).__name__)
    return render(error.reason, **error.params)


def aws_failure(error: BotoCoreError | ClientError, service: str | None = None) -> int:
    """Print why an AWS call failed (region, credentials, network or refusal) and return the failure code."""
    reason, params = aws_reason(error)
    if service is None:
        return fail("cli.aws_failed", reason=render(reason, **params))
    return fail("cli.aws_unavailable", service=service, reason=render(reason, **params))
