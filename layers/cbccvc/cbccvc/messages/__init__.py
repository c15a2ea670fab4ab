"""The catalog of every message a user reads, in Vietnamese and English.

Agencies read Vietnamese (the default); the English text is for operators and reviewers.
Each entry is keyed by a stable code that reports and tests use; the text may change freely.
Templates use ``str.format`` fields, and every field a template names must be passed.
The catalog is split by pipeline stage into the modules of this package and merged here.
"""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Any

from cbccvc.messages.approval import APPROVAL_MESSAGES
from cbccvc.messages.batch_approval import BATCH_APPROVAL_MESSAGES
from cbccvc.messages.catalog import Message
from cbccvc.messages.cli import CLI_MESSAGES
from cbccvc.messages.evidence import EVIDENCE_MESSAGES
from cbccvc.messages.intake import INTAKE_MESSAGES
from cbccvc.messages.labels import LABELS
from cbccvc.messages.report import REPORT_MESSAGES
from cbccvc.messages.signing_cli import SIGNING_CLI_MESSAGES
from cbccvc.messages.signing_reasons import SIGNING_REASONS
from cbccvc.messages.sync import SYNC_MESSAGES
from cbccvc.messages.validation import VALIDATION_MESSAGES

__all__ = ["FIELD_LABELS", "LABELS", "MESSAGES", "Language", "Message", "current_language", "label", "render"]


class Language(StrEnum):
    VI = "vi"
    EN = "en"


def current_language() -> Language:
    """Return the language chosen by CBCCVC_LANG ("vi" by default)."""
    value = os.environ.get("CBCCVC_LANG", "vi").strip().lower()
    return Language.EN if value == "en" else Language.VI


MESSAGES: dict[str, Message] = {
    **VALIDATION_MESSAGES,
    **APPROVAL_MESSAGES,
    **BATCH_APPROVAL_MESSAGES,
    **SYNC_MESSAGES,
    **CLI_MESSAGES,
    **INTAKE_MESSAGES,
    **REPORT_MESSAGES,
    **SIGNING_CLI_MESSAGES,
    **EVIDENCE_MESSAGES,
    **SIGNING_REASONS,
}

# Labels for field names in messages ("ngày sinh" rather than "birth_date").
FIELD_LABELS: dict[str, Message] = {
    "personal_id": Message("số định danh", "personal ID"),
    "full_name": Message("họ và tên", "full name"),
    "birth_date": Message("ngày sinh", "date of birth"),
    "gender": Message("giới tính", "gender"),
}


def render(code: str, language: Language | None = None, /, **params: Any) -> str:
    """Render the message for ``code`` in ``language`` (CBCCVC_LANG by default).

    Raises KeyError for an unknown code, so a missing catalog entry fails in tests.
    """
    message = MESSAGES[code]
    chosen = language or current_language()
    template = message.vi if chosen is Language.VI else message.en
    return template.format(**params)


def label(key: str, language: Language | None = None, /, **params: Any) -> str:
    """Return the report label ``key`` in ``language`` (CBCCVC_LANG by default), filled with ``params``."""
    entry = LABELS[key]
    template = entry.vi if (language or current_language()) is Language.VI else entry.en
    return template.format(**params) if params else template
