"""Vietnamese for argparse's own texts (usage, "options", missing-argument errors)."""

from __future__ import annotations

import argparse

from cbccvc.messages import Language, current_language
from cbccvc.messages.cli import ARGPARSE_TRANSLATIONS


def _translate(text: str) -> str:
    if current_language() is Language.EN:
        return text
    return ARGPARSE_TRANSLATIONS.get(text, text)


def translate_argparse() -> None:
    """Make argparse look its texts up in the catalog.

    argparse calls its module-level ``_`` (gettext) each time it formats help or an error, so
    replacing that name changes every parser, including the demo's.
    """
    argparse._ = _translate  # type: ignore[attr-defined]
