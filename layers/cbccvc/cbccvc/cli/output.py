"""Printing for the command-line tool: every line comes from the message catalog."""

from __future__ import annotations

import sys
from typing import Any

from cbccvc.messages import render


def say(message_code: str, /, **params: Any) -> None:
    print(render(message_code, **params), flush=True)


def fail(message_code: str, /, **params: Any) -> int:
    """Print an error message to stderr and return the exit code for a failed command."""
    print(render(message_code, **params), file=sys.stderr, flush=True)
    return 1

